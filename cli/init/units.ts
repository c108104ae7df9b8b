/**
 * Parsers for answers in the user's own words: "500 GB", "2 TB", "1.5tb", "30 s", "5 minutes",
 * "1 day", "90 min". Each returns the value in the unit the config key names, or an error text.
 */
export type Parsed = { ok: true; value: number } | { ok: false; error: string };

const SIZE_UNITS: Record<string, number> = {
    b: 1e-9,
    kb: 1e-6,
    mb: 1e-3,
    gb: 1,
    tb: 1e3,
    pb: 1e6,
    gib: 1.073741824,
    tib: 1099.511627776,
    mib: 0.001048576,
};
const SECONDS: Record<string, number> = {
    s: 1,
    sec: 1,
    secs: 1,
    second: 1,
    seconds: 1,
    m: 60,
    min: 60,
    mins: 60,
    minute: 60,
    minutes: 60,
    h: 3600,
    hr: 3600,
    hrs: 3600,
    hour: 3600,
    hours: 3600,
    d: 86400,
    day: 86400,
    days: 86400,
    w: 604800,
    week: 604800,
    weeks: 604800,
};

function split(text: string): { n: number; unit: string } | undefined {
    const m = /^\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*([a-zA-Z]*)\s*$/.exec(text.replace(/,/g, ""));
    if (!m) return undefined;
    return { n: Number(m[1]), unit: (m[2] ?? "").toLowerCase() };
}

/** A data size in GB. A bare number is GB. */
export function parseSizeGb(text: string): Parsed {
    const s = split(text);
    if (!s) return { ok: false, error: "give a size such as 20, 500 MB or 2 TB (a bare number is GB)" };
    if (s.unit === "") return { ok: true, value: s.n };
    const f = SIZE_UNITS[s.unit];
    return f === undefined
        ? { ok: false, error: `unknown unit '${s.unit}': use MB, GB or TB` }
        : { ok: true, value: Number((s.n * f).toPrecision(12)) };
}

/** A duration in `unit` (seconds or hours). A bare number is in `unit`. */
export function parseDuration(text: string, unit: "seconds" | "hours"): Parsed {
    const s = split(text);
    const example = unit === "seconds" ? "30 s, 5 min, 1 day" : "2, 90 min, 1.5 h";
    if (!s) return { ok: false, error: `give a duration such as ${example} (a bare number is ${unit})` };
    if (s.unit === "") return { ok: true, value: s.n };
    const f = SECONDS[s.unit];
    if (f === undefined) return { ok: false, error: `unknown unit '${s.unit}': use s, min, h or days` };
    const seconds = s.n * f;
    return { ok: true, value: Number((unit === "seconds" ? seconds : seconds / 3600).toPrecision(12)) };
}

/** A plain non-negative number (requests per second). */
export function parseNumber(text: string, what: string): Parsed {
    const s = split(text);
    if (s?.unit !== "") return { ok: false, error: `give ${what} as a number, e.g. 40` };
    return { ok: true, value: s.n };
}

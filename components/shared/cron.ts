import { InputError } from "./errors";

/**
 * The one reader of the five-field cron (minute hour day-of-month month day-of-week, UTC) users
 * write as a schedule, and its translations: EventBridge Scheduler's six-field `cron(...)` on AWS
 * and a systemd `OnCalendar=` for the `vm` runner on every cloud. Pure: no Pulumi, tested on its own.
 *
 * Differences handled here:
 * - Standard cron runs on EITHER day-of-month or day-of-week when both are restricted. AWS wants
 *   one of them to be `?` and systemd runs only when BOTH match, so such an expression is rejected
 *   by every translation rather than silently changed.
 * - AWS day-of-week is 1-7 = SUN-SAT; standard cron is 0-7 with 0 and 7 both Sunday.
 * - AWS day-of-week takes no `/` step, so day-of-week is always written as explicit days.
 * - L, W, # and ? are not standard cron and are rejected, so every runner reads the same times.
 */

/**
 * The shape of a five-field cron: five whitespace-separated fields. The first gate every schedule
 * passes (config schema, component checks); the parsers below then read each field.
 */
export const FIVE_FIELD_CRON = /^(\S+\s+){4}\S+$/;

/** True when `cron` has the five-field shape (not yet whether each field reads). */
export function isFiveFieldCron(cron: string): boolean {
    return FIVE_FIELD_CRON.test(cron);
}

interface FieldSpec {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day-of-month", min: 1, max: 31 },
    {
        name: "month",
        min: 1,
        max: 12,
        names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    },
    // 7 is Sunday too; folded into 0 after parsing.
    { name: "day-of-week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

const SYSTEMD_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** A parsed five-field cron: the set of values each field matches, and the raw fields. */
export interface ParsedCron {
    readonly raw: readonly string[];
    readonly sets: readonly (readonly number[])[];
    /** True where a field matches every value of its range. */
    readonly full: readonly boolean[];
}

export type CronResult<T> = { ok: true; value: T } | { ok: false; message: string };

function parseValue(s: string, spec: FieldSpec): number | undefined {
    if (/^\d+$/.test(s)) return Number(s);
    const i = spec.names?.indexOf(s.toUpperCase()) ?? -1;
    if (i < 0) return undefined;
    // Month names count from 1, day names from 0 (SUN).
    return spec.min === 1 ? i + 1 : i;
}

function parseField(field: string, spec: FieldSpec): CronResult<number[]> {
    const values = new Set<number>();
    for (const item of field.split(",")) {
        const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
        if (!m) return { ok: false, message: `${spec.name} '${field}': '${item}' is not a value, range or step` };
        const [, base = "", stepText] = m;
        const step = stepText === undefined ? 1 : Number(stepText);
        if (step < 1) return { ok: false, message: `${spec.name} '${field}': a step must be 1 or more` };
        let lo: number;
        let hi: number;
        if (base === "*") {
            lo = spec.min;
            hi = spec.name === "day-of-week" ? 6 : spec.max;
        } else {
            const [a = "", b, ...rest] = base.split("-");
            const av = parseValue(a, spec);
            const bv = b === undefined ? undefined : parseValue(b, spec);
            if (rest.length > 0 || av === undefined || (b !== undefined && bv === undefined))
                return {
                    ok: false,
                    message: `${spec.name} '${field}': '${base}' is not supported (use numbers${spec.names ? " or names" : ""}, ranges a-b, lists and steps; L, W, # and ? are not standard cron)`,
                };
            lo = av;
            // Vixie cron: `a/n` means from a to the end of the range.
            hi = bv ?? (stepText === undefined ? av : spec.max);
        }
        if (lo < spec.min || hi > spec.max || lo > hi)
            return {
                ok: false,
                message: `${spec.name} '${field}': values must be within ${spec.min}-${spec.max}, low to high`,
            };
        for (let v = lo; v <= hi; v += step) values.add(spec.name === "day-of-week" ? v % 7 : v);
    }
    return { ok: true, value: [...values].sort((x, y) => x - y) };
}

/** Parses a five-field cron; a clear message names the field that cannot be read. */
export function parseCron(cron: string): CronResult<ParsedCron> {
    const raw = cron.trim().split(/\s+/);
    if (raw.length !== 5 || raw[0] === "")
        return { ok: false, message: `'${cron}' must have five fields: minute hour day-of-month month day-of-week` };
    const sets: number[][] = [];
    const full: boolean[] = [];
    for (let i = 0; i < 5; i++) {
        const spec = FIELDS[i]!;
        const r = parseField(raw[i]!, spec);
        if (!r.ok) return r;
        sets.push(r.value);
        const size = spec.name === "day-of-week" ? 7 : spec.max - spec.min + 1;
        full.push(r.value.length === size);
    }
    return { ok: true, value: { raw, sets, full } };
}

/** `1,2,3,5` → `1-3,5`: ranges for runs of three or more, so expressions stay short. */
function compact(values: readonly number[], show: (v: number) => string = String, sep = "-"): string {
    const out: string[] = [];
    let i = 0;
    while (i < values.length) {
        let j = i;
        while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
        if (j - i >= 2) out.push(`${show(values[i]!)}${sep}${show(values[j]!)}`);
        else for (let k = i; k <= j; k++) out.push(show(values[k]!));
        i = j + 1;
    }
    return out.join(",");
}

/** One AWS field for minute, hour, day-of-month or month. `*` and `* /n` keep their form. */
function awsField(raw: string, values: readonly number[], full: boolean, spec: FieldSpec): string {
    if (full) return "*";
    const step = /^\*\/(\d+)$/.exec(raw);
    // AWS documents steps as start/n (e.g. 0/15); `*/n` is rewritten to that form.
    if (step) return `${spec.min}/${step[1]}`;
    return compact(values);
}

/**
 * Converts a five-field cron to an EventBridge Scheduler expression,
 * `cron(minutes hours day-of-month month day-of-week year)`.
 */
export function toAwsCron(cron: string): CronResult<string> {
    const p = parseCron(cron);
    if (!p.ok) return p;
    const { raw, sets, full } = p.value;
    const domRestricted = !full[2];
    const dowRestricted = !full[4];
    if (domRestricted && dowRestricted)
        return {
            ok: false,
            message: `'${cron}' restricts both day-of-month and day-of-week; standard cron runs when EITHER matches, which neither AWS schedules nor systemd timers (the vm runner) can express. Set one of them to *`,
        };
    const f = (i: number) => awsField(raw[i]!, sets[i]!, full[i]!, FIELDS[i]!);
    const dom = dowRestricted ? "?" : f(2);
    // AWS numbers days 1-7 from SUN; standard cron 0-6 from SUN.
    const dow = dowRestricted ? compact(sets[4]!.map((d) => d + 1)) : "?";
    return { ok: true, value: `cron(${f(0)} ${f(1)} ${dom} ${f(3)} ${dow} *)` };
}

/**
 * Converts a five-field cron to a systemd `OnCalendar=` value in UTC (`DOW *-MONTH-DAY HH:MM:00 UTC`),
 * for the `vm` runner's timer. Uses the same rules as toAwsCron so both runners run at the same times.
 */
export function toSystemdOnCalendar(cron: string): CronResult<string> {
    // toAwsCron parses and applies the day rule; keeping one rule means both runners agree.
    const check = toAwsCron(cron);
    if (!check.ok) return check;
    const p = parseCron(cron);
    if (!p.ok) return p;
    const { sets, full } = p.value;
    const two = (v: number) => String(v).padStart(2, "0");
    // Plain comma lists: every systemd version reads them.
    const list = (i: number) => (full[i] ? "*" : sets[i]!.map(two).join(","));
    const dow = full[4] ? "" : `${compact(sets[4]!, (d) => SYSTEMD_DAYS[d]!, "..")} `;
    return { ok: true, value: `${dow}*-${list(3)}-${list(2)} ${list(1)}:${list(0)}:00 UTC` };
}

/**
 * toSystemdOnCalendar for the Azure and GCP `vm` runners, which report bad input as an InputError:
 * throws one at `keyPath` (e.g. `config.mlops:workload.data.schedule`) when the cron cannot be used.
 */
export function onCalendarOrThrow(cron: string, keyPath: string): string {
    const r = toSystemdOnCalendar(cron);
    if (!r.ok) throw new InputError([{ path: keyPath, message: r.message }]);
    return r.value;
}

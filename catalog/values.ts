/** Readers of planned inputs, which arrive as plain JSON-like values of unknown shape. */

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** The value at `path` inside `o`; undefined when a step is missing or not an object. */
export function get(o: unknown, ...path: string[]): unknown {
    let cur = o;
    for (const k of path) {
        if (!isObj(cur)) return undefined;
        cur = cur[k];
    }
    return cur;
}

/** A dotted path (`nodeConfig.resourceLabels`) read with `get`. */
export const at = (o: unknown, dotted: string): unknown => get(o, ...dotted.split("."));

/** A finite number, or a string holding one. */
export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

/** A non-empty string. */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** The value if it is an array, else []. */
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every object inside `v`, depth first (the value itself included). */
export function* walk(v: unknown): Generator<Obj> {
    if (Array.isArray(v)) for (const x of v) yield* walk(x);
    else if (isObj(v)) {
        yield v;
        for (const x of Object.values(v)) yield* walk(x);
    }
}

const CONTAINER_ID =
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/([^/]+)\/blobServices\/default\/containers\/([^/]+)$/i;

/** The account and container a blob container's resource id names, or undefined for anything else. */
export function containerOf(id: unknown): { account: string; container: string } | undefined {
    const m = typeof id === "string" ? CONTAINER_ID.exec(id) : null;
    return m ? { account: m[1]!, container: m[2]! } : undefined;
}

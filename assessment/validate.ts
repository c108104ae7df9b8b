import type { z } from "zod";
import { InputError, type InputProblem } from "../components/shared/errors";

/** Edit distance, for "did you mean" on a mistyped key. */
export function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0]!;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j]!;
            row[j] = Math.min(
                row[j]! + 1,
                row[j - 1]! + 1,
                prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
            );
            prev = cur;
        }
    }
    return row[b.length]!;
}

/** The closest known key to a mistyped one, if it is close enough to be a typo. */
export function suggest(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const k of known) {
        const d = distance(key, k);
        if (d < bestD) {
            best = k;
            bestD = d;
        }
    }
    return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function joinPath(prefix: string, path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, k) => {
        if (typeof k === "number") return `${acc}[${k}]`;
        return acc === "" ? String(k) : `${acc}.${String(k)}`;
    }, prefix);
}

/** Keys a strict object schema at `path` knows, for suggestions. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    // biome-ignore lint/suspicious/noExplicitAny: walking zod's internal definition tree
    let s: any = schema;
    const unwrap = () => {
        while (s?._zod?.def && ["optional", "default", "nullable", "pipe", "prefault"].includes(s._zod.def.type)) {
            s = s._zod.def.innerType ?? s._zod.def.in;
        }
    };
    unwrap();
    for (const k of path) {
        s = s?._zod?.def?.shape?.[k as string];
        unwrap();
    }
    const shape = s?._zod?.def?.shape;
    return shape ? Object.keys(shape) : [];
}

/** Turns zod issues into problems naming the file and the full key path. */
export function problemsFrom(
    error: z.ZodError,
    schema: z.ZodType,
    file: string | undefined,
    prefix: string,
): InputProblem[] {
    const out: InputProblem[] = [];
    // A mistyped key also makes the key it meant "required": say only the typo.
    const suggested = new Set<string>();
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            const known = knownKeysAt(schema, issue.path);
            for (const key of issue.keys) {
                const hint = suggest(key, known);
                if (hint) suggested.add(joinPath(prefix, [...issue.path, hint]));
                out.push({
                    file,
                    path: joinPath(prefix, [...issue.path, key]),
                    message: `unknown key${hint ? ` (did you mean '${hint}'?)` : ""}; known keys: ${known.join(", ")}`,
                });
            }
            continue;
        }
        let message = issue.message;
        if (issue.code === "invalid_type" && "input" in issue && issue.input === undefined) message = "is required";
        out.push({ file, path: joinPath(prefix, issue.path), message });
    }
    return out.filter((p) => !(p.message === "is required" && suggested.has(p.path)));
}

/** Parses `value` with `schema`, or throws one InputError naming the file and key paths. */
export function parseOrThrow<S extends z.ZodType>(
    schema: S,
    value: unknown,
    file: string | undefined,
    prefix: string,
): z.output<S> {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    throw new InputError(problemsFrom(r.error, schema, file, prefix));
}

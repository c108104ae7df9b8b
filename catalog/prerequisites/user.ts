import { isObj } from "../values";

// The options through which a team supplies an artifact itself (its own image, model or package):
// the team builds and pushes or uploads it before `pulumi up`, so a resource that reads it has its
// prerequisite met by the team. One list, read by the prerequisite check: an option that supplies
// an artifact is added here and nowhere else.

/**
 * An option whose values are object keys relative to the stack's artifacts store (`team/app.zip`),
 * not whole URIs: its value supplies the object of that key in any bucket (`s3://<bucket>/team/app.zip`).
 */
export interface KeyOption {
    readonly path: string;
    readonly key: true;
}

/**
 * Paths under `mlops:options` whose values are artifacts the team supplies: an image reference, an
 * object URI (`s3://`, `gs://`, `abfss://`) or a template path; or, given as a KeyOption, an object
 * key in the artifacts store. `*` stands for every key at that step. A value may be a string or a
 * list of strings. `streamingCode.*` on Azure is a local file, which no resource reads as an object.
 */
export const USER_SUPPLIED_OPTIONS: readonly (string | KeyOption)[] = [
    "images.*",
    { path: "streamingCode.*", key: true },
];

/** One artifact a team supplied, with the option it came from (`mlops:options.images.inference`). */
export interface UserSupplied {
    readonly option: string;
    readonly value: string;
    /** The value is an object key in the artifacts store (from a KeyOption), not a whole reference. */
    readonly key?: true;
}

/** The values at `path` (dotted, `*` for every key) inside `o`, with their concrete paths. */
function valuesAt(o: unknown, path: readonly string[], prefix: string): UserSupplied[] {
    if (path.length === 0) {
        if (typeof o === "string" && o !== "") return [{ option: prefix, value: o }];
        if (Array.isArray(o))
            return o.flatMap((v, i) =>
                typeof v === "string" && v !== "" ? [{ option: `${prefix}[${i}]`, value: v }] : [],
            );
        return [];
    }
    if (!isObj(o)) return [];
    const [step, ...rest] = path;
    const keys = step === "*" ? Object.keys(o) : Object.hasOwn(o, step!) ? [step!] : [];
    return keys.flatMap((k) => valuesAt(o[k], rest, `${prefix}.${k}`));
}

/** Every artifact the settings' options supply, from the paths of USER_SUPPLIED_OPTIONS. Pure. */
export function userSupplied(
    options: unknown,
    paths: readonly (string | KeyOption)[] = USER_SUPPLIED_OPTIONS,
): UserSupplied[] {
    return paths.flatMap((p) =>
        typeof p === "string"
            ? valuesAt(options, p.split("."), "mlops:options")
            : valuesAt(options, p.path.split("."), "mlops:options").map((u) => ({ ...u, key: true as const })),
    );
}

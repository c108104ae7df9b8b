import { isObj } from "../values";

// The options through which a team supplies an artifact itself (its own image, model, package or
// script): the team builds and pushes or uploads it before `pulumi up`, so a resource that reads it
// has its prerequisite met by the team. One list, read by the prerequisite check: an option that
// supplies an artifact is added here and nowhere else.

/**
 * How an option's value names the artifact: `reference`, the whole reference (an image reference,
 * an object URI `s3://`, `gs://`, `abfss://`, a template path), compared as written (images
 * normalized); `artifactKey`, a key relative to the stack's artifacts store (`team/spark/features.py`),
 * which the stack joins to the store's URI: it names the object whose key in its bucket or container
 * is exactly that key.
 */
export type SuppliedForm = "reference" | "artifactKey";

/** One option path that supplies artifacts, and how its values name them. */
export interface SuppliedOption {
    /** Dotted path under `mlops:options`; `*` stands for every key at that step. */
    readonly path: string;
    readonly form: SuppliedForm;
}

/**
 * Paths under `mlops:options` whose values are artifacts the team supplies. A value may be a string
 * or a list of strings.
 */
export const USER_SUPPLIED_OPTIONS: readonly SuppliedOption[] = [
    { path: "images.*", form: "reference" },
    { path: "sparkScripts.*", form: "artifactKey" },
    // On Azure a streamingCode value is a local file read into the job, which no resource reads as an
    // object: it matches nothing there.
    { path: "streamingCode.*", form: "artifactKey" },
];

/** One artifact a team supplied, with the option it came from (`mlops:options.images.inference`). */
export interface UserSupplied {
    readonly option: string;
    readonly value: string;
    /** How `value` names the artifact; `reference` when absent. */
    readonly form?: SuppliedForm;
}

/** The values at `path` (dotted, `*` for every key) inside `o`, with their concrete paths. */
function valuesAt(o: unknown, path: readonly string[], prefix: string): { option: string; value: string }[] {
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
    paths: readonly SuppliedOption[] = USER_SUPPLIED_OPTIONS,
): UserSupplied[] {
    return paths.flatMap((p) =>
        valuesAt(options, p.path.split("."), "mlops:options").map((u) =>
            p.form === "reference" ? u : { ...u, form: p.form },
        ),
    );
}

import { parseDocumentString } from "../machines/shapes";
import type { Prerequisite, Provided } from "../spec";
import { arr, at, isObj, str } from "../values";

// Readers shared by the clouds' prerequisite lists: a reference found at an input path becomes one
// Prerequisite, named by that path (`template.containers[0].image`; inside a document input,
// `definition#States.Run.Parameters.AppSpecification.ImageUri`).

/** One prerequisite when `ref` is a real string (not empty, not a secret marker). */
export function one(kind: Prerequisite["kind"], ref: unknown, input: string): Prerequisite[] {
    const s = str(ref);
    return s === undefined || s === "[secret]" ? [] : [{ kind, ref: s, input }];
}

/** The reference at a dotted input path. */
export const atPath = (inputs: unknown, kind: Prerequisite["kind"], path: string): Prerequisite[] =>
    one(kind, at(inputs, path), path);

/** The images of a list of containers at `path` (each container's `field`). */
export function containerImages(inputs: unknown, path: string, field = "image"): Prerequisite[] {
    return listed(at(inputs, path), path, field, "image");
}

/** The `field` of each item of `list`, named `path[n].field`. */
export function listed(list: unknown, path: string, field: string, kind: Prerequisite["kind"]): Prerequisite[] {
    return arr(list).flatMap((c, i) => one(kind, isObj(c) ? c[field] : undefined, `${path}[${i}].${field}`));
}

/** The images of a Kubernetes pod spec (`spec`, found at `path`): its containers and init containers. */
export const podSpecImages = (spec: unknown, path: string): Prerequisite[] => [
    ...listed(at(spec, "containers"), `${path}.containers`, "image", "image"),
    ...listed(at(spec, "initContainers"), `${path}.initContainers`, "image", "image"),
];

/** Every value of `key` anywhere inside `v`, with its path from `base`. */
export function* valuesOf(v: unknown, key: string, base: string): Generator<{ value: unknown; path: string }> {
    if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) yield* valuesOf(x, key, `${base}[${i}]`);
        return;
    }
    if (!isObj(v)) return;
    for (const [k, x] of Object.entries(v)) {
        const path = base === "" ? k : base.endsWith("#") ? `${base}${k}` : `${base}.${k}`;
        if (k === key) yield { value: x, path };
        yield* valuesOf(x, key, path);
    }
}

/** References under `keys` (`AppSpecification.ImageUri`: the last key under the one before) inside a document input. */
export function inDocument(
    inputs: unknown,
    input: string,
    wanted: readonly [string, Prerequisite["kind"]][],
): Prerequisite[] {
    const doc = parseDocumentString(at(inputs, input));
    if (doc === undefined) return [];
    const out: Prerequisite[] = [];
    for (const [keys, kind] of wanted) {
        const [first = "", ...rest] = keys.split(".");
        for (const { value, path } of valuesOf(doc, first, `${input}#`)) {
            const ref = rest.length === 0 ? value : at(value, rest.join("."));
            out.push(...one(kind, ref, rest.length === 0 ? path : `${path}.${rest.join(".")}`));
        }
    }
    return out;
}

/** `s3://bucket/key` of an S3 ARN (`arn:aws:s3:::bucket`) and a key. */
export function s3Uri(bucketArn: unknown, key: unknown): string | undefined {
    const bucket = str(bucketArn)?.replace(/^arn:[^:]+:s3:::/, "");
    const k = str(key);
    return bucket && k ? `s3://${bucket}/${k.replace(/^\//, "")}` : undefined;
}

/** One provided thing when `ref` is a real string. */
export function provided(kind: Provided["kind"], ref: unknown): Provided[] {
    const s = str(ref);
    return s === undefined || s === "[secret]" ? [] : [{ kind, ref: s }];
}

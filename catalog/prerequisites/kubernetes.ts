import type { Prerequisite } from "../spec";
import { arr, at, get, isObj, type Obj, str } from "../values";
import { podSpecImages } from "./read";

// What Kubernetes objects need in place before they run: the images of their pods, and the bucket
// objects their containers are told to read (an argument or an environment value that names one
// object: a model server's `--model_dir=s3://…/model.joblib`, a job's `MLOPS_JOBS_PACKAGE`).

/**
 * The object a URL names, in the form the upload types' `provides` give (`s3://bucket/key`,
 * `gs://bucket/key`, `abfss://container@account.dfs.core.windows.net/key`, an Azure blob URL
 * rewritten to the latter); undefined for a bucket, a prefix (a URL ending in `/`, where a job
 * writes) or anything that is not a storage URL. Pure.
 */
export function objectRef(url: string): string | undefined {
    const key = (k: string) => (k !== "" && !k.endsWith("/") ? k : undefined);
    const plain = /^(s3|gs):\/\/([^/]+)\/(.*)$/.exec(url);
    if (plain) return key(plain[3]!) && `${plain[1]}://${plain[2]}/${plain[3]}`;
    const blob = /^https:\/\/([a-z0-9]+)\.blob\.core\.windows\.net\/([^/]+)\/(.*)$/.exec(url);
    if (blob) return key(blob[3]!) && `abfss://${blob[2]}@${blob[1]}.dfs.core.windows.net/${blob[3]}`;
    const lake = /^abfss:\/\/([^@/]+)@([^/]+)\/(.*)$/.exec(url);
    if (lake) return key(lake[3]!) && url;
    return undefined;
}

/** The objects one container's args (`--flag=URL` or `URL`) and plain env values name. */
function containerObjects(c: unknown, path: string): Prerequisite[] {
    const found: Prerequisite[] = [];
    for (const [i, a] of arr(get(c, "args")).entries()) {
        const ref = objectRef(str(a)?.replace(/^--?[\w.-]+=/, "") ?? "");
        if (ref) found.push({ kind: "object", ref, input: `${path}.args[${i}]` });
    }
    for (const [i, e] of arr(get(c, "env")).entries()) {
        const ref = isObj(e) ? objectRef(str(e["value"]) ?? "") : undefined;
        if (ref) found.push({ kind: "object", ref, input: `${path}.env[${i}].value` });
    }
    return found;
}

/** A pod spec's prerequisites: its images and the objects its containers read. */
function podSpecNeeds(spec: unknown, path: string): Prerequisite[] {
    return [
        ...podSpecImages(spec, path),
        ...(["containers", "initContainers"] as const).flatMap((list) =>
            arr(at(spec, list)).flatMap((c, n) => containerObjects(c, `${path}.${list}[${n}]`)),
        ),
    ];
}

/** The prerequisites of a workload whose pod spec sits at `path`. */
export const podImages =
    (path: string) =>
    (i: Obj): Prerequisite[] =>
        podSpecNeeds(at(i, path), path);

/** A KubeRay RayCluster: its head group's and every worker group's pods. */
export const rayCluster = (i: Obj): Prerequisite[] => [
    ...podSpecNeeds(at(i, "spec.headGroupSpec.template.spec"), "spec.headGroupSpec.template.spec"),
    ...arr(at(i, "spec.workerGroupSpecs")).flatMap((g, n) =>
        podSpecNeeds(at(g, "template.spec"), `spec.workerGroupSpecs[${n}].template.spec`),
    ),
];

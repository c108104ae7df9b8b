import { parseDocumentString } from "../machines/shapes";
import type { Prerequisite, Provided } from "../spec";
import { arr, at, containerOf, get, isObj, type Obj, str } from "../values";
import { containerImages, one, provided } from "./read";

// What Azure resource types need in place before they are created or run, and what they put in place.

/**
 * Documents a container hands to the service it drives, in an environment variable: a Livy batch
 * (`file`: the Spark entry script) or an Azure Batch task (`containerSettings.imageName`).
 */
function envDocuments(i: Obj, path: string): Prerequisite[] {
    return arr(at(i, path)).flatMap((c, n) =>
        arr(get(c, "env")).flatMap((e, m) => {
            const value = str(get(e, "value"));
            if (!value?.trimStart().startsWith("{")) return [];
            const doc = parseDocumentString(value);
            if (!isObj(doc)) return [];
            const input = `${path}[${n}].env[${m}].value`;
            return [
                ...one("object", doc["file"], `${input}#file`),
                ...one("image", get(doc, "containerSettings", "imageName"), `${input}#containerSettings.imageName`),
            ];
        }),
    );
}

/** A container app or Container Apps job: its images, and what the documents it submits name. */
export const containerApp = (i: Obj): Prerequisite[] => [
    ...containerImages(i, "template.containers"),
    ...containerImages(i, "template.initContainers"),
    ...envDocuments(i, "template.containers"),
];

const POOL_IMAGES = "deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerImageNames";

/** A Batch pool: the container images its nodes prefetch and its start task's image. */
export const batchPool = (i: Obj): Prerequisite[] => [
    ...arr(at(i, POOL_IMAGES)).flatMap((ref, n) => one("image", ref, `${POOL_IMAGES}[${n}]`)),
    ...one("image", at(i, "startTask.containerSettings.imageName"), "startTask.containerSettings.imageName"),
];

/**
 * A classic-provider blob: `abfss://container@account.dfs.core.windows.net/blob`, as the stack's jobs
 * address files; the account and container come from `storageContainerId`.
 */
export const classicBlob = (i: Obj): Provided[] => {
    const container = containerOf(i["storageContainerId"]);
    const name = str(i["name"]);
    return provided(
        "object",
        container && name
            ? `abfss://${container.container}@${container.account}.dfs.core.windows.net/${name}`
            : undefined,
    );
};

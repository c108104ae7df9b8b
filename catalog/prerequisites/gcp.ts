import { parseDocumentString } from "../machines/shapes";
import type { Prerequisite, Provided } from "../spec";
import { arr, at, isObj, type Obj, str } from "../values";
import { atPath, containerImages, inDocument, one, provided } from "./read";

// What GCP resource types need in place before they are created or run, and what they put in place.

/**
 * Parameters of Google's Dataflow templates that name a file the launcher or the workers read when
 * the job starts: a JavaScript or Python UDF.
 */
const TEMPLATE_FILE_PARAMETERS = ["javascriptTextTransformGcsPath", "pythonExternalTextTransformGcsPath"] as const;

/** A Dataflow Flex Template job: its template file (which names the launcher image) and its UDF files. */
export const flexTemplateJob = (i: Obj): Prerequisite[] => [
    ...atPath(i, "template", "containerSpecGcsPath"),
    ...TEMPLATE_FILE_PARAMETERS.flatMap((p) => atPath(i, "object", `parameters.${p}`)),
];

/** A classic Dataflow template job: its template and its UDF files. */
export const dataflowJob = (i: Obj): Prerequisite[] => [
    ...atPath(i, "template", "templateGcsPath"),
    ...TEMPLATE_FILE_PARAMETERS.flatMap((p) => atPath(i, "object", `parameters.${p}`)),
];

/** A Dataproc workflow template: each step's PySpark entry script and Python files, or Spark jar. */
export const workflowTemplate = (i: Obj): Prerequisite[] =>
    arr(i["jobs"]).flatMap((step, n) => [
        ...one("object", at(step, "pysparkJob.mainPythonFileUri"), `jobs[${n}].pysparkJob.mainPythonFileUri`),
        ...arr(at(step, "pysparkJob.pythonFileUris")).flatMap((f, m) =>
            one("object", f, `jobs[${n}].pysparkJob.pythonFileUris[${m}]`),
        ),
        ...one("object", at(step, "sparkJob.mainJarFileUri"), `jobs[${n}].sparkJob.mainJarFileUri`),
    ]);

/**
 * A Cloud Run service: its containers' images, and the model file (`MODEL_URI`, a `gs://` file) of
 * a container the stack starts with arguments of its own, as it starts the reference model server,
 * which loads that model before the revision becomes ready. A team's image runs as it is, with no
 * arguments, and is not held to the hint.
 */
export const cloudRunService = (i: Obj): Prerequisite[] => [
    ...containerImages(i, "template.containers"),
    ...arr(at(i, "template.containers")).flatMap((c, n) => {
        if (!isObj(c) || arr(c["args"]).length === 0) return [];
        const envs = arr(c["envs"]);
        const at_ = envs.findIndex((e) => isObj(e) && e["name"] === "MODEL_URI");
        const model = str(isObj(envs[at_]) ? (envs[at_] as Obj)["value"] : undefined);
        return model?.startsWith("gs://") && !model.endsWith("/")
            ? one("object", model, `template.containers[${n}].envs[${at_}].value`)
            : [];
    }),
];

/** A Cloud Run job: its task containers' images. */
export const cloudRunJob = (i: Obj): Prerequisite[] => containerImages(i, "template.template.containers");

/**
 * The files a Batch task reads from its Cloud Storage volumes: every command argument and
 * environment value that names a file (not a folder ending in `/`) under a volume's mount path is
 * the object `gs://<remotePath>/<rest>`. Outputs are folders by the project's convention.
 */
function batchTaskObjects(taskSpec: unknown, base: string): Prerequisite[] {
    const mounts = arr(at(taskSpec, "volumes")).flatMap((v) => {
        const remote = str(at(v, "gcs.remotePath"));
        const mountPath = str(at(v, "mountPath"));
        return remote && mountPath
            ? [{ remote: remote.replace(/\/+$/, ""), mountPath: mountPath.replace(/\/+$/, "") }]
            : [];
    });
    const asObject = (value: unknown): string | undefined => {
        const s = str(value);
        if (s === undefined || s.endsWith("/")) return undefined;
        const m = mounts.find((x) => s.startsWith(`${x.mountPath}/`));
        return m ? `gs://${m.remote}/${s.slice(m.mountPath.length + 1)}` : undefined;
    };
    const out: Prerequisite[] = arr(at(taskSpec, "runnables")).flatMap((r, n) =>
        arr(at(r, "container.commands")).flatMap((c, m) =>
            one("object", asObject(c), `${base}.runnables[${n}].container.commands[${m}]`),
        ),
    );
    const vars = at(taskSpec, "environment.variables");
    if (isObj(vars))
        for (const [k, v] of Object.entries(vars))
            out.push(...one("object", asObject(v), `${base}.environment.variables.${k}`));
    return out;
}

/**
 * A workflow: what the Batch jobs it creates run, read from its source: their images, and the
 * files their commands and environment name under the buckets they mount.
 */
export const workflow = (i: Obj): Prerequisite[] => {
    const doc = parseDocumentString(i["sourceContents"]);
    const objects: Prerequisite[] = [];
    const visit = (v: unknown, path: string): void => {
        if (Array.isArray(v)) {
            for (const [n, x] of v.entries()) visit(x, `${path}[${n}]`);
        } else if (isObj(v))
            for (const [k, x] of Object.entries(v)) {
                const p = path.endsWith("#") ? `${path}${k}` : `${path}.${k}`;
                if (k === "taskSpec") objects.push(...batchTaskObjects(x, p));
                else visit(x, p);
            }
    };
    visit(doc, "sourceContents#");
    return [...inDocument(i, "sourceContents", [["container.imageUri", "image"]]), ...objects];
};

/** A Cloud Storage object: `gs://bucket/name`. */
export const bucketObject = (i: Obj): Provided[] => {
    const [bucket, name] = [str(i["bucket"]), str(i["name"])];
    return provided("object", bucket && name ? `gs://${bucket}/${name}` : undefined);
};

/**
 * An Artifact Registry remote repository of Docker Hub: a pull-through mirror. An image
 * `<location>-docker.pkg.dev/<project>/<repository>/<path>:<tag>` is Docker Hub's `<path>:<tag>`,
 * fetched from Docker Hub when first pulled. Standard repositories provide nothing by themselves:
 * what is pushed to them does.
 */
export const remoteRepository = (i: Obj): Provided[] => {
    const [location, project, id] = [str(i["location"]), str(i["project"]), str(i["repositoryId"])];
    const dockerHub =
        i["mode"] === "REMOTE_REPOSITORY" &&
        i["format"] === "DOCKER" &&
        at(i, "remoteRepositoryConfig.dockerRepository.publicRepository") === "DOCKER_HUB";
    if (!dockerHub || !location || !project || !id) return [];
    return [{ kind: "image", ref: `${location}-docker.pkg.dev/${project}/${id}/`, mirrorOf: "docker.io/" }];
};

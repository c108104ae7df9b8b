import type { Prerequisite, Provided } from "../spec";
import { arr, at, type Obj, str } from "../values";
import { atPath, containerImages, inDocument, one, provided } from "./read";

// What GCP resource types need in place before they are created or run, and what they put in place.

/** A Dataflow Flex Template job: its template file (which names the launcher image). */
export const flexTemplateJob = (i: Obj): Prerequisite[] => atPath(i, "template", "containerSpecGcsPath");

/** A classic Dataflow template job: its template file. */
export const dataflowJob = (i: Obj): Prerequisite[] => atPath(i, "template", "templateGcsPath");

/** A Dataproc workflow template: each step's PySpark entry script and Python files, or Spark jar. */
export const workflowTemplate = (i: Obj): Prerequisite[] =>
    arr(i["jobs"]).flatMap((step, n) => [
        ...one("object", at(step, "pysparkJob.mainPythonFileUri"), `jobs[${n}].pysparkJob.mainPythonFileUri`),
        ...arr(at(step, "pysparkJob.pythonFileUris")).flatMap((f, m) =>
            one("object", f, `jobs[${n}].pysparkJob.pythonFileUris[${m}]`),
        ),
        ...one("object", at(step, "sparkJob.mainJarFileUri"), `jobs[${n}].sparkJob.mainJarFileUri`),
    ]);

/** A Cloud Run service: its containers' images. */
export const cloudRunService = (i: Obj): Prerequisite[] => containerImages(i, "template.containers");

/** A Cloud Run job: its task containers' images. */
export const cloudRunJob = (i: Obj): Prerequisite[] => containerImages(i, "template.template.containers");

/** A workflow: the images of the Batch jobs it creates, read from its source. */
export const workflow = (i: Obj): Prerequisite[] => inDocument(i, "sourceContents", [["container.imageUri", "image"]]);

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

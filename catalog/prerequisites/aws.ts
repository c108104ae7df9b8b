import { parseDocumentString } from "../machines/shapes";
import type { Prerequisite, Provided } from "../spec";
import { arr, at, type Obj, str } from "../values";
import { atPath, containerImages, inDocument, listed, one, provided, s3Uri, valuesOf } from "./read";

// What AWS resource types need in place before they are created or run, and what they put in place.

/** A SageMaker model: its image and model artifact, single-container or multi-container. */
export const sagemakerModel = (i: Obj): Prerequisite[] => [
    ...atPath(i, "image", "primaryContainer.image"),
    ...atPath(i, "object", "primaryContainer.modelDataUrl"),
    ...containerImages(i, "containers"),
    ...listed(at(i, "containers"), "containers", "modelDataUrl", "object"),
];

const FLINK_CODE = "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation";

/** A Managed Service for Apache Flink application: its code in S3. */
export const flinkApplication = (i: Obj): Prerequisite[] =>
    one("object", s3Uri(at(i, `${FLINK_CODE}.bucketArn`), at(i, `${FLINK_CODE}.fileKey`)), `${FLINK_CODE}.fileKey`);

/** An EMR Serverless application: its custom image, when it has one. */
export const emrServerlessApplication = (i: Obj): Prerequisite[] => atPath(i, "image", "imageConfiguration.imageUri");

/**
 * A state machine: what the jobs it starts run (SageMaker processing and training images, a
 * model's image and artifact, EMR Serverless entry scripts), read from its Amazon States Language
 * definition.
 */
export const stateMachine = (i: Obj): Prerequisite[] => [
    ...inDocument(i, "definition", [
        ["AppSpecification.ImageUri", "image"],
        ["AlgorithmSpecification.TrainingImage", "image"],
        ["PrimaryContainer.Image", "image"],
        ["PrimaryContainer.ModelDataUrl", "object"],
        ["SparkSubmit.EntryPoint", "object"],
        // What a processing job copies in and a training job's channels: they must exist when it runs.
        ["S3Input.S3Uri", "object"],
        ["S3DataSource.S3Uri", "object"],
    ]),
    ...sparkFiles(i),
];

/** Whether `uri` is an object the stack uploads, `s3://<bucket>/samples/…`. */
const isSample = (uri: string | undefined): boolean => /^s3:\/\/[^/]+\/samples\//.test(uri ?? "");

/**
 * Files a Spark job reads besides its entry script: `--py-files` (comma-separated) in its
 * spark-submit flags, and the sample model an entry script is given with `--model-uri`.
 */
function sparkFiles(i: Obj): Prerequisite[] {
    const doc = parseDocumentString(at(i, "definition"));
    if (doc === undefined) return [];
    const out: Prerequisite[] = [];
    for (const { value, path } of valuesOf(doc, "SparkSubmitParameters", "definition#")) {
        const files = /(?:^|\s)--py-files\s+(\S+)/.exec(str(value) ?? "")?.[1];
        for (const f of files?.split(",") ?? []) out.push(...one("object", f, path));
    }
    for (const { value, path } of valuesOf(doc, "EntryPointArguments", "definition#")) {
        const args = arr(value).map((a) => str(a) ?? "");
        // Only the sample model is the stack's to put in place; a team's scoring script is given the
        // stack's model path, which training runs (or the team) write: nothing a plan can create.
        const at = args.indexOf("--model-uri");
        if (at >= 0 && isSample(args[at + 1])) out.push(...one("object", args[at + 1], `${path}[${at + 1}]`));
    }
    return out;
}

/** An S3 object (either generation of the resource): `s3://bucket/key`, the bucket given by name or ARN. */
export const bucketObject = (i: Obj): Provided[] => provided("object", s3Uri(i["bucket"], i["key"]));

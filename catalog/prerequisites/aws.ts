import type { Prerequisite, Provided } from "../spec";
import { at, type Obj } from "../values";
import { atPath, containerImages, inDocument, listed, one, provided, s3Uri } from "./read";

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
export const stateMachine = (i: Obj): Prerequisite[] =>
    inDocument(i, "definition", [
        ["AppSpecification.ImageUri", "image"],
        ["AlgorithmSpecification.TrainingImage", "image"],
        ["PrimaryContainer.Image", "image"],
        ["PrimaryContainer.ModelDataUrl", "object"],
        ["SparkSubmit.EntryPoint", "object"],
    ]);

/** An S3 object (either generation of the resource): `s3://bucket/key`, the bucket given by name or ARN. */
export const bucketObject = (i: Obj): Provided[] => provided("object", s3Uri(i["bucket"], i["key"]));

import { Provider } from "@pulumi/aws/provider";
import { awsBatchJobKit } from "../batch-job/aws";
import { DEFAULT_SKLEARN_IMAGE } from "../blocks/aws/images";
import { onFirstUse } from "../capability";
import { awsEndpointKit } from "../endpoint/aws";
import { AwsFoundation } from "../foundation/aws";
import { awsRegistryKit } from "../registry/aws";
import { awsSparkKit } from "../spark/aws";
import { awsStreamingKit } from "../streaming/aws";
import { awsTrainingJobKit } from "../training-job/aws";
import type { CloudKit } from "./kit";

/**
 * AWS: S3 + KMS + a private VPC as the foundation; SageMaker processing and training jobs run by
 * Step Functions for level 1. Default images are SageMaker prebuilt images written without a
 * registry host (`<repository>:<tag>`), resolved to the stack region's registry at deploy time:
 * scikit-learn 1.2-1 for every pipeline, which runs the reference pipeline (jobs/) as shipped.
 */
export const awsKit: CloudKit = {
    cloud: "aws",
    defaultImages: () => ({
        data: DEFAULT_SKLEARN_IMAGE,
        // The reference model is scikit-learn (jobs/): the same container trains it as scores it.
        training: DEFAULT_SKLEARN_IMAGE,
        inference: DEFAULT_SKLEARN_IMAGE,
    }),
    provider: (region) => new Provider("aws", { region }),
    foundation: (name, args, opts) => new AwsFoundation(name, args, opts),
    batchJob: awsBatchJobKit,
    trainingJob: awsTrainingJobKit,
    spark: awsSparkKit,
    streaming: awsStreamingKit,
    registry: awsRegistryKit,
    endpoint: awsEndpointKit,
    kubernetes: onFirstUse(() => (require("../kubernetes/aws") as typeof import("../kubernetes/aws")).awsKubernetesKit),
};

import { Provider } from "@pulumi/aws/provider";
import { checkBatchJobArgs } from "../batch-job";
import { AwsBatchJob } from "../batch-job/aws";
import { DEFAULT_PYTORCH_TRAINING_IMAGE, DEFAULT_SKLEARN_IMAGE } from "../blocks/aws/images";
import { awsEndpointKit } from "../endpoint/aws";
import { AwsFoundation } from "../foundation/aws";
import { EC2_MACHINES, SAGEMAKER_MACHINES } from "../machines/aws";
import { machineProblems } from "../machines/index";
import { awsRegistryKit } from "../registry/aws";
import { toAwsCron, toSystemdOnCalendar } from "../shared/cron";
import type { InputProblem } from "../shared/errors";
import { awsSparkKit } from "../spark/aws";
import { awsStreamingKit } from "../streaming/aws";
import { checkTrainingJobArgs } from "../training-job";
import { AwsTrainingJob, MAX_TRAINING_RUNTIME_SECONDS } from "../training-job/aws";
import { type CloudKit, onFirstUse, underWorkload } from "./index";

/**
 * AWS: S3 + KMS + a private VPC as the foundation; SageMaker processing and training jobs run by
 * Step Functions for level 1. Default images are SageMaker prebuilt images written without a
 * registry host (`<repository>:<tag>`), resolved to the stack region's registry at deploy time.
 */
export const awsKit: CloudKit = {
    cloud: "aws",
    defaultImages: () => ({
        data: DEFAULT_SKLEARN_IMAGE,
        training: DEFAULT_PYTORCH_TRAINING_IMAGE,
        inference: DEFAULT_SKLEARN_IMAGE,
    }),
    provider: (region) => new Provider("aws", { region }),
    foundation: (name, args, opts) => new AwsFoundation(name, args, opts),
    batchJob: (name, args, opts) => new AwsBatchJob(name, args, opts),
    trainingJob: (name, args, opts) => new AwsTrainingJob(name, args, opts),
    spark: awsSparkKit,
    streaming: awsStreamingKit,
    registry: awsRegistryKit,
    endpoint: awsEndpointKit,
    kubernetes: onFirstUse(() => (require("../kubernetes/aws") as typeof import("../kubernetes/aws")).awsKubernetesKit),
    checks: {
        batchJob: (a) => {
            const runner = a.runner ?? "serverless";
            const p: InputProblem[] = checkBatchJobArgs(a);
            if (p.every((x) => x.path !== "schedule")) {
                const when = runner === "vm" ? toSystemdOnCalendar(a.schedule) : toAwsCron(a.schedule);
                if (!when.ok) p.push({ path: "schedule", message: when.message });
            }
            return [
                ...underWorkload(a.pipeline, p),
                ...machineProblems(
                    runner === "vm" ? EC2_MACHINES : SAGEMAKER_MACHINES,
                    a.volumeGb,
                    false,
                    `config.mlops:workload.${a.pipeline}.volumeGb`,
                ),
            ];
        },
        trainingJob: (a) => {
            const p: InputProblem[] = checkTrainingJobArgs(a);
            if (a.slaHours * 3600 > MAX_TRAINING_RUNTIME_SECONDS)
                p.push({
                    path: "slaHours",
                    message: "must be at most 672 (28 days), SageMaker's longest training run",
                });
            return [
                ...underWorkload("training", p),
                ...machineProblems(SAGEMAKER_MACHINES, a.datasetGb, a.gpu, "config.mlops:workload.training.datasetGb"),
            ];
        },
    },
};

import { Provider } from "@pulumi/gcp/provider";
import type * as pulumi from "@pulumi/pulumi";
import { checkBatchJobArgs } from "../batch-job";
import { checkGcpBatchJobArgs, GcpBatchJob } from "../batch-job/gcp";
import { gcpEndpointKit } from "../endpoint/gcp";
import type { Foundation } from "../foundation";
import { asFoundation } from "../foundation";
import { GcpFoundation, gcpProject } from "../foundation/gcp";
import { GCP_MACHINES } from "../machines/gcp";
import { machineProblems } from "../machines/index";
import { gcpRegistryKit } from "../registry/gcp";
import { gcpSparkKit } from "../spark/gcp";
import { gcpStreamingKit } from "../streaming/gcp";
import { checkTrainingJobArgs } from "../training-job";
import { checkGcpTrainingJobArgs, GcpTrainingJob } from "../training-job/gcp";
import { type CloudKit, onFirstUse, underWorkload } from "./index";

/** The level components need the GCP foundation's network and service account fields. */
function gcpFoundation(f: Foundation): GcpFoundation {
    return asFoundation(f, GcpFoundation, "GCP");
}

/**
 * Google's Deep Learning Containers, hosted in Artifact Registry (us-docker.pkg.dev), so jobs pull
 * them over Private Google Access without any NAT. Placeholders a team replaces with its own images
 * via mlops:options.images (ideally in an Artifact Registry repository in the stack's region).
 */
export const GCP_DEFAULT_IMAGES = {
    data: "us-docker.pkg.dev/deeplearning-platform-release/gcr.io/base-cpu.py310",
    training: "us-docker.pkg.dev/deeplearning-platform-release/gcr.io/pytorch-gpu.2-4.py310",
    inference: "us-docker.pkg.dev/deeplearning-platform-release/gcr.io/base-cpu.py310",
} as const;

export const gcpKit: CloudKit = {
    cloud: "gcp",
    defaultImages: GCP_DEFAULT_IMAGES,
    provider(region: string): pulumi.ProviderResource {
        // An explicit provider ignores gcp:project in stack config unless it is passed on.
        return new Provider("gcp", { project: gcpProject(), region });
    },
    foundation: (name, args, opts) => new GcpFoundation(name, args, opts),
    batchJob: (name, args, opts) =>
        new GcpBatchJob(name, { ...args, foundation: gcpFoundation(args.foundation) }, opts),
    trainingJob: (name, args, opts) =>
        new GcpTrainingJob(name, { ...args, foundation: gcpFoundation(args.foundation) }, opts),
    spark: gcpSparkKit,
    streaming: gcpStreamingKit,
    registry: gcpRegistryKit,
    endpoint: gcpEndpointKit,
    kubernetes: onFirstUse(() => (require("../kubernetes/gcp") as typeof import("../kubernetes/gcp")).gcpKubernetesKit),
    checks: {
        batchJob: (a) => [
            ...underWorkload(a.pipeline, [...checkBatchJobArgs(a), ...checkGcpBatchJobArgs(a)]),
            ...machineProblems(GCP_MACHINES, a.volumeGb, false, `config.mlops:workload.${a.pipeline}.volumeGb`),
        ],
        trainingJob: (a) => [
            ...underWorkload("training", checkTrainingJobArgs(a)),
            ...checkGcpTrainingJobArgs(a),
            ...machineProblems(GCP_MACHINES, a.datasetGb, a.gpu, "config.mlops:workload.training.datasetGb"),
        ],
    },
};

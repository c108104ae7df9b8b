import { Provider } from "@pulumi/gcp/provider";
import type * as pulumi from "@pulumi/pulumi";
import { checkBatchJobArgs } from "../batch-job";
import { checkGcpBatchJobArgs, GcpBatchJob } from "../batch-job/gcp";
import { gcpEndpointKit } from "../endpoint/gcp";
import type { Foundation } from "../foundation";
import { asFoundation } from "../foundation";
import { GcpFoundation, gcpProject, imageMirrorPath } from "../foundation/gcp";
import { GCP_MACHINES } from "../machines/gcp";
import { machineProblems } from "../machines/index";
import { gcpRegistryKit } from "../registry/gcp";
import { gcpSparkKit } from "../spark/gcp";
import { gcpStreamingKit } from "../streaming/gcp";
import { checkTrainingJobArgs } from "../training-job";
import { checkGcpTrainingJobArgs, GcpTrainingJob } from "../training-job/gcp";
import { type CloudKit, type ImageSite, onFirstUse, underWorkload } from "./index";

/** The level components need the GCP foundation's network and service account fields. */
function gcpFoundation(f: Foundation): GcpFoundation {
    return asFoundation(f, GcpFoundation, "GCP");
}

/**
 * Docker Hub's official Python image and PyTorch's own CUDA image (which runs on CPU too), pulled
 * through the foundation's Docker Hub mirror (an Artifact Registry remote repository) over Private
 * Google Access, without any NAT. Google's Deep Learning Containers list an end of availability in
 * 2026 for every PyTorch family, so they are no longer a default. Placeholders a team replaces with
 * its own images via mlops:options.images.
 */
export const GCP_DOCKER_HUB_IMAGES = {
    data: "library/python:3.12-slim",
    training: "pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime",
    inference: "library/python:3.12-slim",
} as const;

/** The default images of a stack: Docker Hub images under its mirror's path. Pure. */
export function gcpDefaultImages(at: ImageSite): Record<keyof typeof GCP_DOCKER_HUB_IMAGES, string> {
    // A missing gcp:project is reported by the foundation; the path only needs to be well formed here.
    const project = typeof at.config["gcp:project"] === "string" ? at.config["gcp:project"] : "project";
    const mirror = imageMirrorPath(project, at.project, at.stack, at.region);
    return {
        data: `${mirror}/${GCP_DOCKER_HUB_IMAGES.data}`,
        training: `${mirror}/${GCP_DOCKER_HUB_IMAGES.training}`,
        inference: `${mirror}/${GCP_DOCKER_HUB_IMAGES.inference}`,
    };
}

export const gcpKit: CloudKit = {
    cloud: "gcp",
    defaultImages: gcpDefaultImages,
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

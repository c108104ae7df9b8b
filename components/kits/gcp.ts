import { Provider } from "@pulumi/gcp/provider";
import type * as pulumi from "@pulumi/pulumi";
import { gcpBatchJobKit } from "../batch-job/gcp";
import { gcpProject } from "../blocks/gcp/project";
import { onFirstUse } from "../capability";
import { gcpEndpointKit } from "../endpoint/gcp";
import { GcpFoundation, imageMirrorPath } from "../foundation/gcp";
import { gcpRegistryKit } from "../registry/gcp";
import { gcpSparkKit } from "../spark/gcp";
import { gcpStreamingKit } from "../streaming/gcp";
import { gcpTrainingJobKit } from "../training-job/gcp";
import type { CloudKit, ImageSite } from "./kit";

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
    batchJob: gcpBatchJobKit,
    trainingJob: gcpTrainingJobKit,
    spark: gcpSparkKit,
    streaming: gcpStreamingKit,
    registry: gcpRegistryKit,
    endpoint: gcpEndpointKit,
    kubernetes: onFirstUse(() => (require("../kubernetes/gcp") as typeof import("../kubernetes/gcp")).gcpKubernetesKit),
};

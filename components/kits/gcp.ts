import { Provider } from "@pulumi/gcp/provider";
import type * as pulumi from "@pulumi/pulumi";
import { gcpBatchJobKit } from "../batch-job/gcp";
import { gcpProject } from "../blocks/gcp/project";
import { REFERENCE_IMAGE } from "../blocks/gcp/reference";
import { onFirstUse } from "../capability";
import { gcpEndpointKit } from "../endpoint/gcp";
import { GcpFoundation, imageMirrorPath } from "../foundation/gcp";
import { gcpRegistryKit } from "../registry/gcp";
import { gcpSparkKit } from "../spark/gcp";
import { gcpStreamingKit } from "../streaming/gcp";
import { gcpTrainingJobKit } from "../training-job/gcp";
import type { CloudKit, ImageSite } from "./kit";

/**
 * The reference image (KServe's scikit-learn server, pinned by its release tag) for every pipeline:
 * Python with scikit-learn, pandas and numpy, which the GCP jobs run the reference pipeline in
 * (jobs/, entrypoint replaced by `python`) and the endpoint serves the sample model with. Pulled
 * through the foundation's Docker Hub mirror (an Artifact Registry remote repository) over Private
 * Google Access, without any NAT. A team replaces it with its own image via mlops:options.images,
 * which then runs its own entrypoint.
 */
export const GCP_DOCKER_HUB_IMAGES = {
    data: REFERENCE_IMAGE,
    training: REFERENCE_IMAGE,
    inference: REFERENCE_IMAGE,
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

import type * as pulumi from "@pulumi/pulumi";
import type { BatchJob, BatchJobArgs } from "../batch-job";
import type { Foundation, FoundationArgs } from "../foundation";
import type { Cloud } from "../shared/clouds";
import type { TrainingJob, TrainingJobArgs } from "../training-job";

/**
 * One cloud's implementation of every capability. The stack program only sees this interface, so
 * it composes levels without any cloud detail; each cloud's kit imports only its own SDK.
 * Capabilities of later levels are optional until every cloud has them.
 */
export interface CloudKit {
    readonly cloud: Cloud;
    /** Default container images per pipeline (placeholders a team replaces via mlops:options.images). */
    readonly defaultImages: Readonly<Record<"data" | "training" | "inference", string>>;
    /** The provider every resource of the stack uses (region set from mlops:region). */
    provider(region: string): pulumi.ProviderResource;
    foundation(name: string, args: FoundationArgs, opts: pulumi.ComponentResourceOptions): Foundation;
    batchJob(name: string, args: BatchJobArgs, opts: pulumi.ComponentResourceOptions): BatchJob;
    trainingJob(name: string, args: TrainingJobArgs, opts: pulumi.ComponentResourceOptions): TrainingJob;
}

/** Loads the kit of one cloud, and with it that cloud's SDK only. */
export async function loadKit(cloud: Cloud): Promise<CloudKit> {
    switch (cloud) {
        case "aws":
            return (await import("./aws")).awsKit;
        case "azure":
            return (await import("./azure")).azureKit;
        case "gcp":
            return (await import("./gcp")).gcpKit;
    }
}

import type * as pulumi from "@pulumi/pulumi";
import type { BatchJob, BatchJobSpec } from "../batch-job";
import type { Capability } from "../capability";
import type { Endpoint, EndpointSpec } from "../endpoint";
import type { Foundation, FoundationArgs } from "../foundation";
import type { KubernetesCluster, KubernetesSpec } from "../kubernetes";
import type { Registry, RegistrySite, RegistrySpec } from "../registry";
import type { Cloud } from "../shared/clouds";
import type { SparkCluster, SparkSpec } from "../spark";
import type { Streaming, StreamingSpec } from "../streaming";
import type { TrainingJob, TrainingJobSpec } from "../training-job";

/** Where a stack's default images are pulled: GCP's defaults go through a per-stack mirror. */
export interface ImageSite {
    /** The Pulumi project. */
    readonly project: string;
    readonly stack: string;
    readonly region: string;
    /** The stack's raw config (namespaced keys), e.g. `gcp:project`. */
    readonly config: Readonly<Record<string, unknown>>;
}

/**
 * One cloud's implementation of every capability, each in the one Capability shape, written beside
 * its component (`components/spark/aws.ts`). The stack program only sees this interface, so it
 * composes levels without any cloud detail; each cloud's kit imports only its own SDK.
 */
export interface CloudKit {
    readonly cloud: Cloud;
    /** Default container images per pipeline (placeholders a team replaces via mlops:options.images). */
    defaultImages(at: ImageSite): Readonly<Record<"data" | "training" | "inference", string>>;
    /** The provider every resource of the stack uses (region set from mlops:region). */
    provider(region: string): pulumi.ProviderResource;
    /** The foundation, built with what the stack's capabilities need. */
    foundation(name: string, args: FoundationArgs, opts: pulumi.ComponentResourceOptions): Foundation;
    /** Data / inference level 1. */
    readonly batchJob: Capability<BatchJobSpec, BatchJob>;
    /** Training level 1. */
    readonly trainingJob: Capability<TrainingJobSpec, TrainingJob>;
    /** Data / inference level 2. */
    readonly spark: Capability<SparkSpec, SparkCluster>;
    /** Data / inference level 3. */
    readonly streaming: Capability<StreamingSpec, Streaming>;
    /** Inference levels 4 and 5: the model image registry. */
    readonly registry: Capability<RegistrySpec, Registry>;
    /** Inference level 4. */
    readonly endpoint: Capability<EndpointSpec, Endpoint, RegistrySite>;
    /** Inference level 5 and training level 2. */
    readonly kubernetes: Capability<KubernetesSpec, KubernetesCluster, RegistrySite>;
}

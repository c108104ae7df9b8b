import type * as pulumi from "@pulumi/pulumi";
import type { BatchJob, BatchJobArgs } from "../batch-job";
import type { EndpointKit } from "../endpoint";
import type { Foundation, FoundationArgs } from "../foundation";
import type { KubernetesArgs, KubernetesCluster } from "../kubernetes";
import type { Registry, RegistryArgs } from "../registry";
import type { Cloud } from "../shared/clouds";
import type { InputProblem } from "../shared/errors";
import type { SparkCluster, SparkClusterArgs } from "../spark";
import type { Streaming, StreamingArgs } from "../streaming";
import type { TrainingJob, TrainingJobArgs } from "../training-job";

/** A component's args as its pure checks see them: no resources, the region instead of the context. */
export type Checkable<A> = Omit<A, "ctx" | "foundation"> & { readonly region: string };

/**
 * The pure checks of each component (its own and its cloud's limits: machine catalogue, regions,
 * schedules). The stack program runs them all before the first resource is created, so bad input
 * plans nothing; the components run the same checks again in their constructors.
 */
export interface KitChecks {
    batchJob(a: Checkable<BatchJobArgs>): InputProblem[];
    trainingJob(a: Checkable<TrainingJobArgs>): InputProblem[];
}

/**
 * One capability on one cloud (Spark cluster, stream, endpoint, registry, Kubernetes): a factory
 * and the pure checks it runs before anything is created. Capabilities above level 1 plug into
 * CloudKit as such pairs, one per cloud, written beside the component (`components/spark/aws.ts`).
 */
export interface CapabilityKit<A, R> {
    create(name: string, args: A, opts: pulumi.ComponentResourceOptions): R;
    check(a: Checkable<A>): InputProblem[];
}

/**
 * A capability whose module is required on its first use. For Kubernetes, whose modules load a
 * second SDK (`@pulumi/kubernetes` and its Helm support, ~40 ms) that most stacks never need.
 */
export function onFirstUse<A, R>(load: () => CapabilityKit<A, R>): CapabilityKit<A, R> {
    let kit: CapabilityKit<A, R> | undefined;
    const get = () => {
        kit ??= load();
        return kit;
    };
    return { create: (name, args, opts) => get().create(name, args, opts), check: (a) => get().check(a) };
}

/** Where a stack's default images are pulled: GCP's defaults go through a per-stack mirror. */
export interface ImageSite {
    /** The Pulumi project. */
    readonly project: string;
    readonly stack: string;
    readonly region: string;
    /** The stack's raw config (namespaced keys), e.g. `gcp:project`. */
    readonly config: Readonly<Record<string, unknown>>;
}

/** Puts a component's own key paths (`schedule`) under the workload key they come from. */
export function underWorkload(pipeline: string, problems: readonly InputProblem[]): InputProblem[] {
    return problems.map((p) =>
        p.path.startsWith("config.") ? p : { ...p, path: `config.mlops:workload.${pipeline}.${p.path}` },
    );
}

/**
 * One cloud's implementation of every capability. The stack program only sees this interface, so
 * it composes levels without any cloud detail; each cloud's kit imports only its own SDK.
 * Capabilities of later levels are optional until every cloud has them.
 */
export interface CloudKit {
    readonly cloud: Cloud;
    /** Default container images per pipeline (placeholders a team replaces via mlops:options.images). */
    defaultImages(at: ImageSite): Readonly<Record<"data" | "training" | "inference", string>>;
    /** The provider every resource of the stack uses (region set from mlops:region). */
    provider(region: string): pulumi.ProviderResource;
    foundation(name: string, args: FoundationArgs, opts: pulumi.ComponentResourceOptions): Foundation;
    batchJob(name: string, args: BatchJobArgs, opts: pulumi.ComponentResourceOptions): BatchJob;
    trainingJob(name: string, args: TrainingJobArgs, opts: pulumi.ComponentResourceOptions): TrainingJob;
    readonly checks: KitChecks;
    /** Data / inference level 2. */
    readonly spark: CapabilityKit<SparkClusterArgs, SparkCluster>;
    /** Data / inference level 3. */
    readonly streaming: CapabilityKit<StreamingArgs, Streaming>;
    /** Inference levels 4 and 5: the model image registry. */
    readonly registry: CapabilityKit<RegistryArgs, Registry>;
    /** Inference level 4. */
    readonly endpoint: EndpointKit;
    /** Inference level 5 and training level 2. */
    readonly kubernetes: CapabilityKit<KubernetesArgs, KubernetesCluster>;
}

/**
 * Loads the kit of one cloud, and with it that cloud's SDK only. A lazy `require` rather than
 * `import()`: it resolves the same way under tsx, ts-jest and compiled JavaScript.
 */
export async function loadKit(cloud: Cloud): Promise<CloudKit> {
    switch (cloud) {
        case "aws":
            return (require("./aws") as typeof import("./aws")).awsKit;
        case "azure":
            return (require("./azure") as typeof import("./azure")).azureKit;
        case "gcp":
            return (require("./gcp") as typeof import("./gcp")).gcpKit;
    }
}

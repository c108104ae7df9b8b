import type { MachineExtractor } from "./machines/shapes";
import type { MockCall, MockState } from "./mock/helpers";
import type { Pricer } from "./pricing/env";
import type { Obj } from "./values";

export type { MockCall, MockState };

/**
 * What a resource type is, for the level gates, the diagram and people reading a plan. The four
 * gated kinds are the expensive ones the level model places: `kubernetes-cluster` (inference 5,
 * training 2), `spark` (data and inference 2), `stream` and `streaming-engine` (data and inference 3).
 */
export type ResourceKind =
    /** A Kubernetes control plane (EKS, AKS, GKE). */
    | "kubernetes-cluster"
    /** Nodes of a cluster: Kubernetes node pools and launch templates, EMR instance groups. */
    | "node-pool"
    /** A Spark cluster, application, pool or per-run cluster template. */
    | "spark"
    /** A workspace that hosts Spark pools (Synapse). */
    | "spark-workspace"
    /** A message stream or its namespace (Kinesis, MSK, Event Hubs, Pub/Sub, Managed Kafka). */
    | "stream"
    /** Part of a stream or a stream processor: an event hub, a consumer group, a subscription, a job's input. */
    | "stream-part"
    /** A long-running stream processor (Managed Flink, Stream Analytics, Dataflow streaming). */
    | "streaming-engine"
    /** Online serving: a model endpoint, a container app, a Cloud Run service, and their parts. */
    | "endpoint"
    /** A container registry. */
    | "registry"
    /** What runs a batch or training job: a state machine, a Container Apps job, a Batch pool, a workflow. */
    | "job"
    /** What starts a job on a schedule. */
    | "schedule"
    /** An always-on virtual machine. */
    | "vm"
    | "network"
    /** Object storage: buckets, storage accounts, containers. */
    | "storage"
    /** An object uploaded to a bucket or an image pushed to a registry, for other resources to use. */
    | "artifact"
    /** Encryption keys and key stores. */
    | "key"
    /** Roles, policies, grants, managed identities, service accounts. */
    | "identity"
    | "logging"
    /** A Kubernetes object that runs pods. */
    | "kubernetes-workload"
    /** Any other Kubernetes object (namespace, service, autoscaler, chart release). */
    | "kubernetes-object"
    /** Configuration of another resource (bucket settings, locks, lifecycle policies, enabled APIs). */
    | "setting"
    /** A project component (`mlops:*`), the stack, or a provider: no cloud resource of its own. */
    | "component"
    | "stack"
    | "provider"
    /** Generated values (the stack's naming suffix). */
    | "random";

/** Something that must already exist in the cloud when a resource is created or first runs. */
export interface Prerequisite {
    /** `object`: a file in a bucket; `image`: a container image in a registry; `template`: a template file. */
    readonly kind: "object" | "image" | "template";
    /** `s3://bucket/key`, `gs://bucket/object`, `abfss://container@account.dfs.core.windows.net/path`, or `repo:tag`. */
    readonly ref: string;
    /** The input (dotted path, `[n]` for list items) it was read from. */
    readonly input: string;
}

/** Something a resource puts in place for others: an object it uploads, an image it pushes. */
export interface Provided {
    readonly kind: Prerequisite["kind"];
    readonly ref: string;
    /**
     * A pull-through mirror of a public registry (an Artifact Registry remote repository): `ref` is
     * then a prefix ending in `/`, and an image under it is the public image `mirrorOf` + the rest
     * (`<mirror>/library/python:3.12` is `docker.io/library/python:3.12`), fetched when first pulled.
     */
    readonly mirrorOf?: string;
}

/** What the project knows about one resource type token. */
export interface ResourceSpec {
    readonly kind: ResourceKind;
    /**
     * Holds data or identity a team cannot get back once deleted or replaced (buckets, registries,
     * streams, keys). A function of the inputs where one type holds data in one mode and none in
     * another (an Artifact Registry repository: its images, or a pull-through cache of Docker Hub).
     */
    readonly stateful: boolean | ((inputs: Obj) => boolean);
    /**
     * Where its tags (AWS, Azure) or labels (GCP, Kubernetes) sit in its inputs, as dotted paths read
     * in order, later ones winning; empty when the type takes none.
     */
    readonly tags: readonly string[];
    /** Tags held inside a document input (SageMaker job tags in a Step Functions definition). */
    readonly embeddedTags?: (inputs: Obj) => Obj | undefined;
    /** Providers: where the provider's default tags or labels sit in its config. */
    readonly defaultTags?: string;
    /**
     * How it is priced: a pricer, or `free` for types that cost nothing by themselves (identities,
     * network plumbing, settings) or whose cost a priced parent carries. Absent: no price is known,
     * and the cost model lists the resource as unpriced instead of counting it as zero.
     */
    readonly price?: Pricer | "free";
    /** It holds the stack's stored data or its logs: it carries a share of those usage figures. */
    readonly usageShare?: "storage" | "logs";
    /** The machines it runs, as the cost model and the policy pack's caps read them. */
    readonly machines?: MachineExtractor;
    /** Computed outputs the offline engine returns beyond the generic ones. */
    readonly mock?: MockState;
    /** What must already exist when it is created or first runs, read from its inputs. */
    readonly needs?: (inputs: Obj) => Prerequisite[];
    /** What it puts in place (an uploaded object, a pushed image). */
    readonly provides?: (inputs: Obj) => Provided[];
    /** Kubernetes workloads: where the pod spec sits in the object. */
    readonly podSpec?: string;
}

/** One cloud's (or package's) catalogue: resource type token → what the project knows about it. */
export type Catalogue = Readonly<Record<string, ResourceSpec>>;

/** Provider functions (data sources) by token → the offline engine's answer. */
export type CallCatalogue = Readonly<Record<string, MockCall>>;

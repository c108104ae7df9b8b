import * as needs from "./prerequisites/docker";
import type { Catalogue } from "./spec";

// The engine's own types (the stack, the providers), the project's components (`mlops:*`), the
// image-building types whose pushes other resources need, and the time provider's wait. None is a
// cloud resource with a price.

const TAGS = ["tags"];
const NONE: readonly string[] = [];

export const PULUMI: Catalogue = {
    "mlops:batch-job:BatchJob": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:endpoint:Endpoint": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:foundation:Foundation": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:foundation:InternetEgress": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:kubernetes:Cluster": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:kubernetes:ModelServing": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:kubernetes:RayTraining": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:registry:Registry": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:spark:SparkCluster": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:streaming:Streaming": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "mlops:training-job:TrainingJob": { kind: "component", stateful: false, tags: TAGS, price: "free" },
    "pulumi:providers:aws": {
        kind: "provider",
        stateful: false,
        tags: NONE,
        price: "free",
        defaultTags: "defaultTags.tags",
    },
    "pulumi:providers:azure-native": { kind: "provider", stateful: false, tags: NONE, price: "free" },
    // The classic Azure provider that writes the sample blobs with Entra ID.
    "pulumi:providers:azure": { kind: "provider", stateful: false, tags: NONE, price: "free" },
    "pulumi:providers:gcp": {
        kind: "provider",
        stateful: false,
        tags: NONE,
        price: "free",
        defaultTags: "defaultLabels",
    },
    "pulumi:providers:kubernetes": { kind: "provider", stateful: false, tags: NONE, price: "free" },
    "pulumi:pulumi:Stack": { kind: "stack", stateful: false, tags: NONE, price: "free" },
    "pulumi:providers:docker": { kind: "provider", stateful: false, tags: NONE, price: "free" },
    "pulumi:providers:time": { kind: "provider", stateful: false, tags: NONE, price: "free" },
    // The wait before the AKS cluster's Kubernetes provider starts (Azure RBAC propagation), from
    // the Pulumiverse time provider: a timer, no cloud resource.
    "time:index/sleep:Sleep": { kind: "setting", stateful: false, tags: NONE, price: "free" },
    "pulumi:providers:docker-build": { kind: "provider", stateful: false, tags: NONE, price: "free" },
    "docker:index/image:Image": {
        kind: "artifact",
        stateful: false,
        tags: NONE,
        price: "free",
        provides: needs.dockerImage,
    },
    "docker:index/registryImage:RegistryImage": {
        kind: "artifact",
        stateful: false,
        tags: NONE,
        price: "free",
        provides: needs.registryImage,
    },
    "docker-build:index:Image": {
        kind: "artifact",
        stateful: false,
        tags: NONE,
        price: "free",
        provides: needs.buildImage,
    },
};

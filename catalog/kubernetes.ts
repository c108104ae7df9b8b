import * as mock from "./mock/kubernetes";
import * as needs from "./prerequisites/kubernetes";
import type { Catalogue } from "./spec";

// What the project knows about each Kubernetes object type it puts on a cluster. The objects run on
// priced nodes, so they are free by themselves.

const METADATA_LABELS = ["metadata.labels"];
const NONE: readonly string[] = [];

export const KUBERNETES: Catalogue = {
    "kubernetes:apps/v1:DaemonSet": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec.template.spec",
        needs: needs.podImages("spec.template.spec"),
    },
    "kubernetes:apps/v1:Deployment": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec.template.spec",
        needs: needs.podImages("spec.template.spec"),
    },
    "kubernetes:apps/v1:ReplicaSet": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec.template.spec",
        needs: needs.podImages("spec.template.spec"),
    },
    "kubernetes:apps/v1:StatefulSet": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec.template.spec",
        needs: needs.podImages("spec.template.spec"),
    },
    "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": {
        kind: "kubernetes-object",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
    },
    "kubernetes:batch/v1:CronJob": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec.jobTemplate.spec.template.spec",
        needs: needs.podImages("spec.jobTemplate.spec.template.spec"),
    },
    "kubernetes:batch/v1:Job": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec.template.spec",
        needs: needs.podImages("spec.template.spec"),
    },
    "kubernetes:core/v1:ConfigMap": {
        kind: "kubernetes-object",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
    },
    "kubernetes:core/v1:Namespace": {
        kind: "kubernetes-object",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
    },
    "kubernetes:core/v1:Pod": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        podSpec: "spec",
        needs: needs.podImages("spec"),
    },
    "kubernetes:core/v1:Service": {
        kind: "kubernetes-object",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        mock: mock.service,
    },
    "kubernetes:core/v1:ServiceAccount": {
        kind: "kubernetes-object",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
    },
    "kubernetes:helm.sh/v3:Release": { kind: "kubernetes-object", stateful: false, tags: NONE, price: "free" },
    "kubernetes:policy/v1:PodDisruptionBudget": {
        kind: "kubernetes-object",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
    },
    "kubernetes:ray.io/v1:RayCluster": {
        kind: "kubernetes-workload",
        stateful: false,
        tags: METADATA_LABELS,
        price: "free",
        needs: needs.rayCluster,
    },
};

import { typesOfKind } from "../../catalog";
import { levelGate } from "./level-gates";

/**
 * No Kubernetes cluster (EKS, AKS, GKE) below inference 5 or training 2: a cluster costs money every
 * hour even when idle, and lower levels are served by serverless jobs and endpoints (LEVELS.md).
 * Public source: none; the project's level model.
 */
export const kubernetesClusterOnlyAtItsLevel = levelGate({
    name: "kubernetes-cluster-only-at-its-level",
    description: "A Kubernetes cluster belongs to inference level 5 or training level 2 only.",
    types: typesOfKind("kubernetes-cluster"),
    kind: "Kubernetes cluster",
    minLevels: { inference: 5, training: 2 },
});

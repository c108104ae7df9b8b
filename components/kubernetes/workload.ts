import type * as k8s from "@pulumi/kubernetes/types/input";
import type * as pulumi from "@pulumi/pulumi";

/** Node label every pool carries, and the taint of the pools reserved for one workload. */
export const POOL_LABEL = "mlops-levels/pool";

export type PoolRole = "system" | "serving" | "training";

/** The taint a reserved pool carries (`system` has none: add-ons and the Ray head run there). */
export function poolTaint(role: PoolRole): { key: string; value: string; effect: "NoSchedule" } | undefined {
    return role === "system" ? undefined : { key: POOL_LABEL, value: role, effect: "NoSchedule" };
}

/** Where a pod of `role` goes: the pool's label, and tolerations for its taint (and GPU taints). */
export function placement(
    role: PoolRole,
    gpu = false,
): { nodeSelector: Record<string, string>; tolerations: k8s.core.v1.Toleration[] } {
    const taint = poolTaint(role);
    const tolerations: k8s.core.v1.Toleration[] = taint
        ? [{ key: taint.key, operator: "Equal", value: taint.value, effect: taint.effect }]
        : [];
    // GKE taints GPU nodes with nvidia.com/gpu; tolerating it elsewhere is harmless.
    if (gpu) tolerations.push({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
    return { nodeSelector: { [POOL_LABEL]: role }, tolerations };
}

/** How a workload's pods get the cloud identity that may use the foundation storage. */
export interface WorkloadIdentity {
    /** ServiceAccount annotations (IRSA role ARN, Azure client id, GKE service account). */
    readonly annotations: Record<string, pulumi.Input<string>>;
    /** Pod labels the cloud's webhook keys on (Azure: azure.workload.identity/use). */
    readonly podLabels: Record<string, string>;
    /** Environment the SDKs read (AZURE_CLIENT_ID...), besides DATA_URI and ARTIFACTS_URI. */
    readonly env: Record<string, pulumi.Input<string>>;
    /** Resources the pods must wait for (role bindings that make the identity usable). */
    readonly dependsOn: pulumi.Resource[];
}

/** The container security context of every pod the stack renders: non-root, read-only, no capabilities. */
export const RESTRICTED_CONTAINER: k8s.core.v1.SecurityContext = {
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** Pod-level security context; uid/gid 1000 is the `ray` user of Ray's images and a common app user. */
export const RESTRICTED_POD: k8s.core.v1.PodSecurityContext = {
    runAsNonRoot: true,
    runAsUser: 1000,
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: "RuntimeDefault" },
};

/** Pod Security Admission labels: the namespace refuses any pod that is not `restricted`. */
export const RESTRICTED_NAMESPACE_LABELS = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
} as const;

/** Name/value pairs for a container's env. */
export function envList(env: Record<string, pulumi.Input<string>>): k8s.core.v1.EnvVar[] {
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** What the cluster component hands to the workloads: the provider and the cloud's specifics. */
export interface ClusterBinding {
    readonly provider: pulumi.ProviderResource;
    /** Labels (pipeline, level, environment) for every Kubernetes object. */
    readonly labels: Record<string, string>;
    /** DATA_URI and ARTIFACTS_URI of the foundation. */
    readonly storageEnv: Record<string, pulumi.Input<string>>;
}

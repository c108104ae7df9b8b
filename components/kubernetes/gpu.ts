import * as helm from "@pulumi/kubernetes/helm/v3";
import type * as pulumi from "@pulumi/pulumi";
import { POOL_LABEL, placement } from "./workload";

/**
 * NVIDIA device plugin Helm chart (github.com/NVIDIA/k8s-device-plugin), pinned like KubeRay. It
 * advertises `nvidia.com/gpu` on GPU nodes, without which no pod can request one. EKS's NVIDIA AMI
 * and AKS's GPU node images carry the driver but not the plugin; GKE installs both itself.
 */
export const NVIDIA_DEVICE_PLUGIN_CHART = {
    chart: "nvidia-device-plugin",
    version: "0.19.0",
    repo: "https://nvidia.github.io/k8s-device-plugin",
} as const;

/** Namespace of the plugin: its pods are `system-node-critical`, a class kube-system always admits. */
export const DEVICE_PLUGIN_NAMESPACE = "kube-system";

/**
 * Chart values that run the plugin on the GPU training pool only: its label selects the nodes, the
 * pool's taint (and `nvidia.com/gpu`) is tolerated. The chart's default affinity wants labels from
 * Node Feature Discovery, which the stack does not run, so it is replaced (Helm replaces lists).
 * Pure.
 */
export function devicePluginValues(): Record<string, unknown> {
    const where = placement("training", true);
    return {
        nodeSelector: where.nodeSelector,
        tolerations: where.tolerations,
        affinity: {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [
                        { matchExpressions: [{ key: POOL_LABEL, operator: "In", values: ["training"] }] },
                    ],
                },
            },
        },
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
    };
}

/** Installs the NVIDIA device plugin for the GPU training pool (EKS and AKS; never GKE). */
export function nvidiaDevicePlugin(
    name: string,
    provider: pulumi.ProviderResource,
    parent: pulumi.Resource,
): helm.Release {
    return new helm.Release(
        `${name}-nvidia-device-plugin`,
        {
            name: "nvidia-device-plugin",
            chart: NVIDIA_DEVICE_PLUGIN_CHART.chart,
            version: NVIDIA_DEVICE_PLUGIN_CHART.version,
            repositoryOpts: { repo: NVIDIA_DEVICE_PLUGIN_CHART.repo },
            namespace: DEVICE_PLUGIN_NAMESPACE,
            // A DaemonSet on a pool at zero nodes is ready at once, so this never waits for a GPU.
            atomic: true,
            values: devicePluginValues(),
        },
        { parent, provider },
    );
}

import * as pulumi from "@pulumi/pulumi";
import { nvidiaDevicePlugin } from "./gpu";
import { DEFAULT_MODEL_TAG, DEFAULT_RAY_IMAGES, type KubernetesArgs, type NodeShape } from "./index";
import { RayTraining } from "./ray";
import { ModelServing } from "./serving";
import type { ClusterBinding, WorkloadIdentity } from "./workload";

/** What differs per cloud when the workloads go onto a cluster. */
export interface WorkloadPlan {
    /** The model server's cloud identity (read access to the artifacts); made only when serving. */
    readonly servingIdentity: () => WorkloadIdentity;
    /** Ray's cloud identity (read and write on data and artifacts); made only when training. */
    readonly rayIdentity: () => WorkloadIdentity;
    /** Service annotations for an internal load balancer (the default) and for a public one. */
    readonly loadBalancer: { readonly internal: Record<string, string>; readonly public: Record<string, string> };
    /** The training pool's node shape, which sizes the Ray workers. */
    readonly workerShape: NodeShape;
    /** Install NVIDIA's device plugin for a GPU training pool (EKS, AKS; GKE manages its own). */
    readonly gpuDevicePlugin: boolean;
    /** What the model server waits for (the nodes' right to pull from the registry). */
    readonly servingDependsOn: pulumi.Resource[];
}

/**
 * Model serving (inference level 5) and the Ray cluster (training level 2) on a cluster, the same
 * on every cloud: only identities, load-balancer annotations and node shapes differ.
 */
export function deployWorkloads(
    parent: pulumi.ComponentResource,
    name: string,
    args: KubernetesArgs,
    binding: ClusterBinding,
    p: WorkloadPlan,
): { servingUrl?: pulumi.Output<string>; rayClusterName?: pulumi.Output<string> } {
    const out: { servingUrl?: pulumi.Output<string>; rayClusterName?: pulumi.Output<string> } = {};
    if (args.serving) {
        const serving = new ModelServing(
            `${name}-serving`,
            {
                cluster: binding,
                identity: p.servingIdentity(),
                image: args.serving.image ?? pulumi.interpolate`${args.registry!.repositoryUrl}:${DEFAULT_MODEL_TAG}`,
                peakQps: args.serving.peakQps,
                podQps: args.serving.podQps,
                serviceAnnotations: {
                    ...(args.serving.publicEndpoint ? p.loadBalancer.public : p.loadBalancer.internal),
                },
            },
            { parent, dependsOn: p.servingDependsOn },
        );
        out.servingUrl = serving.url;
    }
    if (args.training) {
        if (args.training.gpu && p.gpuDevicePlugin) nvidiaDevicePlugin(name, binding.provider, parent);
        const ray = new RayTraining(
            `${name}-ray`,
            {
                cluster: binding,
                identity: p.rayIdentity(),
                image: args.training.image ?? (args.training.gpu ? DEFAULT_RAY_IMAGES.gpu : DEFAULT_RAY_IMAGES.cpu),
                datasetGb: args.training.datasetGb,
                singleMachineHours: args.training.singleMachineHours,
                slaHours: args.training.slaHours,
                workerShape: p.workerShape,
            },
            { parent },
        );
        out.rayClusterName = ray.rayClusterName;
    }
    return out;
}

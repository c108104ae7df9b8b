import type * as pulumi from "@pulumi/pulumi";
import { type SampleArtifact, sampleArtifact } from "../shared/artifacts";
import { nvidiaDevicePlugin } from "./gpu";
import { DEFAULT_RAY_IMAGES, type KubernetesArgs, type NodeShape } from "./index";
import { RAY_NAMESPACE, RayTraining } from "./ray";
import { rayRunCommand } from "./ray-run";
import { defaultModelContainer, ModelServing, teamModelContainer } from "./serving";
import type { ClusterBinding, WorkloadIdentity } from "./workload";

/** The reference pipeline's keys the workloads use (jobs/layout.py: TRAINED_MODEL_PREFIX). */
export const TRAINED_MODEL_PREFIX = "samples/models/trained";

/** A sample file uploaded to a foundation store, and the URL the SDKs in the pods read it by. */
export interface Upload {
    /** `s3://bucket/key`, `gs://bucket/key` or `https://<account>.blob.core.windows.net/<container>/<key>`. */
    readonly url: pulumi.Output<string>;
    /** The bucket object: readers depend on it. */
    readonly resource: pulumi.Resource;
}

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
    /** Uploads one sample artifact to its foundation store under its manifest key (`logical` names the resource). */
    readonly upload: (logical: string, artifact: SampleArtifact) => Upload;
    /** The URL of `key` in a foundation store, in the form `upload` returns. */
    readonly storeUrl: (store: SampleArtifact["bucket"], key: string) => pulumi.Output<string>;
}

/** What the workloads give the cluster component to export. */
export interface Workloads {
    servingUrl?: pulumi.Output<string>;
    rayClusterName?: pulumi.Output<string>;
    /** Per pipeline, the command that calls the service or starts a training run. */
    runCommands: { inference?: pulumi.Output<string>; training?: string };
}

/**
 * Model serving (inference level 5) and the Ray cluster (training level 2) on a cluster, the same
 * on every cloud: only identities, load-balancer annotations, node shapes and uploads differ. The
 * sample files a default workload reads are uploaded here, by the component that reads them, and
 * the readers wait for them; a team's own serving image gets no sample model.
 */
export function deployWorkloads(
    parent: pulumi.ComponentResource,
    name: string,
    args: KubernetesArgs,
    binding: ClusterBinding,
    p: WorkloadPlan,
): Workloads {
    const out: Workloads = { runCommands: {} };
    if (args.serving) {
        let container = args.serving.image === undefined ? undefined : teamModelContainer(args.serving.image);
        if (!container) {
            const model = p.upload(`${name}-sample-model`, sampleArtifact("model"));
            container = defaultModelContainer(model.url, [model.resource]);
        }
        const serving = new ModelServing(
            `${name}-serving`,
            {
                cluster: binding,
                identity: p.servingIdentity(),
                container,
                peakQps: args.serving.peakQps,
                podQps: args.serving.podQps,
                serviceAnnotations: {
                    ...(args.serving.publicEndpoint ? p.loadBalancer.public : p.loadBalancer.internal),
                },
            },
            { parent, dependsOn: p.servingDependsOn },
        );
        out.servingUrl = serving.url;
        out.runCommands.inference = serving.runCommand;
    }
    if (args.training) {
        if (args.training.gpu && p.gpuDevicePlugin) nvidiaDevicePlugin(name, binding.provider, parent);
        const jobs = p.upload(`${name}-sample-jobs`, sampleArtifact("jobs-package"));
        const data = p.upload(`${name}-sample-data`, sampleArtifact("sample-data"));
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
                run: {
                    inputs: {
                        jobsPackage: jobs.url,
                        sampleData: data.url,
                        // A prefix ends with "/": where the run writes, not an object it reads.
                        modelOutput: p.storeUrl("artifacts", `${TRAINED_MODEL_PREFIX}/`),
                    },
                    dependsOn: [jobs.resource, data.resource],
                },
            },
            { parent },
        );
        out.rayClusterName = ray.rayClusterName;
        out.runCommands.training = rayRunCommand(args.ctx.stack, RAY_NAMESPACE);
    }
    return out;
}

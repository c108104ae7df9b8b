import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as batch from "@pulumi/kubernetes/batch/v1";
import * as core from "@pulumi/kubernetes/core/v1";
import * as helm from "@pulumi/kubernetes/helm/v3";
import * as pulumi from "@pulumi/pulumi";
import {
    KUBERAY_CHART,
    type NodeShape,
    RAY_HEAD,
    RAY_IDLE_TIMEOUT_SECONDS,
    RAY_TYPE,
    RAY_VERSION,
    type RaySize,
    rayClusterSize,
} from "./index";
import { RAY_DRIVER_CONFIG, RAY_DRIVER_FILE, RAY_TRAIN_DRIVER, type RayRunInputs, rayRunCronJob } from "./ray-run";
import {
    type ClusterBinding,
    envList,
    placement,
    RESTRICTED_CONTAINER,
    RESTRICTED_NAMESPACE_LABELS,
    RESTRICTED_POD,
    type WorkloadIdentity,
} from "./workload";

export const RAY_NAMESPACE = "mlops-training";
export const RAY_CLUSTER_NAME = "training";
export const RAY_SERVICE_ACCOUNT = "ray";
export const KUBERAY_NAMESPACE = "kuberay-system";
/**
 * Name of the volume at /tmp/ray: KubeRay's own (`RayLogVolumeName`, kuberay v1.5.1
 * `ray-operator/controllers/ray/common/pod.go`). The operator mounts a volume of this name into the
 * autoscaler sidecar, creating it only when the pod has none, so the head and the autoscaler share
 * one log directory and the autoscaler's events show in the head's logs and dashboard.
 */
export const RAY_LOG_VOLUME = "ray-logs";

export interface RayTrainingArgs {
    readonly cluster: ClusterBinding;
    readonly identity: WorkloadIdentity;
    /** Ray image (head and workers). */
    readonly image: string;
    readonly datasetGb: number;
    readonly singleMachineHours: number;
    readonly slaHours: number;
    /** The machine of the training pool (one worker per node). */
    readonly workerShape: NodeShape;
    /** Where the reference training run reads and writes, and the uploads it waits for. */
    readonly run: { readonly inputs: RayRunInputs; readonly dependsOn: pulumi.Resource[] };
}

/** The RayCluster custom resource as plain data (validated in tests against the pod schema). Pure. */
export function rayClusterManifest(a: {
    image: string;
    size: RaySize;
    labels: Record<string, string>;
    podLabels: Record<string, string>;
    env: Record<string, pulumi.Input<string>>;
}): Record<string, unknown> {
    const { size } = a;
    const gpu = size.workerGpus > 0;
    // Ray writes sockets, logs and object spill files under /tmp/ray: the only writable place.
    const scratch = { volumes: [{ name: RAY_LOG_VOLUME, emptyDir: {} }] };
    const mount = { volumeMounts: [{ name: RAY_LOG_VOLUME, mountPath: "/tmp/ray" }] };
    const pod = (role: "system" | "training", container: Record<string, unknown>) => {
        const where = placement(role, role === "training" && gpu);
        return {
            metadata: { labels: { ...a.labels, ...a.podLabels } },
            spec: {
                serviceAccountName: RAY_SERVICE_ACCOUNT,
                securityContext: RESTRICTED_POD,
                nodeSelector: where.nodeSelector,
                tolerations: where.tolerations,
                containers: [
                    {
                        ...container,
                        image: a.image,
                        env: envList(a.env),
                        securityContext: RESTRICTED_CONTAINER,
                        ...mount,
                    },
                ],
                ...scratch,
            },
        };
    };
    const workerResources = {
        cpu: String(size.workerCpu),
        memory: `${size.workerMemoryGi}Gi`,
        ...(gpu ? { "nvidia.com/gpu": String(size.workerGpus) } : {}),
    };
    return {
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: { name: RAY_CLUSTER_NAME, namespace: RAY_NAMESPACE, labels: a.labels },
        spec: {
            rayVersion: RAY_VERSION,
            // The Ray autoscaler adds workers when jobs ask for them and removes idle ones; the node
            // pool follows, down to zero nodes.
            enableInTreeAutoscaling: true,
            autoscalerOptions: {
                idleTimeoutSeconds: RAY_IDLE_TIMEOUT_SECONDS,
                upscalingMode: "Default",
                securityContext: RESTRICTED_CONTAINER,
                resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
            },
            headGroupSpec: {
                // No training tasks on the head: it stays small enough for a system node.
                rayStartParams: { "num-cpus": "0", "dashboard-host": "0.0.0.0" },
                template: pod("system", {
                    name: "ray-head",
                    ports: [
                        { name: "gcs", containerPort: 6379 },
                        { name: "dashboard", containerPort: 8265 },
                        { name: "client", containerPort: 10001 },
                    ],
                    resources: {
                        requests: { cpu: RAY_HEAD.cpu, memory: RAY_HEAD.memory },
                        limits: { cpu: RAY_HEAD.cpuLimit, memory: RAY_HEAD.memory },
                    },
                }),
            },
            workerGroupSpecs: [
                {
                    groupName: gpu ? "gpu-workers" : "cpu-workers",
                    replicas: 0,
                    minReplicas: 0,
                    maxReplicas: size.workers,
                    rayStartParams: {},
                    template: pod("training", {
                        name: "ray-worker",
                        // Requests equal limits: Ray plans with what a worker is sure to have.
                        resources: { requests: workerResources, limits: workerResources },
                    }),
                },
            ],
        },
    };
}

/**
 * Distributed training (level 2): the KubeRay operator from its pinned Helm chart on the system
 * pool, and a RayCluster whose head sits on the system pool and whose workers (zero while idle)
 * each take a whole node of the training pool. Pods run as a service account bound to the cloud
 * identity that may read and write the foundation's data and artifacts, and nothing else.
 */
export class RayTraining extends pulumi.ComponentResource {
    readonly rayClusterName: pulumi.Output<string>;
    readonly namespace: pulumi.Output<string>;
    readonly maxWorkers: number;
    readonly size: RaySize;

    constructor(name: string, args: RayTrainingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(RAY_TYPE, name, {}, opts);
        const { cluster, identity } = args;
        const o = { parent: this, provider: cluster.provider };
        const size = rayClusterSize(args, args.workerShape);
        this.size = size;
        this.maxWorkers = size.workers;

        const system = placement("system");
        const operator = new helm.Release(
            `${name}-kuberay`,
            {
                name: "kuberay-operator",
                chart: KUBERAY_CHART.chart,
                version: KUBERAY_CHART.version,
                repositoryOpts: { repo: KUBERAY_CHART.repo },
                namespace: KUBERAY_NAMESPACE,
                createNamespace: true,
                // Fails the update (and rolls back) rather than leaving a half-installed operator.
                atomic: true,
                values: {
                    nodeSelector: system.nodeSelector,
                    securityContext: RESTRICTED_CONTAINER,
                    resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                },
            },
            o,
        );
        const ns = new core.Namespace(
            `${name}-ns`,
            { metadata: { name: RAY_NAMESPACE, labels: { ...cluster.labels, ...RESTRICTED_NAMESPACE_LABELS } } },
            o,
        );
        new core.ServiceAccount(
            `${name}-sa`,
            {
                metadata: {
                    name: RAY_SERVICE_ACCOUNT,
                    namespace: ns.metadata.name,
                    labels: cluster.labels,
                    annotations: identity.annotations,
                },
            },
            o,
        );
        const manifest = rayClusterManifest({
            image: args.image,
            size,
            labels: cluster.labels,
            podLabels: identity.podLabels,
            env: { ...cluster.storageEnv, ...identity.env },
        });
        const ray = new apiextensions.CustomResource(
            `${name}-raycluster`,
            manifest as unknown as apiextensions.CustomResourceArgs,
            // The CRD comes with the operator's chart.
            { ...o, dependsOn: [operator, ns, ...identity.dependsOn] },
        );
        // The reference training run: the driver as a ConfigMap, the submitter as a suspended CronJob.
        const driver = new core.ConfigMap(
            `${name}-driver`,
            {
                metadata: { name: RAY_DRIVER_CONFIG, namespace: ns.metadata.name, labels: cluster.labels },
                data: { [RAY_DRIVER_FILE]: RAY_TRAIN_DRIVER },
            },
            o,
        );
        const cron = rayRunCronJob({
            image: args.image,
            namespace: RAY_NAMESPACE,
            clusterName: RAY_CLUSTER_NAME,
            labels: cluster.labels,
            inputs: args.run.inputs,
        });
        new batch.CronJob(
            `${name}-run`,
            { metadata: { ...cron.metadata, namespace: ns.metadata.name }, spec: cron.spec },
            // What a run reads is uploaded before the template that starts one exists.
            { ...o, dependsOn: [ray, driver, ...args.run.dependsOn] },
        );
        this.rayClusterName = ray.metadata.name;
        this.namespace = ns.metadata.name;
        this.registerOutputs({
            rayClusterName: this.rayClusterName,
            namespace: this.namespace,
            maxWorkers: size.workers,
        });
    }
}

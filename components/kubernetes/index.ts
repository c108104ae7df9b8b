import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../foundation";
import type { Registry } from "../registry";
import { apiCidrProblem, MAX_API_CIDRS } from "../shared/cidr";
import { type Checkable, type StackContext, tagsOf } from "../shared/context";
import type { InputProblem } from "../shared/errors";
import type { Pipeline } from "../shared/levels";

/** Type tokens: the cluster, and the two workloads it may carry. */
export const KUBERNETES_TYPE = "mlops:kubernetes:Cluster";
export const SERVING_TYPE = "mlops:kubernetes:ModelServing";
export const RAY_TYPE = "mlops:kubernetes:RayTraining";

/** The inference level served by Kubernetes and the training level that runs Ray on it. */
export const SERVING_LEVEL = 5;
export const RAY_LEVEL = 2;

/**
 * Kubernetes minor version on every cloud. 1.35 is in EKS standard support until March 2027
 * (extended support would add $0.50 per cluster hour, so EKS is also told not to enter it); AKS
 * and GKE pick the newest patch of the minor.
 */
export const KUBERNETES_VERSION = "1.35";

// ---------------------------------------------------------------------------------------------
// Serving sizing

/** Requests per second one serving pod handles at full load (1 vCPU, a scikit-learn-sized model). */
export const DEFAULT_POD_QPS = 50;
/** CPU utilisation the autoscaler keeps pods at: 30 % headroom absorbs a burst while new pods start. */
export const TARGET_CPU_UTILIZATION = 70;
/**
 * Replicas kept however quiet it is: one pod can be drained (rollout, node upgrade) while the other
 * serves. The HPA cannot scale a Deployment to zero, and a cold start would break request latency.
 */
export const MIN_SERVING_REPLICAS = 2;
/** Beyond this many pods the model itself needs work (batching, a GPU), not more pods. */
export const MAX_SERVING_REPLICAS = 200;
/** What a serving pod asks for (and the node sizing assumes): 1 vCPU, 2 GiB. */
export const SERVING_POD = { cpu: "1", memory: "2Gi", cpuLimit: "2" } as const;
/** Serving pods per 4-vCPU / 16-GiB node, after the kubelet reservation and the daemon sets. */
export const SERVING_PODS_PER_NODE = 3;
/** Port the model container listens on (the Service exposes 80). */
export const MODEL_PORT = 8080;

/**
 * The model server the serving Deployment runs unless the team names its own image
 * (`mlops:options.images.inference`): KServe's scikit-learn server, public on Docker Hub, pinned by
 * release tag (kserve/kserve `python/sklearn.Dockerfile`, published by
 * `.github/workflows/sklearnserver-docker-publish.yml` as `kserve/sklearnserver:<git tag>`). It
 * runs standalone (`python -m sklearnserver`, no KServe control plane), downloads the model itself
 * from `s3://`, `gs://` or `https://<account>.blob.core.windows.net/...` with the pod's workload
 * identity (boto3, `storage.Client()`, `DefaultAzureCredential` once `AZURE_CLIENT_ID` is set:
 * `python/storage/kserve_storage/kserve_storage.py`), and serves the reference pipeline's sample
 * model, so a first `pulumi up` needs no image built into the stack's empty registry.
 */
export const DEFAULT_MODEL_SERVER = {
    image: "kserve/sklearnserver:v0.20.0",
    /** The name clients call: `POST /v1/models/churn:predict`. */
    modelName: "churn",
    /** KServe's V1 model health route: 200 once the model is loaded, 503 before. */
    readinessPath: "/v1/models/churn",
    /** KServe's liveness route (`/` answers while the server runs). */
    livenessPath: "/",
} as const;

/**
 * One row of the sample data as the model server takes it (KServe's V1 protocol: feature rows in
 * the pipeline's FEATURE_COLUMNS order, jobs/README.md "Requests"): customer 100001, 30 months,
 * 52.71 a month, a two-year contract. With PREDICT_PROBA the answer is `[[p(stay), p(churn)]]`.
 */
export const SAMPLE_REQUEST = '{"instances": [[30.0, 52.71, 7.2612, 1.0, 0.0, 1.0, 0.0]]}';

/** HPA bounds for a peak load. Pure. */
export function servingReplicas(
    peakQps: number,
    podQps: number = DEFAULT_POD_QPS,
): { minReplicas: number; maxReplicas: number; needed: number } {
    const perPod = podQps * (TARGET_CPU_UTILIZATION / 100);
    const needed = Math.max(MIN_SERVING_REPLICAS, Math.ceil(peakQps / perPod));
    return { minReplicas: MIN_SERVING_REPLICAS, maxReplicas: Math.min(needed, MAX_SERVING_REPLICAS), needed };
}

/** Node pool bounds that hold the HPA's replicas. Pure. */
export function servingNodes(r: { minReplicas: number; maxReplicas: number }): { minNodes: number; maxNodes: number } {
    return {
        minNodes: Math.ceil(r.minReplicas / SERVING_PODS_PER_NODE),
        maxNodes: Math.ceil(r.maxReplicas / SERVING_PODS_PER_NODE),
    };
}

// ---------------------------------------------------------------------------------------------
// Ray sizing

/** A machine a node pool uses. */
export interface NodeShape {
    /** The cloud's name: r7i.2xlarge, Standard_E8s_v5, n2-highmem-8. */
    readonly machineType: string;
    readonly vcpus: number;
    readonly memoryGb: number;
    readonly gpus: number;
}

/**
 * Share of a node's memory a worker pod requests: the rest is the kubelet reservation, the
 * eviction threshold and the daemon sets (CNI, kube-proxy, log agents).
 */
export const POD_MEMORY_FRACTION = 0.8;
/** vCPUs per node left to the system. */
export const NODE_RESERVED_CPU = 1;
/**
 * Speed-up one more worker brings, relative to perfect scaling: data-parallel training loses time
 * to gradient exchange and stragglers. 0.8 is a common figure for a handful of nodes; its inverse
 * (1.25) is the overhead the SLA sizing adds.
 */
export const PARALLEL_EFFICIENCY = 0.8;
/** A cluster of one worker is a single machine: level 2 starts at two. */
export const MIN_RAY_WORKERS = 2;
/** Largest worker group planned; more means the SLA needs a different design (or faster workers). */
export const MAX_RAY_WORKERS = 64;
/**
 * Share of a worker's memory Ray gives its object store by default ("Ray reserves 30% of available
 * memory", Ray's memory management docs). Training data streams from object storage through it
 * (Ray Data reads blocks ahead of the trainer and frees them once consumed), so it is the data
 * buffer; the rest is the heap that holds the model, its optimizer state and the batches.
 */
export const RAY_OBJECT_STORE_FRACTION = 0.3;
/** Seconds an idle worker stays before the Ray autoscaler removes it (and the node pool then shrinks). */
export const RAY_IDLE_TIMEOUT_SECONDS = 300;
/**
 * What the Ray head asks for: it schedules no training tasks (`num-cpus: 0`), only the GCS, the
 * dashboard and the autoscaler, so it fits on a system node.
 */
export const RAY_HEAD = { cpu: "500m", cpuLimit: "1", memory: "2Gi" } as const;

export interface RaySize {
    /** Worker pods (one per node) the group may grow to. */
    readonly workers: number;
    /** Workers the SLA asks for: ceil(singleMachineHours / slaHours / PARALLEL_EFFICIENCY). */
    readonly workersForSla: number;
    /** What one worker pod requests. */
    readonly workerCpu: number;
    readonly workerMemoryGi: number;
    readonly workerGpus: number;
    /** GiB of each worker's memory that buffers streamed data (Ray's object store). */
    readonly bufferGi: number;
    /** GiB of each worker's memory left for the model, its optimizer state and the batches. */
    readonly heapGi: number;
    /**
     * True when the dataset is larger than all workers' buffers together: every epoch streams it
     * from object storage again. False when it stays cached in the object stores after the first.
     */
    readonly streams: boolean;
    /** False when more than MAX_RAY_WORKERS would be needed. */
    readonly fits: boolean;
    /** The sizing in one line, with the numbers a person can check. */
    readonly reason: string;
}

const gib = (x: number) => Math.round(x * 10) / 10;

/**
 * Ray cluster size for a training SLA. Workers are sized for throughput: enough of them to finish
 * `singleMachineHours` of work within `slaHours` at PARALLEL_EFFICIENCY. Memory is sized per
 * worker, for the model and a buffer of the data: large training sets (images above all) stream
 * from object storage a block at a time, so the dataset never has to fit in the cluster's memory
 * and its size does not add workers. Pure.
 */
export function rayClusterSize(
    w: { datasetGb: number; singleMachineHours: number; slaHours: number },
    shape: NodeShape,
): RaySize {
    const workerMemoryGi = Math.floor(shape.memoryGb * POD_MEMORY_FRACTION);
    const workerCpu = Math.max(1, shape.vcpus - NODE_RESERVED_CPU);
    const bufferGi = gib(workerMemoryGi * RAY_OBJECT_STORE_FRACTION);
    const heapGi = gib(workerMemoryGi - bufferGi);
    const workersForSla = Math.ceil(w.singleMachineHours / w.slaHours / PARALLEL_EFFICIENCY);
    const want = Math.max(MIN_RAY_WORKERS, workersForSla);
    const workers = Math.min(want, MAX_RAY_WORKERS);
    const streams = w.datasetGb > workers * bufferGi;
    const sla = `ceil(${w.singleMachineHours} h on one machine / ${w.slaHours} h SLA / ${PARALLEL_EFFICIENCY} parallel efficiency) = ${workersForSla}`;
    const count = workersForSla < MIN_RAY_WORKERS ? `${sla}, raised to the minimum of ${MIN_RAY_WORKERS}` : sla;
    const gpus = shape.gpus > 0 ? `, ${shape.gpus} GPU` : "";
    const request = `${workerCpu} vCPU${gpus} and ${workerMemoryGi} GiB (${heapGi} GiB for the model, ${bufferGi} GiB data buffer)`;
    const data = streams
        ? `the ${w.datasetGb} GB dataset streams from object storage through ${bufferGi} GiB of Ray object store per worker (never held in memory whole)`
        : `the ${w.datasetGb} GB dataset fits the workers' object stores (${gib(workers * bufferGi)} GiB) after the first epoch`;
    return {
        workers,
        workersForSla,
        workerCpu,
        workerMemoryGi,
        workerGpus: shape.gpus,
        bufferGi,
        heapGi,
        streams,
        fits: want <= MAX_RAY_WORKERS,
        reason: `up to ${workers} Ray workers of ${shape.machineType} (none while idle): ${count}; each requests ${request}; ${data}`,
    };
}

/** The shortest SLA MAX_RAY_WORKERS workers meet, in hours rounded up to a tenth. Pure. */
export function shortestRaySlaHours(singleMachineHours: number): number {
    return Math.ceil((singleMachineHours / (MAX_RAY_WORKERS * PARALLEL_EFFICIENCY)) * 10) / 10;
}

/**
 * KubeRay operator Helm chart (github.com/ray-project/kuberay-helm), pinned: a chart upgrade changes
 * the RayCluster CRD, so it is a deliberate change, not a side effect of a `pulumi up`.
 */
export const KUBERAY_CHART = {
    chart: "kuberay-operator",
    version: "1.5.1",
    repo: "https://ray-project.github.io/kuberay-helm/",
} as const;
/** Ray release in the default images (KubeRay 1.5 supports it). */
export const RAY_VERSION = "2.52.0";
/** Default Ray images, CPU and CUDA; a team's own image must be built FROM one of them. */
export const DEFAULT_RAY_IMAGES = {
    cpu: `rayproject/ray:${RAY_VERSION}`,
    gpu: `rayproject/ray:${RAY_VERSION}-gpu`,
} as const;

// ---------------------------------------------------------------------------------------------
// Args and outputs

/** Inference level 5: the model served by a Deployment behind a Service and an autoscaler. */
export interface ServingSpec {
    /** Peak requests per second the deployment must carry (mlops:workload.inference.peakQps). */
    readonly peakQps: number;
    /** Requests per second one pod serves; default DEFAULT_POD_QPS. */
    readonly podQps?: number;
    /**
     * The team's model image (`mlops:options.images.inference`): it listens on `$PORT` (MODEL_PORT)
     * and answers HEALTH_PATH, and replaces the default, which is never forced on it. Default:
     * DEFAULT_MODEL_SERVER serving the reference pipeline's sample model, uploaded by the component.
     */
    readonly image?: string;
    /** Expose the service on a public load balancer; default false (an internal load balancer). */
    readonly publicEndpoint: boolean;
}

/** Training level 2: a Ray cluster whose workers live in their own node pool. */
export interface RaySpec {
    /** GB of training data. */
    readonly datasetGb: number;
    /** Hours one machine would take. */
    readonly singleMachineHours: number;
    /** Hours training may take. */
    readonly slaHours: number;
    /** GPU workers (unstructured data or `training.gpu: true`). */
    readonly gpu: boolean;
    /** Ray image for head and workers; default DEFAULT_RAY_IMAGES (cpu or gpu). */
    readonly image?: string;
}

/** Args of the Kubernetes platform: one cluster for every pipeline that needs it. */
export interface KubernetesArgs {
    readonly ctx: StackContext;
    readonly foundation: Foundation;
    /** Model serving (inference level 5); absent when inference is not at level 5. */
    readonly serving?: ServingSpec;
    /** Ray training (training level 2); absent when training is not at level 2. */
    readonly training?: RaySpec;
    /**
     * The stack's container registry, where a team pushes its own model image; nodes get pull rights
     * on it through `grantPull` when it exists. The default model server is public and needs none.
     */
    readonly registry?: Registry;
    /**
     * Private CIDRs inside the network (or joined to it: a peered network, a VPN) whose hosts run
     * `pulumi up` against the private API endpoint (`mlops:options.kubernetesApiRunnerCidrs`). EKS:
     * HTTPS into the cluster security group, which admits only the cluster itself otherwise. GKE:
     * master authorized networks, which admit the cluster's own subnet otherwise. AKS: nothing to
     * open (the private endpoint sits in the cluster's subnet, which every VNet address reaches);
     * the runner needs the private DNS zone AKS links to the VNet. Default none.
     */
    readonly apiRunnerCidrs?: readonly string[];
    /**
     * CIDRs allowed to reach the API server over the internet (an operator's office, a CI runner).
     * Default none: the API server has a private endpoint only, so `pulumi up` must run from inside
     * the network (a runner in the VPC/VNet, a VPN or a peered network).
     */
    readonly apiAuthorizedCidrs?: readonly string[];
    /** Kubernetes minor version; default KUBERNETES_VERSION. */
    readonly kubernetesVersion?: string;
    /**
     * Azure: the principal type of the identity that runs `pulumi up`, for its cluster-admin role
     * assignment (`mlops:options.deployerPrincipalType`): `User` or `ServicePrincipal` (service
     * principals and managed identities). Default: from the provider's sign-in variables
     * (`defaultDeployerPrincipalType` in azure.ts). Ignored on AWS and GCP.
     */
    readonly deployerPrincipalType?: "User" | "ServicePrincipal";
}

/** The platform as the stack program decides it: its args without the site, with the region. */
export type KubernetesSpec = Checkable<KubernetesArgs>;

/** Public outputs, the same on every cloud. */
export interface KubernetesCluster extends pulumi.ComponentResource {
    readonly clusterName: pulumi.Output<string>;
    /** API server URL. */
    readonly endpoint: pulumi.Output<string>;
    /** A kubeconfig for the cluster (secret), using the cloud CLI's credential plugin. */
    readonly kubeconfig: pulumi.Output<string>;
    /** The node pools by role: system, serving, training. */
    readonly nodePools: Readonly<Record<string, pulumi.Output<string>>>;
    /** URL of the model service (load balancer address), when serving. */
    readonly servingUrl?: pulumi.Output<string>;
    /** Name of the RayCluster, when training. */
    readonly rayClusterName?: pulumi.Output<string>;
    /** How the Ray workers were sized (RaySize.reason), when training. */
    readonly raySizing?: string;
    /**
     * Per pipeline, the exact command to run once `pulumi up` is done (the stack exports it as
     * `runCommands`): `inference`, a curl that posts a sample row to the service; `training`, the
     * kubectl line that starts a reference training run on the Ray cluster.
     */
    readonly runCommands: RunCommands;
}

/** Commands per pipeline, the shape the stack program's `runCommands` output takes. */
export type RunCommands = Partial<Record<"training" | "inference", pulumi.Input<string>>>;

/** The pipelines a cluster carries, in tag order. */
export function clusterPipelines(a: Pick<KubernetesArgs, "serving" | "training">): Pipeline[] {
    const p: Pipeline[] = [];
    if (a.training) p.push("training");
    if (a.serving) p.push("inference");
    return p;
}

/** Production clusters get the paid, highly available control plane tiers (AKS Standard, regional GKE). */
export function isProduction(ctx: Pick<StackContext, "stack">): boolean {
    return ctx.stack === "prod";
}

/** The level tags carry: the one level, or the higher of two pipelines sharing the cluster. */
export function clusterLevel(a: Pick<KubernetesArgs, "serving" | "training">): number {
    return a.serving ? SERVING_LEVEL : RAY_LEVEL;
}

/**
 * Tags of one node pool: the serving pool belongs to inference (level 5), the training pool to
 * training (level 2), the system pool to every pipeline the cluster serves. Per-pool tags keep the
 * cost per pipeline and the policy gates exact when both share one cluster.
 */
export function poolTags(
    ctx: StackContext,
    role: "system" | "serving" | "training",
    a: Pick<KubernetesArgs, "serving" | "training">,
): Record<string, string> {
    if (role === "serving") return tagsOf(ctx, "inference", SERVING_LEVEL);
    if (role === "training") return tagsOf(ctx, "training", RAY_LEVEL);
    return tagsOf(ctx, clusterPipelines(a), clusterLevel(a));
}

/** Checks the cloud-neutral args. Pure; key paths relative to mlops:workload unless `config.`. */
export function checkKubernetesArgs(a: Checkable<KubernetesArgs>): InputProblem[] {
    const p: InputProblem[] = [];
    if (!a.serving && !a.training)
        p.push({ path: "config.mlops:workload", message: "a Kubernetes cluster needs serving or training" });
    if (a.serving) {
        const s = a.serving;
        if (!(s.peakQps > 0)) p.push({ path: "inference.peakQps", message: "must be more than 0 at level 5" });
        if (s.podQps !== undefined && !(s.podQps > 0))
            p.push({ path: "inference.podQps", message: "must be more than 0" });
        const r = servingReplicas(s.peakQps, s.podQps);
        if (r.needed > MAX_SERVING_REPLICAS)
            p.push({
                path: "inference.peakQps",
                message: `${s.peakQps} QPS needs ${r.needed} pods at ${s.podQps ?? DEFAULT_POD_QPS} QPS each, more than ${MAX_SERVING_REPLICAS}; serve the model faster per pod first`,
            });
        if (s.image !== undefined && s.image.trim() === "")
            p.push({ path: "config.mlops:options.images.inference", message: "must name a container image" });
    }
    if (a.training) {
        const t = a.training;
        if (!(t.datasetGb >= 0)) p.push({ path: "training.datasetGb", message: "must be 0 or more" });
        if (!(t.singleMachineHours >= 0)) p.push({ path: "training.singleMachineHours", message: "must be 0 or more" });
        if (!(t.slaHours > 0)) p.push({ path: "training.slaHours", message: "must be more than 0" });
        if (t.image !== undefined && t.image.trim() === "")
            p.push({ path: "config.mlops:options.images.training", message: "must name a container image" });
    }
    if ((a.apiAuthorizedCidrs ?? []).length > MAX_API_CIDRS)
        p.push({ path: "apiAuthorizedCidrs", message: `at most ${MAX_API_CIDRS} CIDRs (the EKS limit)` });
    for (const [i, c] of (a.apiAuthorizedCidrs ?? []).entries()) {
        const message = apiCidrProblem(c);
        if (message) p.push({ path: `apiAuthorizedCidrs[${i}]`, message });
    }
    if ((a.apiRunnerCidrs ?? []).length > MAX_API_CIDRS)
        p.push({ path: "apiRunnerCidrs", message: `at most ${MAX_API_CIDRS} CIDRs` });
    for (const [i, c] of (a.apiRunnerCidrs ?? []).entries()) {
        const message = apiCidrProblem(c);
        if (message) p.push({ path: `apiRunnerCidrs[${i}]`, message });
    }
    if (a.kubernetesVersion !== undefined && !/^1\.\d{2}$/.test(a.kubernetesVersion))
        p.push({ path: "kubernetesVersion", message: "must be a minor version such as 1.35" });
    // Workload fields live under mlops:workload; the platform's own fields keep their arg names.
    return p.map((x) =>
        /^(inference|training)\./.test(x.path) ? { ...x, path: `config.mlops:workload.${x.path}` } : x,
    );
}

/**
 * The Ray worker problem on a given cloud's worker shape: the SLA asks for more workers than the
 * cap. It names the limit that binds (the worker cap against the SLA) and the SLA that would fit.
 */
export function rayProblems(t: RaySpec | undefined, shape: NodeShape): InputProblem[] {
    if (!t) return [];
    const size = rayClusterSize(t, shape);
    if (size.fits) return [];
    return [
        {
            path: "config.mlops:workload.training.slaHours",
            message: `${t.singleMachineHours} h of single-machine training within ${t.slaHours} h needs ${size.workersForSla} Ray workers of ${shape.machineType} (${t.singleMachineHours} / ${t.slaHours} / ${PARALLEL_EFFICIENCY} parallel efficiency), more than the cap of ${MAX_RAY_WORKERS}; allow at least ${shortestRaySlaHours(t.singleMachineHours)} h, or cut training.singleMachineHours (a faster model, or a sample of the data)`,
        },
    ];
}

import * as compute from "@pulumi/gcp/compute";
import * as container from "@pulumi/gcp/container";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { enableApis } from "../blocks/gcp/project";
import { type Capability, placed } from "../capability";
import { foundationProblems } from "../foundation";
import { GcpFoundation } from "../foundation/gcp";
import { G2_REGIONS } from "../machines/gcp";
import type { RegistrySite } from "../registry";
import type { SampleArtifact } from "../shared/artifacts";
import { type Checkable, tagsOf } from "../shared/context";
import { InputError, type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkKubernetesArgs,
    clusterLevel,
    clusterPipelines,
    isProduction,
    KUBERNETES_TYPE,
    KUBERNETES_VERSION,
    type KubernetesArgs,
    type KubernetesCluster,
    type KubernetesSpec,
    type NodeShape,
    poolTags,
    type RunCommands,
    rayClusterSize,
    rayProblems,
    servingNodes,
    servingReplicas,
} from "./index";
import { RAY_NAMESPACE, RAY_SERVICE_ACCOUNT } from "./ray";
import { SERVING_NAME, SERVING_NAMESPACE } from "./serving";
import { type ClusterBinding, POOL_LABEL, type PoolRole, poolTaint, type WorkloadIdentity } from "./workload";
import { deployWorkloads, type Upload } from "./workloads";

/** Machine types per pool: E2 for system and serving, N2 highmem for CPU workers, G2 (one L4) for GPU workers. */
export const GCP_NODE_SHAPES = {
    system: { machineType: "e2-standard-2", vcpus: 2, memoryGb: 8, gpus: 0 },
    serving: { machineType: "e2-standard-4", vcpus: 4, memoryGb: 16, gpus: 0 },
    trainingCpu: { machineType: "n2-highmem-8", vcpus: 8, memoryGb: 64, gpus: 0 },
    trainingGpu: { machineType: "g2-standard-8", vcpus: 8, memoryGb: 32, gpus: 1 },
} as const satisfies Record<string, NodeShape>;

/** The cluster's own subnet in the foundation VPC, with secondary ranges for pods and services (VPC-native). */
export const GKE_SUBNET = {
    nodes: "10.11.0.0/22",
    pods: { rangeName: "pods", ipCidrRange: "10.112.0.0/14" },
    services: { rangeName: "services", ipCidrRange: "10.116.0.0/20" },
} as const;
/** Control-plane components whose logs go to Cloud Logging (besides system components and workloads). */
export const GKE_LOG_COMPONENTS = [
    "SYSTEM_COMPONENTS",
    "APISERVER",
    "CONTROLLER_MANAGER",
    "SCHEDULER",
    "WORKLOADS",
] as const;
/** The one role a node service account needs (logs, metrics, image pulls go per repository). */
export const NODE_ROLE = "roles/container.defaultNodeServiceAccount";
/** Annotation that makes a LoadBalancer Service internal (a regional internal passthrough LB). */
export const INTERNAL_LB_ANNOTATIONS = { "networking.gke.io/load-balancer-type": "Internal" } as const;

function gcpFoundation(a: KubernetesArgs): GcpFoundation {
    throwIfProblems(
        foundationProblems(a.foundation, GcpFoundation, "GCP", {
            ready: (f) => f.networkId !== undefined,
            why: "the cluster's subnet joins its VPC",
        }),
    );
    return a.foundation as GcpFoundation;
}

export function checkGcpKubernetesArgs(a: Checkable<KubernetesArgs>): InputProblem[] {
    const p = checkKubernetesArgs(a);
    if (a.training) {
        const shape = a.training.gpu ? GCP_NODE_SHAPES.trainingGpu : GCP_NODE_SHAPES.trainingCpu;
        p.push(...rayProblems(a.training, shape));
        if (a.training.gpu && !G2_REGIONS.includes(a.region))
            p.push({
                path: "config.mlops:region",
                message: `'${a.region}' has no ${shape.machineType} (NVIDIA L4) nodes for Ray workers; choose one of: ${G2_REGIONS.join(", ")}`,
            });
    }
    return p;
}

/** A kubeconfig that gets tokens from gke-gcloud-auth-plugin (installed with the gcloud CLI). */
export function gkeKubeconfig(clusterName: string, endpoint: string, caData: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            { name: clusterName, cluster: { server: `https://${endpoint}`, "certificate-authority-data": caData } },
        ],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "gke-gcloud-auth-plugin",
                        provideClusterInfo: true,
                        installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
                    },
                },
            },
        ],
    });
}

/**
 * GKE Standard: private nodes and (by default) a private endpoint, Workload Identity, shielded
 * nodes, Dataplane V2, the foundation's Cloud NAT for public images, the REGULAR release channel, control-plane logs, and separately managed node
 * pools with the built-in autoscaler (training down to zero). Outside prod the control plane is
 * zonal, which the GKE free tier pays for (one zonal or Autopilot cluster per billing account);
 * prod gets a regional control plane for its SLA. Standard rather than Autopilot because the Ray
 * workers want whole machines of one shape and GPU pools that scale to zero under our control.
 * Secrets in etcd are encrypted by Google's default encryption: a Cloud KMS key ring can never be
 * deleted (the foundation makes the same choice for the buckets).
 */
export class GcpKubernetes extends pulumi.ComponentResource implements KubernetesCluster {
    readonly clusterName: pulumi.Output<string>;
    readonly endpoint: pulumi.Output<string>;
    readonly kubeconfig: pulumi.Output<string>;
    readonly nodePools: Readonly<Record<string, pulumi.Output<string>>>;
    readonly servingUrl?: pulumi.Output<string>;
    readonly rayClusterName?: pulumi.Output<string>;
    readonly raySizing?: string;
    readonly runCommands: RunCommands;

    constructor(name: string, args: KubernetesArgs, opts?: pulumi.ComponentResourceOptions) {
        super(KUBERNETES_TYPE, name, {}, opts);
        const { ctx } = args;
        const problems = checkGcpKubernetesArgs({ ...args, region: ctx.region });
        if (problems.length > 0) throw new InputError(problems);
        const f = gcpFoundation(args);
        const project = f.project;
        const parent = { parent: this };
        const pipelines = clusterPipelines(args);
        const labels = tagsOf(ctx, pipelines, clusterLevel(args));
        const cidrs = [...(args.apiAuthorizedCidrs ?? [])];
        const runnerCidrs = [...(args.apiRunnerCidrs ?? [])];
        const apis = enableApis(this, name, project, ["container.googleapis.com"]);
        // Nodes have no external IP: the KubeRay operator (quay.io) and Ray (Docker Hub) come through NAT.
        const egress = f.internetEgress;
        if (!egress) throw new Error("the GCP foundation has no internet egress; build it with internetEgress");

        const nodeSa = new serviceaccount.Account(
            `${name}-node-sa`,
            {
                project,
                accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, "gke-nodes"]),
                displayName: `mlops-levels ${ctx.stack} GKE nodes`,
                description: "Identity of GKE nodes: logs, metrics and pulls from the stack's registry only.",
            },
            { ...parent, dependsOn: apis },
        );
        const nodeRole = new projects.IAMMember(
            `${name}-node-role`,
            { project, role: NODE_ROLE, member: nodeSa.member },
            parent,
        );
        const pulls = args.registry ? [args.registry.grantPull(`${name}-node-pull`, nodeSa.member, this)] : [];

        const subnet = new compute.Subnetwork(
            `${name}-subnet`,
            {
                name: physicalName("gcpResource", [ctx.project, ctx.stack, "gke"]),
                project,
                region: ctx.region,
                network: f.networkId!,
                ipCidrRange: GKE_SUBNET.nodes,
                secondaryIpRanges: [GKE_SUBNET.pods, GKE_SUBNET.services],
                // Google APIs and Artifact Registry over Private Google Access; public registries through
                // the foundation's Cloud NAT.
                privateIpGoogleAccess: true,
                logConfig: {
                    aggregationInterval: "INTERVAL_5_SEC",
                    flowSampling: 0.5,
                    metadata: "INCLUDE_ALL_METADATA",
                },
            },
            parent,
        );
        const prod = isProduction(ctx);
        const location = prod
            ? pulumi.output(ctx.region)
            : compute
                  .getZonesOutput({ project, region: ctx.region, status: "UP" }, parent)
                  .names.apply((z) => z[0] ?? `${ctx.region}-b`);
        const shielded = { enableSecureBoot: true, enableIntegrityMonitoring: true };
        const workloadPool = `${project}.svc.id.goog`;
        const cluster = new container.Cluster(
            `${name}-cluster`,
            {
                name: physicalName("gkeCluster", [ctx.project, ctx.stack]),
                project,
                location,
                network: f.networkId!,
                subnetwork: subnet.id,
                networkingMode: "VPC_NATIVE",
                ipAllocationPolicy: {
                    clusterSecondaryRangeName: GKE_SUBNET.pods.rangeName,
                    servicesSecondaryRangeName: GKE_SUBNET.services.rangeName,
                },
                // Node pools are separate resources; the default one exists only while the cluster is created.
                removeDefaultNodePool: true,
                initialNodeCount: 1,
                nodeConfig: {
                    serviceAccount: nodeSa.email,
                    shieldedInstanceConfig: shielded,
                    workloadMetadataConfig: { mode: "GKE_METADATA" },
                },
                privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: cidrs.length === 0 },
                // Authorized networks gate the private endpoint too: beyond the cluster's own subnet, a
                // runner inside the VPC must be listed (mlops:options.kubernetesApiRunnerCidrs).
                masterAuthorizedNetworksConfig: {
                    cidrBlocks: [
                        ...cidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `authorized-${i + 1}` })),
                        ...runnerCidrs.map((cidrBlock, i) => ({ cidrBlock, displayName: `runner-${i + 1}` })),
                    ],
                    gcpPublicCidrsAccessEnabled: false,
                },
                workloadIdentityConfig: { workloadPool },
                releaseChannel: { channel: "REGULAR" },
                minMasterVersion: args.kubernetesVersion ?? KUBERNETES_VERSION,
                enableShieldedNodes: true,
                datapathProvider: "ADVANCED_DATAPATH",
                loggingConfig: { enableComponents: [...GKE_LOG_COMPONENTS] },
                monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"] },
                // Off in every stack, like Pulumi's protect: a cluster holds nothing the stack cannot
                // rebuild (images live in the registry, models and data in the foundation's storage), and
                // a prod stack moving below inference 5 or training 2 must be able to remove it.
                deletionProtection: false,
                resourceLabels: labels,
            },
            { ...parent, dependsOn: [...apis, nodeRole] },
        );

        const nodePools: Record<string, pulumi.Output<string>> = {};
        const pool = (role: PoolRole, shape: NodeShape, min: number, max: number) => {
            const taint = poolTaint(role);
            const gpu = shape.gpus > 0;
            const np = new container.NodePool(
                `${name}-${role}`,
                {
                    name: role,
                    project,
                    cluster: cluster.name,
                    location: cluster.location,
                    initialNodeCount: min,
                    // Totals, so the bounds mean the same for zonal and regional clusters.
                    autoscaling: { totalMinNodeCount: min, totalMaxNodeCount: max, locationPolicy: "ANY" },
                    management: { autoRepair: true, autoUpgrade: true },
                    nodeConfig: {
                        machineType: shape.machineType,
                        serviceAccount: nodeSa.email,
                        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
                        imageType: "COS_CONTAINERD",
                        diskType: "pd-balanced",
                        diskSizeGb: gpu ? 150 : 50,
                        shieldedInstanceConfig: shielded,
                        workloadMetadataConfig: { mode: "GKE_METADATA" },
                        labels: { [POOL_LABEL]: role },
                        resourceLabels: poolTags(ctx, role, args),
                        ...(taint ? { taints: [{ key: taint.key, value: taint.value, effect: "NO_SCHEDULE" }] } : {}),
                        ...(gpu
                            ? {
                                  guestAccelerators: [
                                      {
                                          type: "nvidia-l4",
                                          count: shape.gpus,
                                          gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" },
                                      },
                                  ],
                              }
                            : {}),
                    },
                },
                { ...parent, ignoreChanges: ["initialNodeCount"] },
            );
            nodePools[role] = np.name;
            return np;
        };
        const system = pool("system", GCP_NODE_SHAPES.system, 1, 3);
        const replicas = args.serving ? servingReplicas(args.serving.peakQps, args.serving.podQps) : undefined;
        if (replicas) {
            const n = servingNodes(replicas);
            pool("serving", GCP_NODE_SHAPES.serving, n.minNodes, n.maxNodes);
        }
        const workerShape = args.training?.gpu ? GCP_NODE_SHAPES.trainingGpu : GCP_NODE_SHAPES.trainingCpu;
        const ray = args.training ? rayClusterSize(args.training, workerShape) : undefined;
        if (ray) {
            pool("training", workerShape, 0, ray.workers);
            this.raySizing = ray.reason;
        }

        this.clusterName = cluster.name;
        this.endpoint = pulumi.interpolate`https://${cluster.endpoint}`;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.masterAuth])
                .apply(([n, e, auth]) => gkeKubeconfig(n, e, auth.clusterCaCertificate ?? "")),
        );
        const provider = new KubernetesProvider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            // Charts and pods pull from public registries only once the NAT is up.
            { ...parent, dependsOn: [system, egress] },
        );
        const binding: ClusterBinding = {
            provider,
            labels,
            storageEnv: { DATA_URI: f.dataUri, ARTIFACTS_URI: f.artifactsUri },
        };
        /** A service account pods of `namespace/serviceAccount` act as, with `role` on the given buckets. */
        const workloadIdentity = (
            suffix: string,
            namespace: string,
            serviceAccountName: string,
            role: string,
            buckets: pulumi.Output<string>[],
        ): WorkloadIdentity => {
            const gsa = new serviceaccount.Account(
                `${name}-${suffix}-sa`,
                {
                    project,
                    accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, suffix]),
                    displayName: `mlops-levels ${ctx.stack} ${suffix} pods`,
                },
                { ...parent, dependsOn: apis },
            );
            // The identity pool exists once the cluster does.
            const federation = new serviceaccount.IAMMember(
                `${name}-${suffix}-wi`,
                {
                    serviceAccountId: gsa.name,
                    role: "roles/iam.workloadIdentityUser",
                    member: `serviceAccount:${workloadPool}[${namespace}/${serviceAccountName}]`,
                },
                { ...parent, dependsOn: [cluster] },
            );
            const grants = buckets.map(
                (bucket, i) =>
                    new storage.BucketIAMMember(
                        `${name}-${suffix}-bucket-${i + 1}`,
                        { bucket, role, member: gsa.member },
                        parent,
                    ),
            );
            return {
                annotations: { "iam.gke.io/gcp-service-account": gsa.email },
                podLabels: {},
                env: {},
                dependsOn: [federation, ...grants],
            };
        };

        /**
         * A sample file: the foundation's upload of it (declared in this kit's needs), shared with every
         * other level that reads it, so no two resources of the stack write the same object.
         */
        const upload = (_logical: string, a: SampleArtifact): Upload => {
            const object = f.sampleObject(a.name);
            return { url: object.uri, resource: object.resource };
        };
        const workloads = deployWorkloads(this, name, args, binding, {
            servingIdentity: () =>
                workloadIdentity("serving", SERVING_NAMESPACE, SERVING_NAME, "roles/storage.objectViewer", [
                    f.artifactsBucketName,
                ]),
            rayIdentity: () =>
                workloadIdentity("ray", RAY_NAMESPACE, RAY_SERVICE_ACCOUNT, "roles/storage.objectAdmin", [
                    f.dataBucketName,
                    f.artifactsBucketName,
                ]),
            loadBalancer: { internal: { ...INTERNAL_LB_ANNOTATIONS }, public: {} },
            workerShape,
            // GKE installs the NVIDIA drivers and device plugin on GPU node pools itself.
            gpuDevicePlugin: false,
            servingDependsOn: pulls,
            upload,
            storeUrl: (store, key) =>
                pulumi.interpolate`gs://${store === "data" ? f.dataBucketName : f.artifactsBucketName}/${key}`,
        });
        this.runCommands = workloads.runCommands;
        this.servingUrl = workloads.servingUrl;
        this.rayClusterName = workloads.rayClusterName;
        this.nodePools = nodePools;
        this.registerOutputs({
            clusterName: this.clusterName,
            endpoint: this.endpoint,
            kubeconfig: this.kubeconfig,
            servingUrl: this.servingUrl,
            rayClusterName: this.rayClusterName,
        });
    }
}

export const gcpKubernetesKit: Capability<KubernetesSpec, GcpKubernetes, RegistrySite> = {
    check: checkGcpKubernetesArgs,
    // Nodes have no external IP: the KubeRay operator (quay.io) and Ray (Docker Hub) come through NAT.
    // The sample files the default workloads read are the foundation's uploads (deployWorkloads).
    needs: (spec) => {
        const samples = [
            ...(spec.serving && spec.serving.image === undefined ? ["model"] : []),
            ...(spec.training ? ["jobs-package", "sample-data"] : []),
        ];
        return {
            internetEgress: { pipeline: clusterPipelines(spec), level: clusterLevel(spec) },
            ...(samples.length > 0 ? { samples } : {}),
        };
    },
    create: (name, spec, site, opts) =>
        new GcpKubernetes(name, { ...placed(spec, site), registry: site.registry }, opts),
};

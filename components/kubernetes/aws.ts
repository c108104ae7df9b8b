import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
import * as helm from "@pulumi/kubernetes/helm/v3";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { instanceTrustPolicy, policyJson, type Statement } from "../blocks/aws/iam";
import { LOG_RETENTION_DAYS } from "../blocks/aws/logs";
import { type Capability, placed } from "../capability";
import { foundationProblems } from "../foundation";
import { AwsFoundation } from "../foundation/aws";
import type { RegistrySite } from "../registry";
import type { SampleArtifact } from "../shared/artifacts";
import { type Checkable, tagsOf } from "../shared/context";
import { InputError, type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkKubernetesArgs,
    clusterLevel,
    clusterPipelines,
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

/** Node machines per pool. m7i/r7i: current Intel generations; g5: one NVIDIA A10G (24 GB). */
export const AWS_NODE_SHAPES = {
    system: { machineType: "m7i.large", vcpus: 2, memoryGb: 8, gpus: 0 },
    serving: { machineType: "m7i.xlarge", vcpus: 4, memoryGb: 16, gpus: 0 },
    trainingCpu: { machineType: "r7i.2xlarge", vcpus: 8, memoryGb: 64, gpus: 0 },
    trainingGpu: { machineType: "g5.2xlarge", vcpus: 8, memoryGb: 32, gpus: 1 },
} as const satisfies Record<string, NodeShape>;

/**
 * Regions with G5 instances (EC2 "instance types by Region"). A GPU Ray pool elsewhere is refused
 * before anything is planned.
 */
export const G5_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-north-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "sa-east-1",
];

/** AL2023 is the supported node OS from 1.33 on (no AL2 AMIs); the NVIDIA variant carries the GPU driver. */
export const AMI_TYPES = { cpu: "AL2023_x86_64_STANDARD", gpu: "AL2023_x86_64_NVIDIA" } as const;
/** Every control-plane log type, kept LOG_RETENTION_DAYS in a KMS-encrypted group. */
export const CONTROL_PLANE_LOGS = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/**
 * Interface endpoints for what nodes call in AWS: image pulls (ECR), the VPC CNI (EC2), IRSA tokens
 * (STS) and the cluster autoscaler (Auto Scaling). S3 is the foundation's free gateway. The NAT
 * could carry all of it, but then node bootstrap and the stack's own images would depend on one
 * gateway in one zone, and ECR layers through an endpoint cost $0.01/GB against NAT's $0.045/GB.
 * Idle cost: 5 endpoints x 2 zones x ~$7.30/month = ~$73/month, on top of the control plane's ~$73.
 */
export const NODE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "ec2", "sts", "autoscaling"] as const;
/** Cluster Autoscaler chart (kubernetes.github.io/autoscaler) whose app version matches KUBERNETES_VERSION (1.35.0). */
export const CLUSTER_AUTOSCALER_CHART = {
    chart: "cluster-autoscaler",
    version: "9.59.0",
    repo: "https://kubernetes.github.io/autoscaler",
} as const;
/** Root volume per node: the AMI plus image layers; GPU images (CUDA) are several GB each. */
export const ROOT_VOLUME_GB = { cpu: 50, gpu: 150 } as const;
/**
 * The EKS add-on that runs the Kubernetes Metrics Server, which the serving autoscaler's CPU metric
 * reads: EKS does not run one by default ("View resource usage with the Kubernetes Metrics Server",
 * EKS user guide; an EKS community add-on). No version is named: EKS installs its default version
 * for the cluster's Kubernetes version when the add-on is created (CreateAddon: `addonVersion` is
 * optional), and later runs keep it; moving it is a deliberate change of `addonVersion`.
 */
export const METRICS_SERVER_ADDON = "metrics-server";
/** Annotations that make the in-tree AWS load balancer internal (a Network Load Balancer). */
export const INTERNAL_LB_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
} as const;

function awsFoundation(a: KubernetesArgs): AwsFoundation {
    throwIfProblems(
        foundationProblems(a.foundation, AwsFoundation, "AWS", {
            ready: (f) => f.hasNetwork && f.privateSubnetIds !== undefined && f.jobSecurityGroupId !== undefined,
            why: "the nodes run in its private subnets",
        }),
    );
    return a.foundation as AwsFoundation;
}

/** AWS limits on top of the cloud-neutral checks. Pure. */
export function checkAwsKubernetesArgs(a: Checkable<KubernetesArgs>): InputProblem[] {
    const p = checkKubernetesArgs(a);
    if (a.training) {
        const shape = a.training.gpu ? AWS_NODE_SHAPES.trainingGpu : AWS_NODE_SHAPES.trainingCpu;
        p.push(...rayProblems(a.training, shape));
        if (a.training.gpu && !G5_REGIONS.includes(a.region))
            p.push({
                path: "config.mlops:region",
                message: `'${a.region}' has no ${shape.machineType} GPU nodes for Ray workers; choose one of: ${G5_REGIONS.join(", ")}`,
            });
    }
    return p;
}

/** A kubeconfig that gets tokens from `aws eks get-token` (the AWS CLI must be on the path). */
export function eksKubeconfig(clusterName: string, endpoint: string, caData: string, region: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: [
                            "eks",
                            "get-token",
                            "--cluster-name",
                            clusterName,
                            "--region",
                            region,
                            "--output",
                            "json",
                        ],
                    },
                },
            },
        ],
    });
}

/**
 * EKS: a private control plane (API "access entries" auth, secrets envelope-encrypted with the
 * foundation's KMS key, every log type on), managed node groups on AL2023 in the foundation's
 * private subnets (AWS services through interface endpoints, public images through the foundation's
 * NAT gateway) with encrypted root volumes and IMDSv2 only, IRSA through the cluster's OIDC
 * provider, and the Cluster Autoscaler (EKS has none of its own) so pools follow the pods down to
 * zero. Serving and Ray run on top through a Kubernetes provider built from the cluster's outputs.
 */
export class AwsKubernetes extends pulumi.ComponentResource implements KubernetesCluster {
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
        const problems = checkAwsKubernetesArgs({ ...args, region: ctx.region });
        if (problems.length > 0) throw new InputError(problems);
        const f = awsFoundation(args);
        const parent = { parent: this };
        const pipelines = clusterPipelines(args);
        const tags = tagsOf(ctx, pipelines, clusterLevel(args));
        const clusterName = physicalName("eksCluster", [ctx.project, ctx.stack]);
        const cidrs = [...(args.apiAuthorizedCidrs ?? [])];
        const runnerCidrs = [...(args.apiRunnerCidrs ?? [])];
        const arn = (service: string, resource: pulumi.Input<string>) =>
            pulumi.interpolate`arn:${f.partition}:${service}:${ctx.region}:${f.accountId}:${resource}`;
        const managed = (policy: string) => pulumi.interpolate`arn:${f.partition}:iam::aws:policy/${policy}`;

        // AWS APIs and the stack's registry stay on endpoints in the VPC (no NAT data charge, no
        // internet hop); only public registries (quay.io, Docker Hub, registry.k8s.io) go through NAT.
        const endpoints = f.endpointsOf(NODE_ENDPOINT_SERVICES);
        const egress = f.internetEgress;
        if (!egress) throw new Error("the AWS foundation has no internet egress; build it with internetEgress");

        const clusterRole = new iam.Role(
            `${name}-cluster-role`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, "eks-cluster"]),
                assumeRolePolicy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "eks.amazonaws.com" },
                            Action: ["sts:AssumeRole", "sts:TagSession"],
                        },
                    ],
                }),
                tags,
            },
            parent,
        );
        const clusterPolicy = new iam.RolePolicyAttachment(
            `${name}-cluster-policy`,
            { role: clusterRole.name, policyArn: managed("AmazonEKSClusterPolicy") },
            parent,
        );
        const clusterKms = new iam.RolePolicy(
            `${name}-cluster-kms`,
            {
                role: clusterRole.id,
                policy: policyJson([
                    {
                        Sid: "EnvelopeEncryptSecrets",
                        Effect: "Allow",
                        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                        Resource: f.kmsKeyArn,
                    },
                ]),
            },
            parent,
        );
        // Created before the cluster, so EKS writes into a group with retention and encryption.
        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/aws/eks/${clusterName}/cluster`,
                retentionInDays: LOG_RETENTION_DAYS,
                kmsKeyId: f.kmsKeyArn,
                tags,
            },
            parent,
        );
        const cluster = new eks.Cluster(
            `${name}-cluster`,
            {
                name: clusterName,
                version: args.kubernetesVersion ?? KUBERNETES_VERSION,
                roleArn: clusterRole.arn,
                vpcConfig: {
                    subnetIds: f.privateSubnetIds!,
                    endpointPrivateAccess: true,
                    endpointPublicAccess: cidrs.length > 0,
                    ...(cidrs.length > 0 ? { publicAccessCidrs: cidrs } : {}),
                },
                accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
                encryptionConfig: { provider: { keyArn: f.kmsKeyArn }, resources: ["secrets"] },
                enabledClusterLogTypes: [...CONTROL_PLANE_LOGS],
                // Extended support costs $0.50 more per hour; the cluster is upgraded instead.
                upgradePolicy: { supportType: "STANDARD" },
                // Off in every stack, like Pulumi's protect: a cluster holds nothing the stack cannot
                // rebuild (images live in the registry, models and data in the foundation's storage), and
                // a prod stack moving below inference 5 or training 2 must be able to remove it.
                deletionProtection: false,
                tags,
            },
            { ...parent, dependsOn: [clusterPolicy, clusterKms, logGroup, ...endpoints] },
        );
        const issuer = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? "");
        const oidc = new iam.OpenIdConnectProvider(
            `${name}-oidc`,
            { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags },
            parent,
        );
        const issuerHost = issuer.apply((u) => u.replace(/^https:\/\//, ""));
        /** A role that pods running as `namespace/serviceAccount` (and nothing else) may assume. */
        const podRole = (
            suffix: string,
            namespace: string,
            serviceAccount: string,
            statements: Statement[] | pulumi.Output<string>,
        ) => {
            const role = new iam.Role(
                `${name}-${suffix}-role`,
                {
                    name: physicalName("awsIamRole", [ctx.project, ctx.stack, suffix]),
                    assumeRolePolicy: pulumi.all([oidc.arn, issuerHost]).apply(([provider, host]) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Principal: { Federated: provider },
                                    Action: "sts:AssumeRoleWithWebIdentity",
                                    Condition: {
                                        StringEquals: {
                                            [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                                            [`${host}:aud`]: "sts.amazonaws.com",
                                        },
                                    },
                                },
                            ],
                        }),
                    ),
                    tags,
                },
                parent,
            );
            const policy = new iam.RolePolicy(
                `${name}-${suffix}-policy`,
                { role: role.id, policy: Array.isArray(statements) ? policyJson(statements) : statements },
                parent,
            );
            return { role, policy };
        };

        const nodeRole = new iam.Role(
            `${name}-node-role`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, "eks-node"]),
                assumeRolePolicy: instanceTrustPolicy(),
                tags,
            },
            parent,
        );
        // Pull-only ECR rights (not read-only): EKS add-on images live in AWS's own registries.
        const nodePolicies = [
            "AmazonEKSWorkerNodePolicy",
            "AmazonEKS_CNI_Policy",
            "AmazonEC2ContainerRegistryPullOnly",
        ].map(
            (p) =>
                new iam.RolePolicyAttachment(
                    `${name}-node-${p
                        .replace(/^Amazon/, "")
                        .replace(/_/g, "-")
                        .toLowerCase()}`,
                    { role: nodeRole.name, policyArn: managed(p) },
                    parent,
                ),
        );
        const pulls = args.registry ? [args.registry.grantPull(`${name}-node-pull`, nodeRole.name, this)] : [];

        const clusterSg = cluster.vpcConfig.apply((v) => v.clusterSecurityGroupId ?? "");
        // The private endpoint answers inside the VPC only to what the cluster security group lets
        // in (itself: control plane and nodes). A runner that deploys from inside the network gets
        // HTTPS to it here, by CIDR; nothing else does.
        const runnerRules = runnerCidrs.map(
            (cidrIpv4, i) =>
                new vpc.SecurityGroupIngressRule(
                    `${name}-api-runner-${i + 1}`,
                    {
                        securityGroupId: clusterSg,
                        cidrIpv4,
                        ipProtocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        description: "Kubernetes API from a runner that deploys the stack",
                        tags,
                    },
                    parent,
                ),
        );
        const nodePools: Record<string, pulumi.Output<string>> = {};
        const pool = (role: PoolRole, shape: NodeShape, min: number, max: number) => {
            const gpu = shape.gpus > 0;
            const poolTagSet = poolTags(ctx, role, args);
            const template = new ec2.LaunchTemplate(
                `${name}-${role}-nodes`,
                {
                    description: `EKS ${role} nodes of ${clusterName}`,
                    // The cluster group lets nodes and control plane talk; the job group reaches the endpoints.
                    vpcSecurityGroupIds: [clusterSg, f.jobSecurityGroupId!],
                    blockDeviceMappings: [
                        {
                            deviceName: "/dev/xvda",
                            ebs: {
                                volumeSize: gpu ? ROOT_VOLUME_GB.gpu : ROOT_VOLUME_GB.cpu,
                                volumeType: "gp3",
                                // The account's EBS key: a customer key would need a grant to the Auto
                                // Scaling service-linked role, which may not exist yet in a new account.
                                encrypted: "true",
                                deleteOnTermination: "true",
                            },
                        },
                    ],
                    // IMDSv2 only, one hop: pods cannot borrow the node's role; they have IRSA.
                    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                    tagSpecifications: [
                        { resourceType: "instance", tags: poolTagSet },
                        { resourceType: "volume", tags: poolTagSet },
                    ],
                    tags: poolTagSet,
                },
                parent,
            );
            const taint = poolTaint(role);
            const group = new eks.NodeGroup(
                `${name}-${role}`,
                {
                    clusterName: cluster.name,
                    nodeGroupName: role,
                    nodeRoleArn: nodeRole.arn,
                    subnetIds: f.privateSubnetIds!,
                    amiType: gpu ? AMI_TYPES.gpu : AMI_TYPES.cpu,
                    instanceTypes: [shape.machineType],
                    capacityType: "ON_DEMAND",
                    launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
                    scalingConfig: { minSize: min, maxSize: max, desiredSize: min },
                    updateConfig: { maxUnavailable: 1 },
                    labels: { [POOL_LABEL]: role },
                    ...(taint ? { taints: [{ key: taint.key, value: taint.value, effect: "NO_SCHEDULE" }] } : {}),
                    tags: poolTagSet,
                },
                // The autoscaler owns the size once the group exists.
                { ...parent, dependsOn: nodePolicies, ignoreChanges: ["scalingConfig.desiredSize"] },
            );
            nodePools[role] = group.nodeGroupName;
            return group;
        };
        const system = pool("system", AWS_NODE_SHAPES.system, 1, 3);
        const replicas = args.serving ? servingReplicas(args.serving.peakQps, args.serving.podQps) : undefined;
        if (replicas) {
            const n = servingNodes(replicas);
            pool("serving", AWS_NODE_SHAPES.serving, n.minNodes, n.maxNodes);
        }
        const workerShape = args.training?.gpu ? AWS_NODE_SHAPES.trainingGpu : AWS_NODE_SHAPES.trainingCpu;
        const ray = args.training ? rayClusterSize(args.training, workerShape) : undefined;
        if (ray) {
            pool("training", workerShape, 0, ray.workers);
            this.raySizing = ray.reason;
        }

        this.clusterName = cluster.name;
        this.endpoint = cluster.endpoint;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
                .apply(([n, e, ca]) => eksKubeconfig(n, e, ca.data ?? "", ctx.region)),
        );
        // The HPA's CPU metric: the add-on's pods run on the system nodes (no tolerations needed).
        new eks.Addon(
            `${name}-metrics-server`,
            {
                clusterName: cluster.name,
                addonName: METRICS_SERVER_ADDON,
                resolveConflictsOnCreate: "OVERWRITE",
                tags,
            },
            { ...parent, dependsOn: [system] },
        );
        const provider = new KubernetesProvider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            // Charts and pods pull from public registries only once the NAT route is in place; a
            // runner inside the VPC reaches the API only once its rule exists.
            { ...parent, dependsOn: [system, egress, ...runnerRules] },
        );
        const labels = tagsOf(ctx, pipelines, clusterLevel(args));

        const autoscalerSa = "cluster-autoscaler";
        const autoscaler = podRole("cluster-autoscaler", "kube-system", autoscalerSa, [
            {
                Sid: "Discover",
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                Resource: "*",
            },
            {
                // Node groups' labels and taints let it scale a group up from zero.
                Sid: "DescribeNodeGroups",
                Effect: "Allow",
                Action: "eks:DescribeNodegroup",
                Resource: arn("eks", pulumi.interpolate`nodegroup/${clusterName}/*/*`),
            },
            {
                Sid: "ScaleOwnGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ]);
        new helm.Release(
            `${name}-cluster-autoscaler`,
            {
                name: "cluster-autoscaler",
                chart: CLUSTER_AUTOSCALER_CHART.chart,
                version: CLUSTER_AUTOSCALER_CHART.version,
                repositoryOpts: { repo: CLUSTER_AUTOSCALER_CHART.repo },
                namespace: "kube-system",
                atomic: true,
                values: {
                    cloudProvider: "aws",
                    awsRegion: ctx.region,
                    autoDiscovery: { clusterName },
                    rbac: {
                        serviceAccount: {
                            create: true,
                            name: autoscalerSa,
                            annotations: { "eks.amazonaws.com/role-arn": autoscaler.role.arn },
                        },
                    },
                    nodeSelector: { [POOL_LABEL]: "system" },
                    extraArgs: { "balance-similar-node-groups": true, "scale-down-unneeded-time": "5m" },
                },
            },
            { ...parent, provider, dependsOn: [autoscaler.policy] },
        );

        const binding: ClusterBinding = {
            provider,
            labels,
            // boto3 reads the region from AWS_DEFAULT_REGION (KServe's S3 download builds its client so).
            storageEnv: {
                DATA_URI: f.dataUri,
                ARTIFACTS_URI: f.artifactsUri,
                AWS_REGION: ctx.region,
                AWS_DEFAULT_REGION: ctx.region,
            },
        };
        const irsa = (r: { role: iam.Role; policy: iam.RolePolicy }): WorkloadIdentity => ({
            annotations: { "eks.amazonaws.com/role-arn": r.role.arn },
            podLabels: {},
            env: {},
            dependsOn: [r.policy],
        });

        /**
         * A sample file: the foundation's upload of it (FoundationNeeds.samples, asked for in the
         * kit's needs), so two levels reading the same file never own the same S3 key twice.
         */
        const upload = (_logical: string, a: SampleArtifact): Upload => ({
            url: f.sampleUri(a.name),
            resource: f.sampleObject(a.name),
        });
        const workloads = deployWorkloads(this, name, args, binding, {
            // The model only reads what training wrote.
            servingIdentity: () =>
                irsa(
                    podRole("serving", SERVING_NAMESPACE, SERVING_NAME, [
                        {
                            Sid: "ListArtifacts",
                            Effect: "Allow",
                            Action: "s3:ListBucket",
                            Resource: f.artifactsBucketArn,
                        },
                        {
                            Sid: "ReadArtifacts",
                            Effect: "Allow",
                            Action: "s3:GetObject",
                            Resource: pulumi.interpolate`${f.artifactsBucketArn}/*`,
                        },
                        {
                            Sid: "DecryptArtifacts",
                            Effect: "Allow",
                            Action: ["kms:Decrypt", "kms:DescribeKey"],
                            Resource: f.kmsKeyArn,
                        },
                    ]),
                ),
            rayIdentity: () => irsa(podRole("ray", RAY_NAMESPACE, RAY_SERVICE_ACCOUNT, f.storagePolicyJson)),
            loadBalancer: {
                internal: { ...INTERNAL_LB_ANNOTATIONS },
                public: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
            },
            workerShape,
            gpuDevicePlugin: true,
            servingDependsOn: pulls,
            upload,
            storeUrl: (store, key) =>
                pulumi.interpolate`s3://${store === "data" ? f.dataBucketName : f.artifactsBucketName}/${key}`,
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

export const awsKubernetesKit: Capability<KubernetesSpec, AwsKubernetes, RegistrySite> = {
    check: checkAwsKubernetesArgs,
    // Nodes reach AWS APIs and the stack's registry through endpoints; public images through NAT.
    needs: (spec) => {
        // The sample files the default workloads read, uploaded once by the foundation.
        const samples = [
            ...(spec.serving && spec.serving.image === undefined ? ["model"] : []),
            ...(spec.training ? ["jobs-package", "sample-data"] : []),
        ];
        return {
            interfaceEndpoints: NODE_ENDPOINT_SERVICES,
            internetEgress: { pipeline: clusterPipelines(spec), level: clusterLevel(spec) },
            ...(samples.length > 0 ? { samples } : {}),
        };
    },
    create: (name, spec, site, opts) =>
        new AwsKubernetes(name, { ...placed(spec, site), registry: site.registry }, opts),
};

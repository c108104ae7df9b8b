import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import {
    deterministicGuid,
    RBAC_PROPAGATION,
    roleDefinitionId,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
} from "../blocks/azure/roles";
import { type Capability, placed } from "../capability";
import { asFoundation } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { normaliseRegion, SERVERLESS_GPU_REGIONS, T4_PROFILE } from "../machines/azure";
import type { RegistrySite } from "../registry";
import type { SampleArtifact } from "../shared/artifacts";
import { type Checkable, tagsOf } from "../shared/context";
import { InputError, type InputProblem } from "../shared/errors";
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

/** VM sizes per pool: Dsv5 general purpose, Esv5 memory optimised, NCasT4_v3 one NVIDIA T4 (16 GB). */
export const AZURE_NODE_SHAPES = {
    system: { machineType: "Standard_D2s_v5", vcpus: 2, memoryGb: 8, gpus: 0 },
    serving: { machineType: "Standard_D4s_v5", vcpus: 4, memoryGb: 16, gpus: 0 },
    trainingCpu: { machineType: "Standard_E8s_v5", vcpus: 8, memoryGb: 64, gpus: 0 },
    trainingGpu: { machineType: "Standard_NC8as_T4_v3", vcpus: 8, memoryGb: 56, gpus: 1 },
} as const satisfies Record<string, NodeShape>;

/**
 * Regions offering NCasT4_v3. The serverless T4 profile runs on this hardware, so its region list
 * (machines/azure.ts) is a safe subset.
 */
export const NCAST4_REGIONS: readonly string[] = SERVERLESS_GPU_REGIONS[T4_PROFILE] ?? [];

/** Built-in roles (ids are the same in every tenant). */
export const ROLES = {
    networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
    aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
    storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    storageBlobDataContributor: STORAGE_BLOB_DATA_CONTRIBUTOR,
} as const;

/** Control-plane log categories sent to the foundation's Log Analytics workspace. */
export const AKS_LOG_CATEGORIES = [
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
] as const;
/** Overlay pod and service ranges: outside the foundation VNet (10.0.0.0/16) so routes never clash. */
export const POD_CIDR = "10.244.0.0/16";
export const SERVICE_CIDR = "10.100.0.0/16";
export const DNS_SERVICE_IP = "10.100.0.10";
/** Token audience Azure workload identity federation expects. */
export const WORKLOAD_IDENTITY_AUDIENCE = "api://AzureADTokenExchange";
export { RBAC_PROPAGATION } from "../blocks/azure/roles";
/**
 * The AKS AAD server application: the audience kubelogin asks tokens for (kubelogin
 * docs/book/src/concepts/aks.md); used when the returned kubeconfig does not name one.
 */
export const AKS_SERVER_ID = "6dae42f8-4368-4678-94ff-3960e28e3630";
/**
 * kubelogin's login mode in the stack's kubeconfig. The credentials API returns `devicecode`, an
 * interactive sign-in no unattended `pulumi up` can answer (pulumi-azure-native issues 2399, 2579).
 * `azurecli` reuses the Azure CLI's sign-in (`az login` by a person, `az login --identity` on a
 * runner in the VNet). CI sets `AAD_LOGIN_METHOD=workloadidentity`, which kubelogin's get-token
 * takes over the `--login` argument (kubelogin v0.2.19 `pkg/internal/token/options.go`).
 */
export const AKS_LOGIN_MODE = "azurecli";

/** Who runs `pulumi up` on Azure: a person, or a service principal or managed identity (CI, a runner). */
export type DeployerPrincipalType = "User" | "ServicePrincipal";

/**
 * The deployer's principal type when the stack does not say (`mlops:options.deployerPrincipalType`):
 * `ServicePrincipal` when the azure-native provider is configured to sign in as an application or a
 * managed identity (`ARM_CLIENT_ID`, `ARM_USE_OIDC`, `ARM_USE_MSI`: what CI and runners set),
 * `User` otherwise (a person after `az login`). A role assignment whose type does not match its
 * principal is refused by ARM; the SDK sends `User` when none is given. Pure.
 */
export function defaultDeployerPrincipalType(env: Readonly<Record<string, string | undefined>>): DeployerPrincipalType {
    const set = (k: string) => (env[k] ?? "").trim() !== "";
    const on = (k: string) => (env[k] ?? "").trim().toLowerCase() === "true";
    return set("ARM_CLIENT_ID") || on("ARM_USE_OIDC") || on("ARM_USE_MSI") ? "ServicePrincipal" : "User";
}

/**
 * The user kubeconfig from `listManagedClusterUserCredentials` with every kubelogin user switched to
 * a non-interactive login: `get-token --login <mode> --server-id <id>`, as `kubelogin
 * convert-kubeconfig -l azurecli` writes it (kubelogin v0.2.19 `pkg/internal/converter/convert.go`:
 * the input's tenant and client ids are dropped for `azurecli`, since an Azure CLI signed in with a
 * managed identity refuses a tenant). Other users are left as they are. Pure.
 */
export function nonInteractiveKubeconfig(kubeconfig: string, mode: string = AKS_LOGIN_MODE): string {
    const doc = parseYaml(kubeconfig) as { users?: { user?: { exec?: Record<string, unknown> } }[] } | null;
    for (const u of doc?.users ?? []) {
        const exec = u.user?.exec;
        if (!exec || !String(exec["command"] ?? "").endsWith("kubelogin")) continue;
        const args = Array.isArray(exec["args"]) ? (exec["args"] as string[]) : [];
        const at = args.indexOf("--server-id");
        const serverId = at >= 0 && args[at + 1] ? args[at + 1]! : AKS_SERVER_ID;
        exec["args"] = ["get-token", "--login", mode, "--server-id", serverId];
    }
    return toYaml(doc);
}

function azureFoundation(a: KubernetesArgs): AzureFoundation {
    return asFoundation(a.foundation, AzureFoundation, "Azure");
}

export function checkAzureKubernetesArgs(a: Checkable<KubernetesArgs>): InputProblem[] {
    const p = checkKubernetesArgs(a);
    if (a.training) {
        const shape = a.training.gpu ? AZURE_NODE_SHAPES.trainingGpu : AZURE_NODE_SHAPES.trainingCpu;
        p.push(...rayProblems(a.training, shape));
        if (a.training.gpu && !NCAST4_REGIONS.includes(normaliseRegion(a.region)))
            p.push({
                path: "config.mlops:region",
                message: `'${a.region}' has no ${shape.machineType} GPU nodes for Ray workers; choose one of: ${NCAST4_REGIONS.join(", ")}`,
            });
    }
    return p;
}

/**
 * AKS: Free tier outside prod (Standard, with the uptime SLA, in prod); a private API server (or
 * authorized IP ranges); Entra ID sign-in with Azure RBAC and local accounts disabled; the OIDC
 * issuer and workload identity; Azure CNI overlay with Cilium; node pools on Azure Linux in the
 * foundation VNet with the cluster autoscaler, the training pool down to zero; control-plane logs to
 * the foundation's workspace. etcd is encrypted at rest by the platform: Key Vault KMS would need a
 * vault with purge protection that outlives every torn-down dev stack for 90 days.
 */
export class AzureKubernetes extends pulumi.ComponentResource implements KubernetesCluster {
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
        const problems = checkAzureKubernetesArgs({ ...args, region: ctx.region });
        if (problems.length > 0) throw new InputError(problems);
        const f = azureFoundation(args);
        const parent = { parent: this };
        const pipelines = clusterPipelines(args);
        const tags = tagsOf(ctx, pipelines, clusterLevel(args));
        const resourceGroupName = f.resourceGroupName;
        const location = f.location;
        const cidrs = [...(args.apiAuthorizedCidrs ?? [])];
        const subnetId = f.kubernetesSubnetId;
        if (!subnetId) throw new Error("the Azure foundation has no Kubernetes subnet; build it with kubernetesSubnet");
        const clusterResourceName = physicalName("azureGeneral", [ctx.project, ctx.stack, "aks"]);
        const guid = (...parts: string[]) =>
            ctx.uniqueSuffix.apply((s) => deterministicGuid(ctx.project, ctx.stack, s, ...parts));

        const controlPlane = new managedidentity.UserAssignedIdentity(
            `${name}-identity`,
            {
                resourceGroupName,
                location,
                resourceName: physicalName("azureGeneral", [ctx.project, ctx.stack, "aks-control-plane"]),
                tags,
            },
            parent,
        );
        const subscriptionScope = subnetId.apply((id) => id.split("/").slice(0, 3).join("/"));
        const role = (id: string) => roleDefinitionId(subscriptionScope, id);
        // A bring-your-own subnet must be joinable before the cluster exists (hence a user-assigned identity).
        const joinSubnet = new authorization.RoleAssignment(
            `${name}-subnet-join`,
            {
                roleAssignmentName: guid("aks-subnet", ROLES.networkContributor),
                scope: subnetId,
                roleDefinitionId: role(ROLES.networkContributor),
                principalId: controlPlane.principalId,
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "AKS control plane manages node interfaces and internal load balancers in its subnet",
            },
            parent,
        );

        const nodePool = (role: PoolRole, shape: NodeShape, min: number, max: number) => {
            const taint = poolTaint(role);
            return {
                name: role,
                vmSize: shape.machineType,
                count: min,
                minCount: min,
                maxCount: max,
                enableAutoScaling: true,
                mode: role === "system" ? "System" : "User",
                osType: "Linux",
                osSKU: "AzureLinux",
                type: "VirtualMachineScaleSets",
                vnetSubnetID: subnetId,
                enableNodePublicIP: false,
                nodeLabels: { [POOL_LABEL]: role },
                ...(taint ? { nodeTaints: [`${taint.key}=${taint.value}:${taint.effect}`] } : {}),
                tags: poolTags(ctx, role, args),
            };
        };
        const prod = isProduction(ctx);
        const cluster = new containerservice.ManagedCluster(
            `${name}-cluster`,
            {
                resourceGroupName,
                location,
                resourceName: clusterResourceName,
                dnsPrefix: clusterResourceName,
                kubernetesVersion: args.kubernetesVersion ?? KUBERNETES_VERSION,
                sku: { name: "Base", tier: prod ? "Standard" : "Free" },
                identity: {
                    type: "UserAssigned",
                    userAssignedIdentities: [controlPlane.id],
                },
                agentPoolProfiles: [nodePool("system", AZURE_NODE_SHAPES.system, 1, 3)],
                enableRBAC: true,
                aadProfile: { managed: true, enableAzureRBAC: true },
                disableLocalAccounts: true,
                apiServerAccessProfile:
                    cidrs.length > 0
                        ? { authorizedIPRanges: cidrs }
                        : {
                              enablePrivateCluster: true,
                              privateDNSZone: "system",
                              enablePrivateClusterPublicFQDN: false,
                          },
                oidcIssuerProfile: { enabled: true },
                securityProfile: {
                    workloadIdentity: { enabled: true },
                    imageCleaner: { enabled: true, intervalHours: 48 },
                },
                networkProfile: {
                    networkPlugin: "azure",
                    networkPluginMode: "overlay",
                    networkDataplane: "cilium",
                    networkPolicy: "cilium",
                    podCidr: POD_CIDR,
                    serviceCidr: SERVICE_CIDR,
                    dnsServiceIP: DNS_SERVICE_IP,
                    loadBalancerSku: "standard",
                    outboundType: "loadBalancer",
                },
                autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
                autoScalerProfile: { scaleDownUnneededTime: "5m" },
                tags,
            },
            { ...parent, dependsOn: [joinSubnet] },
        );
        new monitor.DiagnosticSetting(
            `${name}-logs`,
            {
                name: "to-log-analytics",
                resourceUri: cluster.id,
                workspaceId: f.workspaceId,
                logs: AKS_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
            },
            parent,
        );
        // The identity running `pulumi up` administers the cluster through Azure RBAC (no local admin).
        const deployer = authorization.getClientConfigOutput(parent);
        const admin = new authorization.RoleAssignment(
            `${name}-deployer-admin`,
            {
                roleAssignmentName: guid("aks-deployer", ROLES.aksRbacClusterAdmin),
                scope: cluster.id,
                roleDefinitionId: role(ROLES.aksRbacClusterAdmin),
                principalId: deployer.objectId,
                // Decided before the run: ARM refuses an assignment whose type is not the principal's.
                principalType: args.deployerPrincipalType ?? defaultDeployerPrincipalType(process.env),
                description: "The identity that deploys the stack applies its Kubernetes objects",
            },
            parent,
        );
        // The Kubernetes provider's first call comes after the assignment has propagated.
        const propagated = new time.Sleep(
            `${name}-rbac-propagation`,
            { createDuration: RBAC_PROPAGATION, triggers: { roleAssignment: admin.id } },
            { ...parent, dependsOn: [admin] },
        );

        const nodePools: Record<string, pulumi.Output<string>> = { system: pulumi.output("system") };
        const agentPool = (role: PoolRole, shape: NodeShape, min: number, max: number) => {
            const { name: poolName, ...spec } = nodePool(role, shape, min, max);
            const pool = new containerservice.AgentPool(
                `${name}-${role}`,
                { resourceGroupName, resourceName: cluster.name, agentPoolName: poolName, ...spec },
                // The autoscaler owns the node count once the pool exists.
                { ...parent, ignoreChanges: ["count"] },
            );
            nodePools[role] = pool.name;
            return pool;
        };
        const replicas = args.serving ? servingReplicas(args.serving.peakQps, args.serving.podQps) : undefined;
        if (replicas) {
            const n = servingNodes(replicas);
            agentPool("serving", AZURE_NODE_SHAPES.serving, n.minNodes, n.maxNodes);
        }
        const workerShape = args.training?.gpu ? AZURE_NODE_SHAPES.trainingGpu : AZURE_NODE_SHAPES.trainingCpu;
        const ray = args.training ? rayClusterSize(args.training, workerShape) : undefined;
        if (ray) {
            agentPool("training", workerShape, 0, ray.workers);
            this.raySizing = ray.reason;
        }

        const kubeletObjectId = cluster.identityProfile.apply((p) => p?.["kubeletidentity"]?.objectId ?? "");
        const pulls = args.registry ? [args.registry.grantPull(`${name}-node-pull`, kubeletObjectId, this)] : [];

        this.clusterName = cluster.name;
        // A private cluster answers on its private FQDN; with authorized ranges, on the public one.
        this.endpoint = (cidrs.length > 0 ? cluster.fqdn : cluster.privateFQDN).apply((h) => (h ? `https://${h}` : ""));
        const creds = containerservice.listManagedClusterUserCredentialsOutput(
            { resourceGroupName, resourceName: cluster.name, format: "exec" },
            parent,
        );
        this.kubeconfig = pulumi.secret(
            creds.kubeconfigs.apply((k) =>
                nonInteractiveKubeconfig(Buffer.from(k?.[0]?.value ?? "", "base64").toString("utf8")),
            ),
        );
        const provider = new KubernetesProvider(
            `${name}-k8s`,
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { ...parent, dependsOn: [propagated] },
        );
        const binding: ClusterBinding = {
            provider,
            labels: tags,
            storageEnv: { DATA_URI: f.dataUri, ARTIFACTS_URI: f.artifactsUri },
        };
        const issuer = cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
        /** An identity pods of `namespace/serviceAccount` federate to, with one blob role on `scope`. */
        const workloadIdentity = (
            suffix: string,
            namespace: string,
            serviceAccount: string,
            blobRole: string,
            scope: pulumi.Input<string>,
        ): WorkloadIdentity => {
            const id = new managedidentity.UserAssignedIdentity(
                `${name}-${suffix}-identity`,
                {
                    resourceGroupName,
                    location,
                    resourceName: physicalName("azureGeneral", [ctx.project, ctx.stack, suffix]),
                    tags,
                },
                parent,
            );
            const federation = new managedidentity.FederatedIdentityCredential(
                `${name}-${suffix}-federation`,
                {
                    resourceGroupName,
                    resourceName: id.name,
                    federatedIdentityCredentialResourceName: `${namespace}-${serviceAccount}`,
                    issuer,
                    subject: `system:serviceaccount:${namespace}:${serviceAccount}`,
                    audiences: [WORKLOAD_IDENTITY_AUDIENCE],
                },
                parent,
            );
            const grant = new authorization.RoleAssignment(
                `${name}-${suffix}-blob`,
                {
                    roleAssignmentName: guid(suffix, blobRole),
                    scope,
                    roleDefinitionId: role(blobRole),
                    principalId: id.principalId,
                    principalType: authorization.PrincipalType.ServicePrincipal,
                    description: `mlops-levels ${suffix} pods use the stack's blobs`,
                },
                parent,
            );
            return {
                annotations: { "azure.workload.identity/client-id": id.clientId },
                podLabels: { "azure.workload.identity/use": "true" },
                env: { AZURE_CLIENT_ID: id.clientId },
                dependsOn: [federation, grant],
            };
        };

        const blobUrl = (store: SampleArtifact["bucket"], key: string, after?: pulumi.Input<string>) =>
            pulumi
                .all([f.storageAccountName, store === "data" ? f.dataBucketName : f.artifactsBucketName, after])
                .apply(([account, container]) => `https://${account}.blob.core.windows.net/${container}/${key}`);
        /**
         * A sample file: the foundation's upload of it (declared in this kit's needs), shared with every
         * other level that reads it, so no two resources of the stack write the same blob. Read through
         * the blob's id, so every reader of the URL waits for the upload.
         */
        const upload = (_logical: string, a: SampleArtifact): Upload => {
            const blob = f.sample(a.name);
            return { url: blobUrl(a.bucket, a.key, blob.id), resource: blob };
        };
        const workloads = deployWorkloads(this, name, args, binding, {
            // Read access to the artifacts container only: the model never writes.
            servingIdentity: () =>
                workloadIdentity(
                    "serving",
                    SERVING_NAMESPACE,
                    SERVING_NAME,
                    ROLES.storageBlobDataReader,
                    pulumi.interpolate`${f.storageAccountId}/blobServices/default/containers/${f.artifactsBucketName}`,
                ),
            rayIdentity: () =>
                workloadIdentity(
                    "ray",
                    RAY_NAMESPACE,
                    RAY_SERVICE_ACCOUNT,
                    ROLES.storageBlobDataContributor,
                    f.storageAccountId,
                ),
            loadBalancer: {
                internal: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
                public: {},
            },
            workerShape,
            gpuDevicePlugin: true,
            servingDependsOn: pulls,
            upload,
            storeUrl: (store, key) => blobUrl(store, key),
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

export const azureKubernetesKit: Capability<KubernetesSpec, AzureKubernetes, RegistrySite> = {
    check: checkAzureKubernetesArgs,
    // The sample files the default workloads read are the foundation's uploads (deployWorkloads).
    needs: (spec) => {
        const samples = [
            ...(spec.serving && spec.serving.image === undefined ? ["model"] : []),
            ...(spec.training ? ["jobs-package", "sample-data"] : []),
        ];
        return { kubernetesSubnet: true, ...(samples.length > 0 ? { samples } : {}) };
    },
    create: (name, spec, site, opts) =>
        new AzureKubernetes(name, { ...placed(spec, site), registry: site.registry }, opts),
};

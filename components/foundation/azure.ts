import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as batch from "@pulumi/azure-native/batch";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import {
    AZURE_BATCH_JOB_SUBMITTER,
    deterministicGuid,
    roleDefinitionId,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
} from "../blocks/azure/roles";
import { deleteLock, hardenedStorageAccount } from "../blocks/azure/storage";
import type { AzureJobProfile } from "../machines/azure";
import { type StackContext, tagsOf } from "../shared/context";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import { FOUNDATION } from "../shared/tags";
import { FOUNDATION_TYPE, type Foundation, type FoundationArgs } from "./index";

/** Days a deleted blob or container stays restorable (soft delete). */
export const SOFT_DELETE_DAYS = 7;
/** Days a previous blob version is kept before the lifecycle rule deletes it. */
export const PREVIOUS_VERSION_DAYS = 30;
/**
 * Days Log Analytics keeps logs. 30 is inside the retention PerGB2018 includes at no charge;
 * longer retention is billed per GB per month.
 */
export const LOG_RETENTION_DAYS = 30;
/** The private network. Outside the ranges Container Apps reserves (100.100.0.0/16, 172.30-31/16). */
export const VNET_CIDR = "10.0.0.0/16";
/**
 * Subnet of the Container Apps environment. Workload-profile environments need /27 at least
 * (12 addresses reserved); a /24 leaves 239 addresses: 119 Dedicated nodes or about 1,190
 * Consumption replicas, and the size can never change after the environment exists.
 */
export const APPS_SUBNET_CIDR = "10.0.0.0/24";
/** Subnet of VMs (the `vm` batch runner); an environment's subnet is exclusively its own. */
export const COMPUTE_SUBNET_CIDR = "10.0.1.0/24";
/** Subnet of Kubernetes nodes (level 5 / training level 2), created on demand. */
export const KUBERNETES_SUBNET_CIDR = "10.0.16.0/20";
/** Jobs hold no standing replicas to spread over zones, and the setting is fixed at creation. */
export const ZONE_REDUNDANT = false;
/** The workload profile every workload-profiles environment has, under this fixed name. */
export const CONSUMPTION_PROFILE = "Consumption";
/** Environment log categories sent to the workspace: container stdout/stderr and platform events. */
export const ENVIRONMENT_LOG_CATEGORIES = ["ContainerAppConsoleLogs", "ContainerAppSystemLogs"] as const;

/** One entry of the environment's `workloadProfiles`, as plain data. */
export interface WorkloadProfileSpec {
    readonly name: string;
    readonly workloadProfileType: string;
    readonly minimumCount?: number;
    readonly maximumCount?: number;
}

/**
 * Environment every Azure job container gets: where data and artifacts live, its pipeline, and
 * AZURE_CLIENT_ID so DefaultAzureCredential uses the jobs identity. `extra` comes last and wins.
 */
export function jobEnvironment(
    f: Pick<AzureFoundation, "dataUri" | "artifactsUri" | "identityClientId">,
    pipeline: string,
    extra: Record<string, pulumi.Input<string>> = {},
): { name: string; value: pulumi.Input<string> }[] {
    const env: Record<string, pulumi.Input<string>> = {
        DATA_URI: f.dataUri,
        ARTIFACTS_URI: f.artifactsUri,
        PIPELINE: pipeline,
        AZURE_CLIENT_ID: f.identityClientId,
        ...extra,
    };
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** The name a profile gets inside the environment; jobs pin `workloadProfileName` to it. */
export function workloadProfileName(p: Pick<AzureJobProfile, "profileType" | "dedicated" | "gpus">): string {
    if (p.profileType === "Consumption") return CONSUMPTION_PROFILE;
    if (p.gpus > 0) return `gpu-${p.profileType.split("-").pop()?.toLowerCase()}`;
    return `dedicated-${p.profileType.toLowerCase()}`;
}

/**
 * The environment's workload profiles for the jobs that asked: Consumption always; a Dedicated
 * profile scales from 0 to one node per job that uses it (jobs may run at the same time); serverless
 * GPU profiles take no counts. Pure, so it is tested on its own.
 */
export function workloadProfilesFor(requests: readonly AzureJobProfile[]): WorkloadProfileSpec[] {
    const out: WorkloadProfileSpec[] = [{ name: CONSUMPTION_PROFILE, workloadProfileType: "Consumption" }];
    const counts = new Map<string, { profile: AzureJobProfile; jobs: number }>();
    for (const p of requests) {
        if (p.profileType === "Consumption") continue;
        const entry = counts.get(p.profileType) ?? { profile: p, jobs: 0 };
        entry.jobs += 1;
        counts.set(p.profileType, entry);
    }
    for (const { profile, jobs } of [...counts.values()].sort((a, b) =>
        a.profile.profileType.localeCompare(b.profile.profileType),
    ))
        out.push(
            profile.dedicated
                ? {
                      name: workloadProfileName(profile),
                      workloadProfileType: profile.profileType,
                      minimumCount: 0,
                      maximumCount: jobs,
                  }
                : { name: workloadProfileName(profile), workloadProfileType: profile.profileType },
        );
    return out;
}

/**
 * Azure foundation: a resource group; a StorageV2 account with `data` and `artifacts` containers;
 * a Log Analytics workspace; the user-assigned identity jobs run as, allowed to use blobs in that
 * account only; and, when compute runs, a VNet and a Container Apps environment on it.
 *
 * Storage is reachable only with Entra ID (no account keys, no SAS) and only from the stack's own
 * subnets (service endpoints, free) plus trusted Azure services. A private endpoint would cost a
 * monthly fee plus a private DNS zone for the same guarantee at level 1. People who upload data
 * from their own machines add their address to the account's IP rules.
 *
 * Hierarchical namespace (ADLS Gen2) stays off: blob versioning, which protects data against
 * overwrites here, is not generally available on HNS accounts, and the setting cannot be switched
 * off later. Spark (level 2) reads the account through the ABFS driver over the dfs endpoint, which
 * works on flat-namespace accounts too, hence `abfss://` URIs.
 *
 * The environment's workload profiles come from the jobs: each job calls `useWorkloadProfile`
 * while the stack program composes, and the list is handed to the environment once the program's
 * synchronous composition is over. No resource is created late; only that one input waits.
 */
export class AzureFoundation extends pulumi.ComponentResource implements Foundation {
    readonly dataBucketName: pulumi.Output<string>;
    readonly artifactsBucketName: pulumi.Output<string>;
    readonly dataUri: pulumi.Output<string>;
    readonly artifactsUri: pulumi.Output<string>;
    readonly jobIdentity: pulumi.Output<string>;
    readonly networkId?: pulumi.Output<string>;

    readonly resourceGroupName: pulumi.Output<string>;
    readonly location: string;
    readonly storageAccountName: pulumi.Output<string>;
    readonly storageAccountId: pulumi.Output<string>;
    /** Log Analytics workspace resource id. */
    readonly workspaceId: pulumi.Output<string>;
    /** Log Analytics workspace (customer) id, the GUID agents and queries use. */
    readonly workspaceCustomerId: pulumi.Output<string>;
    /** Whether the VNet and the Container Apps environment exist. */
    readonly hasNetwork: boolean;
    readonly vnetId?: pulumi.Output<string>;
    /** The Container Apps environment's subnet (delegated to Microsoft.App/environments). */
    readonly subnetId?: pulumi.Output<string>;
    /** Subnet for VMs. */
    readonly computeSubnetId?: pulumi.Output<string>;
    readonly environmentId?: pulumi.Output<string>;
    readonly environmentDefaultDomain?: pulumi.Output<string>;
    /** User-assigned identity resource id (same as jobIdentity). */
    readonly identityId: pulumi.Output<string>;
    /** Client id jobs pass as AZURE_CLIENT_ID so DefaultAzureCredential picks this identity. */
    readonly identityClientId: pulumi.Output<string>;
    readonly identityPrincipalId: pulumi.Output<string>;

    /** What `ensureKubernetesSubnet` needs: the VNet, its NSG and the last subnet written to it. */
    private network?: { vnetName: pulumi.Output<string>; nsgId: pulumi.Output<string>; last: network.Subnet };
    private kubernetesSubnet?: network.Subnet;
    private subnetsSealed = false;
    private baseName = "";
    private readonly requestedProfiles: AzureJobProfile[] = [];
    private ctx?: StackContext;
    private subscriptionScope?: pulumi.Output<string>;
    private batchAccount?: batch.BatchAccount;
    private profilesSealed = false;

    constructor(name: string, args: FoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        super(FOUNDATION_TYPE, name, {}, opts);
        const { ctx } = args;
        const tags = tagsOf(ctx, FOUNDATION, 0);
        const parent = { parent: this };
        this.location = ctx.region;
        this.baseName = name;
        const location = ctx.region;
        this.hasNetwork = args.network;

        const rg = new resources.ResourceGroup(
            `${name}-rg`,
            { resourceGroupName: physicalName("azureResourceGroup", [ctx.project, ctx.stack]), location, tags },
            parent,
        );
        this.resourceGroupName = rg.name;
        const resourceGroupName = rg.name;
        // "/subscriptions/<id>", read from the group's id so no extra provider call is needed.
        const subscriptionScope = rg.id.apply((id) => id.split("/").slice(0, 3).join("/"));
        this.subscriptionScope = subscriptionScope;
        this.ctx = ctx;

        const workspace = new operationalinsights.Workspace(
            `${name}-logs`,
            {
                resourceGroupName,
                location,
                workspaceName: physicalName("azureGeneral", [ctx.project, ctx.stack, "logs"]),
                sku: { name: "PerGB2018" },
                retentionInDays: LOG_RETENTION_DAYS,
                // Ingestion with workspace keys is off; diagnostic settings use Entra ID.
                features: { disableLocalAuth: true },
                tags,
            },
            parent,
        );
        this.workspaceId = workspace.id;
        this.workspaceCustomerId = workspace.customerId;

        let appsSubnet: network.Subnet | undefined;
        let computeSubnet: network.Subnet | undefined;
        if (args.network) {
            // No custom rules: the default rules already refuse inbound traffic from the internet.
            const nsg = new network.NetworkSecurityGroup(
                `${name}-nsg`,
                {
                    resourceGroupName,
                    location,
                    networkSecurityGroupName: physicalName("azureGeneral", [ctx.project, ctx.stack, "private"]),
                    tags,
                },
                parent,
            );
            const vnet = new network.VirtualNetwork(
                `${name}-vnet`,
                {
                    resourceGroupName,
                    location,
                    virtualNetworkName: physicalName("azureGeneral", [ctx.project, ctx.stack]),
                    addressSpace: { addressPrefixes: [VNET_CIDR] },
                    tags,
                },
                // Subnets are their own resources below; the VNet must not try to own (and drop) them.
                { ...parent, ignoreChanges: ["subnets"] },
            );
            const storageEndpoint = [{ service: "Microsoft.Storage" }];
            appsSubnet = new network.Subnet(
                `${name}-apps`,
                {
                    resourceGroupName,
                    virtualNetworkName: vnet.name,
                    subnetName: "apps",
                    addressPrefix: APPS_SUBNET_CIDR,
                    delegations: [{ name: "container-apps", serviceName: "Microsoft.App/environments" }],
                    serviceEndpoints: storageEndpoint,
                    networkSecurityGroup: { id: nsg.id },
                },
                parent,
            );
            computeSubnet = new network.Subnet(
                `${name}-compute`,
                {
                    resourceGroupName,
                    virtualNetworkName: vnet.name,
                    subnetName: "compute",
                    addressPrefix: COMPUTE_SUBNET_CIDR,
                    serviceEndpoints: storageEndpoint,
                    networkSecurityGroup: { id: nsg.id },
                    // VMs have no public IP; this keeps outbound-only access to pull images and
                    // packages without a NAT gateway, which would cost money every hour.
                    defaultOutboundAccess: true,
                },
                // Azure serialises writes to one VNet; two subnets at once fail with
                // AnotherOperationInProgress.
                { ...parent, dependsOn: [appsSubnet] },
            );
            this.network = { vnetName: vnet.name, nsgId: nsg.id, last: computeSubnet };
            this.vnetId = vnet.id;
            this.networkId = vnet.id;
            this.subnetId = appsSubnet.id;
            this.computeSubnetId = computeSubnet.id;
        }

        const account = hardenedStorageAccount(
            `${name}-storage`,
            {
                resourceGroupName,
                location,
                accountName: ctx.uniqueSuffix.apply((s) =>
                    withSuffix(
                        "azureStorageAccount",
                        physicalName(
                            "azureStorageAccount",
                            [ctx.project, ctx.stack],
                            suffixReserve("azureStorageAccount"),
                        ),
                        s,
                    ),
                ),
                hierarchicalNamespace: false,
                allow: {
                    // Settled after composition, so a Kubernetes subnet asked for later is allowed too.
                    virtualNetworkRules: new Promise<network.Subnet[]>((resolve) =>
                        setImmediate(() => {
                            this.subnetsSealed = true;
                            resolve(
                                [appsSubnet, computeSubnet, this.kubernetesSubnet].filter(
                                    (s): s is network.Subnet => s !== undefined,
                                ),
                            );
                        }),
                    ).then((subnets) =>
                        subnets.map((s) => ({ virtualNetworkResourceId: s.id, action: storage.Action.Allow })),
                    ),
                },
                tags,
            },
            parent,
        );
        this.storageAccountName = account.name;
        this.storageAccountId = account.id;

        const blobService = new storage.BlobServiceProperties(
            `${name}-blob-service`,
            {
                resourceGroupName,
                accountName: account.name,
                blobServicesName: "default",
                isVersioningEnabled: true,
                deleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
                containerDeleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
            },
            parent,
        );
        new storage.ManagementPolicy(
            `${name}-lifecycle`,
            {
                resourceGroupName,
                accountName: account.name,
                managementPolicyName: "default",
                policy: {
                    rules: [
                        {
                            name: "expire-previous-versions",
                            enabled: true,
                            type: storage.RuleType.Lifecycle,
                            definition: {
                                filters: { blobTypes: ["blockBlob"] },
                                actions: {
                                    version: { delete: { daysAfterCreationGreaterThan: PREVIOUS_VERSION_DAYS } },
                                },
                            },
                        },
                    ],
                },
            },
            { ...parent, dependsOn: [blobService] },
        );
        const container = (purpose: "data" | "artifacts") =>
            new storage.BlobContainer(
                `${name}-${purpose}`,
                {
                    resourceGroupName,
                    accountName: account.name,
                    containerName: purpose,
                    publicAccess: storage.PublicAccess.None,
                },
                { ...parent, dependsOn: [blobService] },
            );
        const data = container("data");
        const artifacts = container("artifacts");
        this.dataBucketName = data.name;
        this.artifactsBucketName = artifacts.name;
        const abfss = (c: storage.BlobContainer) =>
            pulumi.interpolate`abfss://${c.name}@${account.name}.dfs.core.windows.net/`;
        this.dataUri = abfss(data);
        this.artifactsUri = abfss(artifacts);

        if (ctx.protect)
            deleteLock(
                `${name}-storage-lock`,
                account.id,
                "Stateful storage of an mlops-levels stack; remove the lock to delete the account.",
                this,
            );

        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-jobs-identity`,
            {
                resourceGroupName,
                location,
                resourceName: physicalName("azureGeneral", [ctx.project, ctx.stack, "jobs"]),
                tags,
            },
            parent,
        );
        this.identityId = identity.id;
        this.jobIdentity = identity.id;
        this.identityClientId = identity.clientId;
        this.identityPrincipalId = identity.principalId;
        new authorization.RoleAssignment(
            `${name}-jobs-blob-access`,
            {
                // The name must be a GUID; deriving it keeps it stable and unique per stack.
                roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                    deterministicGuid(ctx.project, ctx.stack, s, "jobs", STORAGE_BLOB_DATA_CONTRIBUTOR),
                ),
                scope: account.id,
                roleDefinitionId: roleDefinitionId(subscriptionScope, STORAGE_BLOB_DATA_CONTRIBUTOR),
                principalId: identity.principalId,
                // Skips the directory lookup that fails while a new identity is still replicating.
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "mlops-levels jobs read and write data and artifacts in this account only",
            },
            parent,
        );

        if (appsSubnet) {
            const profiles = new Promise<WorkloadProfileSpec[]>((resolve) =>
                // Runs after the stack program's synchronous composition, when every job has asked.
                setImmediate(() => {
                    this.profilesSealed = true;
                    resolve(workloadProfilesFor(this.requestedProfiles));
                }),
            );
            const environment = new app.ManagedEnvironment(
                `${name}-apps-env`,
                {
                    resourceGroupName,
                    location,
                    environmentName: physicalName("azureContainerApp", [ctx.project, ctx.stack]),
                    // Not internal: an online endpoint (level 4) must be reachable by its callers. Only
                    // an app that turns on external ingress is; jobs have no ingress at all.
                    vnetConfiguration: { infrastructureSubnetId: appsSubnet.id, internal: false },
                    workloadProfiles: profiles,
                    zoneRedundant: ZONE_REDUNDANT,
                    // Logs go through Azure Monitor (the diagnostic setting below), not workspace keys.
                    appLogsConfiguration: { destination: "azure-monitor" },
                    tags,
                },
                parent,
            );
            new monitor.DiagnosticSetting(
                `${name}-apps-env-logs`,
                {
                    name: "to-log-analytics",
                    resourceUri: environment.id,
                    workspaceId: workspace.id,
                    logs: ENVIRONMENT_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
                },
                parent,
            );
            this.environmentId = environment.id;
            this.environmentDefaultDomain = environment.defaultDomain;
        }

        this.registerOutputs({
            dataBucketName: this.dataBucketName,
            artifactsBucketName: this.artifactsBucketName,
            dataUri: this.dataUri,
            artifactsUri: this.artifactsUri,
            jobIdentity: this.jobIdentity,
            networkId: this.networkId,
            environmentId: this.environmentId,
        });
    }

    /**
     * The subnet Kubernetes nodes run in (KUBERNETES_SUBNET_CIDR), created on the first call. A /20
     * holds 4,091 nodes; pods get overlay addresses, not subnet ones. Written after the other
     * subnets because Azure refuses concurrent writes to one VNet.
     */
    ensureKubernetesSubnet(): network.Subnet {
        if (this.kubernetesSubnet) return this.kubernetesSubnet;
        if (!this.network) throw new Error("the Azure foundation has no network; create it with network: true");
        if (this.subnetsSealed)
            throw new Error(
                "the Kubernetes subnet was requested after the storage account's network rules were fixed; create the cluster in the same synchronous step as the foundation",
            );
        this.kubernetesSubnet = new network.Subnet(
            `${this.baseName}-kubernetes`,
            {
                resourceGroupName: this.resourceGroupName,
                virtualNetworkName: this.network.vnetName,
                subnetName: "kubernetes",
                addressPrefix: KUBERNETES_SUBNET_CIDR,
                serviceEndpoints: [{ service: "Microsoft.Storage" }],
                networkSecurityGroup: { id: this.network.nsgId },
            },
            { parent: this, dependsOn: [this.network.last] },
        );
        return this.kubernetesSubnet;
    }

    /**
     * The stack's Azure Batch account, created on the first call (jobs too big for the Consumption
     * profile run on its pools). The account itself is free; pools cost their nodes only. Pools are
     * allocated by the Batch service, the data plane accepts Entra ID only (no shared keys), and the
     * jobs identity may submit jobs and tasks, nothing else.
     */
    ensureBatchAccount(): batch.BatchAccount {
        if (this.batchAccount) return this.batchAccount;
        const ctx = this.ctx;
        const scope = this.subscriptionScope;
        if (!ctx || !scope) throw new Error("the Azure foundation is not constructed yet");
        const parent = { parent: this };
        const account = new batch.BatchAccount(
            `${this.baseName}-batch`,
            {
                resourceGroupName: this.resourceGroupName,
                location: this.location,
                // Same rules as a storage account name (3-24 lowercase letters and digits, unique per region).
                accountName: ctx.uniqueSuffix.apply((s) =>
                    withSuffix(
                        "azureStorageAccount",
                        physicalName(
                            "azureStorageAccount",
                            [ctx.project, ctx.stack],
                            suffixReserve("azureStorageAccount"),
                        ),
                        s,
                    ),
                ),
                poolAllocationMode: batch.PoolAllocationMode.BatchService,
                allowedAuthenticationModes: [batch.AuthenticationMode.AAD],
                // The launcher in Container Apps and the pool nodes (simplified node communication,
                // no public IP) reach the account over its public endpoint; Entra ID guards it.
                publicNetworkAccess: batch.PublicNetworkAccessType.Enabled,
                identity: { type: batch.ResourceIdentityType.UserAssigned, userAssignedIdentities: [this.identityId] },
                tags: tagsOf(ctx, FOUNDATION, 0),
            },
            parent,
        );
        new authorization.RoleAssignment(
            `${this.baseName}-jobs-batch-submit`,
            {
                roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                    deterministicGuid(ctx.project, ctx.stack, s, "jobs", AZURE_BATCH_JOB_SUBMITTER),
                ),
                scope: account.id,
                roleDefinitionId: roleDefinitionId(scope, AZURE_BATCH_JOB_SUBMITTER),
                principalId: this.identityPrincipalId,
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "mlops-levels job launchers submit Batch jobs and tasks in this account only",
            },
            parent,
        );
        this.batchAccount = account;
        return account;
    }

    /**
     * Declares that a job runs on `profile` and returns the profile's name in the environment.
     * Call it while composing the stack (job constructors do); the environment's profile list is
     * fixed once composition is over.
     */
    useWorkloadProfile(profile: AzureJobProfile): string {
        if (!this.hasNetwork)
            throw new Error(
                "the Azure foundation was created without network: true, so it has no Container Apps environment",
            );
        if (this.profilesSealed)
            throw new Error(
                `workload profile ${profile.profileType} was requested after the Container Apps environment's profiles were fixed; create every job in the same synchronous step as the foundation`,
            );
        this.requestedProfiles.push(profile);
        return workloadProfileName(profile);
    }
}

import * as classicProvider from "@pulumi/azure/provider";
import * as classic from "@pulumi/azure/storage";
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
import * as time from "@pulumiverse/time";
import { workloadProfileName, workloadProfilesFor } from "../blocks/azure/container-apps";
import {
    AZURE_BATCH_JOB_SUBMITTER,
    azureNativeSignIn,
    blobWriterSettings,
    type DeployerPrincipalType,
    deployerPrincipalType,
    deterministicGuid,
    RBAC_PROPAGATION,
    roleDefinitionId,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
} from "../blocks/azure/roles";
import { deleteLock, hardenedStorageAccount } from "../blocks/azure/storage";
import type { AzureJobProfile } from "../machines/azure";
import { sampleArtifact } from "../shared/artifacts";
import { firewallIpRule } from "../shared/cidr";
import { type StackContext, tagsOf } from "../shared/context";
import { DEPLOYER_CIDRS_PATH, deployerPathWarning } from "../shared/deployer";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import { FOUNDATION } from "../shared/tags";
import {
    type DeployerAccess,
    declaredSample,
    type EgressFor,
    FOUNDATION_TYPE,
    type Foundation,
    type FoundationArgs,
    InternetEgress,
    needsProblems,
    throwIfNeedsProblems,
} from "./index";

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
/** Subnet of Kubernetes nodes (level 5 / training level 2), when a level asks for it. */
export const KUBERNETES_SUBNET_CIDR = "10.0.16.0/20";
/** Jobs hold no standing replicas to spread over zones, and the setting is fixed at creation. */
export const ZONE_REDUNDANT = false;
/** Environment log categories sent to the workspace: container stdout/stderr and platform events. */
export const ENVIRONMENT_LOG_CATEGORIES = ["ContainerAppConsoleLogs", "ContainerAppSystemLogs"] as const;
/**
 * Service endpoints on the apps and compute subnets (free): Blob storage, and Event Hubs, so the
 * namespace's firewall can admit exactly these subnets (level 3) instead of the internet.
 */
export const SUBNET_SERVICE_ENDPOINTS = ["Microsoft.Storage", "Microsoft.EventHub"] as const;
/** Minutes an idle NAT flow stays open: Azure's default, enough for image pulls and API calls. */
export const NAT_IDLE_TIMEOUT_MINUTES = 4;

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
 * What levels need beyond that comes in as args (FoundationNeeds), decided before any resource
 * exists: the workload profile of every job, the Batch account of jobs too big for Consumption, the
 * Kubernetes nodes' subnet. The storage firewall then lists every subnet from the start.
 *
 * Protection is explicit, on what holds data: the storage account and its two containers. The
 * network, the environment and the identity are never protected, so a level change can remove
 * what it added.
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

    /** The Kubernetes nodes' subnet (KUBERNETES_SUBNET_CIDR), when a level asked for it. */
    readonly kubernetesSubnetId?: pulumi.Output<string>;
    /** Names of the environment's workload profiles (Consumption and those the jobs asked for). */
    readonly workloadProfileNames: readonly string[];
    /** The Batch account pools run in, when a job too big for Consumption asked for it. */
    readonly batchAccount?: { readonly name: pulumi.Output<string>; readonly endpoint: pulumi.Output<string> };
    /**
     * The NAT gateway of the compute subnet, when a level asked for internet egress (Batch pools
     * without public IPs: the node agent's calls to Batch and the public image pull take it).
     */
    readonly internetEgress?: pulumi.Resource;
    /** The uploaded reference files, by manifest name (only those a capability declared it reads). */
    readonly samples: Readonly<Record<string, classic.Blob>>;
    /**
     * Who runs `pulumi up` and where from, as the stack program passed it (`mlops:options`): the
     * components that admit the deployer to a firewall or grant it a data role read it here, so the
     * options are read once, by the stack program.
     */
    readonly deployer: DeployerAccess;

    constructor(name: string, args: FoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfNeedsProblems(
            needsProblems(args, "Azure", [
                "kubernetesSubnet",
                "workloadProfiles",
                "batchAccount",
                "internetEgress",
                "samples",
            ]),
        );
        super(FOUNDATION_TYPE, name, {}, opts);
        const { ctx } = args;
        const tags = tagsOf(ctx, FOUNDATION, 0);
        const parent = { parent: this };
        this.location = ctx.region;
        const location = ctx.region;
        this.hasNetwork = args.network;
        this.deployer = Object.freeze({ ...args.deployer });

        const rg = new resources.ResourceGroup(
            `${name}-rg`,
            { resourceGroupName: physicalName("azureResourceGroup", [ctx.project, ctx.stack]), location, tags },
            parent,
        );
        this.resourceGroupName = rg.name;
        const resourceGroupName = rg.name;
        // "/subscriptions/<id>", read from the group's id so no extra provider call is needed.
        const subscriptionScope = rg.id.apply((id) => id.split("/").slice(0, 3).join("/"));

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
        let kubernetesSubnet: network.Subnet | undefined;
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
            const serviceEndpoints = SUBNET_SERVICE_ENDPOINTS.map((service) => ({ service }));
            const nat = args.internetEgress
                ? this.egress(name, ctx, location, resourceGroupName, args.internetEgress)
                : undefined;
            this.internetEgress = nat;
            appsSubnet = new network.Subnet(
                `${name}-apps`,
                {
                    resourceGroupName,
                    virtualNetworkName: vnet.name,
                    subnetName: "apps",
                    addressPrefix: APPS_SUBNET_CIDR,
                    delegations: [{ name: "container-apps", serviceName: "Microsoft.App/environments" }],
                    serviceEndpoints,
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
                    serviceEndpoints,
                    networkSecurityGroup: { id: nsg.id },
                    // VMs have no public IP; this keeps outbound-only access to pull images and
                    // packages without a NAT gateway, which would cost money every hour. Azure is
                    // retiring it, and Batch does not support it for production: a Batch pool's level
                    // asks for internetEgress, and the subnet then goes out through the NAT gateway.
                    defaultOutboundAccess: true,
                    ...(nat ? { natGateway: { id: nat.id } } : {}),
                },
                // Azure serialises writes to one VNet; two subnets at once fail with
                // AnotherOperationInProgress.
                { ...parent, dependsOn: [appsSubnet] },
            );
            if (args.kubernetesSubnet)
                // A /20 holds 4,091 nodes; pods get overlay addresses, not subnet ones.
                kubernetesSubnet = new network.Subnet(
                    `${name}-kubernetes`,
                    {
                        resourceGroupName,
                        virtualNetworkName: vnet.name,
                        subnetName: "kubernetes",
                        addressPrefix: KUBERNETES_SUBNET_CIDR,
                        serviceEndpoints: storageEndpoint,
                        networkSecurityGroup: { id: nsg.id },
                    },
                    // One write to the VNet at a time, as above.
                    { ...parent, dependsOn: [computeSubnet] },
                );
            this.vnetId = vnet.id;
            this.networkId = vnet.id;
            this.subnetId = appsSubnet.id;
            this.computeSubnetId = computeSubnet.id;
            this.kubernetesSubnetId = kubernetesSubnet?.id;
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
                    virtualNetworkRules: [appsSubnet, computeSubnet, kubernetesSubnet]
                        .filter((s): s is network.Subnet => s !== undefined)
                        .map((s) => ({ virtualNetworkResourceId: s.id, action: storage.Action.Allow })),
                    // The deployer's public addresses, for the sample uploads (and a team's own reads).
                    ipRules: (this.deployer.cidrs ?? []).map((c) => ({
                        iPAddressOrRange: firewallIpRule(c),
                        action: storage.Action.Allow,
                    })),
                },
                tags,
            },
            // Fixed logical name and protect: a level change or refactor never replaces stored data.
            { ...parent, protect: ctx.protect },
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
                { ...parent, dependsOn: [blobService], protect: ctx.protect },
            );
        const data = container("data");
        const artifacts = container("artifacts");
        this.dataBucketName = data.name;
        this.artifactsBucketName = artifacts.name;
        const abfss = (c: storage.BlobContainer) =>
            pulumi.interpolate`abfss://${c.name}@${account.name}.dfs.core.windows.net/`;
        this.dataUri = abfss(data);
        this.artifactsUri = abfss(artifacts);
        this.samples = this.uploadSamples(name, args.samples ?? [], {
            accountId: account.id,
            containers: { data, artifacts },
            subscriptionScope,
            ctx,
        });

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

        if (args.batchAccount) this.batchAccount = this.batch(name, ctx, subscriptionScope, tags);

        this.workloadProfileNames = [];
        if (appsSubnet) {
            const profiles = workloadProfilesFor(args.workloadProfiles ?? []);
            this.workloadProfileNames = profiles.map((p) => p.name);
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
     * The reference files the levels read, uploaded from this checkout (jobs/MANIFEST.json) to their
     * keys under `samples/`, which a team's own data never uses; readers take the blob's outputs, so
     * Pulumi creates them after the upload.
     *
     * The account takes no keys (`allowSharedKeyAccess: false`), and azure-native's `storage:Blob`
     * signs with the account key on both of its backends (it lists the keys, then uploads with a
     * shared-key credential: provider/pkg/resources/customresources/custom_storage*.go; issues 2015
     * and 2948). So the files go up through the classic provider's `storage.Blob` with
     * `storageUseAzuread`: its data-plane client then carries the deployer's Entra ID token
     * (terraform-provider-azurerm internal/services/storage/client/data_plane.go). That provider
     * signs in as azure-native does (the same ARM_* variables; `azure-native:*` sign-in settings are
     * passed on), registers no resource provider, and targets azure-native's subscription.
     *
     * The deployer gets Storage Blob Data Contributor on the account, and the uploads wait until the
     * assignment has propagated. It must reach the account's endpoint: the firewall admits the
     * stack's subnets and `deployer.cidrs` (`mlops:options.deployerCidrs`).
     */
    private uploadSamples(
        name: string,
        names: readonly string[],
        a: {
            accountId: pulumi.Output<string>;
            containers: Record<"data" | "artifacts", storage.BlobContainer>;
            subscriptionScope: pulumi.Output<string>;
            ctx: StackContext;
        },
    ): Record<string, classic.Blob> {
        if (names.length === 0) return {};
        const parent = { parent: this };
        // `plan` prints this itself; under `pulumi up` the engine shows it before anything is created.
        const warning = deployerPathWarning(names.length, this.deployer.cidrs ?? []);
        if (warning && pulumi.runtime.hasEngine()) pulumi.log.warn(`${DEPLOYER_CIDRS_PATH}: ${warning}`, this);
        const client = authorization.getClientConfigOutput(parent);
        const writer = new authorization.RoleAssignment(
            `${name}-deployer-blob-access`,
            {
                roleAssignmentName: pulumi
                    .all([a.ctx.uniqueSuffix, client.objectId])
                    .apply(([s, who]) =>
                        deterministicGuid(
                            a.ctx.project,
                            a.ctx.stack,
                            s,
                            "deployer",
                            who,
                            STORAGE_BLOB_DATA_CONTRIBUTOR,
                        ),
                    ),
                scope: a.accountId,
                roleDefinitionId: roleDefinitionId(a.subscriptionScope, STORAGE_BLOB_DATA_CONTRIBUTOR),
                principalId: client.objectId,
                principalType: this.deployerPrincipalType(),
                description: "mlops-levels deployer uploads the reference pipeline's sample files",
            },
            parent,
        );
        // A data-plane call inside the propagation window is refused with 403.
        const propagated = new time.Sleep(
            `${name}-deployer-blob-access-propagation`,
            { createDuration: RBAC_PROPAGATION, triggers: { roleAssignment: writer.id } },
            { ...parent, dependsOn: [writer] },
        );
        const writerProvider = new classicProvider.Provider(
            `${name}-blob-writer`,
            blobWriterSettings(client.subscriptionId, client.tenantId, new pulumi.Config("azure-native")),
            parent,
        );
        const blobs: Record<string, classic.Blob> = {};
        for (const sample of names) {
            const file = sampleArtifact(sample);
            blobs[sample] = new classic.Blob(
                `${name}-sample-${sample}`,
                {
                    name: file.key,
                    storageContainerId: a.containers[file.bucket].id,
                    type: "Block",
                    contentType: file.contentType,
                    source: new pulumi.asset.FileAsset(file.path),
                },
                // New content replaces the blob (source is ForceNew) under the same name, and the
                // provider refuses to create a blob that exists: delete first.
                { ...parent, provider: writerProvider, dependsOn: [propagated], deleteBeforeReplace: true },
            );
        }
        return blobs;
    }

    /**
     * The deployer's principal type for its role assignments: the stack's `deployerPrincipalType`,
     * else decided from the provider's sign-in settings (`deployerPrincipalType` of the roles block).
     * Read when a component grants the deployer a role, so a stack that grants none never decides it.
     */
    deployerPrincipalType(): DeployerPrincipalType {
        return this.deployer.principalType ?? deployerPrincipalType(process.env, azureNativeSignIn());
    }

    /** The uploaded blob of sample `name`; throws when no capability declared it (a wiring bug). */
    sample(name: string): classic.Blob {
        return declaredSample(this.samples[name], name, "Azure");
    }

    /** `abfss://<container>@<account>.dfs.core.windows.net/<key>` of an uploaded sample, as Spark reads it. */
    sampleUri(name: string): pulumi.Output<string> {
        const blob = this.sample(name);
        const store = sampleArtifact(name).bucket === "data" ? this.dataUri : this.artifactsUri;
        return pulumi.interpolate`${store}${blob.name}`;
    }

    /**
     * Internet egress for the compute subnet: a NAT gateway with one static public IP, under a
     * component carrying the tags of the level that asked (the cost table attributes it there).
     * Batch pools without public IPs need an outbound path of their own: the node agent calls the
     * Batch node management endpoint, and the node pulls the job's public image. A `nodeManagement`
     * private endpoint (cheaper idle) would cover the first only.
     */
    private egress(
        base: string,
        ctx: StackContext,
        location: string,
        resourceGroupName: pulumi.Output<string>,
        asked: EgressFor,
    ): network.NatGateway {
        const name = `${base}-egress`;
        const tags = tagsOf(ctx, asked.pipeline, asked.level);
        const egress = new InternetEgress(name, tags, { parent: this });
        const ip = new network.PublicIPAddress(
            `${name}-ip`,
            {
                resourceGroupName,
                location,
                publicIpAddressName: physicalName("azureGeneral", [ctx.project, ctx.stack, "nat"]),
                sku: { name: network.PublicIPAddressSkuName.Standard, tier: network.PublicIPAddressSkuTier.Regional },
                publicIPAllocationMethod: network.IPAllocationMethod.Static,
                publicIPAddressVersion: network.IPVersion.IPv4,
                tags,
            },
            { parent: egress },
        );
        const nat = new network.NatGateway(
            `${name}-nat`,
            {
                resourceGroupName,
                location,
                natGatewayName: physicalName("azureGeneral", [ctx.project, ctx.stack, "nat"]),
                sku: { name: network.NatGatewaySkuName.Standard },
                idleTimeoutInMinutes: NAT_IDLE_TIMEOUT_MINUTES,
                publicIpAddresses: [{ id: ip.id }],
                tags,
            },
            { parent: egress },
        );
        egress.complete({ nat: nat.name, ip: ip.name });
        return nat;
    }

    /**
     * The name of `profile` in the environment, for a job pinned to it. Throws when the environment
     * was built without it: the job's needs were not passed to the foundation.
     */
    profileNameFor(profile: Pick<AzureJobProfile, "profileType" | "dedicated" | "gpus">): string {
        const name = workloadProfileName(profile);
        if (!this.workloadProfileNames.includes(name))
            throw new Error(
                `the Azure foundation's Container Apps environment has no workload profile ${name}; build it with workloadProfiles listing the job's profile`,
            );
        return name;
    }

    /**
     * The stack's Azure Batch account (jobs too big for the Consumption profile run on its pools).
     * The account itself is free; pools cost their nodes only. Pools are allocated by the Batch
     * service, the data plane accepts Entra ID only (no shared keys), and the jobs identity may
     * submit jobs and tasks, nothing else.
     */
    private batch(
        name: string,
        ctx: StackContext,
        subscriptionScope: pulumi.Output<string>,
        tags: Record<string, string>,
    ): { name: pulumi.Output<string>; endpoint: pulumi.Output<string> } {
        const parent = { parent: this };
        const account = new batch.BatchAccount(
            `${name}-batch`,
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
                tags,
            },
            parent,
        );
        new authorization.RoleAssignment(
            `${name}-jobs-batch-submit`,
            {
                roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                    deterministicGuid(ctx.project, ctx.stack, s, "jobs", AZURE_BATCH_JOB_SUBMITTER),
                ),
                scope: account.id,
                roleDefinitionId: roleDefinitionId(subscriptionScope, AZURE_BATCH_JOB_SUBMITTER),
                principalId: this.identityPrincipalId,
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "mlops-levels job launchers submit Batch jobs and tasks in this account only",
            },
            parent,
        );
        return { name: account.name, endpoint: account.accountEndpoint };
    }
}

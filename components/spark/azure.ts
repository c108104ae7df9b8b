import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as monitor from "@pulumi/azure-native/monitor";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as storage from "@pulumi/azure-native/storage";
import * as synapse from "@pulumi/azure-native/synapse";
import * as pulumi from "@pulumi/pulumi";
import { AZURE_CLI_IMAGE } from "../blocks/azure/batch-pool";
import { CONSUMPTION_PROFILE } from "../blocks/azure/container-apps";
import { deterministicGuid, roleDefinitionId, STORAGE_BLOB_DATA_CONTRIBUTOR } from "../blocks/azure/roles";
import { deleteLock, hardenedStorageAccount } from "../blocks/azure/storage";
import { type Capability, placed } from "../capability";
import { type FoundationNeeds, foundationProblems } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import {
    checkSparkClusterArgs,
    clusterVolumeGb,
    DEFAULT_SPARK_TIMEOUT_HOURS,
    dynamicAllocation,
    IDLE_MINUTES,
    jobArguments,
    joinUri,
    pipelinesOf,
    SPARK_TYPE,
    type SparkCluster,
    type SparkClusterArgs,
    type SparkLimits,
    type SparkPipeline,
    type SparkSize,
    type SparkSpec,
    type SparkWorkerType,
    scriptPath,
    sizeProblems,
    sparkSizeOrThrow,
} from "./index";

/**
 * Azure Synapse Runtime for Apache Spark 3.5 (generally available, supported to October 2028).
 * 3.4 reached end of support on 31 March 2026 and its jobs are being disabled.
 */
export const SYNAPSE_SPARK_VERSION = "3.5";

/** Synapse memory-optimised node sizes (Apache Spark pool configurations). */
export const SYNAPSE_NODE_SIZES: readonly SparkWorkerType[] = [
    { name: "Small", vcpus: 4, memoryGb: 32 },
    { name: "Medium", vcpus: 8, memoryGb: 64 },
    { name: "Large", vcpus: 16, memoryGb: 128 },
    { name: "XLarge", vcpus: 32, memoryGb: 256 },
    { name: "XXLarge", vcpus: 64, memoryGb: 432 },
];

/** A Synapse Spark instance has at least 3 nodes (a head and two workers); pools scale to 200. */
export const SYNAPSE_LIMITS: SparkLimits = { minWorkers: 3, maxWorkers: 200 };

/** The workspace's own file system (Spark logs, event logs, libraries) in the dedicated HNS account. */
export const WORKSPACE_FILESYSTEM = "synapse";
/** Token audience and private-link DNS zone of the workspace's development endpoint (Livy, Studio). */
export const SYNAPSE_DEV_AUDIENCE = "https://dev.azuresynapse.net";
export const SYNAPSE_DEV_DNS_ZONE = "privatelink.dev.azuresynapse.net";
/** Livy API version of Synapse Spark batch jobs. */
export const LIVY_API_VERSION = "2019-11-01-preview";
/** Public Microsoft image with the Azure CLI, pinned: the submitter needs nothing else. */
export const SUBMITTER_IMAGE = AZURE_CLI_IMAGE;
/** API version of the workspace's managed private endpoints (Synapse data plane REST reference). */
export const MANAGED_PE_API_VERSION = "2020-12-01";
/**
 * Sub-resources of the foundation storage Spark reaches through managed private endpoints: `dfs`
 * for the ABFS driver (abfss:// reads and writes), `blob` for the Blob endpoint the driver also uses.
 */
export const MANAGED_PE_GROUPS = ["dfs", "blob"] as const;
/**
 * What the jobs identity may do on the foundation storage besides reading blobs: approve the
 * workspace's managed private endpoint connections (and read them), nothing else.
 */
export const PE_APPROVER_ACTIONS = [
    "Microsoft.Storage/storageAccounts/read",
    "Microsoft.Storage/storageAccounts/privateEndpointConnections/read",
    "Microsoft.Storage/storageAccounts/privateEndpointConnectionsApproval/action",
    "Microsoft.Storage/storageAccounts/privateEndpointConnections/write",
] as const;
/**
 * Driver and executor memory per node size: the values Synapse documents for `%%configure`, the
 * node's memory less overhead and the OS. A table, not a ratio: 7/8 of XXLarge's 432 GB (378g) is
 * not one of them.
 */
export const SYNAPSE_HEAP: Readonly<Record<string, string>> = {
    Small: "28g",
    Medium: "56g",
    Large: "112g",
    XLarge: "224g",
    XXLarge: "400g",
};
/** Seconds the submitter waits beyond the run limit: the pool's cold start and queueing. */
export const SUBMIT_MARGIN_SECONDS = 1800;
/** The longest a Container Apps job replica may run. */
export const MAX_REPLICA_SECONDS = 86_400;
/** Diagnostic log categories: ended Spark applications; workspace RBAC changes and API requests. */
export const POOL_LOG_CATEGORIES = ["BigDataPoolAppsEnded"] as const;
export const WORKSPACE_LOG_CATEGORIES = ["SynapseRbacOperations", "GatewayApiRequests"] as const;

/** Azure checks on top of the cloud-neutral ones. Pure. */
export function checkAzureSparkArgs(a: Pick<SparkClusterArgs, "jobs" | "level">): InputProblem[] {
    return [...checkSparkClusterArgs(a), ...sizeProblems(a.jobs, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS)];
}

/** The Livy batch one run submits: the entry script, its arguments, driver and executor sizes. Pure. */
export function livyBatch(o: { name: string; file: string; args: string[]; size: SparkSize }): Record<string, unknown> {
    const heap = SYNAPSE_HEAP[o.size.worker.name];
    if (heap === undefined) throw new Error(`no Synapse memory setting for node size ${o.size.worker.name}`);
    const cores = o.size.worker.vcpus;
    return {
        name: o.name,
        file: o.file,
        args: o.args,
        driverMemory: heap,
        driverCores: cores,
        executorMemory: heap,
        executorCores: cores,
        // Start small; dynamic allocation grows the run up to the pool's maximum.
        numExecutors: 1,
        conf: dynamicAllocation({ minWorkers: o.size.minWorkers, maxWorkers: o.size.maxWorkers - 1 }),
    };
}

/**
 * The submitter's script: signs in as the jobs identity, makes sure Spark can reach the foundation
 * storage, submits the batch to the pool's Livy endpoint and polls it, failing the job run when Spark
 * fails. `az rest` fetches the token for the Synapse audience itself.
 *
 * Reaching the storage: Spark runs in the workspace's managed virtual network, which the storage
 * firewall cannot name, and Microsoft documents a managed private endpoint as the way in (the
 * trusted-service exception serves the serverless and dedicated SQL pools, not Spark). Managed
 * private endpoints are objects of the workspace's data plane, which ARM (and so azure-native) does
 * not declare, and the workspace's development endpoint is private: only this job, inside the
 * network, reaches it. So the first run creates one endpoint per sub-resource (idempotent PUT),
 * approves the pending connections on the storage account (a custom role allows exactly that) and
 * waits until they are approved; later runs find them in place.
 */
export const SUBMIT_SCRIPT = [
    "set -euo pipefail",
    'az login --identity --client-id "$AZURE_CLIENT_ID" --allow-no-subscriptions --output none',
    `pe_api="$SYNAPSE_DEV_ENDPOINT/managedVirtualNetworks/default/managedPrivateEndpoints"`,
    `for group in ${MANAGED_PE_GROUPS.join(" ")}; do`,
    `  pe="$pe_api/foundation-$group?api-version=${MANAGED_PE_API_VERSION}"`,
    `  if ! az rest --method get --url "$pe" --resource ${SYNAPSE_DEV_AUDIENCE} --output none 2>/dev/null; then`,
    `    az rest --method put --url "$pe" --resource ${SYNAPSE_DEV_AUDIENCE} --output none \\`,
    `      --body "{"properties":{"privateLinkResourceId":"$STORAGE_ACCOUNT_ID","groupId":"$group"}}"`,
    "  fi",
    "done",
    "for attempt in $(seq 1 30); do",
    '  for id in $(az network private-endpoint-connection list --id "$STORAGE_ACCOUNT_ID" \\',
    "      --query \"[?properties.privateLinkServiceConnectionState.status=='Pending'].id\" --output tsv); do",
    '    az network private-endpoint-connection approve --id "$id" --description "mlops-levels Synapse Spark" --output none',
    "  done",
    `  approved=$(for group in ${MANAGED_PE_GROUPS.join(" ")}; do az rest --method get --resource ${SYNAPSE_DEV_AUDIENCE} \\`,
    `      --url "$pe_api/foundation-$group?api-version=${MANAGED_PE_API_VERSION}" \\`,
    "      --query properties.connectionState.status --output tsv; done | grep -c '^Approved$' || true)",
    `  [ "$approved" = ${MANAGED_PE_GROUPS.length} ] && break`,
    '  echo "waiting for the managed private endpoints to the storage account ($approved approved)"',
    "  sleep 30",
    "done",
    'url="$SYNAPSE_DEV_ENDPOINT/livyApi/versions/$LIVY_API_VERSION/sparkPools/$SPARK_POOL/batches"',
    `id=$(az rest --method post --url "$url" --resource ${SYNAPSE_DEV_AUDIENCE} --body "$LIVY_BATCH" --query id --output tsv)`,
    'echo "submitted Spark batch $id"',
    "while true; do",
    "  sleep 60",
    `  state=$(az rest --method get --url "$url/$id" --resource ${SYNAPSE_DEV_AUDIENCE} --query state --output tsv)`,
    '  echo "batch $id: $state"',
    '  case "$state" in success) exit 0 ;; dead|killed|error) exit 1 ;; esac',
    "done",
].join("\n");

/**
 * The Spark cluster on Azure: a Synapse workspace with an auto-pausing, autoscaling Spark pool,
 * and a Container Apps scheduled job per pipeline that submits the run through Livy.
 *
 * Synapse rather than HDInsight or Databricks: a Synapse pool costs nothing while paused and is
 * declared entirely through ARM (workspace, pool, autoscale, auto-pause); HDInsight bills its
 * nodes around the clock, and Databricks clusters and jobs need the Databricks API (another
 * provider and token) on top of the workspace. Synapse pipelines and triggers are data-plane
 * objects Pulumi's azure-native cannot declare, so the schedule lives in the foundation's
 * Container Apps environment, which bills nothing between runs.
 *
 * Network: the workspace has a managed virtual network (Spark nodes are isolated from other
 * tenants) and no public endpoint; the submitter reaches its development endpoint through a
 * private endpoint in the foundation's compute subnet. Synapse needs an ADLS Gen2 (hierarchical
 * namespace) account as its own file system; the foundation's account keeps HNS off (blob
 * versioning), so a dedicated account holds it. Spark reads the foundation storage with the
 * workspace's managed identity over managed private endpoints (SUBMIT_SCRIPT says how they come to
 * exist). Without a team's own script, each job runs the reference pipeline's entry script, which
 * the stack uploads with the package and data it reads (sparkSamples).
 */
export class AzureSparkCluster extends pulumi.ComponentResource implements SparkCluster {
    readonly clusterName: pulumi.Output<string>;
    readonly jobNames: Readonly<Partial<Record<SparkPipeline, pulumi.Output<string>>>>;
    readonly workerType: string;
    readonly minWorkers: number;
    readonly maxWorkers: number;
    readonly pipelines: readonly SparkPipeline[];
    readonly workspaceName: pulumi.Output<string>;
    /** The development endpoint (Livy, Studio), reachable through the private endpoint only. */
    readonly devEndpoint: pulumi.Output<string>;
    /** The command that starts a run of each pipeline now (its submitter job), for `runCommands`. */
    readonly runCommands: Partial<Record<SparkPipeline, pulumi.Output<string>>>;

    constructor(name: string, args: SparkClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = checkAzureSparkArgs(args);
        problems.push(
            ...foundationProblems(args.foundation, AzureFoundation, "Azure", {
                ready: (f) => f.hasNetwork,
                why: "the scheduler and the private endpoint live in it",
            }),
        );
        throwIfProblems(problems);
        super(SPARK_TYPE, name, {}, opts);
        const f = args.foundation as AzureFoundation;
        const { ctx, level } = args;
        const pipelines = pipelinesOf(args.jobs);
        const tags = tagsOf(ctx, pipelines, level);
        const parent = { parent: this };
        const common = { resourceGroupName: f.resourceGroupName, location: f.location };
        const size = sparkSizeOrThrow(clusterVolumeGb(args.jobs), SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS);
        this.pipelines = pipelines;
        this.workerType = size.worker.name;
        this.minWorkers = size.minWorkers;
        this.maxWorkers = size.maxWorkers;

        const subscriptionScope = f.storageAccountId.apply((id) => id.split("/").slice(0, 3).join("/"));
        const tenantId = authorization.getClientConfigOutput(parent).tenantId;
        const workspaceName = ctx.uniqueSuffix.apply((s) =>
            withSuffix(
                "synapseWorkspace",
                physicalName("synapseWorkspace", [ctx.project, ctx.stack], suffixReserve("synapseWorkspace")),
                s,
            ),
        );
        // Known before the workspace exists, so the account below can trust it without a cycle.
        const workspaceId = pulumi.interpolate`${subscriptionScope}/resourceGroups/${f.resourceGroupName}/providers/Microsoft.Synapse/workspaces/${workspaceName}`;

        // Holds the workspace's own files only (logs, events, libraries); pipeline data stays in the
        // foundation. Fixed logical name and protect, like all stateful storage.
        const lake = hardenedStorageAccount(
            `${name}-lake`,
            {
                ...common,
                accountName: ctx.uniqueSuffix.apply((s) =>
                    withSuffix(
                        "azureStorageAccount",
                        physicalName(
                            "azureStorageAccount",
                            [ctx.project, ctx.stack, "syn"],
                            suffixReserve("azureStorageAccount"),
                        ),
                        s,
                    ),
                ),
                hierarchicalNamespace: true,
                allow: { resourceAccessRules: [{ tenantId, resourceId: workspaceId }] },
                tags,
            },
            // Holds the workspace's files: leaving level 2 keeps them (retained), as for streams.
            { ...parent, retainOnDelete: true },
        );
        const filesystem = new storage.BlobContainer(
            `${name}-lake-filesystem`,
            {
                resourceGroupName: f.resourceGroupName,
                accountName: lake.name,
                containerName: WORKSPACE_FILESYSTEM,
                publicAccess: storage.PublicAccess.None,
            },
            { ...parent, retainOnDelete: true },
        );
        if (ctx.protect)
            deleteLock(
                `${name}-lake-lock`,
                lake.id,
                "File system of the stack's Synapse workspace; remove the lock to delete the account.",
                this,
            );

        const workspace = new synapse.Workspace(
            `${name}-workspace`,
            {
                ...common,
                workspaceName,
                identity: { type: synapse.ResourceIdentityType.SystemAssigned },
                defaultDataLakeStorage: {
                    accountUrl: pulumi.interpolate`https://${lake.name}.dfs.core.windows.net`,
                    filesystem: filesystem.name,
                    resourceId: lake.id,
                    // Spark reaches its own file system over a managed private endpoint.
                    createManagedPrivateEndpoint: true,
                },
                managedResourceGroupName: physicalName("azureResourceGroup", [
                    ctx.project,
                    ctx.stack,
                    "synapse-managed",
                ]),
                // Spark nodes in a network of their own rather than shared with other tenants.
                managedVirtualNetwork: "default",
                publicNetworkAccess: synapse.WorkspacePublicNetworkAccess.Disabled,
                azureADOnlyAuthentication: true,
                // The jobs identity becomes the workspace's Synapse Administrator: it submits the runs.
                // Synapse roles are data-plane objects ARM cannot grant any narrower.
                cspWorkspaceAdminProperties: { initialWorkspaceAdminObjectId: f.identityPrincipalId },
                tags,
            },
            parent,
        );
        this.workspaceName = workspace.name;
        this.devEndpoint = pulumi
            .all([workspace.connectivityEndpoints, workspace.name])
            .apply(([e, n]) => e?.["dev"] ?? `https://${n}.dev.azuresynapse.net`);

        const grant = (key: string, scope: pulumi.Output<string>, principalId: pulumi.Input<string>, why: string) =>
            new authorization.RoleAssignment(
                `${name}-${key}`,
                {
                    roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                        deterministicGuid(ctx.project, ctx.stack, s, "spark", key, STORAGE_BLOB_DATA_CONTRIBUTOR),
                    ),
                    scope,
                    roleDefinitionId: roleDefinitionId(subscriptionScope, STORAGE_BLOB_DATA_CONTRIBUTOR),
                    principalId,
                    principalType: authorization.PrincipalType.ServicePrincipal,
                    description: why,
                },
                parent,
            );
        const workspacePrincipal = workspace.identity.apply((i) => i?.principalId ?? "");
        grant(
            "workspace-data-access",
            f.storageAccountId,
            workspacePrincipal,
            "Synapse Spark reads and writes the stack's data and artifacts",
        );
        grant("workspace-lake-access", lake.id, workspacePrincipal, "Synapse uses its own file system");
        grant("jobs-lake-access", lake.id, f.identityPrincipalId, "Spark runs submitted by the jobs identity log here");

        const pool = new synapse.BigDataPool(
            `${name}-pool`,
            {
                ...common,
                workspaceName: workspace.name,
                bigDataPoolName: physicalName("synapseSparkPool", ["spark"]),
                sparkVersion: SYNAPSE_SPARK_VERSION,
                nodeSizeFamily: synapse.NodeSizeFamily.MemoryOptimized,
                nodeSize: size.worker.name,
                autoScale: { enabled: true, minNodeCount: size.minWorkers, maxNodeCount: size.maxWorkers },
                autoPause: { enabled: true, delayInMinutes: IDLE_MINUTES },
                dynamicExecutorAllocation: {
                    enabled: true,
                    minExecutors: 1,
                    // One node is the driver's.
                    maxExecutors: size.maxWorkers - 1,
                },
                isComputeIsolationEnabled: false,
                sessionLevelPackagesEnabled: false,
                tags,
            },
            parent,
        );
        this.clusterName = pool.name;

        for (const [key, resourceUri, categories] of [
            ["pool", pool.id, POOL_LOG_CATEGORIES],
            ["workspace", workspace.id, WORKSPACE_LOG_CATEGORIES],
        ] as const)
            new monitor.DiagnosticSetting(
                `${name}-${key}-logs`,
                {
                    name: "to-log-analytics",
                    resourceUri,
                    workspaceId: f.workspaceId,
                    logs: categories.map((category) => ({ category, enabled: true })),
                },
                parent,
            );

        // The development endpoint inside the stack's network, resolved by the VNet's private zone.
        const endpoint = new network.PrivateEndpoint(
            `${name}-dev-endpoint`,
            {
                ...common,
                privateEndpointName: physicalName("azureGeneral", [ctx.project, ctx.stack, "synapse-dev"]),
                subnet: { id: f.computeSubnetId! },
                privateLinkServiceConnections: [
                    { name: "synapse-dev", privateLinkServiceId: workspace.id, groupIds: ["Dev"] },
                ],
                tags,
            },
            parent,
        );
        const zone = new privatedns.PrivateZone(
            `${name}-dev-zone`,
            { resourceGroupName: f.resourceGroupName, location: "global", privateZoneName: SYNAPSE_DEV_DNS_ZONE, tags },
            parent,
        );
        new privatedns.VirtualNetworkLink(
            `${name}-dev-zone-link`,
            {
                resourceGroupName: f.resourceGroupName,
                location: "global",
                privateZoneName: zone.name,
                virtualNetworkLinkName: physicalName("azureGeneral", [ctx.project, ctx.stack]),
                virtualNetwork: { id: f.vnetId! },
                registrationEnabled: false,
                tags,
            },
            parent,
        );
        new network.PrivateDnsZoneGroup(
            `${name}-dev-zone-group`,
            {
                resourceGroupName: f.resourceGroupName,
                privateEndpointName: endpoint.name,
                privateDnsZoneGroupName: "default",
                privateDnsZoneConfigs: [{ name: "synapse-dev", privateDnsZoneId: zone.id }],
            },
            parent,
        );

        // The jobs identity approves the workspace's managed private endpoint connections on the
        // foundation storage (SUBMIT_SCRIPT), and may do nothing else there beyond reading blobs.
        const approver = new authorization.RoleDefinition(
            `${name}-pe-approver`,
            {
                roleDefinitionId: ctx.uniqueSuffix.apply((s) =>
                    deterministicGuid(ctx.project, ctx.stack, s, "spark", "pe-approver"),
                ),
                roleName: pulumi.interpolate`mlops-levels ${ctx.project}-${ctx.stack} Synapse endpoint approver`,
                description: "Approve the Synapse workspace's managed private endpoints to the stack's storage",
                scope: f.storageAccountId,
                assignableScopes: [f.storageAccountId],
                permissions: [{ actions: [...PE_APPROVER_ACTIONS] }],
            },
            parent,
        );
        const approve = new authorization.RoleAssignment(
            `${name}-jobs-pe-approver`,
            {
                roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                    deterministicGuid(ctx.project, ctx.stack, s, "spark", "jobs", "pe-approver"),
                ),
                scope: f.storageAccountId,
                roleDefinitionId: approver.id,
                principalId: f.identityPrincipalId,
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "Spark submitter approves the workspace's managed private endpoints to this account",
            },
            parent,
        );

        // The submitter is tiny: it only calls the Livy API and waits.
        const profileName = CONSUMPTION_PROFILE;
        const jobNames: Partial<Record<SparkPipeline, pulumi.Output<string>>> = {};
        const runCommands: Partial<Record<SparkPipeline, pulumi.Output<string>>> = {};
        for (const job of args.jobs) {
            const jobTags = tagsOf(ctx, job.pipeline, level);
            const timeoutSeconds = Math.round((job.timeoutHours ?? DEFAULT_SPARK_TIMEOUT_HOURS) * 3600);
            // The team's script when it names one, else the uploaded reference script, with the
            // uploads' URIs as arguments so the submitter is created after them.
            const reference = job.script === undefined;
            const file = reference ? f.sampleUri(`spark-${job.pipeline}`) : pulumi.output(scriptPath(job));
            const pkg = reference ? f.sampleUri("jobs-package") : pulumi.output("");
            const model =
                reference && job.pipeline === "inference" && job.modelPath === undefined
                    ? f.sampleUri("model").apply((u) => u.slice(0, u.lastIndexOf("/")))
                    : pulumi.output("");
            const batch = pulumi
                .all([f.dataUri, f.artifactsUri, file, pkg, model])
                .apply(([dataUri, artifactsUri, script, jobsZip, modelUri]) => {
                    const base = jobArguments(job, dataUri, artifactsUri);
                    const at = base.indexOf("--model-uri");
                    if (modelUri !== "" && at >= 0) base[at + 1] = modelUri;
                    return JSON.stringify(
                        livyBatch({
                            name: `${ctx.stack}-${job.pipeline}`,
                            file: reference ? script : joinUri(artifactsUri, script),
                            args: [...base, ...(jobsZip !== "" ? ["--package", jobsZip] : [])],
                            size,
                        }),
                    );
                });
            const scheduled = new app.Job(
                `${name}-${job.pipeline}-submit`,
                {
                    ...common,
                    jobName: physicalName("azureContainerApp", [ctx.project, ctx.stack, job.pipeline, "spark"]),
                    environmentId: f.environmentId!,
                    workloadProfileName: profileName,
                    identity: {
                        type: app.ManagedServiceIdentityType.UserAssigned,
                        userAssignedIdentities: [f.identityId],
                    },
                    configuration: {
                        triggerType: app.TriggerType.Schedule,
                        scheduleTriggerConfig: {
                            cronExpression: job.schedule,
                            parallelism: 1,
                            replicaCompletionCount: 1,
                        },
                        replicaTimeout: Math.min(MAX_REPLICA_SECONDS, timeoutSeconds + SUBMIT_MARGIN_SECONDS),
                        // A retry would submit a second Spark run; a failed run is looked at, not repeated.
                        replicaRetryLimit: 0,
                    },
                    template: {
                        containers: [
                            {
                                name: "submit",
                                image: SUBMITTER_IMAGE,
                                command: ["/bin/bash", "-c", SUBMIT_SCRIPT],
                                env: [
                                    { name: "AZURE_CLIENT_ID", value: f.identityClientId },
                                    { name: "SYNAPSE_DEV_ENDPOINT", value: this.devEndpoint },
                                    { name: "SPARK_POOL", value: pool.name },
                                    { name: "LIVY_API_VERSION", value: LIVY_API_VERSION },
                                    { name: "LIVY_BATCH", value: batch },
                                    { name: "STORAGE_ACCOUNT_ID", value: f.storageAccountId },
                                ],
                                resources: { cpu: 0.5, memory: "1Gi" },
                            },
                        ],
                    },
                    tags: jobTags,
                },
                // A first run must be allowed to approve the managed private endpoints.
                { ...parent, dependsOn: [approve] },
            );
            jobNames[job.pipeline] = scheduled.name;
            runCommands[job.pipeline] =
                pulumi.interpolate`az containerapp job start --resource-group ${f.resourceGroupName} --name ${scheduled.name}`;
        }
        this.jobNames = jobNames;
        this.runCommands = runCommands;

        this.registerOutputs({
            clusterName: this.clusterName,
            jobNames: this.jobNames,
            workerType: this.workerType,
            minWorkers: this.minWorkers,
            maxWorkers: this.maxWorkers,
            workspaceName: this.workspaceName,
        });
    }
}

/**
 * The reference files a Spark job without a team script reads: its entry script, the jobs package,
 * the sample rows, and the model for scoring. Pure.
 */
export function sparkSamples(spec: Pick<SparkSpec, "jobs">): FoundationNeeds {
    const samples = spec.jobs
        .filter((j) => j.script === undefined)
        .flatMap((j) => [
            `spark-${j.pipeline}`,
            "jobs-package",
            "sample-data",
            ...(j.pipeline === "inference" && j.modelPath === undefined ? ["model"] : []),
        ]);
    return samples.length > 0 ? { samples: [...new Set(samples)] } : {};
}

/** Synapse Spark as the Azure Spark capability, with its pure pre-flight check. */
export const azureSparkKit: Capability<SparkSpec, AzureSparkCluster> = {
    check: checkAzureSparkArgs,
    needs: sparkSamples,
    create: (name, spec, site, opts) => new AzureSparkCluster(name, placed(spec, site), opts),
};

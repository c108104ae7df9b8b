import type { PlannedResource } from "../../cli/plan/offline";
import { TAG_KEYS } from "../../components/shared/tags";
import {
    azureSparkKit,
    MANAGED_PE_API_VERSION,
    PE_APPROVER_ACTIONS,
    SUBMIT_SCRIPT,
    SYNAPSE_DEV_DNS_ZONE,
    SYNAPSE_SPARK_VERSION,
} from "../../components/spark/azure";
import type { SparkJobSpec } from "../../components/spark/index";
import type { Json } from "../aws/harness";
import { runAzure, UNTAGGABLE } from "../azure/harness";
import { ofType, one } from "../helpers/plan";
import { badlyTagged, expectValidName, OTHER_LEVEL_TYPES, sparkTree } from "./harness";

const DATA: SparkJobSpec = { pipeline: "data", volumeGb: 900, schedule: "0 1 * * *" };
const INFERENCE: SparkJobSpec = { pipeline: "inference", volumeGb: 300, schedule: "30 4 * * *" };
const NO_TAGS = new Set([
    ...UNTAGGABLE,
    "azure-native:network:PrivateDnsZoneGroup",
    "azure-native:authorization:RoleDefinition",
]);

const plan = (jobs: SparkJobSpec[], protect = false) =>
    runAzure(
        (ctx, foundation, opts) => {
            const c = azureSparkKit.create("spark", { region: ctx.region, level: 2, jobs }, { ctx, foundation }, opts);
            return { cluster: c.clusterName, jobs: c.jobNames, worker: c.workerType, max: c.maxWorkers };
        },
        // The foundation uploads what the jobs read, as the stack program asks it to.
        { protect, stack: protect ? "prod" : "dev", needs: azureSparkKit.needs({ region: "eastus", level: 2, jobs }) },
    );

describe("Azure Spark cluster (Synapse), data and inference sharing it", () => {
    let rs: PlannedResource[] & { outputs: Record<string, unknown> };
    let children: PlannedResource[];
    beforeAll(async () => {
        rs = await plan([DATA, INFERENCE]);
        children = sparkTree(rs).children;
    });

    it("creates one auto-pausing, autoscaling pool for both pipelines, sized for the larger volume", () => {
        const pool = one(rs, "azure-native:synapse:BigDataPool");
        expect(pool.inputs).toMatchObject({
            sparkVersion: SYNAPSE_SPARK_VERSION,
            nodeSizeFamily: "MemoryOptimized",
            nodeSize: "Large",
            autoScale: { enabled: true, minNodeCount: 3, maxNodeCount: 9 },
            autoPause: { enabled: true, delayInMinutes: 15 },
            dynamicExecutorAllocation: { enabled: true, minExecutors: 1, maxExecutors: 8 },
        });
        // Spark 3.4 reached end of support in March 2026 and its jobs are being disabled.
        expect(SYNAPSE_SPARK_VERSION).toBe("3.5");
        expect(pool.inputs.tags).toMatchObject({ [TAG_KEYS.pipeline]: "data-inference", [TAG_KEYS.level]: "2" });
        expect(rs.outputs).toMatchObject({ worker: "Large", max: 9, cluster: "spark" });
    });

    it("gives the workspace a dedicated HNS file system, a managed network and no public endpoint", () => {
        const ws = one(rs, "azure-native:synapse:Workspace");
        const accounts = ofType(rs, "azure-native:storage:StorageAccount");
        const lake = accounts.find((a) => a.name === "spark-lake")!;
        const foundation = accounts.find((a) => a.name === "foundation-storage")!;
        expect(foundation.inputs.isHnsEnabled).toBe(false);
        expect(lake.inputs).toMatchObject({
            isHnsEnabled: true,
            allowSharedKeyAccess: false,
            allowBlobPublicAccess: false,
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            encryption: { requireInfrastructureEncryption: true },
            networkRuleSet: { defaultAction: "Deny", resourceAccessRules: [{ resourceId: ws.outputs.id }] },
        });
        expect(ws.inputs).toMatchObject({
            managedVirtualNetwork: "default",
            publicNetworkAccess: "Disabled",
            azureADOnlyAuthentication: true,
            defaultDataLakeStorage: {
                resourceId: lake.outputs.id,
                filesystem: "synapse",
                createManagedPrivateEndpoint: true,
            },
        });
        expect(ws.inputs.sqlAdministratorLoginPassword).toBeUndefined();
    });

    it("reaches the workspace through a private endpoint in the stack's VNet", () => {
        const pe = one(rs, "azure-native:network:PrivateEndpoint");
        const compute = rs.find((r) => r.name === "foundation-compute")!;
        const ws = one(rs, "azure-native:synapse:Workspace");
        expect(pe.inputs).toMatchObject({
            subnet: { id: compute.outputs.id },
            privateLinkServiceConnections: [{ privateLinkServiceId: ws.outputs.id, groupIds: ["Dev"] }],
        });
        expect(one(rs, "azure-native:privatedns:PrivateZone").inputs.privateZoneName).toBe(SYNAPSE_DEV_DNS_ZONE);
        expect(one(rs, "azure-native:privatedns:VirtualNetworkLink").inputs.virtualNetwork).toEqual({
            id: one(rs, "azure-native:network:VirtualNetwork").outputs.id,
        });
    });

    it("grants blob access on the stack's accounts only, and makes the jobs identity the submitter", () => {
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        const ws = one(rs, "azure-native:synapse:Workspace");
        expect(ws.inputs.cspWorkspaceAdminProperties).toEqual({
            initialWorkspaceAdminObjectId: identity.outputs.principalId,
        });
        const grants = ofType(children, "azure-native:authorization:RoleAssignment");
        const accounts = ofType(rs, "azure-native:storage:StorageAccount").map((a) => a.outputs.id);
        const blobGrants = grants.filter((g) =>
            /ba92f5b4-2d11-453d-a403-e96b0029c9fe$/.test(String(g.inputs.roleDefinitionId)),
        );
        expect(blobGrants).toHaveLength(3);
        for (const g of grants) expect(accounts).toContain(g.inputs.scope);
        // The fourth: the jobs identity may approve the workspace's managed private endpoints on the
        // foundation storage, through a custom role holding exactly that, assignable there only.
        const approver = one(children, "azure-native:authorization:RoleDefinition");
        const storage = rs.find((r) => r.name === "foundation-storage")!;
        expect(approver.inputs).toMatchObject({
            scope: storage.outputs.id,
            assignableScopes: [storage.outputs.id],
            permissions: [{ actions: [...PE_APPROVER_ACTIONS] }],
        });
        const approve = grants.find((g) => g.inputs.roleDefinitionId === approver.outputs.id)!;
        expect(approve.inputs).toMatchObject({
            scope: storage.outputs.id,
            principalId: identity.outputs.principalId,
            principalType: "ServicePrincipal",
        });
        for (const j of ofType(rs, "azure-native:app:Job")) expect(j.dependencies).toContain(approve.urn);
    });

    it("the submitter creates and approves the managed private endpoints Spark reaches the storage by", () => {
        expect(SUBMIT_SCRIPT).toContain("/managedVirtualNetworks/default/managedPrivateEndpoints");
        expect(SUBMIT_SCRIPT).toContain("for group in dfs blob; do");
        expect(SUBMIT_SCRIPT).toMatch(/az rest --method put --url "\$pe"/);
        expect(SUBMIT_SCRIPT).toContain(`api-version=${MANAGED_PE_API_VERSION}`);
        expect(SUBMIT_SCRIPT).toContain('az network private-endpoint-connection approve --id "$id"');
        // Endpoints first, Livy second: a run never starts before Spark can reach its files.
        expect(SUBMIT_SCRIPT.indexOf("private-endpoint-connection approve")).toBeLessThan(
            SUBMIT_SCRIPT.indexOf("livyApi"),
        );
        const storage = rs.find((r) => r.name === "foundation-storage")!;
        for (const j of ofType(rs, "azure-native:app:Job")) {
            const c = (j.inputs.template as Json).containers[0];
            expect(c.image).toBe("mcr.microsoft.com/azure-cli:2.70.0");
            expect(Object.fromEntries((c.env as Json[]).map((e) => [e.name, e.value])).STORAGE_ACCOUNT_ID).toBe(
                storage.outputs.id,
            );
        }
    });

    it("schedules one submitter job per pipeline in the foundation's environment; scoring gets the model", () => {
        const jobs = ofType(rs, "azure-native:app:Job");
        expect(jobs.map((j) => (j.inputs.configuration as Json).scheduleTriggerConfig.cronExpression)).toEqual([
            "0 1 * * *",
            "30 4 * * *",
        ]);
        const env = one(rs, "azure-native:app:ManagedEnvironment");
        for (const j of jobs) {
            expect(j.inputs.environmentId).toBe(env.outputs.id);
            expect(j.inputs.workloadProfileName).toBe("Consumption");
            expect((j.inputs.configuration as Json).replicaRetryLimit).toBe(0);
        }
        const envOf = (j: PlannedResource) =>
            Object.fromEntries(((j.inputs.template as Json).containers[0].env as Json[]).map((e) => [e.name, e.value]));
        const inference = envOf(jobs[1]!);
        const batch = JSON.parse(inference.LIVY_BATCH);
        // No team script: the uploaded reference script, package and model, each an upload the
        // submitter depends on (so it exists before the first run).
        const blobs = Object.fromEntries(ofType(rs, "azure:storage/blob:Blob").map((b) => [String(b.inputs.name), b]));
        expect(Object.keys(blobs).sort()).toEqual([
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
            "samples/jobs/spark/data.py",
            "samples/jobs/spark/inference.py",
            "samples/models/sklearn/model.joblib",
        ]);
        expect(batch.file).toMatch(
            /^abfss:\/\/artifacts@.*\.dfs\.core\.windows\.net\/samples\/jobs\/spark\/inference\.py$/,
        );
        const arg = (flag: string) => batch.args[batch.args.indexOf(flag) + 1];
        expect(arg("--model-uri")).toMatch(/^abfss:\/\/artifacts@.*\/samples\/models\/sklearn$/);
        expect(arg("--package")).toMatch(/^abfss:\/\/artifacts@.*\/samples\/jobs\/jobs\.zip$/);
        for (const key of [
            "samples/jobs/spark/inference.py",
            "samples/jobs/jobs.zip",
            "samples/models/sklearn/model.joblib",
        ])
            expect(jobs[1]!.dependencies).toContain(blobs[key]!.urn);
        expect(JSON.parse(envOf(jobs[0]!).LIVY_BATCH).file).toMatch(/\/samples\/jobs\/spark\/data\.py$/);
        expect(jobs[0]!.dependencies).toContain(blobs["samples/jobs/spark/data.py"]!.urn);
        expect(inference.SPARK_POOL).toBe("spark");
        expect(inference.SYNAPSE_DEV_ENDPOINT).toMatch(/^https:\/\/.*\.dev\.azuresynapse\.net$/);
        expect((jobs[0]!.inputs.tags as Record<string, string>)[TAG_KEYS.pipeline]).toBe("data");
    });

    it("sends pool and workspace logs to the foundation's Log Analytics workspace", () => {
        const logs = ofType(children, "azure-native:monitor:DiagnosticSetting");
        const la = one(rs, "azure-native:operationalinsights:Workspace");
        const byTarget = Object.fromEntries(
            logs.map((l) => [l.name, [l.inputs.workspaceId, (l.inputs.logs as Json[]).map((x) => x.category)]]),
        );
        expect(byTarget).toEqual({
            "spark-pool-logs": [la.outputs.id, ["BigDataPoolAppsEnded"]],
            "spark-workspace-logs": [la.outputs.id, ["SynapseRbacOperations", "GatewayApiRequests"]],
        });
    });

    it("tags every taggable resource; names follow the rules; nothing of other levels", () => {
        expect(badlyTagged(children, NO_TAGS, ["data-inference", "data", "inference"])).toEqual([]);
        expectValidName("synapseWorkspace", one(rs, "azure-native:synapse:Workspace").inputs.workspaceName);
        expectValidName("synapseSparkPool", one(rs, "azure-native:synapse:BigDataPool").inputs.bigDataPoolName);
        expectValidName("azureStorageAccount", rs.find((r) => r.name === "spark-lake")!.inputs.accountName);
        for (const j of ofType(rs, "azure-native:app:Job")) expectValidName("azureContainerApp", j.inputs.jobName);
        const otherLevels = rs.filter(
            (r) => OTHER_LEVEL_TYPES.test(r.type) || r.type === "azure-native:app:ContainerApp",
        );
        expect(otherLevels.map((r) => r.type)).toEqual([]);
    });
});

describe("Azure Spark cluster in prod", () => {
    it("retains (never protects) and locks the workspace's file system", async () => {
        const rs = await plan([DATA], true);
        const lake = rs.find((r) => r.name === "spark-lake")!;
        expect(lake.protect).toBe(false);
        expect(lake.retainOnDelete).toBe(true);
        expect(rs.find((r) => r.name === "spark-lake-filesystem")!.protect).toBe(false);
        expect(rs.find((r) => r.name === "spark-lake-filesystem")!.retainOnDelete).toBe(true);
        expect(rs.find((r) => r.name === "spark-lake-lock")!.inputs).toMatchObject({
            scope: lake.outputs.id,
            level: "CanNotDelete",
        });
    });
});

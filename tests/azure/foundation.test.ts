import { workloadProfileName, workloadProfilesFor } from "../../components/blocks/azure/container-apps";
import { deterministicGuid, STORAGE_BLOB_DATA_CONTRIBUTOR } from "../../components/blocks/azure/roles";
import {
    APPS_SUBNET_CIDR,
    AzureFoundation,
    COMPUTE_SUBNET_CIDR,
    ENVIRONMENT_LOG_CATEGORIES,
    LOG_RETENTION_DAYS,
    PREVIOUS_VERSION_DAYS,
    SOFT_DELETE_DAYS,
} from "../../components/foundation/azure";
import { FOUNDATION_TYPE, mergeNeeds } from "../../components/foundation/index";
import { AZURE_JOB_PROFILES, T4_PROFILE } from "../../components/machines/azure";
import { isValidName } from "../../components/shared/naming";
import { descendants, ofType, one } from "../helpers/plan";
import { azureResources, expectTagged, HIGHER_LEVEL_TYPE, runAzure, SUFFIX, testContext } from "./harness";

const ACCOUNT = "azure-native:storage:StorageAccount";
const CONTAINER = "azure-native:storage:BlobContainer";
const SUBNET = "azure-native:network:Subnet";
const ENV = "azure-native:app:ManagedEnvironment";
const ROLE = "azure-native:authorization:RoleAssignment";
const LOCK = "azure-native:authorization:ManagementLockByScope";

const profile = (type: string) => AZURE_JOB_PROFILES.find((p) => p.profileType === type)!;

describe("Azure foundation with a network", () => {
    let rs: Awaited<ReturnType<typeof runAzure>>;
    beforeAll(async () => {
        rs = await runAzure((_ctx, f) => ({
            dataUri: f.dataUri,
            artifactsUri: f.artifactsUri,
            dataBucket: f.dataBucketName,
            jobIdentity: f.jobIdentity,
            networkId: f.networkId,
            environmentId: f.environmentId,
            clientId: f.identityClientId,
        }));
    });

    test("creates storage, logs, identity, network and environment, nothing of a higher level", () => {
        const types = azureResources(rs).map((r) => r.type);
        expect([...new Set(types)].sort()).toEqual(
            [
                "azure-native:app:ManagedEnvironment",
                "azure-native:authorization:RoleAssignment",
                "azure-native:managedidentity:UserAssignedIdentity",
                "azure-native:monitor:DiagnosticSetting",
                "azure-native:network:NetworkSecurityGroup",
                "azure-native:network:Subnet",
                "azure-native:network:VirtualNetwork",
                "azure-native:operationalinsights:Workspace",
                "azure-native:resources:ResourceGroup",
                "azure-native:storage:BlobContainer",
                "azure-native:storage:BlobServiceProperties",
                "azure-native:storage:ManagementPolicy",
                "azure-native:storage:StorageAccount",
            ].sort(),
        );
        expect(ofType(rs, CONTAINER)).toHaveLength(2);
        expect(ofType(rs, SUBNET)).toHaveLength(2);
        expect(types.filter((t) => HIGHER_LEVEL_TYPE.test(t))).toEqual([]);
        // Not in dev: the lock comes with protect only; no VM, NAT gateway or private endpoint idles here.
        expect(types.some((t) => /compute:|natGateway|privateEndpoint|ManagementLock/i.test(t))).toBe(false);
    });

    test("every resource is a child of the foundation component, which uses the explicit provider", () => {
        const f = one(rs, FOUNDATION_TYPE);
        for (const r of azureResources(rs)) expect(r.parent).toBe(f.urn);
        expect(descendants(rs, f.urn)).toHaveLength(azureResources(rs).length);
        for (const r of azureResources(rs)) expect(r.provider).toMatch(/pulumi:providers:azure-native::azure-native$/);
    });

    test("storage account: identity-only access, TLS 1.2, HTTPS, infrastructure encryption, firewall", () => {
        const a = one(rs, ACCOUNT);
        expect(a.inputs).toMatchObject({
            kind: "StorageV2",
            sku: { name: "Standard_LRS" },
            location: "eastus",
            isHnsEnabled: false,
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            encryption: {
                keySource: "Microsoft.Storage",
                requireInfrastructureEncryption: true,
                services: { blob: { enabled: true, keyType: "Account" } },
            },
            networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
        });
        // Only the stack's two subnets get through the firewall.
        const subnetIds = ofType(rs, SUBNET).map((s) => s.outputs.id);
        const rules = (
            a.inputs.networkRuleSet as { virtualNetworkRules: { virtualNetworkResourceId: string; action: string }[] }
        ).virtualNetworkRules;
        expect(rules.map((r) => r.virtualNetworkResourceId).sort()).toEqual([...subnetIds].sort());
        for (const r of rules) expect(r.action).toBe("Allow");
    });

    test("containers data and artifacts are private; versioning, soft delete and version expiry are on", () => {
        const containers = ofType(rs, CONTAINER);
        expect(containers.map((c) => c.inputs.containerName).sort()).toEqual(["artifacts", "data"]);
        for (const c of containers) expect(c.inputs.publicAccess).toBe("None");
        expect(one(rs, "azure-native:storage:BlobServiceProperties").inputs).toMatchObject({
            blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
            containerDeleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
        });
        const policy = one(rs, "azure-native:storage:ManagementPolicy").inputs.policy as {
            rules: { definition: { actions: { version: { delete: { daysAfterCreationGreaterThan: number } } } } }[];
        };
        expect(policy.rules[0]?.definition.actions.version.delete.daysAfterCreationGreaterThan).toBe(
            PREVIOUS_VERSION_DAYS,
        );
    });

    test("jobs identity gets Storage Blob Data Contributor on the storage account only, under a GUID name", () => {
        const ra = one(rs, ROLE);
        const account = one(rs, ACCOUNT);
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        expect(ra.inputs.scope).toBe(account.outputs.id);
        expect(String(ra.inputs.scope)).toMatch(/\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/);
        expect(ra.inputs.roleDefinitionId).toBe(
            `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
        );
        expect(ra.inputs.principalId).toBe(identity.outputs.principalId);
        expect(ra.inputs.principalType).toBe("ServicePrincipal");
        expect(ra.inputs.roleAssignmentName).toMatch(
            /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(ra.inputs.roleAssignmentName).toBe(
            deterministicGuid("mlops-levels", "dev", SUFFIX, "jobs", STORAGE_BLOB_DATA_CONTRIBUTOR),
        );
    });

    test("VNet with a subnet delegated to Container Apps and a compute subnet, both with the Storage and Event Hubs endpoints", () => {
        const [apps, computeSubnet] = ["apps", "compute"].map(
            (n) => ofType(rs, SUBNET).find((s) => s.inputs.subnetName === n)!,
        );
        expect(apps!.inputs).toMatchObject({
            addressPrefix: APPS_SUBNET_CIDR,
            delegations: [{ serviceName: "Microsoft.App/environments" }],
            serviceEndpoints: [{ service: "Microsoft.Storage" }, { service: "Microsoft.EventHub" }],
        });
        expect(computeSubnet!.inputs).toMatchObject({
            addressPrefix: COMPUTE_SUBNET_CIDR,
            serviceEndpoints: [{ service: "Microsoft.Storage" }, { service: "Microsoft.EventHub" }],
        });
        expect(computeSubnet!.inputs.delegations).toBeUndefined();
        // No level asked for egress: no NAT gateway, nothing billed by the hour for the network.
        expect(computeSubnet!.inputs.natGateway).toBeUndefined();
        expect(ofType(rs, "azure-native:network:NatGateway")).toEqual([]);
        // No sample asked for: nothing uploaded, no deployer data role.
        expect(ofType(rs, "azure:storage/blob:Blob")).toEqual([]);
        const nsg = one(rs, "azure-native:network:NetworkSecurityGroup");
        for (const s of [apps!, computeSubnet!]) expect(s.inputs.networkSecurityGroup).toEqual({ id: nsg.outputs.id });
        // /27 is the documented minimum of a workload-profiles environment.
        expect(Number(APPS_SUBNET_CIDR.split("/")[1])).toBeLessThanOrEqual(27);
    });

    test("the environment sits on the delegated subnet, can serve external ingress, Consumption only without jobs, logs to the workspace", () => {
        const env = one(rs, ENV);
        const apps = ofType(rs, SUBNET).find((s) => s.inputs.subnetName === "apps")!;
        expect(env.inputs.vnetConfiguration).toEqual({ infrastructureSubnetId: apps.outputs.id, internal: false });
        expect(env.inputs.workloadProfiles).toEqual([{ name: "Consumption", workloadProfileType: "Consumption" }]);
        expect(env.inputs.zoneRedundant).toBe(false);
        expect(env.inputs.appLogsConfiguration).toEqual({ destination: "azure-monitor" });
        const diag = one(rs, "azure-native:monitor:DiagnosticSetting");
        const ws = one(rs, "azure-native:operationalinsights:Workspace");
        expect(diag.inputs.resourceUri).toBe(env.outputs.id);
        expect(diag.inputs.workspaceId).toBe(ws.outputs.id);
        expect((diag.inputs.logs as { category: string }[]).map((l) => l.category)).toEqual([
            ...ENVIRONMENT_LOG_CATEGORIES,
        ]);
        expect(ws.inputs).toMatchObject({
            sku: { name: "PerGB2018" },
            retentionInDays: LOG_RETENTION_DAYS,
            features: { disableLocalAuth: true },
        });
    });

    test("tags on every taggable resource; names valid", () => {
        expectTagged(rs, "foundation", 0);
        expect(
            isValidName(
                "azureResourceGroup",
                String(one(rs, "azure-native:resources:ResourceGroup").inputs.resourceGroupName),
            ),
        ).toBe(true);
        expect(isValidName("azureContainerApp", String(one(rs, ENV).inputs.environmentName))).toBe(true);
        const account = String(one(rs, ACCOUNT).inputs.accountName);
        expect(isValidName("azureStorageAccount", account)).toBe(true);
        expect(account.endsWith(SUFFIX)).toBe(true);
        for (const t of ["azure-native:network:VirtualNetwork", "azure-native:operationalinsights:Workspace"])
            expect(isValidName("azureGeneral", String(one(rs, t).outputs.name))).toBe(true);
    });

    test("outputs: abfss URIs, container names, identity and network ids", () => {
        const account = String(one(rs, ACCOUNT).inputs.accountName);
        expect(rs.outputs.dataUri).toBe(`abfss://data@${account}.dfs.core.windows.net/`);
        expect(rs.outputs.artifactsUri).toBe(`abfss://artifacts@${account}.dfs.core.windows.net/`);
        expect(rs.outputs.dataBucket).toBe("data");
        expect(rs.outputs.jobIdentity).toMatch(/Microsoft\.ManagedIdentity\/userAssignedIdentities\//);
        expect(rs.outputs.networkId).toMatch(/Microsoft\.Network\/virtualNetworks\//);
        expect(rs.outputs.environmentId).toMatch(/Microsoft\.App\/managedEnvironments\//);
        expect(rs.outputs.clientId).toMatch(/^[0-9a-f-]{36}$/);
    });
});

describe("Azure foundation variants", () => {
    test("without a network: storage only, firewall closed to everything but trusted services", async () => {
        const rs = await runAzure(() => {}, { network: false });
        const types = azureResources(rs).map((r) => r.type);
        expect(types.some((t) => /network:|app:|monitor:/.test(t))).toBe(false);
        const set = one(rs, ACCOUNT).inputs.networkRuleSet as { defaultAction: string; virtualNetworkRules: unknown[] };
        expect(set.defaultAction).toBe("Deny");
        expect(set.virtualNetworkRules).toEqual([]);
    });

    test("protect: a CanNotDelete lock on the storage account; only the account and containers protected", async () => {
        const rs = await runAzure(() => {}, { protect: true, needs: { kubernetesSubnet: true, batchAccount: true } });
        const lock = one(rs, LOCK);
        expect(lock.inputs.level).toBe("CanNotDelete");
        expect(lock.inputs.scope).toBe(one(rs, ACCOUNT).outputs.id);
        expect(
            rs
                .filter((r) => r.protect)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
        ).toEqual([
            `${CONTAINER} foundation-artifacts`,
            `${CONTAINER} foundation-data`,
            `${ACCOUNT} foundation-storage`,
        ]);
        expect(one(rs, FOUNDATION_TYPE).protect).toBe(false);
    });

    test("long project and stack names still give a valid 3-24 storage account name with the suffix", async () => {
        const rs = await runAzure(() => {}, {
            network: false,
            project: "Very-Long_Project.Name-For-Forecasting",
            stack: "production-europe-west-2",
        });
        const name = String(one(rs, ACCOUNT).inputs.accountName);
        expect(name).toMatch(/^[a-z0-9]{3,24}$/);
        expect(name.endsWith(SUFFIX)).toBe(true);
        expect(
            isValidName(
                "azureResourceGroup",
                String(one(rs, "azure-native:resources:ResourceGroup").inputs.resourceGroupName),
            ),
        ).toBe(true);
    });

    test("what levels need is built with the foundation: profiles, Batch account, Kubernetes subnet", async () => {
        const rs = await runAzure(
            (_ctx, f) => ({
                names: f.workloadProfileNames,
                gpu: f.profileNameFor(profile(T4_PROFILE)),
                batch: f.batchAccount?.name,
                subnet: f.kubernetesSubnetId,
            }),
            {
                needs: mergeNeeds([
                    { workloadProfiles: [profile(T4_PROFILE)] },
                    { batchAccount: true },
                    { kubernetesSubnet: true },
                ]),
            },
        );
        expect(rs.outputs.names).toEqual(["Consumption", "gpu-t4"]);
        expect(rs.outputs.gpu).toBe("gpu-t4");
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual(workloadProfilesFor([profile(T4_PROFILE)]));
        expect(rs.outputs.batch).toBe(one(rs, "azure-native:batch:BatchAccount").outputs.name);
        const k8s = ofType(rs, SUBNET).find((x) => x.inputs.subnetName === "kubernetes")!;
        expect(rs.outputs.subnet).toBe(k8s.outputs.id);
        // The storage firewall lists every subnet from the start, the Kubernetes one included.
        const rules = (
            one(rs, ACCOUNT).inputs.networkRuleSet as { virtualNetworkRules: { virtualNetworkResourceId: string }[] }
        ).virtualNetworkRules;
        expect(rules.map((r) => r.virtualNetworkResourceId)).toEqual(
            ["apps", "compute", "kubernetes"].map(
                (n) => ofType(rs, SUBNET).find((x) => x.inputs.subnetName === n)!.outputs.id,
            ),
        );
    });

    test("a job pinned to a profile the foundation was not built with is refused loudly", async () => {
        await expect(
            runAzure((_ctx, f) => {
                f.profileNameFor(profile("E8"));
            }),
        ).rejects.toThrow(/has no workload profile dedicated-e8/);
    });

    test("needs without a network, or that Azure has no piece for, are refused", () => {
        const ctx = testContext();
        expect(() => new AzureFoundation("f", { ctx, network: false, workloadProfiles: [profile("E8")] })).toThrow(
            /workloadProfiles need the private network/,
        );
        expect(() => new AzureFoundation("f", { ctx, network: true, interfaceEndpoints: ["sts"] })).toThrow(
            /Azure foundation has no interfaceEndpoints/,
        );
        expect(
            () => new AzureFoundation("f", { ctx, network: false, internetEgress: { pipeline: "data", level: 1 } }),
        ).toThrow(/internetEgress need the private network/);
    });
});

describe("pure helpers", () => {
    test("deterministicGuid is stable, distinct per input and shaped like a GUID", () => {
        const g = deterministicGuid("a", "b");
        expect(g).toBe(deterministicGuid("a", "b"));
        expect(g).not.toBe(deterministicGuid("a", "c"));
        expect(g).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    test("workload profile names", () => {
        expect(workloadProfileName(profile("Consumption"))).toBe("Consumption");
        expect(workloadProfileName(profile("E16"))).toBe("dedicated-e16");
        expect(workloadProfileName(profile("Consumption-GPU-NC8as-T4"))).toBe("gpu-t4");
        expect(workloadProfileName(profile("Consumption-GPU-NC24-A100"))).toBe("gpu-a100");
    });

    test("workloadProfilesFor: Consumption always, Dedicated 0..jobs, GPU without counts", () => {
        expect(workloadProfilesFor([])).toEqual([{ name: "Consumption", workloadProfileType: "Consumption" }]);
        expect(
            workloadProfilesFor([
                profile("E8"),
                profile("Consumption"),
                profile("E8"),
                profile("Consumption-GPU-NC8as-T4"),
            ]),
        ).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
            { name: "gpu-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
            { name: "dedicated-e8", workloadProfileType: "E8", minimumCount: 0, maximumCount: 2 },
        ]);
    });
});

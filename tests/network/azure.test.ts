import { getClientConfig } from "../../catalog/mock/azure";
import type { PlannedResource } from "../../cli/plan/offline";
import { EVENT_HUBS_DATA_SENDER } from "../../components/streaming/azure";
import type { Json } from "../aws/harness";
import { configFor, ofType, one, planConfig } from "../helpers/plan";
import { type RouteRow, routeTable } from "./table";

/**
 * docs/NETWORK.md, Azure section: every row whose status is `route` names a route that the plan of
 * each level in its level cell must contain. Each level's configuration is planned once.
 */

type Plan = readonly PlannedResource[];

/** A workload per level setup; the pipelines not named stay at level 1. */
const SETUPS: Readonly<Record<string, { workload: Record<string, unknown>; covers: readonly string[] }>> = {
    // Data and training beyond 8 GiB (Batch pools), inference within it (Container Apps).
    level1: {
        workload: {
            data: { volumeGb: 20 },
            training: { datasetGb: 20, dataKind: "structured", singleMachineHours: 2, slaHours: 12 },
            inference: { mode: "batch", volumeGb: 2 },
        },
        covers: ["data 1", "training 1", "inference 1"],
    },
    level2: {
        workload: {
            data: { volumeGb: 900 },
            training: { datasetGb: 2, dataKind: "structured", singleMachineHours: 1, slaHours: 12 },
            inference: { mode: "batch", volumeGb: 900 },
        },
        covers: ["data 2", "inference 2"],
    },
    level3: {
        workload: {
            data: { volumeGb: 20, freshnessSeconds: 30 },
            training: { datasetGb: 2, dataKind: "structured", singleMachineHours: 1, slaHours: 12 },
            inference: { mode: "streaming" },
        },
        covers: ["data 3", "inference 3"],
    },
    level4: {
        workload: {
            data: { volumeGb: 2 },
            training: { datasetGb: 2, dataKind: "structured", singleMachineHours: 1, slaHours: 12 },
            inference: { mode: "online", peakQps: 40 },
        },
        covers: ["inference 4"],
    },
    level5: {
        workload: {
            data: { volumeGb: 2 },
            training: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
            inference: { mode: "online", peakQps: 1500 },
        },
        covers: ["inference 5", "training 2"],
    },
};

const subnet = (rs: Plan, name: string) =>
    ofType(rs, "azure-native:network:Subnet").find((s) => s.inputs.subnetName === name);
const endpoints = (s: PlannedResource | undefined) =>
    ((s?.inputs.serviceEndpoints as Json[] | undefined) ?? []).map((e) => e.service);
const envOf = (job: PlannedResource): Record<string, unknown> =>
    Object.fromEntries(
        ((job.inputs.template as Json).containers[0].env as Json[]).map((e) => [e.name, e.value] as const),
    );

/** The deployer's public address the setups list in `mlops:options.deployerCidrs`. */
const DEPLOYER = "203.0.113.7/32";
/** The deployer's object id, as the mock engine answers `getClientConfig`. */
const DEPLOYER_OBJECT_ID = getClientConfig({} as never, "eastus").objectId;

/** What each route named in the table means in a plan: true when the plan has it. */
const ROUTES: Readonly<Record<string, (rs: Plan) => boolean>> = {
    "storage firewall IP rule for `deployerCidrs`": (rs) => {
        const rules = rs.find((r) => r.name === "foundation-storage")!.inputs.networkRuleSet as Json;
        const blobs = ofType(rs, "azure:storage/blob:Blob");
        const writer = one(rs, "pulumi:providers:azure");
        return (
            rules.defaultAction === "Deny" &&
            (rules.ipRules as Json[]).some((r) => r.iPAddressOrRange === "203.0.113.7") &&
            blobs.length > 0 &&
            blobs.every((b) => b.provider === writer.urn) &&
            writer.inputs.storageUseAzuread === "true"
        );
    },
    "storage service endpoint + VNet rule": (rs) => {
        const account = rs.find((r) => r.name === "foundation-storage")!;
        const allowed = ((account.inputs.networkRuleSet as Json).virtualNetworkRules as Json[]).map(
            (r) => r.virtualNetworkResourceId,
        );
        const subnets = ofType(rs, "azure-native:network:Subnet");
        return (
            (account.inputs.networkRuleSet as Json).defaultAction === "Deny" &&
            subnets.length >= 2 &&
            subnets.every((s) => allowed.includes(s.outputs.id) && endpoints(s).includes("Microsoft.Storage"))
        );
    },
    "service-side": (rs) =>
        ofType(rs, "azure-native:app:Job").some((j) => (j.inputs.identity as Json)?.type === "UserAssigned"),
    "Container Apps environment outbound": (rs) => {
        const env = one(rs, "azure-native:app:ManagedEnvironment");
        return (env.inputs.vnetConfiguration as Json).infrastructureSubnetId === subnet(rs, "apps")?.outputs.id;
    },
    "NAT gateway on the compute subnet": (rs) => {
        const nat = ofType(rs, "azure-native:network:NatGateway");
        const compute = subnet(rs, "compute");
        return (
            nat.length === 1 &&
            ofType(rs, "azure-native:network:PublicIPAddress").length === 1 &&
            compute?.dependencies.includes(nat[0]!.urn) === true &&
            (compute.inputs.natGateway as Json | undefined)?.id !== undefined
        );
    },
    "managed private endpoints (`dfs`, `blob`) created and approved by the submitter": (rs) => {
        const account = rs.find((r) => r.name === "foundation-storage")!;
        const approver = ofType(rs, "azure-native:authorization:RoleDefinition").find(
            (d) =>
                d.inputs.scope === account.outputs.id &&
                JSON.stringify(d.inputs.permissions).includes("privateEndpointConnectionsApproval/action"),
        );
        const submitters = ofType(rs, "azure-native:app:Job").filter((j) => "LIVY_BATCH" in envOf(j));
        return (
            approver !== undefined &&
            submitters.length > 0 &&
            submitters.every((j) => {
                const script = String((j.inputs.template as Json).containers[0].command.join("\n"));
                return (
                    envOf(j).STORAGE_ACCOUNT_ID === account.outputs.id &&
                    script.includes("managedPrivateEndpoints") &&
                    script.includes("private-endpoint-connection approve")
                );
            })
        );
    },
    "managed private endpoint (`createManagedPrivateEndpoint`)": (rs) => {
        const ws = one(rs, "azure-native:synapse:Workspace");
        return (
            ws.inputs.managedVirtualNetwork === "default" &&
            (ws.inputs.defaultDataLakeStorage as Json).createManagedPrivateEndpoint === true
        );
    },
    "private endpoint in `compute` (development endpoint)": (rs) => {
        const pe = one(rs, "azure-native:network:PrivateEndpoint");
        return (
            (pe.inputs.subnet as Json).id === subnet(rs, "compute")?.outputs.id &&
            JSON.stringify(pe.inputs.privateLinkServiceConnections).includes('"groupIds":["Dev"]') &&
            ofType(rs, "azure-native:privatedns:VirtualNetworkLink").length === 1
        );
    },
    "trusted service (managed identity)": (rs) => {
        const rules = one(rs, "azure-native:eventhub:NamespaceNetworkRuleSet");
        const jobs = ofType(rs, "azure-native:streamanalytics:StreamingJob");
        return (
            rules.inputs.trustedServiceAccessEnabled === true &&
            jobs.length > 0 &&
            jobs.every((j) => (j.inputs.identity as Json).type === "SystemAssigned")
        );
    },
    "Event Hubs IP rule for `deployerCidrs`": (rs) => {
        const rules = one(rs, "azure-native:eventhub:NamespaceNetworkRuleSet");
        const inputHubs = ofType(rs, "azure-native:eventhub:EventHub").filter(
            (h) => h.inputs.eventHubName !== "scores",
        );
        const sends = ofType(rs, "azure-native:authorization:RoleAssignment").filter(
            (g) =>
                g.inputs.principalId === DEPLOYER_OBJECT_ID &&
                String(g.inputs.roleDefinitionId).endsWith(`/roleDefinitions/${EVENT_HUBS_DATA_SENDER}`),
        );
        return (
            rules.inputs.defaultAction === "Deny" &&
            ((rules.inputs.ipRules as Json[] | undefined) ?? []).some(
                (r) => r.ipMask === "203.0.113.7" && r.action === "Allow",
            ) &&
            inputHubs.length > 0 &&
            inputHubs.every((h) => sends.some((g) => g.inputs.scope === h.outputs.id))
        );
    },
    "Event Hubs service endpoint + VNet rule": (rs) => {
        const rules = one(rs, "azure-native:eventhub:NamespaceNetworkRuleSet");
        const ids = ((rules.inputs.virtualNetworkRules as Json[]) ?? []).map((r) => r.subnet.id);
        const subnets = ["apps", "compute"].map((n) => subnet(rs, n));
        return (
            rules.inputs.defaultAction === "Deny" &&
            subnets.every(
                (s) => s !== undefined && ids.includes(s.outputs.id) && endpoints(s).includes("Microsoft.EventHub"),
            )
        );
    },
    "cluster outbound load balancer": (rs) =>
        (one(rs, "azure-native:containerservice:ManagedCluster").inputs.networkProfile as Json).outboundType ===
        "loadBalancer",
    "private cluster; public for `kubernetesApiCidrs`": (rs) =>
        (one(rs, "azure-native:containerservice:ManagedCluster").inputs.apiServerAccessProfile as Json)
            .enablePrivateCluster === true,
};

const rows = routeTable().filter((r) => r.cloud === "azure");
const routed = rows.filter((r) => r.status.startsWith("route"));

/** The setups a row's level cell names ("all", "data 1, training 1 (> 8 GiB)", ...). */
function setupsOf(row: RouteRow): string[] {
    if (row.level === "all") return Object.keys(SETUPS);
    const named = [...row.level.matchAll(/(data|training|inference) (\d)/g)].map((m) => `${m[1]} ${m[2]}`);
    return Object.entries(SETUPS)
        .filter(([, s]) => named.some((n) => s.covers.includes(n)))
        .map(([k]) => k);
}

describe("docs/NETWORK.md, Azure: every route the table names is in the plan of its levels", () => {
    const plans = new Map<string, Plan>();
    beforeAll(async () => {
        for (const [key, s] of Object.entries(SETUPS))
            plans.set(
                key,
                (
                    await planConfig(
                        configFor("azure", s.workload, { "mlops:options": { deployerCidrs: [DEPLOYER] } }),
                        "dev",
                    )
                ).resources,
            );
    }, 300_000);

    test("the setups assess to the levels the table's rows name", async () => {
        expect(routed.length).toBeGreaterThan(10);
        for (const row of routed)
            expect({ row: row.level, setups: setupsOf(row).length > 0 }).toEqual({
                row: row.level,
                setups: true,
            });
        // Level 1 runs data and training on Batch pools, inference on Container Apps.
        expect(ofType(plans.get("level1")!, "azure-native:batch:Pool").length).toBe(2);
    });

    test("every `route` row names a known route, and each of its levels' plans has it", () => {
        const missing: string[] = [];
        for (const row of routed) {
            const check = ROUTES[row.route];
            if (!check) {
                missing.push(`unknown route '${row.route}' (${row.level}: ${row.calls})`);
                continue;
            }
            for (const key of setupsOf(row))
                if (!check(plans.get(key)!)) missing.push(`${key}: '${row.route}' for ${row.level} / ${row.calls}`);
        }
        expect(missing).toEqual([]);
    });

    test("a route the table names is absent where no level asks for it (the checks can fail)", () => {
        const l4 = plans.get("level4")!;
        expect(ROUTES["NAT gateway on the compute subnet"]!(l4)).toBe(false);
        expect(() => ROUTES["trusted service (managed identity)"]!(l4)).toThrow(/expected exactly one/);
        // The deployer's route needs its address in the firewall: without it, the check fails.
        const deployerRoute = ROUTES["storage firewall IP rule for `deployerCidrs`"]!;
        expect(deployerRoute(l4)).toBe(true);
        const closed = l4.map((r) =>
            r.name === "foundation-storage"
                ? {
                      ...r,
                      inputs: { ...r.inputs, networkRuleSet: { ...(r.inputs.networkRuleSet as Json), ipRules: [] } },
                  }
                : r,
        );
        expect(deployerRoute(closed)).toBe(false);
        // Level 3's send needs the address in the namespace firewall and the deployer's role on each input hub.
        const sendRoute = ROUTES["Event Hubs IP rule for `deployerCidrs`"]!;
        const l3 = plans.get("level3")!;
        expect(sendRoute(l3)).toBe(true);
        expect(() => sendRoute(l4)).toThrow(/expected exactly one/);
        const noRule = l3.map((r) =>
            r.type === "azure-native:eventhub:NamespaceNetworkRuleSet"
                ? { ...r, inputs: { ...r.inputs, ipRules: [] } }
                : r,
        );
        expect(sendRoute(noRule)).toBe(false);
        const noGrant = l3.filter((r) => !r.name.endsWith("-data-deployer-send"));
        expect(noGrant.length).toBe(l3.length - 1);
        expect(sendRoute(noGrant)).toBe(false);
    });

    test("no Azure gap is left", () => {
        expect(rows.filter((r) => r.status.includes("gap")).map((r) => `${r.job} / ${r.calls}`)).toEqual([]);
    });
});

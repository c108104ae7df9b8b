import type { PlannedResource } from "../../cli/plan/offline";
import { STORAGE_BLOB_DATA_CONTRIBUTOR } from "../../components/blocks/azure/roles";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import {
    AzureStreaming,
    EVENT_HUBS_DATA_RECEIVER,
    EVENT_HUBS_DATA_SENDER,
    STORAGE_BLOB_DATA_READER,
} from "../../components/streaming/azure";
import { azureResources, runAzure, SUFFIX, UNTAGGABLE } from "../azure/harness";
import { descendants, ofType, one } from "../helpers/plan";
import { flow, OTHER_LEVEL_TYPES } from "./harness";

const NAMESPACE = "azure-native:eventhub:Namespace";
const HUB = "azure-native:eventhub:EventHub";
const JOB = "azure-native:streamanalytics:StreamingJob";
const byName = (rs: readonly PlannedResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    if (!r) throw new Error(`no resource ${name}`);
    return r;
};
/** Sub-resources that take no tags, beyond the foundation's list. */
const STREAM_UNTAGGABLE = new Set([
    ...UNTAGGABLE,
    HUB,
    "azure-native:eventhub:ConsumerGroup",
    "azure-native:eventhub:NamespaceNetworkRuleSet",
    "azure-native:streamanalytics:Input",
    "azure-native:streamanalytics:Output",
]);

describe("Azure streaming, both pipelines at level 3", () => {
    let rs: Awaited<ReturnType<typeof runAzure>>;
    beforeAll(async () => {
        rs = await runAzure((ctx, foundation, opts) => {
            const s = new AzureStreaming(
                "streaming",
                { ctx, foundation, data: flow(100), inference: flow(3000, 1) },
                opts,
            );
            return {
                inputStreams: s.inputStreams,
                scoresStream: s.scoresStream,
                engineJobs: s.engineJobs,
                endpoint: s.producerEndpoint,
                featuresUri: s.featuresUri,
            };
        });
    });

    it("shares one Standard namespace: Kafka on, SAS off, TLS 1.2, units for both pipelines and the scores", () => {
        const ns = one(rs, NAMESPACE);
        // 100 + 3,000 + 3,000 score events/s → 7 throughput units.
        expect(ns.inputs).toMatchObject({
            sku: { name: "Standard", tier: "Standard", capacity: 7 },
            kafkaEnabled: true,
            disableLocalAuth: true,
            minimumTlsVersion: "1.2",
            isAutoInflateEnabled: false,
        });
        expect(String(ns.inputs.namespaceName)).toBe(`mlops-levels-dev-events-${SUFFIX}`);
        expect(isValidName("azureEventHubsNamespace", String(ns.inputs.namespaceName))).toBe(true);
        expect((ns.inputs.tags as Record<string, string>)[TAG_KEYS.pipeline]).toBe("data-inference");
    });

    it("denies the network to all but trusted services and the stack's subnets, so the firewall is really on", () => {
        const rules = one(rs, "azure-native:eventhub:NamespaceNetworkRuleSet");
        expect(rules.inputs).toMatchObject({
            defaultAction: "Deny",
            trustedServiceAccessEnabled: true,
            ipRules: [],
        });
        // Event Hubs admits everything when a Deny rule set has no rule at all: there must be one,
        // for each subnet producers run in, and each such subnet carries the Event Hubs endpoint.
        const subnets = ofType(rs, "azure-native:network:Subnet");
        const vnetRules = rules.inputs.virtualNetworkRules as { subnet: { id: string } }[];
        expect(vnetRules.length).toBeGreaterThan(0);
        const named = vnetRules.map((r) => subnets.find((s) => s.outputs.id === r.subnet.id)?.inputs.subnetName);
        expect(named).toEqual(["apps", "compute"]);
        for (const r of vnetRules) {
            const subnet = subnets.find((s) => s.outputs.id === r.subnet.id)!;
            expect(subnet.inputs.serviceEndpoints).toContainEqual({ service: "Microsoft.EventHub" });
            expect(rules.dependencies).toContain(subnet.urn);
        }
        expect(
            vnetRules.every(
                (r) => (r as { ignoreMissingVnetServiceEndpoint?: boolean }).ignoreMissingVnetServiceEndpoint === false,
            ),
        ).toBe(true);
    });

    it("has a hub per pipeline plus scores, partitions from the rate, 7 days of retention", () => {
        const hubs = ofType(rs, HUB);
        expect(hubs.map((h) => [h.inputs.eventHubName, h.inputs.partitionCount]).sort()).toEqual([
            ["data-events", 4],
            ["inference-events", 6],
            // One score per event: the event count, not the smaller bytes, sets the partitions.
            ["scores", 6],
        ]);
        for (const h of hubs) expect(h.inputs.messageRetentionInDays).toBe(7);
    });

    it("runs a Stream Analytics job per pipeline with a system identity, sized in streaming units", () => {
        const jobs = ofType(rs, JOB);
        expect(jobs.map((j) => j.name).sort()).toEqual(["streaming-data-job", "streaming-inference-job"]);
        for (const j of jobs) {
            expect(j.inputs).toMatchObject({
                sku: { name: "Standard" },
                identity: { type: "SystemAssigned" },
                compatibilityLevel: "1.2",
                outputErrorPolicy: "Stop",
            });
            expect(j.inputs.outputStartMode).toBeUndefined();
            expect(isValidName("azureGeneral", String(j.inputs.jobName))).toBe(true);
        }
        expect(byName(rs, "streaming-data-job").inputs.transformation).toMatchObject({ streamingUnits: 1 });
        expect(byName(rs, "streaming-inference-job").inputs.transformation).toMatchObject({ streamingUnits: 3 });
        const fn = (
            byName(rs, "streaming-inference-job").inputs.functions as {
                name: string;
                properties: { binding: { type: string } };
            }[]
        )[0]!;
        expect(fn.name).toBe("score");
        expect(fn.properties.binding.type).toBe("Microsoft.StreamAnalytics/JavascriptUdf");
    });

    it("reads and writes with managed identity: events in, features to the data container, model from artifacts, scores out", () => {
        const inputs = ofType(rs, "azure-native:streamanalytics:Input");
        const outputs = ofType(rs, "azure-native:streamanalytics:Output");
        for (const r of [
            ...inputs.map((i) => (i.inputs.properties as { datasource: unknown }).datasource),
            ...outputs.map((o) => o.inputs.datasource),
        ])
            expect(r).toMatchObject({ authenticationMode: "Msi" });
        expect(
            (byName(rs, "streaming-data-input").inputs.properties as { datasource: unknown }).datasource,
        ).toMatchObject({
            type: "Microsoft.EventHub/EventHub",
            eventHubName: "data-events",
            consumerGroupName: "data-engine",
        });
        expect(byName(rs, "streaming-data-output").inputs).toMatchObject({
            outputName: "features",
            serialization: { type: "Parquet" },
            datasource: {
                type: "Microsoft.Storage/Blob",
                container: "data",
                pathPattern: "streaming/features/{date}/{time}",
            },
        });
        expect(byName(rs, "streaming-inference-model").inputs.properties).toMatchObject({
            type: "Reference",
            datasource: { container: "artifacts", pathPattern: "models/streaming/{date}/{time}/model.json" },
        });
        expect(byName(rs, "streaming-inference-output").inputs.datasource).toMatchObject({ eventHubName: "scores" });
    });

    it("grants each job's identity only its hubs and containers", () => {
        const grants = ofType(rs, "azure-native:authorization:RoleAssignment").filter((g) =>
            g.name.startsWith("streaming-"),
        );
        const role = (g: PlannedResource) => String(g.inputs.roleDefinitionId).split("/").pop();
        const summary = grants
            .map((g) => [g.name, role(g), String(g.inputs.scope).split("/").slice(-2).join("/")])
            .sort();
        expect(summary).toEqual([
            ["streaming-data-read-events", EVENT_HUBS_DATA_RECEIVER, "eventhubs/data-events"],
            ["streaming-data-write-features", STORAGE_BLOB_DATA_CONTRIBUTOR, "containers/data"],
            ["streaming-inference-read-events", EVENT_HUBS_DATA_RECEIVER, "eventhubs/inference-events"],
            ["streaming-inference-read-model", STORAGE_BLOB_DATA_READER, "containers/artifacts"],
            ["streaming-inference-send-scores", EVENT_HUBS_DATA_SENDER, "eventhubs/scores"],
        ]);
        const dataPrincipal = (byName(rs, "streaming-data-job").outputs.identity as { principalId: string })
            .principalId;
        expect(byName(rs, "streaming-data-read-events").inputs.principalId).toBe(dataPrincipal);
    });

    it("sends namespace and job logs to the workspace", () => {
        const logs = ofType(rs, "azure-native:monitor:DiagnosticSetting").filter((d) =>
            d.name.startsWith("streaming-"),
        );
        expect(logs.map((d) => d.name).sort()).toEqual([
            "streaming-data-job-logs",
            "streaming-inference-job-logs",
            "streaming-namespace-logs",
        ]);
        for (const d of logs) expect(d.inputs.logs).toEqual([{ categoryGroup: "allLogs", enabled: true }]);
    });

    it("tags every taggable resource at level 3, parents everything and brings no other level", () => {
        const comp = byName(rs, "streaming");
        const mine = descendants(rs, comp.urn);
        for (const r of mine) expect(r.parent).toBe(comp.urn);
        for (const r of azureResources(mine).filter((x) => !STREAM_UNTAGGABLE.has(x.type))) {
            const t = r.inputs.tags as Record<string, string>;
            expect(t[TAG_KEYS.level]).toBe("3");
            expect(t[TAG_KEYS.environment]).toBe("dev");
        }
        expect(rs.filter((r) => OTHER_LEVEL_TYPES.test(r.type))).toEqual([]);
        expect(ofType(rs, "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
    });

    it("exports the Kafka endpoint, streams and jobs", () => {
        expect(rs.outputs).toMatchObject({
            inputStreams: { data: "data-events", inference: "inference-events" },
            scoresStream: "scores",
            endpoint: `mlops-levels-dev-events-${SUFFIX}.servicebus.windows.net:9093`,
        });
        expect(String(rs.outputs.featuresUri)).toMatch(
            /^abfss:\/\/data@.+\.dfs\.core\.windows\.net\/streaming\/features\/$/,
        );
    });
});

describe("Azure streaming, protection and sharing", () => {
    it("locks and retains (never protects) the namespace and hubs in prod; a hub keeps its URN when the other pipeline's level changes", async () => {
        const both = await runAzure(
            (ctx, foundation, opts) => {
                new AzureStreaming("streaming", { ctx, foundation, data: flow(), inference: flow() }, opts);
            },
            { stack: "prod", protect: true },
        );
        const dataOnly = await runAzure(
            (ctx, foundation, opts) => {
                new AzureStreaming("streaming", { ctx, foundation, data: flow() }, opts);
            },
            { stack: "prod", protect: true },
        );
        for (const n of ["streaming-namespace", "streaming-data-events"])
            expect(byName(dataOnly, n).urn).toBe(byName(both, n).urn);
        expect(byName(dataOnly, "streaming-namespace").inputs.namespaceName).toBe(
            byName(both, "streaming-namespace").inputs.namespaceName,
        );
        for (const r of [one(both, NAMESPACE), ...ofType(both, HUB)]) {
            expect(r.protect).toBe(false);
            expect(r.retainOnDelete).toBe(true);
        }
        expect(byName(both, "streaming-namespace-lock").inputs).toMatchObject({
            lockName: "mlops-protect",
            level: "CanNotDelete",
        });
        expect(ofType(dataOnly, HUB).map((h) => h.inputs.eventHubName)).toEqual(["data-events"]);
        expect(ofType(dataOnly, JOB)).toHaveLength(1);
        expect((one(dataOnly, NAMESPACE).inputs.tags as Record<string, string>)[TAG_KEYS.pipeline]).toBe("data");
    });
});

import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import { prerequisitesOf } from "../../catalog";
import { getClientConfig } from "../../catalog/mock/azure";
import { MOCK_SUBSCRIPTION } from "../../catalog/mock/helpers";
import type { PlannedResource } from "../../cli/plan/offline";
import { deterministicGuid, STORAGE_BLOB_DATA_CONTRIBUTOR } from "../../components/blocks/azure/roles";
import { SAMPLE_ROW } from "../../components/shared/artifacts";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import {
    AzureStreaming,
    checkAzureStreamingArgs,
    DATA_QUERY,
    EVENT_HUBS_DATA_RECEIVER,
    EVENT_HUBS_DATA_SENDER,
    SCORING_QUERY,
    teamScript,
} from "../../components/streaming/azure";
import { AZURE_UDF_ALIAS, AZURE_UDF_FUNCTION, azureScoringUdf } from "../../components/streaming/azure-udf";
import { referenceModel } from "../../components/streaming/gaussian-nb-udf";
import { azureResources, REGION, runAzure, SUFFIX, UNTAGGABLE } from "../azure/harness";
import { configFor, descendants, ofType, one, planConfig } from "../helpers/plan";
import { tempDir } from "../helpers/tmp";
import { flow, OTHER_LEVEL_TYPES } from "./harness";
import { close, describeAgainstPython, describeExportedRows } from "./scorer";

const NAMESPACE = "azure-native:eventhub:Namespace";
const HUB = "azure-native:eventhub:EventHub";
const JOB = "azure-native:streamanalytics:StreamingJob";
const byName = (rs: readonly PlannedResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    if (!r) throw new Error(`no resource ${name}`);
    return r;
};
/** The scoring function's shape in the job definition. */
interface JobFunction {
    name: string;
    properties: {
        type: string;
        inputs: { dataType: string }[];
        output: { dataType: string };
        binding: { type: string; script: string };
    };
}
/** The score row the UDF returns (a record to Stream Analytics). */
interface ScoreRow {
    customer_id: unknown;
    churn_probability: number | null;
    churn_predicted: number | null;
    model_version: string;
    error: string | null;
}

/**
 * The UDF loaded as Stream Analytics would: the job's script alone, one function definition,
 * `main`, called with the event record as an object.
 */
function loadUdf(source: string, o: { withoutLog1p?: boolean } = {}): (event: unknown) => ScoreRow {
    const context = vm.createContext({});
    // No JavaScript version is documented for Stream Analytics: the UDF must not need ES2015's log1p.
    if (o.withoutLog1p) vm.runInContext("delete Math.log1p", context);
    vm.runInContext(source, context);
    // The script defines one function and nothing beside it (the model and helpers are inside).
    expect(Object.keys(context)).toEqual([AZURE_UDF_FUNCTION]);
    const main = context[AZURE_UDF_FUNCTION] as (event: unknown) => ScoreRow;
    // A record's round trip: what the function returns must be plain data (no functions, no Error).
    return (event) => JSON.parse(JSON.stringify(main(event), (_k, v) => (v === undefined ? null : v)));
}

/**
 * An event as the job's input hands it over: the JSON fields plus the system columns Stream
 * Analytics adds to an Event Hubs event (datetimes arrive as Date objects).
 */
const record = (event: Record<string, unknown>) => ({
    ...event,
    EventProcessedUtcTime: new Date("2026-01-02T03:04:05.678Z"),
    PartitionId: 0,
    EventEnqueuedUtcTime: new Date("2026-01-02T03:04:05.000Z"),
});

/** The deployer's object id, as the mock engine answers `getClientConfig`. */
const DEPLOYER_OBJECT_ID = String(getClientConfig({} as never, REGION).objectId);
/** The deployer's addresses the tests list in `deployerCidrs`. */
const DEPLOYER_CIDRS = ["203.0.113.7/32", "198.51.100.0/24"];

/**
 * A run command as bash runs it, with `az` and `curl` stubbed: `az account get-access-token` prints
 * TOKEN, `az stream-analytics job start` succeeds unless `startFails`, and curl prints its arguments.
 * Returns curl's arguments, or none when curl was not run.
 */
function curlArgs(command: string, o: { startFails?: boolean } = {}): string[] {
    const script = [
        `az() { if [ "$1" = account ]; then printf TOKEN; else return ${o.startFails ? 1 : 0}; fi; }`,
        `curl() { printf '%s\\0' "$@"; }`,
        command,
    ].join("\n");
    const r = spawnSync("bash", ["-c", script], { encoding: "utf8" });
    if (r.error) throw r.error;
    return r.stdout === "" ? [] : r.stdout.split("\0").slice(0, -1);
}

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
                runCommands: s.runCommands,
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
            // No `deployerCidrs` given: no IP rule (the next describe gives some).
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
        expect(byName(rs, "streaming-data-job").inputs.functions).toBeUndefined();
    });

    it("scores with the reference model as the job's one JavaScript UDF: the event record in, the score record out", () => {
        const fns = byName(rs, "streaming-inference-job").inputs.functions as JobFunction[];
        expect(fns).toHaveLength(1);
        expect(fns[0]).toEqual({
            name: "score",
            properties: {
                type: "Scalar",
                inputs: [{ dataType: "record" }],
                output: { dataType: "record" },
                binding: {
                    type: "Microsoft.StreamAnalytics/JavascriptUdf",
                    script: azureScoringUdf(referenceModel()),
                },
            },
        });
        const script = fns[0]!.properties.binding.script;
        expect(script).toMatch(/^function main\(event\) \{\n/);
        expect(script).toContain(JSON.stringify(referenceModel().model));
        // The planned script is the one the tests below run, and it scores the run commands' sample row.
        const row = loadUdf(script)(record(SAMPLE_ROW));
        const expected = referenceModel().reference.find((r) => r.event["customer_id"] === SAMPLE_ROW.customer_id)!;
        expect(row.error).toBeNull();
        expect(close(row.churn_probability, expected.churn_probability)).toBe(true);
    });

    it("runs the queries against the inputs, outputs and function each job has; the scores row is the UDF's record", () => {
        const named = (type: string, job: string, key: string) =>
            ofType(rs, `azure-native:streamanalytics:${type}`)
                .filter((r) => r.name.startsWith(`streaming-${job}-`))
                .map((r) => String(r.inputs[key]))
                .sort();
        const brackets = (q: string) => [...q.matchAll(/\[(\w+)\]/g)].map((m) => m[1]);
        for (const [job, query] of [
            ["data", DATA_QUERY],
            ["inference", SCORING_QUERY],
        ] as const) {
            const j = byName(rs, `streaming-${job}-job`);
            expect((j.inputs.transformation as { query: string }).query).toBe(query);
            // Every [name] is the job's input or output, and the job has no input or output its query leaves out.
            expect([...new Set(brackets(query))].sort()).toEqual(
                [...named("Input", job, "inputName"), ...named("Output", job, "outputName")].sort(),
            );
        }
        expect(SCORING_QUERY).toContain(`udf.${AZURE_UDF_ALIAS}(e) AS s FROM [events] e`);
        // The columns the query reads from the UDF's record are exactly the record's fields.
        const read = [...SCORING_QUERY.matchAll(/\bs\.(\w+) AS (\w+)/g)];
        for (const m of read) expect(m[1]).toBe(m[2]);
        const row = loadUdf(azureScoringUdf(referenceModel()))(record(SAMPLE_ROW));
        expect(read.map((m) => m[1]).sort()).toEqual(Object.keys(row).sort());
        expect(SCORING_QUERY).toMatch(/System\.Timestamp\(\) AS scored_at\nINTO \[scores\]\nFROM scored$/);
    });

    it("reads and writes with managed identity: events in, features to the data container, scores out", () => {
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
        expect(byName(rs, "streaming-inference-output").inputs.datasource).toMatchObject({ eventHubName: "scores" });
        // Both jobs read one stream each and no reference data: the model is in the scoring function.
        expect(inputs.map((i) => [i.name, (i.inputs.properties as { type: string }).type]).sort()).toEqual([
            ["streaming-data-input", "Stream"],
            ["streaming-inference-input", "Stream"],
        ]);
        // Nothing a team must upload or build before the jobs start.
        for (const r of [...ofType(rs, JOB), ...inputs, ...outputs]) expect(prerequisitesOf(r)).toEqual([]);
    });

    it("grants each job's identity only its hubs and containers", () => {
        const grants = ofType(rs, "azure-native:authorization:RoleAssignment").filter(
            (g) => g.name.startsWith("streaming-") && !g.name.endsWith("-deployer-send"),
        );
        const role = (g: PlannedResource) => String(g.inputs.roleDefinitionId).split("/").pop();
        const summary = grants
            .map((g) => [g.name, role(g), String(g.inputs.scope).split("/").slice(-2).join("/")])
            .sort();
        expect(summary).toEqual([
            ["streaming-data-read-events", EVENT_HUBS_DATA_RECEIVER, "eventhubs/data-events"],
            ["streaming-data-write-features", STORAGE_BLOB_DATA_CONTRIBUTOR, "containers/data"],
            ["streaming-inference-read-events", EVENT_HUBS_DATA_RECEIVER, "eventhubs/inference-events"],
            ["streaming-inference-send-scores", EVENT_HUBS_DATA_SENDER, "eventhubs/scores"],
        ]);
        const dataPrincipal = (byName(rs, "streaming-data-job").outputs.identity as { principalId: string })
            .principalId;
        expect(byName(rs, "streaming-data-read-events").inputs.principalId).toBe(dataPrincipal);
    });

    it("grants the deployer (its client config's object id) Data Sender on each input hub only", () => {
        const grants = ofType(rs, "azure-native:authorization:RoleAssignment").filter((g) =>
            g.name.endsWith("-deployer-send"),
        );
        expect(grants.map((g) => g.name).sort()).toEqual([
            "streaming-data-deployer-send",
            "streaming-inference-deployer-send",
        ]);
        for (const p of ["data", "inference"] as const) {
            const g = byName(rs, `streaming-${p}-deployer-send`);
            const hub = byName(rs, `streaming-${p}-events`);
            expect(g.inputs).toMatchObject({
                scope: hub.outputs.id,
                roleDefinitionId: `/subscriptions/${MOCK_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/2b629674-e913-4c01-ae53-ef4638d8f975`,
                principalId: DEPLOYER_OBJECT_ID,
                // No sign-in variables in the test environment and no option: a person (az login).
                principalType: "User",
                roleAssignmentName: deterministicGuid(
                    "mlops-levels",
                    "dev",
                    SUFFIX,
                    "streaming",
                    p,
                    "deployer",
                    DEPLOYER_OBJECT_ID,
                    EVENT_HUBS_DATA_SENDER,
                ),
            });
            expect(String(g.inputs.scope)).toMatch(new RegExp(`/eventhubs/${p}-events$`));
            expect(g.dependencies).toContain(hub.urn);
        }
        // Not the scores hub, not the namespace.
        const scopes = grants.map((g) => String(g.inputs.scope));
        expect(scopes).not.toContain(byName(rs, "streaming-scores").outputs.id);
        expect(scopes).not.toContain(one(rs, NAMESPACE).outputs.id);
    });

    it("each pipeline's run command starts its job, then sends the sample row to its input hub", () => {
        const rg = String(byName(rs, "foundation-rg").inputs.resourceGroupName);
        const run = rs.outputs.runCommands as Record<string, string>;
        expect(Object.keys(run).sort()).toEqual(["data", "inference"]);
        for (const p of ["data", "inference"] as const) {
            const job = String(byName(rs, `streaming-${p}-job`).inputs.jobName);
            expect(run[p]).toBe(
                `az stream-analytics job start --resource-group ${rg} --name ${job} --output-start-mode JobStartTime && ` +
                    `curl -sS --fail -X POST "https://mlops-levels-dev-events-${SUFFIX}.servicebus.windows.net/${p}-events/messages?timeout=60&api-version=2014-01" ` +
                    '-H "Authorization: Bearer $(az account get-access-token --resource https://eventhubs.azure.net --query accessToken --output tsv)" ' +
                    '-H "Content-Type: application/atom+xml;type=entry;charset=utf-8" ' +
                    `-d '{"customer_id":100001,"tenure_months":30,"monthly_charges":52.71,"total_charges":1422.98,"contract":"two-year","support_calls":1,"paperless_billing":"no"}'`,
            );
        }
    });

    it("the command runs in bash: curl gets the token and a body that parses back to the sample row, which the UDF scores", () => {
        const run = rs.outputs.runCommands as Record<string, string>;
        const score = loadUdf(azureScoringUdf(referenceModel()));
        for (const p of ["data", "inference"] as const) {
            const args = curlArgs(run[p]!);
            expect(args).toContain("Authorization: Bearer TOKEN");
            expect(args).toContain(
                `https://mlops-levels-dev-events-${SUFFIX}.servicebus.windows.net/${p}-events/messages?timeout=60&api-version=2014-01`,
            );
            const body = args[args.indexOf("-d") + 1]!;
            expect(JSON.parse(body)).toEqual(SAMPLE_ROW);
            expect(score(record(JSON.parse(body))).error).toBeNull();
            // A failed start sends nothing.
            expect(curlArgs(run[p]!, { startFails: true })).toEqual([]);
        }
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

describe("Azure streaming, the deployer's path to the input hubs", () => {
    let open: Awaited<ReturnType<typeof runAzure>>;
    beforeAll(async () => {
        open = await runAzure(
            (ctx, foundation, opts) => {
                new AzureStreaming("streaming", { ctx, foundation, data: flow() }, opts);
            },
            { deployer: { cidrs: DEPLOYER_CIDRS, principalType: "ServicePrincipal" } },
        );
    });

    it("admits the deployer's addresses through the namespace firewall, a /32 as the bare address", () => {
        const rules = one(open, "azure-native:eventhub:NamespaceNetworkRuleSet").inputs;
        expect(rules.defaultAction).toBe("Deny");
        expect(rules.ipRules).toEqual([
            { ipMask: "203.0.113.7", action: "Allow" },
            { ipMask: "198.51.100.0/24", action: "Allow" },
        ]);
        // The same addresses as the storage firewall: one list, from the foundation.
        const storage = one(open, "azure-native:storage:StorageAccount").inputs.networkRuleSet as {
            ipRules: { iPAddressOrRange: string }[];
        };
        expect((rules.ipRules as { ipMask: string }[]).map((r) => r.ipMask)).toEqual(
            storage.ipRules.map((r) => r.iPAddressOrRange),
        );
        // The subnets stay admitted beside them.
        expect((rules.virtualNetworkRules as unknown[]).length).toBe(2);
    });

    it("gives the deployer's role assignment the principal type the stack names", () => {
        const grants = ofType(open, "azure-native:authorization:RoleAssignment").filter((g) =>
            g.name.endsWith("-deployer-send"),
        );
        expect(grants.map((g) => [g.name, g.inputs.principalType])).toEqual([
            ["streaming-data-deployer-send", "ServicePrincipal"],
        ]);
    });
});

describe("Azure streaming with a team's own scoring function", () => {
    const FIXTURES = path.resolve(__dirname, "../fixtures/streaming");
    // The option's path is relative to the directory the stack program runs in.
    const relative = (file: string) => path.relative(process.cwd(), path.join(FIXTURES, file));
    /** Whether a script counts as defining main. */
    const DEFINES = (source: string) => {
        const dir = tempDir("team-udf");
        writeFileSync(path.join(dir, "score.js"), source);
        return "script" in teamScript("score.js", dir);
    };

    it("puts the team's file in the scoring job as its one function, which the query reads as it reads the reference one", async () => {
        const rs = await runAzure((ctx, foundation, opts) => {
            new AzureStreaming(
                "streaming",
                { ctx, foundation, data: flow(), inference: flow(), code: { inference: relative("team-score.js") } },
                opts,
            );
            return {};
        });
        const fns = byName(rs, "streaming-inference-job").inputs.functions as JobFunction[];
        expect(fns).toHaveLength(1);
        const script = fns[0]!.properties.binding.script;
        expect(script).toBe(readFileSync(path.join(FIXTURES, "team-score.js"), "utf8"));
        expect(script).not.toBe(azureScoringUdf(referenceModel()));
        expect(fns[0]!.name).toBe(AZURE_UDF_ALIAS);
        const row = loadUdf(script)(record(SAMPLE_ROW));
        expect(row).toEqual({
            customer_id: SAMPLE_ROW.customer_id,
            churn_probability: 0.1,
            churn_predicted: 0,
            model_version: "team-rules-1",
            error: null,
        });
        const read = [...SCORING_QUERY.matchAll(/\bs\.(\w+) AS (\w+)/g)].map((m) => m[1]);
        expect(read.sort()).toEqual(Object.keys(row).sort());
        // The data job is as before: no function.
        expect(byName(rs, "streaming-data-job").inputs.functions).toBeUndefined();
        expect(byName(rs, "streaming-inference-job").inputs.transformation).toMatchObject({ query: SCORING_QUERY });
    });

    it("refuses a missing file, a file without main, and data code, each at its key path", () => {
        const lines = (code: Record<string, string>) =>
            checkAzureStreamingArgs({ data: flow(), inference: flow(), code }).map((p) => `${p.path}: ${p.message}`);
        const missing = relative("nope.js");
        expect(lines({ inference: missing })).toEqual([
            `config.mlops:options.streamingCode.inference: '${missing}' (${path.join(FIXTURES, "nope.js")}): no such file; give the path of the team's JavaScript file, relative to the stack file's directory (${process.cwd()})`,
        ]);
        expect(lines({ inference: relative("no-main.js") })).toEqual([
            expect.stringMatching(
                /^config\.mlops:options\.streamingCode\.inference: '.*no-main\.js' \(.*\) defines no 'function main\(event\)'/,
            ),
        ]);
        expect(lines({ inference: relative("") })).toEqual([expect.stringMatching(/a directory, not a file/)]);
        expect(lines({ data: relative("team-score.js") })).toEqual([
            expect.stringMatching(
                /^config\.mlops:options\.streamingCode\.data: Azure's data job .* runs no user-defined function/,
            ),
        ]);
        expect(lines({ inference: relative("team-score.js") })).toEqual([]);
    });

    it("reads the file relative to the stack file's directory, and refuses an absolute path", () => {
        expect(teamScript(path.join(FIXTURES, "team-score.js"), FIXTURES)).toMatchObject({
            problem: expect.stringMatching(/is an absolute path, which holds on one machine only/),
        });
        expect(teamScript("team-score.js", FIXTURES)).toEqual({
            script: readFileSync(path.join(FIXTURES, "team-score.js"), "utf8"),
        });
        expect(teamScript("team-score.js", path.dirname(FIXTURES))).toMatchObject({
            problem: expect.stringContaining("no such file"),
        });
        // `function main(` anywhere at the start of a token counts; `xmain(` or `obj.main(` does not.
        expect(DEFINES("var f = 1;\nfunction  main (e) { return e; }")).toBe(true);
        expect(DEFINES("function xmain(e) {}\nfunction mainly(e) {}")).toBe(false);
    });
});

describeExportedRows("Azure", ({ withoutLog1p }) => {
    const score = loadUdf(azureScoringUdf(referenceModel()), { withoutLog1p });
    return (event) => score(record(event));
});

describe("the Azure scoring UDF: the reference model in JavaScript", () => {
    const model = referenceModel();

    it("an absent, null (JSON null) or empty total is tenure x monthly, as in the batch features", () => {
        const score = loadUdf(azureScoringUdf(model));
        const { total_charges: _, ...absent } = SAMPLE_ROW;
        const expected = score(record(absent));
        expect(expected.error).toBeNull();
        expect(score(record({ ...SAMPLE_ROW, total_charges: null }))).toEqual(expected);
        expect(score(record({ ...SAMPLE_ROW, total_charges: "" }))).toEqual(expected);
        expect(
            score(record({ ...SAMPLE_ROW, total_charges: SAMPLE_ROW.tenure_months * SAMPLE_ROW.monthly_charges })),
        ).toEqual(expected);
        expect(score(record(SAMPLE_ROW)).churn_probability).not.toBe(expected.churn_probability);
    });

    it("never throws (a throw fails the job): a malformed event gets its reason and no probability", () => {
        const score = loadUdf(azureScoringUdf(model));
        const bad = (e: Record<string, unknown>) => score(record({ ...SAMPLE_ROW, ...e }));
        for (const [change, reason] of [
            [{ contract: "weekly" }, /contract/],
            [{ paperless_billing: "maybe" }, /paperless_billing/],
            [{ tenure_months: -1 }, /tenure_months/],
            [{ monthly_charges: "abc" }, /monthly_charges/],
            [{ support_calls: null }, /support_calls/],
            [{ total_charges: { nested: 1 } }, /total_charges/],
            [{ total_charges: "1e400" }, /total_charges must be a finite number/],
            // Finite inputs whose total overflows: no probability, said so (not a NaN row).
            [{ monthly_charges: 1e200, tenure_months: 1e200, total_charges: undefined }, /out of the model's range/],
        ] as const) {
            const out = bad(change);
            expect(out).toEqual({
                customer_id: SAMPLE_ROW.customer_id,
                churn_probability: null,
                churn_predicted: null,
                model_version: model.modelSha256.slice(0, 12),
                error: expect.stringMatching(reason),
            });
        }
        expect(score(null)).toMatchObject({ customer_id: null, churn_probability: null, error: expect.any(String) });
        expect(score({})).toMatchObject({ customer_id: null, churn_probability: null, error: expect.any(String) });
    });
});

describeAgainstPython("Azure", () => {
    const score = loadUdf(azureScoringUdf(referenceModel()), { withoutLog1p: true });
    return (event) => score(record(event));
});

describe("Azure stack with mlops:options.streamingCode", () => {
    const WORKLOAD = { data: { volumeGb: 20, freshnessSeconds: 30 }, inference: { mode: "streaming" } };
    const FILE = path.resolve(__dirname, "../fixtures/streaming/team-score.js");
    const scriptOf = (rs: readonly PlannedResource[]) =>
        (byName(rs, "streaming-inference-job").inputs.functions as JobFunction[])[0]!.properties.binding.script;
    let plain: PlannedResource[];
    let own: PlannedResource[];
    beforeAll(async () => {
        // One plan after the other: the Pulumi runtime runs one program at a time.
        plain = (await planConfig(configFor("azure", WORKLOAD))).resources;
        own = (
            await planConfig(
                configFor("azure", WORKLOAD, {
                    "mlops:options": { streamingCode: { inference: path.relative(process.cwd(), FILE) } },
                }),
            )
        ).resources;
    });

    it("without it, the scoring job's function is the reference model", () => {
        expect(scriptOf(plain)).toBe(azureScoringUdf(referenceModel()));
    });

    it("with it, the scoring job's function is the team's file, and nothing else of the stack changes", () => {
        expect(scriptOf(own)).toBe(readFileSync(FILE, "utf8"));
        expect(own.map((r) => r.urn).sort()).toEqual(plain.map((r) => r.urn).sort());
        const { functions: _a, ...ownJob } = byName(own, "streaming-inference-job").inputs;
        const { functions: _b, ...plainJob } = byName(plain, "streaming-inference-job").inputs;
        expect(ownJob).toEqual(plainJob);
    });
});

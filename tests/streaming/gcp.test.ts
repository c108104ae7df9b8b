import * as path from "node:path";
import * as vm from "node:vm";
import { prerequisitesOf, providedBy } from "../../catalog";
import type { PlannedResource } from "../../cli/plan/offline";
import { SAMPLE_EVENT } from "../../components/blocks/gcp/reference";
import { sampleArtifact } from "../../components/shared/artifacts";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { type GaussianNbExport, referenceModel } from "../../components/streaming/gaussian-nb-udf";
import {
    checkGcpStreamingArgs,
    DATAFLOW_MACHINE_TYPE,
    DATAFLOW_TEMPLATES_VERSION,
    GcpStreaming,
    SCORES_RETENTION_DAYS,
    SCORES_SCHEMA,
    SCORING_UDF_KEY,
} from "../../components/streaming/gcp";
import { scoringUdf, UDF_FUNCTION } from "../../components/streaming/gcp-udf";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, gcpResources, PROJECT_ID, runGcp } from "../gcp/harness";
import { configFor, descendants, ofType, one, outsideFoundation, planConfig } from "../helpers/plan";
import { flow, OTHER_LEVEL_TYPES } from "./harness";
import { describeAgainstPython, describeExportedRows, runExport } from "./scorer";

const TOPIC = "gcp:pubsub/topic:Topic";
const SUB = "gcp:pubsub/subscription:Subscription";
const JOB = "gcp:dataflow/flexTemplateJob:FlexTemplateJob";
const byName = (rs: readonly PlannedResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    if (!r) throw new Error(`no resource ${name}`);
    return r;
};
const DATASET = "gcp:bigquery/dataset:Dataset";
const TABLE = "gcp:bigquery/table:Table";
/** Labelable streaming types (IAM members, firewall rules, API services and objects take none). */
const LABELED = new Set([TOPIC, SUB, JOB, DATASET, TABLE]);

/** The UDF loaded as the template's JavaScript engine would: `score(message)` from its source alone. */
function loadUdf(source: string, o: { withoutLog1p?: boolean } = {}): (message: string) => string {
    const context = vm.createContext({});
    // Nashorn's Math may lack ES2015's log1p: the UDF must bring its own.
    if (o.withoutLog1p) vm.runInContext("delete Math.log1p", context);
    vm.runInContext(source, context);
    return context[UDF_FUNCTION] as (message: string) => string;
}

describe("GCP streaming, both pipelines at level 3", () => {
    let rs: Awaited<ReturnType<typeof runGcp>>;
    beforeAll(async () => {
        rs = await runGcp((ctx, foundation, opts) => {
            const s = new GcpStreaming(
                "streaming",
                { ctx, foundation, data: flow(100), inference: flow(10_000, 2) },
                opts,
            );
            return {
                inputStreams: s.inputStreams,
                scoresStream: s.scoresStream,
                engineJobs: s.engineJobs,
                featuresUri: s.featuresUri,
                endpoint: s.producerEndpoint,
                runCommands: s.runCommands,
            };
        });
    });

    it("creates an events topic per pipeline and a shared dead-letter topic; scores go to BigQuery", () => {
        expect(
            ofType(rs, TOPIC)
                .map((t) => t.inputs.name)
                .sort(),
        ).toEqual([
            "mlops-levels-dev-data-events",
            "mlops-levels-dev-dead-letter",
            "mlops-levels-dev-inference-events",
        ]);
        for (const t of ofType(rs, TOPIC)) expect(isValidName("gcpResource", String(t.inputs.name))).toBe(true);
    });

    it("subscribes each engine with 7 days of retention, no expiry, and dead letters after 5 attempts", () => {
        const dlq = byName(rs, "streaming-dead-letter").outputs.id;
        for (const p of ["data", "inference"])
            expect(byName(rs, `streaming-${p}-sub`).inputs).toMatchObject({
                topic: `projects/${PROJECT_ID}/topics/mlops-levels-dev-${p}-events`,
                messageRetentionDuration: "604800s",
                retainAckedMessages: false,
                expirationPolicy: { ttl: "" },
                deadLetterPolicy: { deadLetterTopic: dlq, maxDeliveryAttempts: 5 },
            });
        // Dead letters are kept by their own subscription (a topic without one drops them).
        expect(byName(rs, "streaming-dead-letter-sub").inputs).toMatchObject({ topic: dlq });
        expect(byName(rs, "streaming-dead-letter-sub").inputs.deadLetterPolicy).toBeUndefined();
    });

    it("lets Pub/Sub's service agent move dead letters, nothing more", () => {
        const agent = "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com";
        expect(byName(rs, "streaming-dead-letter-publisher").inputs).toMatchObject({
            role: "roles/pubsub.publisher",
            member: agent,
        });
        for (const p of ["data", "inference"])
            expect(byName(rs, `streaming-${p}-dead-letter-ack`).inputs).toMatchObject({
                role: "roles/pubsub.subscriber",
                member: agent,
                subscription: `mlops-levels-dev-${p}-engine`,
            });
    });

    it("runs a streaming Flex Template job per pipeline: private IPs, the foundation subnet, Streaming Engine, workers from the rate", () => {
        const subnet = one(rs, "gcp:compute/subnetwork:Subnetwork").outputs.selfLink;
        for (const j of ofType(rs, JOB)) {
            expect(j.inputs).toMatchObject({
                ipConfiguration: "WORKER_IP_PRIVATE",
                subnetwork: subnet,
                enableStreamingEngine: true,
                machineType: DATAFLOW_MACHINE_TYPE,
                numWorkers: 1,
                // The API's enum value: Beam's "THROUGHPUT_BASED" is refused with a 400.
                autoscalingAlgorithm: "AUTOSCALING_ALGORITHM_BASIC",
                region: "us-central1",
                onDelete: "drain",
            });
            expect(String(j.inputs.tempLocation)).toMatch(/^gs:\/\/.+-data-x7k2q9\/dataflow\/temp$/);
        }
        expect(byName(rs, "streaming-data-job").inputs.maxWorkers).toBe(1);
        // 10,000 events/s of 2 KB = 19.5 MB/s × 2 at 4 MB/s a worker.
        expect(byName(rs, "streaming-inference-job").inputs.maxWorkers).toBe(10);
    });

    it("runs Google's templates at a pinned release: events to Cloud Storage, scores to BigQuery", () => {
        expect(DATAFLOW_TEMPLATES_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}-\d{2}_RC\d{2}$/);
        const data = byName(rs, "streaming-data-job").inputs;
        expect(data.containerSpecGcsPath).toBe(
            `gs://dataflow-templates-us-central1/${DATAFLOW_TEMPLATES_VERSION}/flex/Cloud_PubSub_to_GCS_Text_Flex`,
        );
        expect(data.parameters).toMatchObject({
            inputSubscription: `projects/${PROJECT_ID}/subscriptions/mlops-levels-dev-data-engine`,
            windowDuration: "5m",
        });
        expect(String((data.parameters as Record<string, string>).outputDirectory)).toMatch(
            /^gs:\/\/.+-data-x7k2q9\/streaming\/features\/$/,
        );
        const inf = byName(rs, "streaming-inference-job").inputs;
        expect(inf.containerSpecGcsPath).toBe(
            `gs://dataflow-templates-us-central1/${DATAFLOW_TEMPLATES_VERSION}/flex/PubSub_to_BigQuery_Flex`,
        );
        const udf = one(rs, "gcp:storage/bucketObject:BucketObject");
        expect(inf.parameters).toEqual({
            inputSubscription: `projects/${PROJECT_ID}/subscriptions/mlops-levels-dev-inference-engine`,
            outputTableSpec: `${PROJECT_ID}:mlops_levels_dev_streaming.scores`,
            outputDeadletterTable: `${PROJECT_ID}:mlops_levels_dev_streaming.scores_errors`,
            javascriptTextTransformGcsPath: `gs://${udf.inputs.bucket}/${SCORING_UDF_KEY}`,
            javascriptTextTransformFunctionName: "score",
        });
        for (const p of ["data", "inference"])
            expect(String(byName(rs, `streaming-${p}-job`).inputs.containerSpecGcsPath)).not.toMatch(/latest/);
    });

    it("the UDF and the scores table exist before the inference job; nothing a team must build", () => {
        const job = byName(rs, "streaming-inference-job");
        const udf = one(rs, "gcp:storage/bucketObject:BucketObject");
        expect(udf.inputs).toMatchObject({ name: SCORING_UDF_KEY, contentType: "application/javascript" });
        expect(udf.deleteBeforeReplace).toBe(true);
        expect(String(udf.inputs.bucket)).toMatch(/-artifacts-x7k2q9$/);
        expect(prerequisitesOf(job).filter((n) => n.kind === "object")).toEqual([
            { kind: "object", ref: providedBy(udf)[0]!.ref, input: "parameters.javascriptTextTransformGcsPath" },
        ]);
        expect(job.dependencies).toContain(udf.urn);
        const table = one(rs, TABLE);
        expect(job.dependencies).toContain(table.urn);
        // The data job reads no object of the stack's.
        expect(prerequisitesOf(byName(rs, "streaming-data-job")).map((n) => n.kind)).toEqual(["template"]);
    });

    it("keeps scores in a day-partitioned table whose columns are the UDF's output, retained on delete", () => {
        const dataset = one(rs, DATASET);
        const table = one(rs, TABLE);
        expect(dataset.inputs).toMatchObject({ datasetId: "mlops_levels_dev_streaming", location: "us-central1" });
        expect(table.inputs).toMatchObject({
            datasetId: "mlops_levels_dev_streaming",
            tableId: "scores",
            timePartitioning: { type: "DAY", expirationMs: SCORES_RETENTION_DAYS * 24 * 3600 * 1000 },
        });
        const columns = JSON.parse(String(table.inputs.schema)) as { name: string }[];
        expect(columns).toEqual(SCORES_SCHEMA);
        const row = JSON.parse(loadUdf(scoringUdf(referenceModel()))(JSON.stringify(SAMPLE_EVENT)));
        expect(Object.keys(row).sort()).toEqual(columns.map((c) => c.name).sort());
        for (const r of [dataset, table]) expect([r.retainOnDelete, r.protect]).toEqual([true, false]);
    });
    it("gives each job its own service account with only its subscription, topics and buckets", () => {
        const accounts = ofType(rs, "gcp:serviceaccount/account:Account").filter((a) =>
            a.name.startsWith("streaming-"),
        );
        // The inference id is cut to 30 characters with a hash of the whole.
        expect(accounts.map((a) => a.inputs.accountId).sort()).toEqual([
            "mlops-levels-dev-data-stream",
            "mlops-levels-dev-inferenc-544b",
        ]);
        for (const a of accounts) expect(isValidName("gcpServiceAccount", String(a.inputs.accountId))).toBe(true);
        const email = (p: string) => byName(rs, `streaming-${p}-dataflow-sa`).outputs.member;
        const grants = (p: string) =>
            rs
                .filter((r) => /IamMember$/i.test(r.type) && r.inputs.member === email(p))
                .map(
                    (r) =>
                        `${r.inputs.role} ${r.inputs.subscription ?? r.inputs.topic ?? r.inputs.datasetId ?? (r.inputs.bucket ? String(r.inputs.bucket).replace(/-x7k2q9$/, "") : "project")}`,
                )
                .sort();
        expect(grants("data")).toEqual([
            "roles/dataflow.worker project",
            "roles/pubsub.subscriber mlops-levels-dev-data-engine",
            "roles/storage.objectAdmin mlops-levels-dev-data",
        ]);
        expect(grants("inference")).toEqual([
            "roles/bigquery.dataEditor mlops_levels_dev_streaming",
            "roles/dataflow.worker project",
            "roles/pubsub.subscriber mlops-levels-dev-inference-engine",
            "roles/storage.objectAdmin mlops-levels-dev-data",
            "roles/storage.objectViewer mlops-levels-dev-artifacts",
        ]);
        const sa = byName(rs, "streaming-data-dataflow-sa").outputs.email;
        expect(byName(rs, "streaming-data-job").inputs.serviceAccountEmail).toBe(sa);
    });

    it("opens only the worker-to-worker ports between Dataflow workers", () => {
        expect(byName(rs, "streaming-dataflow-workers").inputs).toMatchObject({
            direction: "INGRESS",
            sourceTags: ["dataflow"],
            targetTags: ["dataflow"],
            allows: [{ protocol: "tcp", ports: ["12345-12346"] }],
        });
        expect(byName(rs, "streaming-dataflow-workers").inputs.sourceRanges).toBeUndefined();
    });

    it("enables the Pub/Sub, Dataflow and BigQuery APIs without ever disabling them", () => {
        for (const s of ["pubsub.googleapis.com", "dataflow.googleapis.com", "bigquery.googleapis.com"]) {
            const api = ofType(rs, "gcp:projects/service:Service").find((r) => r.inputs.service === s);
            expect(api?.inputs.disableOnDestroy).toBe(false);
        }
    });

    it("labels every labelable resource validly at level 3; shared ones name both pipelines", () => {
        const comp = byName(rs, "streaming");
        const mine = gcpResources(descendants(rs, comp.urn));
        for (const r of mine.filter((x) => LABELED.has(x.type))) {
            const labels = r.inputs.labels as Record<string, string>;
            expect(labels[TAG_KEYS.level]).toBe("3");
            for (const [k, v] of Object.entries(labels)) {
                expect(k).toMatch(GCP_LABEL_KEY);
                expect(v).toMatch(GCP_LABEL_VALUE);
            }
        }
        expect((byName(rs, "streaming-dead-letter").inputs.labels as Record<string, string>)[TAG_KEYS.pipeline]).toBe(
            "data-inference",
        );
        for (const r of descendants(rs, comp.urn)) expect(r.parent).toBe(comp.urn);
        expect(outsideFoundation(rs).filter((r) => OTHER_LEVEL_TYPES.test(r.type))).toEqual([]);
        expect(rs.filter((r) => /gcp:(workflows|cloudscheduler|managedkafka)/.test(r.type))).toEqual([]);
    });

    it("exports topics, jobs, the sinks and the command that publishes the sample event", () => {
        const event = JSON.stringify(SAMPLE_EVENT);
        expect(rs.outputs).toMatchObject({
            inputStreams: {
                data: `projects/${PROJECT_ID}/topics/mlops-levels-dev-data-events`,
                inference: `projects/${PROJECT_ID}/topics/mlops-levels-dev-inference-events`,
            },
            scoresStream: `${PROJECT_ID}:mlops_levels_dev_streaming.scores`,
            engineJobs: { data: "mlops-levels-dev-data-streaming", inference: "mlops-levels-dev-inference-streaming" },
            endpoint: "https://pubsub.googleapis.com",
            runCommands: {
                data: `gcloud pubsub topics publish projects/${PROJECT_ID}/topics/mlops-levels-dev-data-events --message='${event}'`,
                inference: `gcloud pubsub topics publish projects/${PROJECT_ID}/topics/mlops-levels-dev-inference-events --message='${event}'`,
            },
        });
    });
});

describe("GCP streaming, protection and sharing", () => {
    it("keeps a pipeline's topic URN when the other pipeline's level changes", async () => {
        const both = await runGcp((ctx, foundation, opts) => {
            new GcpStreaming("streaming", { ctx, foundation, data: flow(), inference: flow() }, opts);
            return {};
        });
        const inferenceOnly = await runGcp((ctx, foundation, opts) => {
            new GcpStreaming("streaming", { ctx, foundation, inference: flow() }, opts);
            return {};
        });
        for (const n of [
            "streaming-inference-events",
            "streaming-inference-sub",
            "streaming-scores-dataset",
            "streaming-scores-table",
            "streaming-dead-letter",
        ])
            expect(byName(inferenceOnly, n).urn).toBe(byName(both, n).urn);
        expect(ofType(inferenceOnly, JOB).map((j) => j.name)).toEqual(["streaming-inference-job"]);
        expect(
            (byName(inferenceOnly, "streaming-dead-letter").inputs.labels as Record<string, string>)[TAG_KEYS.pipeline],
        ).toBe("inference");
        for (const r of [...ofType(both, TOPIC), ...ofType(both, SUB)]) expect(r.protect).toBe(false);
    });

    it("refuses a foundation without a network", async () => {
        await expect(
            runGcp(
                (ctx, foundation, opts) => {
                    new GcpStreaming("streaming", { ctx, foundation, data: flow() }, opts);
                    return {};
                },
                { network: false },
            ),
        ).rejects.toThrow(/no network/);
    });
});

describe("GCP streaming with a team's own scoring UDF", () => {
    it("runs the team's UDF from the artifacts bucket under the same function name, and uploads none", async () => {
        const rs = await runGcp((ctx, foundation, opts) => {
            new GcpStreaming(
                "streaming",
                { ctx, foundation, data: flow(), inference: flow(), code: { inference: "team/streaming/score.js" } },
                opts,
            );
            return {};
        });
        expect(
            ofType(rs, "gcp:storage/bucketObject:BucketObject").filter((o) => o.inputs.name === SCORING_UDF_KEY),
        ).toEqual([]);
        const job = byName(rs, "streaming-inference-job");
        const artifacts = String(byName(rs, "foundation-artifacts").outputs.name);
        expect(artifacts).toMatch(/-artifacts-x7k2q9$/);
        expect(job.inputs.parameters).toMatchObject({
            javascriptTextTransformGcsPath: `gs://${artifacts}/team/streaming/score.js`,
            javascriptTextTransformFunctionName: UDF_FUNCTION,
        });
        expect(prerequisitesOf(job).filter((n) => n.kind === "object")).toEqual([
            {
                kind: "object",
                ref: `gs://${artifacts}/team/streaming/score.js`,
                input: "parameters.javascriptTextTransformGcsPath",
            },
        ]);
        // The job's workers still read the artifacts bucket (now the team's UDF), and write scores.
        expect(byName(rs, "streaming-inference-artifacts-viewer").inputs.role).toBe("roles/storage.objectViewer");
        expect(job.dependencies).toContain(one(rs, TABLE).urn);
    });

    it("refuses data code (its template takes no UDF), and a key the stack could write over or that names no script", () => {
        const lines = (code: Record<string, string>) =>
            checkGcpStreamingArgs({ data: flow(), inference: flow(), code }).map((p) => `${p.path}: ${p.message}`);
        expect(lines({ data: "team/features.js" })).toEqual([
            expect.stringMatching(
                /^config\.mlops:options\.streamingCode\.data: GCP's data job runs Google's Cloud_PubSub_to_GCS_Text_Flex template, which takes no user-defined function/,
            ),
        ]);
        expect(lines({ inference: SCORING_UDF_KEY })).toEqual([
            expect.stringMatching(/^config\.mlops:options\.streamingCode\.inference: ".*" is under 'samples\/'/),
        ]);
        expect(lines({ inference: "team/score.py" })).toEqual([
            expect.stringMatching(
                /streamingCode\.inference: "team\/score\.py" is not the team's JavaScript UDF .*must end in '\.js'/,
            ),
        ]);
        expect(lines({ inference: "team/score.js" })).toEqual([]);
        // Code for a pipeline that does not stream here is not this component's to judge.
        expect(checkGcpStreamingArgs({ inference: flow(), code: { data: "team/features.js" } })).toEqual([]);
    });
});

describeExportedRows("GCP", ({ withoutLog1p }) => {
    const score = loadUdf(scoringUdf(referenceModel()), { withoutLog1p });
    return (event) => JSON.parse(score(JSON.stringify(event)));
});

describe("the scoring UDF: the reference model in JavaScript", () => {
    const model = referenceModel();

    it("refuses malformed events (they go to the dead-letter table), accepts an empty total", () => {
        const score = loadUdf(scoringUdf(model));
        const bad = (e: Record<string, unknown>) => () => score(JSON.stringify({ ...SAMPLE_EVENT, ...e }));
        expect(bad({ contract: "weekly" })).toThrow(/contract/);
        expect(bad({ paperless_billing: "maybe" })).toThrow(/paperless_billing/);
        expect(bad({ tenure_months: -1 })).toThrow(/tenure_months/);
        expect(bad({ monthly_charges: "abc" })).toThrow(/monthly_charges/);
        expect(bad({ total_charges: "1e400" })).toThrow(/total_charges must be a finite number/);
        expect(bad({ monthly_charges: 1e200, tenure_months: 1e200, total_charges: undefined })).toThrow(
            /out of the model's range/,
        );
        const empty = JSON.parse(score(JSON.stringify({ ...SAMPLE_EVENT, total_charges: "" })));
        const absent = JSON.parse(score(JSON.stringify({ ...SAMPLE_EVENT, total_charges: undefined })));
        expect(empty).toEqual(absent);
    });

    it("is tied to the sample model the stack uploads: a stale export is refused", () => {
        expect(model.modelSha256).toBe(sampleArtifact("model").sha256);
        expect(JSON.parse(loadUdf(scoringUdf(model))(JSON.stringify(SAMPLE_EVENT))).model_version).toBe(
            sampleArtifact("model").sha256.slice(0, 12),
        );
        const stale: GaussianNbExport = { ...model, modelSha256: "0".repeat(64) };
        const file = path.join(require("node:os").tmpdir(), `gaussian-nb-model-${process.pid}.json`);
        require("node:fs").writeFileSync(file, JSON.stringify(stale));
        expect(() => referenceModel(file)).toThrow(/another model.*export_gaussian_nb\.py/);
        require("node:fs").rmSync(file);
    });
});

describeAgainstPython(
    "GCP",
    () => {
        const score = loadUdf(scoringUdf(referenceModel()), { withoutLog1p: true });
        return (event) => JSON.parse(score(JSON.stringify(event)));
    },
    () =>
        it("the committed export is what the sample model exports today", () => {
            expect(runExport([])).toEqual(referenceModel());
        }),
);

describe("GCP stack with mlops:options.streamingCode", () => {
    const WORKLOAD = { data: { volumeGb: 20, freshnessSeconds: 30 }, inference: { mode: "streaming" } };
    const UDFS = (rs: readonly PlannedResource[]) =>
        ofType(rs, "gcp:storage/bucketObject:BucketObject").filter((o) => o.inputs.name === SCORING_UDF_KEY);
    const udfPath = (rs: readonly PlannedResource[]) =>
        (byName(rs, "streaming-inference-job").inputs.parameters as Record<string, string>)
            .javascriptTextTransformGcsPath;
    let plain: PlannedResource[];
    let own: PlannedResource[];
    beforeAll(async () => {
        // One plan after the other: the Pulumi runtime runs one program at a time.
        plain = (await planConfig(configFor("gcp", WORKLOAD))).resources;
        own = (
            await planConfig(
                configFor("gcp", WORKLOAD, {
                    "mlops:options": { streamingCode: { inference: "team/streaming/score.js" } },
                }),
            )
        ).resources;
    });

    it("without it, the scoring job runs the reference UDF the stack uploads", () => {
        expect(UDFS(plain)).toHaveLength(1);
        expect(udfPath(plain)).toMatch(new RegExp(`^gs://mlops-levels-dev-artifacts-[a-z0-9]{6}/${SCORING_UDF_KEY}$`));
    });

    it("with it, the scoring job runs the team's UDF and the stack uploads no reference one", () => {
        expect(UDFS(own)).toEqual([]);
        expect(udfPath(own)).toMatch(/^gs:\/\/mlops-levels-dev-artifacts-[a-z0-9]{6}\/team\/streaming\/score\.js$/);
        expect(byName(own, "streaming-inference-job").inputs.parameters).toMatchObject({
            javascriptTextTransformFunctionName: UDF_FUNCTION,
        });
        // The data job is unchanged.
        expect(byName(own, "streaming-data-job").inputs).toEqual(byName(plain, "streaming-data-job").inputs);
    });

    it("data code is refused with its key path before anything is planned", async () => {
        await expect(
            planConfig(configFor("gcp", WORKLOAD, { "mlops:options": { streamingCode: { data: "team/f.js" } } })),
        ).rejects.toThrow(/config\.mlops:options\.streamingCode\.data: GCP's data job runs Google's/);
    });
});

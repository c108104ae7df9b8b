import type { PlannedResource } from "../../cli/plan/offline";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { DATAFLOW_MACHINE_TYPE, GcpStreaming } from "../../components/streaming/gcp";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, gcpResources, PROJECT_ID, runGcp } from "../gcp/harness";
import { descendants, ofType, one, outsideFoundation } from "../helpers/plan";
import { flow, OTHER_LEVEL_TYPES } from "./harness";

const TOPIC = "gcp:pubsub/topic:Topic";
const SUB = "gcp:pubsub/subscription:Subscription";
const JOB = "gcp:dataflow/flexTemplateJob:FlexTemplateJob";
const byName = (rs: readonly PlannedResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    if (!r) throw new Error(`no resource ${name}`);
    return r;
};
/** Labelable streaming types (IAM members, firewall rules and API services take none). */
const LABELED = new Set([TOPIC, SUB, JOB]);

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
            };
        });
    });

    it("creates an events topic per pipeline, a scores topic and a shared dead-letter topic", () => {
        expect(
            ofType(rs, TOPIC)
                .map((t) => t.inputs.name)
                .sort(),
        ).toEqual([
            "mlops-levels-dev-data-events",
            "mlops-levels-dev-dead-letter",
            "mlops-levels-dev-inference-events",
            "mlops-levels-dev-scores",
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

    it("writes data with Google's regional Pub/Sub-to-GCS template and scores with the team's template and model", () => {
        const data = byName(rs, "streaming-data-job").inputs;
        expect(data.containerSpecGcsPath).toBe(
            "gs://dataflow-templates-us-central1/latest/flex/Cloud_PubSub_to_GCS_Text_Flex",
        );
        expect(data.parameters).toMatchObject({
            inputSubscription: `projects/${PROJECT_ID}/subscriptions/mlops-levels-dev-data-engine`,
            windowDuration: "5m",
        });
        expect(String((data.parameters as Record<string, string>).outputDirectory)).toMatch(
            /^gs:\/\/.+-data-x7k2q9\/streaming\/features\/$/,
        );
        const inf = byName(rs, "streaming-inference-job").inputs;
        expect(String(inf.containerSpecGcsPath)).toMatch(
            /^gs:\/\/.+-artifacts-x7k2q9\/streaming\/inference\/template\.json$/,
        );
        expect(inf.parameters).toMatchObject({ outputTopic: `projects/${PROJECT_ID}/topics/mlops-levels-dev-scores` });
        expect(String((inf.parameters as Record<string, string>).modelUri)).toMatch(
            /-artifacts-x7k2q9\/models\/streaming\/$/,
        );
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
                .filter((r) => /IAMMember$/.test(r.type) && r.inputs.member === email(p))
                .map(
                    (r) =>
                        `${r.inputs.role} ${r.inputs.subscription ?? r.inputs.topic ?? (r.inputs.bucket ? String(r.inputs.bucket).replace(/-x7k2q9$/, "") : "project")}`,
                )
                .sort();
        expect(grants("data")).toEqual([
            "roles/dataflow.worker project",
            "roles/pubsub.subscriber mlops-levels-dev-data-engine",
            "roles/storage.objectAdmin mlops-levels-dev-data",
        ]);
        expect(grants("inference")).toEqual([
            "roles/artifactregistry.reader project",
            "roles/dataflow.worker project",
            "roles/pubsub.publisher mlops-levels-dev-scores",
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

    it("enables the Pub/Sub and Dataflow APIs without ever disabling them", () => {
        for (const s of ["pubsub.googleapis.com", "dataflow.googleapis.com"]) {
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

    it("exports topics, jobs and the sink", () => {
        expect(rs.outputs).toMatchObject({
            inputStreams: {
                data: `projects/${PROJECT_ID}/topics/mlops-levels-dev-data-events`,
                inference: `projects/${PROJECT_ID}/topics/mlops-levels-dev-inference-events`,
            },
            scoresStream: `projects/${PROJECT_ID}/topics/mlops-levels-dev-scores`,
            engineJobs: { data: "mlops-levels-dev-data-streaming", inference: "mlops-levels-dev-inference-streaming" },
            endpoint: "https://pubsub.googleapis.com",
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
            "streaming-scores",
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

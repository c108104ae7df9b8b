import { prerequisitesOf, providedBy } from "../../catalog";
import type { PlannedResource } from "../../cli/plan/offline";
import { mergeNeeds } from "../../components/foundation";
import { TAG_KEYS } from "../../components/shared/tags";
import { DATAPROC_IMAGE_VERSION, gcpSparkKit, gcpSparkNeeds, REFERENCE_MODEL_PATH } from "../../components/spark/gcp";
import type { SparkJobSpec } from "../../components/spark/index";
import type { Json } from "../aws/harness";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, PROJECT_ID, runGcp } from "../gcp/harness";
import { ofType, one, outsideFoundation } from "../helpers/plan";
import { badlyTagged, expectValidName, OTHER_LEVEL_TYPES, sparkTree } from "./harness";

const DATA: SparkJobSpec = { pipeline: "data", volumeGb: 900, schedule: "0 1 * * *" };
const INFERENCE: SparkJobSpec = { pipeline: "inference", volumeGb: 300, schedule: "30 4 * * *", timeoutHours: 2 };

/** GCP types without labels. */
const UNLABELLED = new Set([
    "gcp:projects/service:Service",
    "gcp:serviceaccount/account:Account",
    "gcp:projects/iAMMember:IAMMember",
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:compute/firewall:Firewall",
    "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy",
    "gcp:cloudscheduler/job:Job",
]);

/** The Spark component for `jobs` on the mock engine, its foundation built with what the jobs declare. */
function plan(jobs: SparkJobSpec[]) {
    const spec = { region: "us-central1", level: 2, jobs };
    return runGcp(
        (ctx, foundation, opts) => {
            const c = gcpSparkKit.create("spark", spec, { ctx, foundation }, opts);
            return {
                cluster: c.clusterName,
                jobs: c.jobNames,
                worker: c.workerType,
                max: c.maxWorkers,
                runCommands: c.runCommands,
            };
        },
        { needs: mergeNeeds([gcpSparkKit.needs(spec)]) },
    );
}

describe("GCP Spark cluster (Dataproc), data and inference sharing it", () => {
    let rs: PlannedResource[] & { outputs: Record<string, unknown> };
    let children: PlannedResource[];
    beforeAll(async () => {
        rs = await plan([DATA, INFERENCE]);
        children = sparkTree(rs).children;
    });

    const templates = () => ofType(rs, "gcp:dataproc/workflowTemplate:WorkflowTemplate");
    // biome-ignore lint/suspicious/noExplicitAny: nested provider inputs navigated in assertions
    const cluster = (t: PlannedResource): any => (t.inputs.placement as Json).managedCluster;

    it("shares one service account, firewall rule and autoscaling policy; one template per pipeline", () => {
        expect(ofType(children, "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy")).toHaveLength(1);
        expect(ofType(children, "gcp:compute/firewall:Firewall")).toHaveLength(1);
        expect(templates().map((t) => t.inputs.name)).toEqual([
            "mlops-levels-dev-data-spark",
            "mlops-levels-dev-inference-spark",
        ]);
        expect(cluster(templates()[0]!).config).toEqual(cluster(templates()[1]!).config);
        expect(rs.outputs).toMatchObject({ worker: "n2-highmem-16", max: 9, cluster: "mlops-levels-dev-spark" });
    });

    it("autoscales between 2 workers and the size for the larger volume, no preemptible workers", () => {
        const policy = one(rs, "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy");
        expect(policy.inputs).toMatchObject({
            location: "us-central1",
            workerConfig: { minInstances: 2, maxInstances: 9 },
            secondaryWorkerConfig: { minInstances: 0, maxInstances: 0 },
        });
        const c = cluster(templates()[0]!).config;
        expect(c.autoscalingConfig.policy).toBe(policy.outputs.name);
        expect(c.workerConfig).toMatchObject({ numInstances: 2, machineType: "n2-highmem-16" });
        expect(c.softwareConfig.imageVersion).toBe(DATAPROC_IMAGE_VERSION);
    });

    it("has no idle cost: clusters exist per run, with idle deletion as a backstop", () => {
        expect(ofType(rs, "gcp:dataproc/cluster:Cluster")).toHaveLength(0);
        expect(cluster(templates()[0]!).config.lifecycleConfig).toEqual({ idleDeleteTtl: "1800s" });
        expect(templates().map((t) => t.inputs.dagTimeout)).toEqual(["21600s", "7200s"]);
    });

    it("keeps nodes private: internal IPs only, the foundation's subnet, its own service account", () => {
        const subnet = one(rs, "gcp:compute/subnetwork:Subnetwork");
        const sa = children.find((r) => r.name === "spark-sa")!;
        const gce = cluster(templates()[0]!).config.gceClusterConfig;
        expect(gce).toMatchObject({
            internalIpOnly: true,
            subnetwork: subnet.outputs.selfLink,
            serviceAccount: sa.outputs.email,
            shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
        });
        const fw = one(children, "gcp:compute/firewall:Firewall");
        expect(fw.inputs).toMatchObject({
            direction: "INGRESS",
            sourceServiceAccounts: [sa.outputs.email],
            targetServiceAccounts: [sa.outputs.email],
        });
        expect(fw.inputs.sourceRanges).toBeUndefined();
    });

    it("stages in the foundation's artifacts bucket and reads/writes only the stack's buckets", () => {
        const artifacts = rs.find((r) => r.name === "foundation-artifacts")!.outputs.name;
        const c = cluster(templates()[0]!).config;
        expect([c.stagingBucket, c.tempBucket]).toEqual([artifacts, artifacts]);
        const buckets = ofType(children, "gcp:storage/bucketIAMMember:BucketIAMMember");
        expect(buckets.map((b) => [b.inputs.role, b.inputs.bucket])).toEqual([
            ["roles/storage.objectAdmin", rs.find((r) => r.name === "foundation-data")!.outputs.name],
            ["roles/storage.objectAdmin", artifacts],
        ]);
        const roles = ofType(children, "gcp:projects/iAMMember:IAMMember").map((m) => m.inputs.role);
        expect(roles.sort()).toEqual(["roles/dataproc.editor", "roles/dataproc.worker"]);
    });

    it("runs the uploaded reference scripts with the jobs package; scoring gets the sample model", () => {
        const artifacts = rs.find((r) => r.name === "foundation-artifacts")!.outputs.name;
        const data = rs.find((r) => r.name === "foundation-data")!.outputs.name;
        const [d, i] = templates().map((t) => (t.inputs.jobs as Record<string, Json>[])[0]!);
        expect(d!.pysparkJob).toEqual({
            mainPythonFileUri: `gs://${artifacts}/samples/jobs/spark/data.py`,
            pythonFileUris: [`gs://${artifacts}/samples/jobs/jobs.zip`],
            args: [
                "--pipeline",
                "data",
                "--data-uri",
                `gs://${data}`,
                "--artifacts-uri",
                `gs://${artifacts}`,
                "--package",
                "none",
            ],
        });
        expect(i!.pysparkJob.mainPythonFileUri).toBe(`gs://${artifacts}/samples/jobs/spark/inference.py`);
        expect(REFERENCE_MODEL_PATH).toBe("samples/models/sklearn");
        expect(i!.pysparkJob.args).toContain(`gs://${artifacts}/samples/models/sklearn`);
        const schedules = ofType(rs, "gcp:cloudscheduler/job:Job");
        expect(schedules.map((s) => [s.inputs.schedule, (s.inputs.httpTarget as Json).uri])).toEqual([
            [
                "0 1 * * *",
                `https://dataproc.googleapis.com/v1/projects/${PROJECT_ID}/regions/us-central1/workflowTemplates/mlops-levels-dev-data-spark:instantiate`,
            ],
            [
                "30 4 * * *",
                `https://dataproc.googleapis.com/v1/projects/${PROJECT_ID}/regions/us-central1/workflowTemplates/mlops-levels-dev-inference-spark:instantiate`,
            ],
        ]);
        expect(rs.outputs.runCommands).toEqual({
            data: `gcloud dataproc workflow-templates instantiate mlops-levels-dev-data-spark --region=us-central1 --project=${PROJECT_ID}`,
            inference: `gcloud dataproc workflow-templates instantiate mlops-levels-dev-inference-spark --region=us-central1 --project=${PROJECT_ID}`,
        });
    });

    it("uploads what the scripts read and each template waits for its files", () => {
        expect(gcpSparkNeeds({ jobs: [DATA, INFERENCE] })).toEqual({
            samples: ["jobs-package", "model", "sample-data", "spark-data", "spark-inference"],
        });
        const uploads = ofType(rs, "gcp:storage/bucketObject:BucketObject");
        const byKey = new Map(uploads.flatMap((u) => providedBy(u).map((p) => [p.ref, u] as const)));
        for (const t of templates()) {
            const needs = prerequisitesOf(t);
            expect(needs.map((n) => n.input)).toEqual([
                "jobs[0].pysparkJob.mainPythonFileUri",
                "jobs[0].pysparkJob.pythonFileUris[0]",
            ]);
            for (const n of needs) expect(t.dependencies).toContain(byKey.get(n.ref)!.urn);
        }
        const [data, inference] = templates();
        const upload = (key: string) => uploads.find((u) => u.inputs.name === key)!.urn;
        // What a script reads by its defaults: the sample data (data) and the sample model (inference).
        expect(data!.dependencies).toContain(upload("samples/data/customers.csv"));
        expect(inference!.dependencies).toContain(upload("samples/models/sklearn/model.joblib"));
        expect(inference!.dependencies).not.toContain(upload("samples/data/customers.csv"));
    });

    it("labels every labelable resource (templates per pipeline, clusters for both); valid names", () => {
        expect(badlyTagged(children, UNLABELLED, ["data-inference", "data", "inference"], "labels")).toEqual([]);
        expect(templates().map((t) => (t.inputs.labels as Record<string, string>)[TAG_KEYS.pipeline])).toEqual([
            "data",
            "inference",
        ]);
        const labels = cluster(templates()[0]!).labels as Record<string, string>;
        expect(labels[TAG_KEYS.pipeline]).toBe("data-inference");
        for (const [k, v] of Object.entries(labels)) {
            expect(k).toMatch(GCP_LABEL_KEY);
            expect(v).toMatch(GCP_LABEL_VALUE);
        }
        expectValidName("dataprocClusterPrefix", cluster(templates()[0]!).clusterName);
        for (const t of templates()) expectValidName("dataprocId", t.inputs.name);
        expectValidName("dataprocId", one(rs, "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy").inputs.policyId);
        for (const a of ofType(children, "gcp:serviceaccount/account:Account"))
            expectValidName("gcpServiceAccount", a.inputs.accountId);
    });

    it("brings nothing of other levels", () => {
        expect(
            outsideFoundation(rs)
                .filter((r) => OTHER_LEVEL_TYPES.test(r.type))
                .map((r) => r.type),
        ).toEqual([]);
    });
});

describe("GCP Spark cluster, a team's own script", () => {
    it("runs the team's script where it says, with the old arguments, and uploads nothing", async () => {
        const mine: SparkJobSpec = { ...DATA, script: "jobs/spark/mine.py", volumeGb: 10 };
        expect(gcpSparkNeeds({ jobs: [mine] })).toEqual({});
        const rs = await plan([mine]);
        const artifacts = rs.find((r) => r.name === "foundation-artifacts")!.outputs.name;
        const step = (one(rs, "gcp:dataproc/workflowTemplate:WorkflowTemplate").inputs.jobs as Json[])[0]!;
        expect(step.pysparkJob.mainPythonFileUri).toBe(`gs://${artifacts}/jobs/spark/mine.py`);
        expect(step.pysparkJob.pythonFileUris).toBeUndefined();
        expect(step.pysparkJob.args).not.toContain("--package");
        expect(ofType(rs, "gcp:storage/bucketObject:BucketObject")).toEqual([]);
    });
});

describe("GCP Spark checks", () => {
    it("refuses a run timeout under Dataproc's 10-minute minimum, naming the key; 10 minutes is fine", () => {
        const check = (timeoutHours: number) =>
            gcpSparkKit.check({ region: "us-central1", level: 2, jobs: [{ ...DATA, timeoutHours }] });
        expect(check(0.1)).toEqual([
            {
                path: "config.mlops:workload.data.timeoutHours",
                message: expect.stringContaining("at least 10 minutes"),
            },
        ]);
        expect(check(10 / 60)).toEqual([]);
        expect(check(2)).toEqual([]);
    });
});

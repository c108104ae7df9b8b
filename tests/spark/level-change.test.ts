import type { PlannedResource } from "../../cli/plan/offline";
import { awsKit } from "../../components/kits/aws";
import { azureKit } from "../../components/kits/azure";
import { gcpKit } from "../../components/kits/gcp";
import { awsSparkKit } from "../../components/spark/aws";
import { azureSparkKit } from "../../components/spark/azure";
import { gcpSparkKit } from "../../components/spark/gcp";
import { REGION as AWS_REGION, runAws } from "../aws/harness";
import { REGION as AZURE_REGION, runAzure } from "../azure/harness";
import { REGION as GCP_REGION, runGcp } from "../gcp/harness";
import { configFor, planConfig } from "../helpers/plan";
import "./harness";

// Moving data between level 1 (one-machine job) and level 2 (Spark) must leave the foundation's
// storage alone: same URNs (nothing replaced or deleted) and the same inputs (nothing updated).

/** Stateful storage of the foundation (and the suffix its names depend on), by URN. */
function storage(rs: readonly PlannedResource[]): Map<string, Record<string, unknown>> {
    // Uploads are not storage: each level uploads what it reads (the shared ones are checked apart).
    // (Azure's uploads are the classic provider's `azure:storage/blob:Blob`, outside this pattern.)
    const stateful =
        /^(aws:s3\/(?!bucketObject)|aws:kms\/key:|azure-native:storage:|gcp:storage\/bucket:|random:index\/randomString:)/;
    return new Map(
        rs
            .filter((r) => stateful.test(r.type) && (r.name.startsWith("foundation") || r.name === "unique-suffix"))
            .map((r) => [r.urn, r.inputs]),
    );
}

function expectSameStorage(level1: readonly PlannedResource[], level2: readonly PlannedResource[]): void {
    const a = storage(level1);
    const b = storage(level2);
    expect(a.size).toBeGreaterThan(0);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [urn, inputs] of a) expect({ urn, inputs: b.get(urn) }).toEqual({ urn, inputs });
}

const DATA_1 = { pipeline: "data" as const, level: 1, volumeGb: 20, schedule: "0 2 * * *", image: "x" };
const DATA_2 = { level: 2, jobs: [{ pipeline: "data" as const, volumeGb: 200, schedule: "0 2 * * *" }] };

describe("level 1 ↔ level 2 keeps the foundation storage (components composed directly)", () => {
    it("AWS", async () => {
        const job = { ...DATA_1, region: AWS_REGION, image: "sagemaker-scikit-learn:1.2-1-cpu-py3" };
        const one = await runAws(
            (ctx, foundation, opts) => {
                awsKit.batchJob.create("data", job, { ctx, foundation }, opts);
                return {};
            },
            { needs: awsKit.batchJob.needs(job) },
        );
        const two = await runAws(
            (ctx, foundation, opts) => {
                awsSparkKit.create("spark", { ...DATA_2, region: AWS_REGION }, { ctx, foundation }, opts);
                return {};
            },
            { needs: awsSparkKit.needs({ ...DATA_2, region: AWS_REGION }) },
        );
        expectSameStorage(one, two);
        // The uploads both levels read keep their URN and inputs: no delete of an object still read.
        const uploads = (rs: readonly PlannedResource[]) =>
            new Map(rs.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2").map((r) => [r.urn, r.inputs]));
        const [a, b] = [uploads(one), uploads(two)];
        const shared = [...a.keys()].filter((u) => b.has(u));
        expect(shared.map((u) => u.split("::").pop()).sort()).toEqual([
            "foundation-sample-jobs-package",
            "foundation-sample-sample-data",
        ]);
        for (const u of shared) expect(b.get(u)).toEqual(a.get(u));
    });
    it("Azure", async () => {
        const job = { ...DATA_1, region: AZURE_REGION };
        const one = await runAzure(
            (ctx, foundation, opts) => {
                azureKit.batchJob.create("data", job, { ctx, foundation }, opts);
            },
            { needs: azureKit.batchJob.needs(job) },
        );
        const spark = { ...DATA_2, region: AZURE_REGION };
        const two = await runAzure(
            (ctx, foundation, opts) => {
                azureSparkKit.create("spark", spark, { ctx, foundation }, opts);
            },
            { needs: azureSparkKit.needs(spark) },
        );
        expectSameStorage(one, two);
    });
    it("GCP", async () => {
        const job = { ...DATA_1, region: GCP_REGION };
        const spark = { ...DATA_2, region: GCP_REGION };
        const one = await runGcp(
            (ctx, foundation, opts) => {
                gcpKit.batchJob.create("data", job, { ctx, foundation }, opts);
                return {};
            },
            { needs: gcpKit.batchJob.needs(job) },
        );
        const two = await runGcp(
            (ctx, foundation, opts) => {
                gcpSparkKit.create("spark", spark, { ctx, foundation }, opts);
                return {};
            },
            { needs: gcpSparkKit.needs(spark) },
        );
        expectSameStorage(one, two);
    });
});

/** The same through the real stack program, pinning data to 1 and to 2. */
describe("level 1 ↔ level 2 through the stack program (planConfig)", () => {
    // 20 GB over a 16 GB machine assesses as level 2; a pin to 1 keeps it on one machine.
    const workload = { data: { volumeGb: 20, schedule: "0 2 * * *" } };
    const capacity = { "mlops:capacity": { singleMachineMemoryGb: 16 } };

    it.each(["aws", "azure", "gcp"] as const)("%s", async (cloud) => {
        const one = await planConfig(configFor(cloud, workload, { ...capacity, "mlops:levels": { data: 1 } }));
        const two = await planConfig(configFor(cloud, workload, { ...capacity, "mlops:levels": { data: 2 } }));
        expect(one.resources.some((r) => r.type === "mlops:batch-job:BatchJob")).toBe(true);
        expect(two.resources.some((r) => r.type === "mlops:spark:SparkCluster")).toBe(true);
        expect(two.resources.some((r) => r.type === "mlops:batch-job:BatchJob")).toBe(false);
        expectSameStorage(one.resources, two.resources);
        // And back: level 2 → level 1 is the same comparison the other way round.
        expectSameStorage(two.resources, one.resources);
    });
});

import fc from "fast-check";
import { parseStackConfig } from "../../assessment/config";
import { MEMORY_HEADROOM } from "../../components/machines";
import { teamScriptKeyProblem } from "../../components/shared/object-key";
import {
    EMR_SERVERLESS_LIMITS,
    EMR_SERVERLESS_WORKERS,
    sparkSubmitParameters,
    workerDiskGb,
} from "../../components/spark/aws";
import { livyBatch, SYNAPSE_HEAP, SYNAPSE_LIMITS, SYNAPSE_NODE_SIZES } from "../../components/spark/azure";
import { bootDiskGb, DATAPROC_LIMITS, DATAPROC_WORKERS } from "../../components/spark/gcp";
import {
    checkSparkClusterArgs,
    clusterVolumeGb,
    jobArguments,
    joinUri,
    pipelinesOf,
    type SparkLimits,
    type SparkWorkerType,
    sizeProblems,
    sparkSize,
    sparkSizeOrThrow,
    WORKERS_BEFORE_LARGER_TYPE,
} from "../../components/spark/index";
import { sparkSpec } from "../../stacks/blueprint";
import { configFor } from "../helpers/plan";

const CLOUDS: [string, readonly SparkWorkerType[], SparkLimits][] = [
    ["EMR Serverless", EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS],
    ["Dataproc", DATAPROC_WORKERS, DATAPROC_LIMITS],
    ["Synapse", SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS],
];

describe("sparkSize: worker type and count from volumeGb", () => {
    it.each([
        [200, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS],
        [300, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS],
        [900, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS],
        [129, DATAPROC_WORKERS, DATAPROC_LIMITS],
        [2000, DATAPROC_WORKERS, DATAPROC_LIMITS],
        [129, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS],
        [20_000, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS],
    ] as const)("%p GB: enough memory, the smallest type within 16 workers", (volume, catalogue, limits) => {
        const s = sparkSizeOrThrow(volume, catalogue, limits);
        const need = volume * MEMORY_HEADROOM;
        // Enough memory with headroom, and the smallest type that does it within 16 workers.
        expect(s.totalGb).toBeGreaterThanOrEqual(need);
        expect(s.neededGb).toBe(need);
        const smaller = catalogue.filter((w) => w.memoryGb < s.worker.memoryGb);
        for (const w of smaller) expect(Math.ceil(need / w.memoryGb)).toBeGreaterThan(WORKERS_BEFORE_LARGER_TYPE);
        expect(s.minWorkers).toBe(limits.minWorkers);
        expect(s.maxWorkers).toBeGreaterThanOrEqual(s.minWorkers);
    });

    it("gives exact types and counts for the documented examples", () => {
        const pick = (v: number, c: readonly SparkWorkerType[], l: SparkLimits) => {
            const s = sparkSizeOrThrow(v, c, l);
            return [s.worker.name, s.minWorkers, s.maxWorkers];
        };
        expect(pick(200, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS)).toEqual(["4 vCPU / 16 GB", 1, 16]);
        expect(pick(300, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS)).toEqual(["8 vCPU / 32 GB", 1, 12]);
        expect(pick(900, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS)).toEqual(["16 vCPU / 120 GB", 1, 10]);
        expect(pick(2000, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS)).toEqual(["16 vCPU / 120 GB", 1, 21]);
        expect(pick(129, DATAPROC_WORKERS, DATAPROC_LIMITS)).toEqual(["n2-highmem-4", 2, 6]);
        expect(pick(900, DATAPROC_WORKERS, DATAPROC_LIMITS)).toEqual(["n2-highmem-16", 2, 9]);
        expect(pick(2000, DATAPROC_WORKERS, DATAPROC_LIMITS)).toEqual(["n2-highmem-32", 2, 10]);
        expect(pick(129, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS)).toEqual(["Small", 3, 6]);
        expect(pick(900, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS)).toEqual(["Large", 3, 9]);
        // Tiny volumes still get the service's minimum.
        expect(pick(0, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS)).toEqual(["Small", 3, 3]);
        expect(pick(0, DATAPROC_WORKERS, DATAPROC_LIMITS)).toEqual(["n2-highmem-4", 2, 2]);
    });

    it("reports a problem beyond the service's limit instead of sizing", () => {
        const r = sparkSize(1_000_000, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS);
        expect(r).toEqual({ problem: expect.stringContaining("more than 200 XXLarge workers hold (86400 GB)") });
        expect(() => sparkSizeOrThrow(1_000_000, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS)).toThrow(/XXLarge/);
    });

    describe.each(CLOUDS)("%s: properties", (_cloud, catalogue, limits) => {
        const largestGb = Math.max(...catalogue.map((w) => w.memoryGb)) * limits.maxWorkers;
        const volume = fc.double({ min: 0, max: largestGb / MEMORY_HEADROOM, noNaN: true });

        it("is monotonic in volumeGb: a larger run never gets less memory or a smaller worker", () => {
            fc.assert(
                fc.property(volume, volume, (a, b) => {
                    const [lo, hi] = a <= b ? [a, b] : [b, a];
                    const s = sparkSizeOrThrow(lo, catalogue, limits);
                    const t = sparkSizeOrThrow(hi, catalogue, limits);
                    expect(t.totalGb).toBeGreaterThanOrEqual(s.totalGb);
                    expect(t.worker.memoryGb).toBeGreaterThanOrEqual(s.worker.memoryGb);
                }),
            );
        });

        it("always holds the data with headroom, between the minimum and the service's maximum", () => {
            fc.assert(
                fc.property(volume, (v) => {
                    const s = sparkSizeOrThrow(v, catalogue, limits);
                    expect(s.totalGb).toBeGreaterThanOrEqual(v * MEMORY_HEADROOM);
                    expect(s.maxWorkers).toBeGreaterThanOrEqual(limits.minWorkers);
                    expect(s.maxWorkers).toBeLessThanOrEqual(limits.maxWorkers);
                    // Not wasteful: one worker fewer would not hold the data (unless at the minimum).
                    if (s.maxWorkers > limits.minWorkers)
                        expect((s.maxWorkers - 1) * s.worker.memoryGb).toBeLessThan(v * MEMORY_HEADROOM);
                }),
            );
        });
    });
});

describe("per-cloud derived sizes", () => {
    it("EMR Serverless: heap plus 10% overhead fits each worker size; disk stays within 20-200 GB", () => {
        for (const w of EMR_SERVERLESS_WORKERS) {
            const params = sparkSubmitParameters(
                { worker: w, minWorkers: 1, maxWorkers: 4, neededGb: 0, totalGb: 0 },
                20,
            );
            const heap = Number(/spark\.executor\.memory=(\d+)g/.exec(params)![1]);
            expect(heap * 1.1).toBeLessThanOrEqual(w.memoryGb);
            expect(params).toContain(`--conf spark.executor.cores=${w.vcpus}`);
            expect(params).toContain("--conf spark.dynamicAllocation.maxExecutors=4");
        }
        expect(workerDiskGb(0, 1)).toBe(20);
        expect(workerDiskGb(900, 10)).toBe(180);
        expect(workerDiskGb(100_000, 10)).toBe(200);
    });

    it("Dataproc: boot disks hold the shuffle share, never below 100 GB", () => {
        expect(bootDiskGb(0, 2)).toBe(100);
        expect(bootDiskGb(2000, 16)).toBe(250);
    });

    it("Synapse: the Livy batch sizes driver and executors to the node size", () => {
        const size = sparkSizeOrThrow(900, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS);
        const b = livyBatch({ name: "dev-data", file: "abfss://x/y.py", args: ["a"], size });
        expect(b).toMatchObject({
            driverMemory: "112g",
            driverCores: 16,
            executorMemory: "112g",
            executorCores: 16,
            numExecutors: 1,
            conf: { "spark.dynamicAllocation.enabled": "true", "spark.dynamicAllocation.maxExecutors": "8" },
        });
    });

    it("Synapse: every node size has the memory setting Synapse documents, below the node's memory", () => {
        for (const worker of SYNAPSE_NODE_SIZES) {
            const heap = SYNAPSE_HEAP[worker.name];
            expect(heap).toMatch(/^\d+g$/);
            expect(Number.parseInt(String(heap), 10)).toBeLessThan(worker.memoryGb);
        }
        // 7/8 of 432 GB would be 378g, which is not a documented setting.
        expect(SYNAPSE_HEAP["XXLarge"]).toBe("400g");
    });
});

describe("job arguments", () => {
    it("point scoring at the model in the artifacts storage", () => {
        expect(jobArguments({ pipeline: "inference" }, "s3://d", "s3://a")).toEqual([
            "--pipeline",
            "inference",
            "--data-uri",
            "s3://d",
            "--artifacts-uri",
            "s3://a",
            "--model-uri",
            "s3://a/models/latest",
        ]);
        expect(jobArguments({ pipeline: "data" }, "gs://d", "gs://a")).not.toContain("--model-uri");
        expect(
            jobArguments(
                { pipeline: "inference", modelPath: "models/v7" },
                "d",
                "abfss://artifacts@x.dfs.core.windows.net/",
            ),
        ).toContain("abfss://artifacts@x.dfs.core.windows.net/models/v7");
        expect(joinUri("s3://a/", "/jobs/x.py")).toBe("s3://a/jobs/x.py");
    });
});

describe("checkSparkClusterArgs", () => {
    const ok = { pipeline: "data" as const, volumeGb: 500, schedule: "0 2 * * *" };
    it("accepts valid args", () => expect(checkSparkClusterArgs({ level: 2, jobs: [ok] })).toEqual([]));
    it("reports every problem with its key path", () => {
        expect(
            checkSparkClusterArgs({
                level: 1,
                jobs: [
                    { ...ok, volumeGb: -1, schedule: "daily", timeoutHours: 30, script: "a b.py" },
                    { ...ok, pipeline: "data" },
                ],
            }).map((p) => p.path),
        ).toEqual([
            "level",
            "config.mlops:workload.data.volumeGb",
            "config.mlops:workload.data.schedule",
            "config.mlops:workload.data.timeoutHours",
            "config.mlops:workload.data.script",
            "config.mlops:workload.data",
        ]);
        expect(checkSparkClusterArgs({ level: 2, jobs: [] })).toEqual([
            { path: "jobs", message: "needs at least one pipeline at level 2" },
        ]);
    });
    it("puts a size problem on the pipeline with the largest volume", () => {
        const jobs = [ok, { pipeline: "inference" as const, volumeGb: 1e7, schedule: "0 2 * * *" }];
        expect(sizeProblems(jobs, SYNAPSE_NODE_SIZES, SYNAPSE_LIMITS)).toEqual([
            { path: "config.mlops:workload.inference.volumeGb", message: expect.stringContaining("XXLarge") },
        ]);
        expect(clusterVolumeGb(jobs)).toBe(1e7);
        expect(pipelinesOf([jobs[1]!, jobs[0]!])).toEqual(["data", "inference"]);
    });
});

describe("sparkSpec: which pipelines get the Spark cluster", () => {
    const settings = (workload: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        parseStackConfig(configFor("aws", workload, extra), "Pulumi.dev.yaml", "dev");
    const data2 = { volumeGb: 900, schedule: "0 1 * * *" };
    const inf2 = { mode: "batch", volumeGb: 2000 };

    it("is undefined when no pipeline is at level 2", () => {
        expect(
            sparkSpec(settings({ data: { volumeGb: 10 }, inference: { mode: "online", peakQps: 5 } })),
        ).toBeUndefined();
    });
    it("builds one job for data level 2", () => {
        expect(sparkSpec(settings({ data: data2 }))).toEqual({
            region: "us-east-1",
            level: 2,
            jobs: [{ pipeline: "data", volumeGb: 900, schedule: "0 1 * * *" }],
        });
    });
    it("shares one cluster when data and inference are both at level 2", () => {
        const spec = sparkSpec(settings({ data: data2, inference: inf2, training: undefined }))!;
        expect(spec.jobs.map((j) => [j.pipeline, j.volumeGb, j.schedule])).toEqual([
            ["data", 900, "0 1 * * *"],
            ["inference", 2000, "0 2 * * *"],
        ]);
    });
    it("follows pins: a pin to 1 takes the pipeline off the cluster, a pin to 2 puts it on", () => {
        expect(sparkSpec(settings({ data: data2, inference: inf2 }, { "mlops:levels": { data: 1 } }))!.jobs).toEqual([
            { pipeline: "inference", volumeGb: 2000, schedule: "0 2 * * *" },
        ]);
        expect(sparkSpec(settings({ data: { volumeGb: 10 } }, { "mlops:levels": { data: 2 } }))!.jobs).toEqual([
            { pipeline: "data", volumeGb: 10, schedule: "0 2 * * *" },
        ]);
    });
    it("gives a pipeline the team's script from mlops:options.sparkScripts, the other the reference", () => {
        const options = (sparkScripts: Record<string, string>) => ({ "mlops:options": { sparkScripts } });
        expect(
            sparkSpec(settings({ data: data2, inference: inf2 }, options({ data: "team/spark/features.py" })))!.jobs,
        ).toEqual([
            { pipeline: "data", volumeGb: 900, schedule: "0 1 * * *", script: "team/spark/features.py" },
            { pipeline: "inference", volumeGb: 2000, schedule: "0 2 * * *" },
        ]);
        expect(
            sparkSpec(settings({ data: data2, inference: inf2 }, options({ inference: "team/score.py" })))!.jobs.map(
                (j) => [j.pipeline, j.script],
            ),
        ).toEqual([
            ["data", undefined],
            ["inference", "team/score.py"],
        ]);
        // A key for a pipeline that is not at level 2 is accepted and unused: no Spark job for it.
        const data1 = settings({ data: { volumeGb: 10 }, inference: inf2 }, options({ data: "team/features.py" }));
        expect(sparkSpec(data1)!.jobs).toEqual([{ pipeline: "inference", volumeGb: 2000, schedule: "0 2 * * *" }]);
    });
});

describe("teamScriptKeyProblem: a team's Spark script key in the artifacts store", () => {
    it("accepts a relative key of a Python file outside samples/", () => {
        for (const key of [
            "team/spark/features.py",
            "score.py",
            "jobs/spark/data.py",
            "a-b_c/v1.2/x.py",
            "samplesx/a.py",
        ])
            expect({ key, problem: teamScriptKeyProblem(key) }).toEqual({ key, problem: undefined });
    });
    it.each([
        ["a b.py", /letters, digits/],
        ["s3://bucket/team/a.py", /letters, digits/],
        ["/team/a.py", /starts with '\/'/],
        ["team/../samples/jobs/spark/data.py", /'\.\.' segment/],
        ["team//a.py", /empty or '\.' segment/],
        ["./a.py", /empty or '\.' segment/],
        ["samples/jobs/spark/data.py", /under 'samples\/'/],
        ["team/features", /not the team.s Spark entry script: the key must end in .\.py./],
        ["team/.py", /not the team.s Spark entry script: the key must end in .\.py./],
    ])("refuses %s", (key, message) => {
        expect(teamScriptKeyProblem(key)).toMatch(message);
    });
});

import fc from "fast-check";
import { parseStackConfig } from "../../assessment/config";
import { DEFAULTS } from "../../assessment/schema";
import { InputError } from "../../components/shared/errors";
import {
    checkStreamingArgs,
    DATAFLOW_MAX_WORKERS,
    dataflowMaxWorkers,
    EVENT_HUBS_MAX_PARTITIONS,
    EVENT_HUBS_MIN_PARTITIONS,
    eventHubPartitions,
    eventHubsThroughputUnits,
    FLINK_MAX_PARALLELISM,
    flinkParallelism,
    KINESIS_MAX_PROVISIONED_SHARDS,
    kinesisCapacity,
    megabytesPerSecond,
    STREAM_ANALYTICS_SU_STEPS,
    streamAnalyticsUnits,
} from "../../components/streaming";
import { checkAwsStreamingArgs } from "../../components/streaming/aws";
import { checkAzureStreamingArgs } from "../../components/streaming/azure";
import { checkGcpStreamingArgs } from "../../components/streaming/gcp";
import { streamingSpec } from "../../stacks/blueprint";
import { configFor, configProblems } from "../helpers/plan";

const flow = (eventsPerSecond: number, eventSizeKb = 1) => ({ level: 3, eventsPerSecond, eventSizeKb });
const rates = fc.record({
    eventsPerSecond: fc.double({ min: 0.01, max: 1e5, noNaN: true }),
    eventSizeKb: fc.double({ min: 0.01, max: 1024, noNaN: true }),
});

describe("the event rate in the workload profile", () => {
    const settings = (workload: Record<string, unknown>) =>
        parseStackConfig(configFor("aws", workload), "Pulumi.dev.yaml", "dev");
    const problems = (workload: Record<string, unknown>) => {
        try {
            settings(workload);
            return [];
        } catch (e) {
            if (e instanceof InputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
            throw e;
        }
    };

    it("has defaults that fit the smallest capacity unit of every cloud", () => {
        expect(DEFAULTS.eventsPerSecond).toBe(100);
        expect(DEFAULTS.eventSizeKb).toBe(1);
        const f = flow(DEFAULTS.eventsPerSecond, DEFAULTS.eventSizeKb);
        expect(kinesisCapacity(f)).toMatchObject({ mode: "PROVISIONED", shards: 1 });
        expect(eventHubsThroughputUnits([f]).units).toBe(1);
        expect(dataflowMaxWorkers(f).maxWorkers).toBe(1);
    });

    it.each([
        ["data", { data: { volumeGb: 1, freshnessSeconds: 10, eventsPerSecond: 2500, eventSizeKb: 0.5 } }],
        ["inference", { inference: { mode: "streaming", eventsPerSecond: 2500, eventSizeKb: 0.5 } }],
    ])("is read from %s", (pipeline, workload) => {
        const w = settings(workload).workload as Record<string, { eventsPerSecond?: number; eventSizeKb?: number }>;
        expect(w[pipeline]).toMatchObject({ eventsPerSecond: 2500, eventSizeKb: 0.5 });
    });

    it("stays absent when not given, so batch profiles parse as before", () => {
        const w = settings({ data: { volumeGb: 1 }, inference: { mode: "streaming" } }).workload;
        expect(w.data).toEqual({ volumeGb: 1, freshnessSeconds: 86400 });
        expect(w.inference).toEqual({ mode: "streaming" });
    });

    it.each([
        [{ data: { volumeGb: 1, eventsPerSecond: 0 } }, "config.mlops:workload.data.eventsPerSecond"],
        [{ data: { volumeGb: 1, eventsPerSecond: -5 } }, "config.mlops:workload.data.eventsPerSecond"],
        [{ data: { volumeGb: 1, eventSizeKb: "big" } }, "config.mlops:workload.data.eventSizeKb"],
        [{ inference: { mode: "streaming", eventSizeKb: 0 } }, "config.mlops:workload.inference.eventSizeKb"],
        [{ inference: { mode: "streaming", eventsPerSec: 5 } }, "config.mlops:workload.inference"],
    ])("%j is refused at its key path", (workload, path) => {
        const found = problems(workload);
        expect(found).toHaveLength(1);
        expect(found[0]!.startsWith(`${path}`)).toBe(true);
    });
});

describe("streamingSpec", () => {
    const spec = (workload: Record<string, unknown>, levels?: Record<string, number>) =>
        streamingSpec(
            parseStackConfig(
                configFor("gcp", workload, levels ? { "mlops:levels": levels } : {}),
                "Pulumi.dev.yaml",
                "dev",
            ),
        );

    it("is undefined when no pipeline is at level 3", () => {
        expect(spec({ data: { volumeGb: 1 }, inference: { mode: "batch", volumeGb: 1 } })).toBeUndefined();
        expect(spec({ inference: { mode: "online", peakQps: 10 } })).toBeUndefined();
    });

    it("streams data alone when its freshness needs it, with the default rate", () => {
        expect(
            spec({ data: { volumeGb: 1, freshnessSeconds: 30 }, inference: { mode: "batch", volumeGb: 1 } }),
        ).toEqual({
            region: "us-central1",
            data: { level: 3, eventsPerSecond: 100, eventSizeKb: 1 },
        });
    });

    it("carries both pipelines in one spec (one shared namespace) with their own rates", () => {
        expect(
            spec({
                data: { volumeGb: 1, freshnessSeconds: 30, eventsPerSecond: 50 },
                inference: { mode: "streaming", eventSizeKb: 4 },
            }),
        ).toEqual({
            region: "us-central1",
            data: { level: 3, eventsPerSecond: 50, eventSizeKb: 1 },
            inference: { level: 3, eventsPerSecond: 100, eventSizeKb: 4 },
        });
    });

    it("follows pins: a pinned level 3 streams, a pin below it does not", () => {
        expect(spec({ data: { volumeGb: 1 } }, { data: 3 })?.data).toBeDefined();
        expect(spec({ data: { volumeGb: 1, freshnessSeconds: 30 } }, { data: 1 })).toBeUndefined();
    });

    it("carries the team's own code (mlops:options.streamingCode) for the pipelines that stream only", () => {
        const withCode = (workload: Record<string, unknown>) =>
            streamingSpec(
                parseStackConfig(
                    configFor("gcp", workload, {
                        "mlops:options": { streamingCode: { data: "team/d.zip", inference: "team/i.js" } },
                    }),
                    "Pulumi.dev.yaml",
                    "dev",
                ),
            );
        expect(
            withCode({ data: { volumeGb: 1, freshnessSeconds: 30 }, inference: { mode: "streaming" } })?.code,
        ).toEqual({ data: "team/d.zip", inference: "team/i.js" });
        // Inference in batch: its code is not the streaming component's.
        expect(
            withCode({ data: { volumeGb: 1, freshnessSeconds: 30 }, inference: { mode: "batch", volumeGb: 1 } })?.code,
        ).toEqual({ data: "team/d.zip" });
        expect(spec({ inference: { mode: "streaming" } })).not.toHaveProperty("code");
    });

    it("resolves local code (Azure's) against the stack file's directory, not the working directory", () => {
        const settings = parseStackConfig(
            configFor(
                "azure",
                { inference: { mode: "streaming" } },
                {
                    "mlops:options": { streamingCode: { inference: "team/score.js" } },
                },
            ),
            "/srv/team/stacks/Pulumi.dev.yaml",
            "dev",
        );
        expect(streamingSpec(settings)).toMatchObject({
            code: { inference: "team/score.js" },
            codeDir: "/srv/team/stacks",
        });
        // No code, no directory.
        expect(streamingSpec({ ...settings, options: {} })).not.toHaveProperty("codeDir");
    });
});

describe("mlops:options.streamingCode in the stack config", () => {
    const problems = (streamingCode: unknown) =>
        configProblems(configFor("aws", { inference: { mode: "streaming" } }, { "mlops:options": { streamingCode } }));

    it("takes a string per pipeline; what it must be, each cloud's check says", () => {
        expect(problems({ data: "team/streaming/app-1.2_x.zip", inference: ".team/score.js" })).toEqual([]);
    });

    it.each([
        [{ inference: "" }, "inference", /must not be empty/],
        [{ data: 7 }, "data", /must be a string/],
    ])("refuses %j at its key path", (code, pipeline, message) => {
        const found = problems(code);
        expect(found).toHaveLength(1);
        expect(found[0]!.startsWith(`config.mlops:options.streamingCode.${pipeline}: `)).toBe(true);
        expect(found[0]).toMatch(message);
    });

    it.each([
        ["../outside.zip", /has a '\.\.' segment/],
        ["/abs/app.zip", /starts with '\/'/],
        ["s3://bucket/app.zip", /is not a key in the artifacts store/],
        ["team//app.zip", /empty or '\.' segment/],
        ["team/my app.zip", /is not a key in the artifacts store/],
        [`${"a".repeat(1021)}.zip`, /1025 characters; keys in S3 and Cloud Storage take at most 1024/],
    ])("AWS refuses the key %s at its key path", (key, message) => {
        const found = checkAwsStreamingArgs({ data: flow(100), code: { data: key } });
        expect(found).toEqual([
            { path: "config.mlops:options.streamingCode.data", message: expect.stringMatching(message) },
        ]);
    });

    it("refuses another key beside data and inference", () => {
        expect(problems({ training: "team/t.zip" })).toEqual([
            expect.stringMatching(/^config\.mlops:options\.streamingCode\.training: unknown key/),
        ]);
    });
});

describe("Kinesis capacity", () => {
    it.each([
        // events/s, KB, mode, shards
        [1, 1, "PROVISIONED", 1],
        [100, 1, "PROVISIONED", 1],
        [1000, 1, "PROVISIONED", 1],
        [1001, 1, "PROVISIONED", 2],
        [2000, 0.1, "PROVISIONED", 2],
        [100, 20, "PROVISIONED", 2],
        [10_000, 1, "PROVISIONED", 10],
        [300_000, 1, "ON_DEMAND", undefined],
    ])("%d events/s of %d KB → %s %s", (eps, kb, mode, shards) => {
        const c = kinesisCapacity({ eventsPerSecond: eps, eventSizeKb: kb });
        expect(c.mode).toBe(mode);
        expect(c.shards).toBe(shards);
        expect(c.reason).toMatch(/events\/s of .* KB = .* MB\/s needs \d+ shards?/);
    });

    it("compares the idle cost: one or two shards cost less than an on-demand stream-hour", () => {
        const one = kinesisCapacity(flow(0.01));
        expect(one.monthlyUsd.provisioned).toBeCloseTo(0.015 * 730, 1);
        expect(one.monthlyUsd.onDemand).toBeCloseTo(0.04 * 730, 1);
        expect(one.reason).toContain("→ provisioned");
    });

    it("goes on demand above the default shard quota", () => {
        const c = kinesisCapacity(flow(KINESIS_MAX_PROVISIONED_SHARDS * 1000 + 1));
        expect(c.mode).toBe("ON_DEMAND");
        expect(c.reason).toContain("default shard quota");
    });

    it("never gives fewer shards for a higher rate (property)", () => {
        fc.assert(
            fc.property(rates, fc.double({ min: 1, max: 10, noNaN: true }), (r, k) => {
                const a = kinesisCapacity(r);
                const b = kinesisCapacity({ ...r, eventsPerSecond: r.eventsPerSecond * k });
                if (a.mode === "PROVISIONED" && b.mode === "PROVISIONED") return (b.shards ?? 0) >= (a.shards ?? 0);
                return true;
            }),
        );
    });

    it("provisions enough shards for the bytes and the records (property)", () => {
        fc.assert(
            fc.property(rates, (r) => {
                const c = kinesisCapacity(r);
                if (c.mode === "ON_DEMAND") return true;
                return c.shards! * 1 >= megabytesPerSecond(r) - 1e-6 && c.shards! * 1000 >= r.eventsPerSecond - 1e-6;
            }),
        );
    });
});

describe("Flink parallelism", () => {
    it.each([
        [1, 1, 1],
        [1000, 1, 1],
        [1500, 1, 2],
        [100, 50, 5],
        [1e6, 1, FLINK_MAX_PARALLELISM],
    ])("%d events/s of %d KB → %d", (eps, kb, parallelism) => {
        expect(flinkParallelism({ eventsPerSecond: eps, eventSizeKb: kb }).parallelism).toBe(parallelism);
    });

    it("stays within 1 and the KPU quota (property)", () => {
        fc.assert(
            fc.property(rates, (r) => {
                const p = flinkParallelism(r).parallelism;
                return Number.isInteger(p) && p >= 1 && p <= FLINK_MAX_PARALLELISM;
            }),
        );
    });
});

describe("Event Hubs and Stream Analytics sizing", () => {
    it.each([
        [[flow(100)], 1],
        [[flow(1000)], 1],
        [[flow(1001)], 2],
        [[flow(600), flow(600)], 2],
        [[flow(10, 1024)], 10],
    ])("throughput units of %j → %d", (flows, units) => {
        expect(eventHubsThroughputUnits(flows).units).toBe(units);
    });

    it.each([
        [100, 1, EVENT_HUBS_MIN_PARTITIONS],
        [3000, 1, 6],
        [5000, 2, 20],
        [1e6, 1, EVENT_HUBS_MAX_PARTITIONS],
    ])("partitions of %d events/s of %d KB → %d", (eps, kb, partitions) => {
        expect(eventHubPartitions({ eventsPerSecond: eps, eventSizeKb: kb })).toBe(partitions);
    });

    it.each([
        [100, 1, 4, 1, true],
        [2000, 1, 4, 3, true],
        [4000, 1, 8, 6, true],
        [20_000, 1, 32, 24, true],
        [300_000, 1, 32, 192, false],
    ])("streaming units of %d events/s of %d KB over %d partitions → %d", (eps, kb, partitions, units, enough) => {
        const su = streamAnalyticsUnits({ eventsPerSecond: eps, eventSizeKb: kb }, partitions);
        expect(su.units).toBe(units);
        expect(su.enough).toBe(enough);
        expect((STREAM_ANALYTICS_SU_STEPS as readonly number[]).includes(su.units)).toBe(true);
    });

    it("partitions stay within 4 and 32 and never shrink for a higher rate (property)", () => {
        fc.assert(
            fc.property(rates, fc.double({ min: 1, max: 10, noNaN: true }), (r, k) => {
                const a = eventHubPartitions(r);
                const b = eventHubPartitions({ ...r, eventsPerSecond: r.eventsPerSecond * k });
                return a >= EVENT_HUBS_MIN_PARTITIONS && a <= EVENT_HUBS_MAX_PARTITIONS && b >= a;
            }),
        );
    });
});

describe("Dataflow workers", () => {
    it.each([
        [100, 1, 1],
        [2048, 1, 1],
        [4096, 1, 2],
        [10_000, 10, 49],
        [1e8, 1, DATAFLOW_MAX_WORKERS],
    ])("%d events/s of %d KB → up to %d workers", (eps, kb, workers) => {
        expect(dataflowMaxWorkers({ eventsPerSecond: eps, eventSizeKb: kb }).maxWorkers).toBe(workers);
    });

    it("says that one worker always runs", () => {
        expect(dataflowMaxWorkers(flow(1)).reason).toContain("at least 1 always runs");
    });

    it("stays within 1 and 1000 (property)", () => {
        fc.assert(
            fc.property(rates, (r) => {
                const w = dataflowMaxWorkers(r).maxWorkers;
                return Number.isInteger(w) && w >= 1 && w <= DATAFLOW_MAX_WORKERS;
            }),
        );
    });
});

describe("argument checks", () => {
    const lines = (ps: { path: string; message: string }[]) => ps.map((p) => `${p.path}: ${p.message}`);

    it("needs a pipeline at level 3 and usable rates", () => {
        expect(lines(checkStreamingArgs({}))).toEqual([
            "config.mlops:workload: streaming needs data or inference at level 3",
        ]);
        expect(lines(checkStreamingArgs({ data: { level: 2, eventsPerSecond: 0, eventSizeKb: Number.NaN } }))).toEqual([
            "config.mlops:workload.data: streaming implements level 3, not 2",
            "config.mlops:workload.data.eventsPerSecond: must be more than 0",
            "config.mlops:workload.data.eventSizeKb: must be more than 0",
        ]);
        expect(checkStreamingArgs({ data: flow(10), inference: flow(10) })).toEqual([]);
    });

    it.each([
        ["aws", checkAwsStreamingArgs, 1025, /1 MiB, the largest Kinesis record/],
        ["azure", checkAzureStreamingArgs, 1025, /1 MB, the largest event on Event Hubs Standard/],
        ["gcp", checkGcpStreamingArgs, 10 * 1024 + 1, /10 MB, the largest Pub\/Sub message/],
    ])("%s refuses events above its largest record", (_, check, kb, message) => {
        const p = check({ inference: flow(1, kb) });
        expect(p).toHaveLength(1);
        expect(p[0]!.path).toBe("config.mlops:workload.inference.eventSizeKb");
        expect(p[0]!.message).toMatch(message);
        expect(check({ inference: flow(1, kb - 1) })).toEqual([]);
    });

    it("AWS refuses more than an on-demand stream takes", () => {
        const p = checkAwsStreamingArgs({ data: flow(250_000, 1) });
        expect(lines(p)).toEqual([
            "config.mlops:workload.data.eventsPerSecond: 244 MB/s is above the 200 MB/s an on-demand Kinesis stream takes by default",
        ]);
    });

    it("Azure refuses more than a Standard namespace takes, counting both pipelines and the scores", () => {
        const p = lines(checkAzureStreamingArgs({ data: flow(30_000, 1), inference: flow(30_000, 1) }));
        expect(p).toHaveLength(1);
        expect(p[0]).toMatch(/above the 40 a Standard namespace takes/);
        expect(checkAzureStreamingArgs({ data: flow(20_000, 1), inference: flow(19_000, 1) })).toHaveLength(1);
        expect(checkAzureStreamingArgs({ data: flow(15_000, 1), inference: flow(10_000, 1) })).toEqual([]);
    });

    it("GCP takes high rates (Pub/Sub and Dataflow scale)", () => {
        expect(checkGcpStreamingArgs({ data: flow(1e6, 1) })).toEqual([]);
    });
});

describe("streamingSizing: the reasons the plan shows", () => {
    const { streamingSizing } = require("../../components/streaming") as typeof import("../../components/streaming");
    const flow = { level: 3, eventsPerSecond: 800, eventSizeKb: 1 };
    test("one line per decision and pipeline, naming input, threshold and result", () => {
        const aws = streamingSizing("aws", { data: flow, inference: flow });
        expect(aws).toHaveLength(4);
        expect(aws[0]).toMatch(/^data stream: 800 events\/s of 1 KB = 0\.781 MB\/s needs 1 shard .* → provisioned$/);
        expect(aws[1]).toMatch(/^data Flink: 0\.781 MB\/s at 1 MB\/s .* → parallelism 1$/);
        const azure = streamingSizing("azure", { data: flow });
        expect(azure[0]).toMatch(/^Event Hubs: 800 events\/s, 0\.781 MB\/s .* → 1 TU$/);
        expect(azure[1]).toMatch(/^data Stream Analytics: .* → 1 SU/);
        expect(streamingSizing("gcp", { inference: flow })).toEqual([
            expect.stringMatching(/^inference Dataflow: .* → up to \d+ workers?/),
        ]);
    });
});

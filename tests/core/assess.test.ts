import fc from "fast-check";
import { assess, comparePins, planLevels } from "../../assessment/assess";
import { DEFAULTS, ProfileSchema, type Workload } from "../../assessment/schema";

const data = (volumeGb: number, freshnessSeconds: number = DEFAULTS.freshnessSeconds) => ({
    volumeGb,
    freshnessSeconds,
});
const training = (
    datasetGb: number,
    singleMachineHours = 1,
    slaHours = 24,
    dataKind: "structured" | "unstructured" = "structured",
) => ({
    datasetGb,
    dataKind,
    singleMachineHours,
    slaHours,
});

describe("data rules (LEVELS.md)", () => {
    test.each([
        [0, 86400, 1],
        [128, 86400, 1], // inclusive boundary: exactly 128 GB on a 128 GB machine
        [128.001, 86400, 2],
        [5000, 86400, 2],
        [10, 61, 1],
        [10, 60, 3], // freshness boundary is inclusive
        [5000, 60, 3], // freshness wins over volume: rule order
        [10, 1, 3],
    ])("volumeGb %p, freshnessSeconds %p -> level %p", (v, f, level) => {
        expect(assess({ data: data(v, f) }).levels.data).toBe(level);
    });

    test("reasons name the input, the threshold and the comparison", () => {
        expect(assess({ data: data(128) }).reasons.data).toMatch(/volumeGb 128 <= singleMachineMemoryGb 128/);
        expect(assess({ data: data(129) }).reasons.data).toMatch(/volumeGb 129 > singleMachineMemoryGb 128/);
        expect(assess({ data: data(1, 60) }).reasons.data).toMatch(
            /freshnessSeconds 60 <= streamingFreshnessSeconds 60/,
        );
    });

    test("capacity overrides move the thresholds", () => {
        expect(assess({ data: data(200) }, { singleMachineMemoryGb: 256 }).levels.data).toBe(1);
        expect(assess({ data: data(10, 120) }, { streamingFreshnessSeconds: 300 }).levels.data).toBe(3);
    });
});

describe("training rules", () => {
    test.each([
        [128, 24, 24, 1],
        [128.5, 1, 24, 2],
        [10, 24.01, 24, 2],
        [500, 100, 24, 2],
        [0, 0, 1, 1],
    ])("datasetGb %p, hours %p, sla %p -> level %p", (d, h, sla, level) => {
        expect(assess({ training: training(d, h, sla) }).levels.training).toBe(level);
    });

    test("a level-2 reason names every failed condition", () => {
        const r = assess({ training: training(500, 100, 24) }).reasons.training!;
        expect(r).toMatch(/datasetGb 500 > singleMachineMemoryGb 128/);
        expect(r).toMatch(/singleMachineHours 100 > slaHours 24/);
    });

    test("GPU when unstructured, or forced either way by training.gpu", () => {
        expect(assess({ training: training(1, 1, 2, "unstructured") }).gpu).toBe(true);
        expect(assess({ training: training(1, 1, 2, "structured") }).gpu).toBe(false);
        expect(assess({ training: { ...training(1), gpu: true } }).gpu).toBe(true);
        expect(assess({ training: { ...training(1, 1, 2, "unstructured"), gpu: false } }).gpu).toBe(false);
        expect(assess({ data: data(1) }).gpu).toBe(false);
    });
});

describe("inference rules", () => {
    test.each([
        [{ mode: "batch", volumeGb: 128 }, 1],
        [{ mode: "batch", volumeGb: 129 }, 2],
        [{ mode: "streaming" }, 3],
        [{ mode: "online", peakQps: 500 }, 4],
        [{ mode: "online", peakQps: 500.5 }, 5],
        [{ mode: "online", peakQps: 0 }, 4],
    ] as const)("%p -> level %p", (inference, level) => {
        expect(assess({ inference: { ...inference } }).levels.inference).toBe(level);
    });

    test("singleEndpointQps override", () => {
        expect(
            assess({ inference: { mode: "online", peakQps: 800 } }, { singleEndpointQps: 1000 }).levels.inference,
        ).toBe(4);
    });
});

describe("pins", () => {
    test("a pin above is over-provisioning, below is under-provisioning; both reported", () => {
        const f = comparePins({ data: 1, inference: 5 }, { data: 2, inference: 4 });
        expect(f).toEqual([
            expect.objectContaining({ pipeline: "data", pinned: 2, assessed: 1, kind: "over-provisioning" }),
            expect.objectContaining({ pipeline: "inference", pinned: 4, assessed: 5, kind: "under-provisioning" }),
        ]);
    });

    test("a pin equal to the assessment is no finding, and the effective level follows pins", () => {
        const p = planLevels({ data: data(1), inference: { mode: "online", peakQps: 10 } }, undefined, {
            data: 1,
            inference: 5,
        });
        expect(p.pins.map((x) => x.pipeline)).toEqual(["inference"]);
        expect(p.effective).toEqual({ data: 1, inference: 5 });
        expect(p.levels).toEqual({ data: 1, inference: 4 });
    });
});

// Property tests: arbitrary valid profiles.
const size = fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true });
const pos = fc.double({ min: 0.001, max: 1e6, noNaN: true, noDefaultInfinity: true });
const workloadArb: fc.Arbitrary<Workload> = fc.record(
    {
        data: fc.record({ volumeGb: size, freshnessSeconds: pos }),
        training: fc.record({
            datasetGb: size,
            dataKind: fc.constantFrom("structured" as const, "unstructured" as const),
            singleMachineHours: size,
            slaHours: pos,
        }),
        inference: fc.oneof(
            fc.record({ mode: fc.constant("batch" as const), volumeGb: size }),
            fc.record({ mode: fc.constant("streaming" as const) }),
            fc.record({ mode: fc.constant("online" as const), peakQps: size }),
        ),
    },
    { requiredKeys: [] },
);
const capacityArb = fc.record({ singleMachineMemoryGb: pos, streamingFreshnessSeconds: pos, singleEndpointQps: pos });

describe("properties", () => {
    test("every valid profile gets exactly one level, in range, with a reason, for each pipeline it names", () => {
        fc.assert(
            fc.property(workloadArb, capacityArb, (w, c) => {
                expect(ProfileSchema.safeParse({ ...w, capacity: c }).success).toBe(true);
                const a = assess(w, c);
                for (const p of ["data", "training", "inference"] as const) {
                    if (w[p] === undefined) {
                        expect(a.levels[p]).toBeUndefined();
                        continue;
                    }
                    const max = { data: 3, training: 2, inference: 5 }[p];
                    expect(a.levels[p]).toBeGreaterThanOrEqual(1);
                    expect(a.levels[p]).toBeLessThanOrEqual(max);
                    expect(a.reasons[p]).toMatch(/level \d/);
                }
            }),
        );
    });

    test("levels are monotonic in data volume", () => {
        fc.assert(
            fc.property(size, size, pos, capacityArb, (v1, v2, f, c) => {
                const [lo, hi] = v1 <= v2 ? [v1, v2] : [v2, v1];
                expect(assess({ data: data(lo, f) }, c).levels.data!).toBeLessThanOrEqual(
                    assess({ data: data(hi, f) }, c).levels.data!,
                );
                const b = (v: number) => assess({ inference: { mode: "batch", volumeGb: v } }, c).levels.inference!;
                expect(b(lo)).toBeLessThanOrEqual(b(hi));
            }),
        );
    });

    test("levels are monotonic in dataset size and in training hours", () => {
        fc.assert(
            fc.property(size, size, size, pos, capacityArb, (d1, d2, h, sla, c) => {
                const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
                const t = (d: number, hours: number) =>
                    assess({ training: training(d, hours, sla) }, c).levels.training!;
                expect(t(lo, h)).toBeLessThanOrEqual(t(hi, h));
                expect(t(h, lo)).toBeLessThanOrEqual(t(h, hi));
            }),
        );
    });

    test("levels are monotonic in peak QPS", () => {
        fc.assert(
            fc.property(size, size, capacityArb, (q1, q2, c) => {
                const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
                const l = (q: number) => assess({ inference: { mode: "online", peakQps: q } }, c).levels.inference!;
                expect(l(lo)).toBeLessThanOrEqual(l(hi));
            }),
        );
    });

    test("fresher data never lowers the data level", () => {
        fc.assert(
            fc.property(size, pos, pos, capacityArb, (v, f1, f2, c) => {
                const [fresher, staler] = f1 <= f2 ? [f1, f2] : [f2, f1];
                expect(assess({ data: data(v, fresher) }, c).levels.data!).toBeGreaterThanOrEqual(
                    assess({ data: data(v, staler) }, c).levels.data!,
                );
            }),
        );
    });
});

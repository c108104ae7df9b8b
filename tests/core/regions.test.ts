import { readdirSync } from "node:fs";
import * as path from "node:path";
import { loadStackFile, stackNameProblem } from "../../assessment/config";
import { checkRegion, REGIONS, regionsOffering, servicesNeeded } from "../../assessment/regions";
import { cronGaps, scheduleWarnings } from "../../assessment/schedule";
import { imageReferenceProblem } from "../../assessment/schema";
import { G5_REGIONS } from "../../components/kubernetes/aws";
import { NCAST4_REGIONS } from "../../components/kubernetes/azure";
import { A100_PROFILE, SERVERLESS_GPU_REGIONS, T4_PROFILE } from "../../components/machines/azure";
import { G2_REGIONS } from "../../components/machines/gcp";
import { CLOUDS } from "../../components/shared/clouds";

const root = path.resolve(__dirname, "../..");

describe("the region catalogue (assessment/regions.json)", () => {
    test.each(CLOUDS)("%s: every list has a source and a date, and names only the cloud's regions", (cloud) => {
        const c = REGIONS[cloud];
        expect(c.regions.names.length).toBeGreaterThan(20);
        expect(c.regions.source).toMatch(/^https:\/\//);
        for (const [key, s] of Object.entries(c.services)) {
            expect([key, s.source]).toEqual([key, expect.stringMatching(/https:\/\/|components\//)]);
            expect(s.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(["confirmed", "unverified"]).toContain(s.confidence);
            if (s.regions !== "all")
                for (const r of s.regions) expect([key, c.regions.names]).toEqual([key, expect.arrayContaining([r])]);
        }
    });

    test("the GPU lists are the machine catalogue's own, so the two cannot drift", () => {
        expect([...regionsOffering("aws", "gpu-g5")].sort()).toEqual([...G5_REGIONS].sort());
        expect([...regionsOffering("gcp", "gpu-g2")].sort()).toEqual([...G2_REGIONS].sort());
        expect([...regionsOffering("azure", "container-apps-gpu-t4")].sort()).toEqual(
            [...SERVERLESS_GPU_REGIONS[T4_PROFILE]!].sort(),
        );
        expect([...regionsOffering("azure", "container-apps-gpu-a100")].sort()).toEqual(
            [...SERVERLESS_GPU_REGIONS[A100_PROFILE]!].sort(),
        );
        expect([...regionsOffering("azure", "gpu-ncast4")].sort()).toEqual([...NCAST4_REGIONS].sort());
    });

    const stackFiles = [
        ...readdirSync(path.join(root, "stacks"))
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => path.join(root, "stacks", f)),
        ...CLOUDS.flatMap((c) =>
            readdirSync(path.join(root, "examples/stacks", c))
                .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
                .map((f) => path.join(root, "examples/stacks", c, f)),
        ),
    ];
    test.each(stackFiles.map((f) => path.relative(root, f)))(
        "%s: its region offers every service its levels need",
        (f) => {
            const s = loadStackFile(path.join(root, f));
            const needs = servicesNeeded(s.cloud, s.levels.effective, s.workload, s.options, s.levels.gpu);
            expect(checkRegion(s.cloud, s.region, needs).problems).toEqual([]);
        },
    );

    test("the services each level needs follow what the components build", () => {
        const names = (...a: Parameters<typeof servicesNeeded>) =>
            [...new Set(servicesNeeded(...a).map((n) => n.service))].sort();
        expect(names("aws", { inference: 4 }, { inference: { mode: "online", peakQps: 40 } }, {}, false)).toEqual([
            "ecr",
            "sagemaker-serverless",
        ]);
        expect(names("aws", { data: 2 }, { data: { volumeGb: 900, freshnessSeconds: 86400 } }, {}, false)).toEqual([
            "emr-serverless",
            "eventbridge-scheduler",
            "step-functions",
        ]);
        // Azure level 1: Container Apps up to 8 GiB, an Azure Batch pool above.
        expect(names("azure", { data: 1 }, { data: { volumeGb: 5, freshnessSeconds: 86400 } }, {}, false)).toEqual([
            "container-apps",
        ]);
        expect(names("azure", { data: 1 }, { data: { volumeGb: 50, freshnessSeconds: 86400 } }, {}, false)).toEqual([
            "batch",
            "container-apps",
        ]);
        // The vm runner needs no job service at all.
        expect(
            names("gcp", { data: 1 }, { data: { volumeGb: 5, freshnessSeconds: 86400 } }, { batchRunner: "vm" }, false),
        ).toEqual([]);
        const training = { datasetGb: 500, dataKind: "unstructured" as const, singleMachineHours: 30, slaHours: 12 };
        expect(names("gcp", { training: 2 }, { training }, {}, true)).toEqual(["gke", "gpu-g2"]);
        expect(
            names(
                "azure",
                { data: 3, inference: 3 },
                { data: { volumeGb: 1, freshnessSeconds: 10 }, inference: { mode: "streaming" } },
                {},
                false,
            ),
        ).toEqual(["event-hubs", "stream-analytics"]);
    });

    test("Azure takes display names; an unverified gap is a warning, not a refusal", () => {
        expect(checkRegion("azure", "East US", []).problems).toEqual([]);
        // Synapse's list is unverified: a region it does not name plans, with a warning.
        const r = checkRegion("azure", "polandcentral", [{ service: "synapse", pipeline: "data", level: 2 }]);
        expect(r.problems).toEqual([]);
        expect(r.warnings).toEqual([
            expect.objectContaining({
                path: "config.mlops:region",
                message: expect.stringMatching(
                    /not confirmed that 'polandcentral' offers Azure Synapse Analytics .*\(data level 2\)/,
                ),
            }),
        ]);
    });
});

describe("stack names", () => {
    test.each(["dev", "prod", "team-a_1.2", "x".repeat(100)])("%p is accepted", (name) =>
        expect(stackNameProblem(name)).toBeUndefined(),
    );
    test.each(["", "My Stack", "a/b", "x".repeat(101), "ü"])("%p is refused as Pulumi refuses it", (name) =>
        expect(stackNameProblem(name)).toMatch(/not a stack name Pulumi accepts/),
    );
    test("capitals are refused: the environment is lowercase everywhere", () => {
        expect(stackNameProblem("Prod")).toMatch(/use 'prod'/);
    });
});

describe("image references (distribution/reference grammar)", () => {
    test.each([
        "python:3.12-slim",
        "pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.4",
        "europe-west1-docker.pkg.dev/my-proj/images/model@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "localhost:5000/a/b__c/d-e:latest",
        "[::1]:5000/model",
        "team.azurecr.io/model:v1_2.3",
    ])("%p is accepted", (ref) => expect(imageReferenceProblem(ref)).toBeUndefined());
    test.each([
        "my registry/model:latest!!",
        "Team/Model:1",
        "model:",
        "model:-bad",
        "model@sha256:abc",
        "a//b",
        `model:${"t".repeat(129)}`,
        `${"a".repeat(256)}`,
    ])("%p is refused", (ref) => expect(imageReferenceProblem(ref)).toBeDefined());
});

describe("schedules", () => {
    test("gaps between runs", () => {
        expect(cronGaps("* * * * *")).toEqual({ runsPerYear: 365 * 1440, minGapHours: 1 / 60, maxGapHours: 1 / 60 });
        expect(cronGaps("0 2 * * *")).toEqual({ runsPerYear: 365, minGapHours: 24, maxGapHours: 24 });
        // Weekdays only: Friday to Monday is the longest gap.
        expect(cronGaps("0 9 * * 1-5")).toMatchObject({ minGapHours: 24, maxGapHours: 72 });
        expect(cronGaps("not cron")).toBeUndefined();
    });

    const level1 = (schedule: string | undefined, freshnessSeconds = 86400) => ({
        file: "Pulumi.dev.yaml",
        workload: { data: { volumeGb: 20, freshnessSeconds, ...(schedule ? { schedule } : {}) } },
        levels: { effective: { data: 1 } } as never,
    });

    test("runs that overlap and a schedule far denser than freshness needs are warned about", () => {
        const w = scheduleWarnings(level1("* * * * *"), { data: 0.9 });
        expect(w.map((x) => x.path)).toEqual([
            "config.mlops:workload.data.schedule",
            "config.mlops:workload.data.schedule",
        ]);
        expect(w[0]!.message).toMatch(
            /runs overlap: '\* \* \* \* \*' starts a run every 1 min at the closest, but one run takes about 54 min/,
        );
        expect(w[1]!.message).toMatch(
            /runs 1440 times a day, but data\.freshnessSeconds \(86400\) lets features be 24 h old: about 1 a day would do/,
        );
    });

    test("a sensible schedule has no warning; four runs a day for daily freshness is not 'far denser'", () => {
        expect(scheduleWarnings(level1(undefined), { data: 0.9 })).toEqual([]);
        expect(scheduleWarnings(level1("0 */6 * * *"), { data: 0.9 })).toEqual([]);
        expect(scheduleWarnings(level1("0 * * * *"), { data: 0.9 })).toHaveLength(1);
    });
});

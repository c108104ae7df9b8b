import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { loadProfile, loadStackFile, parseStackConfig, stackNameFromFile } from "../../assessment/config";
import { InputError } from "../../components/shared/errors";
import { tempDir } from "../helpers/tmp";

const dir = tempDir("config");
function file(name: string, text: string): string {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
}

/** The problems an input raises, as "path: message" lines. */
function problems(fn: () => unknown): string[] {
    try {
        fn();
    } catch (e) {
        if (e instanceof InputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
        throw e;
    }
    throw new Error("expected an InputError");
}

const good = {
    "mlops:cloud": "aws",
    "mlops:region": "us-east-1",
    "mlops:workload": { data: { volumeGb: 20 }, inference: { mode: "online", peakQps: 40 } },
};

describe("stack config", () => {
    test("a valid config resolves defaults, levels and protection", () => {
        const s = parseStackConfig(good, "Pulumi.prod.yaml", "prod");
        expect(s.cloud).toBe("aws");
        expect(s.workload.data?.freshnessSeconds).toBe(86400);
        expect(s.capacity).toEqual({
            singleMachineMemoryGb: 128,
            streamingFreshnessSeconds: 60,
            singleEndpointQps: 500,
        });
        expect(s.levels.effective).toEqual({ data: 1, inference: 4 });
        expect(s.protect).toBe(true);
        expect(parseStackConfig(good, "Pulumi.dev.yaml", "dev").protect).toBe(false);
    });

    test("objects arrive as JSON strings when Pulumi hands config to the program", () => {
        const asPulumi = Object.fromEntries(
            Object.entries(good).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );
        expect(parseStackConfig(asPulumi, "f", "dev").levels.effective).toEqual({ data: 1, inference: 4 });
    });

    test.each([
        [
            "unknown cloud",
            { ...good, "mlops:cloud": "oracle" },
            "config.mlops:cloud: cloud must be one of aws, azure, gcp",
        ],
        [
            "a typo in a workload key",
            { ...good, "mlops:workload": { data: { volumeGB: 20 } } },
            "config.mlops:workload.data.volumeGB: unknown key (did you mean 'volumeGb'?)",
        ],
        [
            "a typo in a config key",
            { ...good, "mlops:workloads": {} },
            "config.mlops:workloads: unknown key (did you mean 'workload'?)",
        ],
        [
            "an unknown namespace",
            { ...good, "mlop:cloud": "aws" },
            "config.mlop:cloud: unknown config key (did you mean 'mlops:cloud'?)",
        ],
        [
            "a negative size",
            { ...good, "mlops:workload": { data: { volumeGb: -1 } } },
            "config.mlops:workload.data.volumeGb: volumeGb must be 0 or more (got -1)",
        ],
        [
            "a non-numeric size",
            {
                ...good,
                "mlops:workload": {
                    training: { datasetGb: "big", dataKind: "structured", singleMachineHours: 1, slaHours: 2 },
                },
            },
            'config.mlops:workload.training.datasetGb: datasetGb must be a number (got "big")',
        ],
        [
            "a pin above the maximum",
            { ...good, "mlops:levels": { data: 4 } },
            "config.mlops:levels.data: a pinned level must be from 1 to 3 (got 4)",
        ],
        [
            "a pin below 1",
            { ...good, "mlops:levels": { inference: 0 } },
            "config.mlops:levels.inference: a pinned level must be from 1 to 5 (got 0)",
        ],
        [
            "a fractional pin",
            { ...good, "mlops:levels": { inference: 2.5 } },
            "config.mlops:levels.inference: a pinned level must be a whole number from 1 to 5 (got 2.5)",
        ],
        [
            "a pin for a missing pipeline",
            { ...good, "mlops:levels": { training: 1 } },
            "config.mlops:levels.training: pins a level for 'training' but mlops:workload has no training pipeline",
        ],
        [
            "online without peakQps",
            { ...good, "mlops:workload": { inference: { mode: "online" } } },
            "config.mlops:workload.inference.peakQps: mode 'online' needs peakQps (peak requests per second)",
        ],
        [
            "batch without volumeGb",
            { ...good, "mlops:workload": { inference: { mode: "batch" } } },
            "config.mlops:workload.inference.volumeGb: mode 'batch' needs volumeGb (GB one scoring run processes)",
        ],
        ["a missing cloud", { "mlops:region": "x", "mlops:workload": {} }, "config.mlops:cloud: is required"],
        [
            "a bad schedule",
            { ...good, "mlops:workload": { data: { volumeGb: 1, schedule: "daily" } } },
            "config.mlops:workload.data.schedule: schedule must be a five-field cron expression, e.g. '0 2 * * *'",
        ],
    ])("%s is one clear problem with its key path", (_, config, expected) => {
        expect(problems(() => parseStackConfig(config, "Pulumi.dev.yaml", "dev"))).toEqual([
            expect.stringContaining(expected),
        ]);
    });

    test("every problem is reported at once", () => {
        const p = problems(() =>
            parseStackConfig(
                {
                    "mlops:cloud": "x",
                    "mlops:region": "r",
                    "mlops:workload": { data: { volumeGb: -1 }, inference: { mode: "online" } },
                },
                "f",
                "dev",
            ),
        );
        expect(p).toHaveLength(3);
    });

    test("provider namespaces pass through", () => {
        expect(() => parseStackConfig({ ...good, "aws:profile": "team" }, "f", "dev")).not.toThrow();
    });
});

describe("stack and profile files", () => {
    test("the stack name comes from Pulumi.<name>.yaml, else dev", () => {
        expect(stackNameFromFile("/x/Pulumi.prod.yaml")).toBe("prod");
        expect(stackNameFromFile("/x/team.yaml")).toBe("dev");
    });

    test("errors name the file", () => {
        const f = file(
            "Pulumi.staging.yaml",
            "config:\n  mlops:cloud: azur\n  mlops:region: eastus\n  mlops:workload: {}\n",
        );
        expect(() => loadStackFile(f)).toThrow(
            `${f}: config.mlops:cloud: cloud must be one of aws, azure, gcp (got "azur")`,
        );
    });

    test("a missing file, malformed YAML and a file without config", () => {
        expect(problems(() => loadStackFile(path.join(dir, "Pulumi.none.yaml")))).toEqual([": file not found"]);
        expect(problems(() => loadStackFile(file("Pulumi.bad.yaml", "config:\n  mlops:cloud: [aws\n")))[0]).toMatch(
            /^line \d+, column \d+: malformed YAML/,
        );
        expect(problems(() => loadStackFile(file("Pulumi.empty.yaml", "confg: {}\n")))).toEqual([
            "confg: unknown top-level key (did you mean 'config'?)",
            "config: is required and must be a mapping of config keys",
        ]);
    });

    test("a profile may carry capacity beside the pipelines, and nothing else", () => {
        const ok = loadProfile(file("p.yaml", "data: { volumeGb: 200 }\ncapacity: { singleMachineMemoryGb: 256 }\n"));
        expect(ok.capacity?.singleMachineMemoryGb).toBe(256);
        expect(
            problems(() => loadProfile(file("q.json", JSON.stringify({ data: { volumeGb: 1 }, levels: { data: 2 } })))),
        ).toEqual([expect.stringMatching(/^levels: unknown key/)]);
    });
});

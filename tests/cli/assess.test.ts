import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { runCli } from "../helpers/cli";

const root = path.resolve(__dirname, "../..");
const profiles = path.join(root, "examples/profiles");

/** Runs the CLI in-process and captures what it prints. */
const run = runCli;

describe("assess", () => {
    test("--json prints the INTERFACE.md shape", async () => {
        const r = await run("assess", "--profile", path.join(profiles, "team-forecasting.yaml"), "--json");
        expect(r.code).toBe(0);
        const j = JSON.parse(r.out);
        expect(Object.keys(j).sort()).toEqual(["gpu", "levels", "reasons"]);
        expect(j.levels).toEqual({ data: 1, training: 1, inference: 1 });
        expect(j.gpu).toBe(false);
        for (const p of ["data", "training", "inference"]) expect(typeof j.reasons[p]).toBe("string");
    });

    test("a pipeline left out of the profile is absent from levels", async () => {
        const j = JSON.parse(
            (await run("assess", "--profile", path.join(profiles, "inference-5-kubernetes.yaml"), "--json")).out,
        );
        expect(j.levels).toEqual({ inference: 5 });
        expect(j.reasons.inference).toMatch(/peakQps 3000 > singleEndpointQps 500/);
    });

    // Each example profile is named <pipeline>-<level>-...: the assessment must agree with the name.
    test.each(readdirSync(profiles).filter((f) => /^(data|training|inference)-\d/.test(f)))(
        "%s assesses to the level in its name",
        async (f) => {
            const [, pipeline, level] = /^(\w+)-(\d)/.exec(f)!;
            const j = JSON.parse((await run("assess", "--profile", path.join(profiles, f), "--json")).out);
            expect(j.levels).toEqual({ [pipeline!]: Number(level) });
            expect(j.gpu).toBe(f.includes("gpu"));
        },
    );

    test("text output shows level and reason per pipeline", async () => {
        const r = await run("assess", "--profile", path.join(profiles, "data-2-spark.yaml"));
        expect(r.out).toMatch(/data\s+2\s+a managed Spark cluster/);
        expect(r.out).toMatch(/why: volumeGb 900 > singleMachineMemoryGb 128/);
    });

    test("bad input: exit 2, file and key path, no stack trace", async () => {
        const r = await run("assess", "--profile", path.join(root, "tests/fixtures/bad-profile.yaml"));
        expect(r.code).toBe(2);
        expect(r.err).toContain("tests/fixtures/bad-profile.yaml: data.volumeGb: volumeGb must be 0 or more (got -3)");
        expect(r.err).not.toMatch(/\n\s+at /);
    });

    test("missing file and missing option exit 2", async () => {
        expect((await run("assess", "--profile", "/nonexistent.yaml")).code).toBe(2);
        expect((await run("assess")).code).toBe(2);
        expect((await run("frobnicate")).code).toBe(2);
    });
});

describe("the installed binary", () => {
    test("exits 2 with one message and no stack trace", () => {
        const r = spawnSync(
            "node",
            [path.join(root, "cli/bin.js"), "assess", "--profile", path.join(root, "tests/fixtures/bad-profile.yaml")],
            { encoding: "utf8" },
        );
        expect(r.status).toBe(2);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toMatch(/^error: .*bad-profile\.yaml: data\.volumeGb:/);
    });

    test("assess --json works end to end", () => {
        const out = execFileSync(
            "node",
            [
                path.join(root, "cli/bin.js"),
                "assess",
                "--profile",
                path.join(profiles, "training-1-gpu.yaml"),
                "--json",
            ],
            { encoding: "utf8" },
        );
        expect(JSON.parse(out)).toMatchObject({ levels: { training: 1 }, gpu: true });
    });

    /** Runs the CLI in a fresh Node and lists the `@pulumi/*` packages it loaded. */
    const probe = `
        const { main } = require("./cli/main");
        main(process.argv, { log() {}, error() {} }).then((code) => {
            const packages = Object.keys(require.cache)
                .map((f) => /node_modules\\/(@pulumi\\/[^/]+)\\//.exec(f)?.[1])
                .filter((p) => p !== undefined);
            process.stdout.write(JSON.stringify({ code, packages: [...new Set(packages)].sort() }));
        });`;
    const probeRun = (...args: string[]): { code: number; packages: string[] } =>
        JSON.parse(
            execFileSync("node", ["--import", "tsx", "-e", probe, "mlops-levels", ...args], {
                cwd: root,
                encoding: "utf8",
            }),
        );

    test("assess and --help do not load the Pulumi SDK (it costs ~0.4 s a start)", () => {
        expect(probeRun("assess", "--profile", path.join(profiles, "data-1-batch.yaml"))).toEqual({
            code: 0,
            packages: [],
        });
        expect(probeRun("--help").packages).toEqual([]);
    });

    test("plan loads the target cloud's SDK, and Kubernetes only for a stack that has it", () => {
        const dev = probeRun("plan", "--stack", "dev");
        expect(dev.code).toBe(0);
        expect(dev.packages).toContain("@pulumi/aws");
        expect(dev.packages).not.toContain("@pulumi/kubernetes");
        expect(dev.packages).not.toContain("@pulumi/azure-native");
        expect(dev.packages).not.toContain("@pulumi/gcp");
        const k8s = probeRun("plan", "--config", path.join(root, "examples/stacks/gcp/Pulumi.kubernetes.yaml"));
        expect(k8s.packages).toEqual(expect.arrayContaining(["@pulumi/gcp", "@pulumi/kubernetes"]));
        expect(k8s.packages).not.toContain("@pulumi/aws");
    });
});

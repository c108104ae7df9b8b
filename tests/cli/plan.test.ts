import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { isStateful } from "../../cli/plan/compare";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

const root = path.resolve(__dirname, "../..");
const tmp = tempDir("plan");
function file(name: string, text: string): string {
    const f = path.join(tmp, name);
    writeFileSync(f, text);
    return f;
}

const run = runCli;

type JsonResource = { type: string; name: string; protect: boolean; inputs: Record<string, unknown> };
/**
 * How a stack's protection differs from "exactly its stateful resources". A stateful resource left
 * unprotected can be deleted by one `pulumi up`; anything else protected (a network piece, an
 * identity, a component) stops the `pulumi up` that moves a level down and must delete it.
 */
function protection(resources: readonly JsonResource[]): { unprotectedStateful: string[]; protectedOther: string[] } {
    const id = (r: JsonResource) => `${r.type} ${r.name}`;
    // GCP's Docker Hub mirror is a remote repository: a pull-through cache, not data.
    const stateful = (r: JsonResource) => isStateful(r.type, r.inputs);
    return {
        unprotectedStateful: resources.filter((r) => stateful(r) && !r.protect).map(id),
        protectedOther: resources.filter((r) => !stateful(r) && r.protect).map(id),
    };
}
const PROD_STACKS = [
    ["--stack", "prod"],
    ["--config", path.join(root, "examples/stacks/azure/Pulumi.prod.yaml")],
    ["--config", path.join(root, "examples/stacks/gcp/Pulumi.prod.yaml")],
] as const;

describe("plan --json (INTERFACE.md)", () => {
    test.each([["--stack", "dev"], ["--stack", "staging"], ...PROD_STACKS] as const)("%s %s", async (flag, value) => {
        const r = await run("plan", flag, value, "--json");
        expect(r.err).toBe("");
        const j = JSON.parse(r.out);
        // Exit 1 exactly when a create-time prerequisite is unmet (no policy violation below); that
        // every example stack meets them all is tests/catalog/catalogue.test.ts's to say.
        expect(r.code).toBe(j.prerequisites.some((c: { met: unknown }) => c.met === null) ? 1 : 0);
        for (const k of [
            "stack",
            "cloud",
            "region",
            "levels",
            "assessed",
            "resources",
            "policy",
            "cost",
            "prerequisites",
        ])
            expect(j).toHaveProperty(k);
        expect(j.levels).toEqual({ data: 1, training: 1, inference: 1 });
        expect(j.resources.length).toBeGreaterThan(15);
        for (const res of j.resources)
            expect(Object.keys(res).sort()).toEqual([
                "deleteBeforeReplace",
                "dependencies",
                "inputs",
                "name",
                "parent",
                "protect",
                "type",
                "urn",
            ]);
        const stack = j.resources.find((x: { type: string }) => x.type === "pulumi:pulumi:Stack");
        expect(stack.parent).toBeNull();
        for (const res of j.resources) expect(typeof res.deleteBeforeReplace).toBe("boolean");
        // Every other resource hangs off the tree that starts at the Stack.
        const urns = new Set(j.resources.map((x: { urn: string }) => x.urn));
        for (const res of j.resources) if (res !== stack) expect(urns.has(res.parent)).toBe(true);
        expect(j.policy).toEqual({ violations: [] });
        expect(j.cost.unpriced).toEqual([]);
        expect(j.cost.monthlyUsd).toBeGreaterThan(0);
        // prod protects exactly its stateful resources (at level 1 the foundation's storage, key and
        // naming suffix); dev and staging protect nothing.
        const resources = j.resources as JsonResource[];
        expect(resources.filter((r) => isStateful(r.type)).length).toBeGreaterThan(0);
        if (j.stack === "prod") expect(protection(resources)).toEqual({ unprotectedStateful: [], protectedOther: [] });
        else expect(resources.filter((x) => x.protect).map((x) => x.name)).toEqual([]);
    });

    test("the text plan shows the tree, levels with reasons, cost and policy", async () => {
        const r = await run("plan", "--stack", "dev");
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/^ \+ {3}pulumi:pulumi:Stack\s+mlops-levels-dev/m);
        expect(r.out).toMatch(/├─ mlops:foundation:Foundation\s+foundation/);
        expect(r.out).toMatch(/why: volumeGb 5 <= singleMachineMemoryGb 128/);
        expect(r.out).toMatch(/Monthly cost estimate/);
        expect(r.out).toMatch(/no violations/);
    });
});

describe("plan exit codes", () => {
    test("a mandatory policy violation exits 1 and is in the JSON", async () => {
        const cfg = file("budget.json", JSON.stringify({ "stack-monthly-budget": { maxMonthlyUsd: { dev: 0.01 } } }));
        const r = await run("plan", "--stack", "dev", "--json", "--policy-config", cfg);
        expect(r.code).toBe(1);
        const v = JSON.parse(r.out).policy.violations;
        expect(v).toEqual([expect.objectContaining({ policy: "stack-monthly-budget", enforcement: "mandatory" })]);
    });

    test("the same violation set to advisory does not block", async () => {
        const cfg = file(
            "advisory.json",
            JSON.stringify({ "stack-monthly-budget": { enforcementLevel: "advisory", maxMonthlyUsd: { dev: 0.01 } } }),
        );
        const r = await run("plan", "--stack", "dev", "--policy-config", cfg);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/! advisory\s+stack-monthly-budget \(1\)/);
    });

    test.each([
        [
            "unknown cloud",
            "config:\n  mlops:cloud: ibm\n  mlops:region: x\n  mlops:workload: {}\n",
            /config\.mlops:cloud: cloud must be one of aws, azure, gcp/,
        ],
        [
            "a typo",
            "config:\n  mlops:cloud: aws\n  mlops:region: us-east-1\n  mlops:workload: { data: { volumeGB: 3 } }\n",
            /config\.mlops:workload\.data\.volumeGB: unknown key \(did you mean 'volumeGb'\?\)/,
        ],
        [
            "a negative size",
            "config:\n  mlops:cloud: aws\n  mlops:region: us-east-1\n  mlops:workload: { data: { volumeGb: -3 } }\n",
            /volumeGb must be 0 or more/,
        ],
        [
            "a pin out of range",
            "config:\n  mlops:cloud: aws\n  mlops:region: us-east-1\n  mlops:workload: { data: { volumeGb: 3 } }\n  mlops:levels: { data: 7 }\n",
            /config\.mlops:levels\.data: a pinned level must be from 1 to 3/,
        ],
        [
            "online without peakQps",
            "config:\n  mlops:cloud: aws\n  mlops:region: us-east-1\n  mlops:workload: { inference: { mode: online } }\n",
            /inference\.peakQps: mode 'online' needs peakQps/,
        ],
        ["malformed YAML", "config:\n  mlops:cloud: [aws\n", /malformed YAML/],
        [
            "a GPU where the cloud has none",
            "config:\n  gcp:project: my-proj-123\n  mlops:cloud: gcp\n  mlops:region: southamerica-west1\n  mlops:workload: { training: { datasetGb: 3, dataKind: unstructured, singleMachineHours: 1, slaHours: 2 } }\n",
            /config\.mlops:region: 'southamerica-west1' does not offer G2 machines \(NVIDIA L4\) \(training level 1\)/,
        ],
    ])("%s: exit 2, one message naming file and key path, no resources", async (_, text, message) => {
        const f = file(`Pulumi.bad${Math.random().toString(36).slice(2, 6)}.yaml`, text);
        const r = await run("plan", "--config", f);
        expect(r.code).toBe(2);
        expect(r.out).toBe("");
        expect(r.err).toContain(f);
        expect(r.err).toMatch(message);
        expect(r.err).not.toMatch(/\n\s+at /);
        // Under --json the same problem is one object on stdout, and nothing on stderr.
        const j = await run("plan", "--config", f, "--json");
        expect(j.code).toBe(2);
        expect(j.err).toBe("");
        const { error } = JSON.parse(j.out);
        expect(error.exitCode).toBe(2);
        expect(error.problems.map((p: { file: string }) => p.file)).toContain(f);
        expect(
            error.problems.map((p: { path: string; message: string }) => `${p.path}: ${p.message}`).join("\n"),
        ).toMatch(message);
    });

    test("a missing config file and a missing stack exit 2", async () => {
        expect((await run("plan", "--config", path.join(tmp, "nope.yaml"))).code).toBe(2);
        expect(await run("plan", "--stack", "nope")).toMatchObject({
            code: 2,
            err: expect.stringMatching(/Pulumi\.nope\.yaml: file not found/),
        });
        expect(await run("plan")).toMatchObject({
            code: 2,
            err: expect.stringMatching(/give --stack NAME or --config FILE/),
        });
    });

    test("plans in one process stay independent after a failed one", async () => {
        const bad = file(
            "Pulumi.gpu.yaml",
            "config:\n  gcp:project: my-proj-123\n  mlops:cloud: gcp\n  mlops:region: southamerica-west1\n  mlops:workload: { training: { datasetGb: 3, dataKind: unstructured, singleMachineHours: 1, slaHours: 2 } }\n",
        );
        expect((await run("plan", "--config", bad, "--json")).code).toBe(2);
        const ok = await run("plan", "--stack", "dev", "--json");
        expect(ok.code).toBe(0);
        expect(JSON.parse(ok.out).resources.filter((r: { type: string }) => r.type.startsWith("gcp:"))).toEqual([]);
    });
});

describe("plan --compare", () => {
    test("a workload change within level 1 updates jobs in place and touches no stateful resource", async () => {
        const bigger = file("Pulumi.dev.yaml", readDev().replace("volumeGb: 5,", "volumeGb: 80,"));
        const r = await run("plan", "--stack", "dev", "--compare", bigger, "--json");
        expect(r.code).toBe(0);
        const c = JSON.parse(r.out).compare;
        expect(c.dangerous).toEqual([]);
        expect(
            c.changes.some((x: { kind: string; name: string }) => x.kind === "update" && x.name === "data-sfn"),
        ).toBe(true);
        expect(c.changes.filter((x: { kind: string }) => x.kind === "delete" || x.kind === "replace")).toEqual([]);
        expect(c.monthlyUsdDelta).toBeGreaterThan(0);
    });

    test("dropping a pipeline deletes its job, not the storage, and the text says so", async () => {
        const noInference = file("Pulumi.dev.yaml", readDev().replace(/\n\s+inference:.*\n/, "\n"));
        const r = await run("plan", "--stack", "dev", "--compare", noInference);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/delete \(\d+\)/);
        expect(r.out).toMatch(/- aws:sfn\/stateMachine:StateMachine\s+inference-sfn/);
        expect(r.out).toMatch(/No stateful resource .* is replaced or deleted/);
    });

    test("moving to another cloud warns loudly: the storage would be deleted", async () => {
        const r = await run(
            "plan",
            "--stack",
            "dev",
            "--compare",
            path.join(root, "examples/stacks/azure/Pulumi.dev.yaml"),
        );
        expect(r.err).toMatch(/WARNING: this change would DELETE aws:s3\/bucket:Bucket/);
    });
});

function readDev(): string {
    return require("node:fs").readFileSync(path.join(root, "stacks/Pulumi.dev.yaml"), "utf8");
}

// Each example stack is planned once, in tests/catalog/catalogue.test.ts: catalogued types, tags,
// nothing unpriced and no mandatory policy violation. Here only that the examples cover every level.
describe("the example stacks", () => {
    const { readdirSync } = require("node:fs") as typeof import("node:fs");
    const files = ["aws", "azure", "gcp"].flatMap((c) =>
        readdirSync(path.join(root, "examples/stacks", c))
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => path.join("examples/stacks", c, f)),
    );

    test("there is an example of every level on every cloud", () => {
        for (const c of ["aws", "azure", "gcp"])
            for (const kind of ["spark", "streaming", "endpoint", "kubernetes"])
                expect(files).toContain(`examples/stacks/${c}/Pulumi.${kind}.yaml`);
    });
});

describe("plan names and warns as pulumi up would", () => {
    test("the project name comes from Pulumi.yaml, as pulumi up takes it", async () => {
        const project = tempDir("project");
        writeFileSync(path.join(project, "Pulumi.yaml"), "name: team-ml\nruntime: nodejs\n");
        const f = path.join(project, "Pulumi.dev.yaml");
        writeFileSync(f, readDev());
        const cwd = process.cwd();
        process.chdir(project);
        try {
            const j = JSON.parse((await run("plan", "--config", f, "--json")).out);
            expect(j.project).toBe("team-ml");
            const stack = j.resources.find((x: { type: string }) => x.type === "pulumi:pulumi:Stack");
            expect(stack.urn).toBe("urn:pulumi:dev::team-ml::pulumi:pulumi:Stack::team-ml-dev");
        } finally {
            process.chdir(cwd);
        }
    });

    test("a schedule much denser than the work needs plans, with warnings in the text and the JSON", async () => {
        const f = file(
            "Pulumi.dense.yaml",
            "config:\n  mlops:cloud: aws\n  mlops:region: us-east-1\n  mlops:workload: { data: { volumeGb: 20, schedule: '* * * * *' } }\n",
        );
        const j = await run("plan", "--config", f, "--json");
        expect(j.code).toBe(0);
        expect(JSON.parse(j.out).warnings).toEqual([
            { file: f, path: "config.mlops:workload.data.schedule", message: expect.stringMatching(/^runs overlap/) },
            {
                file: f,
                path: "config.mlops:workload.data.schedule",
                message: expect.stringMatching(/1440 times a day/),
            },
        ]);
        const t = await run("plan", "--config", f);
        expect(t.out).toMatch(
            /Warnings \(the plan stands; worth a look\)\n {2}! .*Pulumi\.dense\.yaml: config\.mlops:workload\.data\.schedule: runs overlap/,
        );
        // The shipped stacks have none.
        expect(JSON.parse((await run("plan", "--stack", "dev", "--json")).out).warnings).toEqual([]);
    });
});

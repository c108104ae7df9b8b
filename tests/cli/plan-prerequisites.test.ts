import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { prerequisitesOf } from "../../catalog";
import type { StackPlan } from "../../cli/plan/plan-stack";
import * as planStack from "../../cli/plan/plan-stack";
import * as diagram from "../../cli/report/diagram";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

/**
 * `plan` and create-time prerequisites (INTERFACE.md): every one is in `--json` with how it is
 * met, resources carry their dependencies, and an unmet one exits 1 and is listed like a
 * mandatory violation in the text output and the HTML report.
 */

const run = runCli;

interface JsonResource {
    urn: string;
    type: string;
    name: string;
    dependencies: string[];
}
interface JsonPrerequisite {
    urn: string;
    input: string;
    kind: string;
    ref: string;
    met: string | null;
    by?: string;
    why: string;
}

/** Replaces `from` by `to` in every string inside `v`. */
function replaced(v: unknown, from: string, to: string): unknown {
    if (typeof v === "string") return v.split(from).join(to);
    if (Array.isArray(v)) return v.map((x) => replaced(x, from, to));
    if (v !== null && typeof v === "object")
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaced(x, from, to)]));
    return v;
}

/**
 * The plan with its first prerequisite pointed at something nothing provides: the real stack's
 * plan, one reference changed, so the check and its reporting run on a plan the stack could make.
 */
function withOneUnmet(p: StackPlan): { plan: StackPlan; urn: string; input: string; kind: string; ref: string } {
    const reader = p.resources.find((r) => prerequisitesOf(r).length > 0);
    if (!reader) throw new Error("the stack has no resource with a create-time prerequisite");
    const need = prerequisitesOf(reader)[0]!;
    const ref = need.kind === "image" ? "registry.invalid/nobody/pushes-this" : "s3://nobody-uploads-this/x";
    const inputs = replaced(reader.inputs, need.ref, ref) as Record<string, unknown>;
    const resources = p.resources.map((r) => (r === reader ? { ...r, inputs } : r));
    return { plan: { ...p, resources }, urn: reader.urn, input: need.input, kind: need.kind, ref };
}

describe("plan --json: dependencies and prerequisites", () => {
    let j: { resources: JsonResource[]; prerequisites: JsonPrerequisite[]; policy: { violations: unknown[] } };
    let code: number;
    beforeAll(async () => {
        const r = await run("plan", "--stack", "dev", "--json");
        code = r.code;
        j = JSON.parse(r.out);
    });

    it("lists every prerequisite with how it is met; all met, exit 0", () => {
        expect(code).toBe(0);
        expect(j.prerequisites.length).toBeGreaterThan(0);
        const urns = new Set(j.resources.map((r) => r.urn));
        for (const c of j.prerequisites) {
            expect(Object.keys(c).sort()).toEqual(
                c.by === undefined
                    ? ["input", "kind", "met", "ref", "urn", "why"]
                    : ["by", "input", "kind", "met", "ref", "urn", "why"],
            );
            expect(["created", "public", "user"]).toContain(c.met);
            expect(urns.has(c.urn)).toBe(true);
            if (c.by !== undefined) expect(urns.has(c.by)).toBe(true);
        }
        // The default jobs run SageMaker's prebuilt images, public and pinned.
        expect(j.prerequisites).toContainEqual(
            expect.objectContaining({
                kind: "image",
                met: "public",
                why: expect.stringMatching(/^SageMaker prebuilt/),
            }),
        );
    });

    it("gives each resource the URNs it depends on, implicit ones from inputs included", () => {
        const byUrn = new Map(j.resources.map((r) => [r.urn, r] as const));
        for (const r of j.resources) for (const d of r.dependencies) expect(byUrn.has(d)).toBe(true);
        // A state machine takes its role's ARN as an input: Pulumi records the role as a dependency.
        const machines = j.resources.filter((r) => r.type === "aws:sfn/stateMachine:StateMachine");
        expect(machines.length).toBeGreaterThan(0);
        for (const m of machines) expect(m.dependencies.map((d) => byUrn.get(d)!.type)).toContain("aws:iam/role:Role");
    });
});

describe("an unmet prerequisite", () => {
    let spy: jest.SpyInstance;
    let unmet: { urn: string; input: string; kind: string; ref: string };
    beforeEach(() => {
        const real = planStack.planSettings;
        spy = jest.spyOn(planStack, "planSettings").mockImplementation(async (s) => {
            const t = withOneUnmet(await real(s));
            unmet = t;
            return t.plan;
        });
    });
    afterEach(() => spy.mockRestore());

    it("exits 1 and is in the JSON with what is missing, while the policy pack has nothing to say", async () => {
        const r = await run("plan", "--stack", "dev", "--json");
        expect(r.code).toBe(1);
        const j = JSON.parse(r.out);
        expect(j.policy.violations).toEqual([]);
        expect(j.prerequisites.filter((c: JsonPrerequisite) => c.met === null)).toEqual([
            {
                urn: unmet.urn,
                input: unmet.input,
                kind: unmet.kind,
                ref: unmet.ref,
                met: null,
                why: "nothing in this plan creates it, it is not a known public artifact, and no option supplies it",
            },
        ]);
    });

    it("is listed like a mandatory violation in the text output and the HTML report", async () => {
        const dir = tempDir("prereq-report");
        // Graphviz is an ES module jest cannot load; the report's own test draws it in a browser.
        const svg = jest.spyOn(diagram, "renderSvg").mockResolvedValue("<svg></svg>");
        const r = await run("plan", "--stack", "dev", "--out", dir).finally(() => svg.mockRestore());
        expect(r.err).toBe("");
        expect(r.code).toBe(1);
        const section = r.out.slice(r.out.indexOf("Create-time prerequisites"));
        expect(section).toMatch(/✖ mandatory {2}unmet prerequisites \(1 of \d+\)/);
        expect(section).toContain(
            `      ${unmet.urn}\n        ${unmet.input} needs ${unmet.kind} ${unmet.ref}: nothing in this plan`,
        );
        const html = readFileSync(path.join(dir, "report.html"), "utf8");
        expect(html).toContain('<h3 id="prerequisites">Create-time prerequisites</h3>');
        expect(html).toContain(unmet.urn);
        expect(html).toContain(`${unmet.input} needs ${unmet.kind} ${unmet.ref}`);
    });
});

describe("a team's own Spark script (mlops:options.sparkScripts)", () => {
    it("is listed as met by the team, naming the option; exit 0", async () => {
        const dir = tempDir("prereq-team-spark");
        const file = path.join(dir, "Pulumi.dev.yaml");
        writeFileSync(
            file,
            [
                "config:",
                "  gcp:project: my-proj-123",
                "  mlops:cloud: gcp",
                "  mlops:region: us-central1",
                "  mlops:workload: { data: { volumeGb: 500 } }",
                "  mlops:options: { sparkScripts: { data: team/spark/features.py, inference: team/spark/score.py } }",
                "",
            ].join("\n"),
        );
        const r = await run("plan", "--config", file, "--json");
        const j = JSON.parse(r.out) as { levels: Record<string, number>; prerequisites: JsonPrerequisite[] };
        expect(j.levels.data).toBe(2);
        const script = j.prerequisites.filter((c) => c.ref.endsWith("/team/spark/features.py"));
        expect(script).toEqual([
            expect.objectContaining({
                kind: "object",
                ref: expect.stringMatching(/^gs:\/\/[^/]+\/team\/spark\/features\.py$/),
                met: "user",
                why: "mlops:options.sparkScripts.data",
            }),
        ]);
        // No inference here: its key is accepted and unused.
        expect(j.prerequisites.some((c) => c.ref.endsWith("/team/spark/score.py"))).toBe(false);
        expect(j.prerequisites.filter((c) => c.met === null)).toEqual([]);
        expect(r.code).toBe(0);
    });
});

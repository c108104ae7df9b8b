import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { assess } from "../assessment/assess";
import { loadProfile, loadStackFile, readYamlFile, type StackSettings, stackFilePath } from "../assessment/config";
import { InputError } from "../components/shared/errors";
import { estimateStack, type StackEstimate, usageFromSettings } from "../cost/model";
import { costJson, money, renderCostTable } from "../cost/render";
import { hasMandatory, type PolicyReport, readPackConfig, runPolicies } from "../policies/run";
import type { InitOptions } from "./init";
import { blocking, type Change, dangerous, describeChanges, diffPlans } from "./plan/compare";
import { planSettings, type StackPlan } from "./plan/plan-stack";
import { renderLevels, renderTree } from "./render";
import { buildDiagram, renderSvg, toDot } from "./report/diagram";
import { reportHtml } from "./report/html";

/** Exit codes of INTERFACE.md. */
export const EXIT = { ok: 0, policy: 1, input: 2 } as const;

type Out = { log(s: string): void; error(s: string): void };

/** The stack's monthly estimate from the one cost model (shared with the policy pack's budget rule). */
export function estimate(p: StackPlan): StackEstimate {
    return estimateStack(p.resources, {
        cloud: p.settings.cloud,
        region: p.settings.region,
        usage: usageFromSettings(p.settings),
    });
}

/** The `plan --json` object (INTERFACE.md), built from a finished offline run. */
export function planJson(p: StackPlan, cost: StackEstimate = estimate(p)): Record<string, unknown> {
    return {
        stack: p.stack,
        project: p.project,
        cloud: p.settings.cloud,
        region: p.settings.region,
        levels: p.settings.levels.effective,
        assessed: p.settings.levels.levels,
        reasons: p.settings.levels.reasons,
        gpu: p.settings.levels.gpu,
        pins: p.settings.levels.pins,
        resources: p.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            protect: r.protect,
            inputs: r.inputs,
        })),
        outputs: p.outputs,
        cost: costJson(cost),
        policy: { violations: [] as PolicyReport["violations"] },
    };
}

/** Violations grouped by rule, mandatory first: what `plan` prints. */
export function renderPolicy(report: PolicyReport): string {
    if (report.violations.length === 0) return "  no violations (every rule of the pack passed)";
    const byRule = new Map<string, PolicyReport["violations"]>();
    for (const v of report.violations) byRule.set(v.policy, [...(byRule.get(v.policy) ?? []), v]);
    const rules = [...byRule].sort(
        ([, a], [, b]) => Number(b[0]!.enforcement === "mandatory") - Number(a[0]!.enforcement === "mandatory"),
    );
    const lines: string[] = [];
    for (const [rule, vs] of rules) {
        lines.push(`  ${vs[0]!.enforcement === "mandatory" ? "✖ mandatory" : "! advisory "}  ${rule} (${vs.length})`);
        for (const v of vs) lines.push(`      ${v.urn.split("::").pop()}: ${v.message}`);
    }
    return lines.join("\n");
}

/** Reads a `--policy-pack-config` file, as a clear input error when it is missing or malformed. */
function loadPackConfig(file: string | undefined): Record<string, unknown> {
    if (file === undefined) return {};
    const doc = readYamlFile(file);
    if (doc === null || typeof doc !== "object" || Array.isArray(doc))
        throw new InputError([
            { file, path: "", message: "a policy pack config is a JSON object keyed by policy name" },
        ]);
    return readPackConfig(file) as Record<string, unknown>;
}

/** What moving from plan `a` to plan `b` does, and what it costs. */
export function comparison(
    a: StackPlan,
    b: StackPlan,
): {
    changes: Change[];
    dangerous: Change[];
    /** Changes `pulumi up` would refuse (protected resources deleted or replaced). */
    blocking: Change[];
    monthlyUsdDelta: number;
    idleMonthlyUsdDelta: number;
} {
    const changes = diffPlans(a.resources, b.resources);
    const ca = estimate(a);
    const cb = estimate(b);
    return {
        changes,
        dangerous: dangerous(changes),
        blocking: blocking(changes),
        monthlyUsdDelta: Math.round((cb.monthlyUsd - ca.monthlyUsd) * 100) / 100,
        idleMonthlyUsdDelta: Math.round((cb.idleMonthlyUsd - ca.idleMonthlyUsd) * 100) / 100,
    };
}

function printComparison(a: StackPlan, b: StackPlan, c: ReturnType<typeof comparison>, out: Out): void {
    out.log(`Level change: ${a.settings.file} -> ${b.settings.file}`);
    const lv = (s: StackSettings) =>
        Object.entries(s.levels.effective)
            .map(([k, v]) => `${k} ${v}`)
            .join(", ");
    out.log(`  levels: ${lv(a.settings)}  ->  ${lv(b.settings)}`);
    const sign = (x: number) => (x >= 0 ? `+${money(x)}` : `-${money(-x)}`);
    out.log(`  monthly cost: ${sign(c.monthlyUsdDelta)} (idle ${sign(c.idleMonthlyUsdDelta)})`);
    const text = describeChanges(c.changes);
    for (const line of text.log) out.log(line);
    for (const line of text.error) out.error(line);
}

function printPlan(p: StackPlan, cost: StackEstimate, out: Out): void {
    const s = p.settings;
    out.log(`Offline plan of stack '${p.stack}' (${s.cloud}, ${s.region}) from ${s.file}`);
    out.log("Nothing was created: this ran the stack program on Pulumi's in-process mock engine.\n");
    out.log("Levels");
    out.log(renderLevels(s.levels));
    out.log(`\nResources: ${p.resources.length} to create`);
    out.log(renderTree(p.resources));
    out.log("\nMonthly cost estimate (list prices, USD)");
    out.log(renderCostTable(cost));
    const outputs = Object.entries(p.outputs).filter(([, v]) => typeof v !== "object");
    if (outputs.length > 0) {
        out.log("\nOutputs");
        for (const [k, v] of outputs) out.log(`  ${k.padEnd(22)} ${String(v)}`);
    }
}

/** Builds the CLI. `out` is injectable so tests capture output. */
export function buildCli(out: Out, result: { code: number } = { code: EXIT.ok }): Command {
    const cli = new Command("mlops-levels")
        .description("Assess an ML workload's levels and plan the matching cloud infrastructure, offline.")
        .showHelpAfterError()
        .exitOverride()
        .configureOutput({ writeOut: (s) => out.log(s.trimEnd()), writeErr: (s) => out.error(s.trimEnd()) });

    cli.command("assess")
        .description("print each pipeline's level and the reason, from a workload profile")
        .requiredOption(
            "--profile <file>",
            "YAML or JSON workload profile (the value of mlops:workload, optionally with capacity)",
        )
        .option("--json", "print one JSON object")
        .action((o: { profile: string; json?: boolean }) => {
            const profile = loadProfile(o.profile);
            const { capacity, ...workload } = profile;
            const a = assess(workload, capacity);
            if (o.json) out.log(JSON.stringify({ levels: a.levels, reasons: a.reasons, gpu: a.gpu }, null, 2));
            else out.log(`Levels for ${o.profile}\n${renderLevels(a)}`);
        });

    cli.command("plan")
        .description("run the stack program offline and print what it would create")
        .addOption(new Option("--stack <name>", "a stack in stacks/ (Pulumi.<name>.yaml)").conflicts("config"))
        .addOption(new Option("--config <file>", "any file in the stack config format"))
        .option("--json", "print one JSON object")
        .option(
            "--out <dir>",
            "also write a self-contained HTML report (diagram, levels, cost, policy) to DIR/report.html",
        )
        .option("--compare <file>", "another stack config: show what moving to it would create, replace and delete")
        .option("--policy-config <file>", "the policy pack's config, as for pulumi --policy-pack-config")
        .action(
            async (o: {
                stack?: string;
                config?: string;
                json?: boolean;
                out?: string;
                compare?: string;
                policyConfig?: string;
            }) => {
                if (o.stack === undefined && o.config === undefined)
                    throw new InputError([{ path: "plan", message: "give --stack NAME or --config FILE" }]);
                const settings =
                    o.stack !== undefined ? loadStackFile(stackFilePath(o.stack), o.stack) : loadStackFile(o.config!);
                // Validate the other file before planning anything, so bad input plans nothing.
                const other = o.compare !== undefined ? loadStackFile(o.compare, settings.stack) : undefined;
                const packConfig = loadPackConfig(o.policyConfig);
                const p = await planSettings(settings);
                const cost = estimate(p);
                const json = planJson(p, cost);
                const policy = await runPolicies(p.resources, packConfig as Parameters<typeof runPolicies>[1]);
                json["policy"] = policy;
                if (hasMandatory(policy)) result.code = EXIT.policy;
                if (other) {
                    const q = await planSettings(other);
                    const c = comparison(p, q);
                    json["compare"] = { file: other.file, levels: other.levels.effective, ...c };
                    if (!o.json) printComparison(p, q, c, out);
                } else if (!o.json) {
                    printPlan(p, cost, out);
                    out.log("\nPolicy pack (the same rules as pulumi preview --policy-pack policies)");
                    out.log(renderPolicy(policy));
                }
                if (o.out !== undefined) {
                    mkdirSync(o.out, { recursive: true });
                    const file = path.join(o.out, "report.html");
                    const svg = await renderSvg(toDot(buildDiagram(p.resources)));
                    const costHtml = `<pre>${renderCostTable(cost).replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre>`;
                    const policyHtml = `<pre>${renderPolicy(policy).replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre>`;
                    writeFileSync(file, reportHtml(p, svg, { cost: costHtml, policy: policyHtml }));
                    if (!o.json) out.log(`\nReport: ${file}`);
                }
                if (o.json) out.log(JSON.stringify(json, null, 2));
            },
        );
    cli.command("init")
        .description("ask about the workload and write stacks/Pulumi.<stack>.yaml (and a CI workflow)")
        .option("--stack <name>", "stack (environment) name", "dev")
        .option("--cloud <cloud>", "aws, azure or gcp")
        .option("--region <region>", "the cloud's own region name")
        .option("--gcp-project <id>", "GCP project id (gcp only)")
        .option("--profile <file>", "take the workload from a profile file instead of asking")
        .option("--data-gb <size>", "data one batch run processes (e.g. 20, 2 TB)")
        .option("--freshness <duration>", "how stale features may be (e.g. 1 day, 30 s)")
        .option("--training-gb <size>", "training set size")
        .option("--data-kind <kind>", "structured or unstructured")
        .option("--training-hours <duration>", "training time on one machine")
        .option("--sla-hours <duration>", "time training may take at most")
        .option("--inference <mode>", "batch, streaming or online")
        .option("--inference-gb <size>", "data one scoring run processes (batch)")
        .option("--peak-qps <n>", "peak requests per second (online)")
        .option("--yes", "accept without asking")
        .option("--force", "overwrite existing files")
        .option("--ci <system>", "also write a CI workflow: github")
        // Loaded on use: the prompts library is not needed by the other commands.
        .action(async (o: InitOptions) => (require("./init") as typeof import("./init")).runInit(o, out));
    return cli;
}

/** Runs the CLI and returns the exit code; never throws for user errors. */
export async function main(argv: string[], out: Out = console): Promise<number> {
    const result = { code: EXIT.ok as number };
    const cli = buildCli(out, result);
    try {
        await cli.parseAsync(argv);
        return result.code;
    } catch (e) {
        if (e instanceof CommanderError) {
            if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
                return EXIT.ok;
            return EXIT.input;
        }
        if (e instanceof InputError) {
            out.error(`error: ${e.message}`);
            return EXIT.input;
        }
        out.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return 3;
    }
}

import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { assess } from "../assessment/assess";
import { loadProfile, loadStackFile, type StackSettings, stackFilePath, stackNameProblem } from "../assessment/config";
import { scheduleWarnings } from "../assessment/schedule";
import { DEPLOYER_CIDRS_PATH, deployerPathWarning, streamSendWarning } from "../components/shared/deployer";
import { formatProblem, InputError, type InputProblem } from "../components/shared/errors";
import { estimateStack, type StackEstimate, usageFromSettings } from "../cost/model";
import { costJson, money, renderCostTable } from "../cost/render";
import type { PrerequisiteCheck } from "../offline/prerequisites";
import { RULES } from "../policies/rules";
import { hasMandatory, type PolicyReport, runPolicies } from "../policies/run";
import type { InitOptions } from "./init";
import { blocking, type Change, dangerous, describeChanges, diffPlans } from "./plan/compare";
import { planSettings, type StackPlan } from "./plan/plan-stack";
import { planPrerequisites, prerequisiteJson } from "./plan/prerequisites";
import { loadPackConfig } from "./policy-config";
import { renderLevels, renderPrerequisites, renderTree } from "./render";
import { buildDiagram, renderSvg, toDot } from "./report/diagram";
import { costTableHtml, reportHtml } from "./report/html";

/** Exit codes of INTERFACE.md; 130 is Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT = { ok: 0, policy: 1, input: 2, bug: 3, interrupted: 130 } as const;

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
export function planJson(
    p: StackPlan,
    cost: StackEstimate = estimate(p),
    checks: readonly PrerequisiteCheck[] = planPrerequisites(p),
): Record<string, unknown> {
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
            deleteBeforeReplace: r.deleteBeforeReplace,
            inputs: r.inputs,
            dependencies: r.dependencies,
        })),
        outputs: p.outputs,
        cost: costJson(cost),
        warnings: planWarnings(p).map(problemJson),
        policy: { violations: [] as PolicyReport["violations"] },
        prerequisites: checks.map(prerequisiteJson),
    };
}

/** An input problem or warning as `--json` prints it. */
function problemJson(p: InputProblem): { file: string | null; path: string; message: string } {
    return { file: p.file ?? null, path: p.path, message: p.message };
}

/**
 * What plans but deserves a word: a service the region catalogue cannot confirm in the region,
 * schedules whose runs overlap or are far denser than the freshness needs, and Azure uploads the
 * deployer has no listed address for.
 */
export function planWarnings(p: StackPlan): InputProblem[] {
    const usage = usageFromSettings(p.settings);
    const hours = Object.fromEntries(Object.entries(usage.jobs).map(([k, j]) => [k, j.hoursPerRun]));
    return [...p.settings.warnings, ...scheduleWarnings(p.settings, hours), ...deployerWarnings(p)];
}

/** Azure: uploads the deployer cannot reach through the storage firewall (no `deployerCidrs`). */
function deployerWarnings(p: StackPlan): InputProblem[] {
    if (p.settings.cloud !== "azure") return [];
    const cidrs = p.settings.options.deployerCidrs ?? [];
    const uploads = p.resources.filter((r) => r.type === "azure:storage/blob:Blob").length;
    const streams = p.resources.some((r) => r.type === "azure-native:eventhub:Namespace");
    return [deployerPathWarning(uploads, cidrs), streamSendWarning(streams, cidrs)]
        .filter((m): m is string => m !== undefined)
        .map((message) => ({ file: p.settings.file, path: DEPLOYER_CIDRS_PATH, message }));
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
    const warnings = planWarnings(p);
    if (warnings.length > 0) {
        out.log("\nWarnings (the plan stands; worth a look)");
        for (const w of warnings) out.log(`  ! ${formatProblem(w)}`);
    }
}

/**
 * Checks that `--out DIR` can take report.html before anything is planned: DIR is a directory or
 * can be made under a writable directory, and DIR/report.html is not a directory.
 */
function checkOutDir(dir: string): void {
    const problem = (message: string) => new InputError([{ file: dir, path: "--out", message }]);
    if (existsSync(dir)) {
        if (!statSync(dir).isDirectory())
            throw problem("exists and is not a directory: --out takes a directory, where report.html is written");
        if (existsSync(path.join(dir, "report.html")) && statSync(path.join(dir, "report.html")).isDirectory())
            throw problem("report.html in it is a directory");
        try {
            accessSync(dir, constants.W_OK);
        } catch {
            throw problem("is not writable");
        }
        return;
    }
    let parent = path.dirname(path.resolve(dir));
    while (!existsSync(parent)) parent = path.dirname(parent);
    if (!statSync(parent).isDirectory()) throw problem(`cannot be made: ${parent} is not a directory`);
    try {
        accessSync(parent, constants.W_OK);
    } catch {
        throw problem(`cannot be made: ${parent} is not writable`);
    }
}

/** This package's version, from its package.json (found upwards from here, so dist/ works too). */
export function packageVersion(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (existsSync(file)) {
            const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === "mlops-levels" && pkg.version !== undefined) return pkg.version;
        }
        if (path.dirname(dir) === dir) return "unknown";
    }
}

/** Builds the CLI. `out` is injectable so tests capture output. */
export function buildCli(out: Out, result: { code: number } = { code: EXIT.ok }): Command {
    const cli = new Command("mlops-levels")
        .description("Assess an ML workload's levels and plan the matching cloud infrastructure, offline.")
        .version(packageVersion(), "-V, --version", "print the version")
        .exitOverride()
        .configureOutput({
            writeOut: (s) => out.log(s.trimEnd()),
            writeErr: (s) => out.error(s.trimEnd()),
            // Usage errors go through main's one error path (text or, under --json, one object).
            outputError: () => {},
        });

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
                if (o.stack !== undefined) {
                    const bad = stackNameProblem(o.stack);
                    if (bad !== undefined) throw new InputError([{ path: "--stack", message: bad }]);
                }
                const settings =
                    o.stack !== undefined ? loadStackFile(stackFilePath(o.stack), o.stack) : loadStackFile(o.config!);
                // Check every other input before planning anything, so bad input plans nothing.
                const other = o.compare !== undefined ? loadStackFile(o.compare, settings.stack) : undefined;
                const packConfig = o.policyConfig !== undefined ? loadPackConfig(o.policyConfig, RULES) : {};
                if (o.out !== undefined) checkOutDir(o.out);
                const p = await planSettings(settings);
                const cost = estimate(p);
                const checks = planPrerequisites(p);
                const json = planJson(p, cost, checks);
                const policy = await runPolicies(p.resources, packConfig);
                json["policy"] = policy;
                // An unmet create-time prerequisite fails `pulumi up` as surely as a mandatory rule.
                if (hasMandatory(policy) || checks.some((c) => c.met === null)) result.code = EXIT.policy;
                if (other) {
                    const q = await planSettings(other);
                    const c = comparison(p, q);
                    json["compare"] = { file: other.file, levels: other.levels.effective, ...c };
                    if (!o.json) printComparison(p, q, c, out);
                } else if (!o.json) {
                    printPlan(p, cost, out);
                    out.log("\nPolicy pack (the same rules as pulumi preview --policy-pack policies)");
                    out.log(renderPolicy(policy));
                    out.log("\nCreate-time prerequisites (what must exist when a resource is created)");
                    out.log(renderPrerequisites(checks));
                }
                if (o.out !== undefined) {
                    mkdirSync(o.out, { recursive: true });
                    const file = path.join(o.out, "report.html");
                    const svg = await renderSvg(toDot(buildDiagram(p.resources)));
                    const costHtml = costTableHtml(cost);
                    const pre = (text: string) => `<pre>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</pre>`;
                    const policyHtml = `${pre(renderPolicy(policy))}\n<h3 id="prerequisites">Create-time prerequisites</h3>\n${pre(renderPrerequisites(checks))}`;
                    writeFileSync(file, reportHtml(p, svg, { cost: costHtml, policy: policyHtml }));
                    if (!o.json) out.log(`\nReport: ${file}`);
                }
                if (o.json) out.log(JSON.stringify(json, null, 2));
            },
        );
    cli.command("init")
        .description("ask about the workload and write stacks/Pulumi.<stack>.yaml (and a CI workflow)")
        .option("--stack <name>", "stack (environment) name; asked at a terminal, else dev")
        .option("--cloud <cloud>", "aws, azure or gcp")
        .option("--region <region>", "the cloud's own region name")
        .option("--gcp-project <id>", "GCP project id (gcp only)")
        .option("--profile <file>", "take the workload from a profile file instead of asking")
        .option("--answers <file>", "use the answers init saved in FILE (after a refusal) instead of asking")
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
        .option(
            "--backend <url>",
            "with --ci github: state in s3://, azblob://…?storage_account=… or gs:// instead of Pulumi Cloud",
        )
        .option(
            "--secrets-provider <url>",
            "with --backend: awskms://, azurekeyvault:// or gcpkms:// key for the stacks' secrets",
        )
        // Loaded on use: the prompts library is not needed by the other commands.
        .action(async (o: InitOptions) => (require("./init") as typeof import("./init")).runInit(o, out));
    return cli;
}

/** True for errors a user's environment causes (a file that cannot be read or written), not bugs. */
function systemError(e: unknown): e is NodeJS.ErrnoException & { path?: string } {
    return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && "syscall" in e;
}

/** One error of main: its problems and the exit code (130 with no problem for Ctrl-C, which prints nothing). */
function classify(e: unknown): { code: number; problems: InputProblem[] } {
    if (e instanceof CommanderError) {
        const message = e.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
        return { code: EXIT.input, problems: [{ path: "", message: `${message} (see --help)` }] };
    }
    if (e instanceof InputError) return { code: EXIT.input, problems: [...e.problems] };
    // @inquirer/prompts: Ctrl-C (or a closed terminal) while a question is open.
    if (e instanceof Error && e.name === "ExitPromptError") return { code: EXIT.interrupted, problems: [] };
    if (systemError(e))
        return {
            code: EXIT.input,
            problems: [{ file: e.path, path: "", message: `cannot ${e.syscall} (${e.code}): ${e.message}` }],
        };
    return {
        code: EXIT.bug,
        problems: [
            {
                path: "",
                message: `internal error, please report it with this output: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
            },
        ],
    };
}

/**
 * Runs the CLI and returns the exit code; never throws. A user error is one message on stderr
 * naming the file and key path, exit 2; under `--json` it is one object on stdout instead:
 * `{"error": {"exitCode": 2, "problems": [{"file", "path", "message"}]}}`.
 */
export async function main(argv: string[], out: Out = console): Promise<number> {
    const result = { code: EXIT.ok as number };
    const cli = buildCli(out, result);
    const json = argv.slice(2).includes("--json");
    try {
        await cli.parseAsync(argv);
        return result.code;
    } catch (e) {
        if (
            e instanceof CommanderError &&
            (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
        )
            return EXIT.ok;
        const { code, problems } = classify(e);
        if (code === EXIT.interrupted) return code;
        if (json) out.log(JSON.stringify({ error: { exitCode: code, problems: problems.map(problemJson) } }, null, 2));
        else out.error(`error: ${problems.map(formatProblem).join("\n")}`);
        return code;
    }
}

import { Command, CommanderError, Option } from "commander";
import { assess } from "../assessment/assess";
import { loadProfile, loadStackFile, stackFilePath } from "../assessment/config";
import { InputError } from "../components/shared/errors";
import { type InitOptions, runInit } from "./init";
import { planSettings, type StackPlan } from "./plan/plan-stack";
import { renderLevels, renderTree } from "./render";

/** Exit codes of INTERFACE.md. */
export const EXIT = { ok: 0, policy: 1, input: 2 } as const;

type Out = { log(s: string): void; error(s: string): void };

/** The `plan --json` object (INTERFACE.md), built from a finished offline run. */
export function planJson(p: StackPlan): Record<string, unknown> {
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
        policy: { violations: [] },
    };
}

function printPlan(p: StackPlan, out: Out): void {
    const s = p.settings;
    out.log(`Offline plan of stack '${p.stack}' (${s.cloud}, ${s.region}) from ${s.file}`);
    out.log("Nothing was created: this ran the stack program on Pulumi's in-process mock engine.\n");
    out.log("Levels");
    out.log(renderLevels(s.levels));
    out.log(`\nResources: ${p.resources.length} to create`);
    out.log(renderTree(p.resources));
    const outputs = Object.entries(p.outputs).filter(([, v]) => typeof v !== "object");
    if (outputs.length > 0) {
        out.log("\nOutputs");
        for (const [k, v] of outputs) out.log(`  ${k.padEnd(22)} ${String(v)}`);
    }
}

/** Builds the CLI. `out` is injectable so tests capture output. */
export function buildCli(out: Out): Command {
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
        .action(async (o: { stack?: string; config?: string; json?: boolean }) => {
            if (o.stack === undefined && o.config === undefined)
                throw new InputError([{ path: "plan", message: "give --stack NAME or --config FILE" }]);
            const settings =
                o.stack !== undefined ? loadStackFile(stackFilePath(o.stack), o.stack) : loadStackFile(o.config!);
            const p = await planSettings(settings);
            if (o.json) out.log(JSON.stringify(planJson(p), null, 2));
            else printPlan(p, out);
        });
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
        .action(async (o: InitOptions) => runInit(o, out));
    return cli;
}

/** Runs the CLI and returns the exit code; never throws for user errors. */
export async function main(argv: string[], out: Out = console): Promise<number> {
    const cli = buildCli(out);
    try {
        await cli.parseAsync(argv);
        return EXIT.ok;
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

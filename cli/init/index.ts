import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { confirm, input, select } from "@inquirer/prompts";
import { Document, isMap, isPair, isScalar, parse as parseYaml, type YAMLMap } from "yaml";
import {
    loadProfile,
    parseStackConfig,
    readYamlFile,
    type StackSettings,
    stackNameProblem,
} from "../../assessment/config";
import type { Workload } from "../../assessment/schema";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import { InputError, type InputProblem, throwIfProblems } from "../../components/shared/errors";
import type { PIPELINES } from "../../components/shared/levels";
import { estimateStack, usageFromSettings } from "../../cost/model";
import { money, renderCostTable } from "../../cost/render";
import { planSettings } from "../plan/plan-stack";
import { renderLevels } from "../render";
import { checkBackend, githubWorkflow, workflowStacks } from "./github";
import { askWorkload, DEFAULT_REGION, type PromptIo, regionProblem } from "./questionnaire";
import { parseDuration, parseNumber, parseSizeGb } from "./units";

export interface InitOptions {
    /** Stack (environment) name; asked at a terminal, else dev. */
    stack?: string;
    /** A file of answers `init` saved (or any stack config): its config is used instead of asking. */
    answers?: string;
    cloud?: string;
    region?: string;
    gcpProject?: string;
    /** A workload profile file, as `assess` takes it: no questions about the workload. */
    profile?: string;
    /** Workload given as flags (non-interactive). */
    dataGb?: string;
    freshness?: string;
    trainingGb?: string;
    dataKind?: string;
    trainingHours?: string;
    slaHours?: string;
    inference?: string;
    inferenceGb?: string;
    peakQps?: string;
    /** Accept without asking (non-interactive). */
    yes?: boolean;
    /** Overwrite an existing stack file. */
    force?: boolean;
    /** Also write a CI workflow: `github`. */
    ci?: string;
    /** With `--ci github`: state in the cloud's object storage (`s3://`, `azblob://`, `gs://`) instead of Pulumi Cloud. */
    backend?: string;
    /** With `--backend`: the cloud's KMS key URL (`awskms://`, `azurekeyvault://`, `gcpkms://`) for the stacks' secrets. */
    secretsProvider?: string;
    /** Project root (where stacks/ and .github/ are); default the current directory. */
    root?: string;
}

type Out = { log(s: string): void; error(s: string): void };

const FLAG_WORKLOAD = [
    "dataGb",
    "freshness",
    "trainingGb",
    "dataKind",
    "trainingHours",
    "slaHours",
    "inference",
    "inferenceGb",
    "peakQps",
] as const;

/** The workload from flags; every flag parsed in the user's units, every problem at once. */
export function workloadFromFlags(o: InitOptions): Workload {
    const problems: InputProblem[] = [];
    const num = (
        flag: string,
        v: string | undefined,
        parse: (s: string) => ReturnType<typeof parseSizeGb>,
    ): number | undefined => {
        if (v === undefined) return undefined;
        const p = parse(v);
        if (!p.ok) problems.push({ path: `--${flag}`, message: p.error });
        return p.ok ? p.value : undefined;
    };
    const w: Record<string, Record<string, unknown>> = {};
    const dataGb = num("data-gb", o.dataGb, parseSizeGb);
    const freshness = num("freshness", o.freshness, (s) => parseDuration(s, "seconds"));
    if (dataGb !== undefined || freshness !== undefined)
        w["data"] = { volumeGb: dataGb, ...(freshness !== undefined ? { freshnessSeconds: freshness } : {}) };
    const trainingGb = num("training-gb", o.trainingGb, parseSizeGb);
    const hours = num("training-hours", o.trainingHours, (s) => parseDuration(s, "hours"));
    const sla = num("sla-hours", o.slaHours, (s) => parseDuration(s, "hours"));
    if (trainingGb !== undefined || hours !== undefined || sla !== undefined || o.dataKind !== undefined)
        w["training"] = {
            datasetGb: trainingGb,
            dataKind: o.dataKind ?? "structured",
            singleMachineHours: hours,
            slaHours: sla,
        };
    if (o.inference !== undefined) {
        const i: Record<string, unknown> = { mode: o.inference };
        const v = num("inference-gb", o.inferenceGb, parseSizeGb);
        const q = num("peak-qps", o.peakQps, (s) => parseNumber(s, "requests per second"));
        if (v !== undefined) i["volumeGb"] = v;
        if (q !== undefined) i["peakQps"] = q;
        w["inference"] = i;
    }
    throwIfProblems(problems);
    return w as Workload;
}

/**
 * What an overwritten stack file keeps: its top-level keys other than `config` (`secretsprovider`,
 * `encryptedkey`, `environment`: losing them makes the stack's secrets unreadable) and the config
 * keys init does not write (a provider setting, a secret), so `--force` replaces only the answers.
 */
export function keptFromExisting(text: string, config: Record<string, unknown>): Record<string, unknown> {
    const old = parseYaml(text) as unknown;
    if (old === null || typeof old !== "object" || Array.isArray(old)) return { config };
    const { config: oldConfig, ...rest } = old as Record<string, unknown>;
    const kept =
        oldConfig !== null && typeof oldConfig === "object" && !Array.isArray(oldConfig)
            ? Object.fromEntries(
                  Object.entries(oldConfig as Record<string, unknown>).filter(
                      ([k]) => !k.startsWith("mlops:") && !(k in config),
                  ),
              )
            : {};
    return { ...rest, config: { ...config, ...kept } };
}

/** The stack file text: valid stack config with the levels' reasons as YAML comments. */
export function stackFileText(settings: StackSettings, config: Record<string, unknown>, existing?: string): string {
    const doc = new Document(existing === undefined ? { config } : keptFromExisting(existing, config));
    const lv = settings.levels;
    doc.commentBefore = [
        ` Stack '${settings.stack}' of mlops-levels, written by \`mlops-levels init\`.`,
        " Levels are assessed from mlops:workload by the rules of LEVELS.md; edit the workload, not",
        " the levels, and run `npx mlops-levels plan --stack " + settings.stack + "` to see the result.",
    ].join("\n");
    const cfg = doc.get("config", true);
    if (isMap(cfg)) {
        const wl = cfg.get("mlops:workload", true);
        if (isMap(wl)) {
            for (const item of (wl as YAMLMap).items) {
                if (!isPair(item) || !isScalar(item.key)) continue;
                const p = String(item.key.value) as (typeof PIPELINES)[number];
                const level = lv.effective[p];
                if (level !== undefined) item.key.commentBefore = ` level ${level}: ${lv.reasons[p]}`;
                if (isMap(item.value)) item.value.flow = true;
            }
        }
        for (const item of cfg.items)
            if (isPair(item) && isMap(item.value) && (item.value as YAMLMap).items.length <= 3)
                (item.value as YAMLMap).flow = true;
    }
    return doc.toString({ lineWidth: 0 });
}

/** The stack names offered first: the usual environments, skipping those that already have a file. */
const USUAL_STACKS = ["dev", "staging", "prod"] as const;

/** Where the answers go when they cannot become a stack file, so none are lost. */
export function answersFile(root: string, stack: string): string {
    return path.join(root, `mlops-levels-init.${stack}.yaml`);
}

/** Writes the answers as stack config with a note on what stopped them; returns the file. */
function saveAnswers(root: string, stack: string, config: Record<string, unknown>, why: string): string {
    const file = answersFile(root, stack);
    const doc = new Document({ config });
    doc.commentBefore = [
        ` Answers to \`mlops-levels init\` for stack '${stack}', not yet written to stacks/Pulumi.${stack}.yaml:`,
        ...why.split("\n").map((l) => ` ${l}`),
        ` Fix them here, then: npx mlops-levels init --stack ${stack} --answers ${path.basename(file)}`,
    ].join("\n");
    writeFileSync(file, doc.toString({ lineWidth: 0 }));
    return file;
}

/**
 * Settles the stack name and whether its file may be written, before any question about the
 * workload, so no answer is asked for a file that cannot be written. At a terminal a taken name
 * offers another name; elsewhere it is refused at once unless --force.
 */
async function settleStack(
    o: InitOptions,
    root: string,
    interactive: boolean,
    io: PromptIo,
): Promise<{ stack: string; file: string }> {
    const fileOf = (stack: string) => path.join(root, "stacks", `Pulumi.${stack}.yaml`);
    const rel = (f: string) => path.relative(root, f);
    let stack = o.stack;
    if (stack === undefined && interactive)
        stack = await input(
            {
                message: "Stack (environment) name",
                default: USUAL_STACKS.find((s) => !existsSync(fileOf(s))) ?? "dev",
                validate: (s) => stackNameProblem(s.trim()) ?? true,
            },
            io,
        );
    stack = (stack ?? "dev").trim();
    const bad = stackNameProblem(stack);
    if (bad !== undefined) throw new InputError([{ path: "--stack", message: bad }]);
    for (;;) {
        const file = fileOf(stack);
        if (!existsSync(file) || o.force) return { stack, file };
        if (!interactive)
            throw new InputError([
                {
                    file,
                    path: "",
                    message: "exists; not overwritten (use --force to replace it, or --stack NAME for another stack)",
                },
            ]);
        const choice = await select<"rename" | "overwrite">(
            {
                message: `${rel(file)} exists. What now?`,
                choices: [
                    { name: "use another stack name", value: "rename" },
                    { name: `overwrite ${rel(file)}`, value: "overwrite" },
                ],
            },
            io,
        );
        if (choice === "overwrite") return { stack, file };
        stack = (
            await input(
                {
                    message: "Stack (environment) name",
                    validate: (s) =>
                        stackNameProblem(s.trim()) ??
                        (existsSync(fileOf(s.trim())) ? `${rel(fileOf(s.trim()))} exists too` : true),
                },
                io,
            )
        ).trim();
    }
}

/** The config map of a file of answers (a stack file's `config`). */
function loadAnswers(file: string): Record<string, unknown> {
    const doc = readYamlFile(file) as { config?: unknown } | null;
    const config = doc?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config))
        throw new InputError([{ file, path: "config", message: "is required: a file of answers is stack config" }]);
    return config as Record<string, unknown>;
}

/** `mlops-levels init`: settle the stack, ask (or read) the workload, show the levels, write the stack file. */
export async function runInit(o: InitOptions, out: Out, io: PromptIo = {}): Promise<void> {
    const root = path.resolve(o.root ?? ".");
    const problems: InputProblem[] = [];
    if (o.stack !== undefined) {
        const bad = stackNameProblem(o.stack);
        if (bad !== undefined) problems.push({ path: "--stack", message: bad });
    }
    if (o.cloud !== undefined && !(CLOUDS as readonly string[]).includes(o.cloud))
        problems.push({ path: "--cloud", message: `must be one of ${CLOUDS.join(", ")}` });
    else if (o.cloud !== undefined && o.region !== undefined) {
        const bad = regionProblem(o.cloud as Cloud, o.region);
        if (bad !== undefined) problems.push({ path: "--region", message: bad });
    }
    if (o.ci !== undefined && o.ci !== "github")
        problems.push({ path: "--ci", message: "the only CI known is 'github'" });
    if ((o.backend !== undefined || o.secretsProvider !== undefined) && o.ci !== "github")
        problems.push({ path: "--backend", message: "only with --ci github: it says where the workflow keeps state" });
    throwIfProblems(problems);

    const flagsGiven = FLAG_WORKLOAD.some((k) => o[k] !== undefined);
    const terminal = io.input !== undefined || (process.stdin.isTTY === true && process.stdout.isTTY === true);
    const interactive = terminal && !o.yes && o.profile === undefined && o.answers === undefined && !flagsGiven;

    let config: Record<string, unknown>;
    if (o.answers !== undefined) config = loadAnswers(o.answers);
    else {
        // Without answers to ask for, what is missing is said before anything else.
        if (!interactive) {
            const missing: InputProblem[] = [];
            if (o.cloud === undefined)
                missing.push({ path: "--cloud", message: "is required without a terminal (aws, azure or gcp)" });
            if (o.profile === undefined && !flagsGiven)
                missing.push({
                    path: "--profile",
                    message:
                        "give a workload profile file, or the workload as flags (--data-gb, --training-gb, --inference …)",
                });
            if (o.cloud === "gcp" && o.gcpProject === undefined)
                missing.push({ path: "--gcp-project", message: "is required for cloud gcp" });
            throwIfProblems(missing);
        }
        config = {};
    }
    const { stack, file } = await settleStack(o, root, interactive, io);
    const wf = path.join(root, ".github", "workflows", "mlops-levels.yml");
    if (o.ci === "github" && existsSync(wf) && !o.force)
        throw new InputError([{ file: wf, path: "", message: "exists; not overwritten (use --force to replace it)" }]);

    if (o.answers === undefined) {
        let cloud = o.cloud as Cloud | undefined;
        let region = o.region;
        let gcpProject = o.gcpProject;
        let workload: Workload;
        let capacity: Record<string, unknown> | undefined;
        if (interactive) {
            const a = await askWorkload(io, { cloud, region });
            ({ cloud, region, workload } = a);
            gcpProject = gcpProject ?? a.gcpProject;
        } else if (o.profile !== undefined) {
            const p = loadProfile(o.profile);
            ({ capacity, ...workload } = p);
        } else workload = workloadFromFlags(o);
        const c = cloud as Cloud;
        if (c === "gcp") config["gcp:project"] = gcpProject;
        config["mlops:cloud"] = c;
        config["mlops:region"] = region ?? DEFAULT_REGION[c];
        config["mlops:workload"] = workload;
        if (capacity !== undefined) config["mlops:capacity"] = capacity;
    }

    // From here on the answers exist only in memory: any refusal saves them and says where.
    let settings: StackSettings;
    let cost: ReturnType<typeof estimateStack>;
    try {
        settings = parseStackConfig(config, o.answers ?? file, stack);
        out.log(`Levels for stack '${stack}' on ${settings.cloud} (${settings.region}):`);
        out.log(renderLevels(settings.levels));
        // The estimate comes from planning the stack offline, the same way `plan` does.
        const plan = await planSettings(settings);
        cost = estimateStack(plan.resources, {
            cloud: settings.cloud,
            region: settings.region,
            usage: usageFromSettings(settings),
        });
    } catch (e) {
        if (!(e instanceof InputError) || o.answers !== undefined) throw e;
        const saved = saveAnswers(root, stack, config, e.message.replaceAll(`${file}: `, ""));
        throw new InputError([
            ...e.problems.map((p) => ({ ...p, file: p.file === file || p.file === undefined ? saved : p.file })),
            {
                file: saved,
                path: "",
                message: `your answers are saved here; fix the value above, then: npx mlops-levels init --stack ${stack} --answers ${path.relative(process.cwd(), saved)}`,
            },
        ]);
    }
    for (const w of settings.warnings) out.log(`  ! ${w.path}: ${w.message}`);
    out.log(`\nEstimated monthly cost: ${money(cost.monthlyUsd)} (idle ${money(cost.idleMonthlyUsd)}), list prices`);
    out.log(renderCostTable(cost, { notes: false }));

    // The workflow covers every stack file; its state backend must suit all of them, checked
    // before anything is written.
    const ciStacks =
        o.ci === "github" ? workflowStacks(root, { name: stack, cloud: settings.cloud, region: settings.region }) : [];
    throwIfProblems(
        checkBackend(
            ciStacks.map((s) => s.cloud),
            o.backend,
            o.secretsProvider,
        ),
    );

    const rel = path.relative(root, file);
    if (interactive && !(await confirm({ message: `Write ${rel}?`, default: true }, io))) {
        const saved = saveAnswers(root, stack, config, `You chose not to write ${rel}.`);
        out.log(`Nothing written to ${rel}; your answers are in ${path.relative(root, saved)}.`);
        return;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, stackFileText(settings, config, existsSync(file) ? readFileSync(file, "utf8") : undefined));
    out.log(`Wrote ${rel}`);
    if (o.ci === "github") {
        mkdirSync(path.dirname(wf), { recursive: true });
        const backend =
            o.backend !== undefined && o.secretsProvider !== undefined
                ? { url: o.backend, secretsProvider: o.secretsProvider }
                : undefined;
        writeFileSync(wf, githubWorkflow(ciStacks, { backend }));
        out.log(`Wrote ${path.relative(root, wf)}`);
    }
    out.log(`Next: npx mlops-levels plan --stack ${stack}   then, with credentials: pulumi up --stack ${stack}`);
}

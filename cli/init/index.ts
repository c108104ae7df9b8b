import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { confirm } from "@inquirer/prompts";
import { Document, isMap, isPair, isScalar, type YAMLMap } from "yaml";
import { loadProfile, parseStackConfig, type StackSettings } from "../../assessment/config";
import type { Workload } from "../../assessment/schema";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import { InputError, type InputProblem, throwIfProblems } from "../../components/shared/errors";
import type { PIPELINES } from "../../components/shared/levels";
import { estimateStack, usageFromSettings } from "../../cost/model";
import { money, renderCostTable } from "../../cost/render";
import { planSettings } from "../plan/plan-stack";
import { renderLevels } from "../render";
import { checkBackend, githubWorkflow, workflowStacks } from "./github";
import { askWorkload, DEFAULT_REGION, type PromptIo } from "./questionnaire";
import { parseDuration, parseNumber, parseSizeGb } from "./units";

export interface InitOptions {
    /** Stack (environment) name; default dev. */
    stack?: string;
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

/** The stack file text: valid stack config with the levels' reasons as YAML comments. */
export function stackFileText(settings: StackSettings, config: Record<string, unknown>): string {
    const doc = new Document({ config });
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

/** `mlops-levels init`: ask (or read) the workload, show the levels, write the stack file. */
export async function runInit(o: InitOptions, out: Out, io: PromptIo = {}): Promise<void> {
    const root = path.resolve(o.root ?? ".");
    const stack = o.stack ?? "dev";
    const problems: InputProblem[] = [];
    if (!/^[A-Za-z0-9_.-]+$/.test(stack))
        problems.push({ path: "--stack", message: "a stack name is letters, digits, '-', '_' and '.'" });
    if (o.cloud !== undefined && !(CLOUDS as readonly string[]).includes(o.cloud))
        problems.push({ path: "--cloud", message: `must be one of ${CLOUDS.join(", ")}` });
    if (o.ci !== undefined && o.ci !== "github")
        problems.push({ path: "--ci", message: "the only CI known is 'github'" });
    if ((o.backend !== undefined || o.secretsProvider !== undefined) && o.ci !== "github")
        problems.push({ path: "--backend", message: "only with --ci github: it says where the workflow keeps state" });
    throwIfProblems(problems);

    const flagsGiven = FLAG_WORKLOAD.some((k) => o[k] !== undefined);
    const terminal = io.input !== undefined || (process.stdin.isTTY === true && process.stdout.isTTY === true);
    const interactive = terminal && !o.yes && o.profile === undefined && !flagsGiven;

    let cloud = o.cloud as Cloud | undefined;
    let region = o.region;
    let gcpProject = o.gcpProject;
    let workload: Workload;
    let capacity: Record<string, unknown> | undefined;
    if (interactive) {
        const a = await askWorkload(io, { cloud, region });
        ({ cloud, region, workload } = a);
        gcpProject = gcpProject ?? a.gcpProject;
    } else {
        const missing: InputProblem[] = [];
        if (cloud === undefined)
            missing.push({ path: "--cloud", message: "is required without a terminal (aws, azure or gcp)" });
        if (o.profile === undefined && !flagsGiven)
            missing.push({
                path: "--profile",
                message:
                    "give a workload profile file, or the workload as flags (--data-gb, --training-gb, --inference …)",
            });
        if (cloud === "gcp" && gcpProject === undefined)
            missing.push({ path: "--gcp-project", message: "is required for cloud gcp" });
        throwIfProblems(missing);
        if (o.profile !== undefined) {
            const p = loadProfile(o.profile);
            ({ capacity, ...workload } = p);
        } else workload = workloadFromFlags(o);
    }
    const c = cloud as Cloud;
    const config: Record<string, unknown> = {};
    if (c === "gcp") config["gcp:project"] = gcpProject;
    config["mlops:cloud"] = c;
    config["mlops:region"] = region ?? DEFAULT_REGION[c];
    config["mlops:workload"] = workload;
    if (capacity !== undefined) config["mlops:capacity"] = capacity;

    const file = path.join(root, "stacks", `Pulumi.${stack}.yaml`);
    const settings = parseStackConfig(config, o.profile ?? file, stack);
    out.log(`Levels for stack '${stack}' on ${c} (${config["mlops:region"]}):`);
    out.log(renderLevels(settings.levels));
    // The estimate comes from planning the stack offline, the same way `plan` does.
    const plan = await planSettings(settings);
    const cost = estimateStack(plan.resources, {
        cloud: settings.cloud,
        region: settings.region,
        usage: usageFromSettings(settings),
    });
    out.log(`\nEstimated monthly cost: ${money(cost.monthlyUsd)} (idle ${money(cost.idleMonthlyUsd)}), list prices`);
    out.log(renderCostTable(cost, { notes: false }));

    // The workflow covers every stack file; its state backend must suit all of them, checked
    // before anything is written.
    const ciStacks = o.ci === "github" ? workflowStacks(root, { name: stack, cloud: c, region: settings.region }) : [];
    throwIfProblems(
        checkBackend(
            ciStacks.map((s) => s.cloud),
            o.backend,
            o.secretsProvider,
        ),
    );

    if (existsSync(file) && !o.force) {
        const overwrite = interactive
            ? await confirm({ message: `${path.relative(root, file)} exists. Overwrite it?`, default: false }, io)
            : false;
        if (!overwrite)
            throw new InputError([{ file, path: "", message: "exists; not overwritten (use --force to replace it)" }]);
    }
    if (interactive && !(await confirm({ message: `Write ${path.relative(root, file)}?`, default: true }, io))) {
        out.log("Nothing written.");
        return;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, stackFileText(settings, config));
    out.log(`Wrote ${path.relative(root, file)}`);
    if (o.ci === "github") {
        const wf = path.join(root, ".github", "workflows", "mlops-levels.yml");
        if (existsSync(wf) && !o.force)
            throw new InputError([
                { file: wf, path: "", message: "exists; not overwritten (use --force to replace it)" },
            ]);
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

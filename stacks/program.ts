import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../assessment/config";
import { DEFAULTS } from "../assessment/schema";
import type { BatchJobArgs } from "../components/batch-job";
import { type Checkable, type CloudKit, loadKit } from "../components/kits";
import type { StackContext } from "../components/shared/context";
import { InputError, type InputProblem } from "../components/shared/errors";
import type { Pipeline } from "../components/shared/levels";
import type { TrainingJobArgs } from "../components/training-job";
import { readStackSettings } from "./settings";

/** Stack outputs: levels with reasons, and what a team needs to find and run its infrastructure. */
export type StackOutputs = Record<string, unknown>;

type BatchSpec = Checkable<BatchJobArgs>;
type TrainingSpec = Checkable<TrainingJobArgs>;

/** What the stack will build, decided from the settings alone, before any resource exists. */
export interface Blueprint {
    batchJobs: BatchSpec[];
    trainingJob?: TrainingSpec;
    /** Problems found while deciding (a level this version cannot build). */
    problems: InputProblem[];
}

/** Decides the components per pipeline level. Pure: no resources. */
export function blueprint(settings: StackSettings, kit: CloudKit): Blueprint {
    const eff = settings.levels.effective;
    const w = settings.workload;
    const images = { ...kit.defaultImages, ...settings.options.images };
    const runner = settings.options.batchRunner ?? "serverless";
    const bp: Blueprint = { batchJobs: [], problems: [] };
    const unsupported = (p: Pipeline, level: number) =>
        bp.problems.push({
            path: `config.mlops:workload.${p}`,
            message: `${p} level ${level} is not built by this version of mlops-levels yet`,
        });

    if (w.data && eff.data !== undefined) {
        if (eff.data === 1)
            bp.batchJobs.push({
                region: settings.region,
                pipeline: "data",
                level: 1,
                volumeGb: w.data.volumeGb,
                schedule: w.data.schedule ?? DEFAULTS.schedule,
                image: images.data,
                runner,
            });
        else unsupported("data", eff.data);
    }
    if (w.training && eff.training !== undefined) {
        if (eff.training === 1)
            bp.trainingJob = {
                region: settings.region,
                level: 1,
                datasetGb: w.training.datasetGb,
                gpu: settings.levels.gpu,
                slaHours: w.training.slaHours,
                image: images.training,
            };
        else unsupported("training", eff.training);
    }
    if (w.inference && eff.inference !== undefined) {
        if (eff.inference === 1)
            bp.batchJobs.push({
                region: settings.region,
                pipeline: "inference",
                level: 1,
                volumeGb: w.inference.volumeGb ?? 0,
                schedule: w.inference.schedule ?? DEFAULTS.schedule,
                image: images.inference,
                runner,
            });
        else unsupported("inference", eff.inference);
    }
    return bp;
}

/** Every problem the blueprint and the components' own checks find, with the config file named. */
export function checkBlueprint(settings: StackSettings, kit: CloudKit, bp: Blueprint): InputProblem[] {
    const problems = [...bp.problems];
    for (const j of bp.batchJobs) problems.push(...kit.checks.batchJob(j));
    if (bp.trainingJob) problems.push(...kit.checks.trainingJob(bp.trainingJob));
    return problems.map((p) => ({ ...p, file: p.file ?? settings.file }));
}

/** Composes the stack: decide and check everything first, then the foundation, then one component per level. */
export async function compose(settings: StackSettings, kit: CloudKit): Promise<StackOutputs> {
    const bp = blueprint(settings, kit);
    const problems = checkBlueprint(settings, kit, bp);
    if (problems.length > 0) throw new InputError(problems);

    const random = require("@pulumi/random") as typeof import("@pulumi/random");
    const provider = kit.provider(settings.region);
    const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
    // The suffix is part of every globally unique name: losing it would rename (replace) storage.
    const suffix = new random.RandomString(
        "unique-suffix",
        { length: 6, special: false, upper: false, numeric: true },
        { protect: settings.protect },
    );
    const ctx: StackContext = {
        project: pulumi.getProject(),
        stack: settings.stack,
        cloud: settings.cloud,
        region: settings.region,
        protect: settings.protect,
        uniqueSuffix: suffix.result,
        facts: {
            assessed: settings.levels.levels,
            dataKind: settings.workload.training?.dataKind,
            gpuPinned: settings.workload.training?.gpu === true,
        },
    };
    const anyCompute = bp.batchJobs.length > 0 || bp.trainingJob !== undefined;

    // Stateful storage lives in the foundation under fixed names, so no level change replaces it.
    const foundation = kit.foundation(
        "foundation",
        { ctx, network: anyCompute },
        { ...opts, protect: settings.protect },
    );
    const outputs: StackOutputs = {
        cloud: settings.cloud,
        region: settings.region,
        levels: settings.levels.effective,
        assessed: settings.levels.levels,
        reasons: settings.levels.reasons,
        gpu: settings.levels.gpu,
        dataBucket: foundation.dataBucketName,
        artifactsBucket: foundation.artifactsBucketName,
        dataUri: foundation.dataUri,
        artifactsUri: foundation.artifactsUri,
        jobIdentity: foundation.jobIdentity,
    };

    for (const { region: _, ...spec } of bp.batchJobs) {
        const job = kit.batchJob(spec.pipeline, { ...spec, ctx, foundation }, opts);
        outputs[`${spec.pipeline}JobName`] = job.jobName;
        outputs[`${spec.pipeline}MachineType`] = job.machineType;
    }
    if (bp.trainingJob) {
        const { region: _, ...spec } = bp.trainingJob;
        const job = kit.trainingJob("training", { ...spec, ctx, foundation }, opts);
        outputs["trainingJobName"] = job.jobName;
        outputs["trainingMachineType"] = job.machineType;
    }
    return outputs;
}

/** The stack program: read config, assess, compose. Bad config stops before any resource exists. */
export async function program(): Promise<StackOutputs> {
    try {
        const settings = readStackSettings();
        const kit = await loadKit(settings.cloud);
        return await compose(settings, kit);
    } catch (e) {
        // A RunError prints as a plain message under `pulumi up`, without a stack trace.
        // The InputError rides along as `cause` for the offline plan, which exits 2 on it.
        if (e instanceof InputError) throw Object.assign(new pulumi.RunError(e.message), { cause: e });
        throw e;
    }
}

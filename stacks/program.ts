import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../assessment/config";
import { DEFAULTS } from "../assessment/schema";
import { type CloudKit, loadKit } from "../components/kits";
import type { StackContext } from "../components/shared/context";
import { InputError } from "../components/shared/errors";
import type { Pipeline } from "../components/shared/levels";
import { readStackSettings } from "./settings";

/** Stack outputs: levels with reasons, and what a team needs to find and run its infrastructure. */
export type StackOutputs = Record<string, unknown>;

function notYet(settings: StackSettings, pipeline: Pipeline, level: number): never {
    throw new InputError([
        {
            file: settings.file,
            path: `config.mlops:workload.${pipeline}`,
            message: `${pipeline} level ${level} is not built by this version of mlops-levels yet`,
        },
    ]);
}

/** Composes the stack from validated settings: foundation, then one component per pipeline level. */
export async function compose(settings: StackSettings, kit: CloudKit): Promise<StackOutputs> {
    const eff = settings.levels.effective;
    // Check every level is buildable before the first resource is created.
    for (const [p, l] of Object.entries(eff) as [Pipeline, number][]) if (l !== 1) notYet(settings, p, l);
    const random = await import("@pulumi/random");
    const provider = kit.provider(settings.region);
    const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
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
    const images = { ...kit.defaultImages, ...settings.options.images };
    const anyCompute = eff.data !== undefined || eff.training !== undefined || eff.inference !== undefined;

    // Stateful storage lives in the foundation under fixed names, so no level change replaces it.
    const foundation = kit.foundation(
        "foundation",
        { ctx, network: anyCompute },
        { ...opts, protect: settings.protect },
    );
    const outputs: StackOutputs = {
        cloud: settings.cloud,
        region: settings.region,
        levels: eff,
        assessed: settings.levels.levels,
        reasons: settings.levels.reasons,
        gpu: settings.levels.gpu,
        dataBucket: foundation.dataBucketName,
        artifactsBucket: foundation.artifactsBucketName,
        dataUri: foundation.dataUri,
        artifactsUri: foundation.artifactsUri,
        jobIdentity: foundation.jobIdentity,
    };

    const w = settings.workload;
    const runner = settings.options.batchRunner ?? "serverless";
    if (w.data && eff.data !== undefined) {
        const job = kit.batchJob(
            "data",
            {
                ctx,
                pipeline: "data",
                level: 1,
                foundation,
                volumeGb: w.data.volumeGb,
                schedule: w.data.schedule ?? DEFAULTS.schedule,
                image: images.data,
                runner,
            },
            opts,
        );
        outputs["dataJobName"] = job.jobName;
        outputs["dataMachineType"] = job.machineType;
    }
    if (w.training && eff.training !== undefined) {
        const job = kit.trainingJob(
            "training",
            {
                ctx,
                level: 1,
                foundation,
                datasetGb: w.training.datasetGb,
                gpu: settings.levels.gpu,
                slaHours: w.training.slaHours,
                image: images.training,
            },
            opts,
        );
        outputs["trainingJobName"] = job.jobName;
        outputs["trainingMachineType"] = job.machineType;
    }
    if (w.inference && eff.inference !== undefined) {
        const job = kit.batchJob(
            "inference",
            {
                ctx,
                pipeline: "inference",
                level: 1,
                foundation,
                volumeGb: w.inference.volumeGb ?? 0,
                schedule: w.inference.schedule ?? DEFAULTS.schedule,
                image: images.inference,
                runner,
            },
            opts,
        );
        outputs["inferenceJobName"] = job.jobName;
        outputs["inferenceMachineType"] = job.machineType;
    }
    return outputs;
}

/** The stack program: read config, assess, compose. Bad config stops before any resource exists. */
export async function program(): Promise<StackOutputs> {
    let settings: StackSettings;
    try {
        settings = readStackSettings();
    } catch (e) {
        // A RunError prints as a plain message under `pulumi up`, without a stack trace.
        if (e instanceof InputError) throw new pulumi.RunError(e.message);
        throw e;
    }
    const kit = await loadKit(settings.cloud);
    return compose(settings, kit);
}

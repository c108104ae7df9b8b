import * as pulumi from "@pulumi/pulumi";
import { batchWorkflow, bootDiskGb } from "../blocks/gcp/batch-workflow";
import { enableApis } from "../blocks/gcp/project";
import { isReferenceImage, REFERENCE_SAMPLES, referenceSteps } from "../blocks/gcp/reference";
import { workflowRunCommand } from "../blocks/gcp/run-commands";
import { type Capability, placedOn } from "../capability";
import { type FoundationNeeds, NO_NEEDS } from "../foundation";
import { GcpFoundation, imageDependencies } from "../foundation/gcp";
import { G2_REGIONS, GCP_MACHINES } from "../machines/gcp";
import { machineProblems, pickMachine } from "../machines/index";
import { type InputProblem, throwIfProblems, underWorkload } from "../shared/errors";
import {
    checkTrainingJobArgs,
    TRAINING_JOB_TYPE,
    type TrainingJob,
    type TrainingJobArgs,
    type TrainingJobSpec,
} from "./index";

/** Checks what only GCP limits: G2 (L4) machines exist in some regions only. Pure. */
export function checkGcpTrainingJobArgs(a: { gpu: boolean; region: string }): InputProblem[] {
    if (a.gpu && !G2_REGIONS.includes(a.region))
        return [
            {
                path: "config.mlops:region",
                message: `'${a.region}' has no G2 (NVIDIA L4) machines for GPU training; use one of ${G2_REGIONS.join(", ")}`,
            },
        ];
    return [];
}

/** Google Cloud Batch stops any job after 14 days, whatever its own limit says. */
export const BATCH_MAX_RUN_SECONDS = 14 * 24 * 3600;

export interface GcpTrainingJobArgs extends TrainingJobArgs {
    readonly foundation: GcpFoundation;
}

/**
 * Training level 1 on GCP: a Workflow that creates one Google Cloud Batch job on the picked machine
 * (a G2 machine with NVIDIA L4 GPUs when a GPU is needed) and waits for it. Nothing is scheduled:
 * a run starts on demand with `gcloud workflows run <jobName> --location <region>`, so the machine
 * exists only while training runs.
 */
export class GcpTrainingJob extends pulumi.ComponentResource implements TrainingJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly gpus: number;
    /** Full Workflow id. */
    readonly jobId: pulumi.Output<string>;
    /** `gcloud workflows run …`: starts a training run. */
    readonly runCommands: { training: pulumi.Output<string> };

    constructor(name: string, args: GcpTrainingJobArgs, opts: pulumi.ComponentResourceOptions = {}) {
        throwIfProblems([
            ...checkTrainingJobArgs(args),
            ...checkGcpTrainingJobArgs({ gpu: args.gpu, region: args.ctx.region }),
        ]);
        const machine = pickMachine(GCP_MACHINES, args.datasetGb, args.gpu, "config.mlops:workload.training.datasetGb");
        super(TRAINING_JOB_TYPE, name, {}, opts);
        const f = args.foundation;
        this.machineType = machine.name;
        this.gpus = machine.gpus;

        const apis = enableApis(this, name, f.project, [
            "batch.googleapis.com",
            "workflows.googleapis.com",
            "workflowexecutions.googleapis.com",
        ]);
        // The reference image trains the reference model on the uploaded sample data.
        const reference = isReferenceImage(args.image);
        const samples = reference ? REFERENCE_SAMPLES.training.map((n) => f.sampleObject(n).resource) : [];
        const workflow = batchWorkflow(this, name, {
            ctx: args.ctx,
            foundation: f,
            pipeline: "training",
            level: args.level,
            image: args.image,
            machine,
            diskGb: bootDiskGb(args.datasetGb),
            // The SLA is the run limit: a run that misses it is stopped rather than billed on.
            maxRunSeconds: Math.min(BATCH_MAX_RUN_SECONDS, Math.round(args.slaHours * 3600)),
            environment: args.environment,
            ...(reference ? { steps: referenceSteps("training") } : {}),
            dependsOn: [...apis, ...samples, ...imageDependencies(f, args.image)],
        });
        this.jobName = workflow.name;
        this.jobId = workflow.id;
        this.runCommands = { training: workflowRunCommand(workflow.name, f.project, args.ctx.region) };
        this.registerOutputs({
            jobName: this.jobName,
            machineType: this.machineType,
            gpus: this.gpus,
            jobId: this.jobId,
            runCommands: this.runCommands,
        });
    }
}

/** A training job spec as GCP takes it: G2 machines for GPUs in the region, a machine for the dataset. Pure. */
export function checkGcpTrainingJobSpec(a: TrainingJobSpec): InputProblem[] {
    return [
        ...underWorkload("training", checkTrainingJobArgs(a)),
        ...checkGcpTrainingJobArgs(a),
        ...machineProblems(GCP_MACHINES, a.datasetGb, a.gpu, "config.mlops:workload.training.datasetGb"),
    ];
}

/** What training on GCP needs of the foundation: the reference pipeline's files for the reference image. Pure. */
export function gcpTrainingJobNeeds(a: Pick<TrainingJobSpec, "image">): FoundationNeeds {
    return isReferenceImage(a.image) ? { samples: [...REFERENCE_SAMPLES.training] } : NO_NEEDS;
}

/** Training level 1 on GCP. */
export const gcpTrainingJobKit: Capability<TrainingJobSpec, GcpTrainingJob> = {
    check: checkGcpTrainingJobSpec,
    needs: gcpTrainingJobNeeds,
    create: (name, spec, site, opts) => new GcpTrainingJob(name, placedOn(spec, site, GcpFoundation, "GCP"), opts),
};

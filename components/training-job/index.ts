import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../foundation";
import type { Checkable, StackContext } from "../shared/context";
import type { InputProblem } from "../shared/errors";

/** Args of training level 1: one machine that exists only while a training run is going on. */
export interface TrainingJobArgs {
    readonly ctx: StackContext;
    readonly level: number;
    readonly foundation: Foundation;
    /** GB of training data; the machine gets this much memory plus MEMORY_HEADROOM. */
    readonly datasetGb: number;
    /** Train on a GPU machine (unstructured data, or `training.gpu: true`). */
    readonly gpu: boolean;
    /** Hours a run may take (the SLA); runs are stopped after it. */
    readonly slaHours: number;
    /** Container image with the training code. */
    readonly image: string;
    /** Extra environment for the container. DATA_URI, ARTIFACTS_URI and PIPELINE are always set. */
    readonly environment?: Record<string, pulumi.Input<string>>;
}

/** Public outputs of a training job, the same on every cloud. */
export interface TrainingJob extends pulumi.ComponentResource {
    /** The cloud's name for the runnable training job; start a run with it. */
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    /** GPUs on that machine (0 for CPU). */
    readonly gpus: number;
}

export const TRAINING_JOB_TYPE = "mlops:training-job:TrainingJob";

/** A training job as the stack program decides it: its args without the site, with the region. */
export type TrainingJobSpec = Checkable<TrainingJobArgs>;

export function checkTrainingJobArgs(a: Pick<TrainingJobArgs, "datasetGb" | "slaHours" | "image">): InputProblem[] {
    const p: InputProblem[] = [];
    if (!(a.datasetGb >= 0)) p.push({ path: "datasetGb", message: "must be 0 or more" });
    if (!(a.slaHours > 0)) p.push({ path: "slaHours", message: "must be more than 0" });
    if (a.image.trim() === "") p.push({ path: "image", message: "must name a container image" });
    return p;
}

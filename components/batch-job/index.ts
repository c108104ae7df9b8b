import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../foundation";
import type { Checkable, StackContext } from "../shared/context";
import { isFiveFieldCron } from "../shared/cron";
import type { InputProblem } from "../shared/errors";

/** Default time a batch run may take before it is stopped. */
export const DEFAULT_BATCH_TIMEOUT_HOURS = 6;

/** Args of a scheduled one-machine job: data level 1 (features) and inference level 1 (batch scoring). */
export interface BatchJobArgs {
    readonly ctx: StackContext;
    /** The pipeline the job serves. */
    readonly pipeline: "data" | "inference";
    /** The level it implements (1). */
    readonly level: number;
    readonly foundation: Foundation;
    /** GB one run processes; the machine gets this much memory plus MEMORY_HEADROOM. */
    readonly volumeGb: number;
    /** Five-field cron, UTC. */
    readonly schedule: string;
    /** Container image the job runs. */
    readonly image: string;
    /** Extra environment for the container. DATA_URI, ARTIFACTS_URI and PIPELINE are always set. */
    readonly environment?: Record<string, pulumi.Input<string>>;
    /** Hours a run may take before it is stopped; default DEFAULT_BATCH_TIMEOUT_HOURS. */
    readonly timeoutHours?: number;
    /** `serverless` (default): a job service that costs nothing idle. `vm`: one always-on VM. */
    readonly runner?: "serverless" | "vm";
}

/** Public outputs of a batch job, the same on every cloud. */
export interface BatchJob extends pulumi.ComponentResource {
    /** The cloud's name for the runnable job (state machine, container app job, workflow). */
    readonly jobName: pulumi.Output<string>;
    /** The machine type each run gets. */
    readonly machineType: string;
    readonly schedule: string;
}

export const BATCH_JOB_TYPE = "mlops:batch-job:BatchJob";

/** A batch job as the stack program decides it: its args without the site, with the region. */
export type BatchJobSpec = Checkable<BatchJobArgs>;

/** Checks args before anything is created; every problem at once. Pure. */
export function checkBatchJobArgs(
    a: Pick<BatchJobArgs, "volumeGb" | "schedule" | "image" | "timeoutHours">,
): InputProblem[] {
    const p: InputProblem[] = [];
    if (!(a.volumeGb >= 0)) p.push({ path: "volumeGb", message: "must be 0 or more" });
    if (!isFiveFieldCron(a.schedule)) p.push({ path: "schedule", message: "must be a five-field cron expression" });
    if (a.image.trim() === "") p.push({ path: "image", message: "must name a container image" });
    if (a.timeoutHours !== undefined && !(a.timeoutHours > 0 && a.timeoutHours <= 24 * 5))
        p.push({ path: "timeoutHours", message: "must be more than 0 and at most 120" });
    return p;
}

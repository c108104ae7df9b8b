import * as pulumi from "@pulumi/pulumi";
import type { AwsMachineType } from "../../machines/aws";
import { type StackContext, tagsOf } from "../../shared/context";
import { physicalName } from "../../shared/naming";
import type { TagPipeline } from "../../shared/tags";
import {
    type LoggedStateMachine,
    loggedStateMachine,
    type StateMachineHost,
    syncRuleStatement,
} from "./step-functions";

// SageMaker processing and training jobs as the AWS batch and training jobs run them: volume
// sizing, tags as SageMaker's API takes them, and the state machine that runs one job and waits.

/** Disk per GB of data: the input copy plus the output the job writes next to it. */
export const VOLUME_PER_DATA_GB = 2;

/** The smallest job volume, for the OS-independent scratch SageMaker puts there. */
export const MIN_VOLUME_GB = 30;

/** SageMaker's largest ML storage volume. */
export const MAX_VOLUME_GB = 16384;

/**
 * Volume for a job over `dataGb`. Instance types with local NVMe storage cannot be given more than
 * they hold, and their storage needs no KMS key (hardware-encrypted).
 */
export function volumeFor(dataGb: number, machine: AwsMachineType): { sizeGb: number; kms: boolean } {
    const want = Math.min(MAX_VOLUME_GB, Math.max(MIN_VOLUME_GB, Math.ceil(dataGb * VOLUME_PER_DATA_GB)));
    if (machine.localStorageGb !== undefined) return { sizeGb: Math.min(want, machine.localStorageGb), kms: false };
    return { sizeGb: want, kms: true };
}

/** SageMaker job tags as its API takes them. */
export function jobTags(ctx: StackContext, pipeline: TagPipeline, level: number): { Key: string; Value: string }[] {
    return Object.entries(tagsOf(ctx, pipeline, level)).map(([Key, Value]) => ({ Key, Value }));
}

/** Room left for `-<execution name>` (a 36-character UUID) in a 63-character SageMaker job name. */
export const EXECUTION_NAME_RESERVE = 37;

/**
 * Prefix of the SageMaker job names a state machine creates. Lowercase, because SageMaker lowercases
 * names in job ARNs and the IAM policy matches those ARNs.
 */
export function jobNamePrefix(ctx: StackContext, pipeline: string): string {
    return physicalName("awsService", [ctx.project, ctx.stack, pipeline], EXECUTION_NAME_RESERVE).toLowerCase();
}

/** What differs between a processing job and a training job run by Step Functions. */
export interface SageMakerTask {
    /** `processing` or `training`: the SageMaker API and its `.sync` integration. */
    readonly kind: "processing" | "training";
    /** The task's Parameters, without the job name (added here from the execution name). */
    readonly parameters: Record<string, unknown>;
    readonly jobNamePrefix: string;
}

const TASK = {
    processing: {
        api: "createProcessingJob",
        nameKey: "ProcessingJobName.$",
        arnType: "processing-job",
        actions: ["sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob"],
        rule: "StepFunctionsGetEventsForSageMakerProcessingJobsRule",
    },
    training: {
        api: "createTrainingJob",
        nameKey: "TrainingJobName.$",
        arnType: "training-job",
        actions: ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
        rule: "StepFunctionsGetEventsForSageMakerTrainingJobsRule",
    },
} as const;

/** What the state machine needs of the foundation: the account, the logs key and the job role. */
export interface SageMakerHost extends StateMachineHost {
    /** The role SageMaker jobs run as; the state machine passes it. */
    readonly jobRoleArn: pulumi.Output<string>;
}

/** The state machine's parts and its definition as Step Functions receives it. */
export interface StateMachineParts extends LoggedStateMachine {
    readonly definition: pulumi.Output<string>;
}

/**
 * A state machine whose one task creates the SageMaker job, named after the execution, and waits
 * for it. Its role may only run jobs with this prefix, pass the job role, and manage the
 * EventBridge rule Step Functions uses to learn that the job ended.
 */
export function sageMakerStateMachine(
    name: string,
    args: {
        ctx: StackContext;
        pipeline: TagPipeline;
        level: number;
        foundation: SageMakerHost;
        /** Physical name of the state machine. */
        stateMachineName: string;
        roleName: string;
        task: SageMakerTask;
    },
    parent: pulumi.Resource,
): StateMachineParts {
    const { ctx, foundation: f, task } = args;
    const t = TASK[task.kind];
    const region = ctx.region;
    const jobArns = pulumi.interpolate`arn:${f.partition}:sagemaker:${region}:${f.accountId}:${t.arnType}/${task.jobNamePrefix}-*`;
    const definition = pulumi.jsonStringify({
        Comment: `Runs one SageMaker ${task.kind} job for ${ctx.stack} and waits for it to end.`,
        StartAt: "RunJob",
        States: {
            RunJob: {
                Type: "Task",
                Resource: pulumi.interpolate`arn:${f.partition}:states:::sagemaker:${t.api}.sync`,
                Parameters: {
                    ...task.parameters,
                    // One job per execution; the execution name makes it traceable and unique.
                    [t.nameKey]: `States.Format('${task.jobNamePrefix}-{}', $$.Execution.Name)`,
                },
                End: true,
            },
        },
    });
    const parts = loggedStateMachine(
        name,
        {
            host: f,
            stateMachineName: args.stateMachineName,
            roleName: args.roleName,
            statements: [
                {
                    Sid: "RunJobs",
                    Effect: "Allow",
                    Action: [...t.actions, "sagemaker:AddTags", "sagemaker:ListTags"],
                    Resource: jobArns,
                },
                {
                    Sid: "PassJobRole",
                    Effect: "Allow",
                    Action: "iam:PassRole",
                    Resource: f.jobRoleArn,
                    Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } },
                },
                syncRuleStatement(f, region, t.rule),
            ],
            definition,
            tags: tagsOf(ctx, args.pipeline, args.level),
        },
        parent,
    );
    return { ...parts, definition };
}

import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as sagemaker from "@pulumi/aws/sagemaker";
import * as sfn from "@pulumi/aws/sfn";
import * as pulumi from "@pulumi/pulumi";
import type { AwsFoundation } from "../foundation/aws";
import type { AwsMachineType } from "../machines/aws";
import { type StackContext, tagsOf } from "./context";
import { physicalName } from "./naming";
import type { TagPipeline } from "./tags";

// Shared by the AWS batch job and training job: IAM documents, image resolution, volume sizing and
// the Step Functions state machine that runs one SageMaker job and waits for it (`.sync`).

/** One IAM policy statement. `Resource` is "*" only for actions that support no resource ARN. */
export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

export function policyJson(statements: readonly Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy of an EC2 instance role (a VM runner, EKS nodes). No aws:SourceAccount condition:
 * EC2 does not set that key when an instance profile assumes its role, so the condition would
 * leave the instance without credentials; only this account can attach the role to an instance.
 */
export function instanceTrustPolicy(): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
}

/** Trust policy for a service principal, limited to this account (confused-deputy protection). */
export function trustPolicy(service: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}

/** Days job logs (Step Functions, flow logs) are kept: long enough to debug a month of runs. */
export const LOG_RETENTION_DAYS = 90;

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

// ---------------------------------------------------------------------------------------------
// Images

/**
 * Repositories of SageMaker's prebuilt images. An image written `<repository>:<tag>` without a
 * registry host, with one of these repositories, is resolved to the region's registry path
 * (`sagemaker.getPrebuiltEcrImage`), so defaults work in every region. Any other string is used as is.
 */
export const PREBUILT_REPOSITORIES = [
    "sagemaker-scikit-learn",
    "sagemaker-xgboost",
    "pytorch-training",
    "pytorch-inference",
    "tensorflow-training",
    "tensorflow-inference",
    "huggingface-pytorch-training",
    "huggingface-pytorch-inference",
] as const;

/** scikit-learn 1.2-1 for data and batch scoring (CPU). */
export const DEFAULT_SKLEARN_IMAGE = "sagemaker-scikit-learn:1.2-1-cpu-py3";
/**
 * PyTorch 2.10.0 training, CPU build: the newest release AWS publishes in the `pytorch-training`
 * repository that SageMaker's prebuilt-image lookup knows, patched until 2027-01-21 (2.8 stopped
 * on 2026-08-06). Tags as in aws/deep-learning-containers' image data. Newer releases live in the
 * `pytorch` repository, which the lookup does not resolve yet: set `mlops:options.images` for them.
 */
export const DEFAULT_PYTORCH_TRAINING_IMAGE = "pytorch-training:2.10.0-cpu-py313-ubuntu22.04-sagemaker";
/**
 * The same release built for CUDA 13.0, used instead of the CPU default on GPU machines. CUDA 13
 * needs Turing or newer: every catalogued SageMaker GPU type is an A10G (Ampere).
 */
export const DEFAULT_PYTORCH_TRAINING_GPU_IMAGE = "pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker";

export type ImageRef =
    | { kind: "prebuilt"; repository: string; tag: string }
    | { kind: "ecr"; uri: string; repositoryArn: string }
    | { kind: "other"; uri: string };

const ECR_URI =
    /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._/-]+?)(?::[\w.-]+|@sha256:[a-f0-9]{64})?$/;

/** Reads an image string: a prebuilt reference, an ECR URI (with its repository ARN) or anything else. */
export function parseImage(image: string): ImageRef {
    const pre = /^([a-z0-9-]+):([\w.-]+)$/.exec(image);
    if (pre && (PREBUILT_REPOSITORIES as readonly string[]).includes(pre[1]!))
        return { kind: "prebuilt", repository: pre[1]!, tag: pre[2]! };
    const ecr = ECR_URI.exec(image);
    if (ecr) {
        const partition = ecr[3] ? "aws-cn" : "aws";
        return {
            kind: "ecr",
            uri: image,
            repositoryArn: `arn:${partition}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[4]}`,
        };
    }
    return { kind: "other", uri: image };
}

/** ECR repository ARN of a registry path, e.g. from getPrebuiltEcrImage. */
export function ecrRepositoryArn(uri: string): string {
    const r = parseImage(uri);
    if (r.kind !== "ecr") throw new Error(`not an ECR image URI: ${uri}`);
    return r.repositoryArn;
}

export interface ResolvedImage {
    readonly uri: pulumi.Output<string>;
    /** The ECR repository the job pulls from, when the image is in ECR (grant it pull rights). */
    readonly repositoryArn?: pulumi.Output<string>;
}

/** Resolves an image to a URI SageMaker can pull, with the repository to grant pull rights on. */
export function resolveImage(image: string, parent: pulumi.Resource): ResolvedImage {
    const ref = parseImage(image);
    switch (ref.kind) {
        case "prebuilt": {
            const found = sagemaker.getPrebuiltEcrImageOutput(
                { repositoryName: ref.repository, imageTag: ref.tag },
                { parent },
            );
            const uri = found.registryPath;
            return { uri, repositoryArn: uri.apply(ecrRepositoryArn) };
        }
        case "ecr":
            return { uri: pulumi.output(ref.uri), repositoryArn: pulumi.output(ref.repositoryArn) };
        case "other":
            return { uri: pulumi.output(ref.uri) };
    }
}

/** Lets `role` pull the job's image: only that repository (GetAuthorizationToken is in the foundation). */
export function imagePullPolicy(
    name: string,
    role: pulumi.Input<string>,
    image: ResolvedImage,
    parent: pulumi.Resource,
): iam.RolePolicy | undefined {
    if (image.repositoryArn === undefined) return undefined;
    return new iam.RolePolicy(
        name,
        {
            role,
            policy: policyJson([
                {
                    Sid: "PullJobImage",
                    Effect: "Allow",
                    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                    Resource: image.repositoryArn,
                },
            ]),
        },
        { parent },
    );
}

// ---------------------------------------------------------------------------------------------
// The state machine

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

/**
 * Log delivery actions Step Functions needs to write to CloudWatch Logs. AWS documents that they
 * support no resource-level permissions, hence "*".
 */
export const SFN_LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
];

export interface StateMachineParts {
    readonly stateMachine: sfn.StateMachine;
    readonly role: iam.Role;
    readonly logGroup: cloudwatch.LogGroup;
    /** The definition as Step Functions receives it. */
    readonly definition: pulumi.Output<string>;
}

/**
 * A STANDARD state machine whose one task creates the SageMaker job, named after the execution,
 * and waits for it. Its role may only run jobs with this prefix, pass the job role, and manage the
 * EventBridge rule Step Functions uses to learn that the job ended.
 */
export function sageMakerStateMachine(
    name: string,
    args: {
        ctx: StackContext;
        pipeline: TagPipeline;
        level: number;
        foundation: AwsFoundation;
        /** Physical name of the state machine. */
        stateMachineName: string;
        roleName: string;
        task: SageMakerTask;
    },
    parent: pulumi.Resource,
): StateMachineParts {
    const { ctx, foundation: f, task } = args;
    const t = TASK[task.kind];
    const tags = tagsOf(ctx, args.pipeline, args.level);
    const region = ctx.region;

    const logGroup = new cloudwatch.LogGroup(
        `${name}-sfn-logs`,
        {
            // The /aws/vendedlogs/ prefix keeps CloudWatch's resource policy small (AWS's advice for Step Functions).
            name: `/aws/vendedlogs/states/${args.stateMachineName}`,
            retentionInDays: LOG_RETENTION_DAYS,
            kmsKeyId: f.kmsKeyArn,
            tags,
        },
        { parent },
    );

    const role = new iam.Role(
        `${name}-sfn-role`,
        { name: args.roleName, assumeRolePolicy: trustPolicy("states.amazonaws.com", f.accountId), tags },
        { parent },
    );
    const jobArns = pulumi.interpolate`arn:${f.partition}:sagemaker:${region}:${f.accountId}:${t.arnType}/${task.jobNamePrefix}-*`;
    const policy = new iam.RolePolicy(
        `${name}-sfn-policy`,
        {
            role: role.id,
            policy: policyJson([
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
                {
                    Sid: "SyncRule",
                    Effect: "Allow",
                    Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                    Resource: pulumi.interpolate`arn:${f.partition}:events:${region}:${f.accountId}:rule/${t.rule}`,
                },
                { Sid: "LogDelivery", Effect: "Allow", Action: SFN_LOG_DELIVERY_ACTIONS, Resource: "*" },
            ]),
        },
        { parent },
    );

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

    const stateMachine = new sfn.StateMachine(
        `${name}-sfn`,
        {
            name: args.stateMachineName,
            type: "STANDARD",
            roleArn: role.arn,
            definition,
            loggingConfiguration: {
                // The log destination must name the log streams (":*").
                logDestination: pulumi.interpolate`${logGroup.arn}:*`,
                // Every state transition, without the job's input and output data.
                includeExecutionData: false,
                level: "ALL",
            },
            tags,
        },
        // Step Functions checks the role's log delivery rights when the state machine is created.
        { parent, dependsOn: [policy] },
    );
    return { stateMachine, role, logGroup, definition };
}

import * as path from "node:path";
import * as ec2 from "@pulumi/aws/ec2";
import * as emrserverless from "@pulumi/aws/emrserverless";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, type Statement, trustPolicy } from "../blocks/aws/iam";
import { type RunCommands, SAMPLE, startExecutionCommand } from "../blocks/aws/samples";
import { loggedStateMachine, scheduledStart, syncRuleStatement } from "../blocks/aws/step-functions";
import { type Capability, placed } from "../capability";
import { foundationProblems, NO_NEEDS } from "../foundation";
import { AwsFoundation } from "../foundation/aws";
import { sampleArtifact } from "../shared/artifacts";
import { type StackContext, tagsOf } from "../shared/context";
import { isFiveFieldCron, toAwsCron } from "../shared/cron";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkSparkClusterArgs,
    clusterVolumeGb,
    DEFAULT_MODEL_PATH,
    DEFAULT_SPARK_TIMEOUT_HOURS,
    dynamicAllocation,
    IDLE_MINUTES,
    jobArguments,
    joinUri,
    LOGS_PREFIX,
    pipelinesOf,
    SPARK_TYPE,
    type SparkCluster,
    type SparkClusterArgs,
    type SparkJobSpec,
    type SparkLimits,
    type SparkPipeline,
    type SparkSize,
    type SparkSpec,
    type SparkWorkerType,
    scriptPath,
    sizeProblems,
    sparkSizeOrThrow,
} from "./index";

/** EMR release with Spark 3.5 that EMR Serverless runs (EMR Serverless release versions, 7.x). */
export const EMR_RELEASE_LABEL = "emr-7.12.0";

/**
 * EMR Serverless worker sizes (AWS: "Supported worker configurations"): 4 vCPU up to 30 GB, 8 up to
 * 60 GB in 4 GB steps, 16 up to 120 GB in 8 GB steps. 4 GB per vCPU, then the 16 vCPU maximum.
 */
export const EMR_SERVERLESS_WORKERS: readonly SparkWorkerType[] = [
    { name: "4 vCPU / 16 GB", vcpus: 4, memoryGb: 16 },
    { name: "8 vCPU / 32 GB", vcpus: 8, memoryGb: 32 },
    { name: "16 vCPU / 64 GB", vcpus: 16, memoryGb: 64 },
    { name: "16 vCPU / 120 GB", vcpus: 16, memoryGb: 120 },
];

/**
 * One executor at the smallest (dynamic allocation releases the rest); at most 200 executors, which
 * is 3,200 vCPU at the largest size: above the default account quota, so such stacks ask for more.
 */
export const EMR_SERVERLESS_LIMITS: SparkLimits = { minWorkers: 1, maxWorkers: 200 };

/** Local disk per worker: EMR Serverless gives 20 GB free and takes up to 200 GB (standard disks). */
export const MIN_WORKER_DISK_GB = 20;
export const MAX_WORKER_DISK_GB = 200;
/** Disk per GB of data, spread over the workers: shuffle and spill space. */
export const DISK_PER_DATA_GB = 2;
/**
 * Share of a worker's memory Spark's heap may take: EMR Serverless adds spark.*.memoryOverhead (10%)
 * to the heap, and the sum must fit the worker.
 */
export const HEAP_SHARE = 0.9;

/** Step Functions' managed EventBridge rule for `emr-serverless:startJobRun.sync`. */
export const SYNC_RULE = "StepFunctionsGetEventsForEMRServerlessJobRule";

/**
 * The foundation's uploads a Spark job of the reference pipeline reads: its entry script (inference
 * also runs the features script first), the jobs package (`--py-files`) and the sample rows. A job
 * given its own `script` reads none of them. (Scoring's model is the component's own upload,
 * MODEL_PARAMETERS_KEY.)
 */
export function sparkSamples(job: Pick<SparkJobSpec, "pipeline" | "script">): string[] {
    if (job.script !== undefined) return [];
    const names: string[] = [SAMPLE.sparkData, SAMPLE.code, SAMPLE.data];
    if (job.pipeline === "inference") names.push(SAMPLE.sparkInference);
    return names;
}

/**
 * Where sample scoring on EMR reads the model: its numpy parameters (jobs/gaussian_nb.py), beside
 * the sample model.joblib. EMR Serverless's release image is not documented to ship scikit-learn,
 * which the joblib file needs; the parameters need numpy only and score with the same bits.
 */
export const MODEL_PARAMETERS_KEY = "samples/models/sklearn/gaussian-nb.json";

/** Whether a job scores with the sample model (the reference script, no `modelPath` of the team's). */
const scoresSample = (job: Pick<SparkJobSpec, "pipeline" | "script" | "modelPath">) =>
    job.pipeline === "inference" && job.script === undefined && job.modelPath === undefined;

/** One Spark step of a state machine: its entry script, arguments and extra spark-submit flags. */
export interface SparkStep {
    readonly name: string;
    readonly entryPoint: string;
    readonly arguments: string[];
    /** spark-submit flags beyond the sizing ones (`--py-files ...`). */
    readonly extraParameters?: string;
}

/** Per-worker disk for a run over `volumeGb` on `maxWorkers` workers. Pure. */
export function workerDiskGb(volumeGb: number, maxWorkers: number): number {
    const want = Math.ceil((volumeGb * DISK_PER_DATA_GB) / Math.max(1, maxWorkers));
    return Math.min(MAX_WORKER_DISK_GB, Math.max(MIN_WORKER_DISK_GB, want));
}

/** `spark-submit` flags that size driver and executors to the worker type. Pure. */
export function sparkSubmitParameters(size: SparkSize, diskGb: number): string {
    const heap = `${Math.floor(size.worker.memoryGb * HEAP_SHARE)}g`;
    const conf: Record<string, string> = {
        "spark.driver.cores": String(size.worker.vcpus),
        "spark.driver.memory": heap,
        "spark.executor.cores": String(size.worker.vcpus),
        "spark.executor.memory": heap,
        "spark.emr-serverless.driver.disk": `${diskGb}g`,
        "spark.emr-serverless.executor.disk": `${diskGb}g`,
        ...dynamicAllocation(size),
    };
    return Object.entries(conf)
        .map(([k, v]) => `--conf ${k}=${v}`)
        .join(" ");
}

/** AWS checks on top of the cloud-neutral ones: schedules AWS can express, the size. Pure. */
export function checkAwsSparkArgs(a: Pick<SparkClusterArgs, "jobs" | "level">): InputProblem[] {
    const p = checkSparkClusterArgs(a);
    for (const j of a.jobs) {
        if (!isFiveFieldCron(j.schedule)) continue;
        const cron = toAwsCron(j.schedule);
        if (!cron.ok) p.push({ path: `config.mlops:workload.${j.pipeline}.schedule`, message: cron.message });
    }
    return [...p, ...sizeProblems(a.jobs, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS)];
}

/**
 * The Spark cluster on AWS: one EMR Serverless application in the foundation's private subnets,
 * run by a Step Functions state machine per pipeline on an EventBridge Scheduler schedule.
 *
 * EMR Serverless rather than EMR on EC2: a cluster that runs one batch a day should cost nothing
 * the other 23 hours. The application has no pre-initialised capacity and stops itself after
 * IDLE_MINUTES, so between runs nothing bills; workers start in the private subnets per run.
 * EMR on EC2 would need an always-on (or per-run, slower) cluster, interface endpoints or a NAT
 * gateway for its control plane (billed hourly), and a TLS certificate bundle for in-transit
 * encryption; EMR Serverless encrypts traffic between workers and to S3 with TLS by default,
 * encrypts local disks, and reaches S3 through the foundation's free gateway endpoint.
 */
export class AwsSparkCluster extends pulumi.ComponentResource implements SparkCluster {
    readonly clusterName: pulumi.Output<string>;
    readonly jobNames: Readonly<Partial<Record<SparkPipeline, pulumi.Output<string>>>>;
    readonly workerType: string;
    readonly minWorkers: number;
    readonly maxWorkers: number;
    readonly pipelines: readonly SparkPipeline[];
    /** EMR Serverless application id (job runs are submitted to it). */
    readonly applicationId: pulumi.Output<string>;
    readonly executionRoleArn: pulumi.Output<string>;
    /** Per pipeline, `aws stepfunctions start-execution …` of its state machine: a run now. */
    readonly runCommands: RunCommands;

    constructor(name: string, args: SparkClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = checkAwsSparkArgs(args);
        problems.push(
            ...foundationProblems(args.foundation, AwsFoundation, "AWS", {
                ready: (f) => f.hasNetwork,
                why: "Spark workers run in its private subnets",
            }),
        );
        throwIfProblems(problems);
        super(SPARK_TYPE, name, {}, opts);
        const f = args.foundation as AwsFoundation;
        const { ctx, level } = args;
        const pipelines = pipelinesOf(args.jobs);
        const tags = tagsOf(ctx, pipelines, level);
        const parent = { parent: this };
        const volume = clusterVolumeGb(args.jobs);
        const size = sparkSizeOrThrow(volume, EMR_SERVERLESS_WORKERS, EMR_SERVERLESS_LIMITS);
        const diskGb = workerDiskGb(volume, size.maxWorkers);
        this.pipelines = pipelines;
        this.workerType = size.worker.name;
        this.minWorkers = size.minWorkers;
        this.maxWorkers = size.maxWorkers;

        // Workers talk to each other (shuffle, driver) and to S3, nothing else: no internet route.
        const sg = new ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: f.vpcId!,
                description: "EMR Serverless workers: traffic among themselves and HTTPS to S3 only",
                tags,
            },
            parent,
        );
        new vpc.SecurityGroupIngressRule(
            `${name}-sg-in-self`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: sg.id,
                ipProtocol: "-1",
                description: "Spark driver and executors",
                tags,
            },
            parent,
        );
        new vpc.SecurityGroupEgressRule(
            `${name}-sg-out-self`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: sg.id,
                ipProtocol: "-1",
                description: "Spark driver and executors",
                tags,
            },
            parent,
        );
        const s3PrefixList = ec2.getPrefixListOutput({ name: `com.amazonaws.${ctx.region}.s3` }, parent);
        new vpc.SecurityGroupEgressRule(
            `${name}-sg-out-s3`,
            {
                securityGroupId: sg.id,
                prefixListId: s3PrefixList.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to S3 through the gateway endpoint",
                tags,
            },
            parent,
        );

        const executionRole = new iam.Role(
            `${name}-execution-role`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, "spark"]),
                description: "Role EMR Serverless Spark jobs run as: the stack's buckets and key only",
                assumeRolePolicy: trustPolicy("emr-serverless.amazonaws.com", f.accountId),
                tags,
            },
            parent,
        );
        new iam.RolePolicy(
            `${name}-execution-policy`,
            { role: executionRole.id, policy: policyJson(storageStatements(f)) },
            parent,
        );
        this.executionRoleArn = executionRole.arn;

        const logUri = pulumi.interpolate`${f.artifactsUri.apply((u) => joinUri(u, LOGS_PREFIX))}/`;
        const capacity = (n: number) => ({
            cpu: `${n * size.worker.vcpus} vCPU`,
            memory: `${n * size.worker.memoryGb} GB`,
            disk: `${n * diskGb} GB`,
        });
        const app = new emrserverless.Application(
            `${name}-app`,
            {
                name: physicalName("awsService", [ctx.project, ctx.stack, "spark"]),
                releaseLabel: EMR_RELEASE_LABEL,
                type: "spark",
                architecture: "X86_64",
                // No initialCapacities: nothing is kept warm, so an idle application costs nothing.
                autoStartConfiguration: { enabled: true },
                autoStopConfiguration: { enabled: true, idleTimeoutMinutes: IDLE_MINUTES },
                // The executors at their most plus one driver.
                maximumCapacity: capacity(size.maxWorkers + 1),
                networkConfiguration: { subnetIds: f.privateSubnetIds!, securityGroupIds: [sg.id] },
                monitoringConfiguration: {
                    s3MonitoringConfiguration: { logUri, encryptionKeyArn: f.kmsKeyArn },
                },
                tags,
            },
            parent,
        );
        this.applicationId = app.id;
        this.clusterName = app.name;

        // The sample model's numpy parameters, uploaded here (they are not in the jobs manifest):
        // the scoring state machine takes the upload's outputs, so it exists before a run.
        const modelFile = path.join(path.dirname(sampleArtifact(SAMPLE.model).path), "gaussian-nb.json");
        const modelParameters = args.jobs.some(scoresSample)
            ? new s3.BucketObjectv2(
                  `${name}-model-parameters`,
                  {
                      bucket: f.artifactsBucketName,
                      key: MODEL_PARAMETERS_KEY,
                      source: new pulumi.asset.FileAsset(modelFile),
                      contentType: "application/json",
                      serverSideEncryption: "aws:kms",
                      kmsKeyId: f.kmsKeyArn,
                      bucketKeyEnabled: true,
                      tags: tagsOf(ctx, "inference", level),
                  },
                  parent,
              )
            : undefined;
        const jobNames: Partial<Record<SparkPipeline, pulumi.Output<string>>> = {};
        const runCommands: RunCommands = {};
        for (const job of args.jobs) {
            const sm = this.scheduledJob(`${name}-${job.pipeline}`, {
                ctx,
                level,
                foundation: f,
                job,
                applicationId: app.id,
                applicationArn: app.arn,
                executionRoleArn: executionRole.arn,
                submitParameters: sparkSubmitParameters(size, diskGb),
                logUri,
                modelParameters,
            });
            jobNames[job.pipeline] = sm.name;
            runCommands[job.pipeline] = startExecutionCommand(ctx.region, sm.arn);
        }
        this.jobNames = jobNames;
        this.runCommands = runCommands;

        this.registerOutputs({
            clusterName: this.clusterName,
            jobNames: this.jobNames,
            workerType: this.workerType,
            minWorkers: this.minWorkers,
            maxWorkers: this.maxWorkers,
            applicationId: this.applicationId,
            runCommands: this.runCommands,
        });
    }

    /** A STANDARD state machine that runs one job and waits for it, started by a schedule. */
    private scheduledJob(
        name: string,
        a: {
            ctx: StackContext;
            level: number;
            foundation: AwsFoundation;
            job: SparkJobSpec;
            applicationId: pulumi.Output<string>;
            applicationArn: pulumi.Output<string>;
            executionRoleArn: pulumi.Output<string>;
            submitParameters: string;
            logUri: pulumi.Output<string>;
            /** The uploaded parameters of the sample model, when a job scores with it. */
            modelParameters?: s3.BucketObjectv2;
        },
    ): { name: pulumi.Output<string>; arn: pulumi.Output<string> } {
        const { ctx, job, foundation: f } = a;
        const tags = tagsOf(ctx, job.pipeline, a.level);
        const machineName = physicalName("awsService", [ctx.project, ctx.stack, job.pipeline, "spark"]);
        const timeoutMinutes = Math.round((job.timeoutHours ?? DEFAULT_SPARK_TIMEOUT_HOURS) * 60);

        // The reference pipeline's scripts from the foundation's uploads (so the state machine
        // depends on them), the jobs package on --py-files; a team's `script` as it is named.
        const sample = sparkSamples(job).length > 0;
        const uri = (n: string) => (sample ? f.sampleUri(n) : pulumi.output(""));
        const definition = pulumi
            .all({
                applicationId: a.applicationId,
                executionRoleArn: a.executionRoleArn,
                dataUri: f.dataUri,
                artifactsUri: f.artifactsUri,
                logUri: a.logUri,
                keyArn: f.kmsKeyArn,
                partition: f.partition,
                featuresScript: uri(SAMPLE.sparkData),
                script: uri(job.pipeline === "inference" ? SAMPLE.sparkInference : SAMPLE.sparkData),
                jobsZip: uri(SAMPLE.code),
                sampleModel:
                    scoresSample(job) && a.modelParameters
                        ? pulumi.interpolate`s3://${a.modelParameters.bucket}/${a.modelParameters.key}`
                        : pulumi.output(""),
            })
            .apply((raw) => {
                // Every value is a string once resolved (the SDK's record typing keeps `undefined`).
                const u = raw as unknown as SampleUris & {
                    applicationId: string;
                    executionRoleArn: string;
                    logUri: string;
                    keyArn: string;
                    partition: string;
                };
                return JSON.stringify(
                    startJobRunDefinition({
                        partition: u.partition,
                        stack: ctx.stack,
                        job,
                        applicationId: u.applicationId,
                        executionRoleArn: u.executionRoleArn,
                        steps: sample
                            ? sampleSteps(job, u)
                            : [
                                  {
                                      name: "RunSparkJob",
                                      entryPoint: joinUri(u.artifactsUri, scriptPath(job)),
                                      arguments: jobArguments(job, u.dataUri, u.artifactsUri),
                                  },
                              ],
                        submitParameters: a.submitParameters,
                        logUri: u.logUri,
                        keyArn: u.keyArn,
                        timeoutMinutes,
                        tags: tagsOf(ctx, job.pipeline, a.level),
                    }),
                );
            });
        const { stateMachine } = loggedStateMachine(
            name,
            {
                host: f,
                stateMachineName: machineName,
                roleName: physicalName("awsIamRole", [ctx.project, ctx.stack, job.pipeline, "spark-states"]),
                statements: [
                    {
                        Sid: "StartRuns",
                        Effect: "Allow",
                        Action: "emr-serverless:StartJobRun",
                        Resource: a.applicationArn,
                    },
                    {
                        // TagResource: the run is tagged as it starts (tag-on-create is authorised
                        // on the job run as well as StartJobRun).
                        Sid: "FollowRuns",
                        Effect: "Allow",
                        Action: [
                            "emr-serverless:GetJobRun",
                            "emr-serverless:CancelJobRun",
                            "emr-serverless:TagResource",
                        ],
                        Resource: pulumi.interpolate`${a.applicationArn}/jobruns/*`,
                    },
                    {
                        Sid: "PassExecutionRole",
                        Effect: "Allow",
                        Action: "iam:PassRole",
                        Resource: a.executionRoleArn,
                        Condition: { StringEquals: { "iam:PassedToService": "emr-serverless.amazonaws.com" } },
                    },
                    syncRuleStatement(f, ctx.region, SYNC_RULE),
                ],
                definition,
                tags,
            },
            this,
        );
        const cron = toAwsCron(job.schedule);
        if (!cron.ok) throw new Error(cron.message); // unreachable: checked in the constructor
        scheduledStart(
            name,
            {
                host: f,
                stateMachineArn: stateMachine.arn,
                scheduleName: machineName,
                roleName: physicalName("awsIamRole", [ctx.project, ctx.stack, job.pipeline, "spark-scheduler"]),
                description: `${job.pipeline} level ${a.level} on Spark: ${job.schedule} (UTC)`,
                expression: cron.value,
                tags,
            },
            this,
        );
        return { name: stateMachine.name, arn: stateMachine.arn };
    }
}

/** Where the reference pipeline's Spark steps read: the buckets and the uploads. */
export interface SampleUris {
    readonly dataUri: string;
    readonly artifactsUri: string;
    /** The uploaded features script (data.py). */
    readonly featuresScript: string;
    /** The uploaded script of the job's own pipeline. */
    readonly script: string;
    readonly jobsZip: string;
    /** The uploaded model; "" when the job names its own `modelPath`. */
    readonly sampleModel: string;
}

/**
 * The reference pipeline's Spark steps. Data: raw rows to `samples/features/`. Inference: the same
 * features step first, then scoring with the model as a UDF, so a scoring run works whatever else
 * the stack runs (the features are deterministic: a data run writes the same files). The jobs
 * package goes on `--py-files` (the scripts are told not to fetch it again). Pure.
 */
export function sampleSteps(job: Pick<SparkJobSpec, "pipeline" | "modelPath">, u: SampleUris): SparkStep[] {
    const common = ["--data-uri", u.dataUri, "--artifacts-uri", u.artifactsUri, "--package", "none"];
    const extraParameters = `--py-files ${u.jobsZip}`;
    const features: SparkStep = {
        name: job.pipeline === "data" ? "RunSparkJob" : "BuildFeatures",
        entryPoint: u.featuresScript,
        arguments: ["--pipeline", "data", ...common],
        extraParameters,
    };
    if (job.pipeline === "data") return [features];
    const model = u.sampleModel !== "" ? u.sampleModel : joinUri(u.artifactsUri, job.modelPath ?? DEFAULT_MODEL_PATH);
    return [
        features,
        {
            name: "RunSparkJob",
            entryPoint: u.script,
            arguments: ["--pipeline", "inference", ...common, "--model-uri", model],
            extraParameters,
        },
    ];
}

/** S3 and KMS rights on the foundation's buckets and key: what a Spark job reads and writes. */
function storageStatements(f: AwsFoundation): Statement[] {
    return [
        {
            Sid: "ListBuckets",
            Effect: "Allow",
            Action: ["s3:ListBucket", "s3:GetBucketLocation"],
            Resource: [f.dataBucketArn, f.artifactsBucketArn],
        },
        {
            Sid: "ReadWriteObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
            Resource: [pulumi.interpolate`${f.dataBucketArn}/*`, pulumi.interpolate`${f.artifactsBucketArn}/*`],
        },
        {
            Sid: "UseKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
            Resource: f.kmsKeyArn,
        },
    ];
}

/**
 * The state machine that submits its steps' job runs one after the other and waits for each
 * (`startJobRun.sync`); the last step is `RunSparkJob`. Pure.
 */
export function startJobRunDefinition(o: {
    /** `aws`, or `aws-cn` / `aws-us-gov`: the integration ARN is per partition. */
    partition: string;
    stack: string;
    job: Pick<SparkJobSpec, "pipeline">;
    applicationId: string;
    executionRoleArn: string;
    steps: readonly SparkStep[];
    submitParameters: string;
    logUri: string;
    keyArn: string;
    timeoutMinutes: number;
    tags: Record<string, string>;
}): Record<string, unknown> {
    if (o.steps.length === 0) throw new Error("a Spark state machine needs at least one step");
    const states = Object.fromEntries(
        o.steps.map((step, i) => {
            const next = o.steps[i + 1];
            return [
                step.name,
                {
                    Type: "Task",
                    Resource: `arn:${o.partition}:states:::emr-serverless:startJobRun.sync`,
                    Parameters: {
                        ApplicationId: o.applicationId,
                        ExecutionRoleArn: o.executionRoleArn,
                        "ClientToken.$": "States.UUID()",
                        "Name.$":
                            i === o.steps.length - 1
                                ? "$$.Execution.Name"
                                : `States.Format('{}-${step.name}', $$.Execution.Name)`,
                        JobDriver: {
                            SparkSubmit: {
                                EntryPoint: step.entryPoint,
                                EntryPointArguments: step.arguments,
                                SparkSubmitParameters: [o.submitParameters, step.extraParameters]
                                    .filter((x) => x !== undefined && x !== "")
                                    .join(" "),
                            },
                        },
                        ConfigurationOverrides: {
                            MonitoringConfiguration: {
                                S3MonitoringConfiguration: { LogUri: o.logUri, EncryptionKeyArn: o.keyArn },
                            },
                        },
                        ExecutionTimeoutMinutes: o.timeoutMinutes,
                        Tags: o.tags,
                    },
                    // The next step's output would overwrite this one's; only the state flows on.
                    ResultPath: null,
                    ...(next ? { Next: next.name } : { End: true }),
                },
            ];
        }),
    );
    return {
        Comment: `Runs the ${o.job.pipeline} Spark job of ${o.stack} on EMR Serverless and waits for it to end.`,
        StartAt: o.steps[0]!.name,
        States: states,
    };
}

/** EMR Serverless as the AWS Spark capability, with its pure pre-flight check. */
export const awsSparkKit: Capability<SparkSpec, AwsSparkCluster> = {
    check: checkAwsSparkArgs,
    needs: (spec) => {
        const samples = [...new Set(spec.jobs.flatMap(sparkSamples))];
        return samples.length > 0 ? { samples } : NO_NEEDS;
    },
    create: (name, spec, site, opts) => new AwsSparkCluster(name, placed(spec, site), opts),
};

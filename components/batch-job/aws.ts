import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as ssm from "@pulumi/aws/ssm";
import * as pulumi from "@pulumi/pulumi";
import { instanceTrustPolicy } from "../blocks/aws/iam";
import { imagePullPolicy, resolveImage } from "../blocks/aws/images";
import { jobNamePrefix, jobTags, sageMakerStateMachine, volumeFor } from "../blocks/aws/sagemaker";
import {
    type RunCommands,
    runsSample,
    SAMPLE,
    SAMPLE_OUTPUTS,
    SAMPLES_READ,
    type SampleJobUris,
    sampleProcessing,
    startExecutionCommand,
} from "../blocks/aws/samples";
import { scheduledStart } from "../blocks/aws/step-functions";
import { type Capability, placed } from "../capability";
import { foundationProblems, NO_NEEDS } from "../foundation";
import { AwsFoundation, ECR_ENDPOINT_SERVICES } from "../foundation/aws";
import { pickMachine } from "../machines";
import { type AwsMachineType, EC2_MACHINES, SAGEMAKER_MACHINES } from "../machines/aws";
import { machineProblems } from "../machines/index";
import { tagsOf } from "../shared/context";
import { isFiveFieldCron, toAwsCron, toSystemdOnCalendar } from "../shared/cron";
import { type InputProblem, throwIfProblems, underWorkload } from "../shared/errors";
import { physicalName } from "../shared/naming";
import { shellQuote } from "../shared/shell";
import { timerUnit } from "../shared/systemd";
import {
    BATCH_JOB_TYPE,
    type BatchJob,
    type BatchJobArgs,
    type BatchJobSpec,
    checkBatchJobArgs,
    DEFAULT_BATCH_TIMEOUT_HOURS,
} from "./index";

/** Public SSM parameter that always names the current Amazon Linux 2023 x86_64 AMI. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** Root volume of the `vm` runner besides the data: OS, Docker and the image. */
export const VM_BASE_VOLUME_GB = 30;
/** IMDS hops: 2 so the container, one hop behind Docker's bridge, can reach instance credentials. */
export const IMDS_HOP_LIMIT = 2;

/**
 * AWS-specific checks on top of checkBatchJobArgs: the schedule must convert to an AWS schedule and
 * the foundation must be the AWS one with a network (SageMaker jobs run inside the VPC). Pure.
 */
export function checkAwsBatchJobArgs(
    a: Pick<BatchJobArgs, "volumeGb" | "schedule" | "image" | "timeoutHours" | "foundation">,
): InputProblem[] {
    const p = checkBatchJobArgs(a);
    if (isFiveFieldCron(a.schedule)) {
        const cron = toAwsCron(a.schedule);
        if (!cron.ok) p.push({ path: "schedule", message: cron.message });
    }
    p.push(
        ...foundationProblems(a.foundation, AwsFoundation, "AWS", {
            ready: (f) => f.hasNetwork,
            why: "jobs run in its private subnets",
        }),
    );
    return p;
}

/**
 * A scheduled one-machine job on AWS (data level 1, inference level 1).
 *
 * `serverless` (default): EventBridge Scheduler starts a Step Functions execution that runs one
 * SageMaker processing job on the smallest ml.* instance with the memory, inside the private
 * subnets, and waits for it. Nothing runs, and nothing is billed, between runs.
 *
 * `vm`: one always-on EC2 instance in a private subnet whose systemd timer runs the container on
 * the schedule. It is billed every hour, used or not; choose it only for very frequent runs.
 */
export class AwsBatchJob extends pulumi.ComponentResource implements BatchJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly schedule: string;
    /** The AWS schedule expression (serverless) or systemd OnCalendar value (vm) the cron became. */
    readonly scheduleExpression: string;
    readonly runner: "serverless" | "vm";
    /**
     * The command that starts a run now (serverless): `aws stepfunctions start-execution …`. The
     * `vm` runner has none: its timer runs the job, and the instance has no route to Systems
     * Manager for a remote start.
     */
    readonly runCommands?: RunCommands;
    /** Whether the job runs the reference pipeline (the default image) rather than a team's own. */
    readonly sample: boolean;

    constructor(name: string, args: BatchJobArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything that can fail on input fails here, before the component or any child exists.
        const at = `config.mlops:workload.${args.pipeline}`;
        throwIfProblems(
            checkAwsBatchJobArgs(args).map((p) => ({
                ...p,
                path: p.path === "foundation" ? p.path : `${at}.${p.path}`,
            })),
        );
        const runner = args.runner ?? "serverless";
        const machine = pickMachine(
            runner === "vm" ? EC2_MACHINES : SAGEMAKER_MACHINES,
            args.volumeGb,
            false,
            `${at}.volumeGb`,
        );
        const when = runner === "vm" ? toSystemdOnCalendar(args.schedule) : toAwsCron(args.schedule);
        if (!when.ok) throw new Error(when.message); // unreachable: checked above
        super(BATCH_JOB_TYPE, name, {}, opts);
        const f = args.foundation as AwsFoundation;
        this.runner = runner;
        this.schedule = args.schedule;
        this.machineType = machine.name;
        this.scheduleExpression = when.value;
        const timeoutHours = args.timeoutHours ?? DEFAULT_BATCH_TIMEOUT_HOURS;
        const environment: Record<string, pulumi.Input<string>> = {
            ...args.environment,
            DATA_URI: f.dataUri,
            ARTIFACTS_URI: f.artifactsUri,
            PIPELINE: args.pipeline,
        };
        this.sample = runsSample(args.image);
        if (runner === "vm") this.jobName = this.vm(name, args, f, machine, environment, timeoutHours);
        else {
            const sm = this.serverless(name, args, f, machine, environment, timeoutHours);
            this.jobName = sm.name;
            this.runCommands = { [args.pipeline]: startExecutionCommand(f.region, sm.arn) };
        }
        this.registerOutputs({
            jobName: this.jobName,
            machineType: this.machineType,
            schedule: this.schedule,
            runCommands: this.runCommands,
        });
    }

    private serverless(
        name: string,
        args: BatchJobArgs,
        f: AwsFoundation,
        machine: AwsMachineType,
        environment: Record<string, pulumi.Input<string>>,
        timeoutHours: number,
    ): { name: pulumi.Output<string>; arn: pulumi.Output<string> } {
        const { ctx, pipeline, level } = args;
        const tags = tagsOf(ctx, pipeline, level);
        const image = resolveImage(args.image, this);
        imagePullPolicy(`${name}-image-pull`, f.jobRoleName, image, this);
        const volume = volumeFor(args.volumeGb, machine);
        // The reference pipeline's step, reading the foundation's uploads (so the state machine
        // depends on them) and writing under samples/; a team image runs as it is built.
        const sample = this.sample ? sampleProcessing(pipeline, sampleUris(f, pipeline), f.kmsKeyArn) : undefined;

        const parts = sageMakerStateMachine(
            name,
            {
                ctx,
                pipeline,
                level,
                foundation: f,
                stateMachineName: physicalName("awsService", [ctx.project, ctx.stack, pipeline]),
                roleName: physicalName("awsIamRole", [ctx.project, ctx.stack, pipeline, "states"]),
                task: {
                    kind: "processing",
                    jobNamePrefix: jobNamePrefix(ctx, pipeline),
                    parameters: {
                        ProcessingResources: {
                            ClusterConfig: {
                                InstanceCount: 1,
                                InstanceType: machine.name,
                                VolumeSizeInGB: volume.sizeGb,
                                ...(volume.kms ? { VolumeKmsKeyId: f.kmsKeyArn } : {}),
                            },
                        },
                        AppSpecification: { ImageUri: image.uri, ...(sample?.app as object) },
                        Environment: { ...environment, ...(sample?.environment as object) },
                        ...(sample
                            ? {
                                  ProcessingInputs: sample.ProcessingInputs,
                                  ProcessingOutputConfig: sample.ProcessingOutputConfig,
                              }
                            : {}),
                        NetworkConfig: {
                            EnableInterContainerTrafficEncryption: true,
                            // The job reads and writes S3 through the VPC endpoint, so it needs the network.
                            EnableNetworkIsolation: false,
                            VpcConfig: { Subnets: f.privateSubnetIds!, SecurityGroupIds: [f.jobSecurityGroupId!] },
                        },
                        RoleArn: f.jobRoleArn,
                        StoppingCondition: { MaxRuntimeInSeconds: Math.round(timeoutHours * 3600) },
                        Tags: jobTags(ctx, pipeline, level),
                    },
                },
            },
            this,
        );

        scheduledStart(
            name,
            {
                host: f,
                stateMachineArn: parts.stateMachine.arn,
                scheduleName: physicalName("awsService", [ctx.project, ctx.stack, pipeline]),
                roleName: physicalName("awsIamRole", [ctx.project, ctx.stack, pipeline, "scheduler"]),
                description: `${pipeline} level ${level}: ${args.schedule} (UTC)`,
                expression: this.scheduleExpression,
                tags,
            },
            this,
        );
        return { name: parts.stateMachine.name, arn: parts.stateMachine.arn };
    }

    /** One always-on instance; kept compact on purpose (the serverless runner is the default). */
    private vm(
        name: string,
        args: BatchJobArgs,
        f: AwsFoundation,
        machine: AwsMachineType,
        environment: Record<string, pulumi.Input<string>>,
        timeoutHours: number,
    ): pulumi.Output<string> {
        const { ctx, pipeline, level } = args;
        const tags = tagsOf(ctx, pipeline, level);
        const parent = { parent: this };
        // The image comes through the ECR interface endpoints, or through the NAT when a level built
        // one (the foundation then builds no ECR endpoint): the instance then also gets the group
        // that lets HTTPS out, which the job group does not.
        const ecrPath = f.endpointsOf(ECR_ENDPOINT_SERVICES);
        const securityGroups = [f.jobSecurityGroupId!];
        if (f.natCarries(ECR_ENDPOINT_SERVICES)) securityGroups.push(f.internetSecurityGroupId!);
        const image = resolveImage(args.image, this);

        const role = new iam.Role(
            `${name}-vm-role`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, pipeline, "vm"]),
                assumeRolePolicy: instanceTrustPolicy(),
                tags,
            },
            parent,
        );
        new iam.RolePolicy(`${name}-vm-storage`, { role: role.id, policy: f.storagePolicyJson }, parent);
        imagePullPolicy(`${name}-image-pull`, role.id, image, this);
        const profile = new iam.InstanceProfile(
            `${name}-vm-profile`,
            { name: role.name, role: role.name, tags },
            parent,
        );

        const ami = ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, parent).value;
        const envFlags = pulumi
            .all(Object.entries(environment).map(([k, v]) => pulumi.output(v).apply((x) => `-e ${k}=${shellQuote(x)}`)))
            .apply((xs) => xs.join(" "));
        // The reference pipeline's step: the container copies its inputs from S3 with the instance
        // role (the image ships the AWS CLI), runs the step, and copies the result back.
        const run = this.sample
            ? vmSampleScript(pipeline, sampleUris(f, pipeline)).apply(
                  (script) =>
                      `-e AWS_DEFAULT_REGION=${ctx.region} --entrypoint /bin/sh "$image" -c ${shellQuote(script)}`,
              )
            : pulumi.output(`"$image"`);
        const userData = pulumi.interpolate`#!/bin/bash
set -euo pipefail
dnf install -y docker
systemctl enable --now docker
cat > /usr/local/bin/mlops-job <<'EOF'
#!/bin/bash
set -euo pipefail
image=${image.uri.apply(shellQuote)}
aws ecr get-login-password --region ${ctx.region} | docker login --username AWS --password-stdin "\${image%%/*}"
docker pull "$image"
exec docker run --rm ${envFlags} ${run}
EOF
chmod 755 /usr/local/bin/mlops-job
cat > /etc/systemd/system/mlops-job.service <<'EOF'
[Unit]
Description=mlops-levels ${pipeline} job
Requires=docker.service
After=docker.service network-online.target
[Service]
Type=oneshot
ExecStart=/usr/local/bin/mlops-job
TimeoutStartSec=${Math.round(timeoutHours * 3600)}
EOF
cat > /etc/systemd/system/mlops-job.timer <<'EOF'
${timerUnit(`mlops-levels ${pipeline} schedule (${args.schedule} UTC)`, this.scheduleExpression)}
EOF
systemctl daemon-reload
systemctl enable --now mlops-job.timer
`;

        const instance = new ec2.Instance(
            `${name}-vm`,
            {
                ami,
                instanceType: machine.name,
                subnetId: f.privateSubnetIds![0]!,
                vpcSecurityGroupIds: securityGroups,
                associatePublicIpAddress: false,
                iamInstanceProfile: profile.name,
                metadataOptions: {
                    httpTokens: "required",
                    httpEndpoint: "enabled",
                    httpPutResponseHopLimit: IMDS_HOP_LIMIT,
                },
                rootBlockDevice: {
                    volumeType: "gp3",
                    volumeSize: Math.max(VM_BASE_VOLUME_GB, Math.ceil(args.volumeGb * 2)),
                    encrypted: true,
                    kmsKeyId: f.kmsKeyArn,
                    deleteOnTermination: true,
                    tags,
                },
                userData,
                userDataReplaceOnChange: true,
                tags: { ...tags, Name: physicalName("awsService", [ctx.project, ctx.stack, pipeline]) },
            },
            // A new AMI release must not replace a running machine; replace it deliberately. The
            // first run pulls the image on boot: the path to ECR must exist by then.
            { parent: this, ignoreChanges: ["ami"], dependsOn: ecrPath },
        );
        return instance.id;
    }
}

/** Where a level-1 sample job reads (the foundation's uploads) and writes. */
function sampleUris(f: AwsFoundation, pipeline: "data" | "inference"): SampleJobUris {
    return {
        code: f.sampleUri(SAMPLE.code),
        data: f.sampleUri(SAMPLE.data),
        ...(pipeline === "inference" ? { model: f.sampleUri(SAMPLE.model) } : {}),
        dataUri: f.dataUri,
        artifactsUri: f.artifactsUri,
    };
}

/**
 * The reference pipeline's step as one shell script for the `vm` runner's container: what a
 * SageMaker processing job does with its inputs and outputs, done with the AWS CLI in the image.
 */
export function vmSampleScript(pipeline: "data" | "inference", uris: SampleJobUris): pulumi.Output<string> {
    return pulumi.all([uris.code, uris.data, uris.model ?? "", uris.dataUri]).apply(([code, data, model, dataUri]) => {
        const out = `${dataUri}/${pipeline === "data" ? SAMPLE_OUTPUTS.features : SAMPLE_OUTPUTS.scores}`;
        const lines = [
            "set -e",
            "w=/tmp/mlops",
            "mkdir -p $w/code $w/raw $w/model $w/out",
            `aws s3 cp ${code} $w/code/jobs.zip`,
            `aws s3 cp ${data} $w/raw/`,
            "export PYTHONPATH=$w/code/jobs.zip",
        ];
        if (pipeline === "data") lines.push("python3 -m jobs.features --input $w/raw --output $w/out");
        else
            lines.push(
                `aws s3 cp ${model} $w/model/`,
                "python3 -m jobs.features --input $w/raw --output $w/features",
                "python3 -m jobs.score --model $w/model --input $w/features --output $w/out",
            );
        lines.push(`aws s3 cp --recursive $w/out ${out}`);
        return lines.join("\n");
    });
}

/**
 * A batch job spec as AWS takes it, before anything exists: the schedule as the runner reads it (an
 * EventBridge Scheduler cron, or a systemd timer for `vm`) and a machine that holds the volume. Pure.
 */
export function checkAwsBatchJobSpec(a: BatchJobSpec): InputProblem[] {
    const runner = a.runner ?? "serverless";
    const p: InputProblem[] = checkBatchJobArgs(a);
    if (p.every((x) => x.path !== "schedule")) {
        const when = runner === "vm" ? toSystemdOnCalendar(a.schedule) : toAwsCron(a.schedule);
        if (!when.ok) p.push({ path: "schedule", message: when.message });
    }
    return [
        ...underWorkload(a.pipeline, p),
        ...machineProblems(
            runner === "vm" ? EC2_MACHINES : SAGEMAKER_MACHINES,
            a.volumeGb,
            false,
            `config.mlops:workload.${a.pipeline}.volumeGb`,
        ),
    ];
}

/**
 * Data and inference level 1 on AWS. The `vm` runner pulls its image through ECR interface endpoints
 * (or the NAT, when a level built one). The default image runs the reference pipeline on the
 * foundation's uploads.
 */
export const awsBatchJobKit: Capability<BatchJobSpec, AwsBatchJob> = {
    check: checkAwsBatchJobSpec,
    needs: (a) => ({
        ...(a.runner === "vm" ? { interfaceEndpoints: ECR_ENDPOINT_SERVICES } : NO_NEEDS),
        // The default image runs the reference pipeline on the uploaded files; a team image, none.
        ...(runsSample(a.image) ? { samples: SAMPLES_READ[a.pipeline] } : {}),
    }),
    create: (name, spec, site, opts) => new AwsBatchJob(name, placed(spec, site), opts),
};

import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_PYTORCH_TRAINING_GPU_IMAGE,
    DEFAULT_PYTORCH_TRAINING_IMAGE,
    imagePullPolicy,
    resolveImage,
} from "../blocks/aws/images";
import { jobNamePrefix, jobTags, sageMakerStateMachine, volumeFor } from "../blocks/aws/sagemaker";
import {
    type RunCommands,
    runsSample,
    SAMPLE,
    SAMPLES_READ,
    sampleTraining,
    startExecutionCommand,
} from "../blocks/aws/samples";
import { type Capability, placed } from "../capability";
import { foundationProblems, NO_NEEDS } from "../foundation";
import { AwsFoundation } from "../foundation/aws";
import { machineProblems, pickMachine } from "../machines";
import { SAGEMAKER_MACHINES } from "../machines/aws";
import { type InputProblem, throwIfProblems, underWorkload } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkTrainingJobArgs,
    TRAINING_JOB_TYPE,
    type TrainingJob,
    type TrainingJobArgs,
    type TrainingJobSpec,
} from "./index";

/** SageMaker stops a training job after at most 28 days (MaxRuntimeInSeconds). */
export const MAX_TRAINING_RUNTIME_SECONDS = 28 * 24 * 3600;

/** AWS-specific checks on top of checkTrainingJobArgs. Pure. */
export function checkAwsTrainingJobArgs(
    a: Pick<TrainingJobArgs, "datasetGb" | "slaHours" | "image" | "foundation">,
): InputProblem[] {
    const p = checkTrainingJobArgs(a);
    if (a.slaHours > 0 && a.slaHours * 3600 > MAX_TRAINING_RUNTIME_SECONDS)
        p.push({
            path: "slaHours",
            message: `must be at most ${MAX_TRAINING_RUNTIME_SECONDS / 3600} (28 days), SageMaker's longest training run`,
        });
    p.push(
        ...foundationProblems(a.foundation, AwsFoundation, "AWS", {
            ready: (f) => f.hasNetwork,
            why: "jobs run in its private subnets",
        }),
    );
    return p;
}

/** The image to train with: the CPU PyTorch default becomes its CUDA build on a GPU machine. */
export function trainingImageFor(image: string, gpu: boolean): string {
    return gpu && image === DEFAULT_PYTORCH_TRAINING_IMAGE ? DEFAULT_PYTORCH_TRAINING_GPU_IMAGE : image;
}

/**
 * Training level 1 on AWS: a Step Functions state machine that runs one SageMaker training job on the
 * smallest ml.* instance with the memory (an A10G ml.g5 when `gpu`), inside the private subnets, and
 * waits for it. Started on demand (`aws stepfunctions start-execution --state-machine-arn …`, the
 * `runCommands`), so the machine exists only while a run is going on. With the default image
 * (SageMaker's scikit-learn 1.2-1) it trains the reference model: features from the uploaded rows,
 * `jobs.train`, the model to `samples/models/trained/<job>/output/model.tar.gz` in the artifacts bucket.
 */
export class AwsTrainingJob extends pulumi.ComponentResource implements TrainingJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly gpus: number;
    /** ARN to start a run with. */
    readonly stateMachineArn: pulumi.Output<string>;
    /** `aws stepfunctions start-execution …`: starts a training run now. */
    readonly runCommands: RunCommands;
    /** Whether the job trains the reference model (the default image) rather than a team's own code. */
    readonly sample: boolean;

    constructor(name: string, args: TrainingJobArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = checkAwsTrainingJobArgs(args).map((p) => ({
            ...p,
            path: p.path === "foundation" ? p.path : `config.mlops:workload.training.${p.path}`,
        }));
        throwIfProblems(problems);
        const machine = pickMachine(
            SAGEMAKER_MACHINES,
            args.datasetGb,
            args.gpu,
            "config.mlops:workload.training.datasetGb",
        );
        super(TRAINING_JOB_TYPE, name, {}, opts);
        const f = args.foundation as AwsFoundation;
        const { ctx, level } = args;
        this.machineType = machine.name;
        this.gpus = machine.gpus;

        const image = resolveImage(trainingImageFor(args.image, args.gpu), this);
        imagePullPolicy(`${name}-image-pull`, f.jobRoleName, image, this);
        const volume = volumeFor(args.datasetGb, machine);
        // The default image trains the reference model on the uploaded rows (channels from the
        // uploads' outputs, so the state machine depends on them); a team image runs as built.
        this.sample = runsSample(args.image);
        const sample = this.sample
            ? sampleTraining({
                  code: f.sampleUri(SAMPLE.code),
                  data: f.sampleUri(SAMPLE.data),
                  dataUri: f.dataUri,
                  artifactsUri: f.artifactsUri,
              })
            : undefined;

        const parts = sageMakerStateMachine(
            name,
            {
                ctx,
                pipeline: "training",
                level,
                foundation: f,
                stateMachineName: physicalName("awsService", [ctx.project, ctx.stack, "training"]),
                roleName: physicalName("awsIamRole", [ctx.project, ctx.stack, "training", "states"]),
                task: {
                    kind: "training",
                    jobNamePrefix: jobNamePrefix(ctx, "training"),
                    parameters: {
                        AlgorithmSpecification: {
                            TrainingImage: image.uri,
                            TrainingInputMode: "File",
                            ...(sample
                                ? {
                                      ContainerEntrypoint: sample.containerEntrypoint,
                                      ContainerArguments: sample.containerArguments,
                                  }
                                : {}),
                        },
                        ...(sample ? { InputDataConfig: sample.inputDataConfig } : {}),
                        RoleArn: f.jobRoleArn,
                        Environment: {
                            ...args.environment,
                            DATA_URI: f.dataUri,
                            ARTIFACTS_URI: f.artifactsUri,
                            PIPELINE: "training",
                            ...sample?.environment,
                        },
                        ResourceConfig: {
                            InstanceType: machine.name,
                            InstanceCount: 1,
                            VolumeSizeInGB: volume.sizeGb,
                            // Instance types with local NVMe storage encrypt it in hardware and reject a key.
                            ...(volume.kms ? { VolumeKmsKeyId: f.kmsKeyArn } : {}),
                        },
                        OutputDataConfig: {
                            S3OutputPath: sample?.s3OutputPath ?? pulumi.interpolate`${f.artifactsUri}/training/`,
                            KmsKeyId: f.kmsKeyArn,
                        },
                        StoppingCondition: { MaxRuntimeInSeconds: Math.round(args.slaHours * 3600) },
                        VpcConfig: { Subnets: f.privateSubnetIds!, SecurityGroupIds: [f.jobSecurityGroupId!] },
                        // Training reads DATA_URI itself, through the VPC's S3 endpoint, so it needs the network.
                        EnableNetworkIsolation: false,
                        EnableInterContainerTrafficEncryption: true,
                        Tags: jobTags(ctx, "training", level),
                    },
                },
            },
            this,
        );
        this.jobName = parts.stateMachine.name;
        this.stateMachineArn = parts.stateMachine.arn;
        this.runCommands = { training: startExecutionCommand(ctx.region, parts.stateMachine.arn) };
        this.registerOutputs({
            jobName: this.jobName,
            machineType: this.machineType,
            gpus: this.gpus,
            runCommands: this.runCommands,
        });
    }
}

/** A training job spec as AWS takes it: SageMaker's longest run and a machine for the dataset. Pure. */
export function checkAwsTrainingJobSpec(a: TrainingJobSpec): InputProblem[] {
    const p: InputProblem[] = checkTrainingJobArgs(a);
    if (a.slaHours * 3600 > MAX_TRAINING_RUNTIME_SECONDS)
        p.push({
            path: "slaHours",
            message: "must be at most 672 (28 days), SageMaker's longest training run",
        });
    return [
        ...underWorkload("training", p),
        ...machineProblems(SAGEMAKER_MACHINES, a.datasetGb, a.gpu, "config.mlops:workload.training.datasetGb"),
    ];
}

/** Training level 1 on AWS. */
export const awsTrainingJobKit: Capability<TrainingJobSpec, AwsTrainingJob> = {
    check: checkAwsTrainingJobSpec,
    // The default image trains the reference model on the uploaded rows; a team image reads its own.
    needs: (spec) => (runsSample(spec.image) ? { samples: SAMPLES_READ.training } : NO_NEEDS),
    create: (name, spec, site, opts) => new AwsTrainingJob(name, placed(spec, site), opts),
};

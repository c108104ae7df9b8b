import * as app from "@pulumi/azure-native/app";
import * as pulumi from "@pulumi/pulumi";
import { runOnBatchPool } from "../blocks/azure/batch-pool";
import { CONSUMPTION_PROFILE, jobEnvironment } from "../blocks/azure/container-apps";
import {
    placedJobNeeds,
    referenceCommand,
    referenceEnvironment,
    referenceInputs,
    runsReference,
} from "../blocks/azure/reference";
import { type Capability, placedOn } from "../capability";
import { type FoundationNeeds, foundationProblems } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { placeJob } from "../machines/azure";
import { tagsOf } from "../shared/context";
import { type InputProblem, problemsOf, throwIfProblems, underWorkload } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkTrainingJobArgs,
    TRAINING_JOB_TYPE,
    type TrainingJob,
    type TrainingJobArgs,
    type TrainingJobSpec,
} from "./index";

/** A failed training run is not retried: a rerun of a multi-hour job doubles its cost unseen. */
export const TRAINING_RETRY_LIMIT = 0;

/** Azure training job args: the foundation must be the Azure one. */
export interface AzureTrainingJobArgs extends TrainingJobArgs {
    readonly foundation: AzureFoundation;
}

/**
 * Training level 1 on Azure: a Container Apps job with a manual trigger, started on demand
 * (`az containerapp job start -n <jobName> -g <resource group>`), stopped after slaHours. It runs on
 * the Consumption profile when the dataset fits 8 GiB, on a serverless GPU profile (T4 or A100) for
 * unstructured data, and otherwise on an Azure Batch pool of the smallest fitting VM size that
 * scales from zero, which the manual Container Apps job (Consumption) launches and waits for.
 * Between runs nothing runs and nothing is billed: no Dedicated workload profile is declared.
 */
export class AzureTrainingJob extends pulumi.ComponentResource implements TrainingJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly gpus: number;
    /** Workload profile the job (or, on Batch, its launcher) is pinned to. */
    readonly workloadProfileName: string;
    /** The Batch pool the run goes to, when a CPU dataset is too big for the Consumption profile. */
    readonly poolName?: pulumi.Output<string>;
    /** Whether the job runs the reference pipeline (the default image, with its inputs uploaded). */
    readonly reference: boolean;
    /** The command that starts a run now, exported by the stack (`runCommands`). */
    readonly runCommands: { readonly training: pulumi.Output<string> };

    constructor(name: string, args: AzureTrainingJobArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every check runs before super(): a component that fails after registering leaves the
        // engine with a half-registered resource, and the run ends in an unhandled rejection.
        const base = "config.mlops:workload.training";
        const problems = checkTrainingJobArgs(args).map((p) => ({ ...p, path: `${base}.${p.path}` }));
        problems.push(
            ...foundationProblems(args.foundation, AzureFoundation, "Azure", {
                ready: (f) => f.hasNetwork,
                why: "jobs run in its VNet",
            }),
        );
        throwIfProblems(problems);
        const placement = placeJob(args.datasetGb, args.gpu, args.ctx.region, `${base}.datasetGb`);
        super(TRAINING_JOB_TYPE, name, {}, opts);

        const { ctx, foundation: f } = args;
        this.reference = runsReference(args.image);
        const inputs = this.reference ? referenceInputs(f, "training") : undefined;
        const start = (job: app.Job) =>
            pulumi.interpolate`az containerapp job start --resource-group ${f.resourceGroupName} --name ${job.name}`;
        if (placement.runner === "batch") {
            this.machineType = placement.size.name;
            this.gpus = 0;
            this.workloadProfileName = CONSUMPTION_PROFILE;
            const { job, pool } = runOnBatchPool(this, name, {
                ctx,
                foundation: f,
                pipeline: "training",
                level: args.level,
                size: placement.size,
                image: args.image,
                dataGb: args.datasetGb,
                environment: args.environment,
                runHours: args.slaHours,
                retries: TRAINING_RETRY_LIMIT,
                ...(inputs ? { reference: { pipeline: "training" as const, inputs, identityId: f.identityId } } : {}),
            });
            this.poolName = pool.name;
            this.jobName = job.name;
            this.runCommands = { training: start(job) };
            this.registerOutputs({ jobName: this.jobName, machineType: this.machineType, gpus: this.gpus });
            return;
        }
        const profile = placement.profile;
        this.machineType = profile.name;
        this.gpus = profile.gpus;
        this.workloadProfileName = f.profileNameFor(profile);

        const job = new app.Job(
            `${name}-job`,
            {
                resourceGroupName: f.resourceGroupName,
                location: f.location,
                jobName: physicalName("azureContainerApp", [ctx.project, ctx.stack, "training"]),
                environmentId: f.environmentId,
                workloadProfileName: this.workloadProfileName,
                identity: { type: app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [f.identityId] },
                configuration: {
                    triggerType: app.TriggerType.Manual,
                    manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 },
                    replicaTimeout: Math.round(args.slaHours * 3600),
                    replicaRetryLimit: TRAINING_RETRY_LIMIT,
                },
                template: {
                    containers: [
                        {
                            name: "training",
                            image: args.image,
                            ...(inputs ? referenceCommand("training") : {}),
                            env: jobEnvironment(f, "training", {
                                ...(inputs ? referenceEnvironment(inputs) : {}),
                                ...args.environment,
                            }),
                            // A serverless GPU replica gets the whole profile: its one GPU comes with it.
                            resources: { cpu: profile.requestCpu, memory: `${profile.memoryGb}Gi` },
                        },
                    ],
                },
                tags: tagsOf(ctx, "training", args.level),
            },
            { parent: this },
        );
        this.jobName = job.name;
        this.runCommands = { training: start(job) };

        this.registerOutputs({ jobName: this.jobName, machineType: this.machineType, gpus: this.gpus });
    }
}

/** A training job spec as Azure takes it: a workload profile or Batch pool size for the dataset. Pure. */
export function checkAzureTrainingJobSpec(a: TrainingJobSpec): InputProblem[] {
    return [
        ...underWorkload("training", checkTrainingJobArgs(a)),
        ...problemsOf(() => placeJob(a.datasetGb, a.gpu, a.region, "config.mlops:workload.training.datasetGb")),
    ];
}

/** What training needs of the Azure foundation: its workload profile, or the Batch account. Pure, once checked. */
export function azureTrainingJobNeeds(a: TrainingJobSpec): FoundationNeeds {
    const placement = placeJob(a.datasetGb, a.gpu, a.region, "config.mlops:workload.training.datasetGb");
    return placedJobNeeds(placement, "training", a.level, a.image);
}

/** Training level 1 on Azure. */
export const azureTrainingJobKit: Capability<TrainingJobSpec, AzureTrainingJob> = {
    check: checkAzureTrainingJobSpec,
    needs: azureTrainingJobNeeds,
    create: (name, spec, site, opts) =>
        new AzureTrainingJob(name, placedOn(spec, site, AzureFoundation, "Azure"), opts),
};

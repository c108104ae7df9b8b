import * as app from "@pulumi/azure-native/app";
import * as batch from "@pulumi/azure-native/batch";
import * as pulumi from "@pulumi/pulumi";
import type { MachineType } from "../../machines";
import { type StackContext, tagsOf } from "../../shared/context";
import { physicalName } from "../../shared/naming";
import { CONSUMPTION_PROFILE, jobEnvironment } from "./container-apps";
import { type ReferenceInputs, type ReferencePipeline, referenceEnvironment } from "./reference";

// A run too big for the Container Apps Consumption profile: an Azure Batch pool that scales from
// zero, launched and awaited by a small Consumption job. Batch jobs and training jobs both use it.

/**
 * Batch-supported Ubuntu 24.04 image with a Docker-compatible runtime, and its node agent. The
 * microsoft-dsvm ubuntu-hpc images are the ones Batch documents for container pools (the 22.04 agent
 * retires in June 2027; github.com/Azure/Batch/issues/200 names ubuntu-hpc 2404 as the successor).
 * `az batch pool supported-images list` is the authority.
 */
export const BATCH_POOL_IMAGE = {
    publisher: "microsoft-dsvm",
    offer: "ubuntu-hpc",
    sku: "2404",
    version: "latest",
} as const;
export const BATCH_NODE_AGENT = "batch.node.ubuntu 24.04";
/**
 * OS disk of a pool node before data. ubuntu-hpc keeps Docker's data under /var/lib/docker on the OS
 * disk, which Microsoft warns can fill up as images are pulled; a multi-GB ML image plus the OS needs
 * room. The disk exists only while a node does (the pool idles at zero nodes).
 */
export const BATCH_OS_DISK_BASE_GB = 128;
/** OS disk per GB of data a run processes: the input plus what it writes before uploading. */
export const BATCH_OS_DISK_PER_DATA_GB = 2;
/** The largest OS disk Azure accepts (4 TiB). */
export const BATCH_OS_DISK_MAX_GB = 4095;

/** The OS disk of a pool node for a run over `dataGb` of data. */
export function batchOsDiskGb(dataGb: number): number {
    return Math.min(BATCH_OS_DISK_MAX_GB, Math.ceil(BATCH_OS_DISK_BASE_GB + dataGb * BATCH_OS_DISK_PER_DATA_GB));
}
/** How often Batch re-evaluates the autoscale formula (ISO 8601; 5 minutes is the service minimum). */
export const BATCH_AUTOSCALE_INTERVAL = "PT5M";
/**
 * Pool size: one node while a task is waiting or running, none otherwise. $PendingTasks counts
 * active plus running tasks; taskcompletion lets a running task finish before its node goes.
 */
export const BATCH_AUTOSCALE_FORMULA = [
    "$tasks = max(0, $PendingTasks.GetSample(1));",
    "$TargetDedicatedNodes = min(1, $tasks);",
    "$TargetLowPriorityNodes = 0;",
    "$NodeDeallocationOption = taskcompletion;",
].join("\n");
/** The Azure CLI image the launcher job runs; 2.69 or later for `az login --identity --client-id`. */
export const AZURE_CLI_IMAGE = "mcr.microsoft.com/azure-cli:2.70.0";
/** The launcher only submits and polls: the smallest Consumption replica. */
export const LAUNCHER_RESOURCES = { cpu: 0.5, memory: "1Gi" } as const;
/** Time the launcher waits on top of the run: a node starting from zero and pulling the image. */
export const LAUNCH_MARGIN_HOURS = 1;
/** Seconds between two polls of the Batch task's state. */
export const LAUNCHER_POLL_SECONDS = 60;

/**
 * The launcher's script: log in as the jobs identity, create a Batch job on the pool with the one
 * task in $TASK_JSON, wait for it, exit with its exit code, and delete the job whatever happens.
 */
export const LAUNCHER_SCRIPT = [
    "set -eu",
    'az login --identity --client-id "$AZURE_CLIENT_ID" --allow-no-subscriptions --output none',
    'job="$PIPELINE-$(date -u +%Y%m%d%H%M%S)"',
    'cleanup() { az batch job delete --job-id "$job" --yes --output none || true; }',
    "trap cleanup EXIT",
    "trap 'exit 143' INT TERM",
    'az batch job create --id "$job" --pool-id "$BATCH_POOL" --output none',
    "printf '%s' \"$TASK_JSON\" > /tmp/task.json",
    'az batch task create --job-id "$job" --json-file /tmp/task.json --output none',
    'echo "submitted Batch job $job to pool $BATCH_POOL"',
    'until [ "$(az batch task show --job-id "$job" --task-id run --query state --output tsv)" = completed ]; do',
    `    sleep ${LAUNCHER_POLL_SECONDS}`,
    "done",
    'result=$(az batch task show --job-id "$job" --task-id run --query executionInfo.result --output tsv)',
    'code=$(az batch task show --job-id "$job" --task-id run --query executionInfo.exitCode --output tsv)',
    'echo "Batch task finished: result=$result exit code=$code"',
    '[ "$result" = success ] && exit 0',
    'az batch task show --job-id "$job" --task-id run --query executionInfo.failureInfo --output json || true',
    'if [ -n "$code" ] && [ "$code" != 0 ]; then exit "$code"; fi',
    "exit 1",
].join("\n");

/** What a pool run needs of the foundation (the Azure one, built with `batchAccount`). */
export interface BatchPoolHost {
    readonly resourceGroupName: pulumi.Output<string>;
    readonly location: string;
    /** The subnet pool nodes join. */
    readonly computeSubnetId?: pulumi.Output<string>;
    /** The Container Apps environment the launcher runs in. */
    readonly environmentId?: pulumi.Output<string>;
    /** The jobs identity: resource id and client id. */
    readonly identityId: pulumi.Output<string>;
    readonly identityClientId: pulumi.Output<string>;
    readonly dataUri: pulumi.Output<string>;
    readonly artifactsUri: pulumi.Output<string>;
    readonly batchAccount?: { readonly name: pulumi.Output<string>; readonly endpoint: pulumi.Output<string> };
}

/** What `runOnBatchPool` needs: the job's identity, trigger and the run it launches. */
export interface BatchPoolRunArgs {
    readonly ctx: StackContext;
    readonly foundation: BatchPoolHost;
    readonly pipeline: "data" | "inference" | "training";
    readonly level: number;
    /** VM size of the pool's one node. */
    readonly size: MachineType;
    readonly image: string;
    /** GB of data a run processes: sizes the node's OS disk, where Docker keeps images and scratch. */
    readonly dataGb: number;
    readonly environment?: Record<string, pulumi.Input<string>>;
    /** Hours the task may run (its max wall clock time). */
    readonly runHours: number;
    /** Times Batch retries a failed task. */
    readonly retries: number;
    /** The launcher's trigger: a cron schedule, or manual when undefined. */
    readonly schedule?: string;
    /** Run the reference pipeline (the default image): which one, and the uploads it reads. */
    readonly reference?: BatchReferenceRun;
}

/** A reference run on a pool node: the pipeline, the uploads it reads and the identity reading them. */
export interface BatchReferenceRun {
    readonly pipeline: ReferencePipeline;
    readonly inputs: ReferenceInputs;
    /** Resource id of the pool's user-assigned identity, which downloads jobs.zip. */
    readonly identityId: pulumi.Input<string>;
}

/** Where Batch puts jobs.zip in the task's working directory (the container's working directory). */
export const TASK_PACKAGE_FILE = "jobs.zip";

/**
 * The Batch task (REST TaskAddParameter) the launcher submits, as JSON. Pure apart from Outputs.
 * A team's image runs its own entrypoint and command, as on Container Apps. A reference run gets
 * jobs.zip as a resource file (Batch downloads it with the pool's identity into the task directory,
 * which becomes the container's working directory) and runs `python -m jobs.cloud_io <pipeline>`,
 * which fetches the rest with the same identity (instance metadata service) and uploads the results.
 */
export function batchTaskJson(
    image: string,
    env: { name: string; value: pulumi.Input<string> }[],
    runHours: number,
    retries: number,
    reference?: BatchReferenceRun,
): pulumi.Output<string> {
    const referenceEnv = reference
        ? Object.entries({
              ...referenceEnvironment({ ...reference.inputs, jobsPackage: TASK_PACKAGE_FILE }),
              PYTHONPATH: TASK_PACKAGE_FILE,
          }).map(([name, value]) => ({ name, value }))
        : [];
    return pulumi.jsonStringify({
        id: "run",
        commandLine: reference ? `python -m jobs.cloud_io ${reference.pipeline}` : "",
        ...(reference
            ? {
                  resourceFiles: [
                      {
                          httpUrl: reference.inputs.jobsPackage,
                          filePath: TASK_PACKAGE_FILE,
                          identityReference: { resourceId: reference.identityId },
                      },
                  ],
              }
            : {}),
        containerSettings: {
            imageName: image,
            containerRunOptions: "--rm",
            workingDirectory: reference ? "taskWorkingDirectory" : "containerImageDefault",
        },
        environmentSettings: [...env, ...referenceEnv],
        constraints: { maxWallClockTime: `PT${Math.round(runHours * 3600)}S`, maxTaskRetryCount: retries },
        userIdentity: { autoUser: { scope: "pool", elevationLevel: "nonadmin" } },
    });
}

/**
 * A run too big for the Consumption profile: an Azure Batch pool of `size` that scales from zero to
 * one node while its task is pending or running, plus a Consumption Container Apps job (scheduled or
 * manual) that submits the task and waits for it. Nothing exists to pay for between runs. Children
 * are parented to `parent` and named from `name`.
 */
export function runOnBatchPool(
    parent: pulumi.Resource,
    name: string,
    a: BatchPoolRunArgs,
): { job: app.Job; pool: batch.Pool } {
    const f = a.foundation;
    const account = f.batchAccount;
    if (!account) throw new Error(`${name}: the Azure foundation has no Batch account; build it with batchAccount`);
    const tags = tagsOf(a.ctx, a.pipeline, a.level);
    const poolName = physicalName("azureGeneral", [a.ctx.project, a.ctx.stack, a.pipeline]);
    const pool = new batch.Pool(
        `${name}-pool`,
        {
            resourceGroupName: f.resourceGroupName,
            accountName: account.name,
            poolName,
            vmSize: a.size.name,
            deploymentConfiguration: {
                virtualMachineConfiguration: {
                    imageReference: { ...BATCH_POOL_IMAGE },
                    nodeAgentSkuId: BATCH_NODE_AGENT,
                    osDisk: { diskSizeGB: batchOsDiskGb(a.dataGb) },
                    containerConfiguration: {
                        type: batch.ContainerType.DockerCompatible,
                        // Pulled when a node starts, so the task does not wait for it.
                        containerImageNames: [a.image],
                    },
                },
            },
            scaleSettings: {
                autoScale: { formula: BATCH_AUTOSCALE_FORMULA, evaluationInterval: BATCH_AUTOSCALE_INTERVAL },
            },
            networkConfiguration: {
                subnetId: f.computeSubnetId,
                // No public IP: nothing listens on the internet. Batch documents that such nodes need an
                // outbound path of their own (the node agent calls the node management endpoint, the
                // node pulls a public image): the compute subnet's NAT gateway, which the capability
                // asked the foundation for (internetEgress); the subnet id carries the dependency.
                publicIPAddressConfiguration: { provision: batch.IPAddressProvisioningType.NoPublicIPAddresses },
            },
            // Nodes call the account; no inbound ports from the Batch service are needed.
            targetNodeCommunicationMode: batch.NodeCommunicationMode.Simplified,
            taskSlotsPerNode: 1,
            identity: { type: batch.PoolIdentityType.UserAssigned, userAssignedIdentities: [f.identityId] },
            tags,
        },
        { parent },
    );
    const env = jobEnvironment(f, a.pipeline, a.environment);
    const launchTimeout = Math.round((a.runHours + LAUNCH_MARGIN_HOURS) * 3600);
    const job = new app.Job(
        `${name}-job`,
        {
            resourceGroupName: f.resourceGroupName,
            location: f.location,
            jobName: physicalName("azureContainerApp", [a.ctx.project, a.ctx.stack, a.pipeline]),
            environmentId: f.environmentId,
            // The launcher only submits and polls: Consumption, which every environment has.
            workloadProfileName: CONSUMPTION_PROFILE,
            identity: { type: app.ManagedServiceIdentityType.UserAssigned, userAssignedIdentities: [f.identityId] },
            configuration:
                a.schedule !== undefined
                    ? {
                          triggerType: app.TriggerType.Schedule,
                          scheduleTriggerConfig: {
                              cronExpression: a.schedule,
                              parallelism: 1,
                              replicaCompletionCount: 1,
                          },
                          replicaTimeout: launchTimeout,
                          // Batch retries the task itself; a relaunch would start a second run.
                          replicaRetryLimit: 0,
                      }
                    : {
                          triggerType: app.TriggerType.Manual,
                          manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 },
                          replicaTimeout: launchTimeout,
                          replicaRetryLimit: 0,
                      },
            template: {
                containers: [
                    {
                        name: `${a.pipeline}-launcher`,
                        image: AZURE_CLI_IMAGE,
                        command: ["/bin/bash", "-c"],
                        args: [LAUNCHER_SCRIPT],
                        env: [
                            { name: "AZURE_CLIENT_ID", value: f.identityClientId },
                            { name: "AZURE_BATCH_ACCOUNT", value: account.name },
                            {
                                name: "AZURE_BATCH_ENDPOINT",
                                value: pulumi.interpolate`https://${account.endpoint}`,
                            },
                            { name: "BATCH_POOL", value: pool.name },
                            { name: "PIPELINE", value: a.pipeline },
                            {
                                name: "TASK_JSON",
                                value: batchTaskJson(a.image, env, a.runHours, a.retries, a.reference),
                            },
                        ],
                        resources: { ...LAUNCHER_RESOURCES },
                    },
                ],
            },
            tags,
        },
        { parent },
    );
    return { job, pool };
}

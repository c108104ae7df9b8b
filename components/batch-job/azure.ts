import * as app from "@pulumi/azure-native/app";
import * as batch from "@pulumi/azure-native/batch";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { foundationProblems } from "../foundation";
import { AzureFoundation, CONSUMPTION_PROFILE, jobEnvironment } from "../foundation/azure";
import { type MachineType, pickMachine } from "../machines";
import { AZURE_JOB_PROFILES, AZURE_VM_SIZES, placeJob } from "../machines/azure";
import { type StackContext, tagsOf } from "../shared/context";
import { onCalendarOrThrow } from "../shared/cron";
import { throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import { cloudConfigFile, envFile, timerUnit } from "../shared/systemd";
import {
    BATCH_JOB_TYPE,
    type BatchJob,
    type BatchJobArgs,
    checkBatchJobArgs,
    DEFAULT_BATCH_TIMEOUT_HOURS,
} from "./index";

/** A failed run is retried once: enough for a transient pull or network error, cheap if the code is wrong. */
export const BATCH_RETRY_LIMIT = 1;
/** Ubuntu 24.04 LTS (Gen2) from Canonical's Marketplace offer, always the latest patch level. */
export const UBUNTU_IMAGE = {
    publisher: "Canonical",
    offer: "ubuntu-24_04-lts",
    sku: "server",
    version: "latest",
} as const;
/** OS disk of the VM runner: room for Docker images and scratch files; data itself stays in storage. */
export const VM_OS_DISK_GB = 64;
/** Admin user the Azure API insists on; SSH is switched off by cloud-init, so nobody logs in with it. */
export const VM_ADMIN_USER = "mlops";

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

/** What `runOnBatchPool` needs: the job's identity, trigger and the run it launches. */
export interface BatchPoolRunArgs {
    readonly ctx: StackContext;
    readonly foundation: AzureFoundation;
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
}

/** The Batch task (REST TaskAddParameter) the launcher submits, as JSON. Pure apart from Outputs. */
export function batchTaskJson(
    image: string,
    env: { name: string; value: pulumi.Input<string> }[],
    runHours: number,
    retries: number,
): pulumi.Output<string> {
    return pulumi.jsonStringify({
        id: "run",
        // Empty: the container runs its image's own entrypoint and command, as on Container Apps.
        commandLine: "",
        containerSettings: {
            imageName: image,
            containerRunOptions: "--rm",
            workingDirectory: "containerImageDefault",
        },
        environmentSettings: env,
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
    const account = f.ensureBatchAccount();
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
                // Outbound only, through the subnet's default outbound access: nothing listens on the internet.
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
            workloadProfileName: f.useWorkloadProfile(CONSUMPTION_LAUNCHER),
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
                                value: pulumi.interpolate`https://${account.accountEndpoint}`,
                            },
                            { name: "BATCH_POOL", value: pool.name },
                            { name: "PIPELINE", value: a.pipeline },
                            { name: "TASK_JSON", value: batchTaskJson(a.image, env, a.runHours, a.retries) },
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

/** The Consumption profile, as the launcher asks the foundation for it. */
const CONSUMPTION_LAUNCHER = AZURE_JOB_PROFILES.find((p) => p.profileType === "Consumption")!;

/** Azure batch job args: the foundation must be the Azure one (resource group, environment, identity). */
export interface AzureBatchJobArgs extends BatchJobArgs {
    readonly foundation: AzureFoundation;
}

/** The cloud-init document of the VM runner: Docker, the job's env file, a oneshot service and its timer. */
export function vmCloudInit(a: {
    pipeline: string;
    image: string;
    onCalendar: string;
    timeoutSeconds: number;
    env: Record<string, string>;
}): string {
    const unit = `mlops-${a.pipeline}`;
    const service = [
        "[Unit]",
        `Description=mlops-levels ${a.pipeline} level-1 batch run`,
        "Wants=network-online.target",
        "After=network-online.target docker.service",
        "Requires=docker.service",
        "[Service]",
        "Type=oneshot",
        `TimeoutStartSec=${a.timeoutSeconds}`,
        `ExecStartPre=-/usr/bin/docker pull ${a.image}`,
        `ExecStart=/usr/bin/docker run --rm --name ${unit} --env-file /etc/mlops/${a.pipeline}.env ${a.image}`,
        // systemd stops the docker client on timeout; this stops the container itself.
        `ExecStopPost=-/usr/bin/docker rm -f ${unit}`,
    ].join("\n");
    return [
        "#cloud-config",
        "package_update: true",
        "packages: [docker.io]",
        "write_files:",
        ...cloudConfigFile(`/etc/mlops/${a.pipeline}.env`, envFile(a.env), { permissions: "0600" }),
        ...cloudConfigFile(`/etc/systemd/system/${unit}.service`, service),
        ...cloudConfigFile(`/etc/systemd/system/${unit}.timer`, timerUnit(`Schedule of ${unit}`, a.onCalendar)),
        "runcmd:",
        // No one logs in: operators use `az vm run-command`, which goes through the VM agent.
        "  - systemctl disable --now ssh.socket ssh.service || true",
        "  - systemctl daemon-reload",
        `  - systemctl enable --now docker.service ${unit}.timer`,
        "",
    ].join("\n");
}

/**
 * Data level 1 and inference level 1 on Azure.
 *
 * `serverless` (default): a Container Apps job on a cron schedule in the foundation's environment,
 * on the Consumption profile when the run fits its 8 GiB (nothing to pay while idle). A bigger run
 * goes to an Azure Batch pool of the smallest fitting VM size that scales from zero nodes; the
 * scheduled Container Apps job (Consumption) then only launches it (runOnBatchPool). No Dedicated
 * workload profile is ever declared, so the environment never pays the plan management fee.
 *
 * `vm`: one always-on Ubuntu VM in the compute subnet, no public IP, running the container from a
 * systemd timer. It costs its size every hour; it exists for teams that want a plain machine.
 */
export class AzureBatchJob extends pulumi.ComponentResource implements BatchJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly schedule: string;
    /** Workload profile the job (or, on Batch, its launcher) is pinned to (serverless runner only). */
    readonly workloadProfileName?: string;
    /** The Batch pool the run goes to, when it is too big for the Consumption profile. */
    readonly poolName?: pulumi.Output<string>;
    /**
     * The VM's cloud-init document (vm runner only). The VM's osProfile is secret as a whole (it
     * holds the admin password), so this is where the schedule and environment can be read.
     */
    readonly cloudInit?: pulumi.Output<string>;

    constructor(name: string, args: AzureBatchJobArgs, opts?: pulumi.ComponentResourceOptions) {
        // Every check runs before super(), so bad input never leaves a half-registered component.
        const runner = args.runner ?? "serverless";
        const base = `config.mlops:workload.${args.pipeline}`;
        const problems = checkBatchJobArgs(args).map((p) => ({ ...p, path: `${base}.${p.path}` }));
        problems.push(
            ...foundationProblems(args.foundation, AzureFoundation, "Azure", {
                ready: (f) => f.hasNetwork,
                why: "jobs run in its VNet",
            }),
        );
        throwIfProblems(problems);
        const onCalendar = runner === "vm" ? onCalendarOrThrow(args.schedule, `${base}.schedule`) : undefined;
        const placement =
            runner === "serverless" ? placeJob(args.volumeGb, false, args.ctx.region, `${base}.volumeGb`) : undefined;
        const machine: MachineType =
            placement === undefined
                ? pickMachine(AZURE_VM_SIZES, args.volumeGb, false, `${base}.volumeGb`)
                : placement.runner === "batch"
                  ? placement.size
                  : placement.profile;
        super(BATCH_JOB_TYPE, name, {}, opts);
        this.machineType = machine.name;

        const { ctx, foundation: f, pipeline } = args;
        const tags = tagsOf(ctx, pipeline, args.level);
        const timeoutHours = args.timeoutHours ?? DEFAULT_BATCH_TIMEOUT_HOURS;
        const timeoutSeconds = Math.round(timeoutHours * 3600);
        const common = { resourceGroupName: f.resourceGroupName, location: f.location };
        this.schedule = args.schedule;

        if (placement?.runner === "batch") {
            const { job, pool } = runOnBatchPool(this, name, {
                ctx,
                foundation: f,
                pipeline,
                level: args.level,
                size: placement.size,
                image: args.image,
                dataGb: args.volumeGb,
                environment: args.environment,
                runHours: timeoutHours,
                retries: BATCH_RETRY_LIMIT,
                schedule: args.schedule,
            });
            this.workloadProfileName = CONSUMPTION_PROFILE;
            this.poolName = pool.name;
            this.jobName = job.name;
        } else if (placement) {
            const profile = placement.profile;
            this.workloadProfileName = f.useWorkloadProfile(profile);
            const job = new app.Job(
                `${name}-job`,
                {
                    ...common,
                    jobName: physicalName("azureContainerApp", [ctx.project, ctx.stack, pipeline]),
                    environmentId: f.environmentId,
                    workloadProfileName: this.workloadProfileName,
                    identity: {
                        type: app.ManagedServiceIdentityType.UserAssigned,
                        userAssignedIdentities: [f.identityId],
                    },
                    configuration: {
                        triggerType: app.TriggerType.Schedule,
                        scheduleTriggerConfig: {
                            cronExpression: args.schedule,
                            parallelism: 1,
                            replicaCompletionCount: 1,
                        },
                        replicaTimeout: timeoutSeconds,
                        replicaRetryLimit: BATCH_RETRY_LIMIT,
                    },
                    template: {
                        containers: [
                            {
                                name: pipeline,
                                image: args.image,
                                env: jobEnvironment(f, pipeline, args.environment),
                                resources: { cpu: profile.requestCpu, memory: `${profile.memoryGb}Gi` },
                            },
                        ],
                    },
                    tags,
                },
                { parent: this },
            );
            this.jobName = job.name;
        } else {
            const size = machine;
            const vmName = physicalName("azureGeneral", [ctx.project, ctx.stack, pipeline]);
            const nic = new network.NetworkInterface(
                `${name}-nic`,
                {
                    ...common,
                    networkInterfaceName: `${vmName}-nic`,
                    // No publicIPAddress: the VM is reachable from the VNet only.
                    ipConfigurations: [
                        { name: "primary", subnet: { id: f.computeSubnetId }, privateIPAllocationMethod: "Dynamic" },
                    ],
                    tags,
                },
                { parent: this },
            );
            const password = new RandomPassword(
                `${name}-admin-password`,
                {
                    length: 40,
                    special: true,
                    overrideSpecial: "-_.~!#%*",
                    minUpper: 2,
                    minLower: 2,
                    minNumeric: 2,
                    minSpecial: 2,
                },
                { parent: this },
            );
            const env = pulumi
                .output(jobEnvironment(f, pipeline, args.environment))
                .apply((vars) => Object.fromEntries(vars.map((v) => [v.name, v.value])));
            this.cloudInit = env.apply((e) =>
                vmCloudInit({ pipeline, image: args.image, onCalendar: onCalendar ?? "", timeoutSeconds, env: e }),
            );
            const customData = this.cloudInit.apply((doc) => Buffer.from(doc).toString("base64"));
            const vm = new compute.VirtualMachine(
                `${name}-vm`,
                {
                    ...common,
                    vmName,
                    hardwareProfile: { vmSize: size.name },
                    identity: {
                        type: compute.ResourceIdentityType.UserAssigned,
                        userAssignedIdentities: [f.identityId],
                    },
                    networkProfile: {
                        networkInterfaces: [{ id: nic.id, primary: true, deleteOption: compute.DeleteOptions.Delete }],
                    },
                    osProfile: {
                        computerName: vmName,
                        adminUsername: VM_ADMIN_USER,
                        adminPassword: pulumi.secret(password.result),
                        customData,
                        linuxConfiguration: { disablePasswordAuthentication: false, provisionVMAgent: true },
                    },
                    storageProfile: {
                        imageReference: { ...UBUNTU_IMAGE },
                        osDisk: {
                            createOption: compute.DiskCreateOptionTypes.FromImage,
                            caching: compute.CachingTypes.ReadWrite,
                            diskSizeGB: VM_OS_DISK_GB,
                            deleteOption: compute.DiskDeleteOptionTypes.Delete,
                            // Encrypted at rest by the platform (SSE with platform-managed keys), the
                            // default for managed disks; encryption at host needs a subscription feature.
                            managedDisk: { storageAccountType: compute.StorageAccountTypes.StandardSSD_LRS },
                        },
                    },
                    securityProfile: {
                        securityType: compute.SecurityTypes.TrustedLaunch,
                        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
                    },
                    // Boot diagnostics in a platform-managed account: serial console logs, no keys.
                    diagnosticsProfile: { bootDiagnostics: { enabled: true } },
                    tags,
                },
                { parent: this },
            );
            this.jobName = vm.name;
        }

        this.registerOutputs({ jobName: this.jobName, machineType: this.machineType, schedule: this.schedule });
    }
}

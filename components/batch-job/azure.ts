import * as app from "@pulumi/azure-native/app";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { runOnBatchPool } from "../blocks/azure/batch-pool";
import { CONSUMPTION_PROFILE, jobEnvironment } from "../blocks/azure/container-apps";
import {
    cloudIoSource,
    placedJobNeeds,
    referenceCommand,
    referenceEnvironment,
    referenceInputs,
    referenceSamples,
    runsReference,
} from "../blocks/azure/reference";
import { type Capability, placedOn } from "../capability";
import { type FoundationNeeds, foundationProblems } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { type MachineType, machineProblems, pickMachine } from "../machines";
import { AZURE_VM_SIZES, placeJob } from "../machines/azure";
import { tagsOf } from "../shared/context";
import { onCalendarOrThrow } from "../shared/cron";
import { type InputProblem, problemsOf, throwIfProblems, underWorkload } from "../shared/errors";
import { physicalName } from "../shared/naming";
import { cloudConfigFile, envFile, timerUnit } from "../shared/systemd";
import {
    BATCH_JOB_TYPE,
    type BatchJob,
    type BatchJobArgs,
    type BatchJobSpec,
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
/** Where the VM runner keeps jobs/cloud_io.py (and mounts it into the container, same path). */
export const VM_CLOUD_IO_PATH = "/etc/mlops/cloud_io.py";

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
    /** jobs/cloud_io.py, when the VM runs the reference pipeline: mounted into the container and run. */
    cloudIo?: string;
}): string {
    const unit = `mlops-${a.pipeline}`;
    // The reference run moves its files itself (jobs/cloud_io.py, the VM's identity through the
    // instance metadata service); a team's image runs its own entrypoint.
    const run = a.cloudIo
        ? `-v ${VM_CLOUD_IO_PATH}:${VM_CLOUD_IO_PATH}:ro ${a.image} python ${VM_CLOUD_IO_PATH} ${a.pipeline}`
        : a.image;
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
        `ExecStart=/usr/bin/docker run --rm --name ${unit} --env-file /etc/mlops/${a.pipeline}.env ${run}`,
        // systemd stops the docker client on timeout; this stops the container itself.
        `ExecStopPost=-/usr/bin/docker rm -f ${unit}`,
    ].join("\n");
    return [
        "#cloud-config",
        "package_update: true",
        "packages: [docker.io]",
        "write_files:",
        ...cloudConfigFile(`/etc/mlops/${a.pipeline}.env`, envFile(a.env), { permissions: "0600" }),
        ...(a.cloudIo ? cloudConfigFile(VM_CLOUD_IO_PATH, a.cloudIo, { permissions: "0644" }) : []),
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
    /** Whether the job runs the reference pipeline (the default image, with its inputs uploaded). */
    readonly reference: boolean;
    /** The command that starts a run now, exported by the stack (`runCommands`). */
    readonly runCommands: Partial<Record<"data" | "inference", pulumi.Output<string>>>;

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
        this.reference = runsReference(args.image);
        const inputs = this.reference ? referenceInputs(f, pipeline) : undefined;
        const environment = { ...(inputs ? referenceEnvironment(inputs) : {}), ...args.environment };

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
                ...(inputs ? { reference: { pipeline, inputs, identityId: f.identityId } } : {}),
            });
            this.workloadProfileName = CONSUMPTION_PROFILE;
            this.poolName = pool.name;
            this.jobName = job.name;
        } else if (placement) {
            const profile = placement.profile;
            this.workloadProfileName = f.profileNameFor(profile);
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
                                ...(this.reference ? referenceCommand(pipeline) : {}),
                                env: jobEnvironment(f, pipeline, environment),
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
                .output(jobEnvironment(f, pipeline, environment))
                .apply((vars) => Object.fromEntries(vars.map((v) => [v.name, v.value])));
            const cloudIo = this.reference ? cloudIoSource() : undefined;
            this.cloudInit = env.apply((e) =>
                vmCloudInit({
                    pipeline,
                    image: args.image,
                    onCalendar: onCalendar ?? "",
                    timeoutSeconds,
                    env: e,
                    ...(cloudIo ? { cloudIo } : {}),
                }),
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
        const start =
            runner === "vm"
                ? pulumi.interpolate`az vm run-command invoke --resource-group ${f.resourceGroupName} --name ${this.jobName} --command-id RunShellScript --scripts "systemctl start mlops-${pipeline}.service"`
                : pulumi.interpolate`az containerapp job start --resource-group ${f.resourceGroupName} --name ${this.jobName}`;
        this.runCommands = { [pipeline]: start };

        this.registerOutputs({ jobName: this.jobName, machineType: this.machineType, schedule: this.schedule });
    }
}

/**
 * A batch job spec as Azure takes it: for `vm`, a systemd timer and a VM size; otherwise the
 * Consumption profile or a Batch pool size that holds the volume (the placement the component
 * makes). Pure.
 */
export function checkAzureBatchJobSpec(a: BatchJobSpec): InputProblem[] {
    const base = `config.mlops:workload.${a.pipeline}`;
    const own = underWorkload(a.pipeline, checkBatchJobArgs(a));
    if (own.length > 0) return own;
    return a.runner === "vm"
        ? [
              ...problemsOf(() => onCalendarOrThrow(a.schedule, `${base}.schedule`)),
              ...machineProblems(AZURE_VM_SIZES, a.volumeGb, false, `${base}.volumeGb`),
          ]
        : problemsOf(() => placeJob(a.volumeGb, false, a.region, `${base}.volumeGb`));
}

/**
 * What a batch job needs of the Azure foundation: the workload profile it runs on, or, too big for
 * Consumption, the Batch account its pool lives in (its launcher runs on Consumption, which every
 * environment has). The `vm` runner needs only the compute subnet. Pure, once the spec is checked.
 */
export function azureBatchJobNeeds(a: BatchJobSpec): FoundationNeeds {
    if (a.runner === "vm") return runsReference(a.image) ? { samples: referenceSamples(a.pipeline) } : {};
    const placement = placeJob(a.volumeGb, false, a.region, `config.mlops:workload.${a.pipeline}.volumeGb`);
    return placedJobNeeds(placement, a.pipeline, a.level, a.image);
}

/** Data and inference level 1 on Azure. */
export const azureBatchJobKit: Capability<BatchJobSpec, AzureBatchJob> = {
    check: checkAzureBatchJobSpec,
    needs: azureBatchJobNeeds,
    create: (name, spec, site, opts) => new AzureBatchJob(name, placedOn(spec, site, AzureFoundation, "Azure"), opts),
};

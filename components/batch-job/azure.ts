import * as app from "@pulumi/azure-native/app";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { AzureFoundation, jobEnvironment } from "../foundation/azure";
import { pickMachine } from "../machines";
import { AZURE_VM_SIZES, type AzureJobProfile, pickJobProfile } from "../machines/azure";
import { tagsOf } from "../shared/context";
import { onCalendarOrThrow } from "../shared/cron";
import { throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
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
    const indent = (text: string) =>
        text
            .split("\n")
            .map((l) => `      ${l}`)
            .join("\n");
    const envFile = Object.entries(a.env)
        .map(([k, v]) => `${k}=${v.replace(/\n/g, " ")}`)
        .join("\n");
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
    const timer = [
        "[Unit]",
        `Description=Schedule of ${unit}`,
        "[Timer]",
        `OnCalendar=${a.onCalendar}`,
        "Persistent=true",
        "[Install]",
        "WantedBy=timers.target",
    ].join("\n");
    return [
        "#cloud-config",
        "package_update: true",
        "packages: [docker.io]",
        "write_files:",
        `  - path: /etc/mlops/${a.pipeline}.env`,
        '    permissions: "0600"',
        "    content: |",
        indent(envFile),
        `  - path: /etc/systemd/system/${unit}.service`,
        "    content: |",
        indent(service),
        `  - path: /etc/systemd/system/${unit}.timer`,
        "    content: |",
        indent(timer),
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
 * on the smallest workload profile that holds the run: Consumption up to 8 GiB (nothing to pay
 * while idle), else a memory-optimised Dedicated profile that scales from zero nodes (the
 * environment then pays the Dedicated plan management fee every hour).
 *
 * `vm`: one always-on Ubuntu VM in the compute subnet, no public IP, running the container from a
 * systemd timer. It costs its size every hour; it exists for teams that want a plain machine.
 */
export class AzureBatchJob extends pulumi.ComponentResource implements BatchJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly schedule: string;
    /** Workload profile the job is pinned to (serverless runner only). */
    readonly workloadProfileName?: string;
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
        if (!(args.foundation instanceof AzureFoundation))
            problems.push({ path: "foundation", message: "must be the Azure foundation" });
        else if (!args.foundation.hasNetwork)
            problems.push({ path: "foundation", message: "must be created with network: true (jobs run in its VNet)" });
        throwIfProblems(problems);
        const onCalendar = runner === "vm" ? onCalendarOrThrow(args.schedule, `${base}.schedule`) : undefined;
        const machine =
            runner === "serverless"
                ? pickJobProfile(args.volumeGb, false, args.ctx.region, `${base}.volumeGb`)
                : pickMachine(AZURE_VM_SIZES, args.volumeGb, false, `${base}.volumeGb`);
        super(BATCH_JOB_TYPE, name, {}, opts);
        this.machineType = machine.name;

        const { ctx, foundation: f, pipeline } = args;
        const tags = tagsOf(ctx, pipeline, args.level);
        const timeoutSeconds = Math.round((args.timeoutHours ?? DEFAULT_BATCH_TIMEOUT_HOURS) * 3600);
        const common = { resourceGroupName: f.resourceGroupName, location: f.location };
        this.schedule = args.schedule;

        if (runner === "serverless") {
            const profile = machine as AzureJobProfile;
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

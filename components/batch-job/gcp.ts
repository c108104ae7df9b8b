import * as cloudscheduler from "@pulumi/gcp/cloudscheduler";
import * as compute from "@pulumi/gcp/compute";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as workflows from "@pulumi/gcp/workflows";
import * as pulumi from "@pulumi/pulumi";
import { enableApis, type GcpFoundation } from "../foundation/gcp";
import { GCP_MACHINES } from "../machines/gcp";
import { type MachineType, pickMachine } from "../machines/index";
import { tagsOf } from "../shared/context";
import { onCalendarOrThrow } from "../shared/cron";
import { type InputProblem, problemsOf, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import { cloudConfigFile, envFile, timerUnit } from "../shared/systemd";
import {
    BATCH_JOB_TYPE,
    type BatchJob,
    type BatchJobArgs,
    checkBatchJobArgs,
    DEFAULT_BATCH_TIMEOUT_HOURS,
} from "./index";

/** Boot disk every job VM gets before data: OS plus a multi-GB ML container image. */
export const BOOT_DISK_BASE_GB = 50;
/** Disk per GB of data a run processes: the input plus what it writes before uploading. */
export const DISK_PER_DATA_GB = 2;
/** Batch retries a failed task this often (preemption-free VMs rarely need more). */
export const MAX_RETRY_COUNT = 1;
/** Extra time the Workflow waits beyond the run limit, for VM provisioning and image pull. */
export const PROVISIONING_MARGIN_SECONDS = 3600;
/** Batch VM image: Container-Optimized OS, which installs GPU drivers from Google storage (no internet needed). */
export const BATCH_VM_IMAGE = "batch-cos";
export const BOOT_DISK_TYPE = "pd-balanced";
/** Image of the always-on VM runner: Container-Optimized OS runs containers and has cloud-init. */
export const VM_RUNNER_IMAGE = "projects/cos-cloud/global/images/family/cos-stable";
/**
 * Zone of the VM runner within the region. "b" exists in every Compute Engine region (some regions,
 * e.g. europe-west1 and us-east1, have no zone "a").
 */
export const VM_RUNNER_ZONE_LETTER = "b";
/** The largest a Workflows connector call may wait (one year). */
const CONNECTOR_MAX_TIMEOUT_SECONDS = 31_536_000;
const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** Disk for a run over `dataGb` of data. */
export function bootDiskGb(dataGb: number): number {
    return Math.ceil(BOOT_DISK_BASE_GB + dataGb * DISK_PER_DATA_GB);
}

/** What one Batch run needs: everything the Workflow puts into the Batch job it creates. */
export interface BatchRunSpec {
    project: string;
    region: string;
    /** Prefix of the Batch job ids; the Workflow appends the start time. At most 52 characters. */
    jobIdPrefix: string;
    image: string;
    machine: MachineType;
    diskGb: number;
    maxRunSeconds: number;
    network: string;
    subnetwork: string;
    serviceAccountEmail: string;
    environment: Record<string, string>;
    labels: Record<string, string>;
}

/** A Workflows expression, `${...}`, evaluated when the workflow runs. */
const expr = (e: string): string => `\${${e}}`;

/**
 * A literal string as Workflows sees it. Workflows evaluates a value of the form `${...}`, so a
 * value that starts with `${` is wrapped in an expression that returns it unchanged.
 */
function literal(v: string): string {
    return v.startsWith("${") ? expr(JSON.stringify(v)) : v;
}

/** The Batch job (projects.locations.jobs body) one Workflow execution creates. Pure. */
export function batchJobBody(s: BatchRunSpec): Record<string, unknown> {
    return {
        taskGroups: [
            {
                taskCount: 1,
                // No computeResource: with one task per job, the task gets the whole machine.
                taskSpec: {
                    runnables: [{ container: { imageUri: s.image } }],
                    environment: {
                        variables: Object.fromEntries(Object.entries(s.environment).map(([k, v]) => [k, literal(v)])),
                    },
                    maxRunDuration: `${s.maxRunSeconds}s`,
                    maxRetryCount: MAX_RETRY_COUNT,
                },
            },
        ],
        allocationPolicy: {
            location: { allowedLocations: [`regions/${s.region}`] },
            instances: [
                {
                    policy: {
                        machineType: s.machine.name,
                        provisioningModel: "STANDARD",
                        bootDisk: { image: BATCH_VM_IMAGE, type: BOOT_DISK_TYPE, sizeGb: String(s.diskGb) },
                    },
                    // G2 machine types come with their L4 GPUs; Batch only has to install the driver.
                    installGpuDrivers: s.machine.gpus > 0,
                },
            ],
            network: {
                networkInterfaces: [{ network: s.network, subnetwork: s.subnetwork, noExternalIpAddress: true }],
            },
            serviceAccount: { email: s.serviceAccountEmail },
            labels: s.labels,
        },
        labels: s.labels,
        logsPolicy: { destination: "CLOUD_LOGGING" },
    };
}

/**
 * Workflow source (JSON, which Workflows accepts as well as YAML) that creates one Batch job and
 * waits for it: the Batch connector's `jobs.create` polls the job until it ends and fails the
 * execution when the job fails. Pure.
 */
export function workflowSource(s: BatchRunSpec): string {
    const timeout = Math.min(CONNECTOR_MAX_TIMEOUT_SECONDS, s.maxRunSeconds + PROVISIONING_MARGIN_SECONDS);
    return JSON.stringify(
        {
            main: {
                params: ["input"],
                steps: [
                    { init: { assign: [{ jobId: expr(`"${s.jobIdPrefix}-" + string(int(sys.now()))`) }] } },
                    {
                        run: {
                            call: "googleapis.batch.v1.projects.locations.jobs.create",
                            args: {
                                parent: `projects/${s.project}/locations/${s.region}`,
                                jobId: expr("jobId"),
                                body: batchJobBody(s),
                                connector_params: {
                                    timeout,
                                    polling_policy: { initial_delay: 60, multiplier: 1.5, max_delay: 600 },
                                },
                            },
                            result: "job",
                        },
                    },
                    { done: { return: expr("job.name") } },
                ],
            },
        },
        null,
        2,
    );
}

/** Room left in a Batch job id (63) for the prefix, after "-" and a 10-digit time. */
const JOB_ID_PREFIX_MAX = 52;

/** What a GCP run needs from the stack, resolved by the caller. */
export interface BatchWorkflowArgs {
    ctx: BatchJobArgs["ctx"];
    foundation: GcpFoundation;
    pipeline: "data" | "training" | "inference";
    level: number;
    image: string;
    machine: MachineType;
    diskGb: number;
    maxRunSeconds: number;
    environment?: Record<string, pulumi.Input<string>>;
    /** Resources (API enablement) the Workflow must wait for. */
    dependsOn: pulumi.Resource[];
}

/**
 * The Workflow that runs one Batch job, with its own service account: it may create Batch jobs,
 * act as the job service account (to hand it to the Batch VMs) and write its logs, nothing else.
 */
export function batchWorkflow(parent: pulumi.Resource, name: string, a: BatchWorkflowArgs): workflows.Workflow {
    const { ctx, foundation: f } = a;
    if (f.networkId === undefined || f.subnetworkId === undefined)
        throw new Error(`${name}: the GCP foundation has no network; create it with network: true`);
    const labels = tagsOf(ctx, a.pipeline, a.level);
    const sa = new serviceaccount.Account(
        `${name}-workflow-sa`,
        {
            project: f.project,
            accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, a.pipeline, "wf"]),
            displayName: `mlops-levels ${ctx.stack} ${a.pipeline} workflow`,
            description: "Starts the pipeline's Batch jobs as the job service account.",
        },
        { parent, dependsOn: [...f.apis] },
    );
    const grants = [
        // Batch has no job-level IAM: creating (and polling) jobs is a project permission.
        new projects.IAMMember(
            `${name}-workflow-batch-jobs-editor`,
            { project: f.project, role: "roles/batch.jobsEditor", member: sa.member },
            { parent },
        ),
        new projects.IAMMember(
            `${name}-workflow-log-writer`,
            { project: f.project, role: "roles/logging.logWriter", member: sa.member },
            { parent },
        ),
        // actAs on the job service account only, not on every account in the project.
        new serviceaccount.IAMMember(
            `${name}-workflow-act-as-job-sa`,
            { serviceAccountId: f.jobServiceAccountName, role: "roles/iam.serviceAccountUser", member: sa.member },
            { parent },
        ),
    ];
    const workflowName = physicalName("gcpResource", [ctx.project, ctx.stack, a.pipeline]);
    const jobIdPrefix = physicalName("gcpResource", [ctx.project, ctx.stack, a.pipeline], 63 - JOB_ID_PREFIX_MAX);
    const env: Record<string, pulumi.Input<string>> = {
        ...(a.environment ?? {}),
        DATA_URI: f.dataUri,
        ARTIFACTS_URI: f.artifactsUri,
        PIPELINE: a.pipeline,
    };
    const source = pulumi
        .all([pulumi.output(env), f.networkId, f.subnetworkId, f.jobServiceAccountEmail])
        .apply(([environment, network, subnetwork, email]) =>
            workflowSource({
                project: f.project,
                region: ctx.region,
                jobIdPrefix,
                image: a.image,
                machine: a.machine,
                diskGb: a.diskGb,
                maxRunSeconds: a.maxRunSeconds,
                network,
                subnetwork,
                serviceAccountEmail: email,
                environment: environment as Record<string, string>,
                labels,
            }),
        );
    return new workflows.Workflow(
        `${name}-workflow`,
        {
            name: workflowName,
            project: f.project,
            region: ctx.region,
            description: `mlops-levels ${a.pipeline} level ${a.level}: one Batch job on ${a.machine.name}`,
            serviceAccount: sa.email,
            sourceContents: source,
            callLogLevel: "LOG_ERRORS_ONLY",
            labels,
            // Stateless: a level change must be able to remove it (the provider's default is to refuse).
            deletionProtection: false,
        },
        { parent, dependsOn: [...a.dependsOn, ...grants] },
    );
}

// ---------- the always-on VM runner ----------

/** Registry host of an image, when it is one the VM can authenticate to with its service account. */
export function googleRegistryHost(image: string): string | undefined {
    const host = image.split("/")[0] ?? "";
    return /(^|\.)(pkg\.dev|gcr\.io)$/.test(host) ? host : undefined;
}

/**
 * cloud-init for Container-Optimized OS: a systemd service that runs the container once and a
 * timer that starts it on the schedule. COS keeps /etc in memory, so cloud-init rewrites the units
 * on every boot. Pure.
 */
export function vmCloudInit(o: {
    image: string;
    onCalendar: string;
    timeoutSeconds: number;
    environment: Record<string, string>;
}): string {
    const host = googleRegistryHost(o.image);
    const service = [
        "[Unit]",
        "Description=mlops-levels scheduled job",
        "Wants=network-online.target",
        "After=network-online.target",
        "[Service]",
        "Type=oneshot",
        // COS's root file system is read-only; docker's credential config lives under this HOME.
        "Environment=HOME=/home/mlops",
        ...(host ? [`ExecStartPre=/usr/bin/docker-credential-gcr configure-docker --registries=${host}`] : []),
        `ExecStart=/usr/bin/docker run --rm --name=mlops-job --env-file=/etc/mlops-job.env ${o.image}`,
        `TimeoutStartSec=${o.timeoutSeconds}`,
    ].join("\n");
    return [
        "#cloud-config",
        "write_files:",
        ...cloudConfigFile("/etc/mlops-job.env", envFile(o.environment), { permissions: "0600", owner: "root" }),
        ...cloudConfigFile("/etc/systemd/system/mlops-job.service", service, { permissions: "0644", owner: "root" }),
        ...cloudConfigFile(
            "/etc/systemd/system/mlops-job.timer",
            timerUnit("mlops-levels job schedule", o.onCalendar),
            { permissions: "0644", owner: "root" },
        ),
        "runcmd:",
        "  - mkdir -p /home/mlops",
        "  - systemctl daemon-reload",
        "  - systemctl start mlops-job.timer",
        "",
    ].join("\n");
}

/** Checks the GCP-specific part of batch job args (the VM runner's schedule). Pure. */
export function checkGcpBatchJobArgs(a: Pick<BatchJobArgs, "schedule" | "runner">): InputProblem[] {
    if (a.runner !== "vm") return [];
    return problemsOf(() => onCalendarOrThrow(a.schedule, "schedule"));
}

export interface GcpBatchJobArgs extends BatchJobArgs {
    readonly foundation: GcpFoundation;
}

/**
 * Data level 1 / inference level 1 on GCP. Default (`serverless`): Cloud Scheduler starts a
 * Workflow, which creates a Google Cloud Batch job on the picked machine and waits for it; the VM
 * exists only while the job runs, so nothing costs money between runs. `vm`: one always-on
 * Compute Engine VM with a systemd timer, billed around the clock.
 */
export class GcpBatchJob extends pulumi.ComponentResource implements BatchJob {
    readonly jobName: pulumi.Output<string>;
    readonly machineType: string;
    readonly schedule: string;
    /** Full Workflow id (serverless runner) or VM self link (vm runner). */
    readonly jobId: pulumi.Output<string>;

    constructor(name: string, args: GcpBatchJobArgs, opts: pulumi.ComponentResourceOptions = {}) {
        throwIfProblems([...checkBatchJobArgs(args), ...checkGcpBatchJobArgs(args)]);
        const machine = pickMachine(
            GCP_MACHINES,
            args.volumeGb,
            false,
            `config.mlops:workload.${args.pipeline}.volumeGb`,
        );
        super(BATCH_JOB_TYPE, name, {}, opts);
        const { ctx, foundation: f } = args;
        const runner = args.runner ?? "serverless";
        const timeoutSeconds = Math.round((args.timeoutHours ?? DEFAULT_BATCH_TIMEOUT_HOURS) * 3600);
        const diskGb = bootDiskGb(args.volumeGb);
        const labels = tagsOf(ctx, args.pipeline, args.level);
        this.machineType = machine.name;
        this.schedule = args.schedule;

        if (runner === "serverless") {
            const apis = enableApis(this, name, f.project, [
                "batch.googleapis.com",
                "workflows.googleapis.com",
                "workflowexecutions.googleapis.com",
                "cloudscheduler.googleapis.com",
            ]);
            const workflow = batchWorkflow(this, name, {
                ctx,
                foundation: f,
                pipeline: args.pipeline,
                level: args.level,
                image: args.image,
                machine,
                diskGb,
                maxRunSeconds: timeoutSeconds,
                environment: args.environment,
                dependsOn: apis,
            });
            const schedulerSa = new serviceaccount.Account(
                `${name}-scheduler-sa`,
                {
                    project: f.project,
                    accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, args.pipeline, "sched"]),
                    displayName: `mlops-levels ${ctx.stack} ${args.pipeline} scheduler`,
                    description: "Cloud Scheduler's identity: may start workflow executions, nothing else.",
                },
                { parent: this, dependsOn: [...f.apis] },
            );
            // Workflows has no per-workflow IAM, so the grant is project-wide; the account is used by
            // this one scheduler job only.
            const invoker = new projects.IAMMember(
                `${name}-scheduler-workflows-invoker`,
                { project: f.project, role: "roles/workflows.invoker", member: schedulerSa.member },
                { parent: this },
            );
            // HTTP targets need no App Engine app: the job lives in the stack's own region.
            new cloudscheduler.Job(
                `${name}-schedule`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, args.pipeline, "schedule"]),
                    project: f.project,
                    region: ctx.region,
                    description: `Starts the ${args.pipeline} workflow (mlops-levels level ${args.level})`,
                    schedule: args.schedule,
                    timeZone: "Etc/UTC",
                    httpTarget: {
                        uri: pulumi.interpolate`https://workflowexecutions.googleapis.com/v1/${workflow.id}/executions`,
                        httpMethod: "POST",
                        headers: { "Content-Type": "application/json" },
                        body: Buffer.from(
                            JSON.stringify({ argument: JSON.stringify({ trigger: "cloud-scheduler" }) }),
                        ).toString("base64"),
                        oauthToken: { serviceAccountEmail: schedulerSa.email, scope: CLOUD_PLATFORM_SCOPE },
                    },
                },
                { parent: this, dependsOn: [...apis, invoker] },
            );
            this.jobName = workflow.name;
            this.jobId = workflow.id;
        } else {
            if (f.subnetworkId === undefined)
                throw new Error(`${name}: the GCP foundation has no network; create it with network: true`);
            const onCalendar = onCalendarOrThrow(args.schedule, "schedule");
            const env: Record<string, pulumi.Input<string>> = {
                ...(args.environment ?? {}),
                DATA_URI: f.dataUri,
                ARTIFACTS_URI: f.artifactsUri,
                PIPELINE: args.pipeline,
            };
            const userData = pulumi.output(env).apply((environment) =>
                vmCloudInit({
                    image: args.image,
                    onCalendar,
                    timeoutSeconds,
                    environment: environment as Record<string, string>,
                }),
            );
            const vm = new compute.Instance(
                `${name}-vm`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, args.pipeline]),
                    project: f.project,
                    zone: `${ctx.region}-${VM_RUNNER_ZONE_LETTER}`,
                    machineType: machine.name,
                    bootDisk: {
                        initializeParams: { image: VM_RUNNER_IMAGE, size: diskGb, type: BOOT_DISK_TYPE, labels },
                        autoDelete: true,
                    },
                    // No accessConfigs: no external IP. Pulls and API calls go over Private Google Access.
                    networkInterfaces: [{ subnetwork: f.subnetworkId }],
                    serviceAccount: { email: f.jobServiceAccountEmail, scopes: [CLOUD_PLATFORM_SCOPE] },
                    shieldedInstanceConfig: {
                        enableSecureBoot: true,
                        enableVtpm: true,
                        enableIntegrityMonitoring: true,
                    },
                    metadata: {
                        "user-data": userData,
                        "google-logging-enabled": "true",
                        "enable-oslogin": "TRUE",
                        "block-project-ssh-keys": "true",
                    },
                    labels,
                    allowStoppingForUpdate: true,
                    deletionProtection: false,
                },
                { parent: this },
            );
            this.jobName = vm.name;
            this.jobId = vm.selfLink;
        }
        this.registerOutputs({
            jobName: this.jobName,
            machineType: this.machineType,
            schedule: this.schedule,
            jobId: this.jobId,
        });
    }
}

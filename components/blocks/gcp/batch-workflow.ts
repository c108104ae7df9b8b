import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as workflows from "@pulumi/gcp/workflows";
import * as pulumi from "@pulumi/pulumi";
import type { MachineType } from "../../machines/index";
import { type StackContext, tagsOf } from "../../shared/context";
import { physicalName } from "../../shared/naming";

// A Google Cloud Batch run as GCP's batch and training jobs start it: a Workflow that creates one
// Batch job on the picked machine, in the foundation's subnet, as the job service account, and
// waits for it. The machine exists only while the run does.

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
/** The largest a Workflows connector call may wait (one year). */
const CONNECTOR_MAX_TIMEOUT_SECONDS = 31_536_000;
/** The OAuth scope of VMs and schedulers: everything, narrowed by the service account's IAM roles. */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

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
/** What a Batch run needs of the foundation (the GCP one, with its network). */
export interface BatchRunHost {
    readonly project: string;
    readonly networkId?: pulumi.Output<string>;
    readonly subnetworkId?: pulumi.Output<string>;
    readonly dataUri: pulumi.Output<string>;
    readonly artifactsUri: pulumi.Output<string>;
    /** The job service account: its email, and its `projects/.../serviceAccounts/...` name for actAs. */
    readonly jobServiceAccountEmail: pulumi.Output<string>;
    readonly jobServiceAccountName: pulumi.Output<string>;
    /** The APIs the foundation enabled, which the workflow's identity waits for. */
    readonly apis: readonly projects.Service[];
}

export interface BatchWorkflowArgs {
    ctx: StackContext;
    foundation: BatchRunHost;
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

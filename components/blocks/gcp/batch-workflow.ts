import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as workflows from "@pulumi/gcp/workflows";
import * as pulumi from "@pulumi/pulumi";
import type { MachineType } from "../../machines/index";
import { type StackContext, tagsOf } from "../../shared/context";
import { physicalName } from "../../shared/naming";
import { ARTIFACTS_MOUNT, DATA_MOUNT, referenceEnvironment } from "./reference";

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
/**
 * gcsfuse flags of the bucket volumes: `--implicit-dirs` shows folders that exist only as object
 * name prefixes (an uploaded `samples/data/customers.csv` has no `samples/` placeholder object).
 */
export const GCS_MOUNT_OPTIONS = ["--implicit-dirs"] as const;
/**
 * `docker run` options of the reference steps. Batch mounts the buckets on the host (as root) and
 * binds them into the container; the reference image runs as uid 1000, which a FUSE mount made
 * without `allow_other` refuses, so the steps run as root inside their short-lived container.
 */
export const REFERENCE_CONTAINER_OPTIONS = "--user=root";

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
    /** Cloud Storage buckets mounted into every runnable (gcsfuse), by mount path. */
    mounts: readonly BucketMount[];
    /**
     * The reference pipeline's steps (`python` arguments, run in order, one runnable each, entrypoint
     * `python`); absent for a team's image, which runs its own entrypoint once.
     */
    steps?: readonly (readonly string[])[];
}

/** A bucket seen as a folder by the job. */
export interface BucketMount {
    readonly bucket: string;
    readonly mountPath: string;
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

/**
 * The runnables of a run: the team's image as it is, or one `python` container per reference step
 * (Batch runs a task's runnables in order and stops at the first that fails). Pure.
 */
export function runnables(s: Pick<BatchRunSpec, "image" | "steps">): Record<string, unknown>[] {
    if (s.steps === undefined) return [{ container: { imageUri: s.image } }];
    return s.steps.map((args) => ({
        container: {
            imageUri: s.image,
            entrypoint: "python",
            commands: args.map(literal),
            options: REFERENCE_CONTAINER_OPTIONS,
        },
    }));
}

/**
 * The machine's GPUs as Batch must be told them: Batch installs drivers only for GPUs named in
 * `policy.accelerators` (or an instance template), even on G2, whose machine type carries its L4s.
 * Google's Batch GPU samples set both the machine type and the accelerators. Pure.
 */
export function accelerators(machine: MachineType): { type: string; count: number }[] {
    if (machine.gpus === 0) return [];
    if (machine.gpuModel === undefined) throw new Error(`${machine.name}: a GPU machine without its GPU model`);
    return [{ type: machine.gpuModel, count: machine.gpus }];
}

/** The Batch job (projects.locations.jobs body) one Workflow execution creates. Pure. */
export function batchJobBody(s: BatchRunSpec): Record<string, unknown> {
    const gpus = accelerators(s.machine);
    return {
        taskGroups: [
            {
                taskCount: 1,
                // No computeResource: with one task per job, the task gets the whole machine.
                taskSpec: {
                    runnables: runnables(s),
                    // Batch binds each volume into container runnables at the same path.
                    volumes: s.mounts.map((m) => ({
                        gcs: { remotePath: m.bucket },
                        mountPath: m.mountPath,
                        mountOptions: [...GCS_MOUNT_OPTIONS],
                    })),
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
                        ...(gpus.length > 0 ? { accelerators: gpus } : {}),
                    },
                    // Drivers for the GPUs in policy.accelerators, from Google's storage (no internet needed on COS).
                    installGpuDrivers: gpus.length > 0,
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

/** What a Batch run needs of the foundation (the GCP one, with its network). */
export interface BatchRunHost {
    readonly project: string;
    readonly networkId?: pulumi.Output<string>;
    readonly subnetworkId?: pulumi.Output<string>;
    readonly dataUri: pulumi.Output<string>;
    readonly artifactsUri: pulumi.Output<string>;
    /** The two buckets, mounted into every job at DATA_MOUNT and ARTIFACTS_MOUNT. */
    readonly dataBucketName: pulumi.Output<string>;
    readonly artifactsBucketName: pulumi.Output<string>;
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
    /** The reference pipeline's steps, when the job runs the reference image (see blocks/gcp/reference). */
    steps?: readonly (readonly string[])[];
    /**
     * What the Workflow must wait for: API enablement, the uploads its job reads, the mirror its
     * image comes through.
     */
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
        ...(a.steps ? referenceEnvironment() : {}),
        DATA_URI: f.dataUri,
        ARTIFACTS_URI: f.artifactsUri,
        DATA_DIR: DATA_MOUNT,
        ARTIFACTS_DIR: ARTIFACTS_MOUNT,
        PIPELINE: a.pipeline,
    };
    const source = pulumi
        .all([
            pulumi.output(env),
            f.networkId,
            f.subnetworkId,
            f.jobServiceAccountEmail,
            f.dataBucketName,
            f.artifactsBucketName,
        ])
        .apply(([environment, network, subnetwork, email, dataBucket, artifactsBucket]) =>
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
                mounts: [
                    { bucket: dataBucket, mountPath: DATA_MOUNT },
                    { bucket: artifactsBucket, mountPath: ARTIFACTS_MOUNT },
                ],
                ...(a.steps ? { steps: a.steps } : {}),
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

import * as cloudscheduler from "@pulumi/gcp/cloudscheduler";
import * as compute from "@pulumi/gcp/compute";
import * as dataproc from "@pulumi/gcp/dataproc";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import type * as inputs from "@pulumi/gcp/types/input";
import * as pulumi from "@pulumi/pulumi";
import { enableApis } from "../blocks/gcp/project";
import { workflowTemplateRunCommand } from "../blocks/gcp/run-commands";
import { type Capability, placed } from "../capability";
import { type FoundationNeeds, foundationProblems } from "../foundation";
import { GcpFoundation } from "../foundation/gcp";
import { sampleArtifact } from "../shared/artifacts";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkSparkClusterArgs,
    clusterVolumeGb,
    DEFAULT_SPARK_TIMEOUT_HOURS,
    jobArguments,
    joinUri,
    pipelinesOf,
    SPARK_TYPE,
    type SparkCluster,
    type SparkClusterArgs,
    type SparkJobSpec,
    type SparkLimits,
    type SparkPipeline,
    type SparkSize,
    type SparkSpec,
    type SparkWorkerType,
    scriptPath,
    sizeProblems,
    sparkSizeOrThrow,
} from "./index";

/**
 * The reference pipeline's Spark files per pipeline (manifest names): its entry script, the jobs
 * package every script imports (shipped with `pythonFileUris`), and what the script reads that
 * nothing in the stack writes: the sample data (data) and the sample model (inference). Scoring
 * reads the features the data pipeline writes under samples/features/.
 */
export const SPARK_SAMPLES: Readonly<Record<SparkPipeline, { script: string; reads: readonly string[] }>> = {
    data: { script: "spark-data", reads: ["jobs-package", "sample-data"] },
    inference: { script: "spark-inference", reads: ["jobs-package", "model"] },
};

/** The sample model's folder, which the reference scoring script loads (`--model-uri`). */
export const REFERENCE_MODEL_PATH = sampleArtifact("model").key.replace(/\/[^/]+$/, "");

/** Whether a job runs the reference pipeline's script (the team named none of its own). */
export const isReferenceJob = (job: Pick<SparkJobSpec, "script">): boolean => job.script === undefined;

/** The manifest files the reference jobs of a Spark spec read: what the foundation uploads. Pure. */
export function gcpSparkNeeds(a: Pick<SparkSpec, "jobs">): FoundationNeeds {
    const samples = a.jobs
        .filter(isReferenceJob)
        .flatMap((j) => [SPARK_SAMPLES[j.pipeline].script, ...SPARK_SAMPLES[j.pipeline].reads]);
    return samples.length > 0 ? { samples: [...new Set(samples)].sort() } : {};
}

/**
 * Dataproc image: Spark 3.5 on Debian 12, generally available and supported until mid-2027. Its
 * Python is Miniconda's; whether scikit-learn (which the scoring UDF unpickles the model with) is
 * in it is not listed on Google's version pages read here: see README, "Defaults".
 */
export const DATAPROC_IMAGE_VERSION = "2.3-debian12";

/** N2 high-memory machines (8 GB per vCPU), offered in every region Dataproc runs in. */
export const DATAPROC_WORKERS: readonly SparkWorkerType[] = [
    { name: "n2-highmem-4", vcpus: 4, memoryGb: 32 },
    { name: "n2-highmem-8", vcpus: 8, memoryGb: 64 },
    { name: "n2-highmem-16", vcpus: 16, memoryGb: 128 },
    { name: "n2-highmem-32", vcpus: 32, memoryGb: 256 },
    { name: "n2-highmem-64", vcpus: 64, memoryGb: 512 },
];

/** Dataproc's autoscaling keeps at least 2 primary workers; 200 is a sane ceiling for one batch. */
export const DATAPROC_LIMITS: SparkLimits = { minWorkers: 2, maxWorkers: 200 };

/** Boot disk of each node: the image, logs and Spark's shuffle and spill files. */
export const MIN_BOOT_DISK_GB = 100;
export const DISK_PER_DATA_GB = 2;
export const BOOT_DISK_TYPE = "pd-balanced";
/**
 * A backstop: Dataproc deletes a workflow's managed cluster as soon as its jobs end; should a run
 * hang without work, the cluster deletes itself after this long idle anyway.
 */
export const IDLE_DELETE_SECONDS = 1800;
/** Seconds the autoscaler waits between decisions, and lets YARN drain a worker before removing it. */
export const AUTOSCALE_COOLDOWN_SECONDS = 120;
export const GRACEFUL_DECOMMISSION_SECONDS = 3600;
const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** Boot disk per node for a run over `volumeGb` on `maxWorkers` workers. Pure. */
export function bootDiskGb(volumeGb: number, maxWorkers: number): number {
    return Math.max(MIN_BOOT_DISK_GB, Math.ceil((volumeGb * DISK_PER_DATA_GB) / Math.max(1, maxWorkers)));
}

/** GCP checks on top of the cloud-neutral ones. Pure. */
export function checkGcpSparkArgs(a: Pick<SparkClusterArgs, "jobs" | "level">): InputProblem[] {
    const short = a.jobs
        .filter(
            (j) =>
                j.timeoutHours !== undefined && j.timeoutHours > 0 && j.timeoutHours * 3600 < MIN_DAG_TIMEOUT_SECONDS,
        )
        .map((j) => ({
            path: `config.mlops:workload.${j.pipeline}.timeoutHours`,
            message: "must be at least 10 minutes (about 0.17 hours) on GCP: Dataproc's shortest workflow timeout",
        }));
    return [...checkSparkClusterArgs(a), ...short, ...sizeProblems(a.jobs, DATAPROC_WORKERS, DATAPROC_LIMITS)];
}

/** Dataproc refuses a workflow `dagTimeout` under 10 minutes (600s..86400s). */
export const MIN_DAG_TIMEOUT_SECONDS = 600;

/** What a managed cluster needs from the stack, resolved. */
export interface ManagedClusterSpec {
    clusterNamePrefix: string;
    size: SparkSize;
    diskGb: number;
    subnetwork: string;
    serviceAccountEmail: string;
    bucket: string;
    autoscalingPolicy: string;
    labels: Record<string, string>;
}

/**
 * The per-run cluster of a workflow template: internal IPs only, in the foundation's subnet, as
 * the Spark service account, staging and temp files in the artifacts bucket, autoscaling between
 * the minimum and the size for the volume. Pure.
 */
export function managedClusterConfig(s: ManagedClusterSpec): inputs.dataproc.WorkflowTemplatePlacement {
    const node = (numInstances: number) => ({
        numInstances,
        machineType: s.size.worker.name,
        diskConfig: { bootDiskType: BOOT_DISK_TYPE, bootDiskSizeGb: s.diskGb },
    });
    return {
        managedCluster: {
            clusterName: s.clusterNamePrefix,
            labels: s.labels,
            config: {
                gceClusterConfig: {
                    subnetwork: s.subnetwork,
                    internalIpOnly: true,
                    serviceAccount: s.serviceAccountEmail,
                    serviceAccountScopes: [CLOUD_PLATFORM_SCOPE],
                    shieldedInstanceConfig: {
                        enableSecureBoot: true,
                        enableVtpm: true,
                        enableIntegrityMonitoring: true,
                    },
                    metadata: { "block-project-ssh-keys": "true", "enable-oslogin": "TRUE" },
                },
                // The driver runs on the master (client mode): it gets a worker-sized machine.
                masterConfig: node(1),
                workerConfig: node(s.size.minWorkers),
                softwareConfig: {
                    imageVersion: DATAPROC_IMAGE_VERSION,
                    properties: {
                        // Driver and YARN container logs go to Cloud Logging, not only to the bucket.
                        "dataproc:dataproc.logging.stackdriver.job.driver.enable": "true",
                        "dataproc:dataproc.logging.stackdriver.job.yarn.container.enable": "true",
                        "spark:spark.dynamicAllocation.enabled": "true",
                    },
                },
                autoscalingConfig: { policy: s.autoscalingPolicy },
                lifecycleConfig: { idleDeleteTtl: `${IDLE_DELETE_SECONDS}s` },
                stagingBucket: s.bucket,
                tempBucket: s.bucket,
            },
        },
    };
}

/**
 * The Spark cluster on GCP: a Dataproc workflow template per pipeline, each creating a managed
 * cluster for its run and deleting it when the job ends, started by Cloud Scheduler.
 *
 * Per-run clusters rather than one long-lived cluster: a cluster with idle deletion would be gone
 * by the next scheduled run, and one kept alive bills every hour. The shared part is everything
 * but the VMs: the Spark service account, the firewall rule letting its nodes talk, the
 * autoscaling policy and the cluster shape, so data and inference at level 2 run on the same
 * kind of cluster without paying for one between runs.
 */
export class GcpSparkCluster extends pulumi.ComponentResource implements SparkCluster {
    readonly clusterName: pulumi.Output<string>;
    readonly jobNames: Readonly<Partial<Record<SparkPipeline, pulumi.Output<string>>>>;
    readonly workerType: string;
    readonly minWorkers: number;
    readonly maxWorkers: number;
    readonly pipelines: readonly SparkPipeline[];
    /** Email of the service account the cluster nodes run as. */
    readonly serviceAccountEmail: pulumi.Output<string>;
    /** Per pipeline, `gcloud dataproc workflow-templates instantiate …`: runs it now. */
    readonly runCommands: Partial<Record<SparkPipeline, pulumi.Output<string>>>;

    constructor(name: string, args: SparkClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = checkGcpSparkArgs(args);
        problems.push(
            ...foundationProblems(args.foundation, GcpFoundation, "GCP", {
                ready: (f) => f.subnetworkId !== undefined,
                why: "Dataproc nodes run in its subnet",
            }),
        );
        throwIfProblems(problems);
        super(SPARK_TYPE, name, {}, opts);
        const f = args.foundation as GcpFoundation;
        const { ctx, level } = args;
        const pipelines = pipelinesOf(args.jobs);
        const labels = tagsOf(ctx, pipelines, level);
        const parent = { parent: this };
        const volume = clusterVolumeGb(args.jobs);
        const size = sparkSizeOrThrow(volume, DATAPROC_WORKERS, DATAPROC_LIMITS);
        this.pipelines = pipelines;
        this.workerType = size.worker.name;
        this.minWorkers = size.minWorkers;
        this.maxWorkers = size.maxWorkers;

        const apis = enableApis(this, name, f.project, ["dataproc.googleapis.com", "cloudscheduler.googleapis.com"]);

        const sa = new serviceaccount.Account(
            `${name}-sa`,
            {
                project: f.project,
                accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, "spark"]),
                displayName: `mlops-levels ${ctx.stack} Spark`,
                description: "Dataproc nodes: the stack's two buckets, Dataproc agent reporting, logs.",
            },
            { parent: this, dependsOn: [...f.apis] },
        );
        this.serviceAccountEmail = sa.email;
        const grants: pulumi.Resource[] = [
            // The Dataproc agent on every node reports through this role (it includes log and metric writes).
            new projects.IAMMember(
                `${name}-sa-dataproc-worker`,
                { project: f.project, role: "roles/dataproc.worker", member: sa.member },
                parent,
            ),
            ...(
                [
                    ["data", f.dataBucketName],
                    ["artifacts", f.artifactsBucketName],
                ] as const
            ).map(
                ([purpose, bucket]) =>
                    new storage.BucketIAMMember(
                        `${name}-sa-${purpose}-object-admin`,
                        { bucket, role: "roles/storage.objectAdmin", member: sa.member },
                        parent,
                    ),
            ),
        ];

        // The foundation refuses all ingress; Dataproc nodes must reach each other (YARN, HDFS, shuffle).
        const firewall = new compute.Firewall(
            `${name}-internal`,
            {
                name: physicalName("gcpResource", [ctx.project, ctx.stack, "spark-internal"]),
                project: f.project,
                network: f.networkId!,
                direction: "INGRESS",
                priority: 1000,
                sourceServiceAccounts: [sa.email],
                targetServiceAccounts: [sa.email],
                allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                description: "Dataproc nodes of this stack talk to each other; nothing else gets in.",
            },
            parent,
        );

        const policy = new dataproc.AutoscalingPolicy(
            `${name}-autoscaling`,
            {
                policyId: physicalName("dataprocId", [ctx.project, ctx.stack, "spark"]),
                project: f.project,
                location: ctx.region,
                workerConfig: { minInstances: size.minWorkers, maxInstances: size.maxWorkers },
                // No secondary (preemptible) workers: a batch with a deadline should not lose nodes.
                secondaryWorkerConfig: { minInstances: 0, maxInstances: 0 },
                basicAlgorithm: {
                    cooldownPeriod: `${AUTOSCALE_COOLDOWN_SECONDS}s`,
                    yarnConfig: {
                        gracefulDecommissionTimeout: `${GRACEFUL_DECOMMISSION_SECONDS}s`,
                        scaleUpFactor: 1,
                        scaleDownFactor: 1,
                    },
                },
            },
            { parent: this, dependsOn: apis },
        );

        const schedulerSa = new serviceaccount.Account(
            `${name}-scheduler-sa`,
            {
                project: f.project,
                accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, "spark-sched"]),
                displayName: `mlops-levels ${ctx.stack} Spark scheduler`,
                description: "Cloud Scheduler's identity: instantiates the Spark workflow templates.",
            },
            { parent: this, dependsOn: [...f.apis] },
        );
        const schedulerGrants = [
            // Instantiating a template creates a cluster: both are project permissions in Dataproc.
            new projects.IAMMember(
                `${name}-scheduler-dataproc-editor`,
                { project: f.project, role: "roles/dataproc.editor", member: schedulerSa.member },
                parent,
            ),
            // The clusters run as the Spark account; actAs on that account only.
            new serviceaccount.IAMMember(
                `${name}-scheduler-act-as-spark-sa`,
                { serviceAccountId: sa.name, role: "roles/iam.serviceAccountUser", member: schedulerSa.member },
                parent,
            ),
        ];

        const clusterNamePrefix = physicalName("dataprocClusterPrefix", [ctx.project, ctx.stack, "spark"]);
        this.clusterName = pulumi.output(clusterNamePrefix);
        const diskGb = bootDiskGb(volume, size.maxWorkers);
        const jobNames: Partial<Record<SparkPipeline, pulumi.Output<string>>> = {};
        const runCommands: Partial<Record<SparkPipeline, pulumi.Output<string>>> = {};
        for (const job of args.jobs) {
            // The reference job's files, uploaded by the foundation: the template waits for them.
            const samples = isReferenceJob(job)
                ? [SPARK_SAMPLES[job.pipeline].script, ...SPARK_SAMPLES[job.pipeline].reads].map((n) =>
                      f.sampleObject(n),
                  )
                : [];
            const jobLabels = tagsOf(ctx, job.pipeline, level);
            const placement = pulumi
                .all([f.subnetworkSelfLink!, sa.email, f.artifactsBucketName, policy.name])
                .apply(([subnetwork, email, bucket, autoscalingPolicy]) =>
                    managedClusterConfig({
                        clusterNamePrefix,
                        size,
                        diskGb,
                        subnetwork,
                        serviceAccountEmail: email,
                        bucket,
                        autoscalingPolicy,
                        labels,
                    }),
                );
            const template = new dataproc.WorkflowTemplate(
                `${name}-${job.pipeline}-template`,
                {
                    name: physicalName("dataprocId", [ctx.project, ctx.stack, job.pipeline, "spark"]),
                    project: f.project,
                    location: ctx.region,
                    placement,
                    jobs: [pysparkStep(job, f, jobLabels)],
                    dagTimeout: `${Math.round((job.timeoutHours ?? DEFAULT_SPARK_TIMEOUT_HOURS) * 3600)}s`,
                    labels: jobLabels,
                },
                { parent: this, dependsOn: [...apis, ...grants, firewall, ...samples.map((o) => o.resource)] },
            );
            new cloudscheduler.Job(
                `${name}-${job.pipeline}-schedule`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, job.pipeline, "spark"]),
                    project: f.project,
                    region: ctx.region,
                    description: `Runs the ${job.pipeline} Spark workflow (mlops-levels level ${level})`,
                    schedule: job.schedule,
                    timeZone: "Etc/UTC",
                    httpTarget: {
                        uri: pulumi.interpolate`https://dataproc.googleapis.com/v1/projects/${f.project}/regions/${ctx.region}/workflowTemplates/${template.name}:instantiate`,
                        httpMethod: "POST",
                        headers: { "Content-Type": "application/json" },
                        body: Buffer.from("{}").toString("base64"),
                        oauthToken: { serviceAccountEmail: schedulerSa.email, scope: CLOUD_PLATFORM_SCOPE },
                    },
                },
                { parent: this, dependsOn: [...apis, ...schedulerGrants] },
            );
            jobNames[job.pipeline] = template.name;
            runCommands[job.pipeline] = workflowTemplateRunCommand(template.name, f.project, ctx.region);
        }
        this.jobNames = jobNames;
        this.runCommands = runCommands;

        this.registerOutputs({
            clusterName: this.clusterName,
            jobNames: this.jobNames,
            workerType: this.workerType,
            minWorkers: this.minWorkers,
            maxWorkers: this.maxWorkers,
            serviceAccountEmail: this.serviceAccountEmail,
            runCommands: this.runCommands,
        });
    }
}

/**
 * The template's one step: the pipeline's PySpark entry script from the artifacts bucket. The
 * reference job runs the uploaded script with the jobs package on every node's PYTHONPATH
 * (`pythonFileUris`, hence `--package none`) and scores with the sample model.
 */
function pysparkStep(
    job: SparkJobSpec,
    f: GcpFoundation,
    labels: Record<string, string>,
): pulumi.Output<inputs.dataproc.WorkflowTemplateJob> {
    if (!isReferenceJob(job))
        return pulumi.all([f.dataUri, f.artifactsUri]).apply(([dataUri, artifactsUri]) => ({
            stepId: job.pipeline,
            labels,
            pysparkJob: {
                mainPythonFileUri: joinUri(artifactsUri, scriptPath(job)),
                args: jobArguments(job, dataUri, artifactsUri),
            },
        }));
    const script = f.sampleObject(SPARK_SAMPLES[job.pipeline].script).uri;
    const pkg = f.sampleObject("jobs-package").uri;
    return pulumi.all([f.dataUri, f.artifactsUri, script, pkg]).apply(([dataUri, artifactsUri, main, zip]) => ({
        stepId: job.pipeline,
        labels,
        pysparkJob: {
            mainPythonFileUri: main,
            pythonFileUris: [zip],
            args: [
                ...jobArguments({ ...job, modelPath: job.modelPath ?? REFERENCE_MODEL_PATH }, dataUri, artifactsUri),
                "--package",
                "none",
            ],
        },
    }));
}

/** Dataproc as the GCP Spark capability, with its pure pre-flight check. */
export const gcpSparkKit: Capability<SparkSpec, GcpSparkCluster> = {
    check: checkGcpSparkArgs,
    needs: gcpSparkNeeds,
    create: (name, spec, site, opts) => new GcpSparkCluster(name, placed(spec, site), opts),
};

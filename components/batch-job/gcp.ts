import * as cloudscheduler from "@pulumi/gcp/cloudscheduler";
import * as compute from "@pulumi/gcp/compute";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as pulumi from "@pulumi/pulumi";
import { BOOT_DISK_TYPE, batchWorkflow, bootDiskGb, CLOUD_PLATFORM_SCOPE } from "../blocks/gcp/batch-workflow";
import { enableApis } from "../blocks/gcp/project";
import {
    isReferenceImage,
    REFERENCE_SAMPLES,
    referenceEnvironment,
    referenceSteps,
    VM_REFERENCE_RUNNER,
    type VmReferenceSpec,
    vmReferenceSpec,
} from "../blocks/gcp/reference";
import { workflowRunCommand } from "../blocks/gcp/run-commands";
import { type Capability, placedOn } from "../capability";
import { type FoundationNeeds, NO_NEEDS } from "../foundation";
import { GcpFoundation, imageDependencies } from "../foundation/gcp";
import { GCP_MACHINES } from "../machines/gcp";
import { machineProblems, pickMachine } from "../machines/index";
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

/** Where cloud-init writes the reference runner and its spec on the VM (COS rewrites /etc on every boot). */
export const VM_REFERENCE_FILES = { script: "/etc/mlops-reference.py", spec: "/etc/mlops-reference.json" } as const;

/** Image of the always-on VM runner: Container-Optimized OS runs containers and has cloud-init. */
export const VM_RUNNER_IMAGE = "projects/cos-cloud/global/images/family/cos-stable";
/**
 * Zone of the VM runner within the region. "b" exists in every Compute Engine region (some regions,
 * e.g. europe-west1 and us-east1, have no zone "a").
 */
export const VM_RUNNER_ZONE_LETTER = "b";
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
    /** The reference pipeline's run, when the VM runs the reference image (see VM_REFERENCE_RUNNER). */
    reference?: VmReferenceSpec;
}): string {
    const host = googleRegistryHost(o.image);
    // The reference image's own entrypoint is a model server: the run replaces it with the runner script.
    const run = o.reference
        ? `--user=root -v ${VM_REFERENCE_FILES.script}:/opt/mlops/reference.py:ro -v ${VM_REFERENCE_FILES.spec}:/opt/mlops/reference.json:ro --entrypoint=python ${o.image} /opt/mlops/reference.py /opt/mlops/reference.json`
        : o.image;
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
        `ExecStart=/usr/bin/docker run --rm --name=mlops-job --env-file=/etc/mlops-job.env ${run}`,
        `TimeoutStartSec=${o.timeoutSeconds}`,
    ].join("\n");
    return [
        "#cloud-config",
        "write_files:",
        ...cloudConfigFile("/etc/mlops-job.env", envFile(o.environment), { permissions: "0600", owner: "root" }),
        ...(o.reference
            ? [
                  ...cloudConfigFile(VM_REFERENCE_FILES.script, VM_REFERENCE_RUNNER, {
                      permissions: "0644",
                      owner: "root",
                  }),
                  ...cloudConfigFile(VM_REFERENCE_FILES.spec, JSON.stringify(o.reference), {
                      permissions: "0644",
                      owner: "root",
                  }),
              ]
            : []),
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
    /** The command that starts a run now (serverless runner; the VM runs on its timer only). */
    readonly runCommands: Partial<Record<"data" | "inference", pulumi.Output<string>>>;

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
        this.runCommands = {};
        // The reference image runs the reference pipeline's steps on the files the foundation uploaded.
        const reference = isReferenceImage(args.image);
        const samples = reference ? REFERENCE_SAMPLES[args.pipeline].map((n) => f.sampleObject(n).resource) : [];

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
                ...(reference ? { steps: referenceSteps(args.pipeline) } : {}),
                dependsOn: [...apis, ...samples, ...imageDependencies(f, args.image)],
            });
            this.runCommands = { [args.pipeline]: workflowRunCommand(workflow.name, f.project, ctx.region) };
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
                ...(reference ? referenceEnvironment() : {}),
                DATA_URI: f.dataUri,
                ARTIFACTS_URI: f.artifactsUri,
                PIPELINE: args.pipeline,
            };
            const userData = pulumi
                .all([pulumi.output(env), f.dataBucketName, f.artifactsBucketName])
                .apply(([environment, data, artifacts]) =>
                    vmCloudInit({
                        image: args.image,
                        onCalendar,
                        timeoutSeconds,
                        environment: environment as Record<string, string>,
                        ...(reference ? { reference: vmReferenceSpec(args.pipeline, { data, artifacts }) } : {}),
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
                { parent: this, dependsOn: [...samples, ...imageDependencies(f, args.image)] },
            );
            this.jobName = vm.name;
            this.jobId = vm.selfLink;
        }
        this.registerOutputs({
            jobName: this.jobName,
            machineType: this.machineType,
            schedule: this.schedule,
            jobId: this.jobId,
            runCommands: this.runCommands,
        });
    }
}

/** A batch job spec as GCP takes it: the `vm` runner's timer, and a machine for the volume. Pure. */
export function checkGcpBatchJobSpec(a: BatchJobSpec): InputProblem[] {
    return [
        ...underWorkload(a.pipeline, [...checkBatchJobArgs(a), ...checkGcpBatchJobArgs(a)]),
        ...machineProblems(GCP_MACHINES, a.volumeGb, false, `config.mlops:workload.${a.pipeline}.volumeGb`),
    ];
}

/** What a GCP batch job needs of the foundation: the reference pipeline's files, for the reference image. Pure. */
export function gcpBatchJobNeeds(a: Pick<BatchJobSpec, "pipeline" | "image">): FoundationNeeds {
    return isReferenceImage(a.image) ? { samples: [...REFERENCE_SAMPLES[a.pipeline]] } : NO_NEEDS;
}

/** Data and inference level 1 on GCP. */
export const gcpBatchJobKit: Capability<BatchJobSpec, GcpBatchJob> = {
    check: checkGcpBatchJobSpec,
    needs: gcpBatchJobNeeds,
    create: (name, spec, site, opts) => new GcpBatchJob(name, placedOn(spec, site, GcpFoundation, "GCP"), opts),
};

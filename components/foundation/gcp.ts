import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as compute from "@pulumi/gcp/compute";
import * as projects from "@pulumi/gcp/projects";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { enableApis, gcpProject } from "../blocks/gcp/project";
import { type SampleArtifact, sampleArtifact } from "../shared/artifacts";
import { type StackContext, tagsOf } from "../shared/context";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import { FOUNDATION } from "../shared/tags";
import {
    declaredSample,
    FOUNDATION_TYPE,
    type Foundation,
    type FoundationArgs,
    InternetEgress,
    needsProblems,
    throwIfNeedsProblems,
} from "./index";

/** Days a replaced or deleted object version is kept before the lifecycle rule deletes it. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Days an unfinished multipart (XML API) upload may linger before it is aborted. */
export const INCOMPLETE_UPLOAD_DAYS = 7;
/** Soft-delete window: deleted objects stay restorable this long. 7 days is GCS's minimum above 0. */
export const SOFT_DELETE_SECONDS = 7 * 24 * 3600;
/** The subnet compute runs in. A /24 holds 252 VMs, far more than level-1 jobs start. */
export const SUBNET_CIDR = "10.10.0.0/24";
/** Below every user rule but above the implied rules (65535), so explicit allows still win. */
export const DENY_INGRESS_PRIORITY = 65534;

/** Days a cached image version stays in the Docker Hub mirror before it is fetched again. */
export const MIRROR_CACHE_DAYS = 30;

/** Id of the stack's Docker Hub mirror repository. Pure. */
export function imageMirrorRepositoryId(project: string, stack: string): string {
    return physicalName("gcpResource", [project, stack, "dockerhub"]);
}

/**
 * Where the stack pulls Docker Hub images from: `<path>/library/python:3.12-slim` for the official
 * `python:3.12-slim`, `<path>/pytorch/pytorch:<tag>` for `pytorch/pytorch:<tag>`. Pure.
 */
export function imageMirrorPath(gcpProjectId: string, project: string, stack: string, region: string): string {
    return `${region}-docker.pkg.dev/${gcpProjectId}/${imageMirrorRepositoryId(project, stack)}`;
}

/** One uploaded sample file: where it is, as outputs of the upload, so a reader waits for it. */
export interface SampleObject {
    /** `gs://<bucket>/<key>`. */
    readonly uri: pulumi.Output<string>;
    readonly bucket: pulumi.Output<string>;
    /** The object's key, under `samples/`. */
    readonly key: pulumi.Output<string>;
    /** The upload itself, for `dependsOn`. */
    readonly resource: storage.BucketObject;
}

/** The object an artifact of the manifest becomes: its key, its file, its content type. Pure. */
export function sampleUpload(a: SampleArtifact): { name: string; source: pulumi.asset.FileAsset; contentType: string } {
    return { name: a.key, source: new pulumi.asset.FileAsset(a.path), contentType: a.contentType };
}

/**
 * What a reader of `image` must wait for: the foundation's Docker Hub mirror when the image comes
 * through it (the mirror must exist before anything pulls), nothing for any other registry.
 */
export function imageDependencies(f: GcpFoundation, image: string): pulumi.Resource[] {
    return f.imageMirror && f.imageMirrorPath && image.startsWith(`${f.imageMirrorPath}/`) ? [f.imageMirror] : [];
}

/** Project roles the job identity needs to run as a Batch VM, write logs and pull images. */
export const JOB_PROJECT_ROLES = [
    "roles/batch.agentReporter",
    "roles/logging.logWriter",
    "roles/artifactregistry.reader",
] as const;

/**
 * GCP foundation: two GCS buckets (data, artifacts), a private VPC when compute runs, and the
 * service account jobs run as with access to those two buckets only. A level that must reach the
 * internet asks for a Cloud NAT (`internetEgress` in the args), built here under fixed names.
 *
 * Protection is explicit, on the buckets only: the network, the Docker Hub mirror (a cache) and the
 * NAT are never protected, so a level change can remove what it added.
 *
 * Encryption at rest is Google-managed (AES-256) rather than CMEK: a Cloud KMS key ring can never be
 * deleted, so every dev stack torn down would leave one behind for good, and each key version costs
 * money every month. A team that needs CMEK sets `encryption.defaultKmsKeyName` on the buckets.
 */
export class GcpFoundation extends pulumi.ComponentResource implements Foundation {
    readonly dataBucketName: pulumi.Output<string>;
    readonly artifactsBucketName: pulumi.Output<string>;
    readonly dataUri: pulumi.Output<string>;
    readonly artifactsUri: pulumi.Output<string>;
    readonly jobIdentity: pulumi.Output<string>;
    readonly networkId?: pulumi.Output<string>;
    /** GCP project id everything lives in. */
    readonly project: string;
    readonly region: string;
    readonly networkSelfLink?: pulumi.Output<string>;
    readonly subnetworkId?: pulumi.Output<string>;
    readonly subnetworkSelfLink?: pulumi.Output<string>;
    /** Email of the job service account (same as jobIdentity). */
    readonly jobServiceAccountEmail: pulumi.Output<string>;
    /** `projects/<p>/serviceAccounts/<email>`, for bindings on the account itself (actAs). */
    readonly jobServiceAccountName: pulumi.Output<string>;
    /** The APIs the foundation enabled (IAM, Compute...): level resources that need them wait for these. */
    readonly apis: readonly projects.Service[];
    /** The Cloud NAT, when a level asked for internet egress: resources that pull images wait for it. */
    readonly internetEgress?: pulumi.Resource;
    /**
     * The Docker Hub mirror (an Artifact Registry remote repository), with the network: jobs that
     * pull a default image through it wait for it, and a service agent that pulls gets reader on it.
     */
    readonly imageMirror?: artifactregistry.Repository;
    /** `<region>-docker.pkg.dev/<project>/<mirror>`: Docker Hub images under this path come through the mirror. */
    readonly imageMirrorPath?: string;
    private readonly samples = new Map<string, SampleObject>();

    constructor(name: string, args: FoundationArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const project = gcpProject();
        throwIfNeedsProblems(needsProblems(args, "GCP", ["internetEgress", "samples"]));
        super(FOUNDATION_TYPE, name, {}, opts);
        const { ctx } = args;
        const labels = tagsOf(ctx, FOUNDATION, 0);
        this.project = project;
        this.region = ctx.region;

        const apis = enableApis(this, name, project, [
            "storage.googleapis.com",
            "iam.googleapis.com",
            "logging.googleapis.com",
            "artifactregistry.googleapis.com",
            ...(args.network ? ["compute.googleapis.com"] : []),
        ]);
        this.apis = apis;

        const bucket = (purpose: "data" | "artifacts") => {
            const base = physicalName("gcsBucket", [ctx.project, ctx.stack, purpose], suffixReserve("gcsBucket"));
            // Fixed logical names and protect: a level change or refactor never replaces stored data.
            return new storage.Bucket(
                `${name}-${purpose}`,
                {
                    name: ctx.uniqueSuffix.apply((s) => withSuffix("gcsBucket", base, s)),
                    project,
                    location: ctx.region.toUpperCase(),
                    storageClass: "STANDARD",
                    uniformBucketLevelAccess: true,
                    publicAccessPrevention: "enforced",
                    versioning: { enabled: true },
                    softDeletePolicy: { retentionDurationSeconds: SOFT_DELETE_SECONDS },
                    lifecycleRules: [
                        {
                            action: { type: "Delete" },
                            condition: { daysSinceNoncurrentTime: NONCURRENT_VERSION_DAYS, withState: "ARCHIVED" },
                        },
                        {
                            action: { type: "AbortIncompleteMultipartUpload" },
                            condition: { age: INCOMPLETE_UPLOAD_DAYS },
                        },
                    ],
                    labels,
                },
                { parent: this, dependsOn: apis, protect: ctx.protect },
            );
        };
        const data = bucket("data");
        const artifacts = bucket("artifacts");

        const jobSa = new serviceaccount.Account(
            `${name}-job-sa`,
            {
                project,
                accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, "job"]),
                displayName: `mlops-levels ${ctx.stack} jobs`,
                description:
                    "Identity of batch and training jobs: the stack's two buckets, Batch reporting, logs, image pulls.",
            },
            { parent: this, dependsOn: apis },
        );
        // Bucket-level grants, so the jobs cannot touch any other bucket in the project.
        for (const [purpose, b] of [
            ["data", data],
            ["artifacts", artifacts],
        ] as const) {
            new storage.BucketIAMMember(
                `${name}-job-${purpose}-object-admin`,
                { bucket: b.name, role: "roles/storage.objectAdmin", member: jobSa.member },
                { parent: this },
            );
        }
        for (const role of JOB_PROJECT_ROLES) {
            new projects.IAMMember(
                `${name}-job-${role.split("/")[1]!.replace(/\./g, "-").toLowerCase()}`,
                { project, role, member: jobSa.member },
                { parent: this },
            );
        }

        if (args.network) {
            // Custom mode: one subnet in the stack's region instead of one in every region.
            const network = new compute.Network(
                `${name}-network`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, "vpc"]),
                    project,
                    autoCreateSubnetworks: false,
                    routingMode: "REGIONAL",
                    description:
                        "Private network of mlops-levels compute. No NAT: images come from Artifact Registry over Private Google Access.",
                },
                { parent: this, dependsOn: apis },
            );
            const subnet = new compute.Subnetwork(
                `${name}-subnet`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, ctx.region]),
                    project,
                    network: network.id,
                    region: ctx.region,
                    ipCidrRange: SUBNET_CIDR,
                    // VMs have no external IP and there is no Cloud NAT (it costs per VM) until a level asks
                    // for one: Google APIs, GCS and Artifact Registry (*.pkg.dev) are reached over Private
                    // Google Access instead.
                    privateIpGoogleAccess: true,
                    logConfig: {
                        aggregationInterval: "INTERVAL_5_SEC",
                        flowSampling: 0.5,
                        metadata: "INCLUDE_ALL_METADATA",
                    },
                },
                { parent: this },
            );
            new compute.Firewall(
                `${name}-deny-ingress`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, "deny-ingress"]),
                    project,
                    network: network.id,
                    direction: "INGRESS",
                    priority: DENY_INGRESS_PRIORITY,
                    sourceRanges: ["0.0.0.0/0"],
                    denies: [{ protocol: "all" }],
                    logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                    description:
                        "Nothing reaches the jobs from outside; no SSH rule either (jobs are inspected through their logs).",
                },
                { parent: this },
            );
            // Compute runs without NAT, so Docker Hub images (the defaults among them) come through a
            // remote repository over Private Google Access. It holds only a cache: no protection.
            this.imageMirror = new artifactregistry.Repository(
                `${name}-image-mirror`,
                {
                    project,
                    location: ctx.region,
                    repositoryId: imageMirrorRepositoryId(ctx.project, ctx.stack),
                    format: "DOCKER",
                    mode: "REMOTE_REPOSITORY",
                    description: "Docker Hub mirror: compute pulls public images here without internet access",
                    remoteRepositoryConfig: {
                        description: "Docker Hub",
                        dockerRepository: { publicRepository: "DOCKER_HUB" },
                    },
                    cleanupPolicies: [
                        {
                            id: "expire-cache",
                            action: "DELETE",
                            condition: { olderThan: `${MIRROR_CACHE_DAYS * 24 * 3600}s` },
                        },
                    ],
                    cleanupPolicyDryRun: false,
                    labels,
                },
                { parent: this, dependsOn: apis },
            );
            this.imageMirrorPath = imageMirrorPath(project, ctx.project, ctx.stack, ctx.region);
            this.networkId = network.id;
            this.networkSelfLink = network.selfLink;
            this.subnetworkId = subnet.id;
            this.subnetworkSelfLink = subnet.selfLink;
            if (args.internetEgress)
                this.internetEgress = this.egress(
                    name,
                    ctx,
                    network.id,
                    tagsOf(ctx, args.internetEgress.pipeline, args.internetEgress.level),
                );
        }

        // The reference pipeline's files the levels read, each uploaded once under its samples/ key
        // (never over a team's own objects). Not protected: a level change removes what it added.
        for (const sample of args.samples ?? []) {
            const a = sampleArtifact(sample);
            const object = new storage.BucketObject(
                `${name}-sample-${a.name}`,
                { bucket: (a.bucket === "data" ? data : artifacts).name, ...sampleUpload(a) },
                // New content replaces the object (source is ForceNew) under the same name: created
                // first, the old one's delete would then remove the new upload.
                { parent: this, deleteBeforeReplace: true },
            );
            this.samples.set(a.name, {
                uri: pulumi.interpolate`gs://${object.bucket}/${object.name}`,
                bucket: object.bucket,
                key: object.name,
                resource: object,
            });
        }

        this.dataBucketName = data.name;
        this.artifactsBucketName = artifacts.name;
        this.dataUri = pulumi.interpolate`gs://${data.name}`;
        this.artifactsUri = pulumi.interpolate`gs://${artifacts.name}`;
        this.jobServiceAccountEmail = jobSa.email;
        this.jobServiceAccountName = jobSa.name;
        this.jobIdentity = jobSa.email;
        this.registerOutputs({
            dataBucketName: this.dataBucketName,
            artifactsBucketName: this.artifactsBucketName,
            dataUri: this.dataUri,
            artifactsUri: this.artifactsUri,
            jobIdentity: this.jobIdentity,
            networkId: this.networkId,
            subnetworkId: this.subnetworkId,
        });
    }

    /**
     * The upload of sample artifact `name` (a manifest name the stack's needs listed). Throws for
     * one that was not asked for: a capability that reads a sample must declare it in its needs.
     */
    sampleObject(name: string): SampleObject {
        return declaredSample(this.samples.get(name), name, "GCP");
    }

    /**
     * Internet egress for the VPC: a Cloud Router and a Cloud NAT on it for every subnet and range
     * in the region (the foundation's and those levels add, such as GKE's node and pod ranges), with
     * Google-allocated addresses and error logs only, under fixed names, for a level that must pull
     * from public registries (Kubernetes: the KubeRay operator from quay.io, Ray from Docker Hub);
     * Google APIs and Artifact Registry keep going over Private Google Access. Cloud NAT is billed
     * per VM using it and per GB, so it exists only while such a level does. VMs keep no external
     * IP; NAT only lets them open connections out.
     *
     * @param labels labels of the level that needs it. A router and a NAT take no labels, so they
     *   are kept on the egress component, which the cost table reads.
     * @returns the NAT: resources that pull images wait for it.
     */
    private egress(
        base: string,
        ctx: StackContext,
        networkId: pulumi.Output<string>,
        labels: Record<string, string>,
    ): pulumi.Resource {
        const name = `${base}-egress`;
        const egress = new InternetEgress(name, labels, { parent: this });
        const router = new compute.Router(
            `${name}-router`,
            {
                name: physicalName("gcpResource", [ctx.project, ctx.stack, "egress"]),
                project: this.project,
                region: this.region,
                network: networkId,
                description: "Cloud NAT for image pulls from public registries (Kubernetes level)",
            },
            { parent: egress, dependsOn: [...this.apis] },
        );
        const nat = new compute.RouterNat(
            `${name}-nat`,
            {
                name: physicalName("gcpResource", [ctx.project, ctx.stack, "nat"]),
                project: this.project,
                region: this.region,
                router: router.name,
                natIpAllocateOption: "AUTO_ONLY",
                sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
                logConfig: { enable: true, filter: "ERRORS_ONLY" },
            },
            { parent: egress },
        );
        egress.complete({ router: router.name, nat: nat.name });
        return nat;
    }
}

import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as cloudrunv2 from "@pulumi/gcp/cloudrunv2";
import { getProjectOutput } from "@pulumi/gcp/organizations/getProject";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { enableApis } from "../blocks/gcp/project";
import { ARTIFACTS_MOUNT, mountedPath, REFERENCE_IMAGE } from "../blocks/gcp/reference";
import { callCommand, predictCommand } from "../blocks/gcp/run-commands";
import { type Capability, placed } from "../capability";
import { asFoundation, type FoundationNeeds, NO_NEEDS } from "../foundation";
import { GcpFoundation, imageDependencies } from "../foundation/gcp";
import { type RegistrySite, registryAt } from "../registry";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkEndpointArgs,
    DEFAULT_MEMORY_GB,
    DEFAULT_MODEL_PATH,
    ENDPOINT_LEVEL,
    ENDPOINT_TYPE,
    type Endpoint,
    type EndpointArgs,
    type EndpointSizing,
    type EndpointSpec,
    sizeEndpoint,
    sizingProblems,
} from "./index";

/**
 * The model name the reference server serves the sample model under: requests go to
 * `/v1/models/churn:predict` (jobs/schema.py MODEL_NAME).
 */
export const REFERENCE_MODEL_NAME = "churn";
/** The port Cloud Run sends requests to (and sets as $PORT, which a service may not set itself). */
export const DEFAULT_PORT = 8080;
export { ARTIFACTS_MOUNT };
/** Cloud Run's limits on one service. */
export const MAX_INSTANCES = 1000;
export const MAX_REQUEST_CONCURRENCY = 1000;
/** Memory bounds in GB: gen2 needs 512 MiB at least; 32 GiB is the largest instance. */
export const MIN_MEMORY_GB = 0.5;
export const MAX_MEMORY_GB = 32;
/** Seconds one request may take before Cloud Run answers 504. */
export const REQUEST_TIMEOUT_SECONDS = 60;

/** vCPUs Cloud Run needs for `memoryGb` (more than 4 GiB needs 2, 8 needs 4, 16 needs 8). Pure. */
export function cloudRunCpu(memoryGb: number): number {
    if (memoryGb <= 4) return 1;
    if (memoryGb <= 8) return 2;
    if (memoryGb <= 16) return 4;
    return 8;
}

/** Every GCP limit on the endpoint, before anything exists. Pure. */
export function checkGcpEndpoint(a: EndpointSpec): InputProblem[] {
    const p = checkEndpointArgs(a);
    const memoryGb = a.memoryGb ?? DEFAULT_MEMORY_GB;
    if (!(memoryGb >= MIN_MEMORY_GB && memoryGb <= MAX_MEMORY_GB))
        p.push({
            path: "memoryGb",
            message: `must be from ${MIN_MEMORY_GB} to ${MAX_MEMORY_GB} (Cloud Run instance memory)`,
        });
    p.push(
        ...sizingProblems(
            a,
            p,
            { maxInstances: MAX_INSTANCES, maxConcurrencyPerInstance: MAX_REQUEST_CONCURRENCY },
            "a Cloud Run service",
        ),
    );
    return p;
}

function gcpFoundation(args: EndpointArgs): GcpFoundation {
    return asFoundation(args.foundation, GcpFoundation, "GCP");
}

/**
 * The reference server: KServe's scikit-learn server (blocks/gcp/reference), from the foundation's
 * Docker Hub mirror when it has one, else from Docker Hub (Cloud Run pulls public Docker Hub images
 * itself). It loads the one `.joblib` file of the sample model folder from the mounted bucket and
 * answers KServe's V1 protocol with `predict_proba` (PREDICT_PROBA). Pure.
 */
export function referenceServer(f: Pick<GcpFoundation, "imageMirrorPath">): {
    image: string;
    args: string[];
    env: Record<string, string>;
    /** The mounted folder holding the sample model. */
    modelDir: string;
} {
    const modelFile = mountedPath("model");
    const modelDir = modelFile.slice(0, modelFile.lastIndexOf("/"));
    return {
        image: f.imageMirrorPath ? `${f.imageMirrorPath}/${REFERENCE_IMAGE}` : `docker.io/${REFERENCE_IMAGE}`,
        args: [`--model_name=${REFERENCE_MODEL_NAME}`, `--model_dir=${modelDir}`, `--http_port=${DEFAULT_PORT}`],
        env: { PREDICT_PROBA: "true" },
        modelDir,
    };
}

/** What the endpoint needs of the foundation: the sample model, when it serves it. Pure. */
export function gcpEndpointNeeds(a: Pick<EndpointSpec, "image">): FoundationNeeds {
    return a.image === undefined ? { samples: ["model"] } : NO_NEEDS;
}

/**
 * A Cloud Run service: zero instances while idle (nothing billed, CPU only while a request runs), up
 * to the peak's instances, each taking `concurrencyPerInstance` requests at once. HTTPS only (Cloud
 * Run serves no plain HTTP). Every request is checked by Cloud Run's IAM: callers need
 * `roles/run.invoker` on this service and send a Google identity token; nobody has it by default.
 * Ingress stays open to the internet so such callers can be anywhere; the IAM check, not the
 * network, is the gate. `publicEndpoint: true` switches the invoker check off.
 *
 * The service runs as its own service account, which may read the artifacts bucket (mounted
 * read-only at ARTIFACTS_MOUNT) and nothing else. Images are pulled by the Cloud Run service agent,
 * which gets reader on the stack's repository only. Logs and request metrics go to Cloud Logging
 * and Monitoring by default. No VPC egress: the model comes from Cloud Storage over Google's network.
 */
export class GcpEndpoint extends pulumi.ComponentResource implements Endpoint {
    readonly endpointUrl: pulumi.Output<string>;
    readonly endpointName: pulumi.Output<string>;
    readonly identity: pulumi.Output<string>;
    readonly auth: string;
    readonly sizing: EndpointSizing;
    /** The `curl` that scores the sample row (reference server), or that reaches the team's server. */
    readonly runCommands: { inference: pulumi.Output<string> };

    constructor(name: string, args: EndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad input plans nothing.
        throwIfProblems(checkGcpEndpoint({ ...args, region: args.ctx.region }));
        super(ENDPOINT_TYPE, name, {}, opts);
        const { ctx } = args;
        const f = gcpFoundation(args);
        const labels = tagsOf(ctx, "inference", ENDPOINT_LEVEL);
        const parent = { parent: this };
        const isPublic = args.publicEndpoint ?? false;
        this.auth = isPublic ? "none" : "google-iam";
        this.sizing = sizeEndpoint(args.peakQps, args.instanceQps);
        const memoryGb = args.memoryGb ?? DEFAULT_MEMORY_GB;
        // No image named: the reference server serves the sample model the foundation uploaded.
        const reference = args.image === undefined ? referenceServer(f) : undefined;
        const sampleModel = reference ? f.sampleObject("model") : undefined;
        const modelPath = args.modelPath ?? DEFAULT_MODEL_PATH;
        const modelDir = modelPath.includes("/") ? modelPath.slice(0, modelPath.lastIndexOf("/")) : "";
        const image = reference?.image ?? args.image!;

        const apis = enableApis(this, name, f.project, ["run.googleapis.com"]);
        const sa = new serviceaccount.Account(
            `${name}-sa`,
            {
                project: f.project,
                accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, "endpoint"]),
                displayName: `mlops-levels ${ctx.stack} inference endpoint`,
                description: "Identity of the online endpoint: reads the artifacts bucket, nothing else.",
            },
            { ...parent, dependsOn: [...f.apis] },
        );
        const readModel = new storage.BucketIAMMember(
            `${name}-model-read`,
            { bucket: f.artifactsBucketName, role: "roles/storage.objectViewer", member: sa.member },
            parent,
        );
        // Cloud Run pulls images as its service agent, not as the service's own account.
        const projectNumber = getProjectOutput({ projectId: f.project }, parent).number;
        const serviceAgent = pulumi.interpolate`serviceAccount:service-${projectNumber}@serverless-robot-prod.iam.gserviceaccount.com`;
        const pull = args.registry.grantPull(`${name}-pull`, serviceAgent, this);
        // The reference image comes through the Docker Hub mirror: the agent reads that repository too.
        const mirror = imageDependencies(f, image);
        const mirrorPull = mirror.length
            ? [
                  new artifactregistry.RepositoryIamMember(
                      `${name}-mirror-pull`,
                      {
                          project: f.project,
                          location: f.region,
                          repository: f.imageMirror!.name,
                          role: "roles/artifactregistry.reader",
                          member: serviceAgent,
                      },
                      parent,
                  ),
              ]
            : [];

        const service = new cloudrunv2.Service(
            `${name}-service`,
            {
                project: f.project,
                location: f.region,
                name: physicalName("gcpResource", [ctx.project, ctx.stack, "inference"]),
                description: `mlops-levels ${ctx.stack}: online scoring (inference level ${ENDPOINT_LEVEL})`,
                ingress: "INGRESS_TRAFFIC_ALL",
                invokerIamDisabled: isPublic,
                // Stateless: protection would only block level changes and `pulumi destroy`.
                deletionProtection: false,
                template: {
                    serviceAccount: sa.email,
                    // Cloud Storage volumes need the second-generation environment.
                    executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
                    scaling: { minInstanceCount: 0, maxInstanceCount: this.sizing.maxInstances },
                    maxInstanceRequestConcurrency: this.sizing.concurrencyPerInstance,
                    timeout: `${REQUEST_TIMEOUT_SECONDS}s`,
                    containers: [
                        {
                            name: "model",
                            image,
                            ...(reference ? { args: reference.args } : {}),
                            ports: { containerPort: args.port ?? DEFAULT_PORT },
                            resources: {
                                limits: {
                                    cpu: String(cloudRunCpu(memoryGb)),
                                    memory: `${Math.round(memoryGb * 1024)}Mi`,
                                },
                                // CPU only while a request runs: no charge between requests.
                                cpuIdle: true,
                                startupCpuBoost: true,
                            },
                            envs: [
                                { name: "ARTIFACTS_URI", value: f.artifactsUri },
                                // The model file the server loads: the upload's own output for the reference server.
                                {
                                    name: "MODEL_URI",
                                    value: sampleModel?.uri ?? pulumi.interpolate`${f.artifactsUri}/${modelPath}`,
                                },
                                {
                                    name: "MODEL_DIR",
                                    value: reference
                                        ? reference.modelDir
                                        : modelDir === ""
                                          ? ARTIFACTS_MOUNT
                                          : `${ARTIFACTS_MOUNT}/${modelDir}`,
                                },
                                { name: "PIPELINE", value: "inference" },
                                ...Object.entries(reference?.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
                            ],
                            volumeMounts: [{ name: "artifacts", mountPath: ARTIFACTS_MOUNT }],
                        },
                    ],
                    // implicit-dirs: uploaded objects have no folder placeholders, so the model's folder
                    // (samples/models/sklearn/) exists for gcsfuse only with it. Flags go without dashes here.
                    volumes: [
                        {
                            name: "artifacts",
                            gcs: { bucket: f.artifactsBucketName, readOnly: true, mountOptions: ["implicit-dirs"] },
                        },
                    ],
                    labels,
                },
                labels,
            },
            {
                ...parent,
                dependsOn: [
                    ...apis,
                    readModel,
                    pull,
                    ...mirrorPull,
                    ...mirror,
                    ...(sampleModel ? [sampleModel.resource] : []),
                ],
            },
        );

        this.endpointUrl = service.uri;
        this.runCommands = {
            inference: reference
                ? predictCommand(service.uri, REFERENCE_MODEL_NAME, !isPublic)
                : callCommand(service.uri, !isPublic),
        };
        this.endpointName = service.name;
        this.identity = sa.email;
        this.registerOutputs({
            endpointUrl: this.endpointUrl,
            endpointName: this.endpointName,
            identity: this.identity,
            runCommands: this.runCommands,
        });
    }
}

/** The GCP endpoint as a capability of the GCP kit. */
export const gcpEndpointKit: Capability<EndpointSpec, GcpEndpoint, RegistrySite> = {
    check: checkGcpEndpoint,
    needs: gcpEndpointNeeds,
    create: (name, spec, site, opts) =>
        new GcpEndpoint(name, { ...placed(spec, site), registry: registryAt(site, "the endpoint") }, opts),
};

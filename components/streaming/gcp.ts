import * as compute from "@pulumi/gcp/compute";
import * as dataflow from "@pulumi/gcp/dataflow";
import { getProjectOutput } from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as pubsub from "@pulumi/gcp/pubsub";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { enableApis } from "../blocks/gcp/project";
import { type Capability, placed } from "../capability";
import { asFoundation, NO_NEEDS } from "../foundation";
import { GcpFoundation } from "../foundation/gcp";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkStreamingArgs,
    dataflowMaxWorkers,
    FEATURES_PREFIX,
    flowPath,
    flowsOf,
    MODEL_PREFIX,
    PUBSUB_MAX_MESSAGE_KB,
    STREAMING_CODE_PREFIX,
    STREAMING_TYPE,
    type Streaming,
    type StreamingArgs,
    type StreamingSpec,
    type StreamPipeline,
    sane,
    sharedPipelines,
} from "./index";

/** Worker machine of the streaming jobs: Streaming Engine moves state and shuffle off the workers. */
export const DATAFLOW_MACHINE_TYPE = "n1-standard-2";
/** Google's streaming template that writes a subscription's messages as windowed files to Cloud Storage. */
export const DATA_TEMPLATE = "Cloud_PubSub_to_GCS_Text_Flex";
/** The regional copy of a Google-provided Flex Template (reads stay in the region). */
export function googleTemplatePath(region: string, template: string): string {
    return `gs://dataflow-templates-${region}/latest/flex/${template}`;
}
/** Object in the artifacts bucket holding the scoring Flex Template spec the team builds (Beam RunInference). */
export const SCORING_TEMPLATE_OBJECT = `${STREAMING_CODE_PREFIX}/inference/template.json`;
/** How long the data template gathers messages into one file. */
export const FEATURES_WINDOW = "5m";
/** Seven days of unacknowledged messages: the engine may be down that long without losing events. */
export const SUBSCRIPTION_RETENTION = "604800s";
/** Seconds a worker has to acknowledge a message before Pub/Sub redelivers it. */
export const ACK_DEADLINE_SECONDS = 60;
/** Deliveries before a message that keeps failing goes to the dead-letter topic. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** Dataflow worker ports used between workers (shuffle and streaming state). */
export const DATAFLOW_WORKER_PORTS = "12345-12346";
/** Network tag Dataflow puts on its worker VMs. */
export const DATAFLOW_NETWORK_TAG = "dataflow";
/** Project roles of a Dataflow worker service account. */
export const DATAFLOW_PROJECT_ROLES = ["roles/dataflow.worker"] as const;

/** GCP limits on top of the cloud-neutral checks. Pure. */
export function checkGcpStreamingArgs(a: Pick<StreamingArgs, "data" | "inference">): InputProblem[] {
    const p = checkStreamingArgs(a);
    for (const [name, f] of flowsOf(a)) {
        if (!sane(f)) continue;
        if (f.eventSizeKb > PUBSUB_MAX_MESSAGE_KB)
            p.push({
                path: flowPath(name, "eventSizeKb"),
                message: `must be at most ${PUBSUB_MAX_MESSAGE_KB} (10 MB, the largest Pub/Sub message)`,
            });
    }
    return p;
}

export interface GcpStreamingArgs extends StreamingArgs {
    readonly foundation: GcpFoundation;
}

/**
 * Level 3 on GCP: a Pub/Sub topic and subscription per pipeline, a scores topic for inference, a
 * shared dead-letter topic (with a subscription, so dead letters are kept), and a streaming Dataflow
 * Flex Template job per pipeline with its own service account, private IPs only, in the foundation's
 * subnet.
 *
 * Pub/Sub rather than Managed Kafka: it has no cluster to size and nothing billed while idle (the
 * Kafka service bills vCPUs around the clock). Dataflow streaming always runs at least one worker,
 * the idle cost of this level on GCP (about $125 a month for an n1-standard-2). Data level 3 runs
 * Google's Pub/Sub-to-Cloud-Storage template; inference runs the team's template from the artifacts
 * bucket, which loads the model from there too.
 */
export class GcpStreaming extends pulumi.ComponentResource implements Streaming {
    readonly inputStreams: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    readonly scoresStream?: pulumi.Output<string>;
    readonly engineJobs: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    readonly producerEndpoint: pulumi.Output<string>;
    readonly featuresUri?: pulumi.Output<string>;
    readonly deadLetterTopic: pulumi.Output<string>;
    /** Why each job got its size, LEVELS.md style. */
    readonly sizing: Record<string, string>;

    constructor(name: string, args: GcpStreamingArgs, opts: pulumi.ComponentResourceOptions = {}) {
        throwIfProblems(checkGcpStreamingArgs(args));
        const f = args.foundation;
        if (f.networkId === undefined || f.subnetworkSelfLink === undefined)
            throw new Error(`${name}: the GCP foundation has no network; create it with network: true`);
        super(STREAMING_TYPE, name, {}, opts);
        const { ctx } = args;
        const { project } = f;
        const flows = flowsOf(args);
        const shared = tagsOf(ctx, sharedPipelines(args), 3);
        const parent = { parent: this };
        this.sizing = {};

        const apis = enableApis(this, name, project, ["pubsub.googleapis.com", "dataflow.googleapis.com"]);
        const afterApis = { ...parent, dependsOn: apis };
        // Pub/Sub's own service agent moves failing messages to the dead-letter topic.
        const projectNumber = getProjectOutput({ projectId: project }, parent).number;
        const pubsubAgent = pulumi.interpolate`serviceAccount:service-${projectNumber}@gcp-sa-pubsub.iam.gserviceaccount.com`;

        const topic = (logical: string, purpose: string, labels: Record<string, string>) =>
            // Fixed logical names and protect: topics and subscriptions hold undelivered events.
            new pubsub.Topic(
                logical,
                { name: physicalName("gcpResource", [ctx.project, ctx.stack, purpose]), project, labels },
                { ...afterApis, retainOnDelete: true },
            );
        const subscription = (
            logical: string,
            purpose: string,
            on: pubsub.Topic,
            labels: Record<string, string>,
            deadLetter?: pubsub.Topic,
        ) =>
            new pubsub.Subscription(
                logical,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, purpose]),
                    project,
                    topic: on.id,
                    ackDeadlineSeconds: ACK_DEADLINE_SECONDS,
                    messageRetentionDuration: SUBSCRIPTION_RETENTION,
                    // Acknowledged messages are not kept: that storage is billed, the sink has them.
                    retainAckedMessages: false,
                    // The default deletes a subscription after 31 idle days, and its backlog with it.
                    expirationPolicy: { ttl: "" },
                    retryPolicy: { minimumBackoff: "10s", maximumBackoff: "600s" },
                    deadLetterPolicy: deadLetter
                        ? { deadLetterTopic: deadLetter.id, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS }
                        : undefined,
                    labels,
                },
                { ...parent, retainOnDelete: true },
            );

        const deadLetter = topic(`${name}-dead-letter`, "dead-letter", shared);
        subscription(`${name}-dead-letter-sub`, "dead-letter", deadLetter, shared);
        new pubsub.TopicIAMMember(
            `${name}-dead-letter-publisher`,
            { project, topic: deadLetter.name, role: "roles/pubsub.publisher", member: pubsubAgent },
            parent,
        );
        this.deadLetterTopic = deadLetter.id;

        new compute.Firewall(
            `${name}-dataflow-workers`,
            {
                name: physicalName("gcpResource", [ctx.project, ctx.stack, "dataflow-workers"]),
                project,
                network: f.networkId,
                direction: "INGRESS",
                priority: 1000,
                sourceTags: [DATAFLOW_NETWORK_TAG],
                targetTags: [DATAFLOW_NETWORK_TAG],
                allows: [{ protocol: "tcp", ports: [DATAFLOW_WORKER_PORTS] }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
                description: "Dataflow workers talk to each other on these ports; nothing else reaches them.",
            },
            parent,
        );

        const scores = args.inference ? topic(`${name}-scores`, "scores", tagsOf(ctx, "inference", 3)) : undefined;

        this.inputStreams = {};
        this.engineJobs = {};
        for (const [p, flow] of flows) {
            const labels = tagsOf(ctx, p, 3);
            const events = topic(`${name}-${p}-events`, `${p}-events`, labels);
            const sub = subscription(`${name}-${p}-sub`, `${p}-engine`, events, labels, deadLetter);
            new pubsub.SubscriptionIAMMember(
                `${name}-${p}-dead-letter-ack`,
                { project, subscription: sub.name, role: "roles/pubsub.subscriber", member: pubsubAgent },
                parent,
            );

            const sa = new serviceaccount.Account(
                `${name}-${p}-dataflow-sa`,
                {
                    project,
                    accountId: physicalName("gcpServiceAccount", [ctx.project, ctx.stack, p, "stream"]),
                    displayName: `mlops-levels ${ctx.stack} ${p} streaming`,
                    description: `Dataflow workers of the ${p} streaming job: its subscription, its outputs, nothing else.`,
                },
                afterApis,
            );
            const grants: pulumi.Resource[] = [
                ...DATAFLOW_PROJECT_ROLES.map(
                    (r) =>
                        new projects.IAMMember(
                            `${name}-${p}-${r.split("/")[1]!.replace(/\./g, "-").toLowerCase()}`,
                            { project, role: r, member: sa.member },
                            parent,
                        ),
                ),
                new pubsub.SubscriptionIAMMember(
                    `${name}-${p}-subscriber`,
                    { project, subscription: sub.name, role: "roles/pubsub.subscriber", member: sa.member },
                    parent,
                ),
                // Temp and staging files; the data job's features go there too.
                new storage.BucketIAMMember(
                    `${name}-${p}-data-object-admin`,
                    { bucket: f.dataBucketName, role: "roles/storage.objectAdmin", member: sa.member },
                    parent,
                ),
            ];
            const parameters: Record<string, pulumi.Input<string>> = { inputSubscription: sub.id };
            let template: pulumi.Input<string>;
            if (p === "data") {
                template = googleTemplatePath(ctx.region, DATA_TEMPLATE);
                const sink = pulumi.interpolate`${f.dataUri}/${FEATURES_PREFIX}/`;
                parameters["outputDirectory"] = sink;
                parameters["outputFilenamePrefix"] = "events-";
                parameters["windowDuration"] = FEATURES_WINDOW;
                this.featuresUri = sink;
            } else {
                template = pulumi.interpolate`${f.artifactsUri}/${SCORING_TEMPLATE_OBJECT}`;
                parameters["modelUri"] = pulumi.interpolate`${f.artifactsUri}/${MODEL_PREFIX}/`;
                if (scores) {
                    parameters["outputTopic"] = scores.id;
                    grants.push(
                        new pubsub.TopicIAMMember(
                            `${name}-inference-scores-publisher`,
                            { project, topic: scores.name, role: "roles/pubsub.publisher", member: sa.member },
                            parent,
                        ),
                    );
                }
                grants.push(
                    // The template spec and the model; no write access to models.
                    new storage.BucketIAMMember(
                        `${name}-inference-artifacts-viewer`,
                        { bucket: f.artifactsBucketName, role: "roles/storage.objectViewer", member: sa.member },
                        parent,
                    ),
                    // The team's template image lives in the project's Artifact Registry.
                    new projects.IAMMember(
                        `${name}-inference-artifactregistry-reader`,
                        { project, role: "roles/artifactregistry.reader", member: sa.member },
                        parent,
                    ),
                );
            }
            const sized = dataflowMaxWorkers(flow);
            this.sizing[`${p}-engine`] = sized.reason;
            const job = new dataflow.FlexTemplateJob(
                `${name}-${p}-job`,
                {
                    name: physicalName("gcpResource", [ctx.project, ctx.stack, p, "streaming"]),
                    project,
                    region: ctx.region,
                    containerSpecGcsPath: template,
                    parameters,
                    serviceAccountEmail: sa.email,
                    // No external IPs: Google APIs over Private Google Access on the foundation subnet.
                    ipConfiguration: "WORKER_IP_PRIVATE",
                    subnetwork: f.subnetworkSelfLink,
                    enableStreamingEngine: true,
                    machineType: DATAFLOW_MACHINE_TYPE,
                    numWorkers: 1,
                    maxWorkers: sized.maxWorkers,
                    // The Dataflow API's enum (THROUGHPUT_BASED is only Beam's pipeline-option name).
                    autoscalingAlgorithm: "AUTOSCALING_ALGORITHM_BASIC",
                    tempLocation: pulumi.interpolate`${f.dataUri}/dataflow/temp`,
                    stagingLocation: pulumi.interpolate`${f.dataUri}/dataflow/staging`,
                    // Draining finishes in-flight windows before the job stops: no event is lost on replace.
                    onDelete: "drain",
                    labels,
                },
                { ...parent, dependsOn: [...apis, ...grants] },
            );
            this.inputStreams[p] = events.id;
            this.engineJobs[p] = job.name;
        }
        this.scoresStream = scores?.id;
        this.producerEndpoint = pulumi.output("https://pubsub.googleapis.com");

        this.registerOutputs({
            inputStreams: this.inputStreams,
            scoresStream: this.scoresStream,
            engineJobs: this.engineJobs,
            producerEndpoint: this.producerEndpoint,
            featuresUri: this.featuresUri,
            deadLetterTopic: this.deadLetterTopic,
        });
    }
}

export const gcpStreamingKit: Capability<StreamingSpec, GcpStreaming> = {
    check: checkGcpStreamingArgs,
    needs: () => NO_NEEDS,
    create: (name, spec, site, opts) =>
        new GcpStreaming(
            name,
            { ...placed(spec, site), foundation: asFoundation(site.foundation, GcpFoundation, "GCP") },
            opts,
        ),
};

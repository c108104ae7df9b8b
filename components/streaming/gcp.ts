import * as bigquery from "@pulumi/gcp/bigquery";
import * as compute from "@pulumi/gcp/compute";
import * as dataflow from "@pulumi/gcp/dataflow";
import { getProjectOutput } from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as pubsub from "@pulumi/gcp/pubsub";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import * as pulumi from "@pulumi/pulumi";
import { enableApis } from "../blocks/gcp/project";
import { publishCommand } from "../blocks/gcp/run-commands";
import { type Capability, placedOn } from "../capability";
import { NO_NEEDS } from "../foundation";
import { GcpFoundation } from "../foundation/gcp";
import { type StackContext, tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import { referenceModel } from "./gaussian-nb-udf";
import { scoringUdf, UDF_FUNCTION } from "./gcp-udf";
import {
    artifactKeyProblems,
    checkStreamingArgs,
    codePath,
    dataflowMaxWorkers,
    FEATURES_PREFIX,
    flowPath,
    flowsOf,
    PUBSUB_MAX_MESSAGE_KB,
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
/**
 * The release of Google's Dataflow templates the jobs run (a GoogleCloudPlatform/DataflowTemplates
 * release tag): Google publishes each release under `gs://dataflow-templates-<region>/<version>/`,
 * so a job always launches the same template code, never whatever `latest` has become.
 */
export const DATAFLOW_TEMPLATES_VERSION = "2026-08-18-00_RC00";
/** Google's streaming template that writes a subscription's messages as windowed files to Cloud Storage. */
export const DATA_TEMPLATE = "Cloud_PubSub_to_GCS_Text_Flex";
/**
 * Google's streaming template that reads JSON messages from a subscription, runs a JavaScript UDF
 * on each and writes the result rows to a BigQuery table (failures to a dead-letter table).
 */
export const SCORING_TEMPLATE = "PubSub_to_BigQuery_Flex";
/** The regional copy of a Google-provided Flex Template at the pinned release (reads stay in the region). */
export function googleTemplatePath(region: string, template: string, version = DATAFLOW_TEMPLATES_VERSION): string {
    return `gs://dataflow-templates-${region}/${version}/flex/${template}`;
}
/** Where the scoring UDF (the reference model as JavaScript) is uploaded in the artifacts bucket. */
export const SCORING_UDF_KEY = "samples/jobs/streaming/score_udf.js";
/** The scores table and the template's dead-letter table, in the stack's streaming dataset. */
export const SCORES_TABLE = "scores";
export const SCORES_ERRORS_TABLE = "scores_errors";
/** Days a day's scores stay in the table (a partition expiry) before BigQuery drops them. */
export const SCORES_RETENTION_DAYS = 30;
/** The scores table's columns: what the UDF returns (jobs/schema.py: id, probability, 0/1, version). */
export const SCORES_SCHEMA = [
    { name: "customer_id", type: "INTEGER", mode: "NULLABLE" },
    { name: "churn_probability", type: "FLOAT", mode: "REQUIRED" },
    { name: "churn_predicted", type: "INTEGER", mode: "REQUIRED" },
    { name: "model_version", type: "STRING", mode: "REQUIRED" },
] as const;

/** A BigQuery dataset id for the stack (letters, digits and underscores). Pure. */
export function streamingDatasetId(project: string, stack: string): string {
    return `${project}_${stack}_streaming`.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 1024);
}
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
export function checkGcpStreamingArgs(a: Pick<StreamingArgs, "data" | "inference" | "code">): InputProblem[] {
    const p = checkStreamingArgs(a);
    // The data template writes the raw events to files and runs no code of anyone's: its parameters
    // (GoogleCloudPlatform/DataflowTemplates, Cloud_PubSub_to_GCS_Text_Flex) take no UDF.
    if (a.data && a.code?.data !== undefined)
        p.push({
            path: codePath("data"),
            message: `GCP's data job runs Google's ${DATA_TEMPLATE} template, which takes no user-defined function (it writes the events to Cloud Storage as they come); remove it, or give your own code for inference`,
        });
    if (a.inference && a.code?.inference !== undefined)
        p.push(
            ...artifactKeyProblems("inference", a.code.inference, {
                what: `JavaScript UDF (defining ${UDF_FUNCTION}(message))`,
                suffixes: [".js"],
                example: "team/streaming/score.js",
            }),
        );
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
    /**
     * `inference`: the key of a team's own JavaScript UDF in the artifacts bucket, which the team
     * uploads; the scoring template calls its function `score` (UDF_FUNCTION) on each message, as
     * it calls the reference one, and the stack uploads no reference UDF. `data` is refused.
     */
    readonly code?: Partial<Record<StreamPipeline, string>>;
}

/**
 * Level 3 on GCP: a Pub/Sub topic and subscription per pipeline, a shared dead-letter topic (with a
 * subscription, so dead letters are kept), and a streaming Dataflow Flex Template job per pipeline
 * with its own service account, private IPs only, in the foundation's subnet. Both jobs run
 * Google-provided templates at a pinned release, so nothing has to be built before the first `up`:
 * data writes the raw events to Cloud Storage in windowed files (Pub/Sub to Cloud Storage Text);
 * inference scores each event with the reference model, a JavaScript UDF the stack generates from
 * the model's fitted parameters and uploads (or the team's own UDF, `mlops:options.streamingCode`),
 * and writes the scores to a BigQuery table (Pub/Sub to BigQuery), failures to a dead-letter table
 * beside it.
 *
 * Pub/Sub rather than Managed Kafka: it has no cluster to size and nothing billed while idle (the
 * Kafka service bills vCPUs around the clock). Dataflow streaming always runs at least one worker,
 * the idle cost of this level on GCP (about $125 a month for an n1-standard-2).
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
    /** Per pipeline, `gcloud pubsub topics publish …` with one sample event. */
    readonly runCommands: Partial<Record<StreamPipeline, pulumi.Output<string>>>;

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

        const apis = enableApis(this, name, project, [
            "pubsub.googleapis.com",
            "dataflow.googleapis.com",
            ...(args.inference ? ["bigquery.googleapis.com"] : []),
        ]);
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

        const scores = args.inference
            ? this.scoresSink(name, ctx, f, tagsOf(ctx, "inference", 3), apis, args.code?.inference)
            : undefined;

        this.inputStreams = {};
        this.engineJobs = {};
        this.runCommands = {};
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
            let template: string;
            const reads: pulumi.Resource[] = [];
            if (p === "data") {
                template = googleTemplatePath(ctx.region, DATA_TEMPLATE);
                const sink = pulumi.interpolate`${f.dataUri}/${FEATURES_PREFIX}/`;
                parameters["outputDirectory"] = sink;
                parameters["outputFilenamePrefix"] = "events-";
                parameters["windowDuration"] = FEATURES_WINDOW;
                this.featuresUri = sink;
            } else {
                if (!scores) throw new Error("inference streaming without its scores sink");
                template = googleTemplatePath(ctx.region, SCORING_TEMPLATE);
                parameters["outputTableSpec"] = scores.table;
                parameters["outputDeadletterTable"] = scores.errorsTable;
                parameters["javascriptTextTransformGcsPath"] = scores.udf.uri;
                parameters["javascriptTextTransformFunctionName"] = UDF_FUNCTION;
                reads.push(...(scores.udf.resource ? [scores.udf.resource] : []), scores.tableResource);
                grants.push(
                    // Rows into the scores table, and the dead-letter table the template creates on its first failure.
                    new bigquery.DatasetIamMember(
                        `${name}-inference-scores-writer`,
                        {
                            project,
                            datasetId: scores.datasetId,
                            role: "roles/bigquery.dataEditor",
                            member: sa.member,
                        },
                        parent,
                    ),
                    // The UDF; no write access to the artifacts.
                    new storage.BucketIAMMember(
                        `${name}-inference-artifacts-viewer`,
                        { bucket: f.artifactsBucketName, role: "roles/storage.objectViewer", member: sa.member },
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
                { ...parent, dependsOn: [...apis, ...grants, ...reads] },
            );
            this.inputStreams[p] = events.id;
            this.engineJobs[p] = job.name;
            this.runCommands[p] = publishCommand(events.id);
        }
        this.scoresStream = scores?.table;
        this.producerEndpoint = pulumi.output("https://pubsub.googleapis.com");

        this.registerOutputs({
            inputStreams: this.inputStreams,
            scoresStream: this.scoresStream,
            engineJobs: this.engineJobs,
            producerEndpoint: this.producerEndpoint,
            featuresUri: this.featuresUri,
            deadLetterTopic: this.deadLetterTopic,
            runCommands: this.runCommands,
        });
    }

    /**
     * Where inference scores go: a BigQuery dataset with the scores table (day partitions kept
     * SCORES_RETENTION_DAYS) and the template's UDF: the team's (`teamUdfKey` in the artifacts
     * bucket, uploaded by the team), or the reference model, uploaded under `samples/`. The dataset
     * and table hold results, so a level change leaves them in place.
     */
    private scoresSink(
        name: string,
        ctx: StackContext,
        f: GcpFoundation,
        labels: Record<string, string>,
        apis: pulumi.Resource[],
        teamUdfKey?: string,
    ): {
        table: pulumi.Output<string>;
        errorsTable: pulumi.Output<string>;
        datasetId: pulumi.Output<string>;
        tableResource: bigquery.Table;
        udf: { uri: pulumi.Output<string>; resource?: storage.BucketObject };
    } {
        const dataset = new bigquery.Dataset(
            `${name}-scores-dataset`,
            {
                project: f.project,
                datasetId: streamingDatasetId(ctx.project, ctx.stack),
                location: f.region,
                description: "Streaming scores of the mlops-levels reference model (inference level 3).",
                labels,
            },
            { parent: this, dependsOn: apis, retainOnDelete: true },
        );
        const table = new bigquery.Table(
            `${name}-scores-table`,
            {
                project: f.project,
                datasetId: dataset.datasetId,
                tableId: SCORES_TABLE,
                description: "One row per scored event, written by the inference streaming job.",
                schema: JSON.stringify(SCORES_SCHEMA),
                timePartitioning: { type: "DAY", expirationMs: SCORES_RETENTION_DAYS * 24 * 3600 * 1000 },
                // Removal is handled by retainOnDelete: a level change leaves the scores in place.
                deletionProtection: false,
                labels,
            },
            { parent: this, retainOnDelete: true },
        );
        const spec = (t: string) => pulumi.interpolate`${f.project}:${table.datasetId}.${t}`;
        const sink = {
            table: pulumi.interpolate`${f.project}:${table.datasetId}.${table.tableId}`,
            errorsTable: spec(SCORES_ERRORS_TABLE),
            datasetId: dataset.datasetId,
            tableResource: table,
        };
        if (teamUdfKey !== undefined)
            return { ...sink, udf: { uri: pulumi.interpolate`gs://${f.artifactsBucketName}/${teamUdfKey}` } };
        const udf = new storage.BucketObject(
            `${name}-scoring-udf`,
            {
                bucket: f.artifactsBucketName,
                name: SCORING_UDF_KEY,
                source: new pulumi.asset.StringAsset(scoringUdf(referenceModel())),
                contentType: "application/javascript",
            },
            // A new model replaces the object under the same name: delete first, or the old one's
            // delete would remove the new upload.
            { parent: this, deleteBeforeReplace: true },
        );
        return { ...sink, udf: { uri: pulumi.interpolate`gs://${udf.bucket}/${udf.name}`, resource: udf } };
    }
}

export const gcpStreamingKit: Capability<StreamingSpec, GcpStreaming> = {
    check: checkGcpStreamingArgs,
    needs: () => NO_NEEDS,
    create: (name, spec, site, opts) => new GcpStreaming(name, placedOn(spec, site, GcpFoundation, "GCP"), opts),
};

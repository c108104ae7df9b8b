import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kinesis from "@pulumi/aws/kinesis";
import * as kinesisanalyticsv2 from "@pulumi/aws/kinesisanalyticsv2";
import * as pulumi from "@pulumi/pulumi";
import { networkInterfaceStatements, policyJson, type Statement, trustPolicy } from "../blocks/aws/iam";
import { LOG_RETENTION_DAYS } from "../blocks/aws/logs";
import { type Capability, placed } from "../capability";
import { asFoundation } from "../foundation";
import { AwsFoundation } from "../foundation/aws";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkStreamingArgs,
    FEATURES_PREFIX,
    flinkParallelism,
    flowPath,
    flowsOf,
    KINESIS_MAX_RECORD_KB,
    KINESIS_ON_DEMAND_MAX_MBPS,
    kinesisCapacity,
    MODEL_PREFIX,
    megabytesPerSecond,
    STREAMING_CODE_PREFIX,
    STREAMING_TYPE,
    type StreamFlow,
    type Streaming,
    type StreamingArgs,
    type StreamingSpec,
    type StreamPipeline,
    sane,
    scoresFlow,
    sharedPipelines,
} from "./index";

/**
 * The Flink runtime. Managed Flink also offers FLINK-2_2, but Flink 2 dropped the DataSet API and
 * several connectors still ship for 1.x only; 1.20 is the newest 1.x (long-term support) release.
 */
export const FLINK_RUNTIME = "FLINK-1_20";
/** Hours a stream keeps records: the 24 hours included in the price; the sink keeps data longer. */
export const STREAM_RETENTION_HOURS = 24;
/** Checkpoint every minute, at most once every 5 seconds after the last one ended. */
export const CHECKPOINT_INTERVAL_MS = 60_000;
export const MIN_PAUSE_BETWEEN_CHECKPOINTS_MS = 5_000;
/** Interface endpoint that keeps Kinesis traffic of the Flink applications inside the VPC. */
export const KINESIS_ENDPOINT_SERVICE = "kinesis-streams";
/** Key of the application's code in the artifacts bucket: a Flink JAR (or ZIP) the team uploads. */
export function codeKey(pipeline: StreamPipeline): string {
    return `${STREAMING_CODE_PREFIX}/${pipeline}/application.jar`;
}

/** AWS limits on top of the cloud-neutral checks. Pure. */
export function checkAwsStreamingArgs(a: Pick<StreamingArgs, "data" | "inference">): InputProblem[] {
    const p = checkStreamingArgs(a);
    for (const [name, f] of flowsOf(a)) {
        if (!sane(f)) continue;
        if (f.eventSizeKb > KINESIS_MAX_RECORD_KB)
            p.push({
                path: flowPath(name, "eventSizeKb"),
                message: `must be at most ${KINESIS_MAX_RECORD_KB} (1 MiB, the largest Kinesis record)`,
            });
        const cap = kinesisCapacity(f);
        if (cap.mode === "ON_DEMAND" && megabytesPerSecond(f) > KINESIS_ON_DEMAND_MAX_MBPS)
            p.push({
                path: flowPath(name, "eventsPerSecond"),
                message: `${Math.round(megabytesPerSecond(f))} MB/s is above the ${KINESIS_ON_DEMAND_MAX_MBPS} MB/s an on-demand Kinesis stream takes by default`,
            });
    }
    return p;
}

export interface AwsStreamingArgs extends StreamingArgs {
    readonly foundation: AwsFoundation;
}

/** One Kinesis stream sized for a flow. */
interface KinesisParts {
    readonly stream: kinesis.Stream;
    readonly capacity: ReturnType<typeof kinesisCapacity>;
}

/**
 * Level 3 on AWS: a KMS-encrypted Kinesis data stream per pipeline (plus a scores stream for
 * inference), and a Managed Service for Apache Flink application per pipeline that reads it.
 *
 * Kinesis rather than MSK: Kinesis has no brokers to size, costs $11 a month for a provisioned
 * shard, encrypts with the foundation's key, and authenticates with IAM; MSK Serverless starts at
 * $547 a month per cluster and provisioned MSK at two brokers. The applications run in the
 * foundation's private subnets with no internet path: S3 through the existing gateway endpoint,
 * Kinesis through one interface endpoint (about $15 a month in two zones, next to at least two KPUs
 * of $160 a month per application it protects from exfiltrating anywhere else).
 */
export class AwsStreaming extends pulumi.ComponentResource implements Streaming {
    readonly inputStreams: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    readonly scoresStream?: pulumi.Output<string>;
    readonly engineJobs: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    readonly producerEndpoint: pulumi.Output<string>;
    readonly featuresUri?: pulumi.Output<string>;
    /** Stream ARNs per pipeline (producers are granted kinesis:PutRecord* on them). */
    readonly inputStreamArns: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    /** Why each stream and application got its size, LEVELS.md style. */
    readonly sizing: Record<string, string>;

    constructor(name: string, args: AwsStreamingArgs, opts: pulumi.ComponentResourceOptions = {}) {
        throwIfProblems(checkAwsStreamingArgs(args));
        const f = args.foundation;
        if (!f.vpcId || !f.privateSubnetIds || !f.jobSecurityGroupId)
            throw new Error(`${name}: the AWS foundation has no network; create it with network: true`);
        super(STREAMING_TYPE, name, {}, opts);
        const { ctx } = args;
        const flows = flowsOf(args);
        const shared = tagsOf(ctx, sharedPipelines(args), 3);
        const parent = { parent: this };
        const arn = (service: string, resource: pulumi.Input<string>) =>
            pulumi.interpolate`arn:${f.partition}:${service}:${ctx.region}:${f.accountId}:${resource}`;
        this.sizing = {};

        const stream = (
            logical: string,
            purpose: string,
            flow: StreamFlow,
            tags: Record<string, string>,
        ): KinesisParts => {
            const capacity = kinesisCapacity(flow);
            this.sizing[purpose] = capacity.reason;
            // Fixed logical name and protect: streams hold data, no level change may replace them.
            const s = new kinesis.Stream(
                logical,
                {
                    name: physicalName("awsService", [ctx.project, ctx.stack, purpose]),
                    streamModeDetails: { streamMode: capacity.mode },
                    shardCount: capacity.shards,
                    retentionPeriod: STREAM_RETENTION_HOURS,
                    encryptionType: "KMS",
                    kmsKeyId: f.kmsKeyArn,
                    tags,
                },
                { ...parent, retainOnDelete: true },
            );
            return { stream: s, capacity };
        };

        const inputs = new Map<StreamPipeline, KinesisParts>();
        for (const [p, flow] of flows)
            inputs.set(p, stream(`${name}-${p}-events`, `${p}-events`, flow, tagsOf(ctx, p, 3)));
        const scores = args.inference
            ? stream(`${name}-scores`, "scores", scoresFlow(args.inference), tagsOf(ctx, "inference", 3))
            : undefined;

        // One endpoint for both applications (and anything else in the VPC): billed per hour and zone.
        const [endpoint] = f.endpointsOf([KINESIS_ENDPOINT_SERVICE]);

        const logGroupName = `/aws/kinesis-analytics/${physicalName("awsService", [ctx.project, ctx.stack, "streaming"])}`;
        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            { name: logGroupName, retentionInDays: LOG_RETENTION_DAYS, kmsKeyId: f.kmsKeyArn, tags: shared },
            parent,
        );

        this.inputStreams = {};
        this.inputStreamArns = {};
        this.engineJobs = {};
        for (const [p, flow] of flows) {
            const input = inputs.get(p)!;
            const tags = tagsOf(ctx, p, 3);
            const logStream = new cloudwatch.LogStream(
                `${name}-${p}-log-stream`,
                { name: `${p}-application`, logGroupName: logGroup.name },
                parent,
            );
            const role = new iam.Role(
                `${name}-${p}-flink-role`,
                {
                    name: physicalName("awsIamRole", [ctx.project, ctx.stack, p, "flink"]),
                    description: `Managed Flink ${p} application: its streams, code, sink and logs only`,
                    assumeRolePolicy: trustPolicy("kinesisanalytics.amazonaws.com", f.accountId),
                    tags,
                },
                parent,
            );
            const statements: Statement[] = [
                {
                    Sid: "ReadInputStream",
                    Effect: "Allow",
                    Action: [
                        "kinesis:DescribeStream",
                        "kinesis:DescribeStreamSummary",
                        "kinesis:GetRecords",
                        "kinesis:GetShardIterator",
                        "kinesis:ListShards",
                    ],
                    Resource: input.stream.arn,
                },
                {
                    Sid: "ReadCode",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:GetObjectVersion"],
                    Resource: pulumi.interpolate`${f.artifactsBucketArn}/${STREAMING_CODE_PREFIX}/${p}/*`,
                },
                {
                    // Streams and buckets are encrypted with the foundation key.
                    Sid: "UseKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                    Resource: f.kmsKeyArn,
                },
                {
                    Sid: "WriteLogs",
                    Effect: "Allow",
                    Action: ["logs:PutLogEvents", "logs:DescribeLogStreams"],
                    Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:log-stream:${logStream.name}`],
                },
                {
                    Sid: "FindLogGroup",
                    Effect: "Allow",
                    Action: "logs:DescribeLogGroups",
                    Resource: arn("logs", "log-group:*"),
                },
                ...networkInterfaceStatements(arn, f.privateSubnetIds, f.jobSecurityGroupId, "flink"),
            ];
            const environment: Record<string, pulumi.Input<string>> = {
                PIPELINE: p,
                AWS_REGION: ctx.region,
                INPUT_STREAM: input.stream.name,
            };
            if (p === "data") {
                const sink = pulumi.interpolate`${f.dataUri}/${FEATURES_PREFIX}/`;
                this.featuresUri = sink;
                environment["SINK_URI"] = sink;
                statements.push(
                    {
                        Sid: "ListSink",
                        Effect: "Allow",
                        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                        Resource: f.dataBucketArn,
                    },
                    {
                        Sid: "WriteFeatures",
                        Effect: "Allow",
                        Action: [
                            "s3:PutObject",
                            "s3:GetObject",
                            "s3:AbortMultipartUpload",
                            "s3:ListMultipartUploadParts",
                        ],
                        Resource: pulumi.interpolate`${f.dataBucketArn}/${FEATURES_PREFIX}/*`,
                    },
                );
            } else if (scores) {
                environment["OUTPUT_STREAM"] = scores.stream.name;
                environment["MODEL_URI"] = pulumi.interpolate`${f.artifactsUri}/${MODEL_PREFIX}/`;
                statements.push(
                    {
                        Sid: "WriteScores",
                        Effect: "Allow",
                        Action: [
                            "kinesis:PutRecord",
                            "kinesis:PutRecords",
                            "kinesis:DescribeStream",
                            "kinesis:DescribeStreamSummary",
                            "kinesis:ListShards",
                        ],
                        Resource: scores.stream.arn,
                    },
                    {
                        Sid: "ReadModel",
                        Effect: "Allow",
                        Action: ["s3:GetObject", "s3:GetObjectVersion"],
                        Resource: pulumi.interpolate`${f.artifactsBucketArn}/${MODEL_PREFIX}/*`,
                    },
                    {
                        Sid: "ListModels",
                        Effect: "Allow",
                        Action: "s3:ListBucket",
                        Resource: f.artifactsBucketArn,
                        Condition: { StringLike: { "s3:prefix": `${MODEL_PREFIX}/*` } },
                    },
                );
            }
            const policy = new iam.RolePolicy(
                `${name}-${p}-flink-policy`,
                { role: role.id, policy: policyJson(statements) },
                parent,
            );
            const sized = flinkParallelism(flow);
            this.sizing[`${p}-engine`] = sized.reason;
            const app = new kinesisanalyticsv2.Application(
                `${name}-${p}-flink`,
                {
                    name: physicalName("awsService", [ctx.project, ctx.stack, p, "streaming"]),
                    description: `mlops-levels ${p} level 3: ${p === "data" ? "events to features in the data bucket" : "scores events with the model from the artifacts bucket"}`,
                    runtimeEnvironment: FLINK_RUNTIME,
                    serviceExecutionRole: role.arn,
                    applicationMode: "STREAMING",
                    // Level 3 means the engine runs; the JAR must be in the artifacts bucket first.
                    startApplication: true,
                    applicationConfiguration: {
                        applicationCodeConfiguration: {
                            codeContentType: "ZIPFILE",
                            codeContent: {
                                s3ContentLocation: { bucketArn: f.artifactsBucketArn, fileKey: codeKey(p) },
                            },
                        },
                        // Snapshots let a restart or an update resume from the last state instead of replaying.
                        applicationSnapshotConfiguration: { snapshotsEnabled: true },
                        runConfiguration: {
                            applicationRestoreConfiguration: { applicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
                            flinkRunConfiguration: { allowNonRestoredState: false },
                        },
                        environmentProperties: {
                            propertyGroups: [{ propertyGroupId: "mlops", propertyMap: environment }],
                        },
                        flinkApplicationConfiguration: {
                            checkpointConfiguration: {
                                configurationType: "CUSTOM",
                                checkpointingEnabled: true,
                                checkpointInterval: CHECKPOINT_INTERVAL_MS,
                                minPauseBetweenCheckpoints: MIN_PAUSE_BETWEEN_CHECKPOINTS_MS,
                            },
                            monitoringConfiguration: {
                                configurationType: "CUSTOM",
                                logLevel: "INFO",
                                metricsLevel: "APPLICATION",
                            },
                            parallelismConfiguration: {
                                configurationType: "CUSTOM",
                                parallelism: sized.parallelism,
                                parallelismPerKpu: 1,
                                autoScalingEnabled: true,
                            },
                        },
                        vpcConfiguration: {
                            subnetIds: f.privateSubnetIds,
                            securityGroupIds: [f.jobSecurityGroupId],
                        },
                    },
                    cloudwatchLoggingOptions: {
                        logStreamArn: pulumi.interpolate`${logGroup.arn}:log-stream:${logStream.name}`,
                    },
                    tags,
                },
                // The service checks the role's rights when the application is created and started.
                { ...parent, dependsOn: [policy, endpoint!] },
            );
            this.inputStreams[p] = input.stream.name;
            this.inputStreamArns[p] = input.stream.arn;
            this.engineJobs[p] = app.name;
        }
        this.scoresStream = scores?.stream.name;
        this.producerEndpoint = pulumi.output(`https://kinesis.${ctx.region}.amazonaws.com`);

        this.registerOutputs({
            inputStreams: this.inputStreams,
            scoresStream: this.scoresStream,
            engineJobs: this.engineJobs,
            producerEndpoint: this.producerEndpoint,
            featuresUri: this.featuresUri,
        });
    }
}

export const awsStreamingKit: Capability<StreamingSpec, AwsStreaming> = {
    check: checkAwsStreamingArgs,
    // The applications reach Kinesis through an interface endpoint: no internet path.
    needs: () => ({ interfaceEndpoints: [KINESIS_ENDPOINT_SERVICE] }),
    create: (name, spec, site, opts) =>
        new AwsStreaming(
            name,
            { ...placed(spec, site), foundation: asFoundation(site.foundation, AwsFoundation, "AWS") },
            opts,
        ),
};

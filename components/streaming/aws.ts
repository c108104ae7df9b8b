import * as path from "node:path";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as kinesis from "@pulumi/aws/kinesis";
import * as kinesisanalyticsv2 from "@pulumi/aws/kinesisanalyticsv2";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { networkInterfaceStatements, policyJson, type Statement, trustPolicy } from "../blocks/aws/iam";
import { LOG_RETENTION_DAYS } from "../blocks/aws/logs";
import { type RunCommands, SAMPLE, SAMPLE_ROW, shellQuote } from "../blocks/aws/samples";
import { type Capability, placedOn } from "../capability";
import { AwsFoundation } from "../foundation/aws";
import { sampleArtifact } from "../shared/artifacts";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    artifactKeyProblems,
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
/**
 * The Kinesis SQL connector the reference application runs with: the 5.x line built for Flink 1.20
 * (the `kinesis` source on the new Source interface, streams named by ARN), fetched from Maven
 * Central at deploy time and pinned by its version.
 */
export const KINESIS_CONNECTOR = {
    group: "org.apache.flink",
    artifact: "flink-sql-connector-kinesis",
    version: "5.0.0-1.20",
} as const;
/** File name of the connector JAR, and where Maven Central serves it. */
export const KINESIS_CONNECTOR_JAR = `${KINESIS_CONNECTOR.artifact}-${KINESIS_CONNECTOR.version}.jar`;
export const KINESIS_CONNECTOR_URL = `https://repo1.maven.org/maven2/${KINESIS_CONNECTOR.group.replace(/\./g, "/")}/${KINESIS_CONNECTOR.artifact}/${KINESIS_CONNECTOR.version}/${KINESIS_CONNECTOR_JAR}`;
/** Key of the reference application the stack packages, under samples/ like every upload. */
export const SAMPLE_APPLICATION_KEY = "samples/streaming/application.zip";
/**
 * The reference application's entry file: the jobs package's Flink adapter, given the model
 * parameters shipped beside it (Managed Flink runs the `python` file of the application ZIP).
 */
export const FLINK_MAIN = `import os

from jobs.adapters.flink import main

main(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model", "gaussian-nb.json"))
`;
/**
 * Managed Flink's property group that names a Python application's files inside its ZIP
 * ("Create your Managed Service for Apache Flink Python application"): the main file, the JAR of
 * Java dependencies, and files put on the Python path.
 */
export const FLINK_RUN_OPTIONS = {
    propertyGroupId: "kinesis.analytics.flink.run.options",
    propertyMap: { python: "main.py", jarfile: `lib/${KINESIS_CONNECTOR_JAR}`, pyFiles: "lib/jobs.zip" },
} as const;

/**
 * The reference application ZIP, built by the stack at deploy time: nothing to build first. The
 * jobs package, the model's numpy parameters (Managed Flink's Python has no scikit-learn) and the
 * connector JAR. One archive serves both pipelines (the `mlops` group's PIPELINE picks).
 */
export function sampleApplication(): pulumi.asset.AssetArchive {
    const model = sampleArtifact(SAMPLE.model);
    return new pulumi.asset.AssetArchive({
        "main.py": new pulumi.asset.StringAsset(FLINK_MAIN),
        "lib/jobs.zip": new pulumi.asset.FileAsset(sampleArtifact(SAMPLE.code).path),
        [`lib/${KINESIS_CONNECTOR_JAR}`]: new pulumi.asset.RemoteAsset(KINESIS_CONNECTOR_URL),
        "model/gaussian-nb.json": new pulumi.asset.FileAsset(path.join(path.dirname(model.path), "gaussian-nb.json")),
    });
}

/** `aws kinesis put-record …` sending one raw sample row to a stream (AWS CLI v2 reads --data as base64 unless told). */
export function putRecordCommand(region: string, streamName: pulumi.Input<string>): pulumi.Output<string> {
    const data = shellQuote(JSON.stringify(SAMPLE_ROW));
    return pulumi.interpolate`aws kinesis put-record --region ${region} --stream-name ${streamName} --partition-key ${SAMPLE_ROW.customer_id} --cli-binary-format raw-in-base64-out --data ${data}`;
}

/**
 * Whether a team's application key names a Python application (a ZIP) rather than a Java one (a
 * JAR). Managed Flink runs a Java JAR's main class as it is, but starts a Python application only
 * from the files its `kinesis.analytics.flink.run.options` group names inside the ZIP ("Create your
 * Managed Service for Apache Flink Python application"): a team's ZIP gets the reference
 * application's run options (FLINK_RUN_OPTIONS), so it is laid out as the reference one is.
 */
export const isPythonApplication = (key: string) => key.endsWith(".zip");

/** AWS limits on top of the cloud-neutral checks. Pure. */
export function checkAwsStreamingArgs(a: Pick<StreamingArgs, "data" | "inference" | "code">): InputProblem[] {
    const p = checkStreamingArgs(a);
    for (const [name] of flowsOf(a)) {
        const key = a.code?.[name];
        if (key !== undefined)
            p.push(
                ...artifactKeyProblems(name, key, {
                    what: "Managed Flink application (a Java JAR or a Python ZIP)",
                    suffixes: [".jar", ".zip"],
                    example: `team/streaming/${name}.zip`,
                }),
            );
    }
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
    /**
     * A team's own Flink application per pipeline (`mlops:options.streamingCode`): its key in the
     * artifacts bucket, which the team uploads. A Java JAR runs with no run options; a Python ZIP
     * with the reference application's (FLINK_RUN_OPTIONS: `main.py`, the connector JAR and
     * `lib/jobs.zip` inside it). Default: the reference application the stack packages and uploads
     * to SAMPLE_APPLICATION_KEY, only while some pipeline still runs it.
     */
    readonly code?: Partial<Record<StreamPipeline, string>>;
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
    /** Per pipeline, `aws kinesis put-record …` with a sample row: what the application then processes. */
    readonly runCommands: RunCommands;

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

        // The reference application, packaged and uploaded by the stack, for the pipelines without
        // their own code. The applications take its outputs: it exists (and its version rolls
        // them) before Managed Flink checks the code location.
        const own = args.code ?? {};
        const upload =
            flows.some(([p]) => own[p] === undefined) || flows.length === 0
                ? new s3.BucketObjectv2(
                      `${name}-application`,
                      {
                          bucket: f.artifactsBucketName,
                          key: SAMPLE_APPLICATION_KEY,
                          source: sampleApplication(),
                          contentType: "application/zip",
                          serverSideEncryption: "aws:kms",
                          kmsKeyId: f.kmsKeyArn,
                          bucketKeyEnabled: true,
                          tags: shared,
                      },
                      parent,
                  )
                : undefined;

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
                    Resource:
                        own[p] === undefined
                            ? pulumi.interpolate`${f.artifactsBucketArn}/${SAMPLE_APPLICATION_KEY}`
                            : pulumi.interpolate`${f.artifactsBucketArn}/${own[p]}`,
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
                // The 5.x Kinesis connector names streams by ARN.
                INPUT_STREAM_ARN: input.stream.arn,
            };
            if (p === "data") {
                const sink = pulumi.interpolate`${f.dataUri}/${FEATURES_PREFIX}/`;
                this.featuresUri = sink;
                environment["SINK_URI"] = sink;
                // Flink's filesystem connector writes S3 through its s3a:// file system.
                environment["SINK_PATH"] = pulumi.interpolate`s3a://${f.dataBucketName}/${FEATURES_PREFIX}/`;
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
                            // The s3a file system removes its in-progress and marker objects.
                            "s3:DeleteObject",
                            "s3:AbortMultipartUpload",
                            "s3:ListMultipartUploadParts",
                        ],
                        Resource: pulumi.interpolate`${f.dataBucketArn}/${FEATURES_PREFIX}/*`,
                    },
                );
            } else if (scores) {
                environment["OUTPUT_STREAM"] = scores.stream.name;
                environment["OUTPUT_STREAM_ARN"] = scores.stream.arn;
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
                    // Level 3 means the engine runs: the code is the stack's upload, or the team's.
                    startApplication: true,
                    applicationConfiguration: {
                        applicationCodeConfiguration: {
                            codeContentType: "ZIPFILE",
                            codeContent: {
                                s3ContentLocation:
                                    own[p] === undefined && upload
                                        ? {
                                              // From the upload's outputs: created first, and a new
                                              // version of the ZIP updates the application.
                                              bucketArn: pulumi.interpolate`arn:${f.partition}:s3:::${upload.bucket}`,
                                              fileKey: upload.key,
                                              objectVersion: upload.versionId,
                                          }
                                        : {
                                              bucketArn: f.artifactsBucketArn,
                                              fileKey: own[p] ?? SAMPLE_APPLICATION_KEY,
                                          },
                            },
                        },
                        // Snapshots let a restart or an update resume from the last state instead of replaying.
                        applicationSnapshotConfiguration: { snapshotsEnabled: true },
                        runConfiguration: {
                            applicationRestoreConfiguration: { applicationRestoreType: "RESTORE_FROM_LATEST_SNAPSHOT" },
                            // When the code changes (the team's in place of the reference, or a new
                            // version), a restore skips the state the new program cannot map instead of
                            // refusing to start (FlinkRunConfiguration, Managed Flink API reference).
                            flinkRunConfiguration: { allowNonRestoredState: true },
                        },
                        environmentProperties: {
                            propertyGroups: [
                                { propertyGroupId: "mlops", propertyMap: environment },
                                // A Java JAR names its own main class; Python starts from run options.
                                ...(own[p] === undefined || isPythonApplication(own[p]) ? [FLINK_RUN_OPTIONS] : []),
                            ],
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
        this.runCommands = Object.fromEntries(
            flows.map(([p]) => [p, putRecordCommand(ctx.region, this.inputStreams[p]!)]),
        );

        this.registerOutputs({
            inputStreams: this.inputStreams,
            scoresStream: this.scoresStream,
            engineJobs: this.engineJobs,
            producerEndpoint: this.producerEndpoint,
            featuresUri: this.featuresUri,
            runCommands: this.runCommands,
        });
    }
}

export const awsStreamingKit: Capability<StreamingSpec, AwsStreaming> = {
    check: checkAwsStreamingArgs,
    // The applications reach Kinesis through an interface endpoint: no internet path.
    needs: () => ({ interfaceEndpoints: [KINESIS_ENDPOINT_SERVICE] }),
    create: (name, spec, site, opts) => new AwsStreaming(name, placedOn(spec, site, AwsFoundation, "AWS"), opts),
};

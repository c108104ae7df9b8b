import type { PlannedResource } from "../../cli/plan/offline";
import { SAMPLE_ROW } from "../../components/blocks/aws/samples";
import { isValidName } from "../../components/shared/naming";
import {
    AwsStreaming,
    awsStreamingKit,
    CHECKPOINT_INTERVAL_MS,
    checkAwsStreamingArgs,
    FLINK_MAIN,
    FLINK_RUN_OPTIONS,
    KINESIS_CONNECTOR_URL,
    SAMPLE_APPLICATION_KEY,
} from "../../components/streaming/aws";
import {
    asArray,
    awsResources,
    NO_RESOURCE_LEVEL_ACTIONS,
    REGION,
    runAws,
    statementsOf,
    untagged,
} from "../aws/harness";
import { configFor, descendants, ofType, one, planConfig } from "../helpers/plan";
import { flow, OTHER_LEVEL_TYPES } from "./harness";

const STREAM = "aws:kinesis/stream:Stream";
const APP = "aws:kinesisanalyticsv2/application:Application";
const byName = (rs: readonly PlannedResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    if (!r) throw new Error(`no resource ${name}`);
    return r;
};
/** What streaming asks of the foundation (the Kinesis endpoint), as the stack program passes it. */
const NEEDS = { needs: awsStreamingKit.needs({ region: REGION, data: flow() }) };

// biome-ignore lint/suspicious/noExplicitAny: planned inputs navigated freely in assertions
const config = (app: PlannedResource): any => app.inputs.applicationConfiguration;

describe("AWS streaming, both pipelines at level 3", () => {
    let rs: Awaited<ReturnType<typeof runAws>>;
    beforeAll(async () => {
        rs = await runAws((ctx, foundation, opts) => {
            const s = new AwsStreaming(
                "streaming",
                { ctx, foundation, data: flow(100), inference: flow(2500, 2) },
                opts,
            );
            return {
                inputStreams: s.inputStreams,
                scoresStream: s.scoresStream,
                engineJobs: s.engineJobs,
                featuresUri: s.featuresUri,
                endpoint: s.producerEndpoint,
                run: s.runCommands,
            };
        }, NEEDS);
    });

    it("creates an input stream per pipeline and a scores stream, KMS-encrypted with the foundation key", () => {
        const streams = ofType(rs, STREAM);
        expect(streams.map((s) => s.name).sort()).toEqual([
            "streaming-data-events",
            "streaming-inference-events",
            "streaming-scores",
        ]);
        const key = one(rs, "aws:kms/key:Key").outputs.arn;
        for (const s of streams) {
            expect(s.inputs).toMatchObject({ encryptionType: "KMS", kmsKeyId: key, retentionPeriod: 24 });
            expect(isValidName("awsService", String(s.inputs.name))).toBe(true);
        }
    });

    it("sizes each stream from its rate and picks the cheaper capacity mode", () => {
        expect(byName(rs, "streaming-data-events").inputs).toMatchObject({
            streamModeDetails: { streamMode: "PROVISIONED" },
            shardCount: 1,
        });
        // 2,500 events/s of 2 KB: 4.9 MB/s → 5 shards, cheaper provisioned than on demand.
        expect(byName(rs, "streaming-inference-events").inputs).toMatchObject({
            streamModeDetails: { streamMode: "PROVISIONED" },
            shardCount: 5,
        });
        expect(byName(rs, "streaming-scores").inputs).toMatchObject({ shardCount: 3 });
    });

    it("runs one Flink application per pipeline on a real runtime, with checkpoints, snapshots and autoscaling", () => {
        const apps = ofType(rs, APP);
        expect(apps.map((a) => a.name).sort()).toEqual(["streaming-data-flink", "streaming-inference-flink"]);
        for (const a of apps) {
            expect(a.inputs).toMatchObject({
                runtimeEnvironment: "FLINK-1_20",
                applicationMode: "STREAMING",
                startApplication: true,
            });
            const c = config(a);
            expect(c.flinkApplicationConfiguration.checkpointConfiguration).toEqual({
                configurationType: "CUSTOM",
                checkpointingEnabled: true,
                checkpointInterval: CHECKPOINT_INTERVAL_MS,
                minPauseBetweenCheckpoints: 5000,
            });
            expect(c.applicationSnapshotConfiguration).toEqual({ snapshotsEnabled: true });
            expect(c.flinkApplicationConfiguration.parallelismConfiguration).toMatchObject({
                configurationType: "CUSTOM",
                autoScalingEnabled: true,
            });
            expect(
                String(
                    a.inputs.cloudwatchLoggingOptions &&
                        (a.inputs.cloudwatchLoggingOptions as { logStreamArn: string }).logStreamArn,
                ),
            ).toMatch(/:log-stream:/);
        }
        expect(
            config(byName(rs, "streaming-data-flink")).flinkApplicationConfiguration.parallelismConfiguration
                .parallelism,
        ).toBe(1);
        expect(
            config(byName(rs, "streaming-inference-flink")).flinkApplicationConfiguration.parallelismConfiguration
                .parallelism,
        ).toBe(5);
    });

    it("runs the reference application the stack packages: uploaded first, named by its run options", () => {
        const upload = one(rs, "aws:s3/bucketObjectv2:BucketObjectv2");
        expect(upload.name).toBe("streaming-application");
        expect(upload.inputs).toMatchObject({
            key: SAMPLE_APPLICATION_KEY,
            bucket: byName(rs, "foundation-artifacts").outputs.id,
            serverSideEncryption: "aws:kms",
            kmsKeyId: one(rs, "aws:kms/key:Key").outputs.arn,
        });
        expect(upload.inputs.source).toMatchObject({ __pulumiArchive: true });
        const artifacts = byName(rs, "foundation-artifacts").outputs.arn;
        for (const p of ["data", "inference"]) {
            const app = byName(rs, `streaming-${p}-flink`);
            const c = config(app);
            expect(c.applicationCodeConfiguration).toEqual({
                codeContentType: "ZIPFILE",
                codeContent: {
                    s3ContentLocation: {
                        bucketArn: artifacts,
                        fileKey: SAMPLE_APPLICATION_KEY,
                        objectVersion: upload.outputs.versionId,
                    },
                },
            });
            // Managed Flink checks the code location when it creates the application.
            expect(app.dependencies).toContain(upload.urn);
            expect(c.environmentProperties.propertyGroups[1]).toEqual({
                propertyGroupId: "kinesis.analytics.flink.run.options",
                propertyMap: {
                    python: "main.py",
                    jarfile: "lib/flink-sql-connector-kinesis-5.0.0-1.20.jar",
                    pyFiles: "lib/jobs.zip",
                },
            });
        }
        expect(FLINK_MAIN).toContain("from jobs.adapters.flink import main");
        expect(KINESIS_CONNECTOR_URL).toBe(
            "https://repo1.maven.org/maven2/org/apache/flink/flink-sql-connector-kinesis/5.0.0-1.20/flink-sql-connector-kinesis-5.0.0-1.20.jar",
        );
    });

    it("tells the engines their pipeline, streams by ARN, the features sink", () => {
        const env = (c: { environmentProperties: { propertyGroups: { propertyMap: Record<string, string> }[] } }) =>
            c.environmentProperties.propertyGroups[0]!.propertyMap;
        const data = env(config(byName(rs, "streaming-data-flink")));
        expect(data).toMatchObject({
            PIPELINE: "data",
            INPUT_STREAM: "mlops-levels-dev-data-events",
            INPUT_STREAM_ARN: byName(rs, "streaming-data-events").outputs.arn,
        });
        expect(data.SINK_URI).toMatch(/^s3:\/\/.+-data-x7k2q9\/streaming\/features\/$/);
        expect(data.SINK_PATH).toMatch(/^s3a:\/\/mlops-levels-dev-data-x7k2q9\/streaming\/features\/$/);
        const inf = env(config(byName(rs, "streaming-inference-flink")));
        expect(inf).toMatchObject({
            PIPELINE: "inference",
            INPUT_STREAM: "mlops-levels-dev-inference-events",
            OUTPUT_STREAM: "mlops-levels-dev-scores",
            INPUT_STREAM_ARN: byName(rs, "streaming-inference-events").outputs.arn,
            OUTPUT_STREAM_ARN: byName(rs, "streaming-scores").outputs.arn,
        });
    });

    it("offers a put-record of a sample row to each input stream", () => {
        const body = `'${JSON.stringify(SAMPLE_ROW)}'`;
        expect(rs.outputs.run).toEqual({
            data: `aws kinesis put-record --region us-east-1 --stream-name mlops-levels-dev-data-events --partition-key 100001 --cli-binary-format raw-in-base64-out --data ${body}`,
            inference: `aws kinesis put-record --region us-east-1 --stream-name mlops-levels-dev-inference-events --partition-key 100001 --cli-binary-format raw-in-base64-out --data ${body}`,
        });
    });

    it("runs the applications in the private subnets, reaching Kinesis through one interface endpoint", () => {
        const subnets = ofType(rs, "aws:ec2/subnet:Subnet")
            .map((s) => s.outputs.id)
            .sort();
        const jobSg = byName(rs, "foundation-job-sg").outputs.id;
        for (const a of ofType(rs, APP)) {
            const v = config(a).vpcConfiguration;
            expect([...v.subnetIds].sort()).toEqual(subnets);
            expect(v.securityGroupIds).toEqual([jobSg]);
        }
        const endpoints = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
            (e) => e.inputs.vpcEndpointType === "Interface",
        );
        expect(endpoints).toHaveLength(1);
        expect(endpoints[0]!.inputs).toMatchObject({
            serviceName: "com.amazonaws.us-east-1.kinesis-streams",
            privateDnsEnabled: true,
        });
        expect(endpoints[0]!.name).toBe("foundation-kinesis-streams-endpoint");
        const ingress = byName(rs, "foundation-endpoints-https-in").inputs;
        expect(ingress).toMatchObject({ referencedSecurityGroupId: jobSg, fromPort: 443, toPort: 443 });
        expect(ofType(rs, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
        expect(ofType(rs, "aws:ec2/internetGateway:InternetGateway")).toHaveLength(0);
    });

    it("gives each application a role limited to its own streams, prefixes and the key", () => {
        const st = statementsOf(rs);
        const of = (policy: string) => st.filter((s) => s.policy === policy).map((s) => s.statement);
        const data = of("streaming-data-flink-policy");
        const inf = of("streaming-inference-flink-policy");
        const sid = (ss: typeof data, id: string) => ss.find((s) => s.Sid === id);
        expect(sid(data, "ReadInputStream").Resource).toMatch(/stream\/mlops-levels-dev-data-events$/);
        expect(sid(inf, "ReadInputStream").Resource).toMatch(/stream\/mlops-levels-dev-inference-events$/);
        expect(sid(inf, "WriteScores").Resource).toMatch(/stream\/mlops-levels-dev-scores$/);
        expect(sid(data, "WriteScores")).toBeUndefined();
        expect(sid(inf, "WriteFeatures")).toBeUndefined();
        expect(sid(data, "WriteFeatures").Resource).toMatch(/-data-x7k2q9\/streaming\/features\/\*$/);
        expect(sid(inf, "ReadModel").Resource).toMatch(/-artifacts-x7k2q9\/models\/streaming\/\*$/);
        expect(sid(data, "ReadCode").Resource).toMatch(/-artifacts-x7k2q9\/samples\/streaming\/application\.zip$/);
        for (const { statement } of st.filter((s) => s.policy.startsWith("streaming-")))
            if (asArray(statement.Resource).includes("*"))
                for (const a of asArray<string>(statement.Action)) expect(NO_RESOURCE_LEVEL_ACTIONS.has(a)).toBe(true);
        const trust = JSON.parse(String(byName(rs, "streaming-data-flink-role").inputs.assumeRolePolicy));
        expect(trust.Statement[0].Principal).toEqual({ Service: "kinesisanalytics.amazonaws.com" });
        expect(trust.Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("logs to a KMS-encrypted log group with retention", () => {
        const lg = byName(rs, "streaming-logs");
        expect(lg.inputs).toMatchObject({
            retentionInDays: 90,
            name: "/aws/kinesis-analytics/mlops-levels-dev-streaming",
        });
        expect(lg.inputs.kmsKeyId).toBe(one(rs, "aws:kms/key:Key").outputs.arn);
    });

    it("tags every taggable resource; shared pieces name both pipelines", () => {
        // Log streams take no tags.
        expect(untagged(rs).filter((r) => !r.startsWith("aws:cloudwatch/logStream:LogStream"))).toEqual([]);
        const tag = (n: string) => (byName(rs, n).inputs.tags as Record<string, string>)["mlops-pipeline"];
        expect(tag("streaming-logs")).toBe("data-inference");
        expect(tag("streaming-data-events")).toBe("data");
        expect(tag("streaming-scores")).toBe("inference");
        for (const r of awsResources(descendants(rs, byName(rs, "streaming").urn)))
            if (r.inputs.tags) expect((r.inputs.tags as Record<string, string>)["mlops-level"]).toBe("3");
    });

    it("parents everything to the component and brings no other level's types", () => {
        const comp = byName(rs, "streaming");
        expect(comp.type).toBe("mlops:streaming:Streaming");
        const mine = descendants(rs, comp.urn);
        for (const r of mine) expect(r.parent).toBe(comp.urn);
        expect(mine.filter((r) => r.type === STREAM)).toHaveLength(3);
        expect(rs.filter((r) => OTHER_LEVEL_TYPES.test(r.type))).toEqual([]);
        expect(rs.filter((r) => /aws:(msk|sfn|scheduler|sagemaker)/.test(r.type))).toEqual([]);
    });

    it("exports the streams, engines and sink", () => {
        expect(rs.outputs).toMatchObject({
            inputStreams: { data: "mlops-levels-dev-data-events", inference: "mlops-levels-dev-inference-events" },
            scoresStream: "mlops-levels-dev-scores",
            engineJobs: { data: "mlops-levels-dev-data-streaming", inference: "mlops-levels-dev-inference-streaming" },
            endpoint: "https://kinesis.us-east-1.amazonaws.com",
        });
    });
});

describe("AWS streaming, stream protection and sharing", () => {
    it("retains (never protects) streams in prod, and a stream keeps its URN when the other pipeline's level changes", async () => {
        const both = await runAws(
            (ctx, foundation, opts) => {
                new AwsStreaming("streaming", { ctx, foundation, data: flow(), inference: flow() }, opts);
                return {};
            },
            { stack: "prod", ...NEEDS },
        );
        const dataOnly = await runAws(
            (ctx, foundation, opts) => {
                new AwsStreaming("streaming", { ctx, foundation, data: flow() }, opts);
                return {};
            },
            { stack: "prod", ...NEEDS },
        );
        const urn = (rs: PlannedResource[]) => byName(rs, "streaming-data-events").urn;
        expect(urn(dataOnly)).toBe(urn(both));
        expect(byName(dataOnly, "streaming-data-events").inputs.name).toBe(
            byName(both, "streaming-data-events").inputs.name,
        );
        for (const s of ofType(both, STREAM)) {
            expect(s.protect).toBe(false);
            expect(s.retainOnDelete).toBe(true);
        }
        // Data alone: no scores stream, no inference application, shared pieces tagged for data only.
        expect(ofType(dataOnly, STREAM).map((s) => s.name)).toEqual(["streaming-data-events"]);
        expect(ofType(dataOnly, APP).map((s) => s.name)).toEqual(["streaming-data-flink"]);
        expect((byName(dataOnly, "streaming-logs").inputs.tags as Record<string, string>)["mlops-pipeline"]).toBe(
            "data",
        );
    });

    it("does not protect streams in dev", async () => {
        const rs = await runAws((ctx, foundation, opts) => {
            new AwsStreaming("streaming", { ctx, foundation, inference: flow() }, opts);
            return {};
        }, NEEDS);
        for (const s of ofType(rs, STREAM)) expect(s.protect).toBe(false);
    });

    it("refuses bad args before registering anything", () => {
        expect(
            () => new AwsStreaming("streaming", { ctx: {} as never, foundation: {} as never, data: flow(0, 0) }),
        ).toThrow(
            /config\.mlops:workload\.data\.eventsPerSecond: must be more than 0\n.*data\.eventSizeKb: must be more than 0/,
        );
        expect(
            () => new AwsStreaming("streaming", { ctx: {} as never, foundation: {} as never, data: flow(1, 2048) }),
        ).toThrow(/eventSizeKb: must be at most 1024/);
    });
});

describe("AWS streaming with a team's own Flink application", () => {
    const groups = (app: PlannedResource) =>
        config(app).environmentProperties.propertyGroups.map((g: { propertyGroupId: string }) => g.propertyGroupId);

    it("reads the team's Python ZIP, uploads nothing and starts it with the reference layout's run options", async () => {
        const rs = await runAws((ctx, foundation, opts) => {
            new AwsStreaming(
                "streaming",
                { ctx, foundation, inference: flow(100), code: { inference: "team/scoring.zip" } },
                opts,
            );
            return undefined;
        }, NEEDS);
        expect(ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2")).toEqual([]);
        const c = config(one(rs, APP));
        expect(c.applicationCodeConfiguration.codeContent.s3ContentLocation).toEqual({
            bucketArn: byName(rs, "foundation-artifacts").outputs.arn,
            fileKey: "team/scoring.zip",
        });
        // Managed Flink starts a Python application only from the files its run options name.
        expect(groups(one(rs, APP))).toEqual(["mlops", FLINK_RUN_OPTIONS.propertyGroupId]);
        expect(c.environmentProperties.propertyGroups[1].propertyMap).toEqual(FLINK_RUN_OPTIONS.propertyMap);
    });

    it("runs a team's Java JAR as it is: no run options", async () => {
        const rs = await runAws((ctx, foundation, opts) => {
            new AwsStreaming(
                "streaming",
                { ctx, foundation, data: flow(100), code: { data: "team/features.jar" } },
                opts,
            );
            return undefined;
        }, NEEDS);
        expect(ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2")).toEqual([]);
        expect(config(one(rs, APP)).applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey).toBe(
            "team/features.jar",
        );
        expect(groups(one(rs, APP))).toEqual(["mlops"]);
    });

    it("refuses a key the stack could write over, or that names no application", () => {
        const lines = (code: Record<string, string>) =>
            checkAwsStreamingArgs({ data: flow(), inference: flow(), code }).map((p) => `${p.path}: ${p.message}`);
        expect(lines({ inference: "samples/streaming/application.zip" })).toEqual([
            expect.stringMatching(
                /^config\.mlops:options\.streamingCode\.inference: "samples\/streaming\/application\.zip" is under 'samples\/', where the stack uploads the reference pipeline/,
            ),
        ]);
        expect(lines({ data: "team/app.py" })).toEqual([
            expect.stringMatching(
                /^config\.mlops:options\.streamingCode\.data: "team\/app\.py" is not the team's Managed Flink application .*must end in '\.jar' or '\.zip'/,
            ),
        ]);
        expect(lines({ data: "team/a.jar", inference: "team/b.zip" })).toEqual([]);
    });
});

describe("AWS stack with mlops:options.streamingCode", () => {
    const WORKLOAD = { data: { volumeGb: 20, freshnessSeconds: 30 }, inference: { mode: "streaming" } };
    const withCode = (streamingCode: Record<string, string>) =>
        configFor("aws", WORKLOAD, { "mlops:options": { streamingCode } });
    const uploads = (rs: readonly PlannedResource[]) =>
        ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => o.inputs.key === SAMPLE_APPLICATION_KEY);
    const codeOf = (rs: readonly PlannedResource[], p: string) =>
        config(byName(rs, `streaming-${p}-flink`)).applicationCodeConfiguration.codeContent.s3ContentLocation;
    let plain: PlannedResource[];
    let inferenceOwn: PlannedResource[];
    let allOwn: PlannedResource[];
    beforeAll(async () => {
        // One plan after the other: the Pulumi runtime runs one program at a time.
        plain = (await planConfig(configFor("aws", WORKLOAD))).resources;
        inferenceOwn = (await planConfig(withCode({ inference: "team/streaming/scoring.zip" }))).resources;
        allOwn = (
            await planConfig(withCode({ data: "team/streaming/features.jar", inference: "team/streaming/scoring.zip" }))
        ).resources;
    });

    it("without it, both pipelines run the reference application the stack uploads", () => {
        const [upload] = uploads(plain);
        expect(upload).toBeDefined();
        for (const p of ["data", "inference"]) expect(codeOf(plain, p).fileKey).toBe(SAMPLE_APPLICATION_KEY);
    });

    it("the pipeline with its own code runs the team's key; the other still runs the upload", () => {
        expect(uploads(inferenceOwn)).toHaveLength(1);
        expect(codeOf(inferenceOwn, "data").fileKey).toBe(SAMPLE_APPLICATION_KEY);
        expect(codeOf(inferenceOwn, "inference")).toEqual({
            bucketArn: byName(inferenceOwn, "foundation-artifacts").outputs.arn,
            fileKey: "team/streaming/scoring.zip",
        });
        // The role reads the team's object, not the reference one.
        const read = statementsOf(inferenceOwn).find(
            (s) => s.policy === "streaming-inference-flink-policy" && s.statement.Sid === "ReadCode",
        );
        expect(read?.statement.Resource).toMatch(/-artifacts-[a-z0-9]{6}\/team\/streaming\/scoring\.zip$/);
    });

    it("with every pipeline's own code, the stack uploads no reference application at all", () => {
        expect(uploads(allOwn)).toEqual([]);
        expect(codeOf(allOwn, "data").fileKey).toBe("team/streaming/features.jar");
        expect(codeOf(allOwn, "inference").fileKey).toBe("team/streaming/scoring.zip");
    });

    it("a key under samples/ is refused before anything is planned", async () => {
        await expect(planConfig(withCode({ data: "samples/streaming/application.zip" }))).rejects.toThrow(
            /config\.mlops:options\.streamingCode\.data: "samples\/streaming\/application\.zip" is under 'samples\/'/,
        );
    });
});

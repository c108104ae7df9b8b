import type { PlannedResource } from "../../cli/plan/offline";
import { InputError } from "../../components/shared/errors";
import { TAG_KEYS } from "../../components/shared/tags";
import { AwsSparkCluster, awsSparkKit, EMR_RELEASE_LABEL, startJobRunDefinition } from "../../components/spark/aws";
import type { SparkJobSpec } from "../../components/spark/index";
import { type Json, runAws, statementsOf, UNTAGGABLE } from "../aws/harness";
import { ofType, one } from "../helpers/plan";
import { badlyTagged, expectValidName, OTHER_LEVEL_TYPES, sparkTree } from "./harness";

const DATA: SparkJobSpec = { pipeline: "data", volumeGb: 900, schedule: "0 1 * * *" };
const INFERENCE: SparkJobSpec = { pipeline: "inference", volumeGb: 300, schedule: "30 4 * * *" };

const plan = (jobs: SparkJobSpec[]) =>
    runAws(
        (ctx, foundation, opts) => {
            const c = awsSparkKit.create("spark", { region: ctx.region, level: 2, jobs }, { ctx, foundation }, opts);
            return {
                cluster: c.clusterName,
                jobs: c.jobNames,
                worker: c.workerType,
                max: c.maxWorkers,
                run: c.runCommands,
            };
        },
        // What the cluster asks of the foundation, as the stack program passes it.
        { needs: awsSparkKit.needs({ region: "us-east-1", level: 2, jobs }) },
    );

describe("AWS Spark cluster (EMR Serverless), data and inference sharing it", () => {
    let rs: PlannedResource[] & { outputs: Record<string, unknown> };
    let children: PlannedResource[];
    beforeAll(async () => {
        rs = await plan([DATA, INFERENCE]);
        children = sparkTree(rs).children;
    });

    it("creates one application for both pipelines, sized for the larger volume", () => {
        const app = one(rs, "aws:emrserverless/application:Application");
        expect(app.inputs).toMatchObject({
            releaseLabel: EMR_RELEASE_LABEL,
            type: "spark",
            // 900 GB → 10 workers of 16 vCPU / 120 GB plus the driver, 180 GB of disk each.
            maximumCapacity: { cpu: "176 vCPU", memory: "1320 GB", disk: "1980 GB" },
        });
        expect(rs.outputs).toMatchObject({ worker: "16 vCPU / 120 GB", max: 10 });
        expect(app.inputs.tags).toMatchObject({ [TAG_KEYS.pipeline]: "data-inference", [TAG_KEYS.level]: "2" });
    });

    it("costs nothing idle: no pre-initialised capacity, auto-stop after 15 idle minutes", () => {
        const app = one(rs, "aws:emrserverless/application:Application");
        expect(app.inputs.initialCapacities).toBeUndefined();
        expect(app.inputs.autoStopConfiguration).toEqual({ enabled: true, idleTimeoutMinutes: 15 });
        expect(app.inputs.autoStartConfiguration).toEqual({ enabled: true });
    });

    it("runs in the foundation's private subnets behind a security group open only to itself and S3", () => {
        const app = one(rs, "aws:emrserverless/application:Application");
        const subnets = ofType(rs, "aws:ec2/subnet:Subnet").map((s) => s.outputs.id);
        const sg = children.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!;
        expect(app.inputs.networkConfiguration).toEqual({ subnetIds: subnets, securityGroupIds: [sg.outputs.id] });
        const rules = children.filter((r) => /securityGroup(Ingress|Egress)Rule/.test(r.type));
        for (const r of rules) {
            expect(r.inputs.securityGroupId).toBe(sg.outputs.id);
            expect(r.inputs.cidrIpv4).toBeUndefined();
        }
        const s3 = rules.find((r) => r.inputs.prefixListId !== undefined)!;
        expect(s3.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        expect(rules.filter((r) => r.inputs.referencedSecurityGroupId === sg.outputs.id)).toHaveLength(2);
        // No NAT, internet gateway or interface endpoint is added for Spark: nothing bills hourly.
        expect(ofType(rs, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
        expect(ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint")).toHaveLength(1);
    });

    it("encrypts logs with the foundation key and writes them to the artifacts bucket", () => {
        const app = one(rs, "aws:emrserverless/application:Application");
        const key = one(rs, "aws:kms/key:Key");
        const artifacts = rs.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "foundation-artifacts")!;
        expect(app.inputs.monitoringConfiguration).toEqual({
            s3MonitoringConfiguration: {
                logUri: `s3://${artifacts.outputs.bucket}/logs/spark/`,
                encryptionKeyArn: key.outputs.arn,
            },
        });
    });

    it("gives each pipeline a scheduled state machine running startJobRun.sync on the shared application", () => {
        const app = one(rs, "aws:emrserverless/application:Application");
        const machines = ofType(rs, "aws:sfn/stateMachine:StateMachine");
        expect(machines.map((m) => m.inputs.name)).toEqual([
            "mlops-levels-dev-data-spark",
            "mlops-levels-dev-inference-spark",
        ]);
        const [data, inference] = machines.map((m) => JSON.parse(String(m.inputs.definition)) as Json);
        for (const d of [data, inference]) {
            expect(d.States.RunSparkJob.Resource).toBe("arn:aws:states:::emr-serverless:startJobRun.sync");
            expect(d.States.RunSparkJob.Parameters.ApplicationId).toBe(app.outputs.id);
        }
        const artifacts = rs.find((r) => r.name === "foundation-artifacts")!.outputs.bucket;
        const data_ = rs.find((r) => r.name === "foundation-data")!.outputs.bucket;
        const upload = (n: string) => {
            const o = ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2").find(
                (x) => x.name === `foundation-sample-${n}`,
            )!;
            return { uri: `s3://${o.outputs.bucket}/${o.outputs.key}`, urn: o.urn };
        };
        // The reference pipeline: the uploaded scripts, the jobs package on --py-files.
        const dataDriver = data.States.RunSparkJob.Parameters.JobDriver.SparkSubmit;
        expect(data.StartAt).toBe("RunSparkJob");
        expect(dataDriver.EntryPoint).toBe(`s3://${artifacts}/samples/jobs/spark/data.py`);
        expect(dataDriver.EntryPoint).toBe(upload("spark-data").uri);
        expect(dataDriver.EntryPointArguments).toEqual([
            "--pipeline",
            "data",
            "--data-uri",
            `s3://${data_}`,
            "--artifacts-uri",
            `s3://${artifacts}`,
            "--package",
            "none",
        ]);
        expect(dataDriver.SparkSubmitParameters).toMatch(
            new RegExp(`^--conf spark\\.driver\\.cores=16 .* --py-files ${upload("jobs-package").uri}$`),
        );
        // Scoring builds the features first, then scores with the uploaded model.
        expect(inference.StartAt).toBe("BuildFeatures");
        expect(inference.States.BuildFeatures).toMatchObject({ Next: "RunSparkJob", ResultPath: null });
        expect(inference.States.BuildFeatures.Parameters.JobDriver.SparkSubmit.EntryPoint).toBe(
            upload("spark-data").uri,
        );
        expect(inference.States.BuildFeatures.Parameters["Name.$"]).toBe(
            "States.Format('{}-BuildFeatures', $$.Execution.Name)",
        );
        const infDriver = inference.States.RunSparkJob.Parameters.JobDriver.SparkSubmit;
        expect(infDriver.EntryPoint).toBe(upload("spark-inference").uri);
        // The model's numpy parameters, uploaded by the component: no scikit-learn needed on EMR.
        const params = rs.find((r) => r.name === "spark-model-parameters")!;
        expect(params.inputs).toMatchObject({
            key: "samples/models/sklearn/gaussian-nb.json",
            serverSideEncryption: "aws:kms",
        });
        expect(infDriver.EntryPointArguments.slice(-2)).toEqual([
            "--model-uri",
            `s3://${params.outputs.bucket}/samples/models/sklearn/gaussian-nb.json`,
        ]);
        expect(machines[1]!.dependencies).toContain(params.urn);
        expect(inference.States.RunSparkJob.End).toBe(true);
        expect(inference.States.RunSparkJob.Parameters.Tags).toMatchObject({ [TAG_KEYS.pipeline]: "inference" });
        for (const [m, names] of [
            [machines[0]!, ["spark-data", "jobs-package"]],
            [machines[1]!, ["spark-data", "spark-inference", "jobs-package"]],
        ] as const)
            for (const n of names) expect(m.dependencies).toContain(upload(n).urn);
        expect(rs.outputs.run).toEqual({
            data: `aws stepfunctions start-execution --region us-east-1 --state-machine-arn ${machines[0]!.outputs.arn}`,
            inference: `aws stepfunctions start-execution --region us-east-1 --state-machine-arn ${machines[1]!.outputs.arn}`,
        });
        const schedules = ofType(rs, "aws:scheduler/schedule:Schedule");
        expect(schedules.map((s) => s.inputs.scheduleExpression)).toEqual(["cron(0 1 * * ? *)", "cron(30 4 * * ? *)"]);
        expect(rs.outputs.jobs).toEqual({
            data: "mlops-levels-dev-data-spark",
            inference: "mlops-levels-dev-inference-spark",
        });
    });

    it("grants least privilege: the execution role only the stack's buckets and key", () => {
        const exec = statementsOf(children).filter((s) => s.policy === "spark-execution-policy");
        expect(exec.map((s) => s.statement.Sid)).toEqual(["ListBuckets", "ReadWriteObjects", "UseKey"]);
        for (const { statement } of exec) expect(statement.Resource).not.toBe("*");
        const role = children.find((r) => r.name === "spark-execution-role")!;
        expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).toEqual({
            Service: "emr-serverless.amazonaws.com",
        });
        const pass = statementsOf(children).find((s) => s.statement.Sid === "PassExecutionRole")!;
        expect(pass.statement.Condition).toEqual({
            StringEquals: { "iam:PassedToService": "emr-serverless.amazonaws.com" },
        });
        const star = statementsOf(children).filter((s) => s.statement.Resource === "*");
        expect(star.every((s) => s.statement.Sid === "LogDelivery")).toBe(true);
        // A run starts with tags, so tag-on-create needs TagResource on the job runs (and only there).
        const follow = statementsOf(children).filter((s) => s.statement.Sid === "FollowRuns");
        expect(follow.length).toBeGreaterThan(0);
        for (const { statement } of follow) {
            expect(statement.Action).toEqual(expect.arrayContaining(["emr-serverless:TagResource"]));
            expect(String(statement.Resource)).toMatch(/\/jobruns\/\*$/);
        }
    });

    it("tags every taggable resource for its pipelines at level 2; names follow the rules", () => {
        expect(badlyTagged(children, UNTAGGABLE, ["data-inference", "data", "inference"])).toEqual([]);
        for (const r of ofType(children, "aws:iam/role:Role")) expectValidName("awsIamRole", r.inputs.name);
        for (const r of ofType(children, "aws:sfn/stateMachine:StateMachine"))
            expectValidName("awsService", r.inputs.name);
        expectValidName("awsService", one(rs, "aws:emrserverless/application:Application").inputs.name);
    });

    it("parents every child under the component and brings nothing of other levels", () => {
        const { component } = sparkTree(rs);
        for (const t of ["aws:emrserverless/application:Application", "aws:sfn/stateMachine:StateMachine"])
            for (const r of ofType(rs, t)) expect(r.parent).toBe(component.urn);
        expect(rs.filter((r) => OTHER_LEVEL_TYPES.test(r.type)).map((r) => r.type)).toEqual([]);
    });
});

describe("AWS Spark cluster: a team's own scripts", () => {
    it("runs the named script and model, with no upload and no features step", async () => {
        const jobs: SparkJobSpec[] = [
            { ...INFERENCE, script: "team/score.py", modelPath: "models/churn" },
            { ...DATA, script: "team/features.py" },
        ];
        expect(awsSparkKit.needs({ region: "us-east-1", level: 2, jobs }).samples).toBeUndefined();
        const rs = await plan(jobs);
        expect(ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2")).toEqual([]);
        const artifacts = rs.find((r) => r.name === "foundation-artifacts")!.outputs.bucket;
        const inference = ofType(rs, "aws:sfn/stateMachine:StateMachine")
            .map((m) => JSON.parse(String(m.inputs.definition)) as Json)
            .find((d) => d.States.RunSparkJob.Parameters.Tags[TAG_KEYS.pipeline] === "inference")!;
        expect(Object.keys(inference.States)).toEqual(["RunSparkJob"]);
        const driver = inference.States.RunSparkJob.Parameters.JobDriver.SparkSubmit;
        expect(driver.EntryPoint).toBe(`s3://${artifacts}/team/score.py`);
        expect(driver.EntryPointArguments).toContain(`s3://${artifacts}/models/churn`);
        expect(driver.SparkSubmitParameters).not.toContain("--py-files");
    });
});

describe("AWS Spark cluster: data alone", () => {
    it("tags for data only and creates one job", async () => {
        const rs = await plan([DATA]);
        expect(ofType(rs, "aws:sfn/stateMachine:StateMachine")).toHaveLength(1);
        expect(one(rs, "aws:emrserverless/application:Application").inputs.tags).toMatchObject({
            [TAG_KEYS.pipeline]: "data",
        });
    });
});

describe("AWS Spark state machine definition", () => {
    it("names the integration in the stack's partition (aws-cn, aws-us-gov have their own ARNs)", () => {
        const def = (partition: string) =>
            startJobRunDefinition({
                partition,
                stack: "dev",
                job: DATA,
                applicationId: "app",
                executionRoleArn: "role",
                steps: [{ name: "RunSparkJob", entryPoint: "s3://b/jobs/spark/data.py", arguments: [] }],
                submitParameters: "",
                logUri: "s3://b/logs/",
                keyArn: "key",
                timeoutMinutes: 60,
                tags: {},
            }) as Json;
        expect(def("aws").States.RunSparkJob.Resource).toBe("arn:aws:states:::emr-serverless:startJobRun.sync");
        expect(def("aws-cn").States.RunSparkJob.Resource).toBe("arn:aws-cn:states:::emr-serverless:startJobRun.sync");
    });
});

describe("AWS Spark checks", () => {
    it("reports schedules AWS cannot express and sizes beyond the limit, before anything exists", () => {
        const problems = awsSparkKit.check({
            region: "us-east-1",
            level: 2,
            jobs: [{ pipeline: "data", volumeGb: 1e7, schedule: "0 2 1 * 1" }],
        });
        expect(problems.map((p) => p.path)).toEqual([
            "config.mlops:workload.data.schedule",
            "config.mlops:workload.data.volumeGb",
        ]);
    });
    it("throws an InputError in the constructor on bad args", () => {
        expect(
            () =>
                new AwsSparkCluster("x", {
                    ctx: undefined as never,
                    foundation: {} as never,
                    level: 2,
                    jobs: [{ pipeline: "data", volumeGb: -1, schedule: "0 2 * * *" }],
                }),
        ).toThrow(InputError);
    });
});

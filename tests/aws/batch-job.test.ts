import type { PlannedResource } from "../../cli/plan/offline";
import {
    AL2023_AMI_PARAMETER,
    AwsBatchJob,
    awsBatchJobKit,
    checkAwsBatchJobArgs,
} from "../../components/batch-job/aws";
import { BATCH_JOB_TYPE } from "../../components/batch-job/index";
import { parseImage } from "../../components/blocks/aws/images";
import { EXECUTION_NAME_RESERVE } from "../../components/blocks/aws/sagemaker";
import { mergeNeeds } from "../../components/foundation";
import { AwsFoundation } from "../../components/foundation/aws";
import { sampleArtifact } from "../../components/shared/artifacts";
import { InputError } from "../../components/shared/errors";
import { isValidName, NAME_RULES } from "../../components/shared/naming";
import { shellQuote } from "../../components/shared/shell";
import { descendants, ofType, one } from "../helpers/plan";
import {
    ACCOUNT,
    asArray,
    definitionOf,
    type Json,
    NO_RESOURCE_LEVEL_ACTIONS,
    REGION,
    runAws,
    statementsOf,
    testContext,
    untagged,
} from "./harness";

const SFN = "aws:sfn/stateMachine:StateMachine";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const INSTANCE = "aws:ec2/instance:Instance";
const OWN_IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/team/features:1.2`;
/** Types of higher levels, which a level-1 job must never bring. */
const HIGHER_LEVEL =
    /^aws:(emr|emrserverless|kinesis|msk|kinesisanalyticsv2|eks|ecr\/repository|sagemaker\/(endpoint|model|endpointConfiguration)|glue|ecs)/;

type Args = {
    volumeGb?: number;
    schedule?: string;
    runner?: "serverless" | "vm";
    timeoutHours?: number;
    pipeline?: "data" | "inference";
    image?: string;
};

function runBatch(
    a: Args = {},
    extra?: (ctx: Parameters<Parameters<typeof runAws>[0]>[0], f: AwsFoundation, opts: object) => void,
) {
    const spec = {
        region: REGION,
        pipeline: a.pipeline ?? "data",
        level: 1,
        volumeGb: a.volumeGb ?? 20,
        schedule: a.schedule ?? "15 3 * * 1-5",
        image: a.image ?? "sagemaker-scikit-learn:1.2-1-cpu-py3",
        environment: { MODEL: "churn" },
        runner: a.runner,
        timeoutHours: a.timeoutHours,
    } as const;
    return runAws(
        (ctx, foundation, opts) => {
            const { region: _, ...args } = spec;
            const job = new AwsBatchJob(spec.pipeline, { ...args, ctx, foundation }, opts);
            extra?.(ctx, foundation, opts);
            return {
                jobName: job.jobName,
                machineType: job.machineType,
                schedule: job.schedule,
                expression: job.scheduleExpression,
            };
        },
        // What the job asks of the foundation, as the stack program passes it.
        { needs: awsBatchJobKit.needs(spec) },
    );
}

const task = (rs: PlannedResource[], name = "data-sfn"): Json =>
    definitionOf(ofType(rs, SFN).find((r) => r.name === name)!).States.RunJob;
const policy = (rs: PlannedResource[], name: string): Json[] =>
    JSON.parse(String(ofType(rs, POLICY).find((r) => r.name === name)!.inputs.policy)).Statement;

describe("AwsBatchJob (serverless)", () => {
    let rs: Awaited<ReturnType<typeof runBatch>>;
    beforeAll(async () => {
        rs = await runBatch({ volumeGb: 20, timeoutHours: 2 });
    });

    it("creates a state machine started by a schedule, and no machine that idles", () => {
        const comp = one(rs, BATCH_JOB_TYPE);
        const mine = descendants(rs, comp.urn);
        expect([...new Set(mine.map((r) => r.type))].sort()).toEqual(
            ["aws:cloudwatch/logGroup:LogGroup", ROLE, POLICY, SCHEDULE, SFN].sort(),
        );
        for (const r of mine) expect(r.parent).toBe(comp.urn);
        expect(ofType(rs, INSTANCE)).toHaveLength(0);
        expect(rs.filter((r) => HIGHER_LEVEL.test(r.type))).toEqual([]);
        expect(rs.outputs).toMatchObject({
            jobName: "mlops-levels-dev-data",
            machineType: "ml.r5.xlarge",
            schedule: "15 3 * * 1-5",
        });
    });

    it("runs a processing job on the picked instance, encrypted, in the private subnets, with a timeout", () => {
        const t = task(rs);
        expect(t.Type).toBe("Task");
        expect(t.Resource).toBe("arn:aws:states:::sagemaker:createProcessingJob.sync");
        const p = t.Parameters;
        const keyArn = one(rs, "aws:kms/key:Key").outputs.arn;
        expect(p.ProcessingResources.ClusterConfig).toEqual({
            InstanceCount: 1,
            InstanceType: "ml.r5.xlarge",
            VolumeSizeInGB: 40,
            VolumeKmsKeyId: keyArn,
        });
        const subnets = ofType(rs, "aws:ec2/subnet:Subnet").map((s) => s.outputs.id);
        const sg = ofType(rs, "aws:ec2/securityGroup:SecurityGroup").find((s) => s.name === "foundation-job-sg")!
            .outputs.id;
        expect(p.NetworkConfig).toEqual({
            EnableInterContainerTrafficEncryption: true,
            EnableNetworkIsolation: false,
            VpcConfig: { Subnets: subnets, SecurityGroupIds: [sg] },
        });
        expect(p.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200 });
        expect(p.RoleArn).toBe(ofType(rs, ROLE).find((r) => r.name === "foundation-job-role")!.outputs.arn);
        expect(p.AppSpecification.ImageUri).toMatch(
            new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${REGION}\\.amazonaws\\.com/sagemaker-scikit-learn:1\\.2-1-cpu-py3$`),
        );
        expect(p.Environment).toEqual({
            MODEL: "churn",
            DATA_URI: "s3://mlops-levels-dev-data-x7k2q9",
            ARTIFACTS_URI: "s3://mlops-levels-dev-artifacts-x7k2q9",
            PIPELINE: "data",
            // The default image runs the reference pipeline from the uploaded jobs package.
            PYTHONPATH: "/opt/ml/processing/input/code/jobs.zip",
        });
        expect(p.Tags).toEqual(
            expect.arrayContaining([
                { Key: "mlops-pipeline", Value: "data" },
                { Key: "mlops-level", Value: "1" },
            ]),
        );
    });

    it("names each processing job after its execution, within SageMaker's 63 characters", () => {
        const expr = task(rs).Parameters["ProcessingJobName.$"];
        const m = /^States\.Format\('([a-z0-9-]+)-\{\}', \$\$\.Execution\.Name\)$/.exec(expr);
        expect(m).not.toBeNull();
        const prefix = m![1]!;
        expect(prefix).toBe("mlops-levels-dev-data");
        expect(prefix.length + EXECUTION_NAME_RESERVE).toBeLessThanOrEqual(63);
        expect(`${prefix}-0b5e0e8c-3f2a-4b69-9d55-5c1f0c0a6e2d`).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    });

    it("schedules the run in UTC with AWS's cron form and no flexible window", () => {
        const s = one(rs, SCHEDULE);
        expect(s.inputs).toMatchObject({
            scheduleExpression: "cron(15 3 ? * 2-6 *)",
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
        });
        const sm = one(rs, SFN);
        const schedRole = ofType(rs, ROLE).find((r) => r.name === "data-scheduler-role")!;
        expect(s.inputs.target).toMatchObject({ arn: sm.outputs.arn, roleArn: schedRole.outputs.arn });
        expect(isValidName(NAME_RULES.awsService, String(s.inputs.name))).toBe(true);
        expect(rs.outputs.expression).toBe("cron(15 3 ? * 2-6 *)");
    });

    it("lets the scheduler only start this state machine", () => {
        const stmts = policy(rs, "data-scheduler-policy");
        expect(stmts).toEqual([
            { Sid: "StartRun", Effect: "Allow", Action: "states:StartExecution", Resource: one(rs, SFN).outputs.arn },
        ]);
        const trust = JSON.parse(
            String(ofType(rs, ROLE).find((r) => r.name === "data-scheduler-role")!.inputs.assumeRolePolicy),
        ).Statement[0];
        expect(trust).toMatchObject({
            Principal: { Service: "scheduler.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        });
    });

    it("lets the state machine only run its own jobs, pass the job role and manage the .sync rule", () => {
        const stmts = policy(rs, "data-sfn-policy");
        const run = stmts.find((s) => s.Sid === "RunJobs");
        expect(run.Action).toEqual(
            expect.arrayContaining([
                "sagemaker:CreateProcessingJob",
                "sagemaker:DescribeProcessingJob",
                "sagemaker:StopProcessingJob",
                "sagemaker:AddTags",
            ]),
        );
        expect(run.Resource).toBe(`arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/mlops-levels-dev-data-*`);
        const pass = stmts.find((s) => s.Sid === "PassJobRole");
        expect(pass.Resource).toBe(ofType(rs, ROLE).find((r) => r.name === "foundation-job-role")!.outputs.arn);
        expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } });
        expect(stmts.find((s) => s.Sid === "SyncRule").Resource).toBe(
            `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForSageMakerProcessingJobsRule`,
        );
        for (const { statement } of statementsOf(rs))
            if (asArray(statement.Resource).includes("*"))
                for (const a of asArray(statement.Action) as string[])
                    expect(NO_RESOURCE_LEVEL_ACTIONS.has(a)).toBe(true);
    });

    it("grants the job role pull rights on the image's repository only", () => {
        const pull = policy(rs, "data-image-pull")[0];
        expect(pull.Resource).toMatch(new RegExp(`^arn:aws:ecr:${REGION}:\\d{12}:repository/sagemaker-scikit-learn$`));
        const pullRes = ofType(rs, POLICY).find((r) => r.name === "data-image-pull")!;
        expect(pullRes.inputs.role).toBe(ofType(rs, ROLE).find((r) => r.name === "foundation-job-role")!.outputs.name);
    });

    it("is a STANDARD state machine logging to a KMS-encrypted log group", () => {
        const sm = one(rs, SFN);
        expect(sm.inputs.type).toBe("STANDARD");
        expect(isValidName(NAME_RULES.awsService, String(sm.inputs.name))).toBe(true);
        const group = ofType(rs, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "data-sfn-logs")!;
        expect(group.inputs).toMatchObject({
            name: "/aws/vendedlogs/states/mlops-levels-dev-data",
            kmsKeyId: one(rs, "aws:kms/key:Key").outputs.arn,
            retentionInDays: 90,
        });
        expect(sm.inputs.loggingConfiguration).toEqual({
            logDestination: `${group.outputs.arn}:*`,
            includeExecutionData: false,
            level: "ALL",
        });
        for (const r of ofType(rs, ROLE).filter((x) => x.name.startsWith("data-")))
            expect(isValidName(NAME_RULES.awsIamRole, String(r.inputs.name))).toBe(true);
    });

    it("tags every taggable resource with the pipeline and level", () => {
        expect(untagged(rs)).toEqual([]);
        const comp = one(rs, BATCH_JOB_TYPE);
        for (const r of descendants(rs, comp.urn).filter((x) => x.inputs.tags))
            expect(r.inputs.tags).toMatchObject({ "mlops-pipeline": "data", "mlops-level": "1" });
    });
});

describe("AwsBatchJob machine and image choices", () => {
    it.each([
        [2, "ml.m5.large", 30],
        [100, "ml.r5.4xlarge", 200],
        [500, "ml.r5.24xlarge", 1000],
    ])("%s GB → %s with a %s GB volume", async (gb, type, volume) => {
        const rs = await runBatch({ volumeGb: gb });
        expect(task(rs).Parameters.ProcessingResources.ClusterConfig).toMatchObject({
            InstanceType: type,
            VolumeSizeInGB: volume,
        });
    });

    it("uses a team's own ECR image as given and grants pull on its repository", async () => {
        const rs = await runBatch({ image: OWN_IMAGE, pipeline: "inference" });
        expect(task(rs, "inference-sfn").Parameters.AppSpecification.ImageUri).toBe(OWN_IMAGE);
        expect(policy(rs, "inference-image-pull")[0].Resource).toBe(
            `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/features`,
        );
        expect(task(rs, "inference-sfn").Parameters.Environment.PIPELINE).toBe("inference");
    });

    it("adds no pull policy for an image outside ECR", async () => {
        const rs = await runBatch({ image: "ghcr.io/acme/job:1" });
        expect(ofType(rs, POLICY).find((r) => r.name === "data-image-pull")).toBeUndefined();
    });
});

describe("AwsBatchJob (vm runner)", () => {
    let rs: Awaited<ReturnType<typeof runBatch>>;
    beforeAll(async () => {
        rs = await runBatch({ volumeGb: 20, runner: "vm", schedule: "0 2 * * *" }, (ctx, f, opts) => {
            new AwsBatchJob(
                "inference",
                {
                    ctx,
                    pipeline: "inference",
                    level: 1,
                    foundation: f,
                    volumeGb: 1,
                    schedule: "0 4 * * *",
                    image: OWN_IMAGE,
                    runner: "vm",
                },
                opts,
            );
        });
    });

    it("runs one private, IMDSv2-only instance with an encrypted gp3 root volume and no state machine", () => {
        const vms = ofType(rs, INSTANCE);
        expect(vms).toHaveLength(2);
        const vm = vms.find((v) => v.name === "data-vm")!;
        expect(vm.inputs).toMatchObject({
            instanceType: "r7i.xlarge",
            associatePublicIpAddress: false,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 2 },
            rootBlockDevice: {
                volumeType: "gp3",
                encrypted: true,
                kmsKeyId: one(rs, "aws:kms/key:Key").outputs.arn,
                volumeSize: 40,
                deleteOnTermination: true,
            },
        });
        expect(vm.inputs.subnetId).toBe(ofType(rs, "aws:ec2/subnet:Subnet")[0]!.outputs.id);
        expect(vms.find((v) => v.name === "inference-vm")!.inputs.instanceType).toBe("m7i.large");
        expect(ofType(rs, SFN)).toHaveLength(0);
        expect(ofType(rs, SCHEDULE)).toHaveLength(0);
        expect(rs.outputs).toMatchObject({ machineType: "r7i.xlarge", expression: "*-*-* 02:00:00 UTC" });
    });

    it("installs a systemd timer that runs the container on the schedule", () => {
        const ud = String(ofType(rs, INSTANCE).find((v) => v.name === "data-vm")!.inputs.userData);
        expect(ud).toContain("OnCalendar=*-*-* 02:00:00 UTC");
        expect(ud).toContain("systemctl enable --now mlops-job.timer");
        expect(ud).toMatch(
            /image='\d{12}\.dkr\.ecr\.us-east-1\.amazonaws\.com\/sagemaker-scikit-learn:1\.2-1-cpu-py3'/,
        );
        expect(ud).toContain("-e DATA_URI='s3://mlops-levels-dev-data-x7k2q9'");
        expect(ud).toContain("-e PIPELINE='data'");
        expect(ud).toContain("TimeoutStartSec=21600");
    });

    it("gives the instance its own EC2 role with storage rights and pulls through shared ECR endpoints", () => {
        const role = ofType(rs, ROLE).find((r) => r.name === "data-vm-role")!;
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
        expect(trust.Principal.Service).toBe("ec2.amazonaws.com");
        // EC2 sets no aws:SourceAccount when an instance profile assumes the role: a condition on
        // it would leave the instance without credentials.
        expect(trust.Condition).toBeUndefined();
        const profile = ofType(rs, "aws:iam/instanceProfile:InstanceProfile").find(
            (p) => p.name === "data-vm-profile",
        )!;
        expect(profile.inputs.role).toBe(role.outputs.name);
        expect(ofType(rs, INSTANCE).find((v) => v.name === "data-vm")!.inputs.iamInstanceProfile).toBe(
            profile.outputs.name,
        );
        const storage = policy(rs, "data-vm-storage").map((s) => s.Sid);
        expect(storage).toEqual(expect.arrayContaining(["ListBuckets", "ReadWriteObjects", "UseKey", "EcrLogin"]));
        const iface = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
            (e) => e.inputs.vpcEndpointType === "Interface",
        );
        expect(iface).toHaveLength(2);
        // The first pull happens at boot: the instance waits for the endpoints it pulls through.
        const vm = ofType(rs, INSTANCE).find((v) => v.name === "data-vm")!;
        for (const e of iface) expect(vm.dependencies).toContain(e.urn);
        expect(vm.inputs.vpcSecurityGroupIds).toHaveLength(1);
        expect(untagged(rs)).toEqual([]);
    });

    it("runs the reference pipeline in the default image: inputs copied from the uploads, features copied back", () => {
        const ud = String(ofType(rs, INSTANCE).find((v) => v.name === "data-vm")!.inputs.userData);
        const jobs = ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2").find(
            (o) => o.name === "foundation-sample-jobs-package",
        )!;
        expect(ud).toContain('--entrypoint /bin/sh "$image" -c \'');
        expect(ud).toContain(`aws s3 cp s3://${jobs.outputs.bucket}/samples/jobs/jobs.zip $w/code/jobs.zip`);
        expect(ud).toContain("python3 -m jobs.features --input $w/raw --output $w/out");
        expect(ud).toContain("aws s3 cp --recursive $w/out s3://mlops-levels-dev-data-x7k2q9/samples/features/");
        expect(ud).toContain("-e AWS_DEFAULT_REGION=us-east-1");
        expect(ofType(rs, INSTANCE).find((v) => v.name === "data-vm")!.dependencies).toContain(jobs.urn);
        // The team's image runs as built.
        const own = String(ofType(rs, INSTANCE).find((v) => v.name === "inference-vm")!.inputs.userData);
        expect(own).toContain(`-e PIPELINE='inference' "$image"\n`);
        expect(own).not.toContain("--entrypoint");
    });

    it("with the NAT a level built, pulls through it: no ECR endpoint, and the HTTPS-out group on the instance", async () => {
        const spec = {
            region: REGION,
            pipeline: "data",
            level: 1,
            volumeGb: 2,
            schedule: "0 2 * * *",
            image: OWN_IMAGE,
            runner: "vm",
        } as const;
        const nat = await runAws(
            (ctx, foundation, opts) => {
                const { region: _, ...a } = spec;
                new AwsBatchJob("data", { ...a, ctx, foundation }, opts);
                return undefined;
            },
            {
                needs: mergeNeeds([
                    awsBatchJobKit.needs(spec),
                    { internetEgress: { pipeline: "inference", level: 5 }, interfaceEndpoints: ["sts"] },
                ]),
            },
        );
        expect(ofType(nat, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.vpcEndpointType)).toEqual([
            "Gateway",
        ]);
        const vm = one(nat, INSTANCE);
        const sgs = Object.fromEntries(ofType(nat, "aws:ec2/securityGroup:SecurityGroup").map((g) => [g.name, g]));
        expect(vm.inputs.vpcSecurityGroupIds).toEqual([
            sgs["foundation-job-sg"]!.outputs.id,
            sgs["foundation-egress-https-out"]!.outputs.id,
        ]);
        const route = ofType(nat, "aws:ec2/route:Route").find((r) => r.name === "foundation-egress-private-default")!;
        expect(vm.dependencies).toContain(route.urn);
    });
});

describe("checkAwsBatchJobArgs (pure)", () => {
    const foundation = Object.create(AwsFoundation.prototype) as AwsFoundation;
    Object.assign(foundation, { hasNetwork: true });
    const ok = { volumeGb: 10, schedule: "0 2 * * *", image: "x", foundation };

    it("accepts good args", () => {
        expect(checkAwsBatchJobArgs(ok)).toEqual([]);
    });

    it("collects every problem, including what AWS cannot schedule", () => {
        const problems = checkAwsBatchJobArgs({
            volumeGb: -1,
            schedule: "0 0 1 * 1",
            image: " ",
            timeoutHours: 0,
            foundation,
        });
        expect(problems.map((p) => p.path)).toEqual(["volumeGb", "image", "timeoutHours", "schedule"]);
        expect(problems[3]!.message).toMatch(/both day-of-month and day-of-week/);
    });

    it("wants the AWS foundation with a network", () => {
        const noNet = Object.assign(Object.create(AwsFoundation.prototype), { hasNetwork: false });
        expect(checkAwsBatchJobArgs({ ...ok, foundation: noNet })[0]!.message).toMatch(/network/);
        // biome-ignore lint/suspicious/noExplicitAny: a foreign object on purpose
        expect(checkAwsBatchJobArgs({ ...ok, foundation: {} as any })[0]!.message).toBe("must be the AWS foundation");
    });

    it("stops the component before it or any child exists, naming key paths", () => {
        // The component checks before `super`, so it throws without an engine.
        const make = (over: { schedule?: string; volumeGb?: number; pipeline?: "data" | "inference" }) => () =>
            new AwsBatchJob("job", {
                ctx: testContext(),
                pipeline: over.pipeline ?? "data",
                level: 1,
                foundation,
                volumeGb: over.volumeGb ?? 10,
                schedule: over.schedule ?? "0 2 * * *",
                image: "x",
            });
        expect(make({ schedule: "0 0 1 * 1" })).toThrow(InputError);
        expect(make({ schedule: "0 0 1 * 1" })).toThrow(/^config\.mlops:workload\.data\.schedule: .*both day-of-month/);
        expect(make({ volumeGb: 5000, pipeline: "inference" })).toThrow(
            /^config\.mlops:workload\.inference\.volumeGb: 5000 GB needs 6250 GB/,
        );
    });
});

describe("image references", () => {
    it("tells prebuilt, ECR and other images apart", () => {
        expect(parseImage("sagemaker-scikit-learn:1.2-1-cpu-py3")).toEqual({
            kind: "prebuilt",
            repository: "sagemaker-scikit-learn",
            tag: "1.2-1-cpu-py3",
        });
        expect(parseImage(OWN_IMAGE)).toEqual({
            kind: "ecr",
            uri: OWN_IMAGE,
            repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/features`,
        });
        expect(parseImage("python:3.12")).toEqual({ kind: "other", uri: "python:3.12" });
        expect(parseImage("ghcr.io/acme/job:1").kind).toBe("other");
    });

    it("quotes values for bash", () => {
        expect(shellQuote("it's")).toBe(`'it'\\''s'`);
        expect(shellQuote("")).toBe("''");
        expect(shellQuote('$HOME `id` \\ "x"')).toBe(`'$HOME \`id\` \\ "x"'`);
        expect(AL2023_AMI_PARAMETER).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    });
});

describe("AwsBatchJob runs the reference pipeline with the default image", () => {
    const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
    const spec = (pipeline: "data" | "inference", image = "sagemaker-scikit-learn:1.2-1-cpu-py3") =>
        ({ region: REGION, pipeline, level: 1, volumeGb: 2, schedule: "0 2 * * *", image }) as const;
    let rs: Awaited<ReturnType<typeof runAws>>;
    beforeAll(async () => {
        const specs = [spec("data"), spec("inference")];
        rs = await runAws(
            (ctx, foundation, opts) => {
                const jobs = specs.map((x) => {
                    const { region: _, ...a } = x;
                    return new AwsBatchJob(x.pipeline, { ...a, ctx, foundation }, opts);
                });
                return { data: jobs[0]!.runCommands?.data, inference: jobs[1]!.runCommands?.inference };
            },
            { needs: mergeNeeds(specs.map((x) => awsBatchJobKit.needs(x))) },
        );
    });
    const objectUri = (name: string) => {
        const o = ofType(rs, OBJECT).find((x) => x.name === `foundation-sample-${name}`)!;
        return { uri: `s3://${o.outputs.bucket}/${o.outputs.key}`, urn: o.urn };
    };
    const sfn = (name: string) => ofType(rs, SFN).find((r) => r.name === name)!;

    it("asks the foundation for exactly the files each job reads, and a team image for none", () => {
        expect(awsBatchJobKit.needs(spec("data")).samples).toEqual(["jobs-package", "sample-data"]);
        expect(awsBatchJobKit.needs(spec("inference")).samples).toEqual(["jobs-package", "sample-data", "model"]);
        expect(awsBatchJobKit.needs(spec("data", OWN_IMAGE)).samples).toBeUndefined();
        expect(
            ofType(rs, OBJECT)
                .map((o) => o.inputs.key)
                .sort(),
        ).toEqual(["samples/data/customers.csv", "samples/jobs/jobs.zip", "samples/models/sklearn/model.joblib"]);
    });

    it("features: copies the uploads in, runs jobs.features, writes samples/features/ back with the key", () => {
        const p = task(rs).Parameters;
        expect(p.AppSpecification.ContainerEntrypoint).toEqual(["python3", "-m", "jobs.features"]);
        expect(p.AppSpecification.ContainerArguments).toEqual([
            "--input",
            "/opt/ml/processing/input/raw",
            "--output",
            "/opt/ml/processing/output/features",
        ]);
        expect(p.ProcessingInputs.map((i: Json) => [i.InputName, i.S3Input.S3Uri, i.S3Input.LocalPath])).toEqual([
            ["code", objectUri("jobs-package").uri, "/opt/ml/processing/input/code"],
            ["raw", objectUri("sample-data").uri, "/opt/ml/processing/input/raw"],
        ]);
        for (const i of p.ProcessingInputs)
            expect(i.S3Input).toMatchObject({ S3DataType: "S3Prefix", S3InputMode: "File" });
        expect(p.ProcessingOutputConfig).toEqual({
            Outputs: [
                {
                    OutputName: "features",
                    S3Output: {
                        S3Uri: "s3://mlops-levels-dev-data-x7k2q9/samples/features/",
                        LocalPath: "/opt/ml/processing/output/features",
                        S3UploadMode: "EndOfJob",
                    },
                },
            ],
            KmsKeyId: one(rs, "aws:kms/key:Key").outputs.arn,
        });
        // PYTHONPATH names the file the code input lands as.
        expect(p.Environment.PYTHONPATH).toBe(
            `/opt/ml/processing/input/code/${sampleArtifact("jobs-package").key.split("/").pop()}`,
        );
    });

    it("scoring: features of the raw rows, then jobs.score with the uploaded model, to samples/scores/", () => {
        const p = task(rs, "inference-sfn").Parameters;
        expect(p.AppSpecification.ContainerEntrypoint.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
        expect(p.AppSpecification.ContainerEntrypoint[2]).toMatch(/python3 -m jobs\.features .*exec python3 -m "\$m"/);
        for (const item of [...p.AppSpecification.ContainerEntrypoint, ...p.AppSpecification.ContainerArguments])
            expect(item.length).toBeLessThanOrEqual(256);
        expect(p.AppSpecification.ContainerArguments).toEqual([
            "/opt/ml/processing/input/raw",
            "/opt/ml/processing/work/features",
            "jobs.score",
            "--model",
            "/opt/ml/processing/input/model",
            "--output",
            "/opt/ml/processing/output/scores",
        ]);
        expect(p.ProcessingInputs.map((i: Json) => i.S3Input.S3Uri)).toEqual([
            objectUri("jobs-package").uri,
            objectUri("sample-data").uri,
            objectUri("model").uri,
        ]);
        expect(p.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toBe(
            "s3://mlops-levels-dev-data-x7k2q9/samples/scores/",
        );
    });

    it("each state machine depends on the uploads it reads, so they exist before a run can start", () => {
        for (const [machine, names] of [
            ["data-sfn", ["jobs-package", "sample-data"]],
            ["inference-sfn", ["jobs-package", "sample-data", "model"]],
        ] as const)
            for (const n of names) expect(sfn(machine).dependencies).toContain(objectUri(n).urn);
        expect(sfn("data-sfn").dependencies).not.toContain(objectUri("model").urn);
    });

    it("offers the exact command that starts a run of each", () => {
        expect(rs.outputs.data).toBe(
            `aws stepfunctions start-execution --region ${REGION} --state-machine-arn ${sfn("data-sfn").outputs.arn}`,
        );
        expect(rs.outputs.inference).toBe(
            `aws stepfunctions start-execution --region ${REGION} --state-machine-arn ${sfn("inference-sfn").outputs.arn}`,
        );
        expect(String(rs.outputs.data)).toMatch(
            /^aws stepfunctions start-execution --region [a-z0-9-]+ --state-machine-arn arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[\w-]+$/,
        );
    });

    it("a team image gets no entrypoint, no inputs and no uploads", async () => {
        const own = await runBatch({ image: OWN_IMAGE });
        const p = task(own).Parameters;
        expect(p.AppSpecification).toEqual({ ImageUri: OWN_IMAGE });
        expect(p.ProcessingInputs).toBeUndefined();
        expect(p.ProcessingOutputConfig).toBeUndefined();
        expect(p.Environment.PYTHONPATH).toBeUndefined();
        expect(ofType(own, OBJECT)).toEqual([]);
    });
});

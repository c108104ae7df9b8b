import type { PlannedResource } from "../../cli/plan/offline";
import {
    DEFAULT_PYTORCH_TRAINING_GPU_IMAGE,
    DEFAULT_PYTORCH_TRAINING_IMAGE,
    DEFAULT_SKLEARN_IMAGE,
} from "../../components/blocks/aws/images";
import { volumeFor } from "../../components/blocks/aws/sagemaker";
import { AwsFoundation } from "../../components/foundation/aws";
import { awsKit } from "../../components/kits/aws";
import { SAGEMAKER_MACHINES } from "../../components/machines/aws";
import { InputError } from "../../components/shared/errors";
import {
    AwsTrainingJob,
    awsTrainingJobKit,
    checkAwsTrainingJobArgs,
    MAX_TRAINING_RUNTIME_SECONDS,
    trainingImageFor,
} from "../../components/training-job/aws";
import { TRAINING_JOB_TYPE } from "../../components/training-job/index";
import { descendants, ofType, one } from "../helpers/plan";
import { ACCOUNT, definitionOf, type Json, REGION, runAws, testContext, untagged } from "./harness";

const SFN = "aws:sfn/stateMachine:StateMachine";

function runTraining(a: { datasetGb: number; gpu: boolean; slaHours?: number; image?: string }) {
    return runAws((ctx, foundation, opts) => {
        const job = new AwsTrainingJob(
            "training",
            {
                ctx,
                level: 1,
                foundation,
                datasetGb: a.datasetGb,
                gpu: a.gpu,
                slaHours: a.slaHours ?? 24,
                image: a.image ?? DEFAULT_PYTORCH_TRAINING_IMAGE,
                environment: { EPOCHS: "10" },
            },
            opts,
        );
        return { jobName: job.jobName, machineType: job.machineType, gpus: job.gpus };
    });
}

const params = (rs: PlannedResource[]): Json => definitionOf(one(rs, SFN)).States.RunJob.Parameters;

describe("AwsTrainingJob on CPU", () => {
    let rs: Awaited<ReturnType<typeof runTraining>>;
    beforeAll(async () => {
        rs = await runTraining({ datasetGb: 40, gpu: false, slaHours: 6 });
    });

    it("creates an on-demand state machine and nothing scheduled or always on", () => {
        const comp = one(rs, TRAINING_JOB_TYPE);
        const mine = descendants(rs, comp.urn);
        expect([...new Set(mine.map((r) => r.type))].sort()).toEqual(
            ["aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", SFN].sort(),
        );
        for (const r of mine) expect(r.parent).toBe(comp.urn);
        expect(rs.some((r) => /scheduler|ec2\/instance|eks|sagemaker\/endpoint/.test(r.type))).toBe(false);
        expect(rs.outputs).toEqual({ jobName: "mlops-levels-dev-training", machineType: "ml.r5.2xlarge", gpus: 0 });
        expect(untagged(rs)).toEqual([]);
    });

    it("runs a training job with encrypted volume and output, in the VPC, stopped at the SLA", () => {
        const run = definitionOf(one(rs, SFN)).States.RunJob;
        expect(run.Resource).toBe("arn:aws:states:::sagemaker:createTrainingJob.sync");
        const p = run.Parameters;
        const keyArn = one(rs, "aws:kms/key:Key").outputs.arn;
        expect(p.AlgorithmSpecification).toEqual({
            TrainingImage: expect.stringMatching(/\/pytorch-training:2\.10\.0-cpu-py313-ubuntu22\.04-sagemaker$/),
            TrainingInputMode: "File",
        });
        expect(p.ResourceConfig).toEqual({
            InstanceType: "ml.r5.2xlarge",
            InstanceCount: 1,
            VolumeSizeInGB: 80,
            VolumeKmsKeyId: keyArn,
        });
        expect(p.OutputDataConfig).toEqual({
            S3OutputPath: "s3://mlops-levels-dev-artifacts-x7k2q9/training/",
            KmsKeyId: keyArn,
        });
        expect(p.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 6 * 3600 });
        expect(p.VpcConfig.Subnets).toEqual(ofType(rs, "aws:ec2/subnet:Subnet").map((s) => s.outputs.id));
        expect(p.VpcConfig.SecurityGroupIds).toHaveLength(1);
        expect(p.EnableNetworkIsolation).toBe(false);
        expect(p.EnableInterContainerTrafficEncryption).toBe(true);
        expect(p.Environment).toMatchObject({
            EPOCHS: "10",
            PIPELINE: "training",
            DATA_URI: "s3://mlops-levels-dev-data-x7k2q9",
        });
        expect(p["TrainingJobName.$"]).toBe("States.Format('mlops-levels-dev-training-{}', $$.Execution.Name)");
    });

    it("lets the state machine run only its training jobs and manage the training .sync rule", () => {
        const pol = JSON.parse(
            String(
                ofType(rs, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "training-sfn-policy")!.inputs
                    .policy,
            ),
        );
        const run = pol.Statement.find((s: Json) => s.Sid === "RunJobs");
        expect(run.Action).toEqual(
            expect.arrayContaining([
                "sagemaker:CreateTrainingJob",
                "sagemaker:DescribeTrainingJob",
                "sagemaker:StopTrainingJob",
            ]),
        );
        expect(run.Resource).toBe(`arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/mlops-levels-dev-training-*`);
        expect(pol.Statement.find((s: Json) => s.Sid === "SyncRule").Resource).toBe(
            `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule`,
        );
    });
});

describe("AwsTrainingJob on GPU", () => {
    it.each([
        [5, "ml.g5.xlarge", 1, 30],
        [100, "ml.g5.8xlarge", 1, 200],
        [300, "ml.g5.24xlarge", 4, 600],
    ])("%s GB → %s (%s GPU), local NVMe volume without a KMS key", async (gb, type, gpus, volume) => {
        const rs = await runTraining({ datasetGb: gb, gpu: true });
        const p = params(rs);
        expect(p.ResourceConfig).toEqual({ InstanceType: type, InstanceCount: 1, VolumeSizeInGB: volume });
        expect(p.AlgorithmSpecification.TrainingImage).toMatch(
            /pytorch-training:2\.10\.0-gpu-py313-cu130-ubuntu22\.04-sagemaker$/,
        );
        expect(rs.outputs).toMatchObject({ machineType: type, gpus });
    });

    it("keeps a team's own image on a GPU machine", async () => {
        const own = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/team/train:7`;
        const rs = await runTraining({ datasetGb: 5, gpu: true, image: own });
        expect(params(rs).AlgorithmSpecification.TrainingImage).toBe(own);
    });
});

describe("training helpers (pure)", () => {
    it("swaps only the CPU default image for its GPU build", () => {
        expect(trainingImageFor(DEFAULT_PYTORCH_TRAINING_IMAGE, true)).toBe(DEFAULT_PYTORCH_TRAINING_GPU_IMAGE);
        expect(trainingImageFor(DEFAULT_PYTORCH_TRAINING_IMAGE, false)).toBe(DEFAULT_PYTORCH_TRAINING_IMAGE);
        expect(trainingImageFor("x/y:1", true)).toBe("x/y:1");
    });

    it("never asks for more volume than local NVMe storage holds", () => {
        const g5 = SAGEMAKER_MACHINES.find((m) => m.name === "ml.g5.xlarge")!;
        expect(volumeFor(500, g5)).toEqual({ sizeGb: 250, kms: false });
        const r5 = SAGEMAKER_MACHINES.find((m) => m.name === "ml.r5.large")!;
        expect(volumeFor(0, r5)).toEqual({ sizeGb: 30, kms: true });
        expect(volumeFor(10_000, r5)).toEqual({ sizeGb: 16384, kms: true });
    });

    const foundation = Object.assign(Object.create(AwsFoundation.prototype), { hasNetwork: true }) as AwsFoundation;

    it("checks args without mocks, collecting every problem", () => {
        expect(checkAwsTrainingJobArgs({ datasetGb: 1, slaHours: 1, image: "x", foundation })).toEqual([]);
        const problems = checkAwsTrainingJobArgs({
            datasetGb: -1,
            slaHours: MAX_TRAINING_RUNTIME_SECONDS / 3600 + 1,
            image: "",
            foundation,
        });
        expect(problems.map((p) => p.path)).toEqual(["datasetGb", "image", "slaHours"]);
        expect(problems[2]!.message).toMatch(/28 days/);
    });

    it("throws before creating anything, naming the key path", () => {
        const make = (datasetGb: number, gpu: boolean) => () =>
            new AwsTrainingJob("t", {
                ctx: testContext(),
                level: 1,
                foundation,
                datasetGb,
                gpu,
                slaHours: 2,
                image: "x",
            });
        expect(make(700, true)).toThrow(InputError);
        expect(make(700, true)).toThrow(/^config\.mlops:workload\.training\.datasetGb: 700 GB needs 875 GB/);
    });
});

describe("AwsTrainingJob trains the reference model with the default image", () => {
    const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
    const spec = { region: REGION, level: 1, datasetGb: 5, gpu: false, slaHours: 2, image: DEFAULT_SKLEARN_IMAGE };
    let rs: Awaited<ReturnType<typeof runAws>>;
    beforeAll(async () => {
        rs = await runAws(
            (ctx, foundation, opts) => {
                const { region: _, ...a } = spec;
                const job = new AwsTrainingJob("training", { ...a, ctx, foundation }, opts);
                return { run: job.runCommands.training };
            },
            { needs: awsTrainingJobKit.needs(spec) },
        );
    });
    const upload = (name: string) => ofType(rs, OBJECT).find((o) => o.name === `foundation-sample-${name}`)!;

    it("is the kit's default: the same scikit-learn container that scores the model", () => {
        expect(awsKit.defaultImages({ project: "p", stack: "dev", region: REGION, config: {} }).training).toBe(
            DEFAULT_SKLEARN_IMAGE,
        );
        expect(awsTrainingJobKit.needs(spec).samples).toEqual(["jobs-package", "sample-data"]);
        expect(awsTrainingJobKit.needs({ ...spec, image: DEFAULT_PYTORCH_TRAINING_IMAGE }).samples).toBeUndefined();
    });

    it("builds features from the uploaded rows, then runs jobs.train into /opt/ml/model", () => {
        const p = params(rs);
        expect(p.AlgorithmSpecification).toMatchObject({
            TrainingImage: expect.stringMatching(/\/sagemaker-scikit-learn:1\.2-1-cpu-py3$/),
            TrainingInputMode: "File",
            ContainerEntrypoint: ["/bin/sh", "-c", expect.stringContaining("python3 -m jobs.features"), "train"],
            ContainerArguments: [
                "/opt/ml/input/data/raw",
                "/tmp/features",
                "jobs.train",
                "--model-dir",
                "/opt/ml/model",
                "--metrics",
                "/opt/ml/output/data/metrics.json",
            ],
        });
        expect(p.Environment.PYTHONPATH).toBe("/opt/ml/input/data/code/jobs.zip");
        const jobs = upload("jobs-package");
        const data = upload("sample-data");
        expect(p.InputDataConfig).toEqual([
            {
                ChannelName: "code",
                DataSource: {
                    S3DataSource: {
                        S3DataType: "S3Prefix",
                        S3Uri: `s3://${jobs.outputs.bucket}/${jobs.outputs.key}`,
                        S3DataDistributionType: "FullyReplicated",
                    },
                },
                InputMode: "File",
            },
            {
                ChannelName: "raw",
                DataSource: {
                    S3DataSource: {
                        S3DataType: "S3Prefix",
                        S3Uri: `s3://${data.outputs.bucket}/${data.outputs.key}`,
                        S3DataDistributionType: "FullyReplicated",
                    },
                },
                InputMode: "File",
            },
        ]);
        expect(p.OutputDataConfig.S3OutputPath).toBe("s3://mlops-levels-dev-artifacts-x7k2q9/samples/models/trained/");
        for (const o of [jobs, data]) expect(one(rs, SFN).dependencies).toContain(o.urn);
    });

    it("offers the command that starts a run", () => {
        expect(rs.outputs.run).toBe(
            `aws stepfunctions start-execution --region ${REGION} --state-machine-arn ${one(rs, SFN).outputs.arn}`,
        );
    });
});

import { CLOUD_TYPE_PREFIX } from "../../components/shared/clouds";
import { isValidName, NAME_RULES } from "../../components/shared/naming";
import { configFor, ofType, one, planConfig, someOfType } from "../helpers/plan";
import { ACCOUNT, asArray, definitionOf, NO_RESOURCE_LEVEL_ACTIONS, statementsOf, untagged } from "./harness";

const WORKLOAD = {
    data: { volumeGb: 20, freshnessSeconds: 86400, schedule: "30 1 * * *" },
    training: { datasetGb: 5, dataKind: "unstructured", singleMachineHours: 2, slaHours: 24 },
    inference: { mode: "batch", volumeGb: 10 },
};
/** Types of levels above 1: Spark, streams, Kubernetes, endpoints, registries. */
const HIGHER_LEVEL =
    /^aws:(emr|emrserverless|kinesis|msk|kinesisanalyticsv2|eks|ecr\/repository|sagemaker\/(endpoint|model|endpointConfiguration)|glue|ecs)/;

describe("AWS stack, every pipeline at level 1 (prod)", () => {
    let plan: Awaited<ReturnType<typeof planConfig>>;
    beforeAll(async () => {
        plan = await planConfig(configFor("aws", WORKLOAD), "prod");
    });

    it("composes the foundation, two batch jobs and a GPU training job", () => {
        expect(plan.outputs.levels).toEqual({ data: 1, training: 1, inference: 1 });
        expect(
            ofType(plan.resources, "mlops:batch-job:BatchJob")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["data", "inference"]);
        one(plan.resources, "mlops:training-job:TrainingJob");
        one(plan.resources, "mlops:foundation:Foundation");
        expect(plan.outputs).toMatchObject({
            cloud: "aws",
            region: "us-east-1",
            dataMachineType: "ml.r5.xlarge",
            inferenceMachineType: "ml.r5.large",
            trainingMachineType: "ml.g5.xlarge",
            dataJobName: "mlops-levels-prod-data",
            inferenceJobName: "mlops-levels-prod-inference",
            trainingJobName: "mlops-levels-prod-training",
            dataUri: expect.stringMatching(/^s3:\/\/mlops-levels-prod-data-[a-z0-9]{6}$/),
            jobIdentity: `arn:aws:iam::${ACCOUNT}:role/mlops-levels-prod-sagemaker-job`,
        });
        expect(ofType(plan.resources, "aws:sfn/stateMachine:StateMachine")).toHaveLength(3);
        const schedules = ofType(plan.resources, "aws:scheduler/schedule:Schedule");
        expect(schedules.map((s) => s.inputs.scheduleExpression).sort()).toEqual([
            "cron(0 2 * * ? *)",
            "cron(30 1 * * ? *)",
        ]);
        const training = ofType(plan.resources, "aws:sfn/stateMachine:StateMachine").find(
            (s) => s.name === "training-sfn",
        )!;
        expect(definitionOf(training).States.RunJob.Parameters.ResourceConfig.InstanceType).toBe("ml.g5.xlarge");
    });

    it("uses the explicit AWS provider in the stack's region for every resource", () => {
        const provider = one(plan.resources, "pulumi:providers:aws");
        expect(provider.inputs.region).toBe("us-east-1");
        for (const r of plan.resources.filter((x) => x.custom && x.type.startsWith("aws:")))
            expect(r.provider).toBe(provider.urn);
    });

    it("protects the foundation's storage in prod, and only what holds data", () => {
        expect(
            plan.resources
                .filter((r) => r.protect)
                .map((r) => r.type)
                .sort(),
        ).toEqual([
            "aws:kms/key:Key",
            "aws:s3/bucket:Bucket",
            "aws:s3/bucket:Bucket",
            "random:index/randomString:RandomString",
        ]);
        expect(one(plan.resources, "mlops:foundation:Foundation").protect).toBe(false);
    });

    it("brings nothing of a higher level, nothing of another cloud and no always-on compute", () => {
        const types = plan.resources.map((r) => r.type);
        expect(types.filter((t) => HIGHER_LEVEL.test(t))).toEqual([]);
        expect(types.some((t) => t.startsWith(CLOUD_TYPE_PREFIX.gcp) || t.startsWith(CLOUD_TYPE_PREFIX.azure))).toBe(
            false,
        );
        expect(types.some((t) => /ec2\/instance|natGateway|internetGateway/.test(t))).toBe(false);
    });

    it("tags every taggable resource, with names valid for their rules", () => {
        expect(untagged(plan.resources)).toEqual([]);
        for (const r of someOfType(plan.resources, "aws:iam/role:Role"))
            expect(isValidName(NAME_RULES.awsIamRole, String(r.inputs.name))).toBe(true);
        for (const r of [
            ...ofType(plan.resources, "aws:sfn/stateMachine:StateMachine"),
            ...ofType(plan.resources, "aws:scheduler/schedule:Schedule"),
        ])
            expect(isValidName(NAME_RULES.awsService, String(r.inputs.name))).toBe(true);
        for (const r of someOfType(plan.resources, "aws:s3/bucket:Bucket"))
            expect(isValidName(NAME_RULES.s3Bucket, String(r.inputs.bucket))).toBe(true);
    });

    it("has IAM policies that name this stack's resources and use '*' only where AWS allows nothing else", () => {
        const arns = new Set(
            plan.resources.map((r) => r.outputs.arn).filter((a): a is string => typeof a === "string"),
        );
        for (const { policy, statement } of statementsOf(plan.resources)) {
            for (const res of asArray(statement.Resource) as string[]) {
                if (res === "*") {
                    for (const a of asArray(statement.Action) as string[])
                        expect([policy, a, NO_RESOURCE_LEVEL_ACTIONS.has(a)]).toEqual([policy, a, true]);
                    continue;
                }
                // Either one of this stack's ARNs (or objects in its buckets), or a pattern inside this account
                // limited to this stack's names, or the repository of an image a job runs.
                const own = arns.has(res) || [...arns].some((a) => res === `${a}/*`);
                const scoped = new RegExp(`:${ACCOUNT}:(processing-job|training-job)/mlops-levels-prod-`).test(res);
                const account = res.includes(`:${ACCOUNT}:`);
                const image =
                    /^arn:aws:ecr:us-east-1:\d{12}:repository\/(sagemaker-scikit-learn|pytorch-training)$/.test(res);
                expect([policy, res, own || scoped || account || image]).toEqual([policy, res, true]);
            }
        }
    });
});

describe("AWS stack in dev", () => {
    it("does not protect storage, and a data-only stack gets one scheduled job", async () => {
        const plan = await planConfig(configFor("aws", { data: { volumeGb: 2 } }), "dev");
        for (const b of someOfType(plan.resources, "aws:s3/bucket:Bucket")) expect(b.protect).toBe(false);
        expect(ofType(plan.resources, "aws:sfn/stateMachine:StateMachine")).toHaveLength(1);
        expect(ofType(plan.resources, "mlops:training-job:TrainingJob")).toHaveLength(0);
        expect(plan.outputs.dataMachineType).toBe("ml.m5.large");
    });

    it("runs the vm runner on an always-on instance when asked", async () => {
        const plan = await planConfig(
            configFor("aws", { data: { volumeGb: 2 } }, { "mlops:options": { batchRunner: "vm" } }),
            "dev",
        );
        expect(one(plan.resources, "aws:ec2/instance:Instance").inputs.instanceType).toBe("m7i.large");
        expect(ofType(plan.resources, "aws:sfn/stateMachine:StateMachine")).toHaveLength(0);
    });
});

import { SAMPLE_ROW } from "../../components/blocks/aws/samples";
import { AwsEndpoint, awsEndpointKit, VARIANT_NAME } from "../../components/endpoint/aws";
import { ENDPOINT_TYPE } from "../../components/endpoint/index";
import { AwsRegistry } from "../../components/registry/aws";
import { InputError } from "../../components/shared/errors";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { ACCOUNT, REGION, runAws, statementsOf, untagged } from "../aws/harness";
import { descendants, ofType, one } from "../helpers/plan";

const MODEL = "aws:sagemaker/model:Model";
const CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";
const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
/** Types of other levels: Kubernetes (5), Spark (2), streams (3), and VPC endpoints only `vm` jobs bring. */
const OTHER_LEVELS =
    /^aws:(eks|emr|emrserverless|kinesis|msk|kinesisanalyticsv2|glue|ecs|sfn|scheduler)\/|^kubernetes:/;

function build(o: { peakQps?: number; image?: string; memoryGb?: number; modelPath?: string } = {}) {
    const spec = {
        region: REGION,
        peakQps: o.peakQps ?? 40,
        image: o.image,
        memoryGb: o.memoryGb,
        modelPath: o.modelPath,
    };
    return runAws(
        (ctx, foundation, opts) => {
            const registry = new AwsRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 4 }, opts);
            const { region: _, ...a } = spec;
            const e = new AwsEndpoint("inference", { ...a, ctx, foundation, registry }, opts);
            return {
                endpointUrl: e.endpointUrl,
                endpointName: e.endpointName,
                invokePolicyArn: e.invokePolicyArn,
                run: e.runCommands.inference,
            };
        },
        // What the endpoint asks of the foundation, as the stack program passes it.
        { needs: awsEndpointKit.needs(spec) },
    );
}

describe("AWS serverless endpoint (SageMaker)", () => {
    // The default configuration, planned once.
    let planned: Awaited<ReturnType<typeof build>>;
    beforeAll(async () => {
        planned = await build();
    });
    test("a serverless variant sized from the peak: scales to zero, no instances", async () => {
        const rs = await build({ peakQps: 500, memoryGb: 3 });
        const config = one(rs, CONFIG);
        const variants = config.inputs.productionVariants as Record<string, unknown>[];
        expect(variants).toHaveLength(1);
        expect(variants[0]).toMatchObject({
            variantName: VARIANT_NAME,
            modelName: one(rs, MODEL).outputs.name,
            serverlessConfig: { maxConcurrency: 63, memorySizeInMb: 3072 },
        });
        // Serverless: no instance type or count, so nothing runs (or bills) while idle.
        expect(variants[0]).not.toHaveProperty("instanceType");
        expect(variants[0]).not.toHaveProperty("initialInstanceCount");
        expect((variants[0]!.serverlessConfig as Record<string, unknown>).provisionedConcurrency).toBeUndefined();
        expect(one(rs, ENDPOINT).inputs.endpointConfigName).toBe(config.outputs.name);
    });

    test("the default image is SageMaker's scikit-learn server, serving the uploaded reference model", () => {
        const rs = planned;
        const container = one(rs, MODEL).inputs.primaryContainer as Record<string, unknown>;
        expect(container.image).toBe(
            `683313688378.dkr.ecr.${REGION}.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3`,
        );
        const upload = one(rs, "aws:s3/bucketObjectv2:BucketObjectv2");
        expect(upload.inputs.key).toBe("samples/models/sagemaker/model.tar.gz");
        expect(container.modelDataUrl).toBe(`s3://${upload.outputs.bucket}/samples/models/sagemaker/model.tar.gz`);
        expect(String(container.modelDataUrl)).toMatch(/^s3:\/\/mlops-levels-dev-artifacts-[a-z0-9]+\//);
        expect(container.environment).toMatchObject({
            SAGEMAKER_PROGRAM: "inference.py",
            SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code",
            SAMPLE_MODEL_VERSION: upload.outputs.versionId,
        });
        // SageMaker checks the archive when the model is created: the upload comes first.
        expect(one(rs, MODEL).dependencies).toContain(upload.urn);
    });

    test("a team image from the registry is used as is", async () => {
        const image = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/mlops-levels-dev-models:1.0`;
        const rs = await build({ image });
        const container = one(rs, MODEL).inputs.primaryContainer as Record<string, unknown>;
        expect(container.image).toBe(image);
        expect(container.environment).not.toHaveProperty("SAGEMAKER_PROGRAM");
    });

    test("least privilege: the model prefix, the key, its own logs, pulls from the registry only", () => {
        const rs = planned;
        const role = ofType(rs, "aws:iam/role:Role").find((r) => r.name === "inference-role")!;
        expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).toEqual({
            Service: "sagemaker.amazonaws.com",
        });
        const mine = statementsOf(rs).filter((s) => s.policy.startsWith("inference-"));
        const read = mine.find((s) => s.statement.Sid === "ReadModel")!.statement;
        expect(read.Action).toBe("s3:GetObject");
        expect(read.Resource).toMatch(/:::mlops-levels-dev-artifacts-[a-z0-9]+\/samples\/models\/sagemaker\/\*$/);
        const pull = mine.find((s) => s.statement.Sid === "PullModelImages")!.statement;
        expect(pull.Resource).toBe(`arn:aws:ecr:${REGION}:${ACCOUNT}:repository/mlops-levels-dev-models`);
        // Nothing writes: the endpoint only reads.
        expect(mine.flatMap((s) => [s.statement.Action].flat())).not.toContain("s3:PutObject");
    });

    test("auth is IAM: the URL is the SigV4 runtime API over HTTPS, with an invoke policy for callers", () => {
        const rs = planned;
        const name = String(one(rs, ENDPOINT).inputs.name);
        expect(isValidName("awsService", name)).toBe(true);
        expect(rs.outputs.endpointUrl).toBe(
            `https://runtime.sagemaker.${REGION}.amazonaws.com/endpoints/${name}/invocations`,
        );
        const invoke = ofType(rs, "aws:iam/policy:Policy").find((p) => p.name === "inference-invoke")!;
        expect(JSON.parse(String(invoke.inputs.policy)).Statement).toEqual([
            {
                Sid: "InvokeEndpoint",
                Effect: "Allow",
                Action: "sagemaker:InvokeEndpoint",
                Resource: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name.toLowerCase()}`,
            },
        ]);
    });

    test("logs: a KMS-encrypted group with retention, named where SageMaker writes", () => {
        const rs = planned;
        const group = ofType(rs, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.name === "inference-logs")!;
        expect(group.inputs).toMatchObject({
            name: `/aws/sagemaker/Endpoints/${one(rs, ENDPOINT).inputs.name}`,
            retentionInDays: 90,
            kmsKeyId: one(rs, "aws:kms/key:Key").outputs.arn,
        });
    });

    test("tags on every taggable resource; children under the component; no other level's types", () => {
        const rs = planned;
        const ECR_UNTAGGABLE = /^aws:ecr\/(lifecyclePolicy|repositoryPolicy):/;
        expect(untagged(rs).filter((u) => !ECR_UNTAGGABLE.test(u))).toEqual([]);
        const component = one(rs, ENDPOINT_TYPE);
        const children = descendants(rs, component.urn).filter((r) => r.custom);
        expect(children.map((r) => r.type)).toEqual(expect.arrayContaining([MODEL, CONFIG, ENDPOINT]));
        for (const r of children.filter((r) => r.inputs.tags !== undefined))
            expect(r.inputs.tags).toMatchObject({ [TAG_KEYS.pipeline]: "inference", [TAG_KEYS.level]: "4" });
        expect(rs.filter((r) => OTHER_LEVELS.test(r.type)).map((r) => r.type)).toEqual([]);
        expect(ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint").map((r) => r.inputs.vpcEndpointType)).toEqual(["Gateway"]);
    });

    test("bad input throws before anything is created", () => {
        const fakeRegistry = {} as AwsRegistry;
        expect(
            () =>
                new AwsEndpoint("x", {
                    ctx: { project: "p", stack: "dev", cloud: "aws", region: REGION, protect: false } as never,
                    foundation: {} as never,
                    registry: fakeRegistry,
                    peakQps: 40,
                    publicEndpoint: true,
                }),
        ).toThrow(InputError);
    });

    test("the run command calls the endpoint with a raw sample row, as the serving handler reads it", () => {
        const run = String(planned.outputs.run);
        const name = String(one(planned, ENDPOINT).outputs.name);
        expect(run).toBe(
            `aws sagemaker-runtime invoke-endpoint --region ${REGION} --endpoint-name ${name} --content-type application/json --cli-binary-format raw-in-base64-out --body '${JSON.stringify({ instances: [SAMPLE_ROW] })}' /dev/stdout`,
        );
        // The body is JSON with every raw column the handler builds features from.
        const body = JSON.parse(/--body '([^']+)'/.exec(run)![1]!);
        expect(Object.keys(body.instances[0]).sort()).toEqual(
            [
                "contract",
                "customer_id",
                "monthly_charges",
                "paperless_billing",
                "support_calls",
                "tenure_months",
                "total_charges",
            ].sort(),
        );
    });

    test("a team's model path or image gets no upload, and reads the team's archive", async () => {
        expect(awsEndpointKit.needs({ region: REGION, peakQps: 1 }).samples).toEqual(["sagemaker-model"]);
        expect(
            awsEndpointKit.needs({ region: REGION, peakQps: 1, modelPath: "models/x.tar.gz" }).samples,
        ).toBeUndefined();
        const rs = await build({ modelPath: "models/churn/model.tar.gz" });
        expect(ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2")).toEqual([]);
        const container = one(rs, MODEL).inputs.primaryContainer as Record<string, unknown>;
        expect(String(container.modelDataUrl)).toMatch(
            /^s3:\/\/mlops-levels-dev-artifacts-[a-z0-9]+\/models\/churn\/model\.tar\.gz$/,
        );
        expect(container.environment).not.toHaveProperty("SAMPLE_MODEL_VERSION");
    });
});

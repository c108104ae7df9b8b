import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as sagemaker from "@pulumi/aws/sagemaker";
import * as pulumi from "@pulumi/pulumi";
import { policyJson, trustPolicy } from "../blocks/aws/iam";
import { DEFAULT_SKLEARN_IMAGE, imagePullPolicy, parseImage, resolveImage } from "../blocks/aws/images";
import { LOG_RETENTION_DAYS } from "../blocks/aws/logs";
import { type RunCommands, SAMPLE, SAMPLE_ROW, shellQuote } from "../blocks/aws/samples";
import { type Capability, placed } from "../capability";
import { asFoundation, NO_NEEDS } from "../foundation";
import { AwsFoundation } from "../foundation/aws";
import { type RegistrySite, registryAt } from "../registry";
import { sampleArtifact } from "../shared/artifacts";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkEndpointArgs,
    DEFAULT_MEMORY_GB,
    DEFAULT_MODEL_PATH,
    ENDPOINT_LEVEL,
    ENDPOINT_TYPE,
    type Endpoint,
    type EndpointArgs,
    type EndpointSizing,
    type EndpointSpec,
    sizeEndpoint,
    sizingProblems,
} from "./index";

/**
 * The serving image unless the stack names one: SageMaker's scikit-learn 1.2-1 server, resolved to
 * the region's registry. It answers GET /ping and POST /invocations on port 8080 and loads the
 * model archive (with `code/inference.py`) from the model data URL.
 */
export const DEFAULT_ENDPOINT_IMAGE = DEFAULT_SKLEARN_IMAGE;
/** Serverless memory sizes SageMaker accepts, in MB: 1 to 6 GB in 1 GB steps. */
export const SERVERLESS_MEMORY_MB = [1024, 2048, 3072, 4096, 5120, 6144] as const;
/** The most concurrent invocations one serverless endpoint takes. */
export const SERVERLESS_MAX_CONCURRENCY = 200;
/** The one production variant: serverless endpoints take exactly one. */
export const VARIANT_NAME = "AllTraffic";

/** The serverless config SageMaker gets for a sizing and memory. Pure. */
export function serverlessConfig(
    sizing: EndpointSizing,
    memoryGb: number,
): { maxConcurrency: number; memorySizeInMb: number } {
    return { maxConcurrency: sizing.maxConcurrentRequests, memorySizeInMb: memoryGb * 1024 };
}

/** Every AWS limit on the endpoint, before anything exists. Pure. */
export function checkAwsEndpoint(a: EndpointSpec): InputProblem[] {
    const p = checkEndpointArgs(a);
    const memoryMb = (a.memoryGb ?? DEFAULT_MEMORY_GB) * 1024;
    if (!(SERVERLESS_MEMORY_MB as readonly number[]).includes(memoryMb))
        p.push({ path: "memoryGb", message: "must be a whole number from 1 to 6 (SageMaker serverless memory sizes)" });
    if (a.publicEndpoint === true)
        p.push({
            path: "config.mlops:options.publicEndpoint",
            message:
                "SageMaker endpoints always require IAM (SigV4) callers; a public endpoint on AWS needs an API in front, which level 4 does not build",
        });
    p.push(
        ...sizingProblems(
            a,
            p,
            { maxConcurrentRequests: SERVERLESS_MAX_CONCURRENCY },
            "a SageMaker serverless endpoint",
        ),
    );
    return p;
}

function awsFoundation(args: EndpointArgs): AwsFoundation {
    return asFoundation(args.foundation, AwsFoundation, "AWS");
}

/**
 * Whether the endpoint serves the reference model: neither a team image nor a team model path is
 * given. Then the model is the uploaded SageMaker archive (jobs/artifacts/model.tar.gz, with
 * `code/inference.py`); otherwise nothing is uploaded and the team's model path is read.
 */
export function servesSample(a: Pick<EndpointSpec, "image" | "modelPath">): boolean {
    return a.image === undefined && a.modelPath === undefined;
}

/**
 * The command that calls the endpoint with one raw row of the sample data (AWS CLI v2, which reads
 * a blob argument as base64 unless told it is raw). Pure, but for the endpoint's name.
 */
export function invokeCommand(region: string, endpointName: pulumi.Input<string>): pulumi.Output<string> {
    const body = shellQuote(JSON.stringify({ instances: [SAMPLE_ROW] }));
    return pulumi.interpolate`aws sagemaker-runtime invoke-endpoint --region ${region} --endpoint-name ${endpointName} --content-type application/json --cli-binary-format raw-in-base64-out --body ${body} /dev/stdout`;
}

/**
 * A SageMaker serverless endpoint: scales to zero by itself (billed per request and per second of
 * compute), up to the concurrency the peak QPS needs. By default it serves the reference model: the
 * uploaded archive `samples/models/sagemaker/model.tar.gz` in SageMaker's scikit-learn 1.2-1 server,
 * which runs the archive's `code/inference.py`. With a team image or `modelPath`, the model is the
 * archive at `modelPath` in the artifacts bucket; the image comes from the registry. Callers sign
 * with IAM (SigV4) and need `sagemaker:InvokeEndpoint`, which the `invokePolicyArn` policy grants on
 * this endpoint only. HTTPS only (the SageMaker runtime has no plain HTTP). Logs go to a KMS-encrypted
 * log group with retention, metrics to CloudWatch (AWS/SageMaker).
 *
 * Not in the VPC: serverless endpoints take no VPC config, so the model is read from S3 by
 * SageMaker with the endpoint's role, whose rights end at the model's prefix in the artifacts bucket.
 * No KMS key on the endpoint config either: serverless variants have no storage volume to encrypt.
 */
export class AwsEndpoint extends pulumi.ComponentResource implements Endpoint {
    readonly endpointUrl: pulumi.Output<string>;
    readonly endpointName: pulumi.Output<string>;
    readonly identity: pulumi.Output<string>;
    readonly auth = "iam-sigv4";
    readonly sizing: EndpointSizing;
    /** Managed policy to attach to callers: InvokeEndpoint on this endpoint only. */
    readonly invokePolicyArn: pulumi.Output<string>;
    readonly endpointArn: pulumi.Output<string>;
    /** `aws sagemaker-runtime invoke-endpoint …` with a sample row: calls the endpoint once it is up. */
    readonly runCommands: RunCommands;

    constructor(name: string, args: EndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad input plans nothing.
        throwIfProblems(checkAwsEndpoint({ ...args, region: args.ctx.region }));
        super(ENDPOINT_TYPE, name, {}, opts);
        const { ctx } = args;
        const f = awsFoundation(args);
        const tags = tagsOf(ctx, "inference", ENDPOINT_LEVEL);
        const parent = { parent: this };
        this.sizing = sizeEndpoint(args.peakQps, args.instanceQps);
        const memoryGb = args.memoryGb ?? DEFAULT_MEMORY_GB;
        // The reference model by default: the foundation's upload, whose outputs the model takes,
        // so SageMaker finds the archive when it checks the model. A team's model path otherwise.
        const sample = servesSample(args) ? f.sampleObject(SAMPLE.sagemakerModel) : undefined;
        const modelPath = sample ? sampleArtifact(SAMPLE.sagemakerModel).key : (args.modelPath ?? DEFAULT_MODEL_PATH);
        const modelPrefix = modelPath.includes("/") ? modelPath.slice(0, modelPath.lastIndexOf("/")) : "";
        const endpointName = physicalName("awsService", [ctx.project, ctx.stack, "inference"]);
        const arn = (service: string, resource: string) =>
            pulumi.interpolate`arn:${f.partition}:${service}:${ctx.region}:${f.accountId}:${resource}`;

        // SageMaker writes the endpoint's logs here; creating the group first gives it retention and the key.
        const logGroup = new cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: `/aws/sagemaker/Endpoints/${endpointName}`,
                retentionInDays: LOG_RETENTION_DAYS,
                kmsKeyId: f.kmsKeyArn,
                tags,
            },
            parent,
        );

        const role = new iam.Role(
            `${name}-role`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, "inference-endpoint"]),
                description: "Role the SageMaker serverless endpoint runs as: reads the model, writes its logs",
                assumeRolePolicy: trustPolicy("sagemaker.amazonaws.com", f.accountId),
                tags,
            },
            parent,
        );
        const policy = new iam.RolePolicy(
            `${name}-policy`,
            {
                role: role.id,
                policy: policyJson([
                    {
                        Sid: "ReadModel",
                        Effect: "Allow",
                        Action: "s3:GetObject",
                        Resource: pulumi.interpolate`${f.artifactsBucketArn}/${modelPrefix === "" ? "" : `${modelPrefix}/`}*`,
                    },
                    {
                        Sid: "DecryptModel",
                        Effect: "Allow",
                        Action: ["kms:Decrypt", "kms:DescribeKey"],
                        Resource: f.kmsKeyArn,
                    },
                    {
                        Sid: "EndpointLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                    },
                    {
                        // PutMetricData supports no resource ARN; the namespace condition keeps it to SageMaker's.
                        Sid: "EndpointMetrics",
                        Effect: "Allow",
                        Action: "cloudwatch:PutMetricData",
                        Resource: "*",
                        Condition: { StringLike: { "cloudwatch:namespace": "/aws/sagemaker/*" } },
                    },
                ]),
            },
            parent,
        );
        const grants: pulumi.Resource[] = [policy, args.registry.grantPull(`${name}-pull`, role.name, this)];
        const imageName = args.image ?? DEFAULT_ENDPOINT_IMAGE;
        const image = resolveImage(imageName, this);
        // An image in another ECR repository than the stack's registry (a team's shared one) needs its own grant.
        if (parseImage(imageName).kind === "ecr") {
            const extra = imagePullPolicy(`${name}-image-pull`, role.id, image, this);
            if (extra) grants.push(extra);
        }
        const prebuilt = parseImage(imageName).kind === "prebuilt";

        const model = new sagemaker.Model(
            `${name}-model`,
            {
                // No fixed name: a model is immutable, so a change creates a new one before the old goes.
                executionRoleArn: role.arn,
                primaryContainer: {
                    image: image.uri,
                    mode: "SingleModel",
                    modelDataUrl: sample
                        ? pulumi.interpolate`s3://${sample.bucket}/${sample.key}`
                        : pulumi.interpolate`${f.artifactsUri}/${modelPath}`,
                    environment: {
                        ARTIFACTS_URI: f.artifactsUri,
                        PIPELINE: "inference",
                        // A model is immutable: a new upload's version makes a new model, which the
                        // endpoint then rolls to.
                        ...(sample ? { SAMPLE_MODEL_VERSION: sample.versionId } : {}),
                        // SageMaker's framework servers run the archive's code/inference.py.
                        ...(prebuilt
                            ? { SAGEMAKER_PROGRAM: "inference.py", SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code" }
                            : {}),
                    },
                },
                tags,
            },
            // The role must be able to read the model and pull the image when SageMaker checks them.
            { ...parent, dependsOn: grants },
        );
        const config = new sagemaker.EndpointConfiguration(
            `${name}-config`,
            {
                productionVariants: [
                    {
                        variantName: VARIANT_NAME,
                        modelName: model.name,
                        serverlessConfig: serverlessConfig(this.sizing, memoryGb),
                    },
                ],
                tags,
            },
            parent,
        );
        const endpoint = new sagemaker.Endpoint(
            `${name}-endpoint`,
            { name: endpointName, endpointConfigName: config.name, tags },
            { ...parent, dependsOn: [logGroup] },
        );
        const invoke = new iam.Policy(
            `${name}-invoke`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, "invoke-inference"]),
                description: `Call the ${endpointName} SageMaker endpoint`,
                policy: policyJson([
                    {
                        Sid: "InvokeEndpoint",
                        Effect: "Allow",
                        Action: "sagemaker:InvokeEndpoint",
                        Resource: arn("sagemaker", `endpoint/${endpointName.toLowerCase()}`),
                    },
                ]),
                tags,
            },
            parent,
        );

        this.endpointName = endpoint.name;
        this.endpointArn = endpoint.arn;
        this.endpointUrl = pulumi.interpolate`https://runtime.sagemaker.${ctx.region}.amazonaws.com/endpoints/${endpoint.name}/invocations`;
        this.identity = role.arn;
        this.invokePolicyArn = invoke.arn;
        this.runCommands = { inference: invokeCommand(ctx.region, endpoint.name) };
        this.registerOutputs({
            endpointUrl: this.endpointUrl,
            endpointName: this.endpointName,
            identity: this.identity,
            invokePolicyArn: this.invokePolicyArn,
        });
    }
}

/** The AWS endpoint as a capability of the AWS kit. */
export const awsEndpointKit: Capability<EndpointSpec, AwsEndpoint, RegistrySite> = {
    check: checkAwsEndpoint,
    needs: (spec) => (servesSample(spec) ? { samples: [SAMPLE.sagemakerModel] } : NO_NEEDS),
    create: (name, spec, site, opts) =>
        new AwsEndpoint(name, { ...placed(spec, site), registry: registryAt(site, "the endpoint") }, opts),
};

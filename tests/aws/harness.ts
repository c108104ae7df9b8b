import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/offline";
import type { FoundationNeeds } from "../../components/foundation";
import { AwsFoundation } from "../../components/foundation/aws";
import { awsKit } from "../../components/kits/aws";
import type { StackContext } from "../../components/shared/context";
import { TAG_KEYS } from "../../components/shared/tags";
import { runOffline } from "../helpers/plan";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/** A stack context as the stack program builds it, with a fixed unique suffix. */
export function testContext(region = REGION, stack = "dev", protect = false): StackContext {
    return { project: "mlops-levels", stack, cloud: "aws", region, protect, uniqueSuffix: pulumi.output("x7k2q9") };
}

/**
 * Runs `build` on the mock engine with the AWS provider and a foundation built with `needs` (what
 * the components under test ask for, as the stack program passes them), and returns every
 * registered resource plus the resolved exports.
 */
export async function runAws(
    build: (
        ctx: StackContext,
        foundation: AwsFoundation,
        opts: pulumi.ComponentResourceOptions,
    ) => Record<string, unknown> | undefined,
    o: { network?: boolean; stack?: string; needs?: FoundationNeeds } = {},
): Promise<PlannedResource[] & { outputs: Record<string, unknown> }> {
    const stack = o.stack ?? "dev";
    const run = await runOffline({
        project: "mlops-levels",
        stack,
        region: REGION,
        config: {},
        program: async () => {
            const ctx = testContext(REGION, stack, stack === "prod");
            const opts = { providers: [awsKit.provider(REGION)] };
            const foundation = new AwsFoundation("foundation", { ctx, network: o.network ?? true, ...o.needs }, opts);
            return build(ctx, foundation, opts) ?? {};
        },
    });
    return Object.assign(run.resources, { outputs: run.outputs });
}

/** Custom resources of the aws provider. */
export const awsResources = (rs: readonly PlannedResource[]) => rs.filter((r) => r.custom && r.type.startsWith("aws:"));

/**
 * AWS types that take no tags: configuration sub-resources of a bucket, IAM inline policies,
 * route table associations, EventBridge Scheduler schedules, KMS aliases.
 */
export const UNTAGGABLE = new Set([
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:scheduler/schedule:Schedule",
    "aws:kms/alias:Alias",
]);

const FOUR_KEYS = [TAG_KEYS.pipeline, TAG_KEYS.level, TAG_KEYS.environment, TAG_KEYS.managedBy];

/** The four tag keys with a value, on every taggable resource; the offenders otherwise. */
export function untagged(rs: readonly PlannedResource[]): string[] {
    return awsResources(rs)
        .filter((r) => !UNTAGGABLE.has(r.type))
        .filter((r) => {
            const t = r.inputs.tags as Record<string, string> | undefined;
            return !t || FOUR_KEYS.some((k) => typeof t[k] !== "string" || t[k] === "");
        })
        .map((r) => `${r.type} ${r.name}`);
}

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON navigated freely in assertions
export type Json = any;

/** The parsed definition of a state machine. */
export function definitionOf(r: PlannedResource): Json {
    return JSON.parse(String(r.inputs.definition));
}

/** Every statement of every IAM inline policy, with the policy's resource name. */
export function statementsOf(rs: readonly PlannedResource[]): { policy: string; statement: Json }[] {
    return rs
        .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
        .flatMap((r) =>
            (JSON.parse(String(r.inputs.policy)).Statement as Json[]).map((statement) => ({
                policy: r.name,
                statement,
            })),
        );
}

/** Actions AWS documents as supporting no resource-level permissions: the only ones allowed on "*". */
export const NO_RESOURCE_LEVEL_ACTIONS = new Set([
    "ecr:GetAuthorizationToken",
    "cloudwatch:PutMetricData",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
]);

export const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { type ArnOf, networkInterfaceStatements, policyJson, type Statement, trustPolicy } from "../blocks/aws/iam";
import { LOG_RETENTION_DAYS } from "../blocks/aws/logs";
import { sampleArtifact } from "../shared/artifacts";
import { type StackContext, tagsOf } from "../shared/context";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import { FOUNDATION } from "../shared/tags";
import {
    declaredSample,
    FOUNDATION_TYPE,
    type Foundation,
    type FoundationArgs,
    InternetEgress,
    needsProblems,
    throwIfNeedsProblems,
} from "./index";

/** Days an overwritten or deleted object version is kept: recovery from mistakes, with bounded cost. */
export const NONCURRENT_VERSION_DAYS = 30;
/** Days before parts of an abandoned multipart upload are removed (they are billed but invisible). */
export const ABORT_MULTIPART_DAYS = 7;
/** KMS waits this long before deleting the key: the maximum, as losing it loses all data. */
export const KMS_DELETION_WINDOW_DAYS = 30;
/** The private network's range; jobs need few addresses, so two /20s leave plenty of room. */
export const VPC_CIDR = "10.40.0.0/16";
/** One private subnet per availability zone, two zones so a zone outage leaves jobs a place to run. */
export const SUBNET_CIDRS = ["10.40.0.0/20", "10.40.16.0/20"] as const;
/**
 * The public subnet of the on-demand NAT gateway: a /28 (the smallest AWS allows) next to the
 * private /20s. Nothing else is ever placed in it.
 */
export const PUBLIC_SUBNET_CIDR = "10.40.32.0/28";
/** Interface endpoints the `vm` batch runner needs to pull images without internet access. */
export const ECR_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr"] as const;
/**
 * Availability Zone IDs where Amazon EKS refuses cluster subnets (UnsupportedAvailabilityZoneException;
 * EKS user guide, "VPC and subnet requirements"). Zone names map to IDs per account, so `us-east-1a`
 * may be `use1-az3` in one account and not in another: the subnets are placed by zone ID, never by
 * name. Excluded for every stack, whatever its levels: the foundation is decided before any level,
 * a later level 5 must not have to move the subnets, and leaving one zone of six aside costs nothing.
 */
export const EKS_UNSUPPORTED_ZONE_IDS = ["use1-az3", "usw1-az2", "cac1-az3"] as const;
/**
 * Services the NAT gateway carries, when a level builds one, instead of interface endpoints.
 *
 * Why: their traffic is light API calls (ECR authentication and manifests, EC2 for the VPC CNI,
 * STS for pod identities, Auto Scaling for the cluster autoscaler); image layers come from S3
 * through the free gateway endpoint on either path. An interface endpoint costs $0.01 an hour in
 * each of the two zones ($14.60 a month idle) plus $0.01/GB; the NAT that a Kubernetes level
 * builds anyway charges $0.045/GB. The five endpoints ($73 a month idle) pay off only above
 * $73.00 / ($0.045 - $0.01) = 2,086 GB a month through them, against the cost model's 20 GB of
 * images per training run (cost/model.ts, NAT_GB_PER_RUN). So with a NAT none of them is built;
 * without one (a `vm` runner's ECR pulls) they are, as the only path.
 *
 * Not Kinesis: a stream's records flow all the time (100 events/s of 1 KB is ~250 GB a month each
 * way), where the endpoint is the cheaper path above 417 GB a month ($14.60 / $0.035), and the
 * Flink applications' security group has no route to the internet at all.
 */
export const NAT_CARRIED_SERVICES: readonly string[] = ["ecr.api", "ecr.dkr", "ec2", "sts", "autoscaling"];

/** The private network's parts that endpoints, the egress path and job compute attach to. */
interface NetworkParts {
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Output<string>[];
    /** The job security group. */
    readonly sgId: pulumi.Output<string>;
    readonly privateRouteTableId: pulumi.Output<string>;
    /** Zone IDs of the private subnets, in subnet order. */
    readonly zoneIds: pulumi.Output<string[]>;
}

/** The S3 bucket a foundation creates for one purpose. */
interface BucketParts {
    readonly bucket: s3.Bucket;
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
}

/**
 * The AWS foundation: a customer-managed KMS key, versioned and encrypted S3 buckets for data and
 * artifacts, and, when compute runs, a private VPC with no internet path (an S3 gateway endpoint
 * only) plus the IAM role SageMaker jobs run as. Nothing in it costs money while idle except storage
 * and the key. What levels need beyond that comes in as args (FoundationNeeds) and is built here:
 * a NAT gateway to the internet (`internetEgress`), interface endpoints (`interfaceEndpoints`) for
 * the services the NAT does not carry, and the reference pipeline's files (`samples`).
 *
 * Protection is explicit, on what holds data: the key and the buckets. Nothing else inherits it, so
 * a level change can always remove the network pieces it added.
 */
export class AwsFoundation extends pulumi.ComponentResource implements Foundation {
    readonly dataBucketName: pulumi.Output<string>;
    readonly artifactsBucketName: pulumi.Output<string>;
    readonly dataUri: pulumi.Output<string>;
    readonly artifactsUri: pulumi.Output<string>;
    readonly jobIdentity: pulumi.Output<string>;
    readonly networkId?: pulumi.Output<string>;

    /** The region every resource lives in. */
    readonly region: string;
    readonly accountId: pulumi.Output<string>;
    /** `aws`, `aws-cn` or `aws-us-gov`, for ARNs. */
    readonly partition: pulumi.Output<string>;
    readonly kmsKeyArn: pulumi.Output<string>;
    readonly dataBucketArn: pulumi.Output<string>;
    readonly artifactsBucketArn: pulumi.Output<string>;
    /** The role SageMaker jobs run as (trusted by sagemaker.amazonaws.com). */
    readonly jobRoleArn: pulumi.Output<string>;
    readonly jobRoleName: pulumi.Output<string>;
    /**
     * S3 and KMS rights on this foundation's buckets and key, plus ECR pull from this account, as a
     * policy document: what any job identity needs (the `vm` runner's instance role reuses it).
     */
    readonly storagePolicyJson: pulumi.Output<string>;
    /** True when the private network exists. */
    readonly hasNetwork: boolean;
    readonly vpcId?: pulumi.Output<string>;
    readonly privateSubnetIds?: pulumi.Output<string>[];
    /** Security group of job compute: no ingress, HTTPS out to S3 and inside the VPC only. */
    readonly jobSecurityGroupId?: pulumi.Output<string>;
    /**
     * The interface endpoints asked for (`interfaceEndpoints`), by service: compute that calls the
     * service waits for its endpoint.
     */
    readonly interfaceEndpoints: Readonly<Record<string, pulumi.Resource>>;
    /** The private subnets' default route through the NAT gateway, when asked for: image pulls wait for it. */
    readonly internetEgress?: pulumi.Resource;
    /**
     * With the NAT: a security group that allows HTTPS out to anywhere, for compute that must reach
     * a service the NAT carries (NAT_CARRIED_SERVICES) and has only the job security group (a `vm`
     * runner). Kubernetes nodes do not need it: the cluster security group allows all egress.
     */
    readonly internetSecurityGroupId?: pulumi.Output<string>;
    /** Zone IDs of the private subnets (never one of EKS_UNSUPPORTED_ZONE_IDS). */
    readonly privateSubnetZoneIds?: pulumi.Output<string[]>;
    /** The reference pipeline's files asked for (`samples`), by manifest name. */
    readonly samples: Readonly<Record<string, s3.BucketObjectv2>>;

    private readonly ctx: StackContext;

    constructor(name: string, args: FoundationArgs, opts?: pulumi.ComponentResourceOptions) {
        throwIfNeedsProblems(needsProblems(args, "AWS", ["interfaceEndpoints", "internetEgress", "samples"]));
        super(FOUNDATION_TYPE, name, {}, opts);
        const { ctx } = args;
        this.ctx = ctx;
        this.region = ctx.region;
        this.hasNetwork = args.network;
        const tags = tagsOf(ctx, FOUNDATION, 0);
        const parent = { parent: this };

        this.accountId = getCallerIdentityOutput({}, parent).accountId;
        this.partition = getPartitionOutput({}, parent).partition;
        const arn = (service: string, resource: pulumi.Input<string>) =>
            pulumi.interpolate`arn:${this.partition}:${service}:${ctx.region}:${this.accountId}:${resource}`;

        // Losing the key loses every object, so it is protected with the storage.
        const key = new kms.Key(
            `${name}-key`,
            {
                description: `mlops-levels ${ctx.project}/${ctx.stack}: buckets, logs and job volumes`,
                enableKeyRotation: true,
                deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
                policy: policyJson([
                    {
                        // Lets IAM policies in this account grant use of the key (the job roles do).
                        Sid: "AccountAdministers",
                        Effect: "Allow",
                        Principal: { AWS: pulumi.interpolate`arn:${this.partition}:iam::${this.accountId}:root` },
                        Action: "kms:*",
                        Resource: "*",
                    },
                    {
                        // CloudWatch Logs encrypts the flow log and job log groups with it, for this account's groups only.
                        Sid: "CloudWatchLogsEncrypt",
                        Effect: "Allow",
                        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
                        Action: [
                            "kms:Encrypt*",
                            "kms:Decrypt*",
                            "kms:ReEncrypt*",
                            "kms:GenerateDataKey*",
                            "kms:Describe*",
                        ],
                        Resource: "*",
                        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn("logs", "log-group:*") } },
                    },
                ]),
                tags,
            },
            { ...parent, protect: ctx.protect },
        );
        new kms.Alias(
            `${name}-key-alias`,
            { name: `alias/${physicalName("awsService", [ctx.project, ctx.stack])}`, targetKeyId: key.keyId },
            parent,
        );
        this.kmsKeyArn = key.arn;

        const data = this.bucket(`${name}-data`, "data", key, tags);
        const artifacts = this.bucket(`${name}-artifacts`, "artifacts", key, tags);
        this.dataBucketName = data.name;
        this.artifactsBucketName = artifacts.name;
        this.dataBucketArn = data.arn;
        this.artifactsBucketArn = artifacts.arn;
        this.dataUri = pulumi.interpolate`s3://${data.name}`;
        this.artifactsUri = pulumi.interpolate`s3://${artifacts.name}`;
        this.samples = this.uploads(name, args.samples ?? [], { data, artifacts }, key, tags);

        const storage: Statement[] = [
            {
                Sid: "ListBuckets",
                Effect: "Allow",
                Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                Resource: [data.arn, artifacts.arn],
            },
            {
                Sid: "ReadWriteObjects",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
                Resource: [pulumi.interpolate`${data.arn}/*`, pulumi.interpolate`${artifacts.arn}/*`],
            },
            {
                Sid: "UseKey",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
                Resource: key.arn,
            },
            // The only ECR action without resource-level permissions; pulls are granted per repository.
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullOwnImages",
                Effect: "Allow",
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                Resource: arn("ecr", "repository/*"),
            },
        ];
        this.storagePolicyJson = policyJson(storage);

        const network = args.network ? this.network(name, key, tags, arn) : undefined;
        this.vpcId = network?.vpcId;
        this.networkId = network?.vpcId;
        this.privateSubnetIds = network?.subnetIds;
        this.jobSecurityGroupId = network?.sgId;
        this.privateSubnetZoneIds = network?.zoneIds;
        const egress =
            network && args.internetEgress
                ? this.egress(name, network, tagsOf(ctx, args.internetEgress.pipeline, args.internetEgress.level))
                : undefined;
        this.internetEgress = egress?.route;
        this.internetSecurityGroupId = egress?.securityGroupId;
        // With the NAT, the services it carries get no endpoint (NAT_CARRIED_SERVICES says why).
        const endpointServices = (args.interfaceEndpoints ?? []).filter(
            (svc) => !(egress && NAT_CARRIED_SERVICES.includes(svc)),
        );
        this.interfaceEndpoints =
            network && endpointServices.length > 0 ? this.endpoints(name, network, endpointServices, tags) : {};

        const jobRole = new iam.Role(
            `${name}-job-role`,
            {
                name: physicalName("awsIamRole", [ctx.project, ctx.stack, "sagemaker-job"]),
                description: "Role SageMaker processing and training jobs run as",
                assumeRolePolicy: trustPolicy("sagemaker.amazonaws.com", this.accountId),
                tags,
            },
            parent,
        );
        const jobStatements: Statement[] = [
            ...storage,
            {
                // SageMaker attaches the KMS key to job volumes through a grant.
                Sid: "GrantKeyToVolumes",
                Effect: "Allow",
                Action: "kms:CreateGrant",
                Resource: key.arn,
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
            {
                Sid: "JobLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [
                    arn("logs", "log-group:/aws/sagemaker/*"),
                    arn("logs", "log-group:/aws/sagemaker/*:log-stream:*"),
                ],
            },
            {
                // PutMetricData supports no resource ARN; the namespace condition keeps it to SageMaker's.
                Sid: "JobMetrics",
                Effect: "Allow",
                Action: "cloudwatch:PutMetricData",
                Resource: "*",
                Condition: { StringLike: { "cloudwatch:namespace": "/aws/sagemaker/*" } },
            },
        ];
        if (network)
            jobStatements.push(...networkInterfaceStatements(arn, network.subnetIds, network.sgId, "sagemaker"));
        new iam.RolePolicy(`${name}-job-policy`, { role: jobRole.id, policy: policyJson(jobStatements) }, parent);
        this.jobRoleArn = jobRole.arn;
        this.jobRoleName = jobRole.name;
        this.jobIdentity = jobRole.arn;

        this.registerOutputs({
            dataBucketName: this.dataBucketName,
            artifactsBucketName: this.artifactsBucketName,
            dataUri: this.dataUri,
            artifactsUri: this.artifactsUri,
            jobIdentity: this.jobIdentity,
            networkId: this.networkId,
            kmsKeyArn: this.kmsKeyArn,
        });
    }

    /**
     * Interface endpoints for AWS services (`ecr.api`, `sts`, `ec2`...) reachable from job compute
     * (the job security group) without any internet path, behind one security group that takes
     * HTTPS from job compute only. Each costs money per hour and per zone, so only the services a
     * level asked for get one.
     */
    private endpoints(
        name: string,
        net: NetworkParts,
        services: readonly string[],
        tags: Record<string, string>,
    ): Record<string, pulumi.Resource> {
        const parent = { parent: this };
        const sg = new ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            { vpcId: net.vpcId, description: "ECR interface endpoints: HTTPS from job compute only", tags },
            parent,
        );
        new vpc.SecurityGroupIngressRule(
            `${name}-endpoints-https-in`,
            {
                securityGroupId: sg.id,
                referencedSecurityGroupId: net.sgId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS from jobs",
                tags,
            },
            parent,
        );
        return Object.fromEntries(
            [...new Set(services)].map((svc) => [
                svc,
                new ec2.VpcEndpoint(
                    `${name}-${svc.replace(/\./g, "-")}-endpoint`,
                    {
                        vpcId: net.vpcId,
                        serviceName: `com.amazonaws.${this.region}.${svc}`,
                        vpcEndpointType: "Interface",
                        subnetIds: net.subnetIds,
                        securityGroupIds: [sg.id],
                        // The service's own host names resolve to the endpoint, so clients need no change.
                        privateDnsEnabled: true,
                        tags,
                    },
                    parent,
                ),
            ]),
        );
    }

    /**
     * An internet path for the private subnets: a public /28 with an internet gateway, one NAT
     * gateway on an Elastic IP there, and a 0.0.0.0/0 route from the private route table to it,
     * under fixed names, for a level that must pull from public registries (Kubernetes: the KubeRay
     * operator from quay.io, Ray from Docker Hub, the cluster autoscaler from registry.k8s.io). The
     * NAT costs money per hour and per GB, so it exists only while such a level does; removing the
     * level removes it. The NAT's address is the only public IP: the subnet assigns none, and nothing
     * from the internet can open a connection in. One gateway, in the first zone: a zone outage stops
     * image pulls (not running pods) until the zone is back, where a gateway per zone would double
     * the idle cost.
     *
     * @param tags tags of the level that needs it, so the policy gates and the cost table count the
     *   NAT at that level, not in the free foundation.
     * @returns the private default route: resources that pull images wait for it.
     */
    private egress(
        base: string,
        net: NetworkParts,
        tags: Record<string, string>,
    ): { route: pulumi.Resource; securityGroupId: pulumi.Output<string> } {
        const name = `${base}-egress`;
        const egress = new InternetEgress(name, tags, { parent: this });
        const parent = { parent: egress };
        const vpcId = net.vpcId;
        const gateway = new ec2.InternetGateway(`${name}-igw`, { vpcId, tags }, parent);
        const subnet = new ec2.Subnet(
            `${name}-public`,
            {
                vpcId,
                cidrBlock: PUBLIC_SUBNET_CIDR,
                availabilityZoneId: net.zoneIds.apply((z) => z[0]!),
                // The NAT gets its Elastic IP explicitly; nothing launched here gets an address.
                mapPublicIpOnLaunch: false,
                tags,
            },
            parent,
        );
        const publicRoutes = new ec2.RouteTable(`${name}-public-routes`, { vpcId, tags }, parent);
        const toGateway = new ec2.Route(
            `${name}-public-default`,
            { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id },
            parent,
        );
        new ec2.RouteTableAssociation(
            `${name}-public-routes`,
            { subnetId: subnet.id, routeTableId: publicRoutes.id },
            parent,
        );
        const address = new ec2.Eip(`${name}-nat-ip`, { domain: "vpc", tags }, { ...parent, dependsOn: [gateway] });
        const nat = new ec2.NatGateway(
            `${name}-nat`,
            { allocationId: address.allocationId, subnetId: subnet.id, connectivityType: "public", tags },
            // A NAT gateway without a route to the internet gateway comes up failed.
            { ...parent, dependsOn: [toGateway] },
        );
        const route = new ec2.Route(
            `${name}-private-default`,
            { routeTableId: net.privateRouteTableId, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id },
            parent,
        );
        const internet = new ec2.SecurityGroup(
            `${name}-https-out`,
            { vpcId, description: "HTTPS out to the internet through the NAT gateway; no inbound", tags },
            parent,
        );
        new vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            {
                securityGroupId: internet.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to AWS APIs the NAT carries",
                tags,
            },
            parent,
        );
        egress.complete({ natGatewayId: nat.id, publicIp: address.publicIp });
        return { route, securityGroupId: internet.id };
    }

    /**
     * What carries `services` for compute that waits for them: each one's interface endpoint, or the
     * NAT's private default route for a service the NAT carries (NAT_CARRIED_SERVICES), once each.
     * Throws naming the services neither carries: the capability's needs were not passed to it.
     */
    endpointsOf(services: readonly string[]): pulumi.Resource[] {
        const carried = (svc: string) =>
            this.interfaceEndpoints[svc] ?? (NAT_CARRIED_SERVICES.includes(svc) ? this.internetEgress : undefined);
        const missing = services.filter((svc) => carried(svc) === undefined);
        if (missing.length > 0)
            throw new Error(
                `the AWS foundation has no interface endpoint for ${missing.join(", ")}; build it with interfaceEndpoints listing them`,
            );
        return [...new Set(services.map((svc) => carried(svc)!))];
    }

    /** True when the NAT, not an interface endpoint, carries every one of `services`. */
    natCarries(services: readonly string[]): boolean {
        return (
            this.internetEgress !== undefined &&
            services.every((svc) => this.interfaceEndpoints[svc] === undefined && NAT_CARRIED_SERVICES.includes(svc))
        );
    }

    /**
     * The upload of a reference pipeline file (manifest name). Throws for a file the foundation was
     * built without: the capability's `samples` need was not passed to it.
     */
    sampleObject(name: string): s3.BucketObjectv2 {
        return declaredSample(this.samples[name], name, "AWS");
    }

    /**
     * `s3://bucket/key` of an uploaded file, from the upload's own outputs: a reader that takes it
     * depends on the upload, so Pulumi creates the object first.
     */
    sampleUri(name: string): pulumi.Output<string> {
        const o = this.sampleObject(name);
        return pulumi.interpolate`s3://${o.bucket}/${o.key}`;
    }

    /**
     * The reference pipeline's files (jobs/MANIFEST.json) the capabilities asked for, each uploaded
     * once to its `samples/` key, encrypted with the foundation key (set on the upload itself, so
     * it never depends on the bucket's default encryption existing first). Fixed logical names:
     * the same file keeps the same resource whichever level reads it.
     */
    private uploads(
        base: string,
        names: readonly string[],
        buckets: Record<"data" | "artifacts", BucketParts>,
        key: kms.Key,
        tags: Record<string, string>,
    ): Record<string, s3.BucketObjectv2> {
        const out: Record<string, s3.BucketObjectv2> = {};
        for (const n of [...new Set(names)]) {
            const a = sampleArtifact(n);
            out[n] = new s3.BucketObjectv2(
                `${base}-sample-${a.name}`,
                {
                    bucket: buckets[a.bucket].bucket.id,
                    key: a.key,
                    source: new pulumi.asset.FileAsset(a.path),
                    contentType: a.contentType,
                    serverSideEncryption: "aws:kms",
                    kmsKeyId: key.arn,
                    bucketKeyEnabled: true,
                    tags,
                },
                { parent: this },
            );
        }
        return out;
    }

    private bucket(logical: string, purpose: string, key: kms.Key, tags: Record<string, string>): BucketParts {
        const ctx = this.ctx;
        const parent = { parent: this };
        const base = physicalName("s3Bucket", [ctx.project, ctx.stack, purpose], suffixReserve("s3Bucket"));
        // Fixed logical name and protect: a level change or refactor never replaces stored data.
        const bucket = new s3.Bucket(
            logical,
            { bucket: ctx.uniqueSuffix.apply((s) => withSuffix("s3Bucket", base, s)), forceDestroy: false, tags },
            { ...parent, protect: ctx.protect },
        );
        new s3.BucketOwnershipControls(
            `${logical}-ownership`,
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            parent,
        );
        const block = new s3.BucketPublicAccessBlock(
            `${logical}-public-access`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            parent,
        );
        const versioning = new s3.BucketVersioning(
            `${logical}-versioning`,
            { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
            parent,
        );
        new s3.BucketServerSideEncryptionConfiguration(
            `${logical}-encryption`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                        // S3 Bucket Keys cut KMS requests (and their cost) by about 99%.
                        bucketKeyEnabled: true,
                    },
                ],
            },
            parent,
        );
        new s3.BucketLifecycleConfiguration(
            `${logical}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "expire-old-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
                    },
                ],
            },
            // Noncurrent-version rules act only once versioning is on.
            { ...parent, dependsOn: [versioning] },
        );
        new s3.BucketPolicy(
            `${logical}-policy`,
            {
                bucket: bucket.id,
                policy: policyJson([
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ]),
            },
            // S3 rejects concurrent changes to public access settings and the policy.
            { ...parent, dependsOn: [block] },
        );
        return { bucket, name: bucket.bucket, arn: bucket.arn };
    }

    private network(name: string, key: kms.Key, tags: Record<string, string>, arn: ArnOf): NetworkParts {
        const parent = { parent: this };
        const region = this.region;
        const net = new ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: VPC_CIDR, enableDnsSupport: true, enableDnsHostnames: true, tags },
            parent,
        );
        // Regular zones only (local and wavelength zones lack most instance types), never one where
        // EKS refuses cluster subnets.
        const zones = getAvailabilityZonesOutput(
            {
                state: "available",
                filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
                excludeZoneIds: [...EKS_UNSUPPORTED_ZONE_IDS],
            },
            parent,
        );
        const zoneIds = zones.zoneIds.apply((z) => SUBNET_CIDRS.map((_, i) => z[i % z.length]!));
        const routes = new ec2.RouteTable(`${name}-private-routes`, { vpcId: net.id, tags }, parent);
        const subnets = SUBNET_CIDRS.map((cidr, i) => {
            const subnet = new ec2.Subnet(
                `${name}-private-${i + 1}`,
                {
                    vpcId: net.id,
                    cidrBlock: cidr,
                    availabilityZoneId: zoneIds.apply((z) => z[i]!),
                    mapPublicIpOnLaunch: false,
                    tags,
                },
                parent,
            );
            new ec2.RouteTableAssociation(
                `${name}-private-${i + 1}-routes`,
                { subnetId: subnet.id, routeTableId: routes.id },
                parent,
            );
            return subnet;
        });
        // No internet or NAT gateway (unless a level asks for one): jobs reach S3 through this free
        // gateway endpoint and nothing else.
        const s3Endpoint = new ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: net.id,
                serviceName: `com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: [routes.id],
                tags,
            },
            parent,
        );
        const sg = new ec2.SecurityGroup(
            `${name}-job-sg`,
            { vpcId: net.id, description: "SageMaker jobs: no inbound; HTTPS out to S3 and inside the VPC", tags },
            parent,
        );
        new vpc.SecurityGroupEgressRule(
            `${name}-job-https-s3`,
            {
                securityGroupId: sg.id,
                prefixListId: s3Endpoint.prefixListId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to S3",
                tags,
            },
            parent,
        );
        new vpc.SecurityGroupEgressRule(
            `${name}-job-https-vpc`,
            {
                securityGroupId: sg.id,
                cidrIpv4: VPC_CIDR,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to endpoints in the VPC",
                tags,
            },
            parent,
        );

        const flowLogs = new cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: `/aws/vpc/flow-logs/${physicalName("awsService", [this.ctx.project, this.ctx.stack])}`,
                retentionInDays: LOG_RETENTION_DAYS,
                kmsKeyId: key.arn,
                tags,
            },
            parent,
        );
        const flowRole = new iam.Role(
            `${name}-flow-logs-role`,
            {
                name: physicalName("awsIamRole", [this.ctx.project, this.ctx.stack, "flow-logs"]),
                assumeRolePolicy: trustPolicy("vpc-flow-logs.amazonaws.com", this.accountId),
                tags,
            },
            parent,
        );
        new iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: flowRole.id,
                policy: policyJson([
                    {
                        Sid: "WriteFlowLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [flowLogs.arn, pulumi.interpolate`${flowLogs.arn}:*`],
                    },
                    // The flow logs service checks the group exists; listing is account-scoped, not "*".
                    {
                        Sid: "FindLogGroup",
                        Effect: "Allow",
                        Action: "logs:DescribeLogGroups",
                        Resource: arn("logs", "log-group:*"),
                    },
                ]),
            },
            parent,
        );
        new ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: net.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: flowLogs.arn,
                iamRoleArn: flowRole.arn,
                tags,
            },
            parent,
        );
        return {
            vpcId: net.id,
            subnetIds: subnets.map((s) => s.id),
            sgId: sg.id,
            privateRouteTableId: routes.id,
            zoneIds,
        };
    }
}

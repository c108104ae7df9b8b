import type { PlannedResource } from "../../cli/plan/offline";
import { mergeNeeds } from "../../components/foundation";
import {
    AwsFoundation,
    ECR_ENDPOINT_SERVICES,
    EKS_UNSUPPORTED_ZONE_IDS,
    NAT_CARRIED_SERVICES,
    NONCURRENT_VERSION_DAYS,
    SUBNET_CIDRS,
    VPC_CIDR,
} from "../../components/foundation/aws";
import { FOUNDATION_TYPE } from "../../components/foundation/index";
import { sampleArtifact } from "../../components/shared/artifacts";
import { isValidName, NAME_RULES } from "../../components/shared/naming";
import { descendants, ofType, one } from "../helpers/plan";
import {
    ACCOUNT,
    asArray,
    awsResources,
    type Json,
    NO_RESOURCE_LEVEL_ACTIONS,
    REGION,
    runAws,
    statementsOf,
    testContext,
    untagged,
} from "./harness";

const BUCKET = "aws:s3/bucket:Bucket";
const KEY = "aws:kms/key:Key";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

const policyOf = (r: PlannedResource): Json => JSON.parse(String(r.inputs.policy));

describe("AwsFoundation with a network", () => {
    let rs: PlannedResource[] & { outputs: Record<string, unknown> };
    beforeAll(async () => {
        rs = await runAws((_ctx, f) => ({
            dataUri: f.dataUri,
            artifactsUri: f.artifactsUri,
            jobIdentity: f.jobIdentity,
            networkId: f.networkId,
            subnets: f.privateSubnetIds,
            sg: f.jobSecurityGroupId,
        }));
    });

    it("creates exactly the foundation's types and nothing that idles at a cost", () => {
        const types = new Set(awsResources(rs).map((r) => r.type));
        expect([...types].sort()).toEqual(
            [
                "aws:cloudwatch/logGroup:LogGroup",
                "aws:ec2/flowLog:FlowLog",
                "aws:ec2/routeTable:RouteTable",
                "aws:ec2/routeTableAssociation:RouteTableAssociation",
                "aws:ec2/securityGroup:SecurityGroup",
                "aws:ec2/subnet:Subnet",
                "aws:ec2/vpc:Vpc",
                ENDPOINT,
                ROLE,
                POLICY,
                "aws:kms/alias:Alias",
                KEY,
                BUCKET,
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketVersioning:BucketVersioning",
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
            ].sort(),
        );
        // No internet path and nothing billed per hour: no IGW, NAT, EIP or interface endpoint.
        expect(rs.some((r) => /internetGateway|natGateway|eip:Eip/.test(r.type))).toBe(false);
        expect(ofType(rs, ENDPOINT).map((e) => e.inputs.vpcEndpointType)).toEqual(["Gateway"]);
    });

    it("parents every resource to the foundation component", () => {
        const comp = one(rs, FOUNDATION_TYPE);
        expect(descendants(rs, comp.urn).length).toBe(awsResources(rs).length);
        for (const r of awsResources(rs)) expect(r.parent).toBe(comp.urn);
    });

    it("tags every taggable resource with the four keys, as the foundation (level 0)", () => {
        expect(untagged(rs)).toEqual([]);
        for (const r of awsResources(rs).filter((x) => x.inputs.tags))
            expect(r.inputs.tags).toMatchObject({
                "mlops-pipeline": "foundation",
                "mlops-level": "0",
                "mlops-environment": "dev",
                "managed-by": "mlops-levels",
            });
    });

    it("uses a rotating customer-managed key that CloudWatch Logs may use for this account's log groups", () => {
        const key = one(rs, KEY);
        expect(key.inputs.enableKeyRotation).toBe(true);
        expect(key.inputs.deletionWindowInDays).toBe(30);
        const stmts = policyOf(key).Statement as Json[];
        expect(stmts.find((s) => s.Sid === "AccountAdministers").Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT}:root`);
        const logs = stmts.find((s) => s.Sid === "CloudWatchLogsEncrypt");
        expect(logs.Principal.Service).toBe(`logs.${REGION}.amazonaws.com`);
        expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toBe(
            `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:*`,
        );
        expect(one(rs, "aws:kms/alias:Alias").inputs.name).toBe("alias/mlops-levels-dev");
    });

    it("creates two buckets with fixed logical names, valid unique physical names and no force-destroy", () => {
        const buckets = ofType(rs, BUCKET);
        expect(buckets.map((b) => b.name).sort()).toEqual(["foundation-artifacts", "foundation-data"]);
        for (const b of buckets) {
            expect(isValidName(NAME_RULES.s3Bucket, String(b.inputs.bucket))).toBe(true);
            expect(String(b.inputs.bucket)).toMatch(/^mlops-levels-dev-(data|artifacts)-x7k2q9$/);
            expect(b.inputs.forceDestroy).toBe(false);
        }
        expect(rs.outputs.dataUri).toBe("s3://mlops-levels-dev-data-x7k2q9");
        expect(rs.outputs.artifactsUri).toBe("s3://mlops-levels-dev-artifacts-x7k2q9");
    });

    it("encrypts, versions, locks down and expires old versions of both buckets", () => {
        const keyArn = one(rs, KEY).outputs.arn;
        for (const b of ofType(rs, BUCKET)) {
            const id = b.outputs.id ?? b.inputs.bucket;
            const of = (type: string) => ofType(rs, type).find((r) => r.inputs.bucket === id)!;
            const sse = of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
                .inputs.rules as Json[];
            expect(sse[0]).toEqual({
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
                bucketKeyEnabled: true,
            });
            expect(of("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({
                status: "Enabled",
            });
            expect(of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(of("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({
                objectOwnership: "BucketOwnerEnforced",
            });
            const rule = (
                of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Json[]
            )[0];
            expect(rule).toMatchObject({
                status: "Enabled",
                noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
            });
            const deny = policyOf(of("aws:s3/bucketPolicy:BucketPolicy")).Statement[0];
            expect(deny).toMatchObject({
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
            expect(deny.Resource).toEqual([b.outputs.arn, `${b.outputs.arn}/*`]);
        }
    });

    it("builds a private VPC: DNS on, two subnets in two zones, no public IPs, S3 through a gateway endpoint", () => {
        const vpc = one(rs, "aws:ec2/vpc:Vpc");
        expect(vpc.inputs).toMatchObject({ cidrBlock: VPC_CIDR, enableDnsSupport: true });
        const subnets = ofType(rs, "aws:ec2/subnet:Subnet");
        expect(subnets.map((s) => s.inputs.cidrBlock)).toEqual([...SUBNET_CIDRS]);
        // Placed by zone ID, two zones, none where EKS refuses cluster subnets. The mock maps
        // us-east-1a to use1-az3 (as some accounts do): by name the first subnet would land there.
        expect(subnets.map((s) => s.inputs.availabilityZone)).toEqual([undefined, undefined]);
        expect(subnets.map((s) => s.inputs.availabilityZoneId)).toEqual(["use1-az4", "use1-az5"]);
        for (const s of subnets)
            expect(EKS_UNSUPPORTED_ZONE_IDS as readonly string[]).not.toContain(s.inputs.availabilityZoneId);
        for (const s of subnets) expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
        const s3 = one(rs, ENDPOINT);
        expect(s3.inputs).toMatchObject({ serviceName: `com.amazonaws.${REGION}.s3`, vpcEndpointType: "Gateway" });
        expect(s3.inputs.routeTableIds).toEqual([one(rs, "aws:ec2/routeTable:RouteTable").outputs.id]);
        expect(ofType(rs, "aws:ec2/routeTableAssociation:RouteTableAssociation")).toHaveLength(2);
        expect(rs.outputs.networkId).toBe(vpc.outputs.id);
    });

    it("lets job compute talk HTTPS to S3 and inside the VPC only, with no inbound rule", () => {
        expect(ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toHaveLength(0);
        const egress = ofType(rs, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        expect(egress).toHaveLength(2);
        for (const e of egress) expect(e.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        expect(egress.map((e) => e.inputs.prefixListId ?? e.inputs.cidrIpv4).sort()).toEqual(
            [VPC_CIDR, "pl-63a5400a"].sort(),
        );
    });

    it("logs all VPC traffic to a KMS-encrypted log group with bounded retention", () => {
        const flow = one(rs, "aws:ec2/flowLog:FlowLog");
        const group = ofType(rs, "aws:cloudwatch/logGroup:LogGroup")[0]!;
        expect(flow.inputs).toMatchObject({
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: group.outputs.arn,
        });
        expect(group.inputs.kmsKeyId).toBe(one(rs, KEY).outputs.arn);
        expect(group.inputs.retentionInDays).toBe(90);
    });

    it("lets only SageMaker in this account assume the job role", () => {
        const role = ofType(rs, ROLE).find((r) => r.name === "foundation-job-role")!;
        expect(isValidName(NAME_RULES.awsIamRole, String(role.inputs.name))).toBe(true);
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0];
        expect(trust).toMatchObject({
            Principal: { Service: "sagemaker.amazonaws.com" },
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        });
        expect(rs.outputs.jobIdentity).toBe(role.outputs.arn);
    });

    it("grants the job role only this stack's buckets, key, log groups and network", () => {
        const stmts = policyOf(ofType(rs, POLICY).find((r) => r.name === "foundation-job-policy")!).Statement as Json[];
        const bucketArns = ofType(rs, BUCKET).map((b) => String(b.outputs.arn));
        const s3Resources = stmts
            .filter((s) => asArray(s.Action).some((a: string) => a.startsWith("s3:")))
            .flatMap((s) => asArray(s.Resource));
        expect(s3Resources).not.toEqual([]);
        for (const r of s3Resources) expect(bucketArns.some((b) => r === b || r === `${b}/*`)).toBe(true);
        const keyArn = one(rs, KEY).outputs.arn;
        const kms = stmts.filter((x) => asArray(x.Action).some((a: string) => a.startsWith("kms:")));
        expect(kms).not.toEqual([]);
        for (const s of kms) expect(s.Resource).toBe(keyArn);
        const logs = stmts.find((s) => s.Sid === "JobLogs");
        for (const r of logs.Resource)
            expect(r).toMatch(new RegExp(`^arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/`));
        const eni = stmts.find((s) => s.Sid === "CreateJobInterfaces");
        const subnetIds = ofType(rs, "aws:ec2/subnet:Subnet").map((s) => s.outputs.id);
        for (const id of subnetIds) expect(eni.Resource).toContain(`arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${id}`);
        expect(asArray(stmts.find((s) => s.Sid === "ManageJobInterfaces").Action)).toEqual(
            expect.arrayContaining(["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"]),
        );
    });

    it("uses a '*' resource only for actions that support no resource ARN", () => {
        for (const { statement } of statementsOf(rs))
            if (asArray(statement.Resource).includes("*"))
                for (const a of asArray(statement.Action) as string[])
                    expect(NO_RESOURCE_LEVEL_ACTIONS.has(a)).toBe(true);
    });
});

describe("AwsFoundation without a network", () => {
    it("creates storage, key and role only, with no network rights in the role", async () => {
        const rs = await runAws((_ctx, f) => ({ hasNetwork: f.hasNetwork, networkId: f.networkId }), {
            network: false,
        });
        expect(awsResources(rs).filter((r) => r.type.startsWith("aws:ec2/") || r.type.startsWith("aws:vpc/"))).toEqual(
            [],
        );
        expect(ofType(rs, BUCKET)).toHaveLength(2);
        const actions = statementsOf(rs).flatMap((s) => asArray(s.statement.Action) as string[]);
        expect(actions.some((a) => a.startsWith("ec2:"))).toBe(false);
        expect(rs.outputs.hasNetwork).toBe(false);
        expect(rs.outputs.networkId).toBeUndefined();
    });
});

describe("AwsFoundation in prod", () => {
    it("protects the buckets and the key, and nothing else: not the component, not the network", async () => {
        const rs = await runAws(() => ({}), {
            stack: "prod",
            needs: { interfaceEndpoints: ["kinesis-streams"], internetEgress: { pipeline: "inference", level: 5 } },
        });
        expect(
            rs
                .filter((r) => r.protect)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
        ).toEqual([`${KEY} foundation-key`, `${BUCKET} foundation-artifacts`, `${BUCKET} foundation-data`]);
        expect(one(rs, FOUNDATION_TYPE).protect).toBe(false);
        // What a level adds is there, and removable.
        expect(ofType(rs, ENDPOINT).length).toBeGreaterThan(1);
        expect(one(rs, "aws:ec2/natGateway:NatGateway").protect).toBe(false);
    });
});

describe("AwsFoundation with interface endpoints", () => {
    it("creates each endpoint once however many capabilities ask, reachable from job compute only", async () => {
        const rs = await runAws((_ctx, f) => ({ found: f.endpointsOf(ECR_ENDPOINT_SERVICES).length }), {
            needs: mergeNeeds([{ interfaceEndpoints: ECR_ENDPOINT_SERVICES }, { interfaceEndpoints: ["ecr.api"] }]),
        });
        expect(rs.outputs.found).toBe(2);
        const iface = ofType(rs, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(iface.map((e) => e.inputs.serviceName).sort()).toEqual([
            `com.amazonaws.${REGION}.ecr.api`,
            `com.amazonaws.${REGION}.ecr.dkr`,
        ]);
        for (const e of iface) expect(e.inputs.privateDnsEnabled).toBe(true);
        const ingress = one(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        const jobSg = ofType(rs, "aws:ec2/securityGroup:SecurityGroup").find((s) => s.name === "foundation-job-sg")!;
        expect(ingress.inputs).toMatchObject({
            referencedSecurityGroupId: jobSg.outputs.id,
            fromPort: 443,
            toPort: 443,
        });
        expect(untagged(rs)).toEqual([]);
    });

    it("has none unless asked, and names the missing service to a component that needs one", async () => {
        await expect(
            runAws((_ctx, f) => {
                f.endpointsOf(["sts"]);
                return undefined;
            }),
        ).rejects.toThrow(/no interface endpoint for sts/);
        const rs = await runAws(() => undefined);
        expect(ofType(rs, ENDPOINT).map((e) => e.inputs.vpcEndpointType)).toEqual(["Gateway"]);
        expect(ofType(rs, "aws:ec2/natGateway:NatGateway")).toEqual([]);
    });

    it("refuses needs it has no piece for, and any need without the network", () => {
        const ctx = testContext();
        expect(() => new AwsFoundation("f", { ctx, network: true, kubernetesSubnet: true })).toThrow(
            /AWS foundation has no kubernetesSubnet/,
        );
        expect(() => new AwsFoundation("f", { ctx, network: false, interfaceEndpoints: ["sts"] })).toThrow(
            /interfaceEndpoints need the private network/,
        );
    });
});

describe("AwsFoundation with the NAT: the NAT carries the light API traffic, interface endpoints only the rest", () => {
    let rs: PlannedResource[] & { outputs: Record<string, unknown> };
    beforeAll(async () => {
        rs = await runAws(
            (_ctx, f) => ({
                carriers: f.endpointsOf([...NAT_CARRIED_SERVICES]).length,
                kinesis: f.endpointsOf(["kinesis-streams"]).length,
                natCarriesEcr: f.natCarries(ECR_ENDPOINT_SERVICES),
                natCarriesKinesis: f.natCarries(["kinesis-streams"]),
                internetSg: f.internetSecurityGroupId,
            }),
            {
                // What a Kubernetes level (the five) and a streaming level (Kinesis) ask for together.
                needs: mergeNeeds([
                    {
                        interfaceEndpoints: [...NAT_CARRIED_SERVICES],
                        internetEgress: { pipeline: "inference", level: 5 },
                    },
                    { interfaceEndpoints: ["kinesis-streams"] },
                ]),
            },
        );
    });

    it("builds no endpoint for ecr.api, ecr.dkr, ec2, sts, autoscaling; Kinesis keeps its own", () => {
        const iface = ofType(rs, ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(iface.map((e) => e.inputs.serviceName)).toEqual([`com.amazonaws.${REGION}.kinesis-streams`]);
        expect(rs.outputs).toMatchObject({ carriers: 1, kinesis: 1, natCarriesEcr: true, natCarriesKinesis: false });
    });

    it("places the NAT's public subnet by zone ID too, and offers an HTTPS-out group for compute behind it", () => {
        const pub = ofType(rs, "aws:ec2/subnet:Subnet").find((s) => s.name === "foundation-egress-public")!;
        expect(pub.inputs.availabilityZoneId).toBe("use1-az4");
        const sg = ofType(rs, "aws:ec2/securityGroup:SecurityGroup").find(
            (s) => s.name === "foundation-egress-https-out",
        )!;
        expect(rs.outputs.internetSg).toBe(sg.outputs.id);
        const out = ofType(rs, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter(
            (r) => r.inputs.securityGroupId === sg.outputs.id,
        );
        expect(out.map((r) => r.inputs)).toEqual([
            expect.objectContaining({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }),
        ]);
        expect(
            ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(
                (r) => r.inputs.securityGroupId,
            ),
        ).not.toContain(sg.outputs.id);
    });

    it("without the NAT, the same services get endpoints (the only path)", async () => {
        const alone = await runAws(() => undefined, { needs: { interfaceEndpoints: ECR_ENDPOINT_SERVICES } });
        expect(
            ofType(alone, ENDPOINT)
                .filter((e) => e.inputs.vpcEndpointType === "Interface")
                .map((e) => e.inputs.serviceName),
        ).toEqual([`com.amazonaws.${REGION}.ecr.api`, `com.amazonaws.${REGION}.ecr.dkr`]);
        expect(ofType(alone, "aws:ec2/securityGroup:SecurityGroup").map((s) => s.name)).not.toContain(
            "foundation-egress-https-out",
        );
    });
});

describe("AwsFoundation uploads the reference pipeline's files it is asked for", () => {
    let rs: PlannedResource[] & { outputs: Record<string, unknown> };
    const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
    beforeAll(async () => {
        rs = await runAws((_ctx, f) => ({ jobs: f.sampleUri("jobs-package"), data: f.sampleUri("sample-data") }), {
            needs: mergeNeeds([{ samples: ["jobs-package", "sample-data"] }, { samples: ["jobs-package"] }]),
        });
    });

    it("uploads each file once, to its samples/ key in its bucket, encrypted with the foundation key", () => {
        const objects = ofType(rs, OBJECT);
        expect(objects.map((o) => o.name).sort()).toEqual([
            "foundation-sample-jobs-package",
            "foundation-sample-sample-data",
        ]);
        const key = one(rs, KEY);
        const buckets = Object.fromEntries(ofType(rs, BUCKET).map((b) => [b.name, b.outputs.id]));
        for (const [name, bucket] of [
            ["jobs-package", "foundation-artifacts"],
            ["sample-data", "foundation-data"],
        ] as const) {
            const a = sampleArtifact(name);
            const o = objects.find((x) => x.name === `foundation-sample-${name}`)!;
            expect(o.inputs).toMatchObject({
                bucket: buckets[bucket],
                key: a.key,
                contentType: a.contentType,
                serverSideEncryption: "aws:kms",
                kmsKeyId: key.outputs.arn,
                bucketKeyEnabled: true,
            });
            expect(String(o.inputs.key)).toMatch(/^samples\//);
            // The offline engine shows a file asset without its path (a promise inside the SDK).
            expect(o.inputs.source).toMatchObject({ __pulumiAsset: true });
            expect(o.parent).toBe(one(rs, FOUNDATION_TYPE).urn);
        }
        expect(rs.outputs.jobs).toBe(`s3://${buckets["foundation-artifacts"]}/samples/jobs/jobs.zip`);
        expect(untagged(rs)).toEqual([]);
    });

    it("uploads nothing unless asked, and names the file to a reader that was not passed its need", async () => {
        await expect(
            runAws((_ctx, f) => {
                f.sampleObject("sagemaker-model");
                return undefined;
            }),
        ).rejects.toThrow(
            /the AWS foundation did not upload sample 'sagemaker-model': declare it in the capability's needs/,
        );
    });
});

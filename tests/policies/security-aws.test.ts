import type { EngineResource } from "../../policies/engine";
import { checkStack, describeRules, urnOf } from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INSTANCE = "aws:ec2/instance:Instance";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const EKS = "aws:eks/cluster:Cluster";
const ECR = "aws:ecr/repository:Repository";
const LOGS = "aws:cloudwatch/logGroup:LogGroup";

const instance = {
    instanceType: "m7i.large",
    subnetId: "subnet-1",
    metadataOptions: { httpTokens: "required" },
    rootBlockDevice: { encrypted: true },
    associatePublicIpAddress: false,
};
const eks = {
    roleArn: "arn:aws:iam::1:role/eks",
    vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false, endpointPrivateAccess: true },
    encryptionConfig: { provider: { keyArn: "arn:aws:kms:us-east-1:1:key/k" }, resources: ["secrets"] },
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
};

describeRules([
    {
        rule: "aws-no-admin-ports-from-internet",
        type: SG,
        baseline: {
            vpcId: "vpc-1",
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
        },
        cases: [
            [
                "SSH from the internet",
                { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
                ["SecurityGroup 'r' opens port(s) 22 to the internet"],
            ],
            [
                "RDP from ::/0",
                { ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, ipv6CidrBlocks: ["::/0"] }] },
                ["SecurityGroup 'r' opens port(s) 3389 to the internet"],
            ],
            [
                "SSH from the VPC only",
                { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] },
                [],
            ],
            [
                "all traffic from the internet",
                { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
                ["SecurityGroup 'r' opens port(s) 22, 3389, 5985, 5986, 2375, 2376, 6443, 10250 to the internet"],
            ],
        ],
    },
    {
        rule: "aws-no-admin-ports-from-internet",
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        baseline: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
        cases: [
            [
                "a range over 22",
                { fromPort: 20, toPort: 30 },
                ["SecurityGroupIngressRule 'r' opens port(s) 22 to the internet"],
            ],
        ],
    },
    {
        rule: "aws-no-admin-ports-from-internet",
        type: "aws:ec2/securityGroupRule:SecurityGroupRule",
        baseline: {
            type: "egress",
            securityGroupId: "sg-1",
            protocol: "tcp",
            fromPort: 22,
            toPort: 22,
            cidrBlocks: ["0.0.0.0/0"],
        },
        cases: [
            [
                "the same rule as ingress",
                { type: "ingress" },
                ["SecurityGroupRule 'r' opens port(s) 22 to the internet"],
            ],
        ],
        config: { "aws-no-admin-ports-from-internet": { adminPorts: [22] } },
    },
    {
        rule: "aws-ec2-imdsv2",
        type: INSTANCE,
        baseline: instance,
        cases: [
            [
                "httpTokens optional",
                { "metadataOptions.httpTokens": "optional" },
                ["Instance 'r' does not require IMDSv2 (metadataOptions.httpTokens is optional)"],
            ],
            [
                "no metadata options",
                { metadataOptions: undefined },
                ["Instance 'r' does not require IMDSv2 (metadataOptions.httpTokens is unset)"],
            ],
            ["options from a launch template", { metadataOptions: undefined, launchTemplate: { id: "lt-1" } }, []],
        ],
    },
    {
        rule: "aws-ec2-imdsv2",
        type: LT,
        baseline: { metadataOptions: { httpTokens: "required" } },
        cases: [
            [
                "httpTokens optional",
                { "metadataOptions.httpTokens": "optional" },
                ["LaunchTemplate 'r' does not require IMDSv2 (metadataOptions.httpTokens is optional)"],
            ],
        ],
    },
    {
        rule: "aws-ebs-encrypted",
        type: INSTANCE,
        baseline: { ...instance, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] },
        cases: [
            [
                "unencrypted root",
                { "rootBlockDevice.encrypted": false },
                ["Instance 'r' has unencrypted EBS storage: root volume"],
            ],
            [
                "unencrypted data volume",
                { ebsBlockDevices: [{ deviceName: "/dev/sdf" }] },
                ["Instance 'r' has unencrypted EBS storage: ebsBlockDevices[0]"],
            ],
        ],
    },
    {
        rule: "aws-ebs-encrypted",
        type: LT,
        baseline: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 50 } }] },
        cases: [
            [
                "unencrypted mapping",
                { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 50 } }] },
                ["LaunchTemplate 'r' has unencrypted EBS storage: blockDeviceMappings[0]"],
            ],
        ],
    },
    {
        rule: "aws-ebs-encrypted",
        type: "aws:ebs/volume:Volume",
        baseline: { availabilityZone: "us-east-1a", size: 10, encrypted: true },
        cases: [["unencrypted", { encrypted: false }, ["Volume 'r' has unencrypted EBS storage: volume"]]],
    },
    {
        rule: "aws-no-public-ip",
        type: INSTANCE,
        baseline: instance,
        cases: [["public IP", { associatePublicIpAddress: true }, ["Instance 'r' assigns public IP addresses"]]],
    },
    {
        rule: "aws-no-public-ip",
        type: "aws:ec2/subnet:Subnet",
        baseline: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/20", mapPublicIpOnLaunch: false },
        cases: [["maps public IPs", { mapPublicIpOnLaunch: true }, ["Subnet 'r' assigns public IP addresses"]]],
    },
    {
        rule: "aws-no-public-ip",
        type: LT,
        baseline: { networkInterfaces: [{ associatePublicIpAddress: "false" }] },
        cases: [
            [
                "public IP on an interface",
                { networkInterfaces: [{ associatePublicIpAddress: "true" }] },
                ["LaunchTemplate 'r' assigns public IP addresses"],
            ],
        ],
    },
    {
        rule: "aws-kms-key-rotation",
        type: "aws:kms/key:Key",
        baseline: { enableKeyRotation: true },
        cases: [
            ["no rotation", { enableKeyRotation: false }, ["Key 'r' has no automatic rotation (enableKeyRotation)"]],
            ["asymmetric key (cannot rotate)", { enableKeyRotation: false, customerMasterKeySpec: "RSA_2048" }, []],
        ],
    },
    {
        rule: "aws-log-group-encrypted",
        type: LOGS,
        baseline: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/k", retentionInDays: 30 },
        cases: [["no key", { kmsKeyId: undefined }, ["LogGroup 'r' is not encrypted with a KMS key (kmsKeyId)"]]],
    },
    {
        rule: "aws-log-group-retention",
        type: LOGS,
        baseline: { kmsKeyId: "k", retentionInDays: 30 },
        cases: [
            ["no retention", { retentionInDays: undefined }, ["LogGroup 'r' sets no retention (retentionInDays)"]],
            ["too short", { retentionInDays: 7 }, ["LogGroup 'r' keeps logs 7 days, less than 30"]],
        ],
    },
    {
        rule: "aws-eks-endpoint-private",
        type: EKS,
        baseline: eks,
        cases: [
            [
                "public endpoint by default",
                { "vpcConfig.endpointPublicAccess": undefined },
                [
                    "Cluster 'r' exposes its API endpoint to the whole internet; set endpointPublicAccess false or publicAccessCidrs",
                ],
            ],
            [
                "public to listed CIDRs",
                { "vpcConfig.endpointPublicAccess": true, "vpcConfig.publicAccessCidrs": ["203.0.113.0/24"] },
                [],
            ],
            [
                "public to 0.0.0.0/0",
                { "vpcConfig.endpointPublicAccess": true, "vpcConfig.publicAccessCidrs": ["0.0.0.0/0"] },
                [
                    "Cluster 'r' exposes its API endpoint to the whole internet; set endpointPublicAccess false or publicAccessCidrs",
                ],
            ],
        ],
    },
    {
        rule: "aws-eks-secrets-encrypted",
        type: EKS,
        baseline: eks,
        cases: [
            [
                "no encryption config",
                { encryptionConfig: undefined },
                ["Cluster 'r' does not encrypt Kubernetes secrets with KMS"],
            ],
        ],
    },
    {
        rule: "aws-eks-control-plane-logs",
        type: EKS,
        baseline: eks,
        cases: [
            ["audit log off", { enabledClusterLogTypes: ["api", "authenticator"] }, ["Cluster 'r' does not log audit"]],
        ],
    },
    {
        rule: "aws-ecr-immutable-tags",
        type: ECR,
        baseline: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } },
        cases: [
            [
                "mutable",
                { imageTagMutability: "MUTABLE" },
                ["Repository 'r' has mutable image tags (imageTagMutability MUTABLE)"],
            ],
            [
                "default (mutable)",
                { imageTagMutability: undefined },
                ["Repository 'r' has mutable image tags (imageTagMutability MUTABLE)"],
            ],
        ],
    },
    {
        rule: "aws-ecr-scan-on-push",
        type: ECR,
        baseline: { imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true } },
        cases: [
            ["no scan", { imageScanningConfiguration: undefined }, ["Repository 'r' does not scan images on push"]],
        ],
    },
    {
        rule: "aws-kinesis-encrypted",
        type: "aws:kinesis/stream:Stream",
        baseline: {
            encryptionType: "KMS",
            kmsKeyId: "alias/aws/kinesis",
            streamModeDetails: { streamMode: "ON_DEMAND" },
        },
        cases: [
            ["unencrypted", { encryptionType: "NONE" }, ["Stream 'r' is not encrypted with KMS (encryptionType NONE)"]],
        ],
    },
    {
        rule: "aws-msk-tls-in-transit",
        type: "aws:msk/cluster:Cluster",
        baseline: {
            kafkaVersion: "3.6.0",
            numberOfBrokerNodes: 3,
            encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
        },
        cases: [
            [
                "plaintext allowed",
                { "encryptionInfo.encryptionInTransit.clientBroker": "TLS_PLAINTEXT" },
                ["Cluster 'r' allows plaintext client traffic (clientBroker TLS_PLAINTEXT)"],
            ],
            [
                "no in-cluster TLS",
                { "encryptionInfo.encryptionInTransit.inCluster": false },
                ["Cluster 'r' does not encrypt traffic between brokers (inCluster false)"],
            ],
        ],
    },
    {
        rule: "aws-emr-security-configuration",
        type: "aws:emr/cluster:Cluster",
        baseline: { releaseLabel: "emr-7.2.0", serviceRole: "r", securityConfiguration: "mlops-emr-sec" },
        cases: [["none", { securityConfiguration: undefined }, ["Cluster 'r' has no security configuration"]]],
    },
    {
        rule: "aws-sagemaker-endpoint-kms",
        type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
        baseline: {
            kmsKeyArn: "arn:aws:kms:us-east-1:1:key/k",
            productionVariants: [{ modelName: "m", instanceType: "ml.m5.large", initialInstanceCount: 1 }],
        },
        cases: [
            [
                "no key",
                { kmsKeyArn: undefined },
                ["EndpointConfiguration 'r' does not encrypt endpoint storage with KMS (kmsKeyArn)"],
            ],
            [
                "serverless only (no key possible)",
                {
                    kmsKeyArn: undefined,
                    productionVariants: [
                        { modelName: "m", serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 5 } },
                    ],
                },
                [],
            ],
        ],
    },
]);

describe("S3 bucket stack rules", () => {
    const bucket: EngineResource = {
        type: "aws:s3/bucket:Bucket",
        name: "data",
        urn: urnOf("aws:s3/bucket:Bucket", "data"),
        props: { bucket: "data-abc" },
    };
    const companion = (type: string, name: string, props: Record<string, unknown>): EngineResource => ({
        type,
        name,
        urn: urnOf(type, name),
        props: { bucket: "unknown-during-preview", ...props },
        dependencies: [bucket.urn],
    });
    const pab = companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "pab", {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    const sse = companion(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "sse",
        {
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
        },
    );
    const ver = companion("aws:s3/bucketVersioning:BucketVersioning", "ver", {
        versioningConfiguration: { status: "Enabled" },
    });
    const tls = companion("aws:s3/bucketPolicy:BucketPolicy", "pol", {
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: "*",
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ],
        }),
    });
    const all = [bucket, pab, sse, ver, tls];
    const without = (r: EngineResource) => all.filter((x) => x !== r);

    it.each(["aws-s3-public-access-blocked", "aws-s3-encrypted", "aws-s3-versioned", "aws-s3-tls-only"])(
        "%s passes a fully configured bucket",
        async (name) => {
            expect(await checkStack(name, all)).toEqual([]);
        },
    );
    it.each([
        ["aws-s3-public-access-blocked", pab, "S3 bucket 'data' has no BucketPublicAccessBlock"],
        ["aws-s3-encrypted", sse, "S3 bucket 'data' has no default server-side encryption"],
        ["aws-s3-versioned", ver, "S3 bucket 'data' has no versioning enabled"],
        ["aws-s3-tls-only", tls, "S3 bucket 'data' has no bucket policy denying aws:SecureTransport false"],
    ])("%s flags a bucket without its companion", async (name, missing, message) => {
        expect(await checkStack(name, without(missing))).toEqual([{ message, urn: bucket.urn }]);
    });
    it("flags a public access block with one setting off", async () => {
        const half = { ...pab, props: { ...pab.props, restrictPublicBuckets: false } };
        expect(await checkStack("aws-s3-public-access-blocked", [bucket, half])).toEqual([
            {
                message: "S3 bucket 'data' has a public access block with restrictPublicBuckets not true",
                urn: bucket.urn,
            },
        ]);
    });
    it("matches a companion by literal bucket name when there is no dependency", async () => {
        const byName = { ...ver, dependencies: [], props: { ...ver.props, bucket: "data-abc" } };
        expect(await checkStack("aws-s3-versioned", [bucket, byName])).toEqual([]);
    });
    it("flags suspended versioning", async () => {
        const off = { ...ver, props: { ...ver.props, versioningConfiguration: { status: "Suspended" } } };
        expect(await checkStack("aws-s3-versioned", [bucket, off])).toEqual([
            { message: "S3 bucket 'data' has no versioning enabled", urn: bucket.urn },
        ]);
    });
});

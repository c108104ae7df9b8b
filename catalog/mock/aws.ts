import { prebuiltAccount } from "../public-artifacts";
import { hex, MOCK_ACCOUNT, MOCK_CA, type MockCall, type MockState, str } from "./helpers";

/** A 12-character-or-longer lowercase hex id with an AWS prefix (vpc-, subnet-, i-…). */
const awsId = (prefix: string, name: string, n = 17) => `${prefix}-${hex(name, n)}`;
const arnOf = (service: string, region: string, resource: string) =>
    `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;

// Computed outputs of AWS resource types beyond the engine's generic ones, shaped like the
// cloud's own. Each is named in its type's catalogue entry (catalog/aws.ts).

/** aws:s3/bucketV2:BucketV2 */
export const bucketV2: MockState = (a, r) => ({
    bucket: a.inputs.bucket ?? a.name,
    arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`,
    bucketRegionalDomainName: `${a.inputs.bucket ?? a.name}.s3.${r}.amazonaws.com`,
});

/** aws:s3/bucket:Bucket */
export const bucket: MockState = (a, r) => ({
    id: a.inputs.bucket ?? a.name,
    bucket: a.inputs.bucket ?? a.name,
    arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`,
    bucketDomainName: `${a.inputs.bucket ?? a.name}.s3.amazonaws.com`,
    bucketRegionalDomainName: `${a.inputs.bucket ?? a.name}.s3.${r}.amazonaws.com`,
    hostedZoneId: "Z3AQBSTGFYJSTF",
    region: r,
});

/**
 * aws:s3/bucketObjectv2:BucketObjectv2 (and the older BucketObject): the object's id is its key; a
 * versioned bucket gives each upload a version id, and S3 an ETag.
 */
export const bucketObject: MockState = (a) => ({
    id: a.inputs.key ?? a.name,
    versionId: hex(`${a.name}${String(a.inputs.key)}`, 32),
    etag: hex(`${a.name}etag`, 32),
});

/** aws:kms/key:Key */
export const key: MockState = (a, r) => {
    const keyId = `${hex(a.name, 8)}-0000-4000-8000-${hex(a.name, 12)}`;
    return { id: keyId, keyId, arn: arnOf("kms", r, `key/${keyId}`), rotationPeriodInDays: 365 };
};

/** aws:kms/alias:Alias */
export const alias: MockState = (a, r) => ({ arn: arnOf("kms", r, String(a.inputs.name ?? `alias/${a.name}`)) });

/** aws:iam/role:Role */
export const role: MockState = (a) => {
    const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
    return {
        id: name,
        name,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${name}`,
        uniqueId: `AROA${hex(a.name, 16).toUpperCase()}`,
    };
};

/** aws:iam/rolePolicy:RolePolicy */
export const rolePolicy: MockState = (a) => {
    const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
    return { id: `${a.inputs.role}:${name}`, name };
};

/** aws:iam/instanceProfile:InstanceProfile */
export const instanceProfile: MockState = (a) => {
    const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
    return {
        id: name,
        name,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile/${name}`,
        uniqueId: `AIPA${hex(a.name, 16).toUpperCase()}`,
    };
};

/** aws:ec2/vpc:Vpc */
export const vpc: MockState = (a, r) => {
    const id = awsId("vpc", a.name);
    return {
        id,
        arn: arnOf("ec2", r, `vpc/${id}`),
        defaultSecurityGroupId: awsId("sg", `${a.name}sg`),
        mainRouteTableId: awsId("rtb", a.name),
        defaultNetworkAclId: awsId("acl", a.name),
        ownerId: MOCK_ACCOUNT,
    };
};

/** aws:ec2/subnet:Subnet */
export const subnet: MockState = (a, r) => {
    const id = awsId("subnet", a.name);
    return {
        id,
        arn: arnOf("ec2", r, `subnet/${id}`),
        availabilityZoneId: a.inputs.availabilityZoneId ?? `use1-az${(parseInt(hex(a.name, 2), 16) % 6) + 1}`,
        ownerId: MOCK_ACCOUNT,
    };
};

/** aws:ec2/securityGroup:SecurityGroup */
export const securityGroup: MockState = (a, r) => {
    const id = awsId("sg", a.name);
    return { id, arn: arnOf("ec2", r, `security-group/${id}`), ownerId: MOCK_ACCOUNT, ingress: [], egress: [] };
};

/** aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule */
export const securityGroupEgressRule: MockState = (a, r) => {
    const id = awsId("sgr", a.name);
    return { id, arn: arnOf("ec2", r, `security-group-rule/${id}`), securityGroupRuleId: id };
};

/** aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule */
export const securityGroupIngressRule: MockState = (a, r) => {
    const id = awsId("sgr", a.name);
    return { id, arn: arnOf("ec2", r, `security-group-rule/${id}`), securityGroupRuleId: id };
};

/** aws:ec2/routeTable:RouteTable */
export const routeTable: MockState = (a, r) => {
    const id = awsId("rtb", a.name);
    return { id, arn: arnOf("ec2", r, `route-table/${id}`), ownerId: MOCK_ACCOUNT };
};

/** aws:ec2/routeTableAssociation:RouteTableAssociation */
export const routeTableAssociation: MockState = (a) => ({ id: awsId("rtbassoc", a.name) });

/** aws:ec2/route:Route */
export const route: MockState = (a) => ({
    // The provider's id: route table id, underscore, a hash of the destination.
    id: `r-${a.inputs.routeTableId}${parseInt(hex(a.name, 7), 16)}`,
    state: "active",
    origin: "CreateRoute",
});

/** aws:ec2/internetGateway:InternetGateway */
export const internetGateway: MockState = (a, r) => {
    const id = awsId("igw", a.name);
    return { id, arn: arnOf("ec2", r, `internet-gateway/${id}`), ownerId: MOCK_ACCOUNT };
};

/** aws:ec2/eip:Eip */
export const eip: MockState = (a, r) => {
    const allocationId = awsId("eipalloc", a.name);
    const ip = `3.${parseInt(hex(a.name, 2), 16) % 200}.${parseInt(hex(`${a.name}b`, 2), 16)}.${(parseInt(hex(`${a.name}c`, 2), 16) % 250) + 1}`;
    return {
        id: allocationId,
        allocationId,
        arn: arnOf("ec2", r, `elastic-ip/${allocationId}`),
        publicIp: ip,
        publicDns: `ec2-${ip.replace(/\./g, "-")}.compute-1.amazonaws.com`,
        domain: a.inputs.domain ?? "vpc",
        networkBorderGroup: r,
    };
};

/** aws:ec2/natGateway:NatGateway */
export const natGateway: MockState = (a) => ({
    id: awsId("nat", a.name),
    networkInterfaceId: awsId("eni", a.name),
    privateIp: "10.40.32.10",
    publicIp: "3.90.12.34",
    connectivityType: a.inputs.connectivityType ?? "public",
    availabilityMode: "zonal",
});

/** aws:ec2/vpcEndpoint:VpcEndpoint */
export const vpcEndpoint: MockState = (a, r) => {
    const id = awsId("vpce", a.name);
    const service = String(a.inputs.serviceName ?? "");
    const gateway = a.inputs.vpcEndpointType === "Gateway";
    return {
        id,
        arn: arnOf("ec2", r, `vpc-endpoint/${id}`),
        state: "available",
        // The real AWS-managed S3 prefix list of us-east-1; other regions have their own id.
        prefixListId: gateway ? "pl-63a5400a" : undefined,
        cidrBlocks: gateway ? ["16.15.192.0/18", "52.216.0.0/15"] : [],
        dnsEntries: gateway
            ? []
            : [
                  {
                      dnsName: `${id}-${hex(a.name, 8)}.${service.split(".").slice(3).join(".")}.${r}.vpce.amazonaws.com`,
                      hostedZoneId: "Z7HUB22UULQXV",
                  },
              ],
        networkInterfaceIds: gateway ? [] : [awsId("eni", a.name)],
    };
};

/** aws:ec2/flowLog:FlowLog */
export const flowLog: MockState = (a, r) => {
    const id = awsId("fl", a.name);
    return { id, arn: arnOf("ec2", r, `vpc-flow-log/${id}`) };
};

/** aws:ec2/instance:Instance */
export const instance: MockState = (a, r) => {
    const id = awsId("i", a.name);
    return {
        id,
        arn: arnOf("ec2", r, `instance/${id}`),
        privateIp: `10.40.${parseInt(hex(a.name, 2), 16) % 16}.${(parseInt(hex(`${a.name}ip`, 2), 16) % 250) + 4}`,
        privateDns: `ip-10-40-0-10.ec2.internal`,
        publicIp: "",
        instanceState: "running",
        primaryNetworkInterfaceId: awsId("eni", a.name),
    };
};

/** aws:cloudwatch/logGroup:LogGroup */
export const logGroup: MockState = (a, r) => {
    const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
    // Without the ":*" suffix, as the provider returns it since v4.
    return { id: name, name, arn: arnOf("logs", r, `log-group:${name}`) };
};

/** aws:sfn/stateMachine:StateMachine */
export const stateMachine: MockState = (a, r) => {
    const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
    const arn = arnOf("states", r, `stateMachine:${name}`);
    return {
        id: arn,
        name,
        arn,
        status: "ACTIVE",
        revisionId: hex(a.name, 32),
        creationDate: "2025-01-01T00:00:00Z",
    };
};

/** aws:scheduler/schedule:Schedule */
export const schedule: MockState = (a, r) => {
    const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
    const group = a.inputs.groupName ?? "default";
    return {
        id: `${group}/${name}`,
        name,
        groupName: group,
        arn: arnOf("scheduler", r, `schedule/${group}/${name}`),
    };
};

/** aws:eks/cluster:Cluster */
export const cluster: MockState = (a, r) => ({
    endpoint: `https://${hex(a.name, 32).toUpperCase()}.gr7.${r}.eks.amazonaws.com`,
    certificateAuthority: { data: MOCK_CA },
    identities: [{ oidcs: [{ issuer: `https://oidc.eks.${r}.amazonaws.com/id/${hex(a.name, 32).toUpperCase()}` }] }],
    vpcConfig: {
        ...((a.inputs.vpcConfig as Record<string, unknown> | undefined) ?? {}),
        clusterSecurityGroupId: `sg-${hex(`${a.name}cluster`, 17)}`,
        vpcId: `vpc-${hex("foundation-vpc", 17)}`,
    },
    arn: `arn:aws:eks:${r}:${MOCK_ACCOUNT}:cluster/${a.inputs.name ?? a.name}`,
    platformVersion: "eks.3",
    status: "ACTIVE",
    version: a.inputs.version ?? "1.35",
});

/** aws:sagemaker/endpoint:Endpoint */
export const endpoint: MockState = (a, r) => {
    const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
    return { id: name, name, arn: arnOf("sagemaker", r, `endpoint/${name.toLowerCase()}`) };
};

/** --- AWS: ECR, SageMaker hosting, IAM managed policies */
export const repository: MockState = (a, r) => {
    const name = str(a.inputs.name, a.name);
    return {
        id: name,
        name,
        arn: arnOf("ecr", r, `repository/${name}`),
        registryId: MOCK_ACCOUNT,
        repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${r}.amazonaws.com/${name}`,
    };
};

/** EMR Serverless application ids are 16-18 lowercase alphanumerics starting with "00". */
export const emrserverlessApplication: MockState = (a, r) => {
    const id = `00${hex(a.name, 14)}`;
    return {
        id,
        arn: `arn:aws:emr-serverless:${r}:${MOCK_ACCOUNT}:/applications/${id}`,
        name: str(a.inputs.name, a.name),
    };
};

/** ---------------- AWS */
export const stream: MockState = (a, r) => {
    const name = str(a.inputs.name, a.name);
    return {
        id: `arn:aws:kinesis:${r}:${MOCK_ACCOUNT}:stream/${name}`,
        name,
        arn: `arn:aws:kinesis:${r}:${MOCK_ACCOUNT}:stream/${name}`,
    };
};

/** aws:kinesisanalyticsv2/application:Application */
export const kinesisanalyticsv2Application: MockState = (a, r) => {
    const name = str(a.inputs.name, a.name);
    const arn = `arn:aws:kinesisanalytics:${r}:${MOCK_ACCOUNT}:application/${name}`;
    return {
        id: arn,
        name,
        arn,
        status: a.inputs.startApplication === true ? "RUNNING" : "READY",
        versionId: 1,
        createTimestamp: "2025-01-15T00:00:00Z",
        lastUpdateTimestamp: "2025-01-15T00:00:00Z",
    };
};

/** aws:cloudwatch/logStream:LogStream */
export const logStream: MockState = (a, r) => {
    const name = str(a.inputs.name, a.name);
    const group = str(a.inputs.logGroupName, "group");
    return {
        id: name,
        name,
        arn: `arn:aws:logs:${r}:${MOCK_ACCOUNT}:log-group:${group}:log-stream:${name}`,
    };
};

/** aws:ecr/lifecyclePolicy:LifecyclePolicy */
export const lifecyclePolicy: MockState = (a) => ({ id: a.inputs.repository, registryId: MOCK_ACCOUNT });

/** aws:ecr/repositoryPolicy:RepositoryPolicy */
export const repositoryPolicy: MockState = (a) => ({ id: a.inputs.repository, registryId: MOCK_ACCOUNT });

/** aws:sagemaker/model:Model */
export const model: MockState = (a, r) => {
    // Auto-named like Pulumi does: the logical name plus a random suffix.
    const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
    return { id: name, name, arn: arnOf("sagemaker", r, `model/${name.toLowerCase()}`) };
};

/** aws:sagemaker/endpointConfiguration:EndpointConfiguration */
export const endpointConfiguration: MockState = (a, r) => {
    const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
    return { id: name, name, arn: arnOf("sagemaker", r, `endpoint-config/${name.toLowerCase()}`) };
};

/** aws:iam/policy:Policy */
export const policy: MockState = (a) => {
    const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
    return {
        id: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${name}`,
        name,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${name}`,
        policyId: `ANPA${hex(a.name, 17).toUpperCase()}`,
        attachmentCount: 0,
    };
};

/** aws:eks/nodeGroup:NodeGroup */
export const nodeGroup: MockState = (a, r) => ({
    nodeGroupName: a.inputs.nodeGroupName ?? a.name,
    arn: `arn:aws:eks:${r}:${MOCK_ACCOUNT}:nodegroup/${a.inputs.clusterName}/${a.inputs.nodeGroupName ?? a.name}/${hex(a.name, 8)}`,
    status: "ACTIVE",
});

/** aws:ec2/launchTemplate:LaunchTemplate */
export const launchTemplate: MockState = (a, r) => {
    const id = `lt-${hex(a.name, 17)}`;
    return {
        id,
        arn: `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:launch-template/${id}`,
        latestVersion: 1,
        defaultVersion: 1,
    };
};

/** aws:iam/openIdConnectProvider:OpenIdConnectProvider */
export const openIdConnectProvider: MockState = (a) => ({
    arn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${String(a.inputs.url ?? "").replace(/^https:\/\//, "")}`,
});

/** aws:iam/rolePolicyAttachment:RolePolicyAttachment */
export const rolePolicyAttachment: MockState = (a) => ({ id: `${a.inputs.role}-${hex(a.name, 8)}` });

// ---------------------------------------------------------------------------------------------
// Provider functions (data sources)

/**
 * An AZ ID's prefix: the region code's first three letters and its number (`us-east-1` → `use1`,
 * `ca-central-1` → `cac1`), as AWS documents AZ IDs. Longer real prefixes (`apse2`) do not matter here.
 */
const zoneIdPrefix = (region: string) =>
    `${region.replace(/[^a-z]/g, "").slice(0, 3)}${/\d+$/.exec(region)?.[0] ?? ""}`;

/**
 * Six zones. Names map to IDs per account; here `<region>a` is `az3`, as in accounts where
 * us-east-1a is use1-az3 (a zone EKS refuses), so code that picks zones by name is caught.
 * Honours `excludeZoneIds` and `excludeNames` as the API does.
 */
export const getAvailabilityZones: MockCall = (a, region) => {
    const prefix = zoneIdPrefix(region);
    const zones = ["a", "b", "c", "d", "e", "f"].map((letter, i) => ({
        name: `${region}${letter}`,
        id: `${prefix}-az${((i + 2) % 6) + 1}`,
    }));
    const ids = new Set((a.inputs.excludeZoneIds as string[] | undefined) ?? []);
    const names = new Set((a.inputs.excludeNames as string[] | undefined) ?? []);
    const kept = zones.filter((z) => !ids.has(z.id) && !names.has(z.name));
    return { names: kept.map((z) => z.name), zoneIds: kept.map((z) => z.id), id: region };
};

export const getCallerIdentity: MockCall = () => ({
    accountId: MOCK_ACCOUNT,
    arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/mock`,
    userId: "AIDAMOCK",
});

export const getRegion: MockCall = (_a, region) => ({ name: region, region, id: region });

export const getPartition: MockCall = () => ({ partition: "aws", dnsSuffix: "amazonaws.com" });

/** The real AWS-managed S3 prefix list of us-east-1. */
export const getPrefixList: MockCall = (_a, region) => ({
    id: "pl-63a5400a",
    name: `com.amazonaws.${region}.s3`,
    cidrBlocks: ["52.216.0.0/15"],
});

export const getParameter: MockCall = (a) => ({
    name: a.inputs.name,
    value: "ami-0123456789abcdef0",
    type: "String",
    version: 1,
});

/**
 * aws:sagemaker/getPrebuiltEcrImage: the account AWS publishes the repository from in the region
 * (catalog/public-artifacts.ts), and the provider's default tag `1`. A repository that table does
 * not know fails, as the provider fails for a region it has no account for.
 */
export const getPrebuiltEcrImage: MockCall = (a, region) => {
    const repository = String(a.inputs.repositoryName);
    const account = prebuiltAccount(repository, region);
    if (account === undefined)
        throw new Error(
            `no SageMaker prebuilt registry known for repository '${repository}' in ${region}: add it to catalog/public-artifacts.ts`,
        );
    return {
        registryPath: `${account}.dkr.ecr.${region}.amazonaws.com/${repository}:${a.inputs.imageTag ?? "1"}`,
        registryId: account,
    };
};

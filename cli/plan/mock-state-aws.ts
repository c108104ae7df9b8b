import type { StateFn } from "./mock-state";
import { hex, MOCK_ACCOUNT, MOCK_CA } from "./mock-state";

/** A 12-character-or-longer lowercase hex id with an AWS prefix (vpc-, subnet-, i-…). */
const awsId = (prefix: string, name: string, n = 17) => `${prefix}-${hex(name, n)}`;
const arnOf = (service: string, region: string, resource: string) =>
    `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;

/** Computed outputs of aws resource types, beyond the generic ones. */
export const awsState: Record<string, StateFn> = {
    "aws:s3/bucketV2:BucketV2": (a, r) => ({
        bucket: a.inputs.bucket ?? a.name,
        arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`,
        bucketRegionalDomainName: `${a.inputs.bucket ?? a.name}.s3.${r}.amazonaws.com`,
    }),
    "aws:s3/bucket:Bucket": (a, r) => ({
        id: a.inputs.bucket ?? a.name,
        bucket: a.inputs.bucket ?? a.name,
        arn: `arn:aws:s3:::${a.inputs.bucket ?? a.name}`,
        bucketDomainName: `${a.inputs.bucket ?? a.name}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${a.inputs.bucket ?? a.name}.s3.${r}.amazonaws.com`,
        hostedZoneId: "Z3AQBSTGFYJSTF",
        region: r,
    }),
    "aws:kms/key:Key": (a, r) => {
        const keyId = `${hex(a.name, 8)}-0000-4000-8000-${hex(a.name, 12)}`;
        return { id: keyId, keyId, arn: arnOf("kms", r, `key/${keyId}`), rotationPeriodInDays: 365 };
    },
    "aws:kms/alias:Alias": (a, r) => ({ arn: arnOf("kms", r, String(a.inputs.name ?? `alias/${a.name}`)) }),
    "aws:iam/role:Role": (a) => {
        const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
        return {
            id: name,
            name,
            arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${name}`,
            uniqueId: `AROA${hex(a.name, 16).toUpperCase()}`,
        };
    },
    "aws:iam/rolePolicy:RolePolicy": (a) => {
        const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
        return { id: `${a.inputs.role}:${name}`, name };
    },
    "aws:iam/instanceProfile:InstanceProfile": (a) => {
        const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
        return {
            id: name,
            name,
            arn: `arn:aws:iam::${MOCK_ACCOUNT}:instance-profile/${name}`,
            uniqueId: `AIPA${hex(a.name, 16).toUpperCase()}`,
        };
    },
    "aws:ec2/vpc:Vpc": (a, r) => {
        const id = awsId("vpc", a.name);
        return {
            id,
            arn: arnOf("ec2", r, `vpc/${id}`),
            defaultSecurityGroupId: awsId("sg", `${a.name}sg`),
            mainRouteTableId: awsId("rtb", a.name),
            defaultNetworkAclId: awsId("acl", a.name),
            ownerId: MOCK_ACCOUNT,
        };
    },
    "aws:ec2/subnet:Subnet": (a, r) => {
        const id = awsId("subnet", a.name);
        return {
            id,
            arn: arnOf("ec2", r, `subnet/${id}`),
            availabilityZoneId: `use1-az${(parseInt(hex(a.name, 2), 16) % 6) + 1}`,
            ownerId: MOCK_ACCOUNT,
        };
    },
    "aws:ec2/securityGroup:SecurityGroup": (a, r) => {
        const id = awsId("sg", a.name);
        return { id, arn: arnOf("ec2", r, `security-group/${id}`), ownerId: MOCK_ACCOUNT, ingress: [], egress: [] };
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (a, r) => {
        const id = awsId("sgr", a.name);
        return { id, arn: arnOf("ec2", r, `security-group-rule/${id}`), securityGroupRuleId: id };
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (a, r) => {
        const id = awsId("sgr", a.name);
        return { id, arn: arnOf("ec2", r, `security-group-rule/${id}`), securityGroupRuleId: id };
    },
    "aws:ec2/routeTable:RouteTable": (a, r) => {
        const id = awsId("rtb", a.name);
        return { id, arn: arnOf("ec2", r, `route-table/${id}`), ownerId: MOCK_ACCOUNT };
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (a) => ({ id: awsId("rtbassoc", a.name) }),
    "aws:ec2/route:Route": (a) => ({
        // The provider's id: route table id, underscore, a hash of the destination.
        id: `r-${a.inputs.routeTableId}${parseInt(hex(a.name, 7), 16)}`,
        state: "active",
        origin: "CreateRoute",
    }),
    "aws:ec2/internetGateway:InternetGateway": (a, r) => {
        const id = awsId("igw", a.name);
        return { id, arn: arnOf("ec2", r, `internet-gateway/${id}`), ownerId: MOCK_ACCOUNT };
    },
    "aws:ec2/eip:Eip": (a, r) => {
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
    },
    "aws:ec2/natGateway:NatGateway": (a) => ({
        id: awsId("nat", a.name),
        networkInterfaceId: awsId("eni", a.name),
        privateIp: "10.40.32.10",
        publicIp: "3.90.12.34",
        connectivityType: a.inputs.connectivityType ?? "public",
        availabilityMode: "zonal",
    }),
    "aws:ec2/vpcEndpoint:VpcEndpoint": (a, r) => {
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
    },
    "aws:ec2/flowLog:FlowLog": (a, r) => {
        const id = awsId("fl", a.name);
        return { id, arn: arnOf("ec2", r, `vpc-flow-log/${id}`) };
    },
    "aws:ec2/instance:Instance": (a, r) => {
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
    },
    "aws:cloudwatch/logGroup:LogGroup": (a, r) => {
        const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
        // Without the ":*" suffix, as the provider returns it since v4.
        return { id: name, name, arn: arnOf("logs", r, `log-group:${name}`) };
    },
    "aws:sfn/stateMachine:StateMachine": (a, r) => {
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
    },
    "aws:scheduler/schedule:Schedule": (a, r) => {
        const name = a.inputs.name ?? `${a.name}-${hex(a.name, 7)}`;
        const group = a.inputs.groupName ?? "default";
        return {
            id: `${group}/${name}`,
            name,
            groupName: group,
            arn: arnOf("scheduler", r, `schedule/${group}/${name}`),
        };
    },
    "aws:eks/cluster:Cluster": (a, r) => ({
        endpoint: `https://${hex(a.name, 32).toUpperCase()}.gr7.${r}.eks.amazonaws.com`,
        certificateAuthority: { data: MOCK_CA },
        identities: [
            { oidcs: [{ issuer: `https://oidc.eks.${r}.amazonaws.com/id/${hex(a.name, 32).toUpperCase()}` }] },
        ],
        version: a.inputs.version ?? "1.33",
    }),
    "aws:sagemaker/endpoint:Endpoint": (a) => ({ name: a.inputs.name ?? a.name }),
    "aws:ecr/repository:Repository": (a, r) => ({
        repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${r}.amazonaws.com/${a.inputs.name ?? a.name}`,
    }),
};

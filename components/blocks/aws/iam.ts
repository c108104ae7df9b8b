import * as pulumi from "@pulumi/pulumi";

/** One IAM policy statement. `Resource` is "*" only for actions that support no resource ARN. */
export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: pulumi.Input<string> | pulumi.Input<string>[];
    Principal?: unknown;
    Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
}

/** Builds `arn:<partition>:<service>:<region>:<account>:<resource>` for the stack's account and region. */
export type ArnOf = (service: string, resource: pulumi.Input<string>) => pulumi.Output<string>;

export function policyJson(statements: readonly Statement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * Trust policy of an EC2 instance role (a VM runner, EKS nodes). No aws:SourceAccount condition:
 * EC2 does not set that key when an instance profile assumes its role, so the condition would
 * leave the instance without credentials; only this account can attach the role to an instance.
 */
export function instanceTrustPolicy(): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
}

/** Trust policy for a service principal, limited to this account (confused-deputy protection). */
export function trustPolicy(service: string, accountId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    });
}

/**
 * The actions each service's documented VPC policy lists for managing the network interfaces it
 * puts into the subnets: SageMaker jobs also delete the permissions they granted; Managed Flink
 * does not ask for that.
 */
export const INTERFACE_MANAGEMENT_ACTIONS = {
    sagemaker: [
        "ec2:CreateNetworkInterfacePermission",
        "ec2:DeleteNetworkInterface",
        "ec2:DeleteNetworkInterfacePermission",
    ],
    flink: ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface"],
} as const;

/**
 * What a service needs to put its compute into the VPC: create and manage network interfaces in
 * these subnets with this security group. Describe* actions support no resource ARN.
 */
export function networkInterfaceStatements(
    arn: ArnOf,
    subnetIds: readonly pulumi.Input<string>[],
    securityGroupId: pulumi.Input<string>,
    service: keyof typeof INTERFACE_MANAGEMENT_ACTIONS,
): Statement[] {
    return [
        {
            Sid: "DescribeNetwork",
            Effect: "Allow",
            Action: [
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeVpcs",
                "ec2:DescribeDhcpOptions",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
            ],
            Resource: "*",
        },
        {
            Sid: "CreateJobInterfaces",
            Effect: "Allow",
            Action: "ec2:CreateNetworkInterface",
            Resource: [
                arn("ec2", "network-interface/*"),
                ...subnetIds.map((id) => arn("ec2", pulumi.interpolate`subnet/${id}`)),
                arn("ec2", pulumi.interpolate`security-group/${securityGroupId}`),
            ],
        },
        {
            Sid: "ManageJobInterfaces",
            Effect: "Allow",
            Action: [...INTERFACE_MANAGEMENT_ACTIONS[service]],
            Resource: arn("ec2", "network-interface/*"),
        },
    ];
}

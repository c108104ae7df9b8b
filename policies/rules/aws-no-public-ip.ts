import { arr, get, isTrue, label, resourceRule } from "../props";

/**
 * Compute gets no public IP address: instances, launch templates and subnets that hand them out.
 * Public source: Checkov CKV_AWS_88 (instance public IP), CKV_AWS_130 (subnet map public IP); AWS Security Hub EC2.9, EC2.15.
 */
export const awsNoPublicIp = resourceRule({
    name: "aws-no-public-ip",
    description: "EC2 instances, launch templates and subnets assign no public IP addresses.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/subnet:Subnet"],
    check: (props, args, report) => {
        let pub = false;
        if (args.type === "aws:ec2/subnet:Subnet") pub = isTrue(props["mapPublicIpOnLaunch"]);
        else if (args.type === "aws:ec2/instance:Instance") pub = isTrue(props["associatePublicIpAddress"]);
        else pub = arr(props["networkInterfaces"]).some((n) => isTrue(get(n, "associatePublicIpAddress")));
        if (pub) report(`${label(args)} assigns public IP addresses`);
    },
});

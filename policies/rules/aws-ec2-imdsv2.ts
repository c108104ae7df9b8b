import { get, label, resourceRule } from "../props";

/**
 * EC2 instances and launch templates require IMDSv2 (session tokens), which blocks SSRF credential theft.
 * Public source: Checkov CKV_AWS_79; AWS Security Hub EC2.8.
 */
export const awsEc2Imdsv2 = resourceRule({
    name: "aws-ec2-imdsv2",
    description: "EC2 instances and launch templates require IMDSv2 (metadataOptions.httpTokens = required).",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"],
    check: (props, args, report) => {
        const tokens = get(props, "metadataOptions.httpTokens");
        // An instance launched from a template takes its metadata options from the template, checked there.
        if (tokens === undefined && args.type === "aws:ec2/instance:Instance" && props["launchTemplate"] !== undefined)
            return;
        if (tokens !== "required")
            report(
                `${label(args)} does not require IMDSv2 (metadataOptions.httpTokens is ${String(tokens ?? "unset")})`,
            );
    },
});

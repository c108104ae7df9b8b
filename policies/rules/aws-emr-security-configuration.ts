import { label, resourceRule } from "../props";

/**
 * EMR clusters run with a security configuration (encryption at rest and in transit).
 * Public source: Checkov CKV_AWS_171 (EMR security configuration encryption); AWS Security Hub EMR.3.
 */
export const awsEmrSecurityConfiguration = resourceRule({
    name: "aws-emr-security-configuration",
    description: "EMR clusters use a security configuration for encryption at rest and in transit.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:emr/cluster:Cluster"],
    check: (props, args, report) => {
        if (typeof props["securityConfiguration"] !== "string" || props["securityConfiguration"] === "")
            report(`${label(args)} has no security configuration`);
    },
});

import { label, resourceRule } from "../props";

/**
 * CloudWatch log groups are encrypted with a KMS key (job logs may carry data).
 * Public source: Checkov CKV_AWS_158.
 */
export const awsLogGroupEncrypted = resourceRule({
    name: "aws-log-group-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (props, args, report) => {
        if (typeof props["kmsKeyId"] !== "string" || props["kmsKeyId"] === "")
            report(`${label(args)} is not encrypted with a KMS key (kmsKeyId)`);
    },
});

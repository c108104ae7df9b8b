import { label, resourceRule } from "../props";

/**
 * Kinesis data streams are encrypted at rest with KMS.
 * Public source: Checkov CKV_AWS_43; AWS Security Hub Kinesis.1.
 */
export const awsKinesisEncrypted = resourceRule({
    name: "aws-kinesis-encrypted",
    description: "Kinesis streams use KMS server-side encryption.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:kinesis/stream:Stream"],
    check: (props, args, report) => {
        if (props["encryptionType"] !== "KMS")
            report(
                `${label(args)} is not encrypted with KMS (encryptionType ${String(props["encryptionType"] ?? "NONE")})`,
            );
    },
});

import { isTrue, label, resourceRule } from "../props";

/**
 * Customer-managed symmetric KMS keys rotate yearly.
 * Public source: Checkov CKV_AWS_7; CIS AWS Foundations 3.6.
 */
export const awsKmsKeyRotation = resourceRule({
    name: "aws-kms-key-rotation",
    description: "Symmetric KMS keys have automatic rotation enabled.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:kms/key:Key"],
    check: (props, args, report) => {
        const spec = props["customerMasterKeySpec"] ?? props["keySpec"] ?? "SYMMETRIC_DEFAULT";
        // Asymmetric and HMAC keys cannot rotate automatically.
        if (spec !== "SYMMETRIC_DEFAULT") return;
        if (!isTrue(props["enableKeyRotation"])) report(`${label(args)} has no automatic rotation (enableKeyRotation)`);
    },
});

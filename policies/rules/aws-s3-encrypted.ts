import { arr, get } from "../props";
import { s3BucketRule } from "./aws-s3-helpers";

/**
 * Every S3 bucket has default server-side encryption configured (a companion resource or the inline setting).
 * Public source: Checkov CKV_AWS_19 (and CKV_AWS_145 for KMS); AWS Security Hub S3.4.
 */
export const awsS3Encrypted = s3BucketRule({
    name: "aws-s3-encrypted",
    description: "S3 buckets have default server-side encryption configured.",
    companionType: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    check: (bucket, configs) => {
        const inline = arr(get(bucket.props, "serverSideEncryptionConfiguration.rule")).length > 0;
        const ok =
            inline ||
            configs.some((c) =>
                arr(c.props["rules"]).some(
                    (r) => typeof get(r, "applyServerSideEncryptionByDefault.sseAlgorithm") === "string",
                ),
            );
        return ok ? undefined : "has no default server-side encryption";
    },
});

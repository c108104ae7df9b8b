import { isTrue } from "../props";
import { s3BucketRule } from "./aws-s3-helpers";

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/**
 * Every S3 bucket has a public access block with all four settings on.
 * Public source: Checkov CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56; CIS AWS Foundations 2.1.4.
 */
export const awsS3PublicAccessBlocked = s3BucketRule({
    name: "aws-s3-public-access-blocked",
    description: "S3 buckets block all public access (all four public access block settings true).",
    companionType: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    check: (_bucket, blocks) => {
        if (blocks.length === 0) return "has no BucketPublicAccessBlock";
        const off = FLAGS.filter((f) => !blocks.some((b) => isTrue(b.props[f])));
        return off.length > 0 ? `has a public access block with ${off.join(", ")} not true` : undefined;
    },
});

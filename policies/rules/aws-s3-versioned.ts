import { get, isTrue } from "../props";
import { s3BucketRule } from "./aws-s3-helpers";

/**
 * Every S3 bucket has versioning enabled, so an overwrite or delete of data or a model is recoverable.
 * Public source: Checkov CKV_AWS_21.
 */
export const awsS3Versioned = s3BucketRule({
    name: "aws-s3-versioned",
    description: "S3 buckets have versioning enabled.",
    companionType: "aws:s3/bucketVersioning:BucketVersioning",
    check: (bucket, configs) => {
        const ok =
            isTrue(get(bucket.props, "versioning.enabled")) ||
            configs.some((c) => get(c.props, "versioningConfiguration.status") === "Enabled");
        return ok ? undefined : "has no versioning enabled";
    },
});

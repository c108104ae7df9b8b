import { arr, get } from "../props";
import { s3BucketRule } from "./aws-s3-helpers";

/** True when a policy document denies requests made without TLS (`aws:SecureTransport` false). */
export function deniesInsecureTransport(policy: unknown): boolean {
    let doc: unknown = policy;
    if (typeof policy === "string") {
        try {
            doc = JSON.parse(policy);
        } catch {
            return false;
        }
    }
    return arr(get(doc, "Statement")).some((s) => {
        const v = get(s, "Condition.Bool.aws:SecureTransport");
        return (
            get(s, "Effect") === "Deny" && (v === "false" || v === false || (Array.isArray(v) && v.includes("false")))
        );
    });
}

/**
 * Every S3 bucket has a bucket policy that denies requests without TLS.
 * Public source: AWS Security Hub S3.5 ("S3 general purpose buckets should require requests to use SSL"); CIS AWS Foundations 2.1.1.
 */
export const awsS3TlsOnly = s3BucketRule({
    name: "aws-s3-tls-only",
    description: "S3 buckets deny requests that do not use TLS (aws:SecureTransport).",
    companionType: "aws:s3/bucketPolicy:BucketPolicy",
    check: (_bucket, policies) =>
        policies.some((p) => deniesInsecureTransport(p.props["policy"]))
            ? undefined
            : "has no bucket policy denying aws:SecureTransport false",
});

import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { companionsOf } from "../companions";

export const S3_BUCKET = "aws:s3/bucket:Bucket";
export const S3_BUCKET_V2 = "aws:s3/bucketV2:BucketV2";

/**
 * A stack rule over S3 buckets: `check` gets each bucket with the companion resources of
 * `companionType` that configure it and says what is missing, or undefined.
 */
export function s3BucketRule(spec: {
    name: string;
    description: string;
    companionType: string;
    check: (bucket: PolicyResource, companions: PolicyResource[]) => string | undefined;
    enforcementLevel?: "mandatory" | "advisory";
}): StackValidationPolicy {
    return {
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel ?? "mandatory",
        severity: "high",
        validateStack: (args, report: ReportViolation) => {
            const buckets = args.resources.filter((r) => r.type === S3_BUCKET || r.type === S3_BUCKET_V2);
            if (buckets.length === 0) args.notApplicable("no S3 buckets");
            for (const b of buckets) {
                const m = spec.check(b, companionsOf(b, args.resources, spec.companionType));
                if (m) report(`S3 bucket '${b.name}' ${m}`, b.urn);
            }
        },
    };
}

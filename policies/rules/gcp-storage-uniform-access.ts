import { isTrue, label, resourceRule } from "../props";

/**
 * Cloud Storage buckets use uniform bucket-level access (IAM only, no object ACLs).
 * Public source: Checkov CKV_GCP_29; CIS GCP 5.2.
 */
export const gcpStorageUniformAccess = resourceRule({
    name: "gcp-storage-uniform-access",
    description: "Cloud Storage buckets enable uniform bucket-level access.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:storage/bucket:Bucket"],
    check: (props, args, report) => {
        if (!isTrue(props["uniformBucketLevelAccess"]))
            report(`${label(args)} does not use uniform bucket-level access`);
    },
});

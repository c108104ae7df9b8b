import { label, resourceRule } from "../props";

/**
 * Cloud Storage buckets enforce public access prevention.
 * Public source: Checkov CKV_GCP_114; CIS GCP 5.1.
 */
export const gcpStoragePublicAccessPrevention = resourceRule({
    name: "gcp-storage-public-access-prevention",
    description: "Cloud Storage buckets set publicAccessPrevention enforced.",
    enforcementLevel: "mandatory",
    severity: "critical",
    types: ["gcp:storage/bucket:Bucket"],
    check: (props, args, report) => {
        if (props["publicAccessPrevention"] !== "enforced")
            report(`${label(args)} does not enforce public access prevention`);
    },
});

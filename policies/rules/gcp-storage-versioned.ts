import { get, isTrue, label, resourceRule } from "../props";

/**
 * Cloud Storage buckets keep object versions, so an overwritten dataset or model is recoverable.
 * Public source: Checkov CKV_GCP_78.
 */
export const gcpStorageVersioned = resourceRule({
    name: "gcp-storage-versioned",
    description: "Cloud Storage buckets enable versioning.",
    enforcementLevel: "advisory",
    severity: "low",
    types: ["gcp:storage/bucket:Bucket"],
    check: (props, args, report) => {
        if (!isTrue(get(props, "versioning.enabled"))) report(`${label(args)} does not keep object versions`);
    },
});

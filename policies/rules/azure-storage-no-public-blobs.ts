import { isFalse, label, resourceRule } from "../props";

/**
 * Storage accounts allow no anonymous blob access.
 * Public source: Checkov CKV_AZURE_190; CIS Azure 3.7 ("Public access level is disabled for storage accounts with blob containers").
 */
export const azureStorageNoPublicBlobs = resourceRule({
    name: "azure-storage-no-public-blobs",
    description: "Storage accounts set allowBlobPublicAccess false.",
    enforcementLevel: "mandatory",
    severity: "critical",
    types: ["azure-native:storage:StorageAccount"],
    check: (props, args, report) => {
        if (!isFalse(props["allowBlobPublicAccess"])) report(`${label(args)} does not set allowBlobPublicAccess false`);
    },
});

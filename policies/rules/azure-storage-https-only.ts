import { isFalse, label, resourceRule } from "../props";

/**
 * Storage accounts accept HTTPS only (the default; flagged when turned off).
 * Public source: Checkov CKV_AZURE_3; CIS Azure 3.1 ("Secure transfer required").
 */
export const azureStorageHttpsOnly = resourceRule({
    name: "azure-storage-https-only",
    description: "Storage accounts keep enableHttpsTrafficOnly on.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:storage:StorageAccount"],
    check: (props, args, report) => {
        if (isFalse(props["enableHttpsTrafficOnly"]))
            report(`${label(args)} accepts plain HTTP (enableHttpsTrafficOnly false)`);
    },
});

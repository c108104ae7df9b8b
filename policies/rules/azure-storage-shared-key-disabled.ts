import { isFalse, label, resourceRule } from "../props";

/**
 * Storage accounts disable shared key (account key) authorization, so access goes through Entra ID and RBAC.
 * Public source: Checkov CKV2_AZURE_40; Azure Policy "Storage accounts should prevent shared key access".
 */
export const azureStorageSharedKeyDisabled = resourceRule({
    name: "azure-storage-shared-key-disabled",
    description: "Storage accounts set allowSharedKeyAccess false.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:storage:StorageAccount"],
    check: (props, args, report) => {
        if (!isFalse(props["allowSharedKeyAccess"]))
            report(`${label(args)} allows shared key access (allowSharedKeyAccess not false)`);
    },
});

import { get, isTrue, label, resourceRule } from "../props";

/**
 * Storage accounts add infrastructure (double) encryption. Advisory: defence in depth, and it can only be set at creation.
 * Public source: Azure Policy "Storage accounts should have infrastructure encryption"; CIS Azure 3.2.
 */
export const azureStorageInfrastructureEncryption = resourceRule({
    name: "azure-storage-infrastructure-encryption",
    description: "Storage accounts enable infrastructure encryption (encryption.requireInfrastructureEncryption).",
    enforcementLevel: "advisory",
    severity: "low",
    types: ["azure-native:storage:StorageAccount"],
    check: (props, args, report) => {
        if (!isTrue(get(props, "encryption.requireInfrastructureEncryption")))
            report(`${label(args)} has no infrastructure encryption`);
    },
});

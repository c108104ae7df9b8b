import { label, resourceRule } from "../props";

/**
 * Storage accounts accept TLS 1.2 or later only.
 * Public source: Checkov CKV_AZURE_44; CIS Azure 3.15.
 */
export const azureStorageMinTls12 = resourceRule({
    name: "azure-storage-min-tls-12",
    description: "Storage accounts set minimumTlsVersion TLS1_2 or later.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:storage:StorageAccount"],
    check: (props, args, report) => {
        const v = props["minimumTlsVersion"];
        if (v !== "TLS1_2" && v !== "TLS1_3")
            report(`${label(args)} accepts TLS older than 1.2 (minimumTlsVersion ${String(v ?? "unset")})`);
    },
});

import { get, isFalse, isTrue, label, resourceRule } from "../props";

/**
 * AKS uses Kubernetes RBAC with Entra ID (AAD) integration and no local accounts, so every access is an identity.
 * Public source: Checkov CKV_AZURE_5 (RBAC), CKV_AZURE_141 (local admin disabled); CIS AKS 4.1.
 */
export const azureAksEntraRbac = resourceRule({
    name: "azure-aks-entra-rbac",
    description: "AKS clusters enable RBAC with Entra ID integration and disable local accounts.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:containerservice:ManagedCluster"],
    check: (props, args, report) => {
        if (isFalse(props["enableRBAC"])) report(`${label(args)} disables Kubernetes RBAC`);
        if (!isTrue(get(props, "aadProfile.managed")) && !isTrue(get(props, "aadProfile.enableAzureRBAC")))
            report(`${label(args)} has no Entra ID integration (aadProfile.managed)`);
        if (!isTrue(props["disableLocalAccounts"]))
            report(`${label(args)} keeps local accounts (disableLocalAccounts not true)`);
    },
});

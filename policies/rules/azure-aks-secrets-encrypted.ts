import { get, isTrue, label, resourceRule } from "../props";

/**
 * AKS encrypts etcd secrets with a Key Vault key (KMS). Advisory: it needs a Key Vault the stack may not have.
 * Public source: Microsoft cloud security benchmark DP-5; Azure Policy "Azure Kubernetes Service Clusters should enable Key Management Service (KMS)".
 */
export const azureAksSecretsEncrypted = resourceRule({
    name: "azure-aks-secrets-encrypted",
    description: "AKS clusters encrypt secrets with Azure Key Vault KMS.",
    enforcementLevel: "advisory",
    severity: "medium",
    types: ["azure-native:containerservice:ManagedCluster"],
    check: (props, args, report) => {
        if (!isTrue(get(props, "securityProfile.azureKeyVaultKms.enabled")))
            report(`${label(args)} does not encrypt secrets with Key Vault KMS`);
    },
});

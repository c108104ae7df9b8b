import { get, isTrue, label, resourceRule } from "../props";

/**
 * AKS pods get cloud access through workload identity (OIDC issuer + federated credentials), never node identities or keys.
 * Public source: Microsoft cloud security benchmark IM-3 ("Manage application identities securely"); CIS AKS 5.2.1 (dedicated identities).
 */
export const azureAksWorkloadIdentity = resourceRule({
    name: "azure-aks-workload-identity",
    description: "AKS clusters enable the OIDC issuer and workload identity.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["azure-native:containerservice:ManagedCluster"],
    check: (props, args, report) => {
        if (
            !isTrue(get(props, "oidcIssuerProfile.enabled")) ||
            !isTrue(get(props, "securityProfile.workloadIdentity.enabled"))
        )
            report(`${label(args)} does not enable the OIDC issuer and workload identity`);
    },
});

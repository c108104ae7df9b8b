import { arr, get, INTERNET, isTrue, label, resourceRule } from "../props";

/**
 * The AKS API server is private, or public only to authorized IP ranges (none of them the whole internet).
 * Public source: Checkov CKV_AZURE_115 (private cluster), CKV_AZURE_6 (API server authorized IP ranges).
 */
export const azureAksApiNotPublic = resourceRule({
    name: "azure-aks-api-not-public",
    description: "AKS clusters are private or restrict the API server to authorized IP ranges.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:containerservice:ManagedCluster"],
    check: (props, args, report) => {
        if (isTrue(get(props, "apiServerAccessProfile.enablePrivateCluster"))) return;
        const ranges = arr(get(props, "apiServerAccessProfile.authorizedIPRanges"));
        if (ranges.length === 0 || ranges.some((r) => typeof r === "string" && INTERNET.has(r)))
            report(
                `${label(args)} exposes its API server to the whole internet; enable a private cluster or authorizedIPRanges`,
            );
    },
});

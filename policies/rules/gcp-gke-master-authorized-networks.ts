import { arr, get, INTERNET, isTrue, label, resourceRule } from "../props";

/**
 * The GKE control plane is reachable from authorized networks only (or a private endpoint), never 0.0.0.0/0.
 * Public source: Checkov CKV_GCP_20; CIS GKE 5.6.3.
 */
export const gcpGkeMasterAuthorizedNetworks = resourceRule({
    name: "gcp-gke-master-authorized-networks",
    description: "GKE clusters restrict the control plane with master authorized networks or a private endpoint.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:container/cluster:Cluster"],
    check: (props, args, report) => {
        if (isTrue(get(props, "privateClusterConfig.enablePrivateEndpoint"))) return;
        const cfg = get(props, "masterAuthorizedNetworksConfig");
        const blocks = arr(get(cfg, "cidrBlocks")).map((b) => get(b, "cidrBlock"));
        if (cfg === undefined) report(`${label(args)} has no master authorized networks`);
        else if (blocks.some((c) => typeof c === "string" && INTERNET.has(c)))
            report(`${label(args)} authorizes 0.0.0.0/0 to reach the control plane`);
    },
});

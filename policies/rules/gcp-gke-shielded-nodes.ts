import { isFalse, label, resourceRule } from "../props";

/**
 * GKE keeps shielded nodes on (the provider default; flagged when turned off).
 * Public source: Checkov CKV_GCP_71; CIS GKE 5.5.5.
 */
export const gcpGkeShieldedNodes = resourceRule({
    name: "gcp-gke-shielded-nodes",
    description: "GKE clusters keep enableShieldedNodes on.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["gcp:container/cluster:Cluster"],
    check: (props, args, report) => {
        if (isFalse(props["enableShieldedNodes"])) report(`${label(args)} disables shielded nodes`);
    },
});

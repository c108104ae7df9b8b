import { get, isTrue, label, resourceRule } from "../props";

/**
 * GKE nodes have private IPs only.
 * Public source: Checkov CKV_GCP_25 (private cluster); CIS GKE 5.6.5.
 */
export const gcpGkePrivateNodes = resourceRule({
    name: "gcp-gke-private-nodes",
    description: "GKE clusters enable private nodes.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:container/cluster:Cluster"],
    check: (props, args, report) => {
        if (!isTrue(get(props, "privateClusterConfig.enablePrivateNodes")))
            report(`${label(args)} gives nodes public IPs (privateClusterConfig.enablePrivateNodes)`);
    },
});

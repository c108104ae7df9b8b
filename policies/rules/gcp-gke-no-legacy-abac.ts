import { isTrue, label, resourceRule } from "../props";

/**
 * GKE uses RBAC, not legacy ABAC.
 * Public source: Checkov CKV_GCP_7; CIS GKE 5.8.3.
 */
export const gcpGkeNoLegacyAbac = resourceRule({
    name: "gcp-gke-no-legacy-abac",
    description: "GKE clusters do not enable legacy ABAC.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:container/cluster:Cluster"],
    check: (props, args, report) => {
        if (isTrue(props["enableLegacyAbac"])) report(`${label(args)} enables legacy ABAC`);
    },
});

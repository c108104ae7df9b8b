import { get, isTrue, label, resourceRule } from "../props";

/**
 * GKE pods reach Google APIs through Workload Identity, not the node service account. Autopilot always has it.
 * Public source: CIS GKE 5.2.2 ("Prefer using dedicated GCP Service Accounts and Workload Identity"); Checkov CKV_GCP_69 (GKE metadata server).
 */
export const gcpGkeWorkloadIdentity = resourceRule({
    name: "gcp-gke-workload-identity",
    description: "GKE clusters enable Workload Identity (workloadIdentityConfig.workloadPool).",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:container/cluster:Cluster"],
    check: (props, args, report) => {
        if (isTrue(props["enableAutopilot"])) return;
        const pool = get(props, "workloadIdentityConfig.workloadPool");
        if (typeof pool !== "string" || pool === "") report(`${label(args)} does not enable Workload Identity`);
    },
});

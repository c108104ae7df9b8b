import { get, isTrue, label, resourceRule } from "../props";

/** Where each Dataproc type keeps its cluster's GCE config. */
const GCE_CONFIG: Readonly<Record<string, string>> = {
    "gcp:dataproc/cluster:Cluster": "clusterConfig.gceClusterConfig",
    // The cluster a workflow template creates for each run and deletes after it.
    "gcp:dataproc/workflowTemplate:WorkflowTemplate": "placement.managedCluster.config.gceClusterConfig",
};

/**
 * Dataproc cluster VMs have internal IPs only: a standing cluster's, and the per-run cluster of a
 * workflow template (the project's GCP Spark runs that way).
 * Public source: Checkov CKV_GCP_103 ("Ensure Dataproc Clusters do not have public IPs").
 */
export const gcpDataprocNoPublicIp = resourceRule({
    name: "gcp-dataproc-no-public-ip",
    description: "Dataproc clusters and workflow templates' managed clusters set gceClusterConfig.internalIpOnly true.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: Object.keys(GCE_CONFIG),
    check: (props, args, report) => {
        if (!isTrue(get(props, `${GCE_CONFIG[args.type]}.internalIpOnly`)))
            report(`${label(args)} gives cluster VMs public IPs (internalIpOnly not true)`);
    },
});

import { get, isTrue, label, resourceRule } from "../props";

/**
 * Dataproc cluster VMs have internal IPs only.
 * Public source: Checkov CKV_GCP_103 ("Ensure Dataproc Clusters do not have public IPs").
 */
export const gcpDataprocNoPublicIp = resourceRule({
    name: "gcp-dataproc-no-public-ip",
    description: "Dataproc clusters set gceClusterConfig.internalIpOnly true.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:dataproc/cluster:Cluster"],
    check: (props, args, report) => {
        if (!isTrue(get(props, "clusterConfig.gceClusterConfig.internalIpOnly")))
            report(`${label(args)} gives cluster VMs public IPs (internalIpOnly not true)`);
    },
});

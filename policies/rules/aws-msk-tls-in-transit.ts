import { get, isFalse, label, resourceRule } from "../props";

/**
 * MSK encrypts traffic in transit: TLS only between clients and brokers, and inside the cluster.
 * Public source: Checkov CKV_AWS_81; AWS Security Hub MSK.1.
 */
export const awsMskTlsInTransit = resourceRule({
    name: "aws-msk-tls-in-transit",
    description: "MSK clusters use TLS between clients and brokers and inside the cluster.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:msk/cluster:Cluster"],
    check: (props, args, report) => {
        const clientBroker = get(props, "encryptionInfo.encryptionInTransit.clientBroker") ?? "TLS";
        const inCluster = get(props, "encryptionInfo.encryptionInTransit.inCluster");
        if (clientBroker !== "TLS")
            report(`${label(args)} allows plaintext client traffic (clientBroker ${String(clientBroker)})`);
        if (isFalse(inCluster)) report(`${label(args)} does not encrypt traffic between brokers (inCluster false)`);
    },
});

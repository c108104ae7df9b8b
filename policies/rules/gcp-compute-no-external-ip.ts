import { arr, get, label, resourceRule } from "../props";

/**
 * VMs and instance templates have no external IP (no accessConfigs on any interface).
 * Public source: Checkov CKV_GCP_40; CIS GCP 4.9.
 */
export const gcpComputeNoExternalIp = resourceRule({
    name: "gcp-compute-no-external-ip",
    description: "Compute instances and templates have no external IP (no accessConfigs).",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["gcp:compute/instance:Instance", "gcp:compute/instanceTemplate:InstanceTemplate"],
    check: (props, args, report) => {
        const pub = arr(props["networkInterfaces"]).some(
            (n) => arr(get(n, "accessConfigs")).length > 0 || arr(get(n, "ipv6AccessConfigs")).length > 0,
        );
        if (pub) report(`${label(args)} has an external IP (networkInterfaces[].accessConfigs)`);
    },
});

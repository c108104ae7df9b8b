import { get, isFalse, label, resourceRule } from "../props";

/**
 * VMs keep Shielded VM vTPM and integrity monitoring on (secure boot is left to the team: GPU drivers must be signed for it).
 * Public source: Checkov CKV_GCP_39; CIS GCP 4.8.
 */
export const gcpComputeShieldedVm = resourceRule({
    name: "gcp-compute-shielded-vm",
    description: "Compute instances and templates keep vTPM and integrity monitoring enabled.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["gcp:compute/instance:Instance", "gcp:compute/instanceTemplate:InstanceTemplate"],
    check: (props, args, report) => {
        const off = ["enableVtpm", "enableIntegrityMonitoring"].filter((k) =>
            isFalse(get(props, `shieldedInstanceConfig.${k}`)),
        );
        if (off.length > 0) report(`${label(args)} turns off Shielded VM ${off.join(", ")}`);
    },
});

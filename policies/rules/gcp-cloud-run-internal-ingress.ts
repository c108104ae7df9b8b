import { label, resourceRule } from "../props";

/**
 * Cloud Run services take traffic from the VPC or a load balancer only. Advisory: a public REST endpoint may need all traffic.
 * Public source: Google Cloud Run security guide ("Restricting ingress"); Checkov CKV_GCP_102 (Cloud Run not publicly accessible).
 */
export const gcpCloudRunInternalIngress = resourceRule({
    name: "gcp-cloud-run-internal-ingress",
    description: "Cloud Run services restrict ingress to internal or internal-and-load-balancer traffic.",
    enforcementLevel: "advisory",
    severity: "low",
    types: ["gcp:cloudrunv2/service:Service"],
    check: (props, args, report) => {
        const ingress = props["ingress"] ?? "INGRESS_TRAFFIC_ALL";
        if (ingress === "INGRESS_TRAFFIC_ALL")
            report(`${label(args)} accepts traffic from the internet (ingress INGRESS_TRAFFIC_ALL)`);
    },
});

import { type AllowConfig, allowSchema } from "../config";
import { get, label, resourceRule } from "../props";

/**
 * Service annotations (and the one load balancer class) that make each cloud's load balancer
 * internal: a private address in the network, nothing on the internet. AWS: the legacy cloud
 * provider and the AWS Load Balancer Controller both read `aws-load-balancer-internal: "true"`,
 * the controller also `aws-load-balancer-scheme: internal`. Azure: cloud-provider-azure's
 * `azure-load-balancer-internal: "true"`. GKE: `networking.gke.io/load-balancer-type: "Internal"`,
 * its older `cloud.google.com/` form, or the `l4-regional-internal` class.
 */
export const INTERNAL_LB_ANNOTATIONS: Readonly<Record<string, string>> = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
    "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
    "networking.gke.io/load-balancer-type": "Internal",
    "cloud.google.com/load-balancer-type": "Internal",
};
export const INTERNAL_LB_CLASS = "networking.gke.io/l4-regional-internal";

/** True when a LoadBalancer Service asks its cloud for an internal (private) load balancer. */
export function isInternalLoadBalancer(props: unknown): boolean {
    if (get(props, "spec.loadBalancerClass") === INTERNAL_LB_CLASS) return true;
    const annotations = get(props, "metadata.annotations");
    if (annotations === null || typeof annotations !== "object") return false;
    return Object.entries(INTERNAL_LB_ANNOTATIONS).some(([k, v]) => (annotations as Record<string, unknown>)[k] === v);
}

/**
 * Services are not of type LoadBalancer on a public address unless the pack config allows it
 * (`allow: true`). An internal load balancer (the stack's own model Service unless
 * `publicEndpoint`) is reachable only from the network and passes. Advisory: an online endpoint
 * at inference level 5 may need a public one; teams decide per environment.
 * Public source: Pulumi compliance policies (kubernetes "no LoadBalancer Service"); NSA/CISA Kubernetes Hardening Guide (limit exposure).
 */
export const k8sNoLoadBalancerService = resourceRule({
    name: "k8s-no-load-balancer-service",
    description: "Services are not type LoadBalancer on a public address unless allowed by config.",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: allowSchema("Allow Services of type LoadBalancer."),
    types: ["kubernetes:core/v1:Service"],
    check: (props, args, report) => {
        if (args.getConfig<Partial<AllowConfig>>().allow === true) return;
        if (get(props, "spec.type") === "LoadBalancer" && !isInternalLoadBalancer(props))
            report(`${label(args)} is of type LoadBalancer on a public address`);
    },
});

import { type AllowConfig, allowSchema } from "../config";
import { get, label, resourceRule } from "../props";

/**
 * Services are not of type LoadBalancer (a public cloud load balancer) unless the pack config allows it
 * (`allow: true`). Advisory: an online endpoint at inference level 5 may need one; teams decide per environment.
 * Public source: Pulumi compliance policies (kubernetes "no LoadBalancer Service"); NSA/CISA Kubernetes Hardening Guide (limit exposure).
 */
export const k8sNoLoadBalancerService = resourceRule({
    name: "k8s-no-load-balancer-service",
    description: "Services are not type LoadBalancer unless allowed by config.",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: allowSchema("Allow Services of type LoadBalancer."),
    types: ["kubernetes:core/v1:Service"],
    check: (props, args, report) => {
        if (args.getConfig<Partial<AllowConfig>>().allow === true) return;
        if (get(props, "spec.type") === "LoadBalancer") report(`${label(args)} is of type LoadBalancer`);
    },
});

import { get, isFalse, isTrue } from "../props";
import { podRule } from "./k8s-helpers";

/**
 * Containers run as a non-root user (runAsNonRoot on the pod or on every container).
 * Public source: Checkov CKV_K8S_23 ("Minimize the admission of root containers"); CIS Kubernetes 5.2.6.
 */
export const k8sRunAsNonRoot = podRule({
    name: "k8s-run-as-non-root",
    description: "Pods and containers set securityContext.runAsNonRoot true.",
    enforcementLevel: "mandatory",
    severity: "high",
    problems: (pod, containers) => {
        const podLevel = isTrue(get(pod, "securityContext.runAsNonRoot"));
        return containers
            .filter(({ c }) => {
                const own = get(c, "securityContext.runAsNonRoot");
                return isFalse(own) || (!podLevel && !isTrue(own));
            })
            .map(({ name }) => `container ${name} may run as root`);
    },
});

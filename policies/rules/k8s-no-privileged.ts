import { get, isTrue } from "../props";
import { podRule } from "./k8s-helpers";

/**
 * No privileged containers and no privilege escalation.
 * Public source: Checkov CKV_K8S_16 (privileged), CKV_K8S_20 (allowPrivilegeEscalation); CIS Kubernetes 5.2.2 / 5.2.5.
 */
export const k8sNoPrivileged = podRule({
    name: "k8s-no-privileged",
    description: "Containers are not privileged and do not allow privilege escalation.",
    enforcementLevel: "mandatory",
    severity: "critical",
    problems: (_pod, containers) =>
        containers.flatMap(({ name, c }) => [
            ...(isTrue(get(c, "securityContext.privileged")) ? [`container ${name} is privileged`] : []),
            ...(isTrue(get(c, "securityContext.allowPrivilegeEscalation"))
                ? [`container ${name} allows privilege escalation`]
                : []),
        ]),
});

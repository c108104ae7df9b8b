import { get, isTrue } from "../props";
import { podRule } from "./k8s-helpers";

/**
 * Containers mount the root filesystem read-only. Advisory: many ML images write caches under the root and need an emptyDir first.
 * Public source: Checkov CKV_K8S_22.
 */
export const k8sReadOnlyRootFilesystem = podRule({
    name: "k8s-read-only-root-filesystem",
    description: "Containers set securityContext.readOnlyRootFilesystem true.",
    enforcementLevel: "advisory",
    severity: "low",
    problems: (_pod, containers) =>
        containers
            .filter(({ c }) => !isTrue(get(c, "securityContext.readOnlyRootFilesystem")))
            .map(({ name }) => `container ${name} has a writable root filesystem`),
});

import { get } from "../props";
import { podRule } from "./k8s-helpers";

/**
 * Containers set CPU and memory limits, so one model server cannot starve a node (and the autoscaler can plan).
 * Public source: Checkov CKV_K8S_11 (CPU limits), CKV_K8S_13 (memory limits).
 */
export const k8sResourceLimits = podRule({
    name: "k8s-resource-limits",
    description: "Containers set CPU and memory limits.",
    enforcementLevel: "mandatory",
    severity: "medium",
    problems: (_pod, containers) =>
        containers.flatMap(({ name, c }) => {
            const missing = ["cpu", "memory"].filter((k) => get(c, `resources.limits.${k}`) === undefined);
            return missing.length > 0 ? [`container ${name} has no ${missing.join("/")} limit`] : [];
        }),
});

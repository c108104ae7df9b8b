import { isTrue } from "../props";
import { podRule } from "./k8s-helpers";

/**
 * Pods do not share the node's network, PID or IPC namespace.
 * Public source: Checkov CKV_K8S_19 (hostNetwork), CKV_K8S_17 (hostPID), CKV_K8S_18 (hostIPC); CIS Kubernetes 5.2.3-5.2.5.
 */
export const k8sNoHostNamespaces = podRule({
    name: "k8s-no-host-namespaces",
    description: "Pods do not use hostNetwork, hostPID or hostIPC.",
    enforcementLevel: "mandatory",
    severity: "high",
    problems: (pod) =>
        ["hostNetwork", "hostPID", "hostIPC"]
            .filter((k) => isTrue((pod as Record<string, unknown>)[k]))
            .map((k) => `pod uses ${k}`),
});

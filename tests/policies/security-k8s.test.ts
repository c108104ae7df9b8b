import { describeRules } from "./harness";

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const container = {
    name: "model",
    image: "registry/model:1",
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
    resources: { limits: { cpu: "2", memory: "4Gi" }, requests: { cpu: "1", memory: "2Gi" } },
};
const deployment = {
    metadata: { name: "model", labels: { "mlops-pipeline": "inference", "mlops-level": "5" } },
    spec: { replicas: 2, template: { spec: { securityContext: { runAsNonRoot: true }, containers: [container] } } },
};
const c = (changes: Record<string, unknown>) => ({ "spec.template.spec.containers": [{ ...container, ...changes }] });

describeRules([
    {
        rule: "k8s-run-as-non-root",
        type: DEPLOYMENT,
        baseline: deployment,
        cases: [
            [
                "container asks for root",
                c({ securityContext: { runAsNonRoot: false } }),
                ["Deployment 'r': container model may run as root"],
            ],
            [
                "neither pod nor container says",
                { "spec.template.spec.securityContext": undefined, ...c({ securityContext: {} }) },
                ["Deployment 'r': container model may run as root"],
            ],
            ["pod-level only", c({ securityContext: {} }), []],
        ],
    },
    {
        rule: "k8s-no-privileged",
        type: DEPLOYMENT,
        baseline: deployment,
        cases: [
            [
                "privileged",
                c({ securityContext: { runAsNonRoot: true, privileged: true } }),
                ["Deployment 'r': container model is privileged"],
            ],
            [
                "escalation",
                c({ securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: true } }),
                ["Deployment 'r': container model allows privilege escalation"],
            ],
        ],
    },
    {
        rule: "k8s-resource-limits",
        type: DEPLOYMENT,
        baseline: deployment,
        cases: [
            [
                "no memory limit",
                c({ resources: { limits: { cpu: "2" } } }),
                ["Deployment 'r': container model has no memory limit"],
            ],
        ],
    },
    {
        rule: "k8s-read-only-root-filesystem",
        type: DEPLOYMENT,
        baseline: deployment,
        cases: [
            [
                "writable",
                c({ securityContext: { runAsNonRoot: true } }),
                ["Deployment 'r': container model has a writable root filesystem"],
            ],
        ],
    },
    {
        rule: "k8s-no-host-namespaces",
        type: DEPLOYMENT,
        baseline: deployment,
        cases: [["host network", { "spec.template.spec.hostNetwork": true }, ["Deployment 'r': pod uses hostNetwork"]]],
    },
    {
        rule: "k8s-no-host-namespaces",
        type: "kubernetes:core/v1:Pod",
        baseline: { spec: { containers: [container] } },
        cases: [["host PID on a bare pod", { "spec.hostPID": true }, ["Pod 'r': pod uses hostPID"]]],
    },
    {
        rule: "k8s-run-as-non-root",
        type: "kubernetes:batch/v1:CronJob",
        baseline: {
            spec: { schedule: "0 2 * * *", jobTemplate: { spec: { template: { spec: { containers: [container] } } } } },
        },
        cases: [
            [
                "root in a cron job",
                { "spec.jobTemplate.spec.template.spec.containers": [{ ...container, securityContext: {} }] },
                ["CronJob 'r': container model may run as root"],
            ],
        ],
    },
    {
        rule: "k8s-no-load-balancer-service",
        type: "kubernetes:core/v1:Service",
        baseline: { spec: { type: "ClusterIP", ports: [{ port: 80 }] } },
        cases: [["LoadBalancer", { "spec.type": "LoadBalancer" }, ["Service 'r' is of type LoadBalancer"]]],
    },
    {
        rule: "k8s-no-load-balancer-service",
        type: "kubernetes:core/v1:Service",
        baseline: { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } },
        config: { "k8s-no-load-balancer-service": { allow: true } },
        cases: [["allowed by config", {}, []]],
    },
]);

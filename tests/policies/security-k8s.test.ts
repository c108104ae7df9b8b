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
const PUBLIC_LB = "Service 'r' is of type LoadBalancer on a public address";
/** A LoadBalancer Service with these annotations, and what the rule says about it. */
const lb = (
    name: string,
    annotations: Record<string, string>,
    expected: string[],
): [string, Record<string, unknown>, string[]] => [
    name,
    { "spec.type": "LoadBalancer", "metadata.annotations": annotations },
    expected,
];
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
        cases: [
            ["LoadBalancer", { "spec.type": "LoadBalancer" }, [PUBLIC_LB]],
            // The stack's own model Service asks each cloud for an internal load balancer.
            lb("AWS internal", { "service.beta.kubernetes.io/aws-load-balancer-internal": "true" }, []),
            lb("AWS internal scheme", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" }, []),
            lb("Azure internal", { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" }, []),
            lb("GKE internal", { "networking.gke.io/load-balancer-type": "Internal" }, []),
            lb("GKE internal, older key", { "cloud.google.com/load-balancer-type": "Internal" }, []),
            [
                "GKE internal class",
                { "spec.type": "LoadBalancer", "spec.loadBalancerClass": "networking.gke.io/l4-regional-internal" },
                [],
            ],
            // Asking for public, or an internal key with another value, is still public.
            lb("AWS internal false", { "service.beta.kubernetes.io/aws-load-balancer-internal": "false" }, [PUBLIC_LB]),
            lb("AWS internet-facing", { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing" }, [
                PUBLIC_LB,
            ]),
            lb("Azure internal false", { "service.beta.kubernetes.io/azure-load-balancer-internal": "false" }, [
                PUBLIC_LB,
            ]),
            lb("GKE External", { "networking.gke.io/load-balancer-type": "External" }, [PUBLIC_LB]),
            lb("NLB type only", { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" }, [PUBLIC_LB]),
        ],
    },
    {
        rule: "k8s-no-load-balancer-service",
        type: "kubernetes:core/v1:Service",
        baseline: { spec: { type: "LoadBalancer", ports: [{ port: 80 }] } },
        config: { "k8s-no-load-balancer-service": { allow: true } },
        cases: [["allowed by config", {}, []]],
    },
]);

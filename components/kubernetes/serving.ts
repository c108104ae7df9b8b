import * as apps from "@pulumi/kubernetes/apps/v1";
import * as autoscaling from "@pulumi/kubernetes/autoscaling/v2";
import * as core from "@pulumi/kubernetes/core/v1";
import * as policy from "@pulumi/kubernetes/policy/v1";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_PORT, SERVING_POD, SERVING_TYPE, servingReplicas, TARGET_CPU_UTILIZATION } from "./index";
import {
    type ClusterBinding,
    envList,
    placement,
    RESTRICTED_CONTAINER,
    RESTRICTED_NAMESPACE_LABELS,
    RESTRICTED_POD,
    type WorkloadIdentity,
} from "./workload";

/** Namespace and object names: fixed, because the workload identity trusts exactly this account. */
export const SERVING_NAMESPACE = "mlops-serving";
export const SERVING_NAME = "model";
/** Path the model container answers health checks on. */
export const HEALTH_PATH = "/health";

export interface ModelServingArgs {
    readonly cluster: ClusterBinding;
    readonly identity: WorkloadIdentity;
    /** Model image to run. */
    readonly image: pulumi.Input<string>;
    /** Peak requests per second. */
    readonly peakQps: number;
    /** Requests per second one pod serves; default DEFAULT_POD_QPS. */
    readonly podQps?: number;
    /** Service annotations that make the cloud's load balancer internal (or public). */
    readonly serviceAnnotations: Record<string, string>;
}

/**
 * The model as a Kubernetes service: a restricted namespace, a service account bound to the cloud
 * identity that may read the artifacts, a Deployment pinned to the serving pool, a LoadBalancer
 * Service (internal unless the stack asked for a public endpoint), an autoscaler sized from peak
 * QPS and a disruption budget that keeps one pod serving through node drains.
 */
export class ModelServing extends pulumi.ComponentResource {
    readonly url: pulumi.Output<string>;
    readonly namespace: pulumi.Output<string>;
    readonly minReplicas: number;
    readonly maxReplicas: number;

    constructor(name: string, args: ModelServingArgs, opts?: pulumi.ComponentResourceOptions) {
        super(SERVING_TYPE, name, {}, opts);
        const { cluster, identity } = args;
        const o = { parent: this, provider: cluster.provider };
        const labels = { ...cluster.labels, "app.kubernetes.io/name": SERVING_NAME };
        const selector = { "app.kubernetes.io/name": SERVING_NAME };
        const { minReplicas, maxReplicas } = servingReplicas(args.peakQps, args.podQps);
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;

        const ns = new core.Namespace(
            `${name}-ns`,
            { metadata: { name: SERVING_NAMESPACE, labels: { ...cluster.labels, ...RESTRICTED_NAMESPACE_LABELS } } },
            o,
        );
        const metadata = { name: SERVING_NAME, namespace: ns.metadata.name, labels };
        const sa = new core.ServiceAccount(
            `${name}-sa`,
            {
                metadata: { ...metadata, annotations: identity.annotations },
                // Only pods that need the Kubernetes API get a token; the model does not.
                automountServiceAccountToken: false,
            },
            o,
        );
        const probe = (initialDelaySeconds: number, periodSeconds: number) => ({
            httpGet: { path: HEALTH_PATH, port: "http" },
            initialDelaySeconds,
            periodSeconds,
            timeoutSeconds: 2,
            failureThreshold: 3,
        });
        const where = placement("serving");
        const deployment = new apps.Deployment(
            `${name}-deployment`,
            {
                metadata,
                spec: {
                    // The HPA owns the count from here on; this is only the first rollout's size.
                    replicas: minReplicas,
                    selector: { matchLabels: selector },
                    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                    template: {
                        metadata: { labels: { ...labels, ...identity.podLabels } },
                        spec: {
                            serviceAccountName: sa.metadata.name,
                            // The projected identity token is mounted by the cloud's webhook, not this.
                            automountServiceAccountToken: false,
                            securityContext: RESTRICTED_POD,
                            nodeSelector: where.nodeSelector,
                            tolerations: where.tolerations,
                            // Spread over nodes and zones so one failure never takes all replicas.
                            topologySpreadConstraints: ["kubernetes.io/hostname", "topology.kubernetes.io/zone"].map(
                                (topologyKey) => ({
                                    maxSkew: 1,
                                    topologyKey,
                                    whenUnsatisfiable: "ScheduleAnyway",
                                    labelSelector: { matchLabels: selector },
                                }),
                            ),
                            containers: [
                                {
                                    name: "model",
                                    image: args.image,
                                    ports: [{ name: "http", containerPort: MODEL_PORT }],
                                    env: envList({ ...cluster.storageEnv, ...identity.env, PORT: String(MODEL_PORT) }),
                                    resources: {
                                        requests: { cpu: SERVING_POD.cpu, memory: SERVING_POD.memory },
                                        limits: { cpu: SERVING_POD.cpuLimit, memory: SERVING_POD.memory },
                                    },
                                    readinessProbe: probe(5, 5),
                                    livenessProbe: probe(30, 10),
                                    securityContext: RESTRICTED_CONTAINER,
                                    // A read-only root file system still needs a scratch directory.
                                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                },
                            ],
                            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
                        },
                    },
                },
            },
            { ...o, dependsOn: identity.dependsOn },
        );
        const service = new core.Service(
            `${name}-service`,
            {
                metadata: { ...metadata, annotations: args.serviceAnnotations },
                spec: {
                    type: "LoadBalancer",
                    selector,
                    ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
                    // Keeps the client's address and skips a second hop through another node.
                    externalTrafficPolicy: "Local",
                },
            },
            o,
        );
        new autoscaling.HorizontalPodAutoscaler(
            `${name}-hpa`,
            {
                metadata,
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                    minReplicas,
                    maxReplicas,
                    metrics: [
                        {
                            type: "Resource",
                            resource: {
                                name: "cpu",
                                target: { type: "Utilization", averageUtilization: TARGET_CPU_UTILIZATION },
                            },
                        },
                    ],
                    // Scale up at once, scale down slowly: a traffic spike must not meet a shrinking fleet.
                    behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
                },
            },
            o,
        );
        new policy.PodDisruptionBudget(
            `${name}-pdb`,
            { metadata, spec: { minAvailable: 1, selector: { matchLabels: selector } } },
            o,
        );

        this.namespace = ns.metadata.name;
        this.url = service.status.apply((s) => {
            const ingress = s?.loadBalancer?.ingress?.[0];
            const host = ingress?.hostname ?? ingress?.ip;
            return host ? `http://${host}` : "";
        });
        this.registerOutputs({ url: this.url, namespace: this.namespace, minReplicas, maxReplicas });
    }
}

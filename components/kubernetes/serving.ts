import * as apps from "@pulumi/kubernetes/apps/v1";
import * as autoscaling from "@pulumi/kubernetes/autoscaling/v2";
import * as core from "@pulumi/kubernetes/core/v1";
import * as policy from "@pulumi/kubernetes/policy/v1";
import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_MODEL_SERVER,
    MODEL_PORT,
    SAMPLE_REQUEST,
    SERVING_POD,
    SERVING_TYPE,
    servingReplicas,
    TARGET_CPU_UTILIZATION,
} from "./index";
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
/** Path a team's own model image answers health checks on (the default server has its own routes). */
export const HEALTH_PATH = "/health";

/** What the serving container runs: the image, its arguments and environment, its health routes. */
export interface ModelContainer {
    readonly image: pulumi.Input<string>;
    /** Container args (the image's entrypoint stays); none for a team's image. */
    readonly args: pulumi.Input<string>[];
    /** Environment beyond the cluster's storage variables and the identity's. */
    readonly env: Record<string, pulumi.Input<string>>;
    /** The route that answers 200 once the model can serve. */
    readonly readinessPath: string;
    /** The route that answers 200 while the process is healthy. */
    readonly livenessPath: string;
    /**
     * The request the stack's run command sends: a sample prediction for the default server; for a
     * team's image, whose prediction route the stack cannot know, its health route.
     */
    readonly request: { readonly path: string; readonly body?: string };
    /** What must exist before the first pod starts (the uploaded sample model). */
    readonly dependsOn: pulumi.Resource[];
}

/**
 * The default model server reading the model file at `modelUri` (the exact object: KServe's
 * storage layer downloads a single object as well as a folder, on all three clouds), with
 * `predict_proba` answers. Pure.
 */
export function defaultModelContainer(modelUri: pulumi.Input<string>, dependsOn: pulumi.Resource[]): ModelContainer {
    const s = DEFAULT_MODEL_SERVER;
    return {
        image: s.image,
        args: [`--model_name=${s.modelName}`, pulumi.interpolate`--model_dir=${modelUri}`, `--http_port=${MODEL_PORT}`],
        env: { PREDICT_PROBA: "true" },
        readinessPath: s.readinessPath,
        livenessPath: s.livenessPath,
        request: { path: `/v1/models/${s.modelName}:predict`, body: SAMPLE_REQUEST },
        dependsOn,
    };
}

/** A team's own image: it listens on $PORT and answers HEALTH_PATH; nothing else is assumed. Pure. */
export function teamModelContainer(image: string): ModelContainer {
    return {
        image,
        args: [],
        env: { PORT: String(MODEL_PORT) },
        readinessPath: HEALTH_PATH,
        livenessPath: HEALTH_PATH,
        request: { path: HEALTH_PATH },
        dependsOn: [],
    };
}

/**
 * The command that calls the service once `pulumi up` is done: a POST of one sample row to the
 * default server, a GET of a team image's health route. An internal load balancer answers inside
 * the network only (the VPC or VNet the deployer runs in). Pure.
 */
export function servingRunCommand(
    url: pulumi.Input<string>,
    request: ModelContainer["request"],
): pulumi.Output<string> {
    return request.body === undefined
        ? pulumi.interpolate`curl -sS ${url}${request.path}`
        : pulumi.interpolate`curl -sS -X POST ${url}${request.path} -H 'Content-Type: application/json' -d '${request.body}'`;
}

export interface ModelServingArgs {
    readonly cluster: ClusterBinding;
    readonly identity: WorkloadIdentity;
    /** What the model container runs. */
    readonly container: ModelContainer;
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
    /** The curl that posts one sample row to the service (stack output `runCommands.inference`). */
    readonly runCommand: pulumi.Output<string>;
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
        const { container } = args;
        const probe = (path: string, initialDelaySeconds: number, periodSeconds: number) => ({
            httpGet: { path, port: "http" },
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
                                    image: container.image,
                                    ...(container.args.length > 0 ? { args: container.args } : {}),
                                    ports: [{ name: "http", containerPort: MODEL_PORT }],
                                    env: envList({ ...cluster.storageEnv, ...identity.env, ...container.env }),
                                    resources: {
                                        requests: { cpu: SERVING_POD.cpu, memory: SERVING_POD.memory },
                                        limits: { cpu: SERVING_POD.cpuLimit, memory: SERVING_POD.memory },
                                    },
                                    readinessProbe: probe(container.readinessPath, 5, 5),
                                    // The server loads the model before it listens: give the download time.
                                    livenessProbe: probe(container.livenessPath, 30, 10),
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
            // The identity must work and the model must be in the bucket before the first pod starts.
            { ...o, dependsOn: [...identity.dependsOn, ...container.dependsOn] },
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
        this.runCommand = servingRunCommand(this.url, container.request);
        this.registerOutputs({ url: this.url, namespace: this.namespace, minReplicas, maxReplicas });
    }
}

import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { CronJob } from "kubernetes-models/batch/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Namespace, PodTemplateSpec, Service, ServiceAccount } from "kubernetes-models/v1";
import { prerequisitesOf, providedBy } from "../../catalog";
import { MOCK_CA } from "../../catalog/mock/helpers";
import type { PlannedResource } from "../../cli/plan/offline";
import type { KubernetesArgs } from "../../components/kubernetes";
import { ofType as helperOfType, one as helperOne } from "../helpers/plan";

export const K8S_TYPES = {
    namespace: "kubernetes:core/v1:Namespace",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    service: "kubernetes:core/v1:Service",
    deployment: "kubernetes:apps/v1:Deployment",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    rayCluster: "kubernetes:ray.io/v1:RayCluster",
    helm: "kubernetes:helm.sh/v3:Release",
    configMap: "kubernetes:core/v1:ConfigMap",
    cronJob: "kubernetes:batch/v1:CronJob",
} as const;

/** Cluster types of every cloud: none may appear below inference 5 / training 2. */
export const CLUSTER_TYPES = [
    "aws:eks/cluster:Cluster",
    "aws:eks/nodeGroup:NodeGroup",
    "azure-native:containerservice:ManagedCluster",
    "azure-native:containerservice:AgentPool",
    "gcp:container/cluster:Cluster",
    "gcp:container/nodePool:NodePool",
];

// biome-ignore lint/suspicious/noExplicitAny: kubernetes-models classes share no constructor type
const MODELS: Record<string, new (o: any) => { validate(): void }> = {
    [K8S_TYPES.namespace]: Namespace,
    [K8S_TYPES.serviceAccount]: ServiceAccount,
    [K8S_TYPES.service]: Service,
    [K8S_TYPES.deployment]: Deployment,
    [K8S_TYPES.hpa]: HorizontalPodAutoscaler,
    [K8S_TYPES.pdb]: PodDisruptionBudget,
    [K8S_TYPES.configMap]: ConfigMap,
    [K8S_TYPES.cronJob]: CronJob,
};

/** The Kubernetes object a resource renders (its inputs). */
export function objectOf(r: PlannedResource): Record<string, unknown> {
    const { apiVersion, kind, metadata, spec, data } = r.inputs as Record<string, unknown>;
    return Object.fromEntries(
        Object.entries({ apiVersion, kind, metadata, spec, data }).filter(([, v]) => v !== undefined),
    );
}

/**
 * Validates every Kubernetes object against the Kubernetes API schema (kubernetes-models); a
 * RayCluster's pod templates against PodTemplateSpec. Returns the errors, empty when all pass.
 */
export function schemaErrors(rs: readonly PlannedResource[]): string[] {
    const errors: string[] = [];
    for (const r of rs.filter((x) => x.type.startsWith("kubernetes:") && x.custom)) {
        try {
            if (r.type === K8S_TYPES.rayCluster) {
                // biome-ignore lint/suspicious/noExplicitAny: the CRD has no model; its pods do
                const spec = (r.inputs as any).spec;
                new PodTemplateSpec(spec.headGroupSpec.template).validate();
                for (const g of spec.workerGroupSpecs) new PodTemplateSpec(g.template).validate();
            } else if (MODELS[r.type]) new MODELS[r.type]!(objectOf(r)).validate();
            else if (r.type !== K8S_TYPES.helm && !r.type.startsWith("pulumi:providers:"))
                errors.push(`${r.type} ${r.name}: no schema to validate against`);
        } catch (e) {
            errors.push(`${r.type} ${r.name}: ${(e as Error).message}`);
        }
    }
    return errors;
}

/**
 * Every prerequisite of `r` (catalog `needs`) that the plan does not meet: an image that is not
 * pinned by a version tag, or an object no resource `r` depends on uploads. Empty when all are met.
 */
export function unmetPrerequisites(rs: readonly PlannedResource[], r: PlannedResource): string[] {
    const byUrn = new Map(rs.map((x) => [x.urn, x]));
    const provided = new Set(
        r.dependencies.flatMap((u) => {
            const dep = byUrn.get(u);
            return dep ? providedBy(dep).map((p) => p.ref) : [];
        }),
    );
    return prerequisitesOf(r)
        .filter((p) =>
            p.kind === "image" ? !/:[\w][\w.-]*$/.test(p.ref) || p.ref.endsWith(":latest") : !provided.has(p.ref),
        )
        .map((p) => `${r.type} ${r.name}: ${p.kind} ${p.ref} (${p.input})`);
}

export { MOCK_CA };

/** Serving and training args of the shared-cluster case (inference 5 + training 2). */
export const SERVING: NonNullable<KubernetesArgs["serving"]> = { peakQps: 3000, publicEndpoint: false };
export const TRAINING_CPU: NonNullable<KubernetesArgs["training"]> = {
    datasetGb: 60,
    singleMachineHours: 40,
    slaHours: 8,
    gpu: false,
};
export const TRAINING_GPU: NonNullable<KubernetesArgs["training"]> = { ...TRAINING_CPU, gpu: true };

// biome-ignore lint/suspicious/noExplicitAny: rendered inputs are navigated freely in assertions
type Json = any;
/** A planned resource whose inputs and outputs tests navigate freely. */
export type JsonResource = PlannedResource & { inputs: Json; outputs: Json };
/** `one` and `ofType` of the shared helpers, with freely navigable inputs. */
export const one = (rs: readonly PlannedResource[], type: string): JsonResource => helperOne(rs, type) as JsonResource;
export const ofType = (rs: readonly PlannedResource[], type: string): JsonResource[] =>
    helperOfType(rs, type) as JsonResource[];

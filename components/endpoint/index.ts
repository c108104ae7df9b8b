import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../foundation";
import type { Registry } from "../registry";
import type { Checkable, StackContext } from "../shared/context";
import type { InputProblem } from "../shared/errors";

/** Endpoint component type token. */
export const ENDPOINT_TYPE = "mlops:endpoint:Endpoint";

/** The inference level a serverless endpoint implements. */
export const ENDPOINT_LEVEL = 4;

/**
 * Requests per second one instance serves when the stack does not say (`mlops:options.endpointInstanceQps`):
 * a CPU model answering in about REQUEST_SECONDS with two requests in flight.
 */
export const DEFAULT_INSTANCE_QPS = 20;
/** Time one scoring request takes, in seconds: with the throughput it gives the requests in flight (Little's law). */
export const REQUEST_SECONDS = 0.1;
/** Capacity above the stated peak, so the peak itself does not run the endpoint at its limit. */
export const PEAK_HEADROOM = 1.25;
/** Memory of one instance, in GB: a small tabular model plus its Python server. */
export const DEFAULT_MEMORY_GB = 2;
/**
 * Where the model lies in the artifacts storage: the training job writes it there, the endpoint
 * reads it from there. A SageMaker-style archive (model files plus `code/inference.py`).
 */
export const DEFAULT_MODEL_PATH = "models/inference/model.tar.gz";

/** How big the endpoint may grow, as every cloud's autoscaler takes it. */
export interface EndpointSizing {
    /** Instances at peak with headroom: the autoscaler's maximum (replicas, Cloud Run instances). */
    readonly maxInstances: number;
    /** Requests one instance takes at once: the HTTP scale rule's target, Cloud Run's request concurrency. */
    readonly concurrencyPerInstance: number;
    /** Requests in flight at peak with headroom: SageMaker serverless `maxConcurrency` (one request per slot). */
    readonly maxConcurrentRequests: number;
}

/**
 * Sizes an endpoint for `peakQps` when one instance serves `instanceQps`. Pure; never below one
 * instance, so an endpoint always exists to scale up from zero. Cloud limits are checked separately
 * (`checkSizing`), never clamped: a silently smaller endpoint would miss the peak.
 */
export function sizeEndpoint(peakQps: number, instanceQps: number = DEFAULT_INSTANCE_QPS): EndpointSizing {
    const peak = Math.max(0, peakQps) * PEAK_HEADROOM;
    return {
        maxInstances: Math.max(1, Math.ceil(peak / instanceQps)),
        concurrencyPerInstance: Math.max(1, Math.ceil(instanceQps * REQUEST_SECONDS)),
        maxConcurrentRequests: Math.max(1, Math.ceil(peak * REQUEST_SECONDS)),
    };
}

/** Args of the serverless online endpoint (inference level 4). */
export interface EndpointArgs {
    readonly ctx: StackContext;
    readonly foundation: Foundation;
    /** The registry model images live in; the endpoint gets pull rights on it. */
    readonly registry: Registry;
    /** Peak requests per second the endpoint must serve (workload `inference.peakQps`). */
    readonly peakQps: number;
    /** Requests per second one instance serves; default DEFAULT_INSTANCE_QPS. */
    readonly instanceQps?: number;
    /** Memory per instance in GB; default DEFAULT_MEMORY_GB. Each cloud checks its own steps. */
    readonly memoryGb?: number;
    /**
     * The serving image. Default: the cloud's own (a SageMaker scikit-learn server on AWS, a
     * placeholder HTTP server on Azure and GCP); a team builds theirs, pushes it to the registry and
     * sets `mlops:options.images.inference`.
     */
    readonly image?: string;
    /** Port the image listens on; default 8080 (SageMaker's, and Cloud Run's convention). Ignored on AWS. */
    readonly port?: number;
    /** Path of the model in the artifacts storage; default DEFAULT_MODEL_PATH. */
    readonly modelPath?: string;
    /** Serve anonymous callers (no authentication); default false. HTTPS either way. */
    readonly publicEndpoint?: boolean;
}

/** Public outputs of an endpoint, the same on every cloud. */
export interface Endpoint extends pulumi.ComponentResource {
    /** HTTPS URL callers send scoring requests to. */
    readonly endpointUrl: pulumi.Output<string>;
    /** The cloud's name of the endpoint (SageMaker endpoint, container app, Cloud Run service). */
    readonly endpointName: pulumi.Output<string>;
    /** The identity the endpoint runs as: role ARN, managed identity id, service account email. */
    readonly identity: pulumi.Output<string>;
    /** How callers authenticate: `iam-sigv4`, `entra-id`, `google-iam` or `none`. */
    readonly auth: string;
    readonly sizing: EndpointSizing;
}

/** Checks args every cloud shares. Pure. */
export function checkEndpointArgs(
    a: Pick<EndpointArgs, "peakQps" | "instanceQps" | "memoryGb" | "image" | "port" | "modelPath">,
): InputProblem[] {
    const p: InputProblem[] = [];
    if (!(Number.isFinite(a.peakQps) && a.peakQps >= 0)) p.push({ path: "peakQps", message: "must be 0 or more" });
    if (a.instanceQps !== undefined && !(Number.isFinite(a.instanceQps) && a.instanceQps > 0))
        p.push({ path: "config.mlops:options.endpointInstanceQps", message: "must be more than 0" });
    if (a.memoryGb !== undefined && !(a.memoryGb > 0)) p.push({ path: "memoryGb", message: "must be more than 0" });
    if (a.image !== undefined && a.image.trim() === "")
        p.push({ path: "config.mlops:options.images.inference", message: "must name a container image" });
    if (a.port !== undefined && !(Number.isInteger(a.port) && a.port >= 1 && a.port <= 65535))
        p.push({ path: "port", message: "must be a whole number from 1 to 65535" });
    if (a.modelPath !== undefined && (a.modelPath === "" || a.modelPath.startsWith("/")))
        p.push({ path: "modelPath", message: "must be a path inside the artifacts storage, without a leading '/'" });
    return p;
}

/**
 * The cloud's sizing limits for a spec, once its QPS inputs are valid (`found` holds the problems
 * the spec already has; an invalid QPS has no sizing to check). Pure.
 */
export function sizingProblems(
    a: Pick<EndpointSpec, "peakQps" | "instanceQps">,
    found: readonly InputProblem[],
    limits: Parameters<typeof checkSizing>[1],
    service: string,
): InputProblem[] {
    if (found.some((x) => x.path.includes("endpointInstanceQps") || x.path === "peakQps")) return [];
    return checkSizing(sizeEndpoint(a.peakQps, a.instanceQps), limits, service);
}

/** A problem when the sizing exceeds what one endpoint of this cloud can take (then level 5 fits). */
export function checkSizing(
    sizing: EndpointSizing,
    limits: { maxInstances?: number; maxConcurrentRequests?: number; maxConcurrencyPerInstance?: number },
    service: string,
): InputProblem[] {
    const p: InputProblem[] = [];
    const advice =
        "raise mlops:options.endpointInstanceQps if one instance serves more, or lower mlops:capacity.singleEndpointQps so this workload gets level 5";
    if (limits.maxInstances !== undefined && sizing.maxInstances > limits.maxInstances)
        p.push({
            path: "config.mlops:workload.inference.peakQps",
            message: `needs ${sizing.maxInstances} instances, more than ${service} allows (${limits.maxInstances}); ${advice}`,
        });
    if (limits.maxConcurrentRequests !== undefined && sizing.maxConcurrentRequests > limits.maxConcurrentRequests)
        p.push({
            path: "config.mlops:workload.inference.peakQps",
            message: `needs ${sizing.maxConcurrentRequests} concurrent requests, more than ${service} allows (${limits.maxConcurrentRequests}); ${advice}`,
        });
    if (
        limits.maxConcurrencyPerInstance !== undefined &&
        sizing.concurrencyPerInstance > limits.maxConcurrencyPerInstance
    )
        p.push({
            path: "config.mlops:options.endpointInstanceQps",
            message: `gives ${sizing.concurrencyPerInstance} requests per instance at once, more than ${service} allows (${limits.maxConcurrencyPerInstance})`,
        });
    return p;
}

/**
 * The endpoint as the stack program decides it: its args without the site (the registry is a
 * resource, which does not exist yet when the program checks), with the region.
 */
export type EndpointSpec = Checkable<EndpointArgs>;

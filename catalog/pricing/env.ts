import type { Pipeline } from "../../components/shared/levels";
import type { MachineFact } from "../machines/shapes";

// The contract between the catalogue's pricers and the cost model that runs them: what a pricer is
// given (PriceEnv: the stack's usage, prices by key, the resource's machines) and what it returns
// (Priced: an idle and a usage part a month). The pricers live per cloud beside this file; the cost
// model (cost/) looks each resource's pricer up in the catalogue and supplies the environment.

/** How much one pipeline's scheduled or on-demand jobs run. */
export interface JobUsage {
    /** Runs a month. */
    readonly runsPerMonth: number;
    /** Hours one run keeps its machine busy (single-machine equivalent). */
    readonly hoursPerRun: number;
}

/** What drives the usage part of the estimate. Every field is a monthly average. */
export interface Usage {
    /** Jobs per pipeline; job hours a month = runsPerMonth × hoursPerRun. */
    readonly jobs: Partial<Record<Pipeline, JobUsage>>;
    /** GB kept in object storage (data, features, scores, models). */
    readonly storedGb: number;
    /** Average online requests per second over the month (not the peak). */
    readonly requestsPerSecond: number;
    /** Peak online requests per second, for sizing node pools. */
    readonly peakQps: number;
    /** Average streaming events per second into the stream. */
    readonly eventsPerSecond: number;
    /** Size of one event, KB. */
    readonly eventKb: number;
    /** GB of logs ingested a month. */
    readonly logsGb: number;
    /** The stated assumptions behind these figures, for people reading the estimate. */
    readonly assumptions: readonly string[];
}

/** No traffic, no jobs, nothing stored: the estimate is its idle part only. */
export const NO_USAGE: Usage = {
    jobs: {},
    storedGb: 0,
    requestsPerSecond: 0,
    peakQps: 0,
    eventsPerSecond: 0,
    eventKb: 1,
    logsGb: 0,
    assumptions: [],
};

/** Seconds in an average month (730 hours). */
export const SECONDS_PER_MONTH = 730 * 3600;
/** Seconds of container time one online request takes. */
export const SECONDS_PER_REQUEST = 0.1;

/** Job hours a month of one pipeline. */
export function jobHours(usage: Usage, pipeline: string): number {
    const j = usage.jobs[pipeline as Pipeline];
    return j ? j.runsPerMonth * j.hoursPerRun : 0;
}

// ---------------------------------------------------------------------------------------------
// Assumptions the pricers use

/** GB of images one container registry holds (one or two tags of an ML image): its storage minimum. */
export const REGISTRY_IMAGE_GB = 2;
/** Online requests one node of a Kubernetes pool serves per second (sizing the pool above its minimum). */
export const QPS_PER_NODE = 100;
/** Concurrent requests a Cloud Run instance / Container Apps replica serves, when the inputs do not say. */
export const DEFAULT_CONCURRENCY = { cloudRun: 80, containerApps: 10 } as const;
/** State transitions of one run of the one-task state machine (start, task, end). */
export const TRANSITIONS_PER_RUN = 3;
/** Workflows steps of one run besides connector polls (init, create job, return). */
export const WORKFLOW_BASE_STEPS = 3;
/** Consumers reading each stream (retrieval and delivery are billed per consumer). */
export const STREAM_CONSUMERS = 1;
/** One EMR Serverless / Synapse worker-hour per single-machine hour: 4 vCPU, 16 GB. */
export const SPARK_WORKER = { vcpus: 4, memoryGb: 16 } as const;
/** Nodes a Synapse Spark pool starts for a run (its minimum is 3). */
export const SYNAPSE_MIN_NODES = 3;
/** Hours a Spark pool or cluster takes to start for a run, billed at its minimum size. */
export const SPARK_STARTUP_HOURS = 0.25;
/**
 * GB a training run pulls through a NAT gateway: the Ray image (several GB; the CUDA one more) onto
 * each worker node the pool scales up from zero for the run. The stack's own images come from its
 * registry over endpoints / Private Google Access, not through NAT.
 */
export const NAT_GB_PER_RUN = 20;
/** VMs using a Cloud NAT gateway all month: at least a cluster's system node. */
export const NAT_MIN_VMS = 1;
/** Disk per Dataflow streaming worker with Streaming Engine, GB. */
export const DATAFLOW_STREAMING_DISK_GB = 30;

// ---------------------------------------------------------------------------------------------
// The contract

/** A price (or a machine type's price) the book does not have: the resource is listed as unpriced. */
export class MissingPrice extends Error {}

/** What one resource costs a month, USD: with no traffic and no jobs, and on top of that with the usage. */
export interface Priced {
    idle: number;
    usage: number;
    notes: string[];
}

/** What a pricer is given besides the resource's inputs. */
export interface PriceEnv {
    readonly usage: Usage;
    /** The resource's pipeline (`data`, `training-inference`…) from the tags; undefined when untagged. */
    readonly pipeline: string | undefined;
    /** Shares of stack-wide usage (storage, logs) this resource carries. */
    readonly storageShare: number;
    readonly logShare: number;
    /** Hours in an average month, the price book's figure. */
    readonly hoursPerMonth: number;
    /** The list price of `key` in the stack's region, or MissingPrice. */
    price(key: string): number;
    /** Hourly price of a machine on the stack's cloud, or MissingPrice. */
    machineHour(f: MachineFact): number;
    /** The resource's machines, as its catalogue entry reads them. */
    readonly facts: readonly MachineFact[];
    /** Notes for the resource's line of the estimate (price fallbacks, assumptions taken). */
    readonly notes: string[];
}

/** How one resource type is priced. Pure: throws MissingPrice when a price it needs is not in the book. */
export type Pricer = (inputs: Record<string, unknown>, env: PriceEnv) => Priced;

// ---------------------------------------------------------------------------------------------
// Helpers shared by the clouds' pricers

export const p = (idle: number, usage = 0, ...notes: string[]): Priced => ({ idle, usage, notes });

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export const pipelineParts = (pipeline: string) => pipeline.split("-");

/** Machine-hours of a pipeline's jobs a month. */
export const hoursOf = (env: PriceEnv) =>
    env.pipeline ? pipelineParts(env.pipeline).reduce((s, x) => s + jobHours(env.usage, x), 0) : 0;

/** Job runs of a pipeline a month. */
export const runsOf = (env: PriceEnv) =>
    env.pipeline
        ? pipelineParts(env.pipeline).reduce(
              (s, x) => s + (env.usage.jobs[x as keyof Usage["jobs"]]?.runsPerMonth ?? 0),
              0,
          )
        : 0;

/** Streaming ingest, GB a month. */
export const streamGb = (u: Usage) => (u.eventsPerSecond * u.eventKb * SECONDS_PER_MONTH) / (1024 * 1024);
/** Online requests a month. */
export const requestsPerMonth = (u: Usage) => u.requestsPerSecond * SECONDS_PER_MONTH;

/** One job run's machines (from the facts) for the pipeline's job hours. */
export function jobMachines(facts: readonly MachineFact[], env: PriceEnv, diskKey?: string): Priced {
    const H = env.hoursPerMonth;
    const hours = hoursOf(env);
    let usage = 0;
    for (const f of facts) {
        usage += f.maxNodes * env.machineHour(f) * hours;
        if (diskKey && f.diskGb) usage += f.maxNodes * f.diskGb * (env.price(diskKey) / H) * hours;
    }
    const what = facts.map((f) => `${f.maxNodes > 1 ? `${f.maxNodes}× ` : ""}${f.machineType}`).join(", ");
    return p(0, usage, `${what || "no machine"} only while a run goes on (${round(hours)} h a month)`);
}

/** A node pool: its minimum is idle cost; above it, nodes for online load or for job hours. */
export function pool(f: MachineFact, env: PriceEnv, diskKey?: string): Priced {
    const H = env.hoursPerMonth;
    const hourly = env.machineHour(f) + (diskKey && f.diskGb ? (f.diskGb * env.price(diskKey)) / H : 0);
    const idle = f.minNodes * hourly * H;
    let usage = 0;
    const parts = env.pipeline ? pipelineParts(env.pipeline) : [];
    if (parts.includes("inference") && env.usage.requestsPerSecond > 0) {
        const avg = Math.min(f.maxNodes, Math.max(f.minNodes, env.usage.requestsPerSecond / QPS_PER_NODE));
        usage = (avg - f.minNodes) * hourly * H;
    } else if (f.maxNodes > f.minNodes) {
        usage = hoursOf(env) * hourly;
    }
    return p(idle, usage, `${f.minNodes}-${f.maxNodes} × ${f.machineType}`);
}

/** The sum of several parts (the pools of one cluster). */
export function sum(parts: Priced[]): Priced {
    return parts.reduce(
        (a, b) => ({ idle: a.idle + b.idle, usage: a.usage + b.usage, notes: [...a.notes, ...b.notes] }),
        p(0),
    );
}

/** The price of `key`, or undefined when the book has none (other errors pass). */
export function tryPrice(price: (key: string) => number, key: string): number | undefined {
    try {
        return price(key);
    } catch (e) {
        if (e instanceof MissingPrice) return undefined;
        throw e;
    }
}

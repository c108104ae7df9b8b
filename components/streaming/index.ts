import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../foundation";
import type { Checkable, StackContext } from "../shared/context";
import type { InputProblem } from "../shared/errors";
import { artifactKeyProblem, type KeyKind } from "../shared/object-key";

// Level 3 of data and inference: a message stream plus a streaming engine (LEVELS.md). One
// component per stack carries both pipelines, so the pieces they can share (Event Hubs namespace,
// Kinesis endpoint, dead-letter topic, firewall rule) exist once. Every stream has its own fixed
// logical name per pipeline: a level change of one pipeline never replaces the other's stream.

export const STREAMING_TYPE = "mlops:streaming:Streaming";

/** The level this component implements. */
export const STREAMING_LEVEL = 3;

/** The pipelines that stream at level 3. */
export const STREAM_PIPELINES = ["data", "inference"] as const;
export type StreamPipeline = (typeof STREAM_PIPELINES)[number];

/** One pipeline's event flow: how much arrives, which sizes the stream and the engine. */
export interface StreamFlow {
    /** The level the flow implements (3). */
    readonly level: number;
    /** Peak events a second producers write. */
    readonly eventsPerSecond: number;
    /** Average size of one event, KB. */
    readonly eventSizeKb: number;
}

/** Args of the level-3 streaming component; at least one pipeline. */
export interface StreamingArgs {
    readonly ctx: StackContext;
    readonly foundation: Foundation;
    /** Data level 3: an input stream, an engine turning events into features, a sink in the data storage. */
    readonly data?: StreamFlow;
    /**
     * Inference level 3: an input stream, an engine that scores events with the model it loads from
     * the artifacts storage, and an output stream of scores.
     */
    readonly inference?: StreamFlow;
    /**
     * A team's own streaming code per pipeline (`mlops:options.streamingCode`), run instead of the
     * reference scorer; the stack then uploads nothing for that pipeline. What the value names
     * differs by cloud: AWS, the key of the team's Managed Flink application in the artifacts
     * bucket; GCP, the key of the team's JavaScript UDF in the artifacts bucket (inference only);
     * Azure, the path of a JavaScript file, relative to the stack file (`codeDir`), read when the
     * program runs and put in the job (inference only). Each cloud's check refuses what its engine
     * cannot run.
     */
    readonly code?: Partial<Record<StreamPipeline, string>>;
    /**
     * The directory a local code path (Azure's) is relative to: the stack file's, the same under
     * `plan --config` from anywhere and under `pulumi up`, which runs the program in the folder of
     * Pulumi.yaml's `main`, not where the command was typed. Absent: the working directory.
     */
    readonly codeDir?: string;
}

/** Streaming as the stack program decides it: its args without the site, with the region. */
export type StreamingSpec = Checkable<StreamingArgs>;

/** Public outputs of the streaming component, the same on every cloud. */
export interface Streaming extends pulumi.ComponentResource {
    /** Each streaming pipeline's input stream: Kinesis stream name, event hub name, Pub/Sub topic id. */
    readonly inputStreams: Readonly<Partial<Record<StreamPipeline, pulumi.Output<string>>>>;
    /** The stream scores are written to (inference only). */
    readonly scoresStream?: pulumi.Output<string>;
    /** Each pipeline's engine job: Flink application, Stream Analytics job, Dataflow job name. */
    readonly engineJobs: Readonly<Partial<Record<StreamPipeline, pulumi.Output<string>>>>;
    /** Where producers send events (Kinesis API, Event Hubs Kafka endpoint, Pub/Sub API). */
    readonly producerEndpoint: pulumi.Output<string>;
    /** Where data level 3 writes its features in the foundation storage (data only). */
    readonly featuresUri?: pulumi.Output<string>;
}

/** Prefix under the data storage where the data engine writes features. */
export const FEATURES_PREFIX = "streaming/features";
/** Prefix under the artifacts storage of the engines' code and models. */
export const STREAMING_CODE_PREFIX = "streaming";
/** Prefix under the artifacts storage where the scoring engine reads the model. */
export const MODEL_PREFIX = "models/streaming";
/**
 * Size of one score event, KB: an event id, a score and the model version as JSON. It sizes the
 * scores stream, whose rate is the input rate (one score per event).
 */
export const SCORE_EVENT_KB = 0.25;

/** The flows that are present, in a fixed order. */
export function flowsOf(a: Pick<StreamingArgs, "data" | "inference">): [StreamPipeline, StreamFlow][] {
    return STREAM_PIPELINES.flatMap((p) => (a[p] ? [[p, a[p]] as [StreamPipeline, StreamFlow]] : []));
}

/** Tag pipeline value of what both flows share: one pipeline alone, or both. */
export function sharedPipelines(a: Pick<StreamingArgs, "data" | "inference">): StreamPipeline | StreamPipeline[] {
    const ps = flowsOf(a).map(([p]) => p);
    return ps.length === 1 ? ps[0]! : ps;
}

/** MB a second a flow carries. */
export function megabytesPerSecond(f: Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">): number {
    return (f.eventsPerSecond * f.eventSizeKb) / 1024;
}

/** The flow of scores an inference flow produces: one small score per event. */
export function scoresFlow(f: StreamFlow): StreamFlow {
    return { level: f.level, eventsPerSecond: f.eventsPerSecond, eventSizeKb: SCORE_EVENT_KB };
}

const fmt = (x: number) => String(Math.round(x * 1000) / 1000);
const SECONDS_PER_MONTH = 730 * 3600;

// ---------------------------------------------------------------------------------------------
// AWS: Kinesis Data Streams and Managed Service for Apache Flink

/** Write capacity of one provisioned shard: 1 MB/s... */
export const KINESIS_SHARD_MBPS = 1;
/** ...or 1,000 records/s, whichever is reached first. */
export const KINESIS_SHARD_RECORDS = 1000;
/** The default per-region shard quota in most regions; above it, on-demand scales without a quota request. */
export const KINESIS_MAX_PROVISIONED_SHARDS = 200;
/** On-demand write capacity a stream can reach by default (MB/s). */
export const KINESIS_ON_DEMAND_MAX_MBPS = 200;
/** Largest Kinesis record by default, KB (1 MiB). */
export const KINESIS_MAX_RECORD_KB = 1024;
/**
 * us-east-1 list prices (USD), the basis of the on-demand / provisioned choice. Regions differ in
 * level, hardly in ratio, so the cheaper mode is the same everywhere. Source:
 * https://aws.amazon.com/kinesis/data-streams/pricing/ (the cost model's price book has the same).
 */
export const KINESIS_PRICES = {
    shardHour: 0.015,
    /** Per million 25 KB PUT payload units. */
    putUnitsPerMillion: 0.014,
    onDemandStreamHour: 0.04,
    onDemandIngestGb: 0.08,
    onDemandRetrieveGb: 0.04,
} as const;

export interface KinesisCapacity {
    readonly mode: "PROVISIONED" | "ON_DEMAND";
    /** Shards of a provisioned stream (undefined on demand). */
    readonly shards?: number;
    /** Monthly cost of each mode at the flow's rate, USD, read by one consumer. */
    readonly monthlyUsd: { readonly provisioned: number; readonly onDemand: number };
    readonly reason: string;
}

/**
 * Capacity mode and shards of one Kinesis stream for a flow. Shards: enough for the bytes (1 MB/s
 * each) and the records (1,000/s each). Mode: whichever costs less a month at this rate, read by
 * one consumer: a provisioned stream pays per shard-hour and per 25 KB payload unit, an on-demand
 * stream per stream-hour and per GB in and out. A stream idle most of the time is cheaper
 * provisioned at 1-2 shards ($11-22 a month) than on demand ($29 a month before data). Above the
 * default shard quota the stream goes on demand, which needs no quota request.
 */
export function kinesisCapacity(f: Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">): KinesisCapacity {
    const mbps = megabytesPerSecond(f);
    const shards = Math.max(
        1,
        Math.ceil(mbps / KINESIS_SHARD_MBPS - 1e-9),
        Math.ceil(f.eventsPerSecond / KINESIS_SHARD_RECORDS - 1e-9),
    );
    const eventsMonth = f.eventsPerSecond * SECONDS_PER_MONTH;
    const P = KINESIS_PRICES;
    const provisioned =
        shards * P.shardHour * 730 + (eventsMonth * Math.ceil(f.eventSizeKb / 25) * P.putUnitsPerMillion) / 1e6;
    // On demand bills each record rounded up to the next KB; reads are not rounded.
    const gbIn = (eventsMonth * Math.ceil(f.eventSizeKb)) / (1024 * 1024);
    const gbOut = (eventsMonth * f.eventSizeKb) / (1024 * 1024);
    const onDemand = P.onDemandStreamHour * 730 + gbIn * P.onDemandIngestGb + gbOut * P.onDemandRetrieveGb;
    const monthlyUsd = { provisioned, onDemand };
    const need = `${fmt(f.eventsPerSecond)} events/s of ${fmt(f.eventSizeKb)} KB = ${fmt(mbps)} MB/s needs ${shards} shard${shards > 1 ? "s" : ""} (1 MB/s or 1,000 records/s each)`;
    if (shards > KINESIS_MAX_PROVISIONED_SHARDS)
        return {
            mode: "ON_DEMAND",
            monthlyUsd,
            reason: `${need} > ${KINESIS_MAX_PROVISIONED_SHARDS}, the default shard quota → on-demand`,
        };
    if (provisioned <= onDemand)
        return {
            mode: "PROVISIONED",
            shards,
            monthlyUsd,
            reason: `${need}; provisioned $${fmt(provisioned)}/month <= on-demand $${fmt(onDemand)}/month → provisioned`,
        };
    return {
        mode: "ON_DEMAND",
        monthlyUsd,
        reason: `${need}; on-demand $${fmt(onDemand)}/month < provisioned $${fmt(provisioned)}/month → on-demand`,
    };
}

/** Throughput one Kinesis Processing Unit (1 vCPU, 4 GB) is assumed to carry for a simple job, MB/s. */
export const FLINK_KPU_MBPS = 1;
/** Records a second one KPU is assumed to carry. */
export const FLINK_KPU_RECORDS = 1000;
/** Managed Flink's default quota of KPUs per application (one parallel task per KPU here). */
export const FLINK_MAX_PARALLELISM = 64;

/**
 * Initial parallelism of a Flink application (one task per KPU): enough KPUs for the bytes and the
 * records; autoscaling then follows the load. Never more than the input stream's shards can feed.
 */
export function flinkParallelism(f: Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">): {
    parallelism: number;
    reason: string;
} {
    const mbps = megabytesPerSecond(f);
    const want = Math.max(
        1,
        Math.ceil(mbps / FLINK_KPU_MBPS - 1e-9),
        Math.ceil(f.eventsPerSecond / FLINK_KPU_RECORDS - 1e-9),
    );
    const parallelism = Math.min(want, FLINK_MAX_PARALLELISM);
    return {
        parallelism,
        reason: `${fmt(mbps)} MB/s at ${FLINK_KPU_MBPS} MB/s or ${FLINK_KPU_RECORDS} records/s per KPU → parallelism ${parallelism}${want > parallelism ? ` (capped at ${FLINK_MAX_PARALLELISM}, the default KPU quota)` : ""}`,
    };
}

// ---------------------------------------------------------------------------------------------
// Azure: Event Hubs (Standard) and Stream Analytics

/** Ingress of one throughput unit: 1 MB/s... */
export const EVENT_HUBS_TU_MBPS = 1;
/** ...or 1,000 events/s. */
export const EVENT_HUBS_TU_EVENTS = 1000;
/** Most throughput units a Standard namespace takes; beyond, Premium or Dedicated (not built). */
export const EVENT_HUBS_MAX_TU = 40;
/** Partitions a Standard event hub may have. */
export const EVENT_HUBS_MAX_PARTITIONS = 32;
/**
 * Fewest partitions per event hub. Partitions cost nothing on Standard but can never be changed
 * after the hub exists, so hubs start with room for the engine to read in parallel.
 */
export const EVENT_HUBS_MIN_PARTITIONS = 4;
/** Partitions per MB/s of the flow, twice the need: room to grow without recreating the hub. */
export const EVENT_HUBS_PARTITION_HEADROOM = 2;
/** Largest event on Standard, KB. */
export const EVENT_HUBS_MAX_EVENT_KB = 1024;
/** Throughput one Stream Analytics streaming unit (V1) is assumed to carry for a simple query, MB/s. */
export const STREAM_ANALYTICS_SU_MBPS = 1;
/** Streaming unit counts (V1) a job may have: 1, 3, then whole streaming nodes of 6. */
export const STREAM_ANALYTICS_SU_STEPS = [1, 3, ...Array.from({ length: 32 }, (_, i) => 6 * (i + 1))] as const;
/** A job uses at most 6 streaming units (one node) per input partition. */
export const STREAM_ANALYTICS_SU_PER_PARTITION = 6;

/** Throughput units one namespace needs for all its flows' ingress. */
export function eventHubsThroughputUnits(flows: readonly Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">[]): {
    units: number;
    reason: string;
} {
    const mbps = flows.reduce((s, f) => s + megabytesPerSecond(f), 0);
    const events = flows.reduce((s, f) => s + f.eventsPerSecond, 0);
    const units = Math.max(
        1,
        Math.ceil(mbps / EVENT_HUBS_TU_MBPS - 1e-9),
        Math.ceil(events / EVENT_HUBS_TU_EVENTS - 1e-9),
    );
    return {
        units,
        reason: `${fmt(events)} events/s, ${fmt(mbps)} MB/s into the namespace at ${EVENT_HUBS_TU_MBPS} MB/s or ${EVENT_HUBS_TU_EVENTS} events/s per throughput unit → ${units} TU`,
    };
}

/** Partitions of one event hub for a flow: twice the MB/s or thousands of events, at least the minimum. */
export function eventHubPartitions(f: Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">): number {
    const need = Math.max(megabytesPerSecond(f) / EVENT_HUBS_TU_MBPS, f.eventsPerSecond / EVENT_HUBS_TU_EVENTS);
    return Math.min(
        EVENT_HUBS_MAX_PARTITIONS,
        Math.max(EVENT_HUBS_MIN_PARTITIONS, Math.ceil(need * EVENT_HUBS_PARTITION_HEADROOM - 1e-9)),
    );
}

/** Streaming units of a Stream Analytics job reading a flow from `partitions` partitions. */
export function streamAnalyticsUnits(
    f: Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">,
    partitions: number,
): { units: number; reason: string; enough: boolean } {
    const mbps = megabytesPerSecond(f);
    const want = Math.max(1, Math.ceil(mbps / STREAM_ANALYTICS_SU_MBPS - 1e-9));
    const usable = partitions * STREAM_ANALYTICS_SU_PER_PARTITION;
    const fits = STREAM_ANALYTICS_SU_STEPS.filter((s) => s <= usable);
    const units = fits.find((s) => s >= want) ?? fits[fits.length - 1]!;
    return {
        units,
        enough: units >= want,
        reason: `${fmt(mbps)} MB/s at ${STREAM_ANALYTICS_SU_MBPS} MB/s per streaming unit → ${units} SU (steps 1, 3, 6, 12…; at most ${STREAM_ANALYTICS_SU_PER_PARTITION} per partition)`,
    };
}

// ---------------------------------------------------------------------------------------------
// GCP: Pub/Sub and Dataflow

/** Largest Pub/Sub message, KB (10 MB). */
export const PUBSUB_MAX_MESSAGE_KB = 10 * 1024;
/** Throughput one streaming worker (n1-standard-2 with Streaming Engine) is assumed to carry, MB/s. */
export const DATAFLOW_WORKER_MBPS = 4;
/** Workers beyond the need, so a job catches up on a backlog after a restart or a burst. */
export const DATAFLOW_HEADROOM = 2;
/** Dataflow's largest maxWorkers. */
export const DATAFLOW_MAX_WORKERS = 1000;

/**
 * Most workers a streaming Dataflow job may scale to. It always runs at least one worker: Dataflow
 * streaming does not scale to zero, which is the idle cost of this level on GCP.
 */
export function dataflowMaxWorkers(f: Pick<StreamFlow, "eventsPerSecond" | "eventSizeKb">): {
    maxWorkers: number;
    reason: string;
} {
    const mbps = megabytesPerSecond(f);
    const maxWorkers = Math.min(
        DATAFLOW_MAX_WORKERS,
        Math.max(1, Math.ceil((mbps * DATAFLOW_HEADROOM) / DATAFLOW_WORKER_MBPS - 1e-9)),
    );
    return {
        maxWorkers,
        reason: `${fmt(mbps)} MB/s × ${DATAFLOW_HEADROOM} headroom at ${DATAFLOW_WORKER_MBPS} MB/s per worker → up to ${maxWorkers} worker${maxWorkers > 1 ? "s" : ""} (at least 1 always runs)`,
    };
}

// ---------------------------------------------------------------------------------------------
// Spec and checks

/** Key path of a flow field in the stack config. */
export const flowPath = (p: StreamPipeline, key: string) => `config.mlops:workload.${p}.${key}`;

/** Key path of a pipeline's own streaming code in the stack config. */
export const codePath = (p: StreamPipeline) => `config.mlops:options.streamingCode.${p}`;

/**
 * The problem of a team's object key in the artifacts store (AWS and GCP), if any, at the pipeline's
 * option: the shared key rules (artifactKeyProblem), with the endings `kind` takes. Pure.
 */
export function artifactKeyProblems(p: StreamPipeline, key: string, kind: KeyKind): InputProblem[] {
    const message = artifactKeyProblem(key, kind);
    return message ? [{ path: codePath(p), message }] : [];
}

/**
 * Checks the cloud-neutral part of the args; every problem at once, with config key paths. Pure.
 * Each cloud's kit adds its own limits (record sizes, capacity ceilings).
 */
/**
 * Why the stream and engine are the size they are, one line per decision and pipeline, in the
 * LEVELS.md style (input, threshold, comparison). Pure: the plan shows it as a stack output.
 */
export function streamingSizing(
    cloud: "aws" | "azure" | "gcp",
    a: Pick<StreamingArgs, "data" | "inference">,
): string[] {
    const flows = flowsOf(a);
    const lines: string[] = [];
    if (cloud === "azure") {
        const all = flows.flatMap(([p, f]) => (p === "inference" ? [f, scoresFlow(f)] : [f]));
        lines.push(`Event Hubs: ${eventHubsThroughputUnits(all).reason}`);
    }
    for (const [p, f] of flows) {
        if (cloud === "aws") {
            lines.push(`${p} stream: ${kinesisCapacity(f).reason}`);
            lines.push(`${p} Flink: ${flinkParallelism(f).reason}`);
        } else if (cloud === "azure")
            lines.push(`${p} Stream Analytics: ${streamAnalyticsUnits(f, eventHubPartitions(f)).reason}`);
        else lines.push(`${p} Dataflow: ${dataflowMaxWorkers(f).reason}`);
    }
    return lines;
}

export function checkStreamingArgs(a: Pick<StreamingArgs, "data" | "inference">): InputProblem[] {
    const p: InputProblem[] = [];
    const flows = flowsOf(a);
    if (flows.length === 0)
        p.push({ path: "config.mlops:workload", message: "streaming needs data or inference at level 3" });
    for (const [name, f] of flows) {
        if (f.level !== STREAMING_LEVEL)
            p.push({ path: `config.mlops:workload.${name}`, message: `streaming implements level 3, not ${f.level}` });
        if (!(Number.isFinite(f.eventsPerSecond) && f.eventsPerSecond > 0))
            p.push({ path: flowPath(name, "eventsPerSecond"), message: "must be more than 0" });
        if (!(Number.isFinite(f.eventSizeKb) && f.eventSizeKb > 0))
            p.push({ path: flowPath(name, "eventSizeKb"), message: "must be more than 0" });
    }
    return p;
}

/** A flow whose numbers are usable for sizing (checked already, or skipped by the cloud checks). */
export const sane = (f: StreamFlow) =>
    Number.isFinite(f.eventsPerSecond) && f.eventsPerSecond > 0 && Number.isFinite(f.eventSizeKb) && f.eventSizeKb > 0;

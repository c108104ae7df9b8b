import type * as pulumi from "@pulumi/pulumi";
import type { Foundation } from "../foundation";
import { MEMORY_HEADROOM } from "../machines";
import type { Checkable, StackContext } from "../shared/context";
import { isFiveFieldCron } from "../shared/cron";
import type { InputProblem } from "../shared/errors";
import { OBJECT_KEY_CHARS } from "../shared/object-key";

/** Component type token of the Spark cluster, the same on every cloud. */
export const SPARK_TYPE = "mlops:spark:SparkCluster";

/** The pipelines a Spark cluster serves: data level 2 (features) and inference level 2 (batch scoring). */
export type SparkPipeline = "data" | "inference";

/** The level this capability implements. */
export const SPARK_LEVEL = 2;

/** Default time a Spark run may take before it is stopped. */
export const DEFAULT_SPARK_TIMEOUT_HOURS = 6;
/** The longest run the schedulers and Dataproc's workflow DAG allow (24 h): longer work is split. */
export const MAX_SPARK_TIMEOUT_HOURS = 24;
/** Folder of the artifacts storage holding the Spark entry scripts, one `<pipeline>.py` each. */
export const SCRIPTS_PREFIX = "jobs/spark";
/** Default model location in the artifacts storage; the scoring job loads it as a Spark UDF. */
export const DEFAULT_MODEL_PATH = "models/latest";
/** Folder of the artifacts storage Spark logs and event logs go to. */
export const LOGS_PREFIX = "logs/spark";
/** Minutes an idle cluster or pool waits before it stops billing (EMR Serverless, Synapse). */
export const IDLE_MINUTES = 15;

/** One scheduled Spark job on the shared cluster. */
export interface SparkJobSpec {
    /** The pipeline the job serves. */
    readonly pipeline: SparkPipeline;
    /** GB one run processes; the cluster's largest size gives it this much memory plus headroom. */
    readonly volumeGb: number;
    /** Five-field cron, UTC. */
    readonly schedule: string;
    /**
     * The team's own entry script, a key relative to the artifacts storage
     * (`mlops:options.sparkScripts.<pipeline>`). The team uploads it; the stack only points at it.
     * Undefined: the job runs the reference pipeline's script, which the foundation uploads with
     * what it reads (each cloud's `needs`).
     */
    readonly script?: string;
    /** Inference only: model location relative to the artifacts storage; default DEFAULT_MODEL_PATH. */
    readonly modelPath?: string;
    /** Hours a run may take before it is stopped; default DEFAULT_SPARK_TIMEOUT_HOURS, at most 24. */
    readonly timeoutHours?: number;
}

/** Args of the Spark cluster: data level 2 and/or inference level 2, sharing one cluster. */
export interface SparkClusterArgs {
    readonly ctx: StackContext;
    readonly foundation: Foundation;
    /** The level it implements (2). */
    readonly level: number;
    /**
     * The jobs the cluster runs, one per pipeline at level 2 (one or two). Two jobs share one
     * cluster, sized for the larger of their volumes, with resources tagged for both pipelines.
     */
    readonly jobs: readonly SparkJobSpec[];
}

/** The Spark cluster as the stack program decides it: its args without the site, with the region. */
export type SparkSpec = Checkable<SparkClusterArgs>;

/** Public outputs of the Spark cluster, the same on every cloud. */
export interface SparkCluster extends pulumi.ComponentResource {
    /** EMR Serverless application, Synapse Spark pool, or Dataproc cluster-name prefix (per-run clusters). */
    readonly clusterName: pulumi.Output<string>;
    /** Per pipeline, the runnable scheduled job: state machine, container app job, workflow template. */
    readonly jobNames: Readonly<Partial<Record<SparkPipeline, pulumi.Output<string>>>>;
    /** The worker type (EMR Serverless worker size, Synapse node size, Compute Engine machine type). */
    readonly workerType: string;
    readonly minWorkers: number;
    readonly maxWorkers: number;
    /** The pipelines the cluster serves. */
    readonly pipelines: readonly SparkPipeline[];
}

// ---------------------------------------------------------------------------------------------
// Sizing

/** One worker type a cloud offers for Spark, smallest first in a catalogue. */
export interface SparkWorkerType {
    /** The cloud's own name (`16 vCPU / 120 GB`, `Large`, `n2-highmem-16`). */
    readonly name: string;
    readonly vcpus: number;
    readonly memoryGb: number;
}

/** Limits of one cloud's Spark service that shape the sizing. */
export interface SparkLimits {
    /** Workers the cluster keeps at its smallest (Dataproc: 2 primary workers; Synapse: 3 nodes). */
    readonly minWorkers: number;
    /** The most workers the service (or a sane default quota) allows. */
    readonly maxWorkers: number;
}

/**
 * Workers of one type before the sizing moves to the next larger type: many small workers shuffle
 * more over the network, few large ones waste memory on small runs. 16 keeps both in check.
 */
export const WORKERS_BEFORE_LARGER_TYPE = 16;

/** Spark memory a run over `volumeGb` needs: the data plus the same headroom as one machine. */
export function sparkMemoryNeededGb(volumeGb: number): number {
    return volumeGb * MEMORY_HEADROOM;
}

export interface SparkSize {
    readonly worker: SparkWorkerType;
    readonly minWorkers: number;
    readonly maxWorkers: number;
    /** Memory the run needs with headroom. */
    readonly neededGb: number;
    /** Memory of the cluster at its largest (maxWorkers × worker memory). */
    readonly totalGb: number;
}

/**
 * The cluster for `volumeGb`: the smallest worker type that holds the data (with headroom) in at
 * most WORKERS_BEFORE_LARGER_TYPE workers, else the largest type with as many workers as needed;
 * autoscaling between `limits.minWorkers` and that count. Returns a problem message instead when
 * even `limits.maxWorkers` of the largest type are too few. Pure; the largest memory is monotonic
 * in volumeGb (a larger run never gets a smaller cluster).
 */
export function sparkSize(
    volumeGb: number,
    catalogue: readonly SparkWorkerType[],
    limits: SparkLimits,
): SparkSize | { problem: string } {
    const need = sparkMemoryNeededGb(volumeGb);
    const sorted = [...catalogue].sort((a, b) => a.memoryGb - b.memoryGb || a.vcpus - b.vcpus);
    const largest = sorted[sorted.length - 1];
    if (!largest) throw new Error("empty Spark worker catalogue");
    const count = (w: SparkWorkerType) => Math.max(limits.minWorkers, Math.ceil(need / w.memoryGb));
    const worker = sorted.find((w) => count(w) <= Math.max(WORKERS_BEFORE_LARGER_TYPE, limits.minWorkers)) ?? largest;
    const maxWorkers = count(worker);
    if (maxWorkers > limits.maxWorkers)
        return {
            problem: `${volumeGb} GB needs ${need} GB of cluster memory with headroom, more than ${limits.maxWorkers} ${largest.name} workers hold (${limits.maxWorkers * largest.memoryGb} GB)`,
        };
    return { worker, minWorkers: limits.minWorkers, maxWorkers, neededGb: need, totalGb: maxWorkers * worker.memoryGb };
}

/** sparkSize that throws on a problem (after the checks ran, it cannot). */
export function sparkSizeOrThrow(
    volumeGb: number,
    catalogue: readonly SparkWorkerType[],
    limits: SparkLimits,
): SparkSize {
    const s = sparkSize(volumeGb, catalogue, limits);
    if ("problem" in s) throw new Error(s.problem);
    return s;
}

/** The volume the shared cluster is sized for: the largest of its jobs. */
export function clusterVolumeGb(jobs: readonly Pick<SparkJobSpec, "volumeGb">[]): number {
    return Math.max(0, ...jobs.map((j) => j.volumeGb));
}

/** The pipelines of the jobs, in a stable order (data first), for tags and names. */
export function pipelinesOf(jobs: readonly Pick<SparkJobSpec, "pipeline">[]): SparkPipeline[] {
    return (["data", "inference"] as const).filter((p) => jobs.some((j) => j.pipeline === p));
}

/** Entry script of a job, relative to the artifacts storage. */
export function scriptPath(job: Pick<SparkJobSpec, "pipeline" | "script">): string {
    return job.script ?? `${SCRIPTS_PREFIX}/${job.pipeline}.py`;
}

/** Joins a storage URI (`s3://b`, `gs://b`, `abfss://c@a.dfs.core.windows.net/`) and a path. */
export function joinUri(base: string, path: string): string {
    return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * Arguments every entry script gets: where data and artifacts live, its pipeline, and for
 * scoring the model URI it wraps as a Spark UDF (`mlflow.pyfunc.spark_udf`). Pure.
 */
export function jobArguments(
    job: Pick<SparkJobSpec, "pipeline" | "modelPath">,
    dataUri: string,
    artifactsUri: string,
): string[] {
    const args = ["--pipeline", job.pipeline, "--data-uri", dataUri, "--artifacts-uri", artifactsUri];
    if (job.pipeline === "inference")
        args.push("--model-uri", joinUri(artifactsUri, job.modelPath ?? DEFAULT_MODEL_PATH));
    return args;
}

/** Spark properties that make a run use the cluster's autoscaling range. Pure. */
export function dynamicAllocation(size: Pick<SparkSize, "minWorkers" | "maxWorkers">): Record<string, string> {
    return {
        "spark.dynamicAllocation.enabled": "true",
        "spark.dynamicAllocation.minExecutors": String(1),
        "spark.dynamicAllocation.maxExecutors": String(size.maxWorkers),
    };
}

// ---------------------------------------------------------------------------------------------
// Checks and the decision

/**
 * Checks the cloud-neutral args (key paths under `config.mlops:workload.<pipeline>`); every
 * problem at once. Pure.
 */
export function checkSparkClusterArgs(a: Pick<SparkClusterArgs, "jobs" | "level">): InputProblem[] {
    const p: InputProblem[] = [];
    if (a.level !== SPARK_LEVEL)
        p.push({ path: "level", message: `the Spark cluster implements level ${SPARK_LEVEL}` });
    if (a.jobs.length === 0) p.push({ path: "jobs", message: "needs at least one pipeline at level 2" });
    const seen = new Set<string>();
    for (const j of a.jobs) {
        const at = `config.mlops:workload.${j.pipeline}`;
        if (seen.has(j.pipeline)) p.push({ path: at, message: "has two Spark jobs; one per pipeline" });
        seen.add(j.pipeline);
        if (!(j.volumeGb >= 0)) p.push({ path: `${at}.volumeGb`, message: "must be 0 or more" });
        if (!isFiveFieldCron(j.schedule))
            p.push({ path: `${at}.schedule`, message: "must be a five-field cron expression" });
        if (j.timeoutHours !== undefined && !(j.timeoutHours > 0 && j.timeoutHours <= MAX_SPARK_TIMEOUT_HOURS))
            p.push({
                path: `${at}.timeoutHours`,
                message: `must be more than 0 and at most ${MAX_SPARK_TIMEOUT_HOURS}`,
            });
        for (const [key, v] of [
            ["script", j.script],
            ["modelPath", j.modelPath],
        ] as const)
            if (v !== undefined && !OBJECT_KEY_CHARS.test(v))
                p.push({ path: `${at}.${key}`, message: "must be a path of letters, digits, '.', '_', '-' and '/'" });
    }
    return p;
}

/** The sizing check a cloud kit adds: the problem sits on the pipeline with the largest volume. */
export function sizeProblems(
    jobs: readonly SparkJobSpec[],
    catalogue: readonly SparkWorkerType[],
    limits: SparkLimits,
): InputProblem[] {
    if (jobs.length === 0) return [];
    const volume = clusterVolumeGb(jobs);
    const s = sparkSize(volume, catalogue, limits);
    if (!("problem" in s)) return [];
    const biggest = jobs.find((j) => j.volumeGb === volume) ?? jobs[0]!;
    return [{ path: `config.mlops:workload.${biggest.pipeline}.volumeGb`, message: s.problem }];
}

import { type Levels, MAX_LEVEL, PIPELINES, type Pipeline } from "../components/shared/levels";
import {
    type Capacity,
    CapacitySchema,
    type DataWorkload,
    type InferenceWorkload,
    type Pins,
    type TrainingWorkload,
    type Workload,
} from "./schema";

/** One pipeline's decision: its level and the one-line reason a person can check. */
export interface Decision {
    level: number;
    reason: string;
}

export interface Assessment {
    /** Assessed level per pipeline named by the workload; absent pipelines are absent. */
    levels: Levels;
    reasons: Partial<Record<Pipeline, string>>;
    /** Training runs on a GPU. */
    gpu: boolean;
}

/** A pin that differs from the assessment. */
export interface PinFinding {
    pipeline: Pipeline;
    pinned: number;
    assessed: number;
    kind: "over-provisioning" | "under-provisioning";
    message: string;
}

/** The assessment with pins applied: what the stack provisions. */
export interface LevelPlan extends Assessment {
    /** Levels after pins: what is built. */
    effective: Levels;
    pins: PinFinding[];
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(3))));

export function assessData(d: DataWorkload, c: Capacity): Decision {
    const fresh = d.freshnessSeconds;
    if (fresh <= c.streamingFreshnessSeconds)
        return {
            level: 3,
            reason: `freshnessSeconds ${fmt(fresh)} <= streamingFreshnessSeconds ${fmt(c.streamingFreshnessSeconds)}: batch cannot be that fresh, so a stream plus streaming engine (level 3)`,
        };
    if (d.volumeGb <= c.singleMachineMemoryGb)
        return {
            level: 1,
            reason: `volumeGb ${fmt(d.volumeGb)} <= singleMachineMemoryGb ${fmt(c.singleMachineMemoryGb)} with batch freshness (${fmt(fresh)} s > ${fmt(c.streamingFreshnessSeconds)} s): one machine (level 1)`,
        };
    return {
        level: 2,
        reason: `volumeGb ${fmt(d.volumeGb)} > singleMachineMemoryGb ${fmt(c.singleMachineMemoryGb)} with batch freshness (${fmt(fresh)} s > ${fmt(c.streamingFreshnessSeconds)} s): a Spark cluster (level 2)`,
    };
}

export function assessTraining(t: TrainingWorkload, c: Capacity): Decision {
    const fits = t.datasetGb <= c.singleMachineMemoryGb;
    const inTime = t.singleMachineHours <= t.slaHours;
    const mem = `datasetGb ${fmt(t.datasetGb)} ${fits ? "<=" : ">"} singleMachineMemoryGb ${fmt(c.singleMachineMemoryGb)}`;
    const time = `singleMachineHours ${fmt(t.singleMachineHours)} ${inTime ? "<=" : ">"} slaHours ${fmt(t.slaHours)}`;
    if (fits && inTime) return { level: 1, reason: `${mem} and ${time}: one machine (level 1)` };
    const why = [fits ? undefined : mem, inTime ? undefined : time].filter((s) => s !== undefined).join(" and ");
    return { level: 2, reason: `${why}: a distributed training cluster (level 2)` };
}

export function assessInference(i: InferenceWorkload, c: Capacity): Decision {
    switch (i.mode) {
        case "batch": {
            const v = i.volumeGb ?? 0;
            return v <= c.singleMachineMemoryGb
                ? {
                      level: 1,
                      reason: `mode batch and volumeGb ${fmt(v)} <= singleMachineMemoryGb ${fmt(c.singleMachineMemoryGb)}: one machine (level 1)`,
                  }
                : {
                      level: 2,
                      reason: `mode batch and volumeGb ${fmt(v)} > singleMachineMemoryGb ${fmt(c.singleMachineMemoryGb)}: scoring on the Spark cluster (level 2)`,
                  };
        }
        case "streaming":
            return {
                level: 3,
                reason: "mode streaming (events in, scores out): scoring inside the streaming engine (level 3)",
            };
        case "online": {
            const q = i.peakQps ?? 0;
            return q <= c.singleEndpointQps
                ? {
                      level: 4,
                      reason: `mode online and peakQps ${fmt(q)} <= singleEndpointQps ${fmt(c.singleEndpointQps)}: a serverless endpoint (level 4)`,
                  }
                : {
                      level: 5,
                      reason: `mode online and peakQps ${fmt(q)} > singleEndpointQps ${fmt(c.singleEndpointQps)}: a Kubernetes cluster (level 5)`,
                  };
        }
    }
}

/** The capacities with every default filled in. */
export function withDefaults(c: Partial<Capacity> | undefined): Capacity {
    return CapacitySchema.parse(c ?? {});
}

/** Assesses each pipeline the workload names, by the rules of LEVELS.md. Pure. */
export function assess(workload: Workload, capacity?: Partial<Capacity>): Assessment {
    const c = withDefaults(capacity);
    const levels: Levels = {};
    const reasons: Partial<Record<Pipeline, string>> = {};
    const decide = (p: Pipeline, d: Decision) => {
        levels[p] = d.level;
        reasons[p] = d.reason;
    };
    if (workload.data) decide("data", assessData(workload.data, c));
    if (workload.training) decide("training", assessTraining(workload.training, c));
    if (workload.inference) decide("inference", assessInference(workload.inference, c));
    const gpu = workload.training ? (workload.training.gpu ?? workload.training.dataKind === "unstructured") : false;
    return { levels, reasons, gpu };
}

/** Compares pins with the assessment: over- and under-provisioning are both reported. */
export function comparePins(assessed: Levels, pins: Pins | undefined): PinFinding[] {
    const out: PinFinding[] = [];
    for (const p of PIPELINES) {
        const pinned = pins?.[p];
        const a = assessed[p];
        if (pinned === undefined || a === undefined || pinned === a) continue;
        const kind = pinned > a ? "over-provisioning" : "under-provisioning";
        out.push({
            pipeline: p,
            pinned,
            assessed: a,
            kind,
            message: `${p} is pinned to level ${pinned} but the workload assesses level ${a}: ${kind}`,
        });
    }
    return out;
}

/** Assessment plus pins: the levels a stack builds. A pin for a pipeline the workload leaves out is ignored. */
export function planLevels(
    workload: Workload,
    capacity: Partial<Capacity> | undefined,
    pins: Pins | undefined,
): LevelPlan {
    const a = assess(workload, capacity);
    const effective: Levels = {};
    for (const p of PIPELINES) {
        const l = a.levels[p];
        if (l !== undefined) effective[p] = pins?.[p] ?? l;
    }
    return { ...a, effective, pins: comparePins(a.levels, pins) };
}

export { MAX_LEVEL };

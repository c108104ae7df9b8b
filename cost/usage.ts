import type { StackSettings } from "../assessment/config";
import { DEFAULTS } from "../assessment/schema";
import { type JobUsage, SECONDS_PER_MONTH, SECONDS_PER_REQUEST, type Usage } from "../catalog/pricing";
import type { Pipeline } from "../components/shared/levels";

export {
    type JobUsage,
    jobHours,
    NO_USAGE,
    SECONDS_PER_MONTH,
    SECONDS_PER_REQUEST,
    type Usage,
} from "../catalog/pricing";

// ---------------------------------------------------------------------------------------------
// Assumptions (each named, stated in the estimate)

/** GB one machine processes per hour (pandas / scikit-learn style work reading from object storage). */
export const THROUGHPUT_GB_PER_HOUR = 25;
/** Fixed part of every run: provisioning, image pull, start-up and upload. */
export const RUN_OVERHEAD_HOURS = 0.1;
/** Training runs a month when nothing schedules them: weekly retraining. */
export const TRAINING_RUNS_PER_MONTH = 4;
/** Average online load as a share of peak QPS (traffic is not at peak all month). */
export const ONLINE_DUTY_CYCLE = 0.25;
/** Size of one streaming event, KB. */
export const EVENT_KB = 1;
/** Model artifacts kept, GB. */
export const MODEL_ARTIFACTS_GB = 1;
/** Logs per job hour, GB. */
export const LOG_GB_PER_JOB_HOUR = 0.02;
/** Logs per million online requests, GB (one short access line each). */
export const LOG_GB_PER_MILLION_REQUESTS = 0.5;
/** Days in an average month. */
export const DAYS_PER_MONTH = 365 / 12;

// ---------------------------------------------------------------------------------------------
// Cron

interface Field {
    min: number;
    max: number;
    names?: readonly string[];
}
const FIELDS: readonly Field[] = [
    { min: 0, max: 59 },
    { min: 0, max: 23 },
    { min: 1, max: 31 },
    { min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { min: 0, max: 7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

function value(s: string, f: Field): number {
    const i = f.names?.indexOf(s.toLowerCase()) ?? -1;
    if (i >= 0) return f.max === 12 ? i + 1 : i;
    if (!/^\d+$/.test(s)) throw new Error(`'${s}' is not a cron value`);
    return Number(s);
}

/** The values a field selects; undefined for an unrestricted `*` or `?`. */
function expand(text: string, f: Field): Set<number> | undefined {
    if (text === "*" || text === "?") return undefined;
    const out = new Set<number>();
    for (const item of text.split(",")) {
        const [range = "", stepText] = item.split("/");
        const step = stepText === undefined ? 1 : Number(stepText);
        if (!Number.isInteger(step) || step < 1) throw new Error(`bad step in '${item}'`);
        let lo: number;
        let hi: number;
        if (range === "*") [lo, hi] = [f.min, f.max];
        else if (range.includes("-")) {
            const [a = "", b = ""] = range.split("-");
            [lo, hi] = [value(a, f), value(b, f)];
        } else {
            lo = value(range, f);
            hi = stepText === undefined ? lo : f.max;
        }
        for (let v = lo; v <= hi; v += step) out.add(f.max === 7 ? v % 7 : v);
    }
    return out;
}

/**
 * Average runs a month of a five-field cron (UTC), counted over a whole non-leap year. Day of month
 * and day of week follow cron's rule: when both are restricted, a day matching either runs.
 */
export function cronRunsPerMonth(cron: string): number {
    const parts = cron.trim().split(/\s+/);
    if (parts.length !== 5) throw new Error(`'${cron}' is not a five-field cron expression`);
    const [minute, hour, dom, month, dow] = parts.map((p, i) => expand(p, FIELDS[i]!));
    const perDay = (minute?.size ?? 60) * (hour?.size ?? 24);
    let days = 0;
    const d = new Date(Date.UTC(2025, 0, 1));
    while (d.getUTCFullYear() === 2025) {
        const inMonth = month === undefined || month.has(d.getUTCMonth() + 1);
        const domOk = dom === undefined || dom.has(d.getUTCDate());
        const dowOk = dow === undefined || dow.has(d.getUTCDay());
        const dayOk = dom !== undefined && dow !== undefined ? domOk || dowOk : domOk && dowOk;
        if (inMonth && dayOk) days += 1;
        d.setUTCDate(d.getUTCDate() + 1);
    }
    return (days * perDay) / 12;
}

/** Hours one run over `gb` takes on one machine, at THROUGHPUT_GB_PER_HOUR plus the fixed overhead. */
export function hoursForData(gb: number): number {
    return RUN_OVERHEAD_HOURS + gb / THROUGHPUT_GB_PER_HOUR;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The usage a stack's workload profile implies, with every assumption stated. Runs come from the
 * cron schedules; hours per run from data size at THROUGHPUT_GB_PER_HOUR (training: the profile's
 * singleMachineHours, TRAINING_RUNS_PER_MONTH times); stored GB from the volumes; online requests
 * from peakQps at ONLINE_DUTY_CYCLE; streaming events from one data run's volume a day.
 */
export function usageFromSettings(settings: Pick<StackSettings, "workload" | "levels">): Usage {
    const w = settings.workload;
    const eff = settings.levels.effective;
    const jobs: Partial<Record<Pipeline, JobUsage>> = {};
    const assumptions: string[] = [];
    let eventsPerSecond = 0;

    if (w.data && eff.data !== undefined) {
        if (eff.data >= 3) {
            // A streaming pipeline carries a day's worth of the batch volume every day.
            eventsPerSecond = (w.data.volumeGb * 1024 * 1024) / EVENT_KB / (24 * 3600);
            assumptions.push(
                `data streams data.volumeGb (${w.data.volumeGb} GB) a day in ${EVENT_KB} KB events (${round(eventsPerSecond)} events/s)`,
            );
        } else {
            const schedule = w.data.schedule ?? DEFAULTS.schedule;
            jobs.data = { runsPerMonth: cronRunsPerMonth(schedule), hoursPerRun: hoursForData(w.data.volumeGb) };
            assumptions.push(
                `data runs on '${schedule}' (${round(jobs.data.runsPerMonth)} runs a month), ${round(jobs.data.hoursPerRun)} h a run`,
            );
        }
    }
    if (w.training && eff.training !== undefined) {
        jobs.training = {
            runsPerMonth: TRAINING_RUNS_PER_MONTH,
            hoursPerRun: Math.max(RUN_OVERHEAD_HOURS, w.training.singleMachineHours),
        };
        assumptions.push(
            `training runs ${TRAINING_RUNS_PER_MONTH} times a month, ${round(jobs.training.hoursPerRun)} machine-hours a run (training.singleMachineHours)`,
        );
    }
    let peakQps = 0;
    if (w.inference && eff.inference !== undefined) {
        const inf = w.inference;
        if (inf.mode === "batch") {
            const schedule = inf.schedule ?? DEFAULTS.schedule;
            jobs.inference = { runsPerMonth: cronRunsPerMonth(schedule), hoursPerRun: hoursForData(inf.volumeGb ?? 0) };
            assumptions.push(
                `inference scores on '${schedule}' (${round(jobs.inference.runsPerMonth)} runs a month), ${round(jobs.inference.hoursPerRun)} h a run`,
            );
        } else if (inf.mode === "online") {
            peakQps = inf.peakQps ?? 0;
            assumptions.push(
                `online load averages ${ONLINE_DUTY_CYCLE * 100}% of peak ${peakQps} QPS, ${SECONDS_PER_REQUEST * 1000} ms of container time a request`,
            );
        } else if (eventsPerSecond === 0) {
            eventsPerSecond = ((w.data?.volumeGb ?? 1) * 1024 * 1024) / EVENT_KB / (24 * 3600);
            assumptions.push(`streaming scoring takes ${round(eventsPerSecond)} events/s of ${EVENT_KB} KB`);
        }
    }
    const storedGb =
        2 * (w.data?.volumeGb ?? 0) +
        (w.training?.datasetGb ?? 0) +
        2 * (w.inference?.volumeGb ?? 0) +
        MODEL_ARTIFACTS_GB;
    assumptions.push(
        `object storage holds ${round(storedGb)} GB (raw data and features at data.volumeGb each, the training set, scoring input and output, ${MODEL_ARTIFACTS_GB} GB of models)`,
    );
    assumptions.push(
        `one machine processes ${THROUGHPUT_GB_PER_HOUR} GB an hour plus ${RUN_OVERHEAD_HOURS * 60} min start-up a run`,
    );
    const requestsPerSecond = peakQps * ONLINE_DUTY_CYCLE;
    const jobHours = Object.values(jobs).reduce((s, j) => s + j.runsPerMonth * j.hoursPerRun, 0);
    const logsGb =
        jobHours * LOG_GB_PER_JOB_HOUR + ((requestsPerSecond * SECONDS_PER_MONTH) / 1e6) * LOG_GB_PER_MILLION_REQUESTS;
    assumptions.push(
        `logs: ${LOG_GB_PER_JOB_HOUR} GB a job hour, ${LOG_GB_PER_MILLION_REQUESTS} GB a million requests`,
    );
    return { jobs, storedGb, requestsPerSecond, peakQps, eventsPerSecond, eventKb: EVENT_KB, logsGb, assumptions };
}

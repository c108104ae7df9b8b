import { parseCron } from "../components/shared/cron";
import type { InputProblem } from "../components/shared/errors";
import type { Pipeline } from "../components/shared/levels";
import type { StackSettings } from "./config";
import { DEFAULTS } from "./schema";

/** Gaps between consecutive runs of a cron schedule over one year (UTC), in hours. */
export interface CronGaps {
    readonly runsPerYear: number;
    readonly minGapHours: number;
    readonly maxGapHours: number;
}

/**
 * The shortest and longest gap between runs of a five-field cron over 2025 (a non-leap year,
 * wrapping into the next year), undefined for a schedule that cannot be read or never runs.
 * Day of month and day of week follow cron: when both are restricted, a day matching either runs.
 */
export function cronGaps(cron: string): CronGaps | undefined {
    const parsed = parseCron(cron);
    if (!parsed.ok) return undefined;
    const [minutes, hours, dom, months, dow] = parsed.value.sets as number[][];
    const [, , domFull, , dowFull] = parsed.value.full;
    const perDay: number[] = [];
    for (const h of hours!) for (const m of minutes!) perDay.push(h * 60 + m);
    perDay.sort((a, b) => a - b);
    let first: number | undefined;
    let last: number | undefined;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    let runs = 0;
    const start = Date.UTC(2025, 0, 1);
    for (let day = 0; day < 365; day++) {
        const d = new Date(start + day * 86_400_000);
        if (!months!.includes(d.getUTCMonth() + 1)) continue;
        const domOk = dom!.includes(d.getUTCDate());
        const dowOk = dow!.includes(d.getUTCDay());
        const runsToday = domFull || dowFull ? domOk && dowOk : domOk || dowOk;
        if (!runsToday) continue;
        for (const minute of perDay) {
            const t = day * 1440 + minute;
            if (last !== undefined) {
                min = Math.min(min, t - last);
                max = Math.max(max, t - last);
            }
            first ??= t;
            last = t;
            runs++;
        }
    }
    if (first === undefined || last === undefined) return undefined;
    // The gap from the year's last run to the next year's first.
    const wrap = first + 365 * 1440 - last;
    min = Math.min(min, wrap);
    max = Math.max(max, wrap);
    return { runsPerYear: runs, minGapHours: min / 60, maxGapHours: max / 60 };
}

/** A schedule this many times denser than the freshness asks for is worth a word. */
export const DENSER_THAN_NEEDED = 4;

const hoursText = (h: number) => (h < 1 ? `${Math.round(h * 60)} min` : `${Number(h.toFixed(1))} h`);

/**
 * Warnings (not errors: the stack still plans) about the batch schedules of the effective levels:
 * runs that overlap, because one run takes longer than the gap to the next, and data schedules far
 * denser than `freshnessSeconds` needs. `hoursPerRun` is the estimate of one run on one machine
 * (the cost model's), so overlap is judged for level 1 only: a level-2 Spark run is spread over
 * many workers.
 */
export function scheduleWarnings(
    settings: Pick<StackSettings, "file" | "workload" | "levels">,
    hoursPerRun: Partial<Record<Pipeline, number>>,
): InputProblem[] {
    const out: InputProblem[] = [];
    const w = settings.workload;
    const eff = settings.levels.effective;
    const scheduled: { pipeline: "data" | "inference"; schedule?: string; freshnessSeconds?: number }[] = [];
    if (w.data && (eff.data === 1 || eff.data === 2))
        scheduled.push({ pipeline: "data", schedule: w.data.schedule, freshnessSeconds: w.data.freshnessSeconds });
    if (w.inference?.mode === "batch" && (eff.inference === 1 || eff.inference === 2))
        scheduled.push({ pipeline: "inference", schedule: w.inference.schedule });
    for (const s of scheduled) {
        const cron = s.schedule ?? DEFAULTS.schedule;
        const gaps = cronGaps(cron);
        if (gaps === undefined) continue;
        const path = `config.mlops:workload.${s.pipeline}.schedule`;
        const given = s.schedule === undefined ? `the default schedule '${cron}'` : `'${cron}'`;
        const runsPerDay = gaps.runsPerYear / 365;
        const hours = hoursPerRun[s.pipeline];
        if (eff[s.pipeline] === 1 && hours !== undefined && hours > gaps.minGapHours) {
            const atOnce = Math.ceil(hours / gaps.minGapHours);
            out.push({
                file: settings.file,
                path,
                message: `runs overlap: ${given} starts a run every ${hoursText(gaps.minGapHours)} at the closest, but one run takes about ${hoursText(hours)} on one machine, so up to ${atOnce} run at once and each one is billed`,
            });
        }
        if (s.freshnessSeconds !== undefined) {
            const freshnessHours = s.freshnessSeconds / 3600;
            const needed = 24 / freshnessHours;
            if (runsPerDay > needed * DENSER_THAN_NEEDED)
                out.push({
                    file: settings.file,
                    path,
                    message: `${given} runs ${Number(runsPerDay.toFixed(1))} times a day, but data.freshnessSeconds (${s.freshnessSeconds}) lets features be ${hoursText(freshnessHours)} old: about ${Math.max(1, Math.ceil(needed))} a day would do, and each run is billed`,
                });
        }
    }
    return out;
}

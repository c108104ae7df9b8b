import Table from "cli-table3";
import { costByPipeline } from "./attribution";
import type { StackEstimate } from "./estimate";

/** USD to cents, for output. */
export function usd(x: number): number {
    return Math.round(x * 100) / 100;
}

/** "$1,234.56" */
export function money(x: number): string {
    return `$${usd(x).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The `--json` "cost" object of `plan` (issue 8). */
export interface CostJson {
    monthlyUsd: number;
    idleMonthlyUsd: number;
    byResource: { urn: string; type: string; monthlyUsd: number; idleMonthlyUsd: number }[];
    unpriced: { urn: string; type: string }[];
}

export function costJson(e: StackEstimate): CostJson {
    return {
        monthlyUsd: usd(e.monthlyUsd),
        idleMonthlyUsd: usd(e.idleMonthlyUsd),
        byResource: e.byResource.map((r) => ({
            urn: r.urn,
            type: r.type,
            monthlyUsd: usd(r.monthlyUsd),
            idleMonthlyUsd: usd(r.idleMonthlyUsd),
        })),
        unpriced: e.unpriced.map((r) => ({ urn: r.urn, type: r.type })),
    };
}

/**
 * What a row of two pipelines (`training-inference`, `data-inference`) is: the resources tagged
 * with both (pipelineOf joins a resource's `mlops-pipeline` tag value), such as the one
 * Kubernetes cluster of training level 2 and inference level 5, or the one Spark cluster of data
 * and inference level 2. Undefined for a row of one pipeline.
 */
export function sharedRowNote(row: { pipeline: string; level?: number }): string | undefined {
    const pipelines = row.pipeline.split("-");
    if (pipelines.length < 2 || row.pipeline === "untagged") return undefined;
    const level = row.level === undefined ? "" : ` Level ${row.level} is the higher of the two.`;
    return `${row.pipeline}: what ${pipelines.join(" and ")} share (such as the one cluster both run on), tagged with both; its cost is counted once, here, not in either pipeline's own row.${level}`;
}

export interface RenderOptions {
    /** Print the stated assumptions and notes under the table (default true). */
    notes?: boolean;
    /** cli-table3 colours; off for tests and pipes (default false). */
    color?: boolean;
}

/**
 * The cost table `plan` prints: one row per pipeline and level (idle / usage / total a month),
 * the stack total, then unpriced resources and the assumptions behind the usage figures.
 */
export function renderCostTable(e: StackEstimate, o: RenderOptions = {}): string {
    const table = new Table({
        head: ["pipeline", "level", "idle / month", "usage / month", "total / month"],
        colAligns: ["left", "right", "right", "right", "right"],
        style: o.color ? {} : { head: [], border: [] },
    });
    const rows = costByPipeline(e);
    for (const r of rows)
        table.push([
            r.pipeline,
            r.level === undefined ? "" : String(r.level),
            money(r.idleMonthlyUsd),
            money(r.usageMonthlyUsd),
            money(r.monthlyUsd),
        ]);
    table.push(["total", "", money(e.idleMonthlyUsd), money(e.monthlyUsd - e.idleMonthlyUsd), money(e.monthlyUsd)]);
    const lines = [table.toString()];
    for (const r of rows) {
        const note = sharedRowNote(r);
        if (note) lines.push(`  ${note}`);
    }
    if (e.unpriced.length > 0) {
        lines.push(`Unpriced (not in the total): ${e.unpriced.length}`);
        for (const u of e.unpriced) lines.push(`  - ${u.type} ${u.urn.split("::").pop()}: ${u.reason}`);
    }
    if (o.notes ?? true) for (const n of e.notes) lines.push(`  * ${n}`);
    return lines.join("\n");
}

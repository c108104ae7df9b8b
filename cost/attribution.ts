import { tagsOf } from "../catalog";
import { readTags } from "../components/shared/tags";

/** A planned resource as the cost model reads it (a PlannedResource fits). */
export interface CostResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    /** Parent URN: resources without tags (schedules) take their tagged siblings' pipeline. */
    readonly parent?: string;
}

/** The tags or labels of a resource, as the catalogue's one tag reader finds them. */
export function resourceTags(r: Pick<CostResource, "type" | "inputs">): Record<string, unknown> | undefined {
    return tagsOf(r.type, r.inputs);
}

const PIPELINE_NAMES = ["data", "training", "inference", "foundation"];

/**
 * Pipeline and level of every resource: its own tags, else its parent's (a component registered
 * with tags, such as the foundation's internet egress, speaks for its children), else its tagged
 * siblings' (same parent), else the pipeline its logical name starts with (children are named after
 * their component).
 */
export function pipelineOf(resources: readonly CostResource[]): Map<string, { pipeline: string; level?: number }> {
    const own = new Map<string, { pipeline: string; level?: number }>();
    const byParent = new Map<string, { pipeline: string; level?: number }>();
    for (const r of resources) {
        const t = readTags(resourceTags(r));
        if (!t) continue;
        const v = { pipeline: t.pipelines.join("-"), level: t.level };
        own.set(r.urn, v);
        if (r.parent && !byParent.has(r.parent)) byParent.set(r.parent, v);
    }
    const out = new Map<string, { pipeline: string; level?: number }>();
    for (const r of resources) {
        const name = r.urn.split("::").pop() ?? "";
        const prefix = PIPELINE_NAMES.find((n) => name === n || name.startsWith(`${n}-`));
        const v =
            own.get(r.urn) ??
            (r.parent ? (own.get(r.parent) ?? byParent.get(r.parent)) : undefined) ??
            (prefix ? { pipeline: prefix, level: prefix === "foundation" ? 0 : undefined } : undefined);
        if (v) out.set(r.urn, v);
    }
    return out;
}

/** One priced resource as the per-pipeline rows count it. */
interface Attributed {
    readonly pipeline?: string;
    readonly level?: number;
    readonly monthlyUsd: number;
    readonly idleMonthlyUsd: number;
}

export interface CostRow {
    /** `foundation`, `data`, `training`, `inference`, a shared `data-inference`, or `untagged`. */
    readonly pipeline: string;
    /** Level of the rows' resources (0 for the foundation); undefined when untagged. */
    readonly level?: number;
    readonly idleMonthlyUsd: number;
    readonly usageMonthlyUsd: number;
    readonly monthlyUsd: number;
    readonly resources: number;
}

const ORDER = ["foundation", "data", "training", "inference"];

/** Per pipeline and level: idle, usage and total a month, in foundation, data, training, inference order. */
export function costByPipeline(estimate: { readonly byResource: readonly Attributed[] }): CostRow[] {
    const rows = new Map<string, { pipeline: string; level?: number; idle: number; total: number; n: number }>();
    for (const r of estimate.byResource) {
        const pipeline = r.pipeline ?? "untagged";
        const key = `${pipeline}\u0000${r.level ?? ""}`;
        const row = rows.get(key) ?? { pipeline, level: r.level, idle: 0, total: 0, n: 0 };
        row.idle += r.idleMonthlyUsd;
        row.total += r.monthlyUsd;
        row.n += 1;
        rows.set(key, row);
    }
    const rank = (p: string) => {
        const i = ORDER.indexOf(p.split("-")[0] ?? p);
        return i < 0 ? ORDER.length : i;
    };
    return [...rows.values()]
        .sort(
            (a, b) =>
                rank(a.pipeline) - rank(b.pipeline) ||
                a.pipeline.localeCompare(b.pipeline) ||
                (a.level ?? 0) - (b.level ?? 0),
        )
        .map((r) => ({
            pipeline: r.pipeline,
            ...(r.level !== undefined ? { level: r.level } : {}),
            idleMonthlyUsd: r.idle,
            usageMonthlyUsd: r.total - r.idle,
            monthlyUsd: r.total,
            resources: r.n,
        }));
}

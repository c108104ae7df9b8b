import { findSpec } from "../catalog";
import { MissingPrice, machineHour, NO_USAGE, type PriceEnv, type Usage } from "../catalog/pricing";
import type { Cloud } from "../components/shared/clouds";
import { type CostResource, pipelineOf } from "./attribution";
import { findPrice, HOURS_PER_MONTH, PRICES, type PriceBook } from "./prices";

export interface EstimateContext {
    readonly cloud: Cloud;
    readonly region: string;
    /** Without usage the estimate is the idle part only. */
    readonly usage?: Usage;
    /** Another price book (tests). */
    readonly prices?: PriceBook;
}

export interface ResourceCost {
    readonly urn: string;
    readonly type: string;
    /** Idle plus usage, USD a month. */
    readonly monthlyUsd: number;
    /** What it costs with no traffic and no jobs, USD a month. */
    readonly idleMonthlyUsd: number;
    /** How the figure was reached, region fallbacks, free grants not subtracted. */
    readonly note?: string;
    /** `data`, `training`, `inference`, `foundation`, `data-inference`…, from the tags. */
    readonly pipeline?: string;
    readonly level?: number;
}

export interface StackEstimate {
    readonly monthlyUsd: number;
    readonly idleMonthlyUsd: number;
    /** Every priced resource with a non-zero cost, or a note (free resources are left out). */
    readonly byResource: ResourceCost[];
    /** Resources whose kind (or machine type) has no price: never counted as zero silently. */
    readonly unpriced: { urn: string; type: string; reason: string }[];
    /** Assumptions and notes that apply to the whole estimate. */
    readonly notes: string[];
}

/** True for a type that costs nothing by itself (its catalogue entry says `free`). */
export function isFreeType(type: string): boolean {
    return findSpec(type)?.price === "free";
}

/**
 * Monthly cost of a planned stack from list prices: per resource an idle part (no traffic, no
 * jobs) and a usage part driven by `ctx.usage`, by the pricer its catalogue entry names. Free kinds
 * are left out; kinds (or machine types) without a price are listed in `unpriced`, never counted as
 * zero. Pure.
 */
export function estimateStack(resources: readonly CostResource[], ctx: EstimateContext): StackEstimate {
    const book = ctx.prices ?? PRICES;
    const usage = ctx.usage ?? NO_USAGE;
    const pipelines = pipelineOf(resources);
    const sharing = (what: "storage" | "logs") => resources.filter((r) => findSpec(r.type)?.usageShare === what).length;
    const storageCount = sharing("storage");
    const logCount = sharing("logs");
    const byResource: ResourceCost[] = [];
    const unpriced: StackEstimate["unpriced"] = [];
    const stackNotes = new Set<string>(usage.assumptions);

    for (const r of resources) {
        const spec = findSpec(r.type);
        const pricer = spec?.price;
        if (pricer === "free") continue;
        if (!spec || !pricer) {
            unpriced.push({ urn: r.urn, type: r.type, reason: "no price for this resource kind" });
            continue;
        }
        const notes: string[] = [];
        const tag = pipelines.get(r.urn);
        const price = (key: string): number => {
            const found = findPrice(ctx.cloud, ctx.region, key, book);
            if (!found) throw new MissingPrice(`no price '${key}'`);
            if (found.fallbackNote) {
                notes.push(found.fallbackNote);
                stackNotes.add(`prices for ${ctx.region} not listed: ${book.baseRegion[ctx.cloud]} list prices used`);
            }
            return found.usd;
        };
        try {
            const env: PriceEnv = {
                usage,
                pipeline: tag?.pipeline,
                storageShare: spec.usageShare === "storage" ? 1 / storageCount : 0,
                logShare: spec.usageShare === "logs" ? 1 / logCount : 0,
                hoursPerMonth: HOURS_PER_MONTH,
                price,
                machineHour: (f) => machineHour(ctx.cloud, f, price),
                facts: spec.machines?.(r.inputs) ?? [],
                notes,
            };
            const priced = pricer(r.inputs, env);
            const note = [...new Set([...priced.notes, ...notes])].join("; ");
            byResource.push({
                urn: r.urn,
                type: r.type,
                monthlyUsd: priced.idle + priced.usage,
                idleMonthlyUsd: priced.idle,
                ...(note ? { note } : {}),
                ...(tag ? { pipeline: tag.pipeline, ...(tag.level !== undefined ? { level: tag.level } : {}) } : {}),
            });
        } catch (e) {
            if (!(e instanceof MissingPrice)) throw e;
            unpriced.push({ urn: r.urn, type: r.type, reason: e.message });
        }
    }
    const monthlyUsd = byResource.reduce((s, x) => s + x.monthlyUsd, 0);
    const idleMonthlyUsd = byResource.reduce((s, x) => s + x.idleMonthlyUsd, 0);
    if (unpriced.length > 0) stackNotes.add(`${unpriced.length} resource(s) unpriced: the total is a lower bound`);
    stackNotes.add("list prices before free grants and discounts");
    return { monthlyUsd, idleMonthlyUsd, byResource, unpriced, notes: [...stackNotes] };
}

import type { Cloud } from "../components/shared/clouds";
import data from "./prices.json";

/** One list price, as published on its source page. */
export interface Price {
    /** USD per `unit`. */
    readonly usd: number;
    readonly unit: string;
    /** The public pricing page the figure comes from. */
    readonly source: string;
    /** Date of the figure (YYYY-MM-DD). */
    readonly asOf: string;
    /** `confirmed`: re-read on a public page on `asOf`; `unverified`: best published figure known. */
    readonly confidence: "confirmed" | "unverified";
    readonly note?: string;
    /** A free grant the estimate does NOT subtract (it is per account, shared by every stack). */
    readonly freeTier?: string;
}

export interface PriceBook {
    readonly currency: string;
    readonly hoursPerMonth: number;
    readonly baseRegion: Readonly<Record<Cloud, string>>;
    readonly regions: Readonly<Record<Cloud, Readonly<Record<string, Readonly<Record<string, Price>>>>>>;
}

/** The project's one price list (cost/prices.json). */
export const PRICES = data as PriceBook;

/** Hours in an average month (8760 / 12), the figure cloud calculators use. */
export const HOURS_PER_MONTH = PRICES.hoursPerMonth;

/** A price found for a region, with a note when it was borrowed from the cloud's base region. */
export interface FoundPrice extends Price {
    readonly key: string;
    /** The region whose figure this is. */
    readonly region: string;
    /** Set when `region` is not the region asked for. */
    readonly fallbackNote?: string;
}

/** Normalises a region name the way each cloud compares them ("East US" is "eastus"). */
export function normaliseRegion(cloud: Cloud, region: string): string {
    return cloud === "azure" ? region.toLowerCase().replace(/\s+/g, "") : region.toLowerCase();
}

/**
 * The price `key` in `region`, or the base region's with a visible note when the region has no
 * figure of its own; undefined when no region lists the key.
 */
export function findPrice(cloud: Cloud, region: string, key: string, book: PriceBook = PRICES): FoundPrice | undefined {
    const r = normaliseRegion(cloud, region);
    const own = book.regions[cloud][r]?.[key];
    if (own) return { ...own, key, region: r };
    const base = book.baseRegion[cloud];
    const borrowed = book.regions[cloud][base]?.[key];
    if (!borrowed) return undefined;
    return { ...borrowed, key, region: base, fallbackNote: `no ${r} price for ${key}; ${base} list price used` };
}

/** Every key priced for `cloud` (base region), for tests and docs. */
export function priceKeys(cloud: Cloud, book: PriceBook = PRICES): string[] {
    return Object.keys(book.regions[cloud][book.baseRegion[cloud]] ?? {});
}

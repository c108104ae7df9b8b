import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/** Reads a dotted path (`a.b.0.c`) from resource properties; undefined when any step is missing. */
export function get(o: unknown, path: string): unknown {
    let cur: unknown = o;
    for (const key of path.split(".")) {
        if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
}

/** The value as an array: providers accept a single object where a list is allowed, and undefined is empty. */
export function arr(v: unknown): unknown[] {
    if (Array.isArray(v)) return v;
    return v === undefined || v === null ? [] : [v];
}

/** True for `true` and `"true"` (launch templates and some APIs carry booleans as strings). */
export function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/** True for `false` and `"false"`. */
export function isFalse(v: unknown): boolean {
    return v === false || v === "false";
}

export function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

export function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && /^\d+(\.\d+)?$/.test(v)) return Number(v);
    return undefined;
}

/** Addresses that mean "anyone on the internet" in AWS, Azure and GCP rules. */
export const INTERNET = new Set(["0.0.0.0/0", "::/0", "*", "Internet", "internet", "any", "Any"]);

/** True when a port range (inclusive) contains one of `ports`; an absent range (all protocols) covers every port. */
export function rangeHits(from: number | undefined, to: number | undefined, ports: readonly number[]): number[] {
    if (from === undefined && to === undefined) return [...ports];
    const lo = from ?? 0;
    const hi = to ?? lo;
    // AWS writes "all ports" as 0..0 or -1..-1 with protocol -1; callers pass undefined for those.
    return ports.filter((p) => p >= lo && p <= hi);
}

/** Parses `"22"`, `"20-30"` or `"*"` (Azure and GCP port strings) into a range; `*` is every port. */
export function portRange(s: string): { from?: number; to?: number } {
    if (s === "*" || s === "") return {};
    const [a, b] = s.split("-");
    const from = Number(a);
    const to = b === undefined ? from : Number(b);
    return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : {};
}

/** What a single-resource rule receives: the resource's props and the engine's args. */
export type Check = (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void;

export interface ResourceRuleSpec extends Omit<ResourceValidationPolicy, "validateResource"> {
    /** Resource type tokens the rule reads; every other type is not applicable. */
    types: readonly string[];
    check: Check;
}

/**
 * A resource policy limited to some resource types. The engine calls every resource policy for every
 * resource, so the type filter comes first; `notApplicable` tells the engine (and the Pulumi Cloud
 * compliance view) that the rule did not apply rather than that it passed.
 */
export function resourceRule(spec: ResourceRuleSpec): ResourceValidationPolicy & { types: readonly string[] } {
    const { types, check, ...policy } = spec;
    const wanted = new Set(types);
    return {
        ...policy,
        types,
        validateResource: (args, report) => {
            if (!wanted.has(args.type)) args.notApplicable(`applies to ${types.join(", ")}`);
            check(args.props as Record<string, unknown>, args, report);
        },
    };
}

/** The resource's display name for messages. */
export function label(args: { type: string; name: string }): string {
    const kind = args.type.split(":").pop() ?? args.type;
    return `${kind} '${args.name}'`;
}

import { holdsData } from "../../catalog";
import type { PlannedResource } from "../../offline/engine";

/** What would happen to one resource when moving from one plan to another. */
export interface Change {
    urn: string;
    type: string;
    name: string;
    kind: "create" | "delete" | "replace" | "update";
    /** The resource holds data (buckets, registries, streams, keys, the naming suffix). */
    stateful: boolean;
    /** Top-level inputs that differ (update and replace). */
    fields: string[];
    /** A delete that leaves the cloud resource and its data in place (`retainOnDelete`). */
    retained: boolean;
    /** The resource is protected (`protect`) in the plan moved from. */
    protected: boolean;
    /**
     * `pulumi up` stops at this change: the engine refuses to delete a protected resource (even one
     * with `retainOnDelete`), and to replace one that stays protected. Unprotect it first.
     */
    blocksUp: boolean;
}

/** The resource holds data or identity a team cannot get back once deleted or replaced (its catalogue entry says). */
export function isStateful(type: string, inputs: Record<string, unknown> = {}): boolean {
    return holdsData(type, inputs);
}

/**
 * Inputs whose change makes the cloud create a new resource instead of updating it: physical
 * names, locations, and the keys that decide a name. Not every provider field is listed; a change
 * to one of these is always a replacement.
 */
const REPLACE_KEYS = new Set([
    "name",
    "bucket",
    "bucketPrefix",
    "accountName",
    "registryName",
    "repositoryId",
    "repositoryName",
    "accountId",
    "location",
    "resourceGroupName",
    "namespaceName",
    "eventHubName",
    "topic",
    "streamName",
    "clusterName",
    "containerName",
    "length",
    "special",
    "upper",
    "numeric",
    "region",
    "project",
    "kind",
    "isHnsEnabled",
]);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The changes from plan `a` (the stack as it is) to plan `b` (the stack as it would be). Pure. */
export function diffPlans(a: readonly PlannedResource[], b: readonly PlannedResource[]): Change[] {
    const before = new Map(a.map((r) => [r.urn, r]));
    const after = new Map(b.map((r) => [r.urn, r]));
    const out: Change[] = [];
    for (const r of b) {
        const old = before.get(r.urn);
        const base = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            stateful: isStateful(r.type, r.inputs),
            retained: false,
        };
        if (!old) {
            out.push({ ...base, kind: "create", fields: [], protected: false, blocksUp: false });
            continue;
        }
        const keys = new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)]);
        const fields = [...keys].filter((k) => k !== "__defaults" && !same(old.inputs[k], r.inputs[k])).sort();
        if (fields.length === 0) continue;
        const kind = fields.some((f) => REPLACE_KEYS.has(f)) ? "replace" : "update";
        // Pulumi allows unprotecting and replacing in one update: a replacement blocks only while both plans protect.
        const blocksUp = kind === "replace" && old.protect && r.protect;
        out.push({ ...base, kind, fields, protected: old.protect, blocksUp });
    }
    for (const r of a)
        if (!after.has(r.urn))
            out.push({
                urn: r.urn,
                type: r.type,
                name: r.name,
                kind: "delete",
                stateful: isStateful(r.type, r.inputs),
                fields: [],
                retained: r.retainOnDelete,
                protected: r.protect,
                blocksUp: r.protect,
            });
    return out;
}

/** Changes that would destroy data: a stateful resource replaced, or deleted without being retained. */
export function dangerous(changes: readonly Change[]): Change[] {
    return changes.filter((c) => c.stateful && (c.kind === "replace" || (c.kind === "delete" && !c.retained)));
}

/** Changes `pulumi up` would refuse: a protected resource deleted, or replaced while it stays protected. */
export function blocking(changes: readonly Change[]): Change[] {
    return changes.filter((c) => c.blocksUp);
}

const SIGN = { create: "+", delete: "-", replace: "+-", update: "~" } as const;

/**
 * The change list as `plan --compare` prints it: per kind, one line per change with the inputs that
 * differ and what stays or stops; then the warnings (`error`) for data that would be lost and for
 * changes `pulumi up` would refuse, or the line saying nothing stateful goes.
 */
export function describeChanges(changes: readonly Change[]): { log: string[]; error: string[] } {
    const log: string[] = [];
    const error: string[] = [];
    for (const kind of ["create", "update", "replace", "delete"] as const) {
        const list = changes.filter((x) => x.kind === kind);
        if (list.length === 0) continue;
        log.push(`\n  ${kind} (${list.length})`);
        for (const x of list)
            log.push(
                `    ${SIGN[kind]} ${x.type}  ${x.name}${x.fields.length ? `  [${x.fields.join(", ")}]` : ""}${x.retained ? "  (retained: removed from the stack, the cloud resource and its data stay)" : ""}${x.blocksUp ? `  (protected: pulumi up refuses to ${kind} it)` : ""}`,
            );
    }
    const lost = dangerous(changes);
    if (lost.length > 0) {
        error.push(
            `\n!!! WARNING: this change would ${lost.map((x) => `${x.kind.toUpperCase()} ${x.type} ${x.name}`).join("; ")}.`,
        );
        error.push(
            "!!! These resources hold data. Back it up or keep them out of the change before running pulumi up.",
        );
    } else log.push("\n  No stateful resource (storage, registry, stream, key) is replaced or deleted.");
    const stops = blocking(changes);
    if (stops.length > 0) {
        error.push(
            `\n!!! pulumi up would stop: ${stops.length} protected resource(s) would be ${[...new Set(stops.map((x) => (x.kind === "delete" ? "deleted" : "replaced")))].join(" or ")}: ${stops.map((x) => `${x.type} ${x.name}`).join("; ")}.`,
        );
        error.push(
            "!!! Pulumi refuses to delete or replace a protected resource, retainOnDelete or not. Unprotect each first (pulumi state unprotect '<urn>'), or keep it in the stack.",
        );
    }
    return { log, error };
}

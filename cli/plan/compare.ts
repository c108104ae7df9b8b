import type { PlannedResource } from "./offline";

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
}

/** Types that hold data or identity a team cannot get back once deleted or replaced. */
export const STATEFUL_TYPES: readonly RegExp[] = [
    /^aws:s3\/bucket(V2)?:Bucket(V2)?$/,
    /^aws:kms\/key:Key$/,
    /^aws:ecr\/repository:Repository$/,
    /^aws:kinesis\/stream:Stream$/,
    /^aws:msk\/(serverlessCluster|cluster):/,
    /^azure-native:storage:(StorageAccount|BlobContainer)$/,
    /^azure-native:containerregistry:Registry$/,
    /^azure-native:eventhub:(Namespace|EventHub)$/,
    /^azure-native:keyvault:(Vault|Key)$/,
    /^gcp:storage\/bucket:Bucket$/,
    /^gcp:artifactregistry\/repository:Repository$/,
    /^gcp:pubsub\/(topic|subscription):/,
    /^gcp:kms\/(keyRing|cryptoKey):/,
    /^gcp:managedkafka\/cluster:Cluster$/,
    /^random:index\/randomString:RandomString$/,
];

export function isStateful(type: string): boolean {
    return STATEFUL_TYPES.some((re) => re.test(type));
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
        const base = { urn: r.urn, type: r.type, name: r.name, stateful: isStateful(r.type), retained: false };
        if (!old) {
            out.push({ ...base, kind: "create", fields: [] });
            continue;
        }
        const keys = new Set([...Object.keys(old.inputs), ...Object.keys(r.inputs)]);
        const fields = [...keys].filter((k) => k !== "__defaults" && !same(old.inputs[k], r.inputs[k])).sort();
        if (fields.length === 0) continue;
        out.push({ ...base, kind: fields.some((f) => REPLACE_KEYS.has(f)) ? "replace" : "update", fields });
    }
    for (const r of a)
        if (!after.has(r.urn))
            out.push({
                urn: r.urn,
                type: r.type,
                name: r.name,
                kind: "delete",
                stateful: isStateful(r.type),
                fields: [],
                retained: r.retainOnDelete,
            });
    return out;
}

/** Changes that would destroy data: a stateful resource replaced, or deleted without being retained. */
export function dangerous(changes: readonly Change[]): Change[] {
    return changes.filter((c) => c.stateful && (c.kind === "replace" || (c.kind === "delete" && !c.retained)));
}

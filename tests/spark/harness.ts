import type { PlannedResource } from "../../cli/plan/offline";
import { isValidName, type NameRuleId } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";

/** Spark component types of other levels that must never appear with the Spark cluster. */
export const OTHER_LEVEL_TYPES =
    /sagemaker|eks|ecr|kinesis|msk|emr\/cluster|containerservice|containerregistry|eventhub|streamanalytics|machinelearningservices|hdinsight|databricks|container\/cluster|artifactregistry|cloudrunv2|dataflow|pubsub|batch\/|workflows\/workflow/i;

/** The component resource of the Spark cluster, and every resource below it. */
export function sparkTree(rs: readonly PlannedResource[]): { component: PlannedResource; children: PlannedResource[] } {
    const components = rs.filter((r) => r.type === "mlops:spark:SparkCluster");
    if (components.length !== 1) throw new Error(`expected one Spark component, found ${components.length}`);
    const component = components[0]!;
    const children: PlannedResource[] = [];
    const walk = (urn: string) => {
        for (const r of rs)
            if (r.parent === urn) {
                children.push(r);
                walk(r.urn);
            }
    };
    walk(component.urn);
    return { component, children };
}

/** Tags (or labels) of a resource as the provider receives them. */
export function tagsOfResource(
    r: PlannedResource,
    key: "tags" | "labels" = "tags",
): Record<string, string> | undefined {
    return r.inputs[key] as Record<string, string> | undefined;
}

/** Offenders: taggable resources without the four tags, or with an unexpected pipeline value. */
export function badlyTagged(
    rs: readonly PlannedResource[],
    untaggable: ReadonlySet<string>,
    allowedPipelines: readonly string[],
    key: "tags" | "labels" = "tags",
): string[] {
    return rs
        .filter((r) => r.custom && !untaggable.has(r.type))
        .filter((r) => {
            const t = tagsOfResource(r, key);
            if (!t) return true;
            if ([TAG_KEYS.pipeline, TAG_KEYS.level, TAG_KEYS.environment, TAG_KEYS.managedBy].some((k) => !t[k]))
                return true;
            return !allowedPipelines.includes(t[TAG_KEYS.pipeline]!) || t[TAG_KEYS.level] !== "2";
        })
        .map((r) => `${r.type} ${r.name}`);
}

/** Asserts a physical name satisfies its rule, with the name in the failure message. */
export function expectValidName(rule: NameRuleId, name: unknown): void {
    expect({ rule, name, valid: typeof name === "string" && isValidName(rule, name) }).toEqual({
        rule,
        name,
        valid: true,
    });
}

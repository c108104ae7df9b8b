import type { PolicyResource } from "@pulumi/policy";

/**
 * The resources of `type` that configure `target` (S3 settings live in separate resources since AWS
 * provider v4). They are found through dependencies, which the engine knows even during a preview
 * when the bucket's id is still unknown; a literal bucket name is matched as a fallback.
 */
export function companionsOf(
    target: PolicyResource,
    resources: readonly PolicyResource[],
    type: string,
    key = "bucket",
): PolicyResource[] {
    return resources.filter((r) => {
        if (r.type !== type) return false;
        const byProp = r.propertyDependencies[key];
        if (byProp?.some((d) => d.urn === target.urn)) return true;
        if (r.dependencies.some((d) => d.urn === target.urn)) return true;
        const ref = r.props[key];
        return typeof ref === "string" && (ref === target.props["bucket"] || ref === target.props["id"]);
    });
}

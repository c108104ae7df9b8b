import type { ResourceValidationPolicy } from "@pulumi/policy";
import { levelTags } from "../levels";
import { label, resourceRule } from "../props";

/** The lowest level per pipeline at which a kind of resource belongs. */
export type MinLevels = Partial<Record<"data" | "training" | "inference", number>>;

/**
 * A resource of an expensive kind must carry level tags showing a pipeline at or above the level that
 * kind belongs to. Untagged resources of these kinds are violations too: nothing shows they are needed.
 */
export function levelGate(spec: {
    name: string;
    description: string;
    types: readonly string[];
    kind: string;
    minLevels: MinLevels;
}): ResourceValidationPolicy {
    const need = Object.entries(spec.minLevels)
        .map(([p, l]) => `${p} ${l}`)
        .join(" or ");
    return resourceRule({
        name: spec.name,
        description: spec.description,
        enforcementLevel: "mandatory",
        severity: "high",
        types: spec.types,
        check: (props, args, report) => {
            const t = levelTags(args.type, props, args.provider);
            if (!t || t.level === undefined) {
                report(
                    `${label(args)} is a ${spec.kind} without mlops-pipeline/mlops-level tags; a ${spec.kind} belongs to ${need} only`,
                );
                return;
            }
            const level = t.level;
            const ok = t.pipelines.some((p) => {
                const min = spec.minLevels[p as keyof MinLevels];
                return min !== undefined && level >= min;
            });
            if (!ok)
                report(
                    `${label(args)} is a ${spec.kind} at ${t.pipelines.join("+")} level ${level}; a ${spec.kind} belongs to ${need} only`,
                );
        },
    });
}

import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import {
    DEFAULT_BLOCKING_ENVIRONMENTS,
    OVER_PROVISIONING_SCHEMA,
    type OverProvisioningConfig,
    withDefaults,
} from "../config";
import { levelTags } from "../levels";
import { label } from "../props";

/**
 * A resource whose `mlops-level` tag is above the `mlops-assessed` level: someone pinned a level
 * above what the workload needs (LEVELS.md, "A pin above the assessed level is over-provisioning").
 * One check, two policies, because a policy has one enforcement level: the blocking half covers the
 * configured environments (default prod), the advisory half every other one.
 * Public source: none; this is the project's own cost gate.
 */
function overProvisioned(args: ResourceValidationArgs, blocking: boolean): string | undefined {
    const t = levelTags(args.type, args.props, args.provider);
    if (!t || t.level === undefined || t.assessed === undefined)
        args.notApplicable("carries no mlops-level and mlops-assessed tags");
    const cfg = withDefaults(args.getConfig<Partial<OverProvisioningConfig>>(), {
        blockingEnvironments: [...DEFAULT_BLOCKING_ENVIRONMENTS],
    });
    const inBlocking = t.environment !== undefined && cfg.blockingEnvironments.includes(t.environment);
    if (inBlocking !== blocking)
        args.notApplicable(`environment ${t.environment ?? "(none)"} is covered by the other half`);
    if (t.level <= t.assessed) return undefined;
    return (
        `${label(args)} is ${t.pipelines.join("+")} level ${t.level} but the workload assesses level ${t.assessed}` +
        ` (environment ${t.environment ?? "unknown"}): remove the mlops:levels pin or raise the workload that needs it`
    );
}

export const overProvisionedLevelBlocking: ResourceValidationPolicy = {
    name: "over-provisioned-level-blocking",
    description:
        "A level above the assessed level provisions more than the workload needs (blocking environments, default prod).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: OVER_PROVISIONING_SCHEMA,
    validateResource: (args, report) => {
        const m = overProvisioned(args, true);
        if (m) report(m);
    },
};

export const overProvisionedLevel: ResourceValidationPolicy = {
    name: "over-provisioned-level",
    description:
        "A level above the assessed level provisions more than the workload needs (non-blocking environments).",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: OVER_PROVISIONING_SCHEMA,
    validateResource: (args, report) => {
        const m = overProvisioned(args, false);
        if (m) report(m);
    },
};

import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { tagsOf } from "../../catalog";
import type { Cloud } from "../../components/shared/clouds";
import { TAG_KEYS } from "../../components/shared/tags";
import { estimateStack } from "../../cost/model";
import { BUDGET_SCHEMA, type BudgetConfig, DEFAULT_BUDGETS, forEnvironment, withDefaults } from "../config";

const PREFIX: [string, Cloud][] = [
    ["aws:", "aws"],
    ["azure-native:", "azure"],
    ["gcp:", "gcp"],
];

function cloudOf(resources: readonly PolicyResource[]): Cloud | undefined {
    for (const r of resources) for (const [p, c] of PREFIX) if (r.type.startsWith(p)) return c;
    return undefined;
}

/** The stack's region: the provider's `region` (AWS, GCP) or a resource's `location` (Azure). */
function regionOf(resources: readonly PolicyResource[]): string {
    for (const r of resources) {
        const reg =
            r.provider?.props["region"] ?? (r.type.startsWith("pulumi:providers:") ? r.props["region"] : undefined);
        if (typeof reg === "string" && reg !== "") return reg;
    }
    for (const r of resources) if (typeof r.props["location"] === "string") return r.props["location"] as string;
    return "";
}

function environmentOf(resources: readonly PolicyResource[]): string | undefined {
    for (const r of resources) {
        const env = tagsOf(r.type, r.props, r.provider)?.[TAG_KEYS.environment];
        if (typeof env === "string") return env;
    }
    return undefined;
}

/**
 * The stack's estimated monthly cost stays under the environment's budget from the pack config. The
 * estimate is the project's one cost model (cost/, list prices with date and source in
 * cost/prices.json). The engine does not know the workload's run hours or traffic, so the pack gates
 * the idle floor: what the stack costs with no job running and no request served (clusters, always-on
 * endpoints, storage, keys). `plan` prints the full estimate with usage next to it.
 * Public source: none; the project's cost gate.
 */
export const stackMonthlyBudget: StackValidationPolicy = {
    name: "stack-monthly-budget",
    description: "The stack's estimated idle monthly cost stays under the environment's maxMonthlyUsd.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: BUDGET_SCHEMA,
    validateStack: (args, report) => {
        const cloud = cloudOf(args.resources);
        if (!cloud) return args.notApplicable("no AWS, Azure or GCP resources");
        const env = environmentOf(args.resources);
        const { maxMonthlyUsd } = withDefaults(args.getConfig<Partial<BudgetConfig>>(), {
            maxMonthlyUsd: { ...DEFAULT_BUDGETS },
        });
        const max = forEnvironment(maxMonthlyUsd, env);
        if (max === undefined) return args.notApplicable(`no budget for environment ${env ?? "(untagged)"}`);
        const resources = args.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            inputs: r.props,
            ...(r.parent ? { parent: r.parent.urn } : {}),
        }));
        const est = estimateStack(resources, { cloud, region: regionOf(args.resources) });
        if (est.idleMonthlyUsd > max) {
            const top = [...est.byResource]
                .sort((a, b) => b.idleMonthlyUsd - a.idleMonthlyUsd)
                .slice(0, 3)
                .map((r) => `${r.urn.split("::").pop()} $${r.idleMonthlyUsd.toFixed(0)}`)
                .join(", ");
            report(
                `estimated idle cost $${est.idleMonthlyUsd.toFixed(0)}/month exceeds the ${env ?? "default"} budget of $${max}/month (largest: ${top})`,
            );
        }
    },
};

import { readFileSync } from "node:fs";
import type { EnforcementLevel, Policies, PolicyPackConfig } from "@pulumi/policy";
import type { PlannedResource } from "../offline/engine";
import {
    configOf,
    type EngineResource,
    enforcementOf,
    isStackPolicy,
    runResourcePolicy,
    runStackPolicy,
} from "./engine";
import { RULES } from "./rules";

/** One violation, as `plan --json` prints it under `policy.violations`. */
export interface Violation {
    policy: string;
    enforcement: Exclude<EnforcementLevel, "disabled" | "remediate">;
    /** The resource in violation; the Stack's URN for a stack-wide violation. */
    urn: string;
    message: string;
}

export interface PolicyReport {
    violations: Violation[];
}

/** A PlannedResource as the engine shows it to resource policies: the inputs, as at `pulumi preview`. */
function toEngine(
    r: PlannedResource,
    byUrn: Map<string, PlannedResource>,
    props: Record<string, unknown>,
): EngineResource {
    const p = r.provider !== undefined ? byUrn.get(r.provider) : undefined;
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props,
        protect: r.protect,
        dependencies: r.dependencies,
        ...(r.parent !== undefined ? { parent: r.parent } : {}),
        ...(p ? { provider: { type: p.type, name: p.name, urn: p.urn, props: p.inputs } } : {}),
    };
}

/**
 * Runs every rule of the pack in-process against an offline plan, as `pulumi preview --policy-pack
 * policies --policy-pack-config <file>` would: resource policies see each resource's inputs, stack
 * policies see every resource with its outputs; `packConfig` is the same JSON object
 * (`{"all": "mandatory", "<policy>": "advisory" | {"enforcementLevel": ..., ...props}}`) and
 * disabled policies do not run. Violations come back in rule order.
 */
export async function runPolicies(
    resources: readonly PlannedResource[],
    packConfig: PolicyPackConfig = {},
    rules: Policies = RULES,
): Promise<PolicyReport> {
    const byUrn = new Map(resources.map((r) => [r.urn, r] as const));
    const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const violations: Violation[] = [];
    for (const policy of rules) {
        const level = enforcementOf(policy, packConfig);
        if (level === "disabled") continue;
        const enforcement = level as Violation["enforcement"];
        const config = configOf(policy, packConfig);
        if (isStackPolicy(policy)) {
            const stack = resources.map((r) => toEngine(r, byUrn, { ...r.inputs, ...r.outputs }));
            for (const v of await runStackPolicy(policy, stack, config))
                violations.push({ policy: policy.name, enforcement, urn: v.urn ?? stackUrn, message: v.message });
        } else {
            for (const r of resources)
                for (const v of await runResourcePolicy(policy, toEngine(r, byUrn, r.inputs), config))
                    violations.push({ policy: policy.name, enforcement, urn: v.urn ?? r.urn, message: v.message });
        }
    }
    return { violations };
}

/** Reads a `--policy-pack-config` JSON file. */
export function readPackConfig(file: string): PolicyPackConfig {
    return JSON.parse(readFileSync(file, "utf8")) as PolicyPackConfig;
}

/** True when any violation blocks a deployment (`plan` exits 1). */
export function hasMandatory(report: PolicyReport): boolean {
    return report.violations.some((v) => v.enforcement === "mandatory");
}

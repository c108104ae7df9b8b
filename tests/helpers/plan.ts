import { parseStackConfig } from "../../assessment/config";
import type { PlannedResource } from "../../cli/plan/offline";
import { planConfig, type StackPlan } from "../../cli/plan/plan-stack";
import { InputError } from "../../components/shared/errors";

export { runOffline } from "../../cli/plan/offline";
export { planConfig, planStackFile } from "../../cli/plan/plan-stack";

const plans = new Map<string, Promise<StackPlan>>();

/**
 * `planConfig`, once per config and stack in a test file: the tests that read the same stack share
 * one plan instead of each planning it again. A plan that fails fails every test that asks for it.
 * Callers await one plan before asking for the next (the Pulumi runtime runs one program at a time).
 */
export function planOnce(config: Record<string, unknown>, stack = "dev"): Promise<StackPlan> {
    const key = JSON.stringify([config, stack]);
    let plan = plans.get(key);
    if (plan === undefined) {
        plan = planConfig(config, stack);
        plans.set(key, plan);
    }
    return plan;
}

/** Resources of one type. */
export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
    return resources.filter((r) => r.type === type);
}

/**
 * The resources of a type, failing the test when there are none: for a loop of assertions, which
 * would otherwise pass on a plan that lost the type.
 */
export function someOfType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
    const found = ofType(resources, type);
    if (found.length === 0) throw new Error(`the plan has no ${type}`);
    return found;
}

/** The one resource of a type; fails the test when there are none or several. */
export function one(resources: readonly PlannedResource[], type: string): PlannedResource {
    const found = ofType(resources, type);
    if (found.length !== 1)
        throw new Error(`expected exactly one ${type}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
    return found[0]!;
}

/** Every resource below `ancestorUrn` (children, grandchildren...). */
export function descendants(resources: readonly PlannedResource[], ancestorUrn: string): PlannedResource[] {
    const out: PlannedResource[] = [];
    const walk = (urn: string) => {
        for (const r of resources)
            if (r.parent === urn) {
                out.push(r);
                walk(r.urn);
            }
    };
    walk(ancestorUrn);
    return out;
}

/**
 * Resources outside the foundation. Level checks look here: the foundation serves every level and
 * may hold a type that marks a level elsewhere (GCP's Docker Hub mirror is an Artifact Registry
 * repository, like the level-4/5 model registry).
 */
export function outsideFoundation(resources: readonly PlannedResource[]): PlannedResource[] {
    return resources.filter((r) => !r.urn.includes("mlops:foundation:Foundation"));
}

/** A minimal config map for `cloud` with the given workload, as a stack file would have it. */
export function configFor(
    cloud: "aws" | "azure" | "gcp",
    workload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
): Record<string, unknown> {
    const region = { aws: "us-east-1", azure: "eastus", gcp: "us-central1" }[cloud];
    const base: Record<string, unknown> = { "mlops:cloud": cloud, "mlops:region": region, "mlops:workload": workload };
    if (cloud === "gcp") base["gcp:project"] = "mlops-levels-demo";
    return { ...base, ...extra };
}

/** The problems a stack config raises (`Pulumi.dev.yaml`), as "path: message" lines; [] when none. */
export function configProblems(config: Record<string, unknown>): string[] {
    try {
        parseStackConfig(config, "Pulumi.dev.yaml", "dev");
    } catch (e) {
        if (e instanceof InputError) return e.problems.map((p) => `${p.path}: ${p.message}`);
        throw e;
    }
    return [];
}

import { providedBy } from "../../catalog";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { planPrerequisites } from "../../cli/plan/prerequisites";
import { describeUnmet } from "../../offline/prerequisites";

/**
 * Why one `pulumi up` could not create this plan, as readable lines per check; all empty when it
 * can: every resource's create-time prerequisites are met (created earlier in the plan and waited
 * for, public and pinned, or supplied by the team), every dependency is a resource of the plan
 * registered before its dependent, and no two resources upload or push the same thing. Cheap: the
 * tests that plan a stack call it on their plan rather than planning the stack again.
 */
export function createProblems(p: StackPlan): { unmet: string[]; dependencyOrder: string[]; providedTwice: string[] } {
    const position = new Map(p.resources.map((r, i) => [r.urn, i] as const));
    const refs = p.resources.flatMap((r) => providedBy(r).map((x) => x.ref));
    return {
        unmet: planPrerequisites(p)
            .filter((c) => c.met === null)
            .map((c) => `${c.urn.split("::").pop()} (${c.type}): ${describeUnmet(c)}`),
        dependencyOrder: p.resources.flatMap((r, i) =>
            r.dependencies
                .filter((d) => !((position.get(d) ?? Number.POSITIVE_INFINITY) < i))
                .map((d) => `${r.urn} -> ${d}`),
        ),
        providedTwice: refs.filter((ref, i) => refs.indexOf(ref) !== i),
    };
}

export const CREATABLE = { unmet: [], dependencyOrder: [], providedTwice: [] };

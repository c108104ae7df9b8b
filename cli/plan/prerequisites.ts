import { userSupplied } from "../../catalog/prerequisites/user";
import { checkPrerequisites, type PrerequisiteCheck } from "../../offline/prerequisites";
import type { StackPlan } from "./plan-stack";

/** Every create-time prerequisite of a planned stack and how it is met, with the options its settings supply. */
export function planPrerequisites(p: StackPlan): PrerequisiteCheck[] {
    return checkPrerequisites(p.resources, { user: userSupplied(p.settings.options) });
}

/** One prerequisite as `plan --json` prints it under `prerequisites`. */
export function prerequisiteJson(c: PrerequisiteCheck): Record<string, unknown> {
    return {
        urn: c.urn,
        input: c.input,
        kind: c.kind,
        ref: c.ref,
        met: c.met,
        ...(c.by !== undefined ? { by: c.by } : {}),
        why: c.why,
    };
}

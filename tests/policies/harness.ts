import type {
    PolicyPackConfig,
    PolicyProviderResource,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { configOf, type EngineResource, isStackPolicy, runResourcePolicy, runStackPolicy } from "../../policies/engine";
import { RULES } from "../../policies/rules";

/**
 * Drives rules the way the Pulumi policy engine does, without the engine: policies/engine.ts builds
 * ResourceValidationArgs / StackValidationArgs (type, props, urn, name, opts, provider, isType/asType,
 * getConfig with schema defaults, notApplicable) and awaits every validation.
 */

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:dev::mlops-levels::${type}::${name}`;
}

/** A rule of the pack by name (fails the test when it does not exist). */
export function rule(name: string): ResourceValidationPolicy | StackValidationPolicy {
    const r = RULES.find((p) => p.name === name);
    if (!r) throw new Error(`no rule ${name}`);
    return r;
}

/** Messages a resource rule reports for one resource named `r` (empty when compliant or not applicable). */
export async function check(
    name: string,
    type: string,
    props: Record<string, unknown>,
    opts: { config?: PolicyPackConfig; provider?: PolicyProviderResource } = {},
): Promise<string[]> {
    const p = rule(name);
    if (isStackPolicy(p)) throw new Error(`${name} is a stack rule`);
    const r: EngineResource = {
        type,
        name: "r",
        urn: urnOf(type, "r"),
        props,
        ...(opts.provider ? { provider: opts.provider } : {}),
    };
    return (await runResourcePolicy(p, r, configOf(p, opts.config))).map((v) => v.message);
}

/** Messages (with urns) a stack rule reports for a list of resources. */
export async function checkStack(
    name: string,
    resources: EngineResource[],
    config?: PolicyPackConfig,
): Promise<{ message: string; urn?: string }[]> {
    const p = rule(name);
    if (!isStackPolicy(p)) throw new Error(`${name} is a resource rule`);
    return runStackPolicy(p, resources, configOf(p, config));
}

/** A deep copy of `base` with dotted paths set (`undefined` deletes the key). */
export function withProps(base: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
    const out = structuredClone(base);
    for (const [path, value] of Object.entries(changes)) {
        const keys = path.split(".");
        let cur: Record<string, unknown> = out;
        for (const k of keys.slice(0, -1)) {
            if (cur[k] === null || typeof cur[k] !== "object") cur[k] = {};
            cur = cur[k] as Record<string, unknown>;
        }
        const last = keys[keys.length - 1]!;
        if (value === undefined) delete cur[last];
        else cur[last] = value;
    }
    return out;
}

/** One rule's table: a compliant baseline, then one changed property per case with the exact messages expected. */
export interface RuleTable {
    rule: string;
    type: string;
    baseline: Record<string, unknown>;
    cases: [description: string, changes: Record<string, unknown>, expected: string[]][];
    config?: PolicyPackConfig;
}

/** Registers jest tests for a list of rule tables. */
export function describeRules(tables: RuleTable[]): void {
    for (const t of tables)
        describe(`${t.rule} on ${t.type}`, () => {
            it("passes the compliant baseline", async () => {
                expect(await check(t.rule, t.type, t.baseline, { config: t.config ?? {} })).toEqual([]);
            });
            it.each(t.cases)("%s", async (_d, changes, expected) => {
                expect(await check(t.rule, t.type, withProps(t.baseline, changes), { config: t.config ?? {} })).toEqual(
                    expected,
                );
            });
        });
}

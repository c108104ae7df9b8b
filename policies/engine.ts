import type {
    EnforcementLevel,
    Policies,
    PolicyConfigSchema,
    PolicyPackConfig,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/**
 * An in-process stand-in for the Pulumi policy engine (the analyzer server of @pulumi/policy): it
 * builds the same validation arguments, resolves enforcement levels and config the same way, and
 * awaits each rule. `new PolicyPack` starts a gRPC server, so nothing here imports it.
 */

/** What a rule reported. `urn` is absent for a stack-wide violation. */
export interface Reported {
    message: string;
    urn?: string;
}

/** A resource as the engine hands it to a policy: type, name, urn, properties and options. */
export interface EngineResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    provider?: PolicyProviderResource;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/** Thrown by `notApplicable`, as the engine's own NotApplicableError. */
export class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        // Thrown for every rule that does not apply to a resource, thousands of times a plan, and
        // caught here: capturing a stack each time was a sixth of a plan's policy run under jest.
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        super(reason ?? "Policy does not apply");
        Error.stackTraceLimit = limit;
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/** `__pulumiType` of an SDK class, which the engine compares with the resource's type. */
function isTypeOf(type: string, cls: unknown): boolean {
    const t = (cls as { __pulumiType?: string } | undefined)?.__pulumiType;
    if (typeof t === "string") return t === type;
    return false;
}

function options(r: EngineResource): PolicyResourceOptions {
    return {
        protect: r.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent !== undefined ? { parent: r.parent } : {}),
    };
}

export function resourceArgs(r: EngineResource, config: Record<string, unknown>): ResourceValidationArgs {
    const args: ResourceValidationArgs = {
        type: r.type,
        props: r.props,
        urn: r.urn,
        name: r.name,
        opts: options(r),
        stackTags: new Map(),
        isType: (cls) => isTypeOf(r.type, cls),
        // biome-ignore lint/suspicious/noExplicitAny: the engine returns the raw props typed as the class's args
        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.props : undefined)) as any,
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
    };
    if (r.provider) args.provider = r.provider;
    return args;
}

export function stackArgs(resources: readonly EngineResource[], config: Record<string, unknown>): StackValidationArgs {
    const byUrn = new Map<string, PolicyResource>();
    const built = resources.map((r) => {
        const pr: PolicyResource = {
            type: r.type,
            props: r.props,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            // biome-ignore lint/suspicious/noExplicitAny: as the engine
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.props : undefined)) as any,
        };
        if (r.provider) pr.provider = r.provider;
        byUrn.set(r.urn, pr);
        return { r, pr };
    });
    const resolve = (urns: readonly string[] | undefined) =>
        (urns ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
    for (const { r, pr } of built) {
        const parent = r.parent !== undefined ? byUrn.get(r.parent) : undefined;
        if (parent) pr.parent = parent;
        pr.dependencies = resolve(r.dependencies);
        for (const [k, v] of Object.entries(r.propertyDependencies ?? {})) pr.propertyDependencies[k] = resolve(v);
    }
    return {
        resources: built.map((b) => b.pr),
        stackTags: new Map(),
        getConfig: <T extends object>() => config as T,
        notApplicable: throwNotApplicable,
    };
}

export function isStackPolicy(p: Policies[number]): p is StackValidationPolicy {
    return "validateStack" in p && typeof p.validateStack === "function";
}

export function isResourcePolicy(p: Policies[number]): p is ResourceValidationPolicy {
    return !isStackPolicy(p);
}

type PolicyConfig = PolicyPackConfig[string];

/** A policy's entry in a `--policy-pack-config` object: `"advisory"` or `{ enforcementLevel?, ...props }`. */
function entryOf(
    policy: string,
    pack: PolicyPackConfig,
): { enforcementLevel?: EnforcementLevel; props: Record<string, unknown> } {
    const all = pack["all"] as PolicyConfig | undefined;
    const own = pack[policy] as PolicyConfig | undefined;
    const level = (c: PolicyConfig | undefined) =>
        typeof c === "string" ? c : (c?.enforcementLevel as EnforcementLevel | undefined);
    const props =
        own !== undefined && typeof own === "object"
            ? Object.fromEntries(Object.entries(own).filter(([k]) => k !== "enforcementLevel"))
            : {};
    return { enforcementLevel: level(own) ?? level(all), props };
}

/**
 * The enforcement level the engine uses: the policy's config entry, else the pack-wide `all` entry,
 * else the policy's own, else the pack default (advisory). `remediate` reports as mandatory.
 */
export function enforcementOf(
    policy: Policies[number],
    pack: PolicyPackConfig = {},
    packDefault: EnforcementLevel = "advisory",
): EnforcementLevel {
    const level = entryOf(policy.name, pack).enforcementLevel ?? policy.enforcementLevel ?? packDefault;
    return level === "remediate" ? "mandatory" : level;
}

/** Schema defaults for every property the config leaves out, as the Pulumi CLI applies them before calling the pack. */
export function configOf(policy: Policies[number], pack: PolicyPackConfig = {}): Record<string, unknown> {
    const schema: PolicyConfigSchema | undefined = policy.configSchema;
    const defaults: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema?.properties ?? {}))
        if (s && typeof s === "object" && "default" in s && s.default !== undefined)
            defaults[k] = structuredClone(s.default);
    return { ...defaults, ...entryOf(policy.name, pack).props };
}

/** Runs one resource policy on one resource; returns what it reported (empty when compliant or not applicable). */
export async function runResourcePolicy(
    policy: ResourceValidationPolicy,
    r: EngineResource,
    config: Record<string, unknown> = configOf(policy),
): Promise<Reported[]> {
    const out: Reported[] = [];
    const validations =
        policy.validateResource === undefined
            ? []
            : Array.isArray(policy.validateResource)
              ? policy.validateResource
              : [policy.validateResource];
    for (const v of validations) {
        try {
            await Promise.resolve(v(resourceArgs(r, config), (message) => out.push({ message, urn: r.urn })));
        } catch (e) {
            if (e instanceof NotApplicableError) continue;
            throw new Error(`policy ${policy.name} failed on ${r.urn}: ${(e as Error).message}`);
        }
    }
    return out;
}

/** Runs one stack policy on a whole stack. */
export async function runStackPolicy(
    policy: StackValidationPolicy,
    resources: readonly EngineResource[],
    config: Record<string, unknown> = configOf(policy),
): Promise<Reported[]> {
    const out: Reported[] = [];
    try {
        await Promise.resolve(
            policy.validateStack(stackArgs(resources, config), (message, urn) =>
                out.push(urn !== undefined ? { message, urn } : { message }),
            ),
        );
    } catch (e) {
        if (!(e instanceof NotApplicableError))
            throw new Error(`policy ${policy.name} failed: ${(e as Error).message}`);
    }
    return out;
}

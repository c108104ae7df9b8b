import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * The pack's configuration: every setting a team may change with `--policy-pack-config`, its
 * default and its JSON schema. Pulumi applies a property's `default` when the config file leaves it
 * out; rules read `args.getConfig()` and fall back to these same constants, so an engine that passes
 * no config at all (an older CLI, a unit test) behaves like the defaults.
 */

/** Environments (stack names) where a level above the assessment blocks the deployment. */
export const DEFAULT_BLOCKING_ENVIRONMENTS: readonly string[] = ["prod"];

export interface OverProvisioningConfig {
    /** Environments where over-provisioning is a mandatory violation; elsewhere it is advisory. Default ["prod"]. */
    blockingEnvironments: string[];
}

export const OVER_PROVISIONING_SCHEMA: PolicyConfigSchema = {
    properties: {
        blockingEnvironments: {
            type: "array",
            items: { type: "string" },
            default: [...DEFAULT_BLOCKING_ENVIRONMENTS],
            description: "Environments (stack names) where a level above the assessment blocks the deployment.",
        },
    },
};

/** Limits for one environment. */
export interface EnvironmentCaps {
    /** Most machines (nodes, workers, brokers, instances) one resource may ask for. */
    maxNodes?: number;
    /** Machine families allowed (`m5`, `ml.m5`, `Standard_D`, `n2`, `g2`...); absent means any. */
    allowedMachineFamilies?: string[];
    /** Whether GPU machines or accelerators are allowed. Default true. */
    gpusAllowed?: boolean;
}

export interface CapsConfig {
    /** Caps per environment (stack name); `*` applies to environments without their own entry. */
    environments: Record<string, EnvironmentCaps>;
}

/** Generous on purpose: the caps exist to stop mistakes (a 1000-node pool), not normal levels. */
export const DEFAULT_CAPS: Readonly<Record<string, EnvironmentCaps>> = {
    // Wide enough for anything the stack program generates (at most 200 serving pods, 64 Ray
    // workers, 200 Spark workers): a team narrows them per environment in its pack config.
    dev: { maxNodes: 200, gpusAllowed: true },
    staging: { maxNodes: 200, gpusAllowed: true },
    prod: { maxNodes: 500, gpusAllowed: true },
    "*": { maxNodes: 200, gpusAllowed: true },
};

const CAPS_ENTRY = {
    type: "object",
    properties: {
        maxNodes: { type: "integer", minimum: 0 },
        allowedMachineFamilies: { type: "array", items: { type: "string" } },
        gpusAllowed: { type: "boolean" },
    },
    additionalProperties: false,
} as const;

export const CAPS_SCHEMA: PolicyConfigSchema = {
    properties: {
        environments: {
            type: "object",
            additionalProperties: CAPS_ENTRY,
            default: DEFAULT_CAPS,
            description: "Caps per environment: maxNodes, allowedMachineFamilies, gpusAllowed. `*` is the fallback.",
        },
    },
};

export interface BudgetConfig {
    /** Most estimated monthly USD per environment; `*` applies to environments without their own entry. */
    maxMonthlyUsd: Record<string, number>;
}

/** Monthly USD per environment at list prices, steady state; a stack above it does not deploy. */
export const DEFAULT_BUDGETS: Readonly<Record<string, number>> = { dev: 1500, staging: 5000, prod: 20000, "*": 5000 };

export const BUDGET_SCHEMA: PolicyConfigSchema = {
    properties: {
        maxMonthlyUsd: {
            type: "object",
            additionalProperties: { type: "number", minimum: 0 },
            default: DEFAULT_BUDGETS,
            description: "Most estimated monthly USD per environment; `*` is the fallback.",
        },
    },
};

/** Ports an administrator reaches a machine or cluster on: SSH, RDP, WinRM, Docker, Kubernetes API and kubelet. */
export const DEFAULT_ADMIN_PORTS: readonly number[] = [22, 3389, 5985, 5986, 2375, 2376, 6443, 10250];

export interface AdminPortsConfig {
    adminPorts: number[];
}

export const ADMIN_PORTS_SCHEMA: PolicyConfigSchema = {
    properties: {
        adminPorts: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            default: [...DEFAULT_ADMIN_PORTS],
            description: "Ports that must never be open to 0.0.0.0/0 or ::/0.",
        },
    },
};

/** A switch that allows something public on purpose (an external endpoint, a LoadBalancer Service). */
export interface AllowConfig {
    allow: boolean;
}

export function allowSchema(description: string): PolicyConfigSchema {
    return { properties: { allow: { type: "boolean", default: false, description } } };
}

/** Minimum log retention in days (CIS AWS asks for at least a year for some logs; 30 is the floor here). */
export const DEFAULT_MIN_LOG_RETENTION_DAYS = 30;

export const LOG_RETENTION_SCHEMA: PolicyConfigSchema = {
    properties: {
        minDays: {
            type: "integer",
            minimum: 1,
            default: DEFAULT_MIN_LOG_RETENTION_DAYS,
            description: "Least retention in days.",
        },
    },
};

/** Reads a policy's config with the defaults filled in for missing keys. */
export function withDefaults<T extends object>(got: Partial<T> | undefined, defaults: T): T {
    const out = { ...defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(got ?? {})) if (v !== undefined) out[k] = v;
    return out as T;
}

/** The caps or budget entry of an environment: its own entry, else `*`. */
export function forEnvironment<T>(table: Record<string, T>, env: string | undefined): T | undefined {
    return (env !== undefined ? table[env] : undefined) ?? table["*"];
}

import { createHash } from "node:crypto";

/**
 * A cloud's rule for one kind of physical name. Names are built from parts (project, stack,
 * purpose) that may contain anything a user typed, so every rule is enforced here, once.
 */
export interface NameRule {
    /** Shown in errors and tests. */
    readonly kind: string;
    readonly minLength: number;
    readonly maxLength: number;
    /** Characters allowed anywhere, as the body of a regex character class. */
    readonly allowed: string;
    /** Joins parts; "" where the rule allows no separator at all. */
    readonly separator: "-" | "";
    /** Lowercase the name (most rules want it). */
    readonly lowercase: boolean;
    /** The first character must be a letter (otherwise a letter or digit). */
    readonly startWithLetter: boolean;
    /** The full rule as a regex, to check the result (and in tests). */
    readonly pattern: RegExp;
    /** Prefixes the cloud reserves (S3: `xn--`, `sthree-`; GCS: `goog`). */
    readonly forbiddenPrefixes?: readonly string[];
    /** Substrings the cloud refuses anywhere (GCS: `google`). */
    readonly forbiddenSubstrings?: readonly string[];
}

const rule = (r: NameRule): NameRule => r;

/** Name rules used by the components, by cloud and kind. Sources: each cloud's naming docs. */
export const NAME_RULES = {
    /** S3: 3-63, lowercase letters, digits, hyphens (dots avoided: they break virtual-host TLS). */
    s3Bucket: rule({
        kind: "S3 bucket",
        minLength: 3,
        maxLength: 63,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: false,
        pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
        forbiddenPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
    }),
    /** IAM role names: up to 64 of [\w+=,.@-]. */
    awsIamRole: rule({
        kind: "IAM role",
        minLength: 1,
        maxLength: 64,
        allowed: "a-zA-Z0-9+=,.@_-",
        separator: "-",
        lowercase: false,
        startWithLetter: false,
        pattern: /^[\w+=,.@-]{1,64}$/,
    }),
    /** Step Functions, SageMaker, EventBridge Scheduler and most AWS service names: 63 of [a-zA-Z0-9-]. */
    awsService: rule({
        kind: "AWS service name",
        minLength: 1,
        maxLength: 63,
        allowed: "a-zA-Z0-9-",
        separator: "-",
        lowercase: false,
        startWithLetter: true,
        pattern: /^[a-zA-Z][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]$|^[a-zA-Z]$/,
    }),
    /** ECR repositories: lowercase, 2-256. */
    ecrRepository: rule({
        kind: "ECR repository",
        minLength: 2,
        maxLength: 256,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9-]*[a-z0-9]$/,
    }),
    /** EKS cluster names: 1-100, alphanumerics and hyphens, starting alphanumeric. */
    eksCluster: rule({
        kind: "EKS cluster",
        minLength: 1,
        maxLength: 100,
        allowed: "a-zA-Z0-9-",
        separator: "-",
        lowercase: false,
        startWithLetter: true,
        pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/,
    }),
    /** Azure storage accounts: 3-24 lowercase letters and digits, globally unique. */
    azureStorageAccount: rule({
        kind: "Azure storage account",
        minLength: 3,
        maxLength: 24,
        allowed: "a-z0-9",
        separator: "",
        lowercase: true,
        startWithLetter: false,
        pattern: /^[a-z0-9]{3,24}$/,
    }),
    /** Azure container registries: 5-50 alphanumerics, globally unique. */
    azureContainerRegistry: rule({
        kind: "Azure container registry",
        minLength: 5,
        maxLength: 50,
        allowed: "a-z0-9",
        separator: "",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9]{4,49}$/,
    }),
    /** Resource groups: 1-90 of alphanumerics, underscores, hyphens, periods, parentheses. */
    azureResourceGroup: rule({
        kind: "Azure resource group",
        minLength: 1,
        maxLength: 90,
        allowed: "a-zA-Z0-9_-",
        separator: "-",
        lowercase: false,
        startWithLetter: false,
        pattern: /^[\w-]{1,90}$/,
    }),
    /** Container Apps, jobs and environments: 2-32 lowercase alphanumerics and single hyphens, starting with a letter. */
    azureContainerApp: rule({
        kind: "Azure container app",
        minLength: 2,
        maxLength: 32,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z](?!.*--)[a-z0-9-]{0,30}[a-z0-9]$/,
    }),
    /** General Azure resources (VNets, identities, workspaces, clusters): 2-63, alphanumerics and hyphens. */
    azureGeneral: rule({
        kind: "Azure resource",
        minLength: 2,
        maxLength: 63,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
    }),
    /** Globally unique Azure DNS names (Event Hubs namespaces, Key Vaults are 3-24): 6-50. */
    azureEventHubsNamespace: rule({
        kind: "Event Hubs namespace",
        minLength: 6,
        maxLength: 50,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9-]{4,48}[a-z0-9]$/,
    }),
    /** GCS buckets: 3-63 of lowercase letters, digits, hyphens; globally unique; no "goog" prefix. */
    gcsBucket: rule({
        kind: "GCS bucket",
        minLength: 3,
        maxLength: 63,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: false,
        pattern: /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
        forbiddenPrefixes: ["goog"],
        forbiddenSubstrings: ["google"],
    }),
    /** GCP service account ids: 6-30, RFC 1035. */
    gcpServiceAccount: rule({
        kind: "GCP service account id",
        minLength: 6,
        maxLength: 30,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    }),
    /** Most GCP resources (networks, jobs, clusters, topics): RFC 1035 labels, 1-63. */
    gcpResource: rule({
        kind: "GCP resource",
        minLength: 1,
        maxLength: 63,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    }),
    /** GKE cluster names: 1-40, RFC 1035. */
    gkeCluster: rule({
        kind: "GKE cluster",
        minLength: 1,
        maxLength: 40,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
    }),
    /** Kubernetes object names: DNS-1123 labels. */
    kubernetes: rule({
        kind: "Kubernetes name",
        minLength: 1,
        maxLength: 63,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    }),
    /** Synapse workspaces: 1-50 lowercase letters, digits and hyphens, globally unique (a DNS name). */
    synapseWorkspace: rule({
        kind: "Synapse workspace",
        minLength: 1,
        maxLength: 50,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z]([a-z0-9-]{0,48}[a-z0-9])?$/,
        forbiddenSubstrings: ["-ondemand"],
    }),
    /** Synapse Spark pools: 1-15 letters and digits, starting with a letter. */
    synapseSparkPool: rule({
        kind: "Synapse Spark pool",
        minLength: 1,
        maxLength: 15,
        allowed: "a-zA-Z0-9",
        separator: "",
        lowercase: false,
        startWithLetter: true,
        pattern: /^[a-zA-Z][a-zA-Z0-9]{0,14}$/,
    }),
    /** Dataproc managed-cluster name prefixes (workflow templates): 2-35, RFC 1035. */
    dataprocClusterPrefix: rule({
        kind: "Dataproc cluster name prefix",
        minLength: 2,
        maxLength: 35,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9-]{0,33}[a-z0-9]$/,
    }),
    /** Dataproc workflow template and autoscaling policy ids: 3-50 of letters, digits, _ and -. */
    dataprocId: rule({
        kind: "Dataproc template or policy id",
        minLength: 3,
        maxLength: 50,
        allowed: "a-z0-9-",
        separator: "-",
        lowercase: true,
        startWithLetter: true,
        pattern: /^[a-z][a-z0-9-]{1,48}[a-z0-9]$/,
    }),
} as const satisfies Record<string, NameRule>;

export type NameRuleId = keyof typeof NAME_RULES;

/** Length of the random per-stack suffix appended to globally unique names. */
export const UNIQUE_SUFFIX_LENGTH = 6;

const HASH_LENGTH = 4;

function shortHash(s: string): string {
    return createHash("sha256").update(s).digest("hex").slice(0, HASH_LENGTH);
}

/**
 * Builds a physical name that satisfies `rule` from any parts. Disallowed characters become the
 * separator; a name too long is cut and given a short hash of the whole, so two long names that
 * differ only at the end stay distinct. `reserve` leaves room for a suffix added later (e.g. the
 * random per-stack suffix, plus its separator).
 */
export function physicalName(ruleOrId: NameRule | NameRuleId, parts: readonly string[], reserve = 0): string {
    const r = typeof ruleOrId === "string" ? NAME_RULES[ruleOrId] : ruleOrId;
    const sep = r.separator;
    const disallowed = new RegExp(`[^${r.allowed}]+`, "g");
    const cleanPart = (p: string) => {
        const cased = r.lowercase ? p.toLowerCase() : p;
        let s = cased.replace(disallowed, sep);
        if (sep !== "")
            s = s
                .split(sep)
                .filter((x) => x !== "")
                .join(sep);
        return s;
    };
    let name = parts
        .map(cleanPart)
        .filter((p) => p !== "")
        .join(sep);
    for (const bad of r.forbiddenSubstrings ?? []) name = name.split(bad).join(bad.slice(0, -1));
    if (r.startWithLetter) name = name.replace(/^[^a-zA-Z]+/, "");
    if ((r.forbiddenPrefixes ?? []).some((f) => name.startsWith(f))) name = `m${sep}${name}`;
    const max = r.maxLength - reserve;
    const hash = shortHash(parts.join("/"));
    if (name.length > max) {
        const keep = Math.max(1, max - HASH_LENGTH - sep.length);
        name = `${name.slice(0, keep).replace(/[^a-zA-Z0-9]+$/, "")}${sep}${hash}`;
    }
    const trimEnd = (x: string) => x.replace(/[^a-zA-Z0-9]+$/, "");
    name = trimEnd(name);
    if (r.startWithLetter && name !== "" && !/^[a-zA-Z]/.test(name)) name = `m${name}`;
    const min = Math.max(1, r.minLength - reserve);
    // Too short (or empty after cleaning): pad with the hash, which is stable for the same parts.
    while (name.length < min) name = name === "" ? `${r.startWithLetter ? "m" : ""}${hash}` : `${name}${sep}${hash}`;
    return trimEnd(name.slice(0, max));
}

/** Appends a unique suffix (already valid for the rule) to a name built with `reserve`. */
export function withSuffix(ruleOrId: NameRule | NameRuleId, base: string, suffix: string): string {
    const r = typeof ruleOrId === "string" ? NAME_RULES[ruleOrId] : ruleOrId;
    return `${base}${r.separator}${suffix}`;
}

/** Space a suffix takes: its length plus the separator. */
export function suffixReserve(ruleOrId: NameRule | NameRuleId): number {
    const r = typeof ruleOrId === "string" ? NAME_RULES[ruleOrId] : ruleOrId;
    return UNIQUE_SUFFIX_LENGTH + r.separator.length;
}

/** True when `name` satisfies the rule. */
export function isValidName(ruleOrId: NameRule | NameRuleId, name: string): boolean {
    const r = typeof ruleOrId === "string" ? NAME_RULES[ruleOrId] : ruleOrId;
    return (
        name.length >= r.minLength &&
        name.length <= r.maxLength &&
        r.pattern.test(name) &&
        !(r.forbiddenPrefixes ?? []).some((f) => name.startsWith(f)) &&
        !(r.forbiddenSubstrings ?? []).some((f) => name.includes(f))
    );
}

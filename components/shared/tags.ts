import type { Pipeline } from "./levels";

/** Tag keys every taggable resource carries. Lowercase and dash-only so they are valid GCP label keys too. */
export const TAG_KEYS = {
    pipeline: "mlops-pipeline",
    level: "mlops-level",
    environment: "mlops-environment",
    managedBy: "managed-by",
    /** The level the workload assesses for the resource's pipelines: the policy pack's over-provisioning gate compares it with `level`. */
    assessed: "mlops-assessed",
    /** On training resources: `structured` or `unstructured`, so a GPU on structured data is visible to policies. */
    dataKind: "mlops-data-kind",
    /** On training resources: `true` when `training.gpu: true` asks for a GPU on purpose. */
    gpuPinned: "mlops-gpu-pinned",
} as const;

export const MANAGED_BY = "mlops-levels";

/** Pipeline value for the foundation that all levels share (storage, network, identity). */
export const FOUNDATION = "foundation";

/** `data`, `inference`, or `data-inference` for a resource two pipelines share. */
export type TagPipeline = Pipeline | typeof FOUNDATION | readonly Pipeline[];

function pipelineValue(p: TagPipeline): string {
    return typeof p === "string" ? p : [...p].join("-");
}

/** Lowercase, [a-z0-9_-], at most 63: a valid GCP label value and harmless elsewhere. */
export function labelValue(v: string): string {
    const s = v
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, "-")
        .slice(0, 63);
    return s === "" ? "none" : s;
}

/** What the assessment said, for the tags policies read. */
export interface TagFacts {
    /** Assessed level per pipeline. */
    assessed?: Partial<Record<Pipeline, number>>;
    /** Training data kind, when the stack trains. */
    dataKind?: "structured" | "unstructured";
    /** `training.gpu: true` was set on purpose. */
    gpuPinned?: boolean;
}

/**
 * The four tags every resource carries (pipeline, level, environment, managed-by), with values valid
 * on all three clouds, plus the facts policies need on level resources. Level 0 is the foundation.
 */
export function tags(
    environment: string,
    pipeline: TagPipeline,
    level: number,
    facts: TagFacts = {},
): Record<string, string> {
    const t: Record<string, string> = {
        [TAG_KEYS.pipeline]: labelValue(pipelineValue(pipeline)),
        [TAG_KEYS.level]: String(level),
        [TAG_KEYS.environment]: labelValue(environment),
        [TAG_KEYS.managedBy]: MANAGED_BY,
    };
    const pipelines: Pipeline[] =
        pipeline === FOUNDATION ? [] : typeof pipeline === "string" ? [pipeline as Pipeline] : [...pipeline];
    const assessed = pipelines.map((p) => facts.assessed?.[p]).filter((l): l is number => l !== undefined);
    if (assessed.length > 0) t[TAG_KEYS.assessed] = String(Math.max(...assessed));
    if (pipelines.includes("training") && facts.dataKind !== undefined) {
        t[TAG_KEYS.dataKind] = facts.dataKind;
        t[TAG_KEYS.gpuPinned] = String(facts.gpuPinned === true);
    }
    return t;
}

/** Reads the pipelines and level back from tags (for policies and reports). */
export function readTags(
    t: Record<string, unknown> | undefined,
): { pipelines: string[]; level?: number; assessed?: number; dataKind?: string; gpuPinned: boolean } | undefined {
    if (!t) return undefined;
    const p = t[TAG_KEYS.pipeline];
    if (typeof p !== "string") return undefined;
    const num = (v: unknown) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
    const kind = t[TAG_KEYS.dataKind];
    return {
        pipelines: p.split("-"),
        level: num(t[TAG_KEYS.level]),
        assessed: num(t[TAG_KEYS.assessed]),
        dataKind: typeof kind === "string" ? kind : undefined,
        gpuPinned: t[TAG_KEYS.gpuPinned] === "true",
    };
}

import type { Pipeline } from "./levels";

/** Tag keys every taggable resource carries. Lowercase and dash-only so they are valid GCP label keys too. */
export const TAG_KEYS = {
    pipeline: "mlops-pipeline",
    level: "mlops-level",
    environment: "mlops-environment",
    managedBy: "managed-by",
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

/** The four tags, with values valid on all three clouds. Level 0 is the shared foundation. */
export function tags(environment: string, pipeline: TagPipeline, level: number): Record<string, string> {
    return {
        [TAG_KEYS.pipeline]: labelValue(pipelineValue(pipeline)),
        [TAG_KEYS.level]: String(level),
        [TAG_KEYS.environment]: labelValue(environment),
        [TAG_KEYS.managedBy]: MANAGED_BY,
    };
}

/** Reads the pipelines and level back from tags (for policies and reports). */
export function readTags(t: Record<string, unknown> | undefined): { pipelines: string[]; level?: number } | undefined {
    if (!t) return undefined;
    const p = t[TAG_KEYS.pipeline];
    const l = t[TAG_KEYS.level];
    if (typeof p !== "string") return undefined;
    const level = typeof l === "string" && /^\d+$/.test(l) ? Number(l) : undefined;
    return { pipelines: p.split("-"), level };
}

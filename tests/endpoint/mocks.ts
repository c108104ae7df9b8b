import { parseStackConfig, type StackSettings } from "../../assessment/config";
import { configFor } from "../helpers/plan";

/** Validated settings of a stack with online inference at `peakQps` (level 4 unless pinned). */
export function onlineSettings(
    cloud: "aws" | "azure" | "gcp",
    peakQps: number,
    extra: Record<string, unknown> = {},
): StackSettings {
    const config = configFor(cloud, { inference: { mode: "online", peakQps } }, extra);
    const raw = Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return parseStackConfig(raw, "Pulumi.dev.yaml", "dev");
}

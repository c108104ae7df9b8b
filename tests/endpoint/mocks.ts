import { parseStackConfig, type StackSettings } from "../../assessment/config";
import { TYPE_STATE } from "../../cli/plan/mock-state";
import { endpointState } from "../../cli/plan/mock-state-endpoint";
import { configFor } from "../helpers/plan";

/**
 * The registry and endpoint mock state, as the plan command will have it once integrated: the mock
 * engine then answers these types with realistic computed outputs (URLs, ARNs, login servers).
 */
export function useEndpointMocks(): void {
    Object.assign(TYPE_STATE, endpointState);
}

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

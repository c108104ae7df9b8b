import { TYPE_STATE } from "../../cli/plan/mock-state";
import { streamingState } from "../../cli/plan/mock-state-streaming";
import type { StreamFlow } from "../../components/streaming";

// The streaming types' mock outputs, as the stack's mock engine will have them once integrated.
for (const [type, fn] of Object.entries(streamingState)) TYPE_STATE[type] ??= fn;

export const flow = (eventsPerSecond = 100, eventSizeKb = 1): StreamFlow => ({
    level: 3,
    eventsPerSecond,
    eventSizeKb,
});

/** Types of other levels that must never come with streaming. */
export const OTHER_LEVEL_TYPES =
    /emr|dataproc|synapse|hdinsight|eks|container\/cluster|containerservice|sagemaker\/endpoint|cloudrunv2|containerregistry|ecr\/repository|artifactregistry\/repository|app:ContainerApp$/i;

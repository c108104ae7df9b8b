import type { StreamFlow } from "../../components/streaming";

export const flow = (eventsPerSecond = 100, eventSizeKb = 1): StreamFlow => ({
    level: 3,
    eventsPerSecond,
    eventSizeKb,
});

/** Types of other levels that must never come with streaming. */
export const OTHER_LEVEL_TYPES =
    /emr|dataproc|synapse|hdinsight|eks|container\/cluster|containerservice|sagemaker\/endpoint|cloudrunv2|containerregistry|ecr\/repository|artifactregistry\/repository|app:ContainerApp$/i;

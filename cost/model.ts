import { CATALOGUE } from "../catalog";

// The cost model's entry point. Prices come from cost/prices.json, each resource type's pricer
// and machines from its catalogue entry (catalog/pricing/<cloud>.ts, catalog/machines/<cloud>.ts),
// the usage from the workload (cost/usage.ts), the pipeline each resource is billed to from its
// tags (cost/attribution.ts); cost/estimate.ts puts them together and cost/render.ts prints them.

export {
    DATAFLOW_STREAMING_DISK_GB,
    DEFAULT_CONCURRENCY,
    MissingPrice,
    machineHour,
    NAT_GB_PER_RUN,
    NAT_MIN_VMS,
    QPS_PER_NODE,
    REGISTRY_IMAGE_GB,
    SPARK_STARTUP_HOURS,
    SPARK_WORKER,
    STREAM_CONSUMERS,
    SYNAPSE_MIN_NODES,
    TRANSITIONS_PER_RUN,
    WORKFLOW_BASE_STEPS,
    workflowPolls,
} from "../catalog/pricing";
export { type CostResource, type CostRow, costByPipeline, pipelineOf, resourceTags } from "./attribution";
export {
    type EstimateContext,
    estimateStack,
    isFreeType,
    type ResourceCost,
    type StackEstimate,
} from "./estimate";
export { NO_USAGE, type Usage, usageFromSettings } from "./usage";

/** Types the model prices with a pricer of their own (the rest are free or unpriced). */
export const PRICED_TYPES: readonly string[] = Object.entries(CATALOGUE)
    .filter(([, s]) => typeof s.price === "function")
    .map(([t]) => t);

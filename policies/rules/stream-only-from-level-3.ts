import { typesOfKind } from "../../catalog";
import { levelGate } from "./level-gates";

/**
 * No message stream or streaming engine (Kinesis, MSK, Event Hubs, Pub/Sub, Managed Kafka, Flink,
 * Stream Analytics, Dataflow) below level 3: batch freshness needs none (LEVELS.md).
 * Public source: none; the level model.
 */
export const streamOnlyFromLevel3 = levelGate({
    name: "stream-only-from-level-3",
    description: "A stream or streaming engine belongs to data or inference level 3 and above only.",
    types: typesOfKind("stream", "streaming-engine"),
    kind: "stream",
    minLevels: { data: 3, inference: 3 },
});

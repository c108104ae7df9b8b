import { SPARK_CLUSTER_TYPES } from "../kinds";
import { levelGate } from "./level-gates";

/**
 * No Spark cluster (EMR, EMR Serverless, Synapse Spark, HDInsight, Databricks, Dataproc) below level 2:
 * a run that fits one machine runs on one machine (LEVELS.md). Public source: none; the level model.
 */
export const sparkClusterOnlyFromLevel2 = levelGate({
    name: "spark-cluster-only-from-level-2",
    description: "A Spark cluster belongs to data or inference level 2 and above only.",
    types: SPARK_CLUSTER_TYPES,
    kind: "Spark cluster",
    minLevels: { data: 2, inference: 2 },
});

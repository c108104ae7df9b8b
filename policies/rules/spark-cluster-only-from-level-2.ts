import { typesOfKind } from "../../catalog";
import { levelGate } from "./level-gates";

/**
 * No Spark cluster (EMR, EMR Serverless, Synapse Spark, HDInsight, Databricks, a Dataproc cluster or the
 * per-run cluster of a Dataproc workflow template: the catalogue's `spark` kind) below level 2:
 * a run that fits one machine runs on one machine (LEVELS.md). Public source: none; the level model.
 */
export const sparkClusterOnlyFromLevel2 = levelGate({
    name: "spark-cluster-only-from-level-2",
    description: "A Spark cluster belongs to data or inference level 2 and above only.",
    types: typesOfKind("spark"),
    kind: "Spark cluster",
    minLevels: { data: 2, inference: 2 },
});

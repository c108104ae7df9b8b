/** The three pipelines of an ML system, each assessed on its own (LEVELS.md). */
export const PIPELINES = ["data", "training", "inference"] as const;
export type Pipeline = (typeof PIPELINES)[number];

/** The highest level each pipeline has. */
export const MAX_LEVEL: Readonly<Record<Pipeline, number>> = { data: 3, training: 2, inference: 5 };

export type Levels = Partial<Record<Pipeline, number>>;

/** What each level provisions, in a few words, for plans and docs. */
export const LEVEL_SUMMARY: Readonly<Record<Pipeline, Readonly<Record<number, string>>>> = {
    data: {
        1: "one machine: a scheduled serverless job",
        2: "a managed Spark cluster",
        3: "a message stream plus a streaming engine",
    },
    training: {
        1: "one machine (a GPU machine for unstructured data), only while training runs",
        2: "a distributed Ray cluster on Kubernetes",
    },
    inference: {
        1: "one machine: a scheduled batch-scoring job",
        2: "the Spark cluster scoring with the model as a UDF",
        3: "the stream plus streaming engine, scoring inside the engine",
        4: "a managed serverless endpoint plus a container registry",
        5: "a Kubernetes cluster plus a container registry",
    },
};

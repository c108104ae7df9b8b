import { SAMPLES_PREFIX } from "./artifacts";

/**
 * Characters of a key in a stack's storage that the jobs are pointed at (a Spark entry script, a
 * model folder): letters, digits, `_`, `.`, `-` and `/`. Nothing a shell, a URI or a Livy document
 * would have to quote.
 */
export const OBJECT_KEY_CHARS = /^[\w./-]+$/;

/** Longest object key S3 and Cloud Storage take: 1,024 bytes (the characters allowed are one byte each). */
export const MAX_OBJECT_KEY = 1024;

/** The suffix every Spark entry script has: each cloud runs it as PySpark (Dataproc takes only `.py`). */
export const PYSPARK_SUFFIX = ".py";

/** What a key in the artifacts store names, for the messages: a team's Spark script, its Flink package... */
export interface KeyKind {
    /** The thing named, as the messages say it: "Spark entry script", "application package". */
    readonly what: string;
    /** Endings one of which the key must have (`.py`; `.zip` or `.jar`). */
    readonly suffixes: readonly string[];
    /** A key that would do, for the messages. */
    readonly example: string;
}

/**
 * Why `key` cannot name a team's own object in the stack's artifacts store, or undefined when it
 * can. The key is relative to the store (the stack joins it to `s3://…`, `gs://…` or `abfss://…`),
 * names one file with one of `kind.suffixes`, and stays out of `samples/`, where the stack uploads
 * the reference pipeline and would write over the team's file. Pure.
 */
export function artifactKeyProblem(key: string, kind: KeyKind): string | undefined {
    const shown = JSON.stringify(key);
    const eg = `e.g. '${kind.example}'`;
    if (key.length > MAX_OBJECT_KEY)
        return `${shown.slice(0, 40)}… is ${key.length} characters; keys in S3 and Cloud Storage take at most ${MAX_OBJECT_KEY}`;
    if (!OBJECT_KEY_CHARS.test(key))
        return `${shown} is not a key in the artifacts store: use letters, digits, '.', '_', '-' and '/' only, ${eg}`;
    if (key.startsWith("/")) return `${shown} starts with '/': give the key relative to the artifacts store, ${eg}`;
    const segments = key.split("/");
    if (segments.includes(".."))
        return `${shown} has a '..' segment: give the key as it is in the artifacts store, ${eg}`;
    if (segments.some((s) => s === "" || s === "."))
        return `${shown} has an empty or '.' segment ('//', './', a trailing '/'): write the key as it is in the artifacts store`;
    if (key.startsWith(SAMPLES_PREFIX))
        return `${shown} is under '${SAMPLES_PREFIX}', where the stack uploads the reference pipeline and would overwrite it; put the team's ${kind.what} elsewhere, ${eg}`;
    const file = segments[segments.length - 1]!;
    if (!kind.suffixes.some((x) => file.endsWith(x) && file !== x))
        return `${shown} is not the team's ${kind.what}: the key must end in ${kind.suffixes.map((x) => `'${x}'`).join(" or ")}`;
    return undefined;
}

/** A team's Spark entry script: one Python file, as every cloud runs it as PySpark. */
export const SPARK_SCRIPT: KeyKind = {
    what: "Spark entry script",
    suffixes: [PYSPARK_SUFFIX],
    example: "team/spark/features.py",
};

/** Why `key` cannot name a team's own Spark entry script in the artifacts store (see artifactKeyProblem). */
export function teamScriptKeyProblem(key: string): string | undefined {
    return artifactKeyProblem(key, SPARK_SCRIPT);
}

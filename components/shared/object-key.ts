import { SAMPLES_PREFIX } from "./artifacts";

/**
 * Characters of a key in a stack's storage that the jobs are pointed at (a Spark entry script, a
 * model folder): letters, digits, `_`, `.`, `-` and `/`. Nothing a shell, a URI or a Livy document
 * would have to quote.
 */
export const OBJECT_KEY_CHARS = /^[\w./-]+$/;

/** The suffix every Spark entry script has: each cloud runs it as PySpark (Dataproc takes only `.py`). */
export const PYSPARK_SUFFIX = ".py";

/**
 * Why `key` cannot name a team's own Spark entry script in the stack's artifacts store, or undefined
 * when it can. The key is relative to the store (the stack joins it to `s3://…`, `gs://…` or
 * `abfss://…`), names one Python file, and stays out of `samples/`, where the stack uploads the
 * reference pipeline and would write over the team's file. Pure.
 */
export function teamScriptKeyProblem(key: string): string | undefined {
    const shown = JSON.stringify(key);
    if (!OBJECT_KEY_CHARS.test(key))
        return `${shown} is not a key in the artifacts store: use letters, digits, '.', '_', '-' and '/' only, e.g. 'team/spark/features.py'`;
    if (key.startsWith("/"))
        return `${shown} starts with '/': give the key relative to the artifacts store, e.g. 'team/spark/features.py'`;
    const segments = key.split("/");
    if (segments.includes(".."))
        return `${shown} has a '..' segment: give the key as it is in the artifacts store, e.g. 'team/spark/features.py'`;
    if (segments.some((s) => s === "" || s === "."))
        return `${shown} has an empty or '.' segment ('//', './', a trailing '/'): write the key as it is in the artifacts store`;
    if (key.startsWith(SAMPLES_PREFIX))
        return `${shown} is under '${SAMPLES_PREFIX}', where the stack uploads the reference pipeline and would overwrite it; put the team's script elsewhere, e.g. 'team/spark/features.py'`;
    const file = segments[segments.length - 1]!;
    if (!file.endsWith(PYSPARK_SUFFIX) || file === PYSPARK_SUFFIX)
        return `${shown} is not a Python file: a Spark entry script runs as PySpark on every cloud, so the key ends in '${PYSPARK_SUFFIX}'`;
    return undefined;
}

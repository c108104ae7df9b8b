import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The reference pipeline's files the stack uploads (jobs/MANIFEST.json, written by
 * `python -m jobs.package`): the sample data, the sample model in each server's layout, the job
 * code. Every key sits under `samples/`, so an upload never lands on a team's own data.
 */
export interface SampleArtifact {
    /** Manifest name: `sample-data`, `model`, `sagemaker-model`, `jobs-package`, `spark-data`, … */
    readonly name: string;
    /** Absolute path of the file in this checkout. */
    readonly path: string;
    /** Which foundation store it goes to. */
    readonly bucket: "data" | "artifacts";
    /** Object key in that store; always under SAMPLES_PREFIX. */
    readonly key: string;
    readonly contentType: string;
    /** sha256 of the file, as the manifest records it (a test holds the files to it). */
    readonly sha256: string;
}

/**
 * One raw row of the sample data (customer 100001, the first row of jobs/samples/customers.csv):
 * what the run commands publish to a stream and post to an endpoint on every cloud.
 */
export const SAMPLE_ROW = {
    customer_id: 100001,
    tenure_months: 30,
    monthly_charges: 52.71,
    total_charges: 1422.98,
    contract: "two-year",
    support_calls: 1,
    paperless_billing: "no",
} as const;

/** The prefix every uploaded sample key starts with. */
export const SAMPLES_PREFIX = "samples/";

/** The manifest's place, found upward from here: the same from the sources and from dist/. */
export function manifestPath(from = __dirname): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        const candidate = path.join(dir, "jobs", "MANIFEST.json");
        if (existsSync(candidate)) return candidate;
        if (path.dirname(dir) === dir) throw new Error(`jobs/MANIFEST.json not found above ${from}`);
    }
}

let cached: readonly SampleArtifact[] | undefined;

/** Every artifact of the manifest, paths made absolute. */
export function sampleArtifacts(): readonly SampleArtifact[] {
    if (cached) return cached;
    const file = manifestPath();
    const root = path.dirname(path.dirname(file));
    const doc = JSON.parse(readFileSync(file, "utf8")) as {
        artifacts: { name: string; path: string; bucket: string; key: string; contentType: string; sha256: string }[];
    };
    cached = doc.artifacts.map((a) => {
        if (a.bucket !== "data" && a.bucket !== "artifacts") throw new Error(`${file}: ${a.name}: bucket ${a.bucket}`);
        if (!a.key.startsWith(SAMPLES_PREFIX)) throw new Error(`${file}: ${a.name}: key outside ${SAMPLES_PREFIX}`);
        return { ...a, bucket: a.bucket, path: path.join(root, a.path) };
    });
    return cached;
}

/** One artifact by its manifest name; throws on a name the manifest lacks (a bug, not input). */
export function sampleArtifact(name: string): SampleArtifact {
    const found = sampleArtifacts().find((a) => a.name === name);
    if (!found) throw new Error(`jobs/MANIFEST.json has no artifact '${name}'`);
    return found;
}

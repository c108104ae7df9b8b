import { sampleArtifact } from "../../shared/artifacts";

// The reference pipeline (jobs/) as GCP's default jobs run it: which public image, which files the
// stack uploads for each pipeline, where the buckets are mounted, and the exact commands. A team's
// own image (`mlops:options.images`) runs its own entrypoint instead, with none of this.

/**
 * KServe's scikit-learn model server image, release v0.20.0 (kserve/kserve `python/sklearn.Dockerfile`
 * at that tag: Python 3.11 in `/prod_venv` on PATH, scikit-learn ~1.5.1, pandas >= 2.2, numpy,
 * google-cloud-storage; runs as uid 1000; entrypoint `python -m sklearnserver`). Published to
 * Docker Hub by the release workflow under the release tag, pulled through the stack's Docker Hub
 * mirror. One image for the jobs (entrypoint replaced by `python`) and for the endpoint (as is).
 *
 * Not Vertex AI's prebuilt scikit-learn containers: Google publishes those only under the `latest`
 * tag ("Using image names without the latest tag isn't supported"), which cannot be pinned.
 */
export const REFERENCE_IMAGE = "kserve/sklearnserver:v0.20.0";

/** Whether `image` is the reference image, straight from Docker Hub or under any mirror path. Pure. */
export function isReferenceImage(image: string): boolean {
    return image === REFERENCE_IMAGE || image.endsWith(`/${REFERENCE_IMAGE}`);
}

/** Where a job sees the data bucket (a Cloud Storage FUSE volume). */
export const DATA_MOUNT = "/mnt/data";
/** Where a job sees the artifacts bucket. */
export const ARTIFACTS_MOUNT = "/mnt/artifacts";

/**
 * Folders the reference jobs write, as jobs/layout.py names them (every one under `samples/`, so a
 * run never writes over a team's data): features and scores in the data bucket, trained models in
 * the artifacts bucket.
 */
export const FEATURES_PREFIX = "samples/features/";
export const SCORES_PREFIX = "samples/scores/";
export const TRAINED_MODEL_PREFIX = "samples/models/trained/";

/** The pipelines a one-machine GCP job runs. */
export type ReferencePipeline = "data" | "training" | "inference";

/**
 * The manifest files each pipeline's reference job reads, by manifest name. Every job computes the
 * features from the sample data itself first, so training and scoring run whatever level data is at.
 */
export const REFERENCE_SAMPLES: Readonly<Record<ReferencePipeline, readonly string[]>> = {
    data: ["jobs-package", "sample-data"],
    training: ["jobs-package", "sample-data"],
    inference: ["jobs-package", "model", "sample-data"],
};

/** The local path of a manifest file under its bucket's mount. Pure. */
export function mountedPath(sample: string): string {
    const a = sampleArtifact(sample);
    return `${a.bucket === "data" ? DATA_MOUNT : ARTIFACTS_MOUNT}/${a.key}`;
}

/** Environment of every reference step: the jobs package from its upload, on PYTHONPATH. Pure. */
export function referenceEnvironment(): Record<string, string> {
    return { PYTHONPATH: mountedPath("jobs-package") };
}

/**
 * The `python` arguments of each step a pipeline's job runs, in order: features, then training or
 * batch scoring. Inputs are files under the mounts (the jobs read local paths, no cloud SDK);
 * outputs are folders ending in `/`. Pure.
 */
export function referenceSteps(pipeline: ReferencePipeline): string[][] {
    const features = [
        "-m",
        "jobs.features",
        "--input",
        mountedPath("sample-data"),
        "--output",
        `${DATA_MOUNT}/${FEATURES_PREFIX}`,
    ];
    if (pipeline === "data") return [features];
    if (pipeline === "training")
        return [
            features,
            [
                "-m",
                "jobs.train",
                "--input",
                `${DATA_MOUNT}/${FEATURES_PREFIX}`,
                "--model-dir",
                `${ARTIFACTS_MOUNT}/${TRAINED_MODEL_PREFIX}`,
            ],
        ];
    return [
        features,
        [
            "-m",
            "jobs.score",
            "--model",
            mountedPath("model"),
            "--input",
            `${DATA_MOUNT}/${FEATURES_PREFIX}`,
            "--output",
            `${DATA_MOUNT}/${SCORES_PREFIX}`,
        ],
    ];
}

/** One raw sample row: what producers publish and what the endpoint's example scores. */
export { SAMPLE_ROW as SAMPLE_EVENT } from "../../shared/artifacts";

/**
 * SAMPLE_EVENT's features in the order the model was fitted on (jobs/schema.py FEATURE_COLUMNS):
 * tenure, monthly charges, log1p(total charges) = 7.2612 (rounded), support calls, month-to-month,
 * two-year, paperless. What KServe's V1 protocol takes.
 */
export const SAMPLE_FEATURES = [30.0, 52.71, 7.2612, 1.0, 0.0, 1.0, 0.0] as const;

/**
 * What the `vm` runner's container does for the reference pipeline, where Container-Optimized OS
 * has no gcsfuse to mount the buckets: it copies the inputs into the same local paths with the
 * image's own Cloud Storage client (as the VM's service account, over Private Google Access), runs
 * the steps, and copies the output folders back. The same steps and paths as the Batch runner.
 */
export interface VmReferenceSpec {
    /** Mount path → bucket name. */
    readonly mounts: Readonly<Record<string, string>>;
    /** Files to copy in before the steps (paths under a mount). */
    readonly inputs: readonly string[];
    /** Folders to copy back after them (paths under a mount, ending in `/`). */
    readonly outputs: readonly string[];
    readonly steps: readonly (readonly string[])[];
}

/** The spec of a pipeline's reference run on the `vm` runner, for the stack's two buckets. Pure. */
export function vmReferenceSpec(
    pipeline: ReferencePipeline,
    buckets: { data: string; artifacts: string },
): VmReferenceSpec {
    const steps = referenceSteps(pipeline);
    const written = steps.map((s) => s[s.length - 1]!).filter((p) => p.endsWith("/"));
    return {
        mounts: { [DATA_MOUNT]: buckets.data, [ARTIFACTS_MOUNT]: buckets.artifacts },
        inputs: REFERENCE_SAMPLES[pipeline].map(mountedPath),
        outputs: [...new Set(written)],
        steps,
    };
}

/** The Python the `vm` runner's container runs (`python reference.py spec.json`). */
export const VM_REFERENCE_RUNNER = `"""mlops-levels: the reference pipeline's steps on a VM without bucket mounts."""
import json, os, subprocess, sys
from google.cloud import storage

spec = json.load(open(sys.argv[1]))
client = storage.Client()

def where(path):
    for mount, bucket in spec["mounts"].items():
        if path.startswith(mount + "/"):
            return client.bucket(bucket), path[len(mount) + 1:]
    raise SystemExit("not under a mount: " + path)

for path in spec["inputs"]:
    bucket, key = where(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bucket.blob(key).download_to_filename(path)
for args in spec["steps"]:
    subprocess.run([sys.executable] + args, check=True)
for folder in spec["outputs"]:
    bucket, prefix = where(folder)
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            bucket.blob(prefix + os.path.relpath(path, folder)).upload_from_filename(path)
`;

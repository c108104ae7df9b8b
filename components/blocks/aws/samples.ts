import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_SKLEARN_IMAGE } from "./images";

// The reference pipeline (jobs/) as AWS jobs run it by default: which uploaded files each job
// reads, where it writes, and the SageMaker processing and training settings that run it in
// SageMaker's scikit-learn 1.2-1 container. A job given a team's own image runs that image's own
// entrypoint instead, and reads nothing of this.

/** `s3://bucket` and a key or prefix, with one slash between. */
const joinUri = (base: string, key: string) => `${base.replace(/\/+$/, "")}/${key.replace(/^\/+/, "")}`;

/** Manifest names (jobs/MANIFEST.json) of the files AWS jobs read. */
export const SAMPLE = {
    /** Raw customer rows, data bucket. */
    data: "sample-data",
    /** The `jobs` package: on PYTHONPATH, or Spark's `--py-files`. */
    code: "jobs-package",
    /** model.joblib, artifacts bucket. */
    model: "model",
    /** The SageMaker serving archive: model.joblib plus code/inference.py. */
    sagemakerModel: "sagemaker-model",
    sparkData: "spark-data",
    sparkInference: "spark-inference",
} as const;

/** Where the reference pipeline writes, under `samples/` like everything it reads (jobs/layout.py). */
export const SAMPLE_OUTPUTS = {
    /** Data bucket: the features job's table. */
    features: "samples/features/",
    /** Data bucket: batch scores. */
    scores: "samples/scores/",
    /** Artifacts bucket: the training job's model (SageMaker adds `<job>/output/model.tar.gz`). */
    trainedModel: "samples/models/trained/",
} as const;

/** Files each AWS job of the reference pipeline reads: the uploads the foundation makes for it. */
export const SAMPLES_READ = {
    /** Data level 1: raw rows → features. */
    data: [SAMPLE.code, SAMPLE.data],
    /** Inference level 1: raw rows → features → scores with the sample model, on its own. */
    inference: [SAMPLE.code, SAMPLE.data, SAMPLE.model],
    /** Training level 1: raw rows → features → model. */
    training: [SAMPLE.code, SAMPLE.data],
} as const;

/**
 * Whether a job runs the reference pipeline: its image is the AWS default. A team's own image
 * (`mlops:options.images.<pipeline>`) runs its own entrypoint on its own data, and gets neither the
 * sample uploads nor an entrypoint from the stack.
 */
export function runsSample(image: string): boolean {
    return image === DEFAULT_SKLEARN_IMAGE;
}

/** SageMaker Processing's root inside the container: inputs and outputs must sit under it. */
export const PROCESSING_ROOT = "/opt/ml/processing";
/** SageMaker training's channel root (`/opt/ml/input/data/<channel>`) and model directory. */
export const TRAINING_CHANNELS = "/opt/ml/input/data";
export const TRAINING_MODEL_DIR = "/opt/ml/model";
/** Files under it are uploaded next to the model as output.tar.gz: the held-out metrics go there. */
export const TRAINING_OUTPUT_DIR = "/opt/ml/output/data";

/**
 * The one shell line of a job that builds features from raw rows and then runs a second module on
 * them: `$1` raw rows, `$2` a scratch folder for the features, then the second step's own
 * arguments. Positional parameters keep each entrypoint item under SageMaker's 256 characters.
 */
export const FEATURES_THEN =
    'python3 -m jobs.features --input "$1" --output "$2" && f="$2" && m="$3" && shift 3 && exec python3 -m "$m" --input "$f" "$@"';

/** Where SageMaker puts and picks up each file of a processing job. */
const P = {
    code: `${PROCESSING_ROOT}/input/code`,
    raw: `${PROCESSING_ROOT}/input/raw`,
    model: `${PROCESSING_ROOT}/input/model`,
    work: `${PROCESSING_ROOT}/work/features`,
    out: `${PROCESSING_ROOT}/output`,
};

/** One S3 object copied into the container before the job starts. */
function processingInput(name: string, s3Uri: pulumi.Input<string>, localPath: string): Record<string, unknown> {
    return {
        InputName: name,
        S3Input: {
            S3Uri: s3Uri,
            LocalPath: localPath,
            // A full key as the prefix: exactly that object, put at <LocalPath>/<file name>.
            S3DataType: "S3Prefix",
            S3InputMode: "File",
            S3DataDistributionType: "FullyReplicated",
        },
    };
}

/** The S3 URIs a sample job reads and the bucket URIs it writes under. */
export interface SampleJobUris {
    /** s3:// URI of the uploaded jobs.zip. */
    readonly code: pulumi.Input<string>;
    /** s3:// URI of the uploaded raw rows. */
    readonly data: pulumi.Input<string>;
    /** s3:// URI of the uploaded model.joblib (inference). */
    readonly model?: pulumi.Input<string>;
    /** The data bucket's URI (`s3://bucket`). */
    readonly dataUri: pulumi.Input<string>;
    /** The artifacts bucket's URI. */
    readonly artifactsUri: pulumi.Input<string>;
}

/**
 * The Parameters of a SageMaker processing job that runs one level-1 step of the reference
 * pipeline (merged into the job's own): the entrypoint and its arguments, the inputs copied from
 * S3 through the job's role, the output uploaded back, encrypted with `kmsKeyArn`. Data writes the
 * features table; inference builds the features of the raw rows itself and scores them with the
 * uploaded model, so it runs on its own, whatever writes features in the stack (or nothing does).
 */
export function sampleProcessing(
    pipeline: "data" | "inference",
    uris: SampleJobUris,
    kmsKeyArn: pulumi.Input<string>,
): Record<string, unknown> {
    const inputs = [processingInput("code", uris.code, P.code), processingInput("raw", uris.data, P.raw)];
    const output = pipeline === "data" ? "features" : "scores";
    const outputPath = `${P.out}/${output}`;
    let app: Record<string, unknown>;
    if (pipeline === "data")
        app = {
            ContainerEntrypoint: ["python3", "-m", "jobs.features"],
            ContainerArguments: ["--input", P.raw, "--output", outputPath],
        };
    else {
        if (uris.model === undefined) throw new Error("batch scoring needs the model's URI");
        inputs.push(processingInput("model", uris.model, P.model));
        app = {
            ContainerEntrypoint: ["/bin/sh", "-c", FEATURES_THEN, "score"],
            ContainerArguments: [P.raw, P.work, "jobs.score", "--model", P.model, "--output", outputPath],
        };
    }
    const target = pulumi
        .output(uris.dataUri)
        .apply((d) => joinUri(d, pipeline === "data" ? SAMPLE_OUTPUTS.features : SAMPLE_OUTPUTS.scores));
    return {
        app,
        environment: { PYTHONPATH: `${P.code}/jobs.zip` },
        ProcessingInputs: inputs,
        ProcessingOutputConfig: {
            Outputs: [
                {
                    OutputName: output,
                    S3Output: { S3Uri: target, LocalPath: outputPath, S3UploadMode: "EndOfJob" },
                },
            ],
            KmsKeyId: kmsKeyArn,
        },
    };
}

/** One training channel: an S3 object copied to /opt/ml/input/data/<name>/ before training starts. */
function channel(name: string, s3Uri: pulumi.Input<string>): Record<string, unknown> {
    return {
        ChannelName: name,
        DataSource: {
            S3DataSource: { S3DataType: "S3Prefix", S3Uri: s3Uri, S3DataDistributionType: "FullyReplicated" },
        },
        InputMode: "File",
    };
}

/**
 * What a SageMaker training job needs to train the reference model: the entrypoint (features from
 * the raw rows, then `jobs.train`), the `code` and `raw` channels, and the model's place in the
 * artifacts bucket (SageMaker uploads /opt/ml/model there as `<job>/output/model.tar.gz`, with the
 * held-out metrics in output.tar.gz next to it).
 */
export function sampleTraining(uris: SampleJobUris): {
    containerEntrypoint: string[];
    containerArguments: string[];
    environment: Record<string, string>;
    inputDataConfig: Record<string, unknown>[];
    s3OutputPath: pulumi.Output<string>;
} {
    return {
        containerEntrypoint: ["/bin/sh", "-c", FEATURES_THEN, "train"],
        containerArguments: [
            `${TRAINING_CHANNELS}/raw`,
            "/tmp/features",
            "jobs.train",
            "--model-dir",
            TRAINING_MODEL_DIR,
            "--metrics",
            `${TRAINING_OUTPUT_DIR}/metrics.json`,
        ],
        environment: { PYTHONPATH: `${TRAINING_CHANNELS}/code/jobs.zip` },
        inputDataConfig: [channel("code", uris.code), channel("raw", uris.data)],
        s3OutputPath: pulumi.output(uris.artifactsUri).apply((a) => joinUri(a, SAMPLE_OUTPUTS.trainedModel)),
    };
}

/**
 * Per pipeline, the command that starts a run (or calls the endpoint) once `pulumi up` is done. A
 * component exposing it as `runCommands` gets it exported by the stack (the same shape as the stack
 * program's RunCommands, declared here so components never import the stack program).
 */
export type RunCommands = Partial<Record<"data" | "training" | "inference", pulumi.Input<string>>>;

/** The command that starts one run of a state machine once `pulumi up` is done. */
export function startExecutionCommand(region: string, stateMachineArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`aws stepfunctions start-execution --region ${region} --state-machine-arn ${stateMachineArn}`;
}

/** One raw row of the sample data, as producers and online callers send it. */
export { SAMPLE_ROW } from "../../shared/artifacts";

export { shellQuote } from "../../shared/shell";

import { readFileSync } from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { FoundationNeeds } from "../../foundation";
import type { AzureJobPlacement } from "../../machines/azure";
import { manifestPath } from "../../shared/artifacts";

// The reference pipeline (jobs/) as the Azure jobs run it by default: the image, the files each
// pipeline reads, and the command that moves them in and out of Blob storage around the job.

/**
 * Azure Machine Learning's curated scikit-learn 1.5 environment, public on MCR: Python 3.10 in a
 * conda environment on PATH, scikit-learn ~1.5.0, pandas ~1.5.3, numpy ~1.22 (Azure/azureml-assets
 * `assets/training/general/environments/sklearn-1.5`; tag 49 is the image version that repository's
 * remediation notes name). Maintained by Microsoft, pinned: a new tag is a deliberate change.
 */
export const AZURE_SKLEARN_IMAGE = "mcr.microsoft.com/azureml/curated/sklearn-1.5:49";

/**
 * KServe's scikit-learn model server (kserve/kserve `python/sklearn.Dockerfile`, release v0.20.0:
 * Python 3.11, scikit-learn 1.5), on Docker Hub. It downloads the model folder itself from an
 * `https://<account>.blob.core.windows.net/...` URL with DefaultAzureCredential once AZURE_CLIENT_ID
 * names the managed identity.
 */
export const KSERVE_SKLEARN_IMAGE = "docker.io/kserve/sklearnserver:v0.20.0";

/** Pipelines the reference job command runs (`python -m jobs.cloud_io <pipeline>`). */
export type ReferencePipeline = "data" | "training" | "inference";

/**
 * The uploaded files (jobs/MANIFEST.json names) a reference run of `pipeline` reads: the jobs
 * package and the sample rows always (each pipeline starts from them), the model for scoring.
 */
export function referenceSamples(pipeline: ReferencePipeline): string[] {
    return ["jobs-package", "sample-data", ...(pipeline === "inference" ? ["model"] : [])];
}

/** Whether a job runs the reference pipeline: it runs the default image, not a team's own. */
export function runsReference(image: string): boolean {
    return image === AZURE_SKLEARN_IMAGE;
}

/**
 * What a level-1 job needs of the Azure foundation where it is placed: a Batch pool needs the Batch
 * account and an internet path (its nodes have no public IP), a Container Apps job its workload
 * profile; either reads the reference pipeline's files when it runs the default image. Pure.
 */
export function placedJobNeeds(
    placement: AzureJobPlacement,
    pipeline: ReferencePipeline,
    level: number,
    image: string,
): FoundationNeeds {
    const samples = runsReference(image) ? { samples: referenceSamples(pipeline) } : {};
    return placement.runner === "batch"
        ? { batchAccount: true, internetEgress: { pipeline, level }, ...samples }
        : { workloadProfiles: [placement.profile], ...samples };
}

let source: string | undefined;

/**
 * jobs/cloud_io.py, whole: a Container Apps job runs it with `python -c` before the jobs package is
 * on the path (it downloads the package itself). Read once from this checkout, next to the manifest.
 */
export function cloudIoSource(): string {
    source ??= readFileSync(path.join(path.dirname(manifestPath()), "cloud_io.py"), "utf8");
    return source;
}

/** The blob URLs a reference run reads, as the environment cloud_io takes them. */
export interface ReferenceInputs {
    readonly jobsPackage: pulumi.Input<string>;
    readonly sampleData: pulumi.Input<string>;
    /** Inference only. */
    readonly model?: pulumi.Input<string>;
}

/** The environment of a reference run: where cloud_io finds its inputs (the uploads' URLs). */
export function referenceEnvironment(inputs: ReferenceInputs): Record<string, pulumi.Input<string>> {
    return {
        MLOPS_JOBS_PACKAGE: inputs.jobsPackage,
        MLOPS_SAMPLE_DATA: inputs.sampleData,
        ...(inputs.model !== undefined ? { MLOPS_MODEL: inputs.model } : {}),
    };
}

/** A Container Apps job container's command and args for a reference run of `pipeline`. */
export function referenceCommand(pipeline: ReferencePipeline): { command: string[]; args: string[] } {
    return { command: ["python", "-c", cloudIoSource()], args: [pipeline] };
}

/** What holds the uploads: the Azure foundation (`sample(name)` is the uploaded blob). */
export interface SampleStore {
    sample(name: string): { readonly url: pulumi.Output<string> };
}

/** The uploads a reference run of `pipeline` reads, as blob URLs: readers depend on the uploads. */
export function referenceInputs(store: SampleStore, pipeline: ReferencePipeline): ReferenceInputs {
    return {
        jobsPackage: store.sample("jobs-package").url,
        sampleData: store.sample("sample-data").url,
        ...(pipeline === "inference" ? { model: store.sample("model").url } : {}),
    };
}

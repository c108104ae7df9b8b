import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../assessment/config";
import { DEFAULTS } from "../assessment/schema";
import type { BatchJobSpec } from "../components/batch-job";
import type { Capability } from "../components/capability";
import { ENDPOINT_LEVEL, type EndpointSpec } from "../components/endpoint";
import type { FoundationNeeds } from "../components/foundation";
import type { CloudKit } from "../components/kits/kit";
import {
    type KubernetesSpec,
    RAY_LEVEL,
    type RaySpec,
    SERVING_LEVEL,
    type ServingSpec,
} from "../components/kubernetes";
import { REGISTRY_LEVELS, type RegistrySite, type RegistrySpec } from "../components/registry";
import type { InputProblem } from "../components/shared/errors";
import { SPARK_LEVEL, type SparkJobSpec, type SparkSpec } from "../components/spark";
import { STREAMING_LEVEL, type StreamFlow, type StreamingSpec, streamingSizing } from "../components/streaming";
import type { TrainingJobSpec } from "../components/training-job";

/** Stack outputs: levels with reasons, and what a team needs to find and run its infrastructure. */
export type StackOutputs = Record<string, unknown>;

/**
 * One component the stack builds: a capability of the cloud's kit with the spec decided for it. The
 * stack program checks every part and merges their needs before the first resource exists, then
 * creates them in order; each part names the stack outputs it exports (docs/INTERFACE.md).
 */
export interface Part {
    /** The component's logical name, fixed: a level change or a refactor never renames it. */
    readonly name: string;
    /** Every problem with the spec. Pure. */
    check(): InputProblem[];
    /** What the foundation must provide for it. Pure. */
    needs(): FoundationNeeds;
    /** Creates the component at `site`: the outputs it exports, and what it adds to the site for later parts. */
    create(
        site: RegistrySite,
        opts: pulumi.ComponentResourceOptions,
    ): { outputs: StackOutputs; provides?: Partial<RegistrySite>; runCommands?: RunCommands };
}

/**
 * The command that starts a run of a pipeline (or calls its endpoint) once `pulumi up` is done,
 * per pipeline: `aws stepfunctions start-execution …`, `gcloud workflows run …`, a `curl`. A
 * component that offers one exposes it as `runCommands`; the stack exports them all as one output.
 */
export type RunCommands = Partial<Record<"data" | "training" | "inference", pulumi.Input<string>>>;

/** A part from a capability and its spec; `outputs` names what the stack exports of the component. */
function part<S extends { readonly region: string }, R extends pulumi.ComponentResource>(
    name: string,
    capability: Capability<S, R, RegistrySite>,
    spec: S,
    outputs: (r: R) => StackOutputs,
    provides?: (r: R) => Partial<RegistrySite>,
): Part {
    return {
        name,
        check: () => capability.check(spec),
        needs: () => capability.needs(spec),
        create: (site, opts) => {
            const r = capability.create(name, spec, site, opts);
            const run = (r as { runCommands?: RunCommands }).runCommands;
            return {
                outputs: outputs(r),
                ...(provides ? { provides: provides(r) } : {}),
                ...(run ? { runCommands: run } : {}),
            };
        },
    };
}

/** The default image of each pipeline, or the team's (`mlops:options.images`). */
function imagesOf(settings: StackSettings, kit: CloudKit): Record<"data" | "training" | "inference", string> {
    const site = { project: pulumi.getProject(), stack: settings.stack, region: settings.region, config: settings.raw };
    return { ...kit.defaultImages(site), ...settings.options.images };
}

/**
 * The one-machine job of data or inference at level 1: a scheduled batch job on the runner the
 * stack chose (`mlops:options.batchRunner`). Pure.
 */
export function batchJobSpec(
    settings: StackSettings,
    pipeline: "data" | "inference",
    image: string,
): BatchJobSpec | undefined {
    const w = settings.workload[pipeline];
    if (w === undefined || settings.levels.effective[pipeline] !== 1) return undefined;
    return {
        region: settings.region,
        pipeline,
        level: 1,
        volumeGb: w.volumeGb ?? 0,
        schedule: w.schedule ?? DEFAULTS.schedule,
        image,
        runner: settings.options.batchRunner ?? "serverless",
    };
}

/** Training at level 1: one machine while a run goes on, a GPU one when the assessment says so. Pure. */
export function trainingJobSpec(settings: StackSettings, image: string): TrainingJobSpec | undefined {
    const w = settings.workload.training;
    if (w === undefined || settings.levels.effective.training !== 1) return undefined;
    return {
        region: settings.region,
        level: 1,
        datasetGb: w.datasetGb,
        gpu: settings.levels.gpu,
        slaHours: w.slaHours,
        image,
    };
}

/**
 * Whether the stack needs a Spark cluster, and for which jobs: every pipeline whose effective level
 * is 2 among data and inference. Both at level 2 share ONE cluster (one component holding both
 * jobs): a cluster that bills per use costs the same either way, and one cluster means one network
 * footprint, one identity and one place to tune. A pipeline named in `mlops:options.sparkScripts`
 * runs the team's script; the others run the reference pipeline's. Pure: settings in, args out.
 */
export function sparkSpec(settings: StackSettings): SparkSpec | undefined {
    const eff = settings.levels.effective;
    const w = settings.workload;
    // The team's own entry script (`mlops:options.sparkScripts`), else the reference pipeline's.
    const scripts = settings.options.sparkScripts ?? {};
    const script = (p: "data" | "inference") => (scripts[p] !== undefined ? { script: scripts[p] } : {});
    const jobs: SparkJobSpec[] = [];
    if (w.data && eff.data === SPARK_LEVEL)
        jobs.push({
            pipeline: "data",
            volumeGb: w.data.volumeGb,
            schedule: w.data.schedule ?? DEFAULTS.schedule,
            ...script("data"),
        });
    if (w.inference && eff.inference === SPARK_LEVEL)
        jobs.push({
            pipeline: "inference",
            volumeGb: w.inference.volumeGb ?? 0,
            schedule: w.inference.schedule ?? DEFAULTS.schedule,
            ...script("inference"),
        });
    if (jobs.length === 0) return undefined;
    return { region: settings.region, level: SPARK_LEVEL, jobs };
}

/**
 * Whether the stack needs streaming and for which pipelines, from validated settings. Pure. A
 * pipeline streams when its effective level is 3; rates default to DEFAULTS when the profile does
 * not give them. Both pipelines at level 3 share one component (and its namespace).
 */
export function streamingSpec(
    settings: Pick<StackSettings, "region" | "workload" | "levels"> & Partial<Pick<StackSettings, "options" | "file">>,
): StreamingSpec | undefined {
    const eff = settings.levels.effective;
    const w = settings.workload;
    const flow = (x: { eventsPerSecond?: number; eventSizeKb?: number }): StreamFlow => ({
        level: STREAMING_LEVEL,
        eventsPerSecond: x.eventsPerSecond ?? DEFAULTS.eventsPerSecond,
        eventSizeKb: x.eventSizeKb ?? DEFAULTS.eventSizeKb,
    });
    const data = w.data && eff.data === STREAMING_LEVEL ? flow(w.data) : undefined;
    const inference = w.inference && eff.inference === STREAMING_LEVEL ? flow(w.inference) : undefined;
    if (!data && !inference) return undefined;
    // The team's own streaming code, for the pipelines that stream (`mlops:options.streamingCode`).
    const own = settings.options?.streamingCode ?? {};
    const code = Object.fromEntries(
        (["data", "inference"] as const).flatMap((p) =>
            own[p] !== undefined && (p === "data" ? data : inference) ? [[p, own[p]]] : [],
        ),
    );
    return {
        region: settings.region,
        ...(data ? { data } : {}),
        ...(inference ? { inference } : {}),
        ...(Object.keys(code).length > 0 ? { code } : {}),
        // Local code paths (Azure's) are the stack file's, wherever the program runs.
        ...(Object.keys(code).length > 0 && settings.file
            ? { codeDir: path.dirname(path.resolve(settings.file)) }
            : {}),
    };
}

/**
 * Whether the stack needs a registry and with what args: when inference runs online (level 4 or 5).
 * Pure. The stack program creates it under one fixed name ("registry") at the top of the stack, so
 * moving inference from level 4 to 5 keeps the same registry and the images in it.
 */
export function registrySpec(settings: StackSettings): RegistrySpec | undefined {
    const level = settings.levels.effective.inference;
    if (settings.workload.inference === undefined || level === undefined || !REGISTRY_LEVELS.includes(level))
        return undefined;
    return { region: settings.region, pipelines: ["inference"], level };
}

/**
 * Whether the stack needs a serverless endpoint, and with what args: when inference is online and
 * its effective level is 4. Pure. The image is the team's (`mlops:options.images.inference`) or the
 * cloud's endpoint default, never the kit's batch-scoring default, which serves no HTTP.
 */
export function endpointSpec(settings: StackSettings): EndpointSpec | undefined {
    const w = settings.workload.inference;
    if (w === undefined || settings.levels.effective.inference !== ENDPOINT_LEVEL) return undefined;
    const o = settings.options;
    return {
        region: settings.region,
        peakQps: w.peakQps ?? 0,
        instanceQps: o.endpointInstanceQps,
        image: o.images?.inference,
        publicEndpoint: o.publicEndpoint ?? false,
    };
}

/**
 * Whether the stack needs a cluster and for what: inference at level 5 and/or training at level 2,
 * one cluster for both (separate node pools). Undefined below those levels. Pure.
 */
export function kubernetesSpec(settings: StackSettings): KubernetesSpec | undefined {
    const eff = settings.levels.effective;
    const w = settings.workload;
    const images = settings.options.images ?? {};
    const serving: ServingSpec | undefined =
        w.inference && eff.inference === SERVING_LEVEL
            ? {
                  peakQps: w.inference.peakQps ?? 0,
                  publicEndpoint: settings.options.publicEndpoint ?? false,
                  ...(images.inference !== undefined ? { image: images.inference } : {}),
              }
            : undefined;
    const training: RaySpec | undefined =
        w.training && eff.training === RAY_LEVEL
            ? {
                  datasetGb: w.training.datasetGb,
                  singleMachineHours: w.training.singleMachineHours,
                  slaHours: w.training.slaHours,
                  gpu: settings.levels.gpu,
                  ...(images.training !== undefined ? { image: images.training } : {}),
              }
            : undefined;
    if (!serving && !training) return undefined;
    const o = settings.options;
    const cidrs = o.kubernetesApiCidrs ?? [];
    const runners = o.kubernetesApiRunnerCidrs ?? [];
    return {
        region: settings.region,
        ...(serving ? { serving } : {}),
        ...(training ? { training } : {}),
        ...(cidrs.length > 0 ? { apiAuthorizedCidrs: [...cidrs] } : {}),
        ...(runners.length > 0 ? { apiRunnerCidrs: [...runners] } : {}),
        ...(o.deployerPrincipalType ? { deployerPrincipalType: o.deployerPrincipalType } : {}),
    };
}

/**
 * What the stack builds, decided from the settings alone, in the order it is created: the level-1
 * jobs, Spark, streaming, the registry (before the endpoint and the cluster that pull from it), the
 * endpoint, Kubernetes. Each capability decides for itself whether its levels are present. Pure:
 * no resources.
 */
export function blueprint(settings: StackSettings, kit: CloudKit): Part[] {
    const images = imagesOf(settings, kit);
    const parts: Part[] = [];
    for (const pipeline of ["data", "inference"] as const) {
        const spec = batchJobSpec(settings, pipeline, images[pipeline]);
        if (spec)
            parts.push(
                part(pipeline, kit.batchJob, spec, (j) => ({
                    [`${pipeline}JobName`]: j.jobName,
                    [`${pipeline}MachineType`]: j.machineType,
                })),
            );
    }
    const training = trainingJobSpec(settings, images.training);
    if (training)
        parts.push(
            part("training", kit.trainingJob, training, (j) => ({
                trainingJobName: j.jobName,
                trainingMachineType: j.machineType,
            })),
        );
    const spark = sparkSpec(settings);
    if (spark)
        parts.push(
            part("spark", kit.spark, spark, (s) => ({
                sparkClusterName: s.clusterName,
                sparkJobNames: s.jobNames,
                sparkWorkerType: s.workerType,
                sparkMinWorkers: s.minWorkers,
                sparkMaxWorkers: s.maxWorkers,
            })),
        );
    const streaming = streamingSpec(settings);
    if (streaming)
        parts.push(
            part("streaming", kit.streaming, streaming, (s) => ({
                streamInputs: s.inputStreams,
                streamingJobs: s.engineJobs,
                streamEndpoint: s.producerEndpoint,
                streamingSizing: streamingSizing(settings.cloud, streaming).join("; "),
                // Only inference streams scores, only data writes features.
                ...(s.scoresStream ? { scoresStream: s.scoresStream } : {}),
                ...(s.featuresUri ? { featuresUri: s.featuresUri } : {}),
            })),
        );
    const registry = registrySpec(settings);
    if (registry)
        parts.push(
            // One fixed name at levels 4 and 5: moving between them keeps the registry and its images.
            part(
                "registry",
                kit.registry,
                registry,
                (r) => ({ registryUrl: r.registryUrl, repositoryUrl: r.repositoryUrl }),
                (r) => ({ registry: r }),
            ),
        );
    const endpoint = endpointSpec(settings);
    if (endpoint)
        parts.push(
            part("inference", kit.endpoint, endpoint, (e) => ({
                endpointUrl: e.endpointUrl,
                endpointName: e.endpointName,
                endpointAuth: e.auth,
            })),
        );
    const kubernetes = kubernetesSpec(settings);
    if (kubernetes)
        parts.push(
            part("kubernetes", kit.kubernetes, kubernetes, (k) => ({
                clusterName: k.clusterName,
                clusterEndpoint: k.endpoint,
                kubeconfig: k.kubeconfig,
                ...(k.servingUrl ? { servingUrl: k.servingUrl } : {}),
                ...(k.rayClusterName ? { rayClusterName: k.rayClusterName } : {}),
                ...(k.raySizing ? { raySizing: k.raySizing } : {}),
            })),
        );
    return parts;
}

/**
 * Every problem the parts' own checks find, with the config file named. `kit` is not needed (each
 * part carries its capability) and is accepted for callers written against the earlier signature.
 */
export function checkBlueprint(settings: StackSettings, _kit: CloudKit, parts: readonly Part[]): InputProblem[] {
    return parts.flatMap((p) => p.check()).map((p) => ({ ...p, file: p.file ?? settings.file }));
}

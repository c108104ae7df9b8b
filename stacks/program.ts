import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../assessment/config";
import { DEFAULTS } from "../assessment/schema";
import type { BatchJobArgs } from "../components/batch-job";
import { type EndpointSpec, endpointSpec } from "../components/endpoint";
import { type Checkable, type CloudKit, loadKit } from "../components/kits";
import { type KubernetesArgs, kubernetesSpec } from "../components/kubernetes";
import { type Registry, type RegistryArgs, registrySpec } from "../components/registry";
import type { StackContext } from "../components/shared/context";
import { InputError, type InputProblem } from "../components/shared/errors";
import { type SparkClusterArgs, sparkSpec } from "../components/spark";
import { type StreamingArgs, streamingSizing, streamingSpec } from "../components/streaming";
import type { TrainingJobArgs } from "../components/training-job";
import { readStackSettings } from "./settings";

/** Stack outputs: levels with reasons, and what a team needs to find and run its infrastructure. */
export type StackOutputs = Record<string, unknown>;

type BatchSpec = Checkable<BatchJobArgs>;
type TrainingSpec = Checkable<TrainingJobArgs>;

/** What the stack will build, decided from the settings alone, before any resource exists. */
export interface Blueprint {
    batchJobs: BatchSpec[];
    trainingJob?: TrainingSpec;
    /** Data and/or inference at level 2: one Spark cluster, shared when both are. */
    spark?: Checkable<SparkClusterArgs>;
    /** Data and/or inference at level 3: streams plus a streaming engine, one namespace when both are. */
    streaming?: Checkable<StreamingArgs>;
    /** Inference at level 4 or 5: the model image registry (one fixed name at both levels). */
    registry?: Checkable<RegistryArgs>;
    /** Inference at level 4: a serverless endpoint. */
    endpoint?: EndpointSpec;
    /** Inference at level 5 and/or training at level 2: one Kubernetes cluster, shared when both are. */
    kubernetes?: Checkable<KubernetesArgs>;
}

/** Decides the components per pipeline level. Pure: no resources. */
export function blueprint(settings: StackSettings, kit: CloudKit): Blueprint {
    const eff = settings.levels.effective;
    const w = settings.workload;
    const site = { project: pulumi.getProject(), stack: settings.stack, region: settings.region, config: settings.raw };
    const images = { ...kit.defaultImages(site), ...settings.options.images };
    const runner = settings.options.batchRunner ?? "serverless";
    const bp: Blueprint = { batchJobs: [] };

    // Level 1 is the one-machine jobs; the capabilities of higher levels decide for themselves below.
    if (w.data && eff.data === 1)
        bp.batchJobs.push({
            region: settings.region,
            pipeline: "data",
            level: 1,
            volumeGb: w.data.volumeGb,
            schedule: w.data.schedule ?? DEFAULTS.schedule,
            image: images.data,
            runner,
        });
    if (w.training && eff.training === 1)
        bp.trainingJob = {
            region: settings.region,
            level: 1,
            datasetGb: w.training.datasetGb,
            gpu: settings.levels.gpu,
            slaHours: w.training.slaHours,
            image: images.training,
        };
    if (w.inference && eff.inference === 1)
        bp.batchJobs.push({
            region: settings.region,
            pipeline: "inference",
            level: 1,
            volumeGb: w.inference.volumeGb ?? 0,
            schedule: w.inference.schedule ?? DEFAULTS.schedule,
            image: images.inference,
            runner,
        });
    bp.spark = sparkSpec(settings);
    bp.streaming = streamingSpec(settings);
    bp.registry = registrySpec(settings);
    bp.endpoint = endpointSpec(settings);
    bp.kubernetes = kubernetesSpec(settings);
    return bp;
}

/** Every problem the blueprint and the components' own checks find, with the config file named. */
export function checkBlueprint(settings: StackSettings, kit: CloudKit, bp: Blueprint): InputProblem[] {
    const problems: InputProblem[] = [];
    for (const j of bp.batchJobs) problems.push(...kit.checks.batchJob(j));
    if (bp.trainingJob) problems.push(...kit.checks.trainingJob(bp.trainingJob));
    if (bp.spark) problems.push(...kit.spark.check(bp.spark));
    if (bp.streaming) problems.push(...kit.streaming.check(bp.streaming));
    if (bp.registry) problems.push(...kit.registry.check(bp.registry));
    if (bp.endpoint) problems.push(...kit.endpoint.check(bp.endpoint));
    if (bp.kubernetes) problems.push(...kit.kubernetes.check(bp.kubernetes));
    return problems.map((p) => ({ ...p, file: p.file ?? settings.file }));
}

/** Composes the stack: decide and check everything first, then the foundation, then one component per level. */
export async function compose(settings: StackSettings, kit: CloudKit): Promise<StackOutputs> {
    const bp = blueprint(settings, kit);
    const problems = checkBlueprint(settings, kit, bp);
    if (problems.length > 0) throw new InputError(problems);

    const random = require("@pulumi/random") as typeof import("@pulumi/random");
    const provider = kit.provider(settings.region);
    const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
    // The suffix is part of every globally unique name: losing it would rename (replace) storage.
    const suffix = new random.RandomString(
        "unique-suffix",
        { length: 6, special: false, upper: false, numeric: true },
        { protect: settings.protect },
    );
    const ctx: StackContext = {
        project: pulumi.getProject(),
        stack: settings.stack,
        cloud: settings.cloud,
        region: settings.region,
        protect: settings.protect,
        uniqueSuffix: suffix.result,
        facts: {
            assessed: settings.levels.levels,
            dataKind: settings.workload.training?.dataKind,
            gpuPinned: settings.workload.training?.gpu === true,
        },
    };
    const anyCompute =
        bp.batchJobs.length > 0 ||
        bp.trainingJob !== undefined ||
        bp.spark !== undefined ||
        bp.streaming !== undefined ||
        bp.endpoint !== undefined ||
        bp.kubernetes !== undefined;

    // Stateful storage lives in the foundation under fixed names, so no level change replaces it.
    const foundation = kit.foundation(
        "foundation",
        { ctx, network: anyCompute },
        { ...opts, protect: settings.protect },
    );
    const outputs: StackOutputs = {
        cloud: settings.cloud,
        region: settings.region,
        levels: settings.levels.effective,
        assessed: settings.levels.levels,
        reasons: settings.levels.reasons,
        gpu: settings.levels.gpu,
        dataBucket: foundation.dataBucketName,
        artifactsBucket: foundation.artifactsBucketName,
        dataUri: foundation.dataUri,
        artifactsUri: foundation.artifactsUri,
        jobIdentity: foundation.jobIdentity,
    };

    for (const { region: _, ...spec } of bp.batchJobs) {
        const job = kit.batchJob(spec.pipeline, { ...spec, ctx, foundation }, opts);
        outputs[`${spec.pipeline}JobName`] = job.jobName;
        outputs[`${spec.pipeline}MachineType`] = job.machineType;
    }
    if (bp.trainingJob) {
        const { region: _, ...spec } = bp.trainingJob;
        const job = kit.trainingJob("training", { ...spec, ctx, foundation }, opts);
        outputs["trainingJobName"] = job.jobName;
        outputs["trainingMachineType"] = job.machineType;
    }
    if (bp.spark) {
        const { region: _, ...spec } = bp.spark;
        const spark = kit.spark.create("spark", { ...spec, ctx, foundation }, opts);
        outputs["sparkClusterName"] = spark.clusterName;
        outputs["sparkJobNames"] = spark.jobNames;
        outputs["sparkWorkerType"] = spark.workerType;
        outputs["sparkMinWorkers"] = spark.minWorkers;
        outputs["sparkMaxWorkers"] = spark.maxWorkers;
    }
    if (bp.streaming) {
        const { region: _, ...spec } = bp.streaming;
        const s = kit.streaming.create("streaming", { ...spec, ctx, foundation }, opts);
        outputs["streamInputs"] = s.inputStreams;
        outputs["streamingJobs"] = s.engineJobs;
        outputs["streamEndpoint"] = s.producerEndpoint;
        outputs["streamingSizing"] = streamingSizing(settings.cloud, spec).join("; ");
        // Only inference streams scores, only data writes features.
        if (s.scoresStream) outputs["scoresStream"] = s.scoresStream;
        if (s.featuresUri) outputs["featuresUri"] = s.featuresUri;
    }
    let registry: Registry | undefined;
    if (bp.registry) {
        const { region: _, ...spec } = bp.registry;
        // One fixed name at levels 4 and 5: moving between them keeps the registry and its images.
        registry = kit.registry.create("registry", { ...spec, ctx, foundation }, opts);
        outputs["registryUrl"] = registry.registryUrl;
        outputs["repositoryUrl"] = registry.repositoryUrl;
    }
    if (bp.endpoint && registry) {
        const { region: _, ...spec } = bp.endpoint;
        const endpoint = kit.endpoint.create("inference", { ...spec, ctx, foundation, registry }, opts);
        outputs["endpointUrl"] = endpoint.endpointUrl;
        outputs["endpointName"] = endpoint.endpointName;
        outputs["endpointAuth"] = endpoint.auth;
    }
    if (bp.kubernetes) {
        const { region: _, ...spec } = bp.kubernetes;
        const k = kit.kubernetes.create("kubernetes", { ...spec, ctx, foundation, registry }, opts);
        outputs["clusterName"] = k.clusterName;
        outputs["clusterEndpoint"] = k.endpoint;
        outputs["kubeconfig"] = k.kubeconfig;
        if (k.servingUrl) outputs["servingUrl"] = k.servingUrl;
        if (k.rayClusterName) outputs["rayClusterName"] = k.rayClusterName;
        if (k.raySizing) outputs["raySizing"] = k.raySizing;
    }
    return outputs;
}

/** The stack program: read config, assess, compose. Bad config stops before any resource exists. */
export async function program(): Promise<StackOutputs> {
    try {
        const settings = readStackSettings();
        const kit = await loadKit(settings.cloud);
        return await compose(settings, kit);
    } catch (e) {
        // A RunError prints as a plain message under `pulumi up`, without a stack trace.
        // The InputError rides along as `cause` for the offline plan, which exits 2 on it.
        if (e instanceof InputError) throw Object.assign(new pulumi.RunError(e.message), { cause: e });
        throw e;
    }
}

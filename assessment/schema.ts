import { z } from "zod";
import { apiCidrProblem, MAX_API_CIDRS } from "../components/shared/cidr";
import { CLOUDS } from "../components/shared/clouds";
import { FIVE_FIELD_CRON } from "../components/shared/cron";
import { MAX_LEVEL } from "../components/shared/levels";

/** Defaults of LEVELS.md and of the optional workload fields. */
export const DEFAULTS = {
    freshnessSeconds: 86_400,
    singleMachineMemoryGb: 128,
    streamingFreshnessSeconds: 60,
    singleEndpointQps: 500,
    /** Daily at 02:00 UTC: when scheduled batch jobs run unless a profile says otherwise. */
    schedule: "0 2 * * *",
    /**
     * Peak events a second into a level-3 stream when a profile does not say: a modest stream that
     * fits the smallest capacity unit of every cloud (one shard, one throughput unit, one worker).
     */
    eventsPerSecond: 100,
    /** Average size of one streamed event in KB when a profile does not say: a small JSON record. */
    eventSizeKb: 1,
} as const;

/** "is required" when absent, otherwise what the value must be. */
const expected = (what: string) => (iss: { input?: unknown }) =>
    iss.input === undefined ? "is required" : `${what} (got ${JSON.stringify(iss.input)})`;
const size = (what: string) =>
    z
        .number({ error: expected(`${what} must be a number`) })
        .finite()
        .nonnegative({ error: expected(`${what} must be 0 or more`) });
const positive = (what: string) =>
    z
        .number({ error: expected(`${what} must be a number`) })
        .finite()
        .positive({ error: expected(`${what} must be more than 0`) });

/** Five-field cron (minute hour day-of-month month day-of-week), as all three clouds' schedulers take it. */
const cron = z
    .string()
    .regex(FIVE_FIELD_CRON, { error: "schedule must be a five-field cron expression, e.g. '0 2 * * *'" });

export const DataSchema = z.strictObject({
    /** GB one batch run processes. */
    volumeGb: size("volumeGb"),
    /** Seconds features may be stale; default 86400 (daily batch). */
    freshnessSeconds: positive("freshnessSeconds").default(DEFAULTS.freshnessSeconds),
    /** Cron schedule of the batch run (level 1 and 2); default daily 02:00 UTC. */
    schedule: cron.optional(),
    /**
     * Peak events a second producers write (level 3 only: it sizes the stream's shards or
     * partitions and the streaming engine); default DEFAULTS.eventsPerSecond.
     */
    eventsPerSecond: positive("eventsPerSecond").optional(),
    /** Average size of one event in KB (level 3 only); default DEFAULTS.eventSizeKb. */
    eventSizeKb: positive("eventSizeKb").optional(),
});

export const TrainingSchema = z.strictObject({
    /** GB of training data. */
    datasetGb: size("datasetGb"),
    /** `unstructured` (images, audio, text) trains on a GPU. */
    dataKind: z.enum(["structured", "unstructured"], {
        error: expected("dataKind must be 'structured' or 'unstructured'"),
    }),
    /** Estimated hours one machine takes to train. */
    singleMachineHours: size("singleMachineHours"),
    /** Hours training may take. */
    slaHours: positive("slaHours"),
    /** Force (true) or forbid (false) a GPU, whatever the data kind. */
    gpu: z.boolean({ error: "gpu must be true or false" }).optional(),
});

export const InferenceSchema = z
    .strictObject({
        mode: z.enum(["batch", "streaming", "online"], {
            error: expected("mode must be 'batch', 'streaming' or 'online'"),
        }),
        /** GB one batch-scoring run processes (batch mode). */
        volumeGb: size("volumeGb").optional(),
        /** Peak requests per second (online mode). */
        peakQps: size("peakQps").optional(),
        /** Cron schedule of batch scoring; default daily 02:00 UTC. */
        schedule: cron.optional(),
        /**
         * Peak events a second to score (streaming mode: it sizes the input and scores streams and
         * the streaming engine); default DEFAULTS.eventsPerSecond.
         */
        eventsPerSecond: positive("eventsPerSecond").optional(),
        /** Average size of one event to score in KB (streaming mode); default DEFAULTS.eventSizeKb. */
        eventSizeKb: positive("eventSizeKb").optional(),
    })
    .superRefine((v, ctx) => {
        if (v.mode === "online" && v.peakQps === undefined)
            ctx.addIssue({
                code: "custom",
                path: ["peakQps"],
                message: "mode 'online' needs peakQps (peak requests per second)",
            });
        if (v.mode === "batch" && v.volumeGb === undefined)
            ctx.addIssue({
                code: "custom",
                path: ["volumeGb"],
                message: "mode 'batch' needs volumeGb (GB one scoring run processes)",
            });
    });

export const CapacitySchema = z.strictObject({
    /** GB of memory of the largest single machine the team will use. */
    singleMachineMemoryGb: positive("singleMachineMemoryGb").default(DEFAULTS.singleMachineMemoryGb),
    /** Freshness at or below which batch cannot keep up and streaming is needed. */
    streamingFreshnessSeconds: positive("streamingFreshnessSeconds").default(DEFAULTS.streamingFreshnessSeconds),
    /** Peak QPS one serverless endpoint serves. */
    singleEndpointQps: positive("singleEndpointQps").default(DEFAULTS.singleEndpointQps),
});

const pin = (max: number) =>
    z
        .number({ error: expected(`a pinned level must be a whole number from 1 to ${max}`) })
        .int({ error: expected(`a pinned level must be a whole number from 1 to ${max}`) })
        .min(1, { error: expected(`a pinned level must be from 1 to ${max}`) })
        .max(max, { error: expected(`a pinned level must be from 1 to ${max}`) });

export const PinsSchema = z.strictObject({
    data: pin(MAX_LEVEL.data).optional(),
    training: pin(MAX_LEVEL.training).optional(),
    inference: pin(MAX_LEVEL.inference).optional(),
});

export const WorkloadSchema = z.strictObject({
    data: DataSchema.optional(),
    training: TrainingSchema.optional(),
    inference: InferenceSchema.optional(),
});

/** A profile file for `assess`: the workload, optionally with `capacity` beside the pipelines. */
export const ProfileSchema = WorkloadSchema.extend({ capacity: CapacitySchema.optional() });

/** Knobs that are not part of the level model: images, exposure, protection. */
export const OptionsSchema = z.strictObject({
    /** Container images per pipeline; defaults are public placeholders to replace with the team's own. */
    images: z
        .strictObject({
            data: z.string().min(1).optional(),
            training: z.string().min(1).optional(),
            inference: z.string().min(1).optional(),
        })
        .optional(),
    /** Protect stateful resources from deletion; default true in the `prod` stack only. */
    protect: z.boolean().optional(),
    /** Allow anonymous calls to the online endpoint (level 4/5); default false. */
    publicEndpoint: z.boolean().optional(),
    /** Where one-machine batch work runs: `serverless` (default, no idle cost) or `vm`. */
    batchRunner: z.enum(["serverless", "vm"]).optional(),
    /**
     * Requests per second one endpoint instance serves (level 4): sizes the endpoint's maximum
     * instances and concurrency from `inference.peakQps`. Default 20, a CPU model answering in about
     * 100 ms with two requests in flight; measure yours and set it.
     */
    endpointInstanceQps: z.number().finite().positive({ error: "endpointInstanceQps must be more than 0" }).optional(),
    /**
     * IPv4 CIDRs allowed to reach the Kubernetes API server (inference level 5, training level 2)
     * over the internet, e.g. `[203.0.113.0/24]` for an office or a CI runner's egress address; at
     * most 40 (the EKS limit). Default none: the API server has a private endpoint only, so
     * `pulumi up` must run inside the network (a runner in the VPC/VNet, a VPN, a peered network).
     * 0.0.0.0/0 is refused: it would open the control plane to the whole internet.
     */
    kubernetesApiCidrs: z
        .array(
            z
                .string({ error: expected("each kubernetesApiCidrs entry must be a string such as '203.0.113.0/24'") })
                .superRefine((cidr, ctx) => {
                    const message = apiCidrProblem(cidr);
                    if (message) ctx.addIssue({ code: "custom", message });
                }),
            { error: expected("kubernetesApiCidrs must be a list of IPv4 CIDRs") },
        )
        .max(MAX_API_CIDRS, { error: `kubernetesApiCidrs takes at most ${MAX_API_CIDRS} CIDRs (the EKS limit)` })
        .optional(),
});

export const CloudSchema = z.enum(CLOUDS, { error: expected(`cloud must be one of ${CLOUDS.join(", ")}`) });

/** The `mlops:*` keys of a stack config, with the prefix stripped. */
export const MlopsConfigSchema = z.strictObject({
    cloud: CloudSchema,
    region: z.string({ error: expected("region must be the cloud's region name, e.g. us-east-1") }).min(1),
    workload: WorkloadSchema,
    capacity: CapacitySchema.optional(),
    levels: PinsSchema.optional(),
    options: OptionsSchema.optional(),
});

export type Workload = z.infer<typeof WorkloadSchema>;
export type Profile = z.infer<typeof ProfileSchema>;
export type Capacity = z.infer<typeof CapacitySchema>;
export type Pins = z.infer<typeof PinsSchema>;
export type Options = z.infer<typeof OptionsSchema>;
export type MlopsConfig = z.infer<typeof MlopsConfigSchema>;
export type DataWorkload = z.infer<typeof DataSchema>;
export type TrainingWorkload = z.infer<typeof TrainingSchema>;
export type InferenceWorkload = z.infer<typeof InferenceSchema>;

/** Config namespaces a stack file may carry besides `mlops:` (the providers' own settings). */
export const FOREIGN_NAMESPACES = ["aws", "azure-native", "gcp", "kubernetes", "random", "pulumi"] as const;

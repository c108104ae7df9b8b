import { z } from "zod";
import { apiCidrProblem, deployerCidrProblem, MAX_API_CIDRS, MAX_DEPLOYER_CIDRS } from "../components/shared/cidr";
import { CLOUDS } from "../components/shared/clouds";
import { FIVE_FIELD_CRON } from "../components/shared/cron";
import { MAX_LEVEL } from "../components/shared/levels";
import { teamScriptKeyProblem } from "../components/shared/object-key";

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

/**
 * A value as the user wrote it, for messages. YAML's `.inf` and numbers past the largest double
 * (`1e309`) arrive as Infinity and `.nan` as NaN, which JSON would print as `null`.
 */
export function shown(v: unknown): string {
    if (typeof v === "number" && Number.isNaN(v)) return ".nan (not a number)";
    if (v === Number.POSITIVE_INFINITY) return "infinity (.inf, or a number too large to hold such as 1e309)";
    if (v === Number.NEGATIVE_INFINITY) return "-infinity (-.inf, or a number too large to hold such as -1e309)";
    return JSON.stringify(v) ?? String(v);
}

/** "is required" when absent, otherwise what the value must be. */
const expected = (what: string) => (iss: { input?: unknown }) =>
    iss.input === undefined ? "is required" : `${what} (got ${shown(iss.input)})`;
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

/** Inference keys that only one mode reads: given with another mode they would be ignored. */
export const INFERENCE_MODE_KEYS: Readonly<Record<string, readonly ("batch" | "streaming" | "online")[]>> = {
    peakQps: ["online"],
    volumeGb: ["batch"],
    schedule: ["batch"],
    eventsPerSecond: ["streaming"],
    eventSizeKb: ["streaming"],
};

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
        // A key of another mode sizes nothing here: refuse it rather than ignore it without a word.
        for (const [key, modes] of Object.entries(INFERENCE_MODE_KEYS))
            if ((v as Record<string, unknown>)[key] !== undefined && !modes.includes(v.mode))
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `${key} is for mode ${modes.map((m) => `'${m}'`).join(" or ")} only; mode '${v.mode}' would ignore it (remove it, or change mode)`,
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

/**
 * An image reference as Docker and containerd parse it: the grammar of distribution/reference
 * v0.6.0 (reference.go, regexp.go): `[domain[:port]/]path[:tag][@digest]`, path components lowercase
 * alphanumerics joined by `.`, `_`, `__` or dashes, a tag of at most 128 word characters, dots and
 * dashes, a digest `algorithm:hex` of at least 32 hex digits, and at most 255 characters of name.
 */
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
export const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
/** distribution/reference's NameTotalLengthMax. */
const IMAGE_NAME_MAX = 255;

/** Why `ref` is not an image reference, or undefined when it is one. Pure. */
export function imageReferenceProblem(ref: string): string | undefined {
    const m = IMAGE_REFERENCE.exec(ref);
    if (!m)
        return `${JSON.stringify(ref)} is not an image reference: expected [registry/]path[:tag][@digest], e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1.4 (lowercase path, no spaces; a tag is letters, digits, '_', '.', '-')`;
    if (m[1]!.length > IMAGE_NAME_MAX) return `the image name is ${m[1]!.length} characters; at most ${IMAGE_NAME_MAX}`;
    return undefined;
}

const imageRef = z
    .string({ error: expected("an image must be a string such as 'registry.example.com/team/model:1.0'") })
    .superRefine((ref, ctx) => {
        const message = imageReferenceProblem(ref);
        if (message) ctx.addIssue({ code: "custom", message });
    });

/**
 * A list option of CIDRs (`mlops:options.<name>`): each entry a string `problem` accepts, at most
 * `max` of them; the messages name the option and give `example`.
 */
function cidrList(o: {
    name: string;
    example: string;
    what: string;
    problem: (cidr: string) => string | undefined;
    max: number;
    limit: string;
}) {
    return z
        .array(
            z
                .string({ error: expected(`each ${o.name} entry must be a string such as '${o.example}'`) })
                .superRefine((cidr, ctx) => {
                    const message = o.problem(cidr);
                    if (message) ctx.addIssue({ code: "custom", message });
                }),
            { error: expected(`${o.name} must be a list of ${o.what}`) },
        )
        .max(o.max, { error: `${o.name} takes at most ${o.max} CIDRs${o.limit}` });
}

const sparkScript = (pipeline: "data" | "inference") =>
    z
        .string({
            error: expected(
                `sparkScripts.${pipeline} must be a key in the artifacts store such as 'team/spark/${pipeline}.py'`,
            ),
        })
        .superRefine((key, ctx) => {
            const message = teamScriptKeyProblem(key);
            if (message) ctx.addIssue({ code: "custom", message });
        });

/**
 * A team's streaming code (`mlops:options.streamingCode.<pipeline>`): a non-empty string. Whether it
 * is a key in the artifacts store (AWS, GCP: the key rules of artifactKeyProblem) or a local file
 * (Azure), and what it must hold, each cloud's streaming check decides.
 */
const codeRef = (pipeline: string) =>
    z
        .string({
            error: expected(`streamingCode.${pipeline} must be a string such as 'team/streaming/${pipeline}.zip'`),
        })
        .min(1, { error: `streamingCode.${pipeline} must not be empty` });

/** Knobs that are not part of the level model: images, exposure, protection. */
export const OptionsSchema = z.strictObject({
    /** Container images per pipeline; defaults are public placeholders to replace with the team's own. */
    images: z
        .strictObject({
            data: imageRef.optional(),
            training: imageRef.optional(),
            inference: imageRef.optional(),
        })
        .optional(),
    /**
     * The team's own Spark entry script per pipeline (data and inference level 2), a key relative to
     * the stack's artifacts store, e.g. `team/spark/features.py`; the team uploads it. Given, that
     * pipeline's Spark job runs it with the stack's arguments (`--pipeline`, `--data-uri`,
     * `--artifacts-uri`, and `--model-uri` for inference) and the stack uploads no reference script,
     * package or sample model for it. Absent: the reference pipeline's script under `samples/`. A
     * key for a pipeline that is not at level 2 is accepted and unused, so the option can stay while
     * the workload moves between levels. Keys under `samples/` are refused: the stack owns them.
     */
    sparkScripts: z
        .strictObject(
            { data: sparkScript("data").optional(), inference: sparkScript("inference").optional() },
            { error: expected("sparkScripts must be a map such as { data: team/spark/features.py }") },
        )
        .optional(),
    /** Protect stateful resources from deletion; default true in the `prod` stack only. */
    protect: z.boolean({ error: expected("protect must be true or false") }).optional(),
    /** Allow anonymous calls to the online endpoint (level 4/5); default false. */
    publicEndpoint: z.boolean({ error: expected("publicEndpoint must be true or false") }).optional(),
    /** Where one-machine batch work runs: `serverless` (default, no idle cost) or `vm`. */
    batchRunner: z
        .enum(["serverless", "vm"], { error: expected("batchRunner must be 'serverless' or 'vm'") })
        .optional(),
    /**
     * Requests per second one endpoint instance serves (level 4): sizes the endpoint's maximum
     * instances and concurrency from `inference.peakQps`. Default 20, a CPU model answering in about
     * 100 ms with two requests in flight; measure yours and set it.
     */
    endpointInstanceQps: positive("endpointInstanceQps").optional(),
    /**
     * IPv4 CIDRs allowed to reach the Kubernetes API server (inference level 5, training level 2)
     * over the internet, e.g. `[203.0.113.0/24]` for an office or a CI runner's egress address; at
     * most 40 (the EKS limit). Default none: the API server has a private endpoint only, so
     * `pulumi up` must run inside the network (a runner in the VPC/VNet, a VPN, a peered network).
     * 0.0.0.0/0 is refused: it would open the control plane to the whole internet.
     */
    kubernetesApiCidrs: cidrList({
        name: "kubernetesApiCidrs",
        example: "203.0.113.0/24",
        what: "IPv4 CIDRs",
        problem: apiCidrProblem,
        max: MAX_API_CIDRS,
        limit: " (the EKS limit)",
    }).optional(),
    /**
     * Private IPv4 CIDRs of the machines that run `pulumi up` from inside the network (a CI runner in
     * the VPC/VNet, a peered network, a VPN), e.g. `[10.0.8.0/24]`: they reach the private Kubernetes
     * API endpoint. EKS: HTTPS into the cluster security group; GKE: master authorized networks;
     * AKS: nothing to open (accepted, unused). Default none.
     */
    kubernetesApiRunnerCidrs: cidrList({
        name: "kubernetesApiRunnerCidrs",
        example: "10.0.8.0/24",
        what: "IPv4 CIDRs",
        problem: apiCidrProblem,
        max: MAX_API_CIDRS,
        limit: "",
    }).optional(),
    /**
     * Public IPv4 CIDRs `pulumi up` runs from (an office, a VPN's egress, a CI runner's egress
     * address), e.g. `[203.0.113.7/32]`. Azure: admitted by the foundation storage account's firewall,
     * which otherwise admits only the stack's subnets, so the deployer can upload the reference files
     * (with Entra ID; the account takes no keys), and at level 3 by the Event Hubs namespace's
     * firewall, so the run command can send the sample event. A /32 becomes the bare address; private
     * ranges and /31 are refused (the storage firewall takes neither), and the storage firewall
     * ignores addresses from the account's own region. At most 128, the Event Hubs firewall's limit.
     * AWS and GCP: accepted, unused (their buckets take no network rule).
     */
    deployerCidrs: cidrList({
        name: "deployerCidrs",
        example: "203.0.113.7/32",
        what: "public IPv4 CIDRs",
        problem: deployerCidrProblem,
        max: MAX_DEPLOYER_CIDRS,
        limit: " (the Azure Event Hubs firewall's limit)",
    })
        .superRefine((cidrs, ctx) => {
            cidrs.forEach((c, i) => {
                if (cidrs.indexOf(c) < i)
                    ctx.addIssue({
                        code: "custom",
                        path: [i],
                        message: `'${c}' is listed twice (first at [${cidrs.indexOf(c)}])`,
                    });
            });
        })
        .optional(),
    /**
     * Azure: who runs `pulumi up`, for the type of its cluster-admin role assignment (ARM refuses a
     * type that does not match the principal): `User` (a person after `az login`) or
     * `ServicePrincipal` (an application or managed identity: CI, a runner). Default: from the
     * provider's sign-in variables (`ServicePrincipal` when ARM_CLIENT_ID, ARM_USE_OIDC or
     * ARM_USE_MSI is set, else `User`).
     */
    deployerPrincipalType: z
        .enum(["User", "ServicePrincipal"], {
            error: expected("deployerPrincipalType must be 'User' or 'ServicePrincipal'"),
        })
        .optional(),
    /**
     * A team's own streaming code per pipeline at level 3, run instead of the reference scorer;
     * the stack then uploads nothing for that pipeline and never writes where the value points.
     * Read only for a pipeline at level 3. What the value is depends on the cloud:
     * - AWS: the key, in the stack's artifacts bucket, of the team's Managed Flink application,
     *   uploaded by the team before `pulumi up`: a Java JAR (`.jar`, run as it is) or a Python ZIP
     *   (`.zip`, laid out as the reference application: `main.py` at its root, the Kinesis
     *   connector JAR and `lib/jobs.zip`, which the stack's run options name). Not under `samples/`.
     * - GCP: `inference` only, the key in the artifacts bucket of the team's JavaScript UDF
     *   (`.js`, not under `samples/`) for Google's Pub/Sub to BigQuery template, which calls its
     *   function `score(message)`: the message's JSON text in, the score row's JSON text out (the
     *   scores table's columns). `data` is refused: the data template takes no UDF.
     * - Azure: `inference` only, the path of a JavaScript file in the team's repository, relative
     *   to the stack file's directory (not absolute), read at deploy time and put in the scoring job as its
     *   one function: it defines `function main(event)` returning the record the scoring query
     *   selects (customer_id, churn_probability, churn_predicted, model_version, error). `data` is
     *   refused: the data job runs no function.
     */
    streamingCode: z
        .strictObject({ data: codeRef("data").optional(), inference: codeRef("inference").optional() })
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

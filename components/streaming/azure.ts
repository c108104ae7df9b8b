import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as authorization from "@pulumi/azure-native/authorization";
import * as eventhub from "@pulumi/azure-native/eventhub";
import * as monitor from "@pulumi/azure-native/monitor";
import * as streamanalytics from "@pulumi/azure-native/streamanalytics";
import type * as inputs from "@pulumi/azure-native/types/input";
import * as pulumi from "@pulumi/pulumi";
import { deterministicGuid, roleDefinitionId, STORAGE_BLOB_DATA_CONTRIBUTOR } from "../blocks/azure/roles";
import { deleteLock } from "../blocks/azure/storage";
import { type Capability, placedOn } from "../capability";
import { NO_NEEDS } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { SAMPLE_ROW } from "../shared/artifacts";
import { firewallIpRule } from "../shared/cidr";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import { shellQuote } from "../shared/shell";
import { AZURE_UDF_ALIAS, AZURE_UDF_FUNCTION, azureScoringUdf } from "./azure-udf";
import { referenceModel } from "./gaussian-nb-udf";
import {
    checkStreamingArgs,
    codePath,
    EVENT_HUBS_MAX_EVENT_KB,
    EVENT_HUBS_MAX_TU,
    eventHubPartitions,
    eventHubsThroughputUnits,
    FEATURES_PREFIX,
    flowPath,
    flowsOf,
    STREAMING_TYPE,
    type StreamFlow,
    type Streaming,
    type StreamingArgs,
    type StreamingSpec,
    type StreamPipeline,
    sane,
    scoresFlow,
    sharedPipelines,
    streamAnalyticsUnits,
} from "./index";

/** Built-in role "Azure Event Hubs Data Receiver": read events, nothing else. */
export const EVENT_HUBS_DATA_RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde";
/**
 * Built-in role "Azure Event Hubs Data Sender": send events, nothing else (the data action
 * `send/action` on any Event Hubs entity, and reading the hubs). Source:
 * learn.microsoft.com/azure/role-based-access-control/built-in-roles/analytics, whose role JSON
 * has this id. Assignable at the namespace "or any resource under it" (Microsoft's "Authenticate an
 * application with Microsoft Entra ID to access Event Hubs resources"), so a grant can name one hub.
 */
export const EVENT_HUBS_DATA_SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975";
/**
 * The resource an Entra ID token for Event Hubs is requested for: "The resource name to request a
 * token is `https://eventhubs.azure.net/`, and it's the same for all clouds/tenants" (Microsoft's
 * "Authenticate an application with Microsoft Entra ID to access Event Hubs resources",
 * learn.microsoft.com/azure/event-hubs/authenticate-application). Written without the slash,
 * `az account get-access-token --resource` asks for the scope `https://eventhubs.azure.net/.default`
 * (azure-cli's `resource_to_scopes` appends `/.default`), the scope the Azure SDKs' Event Hubs
 * clients ask for.
 */
export const EVENT_HUBS_TOKEN_RESOURCE = "https://eventhubs.azure.net";
/**
 * The Event Hubs REST "Send event" call (learn.microsoft.com/rest/api/eventhub/send-event): `POST
 * https://{namespace}.servicebus.windows.net/{eventHub}/messages?timeout=60&api-version=2014-01`,
 * the event as the body "in plain text", `201` on success. Its common headers
 * (learn.microsoft.com/rest/api/eventhub/event-hubs-runtime-rest): this Content-Type, and an
 * Authorization of "Azure Active Directory (Azure AD) JSON Web Token (JWT) token. Example:
 * Authorization: Bearer <Azure AD JWT token>" or a SAS token (the namespace has SAS off).
 */
export const EVENT_HUBS_SEND = {
    apiVersion: "2014-01",
    timeoutSeconds: 60,
    contentType: "application/atom+xml;type=entry;charset=utf-8",
} as const;
/** Days an event hub keeps events: the most Standard allows, included in its price. */
export const STREAM_RETENTION_DAYS = 7;
/**
 * Stream Analytics SKU. StandardV2 (SU V2) needs API 2021-10-01-preview, which the provider
 * package does not ship by default; Standard (SU V1) is what API 2020-03-01 accepts.
 */
export const STREAM_ANALYTICS_SKU = "Standard";
/** The newest query language behaviour. */
export const COMPATIBILITY_LEVEL = "1.2";
/** Seconds a late event is still placed in its window; later ones get the arrival time. */
export const LATE_ARRIVAL_SECONDS = 5;
/** Parquet files of features close after this long or this many rows, whichever comes first. */
export const FEATURES_FILE_WINDOW = "00:05:00";
export const FEATURES_FILE_MIN_ROWS = 2000;
/** Log categories of both services, as one group. */
export const LOG_CATEGORY_GROUP = "allLogs";

/**
 * The data job's query: every event, stamped with its event time, into the features sink. A team
 * replaces it with its own feature query (windows, joins) like it replaces a placeholder image.
 */
export const DATA_QUERY = "SELECT *, System.Timestamp() AS event_time INTO [features] FROM [events]";
/**
 * The scoring job's query: each event (the whole record) scored by the `score` function, the
 * reference model as JavaScript (azure-udf.ts) or the team's, whose record the second step takes
 * apart with dot notation into one score row per event, stamped with the time it was scored. A
 * malformed event's row has a null probability and its reason in `error`.
 */
export const SCORING_QUERY = [
    "WITH scored AS (",
    `    SELECT udf.${AZURE_UDF_ALIAS}(e) AS s FROM [events] e`,
    ")",
    "SELECT s.customer_id AS customer_id, s.churn_probability AS churn_probability,",
    "    s.churn_predicted AS churn_predicted, s.model_version AS model_version, s.error AS error,",
    "    System.Timestamp() AS scored_at",
    "INTO [scores]",
    "FROM scored",
].join("\n");

/**
 * The scoring job's one function: a JavaScript UDF that takes the event record and returns the
 * score record. `script` is the team's (`mlops:options.streamingCode.inference`, read by
 * teamScript); by default the reference model (GaussianNB, jobs/samples/model), whose model is in
 * the script, as in GCP's UDF. Pure.
 */
export function scoringFunction(script = azureScoringUdf(referenceModel())): inputs.streamanalytics.FunctionArgs {
    return {
        name: AZURE_UDF_ALIAS,
        properties: {
            type: "Scalar",
            inputs: [{ dataType: "record" }],
            output: { dataType: "record" },
            binding: { type: "Microsoft.StreamAnalytics/JavascriptUdf", script },
        },
    };
}

/** A script that defines the function Stream Analytics calls: `function main(`. */
const DEFINES_MAIN = new RegExp(`(^|[^\\w$.])function\\s+${AZURE_UDF_FUNCTION}\\s*\\(`);

/**
 * A team's scoring function on Azure: the JavaScript file at `file`, relative to `dir` (the stack
 * file's directory), read when the stack program runs. It must define `function main(event)`
 * returning the record the scoring query selects (customer_id, churn_probability, churn_predicted,
 * model_version, error). The script, or why it cannot be used.
 */
export function teamScript(file: string, dir = process.cwd()): { script: string } | { problem: string } {
    if (path.isAbsolute(file))
        return {
            problem: `'${file}' is an absolute path, which holds on one machine only; give the path relative to the stack file's directory (${dir})`,
        };
    const full = path.resolve(dir, file);
    let script: string;
    try {
        script = readFileSync(full, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why =
            code === "ENOENT"
                ? "no such file"
                : code === "EISDIR"
                  ? "a directory, not a file"
                  : `cannot be read (${code ?? String(e)})`;
        return {
            problem: `'${file}' (${full}): ${why}; give the path of the team's JavaScript file, relative to the stack file's directory (${dir})`,
        };
    }
    if (!DEFINES_MAIN.test(script))
        return {
            problem: `'${file}' (${full}) defines no 'function ${AZURE_UDF_FUNCTION}(event)': Stream Analytics calls ${AZURE_UDF_FUNCTION} with the event record and the scoring query reads its record's customer_id, churn_probability, churn_predicted, model_version and error`,
        };
    return { script };
}

/**
 * `curl` sending the sample row (SAMPLE_ROW, the event every cloud's run command sends) to one event
 * hub through the Event Hubs REST "Send event" API, with the caller's Entra ID token for Event Hubs
 * (`az account get-access-token`): the caller needs "Azure Event Hubs Data Sender" on the hub and a
 * path through the namespace's firewall (an IP rule for `deployerCidrs`, or a subnet it admits).
 * `--fail` makes a refused send (401, 403) fail the command with its status (any curl; the newer
 * `--fail-with-body` would also print the reason, but curl before 7.76 has no such option).
 */
export function sendEventCommand(namespace: pulumi.Input<string>, hub: pulumi.Input<string>): pulumi.Output<string> {
    const { apiVersion, timeoutSeconds, contentType } = EVENT_HUBS_SEND;
    const token = `$(az account get-access-token --resource ${EVENT_HUBS_TOKEN_RESOURCE} --query accessToken --output tsv)`;
    const body = shellQuote(JSON.stringify(SAMPLE_ROW));
    return pulumi.interpolate`curl -sS --fail -X POST "https://${namespace}.servicebus.windows.net/${hub}/messages?timeout=${timeoutSeconds}&api-version=${apiVersion}" -H "Authorization: Bearer ${token}" -H "Content-Type: ${contentType}" -d ${body}`;
}

/**
 * Azure limits on top of the cloud-neutral checks. Pure but for reading the team's scoring file
 * (`code.inference`), which the job takes inline.
 */
export function checkAzureStreamingArgs(
    a: Pick<StreamingArgs, "data" | "inference" | "code" | "codeDir">,
): InputProblem[] {
    const p = checkStreamingArgs(a);
    // The data job's query passes the events through unchanged; it calls no function.
    if (a.data && a.code?.data !== undefined)
        p.push({
            path: codePath("data"),
            message:
                "Azure's data job writes the events to the data container as they come and runs no user-defined function; remove it, or give your own code for inference",
        });
    if (a.inference && a.code?.inference !== undefined) {
        const team = teamScript(a.code.inference, a.codeDir);
        if ("problem" in team) p.push({ path: codePath("inference"), message: team.problem });
    }
    const flows = flowsOf(a);
    if (!flows.every(([, f]) => sane(f))) return p;
    for (const [name, f] of flows) {
        if (f.eventSizeKb > EVENT_HUBS_MAX_EVENT_KB)
            p.push({
                path: flowPath(name, "eventSizeKb"),
                message: `must be at most ${EVENT_HUBS_MAX_EVENT_KB} (1 MB, the largest event on Event Hubs Standard)`,
            });
    }
    // The namespace's 40 units (40 MB/s) bind long before a job's streaming units (6 per partition).
    const tu = eventHubsThroughputUnits(namespaceFlows(a));
    if (tu.units > EVENT_HUBS_MAX_TU)
        p.push({
            path: flowPath(flows[0]![0], "eventsPerSecond"),
            message: `${tu.reason}, above the ${EVENT_HUBS_MAX_TU} a Standard namespace takes (Premium or Dedicated is not built)`,
        });
    return p;
}

/** Every flow into the namespace: the pipelines' events, and the scores the scoring job sends. */
function namespaceFlows(a: Pick<StreamingArgs, "data" | "inference">): StreamFlow[] {
    return [...flowsOf(a).map(([, f]) => f), ...(a.inference ? [scoresFlow(a.inference)] : [])];
}

/** The stack's subnets producers run in (Container Apps, VMs): each gets a network rule. */
export function producerSubnets(f: Pick<AzureFoundation, "subnetId" | "computeSubnetId">): pulumi.Output<string>[] {
    return [f.subnetId, f.computeSubnetId].filter((s): s is pulumi.Output<string> => s !== undefined);
}

export interface AzureStreamingArgs extends StreamingArgs {
    readonly foundation: AzureFoundation;
    /**
     * `inference`: the path of a team's own JavaScript file (teamScript), put in the scoring job as
     * its one function instead of the reference model. `data` is refused.
     */
    readonly code?: Partial<Record<StreamPipeline, string>>;
}

/**
 * Level 3 on Azure: one Event Hubs namespace (Standard: Kafka endpoint, up to 40 throughput units)
 * shared by both pipelines, an event hub per pipeline plus a scores hub, and a Stream Analytics job
 * per pipeline that authenticates with its own managed identity. Data writes the events as Parquet to
 * the data container; inference scores each event with the reference model, a JavaScript UDF the
 * stack generates from the model's fitted parameters and puts in the job (or the team's own,
 * `mlops:options.streamingCode`), and sends the scores to the scores hub.
 *
 * Stream Analytics rather than Spark Structured Streaming on the level-2 Synapse pool: a streaming
 * query never lets the pool auto-pause, so Spark would bill three nodes around the clock (about
 * $1,250 a month) where one streaming unit costs about $80, with no cluster to run. The namespace
 * has local (SAS) auth off and TLS 1.2; its firewall denies everything but trusted Azure services
 * (the Stream Analytics jobs, with their managed identities), the stack's subnets and the deployer's
 * addresses (`deployerCidrs`, as for the foundation storage). Capture stays off: on Standard it is
 * billed per throughput unit, at three times the unit itself, to archive what the data job already
 * writes to storage.
 *
 * The jobs are created stopped: their managed identities only exist once the job does, and must be
 * granted the hubs and containers before the job can start (`az stream-analytics job start`). A
 * stopped job costs nothing. Each pipeline's run command starts its job, then sends the sample row
 * to its input hub as the deployer, who is granted "Azure Event Hubs Data Sender" on that hub only.
 */
export class AzureStreaming extends pulumi.ComponentResource implements Streaming {
    readonly inputStreams: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    readonly scoresStream?: pulumi.Output<string>;
    readonly engineJobs: Partial<Record<StreamPipeline, pulumi.Output<string>>>;
    readonly producerEndpoint: pulumi.Output<string>;
    readonly featuresUri?: pulumi.Output<string>;
    readonly namespaceName: pulumi.Output<string>;
    /** Why the namespace, hubs and jobs got their sizes, LEVELS.md style. */
    readonly sizing: Record<string, string>;
    /**
     * Per pipeline, for `runCommands`: start its streaming job (created stopped), then send the sample
     * row to its input hub (`sendEventCommand`), as AWS's `put-record` and GCP's `publish` do.
     */
    readonly runCommands: Partial<Record<StreamPipeline, pulumi.Output<string>>>;

    constructor(name: string, args: AzureStreamingArgs, opts: pulumi.ComponentResourceOptions = {}) {
        throwIfProblems(checkAzureStreamingArgs(args));
        super(STREAMING_TYPE, name, {}, opts);
        const { ctx, foundation: f } = args;
        const flows = flowsOf(args);
        // Checked above: the team's file is there and defines main.
        const team = args.code?.inference !== undefined ? teamScript(args.code.inference, args.codeDir) : undefined;
        const scoring = args.inference
            ? scoringFunction(team && "script" in team ? team.script : undefined)
            : undefined;
        const shared = tagsOf(ctx, sharedPipelines(args), 3);
        const parent = { parent: this };
        const { resourceGroupName, location } = f;
        const subscriptionScope = f.storageAccountId.apply((id) => id.split("/").slice(0, 3).join("/"));
        const role = (id: string) => roleDefinitionId(subscriptionScope, id);
        this.sizing = {};

        const tu = eventHubsThroughputUnits(namespaceFlows(args));
        this.sizing["namespace"] = tu.reason;
        const base = physicalName(
            "azureEventHubsNamespace",
            [ctx.project, ctx.stack, "events"],
            suffixReserve("azureEventHubsNamespace"),
        );
        // Fixed logical name: the namespace holds every hub, and a pipeline's level change only
        // updates its tags and units.
        const namespace = new eventhub.Namespace(
            `${name}-namespace`,
            {
                resourceGroupName,
                location,
                namespaceName: ctx.uniqueSuffix.apply((s) => withSuffix("azureEventHubsNamespace", base, s)),
                sku: { name: "Standard", tier: "Standard", capacity: tu.units },
                kafkaEnabled: true,
                minimumTlsVersion: "1.2",
                disableLocalAuth: true,
                // Units are sized for the peak rate; auto-inflate only ever scales up, so the bill would too.
                isAutoInflateEnabled: false,
                zoneRedundant: true,
                publicNetworkAccess: "Enabled",
                tags: shared,
            },
            { ...parent, retainOnDelete: true },
        );
        this.namespaceName = namespace.name;
        new eventhub.NamespaceNetworkRuleSet(
            `${name}-network-rules`,
            {
                resourceGroupName,
                namespaceName: namespace.name,
                defaultAction: "Deny",
                publicNetworkAccess: "Enabled",
                // Stream Analytics reaches the hubs as a trusted service, with its managed identity.
                trustedServiceAccessEnabled: true,
                // The deployer's public addresses, so the run command's sample event gets in. An
                // `ipMask` is "a single IPv4 address or a block of IP addresses in CIDR notation"
                // (Microsoft's "Allow access to Azure Event Hubs namespaces from specific IP addresses
                // or ranges"); the namespace holds 128 (MAX_DEPLOYER_CIDRS).
                ipRules: (f.deployer.cidrs ?? []).map((c) => ({
                    ipMask: firewallIpRule(c),
                    action: eventhub.NetworkRuleIPAction.Allow,
                })),
                // Event Hubs admits all traffic when a Deny rule set has no IP or network rule: the
                // stack's subnets (with the Microsoft.EventHub service endpoint) are the rules, so
                // producers in the stack's network get in, and besides them only `deployerCidrs`.
                virtualNetworkRules: producerSubnets(f).map((id) => ({
                    subnet: { id },
                    ignoreMissingVnetServiceEndpoint: false,
                })),
            },
            parent,
        );
        if (ctx.protect)
            deleteLock(
                `${name}-namespace-lock`,
                namespace.id,
                "Event streams of an mlops-levels stack; remove the lock to delete the namespace.",
                this,
            );
        new monitor.DiagnosticSetting(
            `${name}-namespace-logs`,
            {
                name: "to-log-analytics",
                resourceUri: namespace.id,
                workspaceId: f.workspaceId,
                logs: [{ categoryGroup: LOG_CATEGORY_GROUP, enabled: true }],
            },
            parent,
        );

        const hub = (logical: string, hubName: string, flow: StreamFlow) => {
            const partitions = eventHubPartitions(flow);
            this.sizing[hubName] = `${partitions} partitions (twice the MB/s or thousands of events/s, at least 4)`;
            return new eventhub.EventHub(
                logical,
                {
                    resourceGroupName,
                    namespaceName: namespace.name,
                    eventHubName: hubName,
                    partitionCount: partitions,
                    messageRetentionInDays: STREAM_RETENTION_DAYS,
                },
                // Standard partitions cannot change after creation: a new rate must never recreate the
                // hub and drop its events; more partitions take a new hub, on purpose.
                { ...parent, retainOnDelete: true, ignoreChanges: ["partitionCount"] },
            );
        };
        const inputs = new Map<StreamPipeline, eventhub.EventHub>();
        for (const [p, flow] of flows) inputs.set(p, hub(`${name}-${p}-events`, `${p}-events`, flow));
        const scores = args.inference ? hub(`${name}-scores`, "scores", scoresFlow(args.inference)) : undefined;

        const containerScope = (container: string) =>
            pulumi.interpolate`${f.storageAccountId}/blobServices/default/containers/${container}`;

        this.inputStreams = {};
        this.engineJobs = {};
        this.runCommands = {};
        // Whoever runs `pulumi up` sends the sample events; a new deployer gets its own assignments.
        const deployer = authorization.getClientConfigOutput(parent);
        for (const [p, flow] of flows) {
            const input = inputs.get(p)!;
            const tags = tagsOf(ctx, p, 3);
            const consumerGroup = new eventhub.ConsumerGroup(
                `${name}-${p}-engine-group`,
                {
                    resourceGroupName,
                    namespaceName: namespace.name,
                    eventHubName: input.name,
                    consumerGroupName: `${p}-engine`,
                    userMetadata: "Read by the pipeline's Stream Analytics job only",
                },
                parent,
            );
            const su = streamAnalyticsUnits(flow, eventHubPartitions(flow));
            this.sizing[`${p}-engine`] = su.reason;
            const job = new streamanalytics.StreamingJob(
                `${name}-${p}-job`,
                {
                    resourceGroupName,
                    location,
                    jobName: physicalName("azureGeneral", [ctx.project, ctx.stack, p, "streaming"]),
                    sku: { name: STREAM_ANALYTICS_SKU },
                    identity: { type: "SystemAssigned" },
                    jobType: "Cloud",
                    compatibilityLevel: COMPATIBILITY_LEVEL,
                    eventsOutOfOrderPolicy: "Adjust",
                    eventsLateArrivalMaxDelayInSeconds: LATE_ARRIVAL_SECONDS,
                    // A row the sink refuses stops the job rather than vanishing.
                    outputErrorPolicy: "Stop",
                    contentStoragePolicy: "SystemAccount",
                    transformation: {
                        name: "main",
                        streamingUnits: su.units,
                        query: p === "data" ? DATA_QUERY : SCORING_QUERY,
                    },
                    functions: p === "inference" && scoring ? [scoring] : undefined,
                    tags,
                },
                parent,
            );
            const principalId = job.identity.apply((i) => i?.principalId ?? "");
            const grant = (purpose: string, roleId: string, scope: pulumi.Input<string>, description: string) =>
                new authorization.RoleAssignment(
                    `${name}-${p}-${purpose}`,
                    {
                        roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                            deterministicGuid(ctx.project, ctx.stack, s, "streaming", p, purpose, roleId),
                        ),
                        scope,
                        roleDefinitionId: role(roleId),
                        principalId,
                        principalType: authorization.PrincipalType.ServicePrincipal,
                        description,
                    },
                    parent,
                );
            grant("read-events", EVENT_HUBS_DATA_RECEIVER, input.id, `${p} streaming job reads its input hub only`);
            new authorization.RoleAssignment(
                `${name}-${p}-deployer-send`,
                {
                    roleAssignmentName: pulumi
                        .all([ctx.uniqueSuffix, deployer.objectId])
                        .apply(([s, who]) =>
                            deterministicGuid(
                                ctx.project,
                                ctx.stack,
                                s,
                                "streaming",
                                p,
                                "deployer",
                                who,
                                EVENT_HUBS_DATA_SENDER,
                            ),
                        ),
                    scope: input.id,
                    roleDefinitionId: role(EVENT_HUBS_DATA_SENDER),
                    principalId: deployer.objectId,
                    principalType: f.deployerPrincipalType(),
                    description: `mlops-levels deployer sends the sample event to the ${p} input hub only`,
                },
                parent,
            );
            new streamanalytics.Input(
                `${name}-${p}-input`,
                {
                    resourceGroupName,
                    jobName: job.name,
                    inputName: "events",
                    properties: {
                        type: "Stream",
                        datasource: {
                            type: "Microsoft.EventHub/EventHub",
                            authenticationMode: "Msi",
                            serviceBusNamespace: namespace.name,
                            eventHubName: input.name,
                            consumerGroupName: consumerGroup.name,
                        },
                        serialization: { type: "Json", encoding: "UTF8" },
                    },
                },
                parent,
            );
            if (p === "data") {
                grant(
                    "write-features",
                    STORAGE_BLOB_DATA_CONTRIBUTOR,
                    containerScope("data"),
                    "data streaming job writes features to the data container only",
                );
                new streamanalytics.Output(
                    `${name}-data-output`,
                    {
                        resourceGroupName,
                        jobName: job.name,
                        outputName: "features",
                        datasource: {
                            type: "Microsoft.Storage/Blob",
                            authenticationMode: "Msi",
                            storageAccounts: [{ accountName: f.storageAccountName }],
                            container: "data",
                            pathPattern: `${FEATURES_PREFIX}/{date}/{time}`,
                            dateFormat: "yyyy/MM/dd",
                            timeFormat: "HH",
                        },
                        serialization: { type: "Parquet" },
                        timeWindow: FEATURES_FILE_WINDOW,
                        sizeWindow: FEATURES_FILE_MIN_ROWS,
                    },
                    parent,
                );
                this.featuresUri = pulumi.interpolate`${f.dataUri}${FEATURES_PREFIX}/`;
            } else if (scores) {
                // The model is in the job's function: no storage to read, so no grant on it.
                grant("send-scores", EVENT_HUBS_DATA_SENDER, scores.id, "scoring job sends to the scores hub only");
                new streamanalytics.Output(
                    `${name}-inference-output`,
                    {
                        resourceGroupName,
                        jobName: job.name,
                        outputName: "scores",
                        datasource: {
                            type: "Microsoft.EventHub/EventHub",
                            authenticationMode: "Msi",
                            serviceBusNamespace: namespace.name,
                            eventHubName: scores.name,
                        },
                        serialization: { type: "Json", encoding: "UTF8", format: "LineSeparated" },
                    },
                    parent,
                );
            }
            new monitor.DiagnosticSetting(
                `${name}-${p}-job-logs`,
                {
                    name: "to-log-analytics",
                    resourceUri: job.id,
                    workspaceId: f.workspaceId,
                    logs: [{ categoryGroup: LOG_CATEGORY_GROUP, enabled: true }],
                },
                parent,
            );
            this.inputStreams[p] = input.name;
            this.engineJobs[p] = job.name;
            // `JobStartTime` ("Now": output starts when the job starts, Microsoft's "How to start an
            // Azure Stream Analytics job"); the event is sent once the start command has returned, so
            // it arrives after that point. When the start fails (a job already running, say), nothing
            // is sent: the part after `&&` sends on its own.
            this.runCommands[p] =
                pulumi.interpolate`az stream-analytics job start --resource-group ${resourceGroupName} --name ${job.name} --output-start-mode JobStartTime && ${sendEventCommand(namespace.name, input.name)}`;
        }
        this.scoresStream = scores?.name;
        this.producerEndpoint = pulumi.interpolate`${namespace.name}.servicebus.windows.net:9093`;

        this.registerOutputs({
            inputStreams: this.inputStreams,
            scoresStream: this.scoresStream,
            engineJobs: this.engineJobs,
            producerEndpoint: this.producerEndpoint,
            featuresUri: this.featuresUri,
            namespaceName: this.namespaceName,
        });
    }
}

export const azureStreamingKit: Capability<StreamingSpec, AzureStreaming> = {
    check: checkAzureStreamingArgs,
    needs: () => NO_NEEDS,
    create: (name, spec, site, opts) => new AzureStreaming(name, placedOn(spec, site, AzureFoundation, "Azure"), opts),
};

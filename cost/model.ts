import type { Cloud } from "../components/shared/clouds";
import { readTags, TAG_KEYS } from "../components/shared/tags";
import {
    azureDedicatedShape,
    azureProfileByName,
    computeFacts,
    gcpMachine,
    type MachineFact,
    parseDocumentString,
} from "./facts";
import { findPrice, HOURS_PER_MONTH, PRICES, type PriceBook } from "./prices";
import { jobHours, NO_USAGE, SECONDS_PER_MONTH, SECONDS_PER_REQUEST, type Usage } from "./usage";

export { NO_USAGE, type Usage, usageFromSettings } from "./usage";

/** A planned resource as the model reads it (a PlannedResource fits). */
export interface CostResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs: Record<string, unknown>;
    /** Parent URN: resources without tags (schedules) take their tagged siblings' pipeline. */
    readonly parent?: string;
}

export interface EstimateContext {
    readonly cloud: Cloud;
    readonly region: string;
    /** Without usage the estimate is the idle part only. */
    readonly usage?: Usage;
    /** Another price book (tests). */
    readonly prices?: PriceBook;
}

export interface ResourceCost {
    readonly urn: string;
    readonly type: string;
    /** Idle plus usage, USD a month. */
    readonly monthlyUsd: number;
    /** What it costs with no traffic and no jobs, USD a month. */
    readonly idleMonthlyUsd: number;
    /** How the figure was reached, region fallbacks, free grants not subtracted. */
    readonly note?: string;
    /** `data`, `training`, `inference`, `foundation`, `data-inference`…, from the tags. */
    readonly pipeline?: string;
    readonly level?: number;
}

export interface StackEstimate {
    readonly monthlyUsd: number;
    readonly idleMonthlyUsd: number;
    /** Every priced resource with a non-zero cost, or a note (free resources are left out). */
    readonly byResource: ResourceCost[];
    /** Resources whose kind (or machine type) has no price: never counted as zero silently. */
    readonly unpriced: { urn: string; type: string; reason: string }[];
    /** Assumptions and notes that apply to the whole estimate. */
    readonly notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Free kinds

/**
 * Resource types that cost nothing by themselves: identities, policies and grants, network plumbing,
 * bucket settings, components and providers, and children whose cost is carried by a priced parent
 * (Event Hubs in a namespace, Pub/Sub subscriptions through their topic). Checked after the priced
 * kinds, so `aws:s3/bucket:Bucket` is priced while `aws:s3/bucketPolicy:BucketPolicy` is free.
 */
export const FREE_TYPES: readonly RegExp[] = [
    /^pulumi:/,
    /^mlops:/,
    /^random:/,
    /^kubernetes:/, // runs on priced nodes
    /^aws:iam\//,
    /^aws:s3\/bucket[A-Z]\w*:(?!BucketV2$)/,
    /^aws:ec2\/(vpc|subnet|routeTable|routeTableAssociation|route|securityGroup|securityGroupRule|internetGateway|networkAcl|mainRouteTableAssociation|flowLog|launchTemplate|vpcEndpointRouteTableAssociation):/,
    /^aws:vpc\/securityGroup(Ingress|Egress)Rule:/,
    /^aws:kms\/alias:/,
    /^aws:cloudwatch\/(eventRule|eventTarget|logResourcePolicy|logSubscriptionFilter|logStream):/,
    /^aws:sagemaker\/(model|endpoint):/,
    /^aws:ecr\/(lifecyclePolicy|repositoryPolicy):/,
    /^aws:eks\/(addon|accessEntry|accessPolicyAssociation|podIdentityAssociation):/,
    /^aws:scheduler\/scheduleGroup:/,
    /^aws:msk\/configuration:/,
    /^azure-native:resources:ResourceGroup$/,
    // A Batch account costs nothing; its pools cost their nodes (priced on the pool).
    /^azure-native:batch:BatchAccount$/,
    /^azure-native:network:(VirtualNetwork|Subnet|NetworkSecurityGroup|SecurityRule|NetworkInterface|RouteTable|Route|PrivateDnsZoneGroup)$/,
    /^azure-native:authorization:/,
    /^azure-native:managedidentity:/,
    /^azure-native:storage:(BlobContainer|BlobServiceProperties|ManagementPolicy|StorageAccountNetworkRule)$/,
    /^azure-native:monitor:DiagnosticSetting$/,
    /^azure-native:eventhub:(EventHub|ConsumerGroup|EventHubAuthorizationRule|NamespaceAuthorizationRule|NamespaceNetworkRuleSet)$/,
    /^azure-native:app:ContainerAppsAuthConfig$/,
    /^azure-native:streamanalytics:(Input|Output|Function)$/,
    /^azure-native:keyvault:(Vault|Secret|AccessPolicy)$/,
    /^azure-native:synapse:(Workspace|IpFirewallRule|FirewallRule)$/,
    /^azure-native:privatedns:VirtualNetworkLink$/,
    /^gcp:projects\//,
    /^gcp:serviceaccount\//,
    /^gcp:\w+\/\w*iam(Member|Binding|Policy):/i,
    /^gcp:compute\/(network|subnetwork|firewall|router|route):/,
    /^gcp:kms\/keyRing:/,
    /^gcp:pubsub\/subscription:/,
    /^gcp:dataproc\/autoscalingPolicy:/,
    /^gcp:logging\/(projectSink|projectBucketConfig):/,
];

export function isFreeType(type: string): boolean {
    return FREE_TYPES.some((r) => r.test(type));
}

// ---------------------------------------------------------------------------------------------
// Assumptions the pricers use

/** GB of images one container registry holds (one or two tags of an ML image): its storage minimum. */
export const REGISTRY_IMAGE_GB = 2;
/** Online requests one node of a Kubernetes pool serves per second (sizing the pool above its minimum). */
export const QPS_PER_NODE = 100;
/** Concurrent requests a Cloud Run instance / Container Apps replica serves, when the inputs do not say. */
export const DEFAULT_CONCURRENCY = { cloudRun: 80, containerApps: 10 } as const;
/** State transitions of one run of the one-task state machine (start, task, end). */
export const TRANSITIONS_PER_RUN = 3;
/** Workflows steps of one run besides connector polls (init, create job, return). */
export const WORKFLOW_BASE_STEPS = 3;
/** Consumers reading each stream (retrieval and delivery are billed per consumer). */
export const STREAM_CONSUMERS = 1;
/** One EMR Serverless / Synapse worker-hour per single-machine hour: 4 vCPU, 16 GB. */
export const SPARK_WORKER = { vcpus: 4, memoryGb: 16 } as const;
/** Nodes a Synapse Spark pool starts for a run (its minimum is 3). */
export const SYNAPSE_MIN_NODES = 3;
/** Hours a Spark pool or cluster takes to start for a run, billed at its minimum size. */
export const SPARK_STARTUP_HOURS = 0.25;
/**
 * GB a training run pulls through a NAT gateway: the Ray image (several GB; the CUDA one more) onto
 * each worker node the pool scales up from zero for the run. The stack's own images come from its
 * registry over endpoints / Private Google Access, not through NAT.
 */
export const NAT_GB_PER_RUN = 20;
/** VMs using a Cloud NAT gateway all month: at least a cluster's system node. */
export const NAT_MIN_VMS = 1;
/** Disk per Dataflow streaming worker with Streaming Engine, GB. */
export const DATAFLOW_STREAMING_DISK_GB = 30;

// ---------------------------------------------------------------------------------------------
// Pricing one resource

class MissingPrice extends Error {}

interface Priced {
    idle: number;
    usage: number;
    notes: string[];
}

interface Env {
    cloud: Cloud;
    region: string;
    usage: Usage;
    pipeline: string | undefined;
    /** Shares of stack-wide usage (storage, logs) this resource carries. */
    storageShare: number;
    logShare: number;
    price(key: string): number;
    /** Hourly price of a machine for the cloud, or MissingPrice. */
    machineHour(f: MachineFact): number;
    notes: string[];
}

type Pricer = (inputs: Record<string, unknown>, env: Env, type: string) => Priced;

const H = HOURS_PER_MONTH;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const get = (o: unknown, ...path: string[]): unknown =>
    path.reduce<unknown>((c, k) => (isObj(c) ? c[k] : undefined), o);
const num = (v: unknown): number | undefined =>
    typeof v === "number" && Number.isFinite(v)
        ? v
        : typeof v === "string" && v !== "" && Number.isFinite(Number(v))
          ? Number(v)
          : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const p = (idle: number, usage = 0, ...notes: string[]): Priced => ({ idle, usage, notes });

/** Machine-hours of a pipeline's jobs a month. */
const hoursOf = (env: Env) =>
    env.pipeline ? pipelineParts(env.pipeline).reduce((s, x) => s + jobHours(env.usage, x), 0) : 0;
const runsOf = (env: Env) =>
    env.pipeline
        ? pipelineParts(env.pipeline).reduce(
              (s, x) => s + (env.usage.jobs[x as keyof Usage["jobs"]]?.runsPerMonth ?? 0),
              0,
          )
        : 0;
const pipelineParts = (pipeline: string) => pipeline.split("-");

/** Streaming ingest, GB a month. */
const streamGb = (u: Usage) => (u.eventsPerSecond * u.eventKb * SECONDS_PER_MONTH) / (1024 * 1024);
/** Online requests a month. */
const requestsPerMonth = (u: Usage) => u.requestsPerSecond * SECONDS_PER_MONTH;

/** One job run's machines (from the facts) for the pipeline's job hours. */
function jobMachines(facts: MachineFact[], env: Env, diskKey?: string): Priced {
    const hours = hoursOf(env);
    let usage = 0;
    for (const f of facts) {
        usage += f.maxNodes * env.machineHour(f) * hours;
        if (diskKey && f.diskGb) usage += f.maxNodes * f.diskGb * (env.price(diskKey) / H) * hours;
    }
    const what = facts.map((f) => `${f.maxNodes > 1 ? `${f.maxNodes}× ` : ""}${f.machineType}`).join(", ");
    return p(0, usage, `${what || "no machine"} only while a run goes on (${round(hours)} h a month)`);
}

/** A node pool: its minimum is idle cost; above it, nodes for online load or for job hours. */
function pool(f: MachineFact, env: Env, diskKey?: string): Priced {
    const hourly = env.machineHour(f) + (diskKey && f.diskGb ? (f.diskGb * env.price(diskKey)) / H : 0);
    const idle = f.minNodes * hourly * H;
    let usage = 0;
    const parts = env.pipeline ? pipelineParts(env.pipeline) : [];
    if (parts.includes("inference") && env.usage.requestsPerSecond > 0) {
        const avg = Math.min(f.maxNodes, Math.max(f.minNodes, env.usage.requestsPerSecond / QPS_PER_NODE));
        usage = (avg - f.minNodes) * hourly * H;
    } else if (f.maxNodes > f.minNodes) {
        usage = hoursOf(env) * hourly;
    }
    return p(idle, usage, `${f.minNodes}-${f.maxNodes} × ${f.machineType}`);
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Connector polls of a Workflows run waiting `hours` (60 s first, ×1.5, at most 600 s). */
export function workflowPolls(hours: number): number {
    let t = 0;
    let delay = 60;
    let polls = 0;
    while (t < hours * 3600) {
        t += delay;
        polls += 1;
        delay = Math.min(600, delay * 1.5);
    }
    return polls;
}

const PRICERS: Readonly<Record<string, Pricer>> = {
    // ---------------- AWS
    "aws:s3/bucket:Bucket": (_i, e) => p(0, e.storageShare * e.usage.storedGb * e.price("s3.standard")),
    "aws:s3/bucketV2:BucketV2": (_i, e) => p(0, e.storageShare * e.usage.storedGb * e.price("s3.standard")),
    "aws:kms/key:Key": (_i, e) => p(e.price("kms.key")),
    "aws:cloudwatch/logGroup:LogGroup": (i, e) => {
        const gb = e.logShare * e.usage.logsGb;
        const months = Math.min(12, (num(i["retentionInDays"]) ?? 365) / 30);
        return p(0, gb * e.price("cloudwatch.logs.ingest") + gb * months * e.price("cloudwatch.logs.storage"));
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": (i, e) => {
        if ((str(i["vpcEndpointType"]) ?? "Gateway") === "Gateway") return p(0, 0, "gateway endpoint: free");
        const azs = Math.max(1, arr(i["subnetIds"]).length);
        return p(
            azs * e.price("vpc.interface-endpoint") * H,
            0,
            `interface endpoint in ${azs} AZ${azs > 1 ? "s" : ""}`,
        );
    },
    "aws:ec2/natGateway:NatGateway": (_i, e) => {
        const gb = runsOf(e) * NAT_GB_PER_RUN;
        return p(
            e.price("vpc.nat-gateway") * H,
            gb * e.price("vpc.nat-gateway.data"),
            `${round(gb)} GB a month processed (${NAT_GB_PER_RUN} GB of images a training run)`,
        );
    },
    "aws:ec2/eip:Eip": (_i, e) => p(e.price("vpc.public-ipv4") * H),
    "aws:ec2/instance:Instance": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no instanceType");
        return p(e.machineHour(f) * H + (f.diskGb ?? 8) * e.price("ebs.gp3"), 0, `${f.machineType} always on`);
    },
    "aws:sfn/stateMachine:StateMachine": (i, e, t) => {
        const jobs = jobMachines(computeFacts(t, i), e, "sagemaker.storage");
        jobs.usage += runsOf(e) * TRANSITIONS_PER_RUN * e.price("stepfunctions.standard.transition");
        return jobs;
    },
    "aws:scheduler/schedule:Schedule": (_i, e) => p(0, runsOf(e) * e.price("scheduler.invocation")),
    "aws:ecr/repository:Repository": (_i, e) =>
        p(REGISTRY_IMAGE_GB * e.price("ecr.storage"), 0, `${REGISTRY_IMAGE_GB} GB of images`),
    "aws:eks/cluster:Cluster": (_i, e) => p(e.price("eks.cluster") * H, 0, "control plane"),
    "aws:eks/nodeGroup:NodeGroup": (i, e, t) => sum(computeFacts(t, i).map((f) => pool(f, e, "ebs.gp3"))),
    "aws:emr/cluster:Cluster": (i, e, t) => {
        const facts = computeFacts(t, i);
        let idle = 0;
        for (const f of facts) idle += f.minNodes * (e.machineHour(f) + emrFee(f, e)) * H;
        return p(idle, 0, "a long-running cluster: every node is billed while it exists");
    },
    "aws:emr/instanceGroup:InstanceGroup": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no instanceType");
        return p(f.minNodes * (e.machineHour(f) + emrFee(f, e)) * H);
    },
    "aws:emrserverless/application:Application": (i, e) => {
        const worker =
            SPARK_WORKER.vcpus * e.price("emr-serverless.vcpu") +
            SPARK_WORKER.memoryGb * e.price("emr-serverless.memory");
        const initial = arr(i["initialCapacities"]).reduce<number>(
            (n, c) => n + (num(get(c, "initialCapacityConfig", "workerCount")) ?? 0),
            0,
        );
        const autoStop = get(i, "autoStopConfiguration", "enabled") !== false;
        const idle = initial > 0 && !autoStop ? initial * worker * H : 0;
        return p(
            idle,
            hoursOf(e) * worker,
            `scale to zero; ${SPARK_WORKER.vcpus} vCPU / ${SPARK_WORKER.memoryGb} GB worker-hours per single-machine hour`,
        );
    },
    "aws:kinesis/stream:Stream": (i, e) => {
        const mode =
            str(get(i, "streamModeDetails", "streamMode")) ?? (num(i["shardCount"]) ? "PROVISIONED" : "ON_DEMAND");
        const gb = streamGb(e.usage);
        if (mode === "ON_DEMAND")
            return p(
                e.price("kinesis.on-demand.stream") * H,
                gb * e.price("kinesis.on-demand.ingest") +
                    gb * STREAM_CONSUMERS * e.price("kinesis.on-demand.retrieve"),
                "on-demand stream",
            );
        const shards = num(i["shardCount"]) ?? 1;
        const units = (e.usage.eventsPerSecond * SECONDS_PER_MONTH * Math.ceil(e.usage.eventKb / 25)) / 1e6;
        return p(
            shards * e.price("kinesis.shard") * H,
            units * e.price("kinesis.put-units"),
            `${shards} shard${shards > 1 ? "s" : ""}`,
        );
    },
    "aws:msk/cluster:Cluster": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no broker instanceType");
        const vol = num(get(i, "brokerNodeGroupInfo", "storageInfo", "ebsStorageInfo", "volumeSize")) ?? 100;
        return p(
            f.minNodes * (e.price(`msk.broker.${f.machineType}`) * H + vol * e.price("msk.storage")),
            0,
            `${f.minNodes} brokers`,
        );
    },
    "aws:msk/serverlessCluster:ServerlessCluster": (_i, e) => {
        const gb = streamGb(e.usage);
        return p(
            e.price("msk.serverless.cluster") * H,
            gb * e.price("msk.serverless.ingest") + gb * STREAM_CONSUMERS * e.price("msk.serverless.egress"),
            "partitions not included",
        );
    },
    "aws:kinesisanalyticsv2/application:Application": (i, e) => {
        const par = get(i, "applicationConfiguration", "flinkApplicationConfiguration", "parallelismConfiguration");
        const parallelism = num(get(par, "parallelism")) ?? 1;
        const perKpu = num(get(par, "parallelismPerKpu")) ?? 1;
        const kpus = Math.ceil(parallelism / perKpu);
        return p(
            (kpus + 1) * e.price("flink.kpu") * H + kpus * 50 * e.price("flink.storage"),
            0,
            `${kpus} KPU + 1 orchestration KPU, always running`,
        );
    },
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": (i, e, t) => {
        let idle = 0;
        let usage = 0;
        const notes: string[] = [];
        for (const v of arr(i["productionVariants"])) {
            const sc = get(v, "serverlessConfig");
            if (isObj(sc)) {
                const gb = (num(sc["memorySizeInMb"]) ?? 2048) / 1024;
                const warm = num(sc["provisionedConcurrency"]) ?? 0;
                idle += warm * gb * SECONDS_PER_MONTH * e.price("sagemaker.serverless.provisioned");
                usage += requestsPerMonth(e.usage) * SECONDS_PER_REQUEST * gb * e.price("sagemaker.serverless.compute");
                notes.push(warm > 0 ? `serverless, ${warm} warm` : "serverless: scales to zero");
            }
        }
        for (const f of computeFacts(t, i)) {
            idle += f.minNodes * e.machineHour(f) * H;
            notes.push(`${f.minNodes} × ${f.machineType} always on`);
        }
        return p(idle, usage, ...notes);
    },
    // ---------------- Azure
    "azure-native:storage:StorageAccount": (i, e) => {
        const sku = (str(get(i, "sku", "name")) ?? "Standard_LRS").toUpperCase();
        const key = sku.includes("ZRS") ? "blob.hot.zrs" : sku.includes("GRS") ? "blob.hot.grs" : "blob.hot.lrs";
        return p(0, e.storageShare * e.usage.storedGb * e.price(key));
    },
    "azure-native:operationalinsights:Workspace": (_i, e) =>
        p(0, e.logShare * e.usage.logsGb * e.price("loganalytics.ingest")),
    "azure-native:app:ManagedEnvironment": (i, e, t) => {
        const dedicated = arr(i["workloadProfiles"]).filter((w) => {
            const type = str(get(w, "workloadProfileType")) ?? "";
            return type !== "" && type !== "Consumption" && !type.startsWith("Consumption-");
        });
        if (dedicated.length === 0) return p(0, 0, "Consumption only: nothing while idle");
        let idle = e.price("containerapps.dedicated.management") * H;
        for (const f of computeFacts(t, i)) idle += f.minNodes * e.machineHour(f) * H;
        return p(idle, 0, "Dedicated plan management fee (any Dedicated workload profile)");
    },
    "azure-native:app:Job": (i, e, t) => jobMachines(computeFacts(t, i), e),
    "azure-native:app:ContainerApp": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no container resources");
        const profile = azureProfileByName(str(i["workloadProfileName"]) ?? "Consumption");
        const cpu = f.vcpus ?? 0.5;
        const mem = f.memoryGb ?? 1;
        const reqs = requestsPerMonth(e.usage);
        if (profile.profileType !== "Consumption")
            return p(
                0,
                (reqs / 1e6) * e.price("containerapps.consumption.requests"),
                `runs on the ${profile.profileType} profile's nodes (priced on the environment)`,
            );
        const conc =
            num(
                arr(get(i, "template", "scale", "rules")).map((r) =>
                    get(r, "http", "metadata", "concurrentRequests"),
                )[0],
            ) ?? DEFAULT_CONCURRENCY.containerApps;
        const active =
            cpu * e.price("containerapps.consumption.vcpu") + mem * e.price("containerapps.consumption.memory");
        const idleRate =
            cpu * e.price("containerapps.consumption.idle-vcpu") + mem * e.price("containerapps.consumption.memory");
        const activeSeconds = (reqs * SECONDS_PER_REQUEST) / conc;
        return p(
            f.minNodes * idleRate * SECONDS_PER_MONTH,
            activeSeconds * active + (reqs / 1e6) * e.price("containerapps.consumption.requests"),
            f.minNodes === 0 ? "scales to zero" : `${f.minNodes} replicas kept warm`,
        );
    },
    "azure-native:batch:Pool": (i, e, t) => {
        const facts = computeFacts(t, i);
        const idle = facts.reduce((s, f) => s + f.minNodes * e.machineHour(f) * H, 0);
        if (idle > 0) return p(idle, 0, "fixed-size Batch pool: its nodes are billed all month");
        // Autoscaled from zero: the node exists only while a run goes on (Batch itself is free).
        return jobMachines(facts, e);
    },
    "azure-native:compute:VirtualMachine": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no vmSize");
        const diskType = (
            str(get(i, "storageProfile", "osDisk", "managedDisk", "storageAccountType")) ?? "StandardSSD_LRS"
        ).toLowerCase();
        const diskKey = diskType.startsWith("premium")
            ? "disk.premium"
            : diskType.startsWith("standard_")
              ? "disk.standardhdd"
              : "disk.standardssd";
        return p(e.machineHour(f) * H + (f.diskGb ?? 30) * e.price(diskKey), 0, `${f.machineType} always on`);
    },
    "azure-native:network:NatGateway": (_i, e) => p(e.price("nat-gateway") * H, 0, "data processed not included"),
    "azure-native:network:PublicIPAddress": (_i, e) => p(e.price("public-ip.standard") * H),
    "azure-native:network:PrivateEndpoint": (_i, e) => p(e.price("private-endpoint") * H),
    "azure-native:privatedns:PrivateZone": (_i, e) => p(e.price("private-dns-zone")),
    // A daily purge of untagged images: about a minute of task time a day.
    "azure-native:containerregistry:Task": (_i, e) =>
        p(0, 30 * 60 * e.price("acr.task.second"), "daily cleanup task, ~1 min a run"),
    "azure-native:containerregistry:Registry": (i, e) => {
        const sku = (str(get(i, "sku", "name")) ?? "Basic").toLowerCase();
        return p(e.price(`acr.${sku}`) * (H / 24), 0, `${sku} registry`);
    },
    "azure-native:containerservice:ManagedCluster": (i, e, t) => {
        const tier = (str(get(i, "sku", "tier")) ?? "Free").toLowerCase();
        const plane = tier === "free" ? 0 : e.price(`aks.${tier}`) * H;
        const nodes = sum(computeFacts(t, i).map((f) => pool(f, e)));
        return p(plane + nodes.idle, nodes.usage, `${tier} tier control plane`, ...nodes.notes);
    },
    "azure-native:containerservice:AgentPool": (i, e, t) => sum(computeFacts(t, i).map((f) => pool(f, e))),
    "azure-native:eventhub:Namespace": (i, e) => {
        const sku = (str(get(i, "sku", "name")) ?? "Standard").toLowerCase();
        const cap = num(get(i, "sku", "capacity")) ?? 1;
        const idle =
            sku === "premium" ? cap * e.price("eventhubs.premium.pu") * H : cap * e.price(`eventhubs.${sku}.tu`) * H;
        const events = e.usage.eventsPerSecond * SECONDS_PER_MONTH;
        return p(
            idle,
            sku === "premium" ? 0 : (events / 1e6) * e.price("eventhubs.ingress"),
            `${cap} ${sku === "premium" ? "PU" : "TU"}`,
        );
    },
    "azure-native:streamanalytics:StreamingJob": (i, e) => {
        const su = num(get(i, "transformation", "streamingUnits")) ?? num(get(i, "sku", "capacity")) ?? 3;
        return p(su * e.price("streamanalytics.su") * H, 0, `${su} SU, always running`);
    },
    "azure-native:synapse:BigDataPool": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        const vcores = f?.vcpus ?? 4;
        const autoPause = get(i, "autoPause", "enabled") !== false;
        const vcore = e.price("synapse.spark.vcore");
        // The same work model as EMR Serverless and Dataproc: a single-machine hour of work is one
        // 4-vCPU worker-hour; each run also starts the pool's minimum nodes for a quarter hour.
        const work = hoursOf(e) * SPARK_WORKER.vcpus * vcore;
        const startup = runsOf(e) * SPARK_STARTUP_HOURS * SYNAPSE_MIN_NODES * vcores * vcore;
        return p(
            autoPause ? 0 : SYNAPSE_MIN_NODES * vcores * vcore * H,
            work + startup,
            autoPause ? `auto-pause: nodes billed only while a run goes on` : "no auto-pause: always on",
        );
    },
    "azure-native:keyvault:Key": (i, e) => {
        const kty = str(get(i, "properties", "kty")) ?? "";
        return kty.endsWith("HSM") ? p(e.price("keyvault.hsm-key")) : p(0, 0, "software key: operations only");
    },
    // ---------------- GCP
    "gcp:storage/bucket:Bucket": (_i, e) => p(0, e.storageShare * e.usage.storedGb * e.price("gcs.standard.regional")),
    "gcp:workflows/workflow:Workflow": (i, e, t) => {
        const machines = jobMachines(computeFacts(t, i), e, "disk.pd-balanced");
        const j = e.pipeline ? e.usage.jobs[e.pipeline as keyof Usage["jobs"]] : undefined;
        const steps = j ? j.runsPerMonth * (WORKFLOW_BASE_STEPS + workflowPolls(j.hoursPerRun)) : 0;
        machines.usage += steps * e.price("workflows.internal-step");
        machines.notes.push("Batch VMs billed as Compute Engine");
        return machines;
    },
    "gcp:cloudscheduler/job:Job": (_i, e) => p(e.price("scheduler.job"), 0, "per job a month"),
    "gcp:compute/instance:Instance": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no machineType");
        const diskType = str(get(i, "bootDisk", "initializeParams", "type")) ?? "pd-balanced";
        return p(
            e.machineHour(f) * H + (f.diskGb ?? 10) * e.price(`disk.${diskType}`),
            0,
            `${f.machineType} always on`,
        );
    },
    "gcp:compute/routerNat:RouterNat": (_i, e) => {
        const gb = runsOf(e) * NAT_GB_PER_RUN;
        return p(
            NAT_MIN_VMS * e.price("nat.vm") * H,
            hoursOf(e) * e.price("nat.vm") + gb * e.price("nat.data"),
            `${NAT_MIN_VMS} VM always, job VMs while they run; ${round(gb)} GB a month processed (${NAT_GB_PER_RUN} GB of images a training run)`,
        );
    },
    "gcp:artifactregistry/repository:Repository": (_i, e) =>
        p(REGISTRY_IMAGE_GB * e.price("artifactregistry.storage"), 0, `${REGISTRY_IMAGE_GB} GB of images`),
    "gcp:container/cluster:Cluster": (i, e, t) => {
        const plane = e.price("gke.cluster") * H;
        const nodes = sum(computeFacts(t, i).map((f) => pool(f, e, "disk.pd-balanced")));
        return p(
            plane + nodes.idle,
            nodes.usage,
            i["enableAutopilot"] === true ? "Autopilot cluster fee; pods billed per request" : "cluster management fee",
            ...nodes.notes,
        );
    },
    "gcp:container/nodePool:NodePool": (i, e, t) => sum(computeFacts(t, i).map((f) => pool(f, e, "disk.pd-balanced"))),
    "gcp:dataproc/workflowTemplate:WorkflowTemplate": (i, e) => {
        // A managed cluster exists only during a run: the same work model as the other Spark services,
        // priced as 4-vCPU worker-hours of the template's worker type plus the Dataproc fee.
        const worker =
            str(get(i, "placement", "managedCluster", "config", "workerConfig", "machineType")) ?? "n2-standard-4";
        const m = gcpMachine(worker);
        const vcpus = m.vcpus ?? 4;
        const f: MachineFact = {
            machineType: worker,
            family: m.family,
            gpus: 0,
            minNodes: 0,
            maxNodes: 1,
            vcpus,
            kind: "job",
        };
        const perVcpuHour = e.machineHour(f) / vcpus + e.price("dataproc.vcpu");
        return p(0, hoursOf(e) * SPARK_WORKER.vcpus * perVcpuHour, "cluster created per run and deleted after it");
    },
    "gcp:dataproc/cluster:Cluster": (i, e, t) => {
        let idle = 0;
        for (const f of computeFacts(t, i))
            idle += f.minNodes * (e.machineHour(f) + (f.vcpus ?? 0) * e.price("dataproc.vcpu")) * H;
        return p(idle, 0, "every node billed while the cluster exists");
    },
    "gcp:pubsub/topic:Topic": (_i, e) => {
        const tib = streamGb(e.usage) / 1024;
        return p(0, tib * (1 + STREAM_CONSUMERS) * e.price("pubsub.throughput"), "publish and delivery throughput");
    },
    "gcp:dataflow/job:Job": (i, e, t) => dataflow(i, e, t),
    "gcp:dataflow/flexTemplateJob:FlexTemplateJob": (i, e, t) => dataflow(i, e, t),
    "gcp:cloudrunv2/service:Service": (i, e, t) => {
        const f = computeFacts(t, i)[0];
        if (!f) throw new MissingPrice("no container");
        const cpu = f.vcpus ?? 1;
        const mem = f.memoryGb ?? 0.5;
        const conc = num(get(i, "template", "maxInstanceRequestConcurrency")) ?? DEFAULT_CONCURRENCY.cloudRun;
        const reqs = requestsPerMonth(e.usage);
        const idleRate = cpu * e.price("cloudrun.idle-vcpu") + mem * e.price("cloudrun.idle-memory");
        const active = cpu * e.price("cloudrun.vcpu") + mem * e.price("cloudrun.memory");
        return p(
            f.minNodes * idleRate * SECONDS_PER_MONTH,
            ((reqs * SECONDS_PER_REQUEST) / conc) * active + (reqs / 1e6) * e.price("cloudrun.requests"),
            f.minNodes === 0 ? "scales to zero" : `${f.minNodes} instances kept warm`,
        );
    },
    "gcp:kms/cryptoKey:CryptoKey": (_i, e) => p(e.price("kms.key-version"), 0, "one active key version"),
};

function dataflow(i: Record<string, unknown>, e: Env, t: string): Priced {
    const f = computeFacts(t, i)[0];
    if (!f) throw new MissingPrice("no worker machine");
    const m = gcpMachine(f.machineType);
    const vcpus = m.vcpus ?? 2;
    const mem = m.memoryGb ?? 7.5;
    const batch = /batch/i.test(String(i["jobType"] ?? get(i, "parameters", "jobType") ?? ""));
    const kind = batch ? "batch" : "streaming";
    const hourly =
        vcpus * e.price(`dataflow.${kind}.vcpu`) +
        mem * e.price(`dataflow.${kind}.memory`) +
        DATAFLOW_STREAMING_DISK_GB * e.price("dataflow.pd");
    if (batch) return p(0, hoursOf(e) * hourly, "batch workers while a run goes on");
    return p(
        f.minNodes * hourly * H,
        0,
        `${f.minNodes} streaming worker${f.minNodes > 1 ? "s" : ""} of ${f.machineType}, always running`,
    );
}

function emrFee(f: MachineFact, e: Env): number {
    try {
        return e.price(`emr.fee.${f.machineType}`);
    } catch (err) {
        if (!(err instanceof MissingPrice)) throw err;
        e.notes.push(
            `EMR fee of ${f.machineType} taken as ${e.price("emr.fee.default-ratio") * 100}% of its EC2 price`,
        );
        return e.price("emr.fee.default-ratio") * e.machineHour(f);
    }
}

function sum(parts: Priced[]): Priced {
    return parts.reduce(
        (a, b) => ({ idle: a.idle + b.idle, usage: a.usage + b.usage, notes: [...a.notes, ...b.notes] }),
        p(0),
    );
}

/** Types the model prices (the rest are free or unpriced). */
export const PRICED_TYPES: readonly string[] = Object.keys(PRICERS);

/** Resources that hold the stack's stored data or logs, sharing those usage figures evenly. */
const STORAGE_TYPES = new Set([
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "azure-native:storage:StorageAccount",
    "gcp:storage/bucket:Bucket",
]);
const LOG_TYPES = new Set(["aws:cloudwatch/logGroup:LogGroup", "azure-native:operationalinsights:Workspace"]);

// ---------------------------------------------------------------------------------------------
// Pipelines and levels from tags

/**
 * Tags or labels of a resource, wherever its provider keeps them: `tags`, `labels`, GKE clusters'
 * `resourceLabels`, GKE node pools' `nodeConfig.resourceLabels`, SageMaker tags inside a definition.
 */
export function resourceTags(r: Pick<CostResource, "inputs">): Record<string, unknown> | undefined {
    for (const t of [
        r.inputs["tags"],
        r.inputs["labels"],
        r.inputs["resourceLabels"],
        get(r.inputs, "nodeConfig", "resourceLabels"),
    ])
        if (isObj(t) && typeof t[TAG_KEYS.pipeline] === "string") return t;
    const def = parseDocumentString(r.inputs["definition"]);
    for (const state of Object.values(isObj(get(def, "States")) ? (get(def, "States") as Obj) : {})) {
        const list = arr(get(state, "Parameters", "Tags"));
        const o = Object.fromEntries(list.map((x) => [str(get(x, "Key")) ?? "", get(x, "Value")]));
        if (typeof o[TAG_KEYS.pipeline] === "string") return o;
    }
    return undefined;
}

const PIPELINE_NAMES = ["data", "training", "inference", "foundation"];

/**
 * Pipeline and level of every resource: its own tags, else its parent's (a component registered
 * with tags, such as the foundation's internet egress, speaks for its children), else its tagged
 * siblings' (same parent), else the pipeline its logical name starts with (children are named after
 * their component).
 */
export function pipelineOf(resources: readonly CostResource[]): Map<string, { pipeline: string; level?: number }> {
    const own = new Map<string, { pipeline: string; level?: number }>();
    const byParent = new Map<string, { pipeline: string; level?: number }>();
    for (const r of resources) {
        const t = readTags(resourceTags(r));
        if (!t) continue;
        const v = { pipeline: t.pipelines.join("-"), level: t.level };
        own.set(r.urn, v);
        if (r.parent && !byParent.has(r.parent)) byParent.set(r.parent, v);
    }
    const out = new Map<string, { pipeline: string; level?: number }>();
    for (const r of resources) {
        const name = r.urn.split("::").pop() ?? "";
        const prefix = PIPELINE_NAMES.find((n) => name === n || name.startsWith(`${n}-`));
        const v =
            own.get(r.urn) ??
            (r.parent ? (own.get(r.parent) ?? byParent.get(r.parent)) : undefined) ??
            (prefix ? { pipeline: prefix, level: prefix === "foundation" ? 0 : undefined } : undefined);
        if (v) out.set(r.urn, v);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The estimate

/**
 * Monthly cost of a planned stack from list prices: per resource an idle part (no traffic, no
 * jobs) and a usage part driven by `ctx.usage`. Free kinds are left out; kinds (or machine types)
 * without a price are listed in `unpriced`, never counted as zero. Pure.
 */
export function estimateStack(resources: readonly CostResource[], ctx: EstimateContext): StackEstimate {
    const book = ctx.prices ?? PRICES;
    const usage = ctx.usage ?? NO_USAGE;
    const pipelines = pipelineOf(resources);
    const storageCount = resources.filter((r) => STORAGE_TYPES.has(r.type)).length;
    const logCount = resources.filter((r) => LOG_TYPES.has(r.type)).length;
    const byResource: ResourceCost[] = [];
    const unpriced: StackEstimate["unpriced"] = [];
    const stackNotes = new Set<string>(usage.assumptions);

    for (const r of resources) {
        const pricer = PRICERS[r.type];
        if (!pricer) {
            if (!isFreeType(r.type))
                unpriced.push({ urn: r.urn, type: r.type, reason: "no price for this resource kind" });
            continue;
        }
        const notes: string[] = [];
        const tag = pipelines.get(r.urn);
        const price = (key: string): number => {
            const found = findPrice(ctx.cloud, ctx.region, key, book);
            if (!found) throw new MissingPrice(`no price '${key}'`);
            if (found.fallbackNote) {
                notes.push(found.fallbackNote);
                stackNotes.add(`prices for ${ctx.region} not listed: ${book.baseRegion[ctx.cloud]} list prices used`);
            }
            return found.usd;
        };
        const env: Env = {
            cloud: ctx.cloud,
            region: ctx.region,
            usage,
            pipeline: tag?.pipeline,
            storageShare: STORAGE_TYPES.has(r.type) ? 1 / storageCount : 0,
            logShare: LOG_TYPES.has(r.type) ? 1 / logCount : 0,
            price,
            machineHour: (f) => machineHour(ctx.cloud, f, price),
            notes,
        };
        try {
            const priced = pricer(r.inputs, env, r.type);
            const note = [...new Set([...priced.notes, ...notes])].join("; ");
            byResource.push({
                urn: r.urn,
                type: r.type,
                monthlyUsd: priced.idle + priced.usage,
                idleMonthlyUsd: priced.idle,
                ...(note ? { note } : {}),
                ...(tag ? { pipeline: tag.pipeline, ...(tag.level !== undefined ? { level: tag.level } : {}) } : {}),
            });
        } catch (e) {
            if (!(e instanceof MissingPrice)) throw e;
            unpriced.push({ urn: r.urn, type: r.type, reason: e.message });
        }
    }
    const monthlyUsd = byResource.reduce((s, x) => s + x.monthlyUsd, 0);
    const idleMonthlyUsd = byResource.reduce((s, x) => s + x.idleMonthlyUsd, 0);
    if (unpriced.length > 0) stackNotes.add(`${unpriced.length} resource(s) unpriced: the total is a lower bound`);
    stackNotes.add("list prices before free grants and discounts");
    return { monthlyUsd, idleMonthlyUsd, byResource, unpriced, notes: [...stackNotes] };
}

/** Hourly price of one machine: catalogued figures first, then per-vCPU/GB rates where a cloud prices that way. */
export function machineHour(cloud: Cloud, f: MachineFact, price: (key: string) => number): number {
    const tryKey = (key: string): number | undefined => {
        try {
            return price(key);
        } catch (e) {
            if (e instanceof MissingPrice) return undefined;
            throw e;
        }
    };
    switch (cloud) {
        case "aws": {
            const v = tryKey(
                f.machineType.startsWith("ml.")
                    ? `sagemaker.instance.${f.machineType}`
                    : `ec2.instance.${f.machineType}`,
            );
            if (v !== undefined) return v;
            break;
        }
        case "azure": {
            if (f.family === "consumption") {
                return (
                    ((f.vcpus ?? 0) * price("containerapps.consumption.vcpu") +
                        (f.memoryGb ?? 0) * price("containerapps.consumption.memory")) *
                    3600
                );
            }
            if (f.family === "consumption-gpu") return price(`containerapps.gpu.${f.machineType}`);
            if (f.family.startsWith("dedicated-")) {
                const shape = azureDedicatedShape(f.machineType);
                const vcpus = shape.vcpus ?? f.vcpus;
                const mem = shape.memoryGb ?? f.memoryGb;
                if (vcpus !== undefined && mem !== undefined)
                    return (
                        vcpus * price("containerapps.dedicated.vcpu") + mem * price("containerapps.dedicated.memory")
                    );
                break;
            }
            const v = tryKey(`vm.${f.machineType}`);
            if (v !== undefined) return v;
            break;
        }
        case "gcp": {
            const v = tryKey(`gce.machine.${f.machineType}`);
            if (v !== undefined) return v;
            const m = gcpMachine(f.machineType);
            const series = m.family.split("-")[0] ?? "";
            const c = tryKey(`gce.${series}.vcpu`);
            const g = tryKey(`gce.${series}.memory`);
            if (c !== undefined && g !== undefined && m.vcpus !== undefined && m.memoryGb !== undefined)
                return m.vcpus * c + m.memoryGb * g;
            break;
        }
    }
    throw new MissingPrice(`no price for machine type ${f.machineType}`);
}

// ---------------------------------------------------------------------------------------------
// The plan's cost table

export interface CostRow {
    /** `foundation`, `data`, `training`, `inference`, a shared `data-inference`, or `untagged`. */
    readonly pipeline: string;
    /** Level of the rows' resources (0 for the foundation); undefined when untagged. */
    readonly level?: number;
    readonly idleMonthlyUsd: number;
    readonly usageMonthlyUsd: number;
    readonly monthlyUsd: number;
    readonly resources: number;
}

const ORDER = ["foundation", "data", "training", "inference"];

/** Per pipeline and level: idle, usage and total a month, in foundation, data, training, inference order. */
export function costByPipeline(estimate: Pick<StackEstimate, "byResource">): CostRow[] {
    const rows = new Map<string, { pipeline: string; level?: number; idle: number; total: number; n: number }>();
    for (const r of estimate.byResource) {
        const pipeline = r.pipeline ?? "untagged";
        const key = `${pipeline}\u0000${r.level ?? ""}`;
        const row = rows.get(key) ?? { pipeline, level: r.level, idle: 0, total: 0, n: 0 };
        row.idle += r.idleMonthlyUsd;
        row.total += r.monthlyUsd;
        row.n += 1;
        rows.set(key, row);
    }
    const rank = (p: string) => {
        const i = ORDER.indexOf(p.split("-")[0] ?? p);
        return i < 0 ? ORDER.length : i;
    };
    return [...rows.values()]
        .sort(
            (a, b) =>
                rank(a.pipeline) - rank(b.pipeline) ||
                a.pipeline.localeCompare(b.pipeline) ||
                (a.level ?? 0) - (b.level ?? 0),
        )
        .map((r) => ({
            pipeline: r.pipeline,
            ...(r.level !== undefined ? { level: r.level } : {}),
            idleMonthlyUsd: r.idle,
            usageMonthlyUsd: r.total - r.idle,
            monthlyUsd: r.total,
            resources: r.n,
        }));
}

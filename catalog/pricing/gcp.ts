import { gcpMachine, type MachineFact } from "../machines/shapes";
import { get, num, type Obj, str } from "../values";
import {
    DATAFLOW_STREAMING_DISK_GB,
    DEFAULT_CONCURRENCY,
    hoursOf,
    jobMachines,
    MissingPrice,
    NAT_GB_PER_RUN,
    NAT_MIN_VMS,
    type Priced,
    type PriceEnv,
    p,
    pool,
    REGISTRY_IMAGE_GB,
    requestsPerMonth,
    round,
    runsOf,
    SECONDS_PER_MONTH,
    SECONDS_PER_REQUEST,
    SPARK_WORKER,
    STREAM_CONSUMERS,
    streamGb,
    sum,
    tryPrice,
    type Usage,
    WORKFLOW_BASE_STEPS,
} from "./env";

// How GCP resource types are priced from list prices (cost/prices.json keys). Each pricer is named
// in the type's catalogue entry (catalog/gcp.ts).

/** Hourly price of a GCP machine: by name when listed, else per vCPU and GB of its series. */
export function gcpMachineHour(f: MachineFact, price: (key: string) => number): number {
    const v = tryPrice(price, `gce.machine.${f.machineType}`);
    if (v !== undefined) return v;
    const m = gcpMachine(f.machineType);
    const series = m.family.split("-")[0] ?? "";
    const c = tryPrice(price, `gce.${series}.vcpu`);
    const g = tryPrice(price, `gce.${series}.memory`);
    if (c !== undefined && g !== undefined && m.vcpus !== undefined && m.memoryGb !== undefined)
        return m.vcpus * c + m.memoryGb * g;
    throw new MissingPrice(`no price for machine type ${f.machineType}`);
}

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

export const storageBucket = (_i: Obj, e: PriceEnv): Priced =>
    p(0, e.storageShare * e.usage.storedGb * e.price("gcs.standard.regional"));

export const workflow = (_i: Obj, e: PriceEnv): Priced => {
    const machines = jobMachines(e.facts, e, "disk.pd-balanced");
    const j = e.pipeline ? e.usage.jobs[e.pipeline as keyof Usage["jobs"]] : undefined;
    const steps = j ? j.runsPerMonth * (WORKFLOW_BASE_STEPS + workflowPolls(j.hoursPerRun)) : 0;
    machines.usage += steps * e.price("workflows.internal-step");
    machines.notes.push("Batch VMs billed as Compute Engine");
    return machines;
};

export const schedulerJob = (_i: Obj, e: PriceEnv): Priced => p(e.price("scheduler.job"), 0, "per job a month");

export const computeInstance = (i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
    if (!f) throw new MissingPrice("no machineType");
    const diskType = str(get(i, "bootDisk", "initializeParams", "type")) ?? "pd-balanced";
    return p(
        e.machineHour(f) * e.hoursPerMonth + (f.diskGb ?? 10) * e.price(`disk.${diskType}`),
        0,
        `${f.machineType} always on`,
    );
};

export const cloudNat = (_i: Obj, e: PriceEnv): Priced => {
    const gb = runsOf(e) * NAT_GB_PER_RUN;
    return p(
        NAT_MIN_VMS * e.price("nat.vm") * e.hoursPerMonth,
        hoursOf(e) * e.price("nat.vm") + gb * e.price("nat.data"),
        `${NAT_MIN_VMS} VM always, job VMs while they run; ${round(gb)} GB a month processed (${NAT_GB_PER_RUN} GB of images a training run)`,
    );
};

export const artifactRegistry = (_i: Obj, e: PriceEnv): Priced =>
    p(REGISTRY_IMAGE_GB * e.price("artifactregistry.storage"), 0, `${REGISTRY_IMAGE_GB} GB of images`);

export const gkeCluster = (i: Obj, e: PriceEnv): Priced => {
    const plane = e.price("gke.cluster") * e.hoursPerMonth;
    const nodes = sum(e.facts.map((f) => pool(f, e, "disk.pd-balanced")));
    return p(
        plane + nodes.idle,
        nodes.usage,
        i["enableAutopilot"] === true ? "Autopilot cluster fee; pods billed per request" : "cluster management fee",
        ...nodes.notes,
    );
};

export const gkeNodePool = (_i: Obj, e: PriceEnv): Priced => sum(e.facts.map((f) => pool(f, e, "disk.pd-balanced")));

export const dataprocWorkflowTemplate = (i: Obj, e: PriceEnv): Priced => {
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
};

export const dataprocCluster = (_i: Obj, e: PriceEnv): Priced => {
    let idle = 0;
    for (const f of e.facts)
        idle += f.minNodes * (e.machineHour(f) + (f.vcpus ?? 0) * e.price("dataproc.vcpu")) * e.hoursPerMonth;
    return p(idle, 0, "every node billed while the cluster exists");
};

export const pubsubTopic = (_i: Obj, e: PriceEnv): Priced => {
    const tib = streamGb(e.usage) / 1024;
    return p(0, tib * (1 + STREAM_CONSUMERS) * e.price("pubsub.throughput"), "publish and delivery throughput");
};

/** Bytes one score row keeps in BigQuery: id, probability and 0/1 (8 bytes each) and a 12-character version (+2). */
export const SCORE_ROW_BYTES = 38;
/** Streaming inserts bill each row at this size at least. */
export const STREAMING_INSERT_MIN_ROW_KB = 1;

/**
 * A BigQuery table written by streaming inserts, one row per event: the inserts (each row billed
 * at 1 KB at least) and the rows it keeps (its partition expiry, in days, bounds them).
 */
export const bigqueryTable = (i: Obj, e: PriceEnv): Priced => {
    const rows = e.usage.eventsPerSecond * SECONDS_PER_MONTH;
    const insertedGb = (rows * Math.max(STREAMING_INSERT_MIN_ROW_KB, e.usage.eventKb)) / (1024 * 1024);
    const expiryMs = num(get(i, "timePartitioning", "expirationMs"));
    const keptMonths = expiryMs === undefined ? 1 : Math.min(1, expiryMs / 1000 / SECONDS_PER_MONTH);
    const storedGb = (rows * keptMonths * SCORE_ROW_BYTES) / 1024 ** 3;
    return p(
        0,
        insertedGb * e.price("bigquery.streaming-insert") + storedGb * e.price("bigquery.storage.active"),
        "streaming inserts and the rows kept",
    );
};

export const dataflowJob = (i: Obj, e: PriceEnv): Priced => dataflow(i, e);

export const dataflowFlexTemplateJob = (i: Obj, e: PriceEnv): Priced => dataflow(i, e);

export const cloudRunService = (i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
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
};

export const kmsCryptoKey = (_i: Obj, e: PriceEnv): Priced =>
    p(e.price("kms.key-version"), 0, "one active key version");

function dataflow(i: Obj, e: PriceEnv): Priced {
    const f = e.facts[0];
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
        f.minNodes * hourly * e.hoursPerMonth,
        0,
        `${f.minNodes} streaming worker${f.minNodes > 1 ? "s" : ""} of ${f.machineType}, always running`,
    );
}

import type { MachineFact } from "../machines/shapes";
import { arr, get, isObj, num, type Obj, str } from "../values";
import {
    hoursOf,
    jobMachines,
    MissingPrice,
    NAT_GB_PER_RUN,
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
    TRANSITIONS_PER_RUN,
    tryPrice,
} from "./env";

// How AWS resource types are priced from list prices (cost/prices.json keys). Each pricer is named
// in the type's catalogue entry (catalog/aws.ts).

/** Hourly price of an AWS machine: SageMaker `ml.` types and EC2 types are listed by name. */
export function awsMachineHour(f: MachineFact, price: (key: string) => number): number {
    const v = tryPrice(
        price,
        f.machineType.startsWith("ml.") ? `sagemaker.instance.${f.machineType}` : `ec2.instance.${f.machineType}`,
    );
    if (v !== undefined) return v;
    throw new MissingPrice(`no price for machine type ${f.machineType}`);
}

export const s3Bucket = (_i: Obj, e: PriceEnv): Priced =>
    p(0, e.storageShare * e.usage.storedGb * e.price("s3.standard"));

export const s3BucketV2 = (_i: Obj, e: PriceEnv): Priced =>
    p(0, e.storageShare * e.usage.storedGb * e.price("s3.standard"));

export const kmsKey = (_i: Obj, e: PriceEnv): Priced => p(e.price("kms.key"));

export const logGroup = (i: Obj, e: PriceEnv): Priced => {
    const gb = e.logShare * e.usage.logsGb;
    const months = Math.min(12, (num(i["retentionInDays"]) ?? 365) / 30);
    return p(0, gb * e.price("cloudwatch.logs.ingest") + gb * months * e.price("cloudwatch.logs.storage"));
};

export const vpcEndpoint = (i: Obj, e: PriceEnv): Priced => {
    if ((str(i["vpcEndpointType"]) ?? "Gateway") === "Gateway") return p(0, 0, "gateway endpoint: free");
    const azs = Math.max(1, arr(i["subnetIds"]).length);
    return p(
        azs * e.price("vpc.interface-endpoint") * e.hoursPerMonth,
        0,
        `interface endpoint in ${azs} AZ${azs > 1 ? "s" : ""}`,
    );
};

export const natGateway = (_i: Obj, e: PriceEnv): Priced => {
    const gb = runsOf(e) * NAT_GB_PER_RUN;
    return p(
        e.price("vpc.nat-gateway") * e.hoursPerMonth,
        gb * e.price("vpc.nat-gateway.data"),
        `${round(gb)} GB a month processed (${NAT_GB_PER_RUN} GB of images a training run)`,
    );
};

export const elasticIp = (_i: Obj, e: PriceEnv): Priced => p(e.price("vpc.public-ipv4") * e.hoursPerMonth);

export const ec2Instance = (_i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
    if (!f) throw new MissingPrice("no instanceType");
    return p(
        e.machineHour(f) * e.hoursPerMonth + (f.diskGb ?? 8) * e.price("ebs.gp3"),
        0,
        `${f.machineType} always on`,
    );
};

export const stateMachine = (_i: Obj, e: PriceEnv): Priced => {
    const jobs = jobMachines(e.facts, e, "sagemaker.storage");
    jobs.usage += runsOf(e) * TRANSITIONS_PER_RUN * e.price("stepfunctions.standard.transition");
    return jobs;
};

export const schedule = (_i: Obj, e: PriceEnv): Priced => p(0, runsOf(e) * e.price("scheduler.invocation"));

export const ecrRepository = (_i: Obj, e: PriceEnv): Priced =>
    p(REGISTRY_IMAGE_GB * e.price("ecr.storage"), 0, `${REGISTRY_IMAGE_GB} GB of images`);

export const eksCluster = (_i: Obj, e: PriceEnv): Priced =>
    p(e.price("eks.cluster") * e.hoursPerMonth, 0, "control plane");

export const eksNodeGroup = (_i: Obj, e: PriceEnv): Priced => sum(e.facts.map((f) => pool(f, e, "ebs.gp3")));

export const emrCluster = (_i: Obj, e: PriceEnv): Priced => {
    const facts = e.facts;
    let idle = 0;
    for (const f of facts) idle += f.minNodes * (e.machineHour(f) + emrFee(f, e)) * e.hoursPerMonth;
    return p(idle, 0, "a long-running cluster: every node is billed while it exists");
};

export const emrInstanceGroup = (_i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
    if (!f) throw new MissingPrice("no instanceType");
    return p(f.minNodes * (e.machineHour(f) + emrFee(f, e)) * e.hoursPerMonth);
};

export const emrServerless = (i: Obj, e: PriceEnv): Priced => {
    const worker =
        SPARK_WORKER.vcpus * e.price("emr-serverless.vcpu") + SPARK_WORKER.memoryGb * e.price("emr-serverless.memory");
    const initial = arr(i["initialCapacities"]).reduce<number>(
        (n, c) => n + (num(get(c, "initialCapacityConfig", "workerCount")) ?? 0),
        0,
    );
    const autoStop = get(i, "autoStopConfiguration", "enabled") !== false;
    const idle = initial > 0 && !autoStop ? initial * worker * e.hoursPerMonth : 0;
    return p(
        idle,
        hoursOf(e) * worker,
        `scale to zero; ${SPARK_WORKER.vcpus} vCPU / ${SPARK_WORKER.memoryGb} GB worker-hours per single-machine hour`,
    );
};

export const kinesisStream = (i: Obj, e: PriceEnv): Priced => {
    const mode = str(get(i, "streamModeDetails", "streamMode")) ?? (num(i["shardCount"]) ? "PROVISIONED" : "ON_DEMAND");
    const gb = streamGb(e.usage);
    if (mode === "ON_DEMAND")
        return p(
            e.price("kinesis.on-demand.stream") * e.hoursPerMonth,
            gb * e.price("kinesis.on-demand.ingest") + gb * STREAM_CONSUMERS * e.price("kinesis.on-demand.retrieve"),
            "on-demand stream",
        );
    const shards = num(i["shardCount"]) ?? 1;
    const units = (e.usage.eventsPerSecond * SECONDS_PER_MONTH * Math.ceil(e.usage.eventKb / 25)) / 1e6;
    return p(
        shards * e.price("kinesis.shard") * e.hoursPerMonth,
        units * e.price("kinesis.put-units"),
        `${shards} shard${shards > 1 ? "s" : ""}`,
    );
};

export const mskCluster = (i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
    if (!f) throw new MissingPrice("no broker instanceType");
    const vol = num(get(i, "brokerNodeGroupInfo", "storageInfo", "ebsStorageInfo", "volumeSize")) ?? 100;
    return p(
        f.minNodes * (e.price(`msk.broker.${f.machineType}`) * e.hoursPerMonth + vol * e.price("msk.storage")),
        0,
        `${f.minNodes} brokers`,
    );
};

export const mskServerless = (_i: Obj, e: PriceEnv): Priced => {
    const gb = streamGb(e.usage);
    return p(
        e.price("msk.serverless.cluster") * e.hoursPerMonth,
        gb * e.price("msk.serverless.ingest") + gb * STREAM_CONSUMERS * e.price("msk.serverless.egress"),
        "partitions not included",
    );
};

export const flinkApplication = (i: Obj, e: PriceEnv): Priced => {
    const par = get(i, "applicationConfiguration", "flinkApplicationConfiguration", "parallelismConfiguration");
    const parallelism = num(get(par, "parallelism")) ?? 1;
    const perKpu = num(get(par, "parallelismPerKpu")) ?? 1;
    const kpus = Math.ceil(parallelism / perKpu);
    return p(
        (kpus + 1) * e.price("flink.kpu") * e.hoursPerMonth + kpus * 50 * e.price("flink.storage"),
        0,
        `${kpus} KPU + 1 orchestration KPU, always running`,
    );
};

export const sagemakerEndpointConfiguration = (i: Obj, e: PriceEnv): Priced => {
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
    for (const f of e.facts) {
        idle += f.minNodes * e.machineHour(f) * e.hoursPerMonth;
        notes.push(`${f.minNodes} × ${f.machineType} always on`);
    }
    return p(idle, usage, ...notes);
};

function emrFee(f: MachineFact, e: PriceEnv): number {
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

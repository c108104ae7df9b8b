import { azureDedicatedShape, azureProfileByName, type MachineFact } from "../machines/shapes";
import { arr, get, num, type Obj, str } from "../values";
import {
    DEFAULT_CONCURRENCY,
    hoursOf,
    jobMachines,
    MissingPrice,
    type Priced,
    type PriceEnv,
    p,
    pool,
    requestsPerMonth,
    runsOf,
    SECONDS_PER_MONTH,
    SECONDS_PER_REQUEST,
    SPARK_STARTUP_HOURS,
    SPARK_WORKER,
    SYNAPSE_MIN_NODES,
    sum,
    tryPrice,
} from "./env";

// How Azure resource types are priced from list prices (cost/prices.json keys). Each pricer is named
// in the type's catalogue entry (catalog/azure.ts).

/**
 * Hourly price of an Azure machine: Container Apps Consumption and Dedicated profiles are priced per
 * vCPU and GiB, serverless GPUs per profile, VM sizes by name.
 */
export function azureMachineHour(f: MachineFact, price: (key: string) => number): number {
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
            return vcpus * price("containerapps.dedicated.vcpu") + mem * price("containerapps.dedicated.memory");
        throw new MissingPrice(`no price for machine type ${f.machineType}`);
    }
    const v = tryPrice(price, `vm.${f.machineType}`);
    if (v !== undefined) return v;
    throw new MissingPrice(`no price for machine type ${f.machineType}`);
}

export const storageAccount = (i: Obj, e: PriceEnv): Priced => {
    const sku = (str(get(i, "sku", "name")) ?? "Standard_LRS").toUpperCase();
    const key = sku.includes("ZRS") ? "blob.hot.zrs" : sku.includes("GRS") ? "blob.hot.grs" : "blob.hot.lrs";
    return p(0, e.storageShare * e.usage.storedGb * e.price(key));
};

export const logAnalytics = (_i: Obj, e: PriceEnv): Priced =>
    p(0, e.logShare * e.usage.logsGb * e.price("loganalytics.ingest"));

export const managedEnvironment = (i: Obj, e: PriceEnv): Priced => {
    const dedicated = arr(i["workloadProfiles"]).filter((w) => {
        const type = str(get(w, "workloadProfileType")) ?? "";
        return type !== "" && type !== "Consumption" && !type.startsWith("Consumption-");
    });
    if (dedicated.length === 0) return p(0, 0, "Consumption only: nothing while idle");
    let idle = e.price("containerapps.dedicated.management") * e.hoursPerMonth;
    for (const f of e.facts) idle += f.minNodes * e.machineHour(f) * e.hoursPerMonth;
    return p(idle, 0, "Dedicated plan management fee (any Dedicated workload profile)");
};

export const containerAppsJob = (_i: Obj, e: PriceEnv): Priced => jobMachines(e.facts, e);

export const containerApp = (i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
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
            arr(get(i, "template", "scale", "rules")).map((r) => get(r, "http", "metadata", "concurrentRequests"))[0],
        ) ?? DEFAULT_CONCURRENCY.containerApps;
    const active = cpu * e.price("containerapps.consumption.vcpu") + mem * e.price("containerapps.consumption.memory");
    const idleRate =
        cpu * e.price("containerapps.consumption.idle-vcpu") + mem * e.price("containerapps.consumption.memory");
    const activeSeconds = (reqs * SECONDS_PER_REQUEST) / conc;
    return p(
        f.minNodes * idleRate * SECONDS_PER_MONTH,
        activeSeconds * active + (reqs / 1e6) * e.price("containerapps.consumption.requests"),
        f.minNodes === 0 ? "scales to zero" : `${f.minNodes} replicas kept warm`,
    );
};

export const batchPool = (_i: Obj, e: PriceEnv): Priced => {
    const facts = e.facts;
    const idle = facts.reduce((s, f) => s + f.minNodes * e.machineHour(f) * e.hoursPerMonth, 0);
    if (idle > 0) return p(idle, 0, "fixed-size Batch pool: its nodes are billed all month");
    // Autoscaled from zero: the node exists only while a run goes on (Batch itself is free).
    return jobMachines(facts, e);
};

export const virtualMachine = (i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
    if (!f) throw new MissingPrice("no vmSize");
    const diskType = (
        str(get(i, "storageProfile", "osDisk", "managedDisk", "storageAccountType")) ?? "StandardSSD_LRS"
    ).toLowerCase();
    const diskKey = diskType.startsWith("premium")
        ? "disk.premium"
        : diskType.startsWith("standard_")
          ? "disk.standardhdd"
          : "disk.standardssd";
    return p(e.machineHour(f) * e.hoursPerMonth + (f.diskGb ?? 30) * e.price(diskKey), 0, `${f.machineType} always on`);
};

export const natGateway = (_i: Obj, e: PriceEnv): Priced =>
    p(e.price("nat-gateway") * e.hoursPerMonth, 0, "data processed not included");

export const publicIp = (_i: Obj, e: PriceEnv): Priced => p(e.price("public-ip.standard") * e.hoursPerMonth);

export const privateEndpoint = (_i: Obj, e: PriceEnv): Priced => p(e.price("private-endpoint") * e.hoursPerMonth);

export const privateDnsZone = (_i: Obj, e: PriceEnv): Priced => p(e.price("private-dns-zone"));

/** A daily purge of untagged images: about a minute of task time a day. */
export const registryTask = (_i: Obj, e: PriceEnv): Priced =>
    p(0, 30 * 60 * e.price("acr.task.second"), "daily cleanup task, ~1 min a run");

export const containerRegistry = (i: Obj, e: PriceEnv): Priced => {
    const sku = (str(get(i, "sku", "name")) ?? "Basic").toLowerCase();
    return p(e.price(`acr.${sku}`) * (e.hoursPerMonth / 24), 0, `${sku} registry`);
};

export const managedCluster = (i: Obj, e: PriceEnv): Priced => {
    const tier = (str(get(i, "sku", "tier")) ?? "Free").toLowerCase();
    const plane = tier === "free" ? 0 : e.price(`aks.${tier}`) * e.hoursPerMonth;
    const nodes = sum(e.facts.map((f) => pool(f, e)));
    return p(plane + nodes.idle, nodes.usage, `${tier} tier control plane`, ...nodes.notes);
};

export const agentPool = (_i: Obj, e: PriceEnv): Priced => sum(e.facts.map((f) => pool(f, e)));

export const eventHubsNamespace = (i: Obj, e: PriceEnv): Priced => {
    const sku = (str(get(i, "sku", "name")) ?? "Standard").toLowerCase();
    const cap = num(get(i, "sku", "capacity")) ?? 1;
    const idle =
        sku === "premium"
            ? cap * e.price("eventhubs.premium.pu") * e.hoursPerMonth
            : cap * e.price(`eventhubs.${sku}.tu`) * e.hoursPerMonth;
    const events = e.usage.eventsPerSecond * SECONDS_PER_MONTH;
    return p(
        idle,
        sku === "premium" ? 0 : (events / 1e6) * e.price("eventhubs.ingress"),
        `${cap} ${sku === "premium" ? "PU" : "TU"}`,
    );
};

export const streamAnalyticsJob = (i: Obj, e: PriceEnv): Priced => {
    const su = num(get(i, "transformation", "streamingUnits")) ?? num(get(i, "sku", "capacity")) ?? 3;
    return p(su * e.price("streamanalytics.su") * e.hoursPerMonth, 0, `${su} SU, always running`);
};

export const synapseSparkPool = (i: Obj, e: PriceEnv): Priced => {
    const f = e.facts[0];
    const vcores = f?.vcpus ?? 4;
    const autoPause = get(i, "autoPause", "enabled") !== false;
    const vcore = e.price("synapse.spark.vcore");
    // The same work model as EMR Serverless and Dataproc: a single-machine hour of work is one
    // 4-vCPU worker-hour; each run also starts the pool's minimum nodes for a quarter hour.
    const work = hoursOf(e) * SPARK_WORKER.vcpus * vcore;
    const startup = runsOf(e) * SPARK_STARTUP_HOURS * SYNAPSE_MIN_NODES * vcores * vcore;
    return p(
        autoPause ? 0 : SYNAPSE_MIN_NODES * vcores * vcore * e.hoursPerMonth,
        work + startup,
        autoPause ? `auto-pause: nodes billed only while a run goes on` : "no auto-pause: always on",
    );
};

export const keyVaultKey = (i: Obj, e: PriceEnv): Priced => {
    const kty = str(get(i, "properties", "kty")) ?? "";
    return kty.endsWith("HSM") ? p(e.price("keyvault.hsm-key")) : p(0, 0, "software key: operations only");
};

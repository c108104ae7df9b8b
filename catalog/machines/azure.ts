import { arr, get, num, type Obj, str } from "../values";
import {
    azureDedicatedShape,
    azureProfileByName,
    azureVmMachine,
    cpuCount,
    type MachineFact,
    memoryGiB,
    nodes,
} from "./shapes";

// The machines of Azure resource types, from their planned inputs. Pure.

function appFact(inputs: Obj, kind: MachineFact["kind"], min: number, max: number): MachineFact[] {
    const containers = arr(get(inputs, "template", "containers"));
    const cpu = containers.reduce<number>((n, c) => n + (cpuCount(get(c, "resources", "cpu")) ?? 0), 0);
    const mem = containers.reduce<number>((n, c) => n + (memoryGiB(get(c, "resources", "memory")) ?? 0), 0);
    const profile = azureProfileByName(str(inputs["workloadProfileName"]) ?? "Consumption");
    if (profile.profileType === "Consumption")
        return [
            {
                machineType: `Consumption-${mem}Gi`,
                family: "consumption",
                gpus: 0,
                minNodes: min,
                maxNodes: max,
                vcpus: cpu,
                memoryGb: mem,
                kind,
            },
        ];
    return [
        {
            machineType: profile.profileType,
            family: profile.family,
            gpus: profile.gpus,
            minNodes: min,
            maxNodes: max,
            vcpus: profile.vcpus ?? cpu,
            memoryGb: profile.memoryGb ?? mem,
            kind,
        },
    ];
}

function aksPool(p: unknown): MachineFact | undefined {
    const size = str(get(p, "vmSize"));
    if (!size) return undefined;
    const auto = get(p, "enableAutoScaling") === true;
    const count = num(get(p, "count")) ?? 1;
    const min = auto ? (num(get(p, "minCount")) ?? 0) : count;
    const max = auto ? (num(get(p, "maxCount")) ?? count) : count;
    return nodes(size, azureVmMachine(size), min, max);
}

/** A Container Apps job: its containers' size on its workload profile, while a run goes on. */
export const containerAppsJob = (i: Obj): MachineFact[] =>
    appFact(
        i,
        "job",
        0,
        num(get(i, "configuration", "scheduleTriggerConfig", "parallelism")) ??
            num(get(i, "configuration", "manualTriggerConfig", "parallelism")) ??
            1,
    );

/** A container app: its replicas between the scale minimum and maximum. */
export const containerApp = (i: Obj): MachineFact[] => {
    const min = num(get(i, "template", "scale", "minReplicas")) ?? 0;
    const max = num(get(i, "template", "scale", "maxReplicas")) ?? 10;
    return appFact(i, "replicas", min, max);
};

/** The Dedicated workload profiles of a Container Apps environment. */
export const managedEnvironment = (i: Obj): MachineFact[] =>
    arr(i["workloadProfiles"]).flatMap((p) => {
        const type = str(get(p, "workloadProfileType"));
        if (!type || type === "Consumption" || type.startsWith("Consumption-")) return [];
        const shape = { ...azureDedicatedShape(type), gpus: /^NC/i.test(type) ? 1 : 0 };
        return [nodes(type, shape, num(get(p, "minimumCount")) ?? 0, num(get(p, "maximumCount")) ?? 0)];
    });

/** A Batch pool's nodes. */
export const batchPool = (i: Obj): MachineFact[] => {
    const size = str(i["vmSize"]);
    if (!size) return [];
    // Autoscale: the launcher's one task at a time (the formula caps the pool at one node), none
    // while idle. Fixed scale: its target, all month.
    const auto = get(i, "scaleSettings", "autoScale") !== undefined;
    const fixed = num(get(i, "scaleSettings", "fixedScale", "targetDedicatedNodes")) ?? 0;
    return [nodes(size, azureVmMachine(size), auto ? 0 : fixed, auto ? 1 : fixed)];
};

/** A VM, always on, with its OS disk. */
export const virtualMachine = (i: Obj): MachineFact[] => {
    const size = str(get(i, "hardwareProfile", "vmSize"));
    if (!size) return [];
    return [nodes(size, azureVmMachine(size), 1, 1, num(get(i, "storageProfile", "osDisk", "diskSizeGB")))];
};

/** The agent pools declared with an AKS cluster. */
export const managedCluster = (i: Obj): MachineFact[] => arr(i["agentPoolProfiles"]).flatMap((p) => aksPool(p) ?? []);

/** One AKS agent pool. */
export const agentPool = (i: Obj): MachineFact[] => {
    const f = aksPool(i);
    return f ? [f] : [];
};

/** A Synapse Spark pool: nodes only while a run goes on (auto-pause). */
export const synapseSparkPool = (i: Obj): MachineFact[] => {
    const size = str(i["nodeSize"]) ?? "Small";
    const vcores: Record<string, number> = {
        Small: 4,
        Medium: 8,
        Large: 16,
        XLarge: 32,
        XXLarge: 64,
        XXXLarge: 80,
    };
    const auto = get(i, "autoScale");
    const enabled = get(auto, "enabled") === true;
    const fixed = num(i["nodeCount"]) ?? 3;
    const max = enabled ? (num(get(auto, "maxNodeCount")) ?? fixed) : fixed;
    const v = vcores[size];
    const family = str(i["nodeSizeFamily"]) ?? "MemoryOptimized";
    const shape = {
        family: `synapse-${family.toLowerCase()}`,
        gpus: 0,
        vcpus: v,
        memoryGb: v === undefined ? undefined : v * 8,
    };
    return [nodes(`Spark-${family}-${size}`, shape, 0, max)];
};

import { arr, get, isObj, num, type Obj, str, walk } from "../values";
import { cpuCount, gcpMachine, type MachineFact, memoryGiB, nodes, parseDocumentString } from "./shapes";

/** GPUs a list of accelerator blocks attaches: the sum of their `key` counts (`count`, or Dataproc's `acceleratorCount`). */
function acceleratorCount(list: unknown, key = "count"): number {
    return arr(list).reduce<number>((n, a) => n + (num(get(a, key)) ?? 0), 0);
}

// The machines of GCP resource types, from their planned inputs. Pure.

/** Batch jobs inside a Workflows source (JSON or YAML): allocationPolicy.instances[].policy.machineType. */
export function workflowsJobs(inputs: Obj): MachineFact[] {
    const src = parseDocumentString(inputs["sourceContents"]);
    const out: MachineFact[] = [];
    for (const o of walk(src)) {
        const alloc = o["allocationPolicy"];
        if (!isObj(alloc)) continue;
        const groups = arr(o["taskGroups"]);
        const parallel =
            groups.reduce<number>((n, g) => n + (num(get(g, "parallelism")) ?? num(get(g, "taskCount")) ?? 1), 0) || 1;
        for (const inst of arr(alloc["instances"])) {
            const policy = get(inst, "policy");
            const type = str(get(policy, "machineType"));
            if (!type) continue;
            const m = gcpMachine(type);
            const accel = acceleratorCount(get(policy, "accelerators"));
            out.push({
                machineType: m.name,
                family: m.family,
                // An accelerator-optimized type (G2) names its built-in GPUs in accelerators again (Batch
                // installs drivers only for GPUs named there); an N1 gets them attached on top.
                gpus: m.gpus > 0 ? m.gpus : accel,
                minNodes: 0,
                maxNodes: parallel,
                vcpus: m.vcpus,
                memoryGb: m.memoryGb,
                kind: "job",
                ...(num(get(policy, "bootDisk", "sizeGb")) !== undefined
                    ? { diskGb: num(get(policy, "bootDisk", "sizeGb")) }
                    : {}),
            });
        }
    }
    return out;
}

export function gkeNodePool(inputs: Obj): MachineFact[] {
    const type = str(get(inputs, "nodeConfig", "machineType")) ?? "e2-medium";
    const m = gcpMachine(type);
    const zones = Math.max(1, arr(inputs["nodeLocations"]).length);
    const auto = get(inputs, "autoscaling");
    const fixed = num(inputs["nodeCount"]) ?? num(inputs["initialNodeCount"]) ?? 1;
    const min = isObj(auto)
        ? (num(auto["totalMinNodeCount"]) ?? (num(auto["minNodeCount"]) ?? 0) * zones)
        : fixed * zones;
    const max = isObj(auto)
        ? (num(auto["totalMaxNodeCount"]) ?? (num(auto["maxNodeCount"]) ?? min) * zones)
        : fixed * zones;
    const accel = acceleratorCount(get(inputs, "nodeConfig", "guestAccelerators"));
    return [nodes(m.name, { ...m, gpus: m.gpus + accel }, min, max, num(get(inputs, "nodeConfig", "diskSizeGb")))];
}

export function dataprocCluster(inputs: Obj): MachineFact[] {
    const cfg = get(inputs, "clusterConfig");
    const out: MachineFact[] = [];
    for (const key of ["masterConfig", "workerConfig", "preemptibleWorkerConfig"]) {
        const g = get(cfg, key);
        const type = str(get(g, "machineType"));
        const n = num(get(g, "numInstances")) ?? (key === "masterConfig" ? 1 : key === "workerConfig" ? 2 : 0);
        if (!type || n === 0) continue;
        const m = gcpMachine(type);
        const accel = acceleratorCount(get(g, "accelerators"), "acceleratorCount");
        out.push(nodes(m.name, { ...m, gpus: m.gpus > 0 ? m.gpus : accel }, n, n));
    }
    return out;
}

function dataflowWorkers(i: Obj): MachineFact[] {
    const m = gcpMachine(str(i["machineType"]) ?? "n1-standard-2");
    const max = num(i["maxWorkers"]) ?? num(i["numWorkers"]) ?? 1;
    const min = num(i["numWorkers"]) ?? 1;
    return [nodes(m.name, m, min, max)];
}

/** A Compute Engine VM, always on, with its boot disk. */
export const computeInstance = (i: Obj): MachineFact[] => {
    const type = str(i["machineType"]);
    if (!type) return [];
    const m = gcpMachine(type);
    const accel = acceleratorCount(i["guestAccelerators"]);
    return [nodes(m.name, { ...m, gpus: m.gpus + accel }, 1, 1, num(get(i, "bootDisk", "initializeParams", "size")))];
};

/** The default node pool of a GKE cluster, unless it is removed or the cluster is Autopilot. */
export const gkeCluster = (i: Obj): MachineFact[] => {
    if (i["enableAutopilot"] === true || i["removeDefaultNodePool"] === true) return [];
    return gkeNodePool({
        nodeConfig: i["nodeConfig"],
        initialNodeCount: i["initialNodeCount"] ?? 1,
        nodeLocations: i["nodeLocations"],
    });
};

/** A classic Dataflow job's workers. */
export const dataflowJob = (i: Obj): MachineFact[] => dataflowWorkers(i);

/** A Flex Template job's workers (`workerMachineType` names the machine). */
export const dataflowFlexTemplateJob = (i: Obj): MachineFact[] =>
    dataflowWorkers({ ...i, machineType: i["machineType"] ?? i["workerMachineType"] });

/** A Cloud Run service: its instances between the scaling minimum and maximum. */
export const cloudRunService = (i: Obj): MachineFact[] => {
    const containers = arr(get(i, "template", "containers"));
    const cpu = containers.reduce<number>((n, c) => n + (cpuCount(get(c, "resources", "limits", "cpu")) ?? 1), 0);
    const mem = containers.reduce<number>((n, c) => n + (memoryGiB(get(c, "resources", "limits", "memory")) ?? 0.5), 0);
    const min =
        num(get(i, "template", "scaling", "minInstanceCount")) ?? num(get(i, "scaling", "minInstanceCount")) ?? 0;
    const max = num(get(i, "template", "scaling", "maxInstanceCount")) ?? 100;
    const gpu = str(get(i, "template", "nodeSelector", "accelerator"));
    return [
        {
            machineType: `cloud-run-${cpu}vcpu-${mem}gib${gpu ? `-${gpu}` : ""}`,
            family: "cloud-run",
            gpus: gpu ? 1 : 0,
            minNodes: min,
            maxNodes: max,
            vcpus: cpu,
            memoryGb: mem,
            kind: "replicas",
        },
    ];
};

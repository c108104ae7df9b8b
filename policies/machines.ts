import { arr, get, num } from "./props";

/**
 * Machine facts the GPU and caps rules need, read from resource properties: the machine types a
 * resource asks for, how many machines at most, and whether it asks for GPUs. Written here because
 * the project's cost model (cost/) did not exist when the pack was; it reads properties only, so
 * it works on engine inputs and on the offline plan alike.
 */
export interface MachineFacts {
    /** Machine type names as the cloud spells them (`ml.g5.xlarge`, `Standard_NC6s_v3`, `n2-standard-8`, `Consumption-GPU-NC8as-T4`). */
    machineTypes: string[];
    /** The most machines the resource may run at once, when the resource says. */
    maxNodes?: number;
    /** GPUs asked for explicitly (accelerator counts); GPU machine types count as at least one. */
    gpus: number;
}

/** Property names that hold a machine type, on any of the clouds. */
const MACHINE_KEYS = new Set([
    "instanceType",
    "instanceTypes",
    "InstanceType",
    "vmSize",
    "machineType",
    "MachineType",
    "machine_type",
    "workloadProfileType",
    "nodeVmSize",
    "nodeSize",
    "brokerInstanceType",
]);

/** Property names that count accelerators. */
const ACCELERATOR_KEYS = new Set([
    "guestAccelerators",
    "guestAccelerator",
    "accelerators",
    "acceleratorConfig",
    "acceleratorConfigs",
]);

/** GPU machine types: SageMaker ml.g* and ml.p*, EC2 g4dn/g5/g6/p3/p4/p5 and relatives, Azure N-series, GCP g2/a2/a3. */
export function isGpuMachine(t: string): boolean {
    const s = t.trim();
    return (
        /^ml\.(g|p)\d/i.test(s) ||
        /^(g4dn|g4ad|g5|g5g|g6|g6e|gr6|p2|p3|p3dn|p4d|p4de|p5|p5e|p5en)\./i.test(s) ||
        /^(Standard_)?N(C|D|V|G)[a-z0-9_]*$/i.test(s) ||
        /^Consumption-GPU-/i.test(s) ||
        /^(NC|ND|NV)[A-Za-z0-9-]*$/.test(s) ||
        /^(g2|a2|a3|a4)-/i.test(s)
    );
}

/** The family of a machine type: `ml.m5`, `m5`, `Standard_D`, `n2`, `Consumption`. */
export function machineFamily(t: string): string {
    if (t.startsWith("ml.")) return t.split(".").slice(0, 2).join(".");
    if (/^Standard_/i.test(t)) return `Standard_${t.slice(9).replace(/[^A-Za-z].*$/, "")}`;
    if (/^Consumption/i.test(t)) return t.startsWith("Consumption-GPU") ? "Consumption-GPU" : "Consumption";
    if (t.includes(".")) return t.split(".")[0]!;
    if (t.includes("-")) return t.split("-")[0]!;
    return t;
}

/** Pulls `"InstanceType": "ml.m5.xlarge"`-like pairs out of JSON or YAML text (Step Functions and Workflows definitions). */
function fromText(text: string, out: string[]): void {
    const re =
        /["']?(InstanceType|instanceType|machineType|MachineType|machine_type|vmSize)["']?\s*:\s*["']?([A-Za-z0-9_.-]+)["']?/g;
    for (const m of text.matchAll(re)) out.push(m[2]!);
}

function walk(v: unknown, types: string[], gpus: { n: number }, depth: number): void {
    if (depth > 12 || v === null || v === undefined) return;
    if (typeof v === "string") {
        if (v.length > 20 && /InstanceType|machineType|MachineType|vmSize/.test(v)) fromText(v, types);
        return;
    }
    if (Array.isArray(v)) {
        for (const x of v) walk(x, types, gpus, depth + 1);
        return;
    }
    if (typeof v !== "object") return;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (MACHINE_KEYS.has(k)) for (const t of arr(x)) if (typeof t === "string" && t !== "") types.push(t);
        if (ACCELERATOR_KEYS.has(k))
            for (const a of arr(x)) {
                const c = num(get(a, "count")) ?? num(get(a, "acceleratorCount"));
                if (c !== undefined) gpus.n += c;
            }
        walk(x, types, gpus, depth + 1);
    }
}

const sum = (xs: (number | undefined)[]): number | undefined => {
    const got = xs.filter((x): x is number => x !== undefined);
    return got.length === 0 ? undefined : got.reduce((a, b) => a + b, 0);
};

/** The most machines a resource runs at once, for the resource types that say. */
export function maxNodes(type: string, p: Record<string, unknown>): number | undefined {
    switch (type) {
        case "aws:ec2/instance:Instance":
        case "gcp:compute/instance:Instance":
        case "azure-native:compute:VirtualMachine":
            return 1;
        case "aws:eks/nodeGroup:NodeGroup":
            return num(get(p, "scalingConfig.maxSize")) ?? num(get(p, "scalingConfig.desiredSize"));
        case "aws:autoscaling/group:Group":
            return num(p["maxSize"]);
        case "aws:emr/cluster:Cluster":
            return sum([1, num(get(p, "coreInstanceGroup.instanceCount")) ?? 1]);
        case "aws:msk/cluster:Cluster":
            return num(p["numberOfBrokerNodes"]);
        case "aws:sagemaker/endpointConfiguration:EndpointConfiguration":
            return sum(arr(p["productionVariants"]).map((v) => num(get(v, "initialInstanceCount"))));
        case "azure-native:containerservice:ManagedCluster":
            return sum(arr(p["agentPoolProfiles"]).map((a) => num(get(a, "maxCount")) ?? num(get(a, "count"))));
        case "azure-native:containerservice:AgentPool":
            return num(p["maxCount"]) ?? num(p["count"]);
        case "azure-native:synapse:BigDataPool":
            return num(get(p, "autoScale.maxNodeCount")) ?? num(p["nodeCount"]);
        case "azure-native:hdinsight:Cluster":
            return sum(arr(get(p, "properties.computeProfile.roles")).map((r) => num(get(r, "targetInstanceCount"))));
        case "gcp:container/cluster:Cluster":
            return num(p["initialNodeCount"]);
        case "gcp:container/nodePool:NodePool":
            return (
                num(get(p, "autoscaling.maxNodeCount")) ??
                num(get(p, "autoscaling.totalMaxNodeCount")) ??
                num(p["nodeCount"]) ??
                num(p["initialNodeCount"])
            );
        case "gcp:dataproc/cluster:Cluster":
            return sum([
                num(get(p, "clusterConfig.masterConfig.numInstances")) ?? 1,
                num(get(p, "clusterConfig.workerConfig.numInstances")) ?? 2,
                num(get(p, "clusterConfig.preemptibleWorkerConfig.numInstances")),
            ]);
        default:
            return undefined;
    }
}

export function machineFacts(type: string, props: Record<string, unknown>): MachineFacts {
    const types: string[] = [];
    const gpus = { n: 0 };
    walk(props, types, gpus, 0);
    const machineTypes = [...new Set(types)];
    const gpuTypes = machineTypes.filter(isGpuMachine).length;
    return { machineTypes, maxNodes: maxNodes(type, props), gpus: Math.max(gpus.n, gpuTypes) };
}

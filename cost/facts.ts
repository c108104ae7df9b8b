import { parse as parseYaml } from "yaml";
import { EC2_MACHINES, SAGEMAKER_MACHINES } from "../components/machines/aws";
import { AZURE_JOB_PROFILES, AZURE_VM_SIZES } from "../components/machines/azure";
import { GCP_MACHINES } from "../components/machines/gcp";
import type { MachineType } from "../components/machines/index";

/**
 * The machines a resource runs, as the cost model and the policy pack's caps rule see them. Pure:
 * it reads planned inputs only, including machine types buried in JSON strings (a Step Functions
 * definition holding a SageMaker job, a Workflows source holding a Batch job).
 */
export interface MachineFact {
    /** The cloud's own name: ml.r5.4xlarge, m7i.large, E8, Consumption-8Gi, n2-highmem-32, Standard_D4s_v5. */
    readonly machineType: string;
    /** Family for allowed-family caps: r5, m7i, dedicated-e, consumption, e2-highmem, Dsv5. */
    readonly family: string;
    /** GPUs per machine. */
    readonly gpus: number;
    /** Machines that exist with no traffic and no job running (0 for jobs and scale-to-zero pools). */
    readonly minNodes: number;
    /** Most machines the resource may run at once. */
    readonly maxNodes: number;
    /** vCPUs and memory per machine when known (from the catalogues or the inputs). */
    readonly vcpus?: number;
    readonly memoryGb?: number;
    /**
     * `job`: machines exist only while a run goes on; `nodes`: a pool or instance that exists while
     * it is scaled up; `replicas`: container replicas of a serverless app.
     */
    readonly kind: "job" | "nodes" | "replicas";
    /** Volume attached per machine, GB (job scratch volume or boot disk), when the inputs say. */
    readonly diskGb?: number;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const num = (v: unknown): number | undefined => {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
};
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const get = (o: unknown, ...path: string[]): unknown => {
    let cur = o;
    for (const k of path) {
        if (!isObj(cur)) return undefined;
        cur = cur[k];
    }
    return cur;
};

/** Parses a JSON (or YAML) document held in a string input; undefined when it is not one. */
export function parseDocumentString(v: unknown): unknown {
    if (isObj(v) || Array.isArray(v)) return v;
    if (typeof v !== "string" || v.trim() === "" || v === "[secret]") return undefined;
    try {
        return JSON.parse(v);
    } catch {
        try {
            return parseYaml(v);
        } catch {
            return undefined;
        }
    }
}

/** Every object inside `v`, depth first (the value itself included). */
function* walk(v: unknown): Generator<Obj> {
    if (Array.isArray(v)) for (const x of v) yield* walk(x);
    else if (isObj(v)) {
        yield v;
        for (const x of Object.values(v)) yield* walk(x);
    }
}

// ---------------------------------------------------------------------------------------------
// Machine catalogues: family, GPUs and size by name

const CATALOGUE = new Map<string, MachineType>(
    [...SAGEMAKER_MACHINES, ...EC2_MACHINES, ...AZURE_VM_SIZES, ...GCP_MACHINES].map((m) => [m.name, m]),
);

/** GPUs per machine of AWS GPU families not in the catalogues, by size (EC2 instance type tables). */
const AWS_GPU_COUNT: Readonly<Record<string, Readonly<Record<string, number>>>> = {
    g4dn: { xlarge: 1, "2xlarge": 1, "4xlarge": 1, "8xlarge": 1, "16xlarge": 1, "12xlarge": 4, metal: 8 },
    g5: {
        xlarge: 1,
        "2xlarge": 1,
        "4xlarge": 1,
        "8xlarge": 1,
        "16xlarge": 1,
        "12xlarge": 4,
        "24xlarge": 4,
        "48xlarge": 8,
    },
    g6: {
        xlarge: 1,
        "2xlarge": 1,
        "4xlarge": 1,
        "8xlarge": 1,
        "16xlarge": 1,
        "12xlarge": 4,
        "24xlarge": 4,
        "48xlarge": 8,
    },
    p3: { "2xlarge": 1, "8xlarge": 4, "16xlarge": 8 },
    p4d: { "24xlarge": 8 },
    p5: { "48xlarge": 8 },
};

/** Family and GPUs of an AWS instance type (EC2 `m7i.large`, SageMaker `ml.g5.xlarge`, MSK `kafka.m5.large`). */
export function awsMachine(name: string): { family: string; gpus: number; vcpus?: number; memoryGb?: number } {
    const known = CATALOGUE.get(name);
    if (known) return { family: known.family, gpus: known.gpus, vcpus: known.vcpus, memoryGb: known.memoryGb };
    const bare = name.replace(/^(ml|kafka|db|cache)\./, "");
    const [family = bare, size = ""] = bare.split(".");
    const gpuTable = AWS_GPU_COUNT[family];
    const gpus = gpuTable ? (gpuTable[size] ?? 1) : /^(p\d|g\d|inf\d|trn\d)/.test(family) ? 1 : 0;
    return { family, gpus };
}

/** Family and GPUs of an Azure VM size: Standard_D4s_v5 → Dsv5, Standard_NC8as_T4_v3 → NCasT4v3. */
export function azureVmMachine(name: string): { family: string; gpus: number; vcpus?: number; memoryGb?: number } {
    const known = CATALOGUE.get(name);
    if (known) return { family: known.family, gpus: known.gpus, vcpus: known.vcpus, memoryGb: known.memoryGb };
    const m = /^Standard_([A-Z]+)(\d+)([a-z]*)(?:_([A-Z0-9]+))?(?:_(v\d+))?$/i.exec(name);
    if (!m) return { family: name, gpus: 0 };
    const [, series = "", vcpus, feats = "", accel = "", version = ""] = m;
    const family = `${series}${feats}${accel}${version}`;
    // N-series sizes carry GPUs; the count per size is not in the name, so one is the floor.
    const gpus = /^N[CDV]/i.test(series) ? 1 : 0;
    return { family, gpus, vcpus: Number(vcpus) };
}

/** Family, GPUs and size of a GCP machine type (`e2-highmem-8`, or a `zones/…/machineTypes/…` URL). */
export function gcpMachine(name: string): {
    name: string;
    family: string;
    gpus: number;
    vcpus?: number;
    memoryGb?: number;
} {
    const bare = name.split("/").pop() ?? name;
    const known = CATALOGUE.get(bare);
    if (known)
        return { name: bare, family: known.family, gpus: known.gpus, vcpus: known.vcpus, memoryGb: known.memoryGb };
    const m = /^([a-z0-9]+)-([a-z]+)-(\d+)$/.exec(bare);
    if (!m) return { name: bare, family: bare.replace(/-\d+$/, ""), gpus: 0 };
    const [, series = "", kind = "", v = "0"] = m;
    const vcpus = Number(v);
    const perVcpu: Record<string, number> = {
        standard: series === "n1" ? 3.75 : 4,
        highmem: series === "n1" ? 6.5 : 8,
        highcpu: series === "n1" ? 0.9 : 1,
    };
    const ratio = perVcpu[kind];
    const gpus = series === "a2" || series === "a3" || series === "g2" ? 1 : 0;
    return {
        name: bare,
        family: `${series}-${kind}`,
        gpus,
        vcpus,
        memoryGb: ratio === undefined ? undefined : vcpus * ratio,
    };
}

/** A Container Apps workload profile by the name the foundation gives it (`Consumption`, `dedicated-e8`, `gpu-t4`). */
export function azureProfileByName(profileName: string): {
    profileType: string;
    family: string;
    gpus: number;
    dedicated: boolean;
    vcpus?: number;
    memoryGb?: number;
} {
    const n = profileName.toLowerCase();
    if (n === "consumption") return { profileType: "Consumption", family: "consumption", gpus: 0, dedicated: false };
    const byType = (t: string) => AZURE_JOB_PROFILES.find((p) => p.profileType.toLowerCase() === t.toLowerCase());
    const gpu = /^gpu-(.+)$/.exec(n);
    if (gpu) {
        const p = AZURE_JOB_PROFILES.find((x) => x.gpus > 0 && x.profileType.toLowerCase().endsWith(gpu[1]!));
        if (p)
            return {
                profileType: p.profileType,
                family: p.family,
                gpus: p.gpus,
                dedicated: false,
                vcpus: p.vcpus,
                memoryGb: p.profileMemoryGb,
            };
    }
    const ded = /^dedicated-(.+)$/.exec(n)?.[1] ?? n;
    const p = byType(ded);
    if (p)
        return {
            profileType: p.profileType,
            family: p.family,
            gpus: p.gpus,
            dedicated: p.dedicated,
            vcpus: p.vcpus,
            memoryGb: p.profileMemoryGb,
        };
    return { ...azureDedicatedShape(ded.toUpperCase()), profileType: ded.toUpperCase(), dedicated: true, gpus: 0 };
}

/** Node size of a Dedicated workload profile type: D4/D8… (4 GiB per vCPU), E4/E8… (8 GiB per vCPU). */
export function azureDedicatedShape(profileType: string): { family: string; vcpus?: number; memoryGb?: number } {
    const m = /^([DE])(\d+)$/i.exec(profileType);
    if (!m) return { family: profileType.toLowerCase() };
    const vcpus = Number(m[2]);
    const series = m[1]!.toUpperCase();
    return { family: `dedicated-${series.toLowerCase()}`, vcpus, memoryGb: vcpus * (series === "D" ? 4 : 8) };
}

/** "7Gi", "4.5Gi", "512Mi", "2G" or a number of GiB → GiB. */
export function memoryGiB(v: unknown): number | undefined {
    const n = num(v);
    if (n !== undefined) return n;
    if (typeof v !== "string") return undefined;
    const m = /^([\d.]+)\s*(Gi|G|Mi|M|Ti|T)?i?B?$/i.exec(v.trim());
    if (!m) return undefined;
    const x = Number(m[1]);
    const unit = (m[2] ?? "Gi").toLowerCase();
    return unit.startsWith("t") ? x * 1024 : unit.startsWith("m") ? x / 1024 : x;
}

/** Kubernetes-style CPU quantity ("1", "500m", 2) → vCPUs. */
export function cpuCount(v: unknown): number | undefined {
    const n = num(v);
    if (n !== undefined) return n;
    if (typeof v === "string" && /^\d+m$/.test(v.trim())) return Number(v.trim().slice(0, -1)) / 1000;
    return undefined;
}

// ---------------------------------------------------------------------------------------------
// Per resource type

type Extractor = (inputs: Obj) => MachineFact[];

const awsFact = (
    type: string,
    count: { min: number; max: number },
    kind: MachineFact["kind"],
    diskGb?: number,
): MachineFact => {
    const m = awsMachine(type);
    return {
        machineType: type,
        family: m.family,
        gpus: m.gpus,
        minNodes: count.min,
        maxNodes: count.max,
        vcpus: m.vcpus,
        memoryGb: m.memoryGb,
        kind,
        ...(diskGb !== undefined ? { diskGb } : {}),
    };
};

/** SageMaker jobs inside a Step Functions definition (processing, training, transform; any nesting). */
function stepFunctionsJobs(inputs: Obj): MachineFact[] {
    const def = parseDocumentString(inputs["definition"]);
    const out: MachineFact[] = [];
    for (const o of walk(def)) {
        const cfg =
            get(o, "ProcessingResources", "ClusterConfig") ??
            (isObj(o["ResourceConfig"]) && "InstanceType" in (o["ResourceConfig"] as Obj)
                ? o["ResourceConfig"]
                : undefined) ??
            get(o, "TransformResources");
        if (!isObj(cfg)) continue;
        const type = str(cfg["InstanceType"]);
        if (!type) continue;
        const count = num(cfg["InstanceCount"]) ?? 1;
        out.push(awsFact(type, { min: 0, max: count }, "job", num(cfg["VolumeSizeInGB"])));
    }
    return out;
}

/** Batch jobs inside a Workflows source (JSON or YAML): allocationPolicy.instances[].policy.machineType. */
function workflowsJobs(inputs: Obj): MachineFact[] {
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
            const accel = arr(get(policy, "accelerators")).reduce<number>((n, a) => n + (num(get(a, "count")) ?? 0), 0);
            out.push({
                machineType: m.name,
                family: m.family,
                gpus: m.gpus + accel,
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

function azureAppFact(inputs: Obj, kind: MachineFact["kind"], min: number, max: number): MachineFact[] {
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
    const m = azureVmMachine(size);
    return {
        machineType: size,
        family: m.family,
        gpus: m.gpus,
        minNodes: min,
        maxNodes: max,
        vcpus: m.vcpus,
        memoryGb: m.memoryGb,
        kind: "nodes",
    };
}

function gkePool(inputs: Obj): MachineFact[] {
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
    const accel = arr(get(inputs, "nodeConfig", "guestAccelerators")).reduce<number>(
        (n, a) => n + (num(get(a, "count")) ?? 0),
        0,
    );
    return [
        {
            machineType: m.name,
            family: m.family,
            gpus: m.gpus + accel,
            minNodes: min,
            maxNodes: max,
            vcpus: m.vcpus,
            memoryGb: m.memoryGb,
            kind: "nodes",
            ...(num(get(inputs, "nodeConfig", "diskSizeGb")) !== undefined
                ? { diskGb: num(get(inputs, "nodeConfig", "diskSizeGb")) }
                : {}),
        },
    ];
}

function dataprocGroups(inputs: Obj): MachineFact[] {
    const cfg = get(inputs, "clusterConfig");
    const out: MachineFact[] = [];
    for (const key of ["masterConfig", "workerConfig", "preemptibleWorkerConfig"]) {
        const g = get(cfg, key);
        const type = str(get(g, "machineType"));
        const n = num(get(g, "numInstances")) ?? (key === "masterConfig" ? 1 : key === "workerConfig" ? 2 : 0);
        if (!type || n === 0) continue;
        const m = gcpMachine(type);
        const accel = arr(get(g, "accelerators")).reduce<number>(
            (s, a) => s + (num(get(a, "acceleratorCount")) ?? 0),
            0,
        );
        out.push({
            machineType: m.name,
            family: m.family,
            gpus: m.gpus + accel,
            minNodes: n,
            maxNodes: n,
            vcpus: m.vcpus,
            memoryGb: m.memoryGb,
            kind: "nodes",
        });
    }
    return out;
}

function emrGroups(inputs: Obj): MachineFact[] {
    const out: MachineFact[] = [];
    for (const key of ["masterInstanceGroup", "coreInstanceGroup"]) {
        const g = inputs[key];
        const type = str(get(g, "instanceType"));
        if (!type) continue;
        const n = num(get(g, "instanceCount")) ?? 1;
        out.push(awsFact(type, { min: n, max: n }, "nodes"));
    }
    return out;
}

const EXTRACTORS: Readonly<Record<string, Extractor>> = {
    "aws:sfn/stateMachine:StateMachine": stepFunctionsJobs,
    "aws:ec2/instance:Instance": (i) =>
        str(i["instanceType"])
            ? [
                  awsFact(
                      str(i["instanceType"])!,
                      { min: 1, max: 1 },
                      "nodes",
                      num(get(i, "rootBlockDevice", "volumeSize")),
                  ),
              ]
            : [],
    "aws:eks/nodeGroup:NodeGroup": (i) => {
        const type = str(arr(i["instanceTypes"])[0]) ?? "t3.medium";
        const min = num(get(i, "scalingConfig", "minSize")) ?? 1;
        const max = num(get(i, "scalingConfig", "maxSize")) ?? min;
        return [awsFact(type, { min, max }, "nodes", num(i["diskSize"]))];
    },
    "aws:emr/cluster:Cluster": emrGroups,
    "aws:emr/instanceGroup:InstanceGroup": (i) =>
        str(i["instanceType"])
            ? [
                  awsFact(
                      str(i["instanceType"])!,
                      { min: num(i["instanceCount"]) ?? 0, max: num(i["instanceCount"]) ?? 0 },
                      "nodes",
                  ),
              ]
            : [],
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": (i) =>
        arr(i["productionVariants"]).flatMap((v) => {
            const type = str(get(v, "instanceType"));
            if (!type) return [];
            const n = num(get(v, "initialInstanceCount")) ?? 1;
            return [awsFact(type, { min: n, max: n }, "nodes")];
        }),
    "aws:msk/cluster:Cluster": (i) => {
        const type = str(get(i, "brokerNodeGroupInfo", "instanceType"));
        const n = num(i["numberOfBrokerNodes"]) ?? 0;
        return type ? [awsFact(type, { min: n, max: n }, "nodes")] : [];
    },
    "azure-native:app:Job": (i) =>
        azureAppFact(
            i,
            "job",
            0,
            num(get(i, "configuration", "scheduleTriggerConfig", "parallelism")) ??
                num(get(i, "configuration", "manualTriggerConfig", "parallelism")) ??
                1,
        ),
    "azure-native:app:ContainerApp": (i) => {
        const min = num(get(i, "template", "scale", "minReplicas")) ?? 0;
        const max = num(get(i, "template", "scale", "maxReplicas")) ?? 10;
        return azureAppFact(i, "replicas", min, max);
    },
    "azure-native:app:ManagedEnvironment": (i) =>
        arr(i["workloadProfiles"]).flatMap((p) => {
            const type = str(get(p, "workloadProfileType"));
            if (!type || type === "Consumption" || type.startsWith("Consumption-")) return [];
            const shape = azureDedicatedShape(type);
            const gpus = /^NC/i.test(type) ? 1 : 0;
            return [
                {
                    machineType: type,
                    family: shape.family,
                    gpus,
                    minNodes: num(get(p, "minimumCount")) ?? 0,
                    maxNodes: num(get(p, "maximumCount")) ?? 0,
                    vcpus: shape.vcpus,
                    memoryGb: shape.memoryGb,
                    kind: "nodes" as const,
                },
            ];
        }),
    "azure-native:batch:Pool": (i) => {
        const size = str(i["vmSize"]);
        if (!size) return [];
        const m = azureVmMachine(size);
        // Autoscale: the launcher's one task at a time (the formula caps the pool at one node), none
        // while idle. Fixed scale: its target, all month.
        const auto = get(i, "scaleSettings", "autoScale") !== undefined;
        const fixed = num(get(i, "scaleSettings", "fixedScale", "targetDedicatedNodes")) ?? 0;
        return [
            {
                machineType: size,
                family: m.family,
                gpus: m.gpus,
                minNodes: auto ? 0 : fixed,
                maxNodes: auto ? 1 : fixed,
                vcpus: m.vcpus,
                memoryGb: m.memoryGb,
                kind: "nodes" as const,
            },
        ];
    },
    "azure-native:compute:VirtualMachine": (i) => {
        const size = str(get(i, "hardwareProfile", "vmSize"));
        if (!size) return [];
        const m = azureVmMachine(size);
        return [
            {
                machineType: size,
                family: m.family,
                gpus: m.gpus,
                minNodes: 1,
                maxNodes: 1,
                vcpus: m.vcpus,
                memoryGb: m.memoryGb,
                kind: "nodes",
                ...(num(get(i, "storageProfile", "osDisk", "diskSizeGB")) !== undefined
                    ? { diskGb: num(get(i, "storageProfile", "osDisk", "diskSizeGB")) }
                    : {}),
            },
        ];
    },
    "azure-native:containerservice:ManagedCluster": (i) => arr(i["agentPoolProfiles"]).flatMap((p) => aksPool(p) ?? []),
    "azure-native:containerservice:AgentPool": (i) => {
        const f = aksPool(i);
        return f ? [f] : [];
    },
    "azure-native:synapse:BigDataPool": (i) => {
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
        return [
            {
                machineType: `Spark-${str(i["nodeSizeFamily"]) ?? "MemoryOptimized"}-${size}`,
                family: `synapse-${(str(i["nodeSizeFamily"]) ?? "MemoryOptimized").toLowerCase()}`,
                gpus: 0,
                minNodes: 0,
                maxNodes: max,
                vcpus: v,
                memoryGb: v === undefined ? undefined : v * 8,
                kind: "nodes",
            },
        ];
    },
    "gcp:workflows/workflow:Workflow": workflowsJobs,
    "gcp:compute/instance:Instance": (i) => {
        const type = str(i["machineType"]);
        if (!type) return [];
        const m = gcpMachine(type);
        const accel = arr(i["guestAccelerators"]).reduce<number>((n, a) => n + (num(get(a, "count")) ?? 0), 0);
        return [
            {
                machineType: m.name,
                family: m.family,
                gpus: m.gpus + accel,
                minNodes: 1,
                maxNodes: 1,
                vcpus: m.vcpus,
                memoryGb: m.memoryGb,
                kind: "nodes",
                ...(num(get(i, "bootDisk", "initializeParams", "size")) !== undefined
                    ? { diskGb: num(get(i, "bootDisk", "initializeParams", "size")) }
                    : {}),
            },
        ];
    },
    "gcp:container/nodePool:NodePool": gkePool,
    "gcp:container/cluster:Cluster": (i) => {
        if (i["enableAutopilot"] === true || i["removeDefaultNodePool"] === true) return [];
        return gkePool({
            nodeConfig: i["nodeConfig"],
            initialNodeCount: i["initialNodeCount"] ?? 1,
            nodeLocations: i["nodeLocations"],
        });
    },
    "gcp:dataproc/cluster:Cluster": dataprocGroups,
    "gcp:dataflow/job:Job": (i) => dataflowFact(i),
    "gcp:dataflow/flexTemplateJob:FlexTemplateJob": (i) =>
        dataflowFact({ ...i, machineType: i["machineType"] ?? i["workerMachineType"] }),
    "gcp:cloudrunv2/service:Service": (i) => {
        const containers = arr(get(i, "template", "containers"));
        const cpu = containers.reduce<number>((n, c) => n + (cpuCount(get(c, "resources", "limits", "cpu")) ?? 1), 0);
        const mem = containers.reduce<number>(
            (n, c) => n + (memoryGiB(get(c, "resources", "limits", "memory")) ?? 0.5),
            0,
        );
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
    },
};

function dataflowFact(i: Obj): MachineFact[] {
    const m = gcpMachine(str(i["machineType"]) ?? "n1-standard-2");
    const max = num(i["maxWorkers"]) ?? num(i["numWorkers"]) ?? 1;
    const min = num(i["numWorkers"]) ?? 1;
    return [
        {
            machineType: m.name,
            family: m.family,
            gpus: m.gpus,
            minNodes: min,
            maxNodes: max,
            vcpus: m.vcpus,
            memoryGb: m.memoryGb,
            kind: "nodes",
        },
    ];
}

/** The resource types whose machines this module reads. */
export const FACT_TYPES: readonly string[] = Object.keys(EXTRACTORS);

/**
 * Machines a resource of `type` with planned `inputs` runs; [] for resources that run none (or
 * whose type this module does not know: see FACT_TYPES).
 */
export function computeFacts(type: string, inputs: Record<string, unknown>): MachineFact[] {
    const f = EXTRACTORS[type];
    return f ? f(inputs) : [];
}

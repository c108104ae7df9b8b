import { parse as parseYaml } from "yaml";
import { EC2_MACHINES, SAGEMAKER_MACHINES } from "../../components/machines/aws";
import { AZURE_JOB_PROFILES, AZURE_VM_SIZES } from "../../components/machines/azure";
import { GCP_MACHINES } from "../../components/machines/gcp";
import type { MachineType } from "../../components/machines/index";
import { isObj, num } from "../values";

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

/** A machine's shape as the catalogues read it: family, GPUs, and size when known. */
export type MachineShape = Pick<MachineFact, "family" | "gpus" | "vcpus" | "memoryGb">;

/**
 * `minNodes` to `maxNodes` machines of one shape that exist while scaled up (a VM, a node pool, a
 * Spark pool), with the volume each has when the inputs say (`diskGb`). Pure.
 */
export function nodes(
    machineType: string,
    shape: MachineShape,
    minNodes: number,
    maxNodes: number,
    diskGb?: number,
): MachineFact {
    return {
        machineType,
        family: shape.family,
        gpus: shape.gpus,
        minNodes,
        maxNodes,
        vcpus: shape.vcpus,
        memoryGb: shape.memoryGb,
        kind: "nodes",
        ...(diskGb !== undefined ? { diskGb } : {}),
    };
}

/** Reads a resource's machines from its planned inputs ([] when it runs none). Pure. */
export type MachineExtractor = (inputs: Record<string, unknown>) => MachineFact[];

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

/** A fact about an AWS instance type (EC2, SageMaker `ml.`, MSK `kafka.`), sized from the catalogues. */
export const awsFact = (
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

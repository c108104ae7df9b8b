import { InputError } from "../shared/errors";
import { type MachineType, memoryNeededGb, pickMachine } from "./index";

/**
 * Azure Container Apps workload profiles a level-1 job can run on, as machine types. Source:
 * learn.microsoft.com/azure/container-apps/workload-profiles-overview ("Profile details") and
 * gpu-serverless-overview ("Supported regions").
 *
 * - Consumption: serverless, per second, nothing while idle. A replica gets at most 4 vCPU / 8 GiB
 *   and CPU and memory must keep the 1:2 ratio (0.25 vCPU per 0.5 GiB), so the sizes below are the
 *   whole-GiB steps from the 4 GiB minimum (MIN_MEMORY_GB) up to that cap.
 * - Dedicated memory-optimised E4/E8/E16/E32 (4/8/16/32 vCPU, 32/64/128/256 GiB per node): kept so
 *   environments that declare them can be read and priced; level-1 jobs no longer pick them (see
 *   placeJob: CPU runs beyond 8 GiB go to an Azure Batch pool). Declared with minimumCount 0 so nodes exist only while a run is going on,
 *   but an environment with any Dedicated profile pays the fixed Dedicated plan management fee
 *   every hour (see billing.md: "If you have one or more dedicated workload profiles in your
 *   environment, you're charged a Dedicated plan management fee").
 * - Serverless GPU (Consumption-GPU-NC8as-T4: 8 vCPU, 56 GiB, 1 T4; Consumption-GPU-NC24-A100:
 *   24 vCPU, 220 GiB, 1 A100 80 GB): per second, scale to zero, no management fee, but only in
 *   some regions and only after a GPU quota request.
 *
 * `memoryGb` is what a replica requests, so pickMachine compares the run's need against memory the
 * job really gets. On Dedicated nodes the platform keeps part of the node for itself ("the total
 * resources available to your apps are slightly less than the profile's allocation"); Microsoft
 * does not publish the figure, so the request leaves 0.5 vCPU and the AKS kubelet reservation
 * (about 6-7 % of memory on these sizes) free. Values are GiB, a little more than the GB of
 * memoryNeededGb, which errs on the safe side.
 */
export interface AzureJobProfile extends MachineType {
    /** The workloadProfileType the environment declares: Consumption, E8, Consumption-GPU-NC8as-T4. */
    readonly profileType: string;
    /** Dedicated profiles are billed per node plus the plan management fee. */
    readonly dedicated: boolean;
    /** vCPU one replica requests. */
    readonly requestCpu: number;
    /** Memory of the node (Dedicated) or replica cap (Consumption), GiB; `memoryGb` is the request. */
    readonly profileMemoryGb: number;
}

const consumption = (memoryGi: number): AzureJobProfile => ({
    name: `Consumption-${memoryGi}Gi`,
    profileType: "Consumption",
    dedicated: false,
    vcpus: memoryGi / 2,
    requestCpu: memoryGi / 2,
    memoryGb: memoryGi,
    profileMemoryGb: 8,
    gpus: 0,
    family: "consumption",
});

/** Dedicated E-series: `vcpus` / `nodeGi` per node; the replica requests `requestGi`. */
const memoryOptimised = (vcpus: number, nodeGi: number, requestGi: number): AzureJobProfile => ({
    name: `E${vcpus}`,
    profileType: `E${vcpus}`,
    dedicated: true,
    vcpus,
    requestCpu: vcpus - 0.5,
    memoryGb: requestGi,
    profileMemoryGb: nodeGi,
    gpus: 0,
    family: "dedicated-e",
});

export const T4_PROFILE = "Consumption-GPU-NC8as-T4";
export const A100_PROFILE = "Consumption-GPU-NC24-A100";

const serverlessGpu = (profileType: string, vcpus: number, memoryGi: number, gpuModel: string): AzureJobProfile => ({
    name: profileType,
    profileType,
    dedicated: false,
    vcpus,
    requestCpu: vcpus,
    memoryGb: memoryGi,
    profileMemoryGb: memoryGi,
    gpus: 1,
    gpuModel,
    family: "consumption-gpu",
});

export const AZURE_JOB_PROFILES: readonly AzureJobProfile[] = [
    consumption(4),
    consumption(5),
    consumption(6),
    consumption(7),
    consumption(8),
    memoryOptimised(4, 32, 28),
    memoryOptimised(8, 64, 58),
    memoryOptimised(16, 128, 118),
    memoryOptimised(32, 256, 242),
    serverlessGpu(T4_PROFILE, 8, 56, "nvidia-t4"),
    serverlessGpu(A100_PROFILE, 24, 220, "nvidia-a100-80gb"),
];

/**
 * Regions with serverless GPU profiles, per GPU. Microsoft's list has grown since the preview
 * (West US 3, Australia East, Sweden Central, then West US and West Europe); the regions below are
 * the ones current listings agree on. `az containerapp env workload-profile list-supported -l <region>`
 * is the authority; add a region here once it shows the profile.
 */
export const SERVERLESS_GPU_REGIONS: Readonly<Record<string, readonly string[]>> = {
    [T4_PROFILE]: [
        "australiaeast",
        "brazilsouth",
        "centralindia",
        "eastus",
        "francecentral",
        "italynorth",
        "japaneast",
        "northcentralus",
        "southcentralus",
        "southeastasia",
        "southindia",
        "swedencentral",
        // West Europe: only in an environment created with the GPU profile; adding it to an existing
        // environment there needs a new environment (Microsoft's footnote to the region table).
        "westeurope",
        "westus",
        "westus2",
        "westus3",
    ],
    [A100_PROFILE]: ["australiaeast", "brazilsouth", "eastus", "italynorth", "swedencentral", "westus", "westus3"],
};

/** Profiles usable in `region`: every CPU profile, GPU profiles only where they are offered. */
export function jobProfilesIn(region: string): AzureJobProfile[] {
    const r = normaliseRegion(region);
    return AZURE_JOB_PROFILES.filter((p) => p.gpus === 0 || (SERVERLESS_GPU_REGIONS[p.profileType] ?? []).includes(r));
}

/** "East US" and "eastus" are the same region to Azure. */
export function normaliseRegion(region: string): string {
    return region.toLowerCase().replace(/\s+/g, "");
}

/**
 * The smallest Container Apps profile for `dataGb`. A GPU run in a region without serverless GPUs
 * (or without one big enough) is an input error on `mlops:region`, listing where it would work.
 */
export function pickJobProfile(dataGb: number, gpu: boolean, region: string, keyPath: string): AzureJobProfile {
    const available = jobProfilesIn(region);
    if (gpu) {
        const fitsSomewhere = AZURE_JOB_PROFILES.filter((p) => p.gpus > 0 && p.memoryGb >= memoryNeededGb(dataGb));
        const fitsHere = available.some((p) => p.gpus > 0 && p.memoryGb >= memoryNeededGb(dataGb));
        if (!fitsHere && fitsSomewhere.length > 0) {
            const regions = [
                ...new Set(fitsSomewhere.flatMap((p) => SERVERLESS_GPU_REGIONS[p.profileType] ?? [])),
            ].sort();
            throw new InputError([
                {
                    path: "config.mlops:region",
                    message: `'${region}' has no Azure Container Apps serverless GPU profile that fits ${dataGb} GB (${fitsSomewhere.map((p) => p.profileType).join(" or ")}); choose one of: ${regions.join(", ")}`,
                },
            ]);
        }
    }
    return pickMachine(available, dataGb, gpu, keyPath) as AzureJobProfile;
}

/**
 * Linux VM sizes for the `vm` batch runner and for Azure Batch pools (CPU runs beyond Consumption): Dsv5 (4 GiB per vCPU) and Esv5 (8 GiB per vCPU), Intel,
 * premium-storage capable, Gen2. Source: learn.microsoft.com/azure/virtual-machines/sizes
 * (dv5-series, ev5-series). Memory is the VM's; the OS takes well under the MEMORY_HEADROOM margin.
 */
const vmSize = (series: "D" | "E", vcpus: number): MachineType => ({
    name: `Standard_${series}${vcpus}s_v5`,
    vcpus,
    memoryGb: vcpus * (series === "D" ? 4 : 8),
    gpus: 0,
    family: `${series}sv5`,
});

export const AZURE_VM_SIZES: readonly MachineType[] = [
    vmSize("D", 2),
    vmSize("D", 4),
    vmSize("D", 8),
    vmSize("D", 16),
    vmSize("D", 32),
    vmSize("E", 2),
    vmSize("E", 4),
    vmSize("E", 8),
    vmSize("E", 16),
    vmSize("E", 20),
    vmSize("E", 32),
];

/**
 * Where a level-1 Azure job runs: a Container Apps replica (Consumption up to 8 GiB, or a serverless
 * GPU profile), or, for CPU runs bigger than Consumption, a node of an Azure Batch pool that scales
 * from zero. Batch is used instead of a Dedicated workload profile because any Dedicated profile
 * makes the whole environment pay the Dedicated plan management fee every hour, even at zero nodes;
 * a Batch account and an empty pool cost nothing.
 */
export type AzureJobPlacement =
    | { readonly runner: "containerapps"; readonly profile: AzureJobProfile }
    | { readonly runner: "batch"; readonly size: MachineType };

/**
 * The placement of a run over `dataGb`: the smallest Consumption size that holds it; else, for CPU,
 * the smallest AZURE_VM_SIZES size for a Batch pool; GPU runs keep pickJobProfile's serverless GPU
 * profiles. Throws an InputError naming `keyPath` (or mlops:region) when nothing fits. Pure.
 */
export function placeJob(dataGb: number, gpu: boolean, region: string, keyPath: string): AzureJobPlacement {
    if (gpu) return { runner: "containerapps", profile: pickJobProfile(dataGb, true, region, keyPath) };
    const consumption = AZURE_JOB_PROFILES.filter((p) => p.profileType === "Consumption");
    if (consumption.some((p) => p.memoryGb >= memoryNeededGb(dataGb)))
        return {
            runner: "containerapps",
            profile: pickMachine(consumption, dataGb, false, keyPath) as AzureJobProfile,
        };
    return { runner: "batch", size: pickMachine(AZURE_VM_SIZES, dataGb, false, keyPath) };
}

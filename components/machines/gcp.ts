import type { MachineType } from "./index";

/**
 * Compute Engine machine types for one-machine jobs. Sources: Compute Engine machine-type tables
 * (general-purpose E2 and N2, accelerator-optimized G2).
 *
 * - E2 (standard 4 GB/vCPU, highmem 8 GB/vCPU) is the cheapest general-purpose series and covers
 *   everything up to 128 GB, the default single-machine capacity.
 * - N2 highmem (8 GB/vCPU, 864 GB for the 128-vCPU size) takes over beyond 128 GB, for stacks that
 *   raise `mlops:capacity.singleMachineMemoryGb`.
 * - G2 carries NVIDIA L4 GPUs (24 GB each); the GPUs come with the machine type, no accelerator
 *   block is needed. Memory is not proportional to GPUs, so g2-standard-32 has one GPU only.
 */
const e2 = (kind: "standard" | "highmem", vcpus: number): MachineType => ({
    name: `e2-${kind}-${vcpus}`,
    vcpus,
    memoryGb: vcpus * (kind === "standard" ? 4 : 8),
    gpus: 0,
    family: `e2-${kind}`,
});

const n2highmem = (vcpus: number, memoryGb: number): MachineType => ({
    name: `n2-highmem-${vcpus}`,
    vcpus,
    memoryGb,
    gpus: 0,
    family: "n2-highmem",
});

const g2 = (vcpus: number, memoryGb: number, gpus: number): MachineType => ({
    name: `g2-standard-${vcpus}`,
    vcpus,
    memoryGb,
    gpus,
    gpuModel: "nvidia-l4",
    family: "g2-standard",
});

export const GCP_MACHINES: readonly MachineType[] = [
    e2("standard", 2),
    e2("standard", 4),
    e2("standard", 8),
    e2("standard", 16),
    e2("standard", 32),
    e2("highmem", 2),
    e2("highmem", 4),
    e2("highmem", 8),
    e2("highmem", 16),
    // n2-highmem-2..16 duplicate E2 highmem sizes at a higher price, so only the larger ones are listed.
    n2highmem(32, 256),
    n2highmem(48, 384),
    n2highmem(64, 512),
    n2highmem(80, 640),
    n2highmem(96, 768),
    n2highmem(128, 864),
    g2(4, 16, 1),
    g2(8, 32, 1),
    g2(12, 48, 1),
    g2(16, 64, 1),
    g2(24, 96, 2),
    g2(32, 128, 1),
    g2(48, 192, 4),
    g2(96, 384, 8),
];

/**
 * Regions with G2 (NVIDIA L4) capacity in at least one zone, from Compute Engine's "GPU regions and
 * zones" table. A training job that needs a GPU in any other region is rejected at plan time.
 */
export const G2_REGIONS: readonly string[] = [
    "asia-east1",
    "asia-northeast1",
    "asia-northeast3",
    "asia-south1",
    "asia-southeast1",
    "europe-west1",
    "europe-west2",
    "europe-west3",
    "europe-west4",
    "us-central1",
    "us-east1",
    "us-east4",
    "us-west1",
    "us-west4",
];

import { InputError, type InputProblem, problemsOf } from "../shared/errors";

/** One machine type a cloud offers for one-machine jobs. */
export interface MachineType {
    /** The cloud's own name for it (ml.r5.4xlarge, E16, n2-highmem-16). */
    readonly name: string;
    readonly vcpus: number;
    readonly memoryGb: number;
    /** GPUs on the machine, 0 for CPU-only. */
    readonly gpus: number;
    /** GPU model, for docs and policies. */
    readonly gpuModel?: string;
    /** Machine family (m5, r5, g5, n2-highmem...), for the policy pack's allowed-families cap. */
    readonly family: string;
}

/**
 * Memory a job needs per GB of data it holds: the data plus working space for the process,
 * intermediate copies and the OS. 1.25 is the common rule of thumb for pandas-style work.
 */
export const MEMORY_HEADROOM = 1.25;

/** The smallest machine worth starting, whatever the data. */
export const MIN_MEMORY_GB = 4;

/** Memory a job over `dataGb` of data needs. */
export function memoryNeededGb(dataGb: number): number {
    return Math.max(MIN_MEMORY_GB, dataGb * MEMORY_HEADROOM);
}

/**
 * The smallest catalogued machine whose memory fits `dataGb` with headroom, GPU or not.
 * Ties on memory go to fewer vCPUs (cheaper). Throws an InputError naming `keyPath` when the
 * largest machine is too small.
 */
export function pickMachine(
    catalogue: readonly MachineType[],
    dataGb: number,
    gpu: boolean,
    keyPath: string,
): MachineType {
    const need = memoryNeededGb(dataGb);
    const fits = catalogue
        .filter((m) => (gpu ? m.gpus > 0 : m.gpus === 0) && m.memoryGb >= need)
        .sort((a, b) => a.memoryGb - b.memoryGb || a.vcpus - b.vcpus);
    const best = fits[0];
    if (best) return best;
    const largest = Math.max(0, ...catalogue.filter((m) => (gpu ? m.gpus > 0 : m.gpus === 0)).map((m) => m.memoryGb));
    throw new InputError([
        {
            path: keyPath,
            message: `${dataGb} GB needs ${need} GB of memory with headroom, more than the largest ${gpu ? "GPU " : ""}machine catalogued (${largest} GB); lower mlops:capacity.singleMachineMemoryGb so this pipeline moves up a level`,
        },
    ]);
}

/** pickMachine's problem, if any, as a list: for checks that run before anything is created. */
export function machineProblems(
    catalogue: readonly MachineType[],
    dataGb: number,
    gpu: boolean,
    keyPath: string,
): InputProblem[] {
    return problemsOf(() => pickMachine(catalogue, dataGb, gpu, keyPath));
}

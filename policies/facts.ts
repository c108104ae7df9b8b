import { findSpec } from "../catalog";
import { isGpuMachine, machineFacts, machineFamily } from "./machines";

/** One machine shape a resource runs, as the caps and GPU rules see it. */
export interface PolicyMachine {
    machineType: string;
    family: string;
    gpus: number;
    maxNodes?: number;
}

/**
 * The machines of a resource: what its catalogue entry reads (the cost model reads the same), so
 * `plan`, the cost estimate and the pack agree; for any other type a property scan (machines.ts)
 * that still finds GPU machine types and accelerators wherever a component put them.
 */
export function machinesOf(type: string, props: Record<string, unknown>): PolicyMachine[] {
    const read = findSpec(type)?.machines;
    if (read)
        return read(props).map((f) => ({
            machineType: f.machineType,
            family: f.family,
            gpus: f.gpus,
            maxNodes: f.maxNodes,
        }));
    const f = machineFacts(type, props);
    const gpuTypes = f.machineTypes.filter(isGpuMachine).length;
    const out: PolicyMachine[] = f.machineTypes.map((t) => ({
        machineType: t,
        family: machineFamily(t),
        gpus: isGpuMachine(t) ? Math.max(1, gpuTypes > 0 ? Math.ceil(f.gpus / gpuTypes) : 1) : 0,
        maxNodes: f.maxNodes,
    }));
    if (out.length === 0 && (f.gpus > 0 || f.maxNodes !== undefined))
        out.push({ machineType: "(unknown)", family: "(unknown)", gpus: f.gpus, maxNodes: f.maxNodes });
    else if (gpuTypes === 0 && f.gpus > 0) for (const m of out) m.gpus = f.gpus;
    return out;
}

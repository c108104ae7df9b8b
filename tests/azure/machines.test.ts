import fc from "fast-check";
import { memoryNeededGb } from "../../components/machines";
import {
    A100_PROFILE,
    AZURE_JOB_PROFILES,
    AZURE_VM_SIZES,
    jobProfilesIn,
    pickJobProfile,
    SERVERLESS_GPU_REGIONS,
    T4_PROFILE,
} from "../../components/machines/azure";

describe("Azure job profile catalogue", () => {
    test("Consumption sizes keep the 1:2 vCPU:GiB ratio, within 4 vCPU / 8 GiB", () => {
        const consumption = AZURE_JOB_PROFILES.filter((p) => p.profileType === "Consumption");
        expect(consumption.map((p) => p.memoryGb)).toEqual([4, 5, 6, 7, 8]);
        for (const p of consumption) {
            expect(p.requestCpu * 2).toBe(p.memoryGb);
            expect(p.requestCpu).toBeLessThanOrEqual(4);
            // CPU in steps of 0.25, as Container Apps requires.
            expect(Number.isInteger(p.requestCpu * 4)).toBe(true);
            expect(p.dedicated).toBe(false);
        }
    });

    test("Dedicated E-series: documented node sizes, requests below them", () => {
        const e = AZURE_JOB_PROFILES.filter((p) => p.dedicated);
        expect(e.map((p) => [p.profileType, p.vcpus, p.profileMemoryGb])).toEqual([
            ["E4", 4, 32],
            ["E8", 8, 64],
            ["E16", 16, 128],
            ["E32", 32, 256],
        ]);
        for (const p of e) {
            expect(p.requestCpu).toBeLessThan(p.vcpus);
            expect(p.memoryGb).toBeLessThan(p.profileMemoryGb);
        }
    });

    test("serverless GPUs: T4 8 vCPU / 56 GiB, A100 24 vCPU / 220 GiB, one GPU each", () => {
        const gpu = AZURE_JOB_PROFILES.filter((p) => p.gpus > 0);
        expect(gpu.map((p) => [p.profileType, p.vcpus, p.memoryGb, p.gpus])).toEqual([
            [T4_PROFILE, 8, 56, 1],
            [A100_PROFILE, 24, 220, 1],
        ]);
        for (const p of gpu) expect(SERVERLESS_GPU_REGIONS[p.profileType]!.length).toBeGreaterThan(0);
    });

    test("GPU profiles are filtered by region; CPU profiles are everywhere", () => {
        expect(jobProfilesIn("northeurope").some((p) => p.gpus > 0)).toBe(false);
        expect(
            jobProfilesIn("West Europe")
                .filter((p) => p.gpus > 0)
                .map((p) => p.profileType),
        ).toEqual([T4_PROFILE]);
        expect(jobProfilesIn("eastus").filter((p) => p.gpus > 0)).toHaveLength(2);
        expect(jobProfilesIn("northeurope").filter((p) => p.gpus === 0)).toHaveLength(9);
        expect(pickJobProfile(10, true, "westeurope", "k").profileType).toBe(T4_PROFILE);
    });

    test("pickJobProfile: always fits, never a GPU for CPU work, smallest first", () => {
        fc.assert(
            fc.property(fc.double({ min: 0, max: 190, noNaN: true }), fc.boolean(), (gb, gpu) => {
                if (gpu && memoryNeededGb(gb) > 220) return;
                const p = pickJobProfile(gb, gpu, "eastus", "k");
                expect(p.memoryGb).toBeGreaterThanOrEqual(memoryNeededGb(gb));
                expect(p.gpus > 0).toBe(gpu);
                const smaller = AZURE_JOB_PROFILES.filter((q) => q.gpus > 0 === gpu && q.memoryGb < p.memoryGb);
                for (const q of smaller) expect(q.memoryGb).toBeLessThan(memoryNeededGb(gb));
            }),
        );
    });

    test("the default single-machine capacity (128 GB) fits a job profile", () => {
        expect(pickJobProfile(128, false, "eastus", "k").profileType).toBe("E32");
    });
});

describe("Azure VM sizes", () => {
    test("Dsv5 4 GiB and Esv5 8 GiB per vCPU, names as Azure spells them", () => {
        for (const m of AZURE_VM_SIZES) {
            expect(m.name).toMatch(/^Standard_[DE]\d+s_v5$/);
            expect(m.memoryGb / m.vcpus).toBe(m.name.startsWith("Standard_D") ? 4 : 8);
            expect(m.gpus).toBe(0);
        }
        expect(Math.max(...AZURE_VM_SIZES.map((m) => m.memoryGb))).toBe(256);
    });
});

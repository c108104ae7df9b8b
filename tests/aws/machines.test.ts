import { EC2_MACHINES, SAGEMAKER_MACHINES } from "../../components/machines/aws";
import { pickMachine } from "../../components/machines/index";
import { InputError } from "../../components/shared/errors";

/**
 * Instance types the SageMaker API model accepts for BOTH ProcessingInstanceType and
 * TrainingInstanceType (botocore sagemaker/2017-07-24/service-2.json), restricted to the families
 * catalogued. ml.m5 has no 8xlarge or 16xlarge there.
 */
const SAGEMAKER_VALID = new Set([
    ...["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"].map((s) => `ml.m5.${s}`),
    ...["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"].map(
        (s) => `ml.r5.${s}`,
    ),
    ...["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "48xlarge"].map(
        (s) => `ml.g5.${s}`,
    ),
]);

describe("SageMaker catalogue", () => {
    it("lists only instance types valid for processing and training jobs", () => {
        for (const m of SAGEMAKER_MACHINES) expect(SAGEMAKER_VALID.has(m.name)).toBe(true);
        expect(new Set(SAGEMAKER_MACHINES.map((m) => m.name)).size).toBe(SAGEMAKER_MACHINES.length);
    });

    it("has the EC2 sizes of each family: memory per vCPU 4 (m5), 8 (r5), 4 (g5)", () => {
        for (const m of SAGEMAKER_MACHINES) {
            const perCpu = m.memoryGb / m.vcpus;
            expect(perCpu).toBe({ m5: 4, r5: 8, g5: 4 }[m.family]);
            expect(m.name.startsWith(`ml.${m.family}.`)).toBe(true);
        }
        expect(SAGEMAKER_MACHINES.find((m) => m.name === "ml.r5.24xlarge")!.memoryGb).toBe(768);
    });

    it("gives GPU counts of the g5 sizes and local storage for each", () => {
        const g5 = SAGEMAKER_MACHINES.filter((m) => m.family === "g5");
        expect(Object.fromEntries(g5.map((m) => [m.name, m.gpus]))).toEqual({
            "ml.g5.xlarge": 1,
            "ml.g5.2xlarge": 1,
            "ml.g5.4xlarge": 1,
            "ml.g5.8xlarge": 1,
            "ml.g5.12xlarge": 4,
            "ml.g5.16xlarge": 1,
            "ml.g5.24xlarge": 4,
            "ml.g5.48xlarge": 8,
        });
        for (const m of g5) expect(m.localStorageGb).toBeGreaterThan(0);
        for (const m of SAGEMAKER_MACHINES.filter((x) => x.gpus === 0)) expect(m.localStorageGb).toBeUndefined();
    });

    it.each([
        [0, false, "ml.m5.large"],
        [3, false, "ml.m5.large"],
        [6.4, false, "ml.m5.large"],
        [7, false, "ml.r5.large"],
        [20, false, "ml.r5.xlarge"],
        [100, false, "ml.r5.4xlarge"],
        [128, false, "ml.m5.12xlarge"],
        [600, false, "ml.r5.24xlarge"],
        [5, true, "ml.g5.xlarge"],
        [100, true, "ml.g5.8xlarge"],
        [300, true, "ml.g5.24xlarge"],
    ])("%s GB (gpu %s) → %s", (gb, gpu, name) => {
        expect(pickMachine(SAGEMAKER_MACHINES, gb, gpu, "k").name).toBe(name);
    });

    it("refuses data beyond the largest machine, naming the key", () => {
        expect(() => pickMachine(SAGEMAKER_MACHINES, 700, false, "mlops:workload.data.volumeGb")).toThrow(InputError);
        expect(() => pickMachine(SAGEMAKER_MACHINES, 700, true, "mlops:workload.training.datasetGb")).toThrow(
            /training\.datasetGb.*768 GB/,
        );
    });
});

describe("EC2 catalogue (vm runner)", () => {
    it("has the real m7i and r7i sizes", () => {
        for (const m of EC2_MACHINES) {
            expect(m.name).toMatch(/^(m7i|r7i)\.(large|xlarge|\d+xlarge)$/);
            expect(m.memoryGb / m.vcpus).toBe(m.family === "m7i" ? 4 : 8);
            expect(m.gpus).toBe(0);
        }
        expect(pickMachine(EC2_MACHINES, 2, false, "k").name).toBe("m7i.large");
        expect(pickMachine(EC2_MACHINES, 1000, false, "k").name).toBe("r7i.48xlarge");
    });
});

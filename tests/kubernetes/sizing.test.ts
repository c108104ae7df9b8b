import fc from "fast-check";
import { AWS_NODE_SHAPES, checkAwsKubernetesArgs } from "../../components/kubernetes/aws";
import {
    checkKubernetesArgs,
    DEFAULT_POD_QPS,
    MAX_RAY_WORKERS,
    MAX_SERVING_REPLICAS,
    MIN_RAY_WORKERS,
    MIN_SERVING_REPLICAS,
    rayClusterSize,
    rayProblems,
    servingNodes,
    servingReplicas,
    shortestRaySlaHours,
} from "../../components/kubernetes/index";

describe("servingReplicas", () => {
    it.each([
        // peakQps, podQps, min, max: pods at 70 % of 50 QPS carry 35 QPS each
        [501, DEFAULT_POD_QPS, 2, 15],
        [3000, DEFAULT_POD_QPS, 2, 86],
        [3000, 200, 2, 22],
        [10, DEFAULT_POD_QPS, 2, 2],
    ])("%d QPS at %d per pod → %d..%d replicas", (qps, pod, min, max) => {
        expect(servingReplicas(qps, pod)).toMatchObject({ minReplicas: min, maxReplicas: max });
    });

    it("is monotonic in peak QPS and always min <= max <= cap", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 20000 }), fc.integer({ min: 1, max: 20000 }), (a, b) => {
                const [lo, hi] = a <= b ? [a, b] : [b, a];
                const rl = servingReplicas(lo);
                const rh = servingReplicas(hi);
                return (
                    rl.maxReplicas <= rh.maxReplicas &&
                    rh.minReplicas === MIN_SERVING_REPLICAS &&
                    rh.minReplicas <= rh.maxReplicas &&
                    rh.maxReplicas <= MAX_SERVING_REPLICAS
                );
            }),
        );
    });

    it("node bounds hold the replicas", () => {
        expect(servingNodes({ minReplicas: 2, maxReplicas: 86 })).toEqual({ minNodes: 1, maxNodes: 29 });
    });

    it("refuses a peak that needs more pods than the cap, naming the key", () => {
        const p = checkKubernetesArgs({ region: "us-east-1", serving: { peakQps: 100_000, publicEndpoint: false } });
        expect(p).toEqual([expect.objectContaining({ path: "config.mlops:workload.inference.peakQps" })]);
    });
});

describe("rayClusterSize", () => {
    const cpu = AWS_NODE_SHAPES.trainingCpu;
    const gpu = AWS_NODE_SHAPES.trainingGpu;
    it.each([
        // datasetGb, singleMachineHours, slaHours → workers: ceil(h / sla / 0.8), at least 2; data adds none
        [60, 40, 8, 7],
        [60, 10, 8, 2],
        [1000, 10, 8, 2],
        [2000, 30, 12, 4],
        [2000, 30, 200, 2],
        [10, 40.9, 1, 52],
    ])("%d GB, %s h on one machine, SLA %d h → %d workers", (gb, h, sla, workers) => {
        expect(rayClusterSize({ datasetGb: gb, singleMachineHours: h, slaHours: sla }, cpu).workers).toBe(workers);
    });

    it("worker pods leave room for the system on the node, and split memory into heap and data buffer", () => {
        const s = rayClusterSize({ datasetGb: 60, singleMachineHours: 40, slaHours: 8 }, cpu);
        // r7i.2xlarge: 64 GB → 51 GiB pod; Ray's object store takes 30 % of it.
        expect(s).toMatchObject({ workerCpu: 7, workerMemoryGi: 51, workerGpus: 0, bufferGi: 15.3, heapGi: 35.7 });
        expect(s).toMatchObject({ fits: true, streams: false });
    });

    it("2 TB of images, 30 h on one machine, 12 h SLA: 4 GPU workers streaming the data, with a checkable reason", () => {
        const s = rayClusterSize({ datasetGb: 2000, singleMachineHours: 30, slaHours: 12 }, gpu);
        expect(s).toMatchObject({ workers: 4, workersForSla: 4, workerGpus: 1, workerMemoryGi: 25, fits: true });
        expect(s.streams).toBe(true);
        expect(s.reason).toBe(
            "up to 4 Ray workers of g5.2xlarge (none while idle): ceil(30 h on one machine / 12 h SLA / 0.8 parallel efficiency) = 4; " +
                "each requests 7 vCPU, 1 GPU and 25 GiB (17.5 GiB for the model, 7.5 GiB data buffer); " +
                "the 2000 GB dataset streams from object storage through 7.5 GiB of Ray object store per worker (never held in memory whole)",
        );
    });

    it("a small job is raised to two workers, and the reason says so", () => {
        const s = rayClusterSize({ datasetGb: 10, singleMachineHours: 1, slaHours: 8 }, cpu);
        expect(s.workers).toBe(MIN_RAY_WORKERS);
        expect(s.reason).toContain("= 1, raised to the minimum of 2");
        expect(s.reason).toContain("fits the workers' object stores (30.6 GiB)");
    });

    it("never plans fewer than two workers or more than the cap; grows with work, never with data", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 50000 }),
                fc.integer({ min: 0, max: 500 }),
                fc.integer({ min: 1, max: 100 }),
                (gb, h, sla) => {
                    const s = rayClusterSize({ datasetGb: gb, singleMachineHours: h, slaHours: sla }, cpu);
                    const moreWork = rayClusterSize({ datasetGb: gb, singleMachineHours: h * 2, slaHours: sla }, cpu);
                    const moreData = rayClusterSize({ datasetGb: gb * 10, singleMachineHours: h, slaHours: sla }, cpu);
                    return (
                        s.workers >= MIN_RAY_WORKERS &&
                        s.workers <= MAX_RAY_WORKERS &&
                        moreWork.workers >= s.workers &&
                        moreData.workers === s.workers
                    );
                },
            ),
        );
    });

    it("the shortest SLA the cap allows is one the cap meets, and a tenth of an hour less is not", () => {
        fc.assert(
            fc.property(fc.integer({ min: 60, max: 5000 }), (h) => {
                const sla = shortestRaySlaHours(h);
                const at = rayClusterSize({ datasetGb: 1, singleMachineHours: h, slaHours: sla }, cpu);
                const below = rayClusterSize({ datasetGb: 1, singleMachineHours: h, slaHours: sla - 0.1 }, cpu);
                return at.fits && !below.fits;
            }),
        );
    });

    it("names the limit that binds (the worker cap against the SLA) and the SLA that fits, whatever the data", () => {
        const t = { datasetGb: 10, singleMachineHours: 1000, slaHours: 1, gpu: false };
        expect(rayProblems(t, cpu)).toEqual([
            {
                path: "config.mlops:workload.training.slaHours",
                message:
                    "1000 h of single-machine training within 1 h needs 1250 Ray workers of r7i.2xlarge (1000 / 1 / 0.8 parallel efficiency), more than the cap of 64; allow at least 19.6 h, or cut training.singleMachineHours (a faster model, or a sample of the data)",
            },
        ]);
        // The old rule refused these for the data's size; streaming needs no room for it.
        expect(rayProblems({ datasetGb: 2000, singleMachineHours: 30, slaHours: 12, gpu: true }, gpu)).toEqual([]);
        expect(rayProblems({ datasetGb: 2000, singleMachineHours: 30, slaHours: 200, gpu: true }, gpu)).toEqual([]);
        expect(rayProblems({ datasetGb: 50_000, singleMachineHours: 30, slaHours: 12, gpu: false }, cpu)).toEqual([]);
    });

    it("refuses a cluster beyond the cap, and GPU workers in a region without them", () => {
        const p = checkAwsKubernetesArgs({
            region: "af-south-1",
            training: { datasetGb: 10, singleMachineHours: 1000, slaHours: 1, gpu: true },
        });
        expect(p.map((x) => x.path).sort()).toEqual(["config.mlops:region", "config.mlops:workload.training.slaHours"]);
    });

    it("refuses an API allow-list open to everyone", () => {
        const p = checkKubernetesArgs({
            region: "us-east-1",
            serving: { peakQps: 600, publicEndpoint: false },
            apiAuthorizedCidrs: ["0.0.0.0/0", "300.1.1.1/32"],
        });
        expect(p.map((x) => x.path)).toEqual(["apiAuthorizedCidrs[0]", "apiAuthorizedCidrs[1]"]);
    });
});

describe("kubernetesSpec", () => {
    const { loadStackFile } = require("../../assessment/config") as typeof import("../../assessment/config");
    const { kubernetesSpec } = require("../../stacks/blueprint") as typeof import("../../stacks/blueprint");
    const { parseStackConfig } = require("../../assessment/config") as typeof import("../../assessment/config");
    const { configFor } = require("../helpers/plan") as typeof import("../helpers/plan");

    it("one cluster for inference 5 and training 2 together", () => {
        const s = loadStackFile("examples/stacks/aws/Pulumi.kubernetes.yaml", "dev");
        expect(kubernetesSpec(s)).toEqual({
            region: "us-east-1",
            serving: { peakQps: 3000, publicEndpoint: false },
            training: { datasetGb: 60, singleMachineHours: 40, slaHours: 8, gpu: false },
        });
    });

    it("no cluster below these levels; one pipeline alone gets its part only", () => {
        const spec = (w: Record<string, unknown>) =>
            kubernetesSpec(parseStackConfig(configFor("gcp", w), "x.yaml", "dev"));
        expect(
            spec({
                inference: { mode: "online", peakQps: 400 },
                training: { datasetGb: 5, dataKind: "structured", singleMachineHours: 1, slaHours: 8 },
            }),
        ).toBeUndefined();
        expect(spec({ inference: { mode: "online", peakQps: 800 } })).toMatchObject({ serving: { peakQps: 800 } });
        expect(spec({ inference: { mode: "online", peakQps: 800 } })?.training).toBeUndefined();
        expect(
            spec({ training: { datasetGb: 500, dataKind: "unstructured", singleMachineHours: 1, slaHours: 8 } }),
        ).toMatchObject({ training: { gpu: true } });
    });
});

describe("2 TB of images, 30 h on one machine, 12 h SLA (issue 16: refused before)", () => {
    const { planConfig, configFor } = require("../helpers/plan") as typeof import("../helpers/plan");
    const { AZURE_NODE_SHAPES } =
        require("../../components/kubernetes/azure") as typeof import("../../components/kubernetes/azure");
    const { GCP_NODE_SHAPES } =
        require("../../components/kubernetes/gcp") as typeof import("../../components/kubernetes/gcp");
    const workload = { training: { datasetGb: 2000, dataKind: "unstructured", singleMachineHours: 30, slaHours: 12 } };
    const shapes = { aws: AWS_NODE_SHAPES, azure: AZURE_NODE_SHAPES, gcp: GCP_NODE_SHAPES };

    it.each(["aws", "azure", "gcp"] as const)(
        "%s: plans training level 2 on 4 GPU Ray workers and exports the sizing",
        async (cloud) => {
            const p = await planConfig(configFor(cloud, workload));
            expect(p.settings.levels.effective).toEqual({ training: 2 });
            expect(p.settings.levels.gpu).toBe(true);
            const ray = p.resources.filter((r) => r.type === "kubernetes:ray.io/v1:RayCluster");
            expect(ray).toHaveLength(1);
            const group = (ray[0]!.inputs as { spec: { workerGroupSpecs: Record<string, unknown>[] } }).spec
                .workerGroupSpecs[0] as {
                maxReplicas: number;
                template: { spec: { containers: { resources: unknown }[] } };
            };
            expect(group.maxReplicas).toBe(4);
            const shape = shapes[cloud].trainingGpu;
            const memory = `${Math.floor(shape.memoryGb * 0.8)}Gi`;
            expect(group.template.spec.containers[0]!.resources).toEqual({
                requests: { cpu: "7", memory, "nvidia.com/gpu": "1" },
                limits: { cpu: "7", memory, "nvidia.com/gpu": "1" },
            });
            // The reason is a stack output, with the numbers a person can redo.
            const sizing = p.outputs["raySizing"];
            expect(sizing).toBe(rayClusterSize(workload.training, shape).reason);
            expect(sizing).toContain(`up to 4 Ray workers of ${shape.machineType}`);
            expect(sizing).toContain("ceil(30 h on one machine / 12 h SLA / 0.8 parallel efficiency) = 4");
            expect(sizing).toContain("the 2000 GB dataset streams from object storage");
        },
    );
});

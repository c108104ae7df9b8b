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
    servingNodes,
    servingReplicas,
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
    it.each([
        // datasetGb, singleMachineHours, slaHours → workers (SLA: ceil(h/sla/0.8); memory: ceil(1.25*gb/51))
        [60, 40, 8, 7],
        [60, 10, 8, 2],
        [1000, 10, 8, 25],
        [10, 100, 1, 64],
    ])("%d GB, %d h on one machine, SLA %d h → %d workers", (gb, h, sla, workers) => {
        expect(rayClusterSize({ datasetGb: gb, singleMachineHours: h, slaHours: sla }, cpu).workers).toBe(workers);
    });

    it("worker pods leave room for the system on the node", () => {
        const s = rayClusterSize({ datasetGb: 60, singleMachineHours: 40, slaHours: 8 }, cpu);
        expect(s).toMatchObject({ workerCpu: 7, workerMemoryGi: 51, workerGpus: 0, fits: true });
    });

    it("never plans fewer than two workers or more than the cap, and grows with data and speed-up", () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 5000 }),
                fc.integer({ min: 0, max: 500 }),
                fc.integer({ min: 1, max: 100 }),
                (gb, h, sla) => {
                    const s = rayClusterSize({ datasetGb: gb, singleMachineHours: h, slaHours: sla }, cpu);
                    const more = rayClusterSize({ datasetGb: gb * 2, singleMachineHours: h * 2, slaHours: sla }, cpu);
                    return s.workers >= MIN_RAY_WORKERS && s.workers <= MAX_RAY_WORKERS && more.workers >= s.workers;
                },
            ),
        );
    });

    it("refuses a cluster beyond the cap, and GPU workers in a region without them", () => {
        const p = checkAwsKubernetesArgs({
            region: "af-south-1",
            training: { datasetGb: 10, singleMachineHours: 1000, slaHours: 1, gpu: true },
        });
        expect(p.map((x) => x.path).sort()).toEqual(["config.mlops:region", "config.mlops:workload.training"]);
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

import fc from "fast-check";
import { checkAwsEndpoint, serverlessConfig } from "../../components/endpoint/aws";
import { checkAzureEndpoint, consumptionCpu } from "../../components/endpoint/azure";
import { checkGcpEndpoint, cloudRunCpu } from "../../components/endpoint/gcp";
import { DEFAULT_INSTANCE_QPS, sizeEndpoint } from "../../components/endpoint/index";
import { endpointSpec } from "../../stacks/blueprint";
import { onlineSettings } from "./mocks";

describe("sizeEndpoint", () => {
    test.each([
        // peakQps, instanceQps, maxInstances, concurrencyPerInstance, maxConcurrentRequests
        [0, 20, 1, 2, 1],
        [1, 20, 1, 2, 1],
        [16, 20, 1, 2, 2],
        [40, 20, 3, 2, 5],
        [500, 20, 32, 2, 63],
        [500, 100, 7, 10, 63],
        [10, 0.5, 25, 1, 2],
    ])(
        "peak %d qps at %d qps/instance -> %d instances, %d per instance, %d in flight",
        (peak, per, inst, conc, flight) => {
            expect(sizeEndpoint(peak, per)).toEqual({
                maxInstances: inst,
                concurrencyPerInstance: conc,
                maxConcurrentRequests: flight,
            });
        },
    );

    test("the default per-instance throughput applies when none is given", () => {
        expect(sizeEndpoint(100)).toEqual(sizeEndpoint(100, DEFAULT_INSTANCE_QPS));
    });

    const qps = fc.double({ min: 0, max: 100_000, noNaN: true });
    const per = fc.double({ min: 0.01, max: 10_000, noNaN: true });

    test("more peak QPS never means fewer instances or less concurrency", () => {
        fc.assert(
            fc.property(qps, qps, per, (a, b, p) => {
                const [lo, hi] = a <= b ? [a, b] : [b, a];
                const s = sizeEndpoint(lo, p);
                const t = sizeEndpoint(hi, p);
                return t.maxInstances >= s.maxInstances && t.maxConcurrentRequests >= s.maxConcurrentRequests;
            }),
        );
    });

    test("faster instances never mean more instances", () => {
        fc.assert(
            fc.property(qps, per, per, (q, a, b) => {
                const [slow, fast] = a <= b ? [a, b] : [b, a];
                return sizeEndpoint(q, fast).maxInstances <= sizeEndpoint(q, slow).maxInstances;
            }),
        );
    });

    test("always at least one of everything, and the instances cover the peak", () => {
        fc.assert(
            fc.property(qps, per, (q, p) => {
                const s = sizeEndpoint(q, p);
                return (
                    s.maxInstances >= 1 &&
                    s.concurrencyPerInstance >= 1 &&
                    s.maxConcurrentRequests >= 1 &&
                    s.maxInstances * p >= q &&
                    Number.isInteger(s.maxInstances)
                );
            }),
        );
    });
});

describe("cloud limits (pure checks)", () => {
    const spec = (o: Record<string, unknown> = {}) => ({ region: "r", peakQps: 40, ...o });

    test("SageMaker serverless: 1-6 GB memory, at most 200 concurrent requests, no public endpoint", () => {
        expect(checkAwsEndpoint(spec())).toEqual([]);
        expect(serverlessConfig(sizeEndpoint(40), 2)).toEqual({ maxConcurrency: 5, memorySizeInMb: 2048 });
        expect(checkAwsEndpoint(spec({ memoryGb: 6 }))).toEqual([]);
        expect(checkAwsEndpoint(spec({ memoryGb: 7 })).map((p) => p.path)).toEqual(["memoryGb"]);
        expect(checkAwsEndpoint(spec({ memoryGb: 1.5 })).map((p) => p.path)).toEqual(["memoryGb"]);
        // 1700 qps * 1.25 * 0.1 s = 213 requests in flight > 200.
        expect(checkAwsEndpoint(spec({ peakQps: 1700 })).map((p) => p.path)).toEqual([
            "config.mlops:workload.inference.peakQps",
        ]);
        expect(checkAwsEndpoint(spec({ publicEndpoint: true })).map((p) => p.path)).toEqual([
            "config.mlops:options.publicEndpoint",
        ]);
    });

    test("Container Apps: Consumption sizes, at most 300 replicas", () => {
        expect(checkAzureEndpoint(spec())).toEqual([]);
        expect(consumptionCpu(2)).toBe(1);
        expect(checkAzureEndpoint(spec({ memoryGb: 0.5 }))).toEqual([]);
        expect(checkAzureEndpoint(spec({ memoryGb: 0.75 })).map((p) => p.path)).toEqual(["memoryGb"]);
        expect(checkAzureEndpoint(spec({ memoryGb: 16 })).map((p) => p.path)).toEqual(["memoryGb"]);
        expect(checkAzureEndpoint(spec({ peakQps: 500, instanceQps: 1 })).map((p) => p.path)).toEqual([
            "config.mlops:workload.inference.peakQps",
        ]);
    });

    test("Cloud Run: memory 0.5-32 GB with the CPUs it needs, at most 1000 instances", () => {
        expect(checkGcpEndpoint(spec())).toEqual([]);
        expect([1, 4, 6, 8, 12, 32].map(cloudRunCpu)).toEqual([1, 1, 2, 2, 4, 8]);
        expect(checkGcpEndpoint(spec({ memoryGb: 64 })).map((p) => p.path)).toEqual(["memoryGb"]);
        expect(checkGcpEndpoint(spec({ peakQps: 1000, instanceQps: 1 })).map((p) => p.path)).toEqual([
            "config.mlops:workload.inference.peakQps",
        ]);
    });

    test("shared checks name the config key", () => {
        for (const check of [checkAwsEndpoint, checkAzureEndpoint, checkGcpEndpoint]) {
            expect(check(spec({ image: " " })).map((p) => p.path)).toContain("config.mlops:options.images.inference");
            expect(check(spec({ instanceQps: 0 })).map((p) => p.path)).toEqual([
                "config.mlops:options.endpointInstanceQps",
            ]);
            expect(check(spec({ modelPath: "/abs" })).map((p) => p.path)).toEqual(["modelPath"]);
        }
    });
});

describe("endpointSpec", () => {
    test("online inference at level 4 gets an endpoint with the workload's peak and the options", () => {
        const s = onlineSettings("gcp", 40, {
            "mlops:options": { endpointInstanceQps: 50, images: { inference: "us-docker.pkg.dev/p/r/m:1" } },
        });
        expect(endpointSpec(s)).toEqual({
            region: "us-central1",
            peakQps: 40,
            instanceQps: 50,
            image: "us-docker.pkg.dev/p/r/m:1",
            publicEndpoint: false,
        });
        expect(
            endpointSpec(onlineSettings("aws", 40, { "mlops:options": { publicEndpoint: true } }))?.publicEndpoint,
        ).toBe(true);
    });

    test("no endpoint at level 5 (Kubernetes) or without online inference", () => {
        expect(endpointSpec(onlineSettings("azure", 501))).toBeUndefined();
        expect(endpointSpec(onlineSettings("azure", 40, { "mlops:levels": { inference: 5 } }))).toBeUndefined();
    });

    test("the options schema accepts endpointInstanceQps and refuses nonsense", () => {
        expect(() => onlineSettings("aws", 40, { "mlops:options": { endpointInstanceQps: -1 } })).toThrow(
            /endpointInstanceQps/,
        );
    });
});

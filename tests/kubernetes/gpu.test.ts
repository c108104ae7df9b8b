import type { PlannedResource } from "../../cli/plan/offline";
import {
    DEVICE_PLUGIN_NAMESPACE,
    devicePluginValues,
    NVIDIA_DEVICE_PLUGIN_CHART,
} from "../../components/kubernetes/gpu";
import { POOL_LABEL, poolTaint } from "../../components/kubernetes/workload";
import { configFor, planConfig } from "../helpers/plan";
import { CLUSTER_TYPES, K8S_TYPES, ofType } from "./harness";

/** Training at level 2 alone; unstructured data trains on GPUs. */
const training = (dataKind: "structured" | "unstructured") => ({
    training: { datasetGb: 60, dataKind, singleMachineHours: 40, slaHours: 8 },
});
/** Both pipelines, so a serving pool exists beside the training pool. */
const shared = (dataKind: "structured" | "unstructured") => ({
    ...training(dataKind),
    inference: { mode: "online", peakQps: 3000 },
});

const devicePlugins = (rs: readonly PlannedResource[]) =>
    ofType(rs, K8S_TYPES.helm).filter((r) => r.inputs.chart === NVIDIA_DEVICE_PLUGIN_CHART.chart);

async function plan(cloud: "aws" | "azure" | "gcp", workload: Record<string, unknown>) {
    return (await planConfig(configFor(cloud, workload))).resources;
}

describe("NVIDIA device plugin", () => {
    it.each(["aws", "azure"] as const)(
        "%s: installed from the pinned chart for a GPU training pool, on that pool only",
        async (cloud) => {
            const rs = await plan(cloud, shared("unstructured"));
            const [release, ...more] = devicePlugins(rs);
            expect(more).toEqual([]);
            expect(release!.inputs).toMatchObject({
                chart: "nvidia-device-plugin",
                version: NVIDIA_DEVICE_PLUGIN_CHART.version,
                repositoryOpts: { repo: "https://nvidia.github.io/k8s-device-plugin" },
                namespace: DEVICE_PLUGIN_NAMESPACE,
            });
            expect(release!.provider).toContain("kubernetes-k8s");
            const values = release!.inputs.values;
            // What the cluster installs is exactly what devicePluginValues() gives, on every cloud.
            expect(values).toEqual(devicePluginValues());
            expect(values.nodeSelector).toEqual({ [POOL_LABEL]: "training" });
            const taint = poolTaint("training")!;
            expect(values.tolerations).toEqual(
                expect.arrayContaining([
                    { key: taint.key, operator: "Equal", value: taint.value, effect: "NoSchedule" },
                    { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" },
                ]),
            );
            // The chart's default affinity (Node Feature Discovery labels) is replaced by the pool's label.
            expect(
                values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
            ).toEqual([{ matchExpressions: [{ key: POOL_LABEL, operator: "In", values: ["training"] }] }]);
            expect(JSON.stringify(values)).not.toContain("feature.node.kubernetes.io");
        },
        120000,
    );

    it.each([
        ["aws", "structured training beside serving", shared("structured")],
        ["azure", "structured training beside serving", shared("structured")],
        ["aws", "structured training alone", training("structured")],
        ["azure", "serving alone", { inference: { mode: "online", peakQps: 3000 } }],
        ["gcp", "GPU training (GKE installs drivers and plugin)", shared("unstructured")],
        ["gcp", "GPU training alone", training("unstructured")],
    ] as const)(
        "%s, %s: none",
        async (cloud, _, workload) => {
            const rs = await plan(cloud, workload);
            expect(rs.some((r) => CLUSTER_TYPES.includes(r.type))).toBe(true);
            expect(devicePlugins(rs)).toEqual([]);
        },
        120000,
    );

    it("GKE's GPU pool gets its driver from GKE itself", async () => {
        const rs = await plan("gcp", training("unstructured"));
        const pool = ofType(rs, "gcp:container/nodePool:NodePool").find((r) => r.inputs.name === "training")!;
        expect(pool.inputs.nodeConfig.guestAccelerators[0].gpuDriverInstallationConfig).toEqual({
            gpuDriverVersion: "LATEST",
        });
    }, 120000);

    it("the chart is pinned to a release, not a range", () => {
        expect(NVIDIA_DEVICE_PLUGIN_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
    });
});

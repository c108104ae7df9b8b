import { dangerous, diffPlans } from "../../cli/plan/compare";
import type { PlannedResource } from "../../cli/plan/offline";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import { MAX_LEVEL, PIPELINES, type Pipeline } from "../../components/shared/levels";
import { configFor, planConfig } from "../helpers/plan";

/**
 * Moving one pipeline from any of its levels to any other never replaces or destroys stateful
 * resources (storage, registries, streams, keys, the naming suffix): they keep their URNs and
 * inputs, or, where a level's own data store leaves the stack, it is retained in the cloud.
 */

/** A workload that assesses to each level of each pipeline. */
const WORKLOAD: Record<Pipeline, Record<number, Record<string, unknown>>> = {
    data: {
        1: { volumeGb: 20 },
        2: { volumeGb: 900 },
        3: { volumeGb: 20, freshnessSeconds: 30 },
    },
    training: {
        1: { datasetGb: 10, dataKind: "structured", singleMachineHours: 2, slaHours: 12 },
        2: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
    },
    inference: {
        1: { mode: "batch", volumeGb: 10 },
        2: { mode: "batch", volumeGb: 900 },
        3: { mode: "streaming" },
        4: { mode: "online", peakQps: 40 },
        5: { mode: "online", peakQps: 1500 },
    },
};

/** Every other pipeline stays at level 1 while one moves. */
function workloadWith(pipeline: Pipeline, level: number): Record<string, unknown> {
    return Object.fromEntries(PIPELINES.map((p) => [p, p === pipeline ? WORKLOAD[p][level] : WORKLOAD[p][1]]));
}

const cases = CLOUDS.flatMap((cloud) => PIPELINES.map((pipeline) => [cloud, pipeline] as [Cloud, Pipeline]));

describe.each(cases)("%s: every level change of %s", (cloud, pipeline) => {
    const plans = new Map<number, PlannedResource[]>();
    const levels = Array.from({ length: MAX_LEVEL[pipeline] }, (_, i) => i + 1);

    beforeAll(async () => {
        for (const l of levels) {
            const p = await planConfig(configFor(cloud, workloadWith(pipeline, l)), "prod");
            expect(p.settings.levels.effective[pipeline]).toBe(l);
            plans.set(l, p.resources);
        }
    }, 120_000);

    const pairs = levels.flatMap((a) => levels.filter((b) => b !== a).map((b) => [a, b] as const));
    test.each(pairs)("%s -> %s destroys no data", (a, b) => {
        const changes = diffPlans(plans.get(a)!, plans.get(b)!);
        expect(dangerous(changes)).toEqual([]);
        // The foundation's storage keeps its URNs; at most a setting changes in place (on Azure a
        // new subnet joins the storage firewall), never a replacement.
        const storage = (rs: PlannedResource[]) =>
            rs.filter(
                (r) =>
                    r.parent?.includes("mlops:foundation:Foundation") &&
                    /bucket:Bucket|StorageAccount|BlobContainer|kms\/key:Key/.test(r.type),
            );
        const before = storage(plans.get(a)!).map((r) => r.urn);
        expect(before.length).toBeGreaterThan(0);
        expect(storage(plans.get(b)!).map((r) => r.urn)).toEqual(before);
        const touched = changes.filter((c) => before.includes(c.urn));
        for (const c of touched)
            expect({ urn: c.urn, kind: c.kind, fields: c.fields }).toEqual({
                urn: c.urn,
                kind: "update",
                fields: ["networkRuleSet"],
            });
    });
});

import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseStackConfig } from "../../assessment/config";
import type { PlannedResource } from "../../cli/plan/offline";
import { loadKit } from "../../components/kits";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import { PIPELINES, type Pipeline } from "../../components/shared/levels";
import { TAG_KEYS } from "../../components/shared/tags";
import { runPolicies } from "../../policies/run";
import { blueprint, checkBlueprint } from "../../stacks/program";
import { configFor, planConfig } from "../helpers/plan";

/**
 * The stacks the project generates pass every mandatory rule. One list, WORKLOAD_FOR_LEVEL, names a
 * workload per pipeline level (LEVELS.md's rules); the levels the stack program can build are found
 * by asking the stack program's own blueprint (pure: a level it cannot build is a problem there), so
 * the combinations grow as levels are added, with no change here.
 */
const WORKLOAD_FOR_LEVEL: Readonly<Record<Pipeline, Readonly<Record<number, Record<string, unknown>>>>> = {
    data: {
        1: { volumeGb: 20, freshnessSeconds: 86400 },
        2: { volumeGb: 500, freshnessSeconds: 86400 },
        3: { volumeGb: 20, freshnessSeconds: 30 },
    },
    training: {
        1: { datasetGb: 5, dataKind: "structured", singleMachineHours: 2, slaHours: 24 },
        2: { datasetGb: 500, dataKind: "structured", singleMachineHours: 2, slaHours: 24 },
    },
    inference: {
        1: { mode: "batch", volumeGb: 10 },
        2: { mode: "batch", volumeGb: 500 },
        3: { mode: "streaming" },
        4: { mode: "online", peakQps: 40 },
        5: { mode: "online", peakQps: 5000 },
    },
};

/** The clouds whose kit exists (components/kits/<cloud>.ts); the others are reported as skipped. */
const READY = CLOUDS.filter((c) => existsSync(join(__dirname, "../../components/kits", `${c}.ts`)));

async function plan(
    cloud: Cloud,
    workload: Record<string, unknown>,
    stack: string,
    extra: Record<string, unknown> = {},
): Promise<PlannedResource[]> {
    return (await planConfig(configFor(cloud, workload, extra), stack)).resources;
}

/** True when the stack program builds this config (its checks find no problem before planning). */
async function buildable(
    cloud: Cloud,
    workload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
): Promise<boolean> {
    const settings = parseStackConfig(configFor(cloud, workload, extra), "Pulumi.dev.yaml", "dev");
    const kit = await loadKit(cloud);
    return checkBlueprint(settings, kit, blueprint(settings, kit)).length === 0;
}

function combinations(levels: Record<Pipeline, number[]>): Record<Pipeline, number>[] {
    let acc: Partial<Record<Pipeline, number>>[] = [{}];
    for (const p of PIPELINES) acc = acc.flatMap((c) => levels[p].map((l) => ({ ...c, [p]: l })));
    return acc as Record<Pipeline, number>[];
}

const mandatory = (r: { violations: { enforcement: string }[] }) =>
    r.violations.filter((v) => v.enforcement === "mandatory");

if (READY.length < CLOUDS.length)
    it.todo(`plan ${CLOUDS.filter((c) => !READY.includes(c)).join(", ")} once its kit exists`);

describe.each(READY)("stacks generated on %s", (cloud) => {
    const all = {} as Record<Pipeline, number[]>;
    for (const p of PIPELINES) all[p] = Object.keys(WORKLOAD_FOR_LEVEL[p]).map(Number);
    const workloadOf = (combo: Record<Pipeline, number>, dataKind = "structured") => ({
        ...Object.fromEntries(PIPELINES.map((p) => [p, WORKLOAD_FOR_LEVEL[p][combo[p]]])),
        training: { ...(WORKLOAD_FOR_LEVEL.training[combo.training] as object), dataKind },
    });
    const expectNoMandatory = async (combo: Record<Pipeline, number>, stack: string, dataKind?: string) => {
        const w = workloadOf(combo, dataKind);
        // Every combination is one the stack program builds: its own checks find nothing to refuse.
        expect(await buildable(cloud, w)).toBe(true);
        const report = await runPolicies(await plan(cloud, w, stack));
        expect({ combo, stack, dataKind, mandatory: mandatory(report) }).toEqual({
            combo,
            stack,
            dataKind,
            mandatory: [],
        });
    };

    // prod is where the gates are strictest (over-provisioning is mandatory there).
    it.each(
        combinations(all).map((c) => [`data ${c.data}, training ${c.training}, inference ${c.inference}`, c] as const),
    )("pass every mandatory rule in prod: %s", async (_, combo) => expectNoMandatory(combo, "prod"));

    it.each(all.training.map((l) => [l] as const))(
        "training level %s on a GPU (unstructured data) passes in prod and dev",
        async (l) => {
            const combo = { data: 1, training: l, inference: 1 };
            await expectNoMandatory(combo, "prod", "unstructured");
            await expectNoMandatory(combo, "dev", "unstructured");
        },
    );

    it("the lowest and the highest levels pass in dev too", async () => {
        await expectNoMandatory({ data: 1, training: 1, inference: 1 }, "dev");
        await expectNoMandatory(
            { data: Math.max(...all.data), training: Math.max(...all.training), inference: Math.max(...all.inference) },
            "dev",
        );
    });

    it("carries the level tags the gates read on every level resource", async () => {
        const resources = await plan(cloud, { data: WORKLOAD_FOR_LEVEL.data[1]! }, "prod");
        const bagOf = (r: PlannedResource) =>
            (r.inputs["tags"] ?? r.inputs["labels"]) as Record<string, string> | undefined;
        const tagged = resources.filter((r) => bagOf(r)?.[TAG_KEYS.pipeline] === "data");
        expect(tagged.length).toBeGreaterThan(0);
        for (const r of tagged)
            expect(bagOf(r)).toMatchObject({
                [TAG_KEYS.level]: "1",
                [TAG_KEYS.assessed]: "1",
                [TAG_KEYS.environment]: "prod",
            });
    });
});

/** Raises the level tag of every data resource, as a pin above the assessment would. */
function pinned(resources: PlannedResource[], level: number): PlannedResource[] {
    return resources.map((r) => {
        const key = r.inputs["tags"] !== undefined ? "tags" : r.inputs["labels"] !== undefined ? "labels" : undefined;
        const bag = key ? (r.inputs[key] as Record<string, string>) : undefined;
        if (!key || bag?.[TAG_KEYS.pipeline] !== "data") return r;
        return { ...r, inputs: { ...r.inputs, [key]: { ...bag, [TAG_KEYS.level]: String(level) } } };
    });
}

describe.each(READY)("a pin above the assessment on %s", (cloud) => {
    it("is exactly the over-provisioning violation, mandatory in prod and advisory in dev", async () => {
        const w = { data: WORKLOAD_FOR_LEVEL.data[1]! };
        // Pinning for real needs a second built level; until one exists the pin is applied to the tags.
        const pin = { "mlops:levels": { data: 2 } };
        const real = await buildable(cloud, w, pin);
        const prod = real ? await plan(cloud, w, "prod", pin) : pinned(await plan(cloud, w, "prod"), 2);
        const dev = real ? await plan(cloud, w, "dev", pin) : pinned(await plan(cloud, w, "dev"), 2);
        const p = (await runPolicies(prod)).violations;
        expect(p.length).toBeGreaterThan(0);
        expect(new Set(p.map((v) => `${v.policy}/${v.enforcement}`))).toEqual(
            new Set(["over-provisioned-level-blocking/mandatory"]),
        );
        expect(p[0]!.message).toMatch(/is data level 2 but the workload assesses level 1 \(environment prod\)/);
        const d = (await runPolicies(dev)).violations;
        expect(new Set(d.map((v) => `${v.policy}/${v.enforcement}`))).toEqual(
            new Set(["over-provisioned-level/advisory"]),
        );
        // A team may make staging or dev blocking too.
        const strict = await runPolicies(dev, {
            "over-provisioned-level-blocking": { blockingEnvironments: ["dev", "prod"] },
            "over-provisioned-level": { blockingEnvironments: ["dev", "prod"] },
        });
        expect(new Set(strict.violations.map((v) => v.enforcement))).toEqual(new Set(["mandatory"]));
    });
});

import { readdirSync } from "node:fs";
import * as path from "node:path";
import { providedBy } from "../../catalog";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { planPrerequisites } from "../../cli/plan/prerequisites";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import { PIPELINES, type Pipeline } from "../../components/shared/levels";
import { describeUnmet } from "../../offline/prerequisites";
import { configFor, planConfig, planStackFile } from "../helpers/plan";

/**
 * Every stack the project ships or generates can be created by one `pulumi up`: each resource's
 * create-time prerequisites are met (created earlier in the plan and waited for, public and pinned,
 * or supplied by the team). Each stack is planned once and several things are checked on it: every
 * example stack, all level combinations on each cloud (3 data × 2 training × 5 inference), training
 * on a GPU, and the `vm` batch runner.
 */
const ROOT = path.resolve(__dirname, "../..");

/** A workload per pipeline level (LEVELS.md's rules). */
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

type Combo = Record<Pipeline, number>;

function combinations(): Combo[] {
    let acc: Partial<Combo>[] = [{}];
    for (const p of PIPELINES)
        acc = acc.flatMap((c) => Object.keys(WORKLOAD_FOR_LEVEL[p]).map((l) => ({ ...c, [p]: Number(l) })));
    return acc as Combo[];
}

const workloadOf = (c: Combo, dataKind = "structured") => ({
    data: WORKLOAD_FOR_LEVEL.data[c.data],
    training: { ...WORKLOAD_FOR_LEVEL.training[c.training], dataKind },
    inference: WORKLOAD_FOR_LEVEL.inference[c.inference],
});

/** One stack to check: a label and how to plan it. */
interface Case {
    readonly label: string;
    readonly plan: () => Promise<StackPlan>;
}

const exampleCases: Case[] = [
    ...["aws", "azure", "gcp"].flatMap((c) =>
        readdirSync(path.join(ROOT, "examples/stacks", c))
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => `examples/stacks/${c}/${f}`),
    ),
    ...readdirSync(path.join(ROOT, "stacks"))
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .map((f) => `stacks/${f}`),
].map((f) => ({ label: f, plan: () => planStackFile(path.join(ROOT, f)) }));

function cloudCases(cloud: Cloud): Case[] {
    const level = (c: Combo) => `data ${c.data}, training ${c.training}, inference ${c.inference}`;
    return [
        ...combinations().map((c) => ({
            label: `${cloud} ${level(c)}`,
            plan: () => planConfig(configFor(cloud, workloadOf(c)), "prod"),
        })),
        ...Object.keys(WORKLOAD_FOR_LEVEL.training).map((t) => {
            const c = { data: 1, training: Number(t), inference: 1 };
            return {
                label: `${cloud} ${level(c)}, training on a GPU`,
                plan: () => planConfig(configFor(cloud, workloadOf(c, "unstructured")), "prod"),
            };
        }),
        {
            label: `${cloud} data 1, training 1, inference 1 on the vm batch runner`,
            plan: () =>
                planConfig(
                    configFor(cloud, workloadOf({ data: 1, training: 1, inference: 1 }), {
                        "mlops:options": { batchRunner: "vm" },
                    }),
                    "prod",
                ),
        },
    ];
}

/** Plans are made once per case and shared by the checks below. */
const plans = new Map<string, Promise<StackPlan>>();
const planOf = (c: Case) => {
    let p = plans.get(c.label);
    if (!p) {
        p = c.plan();
        plans.set(c.label, p);
    }
    return p;
};

/** The unmet prerequisites of a plan, one readable line each: the reader, then what it needs and why it is missing. */
const unmet = (p: StackPlan) =>
    planPrerequisites(p)
        .filter((c) => c.met === null)
        .map((c) => `${c.urn.split("::").pop()} (${c.type}): ${describeUnmet(c)}`);

const checks = (cases: Case[]) => {
    const table = cases.map((c) => [c.label, c] as const);

    it.each(table)("%s: every create-time prerequisite is met", async (label, c) => {
        expect({ stack: label, unmet: unmet(await planOf(c)) }).toEqual({ stack: label, unmet: [] });
    });

    it.each(table)("%s: every dependency is a resource of the plan registered before its dependent", async (_, c) => {
        const { resources } = await planOf(c);
        const position = new Map(resources.map((r, i) => [r.urn, i] as const));
        const wrong = resources.flatMap((r, i) =>
            r.dependencies
                .filter((d) => !((position.get(d) ?? Number.POSITIVE_INFINITY) < i))
                .map((d) => `${r.urn} -> ${d}`),
        );
        expect(wrong).toEqual([]);
    });

    it.each(table)("%s: no two resources upload or push the same thing", async (_, c) => {
        const { resources } = await planOf(c);
        const refs = resources.flatMap((r) => providedBy(r).map((p) => p.ref));
        expect(refs.filter((ref, i) => refs.indexOf(ref) !== i)).toEqual([]);
    });
};

describe("every example stack", () => checks(exampleCases));

describe.each(CLOUDS)("every level combination on %s", (cloud) => {
    it("plans all 30 combinations, GPU training and the vm runner", () => {
        expect(cloudCases(cloud)).toHaveLength(30 + 2 + 1);
    });
    checks(cloudCases(cloud));
});

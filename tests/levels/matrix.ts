import { parseStackConfig } from "../../assessment/config";
import { holdsData } from "../../catalog";
import { dangerous, diffPlans } from "../../cli/plan/compare";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { FOUNDATION_TYPE } from "../../components/foundation/index";
import { loadKit } from "../../components/kits";
import type { Cloud } from "../../components/shared/clouds";
import { PIPELINES, type Pipeline } from "../../components/shared/levels";
import { FOUNDATION, TAG_KEYS } from "../../components/shared/tags";
import type { PlannedResource } from "../../offline/engine";
import { runPolicies } from "../../policies/run";
import { blueprint, checkBlueprint } from "../../stacks/program";
import { CREATABLE, createProblems } from "../helpers/create-order";
import { configFor, descendants, planOnce } from "../helpers/plan";

/**
 * Every level combination of one cloud, planned once each in prod and checked for everything a
 * combination must hold: the stack program builds it, the workload assesses to exactly those
 * levels, no mandatory policy fires, one `pulumi up` can create it (prerequisites met, dependencies
 * in order), the level tags the gates read are on every level resource, and protection is a
 * property of data. Then the same plans are compared: moving any one pipeline to
 * any other level, from any combination, replaces or destroys no stateful resource, and every move
 * down deletes nothing protected. One file per cloud (`aws.test.ts`...), so jest's workers plan
 * the clouds in parallel.
 *
 * Protection (README, "protection"): in prod the foundation's data (buckets, keys, storage
 * accounts and containers, the naming suffix) is protected; a level's own data store (stream,
 * registry, lake) is retained on delete instead, so leaving the level keeps its data without
 * `pulumi up` refusing; nothing else is protected, since a protected network piece, identity or
 * component would stop the `pulumi up` that moves a level down.
 *
 * One list, WORKLOAD_FOR_LEVEL, names a workload per pipeline level (LEVELS.md's rules); the
 * combinations are its product, so they grow as levels are added, with no change here.
 */
export const WORKLOAD_FOR_LEVEL: Readonly<Record<Pipeline, Readonly<Record<number, Record<string, unknown>>>>> = {
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

const LEVELS = Object.fromEntries(PIPELINES.map((p) => [p, Object.keys(WORKLOAD_FOR_LEVEL[p]).map(Number)])) as Record<
    Pipeline,
    number[]
>;

/** Every combination of one level per pipeline. */
export const COMBOS: readonly Combo[] = PIPELINES.reduce<Partial<Combo>[]>(
    (acc, p) => acc.flatMap((c) => LEVELS[p].map((l) => ({ ...c, [p]: l }))),
    [{}],
) as Combo[];

const label = (c: Combo) => PIPELINES.map((p) => `${p} ${c[p]}`).join(", ");

export function workloadOf(combo: Combo, dataKind = "structured"): Record<string, unknown> {
    return {
        ...Object.fromEntries(PIPELINES.map((p) => [p, WORKLOAD_FOR_LEVEL[p][combo[p]]])),
        training: { ...WORKLOAD_FOR_LEVEL.training[combo.training], dataKind },
    };
}

/** The problems the stack program's own checks find before planning (pure: no resource is made). */
async function blueprintProblems(cloud: Cloud, config: Record<string, unknown>): Promise<unknown[]> {
    const settings = parseStackConfig(config, "Pulumi.dev.yaml", "dev");
    const kit = await loadKit(cloud);
    return checkBlueprint(settings, kit, blueprint(settings, kit));
}

const mandatory = async (resources: readonly PlannedResource[]) =>
    (await runPolicies(resources as PlannedResource[])).violations.filter((v) => v.enforcement === "mandatory");

/** The tag bag the gates read: AWS and Azure `tags`, GCP `labels`. */
const bagOf = (r: PlannedResource) => (r.inputs["tags"] ?? r.inputs["labels"]) as Record<string, string> | undefined;

const id = (r: PlannedResource) => `${r.type} ${r.name}`;

/**
 * Holds data, as the catalogue says (it throws on a type it does not know), except GCP's Docker Hub
 * mirror: a remote Artifact Registry repository is a pull-through cache of images it fetches again.
 */
const isData = (r: PlannedResource) => r.custom && holdsData(r.type, r.inputs);

/** Network pieces: what a level adds to the private network (paths out, endpoints, subnets). */
const NETWORK =
    /^(aws:ec2\/|aws:vpc\/|azure-native:network:|gcp:compute\/(router|routerNat|subnetwork|network|firewall):)/;

/** Combinations whose levels put pieces into the network that level 1 does not have, per cloud. */
const ADDS_NETWORK: Readonly<Record<Cloud, (c: Combo & { vm?: boolean }) => boolean>> = {
    // NAT and node endpoints (Kubernetes), the Kinesis endpoint (streaming), ECR endpoints (the VM
    // runner), the Spark workers' security group.
    aws: (c) => c.data > 1 || [2, 3, 5].includes(c.inference) || c.training === 2 || c.vm === true,
    // The Kubernetes subnet; Spark's private endpoint; the VM runner's network interfaces.
    azure: (c) => c.inference === 5 || c.training === 2 || c.data === 2 || c.inference === 2 || c.vm === true,
    // Cloud NAT and the GKE subnet; the firewall rules that let Dataproc (Spark) and Dataflow
    // (streaming) workers talk to each other.
    gcp: (c) => c.inference === 5 || c.training === 2 || c.data > 1 || [2, 3].includes(c.inference),
};

/** How a prod plan's protection differs from "data only, and all of it protected or retained". */
function protectionProblems(rs: readonly PlannedResource[]): Record<string, string[]> {
    return {
        protectedButNotData: rs.filter((r) => r.protect && !isData(r)).map(id),
        dataNeitherProtectedNorRetained: rs.filter((r) => isData(r) && !r.protect && !r.retainOnDelete).map(id),
    };
}

/** The protected resources under the foundation, by URN. */
function foundationProtected(rs: readonly PlannedResource[]): string[] {
    const f = rs.find((r) => r.type === FOUNDATION_TYPE);
    if (f === undefined) throw new Error("no foundation in the plan");
    return descendants(rs, f.urn)
        .filter((r) => r.protect)
        .map((r) => r.urn)
        .sort();
}

/** What moving from `higher` down to `lower` would lose that it must not. */
function moveDownProblems(higher: readonly PlannedResource[], lower: readonly PlannedResource[]) {
    const kept = new Set(lower.map((r) => r.urn));
    const gone = higher.filter((r) => !kept.has(r.urn));
    return {
        // `pulumi up` refuses to delete a protected resource.
        protectedDeleted: gone.filter((r) => r.protect).map(id),
        // Data the lower level no longer needs stays in the cloud.
        dataDestroyed: gone.filter((r) => isData(r) && !r.retainOnDelete).map(id),
        // The foundation's data stays, protected, under the same URNs.
        foundationChanged: foundationProtected(lower).join() !== foundationProtected(higher).join(),
    };
}
const NO_LOSS = { protectedDeleted: [], dataDestroyed: [], foundationChanged: false };

/** `b` is a move down from `a`: no pipeline higher, at least one lower. */
const below = (a: Combo, b: Combo) => PIPELINES.every((p) => b[p] <= a[p]) && PIPELINES.some((p) => b[p] < a[p]);

/** Plans `config` once in this file, after checking that the stack program's checks accept it. */
async function plan(cloud: Cloud, config: Record<string, unknown>, stack: string): Promise<StackPlan> {
    expect({ config, problems: await blueprintProblems(cloud, config) }).toEqual({ config, problems: [] });
    return planOnce(config, stack);
}

export function describeLevelMatrix(cloud: Cloud): void {
    const prod = (combo: Combo) => plan(cloud, configFor(cloud, workloadOf(combo)), "prod");

    describe(`every level combination on ${cloud}, planned once in prod`, () => {
        it.each(COMBOS.map((c) => [label(c), c] as const))("%s", async (_, combo) => {
            const p = await prod(combo);
            expect(p.settings.levels.effective).toEqual(combo);
            expect({ combo, mandatory: await mandatory(p.resources) }).toEqual({ combo, mandatory: [] });
            expect(createProblems(p)).toEqual(CREATABLE);

            // Every level resource carries the tags the over-provisioning gates compare: its pipeline's
            // level, or for a resource pipelines share (`training-inference`), the highest of theirs.
            const levelResources = p.resources.filter((r) => {
                const pipeline = bagOf(r)?.[TAG_KEYS.pipeline];
                return pipeline !== undefined && pipeline !== FOUNDATION;
            });
            for (const r of levelResources) {
                const shared = bagOf(r)![TAG_KEYS.pipeline]!.split("-") as Pipeline[];
                const level = String(Math.max(...shared.map((s) => combo[s])));
                expect({ name: r.name, tags: bagOf(r) }).toMatchObject({
                    name: r.name,
                    tags: { [TAG_KEYS.level]: level, [TAG_KEYS.assessed]: level, [TAG_KEYS.environment]: "prod" },
                });
            }
            const tagged = new Set(levelResources.flatMap((r) => bagOf(r)![TAG_KEYS.pipeline]!.split("-")));
            expect([...tagged].sort()).toEqual([...PIPELINES].sort());

            // Protection is a property of data; the foundation's data is protected.
            expect(protectionProblems(p.resources)).toEqual({
                protectedButNotData: [],
                dataNeitherProtectedNorRetained: [],
            });
            expect(foundationProtected(p.resources).length).toBeGreaterThan(0);
            // The network pieces this combination adds are exactly where the table says (so the
            // check above covers them), and none is protected.
            const base = new Set((await prod({ data: 1, training: 1, inference: 1 })).resources.map((r) => r.urn));
            const added = p.resources.filter((r) => NETWORK.test(r.type) && !base.has(r.urn));
            expect({ addsNetwork: added.length > 0 }).toEqual({ addsNetwork: ADDS_NETWORK[cloud](combo) });
            expect(added.filter((r) => r.protect).map(id)).toEqual([]);
        });
    });

    describe(`every move down on ${cloud} deletes nothing protected and destroys no data`, () => {
        it.each(COMBOS.filter((a) => COMBOS.some((b) => below(a, b))).map((c) => [label(c), c] as const))(
            "from %s",
            async (_, from) => {
                const higher = (await prod(from)).resources;
                for (const to of COMBOS.filter((b) => below(from, b)))
                    expect({ to: label(to), ...moveDownProblems(higher, (await prod(to)).resources) }).toEqual({
                        to: label(to),
                        ...NO_LOSS,
                    });
            },
        );

        it("inference 5 -> 4 (the move that used to fail): the cluster's network pieces go, nothing protected does", async () => {
            const higher = (await prod({ data: 1, training: 1, inference: 5 })).resources;
            const lower = (await prod({ data: 1, training: 1, inference: 4 })).resources;
            const kept = new Set(lower.map((r) => r.urn));
            const gone = higher.filter((r) => !kept.has(r.urn));
            expect(gone.filter((r) => NETWORK.test(r.type)).length).toBeGreaterThan(0);
            expect(gone.filter((r) => r.protect).map(id)).toEqual([]);
            expect(foundationProtected(lower)).toEqual(foundationProtected(higher));
        });
    });

    describe(`moving one pipeline on ${cloud} destroys no data`, () => {
        // Every pipeline moves between all its levels, once for each setting of the other two.
        const moves = PIPELINES.flatMap((moving) =>
            COMBOS.filter((c) => c[moving] === LEVELS[moving][0]).map((from) => {
                const others = PIPELINES.filter((p) => p !== moving)
                    .map((p) => `${p} ${from[p]}`)
                    .join(", ");
                return [moving, others, from] as const;
            }),
        );
        it.each(moves)("%s, with %s", async (moving, _, from) => {
            const byLevel = new Map<number, PlannedResource[]>();
            for (const l of LEVELS[moving]) byLevel.set(l, (await prod({ ...from, [moving]: l })).resources);
            for (const [a, before] of byLevel)
                for (const [b, after] of byLevel) {
                    if (a === b) continue;
                    const changes = diffPlans(before, after);
                    expect({ from: a, to: b, dangerous: dangerous(changes) }).toEqual({
                        from: a,
                        to: b,
                        dangerous: [],
                    });
                    // The foundation's storage keeps its URNs; at most a setting changes in place (on
                    // Azure a new subnet joins the storage firewall), never a replacement.
                    const storage = (rs: PlannedResource[]) =>
                        rs
                            .filter(
                                (r) =>
                                    r.parent?.includes("mlops:foundation:Foundation") &&
                                    /bucket:Bucket|StorageAccount|BlobContainer|kms\/key:Key/.test(r.type),
                            )
                            .map((r) => r.urn);
                    const kept = storage(before);
                    expect(kept.length).toBeGreaterThan(0);
                    expect({ from: a, to: b, storage: storage(after) }).toEqual({ from: a, to: b, storage: kept });
                    for (const c of changes.filter((x) => kept.includes(x.urn)))
                        expect({ from: a, to: b, urn: c.urn, kind: c.kind, fields: c.fields }).toEqual({
                            from: a,
                            to: b,
                            urn: c.urn,
                            kind: "update",
                            fields: ["networkRuleSet"],
                        });
                }
        });
    });

    describe(`other stacks on ${cloud}`, () => {
        it.each(LEVELS.training.map((l) => [l] as const))(
            "training level %s on a GPU (unstructured data) passes in prod and dev",
            async (l) => {
                const combo = { data: 1, training: l, inference: 1 };
                for (const stack of ["prod", "dev"]) {
                    const p = await plan(cloud, configFor(cloud, workloadOf(combo, "unstructured")), stack);
                    expect(p.settings.levels.effective).toEqual(combo);
                    expect({ stack, mandatory: await mandatory(p.resources) }).toEqual({ stack, mandatory: [] });
                    expect({ stack, ...createProblems(p) }).toEqual({ stack, ...CREATABLE });
                }
            },
        );

        it("the lowest and the highest levels pass in dev too, and dev protects nothing", async () => {
            const highest = Object.fromEntries(PIPELINES.map((p) => [p, Math.max(...LEVELS[p])])) as Combo;
            for (const combo of [{ data: 1, training: 1, inference: 1 }, highest]) {
                const p = await plan(cloud, configFor(cloud, workloadOf(combo)), "dev");
                expect(p.settings.levels.effective).toEqual(combo);
                expect({ combo, mandatory: await mandatory(p.resources) }).toEqual({ combo, mandatory: [] });
                expect(p.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
            }
        });

        it("the always-on VM runner: data only is protected, its network pieces are not, and leaving level 5 loses nothing", async () => {
            const vm = { "mlops:options": { batchRunner: "vm" } };
            const vmPlan = (combo: Combo) => plan(cloud, configFor(cloud, workloadOf(combo), vm), "prod");
            const low = { data: 1, training: 1, inference: 1 };
            const high = { data: 1, training: 1, inference: 5 };
            const base = new Set((await prod(low)).resources.map((r) => r.urn));
            for (const combo of [low, high]) {
                const p = await vmPlan(combo);
                expect(p.settings.levels.effective).toEqual(combo);
                expect({ combo, ...createProblems(p) }).toEqual({ combo, ...CREATABLE });
                expect(protectionProblems(p.resources)).toEqual({
                    protectedButNotData: [],
                    dataNeitherProtectedNorRetained: [],
                });
                const added = p.resources.filter((r) => NETWORK.test(r.type) && !base.has(r.urn));
                expect({ combo, addsNetwork: added.length > 0 }).toEqual({
                    combo,
                    addsNetwork: ADDS_NETWORK[cloud]({ ...combo, vm: true }),
                });
                expect(added.filter((r) => r.protect).map(id)).toEqual([]);
            }
            expect(moveDownProblems((await vmPlan(high)).resources, (await vmPlan(low)).resources)).toEqual(NO_LOSS);
        });

        it("a pin above the assessment is exactly the over-provisioning violation, mandatory in prod and advisory in dev", async () => {
            const config = configFor(cloud, { data: WORKLOAD_FOR_LEVEL.data[1]! }, { "mlops:levels": { data: 2 } });
            const prod = await plan(cloud, config, "prod");
            expect(prod.settings.levels.effective.data).toBe(2);
            const p = (await runPolicies(prod.resources)).violations;
            expect(p.length).toBeGreaterThan(0);
            expect(new Set(p.map((v) => `${v.policy}/${v.enforcement}`))).toEqual(
                new Set(["over-provisioned-level-blocking/mandatory"]),
            );
            expect(p[0]!.message).toMatch(/is data level 2 but the workload assesses level 1 \(environment prod\)/);
            const dev = (await plan(cloud, config, "dev")).resources;
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
}

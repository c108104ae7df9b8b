import { resourceSpec } from "../../catalog";
import { FOUNDATION_TYPE } from "../../components/foundation/index";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import type { Pipeline } from "../../components/shared/levels";
import type { PlannedResource } from "../../offline/engine";
import { configFor, descendants, planConfig } from "../helpers/plan";

/**
 * Protection is a property of data. For every cloud, the prod stack is planned at each level of each
 * pipeline and at the combinations that add network pieces (a NAT, interface endpoints, a subnet),
 * once per configuration; then every move from a configuration to a lower one is checked:
 *
 * - nothing protected is deleted: every protected resource of the higher plan is still in the lower
 *   plan under the same URN. A level's own data store (stream, registry, lake) is not protected but
 *   retained on delete: leaving the level keeps its data in the cloud and `pulumi up` is not stopped;
 * - the pieces a level adds to the network are never protected, so a move down can remove them;
 * - only data is protected: the foundation's buckets, keys, storage accounts and containers and the
 *   naming suffix, never a component and never what the foundation builds around them.
 */

/** Types that hold data, as the catalogue says: the only ones a stack may protect. */
const isData = (type: string) => resourceSpec(type).stateful;

/** Network pieces: what a level adds to the private network (paths out, endpoints, subnets). */
const NETWORK =
    /^(aws:ec2\/|aws:vpc\/|azure-native:network:|gcp:compute\/(router|routerNat|subnetwork|network|firewall):)/;

/** A workload that assesses to each level of each pipeline (the others stay at level 1). */
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

interface Setup {
    readonly data: number;
    readonly training: number;
    readonly inference: number;
    /** The always-on VM runner for level-1 batch work (AWS: ECR interface endpoints). */
    readonly vm?: boolean;
}

const label = (s: Setup) => `data ${s.data}, training ${s.training}, inference ${s.inference}${s.vm ? ", vm" : ""}`;

/** Each level on its own, and the combinations whose network pieces overlap or add up. */
const SETUPS: readonly Setup[] = [
    { data: 1, training: 1, inference: 1 },
    { data: 2, training: 1, inference: 1 },
    { data: 3, training: 1, inference: 1 },
    { data: 1, training: 2, inference: 1 },
    { data: 1, training: 1, inference: 2 },
    { data: 1, training: 1, inference: 3 },
    { data: 1, training: 1, inference: 4 },
    { data: 1, training: 1, inference: 5 },
    { data: 1, training: 2, inference: 5 },
    { data: 3, training: 1, inference: 5 },
    { data: 1, training: 1, inference: 1, vm: true },
    { data: 1, training: 1, inference: 5, vm: true },
];

/** `b` is a move down from `a`: no pipeline higher, at least one lower, the same runner. */
const lower = (a: Setup, b: Setup) =>
    (a.vm ?? false) === (b.vm ?? false) &&
    b.data <= a.data &&
    b.training <= a.training &&
    b.inference <= a.inference &&
    (b.data < a.data || b.training < a.training || b.inference < a.inference);

const MOVES = SETUPS.flatMap((a) => SETUPS.filter((b) => lower(a, b)).map((b) => [label(a), label(b)] as const));

/** Setups whose levels put pieces into the network that level 1 does not have, per cloud. */
const ADDS_NETWORK: Readonly<Record<Cloud, (s: Setup) => boolean>> = {
    // NAT and node endpoints (Kubernetes), the Kinesis endpoint (streaming), ECR endpoints (vm
    // runner), the Spark workers' security group.
    aws: (s) => s.data > 1 || [2, 3, 5].includes(s.inference) || s.training === 2 || s.vm === true,
    // The Kubernetes subnet; Spark's private endpoint.
    azure: (s) => s.inference === 5 || s.training === 2 || s.data === 2 || s.inference === 2,
    // Cloud NAT and the GKE subnet.
    gcp: (s) => s.inference === 5 || s.training === 2,
};

const protectedOf = (rs: readonly PlannedResource[]) => rs.filter((r) => r.protect);

describe.each(CLOUDS)("%s prod: protection across level changes", (cloud) => {
    const plans = new Map<string, PlannedResource[]>();

    beforeAll(async () => {
        for (const s of SETUPS) {
            const workload = {
                data: WORKLOAD.data[s.data],
                training: WORKLOAD.training[s.training],
                inference: WORKLOAD.inference[s.inference],
            };
            const extra = s.vm ? { "mlops:options": { batchRunner: "vm" } } : {};
            const plan = await planConfig(configFor(cloud, workload, extra), "prod");
            expect(plan.settings.levels.effective).toEqual({
                data: s.data,
                training: s.training,
                inference: s.inference,
            });
            plans.set(label(s), plan.resources);
        }
    }, 300_000);

    test.each(SETUPS.map(label))(
        "%s: only data is protected, no component, nothing the foundation builds around it",
        (l) => {
            const rs = plans.get(l)!;
            const prot = protectedOf(rs);
            expect(prot.length).toBeGreaterThan(0);
            expect(prot.filter((r) => !isData(r.type)).map((r) => `${r.type} ${r.name}`)).toEqual([]);
            expect(rs.filter((r) => !r.custom && r.protect).map((r) => r.urn)).toEqual([]);
        },
    );

    test.each(SETUPS.filter((s) => ADDS_NETWORK[cloud](s)).map(label))(
        "%s: the network pieces this level adds are not protected",
        (l) => {
            const base = new Set(plans.get(label(SETUPS[0]!))!.map((r) => r.urn));
            const added = plans.get(l)!.filter((r) => NETWORK.test(r.type) && !base.has(r.urn));
            expect(added.length).toBeGreaterThan(0);
            expect(added.filter((r) => r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([]);
        },
    );

    test("inference 5 -> 4 (the move that used to fail): cluster and network pieces go, nothing protected does", () => {
        const higher = plans.get(label({ data: 1, training: 1, inference: 5 }))!;
        const lowerPlan = plans.get(label({ data: 1, training: 1, inference: 4 }))!;
        const kept = new Set(lowerPlan.map((r) => r.urn));
        const gone = higher.filter((r) => !kept.has(r.urn));
        expect(gone.filter((r) => NETWORK.test(r.type)).length).toBeGreaterThan(0);
        expect(gone.filter((r) => r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([]);
        expect(protectedOf(lowerPlan).map((r) => r.urn)).toEqual(protectedOf(higher).map((r) => r.urn));
    });

    test.each(MOVES)("%s -> %s deletes nothing protected", (from, to) => {
        const higher = plans.get(from)!;
        const lowerPlan = plans.get(to)!;
        const kept = new Set(lowerPlan.map((r) => r.urn));
        const gone = protectedOf(higher).filter((r) => !kept.has(r.urn));
        expect(gone.map((r) => `${r.type} ${r.name}`)).toEqual([]);
        // What the lower level no longer needs and that holds data is retained in the cloud.
        const dropped = higher.filter((r) => !kept.has(r.urn) && isData(r.type));
        expect(dropped.filter((r) => !r.retainOnDelete).map((r) => `${r.type} ${r.name}`)).toEqual([]);
        // The foundation's data stays, protected, under the same URNs.
        const foundation = (rs: PlannedResource[]) => {
            const f = rs.find((r) => r.type === FOUNDATION_TYPE)!;
            return protectedOf(descendants(rs, f.urn))
                .map((r) => r.urn)
                .sort();
        };
        expect(foundation(higher).length).toBeGreaterThan(0);
        expect(foundation(lowerPlan)).toEqual(foundation(higher));
    });
});

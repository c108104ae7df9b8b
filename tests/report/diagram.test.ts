import type { PlannedResource } from "../../cli/plan/offline";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { buildDiagram, type Diagram, STORAGE, shortType, toDot } from "../../cli/report/diagram";
import { costTableHtml } from "../../cli/report/html";
import { estimateStack, usageFromSettings } from "../../cost/model";
import { renderCostTable } from "../../cost/render";
import { runPolicies } from "../../policies/run";
import { configFor, planConfig } from "../helpers/plan";

/**
 * The architecture picture of stacks where two pipelines share a component, on each cloud:
 * inference level 5 and training level 2 share one Kubernetes cluster (data at level 1 beside
 * them), and data and inference at level 2 share one Spark cluster (training at level 1). Each
 * stack is planned once; the structure is asserted against the plan itself.
 */
const CLOUDS = ["aws", "azure", "gcp"] as const;
type Cloud = (typeof CLOUDS)[number];
const KUBERNETES = {
    data: { volumeGb: 5 },
    training: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
    inference: { mode: "online", peakQps: 3000 },
};
const SPARK = {
    data: { volumeGb: 900 },
    training: { datasetGb: 40, dataKind: "structured", singleMachineHours: 3, slaHours: 8 },
    inference: { mode: "batch", volumeGb: 2000 },
};

const plans = new Map<string, { p: StackPlan; d: Diagram }>();
beforeAll(async () => {
    for (const cloud of CLOUDS)
        for (const [kind, workload] of [
            ["kubernetes", KUBERNETES],
            ["spark", SPARK],
        ] as const) {
            const p = await planConfig(configFor(cloud, workload));
            plans.set(`${cloud}/${kind}`, { p, d: buildDiagram(p.resources) });
        }
});
const get = (cloud: Cloud, kind: "kubernetes" | "spark") => plans.get(`${cloud}/${kind}`)!;

/** The resource's nearest component (mlops:*) above it. */
function componentAbove(r: PlannedResource, byUrn: Map<string, PlannedResource>): PlannedResource | undefined {
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined)
        if (p.type.startsWith("mlops:")) return p;
    return undefined;
}

/** Every string under a dotted input path, list indices skipped (`containers.env` → every env value). */
function valuesAt(v: unknown, keys: readonly string[]): string[] {
    if (keys.length === 0) return stringsOf(v);
    if (Array.isArray(v)) return v.flatMap((x) => valuesAt(x, keys));
    if (v === null || typeof v !== "object") return [];
    return valuesAt((v as Record<string, unknown>)[keys[0]!], keys.slice(1));
}

function stringsOf(v: unknown): string[] {
    if (typeof v === "string") return [v];
    if (Array.isArray(v)) return v.flatMap(stringsOf);
    if (v !== null && typeof v === "object") return Object.values(v).flatMap(stringsOf);
    return [];
}

/** Each component once, every resource in one box, each box in one group, every arrow a fact. */
function expectSoundStructure(p: StackPlan, d: Diagram): void {
    const byUrn = new Map(p.resources.map((r) => [r.urn, r]));
    const nodeOf = new Map<string, string>();
    for (const n of d.nodes)
        for (const urn of n.urns) {
            expect(nodeOf.has(urn) ? `${urn} in ${nodeOf.get(urn)} and ${n.id}` : "").toBe("");
            nodeOf.set(urn, n.id);
        }
    // Every component and every resource under one is drawn, exactly once (checked above).
    const drawable = p.resources.filter((r) => r.type.startsWith("mlops:") || componentAbove(r, byUrn));
    expect(drawable.filter((r) => !nodeOf.has(r.urn)).map((r) => r.name)).toEqual([]);
    expect(nodeOf.size).toBe(drawable.length);
    // Each node in exactly one group.
    const grouped = d.groups.flatMap((g) => g.nodes);
    expect([...grouped].sort()).toEqual(d.nodes.map((n) => n.id).sort());
    expect(new Set(d.groups.map((g) => g.id)).size).toBe(d.groups.length);

    // The arrows are exactly the dependencies across boxes: none invented, none lost.
    const pairs = new Set<string>();
    for (const r of p.resources)
        for (const dep of r.dependencies) {
            const a = nodeOf.get(r.urn);
            const b = nodeOf.get(dep);
            if (a && b && a !== b) pairs.add(`${a} -> ${b}`);
        }
    expect(d.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual([...pairs].sort());
    for (const e of d.edges) {
        expect(e.facts.length).toBeGreaterThan(0);
        for (const f of e.facts) {
            const from = byUrn.get(f.from)!;
            expect(from.dependencies).toContain(f.to);
            expect(nodeOf.get(f.from)).toBe(e.from);
            expect(nodeOf.get(f.to)).toBe(e.to);
            // The named input holds one of the target's output values.
            if (f.input) {
                const held = valuesAt(from.inputs, f.input.split("."));
                const outputs = stringsOf(byUrn.get(f.to)!.outputs).filter((v) => v.length >= 8);
                expect(held.some((h) => outputs.some((o) => h.includes(o)))).toBe(true);
            }
        }
        // The old picture's arrows came from nothing the stack does.
        expect(e.label).not.toMatch(/^(scores|training data|model|features)$/m);
    }
}

const groupOf = (d: Diagram, node: string) => d.groups.find((g) => g.nodes.includes(node))?.id;
const edge = (d: Diagram, from: string, to: string) => d.edges.find((e) => e.from === from && e.to === to);
const inputsOf = (p: StackPlan, d: Diagram, from: string, to: string) => {
    const byUrn = new Map(p.resources.map((r) => [r.urn, r]));
    return (edge(d, from, to)?.facts ?? []).map((f) => `${byUrn.get(f.from)!.type.split(":").pop()} ${f.input ?? "-"}`);
};

describe("architecture diagram", () => {
    test("short type names", () => {
        expect(shortType("aws:sfn/stateMachine:StateMachine")).toBe("sfn StateMachine");
        expect(shortType("mlops:batch-job:BatchJob")).toBe("BatchJob");
        expect(shortType("azure-native:app:Job")).toBe("app Job");
    });

    describe.each(CLOUDS)("%s", (cloud) => {
        test("inference 5 and training 2 share the Kubernetes cluster: drawn once, in their shared group", () => {
            const { p, d } = get(cloud, "kubernetes");
            expect(p.settings.levels.effective).toEqual({ data: 1, training: 2, inference: 5 });
            expectSoundStructure(p, d);

            const groups = Object.fromEntries(d.groups.map((g) => [g.id, [...g.nodes].sort()]));
            // The foundation's egress exists only for the cluster and is tagged so (Azure's cluster
            // brings its own outbound load balancer).
            const egress = cloud === "azure" ? [] : ["foundation-egress"];
            expect(groups).toEqual({
                data: ["data"],
                "training-inference": [...egress, "kubernetes"].sort(),
                inference: ["registry"],
                foundation: ["foundation", STORAGE.artifacts, STORAGE.data],
            });
            const shared = d.groups.find((g) => g.id === "training-inference")!;
            expect(shared.label).toBe("shared by training · level 2 and inference · level 5");
            const cluster = d.nodes.find((n) => n.id === "kubernetes")!;
            expect(cluster).toMatchObject({
                pipelines: ["training", "inference"],
                levels: { training: 2, inference: 5 },
            });
            // Ray and the model service are inside the cluster's box, not boxes of their own.
            expect(cluster.urns.some((u) => u.includes("mlops:kubernetes:RayTraining"))).toBe(true);
            expect(cluster.urns.some((u) => u.includes("mlops:kubernetes:ModelServing"))).toBe(true);
            const foundation = d.nodes.find((n) => n.id === "foundation")!;
            expect(foundation).toMatchObject({ kind: "foundation", pipelines: [], levels: {} });
            expect(foundation.urns.some((u) => u.includes("InternetEgress"))).toBe(false);

            // Arrows from the plan: the model Deployment reads the sample model from the artifacts
            // store (its args name the object, or it waits on the upload), the Ray cluster's
            // environment names both stores, and the data job reads and writes data.
            expect(
                inputsOf(p, d, "kubernetes", STORAGE.artifacts).filter((i) => i.startsWith("Deployment ")),
            ).not.toEqual([]);
            // The Ray cluster reads the sample uploads in both stores: its environment names them, or
            // (where a URL names no resource on its own) the arrow stands on the dependency.
            for (const store of [STORAGE.data, STORAGE.artifacts])
                expect(inputsOf(p, d, "kubernetes", store).filter((i) => i.startsWith("RayCluster "))).not.toEqual([]);
            expect(edge(d, "kubernetes", STORAGE.data)?.label).toMatch(/RayCluster/);
            expect(edge(d, "data", STORAGE.data)).toBeDefined();
            // Nothing flows out of the stores or the registry: nothing in them depends on a job.
            expect(
                d.edges.filter(
                    (e) => ["registry", STORAGE.data, STORAGE.artifacts].includes(e.from) && e.to !== "foundation",
                ),
            ).toEqual([]);
        });

        test("data 2 and inference 2 share the Spark cluster; training 1 has its own group", () => {
            const { p, d } = get(cloud, "spark");
            expect(p.settings.levels.effective).toEqual({ data: 2, training: 1, inference: 2 });
            expectSoundStructure(p, d);

            expect(groupOf(d, "spark")).toBe("data-inference");
            expect(groupOf(d, "training")).toBe("training");
            expect(d.groups.map((g) => g.id).sort()).toEqual(["data-inference", "foundation", "training"]);
            expect(d.groups.find((g) => g.id === "data-inference")!.label).toBe(
                "shared by data · level 2 and inference · level 2",
            );
            expect(d.nodes.find((n) => n.id === "spark")).toMatchObject({ levels: { data: 2, inference: 2 } });
            for (const from of ["spark", "training"])
                for (const store of [STORAGE.data, STORAGE.artifacts]) expect(edge(d, from, store)).toBeDefined();
        });

        test("DOT: one cluster per group, each box defined once, the foundation without a level", () => {
            for (const kind of ["kubernetes", "spark"] as const) {
                const { d } = get(cloud, kind);
                const dot = toDot(d);
                for (const n of d.nodes)
                    expect(dot.match(new RegExp(`^\\s+"${n.id}" \\[id="node-${n.id}"`, "gm"))).toHaveLength(1);
                for (const g of d.groups) expect(dot).toContain(`subgraph "cluster_${g.id}" {`);
                const foundation = dot.slice(dot.indexOf('subgraph "cluster_foundation"'));
                expect(foundation.slice(0, foundation.indexOf("\n  }"))).not.toMatch(/level \d|kubernetes|spark/);
                expect(dot.match(/ -> /g)).toHaveLength(d.edges.length);
            }
        });
    });

    test("the stack's own model Service is an internal load balancer and raises no advisory", async () => {
        for (const cloud of CLOUDS) {
            const { p } = get(cloud, "kubernetes");
            const report = await runPolicies(p.resources);
            expect(report.violations.filter((v) => v.policy === "k8s-no-load-balancer-service")).toEqual([]);
        }
        // A public endpoint is still reported: the rule was not silenced.
        const pub = await planConfig(configFor("aws", KUBERNETES, { "mlops:options": { publicEndpoint: true } }));
        const report = await runPolicies(pub.resources);
        expect(report.violations.filter((v) => v.policy === "k8s-no-load-balancer-service")).toEqual([
            expect.objectContaining({ message: expect.stringMatching(/is of type LoadBalancer on a public address/) }),
        ]);
    });

    test("the shared cost row is explained in the terminal table and the HTML table", () => {
        const { p } = get("aws", "kubernetes");
        const e = estimateStack(p.resources, {
            cloud: "aws",
            region: p.settings.region,
            usage: usageFromSettings(p.settings),
        });
        const text = renderCostTable(e);
        expect(text).toMatch(/training-inference\s*│\s*5/);
        expect(text).toContain(
            "training-inference: what training and inference share (such as the one cluster both run on), tagged with both; its cost is counted once, here, not in either pipeline's own row.",
        );
        const html = costTableHtml(e);
        expect(html).toMatch(/<tr data-pipeline="training-inference" class="shared">/);
        expect(html).toContain('<p id="cost-shared-training-inference" class="note shared-note">');
        // The rows add up to the total, so a shared row is counted once, not added to both pipelines.
        const sum = [...html.matchAll(/<tbody>[\s\S]*?<\/tbody>/g)][0]![0]
            .split("</tr>")
            .map((row) => row.match(/<td class="num">\$([\d,.]+)<\/td><td class="num">\d+<\/td>$/)?.[1])
            .filter((x): x is string => x !== undefined)
            .reduce((s, x) => s + Number(x.replace(/,/g, "")), 0);
        expect(sum).toBeCloseTo(e.monthlyUsd, 1);
    });
});

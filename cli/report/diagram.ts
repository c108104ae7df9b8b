import { tagsOf } from "../../catalog";
import { LEVEL_SUMMARY, PIPELINES, type Pipeline } from "../../components/shared/levels";
import { readTags } from "../../components/shared/tags";
import type { PlannedResource } from "../../offline/engine";

/** One box of the architecture picture: a component (or one of the foundation's stores) and what is inside. */
export interface DiagramNode {
    id: string;
    label: string;
    /** A pipeline component, the foundation (network, keys, identities) or one of its two stores. */
    kind: "component" | "foundation" | "storage";
    /** Pipelines whose tags its resources carry, in pipeline order (empty for the foundation). */
    pipelines: Pipeline[];
    /** Level per pipeline, from the tags of its resources. */
    levels: Partial<Record<Pipeline, number>>;
    /** Resource types inside it, counted, for the label (plumbing left out). */
    parts: string[];
    /** Every planned resource drawn in this box. */
    urns: string[];
}

/** One fact behind an arrow: a resource of one box depends on a resource of another. */
export interface EdgeFact {
    /** The resource that depends. */
    from: string;
    /** The resource it depends on (a URN in its `dependencies`). */
    to: string;
    /** The input that names `to` (dotted path, list indices dropped); absent for an explicit dependsOn. */
    input?: string;
}

/** An arrow A → B: resources of A name resources of B in their inputs, or wait for them. */
export interface DiagramEdge {
    from: string;
    to: string;
    /** The inputs that name B, as `<kind> <input>`, a few of them. */
    label: string;
    facts: EdgeFact[];
}

/** A box around the components of one pipeline, of two pipelines that share them, or the foundation. */
export interface DiagramGroup {
    /** `foundation`, a pipeline, or pipelines joined by `-` (`training-inference`). */
    id: string;
    label: string;
    nodes: string[];
}

export interface Diagram {
    nodes: DiagramNode[];
    edges: DiagramEdge[];
    groups: DiagramGroup[];
}

/** Ids of the foundation's two stores. */
export const STORAGE = { data: "storage-data", artifacts: "storage-artifacts" } as const;

/** Plumbing left out of the labels (identities, policies, log groups, settings of other resources). */
const PLUMBING =
    /iam|Policy|IAMMember|Binding|RoleAssignment|LogGroup|OwnershipControls|PublicAccessBlock|Versioning|ServerSideEncryption|Lifecycle|Alias|projects\/service|RouteTable|Association|ManagementLock|DiagnosticSetting|BlobServiceProperties|random:/;

/** The short form of a type token: `aws:sfn/stateMachine:StateMachine` → `sfn StateMachine`. */
export function shortType(type: string): string {
    const [pkg, mod, kind] = type.split(":");
    if (kind === undefined) return type;
    const m = (mod ?? "").split("/")[0];
    return pkg === "mlops" ? kind : `${m === "index" ? pkg : m} ${kind}`;
}

/** The last part of a type token: `kubernetes:apps/v1:Deployment` → `Deployment`. */
const kindOf = (type: string): string =>
    type.startsWith("pulumi:providers:") ? `${type.split(":").pop()} provider` : (type.split(":").pop() ?? type);

/** The pipelines and level a resource's tags name, read by the catalogue's one tag reader. */
const pipelineTags = (r: PlannedResource) => readTags(tagsOf(r.type, r.inputs));

const inOrder = (ps: Iterable<string>): Pipeline[] => PIPELINES.filter((p) => [...ps].includes(p));
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Level per pipeline, from resources tagged with that pipeline alone: a resource two pipelines
 * share carries the higher of their levels, which is neither pipeline's own.
 */
function levelsOf(rs: readonly PlannedResource[], pipelines: readonly Pipeline[]): Partial<Record<Pipeline, number>> {
    const out: Partial<Record<Pipeline, number>> = {};
    for (const r of rs) {
        const t = pipelineTags(r);
        const p = t?.pipelines.length === 1 ? (t.pipelines[0] as Pipeline) : undefined;
        if (p && t?.level !== undefined && pipelines.includes(p)) out[p] = Math.max(out[p] ?? 0, t.level);
    }
    return out;
}

/** String values (with their dotted paths) anywhere in an input object. */
function stringsIn(v: unknown, path: string[] = [], out: [string[], string][] = []): [string[], string][] {
    if (typeof v === "string") out.push([path, v]);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) stringsIn(x, [...path, String(i)], out);
    else if (v !== null && typeof v === "object")
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) stringsIn(x, [...path, k], out);
    return out;
}

/** Keys that say nothing on their own: the label takes the key above them (`env.3.value` → `env`). */
const GENERIC_KEYS = new Set(["value", "name", "id", "key", "values", "valueFrom"]);

/** The input a path stands for: list indices dropped, generic last keys skipped. */
function inputName(path: readonly string[]): string {
    const keys = path.filter((k) => !/^\d+$/.test(k));
    while (keys.length > 1 && GENERIC_KEYS.has(keys[keys.length - 1]!)) keys.pop();
    return keys.join(".");
}

/**
 * The architecture of a planned stack, from facts the plan holds and nothing else. Pure.
 *
 * Boxes: every component once. A component nested in another is drawn inside it unless its tags
 * name other pipelines (the foundation's internet egress, there for a Kubernetes cluster). The
 * foundation's data and artifacts stores are boxes of their own. Groups: by the pipelines the
 * tags name, one group per pipeline and one per set of pipelines that share a component (the
 * Kubernetes cluster of training level 2 and inference level 5, the Spark cluster of data and
 * inference level 2), and the foundation's. Arrows: A → B when a resource of A depends on one of
 * B (Pulumi records it when an input takes B's output, or by dependsOn); the label names the
 * inputs that hold B's values.
 */
export function buildDiagram(resources: readonly PlannedResource[]): Diagram {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const isComponent = (r: PlannedResource | undefined) => r?.type.startsWith("mlops:") === true;
    const parentOf = (r: PlannedResource) => (r.parent ? byUrn.get(r.parent) : undefined);
    /** The nearest component above a resource (itself excluded). */
    const componentAbove = (r: PlannedResource): PlannedResource | undefined => {
        for (let p = parentOf(r); p; p = parentOf(p)) if (isComponent(p)) return p;
        return undefined;
    };
    const components = resources.filter(isComponent);
    const members = new Map<string, PlannedResource[]>(components.map((c) => [c.urn, []]));
    for (const r of resources) {
        const c = !isComponent(r) ? componentAbove(r) : undefined;
        if (c) members.get(c.urn)!.push(r);
    }
    // A component registered with tags (the foundation's egress) speaks for untagged children.
    const ownPipelines = (c: PlannedResource) =>
        inOrder(new Set([c, ...(members.get(c.urn) ?? [])].flatMap((r) => pipelineTags(r)?.pipelines ?? [])));
    const isFoundation = (c: PlannedResource) =>
        !componentAbove(c) &&
        (members.get(c.urn) ?? []).some((r) => pipelineTags(r)?.pipelines.join("-") === "foundation");

    // Which box each component is drawn in: its own, or (nested, same pipelines) its parent's.
    const boxOf = new Map<string, string>();
    const pipelinesOfBox = new Map<string, Pipeline[]>();
    const visit = (c: PlannedResource) => {
        const above = componentAbove(c);
        const own = ownPipelines(c);
        const parentBox = above ? boxOf.get(above.urn) : undefined;
        if (above && parentBox && (own.length === 0 || sameSet(own, pipelinesOfBox.get(parentBox) ?? []))) {
            boxOf.set(c.urn, parentBox);
        } else {
            boxOf.set(c.urn, c.urn);
            pipelinesOfBox.set(c.urn, isFoundation(c) ? [] : own);
        }
    };
    // Parents are registered before their children, so one pass in plan order sees them first.
    for (const c of components) visit(c);

    const foundation = components.find((c) => boxOf.get(c.urn) === c.urn && isFoundation(c));
    const storeOf = (r: PlannedResource): string | undefined => {
        if (!foundation || componentAbove(r)?.urn !== foundation.urn) return undefined;
        for (const [which, id] of Object.entries(STORAGE)) {
            const name = `${foundation.name}-${which}`;
            if (r.name === name || r.name.startsWith(`${name}-`)) return id;
        }
        return undefined;
    };

    // The box of every resource: a store, or the box of its component. Stack-level resources
    // (the provider, the random suffix) belong to none.
    const nodeOfUrn = new Map<string, string>();
    const nodes = new Map<string, DiagramNode & { members: PlannedResource[] }>();
    const nodeFor = (id: string, init: () => Omit<DiagramNode, "parts" | "urns" | "levels">) => {
        const n = nodes.get(id) ?? { ...init(), parts: [], urns: [], levels: {}, members: [] };
        nodes.set(id, n);
        return n;
    };
    for (const c of components) {
        const box = byUrn.get(boxOf.get(c.urn)!)!;
        const n = nodeFor(box.name, () => ({
            id: box.name,
            label: shortType(box.type),
            kind: box === foundation ? "foundation" : "component",
            pipelines: pipelinesOfBox.get(box.urn) ?? [],
        }));
        n.urns.push(c.urn);
        nodeOfUrn.set(c.urn, n.id);
    }
    for (const r of resources) {
        if (isComponent(r)) continue;
        const c = componentAbove(r);
        if (!c) continue;
        const store = storeOf(r);
        const n = store
            ? nodeFor(store, () => ({
                  id: store,
                  label: store === STORAGE.data ? "data storage" : "model artifacts",
                  kind: "storage",
                  pipelines: [],
              }))
            : nodes.get(nodeOfUrn.get(c.urn)!)!;
        n.urns.push(r.urn);
        n.members.push(r);
        nodeOfUrn.set(r.urn, n.id);
    }
    for (const n of nodes.values()) {
        n.levels = levelsOf(n.members, n.pipelines);
        const counts = new Map<string, number>();
        for (const r of n.members.filter((x) => x.custom && !PLUMBING.test(x.type)))
            counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
        n.parts = [...counts].map(([t, k]) => (k > 1 ? `${t} ×${k}` : t));
    }

    // Arrows: dependencies across boxes, with the inputs that hold the other resource's values.
    // A value names a resource when the resource has it among its outputs and every other
    // resource with an output containing it depends on that resource: an account id, a region or
    // a tag value names nothing.
    const outputStrings = resources.flatMap((r) => stringsIn(r.outputs).map(([, v]) => [r, v] as const));
    const valuesNaming = new Map<string, string[]>();
    const ownValues = (d: PlannedResource): string[] => {
        const known = valuesNaming.get(d.urn);
        if (known) return known;
        const mine = [...new Set(stringsIn(d.outputs).map(([, v]) => v))].filter((v) => v.length >= 8);
        const naming = mine.filter((v) =>
            outputStrings.every(([h, x]) => h === d || !x.includes(v) || h.dependencies.includes(d.urn)),
        );
        valuesNaming.set(d.urn, naming);
        return naming;
    };
    const edges = new Map<string, DiagramEdge>();
    for (const r of resources) {
        const a = nodeOfUrn.get(r.urn);
        if (!a) continue;
        const inputs = stringsIn(r.inputs);
        for (const d of r.dependencies) {
            const target = byUrn.get(d);
            const b = nodeOfUrn.get(d);
            if (!target || !b || a === b) continue;
            const values = ownValues(target);
            const named = [
                ...new Set(inputs.filter(([, s]) => values.some((v) => s.includes(v))).map(([p]) => inputName(p))),
            ];
            const e = edges.get(`${a}\u0000${b}`) ?? { from: a, to: b, label: "", facts: [] };
            if (named.length === 0) e.facts.push({ from: r.urn, to: d });
            for (const input of named) e.facts.push({ from: r.urn, to: d, input });
            edges.set(`${a}\u0000${b}`, e);
        }
    }
    for (const e of edges.values()) {
        const says = [
            ...new Set(
                e.facts.map((f) => {
                    const kind = kindOf(byUrn.get(f.from)!.type);
                    const input = f.input?.split(".").pop();
                    return input ? `${kind} ${input}` : `${kind} depends on ${kindOf(byUrn.get(f.to)!.type)}`;
                }),
            ),
        ].sort();
        e.label = says.length > 3 ? [...says.slice(0, 3), `+${says.length - 3} more`].join("\n") : says.join("\n");
    }

    const list = [...nodes.values()].map(({ members: _, ...n }) => n);
    return { nodes: list, edges: [...edges.values()], groups: groupsOf(list, levelsOf(resources, PIPELINES)) };
}

/** What a group says: the pipelines, their levels and what the level provisions. */
function groupLabel(pipelines: readonly Pipeline[], levels: Partial<Record<Pipeline, number>>): string {
    const one = (p: Pipeline) => {
        const l = levels[p];
        return l === undefined ? p : `${p} · level ${l}`;
    };
    if (pipelines.length === 1) {
        const p = pipelines[0]!;
        const l = levels[p];
        const what = l === undefined ? undefined : LEVEL_SUMMARY[p][l];
        return what ? `${one(p)}: ${what}` : one(p);
    }
    return `shared by ${pipelines.map(one).join(" and ")}`;
}

/**
 * Groups: one per pipeline, one per set of pipelines sharing a component, and the foundation's;
 * `levels` is each pipeline's level in the plan.
 */
export function groupsOf(nodes: readonly DiagramNode[], levels: Partial<Record<Pipeline, number>>): DiagramGroup[] {
    const groups = new Map<string, { pipelines: Pipeline[]; nodes: DiagramNode[] }>();
    for (const n of nodes) {
        const id = n.kind === "component" && n.pipelines.length > 0 ? n.pipelines.join("-") : "foundation";
        const g = groups.get(id) ?? { pipelines: n.kind === "component" ? n.pipelines : [], nodes: [] };
        g.nodes.push(n);
        groups.set(id, g);
    }
    const rank = (id: string) =>
        id === "foundation" ? 99 : PIPELINES.indexOf(id.split("-")[0] as Pipeline) * 2 + (id.includes("-") ? 1 : 0);
    return [...groups]
        .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
        .map(([id, g]) => {
            return {
                id,
                label: id === "foundation" ? "foundation (every level)" : groupLabel(g.pipelines, levels),
                nodes: g.nodes.map((n) => n.id),
            };
        });
}

const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
/** A DOT label: escaped, each line centred. */
const dotLabel = (s: string) => esc(s).replace(/\n/g, "\\n");

/** The head of a box: its kind and levels (`Cluster · training 2, inference 5`). */
function nodeHead(n: DiagramNode): string {
    const ls = n.pipelines.filter((p) => n.levels[p] !== undefined);
    if (ls.length === 0) return n.label;
    if (ls.length === 1) return `${n.label} (level ${n.levels[ls[0]!]})`;
    return `${n.label} (${ls.map((p) => `${p} ${n.levels[p]}`).join(", ")})`;
}

/**
 * Graphviz DOT of the diagram: groups as clusters (dashed for the foundation), the stores as
 * cylinders, arrows labelled with the inputs behind them and every fact in their tooltip.
 */
export function toDot(d: Diagram): string {
    const lines = [
        "digraph stack {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.4, ranksep=1.1];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#556", fontcolor="#334"];',
    ];
    const byId = new Map(d.nodes.map((n) => [n.id, n]));
    for (const g of d.groups) {
        // The foundation's label sits below it: arrows into its stores come from above.
        const style =
            g.id === "foundation"
                ? 'style="rounded,dashed"; color="#9a9"; labelloc="b"; labeljust="r"'
                : 'style="rounded"; color="#99a"';
        lines.push(
            `  subgraph "cluster_${esc(g.id)}" {`,
            `    id="group-${esc(g.id)}"; label="${dotLabel(g.label)}"; ${style};`,
        );
        for (const id of g.nodes) {
            const n = byId.get(id)!;
            const shown = n.parts.slice(0, 8);
            if (n.parts.length > 8) shown.push(`… ${n.parts.length - 8} more`);
            const label = shown.length > 0 ? `${nodeHead(n)}\n\n${shown.join("\n")}` : nodeHead(n);
            const shape = n.kind === "storage" ? ', shape=cylinder, fillcolor="#e8f3e8"' : "";
            lines.push(`    "${esc(n.id)}" [id="node-${esc(n.id)}", label="${dotLabel(label)}"${shape}];`);
        }
        lines.push("  }");
    }
    for (const e of d.edges) {
        // Every component uses the foundation's network and keys: those arrows stay light and keep
        // their inputs in the tooltip, so the arrows between pipelines and stores stand out.
        const toFoundation = byId.get(e.to)?.kind === "foundation";
        const muted = toFoundation ? ', color="#aab", style=dashed' : "";
        const label = toFoundation ? "" : e.label;
        const tip = e.facts.map(
            (f) => `${f.from.split("::").pop()} → ${f.to.split("::").pop()}${f.input ? ` (${f.input})` : ""}`,
        );
        lines.push(
            `  "${esc(e.from)}" -> "${esc(e.to)}" [id="edge-${esc(e.from)}-${esc(e.to)}", label="${dotLabel(label)}", tooltip="${dotLabel(tip.join("\n"))}"${muted}];`,
        );
    }
    lines.push("}");
    return lines.join("\n");
}

/** Renders DOT to SVG with Graphviz compiled to WebAssembly: no binary needed. */
export async function renderSvg(dot: string): Promise<string> {
    // An ES module: loaded only when a report is written (Node 20.19+ can require it).
    const { Graphviz } = require("@hpcc-js/wasm-graphviz") as typeof import("@hpcc-js/wasm-graphviz", { with: {
        "resolution-mode": "import",
    }});
    const gv = await Graphviz.load();
    return gv.dot(dot);
}

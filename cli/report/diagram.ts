import { tagsOf } from "../../catalog";
import { LEVEL_SUMMARY, PIPELINES, type Pipeline } from "../../components/shared/levels";
import { readTags } from "../../components/shared/tags";
import type { PlannedResource } from "../../offline/engine";

/** One box of the architecture picture: a component and the main resources inside it. */
export interface DiagramNode {
    id: string;
    label: string;
    /** Pipelines the component serves (empty for the foundation). */
    pipelines: Pipeline[];
    level: number;
    /** Resource types inside it, counted, for the label. */
    parts: string[];
}

export interface Diagram {
    nodes: DiagramNode[];
    /** Data flow between nodes: [from, to, label]. */
    edges: [string, string, string][];
}

const STORAGE = { data: "storage-data", artifacts: "storage-artifacts" } as const;

/** Plumbing left out of the picture (identities, policies, log groups, settings of other resources). */
const PLUMBING =
    /iam|Policy|IAMMember|Binding|RoleAssignment|LogGroup|OwnershipControls|PublicAccessBlock|Versioning|ServerSideEncryption|Lifecycle|Alias|projects\/service|RouteTable|Association|ManagementLock|DiagnosticSetting|BlobServiceProperties|random:/;

/** The short form of a type token: `aws:sfn/stateMachine:StateMachine` → `sfn StateMachine`. */
export function shortType(type: string): string {
    const [pkg, mod, kind] = type.split(":");
    if (kind === undefined) return type;
    const m = (mod ?? "").split("/")[0];
    return pkg === "mlops" ? kind : `${m === "index" ? pkg : m} ${kind}`;
}

/**
 * The architecture of a planned stack: the shared storage, one node per component (grouped by the
 * pipelines its resources are tagged with), and how data flows between them. Pure.
 */
export function buildDiagram(resources: readonly PlannedResource[]): Diagram {
    const childrenOf = new Map<string, PlannedResource[]>();
    for (const r of resources) if (r.parent) childrenOf.set(r.parent, [...(childrenOf.get(r.parent) ?? []), r]);
    const below = (urn: string): PlannedResource[] => (childrenOf.get(urn) ?? []).flatMap((c) => [c, ...below(c.urn)]);

    const nodes: DiagramNode[] = [];
    for (const c of resources.filter(
        (r) => r.type.startsWith("mlops:") && !resources.some((p) => p.urn === r.parent && p.type.startsWith("mlops:")),
    )) {
        const inside = below(c.urn);
        const tagged = inside.map((r) => readTags(tagsOf(r.type, r.inputs))).filter((t) => t !== undefined);
        const pipelines = [...new Set(tagged.flatMap((t) => t.pipelines))].filter((p): p is Pipeline =>
            (PIPELINES as readonly string[]).includes(p),
        );
        const level = Math.max(0, ...tagged.map((t) => t.level ?? 0));
        const counts = new Map<string, number>();
        for (const r of inside.filter((x) => x.custom && !PLUMBING.test(x.type)))
            counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
        const parts = [...counts].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t));
        nodes.push({ id: c.name, label: shortType(c.type), pipelines, level, parts });
    }
    const edges: [string, string, string][] = [];
    const foundation = nodes.find((n) => n.pipelines.length === 0);
    if (foundation) {
        nodes.push({ id: STORAGE.data, label: "data storage", pipelines: [], level: 0, parts: [] });
        nodes.push({ id: STORAGE.artifacts, label: "model artifacts", pipelines: [], level: 0, parts: [] });
    }
    for (const n of nodes) {
        if (n.pipelines.includes("data")) edges.push([n.id, STORAGE.data, "features"]);
        if (n.pipelines.includes("training")) {
            edges.push([STORAGE.data, n.id, "training data"]);
            edges.push([n.id, STORAGE.artifacts, "model"]);
        }
        if (n.pipelines.includes("inference")) {
            edges.push([STORAGE.artifacts, n.id, "model"]);
            edges.push([n.id, STORAGE.data, "scores"]);
        }
    }
    return { nodes, edges };
}

const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');

/** Graphviz DOT of the diagram: pipelines as clusters, storage and shared pieces outside them. */
export function toDot(d: Diagram): string {
    const lines = [
        "digraph stack {",
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.4, ranksep=0.8];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#556"];',
    ];
    const nodeLine = (n: DiagramNode) => {
        const head = n.level > 0 ? `${n.label} (level ${n.level})` : n.label;
        const shown = n.parts.slice(0, 8);
        if (n.parts.length > 8) shown.push(`… ${n.parts.length - 8} more`);
        const label = shown.length > 0 ? `${head}\n\n${shown.join("\n")}` : head;
        const shape = n.id.startsWith("storage-") ? ', shape=cylinder, fillcolor="#e8f3e8"' : "";
        return `    "${esc(n.id)}" [id="node-${esc(n.id)}", label="${esc(label).replace(/\n/g, "\\n")}"${shape}];`;
    };
    const grouped = new Set<string>();
    for (const p of PIPELINES) {
        const members = d.nodes.filter((n) => n.pipelines.length === 1 && n.pipelines[0] === p);
        if (members.length === 0) continue;
        const level = Math.max(...members.map((m) => m.level));
        lines.push(
            `  subgraph "cluster_${p}" {`,
            `    label="${p} · level ${level}: ${esc(LEVEL_SUMMARY[p][level] ?? "")}"; style="rounded"; color="#99a";`,
        );
        for (const m of members) {
            lines.push(nodeLine(m));
            grouped.add(m.id);
        }
        lines.push("  }");
    }
    const shared = d.nodes.filter((x) => !grouped.has(x.id));
    if (shared.length > 0) {
        lines.push(
            '  subgraph "cluster_foundation" {',
            '    label="foundation: storage, network, identity (all levels)"; style="rounded,dashed"; color="#9a9";',
        );
        for (const n of shared) lines.push(nodeLine(n));
        lines.push("  }");
    }
    for (const [a, b, label] of d.edges) lines.push(`  "${esc(a)}" -> "${esc(b)}" [label="${esc(label)}"];`);
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

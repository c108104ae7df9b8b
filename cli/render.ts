import type { Assessment, LevelPlan } from "../assessment/assess";
import { LEVEL_SUMMARY, PIPELINES } from "../components/shared/levels";
import { describeUnmet, type PrerequisiteCheck } from "../offline/prerequisites";
import type { PlannedResource } from "./plan/offline";

/** The levels with their reasons, one pipeline a line. */
export function renderLevels(a: Assessment | LevelPlan): string {
    const lines: string[] = [];
    const eff = "effective" in a ? a.effective : a.levels;
    for (const p of PIPELINES) {
        const l = eff[p];
        if (l === undefined) {
            lines.push(`  ${p.padEnd(10)} -  not in this workload: nothing provisioned`);
            continue;
        }
        const assessed = a.levels[p];
        const pinned = assessed !== undefined && assessed !== l ? ` (pinned; assessed ${assessed})` : "";
        lines.push(`  ${p.padEnd(10)} ${l}  ${LEVEL_SUMMARY[p][l] ?? ""}${pinned}`);
        lines.push(`  ${"".padEnd(10)}    why: ${a.reasons[p]}`);
    }
    if (a.levels.training !== undefined) lines.push(`  GPU for training: ${a.gpu ? "yes" : "no"}`);
    if ("pins" in a) for (const f of a.pins) lines.push(`  ! ${f.message}`);
    return lines.join("\n");
}

/** The resource tree, like `pulumi preview`: type, name, nesting by parent, protect marks. */
export function renderTree(resources: readonly PlannedResource[]): string {
    const children = new Map<string | undefined, PlannedResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    for (const r of resources) {
        const parent = r.parent !== undefined && urns.has(r.parent) ? r.parent : undefined;
        const list = children.get(parent) ?? [];
        list.push(r);
        children.set(parent, list);
    }
    const rows: [string, string, string][] = [];
    const walk = (parent: string | undefined, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
            rows.push([`${prefix}${branch}${r.type}`, r.name, r.protect ? "protected" : ""]);
            walk(r.urn, parent === undefined ? prefix : `${prefix}${last ? "   " : "│  "}`);
        });
    };
    walk(undefined, "");
    const w0 = Math.max(4, ...rows.map((r) => r[0].length));
    const w1 = Math.max(4, ...rows.map((r) => r[1].length));
    const out = [`     ${"Type".padEnd(w0)}  ${"Name".padEnd(w1)}  Info`];
    for (const [t, n, info] of rows) out.push(` +   ${t.padEnd(w0)}  ${n.padEnd(w1)}  ${info}`.trimEnd());
    return out.join("\n");
}

/**
 * The create-time prerequisites: every unmet one first, as a mandatory violation (the resource's
 * URN, then the input, what it needs and what is missing), then how many are met and how.
 */
export function renderPrerequisites(checks: readonly PrerequisiteCheck[]): string {
    if (checks.length === 0) return "  none: no resource reads an object, image or template when it is created";
    const unmet = checks.filter((c) => c.met === null);
    const lines: string[] = [];
    if (unmet.length > 0) {
        lines.push(`  ✖ mandatory  unmet prerequisites (${unmet.length} of ${checks.length})`);
        for (const c of unmet) lines.push(`      ${c.urn}`, `        ${describeUnmet(c)}`);
    }
    const count = (m: PrerequisiteCheck["met"]) => checks.filter((c) => c.met === m).length;
    const met = checks.length - unmet.length;
    lines.push(
        `  ${met} met: ${count("created")} created earlier in this plan, ${count("public")} public and pinned, ${count("user")} supplied through options`,
    );
    return lines.join("\n");
}

import { LEVEL_SUMMARY, PIPELINES } from "../../components/shared/levels";
import { costByPipeline, type StackEstimate } from "../../cost/model";
import { money, sharedRowNote } from "../../cost/render";
import type { StackPlan } from "../plan/plan-stack";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The cost estimate as an HTML table: one row per pipeline and level, the total in the footer.
 * A row of two pipelines (`training-inference`) is marked and explained under the table, with the
 * resources it holds, so nobody reads it as a third pipeline or adds it to both.
 */
export function costTableHtml(e: StackEstimate): string {
    const rows = costByPipeline(e);
    const shared = rows.filter((r) => sharedRowNote(r) !== undefined);
    const body = rows
        .map((r) => {
            const note = sharedRowNote(r);
            const name = note
                ? `${esc(r.pipeline)} <a class="mark" href="#cost-shared-${esc(r.pipeline)}" title="${esc(note)}">shared</a>`
                : esc(r.pipeline);
            return `<tr data-pipeline="${esc(r.pipeline)}"${note ? ' class="shared"' : ""}><th scope="row">${name}</th><td class="num">${r.level ?? ""}</td><td class="num">${money(r.idleMonthlyUsd)}</td><td class="num">${money(r.usageMonthlyUsd)}</td><td class="num">${money(r.monthlyUsd)}</td><td class="num">${r.resources}</td></tr>`;
        })
        .join("\n");
    const explained = shared
        .map((r) => {
            const items = e.byResource
                .filter((x) => x.pipeline === r.pipeline && x.level === r.level)
                .map(
                    (x) =>
                        `<li><code>${esc(x.urn.split("::").pop() ?? x.urn)}</code> ${esc(x.type)}: ${money(x.monthlyUsd)}</li>`,
                )
                .join("");
            return `<p id="cost-shared-${esc(r.pipeline)}" class="note shared-note">${esc(sharedRowNote(r) ?? "")}</p>\n<details open><summary>What the ${esc(r.pipeline)} row holds</summary><ul>${items}</ul></details>`;
        })
        .join("\n");
    const unpriced =
        e.unpriced.length > 0
            ? `<p class="warn">Unpriced, not in the total (${e.unpriced.length}):</p><ul id="cost-unpriced">${e.unpriced.map((u) => `<li><code>${esc(u.type)}</code> ${esc(u.urn.split("::").pop() ?? "")}: ${esc(u.reason)}</li>`).join("")}</ul>`
            : "";
    const notes =
        e.notes.length > 0
            ? `<ul class="note" id="cost-notes">${e.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`
            : "";
    return `<table id="cost">
<caption class="note">List prices, USD a month. Idle: what it costs with no traffic and no jobs; usage: from the workload's volumes and schedules.</caption>
<thead><tr><th scope="col">pipeline</th><th scope="col" class="num">level</th><th scope="col" class="num">idle / month</th><th scope="col" class="num">usage / month</th><th scope="col" class="num">total / month</th><th scope="col" class="num">resources</th></tr></thead>
<tbody>
${body}
</tbody>
<tfoot><tr><th scope="row">total</th><td></td><td class="num">${money(e.idleMonthlyUsd)}</td><td class="num">${money(e.monthlyUsd - e.idleMonthlyUsd)}</td><td class="num">${money(e.monthlyUsd)}</td><td class="num">${rows.reduce((n, r) => n + r.resources, 0)}</td></tr></tfoot>
</table>
${explained}
${unpriced}
${notes}`;
}

/** Extra sections from other parts of the plan (cost, policy), already as HTML. */
export interface ReportSections {
    cost?: string;
    policy?: string;
}

/**
 * A self-contained HTML report of an offline plan: the architecture diagram (inline SVG), the
 * levels with their reasons, cost and policy sections, and every planned resource. No external
 * scripts, styles or fonts, so it opens anywhere and can be attached to a pull request.
 */
export function reportHtml(p: StackPlan, svg: string, sections: ReportSections = {}): string {
    const s = p.settings;
    const levelRows = PIPELINES.map((pl) => {
        const l = s.levels.effective[pl];
        if (l === undefined)
            return `<tr><td>${pl}</td><td>–</td><td colspan="2">not in this workload: nothing provisioned</td></tr>`;
        const pinned = s.levels.levels[pl] !== l ? ` <em>(pinned; assessed ${s.levels.levels[pl]})</em>` : "";
        return `<tr data-pipeline="${pl}"><td>${pl}</td><td class="level">${l}${pinned}</td><td>${esc(LEVEL_SUMMARY[pl][l] ?? "")}</td><td>${esc(s.levels.reasons[pl] ?? "")}</td></tr>`;
    }).join("\n");
    const pins = s.levels.pins.map((f) => `<li class="warn">${esc(f.message)}</li>`).join("");
    const resourceRows = p.resources
        .map(
            (r) =>
                `<tr><td><code>${esc(r.type)}</code></td><td>${esc(r.name)}</td><td>${r.protect ? "protected" : ""}</td></tr>`,
        )
        .join("\n");
    const svgBody = svg.replace(/^<\?xml[^>]*>\s*/, "").replace(/<!DOCTYPE[^>]*>\s*/, "");
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mlops-levels plan: ${esc(p.stack)} (${esc(s.cloud)})</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2330; max-width: 1200px; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #dde; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
td, th { border-bottom: 1px solid #eef; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
.level { font-weight: bold; } .warn { color: #a15c00; } .bad { color: #b00020; } .ok { color: #22703a; }
#diagram svg { max-width: 100%; height: auto; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
#cost { width: auto; min-width: 60%; } #cost caption { text-align: left; } #cost th { font-weight: normal; } #cost thead th { font-weight: bold; }
#cost tfoot th, #cost tfoot td { font-weight: bold; border-top: 2px solid #ccd; }
#cost tr.shared { background: #f6f3fb; } .mark { font-size: 0.75rem; color: #5b3d99; margin-left: 0.3rem; }
.note { color: #667; font-size: 0.85rem; }
</style>
</head>
<body>
<h1>Offline plan of stack <code>${esc(p.stack)}</code> on ${esc(s.cloud)} (${esc(s.region)})</h1>
<p class="note">From ${esc(s.file)}. Nothing was created: the stack program ran on Pulumi's in-process mock engine.</p>
<h2>Architecture</h2>
<div id="diagram">${svgBody}</div>
<p class="note" id="diagram-legend">Each box is one component, drawn once, in the group of the pipelines whose tags it carries (a shared group when two pipelines use it; the foundation serves every level). An arrow A → B means a resource of A depends on one of B: its label names the input that holds B's value, or says it depends on it (dependsOn). Dashed arrows go to the foundation's network and keys, which every component uses. Hover an arrow for every resource behind it. Nothing else is drawn.</p>
<h2>Levels</h2>
<table id="levels"><tr><th>pipeline</th><th>level</th><th>provisions</th><th>why</th></tr>
${levelRows}
</table>
${pins ? `<ul>${pins}</ul>` : ""}
${sections.cost ? `<h2>Monthly cost estimate</h2>\n${sections.cost}` : ""}
${sections.policy ? `<h2>Policy pack</h2>\n${sections.policy}` : ""}
<h2>Resources (${p.resources.length})</h2>
<table id="resources"><tr><th>type</th><th>name</th><th></th></tr>
${resourceRows}
</table>
</body>
</html>
`;
}

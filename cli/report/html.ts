import { LEVEL_SUMMARY, PIPELINES } from "../../components/shared/levels";
import type { StackPlan } from "../plan/plan-stack";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

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
.note { color: #667; font-size: 0.85rem; }
</style>
</head>
<body>
<h1>Offline plan of stack <code>${esc(p.stack)}</code> on ${esc(s.cloud)} (${esc(s.region)})</h1>
<p class="note">From ${esc(s.file)}. Nothing was created: the stack program ran on Pulumi's in-process mock engine.</p>
<h2>Architecture</h2>
<div id="diagram">${svgBody}</div>
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

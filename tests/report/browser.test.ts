import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../helpers/tmp";

/**
 * The HTML report in a real headless browser (Debian's chromium, driven by playwright-core), for
 * stacks where two pipelines share a component. CI installs chromium and sets
 * MLOPS_REQUIRE_BROWSER=1, so there a missing browser fails the test; on a machine without it the
 * test says so and is skipped. MLOPS_REPORT_SCREENSHOTS=DIR keeps the page screenshots in DIR to
 * look at; otherwise they go to a temporary directory.
 */
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const required = process.env["MLOPS_REQUIRE_BROWSER"] === "1";
const haveBrowser = existsSync(CHROMIUM);
const root = path.resolve(__dirname, "../..");

if (!haveBrowser && required) throw new Error(`MLOPS_REQUIRE_BROWSER=1 but no browser at ${CHROMIUM}`);
if (!haveBrowser) console.warn(`report browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium)`);
const maybe = haveBrowser ? describe : describe.skip;

interface Box {
    x: number;
    y: number;
    width: number;
    height: number;
}
const inside = (a: Box, b: Box) =>
    a.x >= b.x - 0.5 &&
    a.y >= b.y - 0.5 &&
    a.x + a.width <= b.x + b.width + 0.5 &&
    a.y + a.height <= b.y + b.height + 0.5;

maybe("plan --out writes a report that a browser shows as planned", () => {
    // [config, cloud, the groups and their boxes, the shared cost row]
    const cases = [
        [
            "examples/stacks/aws/Pulumi.kubernetes.yaml",
            "aws",
            {
                "training-inference": ["foundation-egress", "kubernetes"],
                inference: ["registry"],
                foundation: ["foundation", "storage-artifacts", "storage-data"],
            },
            "training-inference",
        ],
        [
            "examples/stacks/azure/Pulumi.kubernetes.yaml",
            "azure",
            {
                "training-inference": ["kubernetes"],
                inference: ["registry"],
                foundation: ["foundation", "storage-artifacts", "storage-data"],
            },
            "training-inference",
        ],
        [
            "examples/stacks/gcp/Pulumi.kubernetes.yaml",
            "gcp",
            {
                "training-inference": ["foundation-egress", "kubernetes"],
                inference: ["registry"],
                foundation: ["foundation", "storage-artifacts", "storage-data"],
            },
            "training-inference",
        ],
        [
            "examples/stacks/aws/Pulumi.spark.yaml",
            "aws",
            {
                "data-inference": ["spark"],
                training: ["training"],
                foundation: ["foundation", "storage-artifacts", "storage-data"],
            },
            "data-inference",
        ],
    ] as const;
    const shots = process.env["MLOPS_REPORT_SCREENSHOTS"];

    test.each(cases)("%s", async (config, cloud, groups, sharedRow) => {
        const out = tempDir("report");
        const r = spawnSync(
            "node",
            [path.join(root, "cli/bin.js"), "plan", "--config", path.join(root, config), "--out", out],
            { encoding: "utf8" },
        );
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const file = path.join(out, "report.html");
        const html = readFileSync(file, "utf8");
        // Self-contained: nothing loaded from anywhere else.
        expect(html).not.toMatch(/<script|<link|src="http|url\(http/);

        // CommonJS: jest runs without ESM loaders, and node16 output keeps a real import().
        const { chromium } = require("playwright-core") as typeof import("playwright-core");
        const browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        });
        try {
            const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
            const errors: string[] = [];
            page.on("pageerror", (e) => errors.push(e.message));
            page.on("console", (m) => {
                if (m.type() === "error") errors.push(m.text());
            });
            await page.goto(`file://${file}`);
            expect(errors).toEqual([]);
            const stack = path.basename(config).replace(/^Pulumi\.|\.yaml$/g, "");
            expect(await page.title()).toBe(`mlops-levels plan: ${stack} (${cloud})`);

            // The picture as drawn: every box inside the box of its group, each box once.
            const drawn = await page.$$eval("#diagram svg g.node", (ns) =>
                ns.map((n) => {
                    const b = (n as unknown as { getBBox(): Box }).getBBox();
                    return { id: n.id, box: { x: b.x, y: b.y, width: b.width, height: b.height } };
                }),
            );
            const clusters = await page.$$eval("#diagram svg g.cluster", (cs) =>
                cs.map((c) => {
                    const b = (c as unknown as { getBBox(): Box }).getBBox();
                    const label = c.querySelector("text")?.textContent ?? "";
                    return { id: c.id, label, box: { x: b.x, y: b.y, width: b.width, height: b.height } };
                }),
            );
            expect(clusters.map((c) => c.id).sort()).toEqual(
                Object.keys(groups)
                    .map((g) => `group-${g}`)
                    .sort(),
            );
            const allBoxes = Object.values(groups).flat();
            expect(drawn.map((n) => n.id).sort()).toEqual(allBoxes.map((b) => `node-${b}`).sort());
            for (const [group, boxes] of Object.entries(groups)) {
                const cluster = clusters.find((c) => c.id === `group-${group}`)!;
                for (const b of boxes)
                    expect([b, inside(drawn.find((n) => n.id === `node-${b}`)!.box, cluster.box)]).toEqual([b, true]);
                for (const other of allBoxes.filter((x) => !(boxes as readonly string[]).includes(x)))
                    expect([other, inside(drawn.find((n) => n.id === `node-${other}`)!.box, cluster.box)]).toEqual([
                        other,
                        false,
                    ]);
            }
            const foundationLabel = clusters.find((c) => c.id === "group-foundation")!.label;
            expect(foundationLabel).toBe("foundation (every level)");
            const shared = clusters.find((c) => c.id === `group-${sharedRow}`)!.label;
            expect(shared).toMatch(/^shared by \w+ · level \d and \w+ · level \d$/);
            // Arrows the plan holds; none of the old invented ones.
            const edgeLabels = await page.$$eval("#diagram svg g.edge text", (ts) =>
                ts.map((t) => t.textContent ?? ""),
            );
            for (const l of edgeLabels) expect(l).not.toMatch(/^(scores|training data|model|features)$/);
            const edges = await page.$$eval("#diagram svg g.edge", (es) => es.map((e) => e.id));
            if (sharedRow === "training-inference") {
                expect(edges).toContain("edge-kubernetes-registry");
                expect(edges).toContain("edge-kubernetes-storage-data");
                // The model server reads the sample model from the artifacts store.
                expect(edgeLabels.filter((l) => l.startsWith("Deployment "))).not.toEqual([]);
            } else
                expect(edges).toEqual(
                    expect.arrayContaining(["edge-spark-storage-data", "edge-training-storage-data"]),
                );
            const box = await page.$eval("#diagram svg", (s) => s.getBoundingClientRect().width);
            expect(box).toBeGreaterThan(600);

            const levels = await page.$$eval("#levels tr[data-pipeline] td.level", (tds) =>
                tds.map((t) => t.textContent?.trim()),
            );
            expect(levels).toEqual(sharedRow === "training-inference" ? ["2", "5"] : ["2", "1", "2"]);

            // The cost estimate is a real table with the shared row marked and explained.
            const head = await page.$$eval("#cost thead th", (ths) => ths.map((t) => t.textContent));
            expect(head).toEqual(["pipeline", "level", "idle / month", "usage / month", "total / month", "resources"]);
            const rows = await page.$$eval("#cost tbody tr", (trs) => trs.map((t) => t.getAttribute("data-pipeline")));
            expect(rows).toContain(sharedRow);
            expect(await page.getAttribute(`#cost tr[data-pipeline="${sharedRow}"]`, "class")).toBe("shared");
            expect(await page.isVisible(`#cost-shared-${sharedRow}`)).toBe(true);
            expect(await page.textContent(`#cost-shared-${sharedRow}`)).toContain("its cost is counted once, here");
            const align = await page.$eval(
                "#cost tbody td.num",
                (td) =>
                    (globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string } }).getComputedStyle(
                        td,
                    ).textAlign,
            );
            expect(align).toBe("right");

            // The stack's own internal load balancer raises no advisory.
            expect(await page.textContent("body")).not.toContain("k8s-no-load-balancer-service");

            const dir = shots ?? out;
            mkdirSync(dir, { recursive: true });
            const png = path.join(dir, `${cloud}-${stack}.png`);
            await page.screenshot({ path: png, fullPage: true });
            const bytes = readFileSync(png);
            expect(bytes.subarray(1, 4).toString()).toBe("PNG");
            expect(bytes.readUInt32BE(16)).toBe(1280);
        } finally {
            await browser.close();
        }
    });
});

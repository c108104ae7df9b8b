import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { tempDir } from "../helpers/tmp";

/**
 * The HTML report in a real headless browser (Debian's chromium, driven by playwright-core).
 * CI installs chromium and sets MLOPS_REQUIRE_BROWSER=1, so there a missing browser fails the test;
 * on a machine without it the test says so and is skipped.
 */
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const required = process.env["MLOPS_REQUIRE_BROWSER"] === "1";
const haveBrowser = existsSync(CHROMIUM);
const root = path.resolve(__dirname, "../..");

if (!haveBrowser && required) throw new Error(`MLOPS_REQUIRE_BROWSER=1 but no browser at ${CHROMIUM}`);
if (!haveBrowser) console.warn(`report browser test skipped: no chromium at ${CHROMIUM} (apt-get install chromium)`);
const maybe = haveBrowser ? describe : describe.skip;

maybe("plan --out writes a report that loads in a browser", () => {
    const cases = [
        ["stacks/Pulumi.prod.yaml", "aws"],
        ["examples/stacks/azure/Pulumi.dev.yaml", "azure"],
        ["examples/stacks/gcp/Pulumi.dev.yaml", "gcp"],
    ] as const;

    test.each(cases)("%s", async (config, cloud) => {
        const out = tempDir("report");
        const r = spawnSync(
            "node",
            [path.join(root, "cli/bin.js"), "plan", "--config", path.join(root, config), "--out", out],
            { encoding: "utf8" },
        );
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
            const page = await browser.newPage();
            const errors: string[] = [];
            page.on("pageerror", (e) => errors.push(e.message));
            page.on("console", (m) => {
                if (m.type() === "error") errors.push(m.text());
            });
            await page.goto(`file://${file}`);
            expect(errors).toEqual([]);
            expect(await page.title()).toBe(
                `mlops-levels plan: ${config.includes("prod") ? "prod" : "dev"} (${cloud})`,
            );
            const nodeIds = await page.$$eval("#diagram svg g.node", (ns) => ns.map((n) => n.id).sort());
            expect(nodeIds).toEqual([
                "node-data",
                "node-foundation",
                "node-inference",
                "node-storage-artifacts",
                "node-storage-data",
                "node-training",
            ]);
            const box = await page.$eval("#diagram svg", (s) => s.getBoundingClientRect().width);
            expect(box).toBeGreaterThan(300);
            const levels = await page.$$eval("#levels tr[data-pipeline] td.level", (tds) =>
                tds.map((t) => t.textContent?.trim()),
            );
            expect(levels).toEqual(["1", "1", "1"]);
            expect(await page.textContent("body")).toMatch(/Monthly cost estimate/);
        } finally {
            await browser.close();
        }
    });
});

#!/usr/bin/env node
/**
 * Transpiles the project's TypeScript to CommonJS in dist/ with esbuild (no type-check: that is
 * `npm run typecheck`). The CLI runs from dist/ when it is up to date, which saves the transpile
 * work tsx would do on every start. Runs on `npm ci` (prepare) and before `npm start`.
 */
const { buildSync } = require("esbuild");
const { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
/** The folders whose code runs at run time (tests and scripts run through ts-jest/tsx). */
const SOURCES = ["assessment", "catalog", "components", "stacks", "cli", "cost", "offline", "policies"];

function walk(dir, out) {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name === "node_modules") continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, out);
        else out.push(p);
    }
    return out;
}

function sources() {
    return SOURCES.flatMap((d) => (existsSync(path.join(root, d)) ? walk(path.join(root, d), []) : []));
}

/** Newest modification time of the sources: dist is fresh when its stamp is not older. */
function newestSource(files = sources()) {
    return Math.max(
        0,
        ...files.filter((f) => /\.(ts|json|js)$/.test(f) && !f.endsWith(".d.ts")).map((f) => statSync(f).mtimeMs),
    );
}

const STAMP = path.join(dist, ".stamp");

function isFresh() {
    return existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource();
}

function build() {
    const files = sources();
    const ts = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
    buildSync({
        entryPoints: ts,
        outdir: dist,
        outbase: root,
        format: "cjs",
        platform: "node",
        target: "node20",
        sourcemap: "inline",
        logLevel: "error",
    });
    // Data files and plain JS (cli/bin.js is not needed in dist, but JSON data is).
    for (const f of files.filter((x) => x.endsWith(".json") && !x.includes(`${path.sep}policies${path.sep}package`))) {
        const to = path.join(dist, path.relative(root, f));
        mkdirSync(path.dirname(to), { recursive: true });
        cpSync(f, to);
    }
    writeFileSync(STAMP, new Date().toISOString());
    return ts.length;
}

module.exports = { isFresh, build, dist };

if (require.main === module) {
    const t = Date.now();
    const n = build();
    if (!process.argv.includes("--quiet")) console.error(`built ${n} files into dist/ in ${Date.now() - t} ms`);
}

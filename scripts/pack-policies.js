#!/usr/bin/env node
/**
 * `npm run pack:policies [-- OUT_DIR]`: makes the policy pack publishable on its own.
 *
 * `policies/` imports the project's tag vocabulary (`components/shared/tags.ts`) and cost model
 * (`cost/`), so it only runs from a checkout of this repository. `pulumi policy publish` uploads
 * one folder, so this bundles the pack's entry with everything it imports into one `index.js`,
 * leaving out only `@pulumi/policy` and `@pulumi/pulumi` (the engine's analyzer runtime must be
 * the installed package, not a copy), and writes the folder's `package.json` and
 * `PulumiPolicy.yaml`. Then: `cd OUT_DIR && npm install && pulumi policy publish <org>`.
 */
const { buildSync } = require("esbuild");
const { copyFileSync, mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const pack = path.join(root, "policies");
/** Kept out of the bundle and installed by npm in the published pack. */
const RUNTIME = ["@pulumi/policy", "@pulumi/pulumi"];

/** The versions the pack's own lockfile pins, so the published pack runs what CI tested. */
function lockedVersions() {
    const lock = JSON.parse(readFileSync(path.join(pack, "package-lock.json"), "utf8"));
    return Object.fromEntries(
        RUNTIME.map((name) => {
            const v = lock.packages?.[`node_modules/${name}`]?.version;
            if (!v) throw new Error(`policies/package-lock.json does not pin ${name}`);
            return [name, v];
        }),
    );
}

function packPolicies(out = path.join(root, "dist/policy-pack")) {
    mkdirSync(out, { recursive: true });
    const result = buildSync({
        entryPoints: [path.join(pack, "index.ts")],
        outfile: path.join(out, "index.js"),
        bundle: true,
        format: "cjs",
        platform: "node",
        target: "node20",
        external: RUNTIME.flatMap((n) => [n, `${n}/*`]),
        metafile: true,
        legalComments: "linked",
        logLevel: "error",
    });
    const own = JSON.parse(readFileSync(path.join(pack, "package.json"), "utf8"));
    writeFileSync(
        path.join(out, "package.json"),
        `${JSON.stringify(
            {
                name: own.name,
                version: own.version,
                description: own.description,
                license: own.license,
                private: true,
                main: "index.js",
                dependencies: lockedVersions(),
            },
            null,
            4,
        )}\n`,
    );
    copyFileSync(path.join(pack, "PulumiPolicy.yaml"), path.join(out, "PulumiPolicy.yaml"));
    copyFileSync(path.join(pack, "README.md"), path.join(out, "README.md"));
    return { out, metafile: result.metafile };
}

module.exports = { packPolicies, RUNTIME };

if (require.main === module) {
    const { out, metafile } = packPolicies(process.argv[2] && path.resolve(process.argv[2]));
    const inputs = Object.keys(metafile.inputs).length;
    console.error(`policy pack bundled from ${inputs} files into ${path.relative(process.cwd(), out) || "."}/`);
    console.error(`publish: cd ${path.relative(process.cwd(), out)} && npm install && pulumi policy publish <org>`);
}

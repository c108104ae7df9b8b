/**
 * Jest transformer: TypeScript to CommonJS with esbuild, as `npm run build` does for the CLI. Jest
 * only needs the code to run (`npm run typecheck` checks the types), and esbuild transpiles a file
 * in about a millisecond where ts-jest loads the TypeScript compiler into every worker. Source maps
 * go back to jest, so failures point at the TypeScript lines.
 */
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const esbuild = require("esbuild");

/** What else decides the output: this file (its options) and the esbuild version. */
const SELF = createHash("sha256").update(readFileSync(__filename)).update(esbuild.version).digest("hex");

module.exports = {
    process(source, filename) {
        const { code, map } = esbuild.transformSync(source, {
            loader: filename.endsWith(".js") ? "js" : "ts",
            format: "cjs",
            platform: "node",
            target: "node20",
            sourcemap: "external",
            sourcefile: filename,
            // tsconfig.json's target ES2022 defines class fields with [[Define]] semantics; keep that.
            tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
        });
        return { code, map };
    },
    getCacheKey(source, filename) {
        return createHash("sha256").update(SELF).update(filename).update("\0").update(source).digest("hex");
    },
};

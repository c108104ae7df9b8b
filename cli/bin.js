#!/usr/bin/env node
// Runs the CLI from dist/ when it is up to date (npm ci and npm start build it with esbuild);
// otherwise straight from the TypeScript sources through tsx (transpile only).
const path = require("node:path");
let main;
try {
    const { isFresh, dist } = require("../scripts/build.js");
    if (isFresh()) main = require(path.join(dist, "cli", "main.js")).main;
} catch {
    main = undefined;
}
if (main === undefined) {
    require("tsx/cjs");
    main = require("./main.ts").main;
}
main(process.argv).then((code) => {
    process.exitCode = code;
});

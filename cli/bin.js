#!/usr/bin/env node
// Runs the TypeScript CLI through tsx (transpile only, no type-check at start-up).
require("tsx/cjs");
require("./main.ts")
    .main(process.argv)
    .then((code) => {
        process.exitCode = code;
    });

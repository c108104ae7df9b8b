/**
 * Type-checking is `npm run typecheck` (one tsc run); jest only transpiles (ts-jest, isolated
 * modules as tsconfig.json says: file by file, no type information).
 * Jest's default is one worker fewer than the cores, which on a 2-core machine runs every file in
 * one process, one after the other: use every core instead. A worker that holds more than
 * `workerIdleMemoryLimit` after a file is replaced, so the cloud SDKs each file loads do not pile up
 * (at 500 MB the largest worker peaks near 0.9 GB; at 800 MB it reached 1.1 GB, in no less time).
 */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
    },
    setupFiles: ["<rootDir>/tests/helpers/no-stack-capture.ts"],
    maxWorkers: "100%",
    workerIdleMemoryLimit: "500MB",
    testTimeout: 60000,
};

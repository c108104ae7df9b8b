/**
 * Type-checking is `npm run typecheck` (one tsc run); jest only transpiles (ts-jest, isolated
 * modules as tsconfig.json says: file by file, no type information).
 * Jest's default is one worker fewer than the cores, which on a 2-core machine runs every file in
 * one process, one after the other: use every core instead. A worker that holds more than
 * `workerIdleMemoryLimit` of live heap after a file is replaced, so the cloud SDKs each file loads
 * do not pile up. Measured on the whole suite, the largest worker peaked at 1.3 GB with the limit
 * alone and at 0.95 GB with the collection after each file, for the same CPU time.
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
    // With node --expose-gc (npm test), jest collects garbage after each file before the limit
    // above reads the heap, so a worker reuses its memory rather than growing. npm test also gives
    // the workers a 128 MB young generation (short-lived Outputs die there: a fifth less CPU on the
    // Azure plans) and a 2 GB old one: a bound, not a squeeze. A 768 MB cap held the largest worker
    // near 0.85 GB on a warm transpile cache, but on a fresh clone (cold cache, as in CI) the level
    // matrix files outgrew it and the workers died out of memory.
    logHeapUsage: true,
    testTimeout: 60000,
};

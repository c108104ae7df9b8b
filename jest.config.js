/** Type-checking is `npm run typecheck` (one tsc run); jest only transpiles, which keeps it fast. */
module.exports = {
    testEnvironment: "node",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
    },
    testTimeout: 60000,
};

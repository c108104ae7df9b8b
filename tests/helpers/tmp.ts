import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

// Jest evaluates this module once per test file, at the top level of the file that imports it,
// so this hook belongs to that file and runs when it finishes.
const made: string[] = [];
afterAll(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory (under the OS temp dir unless `base` is given), removed when the test file finishes. */
export function tempDir(prefix: string, base = tmpdir()): string {
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(path.join(base, `mlops-${prefix}-`));
    made.push(dir);
    return dir;
}

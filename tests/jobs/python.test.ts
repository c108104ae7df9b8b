import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * The Python reference pipeline's own tests (`jobs/tests`), run with Debian's interpreter and its
 * python3-sklearn, python3-pandas and python3-pytest packages: `python3` on PATH may be another
 * interpreter without them. CI installs the packages and sets MLOPS_REQUIRE_PYTHON=1, so there a
 * missing package fails the test; elsewhere the test says what it skipped and how to install it.
 */
const PYTHON = process.env["MLOPS_PYTHON"] ?? "/usr/bin/python3";
const INSTALL = "apt-get update && apt-get install -y python3-sklearn python3-pandas python3-pytest";
const required = process.env["MLOPS_REQUIRE_PYTHON"] === "1";
const root = path.resolve(__dirname, "../..");

function missingPython(): string | undefined {
    const probe = spawnSync(PYTHON, ["-c", "import sklearn, pandas, pytest"], { encoding: "utf8" });
    if (probe.error) return `no Python at ${PYTHON}`;
    if (probe.status !== 0) return `${PYTHON} lacks scikit-learn, pandas or pytest`;
    return undefined;
}

const missing = missingPython();
if (missing && required) throw new Error(`MLOPS_REQUIRE_PYTHON=1 but ${missing}; install them with: ${INSTALL}`);
if (missing) console.warn(`Python pipeline tests skipped: ${missing} (install them with: ${INSTALL})`);
const maybe = missing ? describe.skip : describe;

maybe("the reference pipeline in jobs/", () => {
    test("its pytest suite passes, with nothing skipped", () => {
        const run = spawnSync(PYTHON, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "jobs/tests"], {
            cwd: root,
            encoding: "utf8",
            // No __pycache__ folders or cache left in the work tree.
            env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        });
        if (run.status !== 0) throw new Error(`pytest exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
        // "N passed in …" (warnings allowed): a skipped, deselected or xfailed test shows up here.
        const summary = run.stdout.trim().split("\n").pop() ?? "";
        expect(summary).toMatch(/^\d+ passed(, \d+ warnings?)? in /);
    });
});

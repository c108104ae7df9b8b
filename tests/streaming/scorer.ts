import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { EXPORT_SCRIPT, type GaussianNbExport, referenceModel } from "../../components/streaming/gaussian-nb-udf";

// What the GCP and Azure scorer tests share: the generated JavaScript is one GaussianNB in two
// wrappers, so both are held to the exported sample rows and to Python's batch scores the same way.

/** One score as a wrapper returns it, read back to plain data. */
export interface Score {
    readonly customer_id: unknown;
    readonly churn_probability: number | null;
    readonly churn_predicted: number | null;
    readonly model_version: string;
    readonly error?: string | null;
}

/** A scorer under test: a raw event in, its score out (the wrapper's own input and output forms hidden). */
export type Scorer = (event: Record<string, unknown>) => Score;

/** Relative closeness of two probabilities (tiny ones compared relatively, not absolutely). */
export const close = (a: number | null, b: number): boolean =>
    a !== null && Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), 1e-300);

/** The rows of `rows` a scorer gets wrong: another probability, 0/1, customer or model version, or an error. */
export function offRows(rows: GaussianNbExport["reference"], score: Scorer): GaussianNbExport["reference"] {
    return rows.filter((row) => {
        const out = score(row.event);
        return (
            (out.error ?? null) !== null ||
            !close(out.churn_probability, row.churn_probability) ||
            out.churn_predicted !== row.churn_predicted ||
            out.customer_id !== row.event["customer_id"] ||
            out.model_version !== row.model_version
        );
    });
}

/**
 * The exported sample rows (gaussian-nb-model.json): enough of them, rows without a total among them
 * and one close to the 0.5 threshold, each scored as the batch job scored it, with and without
 * Math.log1p (the engines' JavaScript may lack ES2015's).
 */
export function describeExportedRows(cloud: string, scorer: (o: { withoutLog1p: boolean }) => Scorer): void {
    describe(`the ${cloud} scoring UDF on the exported sample rows`, () => {
        const model = referenceModel();
        it("gives the batch job's scores, with and without Math.log1p", () => {
            expect(model.reference.length).toBeGreaterThanOrEqual(10);
            expect(model.reference.some((r) => !("total_charges" in r.event))).toBe(true);
            expect(model.reference.some((r) => Math.abs(r.churn_probability - 0.5) < 0.01)).toBe(true);
            for (const withoutLog1p of [false, true])
                expect(offRows(model.reference, scorer({ withoutLog1p }))).toEqual([]);
        });
    });
}

// The full check needs the Python reference pipeline (scikit-learn), as tests/jobs/python.test.ts does.
const PYTHON = process.env["MLOPS_PYTHON"] ?? "/usr/bin/python3";
const root = path.resolve(__dirname, "../..");

/** The export script's output (`--all`: every sample row with its batch score). */
export function runExport(args: readonly string[]): unknown {
    const r = spawnSync(PYTHON, [EXPORT_SCRIPT, ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
}

/** Whether Debian's scikit-learn and pandas are there; MLOPS_REQUIRE_PYTHON=1 makes their absence fail. */
export function pythonAvailable(cloud: string): boolean {
    const probe = spawnSync(PYTHON, ["-c", "import sklearn, pandas"], { encoding: "utf8" });
    const missing = probe.error !== undefined || probe.status !== 0;
    if (missing && process.env["MLOPS_REQUIRE_PYTHON"] === "1")
        throw new Error(`MLOPS_REQUIRE_PYTHON=1 but ${PYTHON} lacks scikit-learn or pandas`);
    if (missing) console.warn(`${cloud} UDF check against Python skipped: ${PYTHON} lacks scikit-learn or pandas`);
    return !missing;
}

/** All 2,000 sample rows against Python's batch scores: the same probability (to 1e-12) and 0/1. */
export function describeAgainstPython(cloud: string, scorer: () => Scorer, more?: () => void): void {
    (pythonAvailable(cloud) ? describe : describe.skip)(
        `the ${cloud} scoring UDF against the Python batch scores`,
        () => {
            it("all 2,000 sample rows: the same probability (to 1e-12) and the same 0/1 as jobs.score", () => {
                const rows = runExport(["--all"]) as GaussianNbExport["reference"];
                expect(rows).toHaveLength(2000);
                expect(offRows(rows, scorer())).toEqual([]);
            });
            more?.();
        },
    );
}

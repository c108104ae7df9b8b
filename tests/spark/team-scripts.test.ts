import type { PlannedResource } from "../../cli/plan/offline";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { planPrerequisites } from "../../cli/plan/prerequisites";
import type { Cloud } from "../../components/shared/clouds";
import { DEFAULT_MODEL_PATH, jobArguments, joinUri, type SparkPipeline } from "../../components/spark";
import { checkPrerequisites } from "../../offline/prerequisites";
import { createProblems } from "../helpers/create-order";
import { configFor, planConfig } from "../helpers/plan";

/**
 * A team's own Spark scripts (`mlops:options.sparkScripts`) through the whole stack program, on
 * each cloud: the pipeline's job runs the team's key in the artifacts store with the stack's
 * arguments and nothing of the reference pipeline, the foundation uploads only what the remaining
 * reference jobs read, and the create-time check counts the script as the team's. Without the
 * option, the reference stays. Plans are made one after the other.
 */

/** Data and inference both at level 2 (tests/levels/matrix.ts's level-2 workloads). */
const WORKLOAD = { data: { volumeGb: 500 }, inference: { mode: "batch", volumeGb: 500 } };
const DATA_SCRIPT = "team/spark/features.py";
const SCORING_SCRIPT = "team/spark/score.py";

/** Where the stack's object uploads keep their key, per type. */
const UPLOADS: Readonly<Record<string, string>> = {
    "aws:s3/bucketObjectv2:BucketObjectv2": "key",
    "azure:storage/blob:Blob": "name",
    "gcp:storage/bucketObject:BucketObject": "name",
};

/** Keys of the reference files the plan uploads (all under samples/), sorted. */
const sampleUploads = (rs: readonly PlannedResource[]) => uploadsOf(rs).map((u) => u.key);
const uploadsOf = (rs: readonly PlannedResource[]) =>
    rs
        .filter((r) => UPLOADS[r.type] !== undefined)
        .map((r) => ({ urn: r.urn, key: String(r.inputs[UPLOADS[r.type]!]) }))
        .filter((u) => u.key.startsWith("samples/"))
        .sort((a, b) => a.key.localeCompare(b.key));

/** A pipeline's Spark run as the cloud's scheduler holds it: entry script, arguments, extra files. */
interface Run {
    readonly resource: PlannedResource;
    readonly entry: string;
    readonly args: readonly string[];
    /** Files shipped beside the script: `--py-files`, `pythonFileUris`, `--package`. */
    readonly files: readonly string[];
    /** Steps before the job itself (AWS's reference scoring builds the features first). */
    readonly steps: number;
}

function runOf(cloud: Cloud, rs: readonly PlannedResource[], pipeline: SparkPipeline): Run {
    const named = (name: string) => {
        const r = rs.find((x) => x.name === name);
        if (!r) throw new Error(`the plan has no ${name}`);
        return r;
    };
    const packageOf = (args: readonly string[]) => {
        const at = args.indexOf("--package");
        return at >= 0 && args[at + 1] !== "none" ? [args[at + 1]!] : [];
    };
    if (cloud === "aws") {
        const resource = named(`spark-${pipeline}-sfn`);
        const d = JSON.parse(String(resource.inputs.definition));
        const submit = d.States.RunSparkJob.Parameters.JobDriver.SparkSubmit;
        const pyFiles = /--py-files (\S+)/.exec(submit.SparkSubmitParameters)?.[1];
        return {
            resource,
            entry: submit.EntryPoint,
            args: submit.EntryPointArguments,
            files: [...(pyFiles ? pyFiles.split(",") : []), ...packageOf(submit.EntryPointArguments)],
            steps: Object.keys(d.States).length,
        };
    }
    if (cloud === "azure") {
        const resource = named(`spark-${pipeline}-submit`);
        const env = (resource.inputs.template as { containers: { env: { name: string; value: string }[] }[] })
            .containers[0]!.env;
        const batch = JSON.parse(env.find((e) => e.name === "LIVY_BATCH")!.value);
        return { resource, entry: batch.file, args: batch.args, files: packageOf(batch.args), steps: 1 };
    }
    const resource = named(`spark-${pipeline}-template`);
    const jobs = resource.inputs.jobs as {
        pysparkJob: { mainPythonFileUri: string; pythonFileUris?: string[]; args: string[] };
    }[];
    const job = jobs[0]!.pysparkJob;
    return {
        resource,
        entry: job.mainPythonFileUri,
        args: job.args,
        files: [...(job.pythonFileUris ?? []), ...packageOf(job.args)],
        steps: jobs.length,
    };
}

/** The check of one reader's entry script, by the script's URI. */
const scriptCheck = (p: StackPlan, uri: string) => {
    const found = planPrerequisites(p).filter((c) => c.ref === uri);
    if (found.length !== 1) throw new Error(`expected one prerequisite on ${uri}, found ${found.length}`);
    return found[0]!;
};

describe.each(["aws", "azure", "gcp"] as const)(
    "%s: a team's own Spark scripts (mlops:options.sparkScripts)",
    (cloud) => {
        let reference: StackPlan;
        let dataOnly: StackPlan;
        let both: StackPlan;
        const uris = (p: StackPlan) => ({
            dataUri: String(p.outputs.dataUri),
            artifactsUri: String(p.outputs.artifactsUri),
        });
        const withScripts = (sparkScripts: Record<string, string>) =>
            planConfig(configFor(cloud, WORKLOAD, { "mlops:options": { sparkScripts } }));

        beforeAll(async () => {
            reference = await planConfig(configFor(cloud, WORKLOAD));
            dataOnly = await withScripts({ data: DATA_SCRIPT });
            both = await withScripts({ data: DATA_SCRIPT, inference: SCORING_SCRIPT });
        });

        it("assesses both pipelines to level 2 in every plan", () => {
            for (const p of [reference, dataOnly, both])
                expect(p.settings.levels.effective).toMatchObject({ data: 2, inference: 2 });
        });

        it("without the option, both jobs run the uploaded reference scripts with the jobs package", () => {
            const { artifactsUri } = uris(reference);
            for (const pipeline of ["data", "inference"] as const) {
                const run = runOf(cloud, reference.resources, pipeline);
                expect(run.entry).toBe(joinUri(artifactsUri, `samples/jobs/spark/${pipeline}.py`));
                expect(run.files).toEqual([joinUri(artifactsUri, "samples/jobs/jobs.zip")]);
                // It waits for the uploads it reads.
                const uploads = new Set(uploadsOf(reference.resources).map((u) => u.urn));
                expect(run.resource.dependencies.filter((d) => uploads.has(d))).not.toEqual([]);
            }
            expect(sampleUploads(reference.resources)).toEqual(
                expect.arrayContaining([
                    "samples/jobs/jobs.zip",
                    "samples/jobs/spark/data.py",
                    "samples/jobs/spark/inference.py",
                ]),
            );
            expect(createProblems(reference).unmet).toEqual([]);
        });

        it("sparkScripts.data: the data job runs the team's key with the stack's arguments and nothing of the reference", () => {
            const { dataUri, artifactsUri } = uris(dataOnly);
            const run = runOf(cloud, dataOnly.resources, "data");
            expect(run).toMatchObject({
                entry: joinUri(artifactsUri, DATA_SCRIPT),
                args: jobArguments({ pipeline: "data" }, dataUri, artifactsUri),
                files: [],
                steps: 1,
            });
            // It waits for no reference upload: it reads none.
            const uploads = new Set(uploadsOf(dataOnly.resources).map((u) => u.urn));
            expect(run.resource.dependencies.filter((d) => uploads.has(d))).toEqual([]);
            // Scoring keeps the reference script.
            expect(runOf(cloud, dataOnly.resources, "inference").entry).toBe(
                joinUri(artifactsUri, "samples/jobs/spark/inference.py"),
            );
        });

        it("sparkScripts.data: the foundation uploads only what the reference scoring job still reads", () => {
            // AWS's reference scoring runs the features script first, on the sample rows, so it still
            // reads data.py and customers.csv; Azure's submitter and GCP's template do not.
            const expected = {
                aws: [
                    "samples/data/customers.csv",
                    "samples/jobs/jobs.zip",
                    "samples/jobs/spark/data.py",
                    "samples/jobs/spark/inference.py",
                    "samples/models/sklearn/gaussian-nb.json",
                ],
                azure: [
                    "samples/data/customers.csv",
                    "samples/jobs/jobs.zip",
                    "samples/jobs/spark/inference.py",
                    "samples/models/sklearn/model.joblib",
                ],
                gcp: [
                    "samples/jobs/jobs.zip",
                    "samples/jobs/spark/inference.py",
                    "samples/models/sklearn/model.joblib",
                ],
            }[cloud];
            expect(sampleUploads(dataOnly.resources)).toEqual(expected);
            if (cloud !== "aws") expect(sampleUploads(reference.resources)).toContain("samples/jobs/spark/data.py");
        });

        it("sparkScripts.data: the script is the team's at create time, and one pulumi up can create the stack", () => {
            const { artifactsUri } = uris(dataOnly);
            expect(scriptCheck(dataOnly, joinUri(artifactsUri, DATA_SCRIPT))).toMatchObject({
                met: "user",
                why: "mlops:options.sparkScripts.data",
            });
            expect(createProblems(dataOnly)).toEqual({ unmet: [], dependencyOrder: [], providedTwice: [] });
            // It is the option that meets it: the same plan checked without the team's values leaves it unmet.
            const bare = checkPrerequisites(dataOnly.resources).filter(
                (c) => c.ref === joinUri(artifactsUri, DATA_SCRIPT),
            );
            expect(bare.map((c) => c.met)).toEqual([null]);
        });

        it("both pipelines named: no reference Spark file is uploaded, and scoring runs the team's script", () => {
            const { dataUri, artifactsUri } = uris(both);
            expect(sampleUploads(both.resources)).toEqual([]);
            expect(runOf(cloud, both.resources, "inference")).toMatchObject({
                entry: joinUri(artifactsUri, SCORING_SCRIPT),
                // The team's model location by default, not the sample model.
                args: jobArguments({ pipeline: "inference" }, dataUri, artifactsUri),
                files: [],
                steps: 1,
            });
            expect(runOf(cloud, both.resources, "inference").args).toContain(joinUri(artifactsUri, DEFAULT_MODEL_PATH));
            expect(scriptCheck(both, joinUri(artifactsUri, SCORING_SCRIPT))).toMatchObject({
                met: "user",
                why: "mlops:options.sparkScripts.inference",
            });
        });

        it("both pipelines named: nothing unmet; the model path is the team's, not a create-time prerequisite", () => {
            const { artifactsUri } = uris(both);
            // The scoring script gets the stack's model path (models/latest), which training runs or
            // the team write: no plan creates it, so it is not checked. The sample model is.
            const checks = planPrerequisites(both);
            expect(checks.filter((c) => c.met === null)).toEqual([]);
            expect(checks.map((c) => c.ref)).not.toContain(joinUri(artifactsUri, DEFAULT_MODEL_PATH));
        });
    },
);

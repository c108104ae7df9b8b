import { prerequisitesOf, providedBy } from "../../catalog";
import { ARTIFACTS_MOUNT, DATA_MOUNT, REFERENCE_IMAGE, referenceSteps } from "../../components/blocks/gcp/reference";
import { mergeNeeds } from "../../components/foundation";
import { type GcpFoundation, imageMirrorPath } from "../../components/foundation/gcp";
import { G2_REGIONS, GCP_MACHINES } from "../../components/machines/gcp";
import { pickMachine } from "../../components/machines/index";
import { InputError } from "../../components/shared/errors";
import { TAG_KEYS } from "../../components/shared/tags";
import {
    BATCH_MAX_RUN_SECONDS,
    checkGcpTrainingJobArgs,
    GcpTrainingJob,
    gcpTrainingJobNeeds,
} from "../../components/training-job/gcp";
import { checkTrainingJobArgs, TRAINING_JOB_TYPE } from "../../components/training-job/index";
import { descendants, ofType, one } from "../helpers/plan";
import { PROJECT_ID, runGcp, testContext, workflowSourceOf } from "./harness";

const IMAGE = "us-docker.pkg.dev/deeplearning-platform-release/gcr.io/pytorch-gpu.2-4.py310";
/** The default image of a dev stack in us-central1: the reference image through the mirror. */
const REFERENCE = `${imageMirrorPath(PROJECT_ID, "mlops-levels", "dev", "us-central1")}/${REFERENCE_IMAGE}`;

function runTraining(a: { datasetGb: number; gpu: boolean; slaHours: number; region?: string; image?: string }) {
    const image = a.image ?? IMAGE;
    return runGcp(
        (ctx, foundation, opts) => {
            const job = new GcpTrainingJob(
                "training",
                { ctx, level: 1, foundation, datasetGb: a.datasetGb, gpu: a.gpu, slaHours: a.slaHours, image },
                opts,
            );
            return { jobName: job.jobName, machineType: job.machineType, gpus: job.gpus, runCommands: job.runCommands };
        },
        { region: a.region, needs: mergeNeeds([gcpTrainingJobNeeds({ image })]) },
    );
}

// biome-ignore lint/suspicious/noExplicitAny: parsed workflow JSON
const batchBody = (rs: Awaited<ReturnType<typeof runTraining>>): any =>
    workflowSourceOf(one(rs, "gcp:workflows/workflow:Workflow")).main.steps.find((s: Record<string, unknown>) => s.run)
        .run.args.body;

describe("GCP training job on a GPU, the reference image", () => {
    let rs: Awaited<ReturnType<typeof runTraining>>;
    beforeAll(async () => {
        rs = await runTraining({ datasetGb: 40, gpu: true, slaHours: 12, image: REFERENCE });
    });

    test("a G2 machine with its L4 named in policy.accelerators, drivers installed by Batch, stopped at the SLA", () => {
        expect(rs.outputs).toMatchObject({
            jobName: "mlops-levels-dev-training",
            machineType: "g2-standard-16",
            gpus: 1,
        });
        const body = batchBody(rs);
        expect(body.allocationPolicy.instances[0].policy.machineType).toBe("g2-standard-16");
        // Batch installs drivers only for the GPUs policy.accelerators names, even on G2.
        expect(body.allocationPolicy.instances[0].policy.accelerators).toEqual([{ type: "nvidia-l4", count: 1 }]);
        expect(body.allocationPolicy.instances[0].installGpuDrivers).toBe(true);
        expect(body.allocationPolicy.network.networkInterfaces[0].noExternalIpAddress).toBe(true);
        expect(body.taskGroups[0].taskSpec.maxRunDuration).toBe(`${12 * 3600}s`);
        expect(body.taskGroups[0].taskSpec.environment.variables.PIPELINE).toBe("training");
        expect(body.labels[TAG_KEYS.pipeline]).toBe("training");
    });

    test("builds features from the uploaded sample data, then trains into samples/models/trained/", () => {
        const task = batchBody(rs).taskGroups[0].taskSpec;
        expect(task.runnables.map((r: { container: { commands: string[] } }) => r.container.commands)).toEqual(
            referenceSteps("training"),
        );
        expect(task.runnables[1].container.commands).toEqual([
            "-m",
            "jobs.train",
            "--input",
            `${DATA_MOUNT}/samples/features/`,
            "--model-dir",
            `${ARTIFACTS_MOUNT}/samples/models/trained/`,
        ]);
        const wf = one(rs, "gcp:workflows/workflow:Workflow");
        const uploads = ofType(rs, "gcp:storage/bucketObject:BucketObject");
        expect(uploads.map((u) => u.inputs.name).sort()).toEqual([
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
        ]);
        const objects = prerequisitesOf(wf).filter((n) => n.kind === "object");
        expect(objects.map((n) => n.ref).sort()).toEqual(
            uploads.flatMap((u) => providedBy(u).map((p) => p.ref)).sort(),
        );
        for (const u of uploads) expect(wf.dependencies).toContain(u.urn);
        expect(rs.outputs.runCommands).toEqual({
            training: `gcloud workflows run mlops-levels-dev-training --location=us-central1 --project=${PROJECT_ID}`,
        });
    });

    test("on demand only: a workflow and its identity, no scheduler and no VM", () => {
        const job = one(rs, TRAINING_JOB_TYPE);
        const own = descendants(rs, job.urn);
        expect(new Set(own.map((r) => r.type))).toEqual(
            new Set([
                "gcp:workflows/workflow:Workflow",
                "gcp:serviceaccount/account:Account",
                "gcp:projects/iAMMember:IAMMember",
                "gcp:serviceaccount/iAMMember:IAMMember",
                "gcp:projects/service:Service",
            ]),
        );
        expect(ofType(rs, "gcp:cloudscheduler/job:Job")).toHaveLength(0);
        expect(ofType(rs, "gcp:compute/instance:Instance")).toHaveLength(0);
        expect(rs.some((r) => /^gcp:(container|vertex|dataproc|notebooks|workbench)\//.test(r.type))).toBe(false);
        expect(
            (one(rs, "gcp:workflows/workflow:Workflow").inputs.labels as Record<string, string>)[TAG_KEYS.pipeline],
        ).toBe("training");
    });
});

describe("GCP training job on a CPU", () => {
    test("structured data trains on an E2 machine without GPU drivers", async () => {
        const rs = await runTraining({ datasetGb: 5, gpu: false, slaHours: 2 });
        expect(rs.outputs).toMatchObject({ machineType: "e2-standard-2", gpus: 0 });
        expect(batchBody(rs).allocationPolicy.instances[0].installGpuDrivers).toBe(false);
        expect(batchBody(rs).allocationPolicy.instances[0].policy.accelerators).toBeUndefined();
        // A team's image runs its own entrypoint and needs no upload.
        expect(batchBody(rs).taskGroups[0].taskSpec.runnables).toEqual([{ container: { imageUri: IMAGE } }]);
        expect(ofType(rs, "gcp:storage/bucketObject:BucketObject")).toEqual([]);
    });

    test("a very long SLA is capped at Batch's 14-day limit", async () => {
        const rs = await runTraining({ datasetGb: 1, gpu: false, slaHours: 1000 });
        expect(batchBody(rs).taskGroups[0].taskSpec.maxRunDuration).toBe(`${BATCH_MAX_RUN_SECONDS}s`);
    });
});

describe("GPU choice and region check", () => {
    test.each([
        [1, "g2-standard-4", 1],
        [20, "g2-standard-8", 1],
        [70, "g2-standard-24", 2],
        [100, "g2-standard-32", 1],
        [150, "g2-standard-48", 4],
        [300, "g2-standard-96", 8],
    ])("%d GB on a GPU runs on %s with %d GPUs", (gb, name, gpus) => {
        const m = pickMachine(GCP_MACHINES, gb, true, "x");
        expect([m.name, m.gpus]).toEqual([name, gpus]);
    });

    test("a GPU in a region without G2 is an InputError on config.mlops:region", () => {
        expect(checkGcpTrainingJobArgs({ gpu: true, region: "southamerica-east1" })).toEqual([
            { path: "config.mlops:region", message: expect.stringContaining("no G2 (NVIDIA L4)") },
        ]);
        expect(checkGcpTrainingJobArgs({ gpu: false, region: "southamerica-east1" })).toEqual([]);
        for (const r of G2_REGIONS) expect(checkGcpTrainingJobArgs({ gpu: true, region: r })).toEqual([]);
        const make = () =>
            new GcpTrainingJob("training", {
                ctx: testContext("southamerica-east1"),
                level: 1,
                foundation: {} as GcpFoundation,
                datasetGb: 1,
                gpu: true,
                slaHours: 1,
                image: IMAGE,
            });
        expect(make).toThrow(InputError);
        expect(make).toThrow(/^config\.mlops:region: 'southamerica-east1' has no G2/);
    });

    test("checkTrainingJobArgs collects every problem", () => {
        expect(checkTrainingJobArgs({ datasetGb: 1, slaHours: 1, image: "i" })).toEqual([]);
        expect(checkTrainingJobArgs({ datasetGb: -1, slaHours: 0, image: "" }).map((p) => p.path)).toEqual([
            "datasetGb",
            "slaHours",
            "image",
        ]);
    });
});

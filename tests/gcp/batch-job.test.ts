import { prerequisitesOf, providedBy } from "../../catalog";
import {
    checkGcpBatchJobArgs,
    GcpBatchJob,
    gcpBatchJobNeeds,
    googleRegistryHost,
    VM_REFERENCE_FILES,
    VM_RUNNER_IMAGE,
    vmCloudInit,
} from "../../components/batch-job/gcp";
import { BATCH_JOB_TYPE, checkBatchJobArgs } from "../../components/batch-job/index";
import {
    accelerators,
    BATCH_VM_IMAGE,
    batchJobBody,
    GCS_MOUNT_OPTIONS,
    MAX_RETRY_COUNT,
    REFERENCE_CONTAINER_OPTIONS,
} from "../../components/blocks/gcp/batch-workflow";
import {
    ARTIFACTS_MOUNT,
    DATA_MOUNT,
    REFERENCE_IMAGE,
    REFERENCE_SAMPLES,
    referenceSteps,
    VM_REFERENCE_RUNNER,
    vmReferenceSpec,
} from "../../components/blocks/gcp/reference";
import { mergeNeeds } from "../../components/foundation";
import { type GcpFoundation, imageMirrorPath } from "../../components/foundation/gcp";
import { GCP_MACHINES } from "../../components/machines/gcp";
import { pickMachine } from "../../components/machines/index";
import { InputError } from "../../components/shared/errors";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { descendants, ofType, one, outsideFoundation } from "../helpers/plan";
import {
    GCP_LABEL_KEY,
    GCP_LABEL_VALUE,
    gcpResources,
    PROJECT_ID,
    runGcp,
    testContext,
    workflowSourceOf,
} from "./harness";

const WORKFLOW = "gcp:workflows/workflow:Workflow";
const SCHEDULER = "gcp:cloudscheduler/job:Job";
const SA = "gcp:serviceaccount/account:Account";
const PROJECT_IAM = "gcp:projects/iAMMember:IAMMember";
const SA_IAM = "gcp:serviceaccount/iAMMember:IAMMember";
const IMAGE = "europe-west4-docker.pkg.dev/team/jobs/features:1.2";
/** Types of higher levels, which a level-1 job must never bring. */
const HIGHER_LEVEL =
    /^gcp:(dataproc|dataflow|pubsub|managedkafka|container|cloudrunv2|cloudrun|vertex|artifactregistry)\//;

function runBatch(args: {
    volumeGb: number;
    schedule?: string;
    runner?: "serverless" | "vm";
    timeoutHours?: number;
    pipeline?: "data" | "inference";
    image?: string;
}) {
    const image = args.image ?? IMAGE;
    const pipeline = args.pipeline ?? "data";
    // The foundation gets what the job declares it needs, as the stack program passes it.
    const needs = mergeNeeds([gcpBatchJobNeeds({ pipeline, image })]);
    return runGcp(
        (ctx, foundation, opts) => {
            const job = new GcpBatchJob(
                args.pipeline ?? "data",
                {
                    ctx,
                    pipeline: args.pipeline ?? "data",
                    level: 1,
                    foundation,
                    volumeGb: args.volumeGb,
                    schedule: args.schedule ?? "15 3 * * 1-5",
                    image,
                    environment: { MODEL: "churn" },
                    runner: args.runner,
                    timeoutHours: args.timeoutHours,
                },
                opts,
            );
            return {
                jobName: job.jobName,
                machineType: job.machineType,
                schedule: job.schedule,
                jobId: job.jobId,
                runCommands: job.runCommands,
            };
        },
        { needs },
    );
}

describe("GCP batch job, serverless runner", () => {
    let rs: Awaited<ReturnType<typeof runBatch>>;
    beforeAll(async () => {
        rs = await runBatch({ volumeGb: 20, timeoutHours: 2 });
    });
    const job = () => one(rs, BATCH_JOB_TYPE);
    const own = () => descendants(rs, job().urn);

    test("creates a workflow, a scheduler job and their identities, all children of the component", () => {
        const types = new Set(own().map((r) => r.type));
        expect([...types].sort()).toEqual(
            [PROJECT_IAM, SA_IAM, SA, "gcp:projects/service:Service", SCHEDULER, WORKFLOW].sort(),
        );
        for (const r of own()) expect(r.parent).toBe(job().urn);
        expect(ofType(rs, "gcp:compute/instance:Instance")).toHaveLength(0);
        expect(outsideFoundation(rs).some((r) => HIGHER_LEVEL.test(r.type))).toBe(false);
        expect(rs.outputs).toEqual({
            machineType: "e2-highmem-4",
            schedule: "15 3 * * 1-5",
            jobName: "mlops-levels-dev-data",
            jobId: `projects/${PROJECT_ID}/locations/us-central1/workflows/mlops-levels-dev-data`,
            runCommands: {
                data: `gcloud workflows run mlops-levels-dev-data --location=us-central1 --project=${PROJECT_ID}`,
            },
        });
        // A team's image needs none of the reference pipeline's uploads.
        expect(ofType(rs, "gcp:storage/bucketObject:BucketObject")).toHaveLength(0);
    });

    test("the workflow source creates one Batch job on the picked machine, private, as the job SA", () => {
        const wf = one(rs, WORKFLOW);
        const src = workflowSourceOf(wf);
        // biome-ignore lint/suspicious/noExplicitAny: parsed inputs navigated freely in assertions
        const steps = src.main.steps as Record<string, any>[];
        const run = steps.find((s) => s.run)!.run;
        expect(run.call).toBe("googleapis.batch.v1.projects.locations.jobs.create");
        expect(run.args.parent).toBe(`projects/${PROJECT_ID}/locations/us-central1`);
        const body = run.args.body;
        const inst = body.allocationPolicy.instances[0];
        expect(inst.policy.machineType).toBe("e2-highmem-4");
        expect(inst.policy.bootDisk).toEqual({ image: BATCH_VM_IMAGE, type: "pd-balanced", sizeGb: "90" });
        expect(inst.installGpuDrivers).toBe(false);
        expect(body.allocationPolicy.location.allowedLocations).toEqual(["regions/us-central1"]);
        const nic = body.allocationPolicy.network.networkInterfaces[0];
        expect(nic.noExternalIpAddress).toBe(true);
        const f = one(rs, "gcp:compute/subnetwork:Subnetwork");
        expect(nic.subnetwork).toBe(f.outputs.id);
        expect(nic.network).toBe(one(rs, "gcp:compute/network:Network").outputs.id);
        const jobSa = ofType(rs, SA).find((s) => s.name === "foundation-job-sa")!;
        expect(body.allocationPolicy.serviceAccount.email).toBe(jobSa.outputs.email);
        const task = body.taskGroups[0];
        expect(task.taskCount).toBe(1);
        expect(task.taskSpec.maxRunDuration).toBe("7200s");
        expect(task.taskSpec.maxRetryCount).toBe(MAX_RETRY_COUNT);
        // A team's image runs its own entrypoint, once.
        expect(task.taskSpec.runnables).toEqual([{ container: { imageUri: IMAGE } }]);
        const buckets = ofType(rs, "gcp:storage/bucket:Bucket");
        const data = buckets.find((b) => b.name === "foundation-data")!;
        const artifacts = buckets.find((b) => b.name === "foundation-artifacts")!;
        // Both buckets are mounted either way, so any image reads and writes local paths.
        expect(task.taskSpec.volumes).toEqual([
            { gcs: { remotePath: data.inputs.name }, mountPath: DATA_MOUNT, mountOptions: [...GCS_MOUNT_OPTIONS] },
            {
                gcs: { remotePath: artifacts.inputs.name },
                mountPath: ARTIFACTS_MOUNT,
                mountOptions: [...GCS_MOUNT_OPTIONS],
            },
        ]);
        expect(task.taskSpec.environment.variables).toEqual({
            MODEL: "churn",
            DATA_URI: `gs://${data.inputs.name}`,
            ARTIFACTS_URI: `gs://${artifacts.inputs.name}`,
            DATA_DIR: DATA_MOUNT,
            ARTIFACTS_DIR: ARTIFACTS_MOUNT,
            PIPELINE: "data",
        });
        expect(inst.policy.accelerators).toBeUndefined();
        expect(body.logsPolicy).toEqual({ destination: "CLOUD_LOGGING" });
        for (const labels of [body.labels, body.allocationPolicy.labels]) {
            expect(labels).toMatchObject({
                [TAG_KEYS.pipeline]: "data",
                [TAG_KEYS.level]: "1",
                [TAG_KEYS.environment]: "dev",
                [TAG_KEYS.managedBy]: "mlops-levels",
            });
        }
        // The connector waits longer than the run may take, so a slow VM start does not fail a good run.
        expect(run.args.connector_params.timeout).toBeGreaterThan(7200);
        // Batch job ids: RFC 1035, at most 63 with the 10-digit time.
        const prefix = /^\$\{"([^"]+)-" \+ string\(int\(sys\.now\(\)\)\)\}$/.exec(steps[0]!.init.assign[0].jobId)![1]!;
        expect(isValidName("gcpResource", `${prefix}-1700000000`)).toBe(true);
    });

    test("the workflow has its own SA, allowed to create Batch jobs, write logs and act as the job SA only", () => {
        const wf = one(rs, WORKFLOW);
        const wfSa = ofType(own(), SA).find((s) => s.name === "data-workflow-sa")!;
        expect(wf.inputs.serviceAccount).toBe(wfSa.outputs.email);
        expect(wf.inputs.deletionProtection).toBe(false);
        expect(wf.inputs.region).toBe("us-central1");
        expect(isValidName("gcpResource", String(wf.inputs.name))).toBe(true);
        const roles = ofType(own(), PROJECT_IAM)
            .filter((g) => g.inputs.member === wfSa.outputs.member)
            .map((g) => g.inputs.role);
        expect(roles.sort()).toEqual(["roles/batch.jobsEditor", "roles/logging.logWriter"]);
        const actAs = one(own(), SA_IAM);
        const jobSa = ofType(rs, SA).find((s) => s.name === "foundation-job-sa")!;
        expect(actAs.inputs).toMatchObject({
            serviceAccountId: jobSa.outputs.name,
            role: "roles/iam.serviceAccountUser",
            member: wfSa.outputs.member,
        });
        for (const s of ofType(own(), SA))
            expect(isValidName("gcpServiceAccount", String(s.inputs.accountId))).toBe(true);
    });

    test("Cloud Scheduler POSTs to the Workflow Executions API as an SA that may only invoke workflows", () => {
        const sched = one(rs, SCHEDULER);
        const wf = one(rs, WORKFLOW);
        expect(sched.inputs.schedule).toBe("15 3 * * 1-5");
        expect(sched.inputs.timeZone).toBe("Etc/UTC");
        expect(sched.inputs.region).toBe("us-central1");
        // biome-ignore lint/suspicious/noExplicitAny: parsed inputs navigated freely in assertions
        const target = sched.inputs.httpTarget as Record<string, any>;
        expect(target.uri).toBe(`https://workflowexecutions.googleapis.com/v1/${wf.outputs.id}/executions`);
        expect(target.uri).toBe(
            `https://workflowexecutions.googleapis.com/v1/projects/${PROJECT_ID}/locations/us-central1/workflows/mlops-levels-dev-data/executions`,
        );
        expect(target.httpMethod).toBe("POST");
        expect(JSON.parse(Buffer.from(target.body, "base64").toString())).toHaveProperty("argument");
        const schedSa = ofType(own(), SA).find((s) => s.name === "data-scheduler-sa")!;
        expect(target.oauthToken.serviceAccountEmail).toBe(schedSa.outputs.email);
        expect(target.oidcToken).toBeUndefined();
        const grants = [...ofType(rs, PROJECT_IAM), ...ofType(rs, SA_IAM)].filter(
            (g) => g.inputs.member === schedSa.outputs.member,
        );
        expect(grants.map((g) => g.inputs.role)).toEqual(["roles/workflows.invoker"]);
        expect(isValidName("gcpResource", String(sched.inputs.name))).toBe(true);
    });

    test("enables the APIs it uses and waits for them", () => {
        const services = ofType(own(), "gcp:projects/service:Service");
        expect(services.map((s) => s.inputs.service).sort()).toEqual(
            ["batch", "cloudscheduler", "workflowexecutions", "workflows"].map((s) => `${s}.googleapis.com`),
        );
        const wf = one(rs, WORKFLOW);
        for (const s of services.filter((s) => s.inputs.service !== "cloudscheduler.googleapis.com"))
            expect(wf.dependencies).toContain(s.urn);
        const sched = one(rs, SCHEDULER);
        expect(sched.dependencies).toContain(
            services.find((s) => s.inputs.service === "cloudscheduler.googleapis.com")!.urn,
        );
    });

    test("every labelled resource carries the four tags with valid GCP label keys and values", () => {
        const labelled = gcpResources(rs).filter((r) => r.inputs.labels !== undefined);
        expect(labelled.map((r) => r.type)).toEqual(expect.arrayContaining([WORKFLOW, "gcp:storage/bucket:Bucket"]));
        for (const r of labelled) {
            const labels = r.inputs.labels as Record<string, string>;
            for (const k of [TAG_KEYS.pipeline, TAG_KEYS.level, TAG_KEYS.environment, TAG_KEYS.managedBy])
                expect(labels).toHaveProperty(k);
            for (const [k, v] of Object.entries(labels)) {
                expect(k).toMatch(GCP_LABEL_KEY);
                expect(v).toMatch(GCP_LABEL_VALUE);
            }
        }
        expect((one(rs, WORKFLOW).inputs.labels as Record<string, string>)[TAG_KEYS.pipeline]).toBe("data");
    });
});

describe("GCP batch job, the reference image (the default)", () => {
    let rs: Awaited<ReturnType<typeof runBatch>>;
    let mirror: string;
    beforeAll(async () => {
        mirror = imageMirrorPath(PROJECT_ID, "mlops-levels", "dev", "us-central1");
        rs = await runBatch({ volumeGb: 5, pipeline: "inference", image: `${mirror}/${REFERENCE_IMAGE}` });
    });
    const body = () => workflowSourceOf(one(rs, WORKFLOW)).main.steps[1].run.args.body;
    const uploads = () => ofType(rs, "gcp:storage/bucketObject:BucketObject");

    test("declares the files its steps read; the foundation uploads exactly those, under samples/", () => {
        expect(gcpBatchJobNeeds({ pipeline: "inference", image: REFERENCE_IMAGE })).toEqual({
            samples: ["jobs-package", "model", "sample-data"],
        });
        expect(gcpBatchJobNeeds({ pipeline: "data", image: `${mirror}/${REFERENCE_IMAGE}` })).toEqual({
            samples: ["jobs-package", "sample-data"],
        });
        // A team's image reads nothing the stack uploads.
        expect(gcpBatchJobNeeds({ pipeline: "data", image: IMAGE })).toEqual({});
        expect(
            uploads()
                .map((u) => u.inputs.name)
                .sort(),
        ).toEqual(["samples/data/customers.csv", "samples/jobs/jobs.zip", "samples/models/sklearn/model.joblib"]);
        const foundation = one(rs, "mlops:foundation:Foundation");
        for (const u of uploads()) expect(u.parent).toBe(foundation.urn);
    });

    test("runs the features then the scoring step with python, as root, on the mounted buckets", () => {
        const task = body().taskGroups[0].taskSpec;
        expect(task.runnables).toEqual(
            referenceSteps("inference").map((args) => ({
                container: {
                    imageUri: `${mirror}/${REFERENCE_IMAGE}`,
                    entrypoint: "python",
                    commands: args,
                    options: REFERENCE_CONTAINER_OPTIONS,
                },
            })),
        );
        expect(task.runnables.map((r: { container: { commands: string[] } }) => r.container.commands[1])).toEqual([
            "jobs.features",
            "jobs.score",
        ]);
        expect(task.runnables[1].container.commands).toEqual([
            "-m",
            "jobs.score",
            "--model",
            `${ARTIFACTS_MOUNT}/samples/models/sklearn/model.joblib`,
            "--input",
            `${DATA_MOUNT}/samples/features/`,
            "--output",
            `${DATA_MOUNT}/samples/scores/`,
        ]);
        expect(task.environment.variables.PYTHONPATH).toBe(`${ARTIFACTS_MOUNT}/samples/jobs/jobs.zip`);
    });

    test("every file the job reads is uploaded in the same plan and the workflow waits for it and the mirror", () => {
        const wf = one(rs, WORKFLOW);
        const needs = prerequisitesOf(wf);
        const objects = needs.filter((n) => n.kind === "object").map((n) => n.ref);
        expect(objects.sort()).toEqual(
            uploads()
                .flatMap((u) => providedBy(u).map((p) => p.ref))
                .sort(),
        );
        for (const u of uploads()) expect(wf.dependencies).toContain(u.urn);
        // The image comes through the foundation's Docker Hub mirror, which the workflow waits for too.
        const repo = one(rs, "gcp:artifactregistry/repository:Repository");
        const [mirrorPrefix] = providedBy(repo).map((p) => p.ref);
        for (const n of needs.filter((x) => x.kind === "image")) expect(n.ref.startsWith(mirrorPrefix!)).toBe(true);
        expect(wf.dependencies).toContain(repo.urn);
        expect(REFERENCE_SAMPLES.inference).toHaveLength(3);
    });
});

describe("GCP batch job, vm runner", () => {
    let rs: Awaited<ReturnType<typeof runBatch>>;
    beforeAll(async () => {
        rs = await runBatch({
            volumeGb: 3,
            runner: "vm",
            pipeline: "inference",
            schedule: "*/30 2 * * *",
            timeoutHours: 1,
        });
    });

    test("one private, shielded COS VM running as the job SA, and no workflow or scheduler", () => {
        expect(ofType(rs, WORKFLOW)).toHaveLength(0);
        expect(ofType(rs, SCHEDULER)).toHaveLength(0);
        const vm = one(rs, "gcp:compute/instance:Instance");
        expect(vm.parent).toBe(one(rs, BATCH_JOB_TYPE).urn);
        expect(vm.inputs.machineType).toBe("e2-standard-2");
        expect(vm.inputs.zone).toBe("us-central1-b");
        const nics = vm.inputs.networkInterfaces as Record<string, unknown>[];
        expect(nics).toHaveLength(1);
        expect(nics[0]!.accessConfigs ?? []).toEqual([]);
        expect(nics[0]!.subnetwork).toBe(one(rs, "gcp:compute/subnetwork:Subnetwork").outputs.id);
        expect(vm.inputs.shieldedInstanceConfig).toEqual({
            enableSecureBoot: true,
            enableVtpm: true,
            enableIntegrityMonitoring: true,
        });
        // biome-ignore lint/suspicious/noExplicitAny: parsed inputs navigated freely in assertions
        const boot = vm.inputs.bootDisk as Record<string, any>;
        expect(boot.initializeParams.image).toBe(VM_RUNNER_IMAGE);
        expect(boot.initializeParams.labels[TAG_KEYS.pipeline]).toBe("inference");
        const jobSa = one(rs, SA);
        expect((vm.inputs.serviceAccount as Record<string, unknown>).email).toBe(jobSa.outputs.email);
        expect((vm.inputs.labels as Record<string, string>)[TAG_KEYS.level]).toBe("1");
        const md = vm.inputs.metadata as Record<string, string>;
        expect(md["block-project-ssh-keys"]).toBe("true");
        const userData = md["user-data"]!;
        expect(userData.startsWith("#cloud-config\n")).toBe(true);
        expect(userData).toContain("OnCalendar=*-*-* 02:00,30:00 UTC");
        expect(userData).toContain(`docker run --rm --name=mlops-job --env-file=/etc/mlops-job.env ${IMAGE}`);
        expect(userData).toContain("--registries=europe-west4-docker.pkg.dev");
        expect(userData).toContain("TimeoutStartSec=3600");
        expect(userData).toMatch(/PIPELINE=inference/);
        expect(isValidName("gcpResource", String(vm.inputs.name))).toBe(true);
    });
});

describe("machine choice", () => {
    test.each([
        [0, "e2-standard-2"],
        [5, "e2-standard-2"],
        [20, "e2-highmem-4"],
        [100, "e2-highmem-16"],
        [102.4, "e2-highmem-16"],
        [128, "n2-highmem-32"],
        [600, "n2-highmem-96"],
    ])("%d GB of data runs on %s", (gb, name) => {
        expect(pickMachine(GCP_MACHINES, gb, false, "x").name).toBe(name);
    });

    test("beyond the largest machine is an InputError naming the key path, before anything is created", () => {
        // The component checks before `super`, so it throws without an engine or a real foundation.
        const make = (pipeline: "data" | "inference") => () =>
            new GcpBatchJob(pipeline, {
                ctx: testContext(),
                pipeline,
                level: 1,
                foundation: {} as GcpFoundation,
                volumeGb: 5000,
                schedule: "0 2 * * *",
                image: IMAGE,
            });
        expect(make("data")).toThrow(InputError);
        expect(make("data")).toThrow(/config\.mlops:workload\.data\.volumeGb/);
        expect(make("inference")).toThrow(/config\.mlops:workload\.inference\.volumeGb: 5000 GB needs 6250 GB/);
    });

    test("the catalogue has real sizes", () => {
        const byName = Object.fromEntries(GCP_MACHINES.map((m) => [m.name, m]));
        expect(byName["e2-highmem-16"]).toMatchObject({ vcpus: 16, memoryGb: 128, gpus: 0 });
        expect(byName["n2-highmem-128"]).toMatchObject({ vcpus: 128, memoryGb: 864 });
        expect(byName["g2-standard-24"]).toMatchObject({ vcpus: 24, memoryGb: 96, gpus: 2, gpuModel: "nvidia-l4" });
        expect(byName["g2-standard-96"]).toMatchObject({ memoryGb: 384, gpus: 8 });
        for (const m of GCP_MACHINES) expect(m.name.startsWith(m.family)).toBe(true);
    });
});

describe("checkers (pure)", () => {
    test("checkBatchJobArgs collects every problem", () => {
        expect(checkBatchJobArgs({ volumeGb: 1, schedule: "0 2 * * *", image: "i" })).toEqual([]);
        expect(
            checkBatchJobArgs({ volumeGb: -1, schedule: "daily", image: " ", timeoutHours: 0 }).map((p) => p.path),
        ).toEqual(["volumeGb", "schedule", "image", "timeoutHours"]);
    });

    test("the vm runner rejects cron it cannot translate; serverless passes cron through", () => {
        expect(checkGcpBatchJobArgs({ schedule: "0 2 1 * MON", runner: "vm" })).toEqual([
            { path: "schedule", message: expect.stringContaining("day-of-month and day-of-week") },
        ]);
        expect(checkGcpBatchJobArgs({ schedule: "0 2 1 * MON", runner: "serverless" })).toEqual([]);
        expect(checkGcpBatchJobArgs({ schedule: "0 25 * * *", runner: "vm" })[0]!.message).toMatch(
            /hour '25'.*within 0-23/,
        );
    });

    // Strings below hold Workflows' `${...}` syntax on purpose.
    // biome-ignore-start lint/suspicious/noTemplateCurlyInString: Workflows expressions, not JS templates
    test("environment values that look like Workflows expressions stay literal", () => {
        const machine = GCP_MACHINES[0]!;
        const body = batchJobBody({
            project: "p",
            region: "us-central1",
            jobIdPrefix: "j",
            image: IMAGE,
            machine,
            diskGb: 50,
            maxRunSeconds: 60,
            network: "n",
            subnetwork: "s",
            serviceAccountEmail: "e@p.iam.gserviceaccount.com",
            environment: { A: "${sys.get_env('X')}", B: "plain ${not} an expression" },
            labels: {},
            mounts: [],
        }) as { taskGroups: { taskSpec: { environment: { variables: Record<string, string> } } }[] };
        expect(body.taskGroups[0]!.taskSpec.environment.variables).toEqual({
            A: `\${${JSON.stringify("${sys.get_env('X')}")}}`,
            B: "plain ${not} an expression",
        });
    });
    // biome-ignore-end lint/suspicious/noTemplateCurlyInString: Workflows expressions, not JS templates

    test("a GPU machine names its L4s in policy.accelerators, which Batch installs drivers for", () => {
        const g2 = pickMachine(GCP_MACHINES, 60, true, "x");
        expect(g2.name).toBe("g2-standard-24");
        expect(accelerators(g2)).toEqual([{ type: "nvidia-l4", count: 2 }]);
        expect(accelerators(GCP_MACHINES[0]!)).toEqual([]);
        expect(() => accelerators({ ...g2, gpuModel: undefined })).toThrow(/GPU model/);
    });

    test("the vm runner runs the reference steps by copying inputs in and outputs back", () => {
        const spec = vmReferenceSpec("inference", { data: "d", artifacts: "a" });
        expect(spec).toEqual({
            mounts: { [DATA_MOUNT]: "d", [ARTIFACTS_MOUNT]: "a" },
            inputs: [
                `${ARTIFACTS_MOUNT}/samples/jobs/jobs.zip`,
                `${ARTIFACTS_MOUNT}/samples/models/sklearn/model.joblib`,
                `${DATA_MOUNT}/samples/data/customers.csv`,
            ],
            outputs: [`${DATA_MOUNT}/samples/features/`, `${DATA_MOUNT}/samples/scores/`],
            steps: referenceSteps("inference"),
        });
        expect(vmReferenceSpec("training", { data: "d", artifacts: "a" }).outputs).toEqual([
            `${DATA_MOUNT}/samples/features/`,
            `${ARTIFACTS_MOUNT}/samples/models/trained/`,
        ]);
        const image = `us-central1-docker.pkg.dev/p/m/${REFERENCE_IMAGE}`;
        const init = vmCloudInit({ image, onCalendar: "daily", timeoutSeconds: 60, environment: {}, reference: spec });
        expect(init).toContain(
            `--user=root -v ${VM_REFERENCE_FILES.script}:/opt/mlops/reference.py:ro -v ${VM_REFERENCE_FILES.spec}:/opt/mlops/reference.json:ro --entrypoint=python ${image} /opt/mlops/reference.py /opt/mlops/reference.json`,
        );
        expect(init).toContain(`  - path: ${VM_REFERENCE_FILES.script}`);
        expect(init).toContain(`      ${JSON.stringify(spec)}`);
        expect(init).toContain("      from google.cloud import storage");
        expect(VM_REFERENCE_RUNNER).toMatch(/download_to_filename[\s\S]*subprocess\.run[\s\S]*upload_from_filename/);
        // A team's image keeps its own entrypoint.
        expect(vmCloudInit({ image: IMAGE, onCalendar: "daily", timeoutSeconds: 60, environment: {} })).not.toContain(
            "reference",
        );
    });

    test("registry hosts the VM logs in to", () => {
        expect(googleRegistryHost("us-docker.pkg.dev/deeplearning-platform-release/gcr.io/base-cpu.py310")).toBe(
            "us-docker.pkg.dev",
        );
        expect(googleRegistryHost("gcr.io/p/i")).toBe("gcr.io");
        expect(googleRegistryHost("docker.io/library/python:3.12")).toBeUndefined();
    });
});

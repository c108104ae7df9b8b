import { CLOUD_TYPE_PREFIX } from "../../components/shared/clouds";
import { InputError } from "../../components/shared/errors";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { configFor, ofType, one, outsideFoundation, planConfig, someOfType } from "../helpers/plan";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, workflowSourceOf } from "./harness";

const WORKLOAD = {
    data: { volumeGb: 20, freshnessSeconds: 86400 },
    training: { datasetGb: 5, dataKind: "unstructured", singleMachineHours: 2, slaHours: 24 },
    inference: { mode: "batch", volumeGb: 10 },
};

describe("GCP stack, every pipeline at level 1", () => {
    let plan: Awaited<ReturnType<typeof planConfig>>;
    beforeAll(async () => {
        plan = await planConfig(configFor("gcp", WORKLOAD), "prod");
    });

    test("levels, components and the job names in the outputs", () => {
        expect(plan.outputs.levels).toEqual({ data: 1, training: 1, inference: 1 });
        expect(
            ofType(plan.resources, "mlops:batch-job:BatchJob")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["data", "inference"]);
        one(plan.resources, "mlops:training-job:TrainingJob");
        one(plan.resources, "mlops:foundation:Foundation");
        expect(plan.outputs).toMatchObject({
            dataMachineType: "e2-highmem-4",
            inferenceMachineType: "e2-highmem-2",
            trainingMachineType: "g2-standard-4",
            dataJobName: "mlops-levels-prod-data",
            trainingJobName: "mlops-levels-prod-training",
            dataUri: expect.stringMatching(/^gs:\/\/mlops-levels-prod-data-[a-z0-9]{6}$/),
            jobIdentity: expect.stringMatching(/@mlops-levels-demo\.iam\.gserviceaccount\.com$/),
        });
        expect(ofType(plan.resources, "gcp:workflows/workflow:Workflow")).toHaveLength(3);
        expect(ofType(plan.resources, "gcp:cloudscheduler/job:Job")).toHaveLength(2);
        const training = ofType(plan.resources, "gcp:workflows/workflow:Workflow").find(
            (w) => w.name === "training-workflow",
        )!;
        const body = workflowSourceOf(training).main.steps[1].run.args.body;
        expect(body.allocationPolicy.instances[0]).toMatchObject({
            installGpuDrivers: true,
            policy: { machineType: "g2-standard-4" },
        });
    });

    test("default images come from Docker Hub through the stack's mirror, over Private Google Access", () => {
        const mirror = one(plan.resources, "gcp:artifactregistry/repository:Repository");
        const path = `us-central1-docker.pkg.dev/mlops-levels-demo/${mirror.inputs.repositoryId}`;
        const imageOf = (name: string) => {
            const w = ofType(plan.resources, "gcp:workflows/workflow:Workflow").find((x) => x.name === name)!;
            return workflowSourceOf(w).main.steps[1].run.args.body.taskGroups[0].taskSpec.runnables[0].container
                .imageUri;
        };
        // One pinned image with Python, scikit-learn and pandas runs the reference pipeline everywhere.
        for (const w of ["data-workflow", "inference-workflow", "training-workflow"])
            expect(imageOf(w)).toBe(`${path}/kserve/sklearnserver:v0.20.0`);
    });

    test("exports the command that starts each pipeline's run, and uploads what the runs read", () => {
        expect(plan.outputs.runCommands).toEqual({
            data: "gcloud workflows run mlops-levels-prod-data --location=us-central1 --project=mlops-levels-demo",
            inference:
                "gcloud workflows run mlops-levels-prod-inference --location=us-central1 --project=mlops-levels-demo",
            training:
                "gcloud workflows run mlops-levels-prod-training --location=us-central1 --project=mlops-levels-demo",
        });
        expect(
            ofType(plan.resources, "gcp:storage/bucketObject:BucketObject")
                .map((o) => o.inputs.name)
                .sort(),
        ).toEqual(["samples/data/customers.csv", "samples/jobs/jobs.zip", "samples/models/sklearn/model.joblib"]);
        // New content replaces an object under the same name: the old one is deleted first, or
        // its delete would remove the new upload.
        for (const o of ofType(plan.resources, "gcp:storage/bucketObject:BucketObject"))
            expect({ name: o.inputs.name, deleteBeforeReplace: o.deleteBeforeReplace }).toEqual({
                name: o.inputs.name,
                deleteBeforeReplace: true,
            });
    });

    test("nothing of a higher level, nothing of another cloud, and no always-on compute", () => {
        const types = outsideFoundation(plan.resources).map((r) => r.type);
        expect(
            types.some((t) =>
                /^gcp:(dataproc|dataflow|pubsub|managedkafka|container|cloudrunv2|cloudrun|vertex|artifactregistry)\//.test(
                    t,
                ),
            ),
        ).toBe(false);
        expect(types.some((t) => t.startsWith(CLOUD_TYPE_PREFIX.aws) || t.startsWith(CLOUD_TYPE_PREFIX.azure))).toBe(
            false,
        );
        expect(types).not.toContain("gcp:compute/instance:Instance");
    });

    test("every gcp resource uses the explicit provider with the stack's project and region", () => {
        const provider = one(plan.resources, "pulumi:providers:gcp");
        expect(provider.inputs).toMatchObject({ project: "mlops-levels-demo", region: "us-central1" });
        for (const r of plan.resources.filter((r) => r.custom && r.type.startsWith("gcp:")))
            expect(r.provider).toBe(provider.urn);
    });

    test("labels: the four tags with valid GCP keys and values on every resource that takes labels", () => {
        const labelled = plan.resources.filter((r) => r.type.startsWith("gcp:") && r.inputs.labels !== undefined);
        // Buckets (2), the Docker Hub mirror and workflows (3); no other type used here takes labels.
        expect(labelled).toHaveLength(6);
        for (const r of labelled) {
            const labels = r.inputs.labels as Record<string, string>;
            for (const k of [TAG_KEYS.pipeline, TAG_KEYS.level, TAG_KEYS.environment, TAG_KEYS.managedBy])
                expect(labels).toHaveProperty(k);
            expect(labels[TAG_KEYS.environment]).toBe("prod");
            for (const [k, v] of Object.entries(labels)) {
                expect(k).toMatch(GCP_LABEL_KEY);
                expect(v).toMatch(GCP_LABEL_VALUE);
            }
        }
        for (const type of ["gcp:storage/bucket:Bucket", "gcp:workflows/workflow:Workflow"]) {
            const typed = ofType(plan.resources, type);
            expect({ type, count: typed.length > 0 }).toEqual({ type, count: true });
            for (const r of typed) expect(r.inputs.labels).toBeDefined();
        }
    });

    test("physical names follow the GCP rules", () => {
        for (const r of someOfType(plan.resources, "gcp:storage/bucket:Bucket"))
            expect(isValidName("gcsBucket", String(r.inputs.name))).toBe(true);
        for (const r of someOfType(plan.resources, "gcp:serviceaccount/account:Account"))
            expect(isValidName("gcpServiceAccount", String(r.inputs.accountId))).toBe(true);
        for (const t of [
            "gcp:workflows/workflow:Workflow",
            "gcp:cloudscheduler/job:Job",
            "gcp:compute/network:Network",
            "gcp:compute/subnetwork:Subnetwork",
            "gcp:compute/firewall:Firewall",
        ])
            for (const r of someOfType(plan.resources, t))
                expect(isValidName("gcpResource", String(r.inputs.name))).toBe(true);
        const accountIds = ofType(plan.resources, "gcp:serviceaccount/account:Account").map((r) => r.inputs.accountId);
        expect(new Set(accountIds).size).toBe(accountIds.length);
    });

    test("prod protects the foundation's stateful resources, and nothing else", () => {
        expect(
            plan.resources
                .filter((r) => r.protect)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
        ).toEqual([
            "gcp:storage/bucket:Bucket foundation-artifacts",
            "gcp:storage/bucket:Bucket foundation-data",
            "random:index/randomString:RandomString unique-suffix",
        ]);
        for (const w of someOfType(plan.resources, "gcp:workflows/workflow:Workflow")) expect(w.protect).toBe(false);
    });
});

describe("GCP stack input errors", () => {
    test("no gcp:project: a clear InputError before anything is planned", async () => {
        const { ["gcp:project"]: _, ...config } = configFor("gcp", WORKLOAD);
        await expect(planConfig(config)).rejects.toThrow(InputError);
        await expect(planConfig(config)).rejects.toThrow(/config\.gcp:project: is required for cloud gcp/);
    });

    test("the vm runner puts one VM per batch pipeline and no scheduler", async () => {
        const plan = await planConfig(
            configFor("gcp", { data: { volumeGb: 2 } }, { "mlops:options": { batchRunner: "vm" } }),
        );
        const vm = one(plan.resources, "gcp:compute/instance:Instance");
        expect(vm.inputs.machineType).toBe("e2-standard-2");
        expect(ofType(plan.resources, "gcp:cloudscheduler/job:Job")).toHaveLength(0);
        const labels = vm.inputs.labels as Record<string, string>;
        for (const [k, v] of Object.entries(labels)) {
            expect(k).toMatch(GCP_LABEL_KEY);
            expect(v).toMatch(GCP_LABEL_VALUE);
        }
        // The default image runs the reference features step through the runner script, after the uploads.
        const userData = (vm.inputs.metadata as Record<string, string>)["user-data"]!;
        expect(userData).toContain("--entrypoint=python");
        expect(userData).toContain('"jobs.features"');
        const uploads = ofType(plan.resources, "gcp:storage/bucketObject:BucketObject");
        expect(uploads.map((u) => u.inputs.name).sort()).toEqual([
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
        ]);
        for (const u of uploads) expect(vm.dependencies).toContain(u.urn);
        // The VM runs on its timer: no command starts a run.
        expect(plan.outputs.runCommands).toBeUndefined();
    });
});

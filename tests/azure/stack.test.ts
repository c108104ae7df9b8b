import type { PlannedResource } from "../../cli/plan/offline";
import { EGRESS_TYPE } from "../../components/foundation";
import { CLOUD_TYPE_PREFIX } from "../../components/shared/clouds";
import { TAG_KEYS } from "../../components/shared/tags";
import type { Json } from "../aws/harness";
import { configFor, descendants, ofType, one, planConfig, someOfType } from "../helpers/plan";
import { HIGHER_LEVEL_TYPE, UNTAGGABLE } from "./harness";

const WORKLOAD = {
    data: { volumeGb: 20, freshnessSeconds: 86400 },
    training: { datasetGb: 5, dataKind: "unstructured", singleMachineHours: 2, slaHours: 24 },
    inference: { mode: "batch", volumeGb: 2, schedule: "0 4 * * *" },
};

describe("Azure stack, every pipeline at level 1 (prod)", () => {
    let plan: Awaited<ReturnType<typeof planConfig>>;
    beforeAll(async () => {
        plan = await planConfig(configFor("azure", WORKLOAD), "prod");
    });
    const azure = () => plan.resources.filter((r) => r.custom && r.type.startsWith(CLOUD_TYPE_PREFIX.azure));

    test("levels, components and outputs", () => {
        expect(plan.outputs.levels).toEqual({ data: 1, training: 1, inference: 1 });
        expect(
            ofType(plan.resources, "mlops:batch-job:BatchJob")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["data", "inference"]);
        one(plan.resources, "mlops:training-job:TrainingJob");
        one(plan.resources, "mlops:foundation:Foundation");
        expect(plan.outputs).toMatchObject({
            // 20 GB needs 25 GB: beyond Consumption, so a Batch pool of E4s_v5 (32 GiB).
            dataMachineType: "Standard_E4s_v5",
            inferenceMachineType: "Consumption-4Gi",
            trainingMachineType: "Consumption-GPU-NC8as-T4",
            dataJobName: "mlops-levels-prod-data",
            inferenceJobName: "mlops-levels-prod-inference",
            trainingJobName: "mlops-levels-prod-training",
            dataUri: expect.stringMatching(/^abfss:\/\/data@mlopslevelsprod[a-z0-9]{6}\.dfs\.core\.windows\.net\/$/),
            jobIdentity: expect.stringMatching(
                /\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/mlops-levels-prod-jobs$/,
            ),
        });
    });

    test("one environment with exactly the profiles the jobs use, no Dedicated one; three jobs in it", () => {
        const env = one(plan.resources, "azure-native:app:ManagedEnvironment");
        expect(env.inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
            { name: "gpu-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
        ]);
        // The data run goes to a Batch pool; its Container Apps job only launches it.
        expect(one(plan.resources, "azure-native:batch:Pool").inputs.vmSize).toBe("Standard_E4s_v5");
        const jobs = ofType(plan.resources, "azure-native:app:Job");
        expect(jobs).toHaveLength(3);
        for (const j of jobs) expect(j.inputs.environmentId).toBe(env.outputs.id);
        const trigger = (n: string) =>
            (
                jobs.find((j) => j.inputs.jobName === `mlops-levels-prod-${n}`)!.inputs.configuration as {
                    triggerType: string;
                }
            ).triggerType;
        expect([trigger("data"), trigger("inference"), trigger("training")]).toEqual([
            "Schedule",
            "Schedule",
            "Manual",
        ]);
        const inference = jobs.find((j) => j.inputs.jobName === "mlops-levels-prod-inference")!;
        expect(inference.inputs.configuration).toMatchObject({
            scheduleTriggerConfig: { cronExpression: "0 4 * * *" },
        });
    });

    test("nothing above level 1, everything through the explicit provider in mlops:region", () => {
        expect(plan.resources.filter((r) => HIGHER_LEVEL_TYPE.test(r.type)).map((r) => r.type)).toEqual([]);
        const provider = one(plan.resources, "pulumi:providers:azure-native");
        expect(provider.inputs.location).toBe("eastus");
        for (const r of azure()) expect(r.provider).toBe(provider.urn.split("::").slice(0, 4).join("::"));
        for (const r of azure().filter((x) => "location" in x.inputs)) expect(r.inputs.location).toBe("eastus");
    });

    test("every Azure resource belongs to a component and carries that component's tags", () => {
        const owner = new Map<string, string>();
        for (const [type, pipeline] of [
            ["mlops:foundation:Foundation", "foundation"],
            ["mlops:training-job:TrainingJob", "training"],
        ] as const)
            for (const r of descendants(plan.resources, one(plan.resources, type).urn)) owner.set(r.urn, pipeline);
        // The NAT gateway a Batch pool's level asked for carries that level's tags, not the foundation's.
        for (const e of someOfType(plan.resources, EGRESS_TYPE))
            for (const r of descendants(plan.resources, e.urn))
                owner.set(r.urn, (e.inputs.tags as Record<string, string>)[TAG_KEYS.pipeline]!);
        for (const c of someOfType(plan.resources, "mlops:batch-job:BatchJob"))
            for (const r of descendants(plan.resources, c.urn)) owner.set(r.urn, c.name);
        for (const r of azure()) {
            const pipeline = owner.get(r.urn);
            expect({ urn: r.urn, owned: pipeline !== undefined }).toEqual({ urn: r.urn, owned: true });
            if (UNTAGGABLE.has(r.type)) continue;
            // The four keys; the stack may add assessment facts beside them.
            expect(r.inputs.tags).toMatchObject({
                [TAG_KEYS.pipeline]: pipeline,
                [TAG_KEYS.level]: pipeline === "foundation" ? "0" : "1",
                [TAG_KEYS.environment]: "prod",
                [TAG_KEYS.managedBy]: "mlops-levels",
            });
        }
    });

    test("the reference pipeline: uploads under samples/, every reader created after what it reads", () => {
        const blobs = ofType(plan.resources, "azure:storage/blob:Blob");
        const byName = Object.fromEntries(blobs.map((b) => [b.name, b]));
        expect(Object.keys(byName).sort()).toEqual([
            "foundation-sample-jobs-package",
            "foundation-sample-model",
            "foundation-sample-sample-data",
        ]);
        const containers = Object.fromEntries(
            ofType(plan.resources, "azure-native:storage:BlobContainer").map((c) => [c.inputs.containerName, c]),
        );
        for (const b of blobs) {
            expect(String(b.inputs.name)).toMatch(/^samples\//);
            expect(b.inputs.type).toBe("Block");
            const bucket = String(b.inputs.name).startsWith("samples/data/") ? "data" : "artifacts";
            expect(b.inputs.storageContainerId).toBe(containers[bucket]!.outputs.id);
        }
        // The deployer writes them with its Entra ID token (the account takes no keys), through the
        // classic provider signed in as azure-native is, once its data role has propagated.
        const writer = plan.resources.find((r) => r.name === "foundation-deployer-blob-access")!;
        expect(writer.inputs.principalType).toMatch(/^(User|ServicePrincipal)$/);
        const wait = plan.resources.find((r) => r.name === "foundation-deployer-blob-access-propagation")!;
        expect(wait.inputs).toMatchObject({ createDuration: "5m", triggers: { roleAssignment: writer.outputs.id } });
        expect(wait.dependencies).toContain(writer.urn);
        const provider = one(plan.resources, "pulumi:providers:azure");
        expect(provider.inputs).toMatchObject({ storageUseAzuread: "true", resourceProviderRegistrations: "none" });
        // azure-native's subscription and tenant (the provider keeps them secret).
        expect(provider.inputs).toMatchObject({ subscriptionId: "[secret]", tenantId: expect.any(String) });
        expect(provider.inputs.skipProviderRegistration).toBe("false");
        for (const b of blobs) {
            // New content replaces a blob under the same name: the old one goes first.
            expect(b.deleteBeforeReplace).toBe(true);
            expect(b.dependencies).toContain(wait.urn);
            expect(b.provider).toBe(provider.urn);
        }
        const account = one(plan.resources, "azure-native:storage:StorageAccount");
        expect(account.inputs.allowSharedKeyAccess).toBe(false);
        const jobs = ofType(plan.resources, "azure-native:app:Job");
        const container = (j: PlannedResource) => (j.inputs.template as Json).containers[0] as Json;
        const env = (j: PlannedResource) =>
            Object.fromEntries((container(j).env as Json[]).map((e) => [e.name, e.value] as const));
        // Inference (2 GB) runs on Container Apps: python -c <cloud_io.py> inference, inputs by URL.
        const inference = jobs.find((j) => j.inputs.jobName === "mlops-levels-prod-inference")!;
        expect(container(inference).image).toBe("mcr.microsoft.com/azureml/curated/sklearn-1.5:49");
        expect(container(inference).command.slice(0, 2)).toEqual(["python", "-c"]);
        expect(container(inference).command[2]).toContain("def access_token(");
        expect(container(inference).args).toEqual(["inference"]);
        expect(env(inference)).toMatchObject({
            MLOPS_JOBS_PACKAGE: byName["foundation-sample-jobs-package"]!.outputs.url,
            MLOPS_SAMPLE_DATA: byName["foundation-sample-sample-data"]!.outputs.url,
            MLOPS_MODEL: byName["foundation-sample-model"]!.outputs.url,
        });
        for (const b of blobs) expect(inference.dependencies).toContain(b.urn);
        // Data (20 GB) runs on a Batch pool: the launcher's task fetches jobs.zip as a resource file.
        const launcher = jobs.find((j) => j.inputs.jobName === "mlops-levels-prod-data")!;
        const task = JSON.parse(String(env(launcher).TASK_JSON));
        expect(task.commandLine).toBe("python -m jobs.cloud_io data");
        expect(task.resourceFiles).toEqual([
            {
                httpUrl: byName["foundation-sample-jobs-package"]!.outputs.url,
                filePath: "jobs.zip",
                identityReference: {
                    resourceId: one(plan.resources, "azure-native:managedidentity:UserAssignedIdentity").outputs.id,
                },
            },
        ]);
        expect(task.containerSettings).toMatchObject({
            imageName: "mcr.microsoft.com/azureml/curated/sklearn-1.5:49",
            workingDirectory: "taskWorkingDirectory",
        });
        expect(launcher.dependencies).toContain(byName["foundation-sample-jobs-package"]!.urn);
        expect(launcher.dependencies).not.toContain(byName["foundation-sample-model"]!.urn);
    });

    test("runCommands: the exact command that starts each pipeline's run", () => {
        const jobs = ofType(plan.resources, "azure-native:app:Job");
        const rg = one(plan.resources, "azure-native:resources:ResourceGroup").outputs.name;
        const start = (name: string) =>
            `az containerapp job start --resource-group ${rg} --name ${jobs.find((j) => j.inputs.jobName === name)!.outputs.name}`;
        expect(plan.outputs.runCommands).toEqual({
            data: start("mlops-levels-prod-data"),
            training: start("mlops-levels-prod-training"),
            inference: start("mlops-levels-prod-inference"),
        });
    });

    test("prod protects the foundation's storage (and locks the account), nothing else", () => {
        expect(
            plan.resources
                .filter((r) => r.protect)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
        ).toEqual([
            "azure-native:storage:BlobContainer foundation-artifacts",
            "azure-native:storage:BlobContainer foundation-data",
            "azure-native:storage:StorageAccount foundation-storage",
            "random:index/randomString:RandomString unique-suffix",
        ]);
        expect(one(plan.resources, "azure-native:authorization:ManagementLockByScope").inputs.level).toBe(
            "CanNotDelete",
        );
        const f = one(plan.resources, "mlops:foundation:Foundation");
        expect(f.protect).toBe(false);
        expect(descendants(plan.resources, f.urn).filter((r) => r.type.includes(":network:")).length).toBeGreaterThan(
            0,
        );
    });
});

describe("Azure stack variants", () => {
    test("dev with the vm runner: VMs for the batch pipelines, no lock, environment for training only", async () => {
        const plan = await planConfig(configFor("azure", WORKLOAD, { "mlops:options": { batchRunner: "vm" } }), "dev");
        expect(
            ofType(plan.resources, "azure-native:compute:VirtualMachine")
                .map((r) => r.inputs.vmName)
                .sort(),
        ).toEqual(["mlops-levels-dev-data", "mlops-levels-dev-inference"]);
        expect(ofType(plan.resources, "azure-native:app:Job").map((r) => r.inputs.jobName)).toEqual([
            "mlops-levels-dev-training",
        ]);
        expect(ofType(plan.resources, "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
        expect(plan.outputs).toMatchObject({
            dataMachineType: "Standard_E4s_v5",
            inferenceMachineType: "Standard_D2s_v5",
        });
    });

    test("storage only when no pipeline runs compute is impossible: any pipeline brings the network", async () => {
        const plan = await planConfig(configFor("azure", { inference: { mode: "batch", volumeGb: 1 } }), "dev");
        one(plan.resources, "azure-native:network:VirtualNetwork");
        expect(ofType(plan.resources, "azure-native:app:Job")).toHaveLength(1);
        expect(ofType(plan.resources, "mlops:training-job:TrainingJob")).toHaveLength(0);
    });
});

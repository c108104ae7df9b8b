import { InputError } from "../../components/shared/errors";
import { isValidName } from "../../components/shared/naming";
import { AzureTrainingJob, azureTrainingJobKit, TRAINING_RETRY_LIMIT } from "../../components/training-job/azure";
import { TRAINING_JOB_TYPE } from "../../components/training-job/index";
import { descendants, one } from "../helpers/plan";
import { expectTagged, fakeFoundation, REGION, runAzure, testContext } from "./harness";

const JOB = "azure-native:app:Job";
const ENV = "azure-native:app:ManagedEnvironment";
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest";

const run = (datasetGb: number, gpu: boolean, region = REGION) =>
    runAzure(
        (ctx, foundation, opts) => {
            const j = new AzureTrainingJob(
                "training",
                { ctx, level: 1, foundation, datasetGb, gpu, slaHours: 12, image: IMAGE },
                opts,
            );
            return { jobName: j.jobName, machineType: j.machineType, gpus: j.gpus };
        },
        // What the job asks of the foundation, as the stack program passes it.
        {
            region,
            needs: azureTrainingJobKit.needs({ region, level: 1, datasetGb, gpu, slaHours: 12, image: IMAGE }),
        },
    );

describe("CPU training job", () => {
    let rs: Awaited<ReturnType<typeof run>>;
    beforeAll(async () => {
        rs = await run(5, false);
    });

    test("a manually triggered Container Apps job stopped after the SLA, never retried", () => {
        const j = one(rs, JOB);
        expect(descendants(rs, one(rs, TRAINING_JOB_TYPE).urn).map((r) => r.type)).toEqual([JOB]);
        expect(j.inputs.configuration).toEqual({
            triggerType: "Manual",
            manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 },
            replicaTimeout: 12 * 3600,
            replicaRetryLimit: TRAINING_RETRY_LIMIT,
        });
        expect(j.inputs.configuration).not.toHaveProperty("scheduleTriggerConfig");
    });

    test("5 GB needs 6.25 GB: Consumption at 7 GiB / 3.5 vCPU", () => {
        expect(rs.outputs).toMatchObject({ machineType: "Consumption-7Gi", gpus: 0 });
        const j = one(rs, JOB);
        expect(j.inputs.workloadProfileName).toBe("Consumption");
        const c = (
            j.inputs.template as { containers: { resources: unknown; image: string; env: { name: string }[] }[] }
        ).containers[0]!;
        expect(c.resources).toEqual({ cpu: 3.5, memory: "7Gi" });
        expect(c.image).toBe(IMAGE);
        expect(c.env.map((e) => e.name)).toEqual(["DATA_URI", "ARTIFACTS_URI", "PIPELINE", "AZURE_CLIENT_ID"]);
    });

    test("tags training/1, valid job name", () => {
        expectTagged(descendants(rs, one(rs, TRAINING_JOB_TYPE).urn), "training", 1);
        expect(rs.outputs.jobName).toBe("mlops-levels-dev-training");
        expect(isValidName("azureContainerApp", String(rs.outputs.jobName))).toBe(true);
    });
});

describe("GPU training job", () => {
    test.each([
        [10, "Consumption-GPU-NC8as-T4", "gpu-t4", { cpu: 8, memory: "56Gi" }],
        [100, "Consumption-GPU-NC24-A100", "gpu-a100", { cpu: 24, memory: "220Gi" }],
    ])("%s GB on a serverless GPU in eastus: %s", async (gb, type, profileName, resources) => {
        const rs = await run(gb, true);
        expect(rs.outputs).toMatchObject({ machineType: type, gpus: 1 });
        const j = one(rs, JOB);
        expect(j.inputs.workloadProfileName).toBe(profileName);
        expect((j.inputs.template as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual(
            resources,
        );
        // Serverless GPU profiles are Consumption-billed: no node counts, no Dedicated fee.
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
            { name: profileName, workloadProfileType: type },
        ]);
    });

    test("a large CPU dataset goes to a Batch pool that scales from zero, launched by a manual Consumption job", async () => {
        const rs = await run(60, false);
        expect(rs.outputs.machineType).toBe("Standard_E16s_v5");
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
        ]);
        const pool = one(rs, "azure-native:batch:Pool");
        expect(pool.inputs).toMatchObject({
            vmSize: "Standard_E16s_v5",
            poolName: "mlops-levels-dev-training",
            scaleSettings: { autoScale: { evaluationInterval: "PT5M" } },
            networkConfiguration: { publicIPAddressConfiguration: { provision: "NoPublicIPAddresses" } },
            deploymentConfiguration: {
                virtualMachineConfiguration: { containerConfiguration: { containerImageNames: [IMAGE] } },
            },
        });
        one(rs, "azure-native:batch:BatchAccount");
        const j = one(rs, JOB);
        expect(j.inputs.workloadProfileName).toBe("Consumption");
        expect(j.inputs.configuration).toMatchObject({
            triggerType: "Manual",
            manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 },
            replicaRetryLimit: 0,
        });
        const c = (j.inputs.template as { containers: { image: string; env: { name: string; value: string }[] }[] })
            .containers[0]!;
        expect(c.image).toMatch(/^mcr\.microsoft\.com\/azure-cli:/);
        const task = JSON.parse(c.env.find((e) => e.name === "TASK_JSON")!.value) as { constraints: unknown };
        // slaHours 12 is the task's wall clock; a failed training run is not retried.
        expect(task.constraints).toEqual({ maxWallClockTime: "PT43200S", maxTaskRetryCount: 0 });
    });
});

// Checks run before the component registers, so bad input throws without the engine.
describe("training job argument checks", () => {
    const make =
        (datasetGb: number, gpu: boolean, region = "eastus", extra: { slaHours?: number; image?: string } = {}) =>
        () =>
            new AzureTrainingJob(
                "training",
                {
                    ctx: testContext({ region }),
                    level: 1,
                    foundation: fakeFoundation(),
                    datasetGb,
                    gpu,
                    slaHours: 12,
                    image: IMAGE,
                    ...extra,
                },
                {},
            );

    test("GPU in a region without serverless GPUs: an InputError on mlops:region naming the regions", () => {
        expect(make(5, true, "northeurope")).toThrow(InputError);
        expect(make(5, true, "northeurope")).toThrow(
            /^config\.mlops:region: 'northeurope' has no Azure Container Apps serverless GPU profile .*choose one of: .*eastus.*swedencentral.*westus3/,
        );
    });

    test("a region with T4 only cannot take a dataset that needs the A100", () => {
        expect(make(100, true, "westeurope")).toThrow(
            /'westeurope' has no .* that fits 100 GB \(Consumption-GPU-NC24-A100\); choose one of: australiaeast, brazilsouth, eastus, italynorth, swedencentral, westus, westus3$/,
        );
    });

    test("beyond the A100: an InputError on the dataset", () => {
        expect(make(200, true)).toThrow(
            /^config\.mlops:workload\.training\.datasetGb: 200 GB needs 250 GB .* largest GPU machine catalogued \(220 GB\)/,
        );
    });

    test("bad args: every problem with its key path", () => {
        try {
            make(-1, false, "eastus", { slaHours: 0, image: "" })();
            throw new Error("no error");
        } catch (e) {
            expect((e as InputError).problems.map((p) => p.path)).toEqual([
                "config.mlops:workload.training.datasetGb",
                "config.mlops:workload.training.slaHours",
                "config.mlops:workload.training.image",
            ]);
        }
    });
});

import type * as pulumi from "@pulumi/pulumi";
import {
    AzureBatchJob,
    azureBatchJobKit,
    BATCH_RETRY_LIMIT,
    UBUNTU_IMAGE,
    vmCloudInit,
} from "../../components/batch-job/azure";
import { BATCH_JOB_TYPE, DEFAULT_BATCH_TIMEOUT_HOURS } from "../../components/batch-job/index";
import {
    AZURE_CLI_IMAGE,
    BATCH_AUTOSCALE_FORMULA,
    BATCH_NODE_AGENT,
    BATCH_OS_DISK_BASE_GB,
    BATCH_OS_DISK_MAX_GB,
    BATCH_POOL_IMAGE,
    batchOsDiskGb,
    LAUNCH_MARGIN_HOURS,
    LAUNCHER_SCRIPT,
} from "../../components/blocks/azure/batch-pool";
import { AZURE_BATCH_JOB_SUBMITTER } from "../../components/blocks/azure/roles";
import { mergeNeeds } from "../../components/foundation";
import type { AzureFoundation } from "../../components/foundation/azure";
import type { StackContext } from "../../components/shared/context";
import { InputError } from "../../components/shared/errors";
import { isValidName } from "../../components/shared/naming";
import { estimateStack } from "../../cost/model";
import { descendants, ofType, one } from "../helpers/plan";
import {
    azureResources,
    expectTagged,
    fakeFoundation,
    HIGHER_LEVEL_TYPE,
    REGION,
    runAzure,
    testContext,
} from "./harness";

const JOB = "azure-native:app:Job";
const ENV = "azure-native:app:ManagedEnvironment";
const POOL = "azure-native:batch:Pool";
const ACCOUNT = "azure-native:batch:BatchAccount";
const IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest";

type Extra = Partial<ConstructorParameters<typeof AzureBatchJob>[1]>;
const job = (
    ctx: StackContext,
    f: AzureFoundation,
    opts: pulumi.ComponentResourceOptions,
    pipeline: "data" | "inference",
    volumeGb: number,
    extra: Extra = {},
) =>
    new AzureBatchJob(
        pipeline,
        { ctx, pipeline, level: 1, foundation: f, volumeGb, schedule: "0 2 * * *", image: IMAGE, ...extra },
        opts,
    );

/** What jobs of these sizes ask of the foundation, merged as the stack program does it. */
const needsFor = (...jobs: [pipeline: "data" | "inference", volumeGb: number, extra?: Extra][]) => ({
    needs: mergeNeeds(
        jobs.map(([pipeline, volumeGb, extra]) =>
            azureBatchJobKit.needs({
                region: REGION,
                pipeline,
                level: 1,
                volumeGb,
                schedule: "0 2 * * *",
                image: IMAGE,
                ...extra,
            }),
        ),
    ),
});

/** The resources below one batch job component. */
const under = (rs: Awaited<ReturnType<typeof runAzure>>, name: string) =>
    descendants(rs, ofType(rs, BATCH_JOB_TYPE).find((r) => r.name === name)!.urn);

describe("serverless batch job on Consumption", () => {
    let rs: Awaited<ReturnType<typeof runAzure>>;
    beforeAll(async () => {
        rs = await runAzure(
            (ctx, f, opts) => {
                const j = job(ctx, f, opts, "data", 2, { environment: { EXTRA: "1" } });
                return { jobName: j.jobName, machineType: j.machineType };
            },
            needsFor(["data", 2]),
        );
    });

    test("a scheduled Container Apps job, child of the component, nothing else", () => {
        const mine = under(rs, "data");
        expect(mine.map((r) => r.type)).toEqual([JOB]);
        expect(rs.some((r) => HIGHER_LEVEL_TYPE.test(r.type) || r.type.includes("compute:"))).toBe(false);
        const j = one(rs, JOB);
        expect(j.inputs.configuration).toEqual({
            triggerType: "Schedule",
            scheduleTriggerConfig: { cronExpression: "0 2 * * *", parallelism: 1, replicaCompletionCount: 1 },
            replicaTimeout: DEFAULT_BATCH_TIMEOUT_HOURS * 3600,
            replicaRetryLimit: BATCH_RETRY_LIMIT,
        });
    });

    test("smallest Consumption size: 2 GB needs the 4 GiB minimum at 2 vCPU", () => {
        const j = one(rs, JOB);
        expect(rs.outputs.machineType).toBe("Consumption-4Gi");
        expect(j.inputs.workloadProfileName).toBe("Consumption");
        const c = (
            j.inputs.template as {
                containers: { resources: unknown; image: string; env: { name: string; value: string }[] }[];
            }
        ).containers[0]!;
        expect(c.resources).toEqual({ cpu: 2, memory: "4Gi" });
        expect(c.image).toBe(IMAGE);
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
        ]);
    });

    test("runs as the jobs identity in the foundation's environment, with the data env", () => {
        const j = one(rs, JOB);
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        expect(j.inputs.identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [identity.outputs.id] });
        expect(j.inputs.environmentId).toBe(one(rs, ENV).outputs.id);
        const env = Object.fromEntries(
            (j.inputs.template as { containers: { env: { name: string; value: string }[] }[] }).containers[0]!.env.map(
                (e) => [e.name, e.value],
            ),
        );
        const account = String(one(rs, "azure-native:storage:StorageAccount").inputs.accountName);
        expect(env).toEqual({
            DATA_URI: `abfss://data@${account}.dfs.core.windows.net/`,
            ARTIFACTS_URI: `abfss://artifacts@${account}.dfs.core.windows.net/`,
            PIPELINE: "data",
            AZURE_CLIENT_ID: identity.outputs.clientId,
            EXTRA: "1",
        });
    });

    test("tags data/1 on the job, valid name, job name in outputs", () => {
        expectTagged(under(rs, "data"), "data", 1);
        const name = String(one(rs, JOB).inputs.jobName);
        expect(name).toBe("mlops-levels-dev-data");
        expect(isValidName("azureContainerApp", name)).toBe(true);
        expect(rs.outputs.jobName).toBe(name);
    });
});

describe("serverless batch job sizes", () => {
    test.each([
        [5, "Consumption-7Gi", { cpu: 3.5, memory: "7Gi" }],
        [6.4, "Consumption-8Gi", { cpu: 4, memory: "8Gi" }],
    ])("%s GB runs on %s, in the Container Apps job itself", async (gb, machine, resources) => {
        const rs = await runAzure(
            (ctx, f, opts) => ({ machineType: job(ctx, f, opts, "inference", gb).machineType }),
            needsFor(["inference", gb]),
        );
        expect(rs.outputs.machineType).toBe(machine);
        const j = one(rs, JOB);
        expect(j.inputs.workloadProfileName).toBe("Consumption");
        expect((j.inputs.template as { containers: { resources: unknown }[] }).containers[0]!.resources).toEqual(
            resources,
        );
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
        ]);
        expect(ofType(rs, POOL)).toHaveLength(0);
        expect(ofType(rs, ACCOUNT)).toHaveLength(0);
    });

    // Beyond 8 GiB: the smallest catalogued VM size, memory first, then fewer vCPUs.
    test.each([
        [7, "Standard_E2s_v5"],
        [20, "Standard_E4s_v5"],
        [45, "Standard_E8s_v5"],
        [90, "Standard_E16s_v5"],
        [128, "Standard_E20s_v5"],
        [200, "Standard_E32s_v5"],
    ])("%s GB goes to a Batch pool of %s", async (gb, size) => {
        const rs = await runAzure(
            (ctx, f, opts) => ({ machineType: job(ctx, f, opts, "inference", gb).machineType }),
            needsFor(["inference", gb]),
        );
        expect(rs.outputs.machineType).toBe(size);
        expect(one(rs, POOL).inputs.vmSize).toBe(size);
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
        ]);
    });

    test("two Batch jobs share one account, each with its own pool; still Consumption only", async () => {
        const rs = await runAzure(
            (ctx, f, opts) => {
                job(ctx, f, opts, "data", 100);
                job(ctx, f, opts, "inference", 100);
            },
            needsFor(["data", 100], ["inference", 100]),
        );
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
        ]);
        one(rs, ACCOUNT);
        expect(
            ofType(rs, POOL)
                .map((p) => p.inputs.poolName)
                .sort(),
        ).toEqual(["mlops-levels-dev-data", "mlops-levels-dev-inference"]);
        expect(
            ofType(rs, JOB)
                .map((j) => j.inputs.jobName)
                .sort(),
        ).toEqual(["mlops-levels-dev-data", "mlops-levels-dev-inference"]);
    });

    test("timeoutHours sets replicaTimeout", async () => {
        const rs = await runAzure(
            (ctx, f, opts) => {
                job(ctx, f, opts, "data", 1, { timeoutHours: 2.5 });
            },
            needsFor(["data", 1]),
        );
        expect((one(rs, JOB).inputs.configuration as { replicaTimeout: number }).replicaTimeout).toBe(9000);
    });
});

describe("a run beyond 8 GiB: an Azure Batch pool launched from a Consumption job", () => {
    let rs: Awaited<ReturnType<typeof runAzure>>;
    beforeAll(async () => {
        rs = await runAzure(
            (ctx, f, opts) => {
                const j = job(ctx, f, opts, "data", 40, { timeoutHours: 3, environment: { EXTRA: "1" } });
                return { jobName: j.jobName, machineType: j.machineType, poolName: j.poolName };
            },
            needsFor(["data", 40]),
        );
    });

    test("one account (foundation), one pool and one launcher job (component); no Dedicated profile", () => {
        expect(
            azureResources(under(rs, "data"))
                .map((r) => r.type)
                .sort(),
        ).toEqual([JOB, POOL]);
        const account = one(rs, ACCOUNT);
        const foundation = ofType(rs, "mlops:foundation:Foundation")[0]!;
        expect(account.parent).toBe(foundation.urn);
        expect(one(rs, ENV).inputs.workloadProfiles).toEqual([
            { name: "Consumption", workloadProfileType: "Consumption" },
        ]);
        expect(rs.some((r) => r.type.includes("compute:"))).toBe(false);
        expect(rs.outputs).toMatchObject({ machineType: "Standard_E8s_v5", poolName: "mlops-levels-dev-data" });
    });

    test("account: Batch-service allocation, Entra ID only, the jobs identity, foundation tags", () => {
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        const account = one(rs, ACCOUNT);
        expect(account.inputs).toMatchObject({
            poolAllocationMode: "BatchService",
            allowedAuthenticationModes: ["AAD"],
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.outputs.id] },
            location: "eastus",
        });
        expect(String(account.inputs.accountName)).toMatch(/^[a-z0-9]{3,24}$/);
        expectTagged([account], "foundation", 0);
    });

    test("the jobs identity may submit Batch jobs on the account, nothing broader", () => {
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        const grant = ofType(rs, "azure-native:authorization:RoleAssignment").find(
            (r) => r.inputs.scope === one(rs, ACCOUNT).outputs.id,
        )!;
        expect(grant.inputs).toMatchObject({
            principalId: identity.outputs.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: expect.stringMatching(
                new RegExp(`/providers/Microsoft\\.Authorization/roleDefinitions/${AZURE_BATCH_JOB_SUBMITTER}$`),
            ),
        });
    });

    test("pool: smallest fitting VM, container image prefetched, autoscale 0..1, no public IP, compute subnet, identity", () => {
        const pool = one(rs, POOL);
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        const computeSubnet = ofType(rs, "azure-native:network:Subnet").find((s) => s.inputs.subnetName === "compute")!;
        expect(pool.inputs).toMatchObject({
            accountName: one(rs, ACCOUNT).outputs.name,
            vmSize: "Standard_E8s_v5",
            deploymentConfiguration: {
                virtualMachineConfiguration: {
                    imageReference: { ...BATCH_POOL_IMAGE },
                    nodeAgentSkuId: BATCH_NODE_AGENT,
                    // 40 GB of data: the base plus twice the data, for Docker's images and scratch.
                    osDisk: { diskSizeGB: 128 + 80 },
                    containerConfiguration: { type: "DockerCompatible", containerImageNames: [IMAGE] },
                },
            },
            scaleSettings: { autoScale: { formula: BATCH_AUTOSCALE_FORMULA, evaluationInterval: "PT5M" } },
            networkConfiguration: {
                subnetId: computeSubnet.outputs.id,
                publicIPAddressConfiguration: { provision: "NoPublicIPAddresses" },
            },
            targetNodeCommunicationMode: "Simplified",
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.outputs.id] },
        });
        expect(pool.inputs.scaleSettings).not.toHaveProperty("fixedScale");
        expect(BATCH_AUTOSCALE_FORMULA).toContain("$TargetDedicatedNodes = min(1, $tasks);");
        expectTagged(under(rs, "data"), "data", 1);
    });

    test("launcher: scheduled Azure CLI job on Consumption, small, never relaunched, waits past the run", () => {
        const j = one(rs, JOB);
        expect(j.inputs.workloadProfileName).toBe("Consumption");
        expect(j.inputs.configuration).toEqual({
            triggerType: "Schedule",
            scheduleTriggerConfig: { cronExpression: "0 2 * * *", parallelism: 1, replicaCompletionCount: 1 },
            replicaTimeout: (3 + LAUNCH_MARGIN_HOURS) * 3600,
            replicaRetryLimit: 0,
        });
        const c = (
            j.inputs.template as {
                containers: {
                    image: string;
                    command: string[];
                    args: string[];
                    resources: unknown;
                    env: { name: string; value: string }[];
                }[];
            }
        ).containers[0]!;
        expect(c.image).toBe(AZURE_CLI_IMAGE);
        expect(c.image.startsWith("mcr.microsoft.com/azure-cli:")).toBe(true);
        expect(c.resources).toEqual({ cpu: 0.5, memory: "1Gi" });
        expect(c.command).toEqual(["/bin/bash", "-c"]);
        expect(c.args).toEqual([LAUNCHER_SCRIPT]);
        const env = Object.fromEntries(c.env.map((e) => [e.name, e.value]));
        const account = one(rs, ACCOUNT);
        expect(env).toMatchObject({
            AZURE_BATCH_ACCOUNT: account.outputs.name,
            AZURE_BATCH_ENDPOINT: `https://${account.outputs.accountEndpoint}`,
            BATCH_POOL: "mlops-levels-dev-data",
            PIPELINE: "data",
            AZURE_CLIENT_ID: one(rs, "azure-native:managedidentity:UserAssignedIdentity").outputs.clientId,
        });
        const task = JSON.parse(env.TASK_JSON!) as {
            containerSettings: { imageName: string };
            constraints: unknown;
            environmentSettings: { name: string; value: string }[];
        };
        expect(task.containerSettings.imageName).toBe(IMAGE);
        expect(task.constraints).toEqual({ maxWallClockTime: "PT10800S", maxTaskRetryCount: BATCH_RETRY_LIMIT });
        expect(task.environmentSettings.map((e) => e.name)).toEqual([
            "DATA_URI",
            "ARTIFACTS_URI",
            "PIPELINE",
            "AZURE_CLIENT_ID",
            "EXTRA",
        ]);
        expect(task.environmentSettings.find((e) => e.name === "DATA_URI")!.value).toMatch(/^abfss:\/\/data@/);
    });

    test("the script logs in as the identity, submits, waits, fails with the task and always deletes the job", () => {
        expect(LAUNCHER_SCRIPT).toContain('az login --identity --client-id "$AZURE_CLIENT_ID"');
        expect(LAUNCHER_SCRIPT).toContain('az batch job create --id "$job" --pool-id "$BATCH_POOL"');
        expect(LAUNCHER_SCRIPT).toContain("az batch task create");
        expect(LAUNCHER_SCRIPT).toContain("trap cleanup EXIT");
        expect(LAUNCHER_SCRIPT).toContain('az batch job delete --job-id "$job" --yes');
        expect(LAUNCHER_SCRIPT).toMatch(/exit "\$code"/);
        expect(LAUNCHER_SCRIPT).not.toMatch(/shared-key|--account-key/);
    });

    test("idle cost is the pool's outbound path only: the pool scales to zero, the account is free", () => {
        const est = estimateStack(azureResources(rs), { cloud: "azure", region: "eastus" });
        expect(est.unpriced).toEqual([]);
        const pool = est.byResource.find((r) => r.type === POOL)!;
        expect(pool.idleMonthlyUsd).toBe(0);
        // Batch documents that pools without public IPs need an outbound path: the NAT gateway and
        // its address bill by the hour, and are the only thing that does.
        const idle = est.byResource.filter((r) => r.idleMonthlyUsd > 0).map((r) => r.type);
        expect(idle.sort()).toEqual(["azure-native:network:NatGateway", "azure-native:network:PublicIPAddress"]);
        expect(est.idleMonthlyUsd).toBeGreaterThan(30);
        expect(est.idleMonthlyUsd).toBeLessThan(40);
    });

    test("the compute subnet goes out through a NAT gateway tagged with the level that asked", () => {
        const nat = one(rs, "azure-native:network:NatGateway");
        const ip = one(rs, "azure-native:network:PublicIPAddress");
        expect(nat.inputs).toMatchObject({
            sku: { name: "Standard" },
            publicIpAddresses: [{ id: expect.any(String) }],
        });
        expect(nat.dependencies).toContain(ip.urn);
        expect(ip.inputs).toMatchObject({ sku: { name: "Standard" }, publicIPAllocationMethod: "Static" });
        const compute = ofType(rs, "azure-native:network:Subnet").find((s) => s.inputs.subnetName === "compute")!;
        expect(compute.inputs.natGateway).toEqual({ id: expect.stringContaining("foundation-egress-nat") });
        expect(compute.dependencies).toContain(nat.urn);
        const pool = one(rs, POOL);
        expect(pool.dependencies).toContain(compute.urn);
        const egress = one(rs, "mlops:foundation:InternetEgress");
        expect(nat.parent).toBe(egress.urn);
        expectTagged([nat, ip], "data", 1);
    });
});

// Checks run before the component registers, so bad input throws without the engine.
describe("batch job argument checks", () => {
    const make =
        (volumeGb: number, extra: Extra = {}, f = fakeFoundation()) =>
        () =>
            job(testContext(), f, {}, "data", volumeGb, extra);

    test("beyond the largest profile: an InputError on the volume", () => {
        expect(make(300)).toThrow(InputError);
        expect(make(300)).toThrow(/^config\.mlops:workload\.data\.volumeGb: 300 GB needs 375 GB/);
        // The VM runner has its own catalogue: E32s_v5 holds 256 GB.
        expect(make(250, { runner: "vm" })).toThrow(
            /needs 312\.5 GB of memory with headroom, more than the largest machine catalogued \(256 GB\)/,
        );
    });

    test("every problem at once, with key paths", () => {
        let err: unknown;
        try {
            make(-1, { schedule: "daily", image: " " })();
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).problems.map((p) => p.path)).toEqual([
            "config.mlops:workload.data.volumeGb",
            "config.mlops:workload.data.schedule",
            "config.mlops:workload.data.image",
        ]);
    });

    test("a foundation without network is refused", () => {
        expect(make(1, {}, fakeFoundation(false))).toThrow(
            /foundation: must have a network \(network: true\): jobs run in its VNet/,
        );
    });

    test("a schedule the VM timer cannot express is refused; the serverless runner takes it as is", async () => {
        expect(make(1, { runner: "vm", schedule: "0 0 1 * 1" })).toThrow(
            /config\.mlops:workload\.data\.schedule: '0 0 1 \* 1' restricts both day-of-month and day-of-week/,
        );
        const rs = await runAzure(
            (ctx, f, opts) => void job(ctx, f, opts, "data", 1, { schedule: "0 0 1 * 1" }),
            needsFor(["data", 1]),
        );
        expect(one(rs, JOB).inputs.configuration).toMatchObject({
            scheduleTriggerConfig: { cronExpression: "0 0 1 * 1" },
        });
    });
});

describe("vm runner", () => {
    let rs: Awaited<ReturnType<typeof runAzure>>;
    beforeAll(async () => {
        rs = await runAzure((ctx, f, opts) => {
            const j = job(ctx, f, opts, "inference", 10, { runner: "vm", schedule: "30 6 * * 1-5", timeoutHours: 3 });
            return { jobName: j.jobName, machineType: j.machineType, cloudInit: j.cloudInit };
        });
    });

    test("one VM and its NIC, no public IP, no Container Apps job", () => {
        const mine = under(rs, "inference");
        expect(
            mine
                .filter((r) => r.custom && r.type.startsWith("azure-native:"))
                .map((r) => r.type)
                .sort(),
        ).toEqual(["azure-native:compute:VirtualMachine", "azure-native:network:NetworkInterface"]);
        expect(ofType(rs, JOB)).toHaveLength(0);
        expect(rs.some((r) => /publicIPAddress/i.test(r.type))).toBe(false);
        const nic = one(rs, "azure-native:network:NetworkInterface");
        const computeSubnet = ofType(rs, "azure-native:network:Subnet").find((s) => s.inputs.subnetName === "compute")!;
        const ipc = (nic.inputs.ipConfigurations as Record<string, unknown>[])[0]!;
        expect(ipc.subnet).toEqual({ id: computeSubnet.outputs.id });
        expect(ipc.publicIPAddress).toBeUndefined();
    });

    test("smallest fitting v5 size, Ubuntu 24.04, trusted launch, managed disk, jobs identity", () => {
        // 10 GB needs 12.5 GB: E2s_v5 (16 GiB, 2 vCPU) beats D4s_v5 (16 GiB, 4 vCPU).
        expect(rs.outputs.machineType).toBe("Standard_E2s_v5");
        const vm = one(rs, "azure-native:compute:VirtualMachine");
        const identity = one(rs, "azure-native:managedidentity:UserAssignedIdentity");
        expect(vm.inputs).toMatchObject({
            hardwareProfile: { vmSize: "Standard_E2s_v5" },
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.outputs.id] },
            storageProfile: {
                imageReference: { ...UBUNTU_IMAGE },
                osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "StandardSSD_LRS" } },
            },
            securityProfile: {
                securityType: "TrustedLaunch",
                uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
            },
            diagnosticsProfile: { bootDiagnostics: { enabled: true } },
        });
        // The admin password makes the whole osProfile secret.
        expect(vm.inputs.osProfile).toBe("[secret]");
        expect(rs.outputs.jobName).toBe("mlops-levels-dev-inference");
        expectTagged(under(rs, "inference"), "inference", 1);
    });

    test("cloud-init runs the container from a systemd timer and switches SSH off", () => {
        const doc = String(rs.outputs.cloudInit);
        expect(doc.startsWith("#cloud-config\n")).toBe(true);
        expect(doc).toContain("OnCalendar=Mon..Fri *-*-* 06:30:00 UTC");
        expect(doc).toContain("TimeoutStartSec=10800");
        expect(doc).toContain(`--env-file /etc/mlops/inference.env ${IMAGE}`);
        expect(doc).toMatch(/PIPELINE=inference/);
        expect(doc).toMatch(/AZURE_CLIENT_ID=[0-9a-f-]{36}/);
        expect(doc).toContain("systemctl disable --now ssh.socket ssh.service");
        expect(doc).toContain("systemctl enable --now docker.service mlops-inference.timer");
    });
});

describe("vmCloudInit", () => {
    test("vmCloudInit indents every file body under write_files", () => {
        const doc = vmCloudInit({
            pipeline: "data",
            image: "img",
            onCalendar: "*-*-* 02:00:00 UTC",
            timeoutSeconds: 60,
            env: { A: "1" },
        });
        const body = doc.split("write_files:\n")[1]!.split("runcmd:")[0]!;
        for (const line of body.split("\n").filter((l) => l !== ""))
            expect(line).toMatch(/^ {2}(- path| {2}permissions| {2}content| {4}\S)/);
    });
});

describe("Batch node OS disk", () => {
    test("holds the OS and images at least, grows with the data, never past Azure's 4 TiB", () => {
        expect(batchOsDiskGb(0)).toBe(BATCH_OS_DISK_BASE_GB);
        expect(batchOsDiskGb(9)).toBe(BATCH_OS_DISK_BASE_GB + 18);
        expect(batchOsDiskGb(0.4)).toBe(BATCH_OS_DISK_BASE_GB + 1);
        expect(batchOsDiskGb(500)).toBeGreaterThan(batchOsDiskGb(100));
        expect(batchOsDiskGb(10_000)).toBe(BATCH_OS_DISK_MAX_GB);
    });
});

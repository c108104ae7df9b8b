import { machinesOf } from "../../catalog";
import { awsMachine, azureProfileByName, gcpMachine, memoryGiB } from "../../catalog/machines/shapes";
import type { PlannedResource } from "../../cli/plan/offline";
import { ofType, planConfig, planStackFile } from "../helpers/plan";

describe("machinesOf on hand-written inputs", () => {
    it.each([
        [
            "Step Functions definition holding a SageMaker processing job",
            "aws:sfn/stateMachine:StateMachine",
            {
                definition: JSON.stringify({
                    States: {
                        RunJob: {
                            Parameters: {
                                ProcessingResources: {
                                    ClusterConfig: {
                                        InstanceType: "ml.r5.4xlarge",
                                        InstanceCount: 1,
                                        VolumeSizeInGB: 120,
                                    },
                                },
                            },
                        },
                    },
                }),
            },
            [
                {
                    machineType: "ml.r5.4xlarge",
                    family: "r5",
                    gpus: 0,
                    minNodes: 0,
                    maxNodes: 1,
                    kind: "job",
                    diskGb: 120,
                },
            ],
        ],
        [
            "Step Functions definition holding a SageMaker GPU training job",
            "aws:sfn/stateMachine:StateMachine",
            {
                definition: JSON.stringify({
                    States: {
                        RunJob: {
                            Parameters: { ResourceConfig: { InstanceType: "ml.g5.12xlarge", InstanceCount: 2 } },
                        },
                    },
                }),
            },
            [{ machineType: "ml.g5.12xlarge", family: "g5", gpus: 4, minNodes: 0, maxNodes: 2, kind: "job" }],
        ],
        [
            "EC2 instance",
            "aws:ec2/instance:Instance",
            { instanceType: "m7i.large" },
            [{ machineType: "m7i.large", family: "m7i", gpus: 0, minNodes: 1, maxNodes: 1, kind: "nodes" }],
        ],
        [
            "EKS node group",
            "aws:eks/nodeGroup:NodeGroup",
            { instanceTypes: ["g5.xlarge"], scalingConfig: { minSize: 0, maxSize: 4, desiredSize: 0 } },
            [{ machineType: "g5.xlarge", family: "g5", gpus: 1, minNodes: 0, maxNodes: 4, kind: "nodes" }],
        ],
        [
            "EMR cluster groups",
            "aws:emr/cluster:Cluster",
            {
                masterInstanceGroup: { instanceType: "m5.xlarge" },
                coreInstanceGroup: { instanceType: "r5.2xlarge", instanceCount: 3 },
            },
            [
                { machineType: "m5.xlarge", family: "m5", minNodes: 1, maxNodes: 1 },
                { machineType: "r5.2xlarge", family: "r5", minNodes: 3, maxNodes: 3 },
            ],
        ],
        [
            "Azure Container Apps job on Consumption",
            "azure-native:app:Job",
            {
                workloadProfileName: "Consumption",
                template: { containers: [{ resources: { cpu: 3.5, memory: "7Gi" } }] },
            },
            [
                {
                    machineType: "Consumption-7Gi",
                    family: "consumption",
                    gpus: 0,
                    minNodes: 0,
                    maxNodes: 1,
                    vcpus: 3.5,
                    memoryGb: 7,
                    kind: "job",
                },
            ],
        ],
        [
            "Azure Container Apps job on a Dedicated E8 profile",
            "azure-native:app:Job",
            {
                workloadProfileName: "dedicated-e8",
                template: { containers: [{ resources: { cpu: 7.5, memory: "58Gi" } }] },
            },
            [{ machineType: "E8", family: "dedicated-e", gpus: 0, vcpus: 8, memoryGb: 64, kind: "job" }],
        ],
        [
            "Azure Container Apps job on serverless T4",
            "azure-native:app:Job",
            { workloadProfileName: "gpu-t4", template: { containers: [{ resources: { cpu: 8, memory: "56Gi" } }] } },
            [{ machineType: "Consumption-GPU-NC8as-T4", family: "consumption-gpu", gpus: 1, kind: "job" }],
        ],
        [
            "Azure environment with a Dedicated profile",
            "azure-native:app:ManagedEnvironment",
            {
                workloadProfiles: [
                    { name: "Consumption", workloadProfileType: "Consumption" },
                    { name: "dedicated-e16", workloadProfileType: "E16", minimumCount: 0, maximumCount: 2 },
                ],
            },
            [{ machineType: "E16", family: "dedicated-e", minNodes: 0, maxNodes: 2, vcpus: 16, memoryGb: 128 }],
        ],
        [
            "AKS cluster pools",
            "azure-native:containerservice:ManagedCluster",
            {
                agentPoolProfiles: [
                    { vmSize: "Standard_D4s_v5", count: 2 },
                    { vmSize: "Standard_NC8as_T4_v3", enableAutoScaling: true, minCount: 0, maxCount: 3 },
                ],
            },
            [
                { machineType: "Standard_D4s_v5", family: "Dsv5", gpus: 0, minNodes: 2, maxNodes: 2 },
                { machineType: "Standard_NC8as_T4_v3", gpus: 1, minNodes: 0, maxNodes: 3 },
            ],
        ],
        [
            "GCP Workflows source holding a Batch job",
            "gcp:workflows/workflow:Workflow",
            {
                sourceContents: JSON.stringify({
                    main: {
                        steps: [
                            {
                                run: {
                                    args: {
                                        body: {
                                            taskGroups: [{ taskCount: 1 }],
                                            allocationPolicy: {
                                                instances: [
                                                    {
                                                        policy: {
                                                            machineType: "g2-standard-8",
                                                            bootDisk: { sizeGb: "110" },
                                                        },
                                                    },
                                                ],
                                            },
                                        },
                                    },
                                },
                            },
                        ],
                    },
                }),
            },
            [
                {
                    machineType: "g2-standard-8",
                    family: "g2-standard",
                    gpus: 1,
                    minNodes: 0,
                    maxNodes: 1,
                    memoryGb: 32,
                    kind: "job",
                    diskGb: 110,
                },
            ],
        ],
        [
            "GCP Workflows source in YAML",
            "gcp:workflows/workflow:Workflow",
            {
                sourceContents:
                    "main:\n  steps:\n    - run:\n        args:\n          body:\n            allocationPolicy:\n              instances:\n                - policy: { machineType: n2-highmem-32 }\n",
            },
            [{ machineType: "n2-highmem-32", family: "n2-highmem", memoryGb: 256, kind: "job" }],
        ],
        [
            "GKE node pool with autoscaling per zone",
            "gcp:container/nodePool:NodePool",
            {
                nodeConfig: { machineType: "e2-standard-4" },
                autoscaling: { minNodeCount: 1, maxNodeCount: 3 },
                nodeLocations: ["us-central1-a", "us-central1-b"],
            },
            [{ machineType: "e2-standard-4", family: "e2-standard", minNodes: 2, maxNodes: 6 }],
        ],
        [
            "Dataproc cluster",
            "gcp:dataproc/cluster:Cluster",
            {
                clusterConfig: {
                    masterConfig: { machineType: "n2-standard-4" },
                    workerConfig: { machineType: "n2-highmem-8", numInstances: 4 },
                },
            },
            [
                { machineType: "n2-standard-4", minNodes: 1, maxNodes: 1 },
                { machineType: "n2-highmem-8", minNodes: 4, maxNodes: 4, memoryGb: 64 },
            ],
        ],
        [
            "Cloud Run service scaling to zero",
            "gcp:cloudrunv2/service:Service",
            {
                template: {
                    scaling: { minInstanceCount: 0, maxInstanceCount: 5 },
                    containers: [{ resources: { limits: { cpu: "2", memory: "4Gi" } } }],
                },
            },
            [{ family: "cloud-run", minNodes: 0, maxNodes: 5, vcpus: 2, memoryGb: 4, kind: "replicas" }],
        ],
        ["a bucket runs no machine", "aws:s3/bucket:Bucket", { bucket: "x" }, []],
        ["a definition that is not JSON", "aws:sfn/stateMachine:StateMachine", { definition: "[secret]" }, []],
    ] as const)("%s", (_name, type, inputs, expected) => {
        const facts = machinesOf(type, inputs as Record<string, unknown>);
        expect(facts).toHaveLength(expected.length);
        for (const [i, e] of expected.entries()) expect(facts[i]).toMatchObject(e);
    });

    it("names families and sizes", () => {
        expect(awsMachine("kafka.m5.large")).toMatchObject({ family: "m5", gpus: 0 });
        expect(awsMachine("p4d.24xlarge")).toMatchObject({ family: "p4d", gpus: 8 });
        expect(gcpMachine("zones/us-central1-b/machineTypes/n1-standard-4")).toMatchObject({
            name: "n1-standard-4",
            family: "n1-standard",
            vcpus: 4,
            memoryGb: 15,
        });
        expect(azureProfileByName("dedicated-d8")).toMatchObject({
            profileType: "D8",
            dedicated: true,
            vcpus: 8,
            memoryGb: 32,
        });
        expect(memoryGiB("512Mi")).toBe(0.5);
        expect(memoryGiB("7Gi")).toBe(7);
    });
});

describe("machinesOf on real offline plans", () => {
    const jobFacts = (resources: readonly PlannedResource[], type: string) =>
        Object.fromEntries(ofType(resources, type).map((r) => [r.name, machinesOf(r.type, r.inputs)]));

    it("reads the SageMaker jobs inside the AWS state machines (prod stack)", async () => {
        const plan = await planStackFile("stacks/Pulumi.prod.yaml");
        const facts = jobFacts(plan.resources, "aws:sfn/stateMachine:StateMachine");
        // 60 GB needs 75 GB of memory: ml.r5.4xlarge (128 GiB); 25 GB scoring: ml.r5.xlarge; 40 GB training: ml.r5.2xlarge.
        expect(facts["data-sfn"]).toEqual([
            expect.objectContaining({
                machineType: "ml.r5.4xlarge",
                family: "r5",
                gpus: 0,
                minNodes: 0,
                maxNodes: 1,
                kind: "job",
            }),
        ]);
        expect(facts["inference-sfn"]).toEqual([expect.objectContaining({ machineType: "ml.r5.xlarge" })]);
        expect(facts["training-sfn"]).toEqual([expect.objectContaining({ machineType: "ml.r5.2xlarge" })]);
    });

    it("reads the Container Apps jobs of the Azure dev stack", async () => {
        const plan = await planStackFile("examples/stacks/azure/Pulumi.dev.yaml");
        const facts = jobFacts(plan.resources, "azure-native:app:Job");
        expect(facts["data-job"]).toEqual([
            expect.objectContaining({
                machineType: "Consumption-7Gi",
                family: "consumption",
                minNodes: 0,
                kind: "job",
            }),
        ]);
        expect(Object.keys(facts).sort()).toEqual(["data-job", "inference-job", "training-job"]);
    });

    it("reads the Batch jobs inside the GCP Workflows sources", async () => {
        const plan = await planStackFile("examples/stacks/gcp/Pulumi.dev.yaml");
        const facts = jobFacts(plan.resources, "gcp:workflows/workflow:Workflow");
        for (const name of ["data-workflow", "training-workflow", "inference-workflow"])
            expect(facts[name]).toEqual([
                expect.objectContaining({
                    machineType: "e2-standard-2",
                    family: "e2-standard",
                    gpus: 0,
                    minNodes: 0,
                    maxNodes: 1,
                    kind: "job",
                }),
            ]);
    });

    it("sees the GPU of a GPU training job on GCP", async () => {
        const plan = await planConfig({
            "mlops:cloud": "gcp",
            "mlops:region": "us-central1",
            "gcp:project": "mlops-levels-demo",
            "mlops:workload": {
                training: { datasetGb: 30, dataKind: "unstructured", singleMachineHours: 6, slaHours: 12 },
            },
        });
        const [wf] = ofType(plan.resources, "gcp:workflows/workflow:Workflow");
        const facts = machinesOf(wf!.type, wf!.inputs);
        expect(facts[0]).toMatchObject({ family: "g2-standard", gpus: 1 });
    });
});

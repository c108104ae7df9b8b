import { parseStackConfig } from "../../assessment/config";
import { CATALOGUE } from "../../catalog";
import {
    type CostResource,
    costByPipeline,
    estimateStack,
    isFreeType,
    PRICED_TYPES,
    workflowPolls,
} from "../../cost/model";
import { costJson, renderCostTable } from "../../cost/render";
import { cronRunsPerMonth, NO_USAGE, type Usage, usageFromSettings } from "../../cost/usage";
import { configFor, planConfig, planStackFile } from "../helpers/plan";

const H = 730;
const tags = (pipeline: string, level: number) => ({ "mlops-pipeline": pipeline, "mlops-level": String(level) });
const res = (type: string, inputs: Record<string, unknown>, name = "x"): CostResource => ({
    urn: `urn:pulumi:dev::mlops-levels::${type}::${name}`,
    type,
    inputs,
});
const usage = (u: Partial<Usage>): Usage => ({ ...NO_USAGE, ...u });
const one = (cloud: "aws" | "azure" | "gcp", r: CostResource, u: Usage = NO_USAGE) => {
    const region = { aws: "us-east-1", azure: "eastus", gcp: "us-central1" }[cloud];
    const e = estimateStack([r], { cloud, region, usage: u });
    expect(e.unpriced).toEqual([]);
    const row = e.byResource[0]!;
    return { idle: row.idleMonthlyUsd, usage: row.monthlyUsd - row.idleMonthlyUsd, note: row.note };
};
const jobs10h = usage({
    jobs: {
        data: { runsPerMonth: 10, hoursPerRun: 1 },
        training: { runsPerMonth: 10, hoursPerRun: 1 },
        inference: { runsPerMonth: 10, hoursPerRun: 1 },
    },
});
const sfn = (type: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
        States: {
            RunJob: {
                Parameters: {
                    ProcessingResources: { ClusterConfig: { InstanceType: type, InstanceCount: 1, ...extra } },
                },
            },
        },
    });

describe("each resource kind: idle and usage parts", () => {
    it.each([
        // [name, cloud, resource, usage, idle, usage part]
        ["KMS key", "aws", res("aws:kms/key:Key", {}), NO_USAGE, 1, 0],
        ["S3 bucket holding 100 GB", "aws", res("aws:s3/bucket:Bucket", {}), usage({ storedGb: 100 }), 0, 2.3],
        [
            "gateway endpoint",
            "aws",
            res("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Gateway" }),
            NO_USAGE,
            0,
            0,
        ],
        [
            "interface endpoint in 2 AZs",
            "aws",
            res("aws:ec2/vpcEndpoint:VpcEndpoint", { vpcEndpointType: "Interface", subnetIds: ["a", "b"] }),
            NO_USAGE,
            2 * 0.01 * H,
            0,
        ],
        ["NAT gateway", "aws", res("aws:ec2/natGateway:NatGateway", {}), NO_USAGE, 0.045 * H, 0],
        [
            "log group, 10 GB ingested, 30 days kept",
            "aws",
            res("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 }),
            usage({ logsGb: 10 }),
            0,
            10 * 0.5 + 10 * 0.03,
        ],
        [
            "state machine running ml.m5.large 10 h",
            "aws",
            res("aws:sfn/stateMachine:StateMachine", { definition: sfn("ml.m5.large"), tags: tags("data", 1) }),
            jobs10h,
            0,
            10 * 0.115 + 10 * 3 * 0.000025,
        ],
        [
            "state machine with a 100 GB ML volume",
            "aws",
            res("aws:sfn/stateMachine:StateMachine", {
                definition: sfn("ml.m5.large", { VolumeSizeInGB: 100 }),
                tags: tags("data", 1),
            }),
            jobs10h,
            0,
            10 * 0.115 + (100 * 0.14 * 10) / H + 10 * 3 * 0.000025,
        ],
        [
            "always-on EC2 instance with a 30 GB root",
            "aws",
            res("aws:ec2/instance:Instance", { instanceType: "m7i.large", rootBlockDevice: { volumeSize: 30 } }),
            NO_USAGE,
            0.1008 * H + 30 * 0.08,
            0,
        ],
        ["ECR repository", "aws", res("aws:ecr/repository:Repository", {}), NO_USAGE, 0.2, 0],
        ["EKS control plane", "aws", res("aws:eks/cluster:Cluster", {}), NO_USAGE, 73, 0],
        [
            "EKS node group, 2 always on",
            "aws",
            res("aws:eks/nodeGroup:NodeGroup", {
                instanceTypes: ["m5.large"],
                scalingConfig: { minSize: 2, maxSize: 2 },
            }),
            NO_USAGE,
            2 * 0.096 * H,
            0,
        ],
        [
            "EMR cluster, 1 + 2 m5.xlarge",
            "aws",
            res("aws:emr/cluster:Cluster", {
                masterInstanceGroup: { instanceType: "m5.xlarge" },
                coreInstanceGroup: { instanceType: "m5.xlarge", instanceCount: 2 },
            }),
            NO_USAGE,
            3 * (0.192 + 0.048) * H,
            0,
        ],
        [
            "EMR Serverless, 10 h of data jobs",
            "aws",
            res("aws:emrserverless/application:Application", { tags: tags("data", 2) }),
            jobs10h,
            0,
            10 * (4 * 0.052624 + 16 * 0.0057785),
        ],
        [
            "Kinesis on-demand stream",
            "aws",
            res("aws:kinesis/stream:Stream", { streamModeDetails: { streamMode: "ON_DEMAND" } }),
            NO_USAGE,
            0.04 * H,
            0,
        ],
        [
            "Kinesis, 2 provisioned shards",
            "aws",
            res("aws:kinesis/stream:Stream", { shardCount: 2, streamModeDetails: { streamMode: "PROVISIONED" } }),
            NO_USAGE,
            2 * 0.015 * H,
            0,
        ],
        [
            "MSK, 3 kafka.m5.large with 100 GB",
            "aws",
            res("aws:msk/cluster:Cluster", {
                numberOfBrokerNodes: 3,
                brokerNodeGroupInfo: {
                    instanceType: "kafka.m5.large",
                    storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
                },
            }),
            NO_USAGE,
            3 * (0.21 * H + 100 * 0.1),
            0,
        ],
        [
            "Managed Flink, parallelism 1",
            "aws",
            res("aws:kinesisanalyticsv2/application:Application", {}),
            NO_USAGE,
            2 * 0.11 * H + 50 * 0.1,
            0,
        ],
        [
            "SageMaker serverless endpoint at 10 req/s, 2 GB",
            "aws",
            res("aws:sagemaker/endpointConfiguration:EndpointConfiguration", {
                productionVariants: [{ serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 10 } }],
                tags: tags("inference", 4),
            }),
            usage({ requestsPerSecond: 10 }),
            0,
            10 * 730 * 3600 * 0.1 * 2 * 0.00002,
        ],
        [
            "Azure storage account, 100 GB LRS",
            "azure",
            res("azure-native:storage:StorageAccount", { sku: { name: "Standard_LRS" } }),
            usage({ storedGb: 100 }),
            0,
            2.08,
        ],
        [
            "Log Analytics, 1 GB",
            "azure",
            res("azure-native:operationalinsights:Workspace", {}),
            usage({ logsGb: 1 }),
            0,
            2.3,
        ],
        [
            "Container Apps environment, Consumption only",
            "azure",
            res("azure-native:app:ManagedEnvironment", {
                workloadProfiles: [{ name: "Consumption", workloadProfileType: "Consumption" }],
            }),
            NO_USAGE,
            0,
            0,
        ],
        [
            "Container Apps environment with a Dedicated E8 from zero",
            "azure",
            res("azure-native:app:ManagedEnvironment", {
                workloadProfiles: [
                    { name: "Consumption", workloadProfileType: "Consumption" },
                    { name: "dedicated-e8", workloadProfileType: "E8", minimumCount: 0, maximumCount: 1 },
                ],
            }),
            NO_USAGE,
            0.1 * H,
            0,
        ],
        [
            "Container Apps job, Consumption 2 vCPU / 4 GiB, 10 h",
            "azure",
            res("azure-native:app:Job", {
                workloadProfileName: "Consumption",
                template: { containers: [{ resources: { cpu: 2, memory: "4Gi" } }] },
                tags: tags("data", 1),
            }),
            jobs10h,
            0,
            10 * 3600 * (2 * 0.000024 + 4 * 0.000003),
        ],
        [
            "Container Apps job on a Dedicated E8 node, 10 h",
            "azure",
            res("azure-native:app:Job", {
                workloadProfileName: "dedicated-e8",
                template: { containers: [{ resources: { cpu: 7.5, memory: "58Gi" } }] },
                tags: tags("training", 1),
            }),
            jobs10h,
            0,
            10 * (8 * 0.0571 + 64 * 0.005),
        ],
        [
            "Azure VM D2s_v5 with a 64 GB Standard SSD",
            "azure",
            res("azure-native:compute:VirtualMachine", {
                hardwareProfile: { vmSize: "Standard_D2s_v5" },
                storageProfile: { osDisk: { diskSizeGB: 64, managedDisk: { storageAccountType: "StandardSSD_LRS" } } },
            }),
            NO_USAGE,
            0.096 * H + 64 * 0.075,
            0,
        ],
        [
            "Azure Batch pool E8s_v5 autoscaled from zero: only the job hours",
            "azure",
            res("azure-native:batch:Pool", {
                vmSize: "Standard_E8s_v5",
                scaleSettings: { autoScale: { formula: "$TargetDedicatedNodes = 0;", evaluationInterval: "PT5M" } },
                tags: tags("data", 1),
            }),
            jobs10h,
            0,
            10 * 0.504,
        ],
        [
            "Azure Batch pool with one fixed node: billed all month",
            "azure",
            res("azure-native:batch:Pool", {
                vmSize: "Standard_D2s_v5",
                scaleSettings: { fixedScale: { targetDedicatedNodes: 1 } },
            }),
            NO_USAGE,
            0.096 * H,
            0,
        ],
        [
            "ACR Basic",
            "azure",
            res("azure-native:containerregistry:Registry", { sku: { name: "Basic" } }),
            NO_USAGE,
            (0.167 * H) / 24,
            0,
        ],
        [
            "AKS free tier with 2 D4s_v5",
            "azure",
            res("azure-native:containerservice:ManagedCluster", {
                sku: { tier: "Free" },
                agentPoolProfiles: [{ vmSize: "Standard_D4s_v5", count: 2 }],
            }),
            NO_USAGE,
            2 * 0.192 * H,
            0,
        ],
        [
            "AKS Standard tier, no pools",
            "azure",
            res("azure-native:containerservice:ManagedCluster", { sku: { tier: "Standard" } }),
            NO_USAGE,
            0.1 * H,
            0,
        ],
        [
            "Event Hubs Standard, 1 TU",
            "azure",
            res("azure-native:eventhub:Namespace", { sku: { name: "Standard", capacity: 1 } }),
            NO_USAGE,
            0.03 * H,
            0,
        ],
        [
            "Stream Analytics, 3 SU",
            "azure",
            res("azure-native:streamanalytics:StreamingJob", { transformation: { streamingUnits: 3 } }),
            NO_USAGE,
            3 * 0.11 * H,
            0,
        ],
        [
            "Synapse Spark pool with auto-pause, 10 h",
            "azure",
            res("azure-native:synapse:BigDataPool", {
                nodeSize: "Small",
                autoPause: { enabled: true },
                tags: tags("data", 2),
            }),
            jobs10h,
            0,
            // 10 single-machine hours of work as 4-vCPU worker-hours, plus 10 runs starting 3 Small nodes for 15 min.
            10 * 4 * 0.143 + 10 * 0.25 * 3 * 4 * 0.143,
        ],
        ["GCS bucket, 100 GB", "gcp", res("gcp:storage/bucket:Bucket", {}), usage({ storedGb: 100 }), 0, 2],
        ["Cloud Scheduler job", "gcp", res("gcp:cloudscheduler/job:Job", {}), NO_USAGE, 0.1, 0],
        [
            "Dataproc workflow template: a cluster per run, 10 h of work on n2-standard-4 workers",
            "gcp",
            res("gcp:dataproc/workflowTemplate:WorkflowTemplate", {
                placement: { managedCluster: { config: { workerConfig: { machineType: "n2-standard-4" } } } },
                labels: tags("data", 2),
            }),
            jobs10h,
            0,
            // 4-vCPU worker-hours: n2 list price per vCPU (vCPU + 4 GB memory each) plus the Dataproc fee.
            10 * 4 * (0.031611 + 4 * 0.004237 + 0.01),
        ],
        [
            "ACR cleanup task: a minute a day",
            "azure",
            res("azure-native:containerregistry:Task", { tags: tags("inference", 4) }),
            NO_USAGE,
            0,
            30 * 60 * 0.0001,
        ],
        [
            "Workflow running e2-standard-2 10 × 1 h",
            "gcp",
            res("gcp:workflows/workflow:Workflow", {
                labels: tags("data", 1),
                sourceContents: JSON.stringify({
                    main: {
                        steps: [
                            {
                                run: {
                                    args: {
                                        body: {
                                            allocationPolicy: {
                                                instances: [{ policy: { machineType: "e2-standard-2" } }],
                                            },
                                        },
                                    },
                                },
                            },
                        ],
                    },
                }),
            }),
            jobs10h,
            0,
            10 * 0.067006 + 10 * (3 + workflowPolls(1)) * 0.00001,
        ],
        [
            "GCE instance e2-standard-2, 20 GB balanced",
            "gcp",
            res("gcp:compute/instance:Instance", {
                machineType: "e2-standard-2",
                bootDisk: { initializeParams: { size: 20, type: "pd-balanced" } },
            }),
            NO_USAGE,
            0.067006 * H + 20 * 0.1,
            0,
        ],
        [
            "Artifact Registry repository",
            "gcp",
            res("gcp:artifactregistry/repository:Repository", {}),
            NO_USAGE,
            0.2,
            0,
        ],
        [
            "GKE cluster fee",
            "gcp",
            res("gcp:container/cluster:Cluster", { removeDefaultNodePool: true }),
            NO_USAGE,
            73,
            0,
        ],
        [
            "GKE pool, 1 e2-standard-4 always on",
            "gcp",
            res("gcp:container/nodePool:NodePool", { nodeConfig: { machineType: "e2-standard-4" }, nodeCount: 1 }),
            NO_USAGE,
            0.134012 * H,
            0,
        ],
        [
            "Dataproc, 1 + 2 n2-standard-4",
            "gcp",
            res("gcp:dataproc/cluster:Cluster", {
                clusterConfig: {
                    masterConfig: { machineType: "n2-standard-4" },
                    workerConfig: { machineType: "n2-standard-4", numInstances: 2 },
                },
            }),
            NO_USAGE,
            3 * (4 * 0.031611 + 16 * 0.004237 + 4 * 0.01) * H,
            0,
        ],
        ["Pub/Sub topic with no events", "gcp", res("gcp:pubsub/topic:Topic", {}), NO_USAGE, 0, 0],
        [
            "Dataflow streaming, 1 n1-standard-2",
            "gcp",
            res("gcp:dataflow/flexTemplateJob:FlexTemplateJob", {
                machineType: "n1-standard-2",
                numWorkers: 1,
                maxWorkers: 3,
            }),
            NO_USAGE,
            (2 * 0.069 + 7.5 * 0.003557 + 30 * 0.000054) * H,
            0,
        ],
        [
            "Cloud Run scaling to zero",
            "gcp",
            res("gcp:cloudrunv2/service:Service", {
                template: {
                    scaling: { minInstanceCount: 0 },
                    containers: [{ resources: { limits: { cpu: "1", memory: "2Gi" } } }],
                },
            }),
            NO_USAGE,
            0,
            0,
        ],
        [
            "Cloud Run with 1 warm instance",
            "gcp",
            res("gcp:cloudrunv2/service:Service", {
                template: {
                    scaling: { minInstanceCount: 1 },
                    containers: [{ resources: { limits: { cpu: "1", memory: "2Gi" } } }],
                },
            }),
            NO_USAGE,
            (1 * 0.0000025 + 2 * 0.0000025) * 730 * 3600,
            0,
        ],
        ["Cloud KMS key", "gcp", res("gcp:kms/cryptoKey:CryptoKey", {}), NO_USAGE, 0.06, 0],
    ] as const)("%s", (_name, cloud, r, u, idle, use) => {
        const got = one(cloud, r, u);
        expect(got.idle).toBeCloseTo(idle, 6);
        expect(got.usage).toBeCloseTo(use, 6);
    });
});

describe("the estimate", () => {
    it("splits idle from usage and sums them", () => {
        const e = estimateStack(
            [
                res("aws:kms/key:Key", {}, "k"),
                res("aws:s3/bucket:Bucket", {}, "a"),
                res("aws:s3/bucket:Bucket", {}, "b"),
            ],
            { cloud: "aws", region: "us-east-1", usage: usage({ storedGb: 100 }) },
        );
        expect(e.idleMonthlyUsd).toBeCloseTo(1);
        // The stored GB are shared by the two buckets.
        expect(e.monthlyUsd).toBeCloseTo(1 + 2.3);
        expect(e.byResource.map((r) => r.monthlyUsd)).toEqual([1, expect.closeTo(1.15), expect.closeTo(1.15)]);
    });

    it("is the idle part only without usage", () => {
        const e = estimateStack([res("aws:s3/bucket:Bucket", {})], { cloud: "aws", region: "us-east-1" });
        expect(e.monthlyUsd).toBe(0);
    });

    it("lists unknown kinds and unknown machine types as unpriced, never as zero", () => {
        const e = estimateStack(
            [
                res("aws:lambda/function:Function", {}, "fn"),
                res("aws:ec2/instance:Instance", { instanceType: "x9z.mega" }, "odd"),
                res("aws:iam/role:Role", {}, "role"),
            ],
            { cloud: "aws", region: "us-east-1" },
        );
        expect(e.unpriced).toEqual([
            {
                urn: expect.stringContaining("::fn"),
                type: "aws:lambda/function:Function",
                reason: "no price for this resource kind",
            },
            {
                urn: expect.stringContaining("::odd"),
                type: "aws:ec2/instance:Instance",
                reason: "no price for machine type x9z.mega",
            },
        ]);
        expect(e.byResource).toEqual([]);
        expect(e.notes).toContain("2 resource(s) unpriced: the total is a lower bound");
    });

    it.each([
        "pulumi:pulumi:Stack",
        "pulumi:providers:aws",
        "mlops:foundation:Foundation",
        "random:index/randomString:RandomString",
        "aws:iam/role:Role",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:ec2/vpc:Vpc",
        "aws:ec2/routeTable:RouteTable",
        "aws:kms/alias:Alias",
        "azure-native:resources:ResourceGroup",
        "azure-native:authorization:RoleAssignment",
        "azure-native:storage:BlobContainer",
        "gcp:projects/service:Service",
        "gcp:projects/iAMMember:IAMMember",
        "gcp:storage/bucketIAMMember:BucketIAMMember",
        "gcp:serviceaccount/account:Account",
        "gcp:compute/firewall:Firewall",
        "kubernetes:apps/v1:Deployment",
    ])("%s is free by nature", (type) => {
        expect(isFreeType(type)).toBe(true);
        expect(estimateStack([res(type, {})], { cloud: "aws", region: "us-east-1" })).toMatchObject({
            byResource: [],
            unpriced: [],
        });
    });

    it("leaves unpriced only the catalogued kinds without a list price, and says so", () => {
        const catalogued = Object.keys(CATALOGUE);
        const unpriced = catalogued.filter((t) => !isFreeType(t) && !PRICED_TYPES.includes(t)).sort();
        expect(unpriced).toEqual([
            "azure-native:databricks:Workspace",
            "azure-native:hdinsight:Cluster",
            "gcp:cloudrunv2/job:Job",
            "gcp:managedkafka/cluster:Cluster",
        ]);
        const e = estimateStack([res("gcp:cloudrunv2/job:Job", {})], { cloud: "gcp", region: "us-central1" });
        expect(e.unpriced).toEqual([
            {
                urn: expect.stringContaining("::x"),
                type: "gcp:cloudrunv2/job:Job",
                reason: "no price for this resource kind",
            },
        ]);
    });

    it("prices another region at the base region's figures, with a visible note", () => {
        const e = estimateStack([res("aws:kms/key:Key", {})], { cloud: "aws", region: "eu-west-1" });
        expect(e.idleMonthlyUsd).toBe(1);
        expect(e.byResource[0]!.note).toContain("no eu-west-1 price for kms.key; us-east-1 list price used");
        expect(e.notes).toContain("prices for eu-west-1 not listed: us-east-1 list prices used");
    });

    it("groups by pipeline and level, taking untagged resources' pipeline from tagged siblings", () => {
        const parent = "urn:pulumi:dev::mlops-levels::mlops:batch-job:BatchJob::data";
        const e = estimateStack(
            [
                { ...res("aws:kms/key:Key", { tags: tags("foundation", 0) }, "foundation-key") },
                {
                    ...res(
                        "aws:sfn/stateMachine:StateMachine",
                        { definition: sfn("ml.m5.large"), tags: tags("data", 1) },
                        "data-sfn",
                    ),
                    parent,
                },
                { ...res("aws:scheduler/schedule:Schedule", {}, "data-schedule"), parent },
            ],
            { cloud: "aws", region: "us-east-1", usage: jobs10h },
        );
        const rows = costByPipeline(e);
        expect(rows.map((r) => [r.pipeline, r.level, r.resources])).toEqual([
            ["foundation", 0, 1],
            ["data", 1, 2],
        ]);
        expect(rows[0]).toMatchObject({ idleMonthlyUsd: 1, usageMonthlyUsd: 0, monthlyUsd: 1 });
        expect(rows[1]!.usageMonthlyUsd).toBeCloseTo(10 * 0.115 + 10 * 3 * 0.000025 + 10 * 0.000001);
    });
});

describe("usageFromSettings", () => {
    it.each([
        ["0 2 * * *", 365 / 12],
        ["0 */6 * * *", (365 * 4) / 12],
        ["30 4 * * 1-5", (261 * 1) / 12],
        ["0 0 1 * *", 1],
        ["*/15 * * * *", (365 * 96) / 12],
        ["0 3 1 1 *", 1 / 12],
    ])("'%s' runs %d times a month", (cron, runs) => {
        expect(cronRunsPerMonth(cron)).toBeCloseTo(runs, 6);
    });

    const settings = (workload: Record<string, unknown>) =>
        parseStackConfig(
            { "mlops:cloud": "aws", "mlops:region": "us-east-1", "mlops:workload": workload },
            "Pulumi.dev.yaml",
            "dev",
        );

    it("derives runs, hours, storage and logs from a batch profile", () => {
        const u = usageFromSettings(
            settings({
                data: { volumeGb: 50, schedule: "0 2 * * *" },
                training: { datasetGb: 10, dataKind: "structured", singleMachineHours: 3, slaHours: 8 },
                inference: { mode: "batch", volumeGb: 5 },
            }),
        );
        expect(u.jobs.data).toEqual({ runsPerMonth: expect.closeTo(30.4167), hoursPerRun: 0.1 + 50 / 25 });
        expect(u.jobs.training).toEqual({ runsPerMonth: 4, hoursPerRun: 3 });
        expect(u.jobs.inference!.hoursPerRun).toBeCloseTo(0.1 + 5 / 25);
        expect(u.storedGb).toBe(2 * 50 + 10 + 2 * 5 + 1);
        expect(u.requestsPerSecond).toBe(0);
        expect(u.assumptions.length).toBeGreaterThan(3);
    });

    it("derives requests from peak QPS at the duty cycle, with no jobs", () => {
        const u = usageFromSettings(settings({ inference: { mode: "online", peakQps: 40 } }));
        expect(u.jobs).toEqual({});
        expect(u.peakQps).toBe(40);
        expect(u.requestsPerSecond).toBe(10);
    });

    it("derives events per second for a streaming data pipeline", () => {
        const u = usageFromSettings(settings({ data: { volumeGb: 86.4, freshnessSeconds: 10 } }));
        expect(u.jobs.data).toBeUndefined();
        expect(u.eventsPerSecond).toBeCloseTo((86.4 * 1024 * 1024) / 86400);
    });
});

describe("the design target: an all-level-1 stack costs a few dollars a month idle", () => {
    it.each(["stacks/Pulumi.dev.yaml", "examples/stacks/azure/Pulumi.dev.yaml", "examples/stacks/gcp/Pulumi.dev.yaml"])(
        "%s",
        async (file) => {
            const plan = await planStackFile(file);
            const e = estimateStack(plan.resources, {
                cloud: plan.settings.cloud,
                region: plan.settings.region,
                usage: usageFromSettings(plan.settings),
            });
            expect(e.unpriced).toEqual([]);
            expect(e.idleMonthlyUsd).toBeLessThan(10);
            expect(e.monthlyUsd).toBeGreaterThan(e.idleMonthlyUsd);
            expect(e.monthlyUsd).toBeLessThan(50);
            // Every job is priced with usage and nothing idle.
            for (const r of e.byResource.filter((x) => /StateMachine|app:Job|Workflow$/.test(x.type))) {
                expect(r.idleMonthlyUsd).toBe(0);
                expect(r.monthlyUsd).toBeGreaterThan(0);
            }
            const rows = costByPipeline(e).map((r) => r.pipeline);
            expect(rows).toEqual(["foundation", "data", "training", "inference"]);
        },
    );
});

describe("Azure above the Consumption profile's 8 GiB", () => {
    test("a 40 GB data run goes to a Batch pool: only its NAT gateway idles, no Dedicated plan fee", async () => {
        const plan = await planConfig(configFor("azure", { data: { volumeGb: 40, freshnessSeconds: 86400 } }), "dev");
        const e = estimateStack(plan.resources, {
            cloud: "azure",
            region: "eastus",
            usage: usageFromSettings(plan.settings),
        });
        expect(e.unpriced).toEqual([]);
        // Batch pools without public IPs need an outbound path: the NAT gateway and its address,
        // billed to the data pipeline that asked for them.
        const idle = e.byResource.filter((r) => r.idleMonthlyUsd > 0);
        expect(idle.map((r) => [r.type, r.pipeline]).sort()).toEqual([
            ["azure-native:network:NatGateway", "data"],
            ["azure-native:network:PublicIPAddress", "data"],
        ]);
        const pool = e.byResource.find((r) => r.type === "azure-native:batch:Pool")!;
        expect(pool).toMatchObject({ idleMonthlyUsd: 0, pipeline: "data" });
        expect(pool.monthlyUsd).toBeGreaterThan(0);
        expect(isFreeType("azure-native:batch:BatchAccount")).toBe(true);
    });
});

describe("rendering", () => {
    const e = estimateStack(
        [
            res("aws:kms/key:Key", { tags: tags("foundation", 0) }, "foundation-key"),
            res("aws:lambda/function:Function", {}, "fn"),
        ],
        { cloud: "aws", region: "us-east-1" },
    );

    it("gives plan --json its cost object, exactly as issue 8 specifies", () => {
        expect(costJson(e)).toEqual({
            monthlyUsd: 1,
            idleMonthlyUsd: 1,
            byResource: [
                {
                    urn: "urn:pulumi:dev::mlops-levels::aws:kms/key:Key::foundation-key",
                    type: "aws:kms/key:Key",
                    monthlyUsd: 1,
                    idleMonthlyUsd: 1,
                },
            ],
            unpriced: [
                {
                    urn: "urn:pulumi:dev::mlops-levels::aws:lambda/function:Function::fn",
                    type: "aws:lambda/function:Function",
                },
            ],
        });
    });

    it("prints a table per pipeline and level with the total, the unpriced and the notes", () => {
        const text = renderCostTable(e);
        expect(text).toMatch(/pipeline\s*│\s*level\s*│\s*idle \/ month\s*│\s*usage \/ month\s*│\s*total \/ month/);
        expect(text).toMatch(/foundation\s*│\s*0\s*│\s*\$1\.00\s*│\s*\$0\.00\s*│\s*\$1\.00/);
        expect(text).toMatch(/total\s*│\s*│\s*\$1\.00/);
        expect(text).toContain("Unpriced (not in the total): 1");
        expect(text).toContain("aws:lambda/function:Function fn: no price for this resource kind");
    });
});

import type { PlannedResource } from "../../cli/plan/offline";
import { tags } from "../../components/shared/tags";
import { RULES } from "../../policies/rules";
import { runPolicies } from "../../policies/run";
import { check, urnOf } from "./harness";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";
const dataproc = "gcp:dataproc/cluster:Cluster";
const WORKFLOW_TEMPLATE = "gcp:dataproc/workflowTemplate:WorkflowTemplate";

describe("over-provisioned-level (blocking and advisory halves)", () => {
    const at = (env: string, level: number, assessed: number) => ({
        tags: tags(env, "inference", level, { assessed: { inference: assessed } }),
    });
    it.each([
        [
            "prod, pinned above",
            "over-provisioned-level-blocking",
            at("prod", 5, 4),
            [
                "Bucket 'r' is inference level 5 but the workload assesses level 4 (environment prod): remove the mlops:levels pin or raise the workload that needs it",
            ],
        ],
        ["prod, at the assessment", "over-provisioned-level-blocking", at("prod", 4, 4), []],
        ["prod, below (under-provisioning is not this rule)", "over-provisioned-level-blocking", at("prod", 3, 4), []],
        ["dev is the advisory half's", "over-provisioned-level-blocking", at("dev", 5, 4), []],
        [
            "dev, pinned above",
            "over-provisioned-level",
            at("dev", 5, 4),
            [
                "Bucket 'r' is inference level 5 but the workload assesses level 4 (environment dev): remove the mlops:levels pin or raise the workload that needs it",
            ],
        ],
        ["prod is the blocking half's", "over-provisioned-level", at("prod", 5, 4), []],
        ["untagged", "over-provisioned-level-blocking", {}, []],
    ])("%s", async (_d, rule, props, expected) => {
        expect(await check(rule, "aws:s3/bucket:Bucket", props)).toEqual(expected);
    });
    it("reads GCP labels, GKE resourceLabels and provider default tags", async () => {
        const t = tags("prod", "training", 2, { assessed: { training: 1 } });
        expect(await check("over-provisioned-level-blocking", GKE, { resourceLabels: t })).toHaveLength(1);
        expect(await check("over-provisioned-level-blocking", "gcp:storage/bucket:Bucket", { labels: t })).toHaveLength(
            1,
        );
        const provider = {
            type: "pulumi:providers:aws",
            name: "aws",
            urn: "urn:p",
            props: { defaultTags: { tags: t } },
        };
        expect(await check("over-provisioned-level-blocking", EKS, {}, { provider })).toHaveLength(1);
        expect(
            await check("over-provisioned-level-blocking", "kubernetes:apps/v1:Deployment", {
                metadata: { labels: t },
            }),
        ).toHaveLength(1);
    });
    it("blocks in the environments the config names", async () => {
        const config = { "over-provisioned-level-blocking": { blockingEnvironments: ["staging", "prod"] } };
        expect(
            await check("over-provisioned-level-blocking", "aws:s3/bucket:Bucket", at("staging", 5, 4), { config }),
        ).toHaveLength(1);
    });
});

describe("expensive kinds only at their level", () => {
    const t = (pipeline: "data" | "training" | "inference", level: number) =>
        tags("dev", pipeline, level, { assessed: { [pipeline]: level } });
    it.each([
        ["kubernetes-cluster-only-at-its-level", EKS, { tags: t("inference", 5) }, []],
        ["kubernetes-cluster-only-at-its-level", EKS, { tags: t("training", 2) }, []],
        [
            "kubernetes-cluster-only-at-its-level",
            EKS,
            { tags: t("inference", 4) },
            [
                "Cluster 'r' is a Kubernetes cluster at inference level 4; a Kubernetes cluster belongs to inference 5 or training 2 only",
            ],
        ],
        [
            "kubernetes-cluster-only-at-its-level",
            GKE,
            { resourceLabels: t("data", 3) },
            [
                "Cluster 'r' is a Kubernetes cluster at data level 3; a Kubernetes cluster belongs to inference 5 or training 2 only",
            ],
        ],
        [
            "kubernetes-cluster-only-at-its-level",
            "azure-native:containerservice:ManagedCluster",
            {},
            [
                "ManagedCluster 'r' is a Kubernetes cluster without mlops-pipeline/mlops-level tags; a Kubernetes cluster belongs to inference 5 or training 2 only",
            ],
        ],
        ["spark-cluster-only-from-level-2", dataproc, { labels: t("data", 2) }, []],
        ["spark-cluster-only-from-level-2", dataproc, { labels: t("inference", 2) }, []],
        // GCP Spark runs as a workflow template whose cluster exists only during a run: still a Spark cluster.
        ["spark-cluster-only-from-level-2", WORKFLOW_TEMPLATE, { labels: t("data", 2) }, []],
        [
            "spark-cluster-only-from-level-2",
            WORKFLOW_TEMPLATE,
            { labels: t("data", 1) },
            [
                "WorkflowTemplate 'r' is a Spark cluster at data level 1; a Spark cluster belongs to data 2 or inference 2 only",
            ],
        ],
        [
            "spark-cluster-only-from-level-2",
            "aws:emr/cluster:Cluster",
            { tags: t("data", 1) },
            ["Cluster 'r' is a Spark cluster at data level 1; a Spark cluster belongs to data 2 or inference 2 only"],
        ],
        ["stream-only-from-level-3", "aws:kinesis/stream:Stream", { tags: t("data", 3) }, []],
        [
            "stream-only-from-level-3",
            "gcp:pubsub/topic:Topic",
            { labels: t("inference", 2) },
            ["Topic 'r' is a stream at inference level 2; a stream belongs to data 3 or inference 3 only"],
        ],
        [
            "stream-only-from-level-3",
            "azure-native:eventhub:Namespace",
            { tags: tags("dev", ["data", "inference"], 3, {}) },
            [],
        ],
    ])("%s on %s %j", async (rule, type, props, expected) => {
        expect(await check(rule, type, props as Record<string, unknown>)).toEqual(expected);
    });
});

describe("no-gpu-for-structured-data", () => {
    const training = (kind: "structured" | "unstructured", pinned = false) =>
        tags("dev", "training", 1, { assessed: { training: 1 }, dataKind: kind, gpuPinned: pinned });
    const vm = (machineType: string, labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
        machineType,
        labels,
        ...extra,
    });
    it.each([
        ["a CPU machine for structured data", vm("n2-standard-8", training("structured")), []],
        [
            "a GPU machine for structured data",
            vm("g2-standard-8", training("structured")),
            [
                "Instance 'r' trains on structured data with GPU machine(s) g2-standard-8; use a CPU machine or set training.gpu: true",
            ],
        ],
        [
            "an accelerator for structured data",
            vm("n1-standard-8", training("structured"), { guestAccelerators: [{ type: "nvidia-tesla-t4", count: 1 }] }),
            [
                "Instance 'r' trains on structured data with GPU machine(s) n1-standard-8; use a CPU machine or set training.gpu: true",
            ],
        ],
        ["a GPU machine pinned on purpose", vm("g2-standard-8", training("structured", true)), []],
        ["a GPU machine for unstructured data", vm("g2-standard-8", training("unstructured")), []],
    ])("%s", async (_d, props, expected) => {
        expect(await check("no-gpu-for-structured-data", "gcp:compute/instance:Instance", props)).toEqual(expected);
    });
    it("finds a SageMaker GPU instance inside a Step Functions definition", async () => {
        const definition = JSON.stringify({
            States: {
                Train: {
                    Type: "Task",
                    Parameters: { ResourceConfig: { InstanceType: "ml.g5.xlarge", InstanceCount: 1 } },
                },
            },
        });
        const got = await check("no-gpu-for-structured-data", "aws:sfn/stateMachine:StateMachine", {
            definition,
            tags: training("structured"),
        });
        expect(got).toEqual([
            "StateMachine 'r' trains on structured data with GPU machine(s) ml.g5.xlarge; use a CPU machine or set training.gpu: true",
        ]);
    });
});

describe("environment-caps", () => {
    const pool = (env: string, max: number, machineType = "n2-standard-8") => ({
        autoscaling: { minNodeCount: 0, maxNodeCount: max },
        nodeConfig: { machineType, resourceLabels: tags(env, "training", 2, {}) },
    });
    const NP = "gcp:container/nodePool:NodePool";
    it("passes within the defaults", async () => {
        expect(await check("environment-caps", NP, pool("dev", 4))).toEqual([]);
    });
    it("caps nodes per environment", async () => {
        const got = await check("environment-caps", NP, pool("dev", 40), {
            config: { "environment-caps": { environments: { dev: { maxNodes: 8 } } } },
        });
        expect(got).toEqual(["NodePool 'r' may run 40 machines; environment dev allows 8"]);
    });
    it("restricts machine families and GPUs", async () => {
        const config = {
            "environment-caps": { environments: { "*": { allowedMachineFamilies: ["e2"], gpusAllowed: false } } },
        };
        const got = await check(
            "environment-caps",
            "gcp:compute/instance:Instance",
            { machineType: "g2-standard-8", labels: tags("dev", "training", 1, {}) },
            { config },
        );
        expect(got).toHaveLength(2);
        expect(got).toEqual([
            "Instance 'r' uses g2-standard-8 (g2-standard); environment dev allows families e2",
            "Instance 'r' uses GPU machine(s) g2-standard-8; environment dev allows no GPUs",
        ]);
    });
});

describe("stack-monthly-budget", () => {
    const planned = (type: string, name: string, inputs: Record<string, unknown>): PlannedResource => ({
        urn: urnOf(type, name),
        type,
        name,
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        custom: true,
        inputs,
        outputs: {},
        dependencies: [],
    });
    const gke = planned("gcp:container/cluster:Cluster", "gke", {
        location: "us-central1",
        initialNodeCount: 3,
        nodeConfig: { machineType: "n2-standard-8" },
        resourceLabels: tags("dev", "inference", 5, { assessed: { inference: 5 } }),
    });
    const budget = RULES.filter((r) => r.name === "stack-monthly-budget");
    it("passes under the budget and fails over it, with the largest items named", async () => {
        expect(
            (await runPolicies([gke], { "stack-monthly-budget": { maxMonthlyUsd: { dev: 5000 } } }, budget)).violations,
        ).toEqual([]);
        const over = await runPolicies([gke], { "stack-monthly-budget": { maxMonthlyUsd: { dev: 10 } } }, budget);
        expect(over.violations).toHaveLength(1);
        expect(over.violations[0]).toMatchObject({ policy: "stack-monthly-budget", enforcement: "mandatory" });
        expect(over.violations[0]!.message).toMatch(
            /^estimated idle cost \$\d+\/month exceeds the dev budget of \$10\/month \(largest: .*gke \$\d+\)$/,
        );
    });
});

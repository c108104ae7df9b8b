import { readdirSync } from "node:fs";
import * as path from "node:path";
import { CALLS, CATALOGUE, findSpec, holdsData, prerequisitesOf, type ResourceKind, tagsOf } from "../../catalog";
import { AWS } from "../../catalog/aws";
import { AZURE } from "../../catalog/azure";
import { GCP } from "../../catalog/gcp";
import { KUBERNETES } from "../../catalog/kubernetes";
import { PULUMI } from "../../catalog/pulumi";
import { RANDOM } from "../../catalog/random";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { TAG_KEYS } from "../../components/shared/tags";
import { estimateStack, usageFromSettings } from "../../cost/model";
import * as mock from "../../offline/mock";
import { runPolicies } from "../../policies/run";
import { CREATABLE, createProblems } from "../helpers/create-order";
import { configFor, planConfig, planStackFile } from "../helpers/plan";

/**
 * The catalogue against the project's own output: every example stack (examples/stacks/<cloud>/ and
 * stacks/) is planned once, plus the `vm` batch runner on each cloud (the only resources no example
 * makes), and every cheap check runs on those plans (the level combinations get the same checks in
 * tests/levels/). A type or provider function the catalogue does
 * not know fails the plan itself (the engine throws with its token); the checks below say which.
 */
const ROOT = path.resolve(__dirname, "../..");
const STACK_FILES = [
    ...["aws", "azure", "gcp"].flatMap((c) =>
        readdirSync(path.join(ROOT, "examples/stacks", c))
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => `examples/stacks/${c}/${f}`),
    ),
    ...readdirSync(path.join(ROOT, "stacks"))
        .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
        .map((f) => `stacks/${f}`),
];
const VM_RUNNER = (["aws", "azure", "gcp"] as const).map((cloud) => ({
    label: `${cloud} with the vm batch runner`,
    config: configFor(
        cloud,
        {
            data: { volumeGb: 5, freshnessSeconds: 86400, schedule: "0 3 * * *" },
            training: { datasetGb: 2, dataKind: "structured", singleMachineHours: 0.5, slaHours: 6 },
        },
        { "mlops:options": { batchRunner: "vm" } },
    ),
}));

const plans = new Map<string, StackPlan>();
const calls = new Map<string, Set<string>>();
const plan = (label: string): StackPlan => {
    const p = plans.get(label);
    if (!p) throw new Error(`no plan ${label}`);
    return p;
};

beforeAll(async () => {
    const real = mock.mockCall;
    let current = "";
    const spy = jest.spyOn(mock, "mockCall").mockImplementation((args, region) => {
        calls.set(args.token, new Set([...(calls.get(args.token) ?? []), current]));
        return real(args, region);
    });
    try {
        for (const f of STACK_FILES) {
            current = f;
            plans.set(f, await planStackFile(path.join(ROOT, f)));
        }
        for (const v of VM_RUNNER) {
            current = v.label;
            plans.set(v.label, await planConfig(v.config, "dev"));
        }
    } finally {
        spy.mockRestore();
    }
}, 180_000);

describe("the catalogue files", () => {
    it("hold each token once, in the file of its package", () => {
        const files: [string, Record<string, unknown>, RegExp][] = [
            ["aws", AWS, /^aws:/],
            ["azure", AZURE, /^azure(-native)?:/],
            ["gcp", GCP, /^gcp:/],
            ["kubernetes", KUBERNETES, /^kubernetes:/],
            ["random", RANDOM, /^random:/],
            ["pulumi", PULUMI, /^(pulumi:|mlops:|docker:|docker-build:|time:)/],
        ];
        const misplaced = files.flatMap(([name, c, re]) =>
            Object.keys(c)
                .filter((t) => !re.test(t))
                .map((t) => `${t} in ${name}`),
        );
        expect(misplaced).toEqual([]);
        const total = files.reduce((n, [, c]) => n + Object.keys(c).length, 0);
        expect(Object.keys(CATALOGUE)).toHaveLength(total);
    });

    it("gives every gated kind a place for tags: an untagged gated resource is always a violation", () => {
        const gated: ResourceKind[] = ["kubernetes-cluster", "spark", "stream", "streaming-engine"];
        const blind = Object.entries(CATALOGUE)
            .filter(([, s]) => gated.includes(s.kind) && s.tags.length === 0)
            .map(([t]) => t);
        expect(blind).toEqual([]);
    });
});

describe.each([...STACK_FILES, ...VM_RUNNER.map((v) => v.label)])("%s", (label) => {
    it("creates only catalogued resource types", () => {
        const unknown = plan(label).resources.filter((r) => !findSpec(r.type));
        expect(unknown.map((r) => r.type)).toEqual([]);
    });

    it("tags every resource of a taggable type with the four mlops tags", () => {
        const keys = [TAG_KEYS.pipeline, TAG_KEYS.level, TAG_KEYS.environment, TAG_KEYS.managedBy];
        const untagged = plan(label)
            .resources.filter((r) => r.custom && (findSpec(r.type)?.tags.length ?? 0) > 0)
            .filter((r) => {
                const t = tagsOf(r.type, r.inputs);
                return !t || keys.some((k) => typeof t[k] !== "string");
            });
        expect(untagged.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });

    it("can be created by one pulumi up: prerequisites met, dependencies in order, nothing provided twice", () => {
        expect(createProblems(plan(label))).toEqual(CREATABLE);
    });

    it("passes every mandatory policy rule (the pack as plan runs it without --policy-config)", async () => {
        const { violations } = await runPolicies(plan(label).resources);
        expect(violations.filter((v) => v.enforcement === "mandatory")).toEqual([]);
    });

    it("prices every resource it creates", () => {
        const p = plan(label);
        const e = estimateStack(p.resources, {
            cloud: p.settings.cloud,
            region: p.settings.region,
            usage: usageFromSettings(p.settings),
        });
        expect(e.unpriced).toEqual([]);
    });
});

describe("provider functions", () => {
    it("are all catalogued, and the plans call the ones the components use", () => {
        expect([...calls.keys()].filter((t) => !Object.hasOwn(CALLS, t))).toEqual([]);
        expect([...calls.keys()].sort()).toEqual([
            "aws:ec2/getPrefixList:getPrefixList",
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getPartition:getPartition",
            "aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage",
            "aws:ssm/getParameter:getParameter",
            "azure-native:authorization:getClientConfig",
            "azure-native:containerservice:listManagedClusterUserCredentials",
            "gcp:compute/getZones:getZones",
            "gcp:organizations/getProject:getProject",
        ]);
    });
});

describe("stateful resources in prod", () => {
    it.each([
        "stacks/Pulumi.prod.yaml",
        "examples/stacks/azure/Pulumi.prod.yaml",
        "examples/stacks/gcp/Pulumi.prod.yaml",
    ])("%s protects or retains every one", (f) => {
        // The foundation's data is protected; a level's own store (stream, registry, lake) is
        // retained on delete instead, so leaving the level keeps its data without stopping `pulumi up`.
        const exposed = plan(f).resources.filter((r) => holdsData(r.type, r.inputs) && !r.protect && !r.retainOnDelete);
        expect(exposed.map((r) => `${r.type} ${r.name}`)).toEqual([]);
    });
});

describe("prerequisites read from the plans", () => {
    const needs = (label: string, type: string) =>
        plan(label)
            .resources.filter((r) => r.type === type)
            .flatMap((r) => prerequisitesOf(r).map((p) => ({ name: r.name, ...p })));

    it("a SageMaker model needs its image and its model artifact", () => {
        expect(needs("examples/stacks/aws/Pulumi.endpoint.yaml", "aws:sagemaker/model:Model")).toEqual([
            expect.objectContaining({ kind: "image", input: "primaryContainer.image" }),
            expect.objectContaining({
                kind: "object",
                ref: expect.stringMatching(
                    /^s3:\/\/mlops-levels-endpoint-artifacts-\w+\/samples\/models\/sagemaker\/model\.tar\.gz$/,
                ),
                input: "primaryContainer.modelDataUrl",
            }),
        ]);
    });

    it("Spark jobs need their entry scripts on every cloud", () => {
        const scripts = [
            ...needs("examples/stacks/aws/Pulumi.spark.yaml", "aws:sfn/stateMachine:StateMachine"),
            ...needs("examples/stacks/azure/Pulumi.spark.yaml", "azure-native:app:Job"),
            ...needs("examples/stacks/gcp/Pulumi.spark.yaml", "gcp:dataproc/workflowTemplate:WorkflowTemplate"),
        ]
            // Entry scripts only: the stacks' jobs read other objects too (packages, models, sample rows).
            .filter((p) => p.kind === "object" && p.ref.endsWith(".py"))
            .map((p) => p.ref);
        const script = (uri: string) =>
            expect.stringMatching(new RegExp(`^${uri.replace(/[./]/g, "\\$&")}$`.replace(/~/g, "[0-9a-f]+")));
        expect(scripts.sort()).toEqual([
            script("abfss://artifacts@mlopslevelsspark~.dfs.core.windows.net/samples/jobs/spark/data.py"),
            script("abfss://artifacts@mlopslevelsspark~.dfs.core.windows.net/samples/jobs/spark/inference.py"),
            script("gs://mlops-levels-spark-artifacts-~/samples/jobs/spark/data.py"),
            script("gs://mlops-levels-spark-artifacts-~/samples/jobs/spark/inference.py"),
            // AWS runs the uploaded reference scripts; scoring runs the features script first.
            script("s3://mlops-levels-spark-artifacts-~/samples/jobs/spark/data.py"),
            script("s3://mlops-levels-spark-artifacts-~/samples/jobs/spark/data.py"),
            script("s3://mlops-levels-spark-artifacts-~/samples/jobs/spark/inference.py"),
        ]);
    });

    it("streaming engines need their code or template", () => {
        expect(
            needs("examples/stacks/aws/Pulumi.streaming.yaml", "aws:kinesisanalyticsv2/application:Application").map(
                (p) => [p.kind, p.ref.replace(/-[0-9a-f]{6}\//, "/")],
            ),
        ).toEqual([
            // The reference application the stack packages and uploads.
            ["object", "s3://mlops-levels-streaming-artifacts/samples/streaming/application.zip"],
            ["object", "s3://mlops-levels-streaming-artifacts/samples/streaming/application.zip"],
        ]);
        expect(
            needs("examples/stacks/gcp/Pulumi.streaming.yaml", "gcp:dataflow/flexTemplateJob:FlexTemplateJob").map(
                (p) => [p.kind, p.input],
            ),
        ).toEqual([
            ["template", "containerSpecGcsPath"],
            // The inference job's scoring UDF, uploaded by the stack.
            ["template", "containerSpecGcsPath"],
            ["object", "parameters.javascriptTextTransformGcsPath"],
        ]);
    });

    it.each(["aws", "azure", "gcp"])(
        "the %s model server and Ray cluster need their images and the sample model",
        (cloud) => {
            const label = `examples/stacks/${cloud}/Pulumi.kubernetes.yaml`;
            const server = needs(label, "kubernetes:apps/v1:Deployment");
            expect(server.map((p) => p.input)).toEqual([
                "spec.template.spec.containers[0].image",
                "spec.template.spec.containers[0].args[1]",
            ]);
            // The model file itself, in the form the upload types provide (an Azure blob URL as abfss).
            expect(server[1]).toMatchObject({
                kind: "object",
                ref: expect.stringMatching(/\/samples\/models\/sklearn\/model\.joblib$/),
            });
            expect(server[1]!.ref).toMatch(/^(s3|gs|abfss):\/\//);
            expect(needs(label, "kubernetes:ray.io/v1:RayCluster").map((p) => p.input)).toEqual([
                "spec.headGroupSpec.template.spec.containers[0].image",
                "spec.workerGroupSpecs[0].template.spec.containers[0].image",
            ]);
        },
    );
});

describe("the policy pack on the project's own GCP Spark output", () => {
    const TEMPLATE = "gcp:dataproc/workflowTemplate:WorkflowTemplate";
    const spark = () => plan("examples/stacks/gcp/Pulumi.spark.yaml").resources;
    /** The plan with one property of the first workflow template changed. */
    const withTemplate = (change: (inputs: Record<string, unknown>) => void) => {
        const rs = structuredClone(spark());
        const t = rs.find((r) => r.type === TEMPLATE)!;
        change(t.inputs);
        return { rs, name: t.name };
    };
    const violations = async (rs: ReturnType<typeof spark>, policy: string) =>
        (await runPolicies(rs)).violations.filter((v) => v.policy === policy).map((v) => v.message);

    it("emits workflow templates, which comply as planned", async () => {
        expect(spark().filter((r) => r.type === TEMPLATE)).toHaveLength(2);
        expect(await violations(spark(), "gcp-dataproc-no-public-ip")).toEqual([]);
        expect(await violations(spark(), "spark-cluster-only-from-level-2")).toEqual([]);
    });

    it("gcp-dataproc-no-public-ip fires when the per-run cluster gets public IPs", async () => {
        const { rs, name } = withTemplate((i) => {
            const gce = (
                i["placement"] as { managedCluster: { config: { gceClusterConfig: Record<string, unknown> } } }
            ).managedCluster.config.gceClusterConfig;
            gce["internalIpOnly"] = false;
        });
        expect(await violations(rs, "gcp-dataproc-no-public-ip")).toEqual([
            `WorkflowTemplate '${name}' gives cluster VMs public IPs (internalIpOnly not true)`,
        ]);
    });

    it("spark-cluster-only-from-level-2 fires when the template is labelled below level 2", async () => {
        const { rs, name } = withTemplate((i) => {
            (i["labels"] as Record<string, string>)[TAG_KEYS.level] = "1";
        });
        expect(await violations(rs, "spark-cluster-only-from-level-2")).toEqual([
            `WorkflowTemplate '${name}' is a Spark cluster at data level 1; a Spark cluster belongs to data 2 or inference 2 only`,
        ]);
    });
});

describe("holdsData reads the catalogue's stateful flag, per resource where the type says so", () => {
    const REPO = "gcp:artifactregistry/repository:Repository";
    it.each([
        [REPO, { mode: "STANDARD_REPOSITORY" }, true],
        [REPO, {}, true],
        [REPO, { mode: "REMOTE_REPOSITORY" }, false],
        ["aws:s3/bucket:Bucket", {}, true],
        ["aws:ec2/natGateway:NatGateway", {}, false],
        ["example:unknown:Type", {}, false],
    ])("%s %j holds data: %s", (type, inputs, expected) => expect(holdsData(type, inputs)).toBe(expected));
});

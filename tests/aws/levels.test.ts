import * as path from "node:path";
import { prerequisitesOf, providedBy } from "../../catalog";
import type { PlannedResource } from "../../cli/plan/offline";
import { configFor, planConfig, planStackFile } from "../helpers/plan";

// Every AWS level as the stack program builds it, planned once each: whatever an AWS resource
// needs in place when it is created or first runs is either uploaded in the same plan (and the
// reader depends on the upload) or a public image pinned by version; and the stack exports the
// command that starts each pipeline it runs.

const ROOT = path.resolve(__dirname, "../..");
const example = (name: string) => path.join(ROOT, "examples", "stacks", "aws", `Pulumi.${name}.yaml`);
/** SageMaker's prebuilt images as the provider resolves them: a registry path with a version tag. */
const PINNED_PREBUILT = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\/[a-z0-9-]+:(?!latest$)[\w.-]+$/;

type Plan = Awaited<ReturnType<typeof planStackFile>>;

/** Every prerequisite of the plan's AWS resources that is not met, as `resource: input -> ref (why)`. */
function unmet(plan: Plan): string[] {
    const providers = plan.resources.flatMap((r) => providedBy(r).map((p) => ({ ...p, urn: r.urn })));
    const out: string[] = [];
    for (const r of plan.resources.filter((x) => x.type.startsWith("aws:"))) {
        for (const p of prerequisitesOf(r)) {
            if (p.kind === "image") {
                if (!PINNED_PREBUILT.test(p.ref)) out.push(`${r.name}: ${p.input} -> ${p.ref} (not a pinned image)`);
                continue;
            }
            const by = providers.filter((x) => x.kind === p.kind && x.ref === p.ref);
            if (by.length === 0) out.push(`${r.name}: ${p.input} -> ${p.ref} (nothing in the plan puts it there)`);
            else if (!by.some((x) => r.dependencies.includes(x.urn)))
                out.push(`${r.name}: ${p.input} -> ${p.ref} (put there, but the reader does not wait for it)`);
        }
    }
    return out;
}

const commands = (plan: Plan) => (plan.outputs.runCommands ?? {}) as Record<string, string>;
const objects = (plan: Plan): PlannedResource[] =>
    plan.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2");
const START =
    /^aws stepfunctions start-execution --region us-east-1 --state-machine-arn arn:aws:states:us-east-1:\d{12}:stateMachine:[\w-]+$/;

describe("AWS, every level: prerequisites met in the plan, run commands exported", () => {
    const plans: Record<string, Plan> = {};
    beforeAll(async () => {
        plans.level1 = await planStackFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml"));
        plans.vm = await planConfig(
            configFor(
                "aws",
                { data: { volumeGb: 5, freshnessSeconds: 86400, schedule: "*/30 * * * *" } },
                { "mlops:options": { batchRunner: "vm" } },
            ),
        );
        plans.spark = await planStackFile(example("spark"));
        plans.streaming = await planStackFile(example("streaming"));
        plans.endpoint = await planStackFile(example("endpoint"));
        plans.kubernetes = await planStackFile(example("kubernetes"));
    }, 120_000);

    it("plans the levels it says", () => {
        expect(plans.level1!.outputs.levels).toEqual({ data: 1, training: 1, inference: 1 });
        expect(plans.spark!.outputs.levels).toMatchObject({ data: 2, inference: 2 });
        expect(plans.streaming!.outputs.levels).toMatchObject({ data: 3, inference: 3 });
        expect(plans.endpoint!.outputs.levels).toMatchObject({ inference: 4 });
        expect(plans.kubernetes!.outputs.levels).toMatchObject({ inference: 5, training: 2 });
    });

    it.each(["level1", "vm", "spark", "streaming", "endpoint", "kubernetes"])(
        "%s: every AWS resource's prerequisites are uploaded first or pinned public images",
        (name) => {
            expect(unmet(plans[name]!)).toEqual([]);
        },
    );

    it("the check finds a reader that does not wait for its upload, and an unpinned image", () => {
        const plan = plans.endpoint!;
        const model = plan.resources.find((r) => r.type === "aws:sagemaker/model:Model")!;
        const cut = { ...model, dependencies: [] as string[] };
        const latest = {
            ...model,
            inputs: {
                ...model.inputs,
                primaryContainer: { ...(model.inputs.primaryContainer as object), image: "x:latest" },
            },
        };
        expect(unmet({ ...plan, resources: [...plan.resources.filter((r) => r !== model), cut] })).toEqual([
            expect.stringMatching(
                /primaryContainer\.modelDataUrl .* \(put there, but the reader does not wait for it\)$/,
            ),
        ]);
        expect(unmet({ ...plan, resources: [...plan.resources.filter((r) => r !== model), latest] })).toEqual([
            expect.stringMatching(/primaryContainer\.image -> x:latest \(not a pinned image\)$/),
        ]);
    });

    it("uploads only what the levels read, each once, under samples/", () => {
        const keys = (p: Plan) =>
            objects(p)
                .map((o) => String(o.inputs.key))
                .sort();
        expect(keys(plans.level1!)).toEqual([
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
            "samples/models/sklearn/model.joblib",
        ]);
        expect(keys(plans.endpoint!)).toEqual([
            // Training level 1 reads the rows and the package; the endpoint its archive.
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
            "samples/models/sagemaker/model.tar.gz",
        ]);
        expect(keys(plans.streaming!)).toEqual(["samples/streaming/application.zip"]);
        for (const p of Object.values(plans)) for (const k of keys(p)) expect(k).toMatch(/^samples\//);
    });

    it("level 1: start-execution of the data, training and inference state machines", () => {
        const run = commands(plans.level1!);
        expect(Object.keys(run).sort()).toEqual(["data", "inference", "training"]);
        for (const c of Object.values(run)) expect(c).toMatch(START);
    });

    it("level 2: start-execution of each Spark state machine; level 3: a put-record per stream", () => {
        expect(commands(plans.spark!).data).toMatch(START);
        expect(commands(plans.spark!).inference).toMatch(START);
        for (const p of ["data", "inference"])
            expect(commands(plans.streaming!)[p]).toMatch(
                new RegExp(
                    `^aws kinesis put-record --region us-east-1 --stream-name mlops-levels-streaming-${p}-events --partition-key \\d+ --cli-binary-format raw-in-base64-out --data '\\{.*\\}'$`,
                ),
            );
    });

    it("level 4: invoke-endpoint with a raw row; the vm runner has no remote start", () => {
        expect(commands(plans.endpoint!).inference).toMatch(
            /^aws sagemaker-runtime invoke-endpoint --region us-east-1 --endpoint-name mlops-levels-endpoint-inference --content-type application\/json --cli-binary-format raw-in-base64-out --body '\{"instances":\[\{.*\}\]\}' \/dev\/stdout$/,
        );
        expect(commands(plans.vm!).data).toBeUndefined();
    });
});

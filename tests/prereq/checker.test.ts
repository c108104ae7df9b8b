import * as fc from "fast-check";
import type { UserSupplied } from "../../catalog/prerequisites/user";
import type { PlannedResource } from "../../offline/engine";
import { checkPrerequisites, type PrerequisiteCheck } from "../../offline/prerequisites";

/**
 * The prerequisite checker on hand-made plans: each case changes one thing (a dependency, the
 * registration order, a tag, an option) and says exactly how the prerequisite is met or what is
 * missing. Pure: no engine runs.
 */

const urnOf = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

function res(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    o: { deps?: PlannedResource[]; parent?: PlannedResource; provider?: PlannedResource } = {},
): PlannedResource {
    return {
        urn: urnOf(type, name),
        type,
        name,
        ...(o.parent ? { parent: o.parent.urn } : {}),
        ...(o.provider ? { provider: o.provider.urn } : {}),
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        custom: !type.startsWith("mlops:"),
        inputs,
        outputs: {},
        dependencies: (o.deps ?? []).map((d) => d.urn),
    };
}

const SCRIPT = "gs://art/jobs/spark/data.py";
const upload = (name = "script") =>
    res("gcp:storage/bucketObject:BucketObject", name, { bucket: "art", name: "jobs/spark/data.py" });
const template = (o: Parameters<typeof res>[3] = {}, name = "spark") =>
    res(
        "gcp:dataproc/workflowTemplate:WorkflowTemplate",
        name,
        { jobs: [{ pysparkJob: { mainPythonFileUri: SCRIPT } }] },
        o,
    );
const service = (image: string) =>
    res("gcp:cloudrunv2/service:Service", "svc", { template: { containers: [{ image }] } });
const only = (resources: PlannedResource[], user: UserSupplied[] = []): PrerequisiteCheck => {
    const checks = checkPrerequisites(resources, { user });
    expect(checks).toHaveLength(1);
    return checks[0]!;
};

describe("met by a resource of the same plan", () => {
    it("is met when the reader takes the upload's output (a direct dependency)", () => {
        const obj = upload();
        const reader = template({ deps: [obj] });
        expect(only([obj, reader])).toEqual({
            urn: reader.urn,
            type: reader.type,
            input: "jobs[0].pysparkJob.mainPythonFileUri",
            kind: "object",
            ref: SCRIPT,
            met: "created",
            by: obj.urn,
            why: "created by gcp:storage/bucketObject:BucketObject",
        });
    });

    it("is unmet when the reader does not wait for the upload, and says how to make it wait", () => {
        const obj = upload();
        const c = only([obj, template()]);
        expect(c.met).toBeNull();
        expect(c.by).toBeUndefined();
        expect(c.why).toBe(
            "gcp:storage/bucketObject:BucketObject script creates it, but this resource does not wait for it: take one of its outputs as an input (or list it in dependsOn)",
        );
    });

    it("is met through a chain of dependencies", () => {
        const obj = upload();
        const mid = res("aws:iam/role:Role", "role", {}, { deps: [obj] });
        expect(only([obj, mid, template({ deps: [mid] })]).met).toBe("created");
    });

    it("is met through a parent that waits for the upload (a component's dependsOn)", () => {
        const obj = upload();
        const component = res("mlops:spark:Spark", "spark", {}, { deps: [obj] });
        const c = only([obj, component, template({ parent: component })]);
        expect([c.met, c.by]).toEqual(["created", obj.urn]);
    });

    it("is met through an explicit provider that waits for the upload", () => {
        const obj = upload();
        const provider = res("pulumi:providers:gcp", "gcp", {}, { deps: [obj] });
        expect(only([obj, provider, template({ provider })]).met).toBe("created");
    });

    it("is unmet when the upload is registered after the reader, even with a dependency", () => {
        const obj = upload();
        const c = only([template({ deps: [obj] }), obj]);
        expect(c.met).toBeNull();
        expect(c.why).toBe(
            "gcp:storage/bucketObject:BucketObject script creates it, but is registered after this resource",
        );
    });

    it("an uploaded file meets a template prerequisite (a Flex Template spec is an object in a bucket)", () => {
        const spec = res("gcp:storage/bucketObject:BucketObject", "spec", { bucket: "art", name: "t.json" });
        const job = res(
            "gcp:dataflow/flexTemplateJob:FlexTemplateJob",
            "job",
            { containerSpecGcsPath: "gs://art/t.json" },
            { deps: [spec] },
        );
        expect(only([spec, job])).toMatchObject({ kind: "template", met: "created", by: spec.urn });
    });

    it("an image pushed by the plan meets a pod's image, written with or without Docker Hub's host", () => {
        const push = res("docker:index/registryImage:RegistryImage", "push", { name: "team/app:1.0" });
        const pod = res(
            "kubernetes:core/v1:Pod",
            "pod",
            { spec: { containers: [{ image: "docker.io/team/app:1.0" }] } },
            { deps: [push] },
        );
        expect(only([push, pod])).toMatchObject({ met: "created", by: push.urn });
    });

    it("one waited-for upload is enough when another upload of the same object is not waited for", () => {
        const a = upload("a");
        const b = upload("b");
        expect(only([a, b, template({ deps: [b] })])).toMatchObject({ met: "created", by: b.urn });
    });
});

describe("met by a public artifact pinned to one version", () => {
    it.each([
        [
            "mcr.microsoft.com/azure-cli:2.70.0",
            "Microsoft Artifact Registry (every image Microsoft publishes), pinned to 2.70.0",
        ],
        ["rayproject/ray:2.52.0-gpu", "Ray images (Docker Hub rayproject), pinned to 2.52.0-gpu"],
        ["docker.io/library/python:3.12-slim", "Docker Official Image python, pinned to 3.12-slim"],
        [
            `mcr.microsoft.com/k8se/quickstart@sha256:${"a".repeat(64)}`,
            `Microsoft Artifact Registry (every image Microsoft publishes), pinned to sha256:${"a".repeat(64)}`,
        ],
        [
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
            "SageMaker prebuilt framework images (scikit-learn, XGBoost, Spark ML serving), pinned to 1.2-1-cpu-py3",
        ],
        [
            "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:2.10.0-cpu-py313-ubuntu22.04-sagemaker",
            "AWS Deep Learning Containers (PyTorch, TensorFlow, Hugging Face), pinned to 2.10.0-cpu-py313-ubuntu22.04-sagemaker",
        ],
        [
            "sagemaker-scikit-learn:1.2-1-cpu-py3",
            "SageMaker prebuilt framework images (scikit-learn, XGBoost, Spark ML serving), pinned to 1.2-1-cpu-py3",
        ],
    ])("%s", (image, why) => {
        expect(only([service(image)])).toMatchObject({ met: "public", why });
    });

    it.each([
        ["mcr.microsoft.com/azure-cli:latest", "its tag 'latest' moves to newer builds"],
        ["mcr.microsoft.com/azure-cli", "it has no tag, so it pulls 'latest'"],
        ["rayproject/ray:nightly-py311", "its tag 'nightly-py311' moves to newer builds"],
        ["rayproject/ray:cpu", "its tag 'cpu' names no version"],
        ["us-docker.pkg.dev/cloudrun/container/hello:latest", "its tag 'latest' moves to newer builds"],
    ])("%s is public but not pinned: unmet", (image, unpinned) => {
        const c = only([service(image)]);
        expect(c.met).toBeNull();
        expect(c.why).toContain(`but not pinned: ${unpinned} (pin a version tag or a digest)`);
    });

    it("a SageMaker repository in another account than AWS publishes it from is not public", () => {
        const c = only([service("123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3")]);
        expect(c.met).toBeNull();
        expect(c.why).toBe(
            "nothing in this plan creates it, it is not a known public artifact, and no option supplies it",
        );
    });

    it("a Google-provided template in a dated folder is pinned; in latest it is not", () => {
        const job = (version: string) =>
            res("gcp:dataflow/flexTemplateJob:FlexTemplateJob", "job", {
                containerSpecGcsPath: `gs://dataflow-templates-us-central1/${version}/flex/Cloud_PubSub_to_GCS_Text_Flex`,
            });
        expect(only([job("2024-01-09-00_RC00")])).toMatchObject({
            kind: "template",
            met: "public",
            why: "Google-provided Dataflow templates, pinned to 2024-01-09-00_RC00",
        });
        const latest = only([job("latest")]);
        expect(latest.met).toBeNull();
        expect(latest.why).toContain(
            "but not pinned: its version folder 'latest' is not a dated release (pin a dated version)",
        );
    });
});

describe("met by a value the team supplied", () => {
    const own = "registry.example.com/team/model:7";

    it("an image from mlops:options.images is the team's to push", () => {
        expect(only([service(own)], [{ option: "mlops:options.images.inference", value: own }])).toMatchObject({
            met: "user",
            why: "mlops:options.images.inference",
        });
    });

    it("the same image without the option is unmet", () => {
        expect(only([service(own)]).met).toBeNull();
    });

    it("an object key from a key option is the object of that whole key, in its bucket", () => {
        const key = {
            option: "mlops:options.streamingCode.data",
            value: "jobs/spark/data.py",
            form: "artifactKey" as const,
        };
        expect(only([template()], [key])).toMatchObject({ met: "user", why: "mlops:options.streamingCode.data" });
        // A key is the whole key after the bucket: a shorter tail, or the same text as a plain value, is not it.
        expect(only([template()], [{ ...key, value: "spark/data.py" }]).met).toBeNull();
        expect(only([template()], [{ option: key.option, value: key.value }]).met).toBeNull();
        // Nor is it an image of that name.
        expect(only([service("jobs/spark/data.py")], [key]).met).toBeNull();
    });

    it("a SageMaker short form the team wrote is the image resolved in its region", () => {
        const resolved = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1";
        expect(
            only([service(resolved)], [{ option: "mlops:options.images.training", value: "sagemaker-xgboost:1.7-1" }]),
        ).toMatchObject({ met: "user" });
    });
});

describe("met by a key the team named in its artifacts store", () => {
    const key = (value: string) => [{ option: "mlops:options.sparkScripts.data", value, form: "artifactKey" as const }];
    const reading = (uri: string) =>
        res("aws:sfn/stateMachine:StateMachine", "sfn", {
            definition: JSON.stringify({
                StartAt: "Run",
                States: { Run: { Parameters: { JobDriver: { SparkSubmit: { EntryPoint: uri } } } } },
            }),
        });

    it("is met when the object's key in its bucket or container is the option's key, on every cloud", () => {
        expect(only([template()], key("jobs/spark/data.py"))).toMatchObject({
            met: "user",
            why: "mlops:options.sparkScripts.data",
        });
        expect(only([reading("s3://artifacts-b/team/spark/features.py")], key("team/spark/features.py"))).toMatchObject(
            { met: "user", why: "mlops:options.sparkScripts.data" },
        );
        const livy = res("azure-native:app:Job", "submit", {
            template: {
                containers: [
                    {
                        image: "mcr.microsoft.com/azure-cli:2.70.0",
                        env: [
                            {
                                name: "LIVY_BATCH",
                                value: JSON.stringify({
                                    file: "abfss://artifacts@acct.dfs.core.windows.net/team/spark/features.py",
                                }),
                            },
                        ],
                    },
                ],
            },
        });
        const checks = checkPrerequisites([livy], { user: key("team/spark/features.py") });
        expect(checks.find((c) => c.kind === "object")).toMatchObject({ met: "user" });
    });

    it("is unmet when the key is only a suffix of the object's key, or a different key", () => {
        expect(only([reading("s3://b/other/team/spark/features.py")], key("team/spark/features.py")).met).toBeNull();
        expect(only([reading("s3://b/team/spark/features.py")], key("team/spark/other.py")).met).toBeNull();
    });

    it("never names an image, and a key written as a reference option matches only the whole URI", () => {
        const image = "team/spark/features.py";
        expect(only([service(image)], key(image)).met).toBeNull();
        expect(
            only([reading("s3://b/team/a.py")], [{ option: "mlops:options.images.data", value: "team/a.py" }]).met,
        ).toBeNull();
    });
});

describe("pulled through a Docker Hub mirror of the plan", () => {
    const mirror = res("gcp:artifactregistry/repository:Repository", "mirror", {
        location: "us-central1",
        project: "proj",
        repositoryId: "hub",
        format: "DOCKER",
        mode: "REMOTE_REPOSITORY",
        remoteRepositoryConfig: { dockerRepository: { publicRepository: "DOCKER_HUB" } },
    });
    const via = (tag: string, deps: PlannedResource[]) =>
        res(
            "gcp:cloudrunv2/job:Job",
            "job",
            {
                template: {
                    template: { containers: [{ image: `us-central1-docker.pkg.dev/proj/hub/library/python:${tag}` }] },
                },
            },
            { deps },
        );

    it("is public and pinned when the reader waits for the mirror", () => {
        expect(only([mirror, via("3.12-slim", [mirror])])).toMatchObject({
            met: "public",
            by: mirror.urn,
            why: "Docker Official Image python, pinned to 3.12-slim, through the mirror mirror",
        });
    });

    it("is unmet when the reader does not wait for the mirror", () => {
        const c = only([mirror, via("3.12-slim", [])]);
        expect(c.met).toBeNull();
        expect(c.why).toBe(
            "gcp:artifactregistry/repository:Repository mirror mirrors docker.io/library/python:3.12-slim, but this resource does not wait for it: take one of its outputs as an input (or list it in dependsOn)",
        );
    });

    it("is unmet when the mirrored image is not pinned", () => {
        const c = only([mirror, via("latest", [mirror])]);
        expect(c.met).toBeNull();
        expect(c.why).toContain(
            "docker.io/library/python:latest through the mirror mirror: Docker Official Image python, but not pinned",
        );
    });
});

describe("unmet", () => {
    it("says what nothing provides", () => {
        const model = res("aws:sagemaker/model:Model", "model", {
            primaryContainer: {
                image: "sagemaker-scikit-learn:1.2-1-cpu-py3",
                modelDataUrl: "s3://art/models/model.tar.gz",
            },
        });
        const checks = checkPrerequisites([model]);
        expect(checks.map((c) => [c.input, c.met])).toEqual([
            ["primaryContainer.image", "public"],
            ["primaryContainer.modelDataUrl", null],
        ]);
    });

    it("a plan with no reader has nothing to check", () => {
        expect(checkPrerequisites([upload(), res("aws:s3/bucket:Bucket", "b", { bucket: "art" })])).toEqual([]);
    });
});

/** A random plan: resources in registration order, each waiting only for earlier ones, as the SDK records them. */
const plans = fc
    .integer({ min: 2, max: 10 })
    .chain((n) =>
        fc.record({
            n: fc.constant(n),
            provider: fc.integer({ min: 0, max: n - 2 }),
            deps: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: n, maxLength: n }),
            parents: fc.array(fc.option(fc.nat(), { nil: undefined }), { minLength: n, maxLength: n }),
        }),
    )
    .map(({ n, provider, deps, parents }) => {
        const list: PlannedResource[] = [];
        for (let i = 0; i < n - 1; i++) {
            const earlier = (k: number) => (i === 0 ? undefined : list[k % i]);
            const o = {
                deps: deps[i]!.map(earlier).filter((r): r is PlannedResource => r !== undefined),
                ...(parents[i] !== undefined && earlier(parents[i]!) ? { parent: earlier(parents[i]!)! } : {}),
            };
            list.push(
                i === provider
                    ? { ...upload(), dependencies: o.deps.map((d) => d.urn) }
                    : res("aws:iam/role:Role", `r${i}`, {}, o),
            );
        }
        const i = n - 1;
        const pick = (k: number) => list[k % i]!;
        const p = parents[i];
        list.push(template({ deps: deps[i]!.map(pick), ...(p !== undefined ? { parent: pick(p) } : {}) }));
        return { resources: list, provider: list[provider]! };
    });

/** The test's own reachability: breadth first over dependencies and parents. */
function reaches(resources: PlannedResource[], from: PlannedResource, to: PlannedResource): boolean {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const seen = new Set<string>();
    const queue = [from.urn];
    while (queue.length > 0) {
        const r = byUrn.get(queue.shift()!);
        for (const next of [...(r?.dependencies ?? []), ...(r?.parent ? [r.parent] : [])])
            if (!seen.has(next)) {
                seen.add(next);
                queue.push(next);
            }
    }
    return seen.has(to.urn);
}

describe("properties over random plans", () => {
    it("an upload meets the reader exactly when the reader can reach it over dependencies and parents", () => {
        fc.assert(
            fc.property(plans, ({ resources, provider }) => {
                const c = only(resources);
                const reader = resources[resources.length - 1]!;
                expect(c.met === "created").toBe(reaches(resources, reader, provider));
                if (c.met === "created") expect(c.by).toBe(provider.urn);
            }),
        );
    });

    it("waiting for more never unmeets a prerequisite: a direct dependency on the upload always meets it", () => {
        fc.assert(
            fc.property(plans, ({ resources, provider }) => {
                const reader = resources[resources.length - 1]!;
                const more = [
                    ...resources.slice(0, -1),
                    { ...reader, dependencies: [...reader.dependencies, provider.urn] },
                ];
                expect(only(more).met).toBe("created");
            }),
        );
    });

    it("moving the upload after the reader always unmeets it", () => {
        fc.assert(
            fc.property(plans, ({ resources, provider }) => {
                const reader = resources[resources.length - 1]!;
                const rest = resources.filter((r) => r !== provider);
                const moved = [...rest.slice(0, -1), { ...reader, dependencies: [provider.urn] }, provider];
                expect(only(moved).met).toBeNull();
            }),
        );
    });
});

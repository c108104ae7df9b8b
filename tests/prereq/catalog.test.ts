import * as fc from "fast-check";
import { providedBy } from "../../catalog";
import { normalImage, parseImage, unpinnedImage } from "../../catalog/prerequisites/refs";
import { USER_SUPPLIED_OPTIONS, userSupplied } from "../../catalog/prerequisites/user";
import { PUBLIC_ARTIFACTS, prebuiltAccount, publicArtifact } from "../../catalog/public-artifacts";
import { mockCall } from "../../offline/mock";

/** The catalogue's part of the prerequisite check: references, the public table, the team's options, mirrors. */

describe("image references, as Docker reads them", () => {
    it.each([
        ["python:3.12", "docker.io/library/python:3.12"],
        ["rayproject/ray:2.52.0", "docker.io/rayproject/ray:2.52.0"],
        ["index.docker.io/library/python", "docker.io/library/python"],
        ["localhost:5000/app:1", "localhost:5000/app:1"],
        ["r.azurecr.io/models:v1", "r.azurecr.io/models:v1"],
        [`mcr.microsoft.com/a/b@sha256:${"0".repeat(64)}`, `mcr.microsoft.com/a/b@sha256:${"0".repeat(64)}`],
    ])("%s is %s", (ref, normal) => {
        expect(normalImage(ref)).toBe(normal);
    });

    const component = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/);
    const refs = fc
        .record({
            host: fc.option(fc.constantFrom("docker.io", "mcr.microsoft.com", "localhost:5000", "a.b.c"), {
                nil: undefined,
            }),
            path: fc.array(component, { minLength: 1, maxLength: 3 }),
            tag: fc.option(tag, { nil: undefined }),
        })
        .map(({ host, path, tag }) => `${host ? `${host}/` : ""}${path.join("/")}${tag ? `:${tag}` : ""}`);

    it("normalizing twice changes nothing, and keeps the tag", () => {
        fc.assert(
            fc.property(refs, (ref) => {
                expect(normalImage(normalImage(ref))).toBe(normalImage(ref));
                expect(parseImage(normalImage(ref)).tag).toBe(parseImage(ref).tag);
            }),
        );
    });

    it("a digest always pins; no tag or a moving tag never does; a tag pins exactly when it holds a digit", () => {
        fc.assert(
            fc.property(refs, tag, (ref, t) => {
                const base = ref.replace(/:[^/]*$/, "");
                expect(unpinnedImage(`${base}@sha256:${"f".repeat(64)}`)).toBeUndefined();
                expect(unpinnedImage(base)).toBeDefined();
                expect(unpinnedImage(`${base}:latest`)).toBeDefined();
                expect(unpinnedImage(`${base}:${t}-latest`)).toBeDefined();
                if (!/(^|[-_.])(latest|nightly|edge|stable|main|master|dev)([-_.]|$)/i.test(t))
                    expect(unpinnedImage(`${base}:${t}`) === undefined).toBe(/\d/.test(t));
            }),
        );
    });
});

describe("the public artifact table", () => {
    it("names a source for every publisher", () => {
        for (const p of PUBLIC_ARTIFACTS) expect(p.source).toMatch(/https:\/\/|terraform-provider-aws/);
    });

    it("knows no image of a team's own registry", () => {
        for (const ref of [
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/mlops-levels-models:v1",
            "team.azurecr.io/models:v1",
            "us-central1-docker.pkg.dev/proj/models/serve:v1",
            "docker.io/someone/else:1.0",
        ])
            expect(publicArtifact("image", ref)).toBeUndefined();
    });

    it("reads SageMaker's prebuilt images only from the account of their repository group in the region", () => {
        expect(prebuiltAccount("sagemaker-scikit-learn", "us-east-1")).toBe("683313688378");
        expect(prebuiltAccount("pytorch-training", "us-east-1")).toBe("763104351884");
        expect(prebuiltAccount("pytorch-training", "af-south-1")).toBe("626614931356");
        expect(prebuiltAccount("my-own", "us-east-1")).toBeUndefined();
        const dlc = "pytorch-training:2.10.0-cpu-py313-ubuntu22.04-sagemaker";
        expect(publicArtifact("image", `763104351884.dkr.ecr.us-east-1.amazonaws.com/${dlc}`)).toBeDefined();
        expect(publicArtifact("image", `683313688378.dkr.ecr.us-east-1.amazonaws.com/${dlc}`)).toBeUndefined();
    });

    it("the offline engine resolves SageMaker images as the provider does: that account, default tag 1", () => {
        const call = (inputs: Record<string, unknown>) =>
            mockCall({ token: "aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage", inputs }, "eu-west-1");
        expect(call({ repositoryName: "pytorch-training", imageTag: "2.10.0-gpu" })).toEqual({
            registryPath: "763104351884.dkr.ecr.eu-west-1.amazonaws.com/pytorch-training:2.10.0-gpu",
            registryId: "763104351884",
        });
        expect(call({ repositoryName: "sagemaker-xgboost" })).toMatchObject({
            registryPath: "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1",
        });
        expect(() => call({ repositoryName: "kmeans" })).toThrow(
            /no SageMaker prebuilt registry known for repository 'kmeans'/,
        );
    });
});

describe("options through which a team supplies artifacts", () => {
    it("reads every listed path, lists included", () => {
        expect(USER_SUPPLIED_OPTIONS).toEqual([
            { path: "images.*", form: "reference" },
            { path: "sparkScripts.*", form: "artifactKey" },
            { path: "streamingCode.*", form: "artifactKey" },
        ]);
        expect(userSupplied({ images: { inference: "r/m:1", training: "r/t:2" }, protect: true })).toEqual([
            { option: "mlops:options.images.inference", value: "r/m:1" },
            { option: "mlops:options.images.training", value: "r/t:2" },
        ]);
        // A team's Spark script is a key in the artifacts store, and says so.
        expect(
            userSupplied({ images: { data: "r/d:1" }, sparkScripts: { inference: "team/score.py", data: "t/f.py" } }),
        ).toEqual([
            { option: "mlops:options.images.data", value: "r/d:1" },
            { option: "mlops:options.sparkScripts.inference", value: "team/score.py", form: "artifactKey" },
            { option: "mlops:options.sparkScripts.data", value: "t/f.py", form: "artifactKey" },
        ]);
        expect(
            userSupplied({ packages: { streaming: ["s3://a/x.jar", "s3://a/y.jar"] } }, [
                { path: "packages.streaming", form: "reference" },
            ]),
        ).toEqual([
            { option: "mlops:options.packages.streaming[0]", value: "s3://a/x.jar" },
            { option: "mlops:options.packages.streaming[1]", value: "s3://a/y.jar" },
        ]);
        expect(
            userSupplied({ streamingCode: { data: "team/app.zip" } }, [
                { path: "streamingCode.*", form: "artifactKey" },
            ]),
        ).toEqual([{ option: "mlops:options.streamingCode.data", value: "team/app.zip", form: "artifactKey" }]);
        expect(userSupplied(undefined)).toEqual([]);
        expect(userSupplied({ images: "not-an-object" })).toEqual([]);
    });
});

describe("a Docker Hub remote repository provides a mirror", () => {
    const repo = {
        location: "europe-west4",
        project: "p",
        repositoryId: "hub",
        format: "DOCKER",
        mode: "REMOTE_REPOSITORY",
        remoteRepositoryConfig: { dockerRepository: { publicRepository: "DOCKER_HUB" } },
    };
    const type = "gcp:artifactregistry/repository:Repository";

    it("of Docker Hub, under its own path", () => {
        expect(providedBy({ type, inputs: repo })).toEqual([
            { kind: "image", ref: "europe-west4-docker.pkg.dev/p/hub/", mirrorOf: "docker.io/" },
        ]);
    });

    it("nothing for a standard repository: what is pushed to it provides", () => {
        expect(providedBy({ type, inputs: { ...repo, mode: "STANDARD_REPOSITORY" } })).toEqual([]);
    });
});

describe("an S3 upload provides its object the way readers name it", () => {
    it.each([
        [{ bucket: "art", key: "jobs/x.py" }, "s3://art/jobs/x.py"],
        [{ bucket: "arn:aws:s3:::art", key: "jobs/x.py" }, "s3://art/jobs/x.py"],
    ])("%j", (inputs, ref) => {
        expect(providedBy({ type: "aws:s3/bucketObjectv2:BucketObjectv2", inputs })).toEqual([{ kind: "object", ref }]);
    });
});

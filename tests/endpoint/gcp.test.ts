import { prerequisitesOf, providedBy } from "../../catalog";
import { REFERENCE_IMAGE, SAMPLE_FEATURES } from "../../components/blocks/gcp/reference";
import {
    ARTIFACTS_MOUNT,
    GcpEndpoint,
    gcpEndpointNeeds,
    REFERENCE_MODEL_NAME,
    referenceServer,
} from "../../components/endpoint/gcp";
import { ENDPOINT_TYPE } from "../../components/endpoint/index";
import { mergeNeeds } from "../../components/foundation";
import { imageMirrorPath } from "../../components/foundation/gcp";
import { GcpRegistry } from "../../components/registry/gcp";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, PROJECT_ID, runGcp } from "../gcp/harness";
import { descendants, ofType, one } from "../helpers/plan";

const RUN = "gcp:cloudrunv2/service:Service";
const REPO_READER = "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember";
const OTHER_LEVELS =
    /^gcp:(container|dataproc|dataflow|pubsub|managedkafka|vertex|workflows|cloudscheduler|batch)\/|^kubernetes:/;
const TEAM_IMAGE = "us-central1-docker.pkg.dev/team/serving/churn:3";
const AGENT = "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com";

/** One endpoint on the mock engine, its foundation built with what the endpoint declares it needs. */
function build(o: { peakQps?: number; publicEndpoint?: boolean; image?: string } = {}) {
    return runGcp(
        (ctx, foundation, opts) => {
            const registry = new GcpRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 4 }, opts);
            const e = new GcpEndpoint(
                "inference",
                {
                    ctx,
                    foundation,
                    registry,
                    peakQps: o.peakQps ?? 40,
                    publicEndpoint: o.publicEndpoint,
                    ...(o.image ? { image: o.image } : {}),
                },
                opts,
            );
            return { endpointUrl: e.endpointUrl, auth: e.auth, identity: e.identity, runCommands: e.runCommands };
        },
        { needs: mergeNeeds([gcpEndpointNeeds({ image: o.image })]) },
    );
}

type Plan = Awaited<ReturnType<typeof build>>;
const containerOf = (rs: Plan) =>
    ((one(rs, RUN).inputs.template as Record<string, unknown>).containers as Record<string, unknown>[])[0]!;
const envsOf = (rs: Plan) =>
    Object.fromEntries((containerOf(rs).envs as { name: string; value: string }[]).map((e) => [e.name, e.value]));

describe("GCP serverless endpoint (Cloud Run), the reference server by default", () => {
    let rs: Plan;
    beforeAll(async () => {
        rs = await build({ peakQps: 500 });
    });

    test("zero instances while idle, up to the peak's, CPU only during requests", () => {
        const template = one(rs, RUN).inputs.template as Record<string, unknown>;
        expect(template).toMatchObject({
            scaling: { minInstanceCount: 0, maxInstanceCount: 32 },
            maxInstanceRequestConcurrency: 2,
            executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        });
        expect(containerOf(rs)).toMatchObject({
            ports: { containerPort: 8080 },
            resources: { limits: { cpu: "1", memory: "2048Mi" }, cpuIdle: true },
        });
        // Cloud Run sets PORT itself and refuses a service that sets it.
        expect(Object.keys(envsOf(rs))).not.toContain("PORT");
        expect(isValidName("gcpResource", String(one(rs, RUN).inputs.name))).toBe(true);
        expect(one(rs, RUN).inputs.deletionProtection).toBe(false);
    });

    test("KServe's sklearnserver, pinned, through the Docker Hub mirror, serving the mounted sample model", () => {
        const mirror = imageMirrorPath(PROJECT_ID, "mlops-levels", "dev", "us-central1");
        expect(containerOf(rs).image).toBe(`${mirror}/${REFERENCE_IMAGE}`);
        expect(REFERENCE_IMAGE).toBe("kserve/sklearnserver:v0.20.0");
        expect(containerOf(rs).args).toEqual([
            "--model_name=churn",
            `--model_dir=${ARTIFACTS_MOUNT}/samples/models/sklearn`,
            "--http_port=8080",
        ]);
        const artifacts = ofType(rs, "gcp:storage/bucket:Bucket").find((b) => b.name === "foundation-artifacts")!;
        expect(envsOf(rs)).toMatchObject({
            PREDICT_PROBA: "true",
            MODEL_DIR: `${ARTIFACTS_MOUNT}/samples/models/sklearn`,
            MODEL_URI: `gs://${artifacts.outputs.name}/samples/models/sklearn/model.joblib`,
        });
        expect(referenceServer({ imageMirrorPath: undefined }).image).toBe(`docker.io/${REFERENCE_IMAGE}`);
    });

    test("the model and the mirror exist before the service: uploaded, depended on, and pullable by the agent", () => {
        const run = one(rs, RUN);
        const model = one(rs, "gcp:storage/bucketObject:BucketObject");
        expect(model.inputs.name).toBe("samples/models/sklearn/model.joblib");
        expect(run.dependencies).toContain(model.urn);
        const needs = prerequisitesOf(run);
        expect(needs.filter((n) => n.kind === "object").map((n) => n.ref)).toEqual(providedBy(model).map((p) => p.ref));
        const mirror = ofType(rs, "gcp:artifactregistry/repository:Repository").find(
            (r) => r.inputs.mode === "REMOTE_REPOSITORY",
        )!;
        expect(run.dependencies).toContain(mirror.urn);
        const image = needs.find((n) => n.kind === "image")!;
        expect(image.ref.startsWith(providedBy(mirror)[0]!.ref)).toBe(true);
        const mirrorReader = ofType(rs, REPO_READER).find((g) => g.inputs.repository === mirror.outputs.name)!;
        expect(mirrorReader.inputs).toMatchObject({ role: "roles/artifactregistry.reader", member: AGENT });
        expect(run.dependencies).toContain(mirrorReader.urn);
    });

    test("runCommands: a curl with the caller's identity token scoring the sample row", () => {
        const url = String(rs.outputs.endpointUrl);
        expect(url).toMatch(/^https:\/\/mlops-levels-dev-inference-[a-z0-9]+-[a-z]+\.a\.run\.app$/);
        expect(rs.outputs.runCommands).toEqual({
            inference: `curl -sS -X POST -H "Authorization: Bearer $(gcloud auth print-identity-token)" -H "Content-Type: application/json" ${url}/v1/models/${REFERENCE_MODEL_NAME}:predict -d '${JSON.stringify({ instances: [SAMPLE_FEATURES] })}'`,
        });
    });

    test("IAM authentication by default: invoker check on, nobody public", () => {
        expect(one(rs, RUN).inputs.invokerIamDisabled).toBe(false);
        expect(rs.some((r) => JSON.stringify(r.inputs).includes("allUsers"))).toBe(false);
        expect(ofType(rs, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember")).toEqual([]);
        expect(rs.outputs.auth).toBe("google-iam");
    });

    test("its own service account reads the artifacts bucket, mounted read-only; the service agent pulls", () => {
        const sa = ofType(rs, "gcp:serviceaccount/account:Account").find((a) => a.name === "inference-sa")!;
        expect(isValidName("gcpServiceAccount", String(sa.inputs.accountId))).toBe(true);
        const template = one(rs, RUN).inputs.template as Record<string, unknown>;
        expect(template.serviceAccount).toBe(sa.outputs.email);
        const artifacts = ofType(rs, "gcp:storage/bucket:Bucket").find((b) => b.name === "foundation-artifacts")!;
        expect(template.volumes).toEqual([
            {
                name: "artifacts",
                gcs: { bucket: artifacts.outputs.name, readOnly: true, mountOptions: ["implicit-dirs"] },
            },
        ]);
        const bucketGrants = ofType(rs, "gcp:storage/bucketIAMMember:BucketIAMMember").filter(
            (g) => g.inputs.member === sa.outputs.member,
        );
        expect(bucketGrants.map((g) => [g.inputs.bucket, g.inputs.role])).toEqual([
            [artifacts.outputs.name, "roles/storage.objectViewer"],
        ]);
        // The model registry and the mirror: the agent reads both, nothing else.
        expect(ofType(rs, REPO_READER).map((r) => r.inputs.member)).toEqual([AGENT, AGENT]);
        expect(ofType(rs, "gcp:projects/service:Service").map((s) => s.inputs.service)).toContain("run.googleapis.com");
    });

    test("labels, parents, and no other level's types", () => {
        const run = one(rs, RUN);
        const labels = run.inputs.labels as Record<string, string>;
        expect(labels).toMatchObject({ [TAG_KEYS.pipeline]: "inference", [TAG_KEYS.level]: "4" });
        expect((run.inputs.template as { labels: unknown }).labels).toEqual(labels);
        for (const [k, v] of Object.entries(labels)) {
            expect(k).toMatch(GCP_LABEL_KEY);
            expect(v).toMatch(GCP_LABEL_VALUE);
        }
        expect(run.parent).toBe(one(rs, ENDPOINT_TYPE).urn);
        expect(descendants(rs, one(rs, ENDPOINT_TYPE).urn).length).toBeGreaterThan(4);
        expect(rs.filter((r) => OTHER_LEVELS.test(r.type)).map((r) => r.type)).toEqual([]);
    });
});

describe("GCP serverless endpoint, a team's image", () => {
    let rs: Plan;
    beforeAll(async () => {
        rs = await build({ image: TEAM_IMAGE, publicEndpoint: true });
    });

    test("runs the team's image as it is, uploads nothing, and keeps the model path contract", () => {
        expect(gcpEndpointNeeds({ image: TEAM_IMAGE })).toEqual({});
        expect(containerOf(rs).image).toBe(TEAM_IMAGE);
        expect(containerOf(rs).args).toBeUndefined();
        expect(ofType(rs, "gcp:storage/bucketObject:BucketObject")).toEqual([]);
        const artifacts = ofType(rs, "gcp:storage/bucket:Bucket").find((b) => b.name === "foundation-artifacts")!;
        expect(envsOf(rs)).toMatchObject({
            MODEL_DIR: `${ARTIFACTS_MOUNT}/models/inference`,
            MODEL_URI: `gs://${artifacts.outputs.name}/models/inference/model.tar.gz`,
        });
        expect(Object.keys(envsOf(rs))).not.toContain("PREDICT_PROBA");
        // Not the stack's server: its model is the team's to upload, not a prerequisite of this plan.
        expect(prerequisitesOf(one(rs, RUN))).toEqual([
            { kind: "image", ref: TEAM_IMAGE, input: "template.containers[0].image" },
        ]);
        // Only the model registry's reader: the image does not come through the mirror.
        expect(ofType(rs, REPO_READER)).toHaveLength(1);
    });

    test("publicEndpoint: true switches the invoker check off, and the curl sends no token", () => {
        expect(one(rs, RUN).inputs.invokerIamDisabled).toBe(true);
        expect(rs.outputs.auth).toBe("none");
        expect(rs.outputs.runCommands).toEqual({ inference: `curl -sS ${rs.outputs.endpointUrl}` });
    });
});

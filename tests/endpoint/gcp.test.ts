import { ARTIFACTS_MOUNT, DEFAULT_ENDPOINT_IMAGE, GcpEndpoint } from "../../components/endpoint/gcp";
import { ENDPOINT_TYPE } from "../../components/endpoint/index";
import { GcpRegistry } from "../../components/registry/gcp";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, runGcp } from "../gcp/harness";
import { descendants, ofType, one } from "../helpers/plan";

const RUN = "gcp:cloudrunv2/service:Service";
const OTHER_LEVELS =
    /^gcp:(container|dataproc|dataflow|pubsub|managedkafka|vertex|workflows|cloudscheduler|batch)\/|^kubernetes:/;

function build(o: { peakQps?: number; publicEndpoint?: boolean } = {}) {
    return runGcp((ctx, foundation, opts) => {
        const registry = new GcpRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 4 }, opts);
        const e = new GcpEndpoint(
            "inference",
            { ctx, foundation, registry, peakQps: o.peakQps ?? 40, publicEndpoint: o.publicEndpoint },
            opts,
        );
        return { endpointUrl: e.endpointUrl, auth: e.auth, identity: e.identity };
    });
}

describe("GCP serverless endpoint (Cloud Run)", () => {
    test("zero instances while idle, up to the peak's, CPU only during requests", async () => {
        const rs = await build({ peakQps: 500 });
        const run = one(rs, RUN);
        const template = run.inputs.template as Record<string, unknown>;
        expect(template).toMatchObject({
            scaling: { minInstanceCount: 0, maxInstanceCount: 32 },
            maxInstanceRequestConcurrency: 2,
            executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        });
        const container = (template.containers as Record<string, unknown>[])[0]!;
        expect(container).toMatchObject({
            image: DEFAULT_ENDPOINT_IMAGE,
            ports: { containerPort: 8080 },
            resources: { limits: { cpu: "1", memory: "2048Mi" }, cpuIdle: true },
        });
        // Cloud Run sets PORT itself and refuses a service that sets it.
        expect((container.envs as { name: string }[]).map((e) => e.name)).not.toContain("PORT");
        expect(isValidName("gcpResource", String(run.inputs.name))).toBe(true);
        expect(run.inputs.deletionProtection).toBe(false);
    });

    test("IAM authentication by default: invoker check on, nobody public", async () => {
        const rs = await build();
        const run = one(rs, RUN);
        expect(run.inputs.invokerIamDisabled).toBe(false);
        expect(rs.some((r) => JSON.stringify(r.inputs).includes("allUsers"))).toBe(false);
        expect(ofType(rs, "gcp:cloudrunv2/serviceIamMember:ServiceIamMember")).toEqual([]);
        expect(rs.outputs.auth).toBe("google-iam");
        expect(rs.outputs.endpointUrl).toMatch(/^https:\/\/mlops-levels-dev-inference-[a-z0-9]+-[a-z]+\.a\.run\.app$/);
    });

    test("publicEndpoint: true switches the invoker check off", async () => {
        const rs = await build({ publicEndpoint: true });
        expect(one(rs, RUN).inputs.invokerIamDisabled).toBe(true);
        expect(rs.outputs.auth).toBe("none");
    });

    test("its own service account reads the artifacts bucket, mounted read-only; the service agent pulls", async () => {
        const rs = await build();
        const sa = ofType(rs, "gcp:serviceaccount/account:Account").find((a) => a.name === "inference-sa")!;
        expect(isValidName("gcpServiceAccount", String(sa.inputs.accountId))).toBe(true);
        const run = one(rs, RUN);
        const template = run.inputs.template as Record<string, unknown>;
        expect(template.serviceAccount).toBe(sa.outputs.email);
        const artifacts = ofType(rs, "gcp:storage/bucket:Bucket").find((b) => b.name === "foundation-artifacts")!;
        expect(template.volumes).toEqual([
            { name: "artifacts", gcs: { bucket: artifacts.outputs.name, readOnly: true } },
        ]);
        const envs = Object.fromEntries(
            ((template.containers as Record<string, unknown>[])[0]!.envs as { name: string; value: string }[]).map(
                (e) => [e.name, e.value],
            ),
        );
        expect(envs.MODEL_DIR).toBe(`${ARTIFACTS_MOUNT}/models/inference`);
        expect(envs.MODEL_URI).toBe(`gs://${artifacts.outputs.name}/models/inference/model.tar.gz`);
        const bucketGrants = ofType(rs, "gcp:storage/bucketIAMMember:BucketIAMMember").filter(
            (g) => g.inputs.member === sa.outputs.member,
        );
        expect(bucketGrants.map((g) => [g.inputs.bucket, g.inputs.role])).toEqual([
            [artifacts.outputs.name, "roles/storage.objectViewer"],
        ]);
        const readers = ofType(rs, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
        expect(readers.map((r) => r.inputs.member)).toEqual([
            "serviceAccount:service-123456789012@serverless-robot-prod.iam.gserviceaccount.com",
        ]);
        expect(ofType(rs, "gcp:projects/service:Service").map((s) => s.inputs.service)).toContain("run.googleapis.com");
    });

    test("labels, parents, and no other level's types", async () => {
        const rs = await build();
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

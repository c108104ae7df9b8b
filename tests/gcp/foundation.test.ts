import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../assessment/config";
import { prerequisitesOf, providedBy } from "../../catalog";
import { gcpProject } from "../../components/blocks/gcp/project";
import {
    DENY_INGRESS_PRIORITY,
    imageMirrorPath,
    JOB_PROJECT_ROLES,
    MIRROR_CACHE_DAYS,
    NONCURRENT_VERSION_DAYS,
    SOFT_DELETE_SECONDS,
    sampleUpload,
} from "../../components/foundation/gcp";
import { FOUNDATION_TYPE } from "../../components/foundation/index";
import { SAMPLES_PREFIX, sampleArtifact } from "../../components/shared/artifacts";
import { InputError } from "../../components/shared/errors";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { configFor, descendants, ofType, one } from "../helpers/plan";
import { gcpResources, PROJECT_ID, runGcp } from "./harness";

const BUCKET = "gcp:storage/bucket:Bucket";
const BUCKET_IAM = "gcp:storage/bucketIAMMember:BucketIAMMember";
const PROJECT_IAM = "gcp:projects/iAMMember:IAMMember";
const SA = "gcp:serviceaccount/account:Account";
const MIRROR = "gcp:artifactregistry/repository:Repository";

describe("GCP foundation with a network", () => {
    let rs: Awaited<ReturnType<typeof runGcp>>;
    beforeAll(async () => {
        rs = await runGcp(() => undefined);
    });

    test("creates buckets, network, identity and nothing of a level", () => {
        const types = new Set(gcpResources(rs).map((r) => r.type));
        expect([...types].sort()).toEqual(
            [
                BUCKET,
                BUCKET_IAM,
                PROJECT_IAM,
                SA,
                MIRROR,
                "gcp:compute/firewall:Firewall",
                "gcp:compute/network:Network",
                "gcp:compute/subnetwork:Subnetwork",
                "gcp:projects/service:Service",
            ].sort(),
        );
        expect(ofType(rs, BUCKET)).toHaveLength(2);
        // No Cloud NAT or router: they cost money while idle.
        expect(rs.some((r) => /router|routerNat|kms/i.test(r.type))).toBe(false);
    });

    test("the Docker Hub mirror provides every image under its path", () => {
        const mirror = one(rs, MIRROR);
        expect(providedBy(mirror)).toEqual([
            {
                kind: "image",
                ref: `${imageMirrorPath(PROJECT_ID, "mlops-levels", "dev", "us-central1")}/`,
                mirrorOf: "docker.io/",
            },
        ]);
    });

    test("the Docker Hub mirror: a remote repository in the region, cache expiring, foundation labels", () => {
        const mirror = one(rs, MIRROR);
        expect(mirror.inputs).toMatchObject({
            project: PROJECT_ID,
            location: "us-central1",
            format: "DOCKER",
            mode: "REMOTE_REPOSITORY",
            remoteRepositoryConfig: { dockerRepository: { publicRepository: "DOCKER_HUB" } },
            cleanupPolicies: [{ action: "DELETE", condition: { olderThan: `${MIRROR_CACHE_DAYS * 86400}s` } }],
            cleanupPolicyDryRun: false,
        });
        expect(String(mirror.inputs.repositoryId)).toMatch(/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/);
        expect((mirror.inputs.labels as Record<string, string>)[TAG_KEYS.pipeline]).toBe("foundation");
        // The path jobs pull from names this repository.
        expect(imageMirrorPath(PROJECT_ID, "mlops-levels", "dev", "us-central1")).toBe(
            `us-central1-docker.pkg.dev/${PROJECT_ID}/${mirror.inputs.repositoryId}`,
        );
    });

    test("every resource is a child of the foundation component", () => {
        const f = one(rs, FOUNDATION_TYPE);
        for (const r of gcpResources(rs)) expect(r.parent).toBe(f.urn);
        expect(descendants(rs, f.urn)).toHaveLength(gcpResources(rs).length);
    });

    test("buckets: no public access, uniform access, versioning, lifecycle, soft delete, labels", () => {
        for (const b of ofType(rs, BUCKET)) {
            expect(b.inputs.publicAccessPrevention).toBe("enforced");
            expect(b.inputs.uniformBucketLevelAccess).toBe(true);
            expect(b.inputs.versioning).toEqual({ enabled: true });
            expect(b.inputs.location).toBe("US-CENTRAL1");
            expect(b.inputs.softDeletePolicy).toEqual({ retentionDurationSeconds: SOFT_DELETE_SECONDS });
            const rules = b.inputs.lifecycleRules as { action: { type: string }; condition: Record<string, unknown> }[];
            expect(rules).toContainEqual({
                action: { type: "Delete" },
                condition: { daysSinceNoncurrentTime: NONCURRENT_VERSION_DAYS, withState: "ARCHIVED" },
            });
            expect(b.inputs.forceDestroy).toBeUndefined();
            const labels = b.inputs.labels as Record<string, string>;
            expect(labels[TAG_KEYS.pipeline]).toBe("foundation");
            expect(labels[TAG_KEYS.level]).toBe("0");
            expect(labels[TAG_KEYS.environment]).toBe("dev");
            expect(labels[TAG_KEYS.managedBy]).toBe("mlops-levels");
            expect(isValidName("gcsBucket", String(b.inputs.name))).toBe(true);
            expect(String(b.inputs.name)).toMatch(/-x7k2q9$/);
        }
        expect(
            ofType(rs, BUCKET)
                .map((b) => b.name)
                .sort(),
        ).toEqual(["foundation-artifacts", "foundation-data"]);
    });

    test("the job identity gets object access on the stack's two buckets only, and three project roles", () => {
        const sa = one(rs, SA);
        expect(isValidName("gcpServiceAccount", String(sa.inputs.accountId))).toBe(true);
        const member = String(sa.outputs.member);
        expect(member).toBe(`serviceAccount:${sa.inputs.accountId}@${PROJECT_ID}.iam.gserviceaccount.com`);
        const bucketNames = ofType(rs, BUCKET).map((b) => b.inputs.name);
        const grants = ofType(rs, BUCKET_IAM);
        expect(grants).toHaveLength(2);
        for (const g of grants) {
            expect(g.inputs.role).toBe("roles/storage.objectAdmin");
            expect(g.inputs.member).toBe(member);
        }
        expect(grants.map((g) => g.inputs.bucket).sort()).toEqual([...bucketNames].sort());
        const roles = ofType(rs, PROJECT_IAM).map((g) => {
            expect(g.inputs.member).toBe(member);
            expect(g.inputs.project).toBe(PROJECT_ID);
            return g.inputs.role;
        });
        expect(roles.sort()).toEqual([...JOB_PROJECT_ROLES].sort());
        // Nothing broad: no project-level storage or owner/editor role.
        expect(roles.some((r) => /storage|owner|editor/.test(String(r)))).toBe(false);
    });

    test("network: custom mode, private Google access, flow logs, ingress denied, no SSH", () => {
        const net = one(rs, "gcp:compute/network:Network");
        expect(net.inputs.autoCreateSubnetworks).toBe(false);
        const subnet = one(rs, "gcp:compute/subnetwork:Subnetwork");
        expect(subnet.inputs.privateIpGoogleAccess).toBe(true);
        expect(subnet.inputs.region).toBe("us-central1");
        expect(subnet.inputs.logConfig).toMatchObject({ aggregationInterval: "INTERVAL_5_SEC" });
        expect(subnet.inputs.network).toBe(net.outputs.id);
        const fw = one(rs, "gcp:compute/firewall:Firewall");
        expect(fw.inputs).toMatchObject({
            direction: "INGRESS",
            priority: DENY_INGRESS_PRIORITY,
            sourceRanges: ["0.0.0.0/0"],
            denies: [{ protocol: "all" }],
        });
        expect(fw.inputs.allows ?? []).toEqual([]);
        for (const r of [net, subnet, fw]) expect(isValidName("gcpResource", String(r.inputs.name))).toBe(true);
    });

    test("APIs are enabled and never disabled on destroy; buckets wait for the storage API", () => {
        const services = ofType(rs, "gcp:projects/service:Service");
        expect(services.map((s) => s.inputs.service).sort()).toEqual(
            ["artifactregistry", "compute", "iam", "logging", "storage"].map((s) => `${s}.googleapis.com`),
        );
        for (const s of services) expect(s.inputs.disableOnDestroy).toBe(false);
        const storageApi = services.find((s) => s.inputs.service === "storage.googleapis.com")!;
        for (const b of ofType(rs, BUCKET)) expect(b.dependencies).toContain(storageApi.urn);
    });

    test("uses the explicit provider with the configured project", () => {
        const p = one(rs, "pulumi:providers:gcp");
        expect(p.inputs.project).toBe(PROJECT_ID);
        expect(p.inputs.region).toBe("us-central1");
        for (const r of gcpResources(rs)) expect(r.provider).toBe(p.urn);
    });
});

describe("GCP foundation uploading the sample artifacts its levels read", () => {
    const SAMPLES = ["jobs-package", "model", "sample-data"];
    let rs: Awaited<ReturnType<typeof runGcp>>;
    let uris: Record<string, unknown>;
    beforeAll(async () => {
        rs = await runGcp(
            (_ctx, f) => ({
                uris: Object.fromEntries(SAMPLES.map((n) => [n, f.sampleObject(n).uri])),
                missing: (() => {
                    try {
                        f.sampleObject("spark-data");
                        return "no error";
                    } catch (e) {
                        return (e as Error).message;
                    }
                })(),
            }),
            { needs: { samples: SAMPLES } },
        );
        uris = rs.outputs.uris as Record<string, unknown>;
    });

    test("one object per listed artifact, in the bucket the manifest names, under samples/, from the file", async () => {
        const objects = ofType(rs, "gcp:storage/bucketObject:BucketObject");
        expect(objects.map((o) => o.name).sort()).toEqual(SAMPLES.map((n) => `foundation-sample-${n}`));
        const bucketName = (purpose: string) =>
            one(
                ofType(rs, BUCKET).filter((b) => b.name === `foundation-${purpose}`),
                BUCKET,
            ).outputs.name;
        for (const name of SAMPLES) {
            const a = sampleArtifact(name);
            const o = objects.find((x) => x.name === `foundation-sample-${name}`)!;
            expect(o.inputs).toMatchObject({ bucket: bucketName(a.bucket), name: a.key, contentType: a.contentType });
            expect(String(o.inputs.name).startsWith(SAMPLES_PREFIX)).toBe(true);
            expect(o.inputs.source).toMatchObject({ __pulumiAsset: true });
            // The engine records assets without their path (a promise): the upload's args are checked pure.
            expect(await sampleUpload(a).source.path).toBe(a.path);
            expect(o.parent).toBe(one(rs, FOUNDATION_TYPE).urn);
            expect(o.protect).toBe(false);
            // What readers take: the upload's own outputs, `gs://bucket/key`, which the catalogue provides.
            expect(uris[name]).toBe(`gs://${bucketName(a.bucket)}/${a.key}`);
            expect(providedBy(o)).toEqual([{ kind: "object", ref: uris[name] }]);
            expect(prerequisitesOf(o)).toEqual([]);
        }
    });

    test("a sample nobody declared is a programming error, named", () => {
        expect(rs.outputs.missing).toMatch(/did not upload sample 'spark-data'.*samples\)/);
    });

    test("no upload without the need", async () => {
        const plain = await runGcp(() => undefined);
        expect(ofType(plain, "gcp:storage/bucketObject:BucketObject")).toEqual([]);
    });
});

describe("GCP foundation without a network", () => {
    test("has storage and identity but no compute resources or compute API", async () => {
        const rs = await runGcp(() => undefined, { network: false });
        expect(rs.some((r) => r.type.startsWith("gcp:compute/"))).toBe(false);
        // No compute, nothing to pull images: no mirror either.
        expect(ofType(rs, MIRROR)).toHaveLength(0);
        expect(ofType(rs, BUCKET)).toHaveLength(2);
        expect(ofType(rs, "gcp:projects/service:Service").map((s) => s.inputs.service)).not.toContain(
            "compute.googleapis.com",
        );
    });
});

describe("gcp:project", () => {
    test("the foundation refuses to run without it, naming the config key", async () => {
        pulumi.runtime.setAllConfig({});
        expect(() => gcpProject()).toThrow(InputError);
        try {
            gcpProject();
        } catch (e) {
            expect((e as InputError).problems).toEqual([
                { path: "config.gcp:project", message: expect.stringContaining("required") },
            ]);
        }
        pulumi.runtime.setAllConfig({ "gcp:project": "p-123" });
        expect(gcpProject()).toBe("p-123");
    });

    test("the stack config check rejects a gcp stack without it, and accepts one with it", () => {
        const { ["gcp:project"]: _, ...without } = configFor("gcp", { data: { volumeGb: 1 } });
        try {
            parseStackConfig(without, "Pulumi.dev.yaml", "dev");
            throw new Error("expected an InputError");
        } catch (e) {
            expect(e).toBeInstanceOf(InputError);
            expect((e as InputError).problems).toContainEqual({
                file: "Pulumi.dev.yaml",
                path: "config.gcp:project",
                message: "is required for cloud gcp (the GCP project id)",
            });
        }
        expect(parseStackConfig(configFor("gcp", { data: { volumeGb: 1 } }), "Pulumi.dev.yaml", "dev").cloud).toBe(
            "gcp",
        );
        // Other clouds do not need it.
        expect(parseStackConfig(configFor("aws", { data: { volumeGb: 1 } }), "Pulumi.dev.yaml", "dev").cloud).toBe(
            "aws",
        );
    });
});

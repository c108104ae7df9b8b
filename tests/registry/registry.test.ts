import { parseStackConfig } from "../../assessment/config";
import { AwsRegistry, ecrLifecyclePolicy } from "../../components/registry/aws";
import { ACR_PULL_ROLE, AzureRegistry, purgeTaskYaml } from "../../components/registry/azure";
import { cleanupPolicies, GcpRegistry } from "../../components/registry/gcp";
import { checkRegistryArgs, DEFAULT_UNTAGGED_RETENTION_DAYS, REGISTRY_TYPE } from "../../components/registry/index";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { registrySpec } from "../../stacks/blueprint";
import { runAws, untagged } from "../aws/harness";
import { expectTagged, runAzure } from "../azure/harness";
import { onlineSettings } from "../endpoint/mocks";
import { GCP_LABEL_KEY, GCP_LABEL_VALUE, PROJECT_ID, runGcp } from "../gcp/harness";
import { configFor, descendants, ofType, one, outsideFoundation } from "../helpers/plan";

const ECR = "aws:ecr/repository:Repository";
const ACR = "azure-native:containerregistry:Registry";
const GAR = "gcp:artifactregistry/repository:Repository";

describe("registry checks and spec (pure)", () => {
    test.each([
        [{ level: 4 }, []],
        [{ level: 5, untaggedRetentionDays: 30 }, []],
        [{ level: 4, untaggedRetentionDays: 0 }, ["untaggedRetentionDays"]],
        [{ level: 4, untaggedRetentionDays: 1.5 }, ["untaggedRetentionDays"]],
        [{ level: 4, untaggedRetentionDays: 366 }, ["untaggedRetentionDays"]],
        [{ level: 1 }, ["level"]],
    ])("%j -> problems at %j", (args, paths) => {
        expect(checkRegistryArgs(args).map((p) => p.path)).toEqual(paths);
    });

    test("a registry at inference levels 4 and 5 only", () => {
        expect(registrySpec(onlineSettings("aws", 40))).toEqual({
            region: "us-east-1",
            pipelines: ["inference"],
            level: 4,
        });
        expect(registrySpec(onlineSettings("gcp", 5000))?.level).toBe(5);
        const batch = configFor("azure", { inference: { mode: "batch", volumeGb: 10 } });
        const raw = Object.fromEntries(
            Object.entries(batch).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );
        expect(registrySpec(parseStackConfig(raw, "Pulumi.dev.yaml", "dev"))).toBeUndefined();
        const noInference = configFor("aws", { data: { volumeGb: 1 } });
        const raw2 = Object.fromEntries(
            Object.entries(noInference).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        );
        expect(registrySpec(parseStackConfig(raw2, "Pulumi.dev.yaml", "dev"))).toBeUndefined();
    });

    test("cleanup rules delete untagged images only, after the retention", () => {
        const ecr = JSON.parse(ecrLifecyclePolicy(7));
        expect(ecr.rules).toEqual([
            expect.objectContaining({
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                action: { type: "expire" },
            }),
        ]);
        expect(cleanupPolicies(7)).toEqual([
            { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: "604800s" } },
        ]);
        const yaml = purgeTaskYaml(7);
        expect(yaml).toContain("acr purge --registry {{.Run.Registry}} --untagged-only --ago 7d");
        // Never a tag filter: tags (deployed images) are not touched.
        expect(yaml).not.toContain("--filter");
    });
});

describe("AWS registry (ECR)", () => {
    const build = (stack = "dev") =>
        runAws(
            (ctx, foundation, opts) => {
                const r = new AwsRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 4 }, opts);
                return { registryUrl: r.registryUrl, repositoryUrl: r.repositoryUrl, registryId: r.registryId };
            },
            { stack },
        );

    test("immutable tags, scan on push, foundation KMS key, untagged expiry, account-bound policy", async () => {
        const rs = await build();
        const repo = one(rs, ECR);
        const key = one(rs, "aws:kms/key:Key");
        expect(repo.inputs).toMatchObject({
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.outputs.arn }],
            forceDelete: false,
        });
        expect(isValidName("ecrRepository", String(repo.inputs.name))).toBe(true);
        const lifecycle = JSON.parse(String(one(rs, "aws:ecr/lifecyclePolicy:LifecyclePolicy").inputs.policy));
        expect(lifecycle.rules[0].selection.tagStatus).toBe("untagged");
        expect(lifecycle.rules[0].selection.countNumber).toBe(DEFAULT_UNTAGGED_RETENTION_DAYS);
        const policy = JSON.parse(String(one(rs, "aws:ecr/repositoryPolicy:RepositoryPolicy").inputs.policy));
        expect(policy.Statement).toEqual([
            expect.objectContaining({
                Effect: "Deny",
                Condition: {
                    StringNotEquals: { "aws:PrincipalAccount": "123456789012" },
                    Null: { "aws:PrincipalAccount": "false" },
                },
            }),
        ]);
        // ECR refuses a repository policy whose statements name a Resource (the repository is implied).
        expect(policy.Statement.filter((s: object) => "Resource" in s)).toEqual([]);
        // No statement allows anyone anything.
        expect(policy.Statement.filter((s: { Effect: string }) => s.Effect === "Allow")).toEqual([]);
        // The lifecycle and repository policies are sub-resources that take no tags.
        const ECR_UNTAGGABLE = /^aws:ecr\/(lifecyclePolicy|repositoryPolicy):/;
        expect(untagged(rs).filter((u) => !ECR_UNTAGGABLE.test(u))).toEqual([]);
        expect(repo.inputs.tags).toMatchObject({ [TAG_KEYS.pipeline]: "inference", [TAG_KEYS.level]: "4" });
    });

    test("outputs: the registry host and the repository URL", async () => {
        const rs = await build();
        expect(rs.outputs.repositoryUrl).toMatch(
            /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/mlops-levels-dev-models$/,
        );
        expect(rs.outputs.registryUrl).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com");
        expect(rs.outputs.registryId).toMatch(/^arn:aws:ecr:us-east-1:123456789012:repository\//);
    });

    test("retained, not protected, in prod under the fixed logical name", async () => {
        const rs = await build("prod");
        const repo = one(rs, ECR);
        expect(repo.protect).toBe(false);
        expect(repo.retainOnDelete).toBe(true);
        expect(repo.name).toBe("registry-repo");
        const component = one(rs, REGISTRY_TYPE);
        expect(repo.parent).toBe(component.urn);
        expect(descendants(rs, component.urn).every((r) => r.parent !== undefined)).toBe(true);
    });
});

describe("Azure registry (ACR)", () => {
    const build = (protect = false) =>
        runAzure(
            (ctx, foundation, opts) => {
                const r = new AzureRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 4 }, opts);
                return { registryUrl: r.registryUrl, repositoryUrl: r.repositoryUrl };
            },
            { protect },
        );

    test("Basic SKU, no admin user, no anonymous pull, logs on, daily purge of untagged manifests", async () => {
        const rs = await build();
        const acr = one(rs, ACR);
        expect(acr.inputs).toMatchObject({
            sku: { name: "Basic" },
            adminUserEnabled: false,
            anonymousPullEnabled: false,
        });
        expect(isValidName("azureContainerRegistry", String(acr.inputs.registryName))).toBe(true);
        const diagnostics = ofType(rs, "azure-native:monitor:DiagnosticSetting").filter(
            (d) => d.inputs.resourceUri === acr.outputs.id,
        );
        expect(diagnostics).toHaveLength(1);
        const task = one(rs, "azure-native:containerregistry:Task");
        expect(task.inputs.trigger).toMatchObject({ timerTriggers: [{ schedule: "0 4 * * *", status: "Enabled" }] });
        const step = task.inputs.step as { encodedTaskContent: string };
        expect(Buffer.from(step.encodedTaskContent, "base64").toString()).toContain("--untagged-only --ago 7d");
        expectTagged(
            rs.filter((r) => r.type.startsWith("azure-native:containerregistry")),
            "inference",
            4,
        );
        expect(rs.outputs.registryUrl).toBe(`${acr.inputs.registryName}.azurecr.io`);
        expect(rs.outputs.repositoryUrl).toBe(`${acr.inputs.registryName}.azurecr.io/models`);
    });

    test("retained, not protected, in prod, with a delete lock", async () => {
        const rs = await build(true);
        expect(one(rs, ACR).protect).toBe(false);
        expect(one(rs, ACR).retainOnDelete).toBe(true);
        const locks = ofType(rs, "azure-native:authorization:ManagementLockByScope").filter(
            (l) => l.inputs.scope === one(rs, ACR).outputs.id,
        );
        expect(locks).toHaveLength(1);
    });

    test("grantPull gives AcrPull on the registry only", async () => {
        const rs = await runAzure((ctx, foundation, opts) => {
            const r = new AzureRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 4 }, opts);
            r.grantPull("consumer-pull", "00000000-1111-2222-3333-444444444444", r);
            return {};
        });
        const grant = rs.find((r) => r.name === "consumer-pull")!;
        expect(grant.inputs.scope).toBe(one(rs, ACR).outputs.id);
        expect(String(grant.inputs.roleDefinitionId)).toMatch(new RegExp(`/roleDefinitions/${ACR_PULL_ROLE}$`));
        expect(grant.inputs.principalType).toBe("ServicePrincipal");
    });
});

describe("GCP registry (Artifact Registry)", () => {
    const build = () =>
        runGcp((ctx, foundation, opts) => {
            const r = new GcpRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 5 }, opts);
            r.grantPull("consumer-pull", "serviceAccount:x@y.iam.gserviceaccount.com", r);
            return { registryUrl: r.registryUrl, repositoryUrl: r.repositoryUrl };
        });

    test("Docker format, immutable tags, untagged cleanup (not a dry run), labels", async () => {
        const rs = await build();
        const repo = one(outsideFoundation(rs), GAR);
        expect(repo.inputs).toMatchObject({
            format: "DOCKER",
            location: "us-central1",
            dockerConfig: { immutableTags: true },
            cleanupPolicyDryRun: false,
            cleanupPolicies: [{ action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: "604800s" } }],
        });
        expect(isValidName("gcpResource", String(repo.inputs.repositoryId))).toBe(true);
        const labels = repo.inputs.labels as Record<string, string>;
        expect(labels).toMatchObject({ [TAG_KEYS.pipeline]: "inference", [TAG_KEYS.level]: "5" });
        for (const [k, v] of Object.entries(labels)) {
            expect(k).toMatch(GCP_LABEL_KEY);
            expect(v).toMatch(GCP_LABEL_VALUE);
        }
        expect(rs.outputs.repositoryUrl).toBe(`us-central1-docker.pkg.dev/${PROJECT_ID}/${repo.inputs.repositoryId}`);
        expect(rs.outputs.registryUrl).toBe("us-central1-docker.pkg.dev");
    });

    test("readers are named members on the repository; nothing public", async () => {
        const rs = await build();
        const members = ofType(rs, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember");
        expect(members.map((m) => [m.inputs.role, m.inputs.member])).toEqual([
            ["roles/artifactregistry.reader", "serviceAccount:x@y.iam.gserviceaccount.com"],
        ]);
        expect(rs.some((r) => JSON.stringify(r.inputs).includes("allUsers"))).toBe(false);
    });
});

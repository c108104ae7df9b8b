import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { listManagedClusterUserCredentials } from "../../catalog/mock/azure";
import {
    AKS_SERVER_ID,
    AzureKubernetes,
    azureKubernetesKit,
    defaultDeployerPrincipalType,
    nonInteractiveKubeconfig,
    RBAC_PROPAGATION,
    ROLES,
} from "../../components/kubernetes/azure";
import { KUBERNETES_TYPE, type KubernetesArgs } from "../../components/kubernetes/index";
import { AzureRegistry } from "../../components/registry/azure";
import { TAG_KEYS } from "../../components/shared/tags";
import { REGION, runAzure } from "../azure/harness";
import { descendants } from "../helpers/plan";
import {
    CLUSTER_TYPES,
    type JsonResource,
    K8S_TYPES,
    ofType,
    one,
    SERVING,
    schemaErrors,
    TRAINING_CPU,
    TRAINING_GPU,
    unmetPrerequisites,
} from "./harness";

function runCluster(
    a: Pick<KubernetesArgs, "serving" | "training" | "apiAuthorizedCidrs" | "deployerPrincipalType">,
    stack = "dev",
) {
    return runAzure(
        (ctx, foundation, opts) => {
            const registry = a.serving
                ? new AzureRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 5 }, opts)
                : undefined;
            const k = new AzureKubernetes("kubernetes", { ctx, foundation, registry, ...a }, opts);
            return {
                ...(k.servingUrl ? { servingUrl: k.servingUrl } : {}),
                endpoint: k.endpoint,
                // Unsecreted here only, to read what the provider is given.
                kubeconfig: pulumi.unsecret(k.kubeconfig),
                runCommands: k.runCommands,
            };
        },
        // What the cluster asks of the foundation (its subnet), as the stack program passes it.
        { stack, needs: azureKubernetesKit.needs({ region: REGION, ...a }) },
    );
}

const pools = (rs: Awaited<ReturnType<typeof runCluster>>) =>
    Object.fromEntries(
        ofType(rs, "azure-native:containerservice:AgentPool").map((r) => [r.inputs.agentPoolName, r.inputs]),
    );

describe("AKS shared by inference 5 and training 2", () => {
    let rs: Awaited<ReturnType<typeof runCluster>>;
    beforeAll(async () => {
        rs = await runCluster({ serving: SERVING, training: TRAINING_CPU });
    }, 120000);

    it("one Free-tier private cluster with Entra ID RBAC, workload identity and no local accounts", () => {
        const c = one(rs, "azure-native:containerservice:ManagedCluster").inputs;
        expect(c.kubernetesVersion).toBe("1.35");
        expect(c.sku).toEqual({ name: "Base", tier: "Free" });
        expect(c.apiServerAccessProfile).toMatchObject({ enablePrivateCluster: true });
        expect(c.aadProfile).toEqual({ managed: true, enableAzureRBAC: true });
        expect(c.disableLocalAccounts).toBe(true);
        expect(c.oidcIssuerProfile).toEqual({ enabled: true });
        expect(c.securityProfile.workloadIdentity).toEqual({ enabled: true });
        expect(c.agentPoolProfiles).toEqual([
            expect.objectContaining({
                name: "system",
                mode: "System",
                minCount: 1,
                maxCount: 3,
                enableAutoScaling: true,
            }),
        ]);
        const subnet = ofType(rs, "azure-native:network:Subnet").find((s) => s.inputs.subnetName === "kubernetes")!;
        expect(subnet.inputs.addressPrefix).toBe("10.0.16.0/20");
        expect(c.agentPoolProfiles[0].vnetSubnetID).toBe(subnet.outputs.id);
        // The storage account lets the new subnet in.
        const rules = one(rs, "azure-native:storage:StorageAccount").inputs.networkRuleSet.virtualNetworkRules;
        expect(rules.map((r: { virtualNetworkResourceId: string }) => r.virtualNetworkResourceId)).toContain(
            subnet.outputs.id,
        );
        const logs = ofType(rs, "azure-native:monitor:DiagnosticSetting").find((d) => d.name === "kubernetes-logs")!;
        expect(logs.inputs.logs.map((l: { category: string }) => l.category)).toContain("kube-audit-admin");
    });

    it("separate serving and training pools; training scales to zero", () => {
        const p = pools(rs);
        expect(p.serving).toMatchObject({
            vmSize: "Standard_D4s_v5",
            minCount: 1,
            maxCount: 29,
            mode: "User",
            nodeTaints: ["mlops-levels/pool=serving:NoSchedule"],
        });
        expect(p.training).toMatchObject({
            vmSize: "Standard_E8s_v5",
            minCount: 0,
            maxCount: 7,
            count: 0,
            enableAutoScaling: true,
        });
    });

    it("federates each service account to its own identity with blob rights only", () => {
        const creds = ofType(rs, "azure-native:managedidentity:FederatedIdentityCredential")
            .map((r) => r.inputs.subject)
            .sort();
        expect(creds).toEqual([
            "system:serviceaccount:mlops-serving:model",
            "system:serviceaccount:mlops-training:ray",
        ]);
        const assignments = ofType(rs, "azure-native:authorization:RoleAssignment");
        const reader = assignments.find((r) => r.name === "kubernetes-serving-blob")!;
        expect(reader.inputs.roleDefinitionId).toContain(ROLES.storageBlobDataReader);
        expect(reader.inputs.scope).toMatch(/\/containers\/artifacts$/);
        const dep = one(rs, K8S_TYPES.deployment).inputs.spec.template;
        expect(dep.metadata.labels["azure.workload.identity/use"]).toBe("true");
        expect(one(rs, K8S_TYPES.service).inputs.metadata.annotations).toEqual({
            "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
        });
        expect(rs.outputs.servingUrl).toBe("http://10.0.16.200");
        expect(one(rs, K8S_TYPES.hpa).inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 86 });
    });

    it("valid Kubernetes objects, labelled, under the component; the provider has the AKS kubeconfig", () => {
        expect(schemaErrors(rs)).toEqual([]);
        const mine = descendants(rs, one(rs, KUBERNETES_TYPE).urn);
        // Each pool belongs to its pipeline; the cluster and the rest to both.
        for (const r of mine.filter(
            (x) => x.custom && x.type.startsWith("azure-native:") && x.inputs.tags !== undefined,
        ) as JsonResource[])
            expect(r.inputs.tags[TAG_KEYS.pipeline]).toBe(
                r.name.endsWith("-serving")
                    ? "inference"
                    : r.name.endsWith("-training")
                      ? "training"
                      : "training-inference",
            );
        expect(one(rs, "pulumi:providers:kubernetes").inputs.kubeconfig).toBe("[secret]");
        expect(one(rs, K8S_TYPES.rayCluster).inputs.spec.workerGroupSpecs[0].maxReplicas).toBe(7);
    });

    it("hands the provider a kubeconfig that signs in without a person: kubelogin's azurecli login", () => {
        const kubeconfig = parseYaml(String(rs.outputs.kubeconfig));
        expect(kubeconfig.users).toHaveLength(1);
        expect(kubeconfig.users[0].user.exec).toMatchObject({
            command: "kubelogin",
            apiVersion: "client.authentication.k8s.io/v1beta1",
            args: ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_ID],
        });
        expect(String(rs.outputs.kubeconfig)).not.toContain("devicecode");
        expect(kubeconfig.clusters[0].cluster.server).toMatch(/\.privatelink\.eastus\.azmk8s\.io:443$/);
    });

    it("decides the deployer's principal type and waits 5 minutes for RBAC before the first Kubernetes call", () => {
        const admin = rs.find((r) => r.name === "kubernetes-deployer-admin")!;
        // No ARM_* sign-in variables in the test environment: a person signed in with az login.
        expect(admin.inputs.principalType).toBe("User");
        const sleep = rs.find((r) => r.name === "kubernetes-rbac-propagation")!;
        expect(sleep.type).toBe("time:index/sleep:Sleep");
        expect(sleep.inputs).toMatchObject({ createDuration: "5m", triggers: { roleAssignment: admin.outputs.id } });
        expect(RBAC_PROPAGATION).toBe("5m");
        expect(sleep.dependencies).toContain(admin.urn);
        expect(one(rs, "pulumi:providers:kubernetes").dependencies).toContain(sleep.urn);
    });

    it("uploads the sample model as a blob; the server reads its URL with the pod's workload identity", () => {
        const blob = ofType(rs, "azure:storage/blob:Blob").find(
            (r) => r.inputs.name === "samples/models/sklearn/model.joblib",
        )!;
        expect(blob.inputs.type).toBe("Block");
        const account = one(rs, "azure-native:storage:StorageAccount").outputs.name;
        const artifacts = rs.find((r) => r.name === "foundation-artifacts")!;
        expect(blob.inputs.storageContainerId).toBe(artifacts.outputs.id);
        expect(String(artifacts.outputs.id)).toContain(
            `/storageAccounts/${account}/blobServices/default/containers/artifacts`,
        );
        const dep = one(rs, K8S_TYPES.deployment);
        const pod = dep.inputs.spec.template.spec;
        expect(pod.containers[0].image).toBe("kserve/sklearnserver:v0.20.0");
        expect(pod.containers[0].args).toContain(
            `--model_dir=https://${account}.blob.core.windows.net/artifacts/samples/models/sklearn/model.joblib`,
        );
        const env = Object.fromEntries(
            pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]),
        );
        const identity = rs.find((r) => r.name === "kubernetes-serving-identity")!;
        expect(env.AZURE_CLIENT_ID).toBe(identity.outputs.clientId);
        expect(dep.inputs.spec.template.metadata.labels["azure.workload.identity/use"]).toBe("true");
        expect(dep.dependencies).toContain(blob.urn);
        expect(unmetPrerequisites(rs, dep)).toEqual([]);
        expect((rs.outputs.runCommands as Record<string, string>).inference).toMatch(
            /^curl -sS -X POST http:\/\/10\.0\.16\.200\/v1\/models\/churn:predict /,
        );
    });

    it("the Ray run reads uploads it waits for and writes under a prefix, with the Ray identity's blob role", () => {
        const cron = one(rs, K8S_TYPES.cronJob);
        const env = Object.fromEntries(
            cron.inputs.spec.jobTemplate.spec.template.spec.containers[0].env.map(
                (e: { name: string; value: string }) => [e.name, e.value],
            ),
        );
        const account = one(rs, "azure-native:storage:StorageAccount").outputs.name;
        expect(env.MLOPS_JOBS_PACKAGE).toBe(`https://${account}.blob.core.windows.net/artifacts/samples/jobs/jobs.zip`);
        expect(env.MLOPS_SAMPLE_DATA).toBe(`https://${account}.blob.core.windows.net/data/samples/data/customers.csv`);
        expect(env.MLOPS_MODEL_OUTPUT).toBe(
            `https://${account}.blob.core.windows.net/artifacts/samples/models/trained/`,
        );
        expect(unmetPrerequisites(rs, cron)).toEqual([]);
        const grant = rs.find((r) => r.name === "kubernetes-ray-blob")!;
        expect(grant.inputs.roleDefinitionId).toContain(ROLES.storageBlobDataContributor);
    });
});

describe("AKS for one pipeline", () => {
    it("prod: Standard tier; training only on T4 GPUs; allow-listed API server", async () => {
        const rs = await runCluster({ training: TRAINING_GPU, apiAuthorizedCidrs: ["203.0.113.0/24"] }, "prod");
        const c = one(rs, "azure-native:containerservice:ManagedCluster").inputs;
        expect(c.sku.tier).toBe("Standard");
        expect(c.apiServerAccessProfile).toEqual({ authorizedIPRanges: ["203.0.113.0/24"] });
        expect(Object.keys(pools(rs))).toEqual(["training"]);
        expect(pools(rs).training).toMatchObject({ vmSize: "Standard_NC8as_T4_v3", minCount: 0 });
        expect(ofType(rs, K8S_TYPES.deployment)).toEqual([]);
        expect(schemaErrors(rs)).toEqual([]);
    }, 120000);

    it("no cluster appears below these levels", async () => {
        const rs = await runAzure(() => ({}));
        expect(rs.filter((r) => CLUSTER_TYPES.includes(r.type) || r.type.startsWith("kubernetes:"))).toEqual([]);
        expect(ofType(rs, "azure-native:network:Subnet").map((s) => s.inputs.subnetName)).not.toContain("kubernetes");
    });
});

describe("AKS deployer principal type", () => {
    it("follows the provider's sign-in variables unless the stack says", () => {
        expect(defaultDeployerPrincipalType({})).toBe("User");
        expect(defaultDeployerPrincipalType({ ARM_CLIENT_ID: "0000" })).toBe("ServicePrincipal");
        expect(defaultDeployerPrincipalType({ ARM_USE_OIDC: "true" })).toBe("ServicePrincipal");
        expect(defaultDeployerPrincipalType({ ARM_USE_MSI: "TRUE" })).toBe("ServicePrincipal");
        expect(defaultDeployerPrincipalType({ ARM_USE_OIDC: "false", ARM_CLIENT_ID: " " })).toBe("User");
    });

    it("an explicit ServicePrincipal reaches the role assignment", async () => {
        const rs = await runCluster({ training: TRAINING_CPU, deployerPrincipalType: "ServicePrincipal" });
        expect(rs.find((r) => r.name === "kubernetes-deployer-admin")!.inputs.principalType).toBe("ServicePrincipal");
    }, 120000);

    it("rewrites the credentials API's devicecode kubeconfig and leaves other users alone", () => {
        const raw = listManagedClusterUserCredentials(
            { token: "", provider: "", inputs: { resourceName: "c", format: "exec" } } as never,
            "eastus",
        ) as { kubeconfigs: { value: string }[] };
        const before = Buffer.from(raw.kubeconfigs[0]!.value, "base64").toString("utf8");
        expect(before).toContain("devicecode");
        const after = parseYaml(nonInteractiveKubeconfig(before));
        expect(after.users[0].user.exec.args).toEqual([
            "get-token",
            "--login",
            "azurecli",
            "--server-id",
            AKS_SERVER_ID,
        ]);
        const token = JSON.stringify({ users: [{ name: "u", user: { token: "t" } }] });
        expect(parseYaml(nonInteractiveKubeconfig(token)).users[0].user).toEqual({ token: "t" });
        expect(parseYaml(nonInteractiveKubeconfig(before, "workloadidentity")).users[0].user.exec.args[2]).toBe(
            "workloadidentity",
        );
    });
});

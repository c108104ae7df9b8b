import { GcpKubernetes, gcpKubernetesKit } from "../../components/kubernetes/gcp";
import { KUBERNETES_TYPE, type KubernetesArgs } from "../../components/kubernetes/index";
import { GcpRegistry } from "../../components/registry/gcp";
import { TAG_KEYS } from "../../components/shared/tags";
import { GCP_LABEL_VALUE, PROJECT_ID, REGION, runGcp } from "../gcp/harness";
import { descendants } from "../helpers/plan";
import { CLUSTER_TYPES, K8S_TYPES, ofType, one, SERVING, schemaErrors, TRAINING_CPU, TRAINING_GPU } from "./harness";

function runCluster(a: Pick<KubernetesArgs, "serving" | "training" | "apiAuthorizedCidrs">) {
    return runGcp(
        (ctx, foundation, opts) => {
            const registry = a.serving
                ? new GcpRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 5 }, opts)
                : undefined;
            const k = new GcpKubernetes("kubernetes", { ctx, foundation, registry, ...a }, opts);
            return { ...(k.servingUrl ? { servingUrl: k.servingUrl } : {}), endpoint: k.endpoint };
            // What the cluster asks of the foundation (Cloud NAT), as the stack program passes it.
        },
        { needs: gcpKubernetesKit.needs({ region: REGION, ...a }) },
    );
}

const pools = (rs: Awaited<ReturnType<typeof runCluster>>) =>
    Object.fromEntries(ofType(rs, "gcp:container/nodePool:NodePool").map((r) => [r.inputs.name, r.inputs]));

describe("GKE shared by inference 5 and training 2", () => {
    let rs: Awaited<ReturnType<typeof runCluster>>;
    beforeAll(async () => {
        rs = await runCluster({ serving: SERVING, training: TRAINING_CPU });
    }, 120000);

    it("one zonal (free-tier) private cluster with Workload Identity, shielded nodes and REGULAR channel", () => {
        const c = one(rs, "gcp:container/cluster:Cluster").inputs;
        expect(c.location).toBe("us-central1-b");
        expect(c.privateClusterConfig).toEqual({ enablePrivateNodes: true, enablePrivateEndpoint: true });
        expect(c.masterAuthorizedNetworksConfig).toEqual({ cidrBlocks: [], gcpPublicCidrsAccessEnabled: false });
        expect(c.workloadIdentityConfig).toEqual({ workloadPool: `${PROJECT_ID}.svc.id.goog` });
        expect(c.releaseChannel).toEqual({ channel: "REGULAR" });
        expect(c.enableShieldedNodes).toBe(true);
        expect(c.removeDefaultNodePool).toBe(true);
        expect(c.loggingConfig.enableComponents).toContain("APISERVER");
        for (const v of Object.values(c.resourceLabels as Record<string, string>)) expect(v).toMatch(GCP_LABEL_VALUE);
        expect(c.resourceLabels[TAG_KEYS.pipeline]).toBe("training-inference");
    });

    it("separate pools with autoscaling bounds; training scales to zero", () => {
        const p = pools(rs);
        expect(Object.keys(p).sort()).toEqual(["serving", "system", "training"]);
        expect(p.serving.autoscaling).toMatchObject({ totalMinNodeCount: 1, totalMaxNodeCount: 29 });
        expect(p.training.autoscaling).toMatchObject({ totalMinNodeCount: 0, totalMaxNodeCount: 7 });
        expect(p.training.nodeConfig).toMatchObject({
            machineType: "n2-highmem-8",
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
            taints: [{ key: "mlops-levels/pool", value: "training", effect: "NO_SCHEDULE" }],
        });
    });

    it("binds each Kubernetes service account to its own Google service account with bucket rights only", () => {
        const wi = ofType(rs, "gcp:serviceaccount/iAMMember:IAMMember")
            .map((r) => r.inputs.member)
            .sort();
        expect(wi).toEqual([
            `serviceAccount:${PROJECT_ID}.svc.id.goog[mlops-serving/model]`,
            `serviceAccount:${PROJECT_ID}.svc.id.goog[mlops-training/ray]`,
        ]);
        const serving = ofType(rs, "gcp:storage/bucketIAMMember:BucketIAMMember").filter((r) =>
            r.name.startsWith("kubernetes-serving"),
        );
        expect(serving.map((r) => [r.inputs.bucket, r.inputs.role])).toEqual([
            ["mlops-levels-dev-artifacts-x7k2q9", "roles/storage.objectViewer"],
        ]);
        expect(one(rs, K8S_TYPES.service).inputs.metadata.annotations).toEqual({
            "networking.gke.io/load-balancer-type": "Internal",
        });
        expect(one(rs, K8S_TYPES.hpa).inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 86 });
    });

    it("valid Kubernetes objects under the component, through the kubeconfig provider", () => {
        expect(schemaErrors(rs)).toEqual([]);
        const mine = descendants(rs, one(rs, KUBERNETES_TYPE).urn);
        expect(
            mine
                .filter((r) => r.type.startsWith("kubernetes:"))
                .every((r) => String(r.provider).includes("kubernetes-k8s") || !r.custom),
        ).toBe(true);
        expect(rs.outputs.endpoint).toBe("https://172.16.0.2");
    });
});

describe("GKE for one pipeline", () => {
    it("training only on L4 GPUs with the driver installed", async () => {
        const rs = await runCluster({ training: TRAINING_GPU });
        expect(Object.keys(pools(rs)).sort()).toEqual(["system", "training"]);
        expect(pools(rs).training.nodeConfig.guestAccelerators).toEqual([
            { type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } },
        ]);
        expect(ofType(rs, K8S_TYPES.deployment)).toEqual([]);
        expect(schemaErrors(rs)).toEqual([]);
    }, 120000);

    it("allow-listed control plane keeps private nodes", async () => {
        const rs = await runCluster({ serving: SERVING, apiAuthorizedCidrs: ["203.0.113.0/24"] });
        const c = one(rs, "gcp:container/cluster:Cluster").inputs;
        expect(c.privateClusterConfig).toEqual({ enablePrivateNodes: true, enablePrivateEndpoint: false });
        expect(c.masterAuthorizedNetworksConfig.cidrBlocks).toEqual([
            { cidrBlock: "203.0.113.0/24", displayName: "authorized-1" },
        ]);
    }, 120000);

    it("no cluster appears below these levels", async () => {
        const rs = await runGcp(() => ({}));
        expect(rs.filter((r) => CLUSTER_TYPES.includes(r.type) || r.type.startsWith("kubernetes:"))).toEqual([]);
    });
});

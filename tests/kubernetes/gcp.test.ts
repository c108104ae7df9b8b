import { GcpKubernetes, gcpKubernetesKit } from "../../components/kubernetes/gcp";
import { KUBERNETES_TYPE, type KubernetesArgs } from "../../components/kubernetes/index";
import { RAY_LOG_VOLUME } from "../../components/kubernetes/ray";
import { RAY_RUN_PIP, RAY_TRAIN_DRIVER } from "../../components/kubernetes/ray-run";
import { GcpRegistry } from "../../components/registry/gcp";
import { TAG_KEYS } from "../../components/shared/tags";
import { GCP_LABEL_VALUE, PROJECT_ID, REGION, runGcp } from "../gcp/harness";
import { descendants } from "../helpers/plan";
import {
    CLUSTER_TYPES,
    K8S_TYPES,
    ofType,
    one,
    SERVING,
    schemaErrors,
    TRAINING_CPU,
    TRAINING_GPU,
    unmetPrerequisites,
} from "./harness";

function runCluster(a: Pick<KubernetesArgs, "serving" | "training" | "apiAuthorizedCidrs" | "apiRunnerCidrs">) {
    return runGcp(
        (ctx, foundation, opts) => {
            const registry = a.serving
                ? new GcpRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 5 }, opts)
                : undefined;
            const k = new GcpKubernetes("kubernetes", { ctx, foundation, registry, ...a }, opts);
            return {
                ...(k.servingUrl ? { servingUrl: k.servingUrl } : {}),
                endpoint: k.endpoint,
                runCommands: k.runCommands,
            };
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

    it("serves the uploaded sample model from gs:// with the pod's Google service account; nothing unmet", () => {
        const model = ofType(rs, "gcp:storage/bucketObject:BucketObject").find(
            (r) => r.inputs.name === "samples/models/sklearn/model.joblib",
        )!;
        expect(model.inputs.bucket).toBe("mlops-levels-dev-artifacts-x7k2q9");
        const dep = one(rs, K8S_TYPES.deployment);
        expect(dep.inputs.spec.template.spec.containers[0]).toMatchObject({
            image: "kserve/sklearnserver:v0.20.0",
            args: [
                "--model_name=churn",
                "--model_dir=gs://mlops-levels-dev-artifacts-x7k2q9/samples/models/sklearn/model.joblib",
                "--http_port=8080",
            ],
        });
        expect(dep.dependencies).toContain(model.urn);
        expect(unmetPrerequisites(rs, dep)).toEqual([]);
        const sa = ofType(rs, K8S_TYPES.serviceAccount).find((r) => r.inputs.metadata.name === "model")!;
        expect(sa.inputs.metadata.annotations["iam.gke.io/gcp-service-account"]).toMatch(
            /@.*iam\.gserviceaccount\.com$/,
        );
    });

    it("Ray: one log volume the autoscaler shares, and a suspended run template that submits the reference training", () => {
        const ray = one(rs, K8S_TYPES.rayCluster).inputs.spec;
        const head = ray.headGroupSpec.template.spec;
        expect(head.volumes).toEqual([{ name: "ray-logs", emptyDir: {} }]);
        expect(head.containers[0].volumeMounts).toEqual([{ name: "ray-logs", mountPath: "/tmp/ray" }]);
        expect(RAY_LOG_VOLUME).toBe("ray-logs");
        const cron = one(rs, K8S_TYPES.cronJob);
        expect(cron.inputs.metadata).toMatchObject({ name: "train", namespace: "mlops-training" });
        expect(cron.inputs.spec).toMatchObject({ suspend: true, concurrencyPolicy: "Forbid" });
        const pod = cron.inputs.spec.jobTemplate.spec.template.spec;
        const c = pod.containers[0];
        expect(c.image).toBe("rayproject/ray:2.52.0");
        expect(c.command).toEqual(["ray"]);
        expect(c.args.slice(0, 9)).toEqual([
            "job",
            "submit",
            "--address",
            "http://training-head-svc.mlops-training.svc.cluster.local:8265",
            "--working-dir",
            "/driver",
            "--entrypoint-num-cpus",
            "1",
            "--runtime-env-json",
        ]);
        expect(JSON.parse(c.args[9])).toEqual({
            pip: [...RAY_RUN_PIP],
            env_vars: {
                MLOPS_JOBS_PACKAGE: "$(MLOPS_JOBS_PACKAGE)",
                MLOPS_SAMPLE_DATA: "$(MLOPS_SAMPLE_DATA)",
                MLOPS_MODEL_OUTPUT: "$(MLOPS_MODEL_OUTPUT)",
            },
        });
        expect(c.args.slice(10)).toEqual(["--", "python", "train_driver.py"]);
        const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
        expect(env).toMatchObject({
            MLOPS_JOBS_PACKAGE: "gs://mlops-levels-dev-artifacts-x7k2q9/samples/jobs/jobs.zip",
            MLOPS_SAMPLE_DATA: "gs://mlops-levels-dev-data-x7k2q9/samples/data/customers.csv",
            MLOPS_MODEL_OUTPUT: "gs://mlops-levels-dev-artifacts-x7k2q9/samples/models/trained/",
        });
        expect(pod.automountServiceAccountToken).toBe(false);
        expect(pod.volumes).toContainEqual({ name: "driver", configMap: { name: "train-driver" } });
        const driver = one(rs, K8S_TYPES.configMap);
        expect(driver.inputs.data).toEqual({ "train_driver.py": RAY_TRAIN_DRIVER });
        const uploads = ofType(rs, "gcp:storage/bucketObject:BucketObject").filter((r) =>
            ["samples/jobs/jobs.zip", "samples/data/customers.csv"].includes(r.inputs.name),
        );
        expect(uploads).toHaveLength(2);
        for (const u of uploads) expect(cron.dependencies).toContain(u.urn);
        expect(unmetPrerequisites(rs, cron)).toEqual([]);
        expect((rs.outputs.runCommands as Record<string, string>).training).toContain(
            "create job --from=cronjob/train",
        );
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

    it("allow-listed control plane keeps private nodes; a runner's range is authorized too; a team image", async () => {
        const rs = await runCluster({
            serving: { ...SERVING, image: "europe-docker.pkg.dev/team/models/churn:2.1" },
            apiAuthorizedCidrs: ["203.0.113.0/24"],
            apiRunnerCidrs: ["10.0.1.0/24"],
        });
        const c = one(rs, "gcp:container/cluster:Cluster").inputs;
        expect(c.privateClusterConfig).toEqual({ enablePrivateNodes: true, enablePrivateEndpoint: false });
        expect(c.masterAuthorizedNetworksConfig.cidrBlocks).toEqual([
            { cidrBlock: "203.0.113.0/24", displayName: "authorized-1" },
            { cidrBlock: "10.0.1.0/24", displayName: "runner-1" },
        ]);
        // The team's image replaces the default server: no sample model, its own health route and port.
        const container = one(rs, K8S_TYPES.deployment).inputs.spec.template.spec.containers[0];
        expect(container.image).toBe("europe-docker.pkg.dev/team/models/churn:2.1");
        expect(container.args).toBeUndefined();
        expect(container.readinessProbe.httpGet.path).toBe("/health");
        expect(container.env).toContainEqual({ name: "PORT", value: "8080" });
        expect(ofType(rs, "gcp:storage/bucketObject:BucketObject")).toEqual([]);
        expect((rs.outputs.runCommands as Record<string, string>).inference).toMatch(/^curl -sS http:\/\/\S+\/health$/);
    }, 120000);

    it("no cluster appears below these levels", async () => {
        const rs = await runGcp(() => ({}));
        expect(rs.filter((r) => CLUSTER_TYPES.includes(r.type) || r.type.startsWith("kubernetes:"))).toEqual([]);
    });
});

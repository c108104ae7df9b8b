import { NAT_CARRIED_SERVICES } from "../../components/foundation/aws";
import {
    AwsKubernetes,
    awsKubernetesKit,
    INTERNAL_LB_ANNOTATIONS,
    METRICS_SERVER_ADDON,
    NODE_ENDPOINT_SERVICES,
} from "../../components/kubernetes/aws";
import {
    DEFAULT_MODEL_SERVER,
    KUBERAY_CHART,
    KUBERNETES_TYPE,
    type KubernetesArgs,
    SAMPLE_REQUEST,
} from "../../components/kubernetes/index";
import { AwsRegistry } from "../../components/registry/aws";
import { sampleArtifact } from "../../components/shared/artifacts";
import { isValidName } from "../../components/shared/naming";
import { TAG_KEYS } from "../../components/shared/tags";
import { REGION, runAws, statementsOf, untagged } from "../aws/harness";
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

function runCluster(a: Pick<KubernetesArgs, "serving" | "training" | "apiAuthorizedCidrs" | "apiRunnerCidrs">) {
    return runAws(
        (ctx, foundation, opts) => {
            const registry = a.serving
                ? new AwsRegistry("registry", { ctx, foundation, pipelines: ["inference"], level: 5 }, opts)
                : undefined;
            const k = new AwsKubernetes("kubernetes", { ctx, foundation, registry, ...a }, opts);
            return {
                clusterName: k.clusterName,
                endpoint: k.endpoint,
                // Only what exists: an undefined stack output is a warning on every run.
                ...(k.servingUrl ? { servingUrl: k.servingUrl } : {}),
                ...(k.rayClusterName ? { ray: k.rayClusterName } : {}),
                kubeconfig: k.kubeconfig,
                runCommands: k.runCommands,
            };
            // What the cluster asks of the foundation (endpoints, NAT), as the stack program passes it.
        },
        { needs: awsKubernetesKit.needs({ region: REGION, ...a }) },
    );
}

const nodeGroups = (rs: Awaited<ReturnType<typeof runCluster>>) =>
    Object.fromEntries(ofType(rs, "aws:eks/nodeGroup:NodeGroup").map((r) => [r.inputs.nodeGroupName, r.inputs]));

describe("EKS shared by inference 5 and training 2", () => {
    let rs: Awaited<ReturnType<typeof runCluster>>;
    beforeAll(async () => {
        rs = await runCluster({ serving: SERVING, training: TRAINING_CPU });
    }, 120000);

    it("is one cluster with separate system, serving and training node groups", () => {
        const cluster = one(rs, "aws:eks/cluster:Cluster");
        expect(cluster.inputs.version).toBe("1.35");
        const groups = nodeGroups(rs);
        expect(Object.keys(groups).sort()).toEqual(["serving", "system", "training"]);
        expect(groups.system.scalingConfig).toMatchObject({ minSize: 1, maxSize: 3 });
        // 3000 QPS → 86 pods, 3 per node
        expect(groups.serving.scalingConfig).toMatchObject({ minSize: 1, maxSize: 29 });
        expect(groups.serving.instanceTypes).toEqual(["m7i.xlarge"]);
        // training scales to zero; 7 workers for 40 h in 8 h
        expect(groups.training.scalingConfig).toMatchObject({ minSize: 0, maxSize: 7 });
        expect(groups.training.instanceTypes).toEqual(["r7i.2xlarge"]);
        expect(groups.training.amiType).toBe("AL2023_x86_64_STANDARD");
        expect(groups.training.taints).toEqual([
            { key: "mlops-levels/pool", value: "training", effect: "NO_SCHEDULE" },
        ]);
        for (const g of Object.values(groups) as JsonResource["inputs"][]) expect(g.subnetIds).toHaveLength(2);
    });

    it("keeps the API server private, encrypts secrets with the foundation key and logs everything", () => {
        const c = one(rs, "aws:eks/cluster:Cluster").inputs;
        expect(c.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
        expect(c.vpcConfig.publicAccessCidrs).toBeUndefined();
        expect(c.encryptionConfig).toEqual({
            provider: { keyArn: one(rs, "aws:kms/key:Key").outputs.arn },
            resources: ["secrets"],
        });
        expect(c.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(c.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true });
        expect(c.upgradePolicy).toEqual({ supportType: "STANDARD" });
        const logs = ofType(rs, "aws:cloudwatch/logGroup:LogGroup").find(
            (r) => r.inputs.name === `/aws/eks/${c.name}/cluster`,
        );
        expect(logs?.inputs).toMatchObject({ retentionInDays: 90, kmsKeyId: expect.stringContaining(":kms:") });
    });

    it("nodes: encrypted root volumes, IMDSv2 only, AWS APIs and public images through one NAT", () => {
        for (const lt of ofType(rs, "aws:ec2/launchTemplate:LaunchTemplate")) {
            expect(lt.inputs.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: "true", volumeType: "gp3" });
            expect(lt.inputs.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        }
        const services = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint").map(
            (r) => String(r.inputs.serviceName).split(`${REGION}.`)[1],
        );
        // With the NAT, the foundation builds no interface endpoint for the nodes' AWS API calls
        // (NAT_CARRIED_SERVICES): only the free S3 gateway endpoint remains.
        expect(NODE_ENDPOINT_SERVICES.every((svc) => NAT_CARRIED_SERVICES.includes(svc))).toBe(true);
        expect(services.sort()).toEqual(["s3"]);
        // Public images (KubeRay, Ray, the autoscaler) come through the foundation's NAT gateway.
        expect(ofType(rs, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    });

    it("IRSA: each pod role trusts exactly one service account through the cluster's OIDC provider", () => {
        const oidc = one(rs, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        const trust = (suffix: string) =>
            JSON.parse(
                String(
                    ofType(rs, "aws:iam/role:Role").find((r) => r.name === `kubernetes-${suffix}-role`)!.inputs
                        .assumeRolePolicy,
                ),
            ).Statement[0];
        const host = String(oidc.inputs.url).replace("https://", "");
        expect(trust("serving")).toMatchObject({
            Principal: { Federated: oidc.outputs.arn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${host}:sub`]: "system:serviceaccount:mlops-serving:model",
                    [`${host}:aud`]: "sts.amazonaws.com",
                },
            },
        });
        expect(trust("ray").Condition.StringEquals[`${host}:sub`]).toBe("system:serviceaccount:mlops-training:ray");
        // The model reads artifacts and nothing else.
        const serving = statementsOf(rs)
            .filter((s) => s.policy === "kubernetes-serving-policy")
            .map((s) => s.statement);
        expect(serving.flatMap((s) => [s.Action].flat()).sort()).toEqual([
            "kms:Decrypt",
            "kms:DescribeKey",
            "s3:GetObject",
            "s3:ListBucket",
        ]);
        expect(JSON.stringify(serving)).not.toContain("-data-");
        const sa = ofType(rs, K8S_TYPES.serviceAccount).find((r) => r.inputs.metadata.name === "model")!;
        expect(sa.inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toMatch(
            /:role\/mlops-levels-dev-serving$/,
        );
    });

    it("serves the public sample model server behind an internal NLB with HPA bounds from peak QPS", () => {
        const dep = one(rs, K8S_TYPES.deployment).inputs;
        const c = dep.spec.template.spec.containers[0];
        expect(c.image).toBe("kserve/sklearnserver:v0.20.0");
        expect(c.securityContext).toMatchObject({
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
        });
        expect(c.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "2Gi" } });
        expect(c.readinessProbe.httpGet.path).toBe("/v1/models/churn");
        expect(c.livenessProbe.httpGet.path).toBe("/");
        expect(dep.spec.template.spec.nodeSelector).toEqual({ "mlops-levels/pool": "serving" });
        expect(one(rs, K8S_TYPES.hpa).inputs.spec).toMatchObject({ minReplicas: 2, maxReplicas: 86 });
        expect(one(rs, K8S_TYPES.pdb).inputs.spec.minAvailable).toBe(1);
        const svc = one(rs, K8S_TYPES.service).inputs;
        expect(svc.spec.type).toBe("LoadBalancer");
        expect(svc.metadata.annotations).toEqual(INTERNAL_LB_ANNOTATIONS);
        expect(rs.outputs.servingUrl).toMatch(/^http:\/\/internal-.*\.elb\.us-east-1\.amazonaws\.com$/);
    });

    it("has the sample model uploaded (by the foundation) and the server reads that exact object with the pod's role", () => {
        const artifacts = ofType(rs, "aws:s3/bucket:Bucket").find((r) =>
            String(r.inputs.bucket).includes("-artifacts-"),
        )!;
        const model = ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2").find(
            (r) => r.inputs.key === "samples/models/sklearn/model.joblib",
        )!;
        // The foundation's upload (FoundationNeeds.samples): one owner per key whatever else reads it.
        expect(model.name).toBe("foundation-sample-model");
        expect(model.inputs.contentType).toBe(sampleArtifact("model").contentType);
        expect(model.inputs.bucket).toBe(artifacts.outputs.bucket);
        const dep = one(rs, K8S_TYPES.deployment);
        const c = dep.inputs.spec.template.spec.containers[0];
        expect(c.args).toEqual([
            "--model_name=churn",
            `--model_dir=s3://${model.inputs.bucket}/samples/models/sklearn/model.joblib`,
            "--http_port=8080",
        ]);
        const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
        expect(env).toMatchObject({ PREDICT_PROBA: "true", AWS_DEFAULT_REGION: REGION, AWS_REGION: REGION });
        expect(env.PORT).toBeUndefined();
        // The object exists before the first pod, and every prerequisite is met inside the plan.
        expect(dep.dependencies).toContain(model.urn);
        expect(unmetPrerequisites(rs, dep)).toEqual([]);
        // The serving role may read that object (s3:GetObject on the artifacts bucket).
        const read = statementsOf(rs).find(
            (s) => s.policy === "kubernetes-serving-policy" && s.statement.Sid === "ReadArtifacts",
        );
        expect(read?.statement.Resource).toBe(`${artifacts.outputs.arn}/*`);
    });

    it("exports the exact commands: a curl with a sample row, and a kubectl line that starts a Ray run", () => {
        const run = rs.outputs.runCommands as Record<string, string>;
        expect(run.inference).toBe(
            `curl -sS -X POST ${rs.outputs.servingUrl}/v1/models/churn:predict -H 'Content-Type: application/json' -d '${SAMPLE_REQUEST}'`,
        );
        expect(run.training).toBe(
            "pulumi stack output kubeconfig --show-secrets --stack dev > kubeconfig.json && " +
                "RUN=train-$(date +%Y%m%d%H%M%S) && " +
                'kubectl --kubeconfig kubeconfig.json --namespace mlops-training create job --from=cronjob/train "$RUN" && ' +
                'kubectl --kubeconfig kubeconfig.json --namespace mlops-training logs --follow --pod-running-timeout=10m "job/$RUN"',
        );
        expect(DEFAULT_MODEL_SERVER.modelName).toBe("churn");
    });

    it("runs the Kubernetes Metrics Server as the EKS add-on, so the HPA has a CPU metric", () => {
        const addon = one(rs, "aws:eks/addon:Addon");
        expect(addon.inputs).toMatchObject({
            clusterName: one(rs, "aws:eks/cluster:Cluster").outputs.name,
            addonName: METRICS_SERVER_ADDON,
            resolveConflictsOnCreate: "OVERWRITE",
        });
        expect(METRICS_SERVER_ADDON).toBe("metrics-server");
        // EKS picks its default version for the cluster's Kubernetes version at create.
        expect(addon.inputs.addonVersion).toBeUndefined();
        const system = ofType(rs, "aws:eks/nodeGroup:NodeGroup").find((r) => r.inputs.nodeGroupName === "system")!;
        expect(addon.dependencies).toContain(system.urn);
    });

    it("runs KubeRay from the pinned chart and a RayCluster sized from the dataset and SLA", () => {
        const kuberay = ofType(rs, K8S_TYPES.helm).find((r) => r.inputs.chart === "kuberay-operator")!;
        expect(kuberay.inputs).toMatchObject({
            version: KUBERAY_CHART.version,
            repositoryOpts: { repo: KUBERAY_CHART.repo },
        });
        const ray = one(rs, K8S_TYPES.rayCluster).inputs;
        expect(ray.apiVersion).toBe("ray.io/v1");
        expect(ray.spec.enableInTreeAutoscaling).toBe(true);
        const workers = ray.spec.workerGroupSpecs[0];
        expect(workers).toMatchObject({ minReplicas: 0, maxReplicas: 7, replicas: 0 });
        expect(workers.template.spec.containers[0].resources.requests).toEqual({ cpu: "7", memory: "51Gi" });
        expect(ray.spec.headGroupSpec.template.spec.nodeSelector).toEqual({ "mlops-levels/pool": "system" });
        expect(
            ofType(rs, K8S_TYPES.helm)
                .map((r) => r.inputs.chart)
                .sort(),
        ).toEqual(["cluster-autoscaler", "kuberay-operator"]);
    });

    it("renders only objects valid against the Kubernetes API schema", () => {
        expect(schemaErrors(rs)).toEqual([]);
    });

    it("builds the Kubernetes provider from the cluster's endpoint and CA, as a secret", () => {
        const provider = one(rs, "pulumi:providers:kubernetes");
        expect(provider.inputs.kubeconfig).toBe("[secret]");
        expect(rs.outputs.kubeconfig).toBe("[secret]");
        for (const r of rs.filter((x) => x.type.startsWith("kubernetes:")))
            expect(r.provider).toContain("kubernetes-k8s");
    });

    it("tags every taggable resource (both pipelines) and labels every Kubernetes object, all under the component", () => {
        const comp = one(rs, KUBERNETES_TYPE);
        const mine = descendants(rs, comp.urn);
        expect(untagged(mine.filter((r) => r.type !== "aws:iam/rolePolicyAttachment:RolePolicyAttachment"))).toEqual(
            [],
        );
        expect(one(rs, "aws:eks/cluster:Cluster").inputs.tags).toMatchObject({
            [TAG_KEYS.pipeline]: "training-inference",
            [TAG_KEYS.level]: "5",
        });
        const k8sObjects = mine.filter(
            (r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== K8S_TYPES.helm,
        );
        expect(k8sObjects.length).toBeGreaterThanOrEqual(9);
        for (const r of k8sObjects as JsonResource[])
            expect(r.inputs.metadata.labels[TAG_KEYS.environment]).toBe("dev");
        for (const name of ["aws:eks/cluster:Cluster", "aws:iam/role:Role"])
            for (const r of ofType(mine, name))
                expect(isValidName(name.includes("eks") ? "eksCluster" : "awsIamRole", r.inputs.name)).toBe(true);
    });
});

describe("EKS for one pipeline", () => {
    it("training only: a GPU pool of g5 on the NVIDIA AMI, no serving objects, no registry", async () => {
        const rs = await runCluster({ training: TRAINING_GPU });
        const groups = nodeGroups(rs);
        expect(Object.keys(groups).sort()).toEqual(["system", "training"]);
        expect(groups.training).toMatchObject({
            instanceTypes: ["g5.2xlarge"],
            amiType: "AL2023_x86_64_NVIDIA",
            scalingConfig: { minSize: 0 },
        });
        expect(ofType(rs, K8S_TYPES.deployment)).toEqual([]);
        const worker = one(rs, K8S_TYPES.rayCluster).inputs.spec.workerGroupSpecs[0].template.spec;
        expect(worker.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
        expect(worker.containers[0].image).toBe("rayproject/ray:2.52.0-gpu");
        expect(schemaErrors(rs)).toEqual([]);
    }, 120000);

    it("serving only with an allow-list: public endpoint restricted to those CIDRs, no Ray", async () => {
        const rs = await runCluster({
            serving: { ...SERVING, publicEndpoint: true },
            apiAuthorizedCidrs: ["203.0.113.0/24"],
            apiRunnerCidrs: ["10.0.8.0/24"],
        });
        // A runner inside the VPC gets HTTPS into the cluster security group, before the provider starts.
        const cluster = one(rs, "aws:eks/cluster:Cluster");
        const rules = ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
            r.name.startsWith("kubernetes-api-runner"),
        );
        expect(rules.map((r) => r.inputs)).toEqual([
            expect.objectContaining({
                securityGroupId: cluster.outputs.vpcConfig.clusterSecurityGroupId,
                cidrIpv4: "10.0.8.0/24",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
            }),
        ]);
        expect(one(rs, "pulumi:providers:kubernetes").dependencies).toContain(rules[0]!.urn);
        expect(one(rs, "aws:eks/cluster:Cluster").inputs.vpcConfig).toMatchObject({
            endpointPublicAccess: true,
            publicAccessCidrs: ["203.0.113.0/24"],
        });
        expect(Object.keys(nodeGroups(rs)).sort()).toEqual(["serving", "system"]);
        expect(ofType(rs, K8S_TYPES.rayCluster)).toEqual([]);
        expect(one(rs, K8S_TYPES.service).inputs.metadata.annotations).toEqual({
            "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
        });
    }, 120000);

    it("no cluster appears below these levels (a foundation alone)", async () => {
        const rs = await runAws(() => ({}));
        expect(rs.filter((r) => CLUSTER_TYPES.includes(r.type) || r.type.startsWith("kubernetes:"))).toEqual([]);
    });
});

import type { PlannedResource } from "../../cli/plan/offline";
import { configFor, planConfig } from "../helpers/plan";
import { type JsonResource, ofType, one } from "../kubernetes/harness";
import { type RouteRow, routeTable } from "./table";

// docs/NETWORK.md, section "Kubernetes (inference 5, training 2)": every row marked `route` names a
// route the cluster's traffic takes; each is checked here against the plan of a stack at inference 5
// and training 2 on that row's cloud. A route row without a check fails, so the table and the code
// cannot drift apart silently.

type Cloud = "aws" | "azure" | "gcp";

const WORKLOAD = {
    inference: { mode: "online", peakQps: 3000 },
    training: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
};
const RUNNER = "10.0.8.0/24";
const OFFICE = "203.0.113.0/24";

const byName = (rs: readonly PlannedResource[], name: string): JsonResource | undefined =>
    rs.find((r) => r.name === name) as JsonResource | undefined;
const k8s = (rs: readonly PlannedResource[]) => one(rs, "pulumi:providers:kubernetes");

/** AWS: the foundation's NAT gateway and the private default route to it. */
function awsNat(rs: readonly PlannedResource[]): void {
    const nat = one(rs, "aws:ec2/natGateway:NatGateway");
    const route = ofType(rs, "aws:ec2/route:Route").find((r) => r.inputs.natGatewayId === nat.outputs.id);
    expect(route?.inputs.destinationCidrBlock).toBe("0.0.0.0/0");
    // Nothing on the cluster pulls before the route exists.
    expect(k8s(rs).dependencies).toContain(route!.urn);
}

/** The route rows' checks, by cloud and the row's `calls` cell. */
const CHECKS: Record<string, (rs: PlannedResource[], plans: Plans) => void> = {
    "aws|public registries and PyPI": awsNat,
    "aws|EKS add-on images (metrics-server)": (rs) => {
        awsNat(rs);
        expect(one(rs, "aws:eks/addon:Addon").inputs.addonName).toBe("metrics-server");
    },
    "aws|ECR, EC2, STS (IRSA), Auto Scaling APIs": (rs) => {
        // The NAT carries them whether or not the foundation also keeps interface endpoints.
        awsNat(rs);
        const ids = one(rs, "aws:eks/cluster:Cluster").inputs.vpcConfig.subnetIds as string[];
        expect(ids.length).toBeGreaterThanOrEqual(2);
    },
    "aws|S3 (sample model, jobs package, sample data, trained model)": (rs) => {
        const s3 = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint").find((r) =>
            String(r.inputs.serviceName).endsWith(".s3"),
        );
        expect(s3?.inputs.vpcEndpointType).toBe("Gateway");
        // Every sample the pods read sits in one of the foundation's buckets, reached through it.
        const buckets = new Set(ofType(rs, "aws:s3/bucket:Bucket").map((b) => b.outputs.bucket));
        const uploads = ofType(rs, "aws:s3/bucketObjectv2:BucketObjectv2").filter((o) =>
            String(o.inputs.key).startsWith("samples/"),
        );
        expect(uploads.map((o) => o.inputs.key).sort()).toEqual([
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
            "samples/models/sklearn/model.joblib",
        ]);
        for (const o of uploads) expect(buckets.has(o.inputs.bucket)).toBe(true);
    },
    "aws|EKS API": (rs) => {
        const cluster = one(rs, "aws:eks/cluster:Cluster");
        expect(cluster.inputs.vpcConfig.endpointPrivateAccess).toBe(true);
        const rule = byName(rs, "kubernetes-api-runner-1");
        expect(rule?.inputs).toMatchObject({
            securityGroupId: cluster.outputs.vpcConfig.clusterSecurityGroupId,
            cidrIpv4: RUNNER,
            fromPort: 443,
            toPort: 443,
        });
    },
    "aws|EKS API over the internet": (_rs, plans) => {
        expect(one(plans.aws, "aws:eks/cluster:Cluster").inputs.vpcConfig.endpointPublicAccess).toBe(false);
        expect(one(plans.awsPublic, "aws:eks/cluster:Cluster").inputs.vpcConfig).toMatchObject({
            endpointPublicAccess: true,
            publicAccessCidrs: [OFFICE],
        });
    },
    "aws|the serving Service": (rs) => {
        expect(one(rs, "kubernetes:core/v1:Service").inputs.metadata.annotations).toMatchObject({
            "service.beta.kubernetes.io/aws-load-balancer-internal": "true",
        });
    },
    "azure|public registries and PyPI": (rs) => {
        expect(one(rs, "azure-native:containerservice:ManagedCluster").inputs.networkProfile).toMatchObject({
            outboundType: "loadBalancer",
            loadBalancerSku: "standard",
        });
    },
    "azure|Entra ID (workload identity token exchange)": (rs) => {
        expect(one(rs, "azure-native:containerservice:ManagedCluster").inputs.networkProfile.outboundType).toBe(
            "loadBalancer",
        );
    },
    "azure|Blob storage (sample model, jobs package, sample data, trained model)": (rs) => {
        const subnet = ofType(rs, "azure-native:network:Subnet").find((s) => s.inputs.subnetName === "kubernetes")!;
        expect(subnet.inputs.serviceEndpoints).toEqual([{ service: "Microsoft.Storage" }]);
        const account = one(rs, "azure-native:storage:StorageAccount").inputs;
        expect(account.networkRuleSet.defaultAction).toBe("Deny");
        expect(account.networkRuleSet.virtualNetworkRules).toContainEqual(
            expect.objectContaining({ virtualNetworkResourceId: subnet.outputs.id }),
        );
        // The nodes sit in that subnet.
        const pool = ofType(rs, "azure-native:containerservice:AgentPool")[0]!;
        expect(pool.inputs.vnetSubnetID).toBe(subnet.outputs.id);
    },
    "azure|Blob storage (the sample uploads, data plane)": (rs) => {
        const rules = one(rs, "azure-native:storage:StorageAccount").inputs.networkRuleSet;
        expect(rules.ipRules).toEqual([{ iPAddressOrRange: OFFICE, action: "Allow" }]);
        const writer = one(rs, "pulumi:providers:azure");
        expect(writer.inputs.storageUseAzuread).toBe("true");
        const blobs = ofType(rs, "azure:storage/blob:Blob");
        expect(blobs.map((b) => b.inputs.name)).toContain("samples/models/sklearn/model.joblib");
        for (const b of blobs) expect(b.provider).toBe(writer.urn);
    },
    "azure|AKS API": (rs) => {
        expect(one(rs, "azure-native:containerservice:ManagedCluster").inputs.apiServerAccessProfile).toEqual({
            enablePrivateCluster: true,
            privateDNSZone: "system",
            enablePrivateClusterPublicFQDN: false,
        });
    },
    "azure|AKS API over the internet": (_rs, plans) => {
        expect(
            one(plans.azurePublic, "azure-native:containerservice:ManagedCluster").inputs.apiServerAccessProfile,
        ).toEqual({ authorizedIPRanges: [OFFICE] });
    },
    "azure|the serving Service": (rs) => {
        expect(one(rs, "kubernetes:core/v1:Service").inputs.metadata.annotations).toEqual({
            "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
        });
    },
    "gcp|public registries and PyPI": (rs) => {
        const nat = one(rs, "gcp:compute/routerNat:RouterNat");
        expect(nat.inputs.sourceSubnetworkIpRangesToNat).toBe("ALL_SUBNETWORKS_ALL_IP_RANGES");
        expect(k8s(rs).dependencies).toContain(nat.urn);
    },
    "gcp|Cloud Storage (sample model, jobs package, sample data, trained model)": (rs) => {
        expect(byName(rs, "kubernetes-subnet")?.inputs.privateIpGoogleAccess).toBe(true);
        const uploads = ofType(rs, "gcp:storage/bucketObject:BucketObject").map((o) => o.inputs.name);
        expect(uploads.sort()).toEqual([
            "samples/data/customers.csv",
            "samples/jobs/jobs.zip",
            "samples/models/sklearn/model.joblib",
        ]);
    },
    "gcp|GKE API": (rs) => {
        const c = one(rs, "gcp:container/cluster:Cluster").inputs;
        expect(c.privateClusterConfig.enablePrivateEndpoint).toBe(true);
        expect(c.masterAuthorizedNetworksConfig.cidrBlocks).toEqual([{ cidrBlock: RUNNER, displayName: "runner-1" }]);
    },
    "gcp|GKE API over the internet": (_rs, plans) => {
        const c = one(plans.gcpPublic, "gcp:container/cluster:Cluster").inputs;
        expect(c.privateClusterConfig.enablePrivateEndpoint).toBe(false);
        expect(c.masterAuthorizedNetworksConfig.cidrBlocks).toContainEqual({
            cidrBlock: OFFICE,
            displayName: "authorized-1",
        });
    },
    "gcp|the serving Service": (rs) => {
        expect(one(rs, "kubernetes:core/v1:Service").inputs.metadata.annotations).toEqual({
            "networking.gke.io/load-balancer-type": "Internal",
        });
    },
};

type Plans = Record<Cloud | "awsPublic" | "azurePublic" | "gcpPublic", PlannedResource[]>;

const cloudOf = (row: RouteRow): Cloud => {
    const m = /\((aws|azure|gcp)\)/.exec(row.job);
    if (!m) throw new Error(`docs/NETWORK.md Kubernetes row names no cloud in its job cell: ${row.job}`);
    return m[1] as Cloud;
};

describe("docs/NETWORK.md: the Kubernetes routes hold in the plans", () => {
    const rows = routeTable().filter((r) => r.cloud === "kubernetes");
    const plans = {} as Plans;
    beforeAll(async () => {
        const plan = async (cloud: Cloud, options: Record<string, unknown>) =>
            (await planConfig(configFor(cloud, WORKLOAD, { "mlops:options": options }))).resources;
        for (const cloud of ["aws", "azure", "gcp"] as const) {
            plans[cloud] = await plan(cloud, { kubernetesApiRunnerCidrs: [RUNNER], deployerCidrs: [OFFICE] });
            plans[`${cloud}Public`] = await plan(cloud, { kubernetesApiCidrs: [OFFICE] });
        }
    }, 240000);

    it("has rows for every cloud, each a route with a check or a marked gap", () => {
        expect(new Set(rows.map(cloudOf))).toEqual(new Set(["aws", "azure", "gcp"]));
        for (const r of rows) expect(["route", "**gap**"]).toContain(r.status.split(":")[0]);
        const unchecked = rows
            .filter((r) => r.status === "route")
            .map((r) => `${cloudOf(r)}|${r.calls}`)
            .filter((k) => CHECKS[k] === undefined);
        expect(unchecked).toEqual([]);
        // Every check belongs to a row: a removed row takes its check with it.
        const keys = new Set(rows.map((r) => `${cloudOf(r)}|${r.calls}`));
        expect(Object.keys(CHECKS).filter((k) => !keys.has(k))).toEqual([]);
    });

    it("every route row holds in its cloud's plan", () => {
        for (const r of rows.filter((x) => x.status === "route")) {
            const cloud = cloudOf(r);
            try {
                CHECKS[`${cloud}|${r.calls}`]!(plans[cloud], plans);
            } catch (e) {
                throw new Error(`${cloud} "${r.calls}" via "${r.route}": ${(e as Error).message}`);
            }
        }
    });
});

import type { PlannedResource } from "../../cli/plan/offline";
import { EGRESS_TYPE } from "../../components/foundation/index";
import { TAG_KEYS } from "../../components/shared/tags";
import { costByPipeline, estimateStack, NAT_GB_PER_RUN, NO_USAGE } from "../../cost/model";
import { cidrContains, cidrsOverlap } from "../helpers/cidr";
import { configFor, descendants, planConfig } from "../helpers/plan";
import { type JsonResource, ofType, one } from "./harness";

/** Inference 5 and training 2: the shared cluster of the examples. */
const LEVEL_5 = {
    inference: { mode: "online", peakQps: 3000 },
    training: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
};
/** Every pipeline at level 1 (one-machine batch jobs, a training job). */
const LEVEL_1 = {
    data: { volumeGb: 20 },
    inference: { mode: "batch", volumeGb: 10 },
    training: { datasetGb: 5, dataKind: "structured", singleMachineHours: 2, slaHours: 24 },
};
/** Inference at level 4 (a serverless endpoint, the registry) with level-1 training. */
const LEVEL_4 = { ...LEVEL_1, inference: { mode: "online", peakQps: 40 } };

const EGRESS_TYPES = [
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/eip:Eip",
    "aws:ec2/internetGateway:InternetGateway",
    "gcp:compute/router:Router",
    "gcp:compute/routerNat:RouterNat",
    EGRESS_TYPE,
];

async function plan(cloud: "aws" | "gcp", workload: Record<string, unknown>): Promise<PlannedResource[]> {
    return (await planConfig(configFor(cloud, workload))).resources;
}

const byName = (rs: readonly PlannedResource[], name: string): JsonResource =>
    rs.find((r) => r.name === name) as JsonResource;

describe("AWS: a NAT gateway exists while the Kubernetes level does", () => {
    let rs: PlannedResource[];
    beforeAll(async () => {
        rs = await plan("aws", LEVEL_5);
    }, 120000);

    it("adds one NAT gateway on an Elastic IP in a public /28, under the foundation's egress component", () => {
        const egress = one(rs, EGRESS_TYPE);
        expect(egress.name).toBe("foundation-egress");
        expect(egress.parent).toBe(one(rs, "mlops:foundation:Foundation").urn);
        expect(
            descendants(rs, egress.urn)
                .map((r) => r.name)
                .sort(),
        ).toEqual(
            [
                // The HTTPS-out group (and its rule) for compute behind the NAT with only the job group.
                "foundation-egress-https-out",
                "foundation-egress-https-out",
                "foundation-egress-igw",
                "foundation-egress-nat",
                "foundation-egress-nat-ip",
                "foundation-egress-private-default",
                "foundation-egress-public",
                "foundation-egress-public-default",
                "foundation-egress-public-routes",
                "foundation-egress-public-routes",
            ].sort(),
        );
        const vpc = one(rs, "aws:ec2/vpc:Vpc").outputs.id;
        const igw = one(rs, "aws:ec2/internetGateway:InternetGateway");
        expect(igw.inputs.vpcId).toBe(vpc);
        const subnet = byName(rs, "foundation-egress-public");
        expect(subnet.inputs).toMatchObject({ vpcId: vpc, mapPublicIpOnLaunch: false });
        // The planned public subnet is a /28 inside the planned VPC and shares no address with the
        // private subnets.
        const cidr = String(subnet.inputs.cidrBlock);
        expect(cidr).toMatch(/\/28$/);
        expect(cidrContains(String(one(rs, "aws:ec2/vpc:Vpc").inputs.cidrBlock), cidr)).toBe(true);
        const others = ofType(rs, "aws:ec2/subnet:Subnet").filter((s) => s !== subnet);
        expect(others.length).toBeGreaterThan(0);
        expect(others.filter((s) => cidrsOverlap(String(s.inputs.cidrBlock), cidr)).map((s) => s.name)).toEqual([]);
        expect(byName(rs, "foundation-egress-public-default").inputs).toMatchObject({
            destinationCidrBlock: "0.0.0.0/0",
            gatewayId: igw.outputs.id,
        });
        const eip = one(rs, "aws:ec2/eip:Eip");
        expect(eip.inputs.domain).toBe("vpc");
        const nat = one(rs, "aws:ec2/natGateway:NatGateway");
        expect(nat.inputs).toMatchObject({
            allocationId: eip.outputs.allocationId,
            subnetId: subnet.outputs.id,
            connectivityType: "public",
        });
    });

    it("routes the private subnets' 0.0.0.0/0 to the NAT; the S3 gateway endpoint stays", () => {
        const nat = one(rs, "aws:ec2/natGateway:NatGateway");
        const privateRoutes = byName(rs, "foundation-private-routes");
        expect(byName(rs, "foundation-egress-private-default").inputs).toEqual({
            routeTableId: privateRoutes.outputs.id,
            destinationCidrBlock: "0.0.0.0/0",
            natGatewayId: nat.outputs.id,
        });
        for (const i of [1, 2])
            expect(byName(rs, `foundation-private-${i}-routes`).inputs.routeTableId).toBe(privateRoutes.outputs.id);
        const s3 = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint").find((r) => r.inputs.vpcEndpointType === "Gateway");
        expect(s3?.inputs.routeTableIds).toEqual([privateRoutes.outputs.id]);
    });

    it("is tagged with the cluster's pipelines and level, so the cost table counts it at level 5", () => {
        for (const type of ["aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip", "aws:ec2/subnet:Subnet"]) {
            const r = type.endsWith("Subnet") ? byName(rs, "foundation-egress-public") : one(rs, type);
            expect(r.inputs.tags).toMatchObject({ [TAG_KEYS.pipeline]: "training-inference", [TAG_KEYS.level]: "5" });
        }
        const est = estimateStack(rs, { cloud: "aws", region: "us-east-1" });
        const nat = est.byResource.find((r) => r.type === "aws:ec2/natGateway:NatGateway")!;
        expect(nat).toMatchObject({ pipeline: "training-inference", level: 5 });
        expect(nat.idleMonthlyUsd).toBeCloseTo(0.045 * 730);
        expect(est.byResource.find((r) => r.type === "aws:ec2/eip:Eip")).toMatchObject({
            pipeline: "training-inference",
            level: 5,
            idleMonthlyUsd: expect.closeTo(0.005 * 730),
        });
        expect(est.unpriced).toEqual([]);
        expect(est.byResource.filter((r) => r.pipeline === "foundation" && /natGateway|eip:Eip/.test(r.type))).toEqual(
            [],
        );
    });

    it("nothing but the NAT gets a public address; the cluster's nodes and pods wait for the route", () => {
        for (const s of ofType(rs, "aws:ec2/subnet:Subnet")) expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
        for (const lt of ofType(rs, "aws:ec2/launchTemplate:LaunchTemplate"))
            expect(JSON.stringify(lt.inputs)).not.toContain("associatePublicIpAddress");
        expect(ofType(rs, "aws:ec2/eip:Eip")).toHaveLength(1);
        const route = byName(rs, "foundation-egress-private-default");
        expect(one(rs, "pulumi:providers:kubernetes").dependencies).toContain(route.urn);
    });
});

describe("GCP: a Cloud NAT exists while the Kubernetes level does", () => {
    let rs: PlannedResource[];
    beforeAll(async () => {
        rs = await plan("gcp", LEVEL_5);
    }, 120000);

    it("adds a Cloud Router and a NAT for every subnet range, error logs only, under the egress component", () => {
        const egress = one(rs, EGRESS_TYPE);
        expect(egress.parent).toBe(one(rs, "mlops:foundation:Foundation").urn);
        const router = one(rs, "gcp:compute/router:Router");
        expect(router.parent).toBe(egress.urn);
        expect(router.inputs).toMatchObject({
            network: one(rs, "gcp:compute/network:Network").outputs.id,
            region: "us-central1",
            project: "mlops-levels-demo",
        });
        const nat = one(rs, "gcp:compute/routerNat:RouterNat");
        expect(nat.parent).toBe(egress.urn);
        expect(nat.inputs).toMatchObject({
            router: router.outputs.name,
            region: "us-central1",
            natIpAllocateOption: "AUTO_ONLY",
            sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
            logConfig: { enable: true, filter: "ERRORS_ONLY" },
        });
        for (const r of [router, nat]) expect(String(r.inputs.name)).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
        expect(one(rs, "pulumi:providers:kubernetes").dependencies).toContain(nat.urn);
    });

    it("the NAT takes no labels, so its component carries the cluster's and the cost table reads them", () => {
        expect(one(rs, EGRESS_TYPE).inputs.tags).toMatchObject({
            [TAG_KEYS.pipeline]: "training-inference",
            [TAG_KEYS.level]: "5",
        });
        const est = estimateStack(rs, { cloud: "gcp", region: "us-central1" });
        const nat = est.byResource.find((r) => r.type === "gcp:compute/routerNat:RouterNat")!;
        expect(nat).toMatchObject({ pipeline: "training-inference", level: 5 });
        expect(nat.idleMonthlyUsd).toBeCloseTo(0.0014 * 730);
        // The GKE cluster and pools are counted at their levels too (resourceLabels), not "untagged".
        expect(costByPipeline(est).map((r) => r.pipeline)).not.toContain("untagged");
    });

    it("VMs keep no external IP", () => {
        for (const r of rs.filter((x) => x.type.startsWith("gcp:compute/instance")))
            expect(JSON.stringify(r.inputs)).not.toContain("accessConfigs");
        expect(ofType(rs, "gcp:compute/address:Address")).toEqual([]);
    });
});

describe("no internet egress below the Kubernetes level", () => {
    it.each([
        ["aws", 1, LEVEL_1],
        ["aws", 4, LEVEL_4],
        ["gcp", 1, LEVEL_1],
        ["gcp", 4, LEVEL_4],
    ] as const)(
        "%s with inference at level %d: no NAT, router or internet gateway",
        async (cloud, _level, workload) => {
            const rs = await plan(cloud, workload);
            expect(rs.length).toBeGreaterThan(10);
            expect(rs.filter((r) => EGRESS_TYPES.includes(r.type)).map((r) => r.name)).toEqual([]);
        },
        120000,
    );
});

describe("NAT pricing", () => {
    const res = (type: string) => ({
        urn: `urn:pulumi:dev::p::${type}::n`,
        type,
        inputs: { tags: { [TAG_KEYS.pipeline]: "training", [TAG_KEYS.level]: "2" } },
    });
    const usage = { ...NO_USAGE, jobs: { training: { runsPerMonth: 4, hoursPerRun: 10 } } };

    it("AWS: hourly while it exists, per GB of images each training run pulls", () => {
        const [nat] = estimateStack([res("aws:ec2/natGateway:NatGateway")], {
            cloud: "aws",
            region: "us-east-1",
            usage,
        }).byResource;
        expect(nat!.idleMonthlyUsd).toBeCloseTo(0.045 * 730);
        expect(nat!.monthlyUsd - nat!.idleMonthlyUsd).toBeCloseTo(4 * NAT_GB_PER_RUN * 0.045);
    });

    it("GCP: one VM all month, job VMs while they run, per GB processed", () => {
        // A Cloud NAT takes no labels: it is billed to the pipeline its tagged egress component names.
        const egress = { ...res("mlops:foundation:InternetEgress"), urn: "urn:pulumi:dev::p::egress" };
        const nat = { ...res("gcp:compute/routerNat:RouterNat"), inputs: {}, parent: egress.urn };
        const [priced] = estimateStack([egress, nat], {
            cloud: "gcp",
            region: "us-central1",
            usage,
        }).byResource;
        expect(priced!.pipeline).toBe("training");
        expect(priced!.idleMonthlyUsd).toBeCloseTo(0.0014 * 730);
        expect(priced!.monthlyUsd - priced!.idleMonthlyUsd).toBeGreaterThanOrEqual(4 * NAT_GB_PER_RUN * 0.045);
    });
});

import * as path from "node:path";
import type { PlannedResource } from "../../cli/plan/offline";
import { EKS_UNSUPPORTED_ZONE_IDS, NAT_CARRIED_SERVICES } from "../../components/foundation/aws";
import { configFor, ofType, one, planConfig, planStackFile } from "../helpers/plan";
import { type RouteRow, routeTable } from "./table";

// docs/NETWORK.md's AWS table held to the code: every row whose status is `route` names a route
// (S3 gateway endpoint, interface endpoints by service, NAT gateway) that the plan of the row's
// level must contain, attached to the private subnets or their route table. Each level is planned
// once.

const ROOT = path.resolve(__dirname, "../..");
const REGION = "us-east-1";
const example = (name: string) => path.join(ROOT, "examples", "stacks", "aws", `Pulumi.${name}.yaml`);
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
type Plan = Awaited<ReturnType<typeof planStackFile>>;

/** The plan each level cell of the table stands for. A row with a level not here fails the test. */
const PLAN_OF_LEVEL: Readonly<Record<string, string>> = {
    all: "level1",
    "data 1, inference 1 (`serverless`)": "level1",
    "data 1 (`vm`)": "vm",
    "data 1 (`vm`) with a NAT": "vmNat",
    "training 1": "level1",
    "data 2, inference 2": "spark",
    "data 3, inference 3": "streaming",
    "inference 4": "endpoint",
    "inference 5, training 2": "kubernetes",
};
const STATUSES = /^(route|service-side|service-side \(\*check\*\)|\*check\*|explained( \(.+\))?)$/;

const VM_DATA = { data: { volumeGb: 5, freshnessSeconds: 86400, schedule: "*/30 * * * *" } };

/** Private subnets and the route table they use. */
function privateNetwork(plan: Plan): { subnets: unknown[]; routeTable: unknown } {
    const subnets = ofType(plan.resources, "aws:ec2/subnet:Subnet").filter((s) => /-private-\d$/.test(s.name));
    const table = ofType(plan.resources, "aws:ec2/routeTable:RouteTable").find((t) =>
        t.name.endsWith("-private-routes"),
    );
    return { subnets: subnets.map((s) => s.outputs.id), routeTable: table?.outputs.id };
}

/** Why the plan lacks the row's route, or undefined when it has it. */
function missingRoute(plan: Plan, route: string): string | undefined {
    const net = privateNetwork(plan);
    const endpoints = ofType(plan.resources, ENDPOINT);
    if (/^S3 gateway endpoint/.test(route)) {
        const s3 = endpoints.find((e) => e.inputs.serviceName === `com.amazonaws.${REGION}.s3`);
        if (s3?.inputs.vpcEndpointType !== "Gateway") return "no S3 gateway endpoint";
        return (s3.inputs.routeTableIds as unknown[]).includes(net.routeTable)
            ? undefined
            : "the S3 gateway endpoint is not on the private route table";
    }
    const iface = /^interface endpoints? ([\w.-]+(?:, [\w.-]+)*)$/.exec(route);
    if (iface) {
        for (const svc of iface[1]!.split(", ")) {
            const e = endpoints.find((x) => x.inputs.serviceName === `com.amazonaws.${REGION}.${svc}`);
            if (e?.inputs.vpcEndpointType !== "Interface") return `no interface endpoint ${svc}`;
            if (JSON.stringify(e.inputs.subnetIds) !== JSON.stringify(net.subnets))
                return `interface endpoint ${svc} is not in the private subnets`;
        }
        return undefined;
    }
    if (/^NAT gateway/.test(route)) {
        const nat = ofType(plan.resources, "aws:ec2/natGateway:NatGateway");
        if (nat.length !== 1) return `${nat.length} NAT gateways`;
        const routes = ofType(plan.resources, "aws:ec2/route:Route").filter(
            (r) => r.inputs.natGatewayId === nat[0]!.outputs.id && r.inputs.destinationCidrBlock === "0.0.0.0/0",
        );
        return routes.some((r) => r.inputs.routeTableId === net.routeTable)
            ? undefined
            : "no default route from the private route table to the NAT";
    }
    return `route '${route}' has no check: name it as the table's routes are named`;
}

describe("docs/NETWORK.md, AWS: the code holds to the table", () => {
    const rows = routeTable().filter((r) => r.cloud === "aws");
    const plans: Record<string, Plan> = {};
    beforeAll(async () => {
        plans.level1 = await planStackFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml"));
        plans.vm = await planConfig(configFor("aws", VM_DATA, { "mlops:options": { batchRunner: "vm" } }));
        plans.vmNat = await planConfig(
            configFor(
                "aws",
                { ...VM_DATA, inference: { mode: "online", peakQps: 3000 } },
                { "mlops:options": { batchRunner: "vm" } },
            ),
        );
        plans.spark = await planStackFile(example("spark"));
        plans.streaming = await planStackFile(example("streaming"));
        plans.endpoint = await planStackFile(example("endpoint"));
        plans.kubernetes = await planStackFile(example("kubernetes"));
    }, 180_000);

    it("has rows for every AWS level, each with a known level and status, and no gap left", () => {
        expect(rows.length).toBeGreaterThan(15);
        for (const r of rows) {
            expect({ level: r.level, known: r.level in PLAN_OF_LEVEL }).toEqual({ level: r.level, known: true });
            expect({ row: `${r.level} / ${r.calls}`, status: STATUSES.test(r.status) }).toEqual({
                row: `${r.level} / ${r.calls}`,
                status: true,
            });
        }
        expect(new Set(rows.map((r) => PLAN_OF_LEVEL[r.level]))).toEqual(new Set(Object.keys(plans)));
    });

    it("every `route` row's route is in the plan of its level", () => {
        const routed = rows.filter((r) => r.status === "route");
        expect(routed.length).toBeGreaterThan(10);
        const missing = routed
            .map((r: RouteRow) => ({ r, why: missingRoute(plans[PLAN_OF_LEVEL[r.level]!]!, r.route) }))
            .filter((x) => x.why !== undefined)
            .map((x) => `${x.r.level} / ${x.r.calls}: ${x.why}`);
        expect(missing).toEqual([]);
    });

    it("with a NAT, the services it carries get no interface endpoint; without one there is no NAT", () => {
        const services = (p: Plan) =>
            ofType(p.resources, ENDPOINT)
                .filter((e) => e.inputs.vpcEndpointType === "Interface")
                .map((e) => String(e.inputs.serviceName).split(".").slice(3).join("."));
        for (const p of [plans.kubernetes!, plans.vmNat!]) {
            one(p.resources, "aws:ec2/natGateway:NatGateway");
            expect(services(p).filter((s) => NAT_CARRIED_SERVICES.includes(s))).toEqual([]);
        }
        expect(services(plans.vm!)).toEqual(["ecr.api", "ecr.dkr"]);
        expect(services(plans.streaming!)).toEqual(["kinesis-streams"]);
        for (const p of [plans.level1!, plans.vm!, plans.spark!, plans.streaming!, plans.endpoint!])
            expect(ofType(p.resources, "aws:ec2/natGateway:NatGateway")).toEqual([]);
    });

    it("every subnet is placed by zone ID, never where EKS refuses cluster subnets", () => {
        for (const p of Object.values(plans)) {
            const subnets: PlannedResource[] = ofType(p.resources, "aws:ec2/subnet:Subnet");
            for (const s of subnets) {
                expect(s.inputs.availabilityZone).toBeUndefined();
                expect(EKS_UNSUPPORTED_ZONE_IDS as readonly string[]).not.toContain(s.inputs.availabilityZoneId);
                expect(String(s.inputs.availabilityZoneId)).toMatch(/^use1-az\d$/);
            }
        }
    });

    it("a route the table names but the plan lacks is caught", () => {
        expect(missingRoute(plans.level1!, "NAT gateway")).toBe("0 NAT gateways");
        expect(missingRoute(plans.level1!, "interface endpoint kinesis-streams")).toBe(
            "no interface endpoint kinesis-streams",
        );
        expect(missingRoute(plans.level1!, "a tunnel")).toMatch(/has no check/);
    });
});

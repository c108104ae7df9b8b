import type { PlannedResource } from "../../cli/plan/offline";
import { configFor, ofType, planConfig } from "../helpers/plan";
import { type RouteRow, routeTable } from "./table";

/**
 * docs/NETWORK.md's GCP table held to the plans: every row marked `route` names a route this test
 * knows, and the plan of that row's level holds it; the compute each level's rows describe is in
 * that plan. Each level is planned once.
 */

/** The plan each level cell of the table stands for, and the compute those rows describe. */
const LEVELS: Record<
    string,
    { workload: Record<string, unknown>; options?: Record<string, unknown>; compute: string }
> = {
    "data 1, training 1, inference 1": {
        workload: {
            data: { volumeGb: 20 },
            training: { datasetGb: 30, dataKind: "unstructured", singleMachineHours: 2, slaHours: 12 },
            inference: { mode: "batch", volumeGb: 10 },
        },
        compute: "gcp:workflows/workflow:Workflow",
    },
    "data 1 (`vm`)": {
        workload: { data: { volumeGb: 5 } },
        options: { batchRunner: "vm" },
        compute: "gcp:compute/instance:Instance",
    },
    "data 2, inference 2": {
        workload: { data: { volumeGb: 900 }, inference: { mode: "batch", volumeGb: 900 } },
        compute: "gcp:dataproc/workflowTemplate:WorkflowTemplate",
    },
    "data 3, inference 3": {
        workload: { data: { volumeGb: 20, freshnessSeconds: 30 }, inference: { mode: "streaming" } },
        compute: "gcp:dataflow/flexTemplateJob:FlexTemplateJob",
    },
    "inference 4": {
        workload: { inference: { mode: "online", peakQps: 40 } },
        compute: "gcp:cloudrunv2/service:Service",
    },
    "inference 5, training 2": {
        workload: {
            training: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
            inference: { mode: "online", peakQps: 1500 },
        },
        compute: "gcp:container/cluster:Cluster",
    },
};

type Plan = readonly PlannedResource[];
const has = (p: Plan, type: string, test: (r: PlannedResource) => boolean = () => true) => ofType(p, type).some(test);
const privateGoogleAccess = (p: Plan) =>
    has(p, "gcp:compute/subnetwork:Subnetwork", (s) => s.inputs.privateIpGoogleAccess === true);

/** Each route the table may name, as the resources that make it. */
const ROUTES: Record<string, (p: Plan) => boolean> = {
    "Private Google Access": privateGoogleAccess,
    "Docker Hub mirror": (p) =>
        privateGoogleAccess(p) &&
        has(
            p,
            "gcp:artifactregistry/repository:Repository",
            (r) =>
                r.inputs.mode === "REMOTE_REPOSITORY" &&
                (r.inputs.remoteRepositoryConfig as { dockerRepository?: { publicRepository?: string } })
                    ?.dockerRepository?.publicRepository === "DOCKER_HUB",
        ),
    "Cloud NAT": (p) => has(p, "gcp:compute/routerNat:RouterNat"),
    "firewall: Dataproc nodes": (p) =>
        has(
            p,
            "gcp:compute/firewall:Firewall",
            (f) =>
                String(f.inputs.name).endsWith("spark-internal") &&
                JSON.stringify(f.inputs.sourceServiceAccounts) === JSON.stringify(f.inputs.targetServiceAccounts),
        ),
    "firewall: Dataflow workers": (p) =>
        has(p, "gcp:compute/firewall:Firewall", (f) => JSON.stringify(f.inputs.sourceTags) === '["dataflow"]'),
};

/** The route a `route` row names: the start of its route cell. */
const routeOf = (row: RouteRow) => Object.keys(ROUTES).find((name) => row.route.startsWith(name));

describe("docs/NETWORK.md, GCP: every route the table names is in its level's plan", () => {
    const rows = routeTable().filter((r) => r.cloud === "gcp");
    const plans = new Map<string, Plan>();
    beforeAll(async () => {
        for (const [level, c] of Object.entries(LEVELS)) {
            const config = configFor("gcp", c.workload, c.options ? { "mlops:options": c.options } : {});
            plans.set(level, (await planConfig(config, "dev")).resources);
        }
    }, 240_000);

    test("the table has a GCP section whose level cells are the levels planned here, or 'all'", () => {
        expect(rows.length).toBeGreaterThan(20);
        expect([...new Set(rows.map((r) => r.level))].sort()).toEqual(["all", ...Object.keys(LEVELS)].sort());
        for (const r of rows) expect(["route", "service-side", "none", "*check*"]).toContain(r.status);
    });

    test("each level's plan holds the compute its rows describe", () => {
        for (const [level, c] of Object.entries(LEVELS))
            expect([level, has(plans.get(level)!, c.compute)]).toEqual([level, true]);
    });

    test("every `route` row names a known route, present in its level's plan (all plans for 'all')", () => {
        const missing: string[] = [];
        for (const row of rows.filter((r) => r.status === "route")) {
            const name = routeOf(row);
            if (!name) {
                missing.push(`${row.level} / ${row.calls}: unknown route '${row.route}'`);
                continue;
            }
            const levels = row.level === "all" ? [...plans.keys()] : [row.level];
            for (const l of levels)
                if (!ROUTES[name]!(plans.get(l)!)) missing.push(`${l} / ${row.calls}: no ${name} in the plan`);
        }
        expect(missing).toEqual([]);
    });

    test("no NAT below the Kubernetes levels: public images come through the mirror", () => {
        for (const [level, p] of plans) {
            const kubernetes = level === "inference 5, training 2";
            expect([level, has(p, "gcp:compute/routerNat:RouterNat")]).toEqual([level, kubernetes]);
        }
        // The level-1 jobs pull the reference image from the mirror's path, which the row claims.
        const l1 = plans.get("data 1, training 1, inference 1")!;
        const mirror = ofType(l1, "gcp:artifactregistry/repository:Repository")[0]!;
        const images = ofType(l1, "gcp:workflows/workflow:Workflow").flatMap(
            (w) => String(w.inputs.sourceContents).match(/"imageUri": "[^"]+"/g) ?? [],
        );
        expect(images.length).toBeGreaterThanOrEqual(3);
        for (const i of images) expect(i).toContain(`"imageUri": "${mirror.outputs.registryUri}/kserve/sklearnserver:`);
    });
});

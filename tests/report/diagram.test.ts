import { planConfig } from "../../cli/plan/plan-stack";
import { buildDiagram, shortType, toDot } from "../../cli/report/diagram";
import { configFor } from "../helpers/plan";

describe("architecture diagram", () => {
    test("short type names", () => {
        expect(shortType("aws:sfn/stateMachine:StateMachine")).toBe("sfn StateMachine");
        expect(shortType("mlops:batch-job:BatchJob")).toBe("BatchJob");
        expect(shortType("azure-native:app:Job")).toBe("app Job");
    });

    test.each(["aws", "azure", "gcp"] as const)(
        "%s: one node per component, pipelines from tags, data flow between storage and jobs",
        async (cloud) => {
            const p = await planConfig(
                configFor(cloud, {
                    data: { volumeGb: 5 },
                    training: { datasetGb: 2, dataKind: "structured", singleMachineHours: 1, slaHours: 4 },
                    inference: { mode: "batch", volumeGb: 1 },
                }),
            );
            const d = buildDiagram(p.resources);
            const byId = new Map(d.nodes.map((n) => [n.id, n]));
            expect([...byId.keys()].sort()).toEqual([
                "data",
                "foundation",
                "inference",
                "storage-artifacts",
                "storage-data",
                "training",
            ]);
            expect(byId.get("data")).toMatchObject({ pipelines: ["data"], level: 1 });
            expect(byId.get("training")).toMatchObject({ pipelines: ["training"], level: 1 });
            expect(byId.get("foundation")?.pipelines).toEqual([]);
            // Plumbing (roles, policies, log groups) stays out of the picture.
            for (const n of d.nodes) for (const part of n.parts) expect(part).not.toMatch(/iam|Policy|LogGroup/);
            expect(d.edges).toEqual(
                expect.arrayContaining([
                    ["data", "storage-data", "features"],
                    ["storage-data", "training", "training data"],
                    ["training", "storage-artifacts", "model"],
                    ["storage-artifacts", "inference", "model"],
                ]),
            );
            const dot = toDot(d);
            expect(dot).toMatch(/subgraph "cluster_data" \{\n\s+label="data · level 1/);
            expect(dot).toContain('subgraph "cluster_foundation"');
            expect(dot).toContain('"training" -> "storage-artifacts" [label="model"];');
        },
    );

    test("a pipeline left out has no cluster and no edges", async () => {
        const p = await planConfig(configFor("aws", { data: { volumeGb: 5 } }));
        const d = buildDiagram(p.resources);
        expect(d.nodes.map((n) => n.id).sort()).toEqual(["data", "foundation", "storage-artifacts", "storage-data"]);
        expect(toDot(d)).not.toContain("cluster_training");
        expect(d.edges).toEqual([["data", "storage-data", "features"]]);
    });
});

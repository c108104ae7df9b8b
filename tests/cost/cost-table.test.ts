import { InputError } from "../../components/shared/errors";
import {
    type CostTableRow,
    costTableMarkdown,
    END,
    estimateCell,
    exampleProfiles,
    planFailure,
    replaceBlock,
    START,
} from "../../scripts/cost-table";

const row: CostTableRow = {
    profile: "data-1-batch",
    pipeline: "data",
    level: 1,
    cells: {
        aws: { idle: 1, typical: 35.5, unpriced: 0 },
        azure: { idle: 0, typical: 12, unpriced: 1 },
        gcp: { missing: "not built yet" },
    },
};

describe("README cost table", () => {
    it("renders one Markdown row per profile between the markers", () => {
        const md = costTableMarkdown([row]);
        expect(md.startsWith(START)).toBe(true);
        expect(md.endsWith(END)).toBe(true);
        expect(md).toContain(
            "| profile | level | AWS idle | AWS typical | Azure idle | Azure typical | GCP idle | GCP typical |",
        );
        expect(md).toContain("| data-1-batch | 1 | $1.00 | $35.50 | ≥ $0.00 | ≥ $12.00 | not built yet |  |");
    });

    it("replaces the block in place, or appends it with its markers", () => {
        const block = `${START}\nnew\n${END}`;
        expect(replaceBlock(`# T\n\n${START}\nold\n${END}\n\nafter\n`, block)).toBe(`# T\n\n${block}\n\nafter\n`);
        expect(replaceBlock("# T\n\ntext\n", block)).toBe(`# T\n\ntext\n\n${block}\n`);
    });

    it("lists the example profiles in pipeline and level order", () => {
        const names = exampleProfiles().map((p) => `${p.pipeline}-${p.level}`);
        expect(names[0]).toBe("data-1");
        expect(names).toEqual(
            [...names].sort(
                (a, b) =>
                    ["data", "training", "inference"].indexOf(a.split("-")[0]!) -
                    ["data", "training", "inference"].indexOf(b.split("-")[0]!),
            ),
        );
    });

    it("prices a level the cloud builds", async () => {
        const built = await estimateCell("gcp", { data: { volumeGb: 5 } });
        expect(built).toMatchObject({ unpriced: 0 });
        expect("idle" in built && built.idle).toBeLessThan(10);
    });

    it("shows a level the program does not build as 'not built yet', and any other failure as it is", () => {
        const notBuilt = new InputError([
            {
                path: "config.mlops:workload.data",
                message: "data level 2 is not built by this version of mlops-levels yet",
            },
        ]);
        expect(planFailure(notBuilt)).toEqual({ missing: "not built yet" });
        expect(planFailure(Object.assign(new Error(notBuilt.message), { cause: notBuilt }))).toEqual({
            missing: "not built yet",
        });
        expect(planFailure(new Error("boom\nstack"))).toEqual({ missing: "plan fails: boom" });
    });
});

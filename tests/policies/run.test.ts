import { Bucket } from "@pulumi/gcp/storage/bucket";
import type { PlannedResource } from "../../cli/plan/offline";
import { configOf, enforcementOf, NotApplicableError, resourceArgs, stackArgs } from "../../policies/engine";
import { RULES } from "../../policies/rules";
import { hasMandatory, runPolicies } from "../../policies/run";
import { urnOf } from "./harness";

const BUCKET = "gcp:storage/bucket:Bucket";
const planned = (
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    extra: Partial<PlannedResource> = {},
): PlannedResource => ({
    urn: urnOf(type, name),
    type,
    name,
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    custom: true,
    inputs,
    outputs: {},
    dependencies: [],
    ...extra,
});
const stack = planned("pulumi:pulumi:Stack", "mlops-levels-dev", {}, { custom: false });
const openBucket = planned(
    BUCKET,
    "data",
    { publicAccessPrevention: "inherited", uniformBucketLevelAccess: true, versioning: { enabled: true } },
    { parent: stack.urn },
);

describe("runPolicies", () => {
    it("reports each violation with policy, enforcement, urn and message", async () => {
        const r = await runPolicies([stack, openBucket]);
        expect(r.violations).toEqual([
            {
                policy: "gcp-storage-public-access-prevention",
                enforcement: "mandatory",
                urn: openBucket.urn,
                message: "Bucket 'data' does not enforce public access prevention",
            },
        ]);
        expect(hasMandatory(r)).toBe(true);
    });
    it("honours per-policy enforcement overrides, `all`, and disabled, as --policy-pack-config does", async () => {
        const advisory = await runPolicies([stack, openBucket], { "gcp-storage-public-access-prevention": "advisory" });
        expect(advisory.violations.map((v) => v.enforcement)).toEqual(["advisory"]);
        expect(hasMandatory(advisory)).toBe(false);
        const objectForm = await runPolicies([stack, openBucket], {
            "gcp-storage-public-access-prevention": { enforcementLevel: "disabled" },
        });
        expect(objectForm.violations).toEqual([]);
        const all = await runPolicies(
            [
                stack,
                {
                    ...openBucket,
                    inputs: { ...openBucket.inputs, publicAccessPrevention: "enforced", versioning: undefined },
                },
            ],
            { all: "mandatory" },
        );
        expect(all.violations).toEqual([
            {
                policy: "gcp-storage-versioned",
                enforcement: "mandatory",
                urn: openBucket.urn,
                message: "Bucket 'data' does not keep object versions",
            },
        ]);
    });
    it("gives resource policies the provider's props (default labels)", async () => {
        const provider = planned("pulumi:providers:gcp", "gcp", {
            project: "p",
            region: "us-central1",
            defaultLabels: {
                "mlops-pipeline": "data",
                "mlops-level": "2",
                "mlops-assessed": "1",
                "mlops-environment": "prod",
            },
        });
        const bucket = planned(
            BUCKET,
            "ok",
            { publicAccessPrevention: "enforced", uniformBucketLevelAccess: true, versioning: { enabled: true } },
            { provider: provider.urn },
        );
        const r = await runPolicies([stack, provider, bucket]);
        expect(r.violations.map((v) => [v.policy, v.urn])).toEqual([["over-provisioned-level-blocking", bucket.urn]]);
    });
});

describe("the engine stand-in", () => {
    it("builds isType/asType from the SDK class's type token", () => {
        const args = resourceArgs({ type: BUCKET, name: "b", urn: urnOf(BUCKET, "b"), props: { location: "US" } }, {});
        expect(args.isType(Bucket)).toBe(true);
        expect(args.asType(Bucket)).toEqual({ location: "US" });
        expect(args.opts).toEqual({
            protect: false,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
        });
        expect(() => args.notApplicable("x")).toThrow(NotApplicableError);
    });
    it("links parents and dependencies in stack args", () => {
        const a = { type: "t:a:A", name: "a", urn: "urn:a", props: {} };
        const b = {
            type: "t:b:B",
            name: "b",
            urn: "urn:b",
            props: {},
            parent: "urn:a",
            dependencies: ["urn:a"],
            propertyDependencies: { x: ["urn:a"] },
        };
        const s = stackArgs([a, b], {});
        expect(s.resources[1]!.parent?.urn).toBe("urn:a");
        expect(s.resources[1]!.dependencies.map((d) => d.urn)).toEqual(["urn:a"]);
        expect(s.resources[1]!.propertyDependencies["x"]!.map((d) => d.urn)).toEqual(["urn:a"]);
    });
    it("fills config defaults from each schema, and the config wins over them", () => {
        const gate = RULES.find((r) => r.name === "over-provisioned-level-blocking")!;
        expect(configOf(gate)).toEqual({ blockingEnvironments: ["prod"] });
        expect(
            configOf(gate, {
                "over-provisioned-level-blocking": { enforcementLevel: "advisory", blockingEnvironments: ["staging"] },
            }),
        ).toEqual({ blockingEnvironments: ["staging"] });
        expect(enforcementOf(gate, { all: "advisory" })).toBe("advisory");
        expect(enforcementOf(gate, { all: "advisory", "over-provisioned-level-blocking": "remediate" })).toBe(
            "mandatory",
        );
    });
});

describe("the rule list", () => {
    it("has unique names, a description and a deliberate enforcement level on every rule", () => {
        const names = RULES.map((r) => r.name);
        expect(new Set(names).size).toBe(names.length);
        for (const r of RULES) {
            expect(r.description.length).toBeGreaterThan(10);
            expect(["mandatory", "advisory"]).toContain(r.enforcementLevel);
        }
    });
    it("has at least 30 security rules across AWS, Azure, GCP and Kubernetes", () => {
        const prefixes = ["aws-", "azure-", "gcp-", "k8s-"];
        const security = RULES.filter((r) => prefixes.some((p) => r.name.startsWith(p)));
        expect(security.length).toBeGreaterThanOrEqual(30);
        for (const p of prefixes) expect(security.some((r) => r.name.startsWith(p))).toBe(true);
    });
});

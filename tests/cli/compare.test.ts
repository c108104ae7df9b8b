import { blocking, dangerous, describeChanges, diffPlans } from "../../cli/plan/compare";
import type { PlannedResource } from "../../offline/engine";

/**
 * What `plan --compare` says about protected resources. Pulumi's engine refuses to delete a
 * protected resource (it checks `protect` before `retainOnDelete`) and to replace one that stays
 * protected; unprotecting and replacing in one update is allowed.
 */
const res = (
    type: string,
    name: string,
    o: { protect?: boolean; retainOnDelete?: boolean; inputs?: Record<string, unknown> } = {},
): PlannedResource => ({
    urn: `urn:pulumi:prod::mlops-levels::${type}::${name}`,
    type,
    name,
    protect: o.protect ?? false,
    retainOnDelete: o.retainOnDelete ?? false,
    deleteBeforeReplace: false,
    custom: true,
    inputs: o.inputs ?? {},
    outputs: {},
    dependencies: [],
});

const NAT = "aws:ec2/natGateway:NatGateway";
const BUCKET = "aws:s3/bucket:Bucket";

describe("diffPlans: protect", () => {
    it("a protected resource deleted blocks pulumi up, retained or not", () => {
        const from = [
            res(NAT, "egress-nat", { protect: true }),
            res(BUCKET, "data", { protect: true, retainOnDelete: true }),
            res(NAT, "other-nat"),
        ];
        const changes = diffPlans(from, []);
        expect(changes.map((c) => [c.name, c.kind, c.protected, c.blocksUp, c.retained])).toEqual([
            ["egress-nat", "delete", true, true, false],
            ["data", "delete", true, true, true],
            ["other-nat", "delete", false, false, false],
        ]);
        expect(blocking(changes).map((c) => c.name)).toEqual(["egress-nat", "data"]);
        // Retained data is not lost, but the deletion still stops at the protect flag.
        expect(dangerous(changes)).toEqual([]);
    });

    it("a replacement blocks only while both plans protect the resource", () => {
        const from = [
            res(BUCKET, "kept", { protect: true, inputs: { bucket: "a" } }),
            res(BUCKET, "unprotected", { protect: true, inputs: { bucket: "a" } }),
        ];
        const to = [
            res(BUCKET, "kept", { protect: true, inputs: { bucket: "b" } }),
            res(BUCKET, "unprotected", { protect: false, inputs: { bucket: "b" } }),
        ];
        const changes = diffPlans(from, to);
        expect(changes.map((c) => [c.name, c.kind, c.protected, c.blocksUp])).toEqual([
            ["kept", "replace", true, true],
            ["unprotected", "replace", true, false],
        ]);
    });

    it("updates and creates never block", () => {
        const changes = diffPlans(
            [res(BUCKET, "data", { protect: true, inputs: { tags: { a: "1" } } })],
            [res(BUCKET, "data", { protect: true, inputs: { tags: { a: "2" } } }), res(NAT, "new", { protect: true })],
        );
        expect(changes.map((c) => [c.name, c.kind, c.protected, c.blocksUp])).toEqual([
            ["data", "update", true, false],
            ["new", "create", false, false],
        ]);
    });
});

describe("describeChanges: what plan --compare prints", () => {
    it("names each change pulumi up would refuse, and says why", () => {
        const text = describeChanges(diffPlans([res(NAT, "egress-nat", { protect: true }), res(NAT, "free-nat")], []));
        expect(text.log).toEqual([
            "\n  delete (2)",
            `    - ${NAT}  egress-nat  (protected: pulumi up refuses to delete it)`,
            `    - ${NAT}  free-nat`,
            "\n  No stateful resource (storage, registry, stream, key) is replaced or deleted.",
        ]);
        expect(text.error).toEqual([
            `\n!!! pulumi up would stop: 1 protected resource(s) would be deleted: ${NAT} egress-nat.`,
            "!!! Pulumi refuses to delete or replace a protected resource, retainOnDelete or not. Unprotect each first (pulumi state unprotect '<urn>'), or keep it in the stack.",
        ]);
    });

    it("says nothing about protection when nothing protected goes", () => {
        const text = describeChanges(diffPlans([res(BUCKET, "data")], []));
        expect(text.log).toEqual(["\n  delete (1)", `    - ${BUCKET}  data`]);
        expect(text.error).toEqual([
            `\n!!! WARNING: this change would DELETE ${BUCKET} data.`,
            "!!! These resources hold data. Back it up or keep them out of the change before running pulumi up.",
        ]);
    });
});

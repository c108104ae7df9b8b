import * as pulumi from "@pulumi/pulumi";
import { runOffline } from "../../offline/engine";
import { mockCall, mockResource } from "../../offline/mock";

/**
 * The offline engine answers from the catalogue only: a resource type or a provider function it does
 * not know fails the plan, naming the token, instead of echoing the inputs back.
 */
/** A resource of any type token, as a provider SDK class would register it. */
class Raw extends pulumi.CustomResource {
    constructor(type: string, name: string, props: Record<string, unknown>) {
        super(type, name, props);
    }
}

const run = (program: () => Promise<Record<string, unknown>>) =>
    runOffline({ project: "mlops-levels", stack: "dev", region: "us-east-1", config: {}, program });

describe("the offline engine", () => {
    it("answers a catalogued type with its catalogued outputs", async () => {
        const r = await run(async () => {
            const key = new Raw("aws:kms/key:Key", "key", { description: "k" });
            return { arn: key.urn.apply(() => "") };
        });
        const key = r.resources.find((x) => x.type === "aws:kms/key:Key")!;
        expect(key.outputs["arn"]).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\/[0-9a-f-]+$/);
    });

    it("runs started together plan one after the other, each with only its own resources", async () => {
        const keys = (n: number) => async () => {
            for (let i = 0; i < n; i++) new Raw("aws:kms/key:Key", `key-${n}-${i}`, { description: "k" });
            await new Promise((r) => setTimeout(r, 10));
            return {};
        };
        const failing = run(async () => {
            throw new Error("boom");
        });
        const [two, three] = await Promise.all([run(keys(2)), run(keys(3)), failing.catch(() => undefined)]);
        const names = (r: typeof two) => r.resources.filter((x) => x.custom).map((x) => x.name);
        expect(names(two)).toEqual(["key-2-0", "key-2-1"]);
        expect(names(three)).toEqual(["key-3-0", "key-3-1", "key-3-2"]);
        await expect(failing).rejects.toThrow("boom");
        // A failed run does not stop the next one.
        expect(names(await run(keys(1)))).toEqual(["key-1-0"]);
    });

    it("fails on a resource type the catalogue does not know", async () => {
        await expect(
            run(async () => {
                new Raw("aws:lambda/function:Function", "fn", { role: "r" });
                return {};
            }),
        ).rejects.toThrow(/aws:lambda\/function:Function' is not catalogued/);
    });

    it("fails on a provider function the catalogue does not know", async () => {
        await expect(
            run(async () => {
                const got = await pulumi.runtime.invoke("aws:ec2/getVpc:getVpc", { default: true });
                return { got };
            }),
        ).rejects.toThrow(/aws:ec2\/getVpc:getVpc' is not catalogued/);
    });

    it("has mocks that throw with the token rather than echo the inputs", () => {
        const inputs = { name: "fn", role: "r" };
        expect(() =>
            mockResource({ type: "aws:lambda/function:Function", name: "fn", inputs, custom: true }, "us-east-1"),
        ).toThrow("resource type 'aws:lambda/function:Function' is not catalogued");
        expect(() => mockCall({ token: "aws:ec2/getVpc:getVpc", inputs: { default: true } }, "us-east-1")).toThrow(
            "provider function 'aws:ec2/getVpc:getVpc' is not catalogued",
        );
    });
});

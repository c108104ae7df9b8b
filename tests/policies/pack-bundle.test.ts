import * as path from "node:path";
import type { PolicyPackArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, isStackPolicy, runResourcePolicy } from "../../policies/engine";
import { RULES } from "../../policies/rules";
import { tempDir } from "../helpers/tmp";

/**
 * `npm run pack:policies` makes the publishable pack: one bundled index.js that needs only
 * @pulumi/policy and @pulumi/pulumi. Here the bundle is built, loaded with PolicyPack replaced by a
 * recorder (the real one starts the analyzer server), and compared with the source rules.
 */
const constructed: { name: string; args: PolicyPackArgs }[] = [];
jest.mock("@pulumi/policy", () => ({
    PolicyPack: class {
        constructor(name: string, args: PolicyPackArgs) {
            constructed.push({ name, args });
        }
    },
}));

const { packPolicies, RUNTIME } = require("../../scripts/pack-policies.js") as {
    packPolicies: (out: string) => {
        out: string;
        metafile: { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    };
    RUNTIME: string[];
};

describe("the publishable policy pack", () => {
    // Inside the project, so the bundle's require("@pulumi/policy") resolves (to the recorder).
    const out = tempDir("policy-pack", path.resolve(__dirname, "../../node_modules/.cache"));
    const { metafile } = packPolicies(out);

    test("imports nothing from outside its folder but the Pulumi runtime packages", () => {
        const externals = Object.values(metafile.outputs)
            .flatMap((o) => o.imports)
            .filter((i) => i.external && !i.path.startsWith("node:") && !require("node:module").isBuiltin(i.path))
            .map((i) => i.path);
        expect(externals.filter((e) => !RUNTIME.includes(e))).toEqual([]);
        expect(externals).toContain("@pulumi/policy");
        const pkg = require(path.join(out, "package.json"));
        expect(pkg.main).toBe("index.js");
        expect(Object.keys(pkg.dependencies).sort()).toEqual([...RUNTIME].sort());
        expect(Object.values(pkg.dependencies).every((v) => /^\d+\.\d+\.\d+$/.test(String(v)))).toBe(true);
    });

    test("constructs the same pack as the source, rule for rule", async () => {
        require(path.join(out, "index.js"));
        expect(constructed).toHaveLength(1);
        const [{ name, args }] = constructed as [{ name: string; args: PolicyPackArgs }];
        expect(name).toBe("mlops-levels");
        expect(args.policies.map((p) => p.name)).toEqual(RULES.map((p) => p.name));

        // A bundled rule judges like its source: SSH open to the internet.
        const bundled = args.policies.find((p) => p.name === "aws-no-admin-ports-from-internet");
        if (!bundled || isStackPolicy(bundled)) throw new Error("rule missing from the bundle");
        const sg = {
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "r",
            urn: "urn:pulumi:dev::mlops-levels::aws:ec2/securityGroup:SecurityGroup::r",
            props: {
                vpcId: "vpc-1",
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
            },
        };
        const messages = async (p: ResourceValidationPolicy) =>
            (await runResourcePolicy(p, sg, configOf(p, undefined))).map((v) => v.message);
        const source = RULES.find((p) => p.name === bundled.name) as ResourceValidationPolicy;
        expect(await messages(bundled)).toEqual(["SecurityGroup 'r' opens port(s) 22 to the internet"]);
        expect(await messages(bundled)).toEqual(await messages(source));
    });
});

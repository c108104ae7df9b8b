import * as pulumi from "@pulumi/pulumi";
import { planWarnings } from "../../cli/main";
import type { StackPlan } from "../../cli/plan/plan-stack";
import { blobWriterSettings, SHARED_SIGN_IN_SETTINGS } from "../../components/blocks/azure/roles";
import { deployerCidrProblem, firewallIpRule, MAX_DEPLOYER_CIDRS } from "../../components/shared/cidr";
import { DEPLOYER_CIDRS_PATH, deployerPathWarning, streamSendWarning } from "../../components/shared/deployer";
import { configFor, configProblems, ofType, one, planConfig } from "../helpers/plan";

// How the deployer reaches the Azure foundation's storage for the sample uploads: its addresses in
// the storage firewall (`mlops:options.deployerCidrs`), and the classic provider that writes with
// its Entra ID token.

const LEVEL_1 = { data: { volumeGb: 5, freshnessSeconds: 86400, schedule: "0 3 * * *" } };

const problems = configProblems;

describe("deployerCidrProblem and firewallIpRule", () => {
    it.each(["203.0.113.7/32", "198.51.100.0/24", "172.32.0.0/16", "11.0.0.0/8", "192.169.0.0/16", "172.15.0.0/16"])(
        "admits the public %s",
        (cidr) => expect(deployerCidrProblem(cidr)).toBeUndefined(),
    );

    it.each([
        ["10.0.8.0/24", /private range/],
        ["10.255.255.255/32", /private range/],
        ["172.16.0.0/12", /private range/],
        ["172.31.4.0/24", /private range/],
        ["192.168.1.0/24", /private range/],
        // Wider ranges that hold a private one.
        ["10.0.0.0/7", /holds a private range/],
        ["172.0.0.0/8", /holds a private range/],
        ["192.0.0.0/8", /holds a private range/],
        ["0.0.0.0/1", /holds a private range/],
        ["203.0.113.6/31", /no \/31/],
        ["0.0.0.0/0", /whole internet/],
        ["203.0.113.7/24", /host bits set; write 203\.0\.113\.0\/24/],
        ["203.0.113.7", /not an IPv4 CIDR/],
    ])("refuses %s", (cidr, message) => expect(deployerCidrProblem(cidr)).toMatch(message));

    it("writes a /32 as the bare address and a range as it is", () => {
        expect(firewallIpRule("203.0.113.7/32")).toBe("203.0.113.7");
        expect(firewallIpRule("198.51.100.0/24")).toBe("198.51.100.0/24");
    });
});

describe("mlops:options.deployerCidrs", () => {
    const withCidrs = (cidrs: unknown) => configFor("azure", LEVEL_1, { "mlops:options": { deployerCidrs: cidrs } });

    it("takes public CIDRs, and refuses the rest naming the entry", () => {
        expect(problems(withCidrs(["203.0.113.7/32", "198.51.100.0/24"]))).toEqual([]);
        expect(problems(withCidrs(["203.0.113.7/32", "192.168.0.0/16"]))).toEqual([
            "config.mlops:options.deployerCidrs[1]: '192.168.0.0/16' is or holds a private range; the storage firewall admits public addresses only (a runner inside the stack's network needs no entry)",
        ]);
        expect(problems(withCidrs(["203.0.113.7/32", "198.51.100.0/24", "203.0.113.7/32"]))).toEqual([
            "config.mlops:options.deployerCidrs[2]: '203.0.113.7/32' is listed twice (first at [0])",
        ]);
        expect(problems(withCidrs("203.0.113.7/32"))[0]).toMatch(
            /^config\.mlops:options\.deployerCidrs: deployerCidrs must be a list of public IPv4 CIDRs/,
        );
        const many = Array.from(
            { length: MAX_DEPLOYER_CIDRS + 1 },
            (_, i) => `${11 + Math.floor(i / 256)}.0.${i % 256}.0/24`,
        );
        expect(problems(withCidrs(many))).toEqual([
            `config.mlops:options.deployerCidrs: deployerCidrs takes at most ${MAX_DEPLOYER_CIDRS} CIDRs (the Azure Event Hubs firewall's limit)`,
        ]);
    });
});

describe("the deployer's path to the Azure foundation's storage", () => {
    let open: StackPlan;
    let closed: StackPlan;
    // The default principal type comes from the sign-in variables: plan as a person would (az login).
    const SIGN_IN = ["ARM_CLIENT_ID", "ARM_USE_OIDC", "ARM_USE_MSI", "MLOPS_DEPLOYER_PRINCIPAL_TYPE"];
    const saved = Object.fromEntries(SIGN_IN.map((k) => [k, process.env[k]]));
    afterAll(() => {
        for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
    });
    beforeAll(async () => {
        for (const k of SIGN_IN) delete process.env[k];
        // One after the other: the offline engine is one per process.
        open = await planConfig(
            configFor("azure", LEVEL_1, { "mlops:options": { deployerCidrs: ["203.0.113.7/32", "198.51.100.0/24"] } }),
            "dev",
        );
        closed = await planConfig(configFor("azure", LEVEL_1), "dev");
    }, 120_000);

    it("admits the listed addresses through the storage firewall, which still denies the rest", () => {
        const rules = one(open.resources, "azure-native:storage:StorageAccount").inputs.networkRuleSet as Record<
            string,
            unknown
        >;
        expect(rules.defaultAction).toBe("Deny");
        expect(rules.ipRules).toEqual([
            { iPAddressOrRange: "203.0.113.7", action: "Allow" },
            { iPAddressOrRange: "198.51.100.0/24", action: "Allow" },
        ]);
        const none = one(closed.resources, "azure-native:storage:StorageAccount").inputs.networkRuleSet as Record<
            string,
            unknown
        >;
        expect(none.ipRules).toEqual([]);
    });

    it("warns, naming the option, only when files are uploaded and no address is listed", () => {
        const uploads = ofType(closed.resources, "azure:storage/blob:Blob").length;
        expect(uploads).toBeGreaterThan(0);
        const warned = planWarnings(closed).filter((w) => w.path === DEPLOYER_CIDRS_PATH);
        expect(warned).toEqual([
            { file: closed.settings.file, path: DEPLOYER_CIDRS_PATH, message: deployerPathWarning(uploads, []) },
        ]);
        expect(warned[0]!.message).toContain(`uploads ${uploads} reference files`);
        expect(planWarnings(open).filter((w) => w.path === DEPLOYER_CIDRS_PATH)).toEqual([]);
        expect(deployerPathWarning(0, [])).toBeUndefined();
        expect(streamSendWarning(true, [])).toMatch(/sends the sample event to the Event Hubs namespace/);
        expect(streamSendWarning(true, ["203.0.113.7/32"])).toBeUndefined();
        expect(streamSendWarning(false, [])).toBeUndefined();
        expect(deployerPathWarning(1, [])).toContain("uploads 1 reference file to");
    });

    it("warns when a level-3 Azure stack lists no address for the run command's send", async () => {
        const streaming = await planConfig(configFor("azure", { inference: { mode: "streaming" } }), "dev");
        const warned = planWarnings(streaming).filter((w) => w.path === DEPLOYER_CIDRS_PATH);
        expect(warned.map((w) => w.message)).toContain(streamSendWarning(true, []));
        // The level-1 stack streams nothing: no such warning.
        expect(planWarnings(closed).map((w) => w.message)).not.toContain(streamSendWarning(true, []));
    }, 60_000);

    it("takes the principal type the stack names for the deployer's data role", async () => {
        const plan = await planConfig(
            configFor("azure", LEVEL_1, { "mlops:options": { deployerPrincipalType: "ServicePrincipal" } }),
            "dev",
        );
        const writer = plan.resources.find((r) => r.name === "foundation-deployer-blob-access")!;
        expect(writer.inputs.principalType).toBe("ServicePrincipal");
        // No sign-in variables in the test environment: without the option, a person (az login).
        expect(closed.resources.find((r) => r.name === "foundation-deployer-blob-access")!.inputs.principalType).toBe(
            "User",
        );
    }, 60_000);
});

describe("blobWriterSettings", () => {
    const config = (values: Record<string, string>) => ({
        get: (k: string) => values[k],
        getSecret: (k: string) => (values[k] === undefined ? undefined : pulumi.secret(values[k]!)),
    });

    it("writes with Entra ID, registers nothing, and targets azure-native's subscription and tenant", () => {
        expect(blobWriterSettings("sub", "tenant", config({}))).toEqual({
            storageUseAzuread: true,
            resourceProviderRegistrations: "none",
            skipProviderRegistration: false,
            subscriptionId: "sub",
            tenantId: "tenant",
        });
    });

    it("passes on azure-native's own sign-in settings, booleans as booleans and secrets as given", async () => {
        const s = blobWriterSettings(
            "sub",
            "tenant",
            config({
                clientId: "app",
                useOidc: "true",
                useMsi: "false",
                oidcTokenFilePath: "/var/run/token",
                clientSecret: "s3cret",
                location: "eastus",
                tenantId: "other",
            }),
        );
        expect(s).toMatchObject({
            clientId: "app",
            useOidc: true,
            useMsi: false,
            oidcTokenFilePath: "/var/run/token",
            tenantId: "other",
        });
        expect(pulumi.Output.isInstance(s.clientSecret)).toBe(true);
        await expect(pulumi.isSecret(s.clientSecret as pulumi.Output<string>)).resolves.toBe(true);
        // Settings the classic provider has no counterpart for are not passed.
        expect(s).not.toHaveProperty("location");
        expect(SHARED_SIGN_IN_SETTINGS).toContain("oidcRequestToken");
    });
});

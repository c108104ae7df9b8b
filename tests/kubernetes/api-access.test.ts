import { parseStackConfig } from "../../assessment/config";
import type { PlannedResource } from "../../cli/plan/offline";
import { apiCidrProblem, MAX_API_CIDRS } from "../../components/shared/cidr";
import { kubernetesSpec } from "../../stacks/blueprint";
import { configFor, configProblems, planConfig } from "../helpers/plan";
import { one } from "./harness";

const WORKLOAD = {
    inference: { mode: "online", peakQps: 3000 },
    training: { datasetGb: 60, dataKind: "structured", singleMachineHours: 40, slaHours: 8 },
};
const OFFICE = ["203.0.113.0/24", "198.51.100.7/32"];
const withCidrs = (cloud: "aws" | "azure" | "gcp", cidrs?: unknown) =>
    configFor(cloud, WORKLOAD, cidrs === undefined ? {} : { "mlops:options": { kubernetesApiCidrs: cidrs } });

const problems = configProblems;

describe("mlops:options.kubernetesApiCidrs", () => {
    it("takes canonical IPv4 CIDRs and hands them to the cluster", () => {
        expect(problems(withCidrs("aws", OFFICE))).toEqual([]);
        const s = parseStackConfig(withCidrs("aws", OFFICE), "Pulumi.dev.yaml", "dev");
        expect(kubernetesSpec(s)?.apiAuthorizedCidrs).toEqual(OFFICE);
        expect(kubernetesSpec(parseStackConfig(withCidrs("aws"), "x.yaml", "dev"))?.apiAuthorizedCidrs).toBeUndefined();
        expect(
            kubernetesSpec(parseStackConfig(withCidrs("aws", []), "x.yaml", "dev"))?.apiAuthorizedCidrs,
        ).toBeUndefined();
    });

    it.each([
        [
            "the whole internet",
            ["0.0.0.0/0"],
            "config.mlops:options.kubernetesApiCidrs[0]: '0.0.0.0/0' would open the API server to the whole internet; list the addresses that run pulumi up (an office, a VPN, a CI runner) instead",
        ],
        [
            "a host name",
            ["203.0.113.0/24", "office.example.com"],
            "config.mlops:options.kubernetesApiCidrs[1]: 'office.example.com' is not an IPv4 CIDR such as 203.0.113.0/24",
        ],
        [
            "an address without a prefix",
            ["203.0.113.7"],
            "config.mlops:options.kubernetesApiCidrs[0]: '203.0.113.7' is not an IPv4 CIDR such as 203.0.113.0/24",
        ],
        [
            "an octet out of range",
            ["203.0.313.0/24"],
            "config.mlops:options.kubernetesApiCidrs[0]: '203.0.313.0/24' is not an IPv4 CIDR such as 203.0.113.0/24",
        ],
        [
            "host bits set",
            ["203.0.113.7/24"],
            "config.mlops:options.kubernetesApiCidrs[0]: '203.0.113.7/24' has host bits set; write 203.0.113.0/24",
        ],
        [
            "a number",
            [42],
            "config.mlops:options.kubernetesApiCidrs[0]: each kubernetesApiCidrs entry must be a string such as '203.0.113.0/24' (got 42)",
        ],
        [
            "a single string",
            "203.0.113.0/24",
            'config.mlops:options.kubernetesApiCidrs: kubernetesApiCidrs must be a list of IPv4 CIDRs (got "203.0.113.0/24")',
        ],
    ])("refuses %s with one clear problem at its key path", (_, cidrs, expected) => {
        expect(problems(withCidrs("gcp", cidrs))).toEqual([expected]);
    });

    it("refuses more CIDRs than EKS takes", () => {
        const many = Array.from({ length: MAX_API_CIDRS + 1 }, (_, i) => `10.${i}.0.0/16`);
        expect(problems(withCidrs("azure", many))).toEqual([
            `config.mlops:options.kubernetesApiCidrs: kubernetesApiCidrs takes at most ${MAX_API_CIDRS} CIDRs (the EKS limit)`,
        ]);
    });

    it("the check is one pure function shared by the schema and the component", () => {
        expect(apiCidrProblem("10.0.0.0/8")).toBeUndefined();
        expect(apiCidrProblem("198.51.100.7/32")).toBeUndefined();
        expect(apiCidrProblem("1.2.3.4/0")).toMatch(/whole internet/);
        expect(apiCidrProblem("10.1.2.3/8")).toBe("'10.1.2.3/8' has host bits set; write 10.0.0.0/8");
        expect(apiCidrProblem("10.0.0.0/33")).toMatch(/not an IPv4 CIDR/);
    });
});

describe("each cloud's control plane takes the CIDRs from stack config", () => {
    const plan = async (cloud: "aws" | "azure" | "gcp", cidrs?: string[]): Promise<PlannedResource[]> =>
        (await planConfig(withCidrs(cloud, cidrs))).resources;

    it("EKS through the stack: runner CIDRs open HTTPS on the cluster group; runCommands are exported", async () => {
        const run = await planConfig(
            configFor("aws", WORKLOAD, { "mlops:options": { kubernetesApiRunnerCidrs: ["10.0.8.0/24"] } }),
        );
        const rule = run.resources.find((r) => r.name === "kubernetes-api-runner-1");
        expect(rule?.inputs).toMatchObject({ cidrIpv4: "10.0.8.0/24", fromPort: 443, toPort: 443 });
        const commands = run.outputs.runCommands as Record<string, string>;
        expect(Object.keys(commands).sort()).toEqual(["inference", "training"]);
        expect(commands.inference).toMatch(/^curl -sS -X POST http:\/\/internal-\S+\/v1\/models\/churn:predict /);
        expect(commands.training).toContain("pulumi stack output kubeconfig --show-secrets --stack dev");
    }, 120000);

    it("AKS through the stack: the deployer's principal type comes from mlops:options", async () => {
        const run = await planConfig(
            configFor("azure", WORKLOAD, { "mlops:options": { deployerPrincipalType: "ServicePrincipal" } }),
        );
        expect(run.resources.find((r) => r.name === "kubernetes-deployer-admin")?.inputs.principalType).toBe(
            "ServicePrincipal",
        );
        expect(problems(configFor("azure", WORKLOAD, { "mlops:options": { deployerPrincipalType: "Group" } }))).toEqual(
            [
                "config.mlops:options.deployerPrincipalType: deployerPrincipalType must be 'User' or 'ServicePrincipal' (got \"Group\")",
            ],
        );
        expect(
            problems(configFor("gcp", WORKLOAD, { "mlops:options": { kubernetesApiRunnerCidrs: ["10.0.8.7/24"] } })),
        ).toEqual([
            "config.mlops:options.kubernetesApiRunnerCidrs[0]: '10.0.8.7/24' has host bits set; write 10.0.8.0/24",
        ]);
    }, 120000);

    it("EKS: a public endpoint limited to the CIDRs only when they are given", async () => {
        const open = one(await plan("aws", OFFICE), "aws:eks/cluster:Cluster").inputs.vpcConfig;
        expect(open).toMatchObject({
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: OFFICE,
        });
        const closed = one(await plan("aws"), "aws:eks/cluster:Cluster").inputs.vpcConfig;
        expect(closed).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
        expect(closed.publicAccessCidrs).toBeUndefined();
    }, 120000);

    it("AKS: authorized IP ranges instead of a private cluster", async () => {
        const open = one(await plan("azure", OFFICE), "azure-native:containerservice:ManagedCluster").inputs;
        expect(open.apiServerAccessProfile).toEqual({ authorizedIPRanges: OFFICE });
        const closed = one(await plan("azure"), "azure-native:containerservice:ManagedCluster").inputs;
        expect(closed.apiServerAccessProfile).toMatchObject({ enablePrivateCluster: true });
        expect(closed.apiServerAccessProfile.authorizedIPRanges).toBeUndefined();
    }, 120000);

    it("GKE: master authorized networks, with the public endpoint on only when they are given", async () => {
        const open = one(await plan("gcp", OFFICE), "gcp:container/cluster:Cluster").inputs;
        expect(open.masterAuthorizedNetworksConfig).toEqual({
            cidrBlocks: [
                { cidrBlock: "203.0.113.0/24", displayName: "authorized-1" },
                { cidrBlock: "198.51.100.7/32", displayName: "authorized-2" },
            ],
            gcpPublicCidrsAccessEnabled: false,
        });
        expect(open.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, enablePrivateEndpoint: false });
        const closed = one(await plan("gcp"), "gcp:container/cluster:Cluster").inputs;
        expect(closed.masterAuthorizedNetworksConfig.cidrBlocks).toEqual([]);
        expect(closed.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, enablePrivateEndpoint: true });
    }, 120000);
});

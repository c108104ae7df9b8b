import { type FoundationArgs, mergeNeeds, needsProblems } from "../../components/foundation/index";
import { AZURE_JOB_PROFILES } from "../../components/machines/azure";
import type { StackContext } from "../../components/shared/context";

const profile = (type: string) => AZURE_JOB_PROFILES.find((p) => p.profileType === type)!;

describe("mergeNeeds", () => {
    test("nothing asked, nothing needed", () => {
        expect(mergeNeeds([])).toEqual({});
        expect(mergeNeeds([{}, {}])).toEqual({});
    });

    test("endpoints once each in first-asked order, profiles once per job, flags joined", () => {
        expect(
            mergeNeeds([
                { interfaceEndpoints: ["ecr.api", "ecr.dkr"] },
                { interfaceEndpoints: ["kinesis-streams", "ecr.api"], batchAccount: true },
                { workloadProfiles: [profile("E8")] },
                { workloadProfiles: [profile("E8")], kubernetesSubnet: true },
            ]),
        ).toEqual({
            interfaceEndpoints: ["ecr.api", "ecr.dkr", "kinesis-streams"],
            kubernetesSubnet: true,
            workloadProfiles: [profile("E8"), profile("E8")],
            batchAccount: true,
        });
    });

    test("the internet path is for the first level that asks", () => {
        expect(
            mergeNeeds([
                {},
                { internetEgress: { pipeline: ["training", "inference"], level: 5 } },
                { internetEgress: { pipeline: "data", level: 3 } },
            ]).internetEgress,
        ).toEqual({ pipeline: ["training", "inference"], level: 5 });
    });
});

describe("needsProblems", () => {
    const ctx = {} as StackContext;
    const args = (a: Omit<FoundationArgs, "ctx">): FoundationArgs => ({ ctx, ...a });

    test("a foundation that has every piece asked for, on its network: no problem", () => {
        expect(
            needsProblems(args({ network: true, interfaceEndpoints: ["sts"] }), "AWS", ["interfaceEndpoints"]),
        ).toEqual([]);
        expect(needsProblems(args({ network: false }), "GCP", ["internetEgress"])).toEqual([]);
        // A flag set to false asks for nothing.
        expect(needsProblems(args({ network: false, batchAccount: false }), "Azure", [])).toEqual([]);
    });

    test("names each piece the cloud does not have, and needs without the network", () => {
        expect(
            needsProblems(
                args({ network: false, kubernetesSubnet: true, internetEgress: { pipeline: "inference", level: 5 } }),
                "GCP",
                ["internetEgress"],
            ),
        ).toEqual([
            "the GCP foundation has no kubernetesSubnet; no GCP capability should ask for it",
            "kubernetesSubnet, internetEgress need the private network; create the foundation with network: true",
        ]);
    });
});

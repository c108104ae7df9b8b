import { tagsOf } from "../../catalog";

/** The one tag reader every consumer uses (cost, policies, diagram), on hand-written inputs. */
const T = { "mlops-pipeline": "data", "mlops-level": "2" };

describe("tagsOf", () => {
    it.each<[string, string, Record<string, unknown>, Record<string, unknown> | undefined]>([
        ["AWS tags", "aws:s3/bucket:Bucket", { tags: T }, T],
        ["GCP labels", "gcp:storage/bucket:Bucket", { labels: T }, T],
        ["GCP network tags are not labels", "gcp:compute/instance:Instance", { tags: ["ssh"], labels: T }, T],
        ["GKE cluster resourceLabels", "gcp:container/cluster:Cluster", { resourceLabels: T }, T],
        [
            "GKE node pool labels inside its node config",
            "gcp:container/nodePool:NodePool",
            { nodeConfig: { resourceLabels: T } },
            T,
        ],
        [
            "EKS node groups' labels are Kubernetes node labels, not tags",
            "aws:eks/nodeGroup:NodeGroup",
            { labels: T },
            undefined,
        ],
        ["Kubernetes metadata labels", "kubernetes:apps/v1:Deployment", { metadata: { labels: T } }, T],
        ["a type that takes no tags", "aws:iam/rolePolicy:RolePolicy", { tags: T }, undefined],
        [
            "an unknown GCP type: the provider's usual places",
            "gcp:sql/databaseInstance:DatabaseInstance",
            { userLabels: T },
            T,
        ],
        ["an unknown Azure type: tags", "azure-native:web:WebApp", { tags: T }, T],
        ["nothing", "aws:s3/bucket:Bucket", {}, undefined],
    ])("%s", (_d, type, inputs, expected) => {
        expect(tagsOf(type, inputs)).toEqual(expected);
    });

    it("puts the provider's default tags under the resource's own", () => {
        const provider = { type: "pulumi:providers:aws", props: { defaultTags: { tags: { ...T, team: "ml" } } } };
        expect(tagsOf("aws:s3/bucket:Bucket", { tags: { "mlops-level": "3" } }, provider)).toEqual({
            ...T,
            team: "ml",
            "mlops-level": "3",
        });
        const gcp = { type: "pulumi:providers:gcp", props: { defaultLabels: T } };
        expect(tagsOf("gcp:storage/bucket:Bucket", {}, gcp)).toEqual(T);
    });

    it("reads a state machine's job tags from its definition when it has none of its own", () => {
        const definition = JSON.stringify({
            States: { Run: { Parameters: { Tags: [{ Key: "mlops-pipeline", Value: "training" }] } } },
        });
        expect(tagsOf("aws:sfn/stateMachine:StateMachine", { definition })).toEqual({ "mlops-pipeline": "training" });
        expect(tagsOf("aws:sfn/stateMachine:StateMachine", { definition, tags: T })).toEqual(T);
    });
});

import { arr, label, resourceRule } from "../props";

const PUBLIC = ["allUsers", "allAuthenticatedUsers"];

/**
 * Artifact Registry repositories grant nothing to `allUsers` or `allAuthenticatedUsers`: images carry the model.
 * Public source: Checkov CKV_GCP_101 (Artifact Registry repositories are not anonymously or publicly accessible).
 */
export const gcpArtifactRegistryNotPublic = resourceRule({
    name: "gcp-artifact-registry-not-public",
    description: "Artifact Registry repositories are not public (no allUsers/allAuthenticatedUsers grants).",
    enforcementLevel: "mandatory",
    severity: "high",
    types: [
        "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        "gcp:artifactregistry/repositoryIamBinding:RepositoryIamBinding",
        "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy",
    ],
    check: (props, args, report) => {
        const texts = [props["member"], ...arr(props["members"]), props["policyData"]].filter(
            (m): m is string => typeof m === "string",
        );
        const pub = PUBLIC.filter((p) => texts.some((t) => t === p || t.includes(`"${p}"`)));
        if (pub.length > 0) report(`${label(args)} grants access to ${pub.join(", ")}`);
    },
});

import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import type { StateFn } from "./mock-state";
import { hex, MOCK_ACCOUNT, MOCK_GCP_PROJECT, MOCK_SUBSCRIPTION } from "./mock-state";

// Computed outputs of the registry (level 4 and 5) and serverless endpoint (level 4) types, shaped
// like each cloud's own. Spread into TYPE_STATE after the per-cloud maps, so these win.

const str = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);
const arnOf = (service: string, region: string, resource: string) =>
    `arn:aws:${service}:${region}:${MOCK_ACCOUNT}:${resource}`;
function armId(a: MockResourceArgs, providerType: string, name: string): string {
    const rg = str(a.inputs.resourceGroupName, "rg");
    return `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg}/providers/${providerType}/${name}`;
}
const gcpProject = (a: MockResourceArgs) => str(a.inputs.project, MOCK_GCP_PROJECT);

/** Mock state of the registry and endpoint resource types. */
export const endpointState: Record<string, StateFn> = {
    // --- AWS: ECR, SageMaker hosting, IAM managed policies
    "aws:ecr/repository:Repository": (a, r) => {
        const name = str(a.inputs.name, a.name);
        return {
            id: name,
            name,
            arn: arnOf("ecr", r, `repository/${name}`),
            registryId: MOCK_ACCOUNT,
            repositoryUrl: `${MOCK_ACCOUNT}.dkr.ecr.${r}.amazonaws.com/${name}`,
        };
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": (a) => ({ id: a.inputs.repository, registryId: MOCK_ACCOUNT }),
    "aws:ecr/repositoryPolicy:RepositoryPolicy": (a) => ({ id: a.inputs.repository, registryId: MOCK_ACCOUNT }),
    "aws:sagemaker/model:Model": (a, r) => {
        // Auto-named like Pulumi does: the logical name plus a random suffix.
        const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
        return { id: name, name, arn: arnOf("sagemaker", r, `model/${name.toLowerCase()}`) };
    },
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": (a, r) => {
        const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
        return { id: name, name, arn: arnOf("sagemaker", r, `endpoint-config/${name.toLowerCase()}`) };
    },
    "aws:sagemaker/endpoint:Endpoint": (a, r) => {
        const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
        return { id: name, name, arn: arnOf("sagemaker", r, `endpoint/${name.toLowerCase()}`) };
    },
    "aws:iam/policy:Policy": (a) => {
        const name = str(a.inputs.name, `${a.name}-${hex(a.name, 7)}`);
        return {
            id: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${name}`,
            name,
            arn: `arn:aws:iam::${MOCK_ACCOUNT}:policy/${name}`,
            policyId: `ANPA${hex(a.name, 17).toUpperCase()}`,
            attachmentCount: 0,
        };
    },

    // --- Azure: Container Registry, Container Apps
    "azure-native:containerregistry:Registry": (a) => {
        const name = str(a.inputs.registryName, a.name);
        return {
            id: armId(a, "Microsoft.ContainerRegistry/registries", name),
            name,
            loginServer: `${name}.azurecr.io`,
            provisioningState: "Succeeded",
            creationDate: "2025-01-01T00:00:00Z",
        };
    },
    "azure-native:containerregistry:Task": (a) => {
        const name = str(a.inputs.taskName, a.name);
        const registry = str(a.inputs.registryName, "registry");
        return {
            id: armId(a, `Microsoft.ContainerRegistry/registries/${registry}/tasks`, name),
            name,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:app:ContainerApp": (a, r) => {
        const name = str(a.inputs.containerAppName, a.name);
        const domain = `${hex(a.name, 6)}-${hex(`${a.name}d`, 8)}.${r}.azurecontainerapps.io`;
        const configuration = (a.inputs.configuration ?? {}) as Record<string, unknown>;
        const ingress = configuration["ingress"] as Record<string, unknown> | undefined;
        return {
            id: armId(a, "Microsoft.App/containerApps", name),
            name,
            provisioningState: "Succeeded",
            latestRevisionName: `${name}--r1`,
            latestRevisionFqdn: `${name}--r1.${domain}`,
            outboundIpAddresses: ["20.0.0.10"],
            configuration:
                ingress === undefined
                    ? configuration
                    : { ...configuration, ingress: { ...ingress, fqdn: `${name}.${domain}` } },
        };
    },
    "azure-native:app:ContainerAppsAuthConfig": (a) => {
        const name = str(a.inputs.authConfigName, "current");
        const appName = str(a.inputs.containerAppName, "app");
        return { id: armId(a, `Microsoft.App/containerApps/${appName}/authConfigs`, name), name };
    },

    // --- GCP: Artifact Registry, Cloud Run
    "gcp:artifactregistry/repository:Repository": (a, r) => {
        const id = str(a.inputs.repositoryId, a.name);
        const location = str(a.inputs.location, r);
        return {
            id: `projects/${gcpProject(a)}/locations/${location}/repositories/${id}`,
            name: id,
            createTime: "2025-01-01T00:00:00Z",
            registryUri: `${location}-docker.pkg.dev/${gcpProject(a)}/${id}`,
        };
    },
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": (a, r) => ({
        id: `projects/${gcpProject(a)}/locations/${str(a.inputs.location, r)}/repositories/${a.inputs.repository}/${a.inputs.role}/${a.inputs.member}`,
        etag: `BwY${hex(a.name, 9)}=`,
    }),
    "gcp:cloudrunv2/service:Service": (a, r) => {
        const name = str(a.inputs.name, a.name);
        const location = str(a.inputs.location, r);
        return {
            id: `projects/${gcpProject(a)}/locations/${location}/services/${name}`,
            name,
            uid: `${hex(a.name, 8)}-${hex(`${a.name}u`, 4)}-4${hex(`${a.name}v`, 3)}-8${hex(`${a.name}w`, 3)}-${hex(`${a.name}x`, 12)}`,
            uri: `https://${name}-${hex(a.name, 10)}-${location.replace(/[^a-z]/g, "").slice(0, 2)}.a.run.app`,
            urls: [`https://${name}-123456789012.${location}.run.app`],
            latestReadyRevision: `projects/${gcpProject(a)}/locations/${location}/services/${name}/revisions/${name}-00001-abc`,
            terminalConditions: [{ type: "Ready", state: "CONDITION_SUCCEEDED" }],
        };
    },
};

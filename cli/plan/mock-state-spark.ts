import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import type { StateFn } from "./mock-state";
import { hex, MOCK_ACCOUNT, MOCK_GCP_PROJECT, MOCK_SUBSCRIPTION } from "./mock-state";

// Computed outputs of the Spark cluster's resource types (level 2) on the three clouds.

const str = (v: unknown, fallback: string) => (typeof v === "string" && v !== "" ? v : fallback);
const project = (a: MockResourceArgs) => str(a.inputs.project, MOCK_GCP_PROJECT);
const rg = (a: MockResourceArgs) => str(a.inputs.resourceGroupName, "rg");
const armId = (a: MockResourceArgs, providerType: string, name: string) =>
    `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg(a)}/providers/${providerType}/${name}`;

export const sparkState: Record<string, StateFn> = {
    // EMR Serverless application ids are 16-18 lowercase alphanumerics starting with "00".
    "aws:emrserverless/application:Application": (a, r) => {
        const id = `00${hex(a.name, 14)}`;
        return {
            id,
            arn: `arn:aws:emr-serverless:${r}:${MOCK_ACCOUNT}:/applications/${id}`,
            name: str(a.inputs.name, a.name),
        };
    },
    "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy": (a, r) => {
        const name = `projects/${project(a)}/regions/${str(a.inputs.location, r)}/autoscalingPolicies/${a.inputs.policyId}`;
        return { id: name, name };
    },
    "gcp:dataproc/workflowTemplate:WorkflowTemplate": (a, r) => ({
        id: `projects/${project(a)}/locations/${str(a.inputs.location, r)}/workflowTemplates/${str(a.inputs.name, a.name)}`,
        name: str(a.inputs.name, a.name),
        version: 1,
        createTime: "2024-01-01T00:00:00Z",
        updateTime: "2024-01-01T00:00:00Z",
    }),
    "azure-native:synapse:Workspace": (a) => {
        const name = str(a.inputs.workspaceName, a.name);
        return {
            id: armId(a, "Microsoft.Synapse/workspaces", name),
            name,
            provisioningState: "Succeeded",
            workspaceUID: `${hex(name, 8)}-0000-4000-8000-${hex(name, 12)}`,
            connectivityEndpoints: {
                dev: `https://${name}.dev.azuresynapse.net`,
                sql: `${name}.sql.azuresynapse.net`,
                sqlOnDemand: `${name}-ondemand.sql.azuresynapse.net`,
                web: `https://web.azuresynapse.net?workspace=%2fsubscriptions%2f${MOCK_SUBSCRIPTION}`,
            },
            identity: {
                type: "SystemAssigned",
                principalId: `${hex(`${name}/principal`, 8)}-1111-4000-8000-${hex(`${name}/principal`, 12)}`,
                tenantId: "11111111-1111-1111-1111-111111111111",
            },
        };
    },
    "azure-native:synapse:BigDataPool": (a) => {
        const name = str(a.inputs.bigDataPoolName, a.name);
        return {
            id: `${armId(a, "Microsoft.Synapse/workspaces", str(a.inputs.workspaceName, "ws"))}/bigDataPools/${name}`,
            name,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:network:PrivateEndpoint": (a) => {
        const name = str(a.inputs.privateEndpointName, a.name);
        return {
            id: armId(a, "Microsoft.Network/privateEndpoints", name),
            name,
            provisioningState: "Succeeded",
            networkInterfaces: [{ id: armId(a, "Microsoft.Network/networkInterfaces", `${name}.nic.${hex(name, 8)}`) }],
        };
    },
    "azure-native:network:PrivateDnsZoneGroup": (a) => {
        const name = str(a.inputs.privateDnsZoneGroupName, a.name);
        return {
            id: `${armId(a, "Microsoft.Network/privateEndpoints", str(a.inputs.privateEndpointName, "pe"))}/privateDnsZoneGroups/${name}`,
            name,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:privatedns:PrivateZone": (a) => {
        const name = str(a.inputs.privateZoneName, a.name);
        return {
            id: armId(a, "Microsoft.Network/privateDnsZones", name),
            name,
            numberOfRecordSets: 1,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:privatedns:VirtualNetworkLink": (a) => {
        const name = str(a.inputs.virtualNetworkLinkName, a.name);
        return {
            id: `${armId(a, "Microsoft.Network/privateDnsZones", str(a.inputs.privateZoneName, "zone"))}/virtualNetworkLinks/${name}`,
            name,
            virtualNetworkLinkState: "Completed",
            provisioningState: "Succeeded",
        };
    },
};

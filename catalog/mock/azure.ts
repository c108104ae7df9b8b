import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { containerOf } from "../values";
import { hex, MOCK_SUBSCRIPTION, MOCK_TENANT, type MockCall, type MockState, mockKubeconfig, str } from "./helpers";

/** The physical name a resource gets from its type-specific name input, else its logical name. */
function physical(a: MockResourceArgs, key: string): string {
    return str(a.inputs[key], a.name);
}

/** An ARM id inside the resource's group, like the ones Azure returns. */
function armId(a: MockResourceArgs, providerType: string, name: string): string {
    return `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${str(a.inputs.resourceGroupName, "rg")}/providers/${providerType}/${name}`;
}

/** Id and name of a top-level resource whose name sits in input `key`. */
const named =
    (providerType: string, key: string): MockState =>
    (a) => {
        const name = physical(a, key);
        return { id: armId(a, providerType, name), name };
    };

/** A version-4 GUID derived from `s`. */
const guid = (s: string) =>
    `${hex(`${s}/1`, 8)}-${hex(`${s}/2`, 4)}-4${hex(`${s}/3`, 3)}-8${hex(`${s}/4`, 3)}-${hex(`${s}/5`, 12)}`;

// Computed outputs of Azure resource types beyond the engine's generic ones, shaped like the
// cloud's own. Each is named in its type's catalogue entry (catalog/azure.ts).

/** azure-native:resources:ResourceGroup */
export const resourceGroup: MockState = (a) => {
    const name = physical(a, "resourceGroupName");
    return {
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${name}`,
        name,
        provisioningState: "Succeeded",
    };
};

/** azure-native:storage:StorageAccount */
export const storageAccount: MockState = (a) => {
    const name = physical(a, "accountName");
    const endpoint = (svc: string) => `https://${name}.${svc}.core.windows.net/`;
    return {
        id: armId(a, "Microsoft.Storage/storageAccounts", name),
        name,
        primaryLocation: a.inputs.location,
        statusOfPrimary: "available",
        primaryEndpoints: {
            blob: endpoint("blob"),
            dfs: endpoint("dfs"),
            file: endpoint("file"),
            queue: endpoint("queue"),
            table: endpoint("table"),
            web: `https://${name}.z13.web.core.windows.net/`,
        },
    };
};

/** azure-native:authorization:RoleDefinition: a custom role's id at its scope, as ARM returns it. */
export const roleDefinition: MockState = (a) => {
    const id = str(a.inputs.roleDefinitionId, guid(a.name));
    return {
        id: `${str(a.inputs.scope, `/subscriptions/${MOCK_SUBSCRIPTION}`)}/providers/Microsoft.Authorization/roleDefinitions/${id}`,
        name: id,
        type: "Microsoft.Authorization/roleDefinitions",
        roleType: "CustomRole",
    };
};

/**
 * azure:storage/blob:Blob (the classic provider): the blob's URL on its account's Blob endpoint, read
 * from the container's resource id, as the provider's id and `url`.
 */
export const classicBlob: MockState = (a) => {
    const name = str(a.inputs.name, a.name);
    const container = containerOf(a.inputs.storageContainerId);
    const url = `https://${container?.account ?? "account"}.blob.core.windows.net/${container?.container ?? "container"}/${name}`;
    return { id: url, name, url, type: str(a.inputs.type, "Block"), metadata: {}, accessTier: "Hot" };
};

/** azure-native:storage:BlobServiceProperties */
export const blobServiceProperties: MockState = (a) => ({
    id: armId(a, "Microsoft.Storage/storageAccounts", `${a.inputs.accountName}/blobServices/default`),
    name: "default",
});

/** azure-native:storage:BlobContainer */
export const blobContainer: MockState = (a) => {
    const name = physical(a, "containerName");
    return {
        id: armId(
            a,
            "Microsoft.Storage/storageAccounts",
            `${a.inputs.accountName}/blobServices/default/containers/${name}`,
        ),
        name,
        deleted: false,
        hasImmutabilityPolicy: false,
        hasLegalHold: false,
    };
};

/** azure-native:storage:ManagementPolicy */
export const managementPolicy: MockState = (a) => ({
    id: armId(a, "Microsoft.Storage/storageAccounts", `${a.inputs.accountName}/managementPolicies/default`),
    name: "DefaultManagementPolicy",
});

/** azure-native:operationalinsights:Workspace */
export const operationalinsightsWorkspace: MockState = (a) => ({
    ...named("Microsoft.OperationalInsights/workspaces", "workspaceName")(a, ""),
    customerId: `${hex(a.name, 8)}-${hex(`${a.name}1`, 4)}-${hex(`${a.name}2`, 4)}-${hex(`${a.name}3`, 4)}-${hex(`${a.name}4`, 12)}`,
});

/** azure-native:network:NetworkSecurityGroup */
export const networkSecurityGroup: MockState = named(
    "Microsoft.Network/networkSecurityGroups",
    "networkSecurityGroupName",
);

/** azure-native:network:VirtualNetwork */
export const virtualNetwork: MockState = named("Microsoft.Network/virtualNetworks", "virtualNetworkName");

/** azure-native:network:Subnet */
export const subnet: MockState = (a) => {
    const name = physical(a, "subnetName");
    return {
        id: armId(a, "Microsoft.Network/virtualNetworks", `${a.inputs.virtualNetworkName}/subnets/${name}`),
        name,
    };
};

/** azure-native:network:NetworkInterface */
export const networkInterface: MockState = (a) => {
    const name = physical(a, "networkInterfaceName");
    return {
        id: armId(a, "Microsoft.Network/networkInterfaces", name),
        name,
        macAddress: "00-0D-3A-00-00-01",
        ipConfigurations: ((a.inputs.ipConfigurations as Record<string, unknown>[] | undefined) ?? []).map((c, i) => ({
            ...c,
            privateIPAddress: `10.0.1.${4 + i}`,
        })),
    };
};

/** azure-native:managedidentity:UserAssignedIdentity */
export const userAssignedIdentity: MockState = (a) => {
    const name = physical(a, "resourceName");
    const guid = (s: string) =>
        `${hex(s, 8)}-${hex(`${s}a`, 4)}-${hex(`${s}b`, 4)}-${hex(`${s}c`, 4)}-${hex(`${s}d`, 12)}`;
    return {
        id: armId(a, "Microsoft.ManagedIdentity/userAssignedIdentities", name),
        name,
        principalId: guid(a.name),
        clientId: guid(`${a.name}-client`),
        tenantId: MOCK_TENANT,
    };
};

/** azure-native:authorization:RoleAssignment */
export const roleAssignment: MockState = (a) => {
    const name = String(a.inputs.roleAssignmentName ?? hex(a.name, 32));
    return { id: `${a.inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name };
};

/** azure-native:authorization:ManagementLockByScope */
export const managementLockByScope: MockState = (a) => {
    const name = physical(a, "lockName");
    return { id: `${a.inputs.scope}/providers/Microsoft.Authorization/locks/${name}`, name };
};

/** azure-native:monitor:DiagnosticSetting */
export const diagnosticSetting: MockState = (a) => {
    const name = physical(a, "name");
    return { id: `${a.inputs.resourceUri}/providers/Microsoft.Insights/diagnosticSettings/${name}`, name };
};

/** --- Azure: Container Registry, Container Apps */
export const registry: MockState = (a) => {
    const name = str(a.inputs.registryName, a.name);
    return {
        id: armId(a, "Microsoft.ContainerRegistry/registries", name),
        name,
        loginServer: `${name}.azurecr.io`,
        provisioningState: "Succeeded",
        creationDate: "2025-01-01T00:00:00Z",
    };
};

/** azure-native:app:ContainerApp */
export const containerApp: MockState = (a, r) => {
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
};

/** azure-native:app:ManagedEnvironment */
export const managedEnvironment: MockState = (a, r) => {
    const name = physical(a, "environmentName");
    return {
        id: armId(a, "Microsoft.App/managedEnvironments", name),
        name,
        defaultDomain: `${hex(a.name, 6)}-${hex(`${a.name}d`, 8)}.${r}.azurecontainerapps.io`,
        // Internal environments get an address from their own subnet.
        staticIp: "10.0.0.62",
        provisioningState: "Succeeded",
    };
};

/** azure-native:app:Job */
export const job: MockState = (a, r) => {
    const name = physical(a, "jobName");
    return {
        id: armId(a, "Microsoft.App/jobs", name),
        name,
        provisioningState: "Succeeded",
        eventStreamEndpoint: `https://${r}.azurecontainerapps.dev/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/containerApps/${name}/eventstream`,
        outboundIpAddresses: ["20.0.0.10"],
    };
};

/** azure-native:batch:BatchAccount */
export const batchAccount: MockState = (a, r) => {
    const name = physical(a, "accountName");
    return {
        id: armId(a, "Microsoft.Batch/batchAccounts", name),
        name,
        accountEndpoint: `${name}.${r}.batch.azure.com`,
        nodeManagementEndpoint: `${hex(a.name, 12)}.${r}.service.batch.azure.com`,
        poolAllocationMode: a.inputs.poolAllocationMode ?? "BatchService",
        provisioningState: "Succeeded",
    };
};

/** azure-native:batch:Pool */
export const pool: MockState = (a) => {
    const name = physical(a, "poolName");
    return {
        id: armId(a, "Microsoft.Batch/batchAccounts", `${a.inputs.accountName}/pools/${name}`),
        name,
        allocationState: "Steady",
        currentDedicatedNodes: 0,
        currentLowPriorityNodes: 0,
        provisioningState: "Succeeded",
    };
};

/** azure-native:compute:VirtualMachine */
export const virtualMachine: MockState = (a) => {
    const name = physical(a, "vmName");
    return {
        id: armId(a, "Microsoft.Compute/virtualMachines", name),
        name,
        vmId: `${hex(a.name, 8)}-${hex(`${a.name}v`, 4)}-${hex(`${a.name}w`, 4)}-${hex(`${a.name}x`, 4)}-${hex(`${a.name}y`, 12)}`,
        provisioningState: "Succeeded",
    };
};

/** azure-native:containerservice:ManagedCluster */
export const managedCluster: MockState = (a, r) => ({
    fqdn: `${a.inputs.dnsPrefix ?? a.name}-${hex(a.name, 8)}.hcp.${r}.azmk8s.io`,
    privateFQDN: `${a.inputs.dnsPrefix ?? a.name}-${hex(a.name, 8)}.privatelink.${r}.azmk8s.io`,
    oidcIssuerProfile: {
        enabled: true,
        issuerURL: `https://${r}.oic.prod-aks.azure.com/11111111-1111-1111-1111-111111111111/${hex(a.name, 32)}/`,
    },
    identityProfile: {
        kubeletidentity: {
            objectId: hex(`${a.name}k`, 32),
            clientId: hex(`${a.name}kc`, 32),
            resourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MC_${a.inputs.resourceName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${a.inputs.resourceName}-agentpool`,
        },
    },
    provisioningState: "Succeeded",
});

/** azure-native:synapse:Workspace */
export const synapseWorkspace: MockState = (a) => {
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
};

/** azure-native:synapse:BigDataPool */
export const bigDataPool: MockState = (a) => {
    const name = str(a.inputs.bigDataPoolName, a.name);
    return {
        id: `${armId(a, "Microsoft.Synapse/workspaces", str(a.inputs.workspaceName, "ws"))}/bigDataPools/${name}`,
        name,
        provisioningState: "Succeeded",
    };
};

/** azure-native:network:PrivateEndpoint */
export const privateEndpoint: MockState = (a) => {
    const name = str(a.inputs.privateEndpointName, a.name);
    return {
        id: armId(a, "Microsoft.Network/privateEndpoints", name),
        name,
        provisioningState: "Succeeded",
        networkInterfaces: [{ id: armId(a, "Microsoft.Network/networkInterfaces", `${name}.nic.${hex(name, 8)}`) }],
    };
};

/** azure-native:network:PrivateDnsZoneGroup */
export const privateDnsZoneGroup: MockState = (a) => {
    const name = str(a.inputs.privateDnsZoneGroupName, a.name);
    return {
        id: `${armId(a, "Microsoft.Network/privateEndpoints", str(a.inputs.privateEndpointName, "pe"))}/privateDnsZoneGroups/${name}`,
        name,
        provisioningState: "Succeeded",
    };
};

/** azure-native:privatedns:PrivateZone */
export const privateZone: MockState = (a) => {
    const name = str(a.inputs.privateZoneName, a.name);
    return {
        id: armId(a, "Microsoft.Network/privateDnsZones", name),
        name,
        numberOfRecordSets: 1,
        provisioningState: "Succeeded",
    };
};

/** azure-native:privatedns:VirtualNetworkLink */
export const virtualNetworkLink: MockState = (a) => {
    const name = str(a.inputs.virtualNetworkLinkName, a.name);
    return {
        id: `${armId(a, "Microsoft.Network/privateDnsZones", str(a.inputs.privateZoneName, "zone"))}/virtualNetworkLinks/${name}`,
        name,
        virtualNetworkLinkState: "Completed",
        provisioningState: "Succeeded",
    };
};

/** ---------------- Azure */
export const namespace: MockState = (a) => {
    const name = str(a.inputs.namespaceName, a.name);
    return {
        name,
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${name}`,
        serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/`,
        metricId: `${MOCK_SUBSCRIPTION}:${name}`,
        provisioningState: "Succeeded",
        status: "Active",
    };
};

/** azure-native:eventhub:EventHub */
export const eventHub: MockState = (a) => {
    const name = str(a.inputs.eventHubName, a.name);
    const count = Number(a.inputs.partitionCount ?? 4);
    return {
        name,
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.inputs.namespaceName}/eventhubs/${name}`,
        partitionIds: Array.from({ length: count }, (_, i) => String(i)),
        status: "Active",
    };
};

/** azure-native:eventhub:ConsumerGroup */
export const consumerGroup: MockState = (a) => {
    const name = str(a.inputs.consumerGroupName, a.name);
    return {
        name,
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.inputs.namespaceName}/eventhubs/${a.inputs.eventHubName}/consumergroups/${name}`,
    };
};

/** azure-native:eventhub:NamespaceNetworkRuleSet */
export const namespaceNetworkRuleSet: MockState = (a) => ({
    name: "default",
    id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.inputs.namespaceName}/networkRuleSets/default`,
});

/** azure-native:streamanalytics:StreamingJob */
export const streamingJob: MockState = (a) => {
    const name = str(a.inputs.jobName, a.name);
    return {
        name,
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.StreamAnalytics/streamingjobs/${name}`,
        jobId: guid(name),
        jobState: "Created",
        provisioningState: "Succeeded",
        identity: { type: "SystemAssigned", principalId: guid(`${name}/principal`), tenantId: MOCK_TENANT },
    };
};

/** azure-native:streamanalytics:Input */
export const input: MockState = (a) => {
    const name = str(a.inputs.inputName, a.name);
    return {
        name,
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.StreamAnalytics/streamingjobs/${a.inputs.jobName}/inputs/${name}`,
    };
};

/** azure-native:streamanalytics:Output */
export const output: MockState = (a) => {
    const name = str(a.inputs.outputName, a.name);
    return {
        name,
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.StreamAnalytics/streamingjobs/${a.inputs.jobName}/outputs/${name}`,
    };
};

/** azure-native:containerregistry:Task */
export const task: MockState = (a) => {
    const name = str(a.inputs.taskName, a.name);
    const registry = str(a.inputs.registryName, "registry");
    return {
        id: armId(a, `Microsoft.ContainerRegistry/registries/${registry}/tasks`, name),
        name,
        provisioningState: "Succeeded",
    };
};

/** azure-native:app:ContainerAppsAuthConfig */
export const containerAppsAuthConfig: MockState = (a) => {
    const name = str(a.inputs.authConfigName, "current");
    const appName = str(a.inputs.containerAppName, "app");
    return { id: armId(a, `Microsoft.App/containerApps/${appName}/authConfigs`, name), name };
};

/** azure-native:containerservice:AgentPool */
export const agentPool: MockState = (a) => ({ name: a.inputs.agentPoolName ?? a.name });

/** azure-native:managedidentity:FederatedIdentityCredential */
export const federatedIdentityCredential: MockState = (a) => ({
    name: a.inputs.federatedIdentityCredentialResourceName ?? a.name,
});

// ---------------------------------------------------------------------------------------------
// Provider functions (data sources)

export const getClientConfig: MockCall = () => ({
    clientId: hex("client", 32),
    objectId: hex("object", 32),
    subscriptionId: MOCK_SUBSCRIPTION,
    tenantId: MOCK_TENANT,
});

/**
 * An AKS cluster's user kubeconfig, base64 as the API returns it, pointing at the private FQDN. For
 * an Entra ID cluster (`format: exec`) its user runs kubelogin with the interactive `devicecode`
 * login, as the credentials API returns it (pulumi-azure-native issues 2399, 2579); otherwise a token.
 */
export const listManagedClusterUserCredentials: MockCall = (a, region) => {
    const name = String(a.inputs.resourceName ?? "cluster");
    const server = `https://${name}.privatelink.${region}.azmk8s.io:443`;
    const doc = JSON.parse(mockKubeconfig(name, server)) as { users: { user: Record<string, unknown> }[] };
    if (a.inputs.format === "exec")
        doc.users[0]!.user = {
            exec: {
                apiVersion: "client.authentication.k8s.io/v1beta1",
                command: "kubelogin",
                args: [
                    "get-token",
                    "--environment",
                    "AzurePublicCloud",
                    "--server-id",
                    "6dae42f8-4368-4678-94ff-3960e28e3630",
                    "--client-id",
                    "80faf920-1908-4b52-b5ef-a8e7bedfc67a",
                    "--tenant-id",
                    MOCK_TENANT,
                    "--login",
                    "devicecode",
                ],
                env: null,
                provideClusterInfo: false,
            },
        };
    return {
        kubeconfigs: [{ name: "clusterUser", value: Buffer.from(JSON.stringify(doc)).toString("base64") }],
    };
};

import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import type { StateFn } from "./mock-state";
import { hex, MOCK_SUBSCRIPTION, MOCK_TENANT } from "./mock-state";

/** The physical name a resource gets from its type-specific name input, else its logical name. */
function physical(a: MockResourceArgs, key: string): string {
    const v = a.inputs[key];
    return typeof v === "string" && v !== "" ? v : a.name;
}

/** An ARM id inside the resource's group, like the ones Azure returns. */
function armId(a: MockResourceArgs, providerType: string, name: string): string {
    const rg = typeof a.inputs.resourceGroupName === "string" ? a.inputs.resourceGroupName : "rg";
    return `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg}/providers/${providerType}/${name}`;
}

/** Id and name of a top-level resource whose name sits in input `key`. */
const named =
    (providerType: string, key: string): StateFn =>
    (a) => {
        const name = physical(a, key);
        return { id: armId(a, providerType, name), name };
    };

/** Computed outputs of azure resource types, beyond the generic ones. */
export const azureState: Record<string, StateFn> = {
    "azure-native:resources:ResourceGroup": (a) => {
        const name = physical(a, "resourceGroupName");
        return {
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${name}`,
            name,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:storage:StorageAccount": (a) => {
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
    },
    "azure-native:storage:BlobServiceProperties": (a) => ({
        id: armId(a, "Microsoft.Storage/storageAccounts", `${a.inputs.accountName}/blobServices/default`),
        name: "default",
    }),
    "azure-native:storage:BlobContainer": (a) => {
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
    },
    "azure-native:storage:ManagementPolicy": (a) => ({
        id: armId(a, "Microsoft.Storage/storageAccounts", `${a.inputs.accountName}/managementPolicies/default`),
        name: "DefaultManagementPolicy",
    }),
    "azure-native:operationalinsights:Workspace": (a) => ({
        ...named("Microsoft.OperationalInsights/workspaces", "workspaceName")(a, ""),
        customerId: `${hex(a.name, 8)}-${hex(`${a.name}1`, 4)}-${hex(`${a.name}2`, 4)}-${hex(`${a.name}3`, 4)}-${hex(`${a.name}4`, 12)}`,
    }),
    "azure-native:network:NetworkSecurityGroup": named(
        "Microsoft.Network/networkSecurityGroups",
        "networkSecurityGroupName",
    ),
    "azure-native:network:VirtualNetwork": named("Microsoft.Network/virtualNetworks", "virtualNetworkName"),
    "azure-native:network:Subnet": (a) => {
        const name = physical(a, "subnetName");
        return {
            id: armId(a, "Microsoft.Network/virtualNetworks", `${a.inputs.virtualNetworkName}/subnets/${name}`),
            name,
        };
    },
    "azure-native:network:NetworkInterface": (a) => {
        const name = physical(a, "networkInterfaceName");
        return {
            id: armId(a, "Microsoft.Network/networkInterfaces", name),
            name,
            macAddress: "00-0D-3A-00-00-01",
            ipConfigurations: ((a.inputs.ipConfigurations as Record<string, unknown>[] | undefined) ?? []).map(
                (c, i) => ({
                    ...c,
                    privateIPAddress: `10.0.1.${4 + i}`,
                }),
            ),
        };
    },
    "azure-native:managedidentity:UserAssignedIdentity": (a) => {
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
    },
    "azure-native:authorization:RoleAssignment": (a) => {
        const name = String(a.inputs.roleAssignmentName ?? hex(a.name, 32));
        return { id: `${a.inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name };
    },
    "azure-native:authorization:ManagementLockByScope": (a) => {
        const name = physical(a, "lockName");
        return { id: `${a.inputs.scope}/providers/Microsoft.Authorization/locks/${name}`, name };
    },
    "azure-native:monitor:DiagnosticSetting": (a) => {
        const name = physical(a, "name");
        return { id: `${a.inputs.resourceUri}/providers/Microsoft.Insights/diagnosticSettings/${name}`, name };
    },
    "azure-native:containerregistry:Registry": (a) => ({ loginServer: `${a.inputs.registryName}.azurecr.io` }),
    "azure-native:app:ContainerApp": (a, r) => ({
        latestRevisionFqdn: `${a.inputs.containerAppName ?? a.name}--r1.${hex(a.name, 10)}.${r}.azurecontainerapps.io`,
        configuration: {
            ...(a.inputs.configuration ?? {}),
            ingress: {
                ...(a.inputs.configuration?.ingress ?? {}),
                fqdn: `${a.inputs.containerAppName ?? a.name}.${hex(a.name, 10)}.${r}.azurecontainerapps.io`,
            },
        },
    }),
    "azure-native:app:ManagedEnvironment": (a, r) => {
        const name = physical(a, "environmentName");
        return {
            id: armId(a, "Microsoft.App/managedEnvironments", name),
            name,
            defaultDomain: `${hex(a.name, 6)}-${hex(`${a.name}d`, 8)}.${r}.azurecontainerapps.io`,
            // Internal environments get an address from their own subnet.
            staticIp: "10.0.0.62",
            provisioningState: "Succeeded",
        };
    },
    "azure-native:app:Job": (a, r) => {
        const name = physical(a, "jobName");
        return {
            id: armId(a, "Microsoft.App/jobs", name),
            name,
            provisioningState: "Succeeded",
            eventStreamEndpoint: `https://${r}.azurecontainerapps.dev/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/containerApps/${name}/eventstream`,
            outboundIpAddresses: ["20.0.0.10"],
        };
    },
    "azure-native:batch:BatchAccount": (a, r) => {
        const name = physical(a, "accountName");
        return {
            id: armId(a, "Microsoft.Batch/batchAccounts", name),
            name,
            accountEndpoint: `${name}.${r}.batch.azure.com`,
            nodeManagementEndpoint: `${hex(a.name, 12)}.${r}.service.batch.azure.com`,
            poolAllocationMode: a.inputs.poolAllocationMode ?? "BatchService",
            provisioningState: "Succeeded",
        };
    },
    "azure-native:batch:Pool": (a) => {
        const name = physical(a, "poolName");
        return {
            id: armId(a, "Microsoft.Batch/batchAccounts", `${a.inputs.accountName}/pools/${name}`),
            name,
            allocationState: "Steady",
            currentDedicatedNodes: 0,
            currentLowPriorityNodes: 0,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:compute:VirtualMachine": (a) => {
        const name = physical(a, "vmName");
        return {
            id: armId(a, "Microsoft.Compute/virtualMachines", name),
            name,
            vmId: `${hex(a.name, 8)}-${hex(`${a.name}v`, 4)}-${hex(`${a.name}w`, 4)}-${hex(`${a.name}x`, 4)}-${hex(`${a.name}y`, 12)}`,
            provisioningState: "Succeeded",
        };
    },
    "azure-native:containerservice:ManagedCluster": (a, r) => ({
        fqdn: `${a.inputs.dnsPrefix ?? a.name}-${hex(a.name, 8)}.hcp.${r}.azmk8s.io`,
        privateFQDN: `${a.inputs.dnsPrefix ?? a.name}-${hex(a.name, 8)}.privatelink.${r}.azmk8s.io`,
        oidcIssuerProfile: {
            enabled: true,
            issuerURL: `https://${r}.oic.prod-aks.azure.com/${MOCK_TENANT}/${hex(a.name, 32)}/`,
        },
        identityProfile: { kubeletidentity: { objectId: hex(`${a.name}k`, 32), clientId: hex(`${a.name}kc`, 32) } },
    }),
};

import { describeRules } from "./harness";

const ACCOUNT = "azure-native:storage:StorageAccount";
const ACR = "azure-native:containerregistry:Registry";
const AKS = "azure-native:containerservice:ManagedCluster";
const APP = "azure-native:app:ContainerApp";
const EH = "azure-native:eventhub:Namespace";

const account = {
    resourceGroupName: "rg",
    kind: "StorageV2",
    sku: { name: "Standard_LRS" },
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: "TLS1_2",
    encryption: { keySource: "Microsoft.Storage", requireInfrastructureEncryption: true },
    networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
};
const aks = {
    resourceGroupName: "rg",
    apiServerAccessProfile: { enablePrivateCluster: true },
    enableRBAC: true,
    aadProfile: { managed: true, enableAzureRBAC: true },
    disableLocalAccounts: true,
    oidcIssuerProfile: { enabled: true },
    securityProfile: {
        workloadIdentity: { enabled: true },
        azureKeyVaultKms: { enabled: true, keyId: "https://kv/keys/k/1" },
    },
};
const app = {
    resourceGroupName: "rg",
    configuration: { ingress: { external: false, targetPort: 8080, allowInsecure: false } },
};
const nsgRule = {
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "VirtualNetwork",
    destinationPortRange: "22",
    priority: 100,
};

describeRules([
    {
        rule: "azure-storage-no-public-blobs",
        type: ACCOUNT,
        baseline: account,
        cases: [
            [
                "public blobs allowed",
                { allowBlobPublicAccess: true },
                ["StorageAccount 'r' does not set allowBlobPublicAccess false"],
            ],
            [
                "left to the default",
                { allowBlobPublicAccess: undefined },
                ["StorageAccount 'r' does not set allowBlobPublicAccess false"],
            ],
        ],
    },
    {
        rule: "azure-storage-min-tls-12",
        type: ACCOUNT,
        baseline: account,
        cases: [
            [
                "TLS 1.0",
                { minimumTlsVersion: "TLS1_0" },
                ["StorageAccount 'r' accepts TLS older than 1.2 (minimumTlsVersion TLS1_0)"],
            ],
        ],
    },
    {
        rule: "azure-storage-https-only",
        type: ACCOUNT,
        baseline: account,
        cases: [
            [
                "HTTP allowed",
                { enableHttpsTrafficOnly: false },
                ["StorageAccount 'r' accepts plain HTTP (enableHttpsTrafficOnly false)"],
            ],
            ["default (HTTPS only)", { enableHttpsTrafficOnly: undefined }, []],
        ],
    },
    {
        rule: "azure-storage-shared-key-disabled",
        type: ACCOUNT,
        baseline: account,
        cases: [
            [
                "shared key on",
                { allowSharedKeyAccess: true },
                ["StorageAccount 'r' allows shared key access (allowSharedKeyAccess not false)"],
            ],
        ],
    },
    {
        rule: "azure-storage-firewall-deny",
        type: ACCOUNT,
        baseline: account,
        cases: [
            [
                "firewall open",
                { "networkRuleSet.defaultAction": "Allow" },
                ["StorageAccount 'r' admits every network (networkRuleSet.defaultAction Allow)"],
            ],
            [
                "no rule set",
                { networkRuleSet: undefined },
                ["StorageAccount 'r' admits every network (networkRuleSet.defaultAction unset: Allow)"],
            ],
            ["no public network at all", { networkRuleSet: undefined, publicNetworkAccess: "Disabled" }, []],
        ],
    },
    {
        rule: "azure-storage-infrastructure-encryption",
        type: ACCOUNT,
        baseline: account,
        cases: [
            [
                "single encryption",
                { "encryption.requireInfrastructureEncryption": false },
                ["StorageAccount 'r' has no infrastructure encryption"],
            ],
        ],
    },
    {
        rule: "azure-acr-admin-user-disabled",
        type: ACR,
        baseline: {
            resourceGroupName: "rg",
            sku: { name: "Premium" },
            adminUserEnabled: false,
            anonymousPullEnabled: false,
        },
        cases: [["admin user on", { adminUserEnabled: true }, ["Registry 'r' enables the admin user"]]],
    },
    {
        rule: "azure-acr-no-anonymous-pull",
        type: ACR,
        baseline: {
            resourceGroupName: "rg",
            sku: { name: "Premium" },
            adminUserEnabled: false,
            anonymousPullEnabled: false,
        },
        cases: [["anonymous pull", { anonymousPullEnabled: true }, ["Registry 'r' allows anonymous pull"]]],
    },
    {
        rule: "azure-aks-api-not-public",
        type: AKS,
        baseline: aks,
        cases: [
            [
                "public API",
                { apiServerAccessProfile: undefined },
                [
                    "ManagedCluster 'r' exposes its API server to the whole internet; enable a private cluster or authorizedIPRanges",
                ],
            ],
            [
                "public with authorized ranges",
                { apiServerAccessProfile: { authorizedIPRanges: ["203.0.113.0/24"] } },
                [],
            ],
            [
                "authorized 0.0.0.0/0",
                { apiServerAccessProfile: { authorizedIPRanges: ["0.0.0.0/0"] } },
                [
                    "ManagedCluster 'r' exposes its API server to the whole internet; enable a private cluster or authorizedIPRanges",
                ],
            ],
        ],
    },
    {
        rule: "azure-aks-entra-rbac",
        type: AKS,
        baseline: aks,
        cases: [
            ["RBAC off", { enableRBAC: false }, ["ManagedCluster 'r' disables Kubernetes RBAC"]],
            [
                "no Entra ID",
                { aadProfile: undefined },
                ["ManagedCluster 'r' has no Entra ID integration (aadProfile.managed)"],
            ],
            [
                "local accounts kept",
                { disableLocalAccounts: undefined },
                ["ManagedCluster 'r' keeps local accounts (disableLocalAccounts not true)"],
            ],
        ],
    },
    {
        rule: "azure-aks-workload-identity",
        type: AKS,
        baseline: aks,
        cases: [
            [
                "no OIDC issuer",
                { "oidcIssuerProfile.enabled": false },
                ["ManagedCluster 'r' does not enable the OIDC issuer and workload identity"],
            ],
            [
                "no workload identity",
                { "securityProfile.workloadIdentity": undefined },
                ["ManagedCluster 'r' does not enable the OIDC issuer and workload identity"],
            ],
        ],
    },
    {
        rule: "azure-aks-secrets-encrypted",
        type: AKS,
        baseline: aks,
        cases: [
            [
                "no KMS",
                { "securityProfile.azureKeyVaultKms": undefined },
                ["ManagedCluster 'r' does not encrypt secrets with Key Vault KMS"],
            ],
        ],
    },
    {
        rule: "azure-container-app-https-only",
        type: APP,
        baseline: app,
        cases: [
            [
                "insecure",
                { "configuration.ingress.allowInsecure": true },
                ["ContainerApp 'r' allows plain HTTP ingress (allowInsecure)"],
            ],
        ],
    },
    {
        rule: "azure-container-app-internal-ingress",
        type: APP,
        baseline: app,
        cases: [["external", { "configuration.ingress.external": true }, ["ContainerApp 'r' has external ingress"]]],
    },
    {
        rule: "azure-container-app-internal-ingress",
        type: APP,
        baseline: app,
        config: { "azure-container-app-internal-ingress": { allow: true } },
        cases: [["external, allowed by config", { "configuration.ingress.external": true }, []]],
    },
    {
        rule: "azure-event-hubs-min-tls-12",
        type: EH,
        baseline: { resourceGroupName: "rg", minimumTlsVersion: "1.2", disableLocalAuth: true },
        cases: [
            [
                "TLS 1.0",
                { minimumTlsVersion: "1.0" },
                ["Namespace 'r' accepts TLS older than 1.2 (minimumTlsVersion 1.0)"],
            ],
            [
                "unset",
                { minimumTlsVersion: undefined },
                ["Namespace 'r' accepts TLS older than 1.2 (minimumTlsVersion unset)"],
            ],
        ],
    },
    {
        rule: "azure-event-hubs-local-auth-disabled",
        type: EH,
        baseline: { resourceGroupName: "rg", minimumTlsVersion: "1.2", disableLocalAuth: true },
        cases: [
            [
                "SAS keys on",
                { disableLocalAuth: false },
                ["Namespace 'r' allows SAS key authentication (disableLocalAuth not true)"],
            ],
        ],
    },
    {
        rule: "azure-no-admin-ports-from-internet",
        type: "azure-native:network:NetworkSecurityGroup",
        baseline: { resourceGroupName: "rg", securityRules: [nsgRule] },
        cases: [
            [
                "SSH from the internet",
                { securityRules: [{ ...nsgRule, sourceAddressPrefix: "Internet" }] },
                ["NetworkSecurityGroup 'r' opens port(s) 22 to the internet"],
            ],
            [
                "any port from *",
                { securityRules: [{ ...nsgRule, sourceAddressPrefix: "*", destinationPortRange: "*", protocol: "*" }] },
                [
                    "NetworkSecurityGroup 'r' opens port(s) 22, 3389, 5985, 5986, 2375, 2376, 6443, 10250 to the internet",
                ],
            ],
            [
                "a deny rule from the internet",
                { securityRules: [{ ...nsgRule, sourceAddressPrefix: "Internet", access: "Deny" }] },
                [],
            ],
        ],
    },
    {
        rule: "azure-no-admin-ports-from-internet",
        type: "azure-native:network:SecurityRule",
        baseline: { ...nsgRule, destinationPortRange: undefined, destinationPortRanges: ["443", "3000-3400"] },
        cases: [
            [
                "RDP range from 0.0.0.0/0",
                { sourceAddressPrefix: "0.0.0.0/0" },
                ["SecurityRule 'r' opens port(s) 3389 to the internet"],
            ],
        ],
    },
]);

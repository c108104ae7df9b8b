import * as authorization from "@pulumi/azure-native/authorization";
import * as storage from "@pulumi/azure-native/storage";
import type * as inputs from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";

/** Locally redundant: versioning and soft delete cover mistakes; ZRS is a team's choice per region. */
export const STORAGE_SKU = "Standard_LRS";

/** What differs between the stack's storage accounts: their names, namespace and firewall. */
export interface HardenedStorageAccountArgs {
    readonly resourceGroupName: pulumi.Input<string>;
    readonly location: string;
    readonly accountName: pulumi.Input<string>;
    /**
     * Hierarchical namespace (ADLS Gen2). Off for the stack's data (blob versioning is not generally
     * available on HNS accounts); on for a Synapse workspace's own file system, which requires it.
     */
    readonly hierarchicalNamespace: boolean;
    /** Who may reach the account besides trusted Azure services: subnets, addresses, resource instances. */
    readonly allow: Pick<inputs.storage.NetworkRuleSetArgs, "virtualNetworkRules" | "ipRules" | "resourceAccessRules">;
    readonly tags: Record<string, string>;
}

/**
 * A StorageV2 account reachable only with Entra ID (no account keys, no SAS, no anonymous blobs),
 * over TLS 1.2 and HTTPS, with infrastructure (double) encryption, and a firewall that denies
 * everything but trusted Azure services and what `allow` names. Every account of the stack is one.
 */
export function hardenedStorageAccount(
    name: string,
    a: HardenedStorageAccountArgs,
    opts: pulumi.CustomResourceOptions,
): storage.StorageAccount {
    return new storage.StorageAccount(
        name,
        {
            resourceGroupName: a.resourceGroupName,
            location: a.location,
            accountName: a.accountName,
            kind: storage.Kind.StorageV2,
            sku: { name: STORAGE_SKU },
            accessTier: storage.AccessTier.Hot,
            isHnsEnabled: a.hierarchicalNamespace,
            allowBlobPublicAccess: false,
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
            encryption: {
                keySource: storage.KeySource.Microsoft_Storage,
                requireInfrastructureEncryption: true,
                services: {
                    blob: { enabled: true, keyType: storage.KeyType.Account },
                    file: { enabled: true, keyType: storage.KeyType.Account },
                },
            },
            publicNetworkAccess: storage.PublicNetworkAccess.Enabled,
            networkRuleSet: {
                defaultAction: storage.DefaultAction.Deny,
                bypass: storage.Bypass.AzureServices,
                ...a.allow,
            },
            tags: a.tags,
        },
        opts,
    );
}

/**
 * A CanNotDelete lock on a stateful resource of a protected stack. `protect` guards against
 * `pulumi destroy`; the lock also guards against the portal and the CLI.
 */
export function deleteLock(
    name: string,
    scope: pulumi.Input<string>,
    notes: string,
    parent: pulumi.Resource,
): authorization.ManagementLockByScope {
    return new authorization.ManagementLockByScope(
        name,
        { scope, lockName: "mlops-protect", level: authorization.LockLevel.CanNotDelete, notes },
        { parent },
    );
}

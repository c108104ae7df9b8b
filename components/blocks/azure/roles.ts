import { createHash } from "node:crypto";
import type { ProviderArgs } from "@pulumi/azure/provider";
import type * as pulumi from "@pulumi/pulumi";
import { Config, interpolate } from "@pulumi/pulumi";

/** Built-in role "Storage Blob Data Contributor": read, write and delete blobs, nothing else. */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
/**
 * Built-in role "Azure Batch Job Submitter": create and manage jobs and tasks in a Batch account
 * (Microsoft.Batch/batchAccounts/jobs/* and jobSchedules/* data actions), no pool or account writes.
 * Source: learn.microsoft.com/azure/role-based-access-control/built-in-roles (Compute).
 */
export const AZURE_BATCH_JOB_SUBMITTER = "48e5e92e-a480-4e71-aa9c-2778f4c13781";

/** A GUID derived from `parts` (SHA-1, RFC 4122 name-based layout): stable across runs. */
export function deterministicGuid(...parts: readonly string[]): string {
    const h = createHash("sha1").update(parts.join("/")).digest("hex");
    const variant = ((Number.parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The id of a built-in role definition in a subscription (`/subscriptions/<id>`). */
export function roleDefinitionId(subscriptionScope: pulumi.Input<string>, role: string): pulumi.Output<string> {
    return interpolate`${subscriptionScope}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/** The kinds of principal a deployer can be, as `RoleAssignment.principalType` takes them. */
export type DeployerPrincipalType = "User" | "ServicePrincipal";

/**
 * The kind of principal running `pulumi up`, decided once before any resource exists. A role
 * assignment with the wrong `principalType` fails (`UnmatchedPrincipalType`), and the SDK sends
 * `User` when it is unset, which every CI deployer (a service principal or a managed identity, both
 * `ServicePrincipal`) gets refused with. `MLOPS_DEPLOYER_PRINCIPAL_TYPE` says it outright; otherwise
 * the provider's own service principal or managed identity settings (`ARM_CLIENT_ID`, `ARM_USE_OIDC`,
 * `ARM_USE_MSI`, or `azure-native:clientId`/`useOidc`/`useMsi` in the stack config, as `config` holds
 * them) mean `ServicePrincipal`, and a person signed in with `az login` is a `User`. Pure.
 */
export function deployerPrincipalType(
    env: Readonly<Record<string, string | undefined>>,
    config: Readonly<Record<string, string | undefined>> = {},
): DeployerPrincipalType {
    const stated = env["MLOPS_DEPLOYER_PRINCIPAL_TYPE"];
    if (stated !== undefined) {
        if (stated !== "User" && stated !== "ServicePrincipal")
            throw new Error(`MLOPS_DEPLOYER_PRINCIPAL_TYPE must be User or ServicePrincipal, not '${stated}'`);
        return stated;
    }
    const on = (v: string | undefined) => v !== undefined && v !== "" && v.toLowerCase() !== "false";
    const servicePrincipal =
        on(env["ARM_CLIENT_ID"]) ||
        on(env["ARM_USE_OIDC"]) ||
        on(env["ARM_USE_MSI"]) ||
        on(config["clientId"]) ||
        on(config["useOidc"]) ||
        on(config["useMsi"]);
    return servicePrincipal ? "ServicePrincipal" : "User";
}

/**
 * How long a first data-plane or Kubernetes call waits after the deployer's role assignment is
 * created: "New role assignments can take up to five minutes to propagate and be updated by the
 * authorization server" (AKS, "Use Azure RBAC for Kubernetes authorization"). A call inside that
 * window is refused with 403. The wait runs when the assignment is created or replaced, never on
 * later runs.
 */
export const RBAC_PROPAGATION = "5m";

/** The sign-in settings of the azure-native provider in the stack config that decide its principal type. */
export function azureNativeSignIn(config: Pick<pulumi.Config, "get"> = new Config("azure-native")) {
    return { clientId: config.get("clientId"), useOidc: config.get("useOidc"), useMsi: config.get("useMsi") };
}

/**
 * azure-native sign-in settings the classic provider takes under the same name (both read the same
 * ARM_* environment variables when these are not set).
 */
export const SHARED_SIGN_IN_SETTINGS = [
    "clientId",
    "tenantId",
    "environment",
    "useOidc",
    "useMsi",
    "oidcRequestToken",
    "oidcRequestUrl",
    "oidcToken",
    "oidcTokenFilePath",
    "clientCertificatePath",
    "msiEndpoint",
    "metadataHost",
] as const satisfies readonly (keyof ProviderArgs)[];

/** The reads of a provider's stack config the sign-in settings need (a `pulumi.Config`). */
export interface SignInConfig {
    get(key: string): string | undefined;
    getSecret(key: string): pulumi.Output<string> | undefined;
}

/**
 * The classic provider that writes blobs with the deployer's Entra ID token (`storageUseAzuread`),
 * signed in as azure-native is: its subscription and tenant (from azure-native's client config),
 * and the sign-in settings the stack gives azure-native, secrets kept secret. It registers no
 * resource provider (`resourceProviderRegistrations: "none"`): the deployer may lack the
 * subscription-wide right to, and azure-native registers nothing either. Pure apart from reading
 * `config`.
 */
export function blobWriterSettings(
    subscriptionId: pulumi.Input<string>,
    tenantId: pulumi.Input<string>,
    config: SignInConfig,
): ProviderArgs {
    const settings: { -readonly [K in keyof ProviderArgs]: ProviderArgs[K] } = {
        storageUseAzuread: true,
        resourceProviderRegistrations: "none",
        // Said outright: unset, the SDK reads ARM_SKIP_PROVIDER_REGISTRATION, and the provider
        // refuses that setting beside resourceProviderRegistrations.
        skipProviderRegistration: false,
        subscriptionId,
        tenantId,
    };
    for (const key of SHARED_SIGN_IN_SETTINGS) {
        const value = config.get(key);
        if (value === undefined || value === "") continue;
        if (key === "useOidc" || key === "useMsi") settings[key] = value.toLowerCase() === "true";
        else settings[key] = value;
    }
    for (const key of ["clientSecret", "clientCertificatePassword"] as const) {
        const secret = config.getSecret(key);
        if (secret !== undefined) settings[key] = secret;
    }
    return settings;
}

import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { interpolate } from "@pulumi/pulumi";

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

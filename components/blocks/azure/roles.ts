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

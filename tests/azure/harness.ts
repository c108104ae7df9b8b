import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/offline";
import type { DeployerAccess, FoundationNeeds } from "../../components/foundation";
import { AzureFoundation } from "../../components/foundation/azure";
import { azureKit } from "../../components/kits/azure";
import type { StackContext } from "../../components/shared/context";
import { TAG_KEYS } from "../../components/shared/tags";
import { runOffline } from "../helpers/plan";

export const REGION = "eastus";
export const SUFFIX = "x7k2q9";

/** A stack context as the stack program builds it, with a fixed unique suffix. */
export function testContext(
    o: { region?: string; project?: string; stack?: string; protect?: boolean } = {},
): StackContext {
    return {
        project: o.project ?? "mlops-levels",
        stack: o.stack ?? "dev",
        cloud: "azure",
        region: o.region ?? REGION,
        protect: o.protect ?? false,
        uniqueSuffix: pulumi.output(SUFFIX),
    };
}

/**
 * Runs `build` on the mock engine with the Azure provider and a foundation built with `needs` (what
 * the components under test ask for) and `deployer` (`mlops:options`), as the stack program passes them.
 */
export async function runAzure(
    build: (
        ctx: StackContext,
        foundation: AzureFoundation,
        opts: pulumi.ComponentResourceOptions,
        // biome-ignore lint/suspicious/noConfusingVoidType: build callbacks may return nothing, like `() => {}`
    ) => Record<string, unknown> | void,
    o: {
        region?: string;
        network?: boolean;
        project?: string;
        stack?: string;
        protect?: boolean;
        needs?: FoundationNeeds;
        deployer?: DeployerAccess;
    } = {},
): Promise<PlannedResource[] & { outputs: Record<string, unknown> }> {
    const ctx = testContext(o);
    const run = await runOffline({
        project: ctx.project,
        stack: ctx.stack,
        region: ctx.region,
        config: {},
        program: async () => {
            const opts: pulumi.ComponentResourceOptions = { providers: [azureKit.provider(ctx.region)] };
            const foundation = new AzureFoundation(
                "foundation",
                { ctx, network: o.network ?? true, ...(o.deployer ? { deployer: o.deployer } : {}), ...o.needs },
                opts,
            );
            return build(ctx, foundation, opts) ?? {};
        },
    });
    return Object.assign(run.resources, { outputs: run.outputs });
}

/** Custom resources of the azure-native provider. */
export const azureResources = (rs: readonly PlannedResource[]) =>
    rs.filter((r) => r.custom && r.type.startsWith("azure-native:"));

/** Azure resource types that carry no tags (sub-resources and extension resources). */
export const UNTAGGABLE = new Set([
    "azure-native:network:Subnet",
    "azure:storage/blob:Blob",
    "azure-native:storage:BlobServiceProperties",
    "azure-native:storage:BlobContainer",
    "azure-native:storage:ManagementPolicy",
    "azure-native:authorization:RoleAssignment",
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:monitor:DiagnosticSetting",
]);

/** Asserts the four tags on every taggable Azure resource, with the expected pipeline and level. */
export function expectTagged(rs: readonly PlannedResource[], pipeline: string, level: number): void {
    const taggable = azureResources(rs).filter((r) => !UNTAGGABLE.has(r.type));
    if (taggable.length === 0) throw new Error("no taggable resource to check");
    for (const r of taggable) {
        const tags = r.inputs.tags as Record<string, string> | undefined;
        expect({ type: r.type, tags }).toEqual({
            type: r.type,
            tags: {
                [TAG_KEYS.pipeline]: pipeline,
                [TAG_KEYS.level]: String(level),
                [TAG_KEYS.environment]: "dev",
                [TAG_KEYS.managedBy]: "mlops-levels",
            },
        });
    }
}

/** Types that belong to higher levels and must never appear at level 1. */
export const HIGHER_LEVEL_TYPE =
    /containerservice|hdinsight|synapse|databricks|eventhub|streamanalytics|machinelearningservices|containerregistry|app:ContainerApp$|kubernetes/i;

/**
 * An AzureFoundation stand-in for argument checks, which run before a component registers anything:
 * constructing a job with bad input must throw without ever touching the engine.
 */
export function fakeFoundation(hasNetwork = true): AzureFoundation {
    return Object.assign(Object.create(AzureFoundation.prototype) as AzureFoundation, { hasNetwork });
}

import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/offline";
import type { FoundationNeeds } from "../../components/foundation";
import { GcpFoundation } from "../../components/foundation/gcp";
import { gcpKit } from "../../components/kits/gcp";
import type { StackContext } from "../../components/shared/context";
import { runOffline } from "../helpers/plan";

export const PROJECT_ID = "mlops-levels-demo";
export const REGION = "us-central1";

/** A stack context as the stack program builds it, with a fixed unique suffix. */
export function testContext(region = REGION, stack = "dev"): StackContext {
    return {
        project: "mlops-levels",
        stack,
        cloud: "gcp",
        region,
        protect: false,
        uniqueSuffix: pulumi.output("x7k2q9"),
    };
}

/**
 * Runs `build` on the mock engine with the GCP provider and a foundation built with `needs` (what
 * the components under test ask for, as the stack program passes them), and returns every
 * registered resource.
 */
export async function runGcp(
    build: (
        ctx: StackContext,
        foundation: GcpFoundation,
        opts: pulumi.ComponentResourceOptions,
    ) => Record<string, unknown> | undefined,
    o: { region?: string; network?: boolean; config?: Record<string, string>; needs?: FoundationNeeds } = {},
): Promise<PlannedResource[] & { outputs: Record<string, unknown> }> {
    const region = o.region ?? REGION;
    const run = await runOffline({
        project: "mlops-levels",
        stack: "dev",
        region,
        config: o.config ?? { "gcp:project": PROJECT_ID },
        program: async () => {
            const ctx = testContext(region);
            const opts = { providers: [gcpKit.provider(region)] };
            const foundation = new GcpFoundation("foundation", { ctx, network: o.network ?? true, ...o.needs }, opts);
            return build(ctx, foundation, opts) ?? {};
        },
    });
    // The stack's exports (what `build` returned, resolved) ride along on the resource list.
    return Object.assign(run.resources, { outputs: run.outputs });
}

/** Custom resources of the gcp provider. */
export const gcpResources = (rs: readonly PlannedResource[]) => rs.filter((r) => r.custom && r.type.startsWith("gcp:"));

/** The parsed workflow source of a Workflow resource. */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON navigated freely in assertions
export function workflowSourceOf(r: PlannedResource): any {
    return JSON.parse(String(r.inputs.sourceContents));
}

/** Valid GCP label key and value (lowercase letters, digits, _ and -; keys start with a letter). */
export const GCP_LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

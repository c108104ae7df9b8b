import type { MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime";
import { callSpec, resourceSpec } from "../catalog";
import { MOCK_ACCOUNT, MOCK_GCP_PROJECT, MOCK_SUBSCRIPTION } from "../catalog/mock/helpers";

// The offline engine's answers: every resource gets generic outputs shaped by its cloud (inputs
// echoed, an id, a name, an ARN / ARM id / selfLink), then the computed outputs its catalogue entry
// names. A type or a provider function no catalogue holds fails the plan with its token: an
// answer made up for it would hide what the real engine does.

function awsService(type: string): string {
    return type.split(":")[1]?.split("/")[0] ?? "unknown";
}

/** The outputs of one resource registration. Throws for a type the catalogue does not know. */
export function mockResource(args: MockResourceArgs, region: string): MockResourceResult {
    const t = args.type;
    const spec = resourceSpec(t);
    const physical = String(
        args.inputs.name ??
            args.inputs.bucket ??
            args.inputs.accountName ??
            args.inputs.registryName ??
            args.inputs.resourceName ??
            args.name,
    );
    let state: Record<string, unknown> = { ...args.inputs, name: args.inputs.name ?? physical };
    let id = `${physical}`;
    if (t.startsWith("aws:")) {
        const arn = `arn:aws:${awsService(t)}:${region}:${MOCK_ACCOUNT}:${physical}`;
        state = { ...state, arn, tagsAll: args.inputs.tags ?? {} };
    } else if (t.startsWith("azure-native:")) {
        const [, mod, kind] = t.split(":");
        const rg = args.inputs.resourceGroupName ?? physical;
        id =
            t === "azure-native:resources:ResourceGroup"
                ? `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${physical}`
                : `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.${mod}/${kind}/${physical}`;
        state = { ...state, azureApiVersion: "mock", type: `Microsoft.${mod}/${kind}` };
    } else if (t.startsWith("gcp:")) {
        const project = args.inputs.project ?? MOCK_GCP_PROJECT;
        id = `projects/${project}/locations/${region}/${physical}`;
        state = {
            ...state,
            project,
            selfLink: `https://www.googleapis.com/${awsService(t)}/v1/${id}`,
            effectiveLabels: args.inputs.labels ?? {},
        };
    }
    const extra = spec.mock?.(args, region) ?? {};
    state = { ...state, ...extra };
    if (typeof extra["id"] === "string") id = extra["id"];
    return { id: args.custom === false ? undefined : id, state };
}

/** The answer of one provider function (data source). Throws for a function the catalogue does not know. */
export function mockCall(args: MockCallArgs, region: string): Record<string, unknown> {
    return callSpec(args.token)(args, region);
}

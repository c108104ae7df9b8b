import { isTrue, label, resourceRule } from "../props";

/**
 * Container registries allow no anonymous (unauthenticated) pulls: images carry the model.
 * Public source: Checkov CKV_AZURE_138; Azure Policy "Container registries should have anonymous authentication disabled".
 */
export const azureAcrNoAnonymousPull = resourceRule({
    name: "azure-acr-no-anonymous-pull",
    description: "Container registries do not enable anonymous pull.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:containerregistry:Registry"],
    check: (props, args, report) => {
        if (isTrue(props["anonymousPullEnabled"])) report(`${label(args)} allows anonymous pull`);
    },
});

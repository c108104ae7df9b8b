import { get, isTrue, label, resourceRule } from "../props";

/**
 * Container App ingress does not allow plain HTTP.
 * Public source: Azure Policy "Container Apps should only be accessible over HTTPS".
 */
export const azureContainerAppHttpsOnly = resourceRule({
    name: "azure-container-app-https-only",
    description: "Container Apps set ingress.allowInsecure false.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:app:ContainerApp"],
    check: (props, args, report) => {
        if (isTrue(get(props, "configuration.ingress.allowInsecure")))
            report(`${label(args)} allows plain HTTP ingress (allowInsecure)`);
    },
});

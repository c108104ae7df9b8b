import { type AllowConfig, allowSchema } from "../config";
import { get, isTrue, label, resourceRule } from "../props";

/**
 * Container App ingress stays internal unless the pack config allows external endpoints (`allow: true`).
 * Advisory: an environment with an internal VNet keeps even "external" ingress inside the network.
 * Public source: Azure Policy "Container Apps environment should disable public network access"; Microsoft cloud security benchmark NS-2.
 */
export const azureContainerAppInternalIngress = resourceRule({
    name: "azure-container-app-internal-ingress",
    description: "Container Apps keep ingress internal (external false) unless allowed by config.",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: allowSchema("Allow external Container App ingress (public REST endpoints)."),
    types: ["azure-native:app:ContainerApp"],
    check: (props, args, report) => {
        if (args.getConfig<Partial<AllowConfig>>().allow === true) return;
        if (isTrue(get(props, "configuration.ingress.external"))) report(`${label(args)} has external ingress`);
    },
});

import { isTrue, label, resourceRule } from "../props";

/**
 * Event Hubs namespaces disable SAS keys (local auth), so producers and consumers use Entra ID identities.
 * Public source: Azure Policy "Event Hub namespaces should have local authentication methods disabled".
 */
export const azureEventHubsLocalAuthDisabled = resourceRule({
    name: "azure-event-hubs-local-auth-disabled",
    description: "Event Hubs namespaces set disableLocalAuth true.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:eventhub:Namespace"],
    check: (props, args, report) => {
        if (!isTrue(props["disableLocalAuth"]))
            report(`${label(args)} allows SAS key authentication (disableLocalAuth not true)`);
    },
});

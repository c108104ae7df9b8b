import { label, resourceRule } from "../props";

/**
 * Event Hubs namespaces accept TLS 1.2 or later only.
 * Public source: Azure Policy "Event Hub Namespaces should use a minimum TLS version of 1.2"; Microsoft cloud security benchmark DP-3.
 */
export const azureEventHubsMinTls12 = resourceRule({
    name: "azure-event-hubs-min-tls-12",
    description: "Event Hubs namespaces set minimumTlsVersion 1.2 or later.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:eventhub:Namespace"],
    check: (props, args, report) => {
        const v = props["minimumTlsVersion"];
        if (v !== "1.2" && v !== "1.3")
            report(`${label(args)} accepts TLS older than 1.2 (minimumTlsVersion ${String(v ?? "unset")})`);
    },
});

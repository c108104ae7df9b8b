import { get, label, resourceRule } from "../props";

/**
 * Storage accounts deny network access by default: their firewall admits only the subnets,
 * addresses and trusted services the rule set names (or the account takes no public traffic at
 * all). Azure's default action, when no rule set says otherwise, is Allow.
 * Public source: Checkov CKV_AZURE_35; CIS Azure 3.8 ("Ensure Default Network Access Rule for
 * Storage Accounts is Set to Deny").
 */
export const azureStorageFirewallDeny = resourceRule({
    name: "azure-storage-firewall-deny",
    description: "Storage accounts set networkRuleSet.defaultAction Deny (or disable public network access).",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:storage:StorageAccount"],
    check: (props, args, report) => {
        if (props["publicNetworkAccess"] === "Disabled") return;
        const action = get(props, "networkRuleSet.defaultAction");
        if (action !== "Deny")
            report(
                `${label(args)} admits every network (networkRuleSet.defaultAction ${String(action ?? "unset: Allow")})`,
            );
    },
});

import { ADMIN_PORTS_SCHEMA, type AdminPortsConfig, DEFAULT_ADMIN_PORTS, withDefaults } from "../config";
import { arr, get, INTERNET, label, portRange, rangeHits, resourceRule } from "../props";

/** Admin ports an NSG rule (inline `properties` or flat) opens to the internet. */
export function azureOpenAdminPorts(rule: unknown, ports: readonly number[]): number[] {
    const r = (get(rule, "properties") as object | undefined) ?? rule;
    if (get(r, "direction") !== "Inbound" || get(r, "access") !== "Allow") return [];
    const sources = [get(r, "sourceAddressPrefix"), ...arr(get(r, "sourceAddressPrefixes"))];
    if (!sources.some((s) => typeof s === "string" && INTERNET.has(s))) return [];
    const proto = String(get(r, "protocol") ?? "*");
    if (proto !== "*" && proto.toLowerCase() !== "tcp" && proto.toLowerCase() !== "udp") return [];
    const ranges = [get(r, "destinationPortRange"), ...arr(get(r, "destinationPortRanges"))].filter(
        (p): p is string => typeof p === "string",
    );
    return [
        ...new Set(
            ranges.flatMap((p) => {
                const { from, to } = portRange(p);
                return rangeHits(from, to, ports);
            }),
        ),
    ];
}

/**
 * No network security group rule opens SSH, RDP or another admin port to the internet.
 * Public source: Checkov CKV_AZURE_10 (SSH), CKV_AZURE_9 (RDP); CIS Azure 6.1 / 6.2.
 */
export const azureNoAdminPortsFromInternet = resourceRule({
    name: "azure-no-admin-ports-from-internet",
    description: "Network security groups do not allow admin ports (SSH, RDP, Kubernetes...) from the internet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: ADMIN_PORTS_SCHEMA,
    types: ["azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule"],
    check: (props, args, report) => {
        const { adminPorts } = withDefaults(args.getConfig<Partial<AdminPortsConfig>>(), {
            adminPorts: [...DEFAULT_ADMIN_PORTS],
        });
        const rules = args.type === "azure-native:network:NetworkSecurityGroup" ? arr(props["securityRules"]) : [props];
        const open = [...new Set(rules.flatMap((r) => azureOpenAdminPorts(r, adminPorts)))];
        if (open.length > 0) report(`${label(args)} opens port(s) ${open.join(", ")} to the internet`);
    },
});

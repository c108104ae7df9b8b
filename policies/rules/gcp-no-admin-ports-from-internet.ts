import { ADMIN_PORTS_SCHEMA, type AdminPortsConfig, DEFAULT_ADMIN_PORTS, withDefaults } from "../config";
import { arr, get, INTERNET, isTrue, label, portRange, rangeHits, resourceRule } from "../props";

/**
 * No VPC firewall rule allows SSH, RDP or another admin port from 0.0.0.0/0 or ::/0 (deny rules are fine).
 * Public source: Checkov CKV_GCP_2 (SSH), CKV_GCP_3 (RDP); CIS GCP 3.6 / 3.7.
 */
export const gcpNoAdminPortsFromInternet = resourceRule({
    name: "gcp-no-admin-ports-from-internet",
    description: "Firewall rules do not allow admin ports (SSH, RDP, Kubernetes...) from the internet.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: ADMIN_PORTS_SCHEMA,
    types: ["gcp:compute/firewall:Firewall"],
    check: (props, args, report) => {
        const { adminPorts } = withDefaults(args.getConfig<Partial<AdminPortsConfig>>(), {
            adminPorts: [...DEFAULT_ADMIN_PORTS],
        });
        if (isTrue(props["disabled"]) || (props["direction"] ?? "INGRESS") !== "INGRESS") return;
        if (!arr(props["sourceRanges"]).some((s) => typeof s === "string" && INTERNET.has(s))) return;
        const open = new Set<number>();
        for (const a of arr(props["allows"])) {
            const proto = String(get(a, "protocol") ?? "all");
            if (proto !== "all" && proto !== "tcp" && proto !== "udp") continue;
            const ports = arr(get(a, "ports")).filter((p): p is string => typeof p === "string");
            const hits =
                ports.length === 0
                    ? [...adminPorts]
                    : ports.flatMap((p) => rangeHits(portRange(p).from, portRange(p).to, adminPorts));
            for (const h of hits) open.add(h);
        }
        if (open.size > 0) report(`${label(args)} allows port(s) ${[...open].join(", ")} from the internet`);
    },
});

import { ADMIN_PORTS_SCHEMA, type AdminPortsConfig, DEFAULT_ADMIN_PORTS, withDefaults } from "../config";
import { arr, get, INTERNET, label, num, rangeHits, resourceRule, str } from "../props";

/** Ports of `ports` that an AWS rule (inline or standalone) opens to the internet. */
export function awsOpenAdminPorts(rule: unknown, ports: readonly number[]): number[] {
    const cidrs = [
        ...arr(get(rule, "cidrBlocks")),
        ...arr(get(rule, "ipv6CidrBlocks")),
        get(rule, "cidrIpv4"),
        get(rule, "cidrIpv6"),
    ];
    if (!cidrs.some((c) => typeof c === "string" && INTERNET.has(c))) return [];
    const proto = String(get(rule, "protocol") ?? get(rule, "ipProtocol") ?? "-1");
    if (proto === "-1" || proto === "all") return [...ports];
    if (proto !== "tcp" && proto !== "6" && proto !== "udp" && proto !== "17") return [];
    return rangeHits(num(get(rule, "fromPort")), num(get(rule, "toPort")), ports);
}

/**
 * No security group rule opens SSH, RDP or another admin port to 0.0.0.0/0 or ::/0.
 * Public source: Checkov CKV_AWS_24 (SSH), CKV_AWS_25 (RDP); CIS AWS Foundations 5.2 / 5.3.
 */
export const awsNoAdminPortsFromInternet = resourceRule({
    name: "aws-no-admin-ports-from-internet",
    description: "Security groups do not open admin ports (SSH, RDP, Kubernetes...) to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: ADMIN_PORTS_SCHEMA,
    types: [
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ],
    check: (props, args, report) => {
        const { adminPorts } = withDefaults(args.getConfig<Partial<AdminPortsConfig>>(), {
            adminPorts: [...DEFAULT_ADMIN_PORTS],
        });
        const rules =
            args.type === "aws:ec2/securityGroup:SecurityGroup"
                ? arr(props["ingress"])
                : args.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && str(props["type"]) !== "ingress"
                  ? []
                  : [props];
        const open = [...new Set(rules.flatMap((r) => awsOpenAdminPorts(r, adminPorts)))];
        if (open.length > 0) report(`${label(args)} opens port(s) ${open.join(", ")} to the internet`);
    },
});

/**
 * Most CIDRs the API server allow-list takes: EKS accepts 40 public access CIDRs per cluster (GKE
 * 50 authorized networks, AKS 200 ranges), so 40 fits every cloud.
 */
export const MAX_API_CIDRS = 40;

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Why `cidr` cannot be on a Kubernetes API server allow-list, or undefined when it can: it must be
 * an IPv4 CIDR in canonical form (no host bits, which the clouds reject or silently widen) and not
 * a /0, which would open the control plane to the whole internet. Pure.
 */
export function apiCidrProblem(cidr: string): string | undefined {
    const m = IPV4_CIDR.exec(cidr);
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const prefix = m ? Number(m[5]) : Number.NaN;
    if (!m || octets.some((o) => o > 255) || prefix > 32) return `'${cidr}' is not an IPv4 CIDR such as 203.0.113.0/24`;
    if (prefix === 0)
        return `'${cidr}' would open the API server to the whole internet; list the addresses that run pulumi up (an office, a VPN, a CI runner) instead`;
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const network = address - (address % size);
    if (network !== address) {
        const canonical = [24, 16, 8, 0].map((s) => Math.floor(network / 2 ** s) % 256).join(".");
        return `'${cidr}' has host bits set; write ${canonical}/${prefix}`;
    }
    return undefined;
}

/**
 * Most addresses `deployerCidrs` takes: every one becomes an IP rule of the Azure storage firewall
 * (400 per account) and, at level 3, of the Event Hubs namespace's firewall, which holds 128 ("Number
 * of IP Config rules: 128", Microsoft's "Azure Event Hubs quotas and limits",
 * learn.microsoft.com/azure/event-hubs/event-hubs-quotas). The stack adds no IP rule of its own, so
 * the smaller limit is the list's.
 */
export const MAX_DEPLOYER_CIDRS = 128;

/** RFC 1918 ranges: the Azure storage firewall refuses them in IP rules (use a subnet rule instead). */
const PRIVATE_RANGES: readonly (readonly [number, number])[] = [
    [10 * 2 ** 24, 8],
    [(172 * 256 + 16) * 2 ** 16, 12],
    [(192 * 256 + 168) * 2 ** 16, 16],
];

/**
 * Why `cidr` cannot admit a deployer through the Azure storage firewall, or undefined when it can:
 * an API allow-list CIDR (`apiCidrProblem`) that is public (the firewall refuses RFC 1918 ranges) and
 * not a /31, which the firewall does not take (a /32 is written as the bare address, see
 * `firewallIpRule`). Source: the `ip_rules` notes of the azurerm storage account network rules
 * ("Private IP address ranges (as defined in RFC 1918) are not allowed"; "/31 or /32 prefix sizes
 * are not supported"). Pure.
 */
export function deployerCidrProblem(cidr: string): string | undefined {
    const problem = apiCidrProblem(cidr);
    if (problem) return problem;
    const [ip, bits] = cidr.split("/") as [string, string];
    const address = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
    const prefix = Number(bits);
    // Two ranges overlap when they agree on the bits of the shorter prefix.
    const overlaps = ([base, size]: readonly [number, number]) => {
        const bits = 2 ** (32 - Math.min(prefix, size));
        return Math.floor(address / bits) === Math.floor(base / bits);
    };
    if (PRIVATE_RANGES.some(overlaps))
        return `'${cidr}' is or holds a private range; the storage firewall admits public addresses only (a runner inside the stack's network needs no entry)`;
    if (prefix === 31) return `'${cidr}': the storage firewall takes no /31; list its two addresses as /32 each`;
    return undefined;
}

/**
 * A deployer CIDR as an Azure firewall's IP rule writes it: a /32 is the bare address, a range stays
 * as it is. The storage firewall takes no /32 (see `deployerCidrProblem`); the Event Hubs firewall's
 * `ipMask` is "a single IPv4 address or a block of IP addresses in CIDR notation" (Microsoft's
 * "Allow access to Azure Event Hubs namespaces from specific IP addresses or ranges", whose
 * template writes single addresses bare), so one form serves both. Pure.
 */
export function firewallIpRule(cidr: string): string {
    return cidr.endsWith("/32") ? cidr.slice(0, -3) : cidr;
}

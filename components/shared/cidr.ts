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

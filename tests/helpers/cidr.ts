/** An IPv4 CIDR as the range of addresses it covers: [first, last], as unsigned 32-bit numbers. */
export function ipv4Range(cidr: string): [number, number] {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    const octets = m ? m.slice(1, 5).map(Number) : [];
    const prefix = m ? Number(m[5]) : Number.NaN;
    if (!m || octets.some((o) => o > 255) || prefix > 32) throw new Error(`'${cidr}' is not an IPv4 CIDR`);
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const first = address - (address % size);
    return [first, first + size - 1];
}

/** Every address of `inner` is in `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
    const [a, b] = ipv4Range(outer);
    const [c, d] = ipv4Range(inner);
    return a <= c && d <= b;
}

/** The two ranges share at least one address. */
export function cidrsOverlap(x: string, y: string): boolean {
    const [a, b] = ipv4Range(x);
    const [c, d] = ipv4Range(y);
    return a <= d && c <= b;
}

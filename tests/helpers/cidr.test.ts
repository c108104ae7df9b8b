import { cidrContains, cidrsOverlap, ipv4Range } from "./cidr";

describe("the CIDR checks the network tests use", () => {
    it("reads a CIDR as its address range", () => {
        expect(ipv4Range("10.40.32.0/28")).toEqual([0x0a282000, 0x0a28200f]);
        expect(ipv4Range("0.0.0.0/0")).toEqual([0, 2 ** 32 - 1]);
        expect(() => ipv4Range("10.40.0.0")).toThrow(/not an IPv4 CIDR/);
        expect(() => ipv4Range("10.400.0.0/16")).toThrow(/not an IPv4 CIDR/);
    });

    it("contains by range, not by text", () => {
        expect(cidrContains("10.40.0.0/16", "10.40.32.0/28")).toBe(true);
        expect(cidrContains("10.40.0.0/16", "10.40.0.0/16")).toBe(true);
        // Same leading text, outside the range: a prefix check would accept both.
        expect(cidrContains("10.4.0.0/16", "10.40.32.0/28")).toBe(false);
        expect(cidrContains("10.40.0.0/20", "10.40.32.0/28")).toBe(false);
        expect(cidrContains("10.40.32.0/28", "10.40.0.0/16")).toBe(false);
    });

    it("overlaps when one address is shared", () => {
        expect(cidrsOverlap("10.40.0.0/20", "10.40.16.0/20")).toBe(false);
        expect(cidrsOverlap("10.40.0.0/19", "10.40.16.0/20")).toBe(true);
        expect(cidrsOverlap("10.40.32.0/28", "10.40.32.15/32")).toBe(true);
        expect(cidrsOverlap("10.40.32.0/28", "10.40.32.16/32")).toBe(false);
    });
});

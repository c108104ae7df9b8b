import { createHash } from "node:crypto";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";

// Values shared by the mock outputs of every cloud: fake but shaped like the clouds' own, and
// deterministic, so two plans of the same program are identical.

export const MOCK_ACCOUNT = "123456789012";
export const MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const MOCK_TENANT = "11111111-1111-1111-1111-111111111111";
export const MOCK_GCP_PROJECT = "mlops-levels-demo";
export const MOCK_CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIBmock\n-----END CERTIFICATE-----\n").toString(
    "base64",
);

/** Computed outputs of one resource type beyond the engine's generic ones (id, name, ARN, selfLink…). */
export type MockState = (args: MockResourceArgs, region: string) => Record<string, unknown>;

/** The answer of one provider function (data source) the components call. */
export type MockCall = (args: MockCallArgs, region: string) => Record<string, unknown>;

/** The first `n` hex digits of the SHA-256 of `s`. */
export const hex = (s: string, n = 8) => createHash("sha256").update(s).digest("hex").slice(0, n);

/** A non-empty string input, else `fallback`. */
export const str = (v: unknown, fallback: string): string => (typeof v === "string" && v !== "" ? v : fallback);

/** A deterministic lowercase alphanumeric string for `random` resources. */
export function randomResult(name: string, length: number): string {
    let out = "";
    let i = 0;
    while (out.length < length)
        out += createHash("sha256")
            .update(`${name}/${i++}`)
            .digest("hex")
            .replace(/[^a-z0-9]/g, "");
    return out.slice(0, length);
}

/** A kubeconfig for a cluster at `endpoint`, as the clouds' credential APIs return one. */
export function mockKubeconfig(clusterName: string, endpoint: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": MOCK_CA } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [{ name: clusterName, user: { token: "mock-token" } }],
    });
}

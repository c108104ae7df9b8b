import { hex, type MockState } from "./helpers";

// Computed outputs of Kubernetes resource types beyond the engine's generic ones, shaped like the
// cloud's own. Each is named in its type's catalogue entry (catalog/kubernetes.ts).

/** kubernetes:core/v1:Service */
export const service: MockState = (a) => {
    const annotations = ((a.inputs.metadata as Record<string, unknown> | undefined)?.annotations ?? {}) as Record<
        string,
        string
    >;
    const internal = Object.entries(annotations).some(
        ([k, v]) => /internal|load-balancer-type/.test(k) && /true|Internal/.test(v),
    );
    const aws = Object.keys(annotations).some((k) => k.includes("aws-load-balancer"));
    const ingress = aws
        ? [{ hostname: `${internal ? "internal-" : ""}a${hex(a.name, 31)}.elb.us-east-1.amazonaws.com` }]
        : [{ ip: internal ? "10.0.16.200" : "20.1.2.3" }];
    return { status: { loadBalancer: { ingress } } };
};

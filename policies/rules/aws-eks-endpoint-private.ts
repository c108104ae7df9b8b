import { arr, get, INTERNET, isFalse, label, resourceRule } from "../props";

/**
 * The EKS API endpoint is private, or public only to listed CIDRs (never 0.0.0.0/0, the default).
 * Public source: Checkov CKV_AWS_38 (public access CIDRs), CKV_AWS_39 (public endpoint disabled); CIS EKS 5.4.2.
 */
export const awsEksEndpointPrivate = resourceRule({
    name: "aws-eks-endpoint-private",
    description: "EKS cluster endpoints are private or restricted to listed CIDRs, never 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:eks/cluster:Cluster"],
    check: (props, args, report) => {
        if (isFalse(get(props, "vpcConfig.endpointPublicAccess"))) return;
        const cidrs = arr(get(props, "vpcConfig.publicAccessCidrs"));
        if (cidrs.length === 0 || cidrs.some((c) => typeof c === "string" && INTERNET.has(c)))
            report(
                `${label(args)} exposes its API endpoint to the whole internet; set endpointPublicAccess false or publicAccessCidrs`,
            );
    },
});

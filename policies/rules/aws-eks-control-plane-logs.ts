import { arr, label, resourceRule } from "../props";

const REQUIRED = ["api", "audit", "authenticator"] as const;

/**
 * EKS sends api, audit and authenticator control-plane logs to CloudWatch.
 * Public source: Checkov CKV_AWS_37; CIS EKS 2.1.1.
 */
export const awsEksControlPlaneLogs = resourceRule({
    name: "aws-eks-control-plane-logs",
    description: "EKS clusters enable api, audit and authenticator control-plane logs.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:eks/cluster:Cluster"],
    check: (props, args, report) => {
        const on = arr(props["enabledClusterLogTypes"]);
        const missing = REQUIRED.filter((t) => !on.includes(t));
        if (missing.length > 0) report(`${label(args)} does not log ${missing.join(", ")}`);
    },
});

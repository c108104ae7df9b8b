import { arr, get, label, resourceRule } from "../props";

/**
 * EKS encrypts Kubernetes secrets with a KMS key (envelope encryption).
 * Public source: Checkov CKV_AWS_58; CIS EKS 5.3.1.
 */
export const awsEksSecretsEncrypted = resourceRule({
    name: "aws-eks-secrets-encrypted",
    description: "EKS clusters encrypt Kubernetes secrets with KMS (encryptionConfig.resources includes secrets).",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["aws:eks/cluster:Cluster"],
    check: (props, args, report) => {
        const ok = arr(props["encryptionConfig"]).some((c) => arr(get(c, "resources")).includes("secrets"));
        if (!ok) report(`${label(args)} does not encrypt Kubernetes secrets with KMS`);
    },
});

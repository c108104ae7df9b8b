import { get, isTrue, label, resourceRule } from "../props";

/**
 * ECR repositories scan images on push. Advisory: registry-level enhanced scanning (Inspector) replaces it.
 * Public source: Checkov CKV_AWS_163; AWS Security Hub ECR.1.
 */
export const awsEcrScanOnPush = resourceRule({
    name: "aws-ecr-scan-on-push",
    description: "ECR repositories scan images on push.",
    enforcementLevel: "advisory",
    severity: "medium",
    types: ["aws:ecr/repository:Repository"],
    check: (props, args, report) => {
        if (!isTrue(get(props, "imageScanningConfiguration.scanOnPush")))
            report(`${label(args)} does not scan images on push`);
    },
});

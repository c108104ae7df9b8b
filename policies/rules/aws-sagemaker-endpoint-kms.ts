import { arr, get, label, resourceRule } from "../props";

/**
 * SageMaker endpoint configurations encrypt the instance storage with a KMS key. Serverless variants
 * have no instance storage and SageMaker rejects a key for them, so an all-serverless config is exempt.
 * Public source: Checkov CKV_AWS_98.
 */
export const awsSagemakerEndpointKms = resourceRule({
    name: "aws-sagemaker-endpoint-kms",
    description: "SageMaker endpoint configurations with instance variants set kmsKeyArn.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:sagemaker/endpointConfiguration:EndpointConfiguration"],
    check: (props, args, report) => {
        const variants = arr(props["productionVariants"]);
        const allServerless = variants.length > 0 && variants.every((v) => get(v, "serverlessConfig") !== undefined);
        if (allServerless) return;
        if (typeof props["kmsKeyArn"] !== "string" || props["kmsKeyArn"] === "")
            report(`${label(args)} does not encrypt endpoint storage with KMS (kmsKeyArn)`);
    },
});

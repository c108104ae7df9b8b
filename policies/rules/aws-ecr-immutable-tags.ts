import { label, resourceRule, str } from "../props";

/**
 * ECR repositories have immutable tags, so the image a tag names (and a deployed model) cannot change under it.
 * Public source: Checkov CKV_AWS_51.
 */
export const awsEcrImmutableTags = resourceRule({
    name: "aws-ecr-immutable-tags",
    description: "ECR repositories have immutable image tags.",
    enforcementLevel: "mandatory",
    severity: "medium",
    types: ["aws:ecr/repository:Repository"],
    check: (props, args, report) => {
        const m = str(props["imageTagMutability"]) ?? "MUTABLE";
        if (!m.startsWith("IMMUTABLE")) report(`${label(args)} has mutable image tags (imageTagMutability ${m})`);
    },
});

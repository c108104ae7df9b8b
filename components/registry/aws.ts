import * as ecr from "@pulumi/aws/ecr";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../blocks/aws/iam";
import { type Capability, placed } from "../capability";
import { asFoundation, NO_NEEDS } from "../foundation";
import { AwsFoundation } from "../foundation/aws";
import { tagsOf } from "../shared/context";
import { throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkRegistryArgs,
    DEFAULT_UNTAGGED_RETENTION_DAYS,
    IMAGE_REPOSITORY,
    REGISTRY_TYPE,
    type Registry,
    type RegistryArgs,
    type RegistrySpec,
} from "./index";

/** What a puller needs on one repository (the token call is account-wide, see grantPull). */
export const ECR_PULL_ACTIONS = [
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:BatchCheckLayerAvailability",
] as const;

/** The AWS foundation of `args`: its KMS key encrypts the images. */
function awsFoundation(args: RegistryArgs): AwsFoundation {
    return asFoundation(args.foundation, AwsFoundation, "AWS");
}

/** The ECR lifecycle policy: untagged images expire after `days`; tagged images are never touched. Pure. */
export function ecrLifecyclePolicy(days: number): string {
    return JSON.stringify({
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${days} days`,
                selection: {
                    tagStatus: "untagged",
                    countType: "sinceImagePushed",
                    countUnit: "days",
                    countNumber: days,
                },
                action: { type: "expire" },
            },
        ],
    });
}

/**
 * An ECR repository for model serving images: immutable tags (a deployed tag always names the same
 * image), basic scan on push (free), encrypted with the foundation's KMS key, untagged images
 * expired by a lifecycle rule, and a repository policy that refuses principals of other accounts.
 * Private ECR repositories never serve anonymous pulls; the policy also keeps a stray cross-account
 * grant from opening it. Protected in prod under a fixed logical name: it holds the images.
 */
export class AwsRegistry extends pulumi.ComponentResource implements Registry {
    readonly registryUrl: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    readonly registryId: pulumi.Output<string>;
    /** Repository ARN (same as registryId). */
    readonly repositoryArn: pulumi.Output<string>;
    readonly repositoryName: pulumi.Output<string>;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad input plans nothing.
        throwIfProblems(awsRegistryKit.check({ ...args, region: args.ctx.region }));
        super(REGISTRY_TYPE, name, {}, opts);
        const { ctx } = args;
        const f = awsFoundation(args);
        const tags = tagsOf(ctx, args.pipelines, args.level);
        const parent = { parent: this };

        const repo = new ecr.Repository(
            `${name}-repo`,
            {
                name: physicalName("ecrRepository", [ctx.project, ctx.stack, IMAGE_REPOSITORY]),
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                // Changing encryption replaces the repository, so the key is set once, from the start.
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: f.kmsKeyArn }],
                forceDelete: false,
                tags,
            },
            { ...parent, retainOnDelete: true },
        );
        new ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            {
                repository: repo.name,
                policy: ecrLifecyclePolicy(args.untaggedRetentionDays ?? DEFAULT_UNTAGGED_RETENTION_DAYS),
            },
            parent,
        );
        new ecr.RepositoryPolicy(
            `${name}-policy`,
            {
                repository: repo.name,
                // A repository policy applies to its repository: ECR refuses one with a Resource element.
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            // Only principals that carry an account (IAM users and roles) are judged; AWS
                            // service principals carry none and are governed by the account's own roles.
                            Sid: "DenyOtherAccounts",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "ecr:*",
                            Condition: {
                                StringNotEquals: { "aws:PrincipalAccount": f.accountId },
                                Null: { "aws:PrincipalAccount": "false" },
                            },
                        },
                    ],
                }),
            },
            parent,
        );

        this.repositoryUrl = repo.repositoryUrl;
        this.registryUrl = repo.repositoryUrl.apply((u) => u.split("/")[0]!);
        this.repositoryArn = repo.arn;
        this.registryId = repo.arn;
        this.repositoryName = repo.name;
        this.registerOutputs({
            registryUrl: this.registryUrl,
            repositoryUrl: this.repositoryUrl,
            registryId: this.registryId,
        });
    }

    /** An inline policy on role `principal` (a role name): pull from this repository, and log in to ECR. */
    grantPull(name: string, principal: pulumi.Input<string>, parent: pulumi.Resource): iam.RolePolicy {
        return new iam.RolePolicy(
            name,
            {
                role: principal,
                policy: policyJson([
                    {
                        Sid: "PullModelImages",
                        Effect: "Allow",
                        Action: [...ECR_PULL_ACTIONS],
                        Resource: this.repositoryArn,
                    },
                    // The one ECR action with no resource-level permissions.
                    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                ]),
            },
            { parent },
        );
    }
}

/** The AWS registry as a capability of the AWS kit. */
export const awsRegistryKit: Capability<RegistrySpec, AwsRegistry> = {
    check: checkRegistryArgs,
    needs: () => NO_NEEDS,
    create: (name, spec, site, opts) => new AwsRegistry(name, placed(spec, site), opts),
};

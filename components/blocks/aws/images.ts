import * as iam from "@pulumi/aws/iam";
import * as sagemaker from "@pulumi/aws/sagemaker";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "./iam";

// Container images of AWS jobs and endpoints: SageMaker's prebuilt images written without a
// registry host, resolved per region, and pull rights on exactly the repository a job uses.

/**
 * Repositories of SageMaker's prebuilt images. An image written `<repository>:<tag>` without a
 * registry host, with one of these repositories, is resolved to the region's registry path
 * (`sagemaker.getPrebuiltEcrImage`), so defaults work in every region. Any other string is used as is.
 */
export const PREBUILT_REPOSITORIES = [
    "sagemaker-scikit-learn",
    "sagemaker-xgboost",
    "pytorch-training",
    "pytorch-inference",
    "tensorflow-training",
    "tensorflow-inference",
    "huggingface-pytorch-training",
    "huggingface-pytorch-inference",
] as const;

/** scikit-learn 1.2-1 for data and batch scoring (CPU). */
export const DEFAULT_SKLEARN_IMAGE = "sagemaker-scikit-learn:1.2-1-cpu-py3";
/**
 * PyTorch 2.10.0 training, CPU build: the newest release AWS publishes in the `pytorch-training`
 * repository that SageMaker's prebuilt-image lookup knows, patched until 2027-01-21 (2.8 stopped
 * on 2026-08-06). Tags as in aws/deep-learning-containers' image data. Newer releases live in the
 * `pytorch` repository, which the lookup does not resolve yet: set `mlops:options.images` for them.
 */
export const DEFAULT_PYTORCH_TRAINING_IMAGE = "pytorch-training:2.10.0-cpu-py313-ubuntu22.04-sagemaker";
/**
 * The same release built for CUDA 13.0, used instead of the CPU default on GPU machines. CUDA 13
 * needs Turing or newer: every catalogued SageMaker GPU type is an A10G (Ampere).
 */
export const DEFAULT_PYTORCH_TRAINING_GPU_IMAGE = "pytorch-training:2.10.0-gpu-py313-cu130-ubuntu22.04-sagemaker";

export type ImageRef =
    | { kind: "prebuilt"; repository: string; tag: string }
    | { kind: "ecr"; uri: string; repositoryArn: string }
    | { kind: "other"; uri: string };

const ECR_URI =
    /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9._/-]+?)(?::[\w.-]+|@sha256:[a-f0-9]{64})?$/;

/** Reads an image string: a prebuilt reference, an ECR URI (with its repository ARN) or anything else. */
export function parseImage(image: string): ImageRef {
    const pre = /^([a-z0-9-]+):([\w.-]+)$/.exec(image);
    if (pre && (PREBUILT_REPOSITORIES as readonly string[]).includes(pre[1]!))
        return { kind: "prebuilt", repository: pre[1]!, tag: pre[2]! };
    const ecr = ECR_URI.exec(image);
    if (ecr) {
        const partition = ecr[3] ? "aws-cn" : "aws";
        return {
            kind: "ecr",
            uri: image,
            repositoryArn: `arn:${partition}:ecr:${ecr[2]}:${ecr[1]}:repository/${ecr[4]}`,
        };
    }
    return { kind: "other", uri: image };
}

/** ECR repository ARN of a registry path, e.g. from getPrebuiltEcrImage. */
export function ecrRepositoryArn(uri: string): string {
    const r = parseImage(uri);
    if (r.kind !== "ecr") throw new Error(`not an ECR image URI: ${uri}`);
    return r.repositoryArn;
}

export interface ResolvedImage {
    readonly uri: pulumi.Output<string>;
    /** The ECR repository the job pulls from, when the image is in ECR (grant it pull rights). */
    readonly repositoryArn?: pulumi.Output<string>;
}

/** Resolves an image to a URI SageMaker can pull, with the repository to grant pull rights on. */
export function resolveImage(image: string, parent: pulumi.Resource): ResolvedImage {
    const ref = parseImage(image);
    switch (ref.kind) {
        case "prebuilt": {
            const found = sagemaker.getPrebuiltEcrImageOutput(
                { repositoryName: ref.repository, imageTag: ref.tag },
                { parent },
            );
            const uri = found.registryPath;
            return { uri, repositoryArn: uri.apply(ecrRepositoryArn) };
        }
        case "ecr":
            return { uri: pulumi.output(ref.uri), repositoryArn: pulumi.output(ref.repositoryArn) };
        case "other":
            return { uri: pulumi.output(ref.uri) };
    }
}

/** Lets `role` pull the job's image: only that repository (GetAuthorizationToken is in the foundation). */
export function imagePullPolicy(
    name: string,
    role: pulumi.Input<string>,
    image: ResolvedImage,
    parent: pulumi.Resource,
): iam.RolePolicy | undefined {
    if (image.repositoryArn === undefined) return undefined;
    return new iam.RolePolicy(
        name,
        {
            role,
            policy: policyJson([
                {
                    Sid: "PullJobImage",
                    Effect: "Allow",
                    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
                    Resource: image.repositoryArn,
                },
            ]),
        },
        { parent },
    );
}

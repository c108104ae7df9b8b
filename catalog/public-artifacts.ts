import { type ImageRef, parseImage, unpinnedImage } from "./prerequisites/refs";
import type { Prerequisite } from "./spec";

// The public artifacts a plan may read without creating them: images and templates their vendors
// publish for everyone, each with where the vendor documents it. A prerequisite found here is met
// when it is pinned to one version (an explicit version tag or a digest; a dated template folder),
// never `latest`: a moving reference changes what a stack runs without any change to the stack.

/** One publisher's artifacts. */
export interface PublicArtifacts {
    /** Who publishes them and what they are. */
    readonly name: string;
    readonly kind: Prerequisite["kind"];
    /** Where the vendor documents them (registry paths, tags, versions). */
    readonly source: string;
    /** The version a reference names when it is one of these artifacts; undefined when it is not. */
    readonly match: (ref: string) => { version?: string; unpinned?: string } | undefined;
}

/** Images under `host/prefix` for any of `prefixes` (`""` for every image on the host). */
function imagesUnder(host: string, ...prefixes: string[]): PublicArtifacts["match"] {
    return (ref) => {
        const r = parseImage(ref);
        if (r.host !== host || !prefixes.some((p) => p === "" || r.path === p || r.path.startsWith(`${p}/`)))
            return undefined;
        return version(ref, r);
    };
}

function version(ref: string, r: ImageRef): { version?: string; unpinned?: string } {
    const unpinned = unpinnedImage(ref);
    return { ...((r.digest ?? r.tag) ? { version: r.digest ?? r.tag } : {}), ...(unpinned ? { unpinned } : {}) };
}

/** AWS regions → the account of a SageMaker prebuilt repository group there. */
type Accounts = Readonly<Record<string, string>>;

const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * SageMaker's prebuilt images in `repositories`, published from one account per region. The
 * project writes them without a host (`sagemaker-scikit-learn:1.2-1-cpu-py3`) and resolves them to
 * the region's registry with `aws.sagemaker.getPrebuiltEcrImage`, so both spellings are matched;
 * a resolved one only from the account AWS publishes the repository from in its region.
 */
function sagemakerImages(accounts: Accounts, repositories: readonly string[]): PublicArtifacts["match"] {
    return (ref) => {
        const r = parseImage(ref);
        if (r.hostless) {
            const [repository] = ref.split(/[:@]/);
            return repositories.includes(repository!) ? version(ref, r) : undefined;
        }
        const host = ECR_HOST.exec(r.host);
        if (!host || !repositories.includes(r.path) || accounts[host[2]!] !== host[1]) return undefined;
        return version(ref, r);
    };
}

/** Templates at `pattern` (its `version` group names the version), pinned when the version matches `pinned`. */
function templatesAt(pattern: RegExp, pinned: RegExp): PublicArtifacts["match"] {
    return (ref) => {
        const v = pattern.exec(ref)?.groups?.["version"];
        if (v === undefined) return undefined;
        return pinned.test(v)
            ? { version: v }
            : { version: v, unpinned: `its version folder '${v}' is not a dated release` };
    };
}

/**
 * The registry account per region of the scikit-learn, XGBoost and Spark ML serving images
 * (the provider's `prebuiltECRImageIDByRegion_XGBoost`; regions with another DNS suffix left out).
 */
const SAGEMAKER_FRAMEWORK_ACCOUNTS: Accounts = {
    "af-south-1": "510948584623",
    "ap-east-1": "651117190479",
    "ap-northeast-1": "354813040037",
    "ap-northeast-2": "366743142698",
    "ap-northeast-3": "867004704886",
    "ap-south-1": "720646828776",
    "ap-south-2": "628508329040",
    "ap-southeast-1": "121021644041",
    "ap-southeast-2": "783357654285",
    "ap-southeast-3": "951798379941",
    "ap-southeast-4": "106583098589",
    "ca-central-1": "341280168497",
    "ca-west-1": "190319476487",
    "cn-north-1": "450853457545",
    "cn-northwest-1": "451049120500",
    "eu-central-1": "492215442770",
    "eu-central-2": "680994064768",
    "eu-north-1": "662702820516",
    "eu-south-1": "978288397137",
    "eu-south-2": "104374241257",
    "eu-west-1": "141502667606",
    "eu-west-2": "764974769150",
    "eu-west-3": "659782779980",
    "il-central-1": "898809789911",
    "me-central-1": "272398656194",
    "me-south-1": "801668240914",
    "sa-east-1": "737474898029",
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-gov-east-1": "237065988967",
    "us-gov-west-1": "414596584902",
    "us-west-1": "746614075791",
    "us-west-2": "246618743249",
};

/** The registry account per region of the AWS Deep Learning Containers (`prebuiltECRImageIDByRegion_deepLearning`). */
const DEEP_LEARNING_ACCOUNTS: Accounts = {
    "af-south-1": "626614931356",
    "ap-east-1": "871362719292",
    "ap-northeast-1": "763104351884",
    "ap-northeast-2": "763104351884",
    "ap-northeast-3": "364406365360",
    "ap-south-1": "763104351884",
    "ap-south-2": "772153158452",
    "ap-southeast-1": "763104351884",
    "ap-southeast-2": "763104351884",
    "ap-southeast-3": "907027046896",
    "ap-southeast-4": "457447274322",
    "ca-central-1": "763104351884",
    "ca-west-1": "204538143572",
    "cn-north-1": "727897471807",
    "cn-northwest-1": "727897471807",
    "eu-central-1": "763104351884",
    "eu-central-2": "380420809688",
    "eu-north-1": "763104351884",
    "eu-south-1": "692866216735",
    "eu-south-2": "503227376785",
    "eu-west-1": "763104351884",
    "eu-west-2": "763104351884",
    "eu-west-3": "763104351884",
    "il-central-1": "780543022126",
    "me-central-1": "914824155844",
    "me-south-1": "217643126080",
    "sa-east-1": "763104351884",
    "us-east-1": "763104351884",
    "us-east-2": "763104351884",
    "us-gov-east-1": "446045086412",
    "us-gov-west-1": "442386744353",
    "us-west-1": "763104351884",
    "us-west-2": "763104351884",
};

const PROVIDER_PREBUILT_SOURCE =
    "hashicorp/terraform-provider-aws internal/service/sagemaker/prebuilt_ecr_image_data_source.go (the data source behind aws.sagemaker.getPrebuiltEcrImage)";

/** The prebuilt repositories whose account is SAGEMAKER_FRAMEWORK_ACCOUNTS'. */
export const SAGEMAKER_FRAMEWORK_REPOSITORIES = [
    "sagemaker-scikit-learn",
    "sagemaker-xgboost",
    "sagemaker-sparkml-serving",
] as const;

/** The prebuilt repositories whose account is DEEP_LEARNING_ACCOUNTS'. */
export const DEEP_LEARNING_REPOSITORIES = [
    "pytorch-training",
    "pytorch-inference",
    "tensorflow-training",
    "tensorflow-inference",
    "huggingface-pytorch-training",
    "huggingface-pytorch-inference",
    "huggingface-tensorflow-training",
    "huggingface-tensorflow-inference",
] as const;

/** The account that publishes SageMaker prebuilt `repository` in `region`, or undefined when the table has none. */
export function prebuiltAccount(repository: string, region: string): string | undefined {
    if ((SAGEMAKER_FRAMEWORK_REPOSITORIES as readonly string[]).includes(repository))
        return SAGEMAKER_FRAMEWORK_ACCOUNTS[region];
    if ((DEEP_LEARNING_REPOSITORIES as readonly string[]).includes(repository)) return DEEP_LEARNING_ACCOUNTS[region];
    return undefined;
}

/**
 * The short form (`sagemaker-scikit-learn:1.2-1-cpu-py3`) of a SageMaker prebuilt image resolved to
 * its region's registry by the account AWS publishes it from; undefined for any other reference.
 */
export function prebuiltShortForm(ref: string): string | undefined {
    const r = parseImage(ref);
    const host = ECR_HOST.exec(r.host);
    if (!host || r.tag === undefined || prebuiltAccount(r.path, host[2]!) !== host[1]) return undefined;
    return `${r.path}:${r.tag}`;
}

/** Every known publisher of public artifacts, in the order they are tried. */
export const PUBLIC_ARTIFACTS: readonly PublicArtifacts[] = [
    {
        name: "SageMaker prebuilt framework images (scikit-learn, XGBoost, Spark ML serving)",
        kind: "image",
        source: `https://docs.aws.amazon.com/sagemaker/latest/dg-ecr-paths/sagemaker-algo-docker-registry-paths.html; ${PROVIDER_PREBUILT_SOURCE}`,
        match: sagemakerImages(SAGEMAKER_FRAMEWORK_ACCOUNTS, SAGEMAKER_FRAMEWORK_REPOSITORIES),
    },
    {
        name: "AWS Deep Learning Containers (PyTorch, TensorFlow, Hugging Face)",
        kind: "image",
        source: `https://github.com/aws/deep-learning-containers/blob/master/available_images.md; ${PROVIDER_PREBUILT_SOURCE}`,
        match: sagemakerImages(DEEP_LEARNING_ACCOUNTS, DEEP_LEARNING_REPOSITORIES),
    },
    {
        name: "Microsoft Artifact Registry (every image Microsoft publishes)",
        kind: "image",
        source: "https://github.com/microsoft/containerregistry (catalog: https://mcr.microsoft.com/)",
        match: imagesUnder("mcr.microsoft.com", ""),
    },
    {
        name: "Vertex AI prebuilt training and prediction containers",
        kind: "image",
        // Their tag is always `latest`, the framework version is in the image name: pin them by digest.
        source: "https://cloud.google.com/vertex-ai/docs/predictions/pre-built-containers; https://cloud.google.com/vertex-ai/docs/training/pre-built-containers",
        match: (ref) =>
            ["us-docker.pkg.dev", "europe-docker.pkg.dev", "asia-docker.pkg.dev"]
                .map((h) => imagesUnder(h, "vertex-ai")(ref))
                .find((m) => m !== undefined),
    },
    {
        name: "Cloud Run sample containers",
        kind: "image",
        source: "https://cloud.google.com/run/docs/quickstarts/deploy-container",
        match: imagesUnder("us-docker.pkg.dev", "cloudrun/container"),
    },
    {
        name: "Ray images (Docker Hub rayproject)",
        kind: "image",
        source: "https://github.com/ray-project/ray/blob/master/docker/ray/README.md (tags {Ray version}[-{Python}][-{platform}])",
        match: imagesUnder("docker.io", "rayproject/ray", "rayproject/ray-ml"),
    },
    {
        name: "KServe model servers (Docker Hub kserve)",
        kind: "image",
        source: "https://kserve.github.io/website/ (images published under https://hub.docker.com/u/kserve)",
        match: imagesUnder("docker.io", "kserve"),
    },
    {
        name: "PyTorch images (Docker Hub pytorch/pytorch)",
        kind: "image",
        source: "https://hub.docker.com/r/pytorch/pytorch",
        match: imagesUnder("docker.io", "pytorch/pytorch"),
    },
    {
        name: "Docker Official Image python",
        kind: "image",
        source: "https://hub.docker.com/_/python",
        match: imagesUnder("docker.io", "library/python"),
    },
    {
        name: "Google-provided Dataflow templates",
        kind: "template",
        // VERSION is `latest` or a dated folder such as 2023-09-12-00_RC00; Google warns `latest` may break.
        source: "https://cloud.google.com/dataflow/docs/guides/templates/provided-templates (gs://dataflow-templates-REGION_NAME/VERSION/...)",
        match: templatesAt(
            /^gs:\/\/dataflow-templates(?:-[a-z0-9-]+)?\/(?<version>[^/]+)\/.+/,
            /^\d{4}-\d{2}-\d{2}-\d{2}_RC\d{2}$/,
        ),
    },
];

/** What the table says about a reference: its publisher, its version and why it is not pinned. */
export interface PublicMatch {
    readonly publisher: PublicArtifacts;
    readonly version?: string;
    /** Why the reference is not pinned to one version; undefined when it is. */
    readonly unpinned?: string;
}

/** The known publisher of `ref` (an image or a template), or undefined for a reference the table does not know. Pure. */
export function publicArtifact(kind: Prerequisite["kind"], ref: string): PublicMatch | undefined {
    for (const publisher of PUBLIC_ARTIFACTS) {
        if (publisher.kind !== kind) continue;
        const m = publisher.match(ref);
        if (m) return { publisher, ...m };
    }
    return undefined;
}

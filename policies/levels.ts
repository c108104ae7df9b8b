import type { PolicyProviderResource } from "@pulumi/policy";
import { readTags, TAG_KEYS } from "../components/shared/tags";
import { get } from "./props";

/** What a resource's mlops tags say about it. */
export interface LevelTags {
    pipelines: string[];
    level?: number;
    assessed?: number;
    environment?: string;
    dataKind?: string;
    gpuPinned: boolean;
}

type Bag = Record<string, unknown>;
const isBag = (v: unknown): v is Bag => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The tags or labels of a resource, wherever its cloud keeps them: AWS and Azure `tags`, GCP `labels`
 * (GKE `resourceLabels`, node pools `nodeConfig.resourceLabels`, some APIs `userLabels`), Kubernetes `metadata.labels`. Provider-wide defaults
 * (AWS `defaultTags.tags`, GCP `defaultLabels`) come first so the resource's own values win, as in the
 * providers themselves.
 */
export function tagBag(type: string, props: Bag, provider?: Pick<PolicyProviderResource, "props">): Bag | undefined {
    const parts: unknown[] = [];
    if (type.startsWith("kubernetes:")) parts.push(get(props, "metadata.labels"));
    else if (type.startsWith("gcp:")) {
        parts.push(
            provider?.props["defaultLabels"],
            get(props, "nodeConfig.resourceLabels"),
            props["labels"],
            props["resourceLabels"],
            props["userLabels"],
        );
    } else if (type.startsWith("aws:")) parts.push(get(provider?.props, "defaultTags.tags"), props["tags"]);
    else parts.push(props["tags"]);
    const bags = parts.filter(isBag);
    return bags.length === 0 ? undefined : Object.assign({}, ...bags);
}

/** The mlops tags of a resource, or undefined when it carries no `mlops-pipeline` tag. */
export function levelTags(
    type: string,
    props: Bag,
    provider?: Pick<PolicyProviderResource, "props">,
): LevelTags | undefined {
    const bag = tagBag(type, props, provider);
    const t = readTags(bag);
    if (!t || !bag) return undefined;
    const env = bag[TAG_KEYS.environment];
    return { ...t, environment: typeof env === "string" ? env : undefined };
}

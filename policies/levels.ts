import type { PolicyProviderResource } from "@pulumi/policy";
import { tagsOf } from "../catalog";
import { readTags, TAG_KEYS } from "../components/shared/tags";

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

/**
 * The mlops tags of a resource, read by the catalogue's one tag reader (the provider's default tags
 * under the resource's own), or undefined when it carries no `mlops-pipeline` tag.
 */
export function levelTags(
    type: string,
    props: Bag,
    provider?: Pick<PolicyProviderResource, "type" | "props">,
): LevelTags | undefined {
    const bag = tagsOf(type, props, provider);
    const t = readTags(bag);
    if (!t || !bag) return undefined;
    const env = bag[TAG_KEYS.environment];
    return { ...t, environment: typeof env === "string" ? env : undefined };
}

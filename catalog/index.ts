// The resource catalogue: what the project knows about each resource type token, written once per
// cloud (aws.ts, azure.ts, gcp.ts, kubernetes.ts, random.ts, pulumi.ts) and read by every consumer:
// the cost model, the policy pack, plan --compare, the diagram and the offline engine.

import { TAG_KEYS } from "../components/shared/tags";
import { AWS, AWS_CALLS } from "./aws";
import { AZURE, AZURE_CALLS } from "./azure";
import { GCP, GCP_CALLS } from "./gcp";
import { KUBERNETES } from "./kubernetes";
import type { MachineFact } from "./machines/shapes";
import { PULUMI } from "./pulumi";
import { RANDOM } from "./random";
import type { CallCatalogue, Catalogue, MockCall, Prerequisite, Provided, ResourceKind, ResourceSpec } from "./spec";
import { at, isObj, type Obj } from "./values";

export type { MachineFact } from "./machines/shapes";
export type { Catalogue, Prerequisite, Provided, ResourceKind, ResourceSpec } from "./spec";

/** Every resource type token the project knows, from the per-cloud catalogues. */
export const CATALOGUE: Catalogue = { ...AWS, ...AZURE, ...GCP, ...KUBERNETES, ...RANDOM, ...PULUMI };

/** Every provider function (data source) the offline engine answers, by token. */
export const CALLS: CallCatalogue = { ...AWS_CALLS, ...AZURE_CALLS, ...GCP_CALLS };

/** What the project knows about `type`, or undefined for a type it does not know (a user's own stack). */
export function findSpec(type: string): ResourceSpec | undefined {
    return Object.hasOwn(CATALOGUE, type) ? CATALOGUE[type] : undefined;
}

/** What the project knows about `type`; throws for a type no catalogue holds. */
export function resourceSpec(type: string): ResourceSpec {
    const spec = findSpec(type);
    if (!spec)
        throw new Error(
            `resource type '${type}' is not catalogued: add it to catalog/<cloud>.ts (stateful, tags, kind, price, mock outputs)`,
        );
    return spec;
}

/**
 * Whether a resource of `type` with `inputs` holds data a team cannot get back once deleted or
 * replaced, as its catalogue entry says; false for a type the catalogue does not know.
 */
export function holdsData(type: string, inputs: Obj = {}): boolean {
    const stateful = findSpec(type)?.stateful ?? false;
    return typeof stateful === "function" ? stateful(inputs) : stateful;
}

/** The offline answer of provider function `token`; throws for a function no catalogue holds. */
export function callSpec(token: string): MockCall {
    if (!Object.hasOwn(CALLS, token))
        throw new Error(`provider function '${token}' is not catalogued: add its mock answer to catalog/<cloud>.ts`);
    return CALLS[token]!;
}

/** The types of some kinds, in catalogue order (the level gates' type lists). */
export function typesOfKind(...kinds: ResourceKind[]): string[] {
    return Object.entries(CATALOGUE)
        .filter(([, s]) => kinds.includes(s.kind))
        .map(([t]) => t);
}

/** Where a type the catalogue does not know keeps its tags: its provider package's usual places. */
function tagPlacesByPackage(type: string): readonly string[] {
    if (type.startsWith("kubernetes:")) return ["metadata.labels"];
    if (type.startsWith("gcp:")) return ["nodeConfig.resourceLabels", "labels", "resourceLabels", "userLabels"];
    return ["tags"];
}

/**
 * The tags (AWS, Azure) or labels (GCP, Kubernetes) of a resource, the one reader every consumer
 * uses: the provider's default tags first (AWS `defaultTags.tags`, GCP `defaultLabels`), then the
 * places the type's catalogue entry names, later ones winning as in the providers themselves. When
 * they carry no `mlops-pipeline`, tags the type holds inside a document (a state machine's job)
 * are taken instead. Undefined when the resource carries none.
 */
export function tagsOf(type: string, inputs: Obj, provider?: { type: string; props: Obj }): Obj | undefined {
    const spec = findSpec(type);
    const parts: unknown[] = [];
    const defaults = provider ? findSpec(provider.type)?.defaultTags : undefined;
    if (provider && defaults) parts.push(at(provider.props, defaults));
    for (const place of spec?.tags ?? tagPlacesByPackage(type)) parts.push(at(inputs, place));
    const bags = parts.filter(isObj);
    const bag: Obj | undefined = bags.length === 0 ? undefined : Object.assign({}, ...bags);
    if (typeof bag?.[TAG_KEYS.pipeline] === "string") return bag;
    return spec?.embeddedTags?.(inputs) ?? bag;
}

/** The machines a resource runs, as its catalogue entry reads them; [] for types that run none or are unknown. */
export function machinesOf(type: string, inputs: Obj): MachineFact[] {
    return findSpec(type)?.machines?.(inputs) ?? [];
}

/**
 * What must already exist in the cloud when a planned resource is created or first runs (an object
 * in a bucket, an image in a registry, a template file), read from its inputs. Pure; [] for a type
 * that needs nothing or that the catalogue does not know.
 */
export function prerequisitesOf(resource: { type: string; inputs: Obj }): Prerequisite[] {
    return findSpec(resource.type)?.needs?.(resource.inputs) ?? [];
}

/** What a planned resource puts in place for others (an uploaded object, a pushed image). Pure. */
export function providedBy(resource: { type: string; inputs: Obj }): Provided[] {
    return findSpec(resource.type)?.provides?.(resource.inputs) ?? [];
}

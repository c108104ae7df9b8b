import type * as pulumi from "@pulumi/pulumi";
import type { Site } from "../capability";
import type { Foundation } from "../foundation";
import type { Checkable, StackContext } from "../shared/context";
import type { InputProblem } from "../shared/errors";
import type { Pipeline } from "../shared/levels";

/** Registry component type token. */
export const REGISTRY_TYPE = "mlops:registry:Registry";

/** Days an untagged image (a superseded push, a failed build) is kept before cleanup deletes it. */
export const DEFAULT_UNTAGGED_RETENTION_DAYS = 7;
/** The longest retention the checks accept: a year, so a typo cannot keep garbage forever. */
export const MAX_UNTAGGED_RETENTION_DAYS = 365;

/**
 * Name of the one repository model images go to. The same on every cloud, so build scripts push to
 * `<repositoryUrl>:<tag>` whatever the cloud (ECR and Artifact Registry name it with the stack,
 * Azure puts it under the registry's host).
 */
export const IMAGE_REPOSITORY = "models";

/** Inference levels whose serving images live in the registry: the endpoint (4) and Kubernetes (5). */
export const REGISTRY_LEVELS: readonly number[] = [4, 5];

/** Args of the container registry that holds the stack's model serving images. */
export interface RegistryArgs {
    readonly ctx: StackContext;
    readonly foundation: Foundation;
    /** Pipelines whose images it holds (tags name them all); `["inference"]` today. */
    readonly pipelines: readonly Pipeline[];
    /** The level that asked for it (4 or 5), for tags. */
    readonly level: number;
    /** Days untagged images are kept before the cleanup rule deletes them; default DEFAULT_UNTAGGED_RETENTION_DAYS. */
    readonly untaggedRetentionDays?: number;
}

/**
 * Public outputs of a registry, the same on every cloud. Pull rights are granted per consumer with
 * `grantPull`, so each endpoint or cluster may read this registry and nothing more.
 */
export interface Registry extends pulumi.ComponentResource {
    /** Host to `docker login` to: `<account>.dkr.ecr.<region>.amazonaws.com`, `<name>.azurecr.io`, `<region>-docker.pkg.dev`. */
    readonly registryUrl: pulumi.Output<string>;
    /** Where images are pushed and pulled, without a tag: `<registryUrl>/<path>`. */
    readonly repositoryUrl: pulumi.Output<string>;
    /** The cloud's id of what `grantPull` scopes to: repository ARN, registry resource id, repository id. */
    readonly registryId: pulumi.Output<string>;
    /**
     * Lets one identity pull images from this registry only, and returns the grant resource (a
     * dependency for whatever pulls). `principal` is the identity as the cloud names it: an IAM role
     * name (AWS), a principal (object) id (Azure), an IAM member such as `serviceAccount:<email>` (GCP).
     * `parent` is the consumer, so the grant goes away with it.
     */
    grantPull(name: string, principal: pulumi.Input<string>, parent: pulumi.Resource): pulumi.CustomResource;
}

/** The registry as the stack program decides it: its args without the site, with the region. */
export type RegistrySpec = Checkable<RegistryArgs>;

/** A site with the stack's registry, once one exists: where the endpoint and Kubernetes are built. */
export interface RegistrySite extends Site {
    readonly registry?: Registry;
}

/** The stack's registry at `site`; an error when `who` is created before (or without) it. */
export function registryAt(site: RegistrySite, who: string): Registry {
    if (!site.registry) throw new Error(`${who} needs the stack's registry; create the registry first`);
    return site.registry;
}

/** Checks registry args before anything is created. Pure. */
export function checkRegistryArgs(a: Pick<RegistryArgs, "untaggedRetentionDays" | "level">): InputProblem[] {
    const p: InputProblem[] = [];
    const days = a.untaggedRetentionDays;
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_UNTAGGED_RETENTION_DAYS))
        p.push({
            path: "untaggedRetentionDays",
            message: `must be a whole number of days from 1 to ${MAX_UNTAGGED_RETENTION_DAYS}`,
        });
    if (!REGISTRY_LEVELS.includes(a.level))
        p.push({
            path: "level",
            message: `must be one of ${REGISTRY_LEVELS.join(", ")} (the levels that serve images)`,
        });
    return p;
}

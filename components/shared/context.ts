import type * as pulumi from "@pulumi/pulumi";
import type { Cloud } from "./clouds";
import { type TagFacts, type TagPipeline, tags } from "./tags";

/** What every component needs to know about the stack it is part of. */
export interface StackContext {
    /** Pulumi project name. */
    readonly project: string;
    /** Stack name, which is the environment (dev, staging, prod). */
    readonly stack: string;
    readonly cloud: Cloud;
    /** The cloud's own region name. */
    readonly region: string;
    /** Protect stateful resources (storage, registries, streams) from deletion. */
    readonly protect: boolean;
    /**
     * Random lowercase alphanumeric suffix, created once per stack and kept in state, for names that
     * must be globally unique (buckets, storage accounts, registries).
     */
    readonly uniqueSuffix: pulumi.Output<string>;
    /** Assessment facts the tags carry for the policy pack (assessed levels, data kind). */
    readonly facts?: TagFacts;
}

/** Tags for a resource of `pipeline` at `level` in this stack. */
export function tagsOf(ctx: StackContext, pipeline: TagPipeline, level: number): Record<string, string> {
    return tags(ctx.stack, pipeline, level, ctx.facts);
}

/**
 * A component's args as the stack program decides them and the pure checks see them: plain data,
 * without where it is built (context, foundation, registry: resources that do not exist yet when
 * the program checks), with the region the checks need instead.
 */
export type Checkable<A> = Omit<A, "ctx" | "foundation" | "registry"> & { readonly region: string };

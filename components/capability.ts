import type * as pulumi from "@pulumi/pulumi";
import { asFoundation, type Foundation, type FoundationClass, type FoundationNeeds } from "./foundation";
import type { StackContext } from "./shared/context";
import type { InputProblem } from "./shared/errors";

/**
 * Where the stack program builds a capability: the stack's context and its foundation. A capability
 * that uses what an earlier one provides takes a wider site (RegistrySite: the model image registry).
 */
export interface Site {
    readonly ctx: StackContext;
    readonly foundation: Foundation;
}

/**
 * One capability on one cloud: a batch job, a training job, the Spark cluster, streaming, the
 * registry, the endpoint or the Kubernetes platform. Every one has this shape. The stack program
 * decides each capability's spec from the settings, runs every `check` and merges every `needs`
 * before the first resource exists, builds the foundation with those needs, then calls `create`.
 */
export interface Capability<
    S extends { readonly region: string },
    R extends pulumi.ComponentResource,
    P extends Site = Site,
> {
    /** Every problem with the spec (the component's own limits and its cloud's), with config key paths. Pure. */
    check(spec: S): InputProblem[];
    /** What the foundation must provide for this spec (an internet path, endpoints, a subnet...). Pure. */
    needs(spec: S): FoundationNeeds;
    /** The component, at `site`; children get `{ parent }` of it and names derived from `name`. */
    create(name: string, spec: S, site: P, opts: pulumi.ComponentResourceOptions): R;
}

/** A spec's args at a site: the spec without its region (the context has it), the context and foundation. */
export function placed<S extends { readonly region: string }>(
    spec: S,
    site: Site,
): Omit<S, "region"> & Pick<Site, "ctx" | "foundation"> {
    const { region: _, ...rest } = spec;
    return { ...rest, ctx: site.ctx, foundation: site.foundation };
}

/**
 * `placed`, on the cloud's own foundation class: the args of a component that takes that cloud's
 * foundation, or an InputError when the site's is another cloud's.
 */
export function placedOn<S extends { readonly region: string }, F extends Foundation>(
    spec: S,
    site: Site,
    cls: FoundationClass<F>,
    cloud: string,
): Omit<S, "region"> & { readonly ctx: StackContext; readonly foundation: F } {
    return { ...placed(spec, site), foundation: asFoundation(site.foundation, cls, cloud) };
}

/**
 * A capability whose module is required on its first use. For Kubernetes, whose modules load a
 * second SDK (`@pulumi/kubernetes` and its Helm support, ~40 ms) that most stacks never need.
 */
export function onFirstUse<
    S extends { readonly region: string },
    R extends pulumi.ComponentResource,
    P extends Site = Site,
>(load: () => Capability<S, R, P>): Capability<S, R, P> {
    let capability: Capability<S, R, P> | undefined;
    const get = () => {
        capability ??= load();
        return capability;
    };
    return {
        check: (spec) => get().check(spec),
        needs: (spec) => get().needs(spec),
        create: (name, spec, site, opts) => get().create(name, spec, site, opts),
    };
}

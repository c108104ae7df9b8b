import { type Prerequisite, type Provided, prerequisitesOf, providedBy } from "../catalog";
import { objectKey, sameRef } from "../catalog/prerequisites/refs";
import type { UserSupplied } from "../catalog/prerequisites/user";
import { type PublicMatch, prebuiltShortForm, publicArtifact } from "../catalog/public-artifacts";
import type { PlannedResource } from "./engine";

// Create-time prerequisites, checked over a whole plan. A resource that reads an object, an image or
// a template when it is created (or first runs) fails in the cloud if the thing is not there yet. It
// is there when (a) a resource of the same plan puts it there and the reader waits for that resource,
// (b) it is a public artifact pinned to one version, or (c) the team supplied it through an option.
//
// "Waits for" is what the Pulumi engine guarantees, read from the SDK (runtime/resource.js and
// runtime/dependsOn.js in @pulumi/pulumi): a resource is registered only once the URNs of everything
// in its `dependencies` have resolved, and a custom resource's URN resolves once it is created. Those
// dependencies are dependsOn plus every resource whose outputs feed its inputs, with a component
// expanded to its custom descendants. A resource is also registered only after its parent (and its
// explicit provider) resolved, and a parent is itself registered after its own dependencies. So the
// reader waits for the provider when the provider can be reached from the reader over dependencies,
// parents and providers; and it is then registered after it.

/** How a prerequisite is met: created in this plan, public and pinned, supplied by the team, or not (null). */
export type Met = "created" | "public" | "user" | null;

/** One prerequisite of one planned resource, and how it is met. */
export interface PrerequisiteCheck {
    /** The resource that needs it. */
    readonly urn: string;
    readonly type: string;
    /** The input it is read from. */
    readonly input: string;
    readonly kind: Prerequisite["kind"];
    readonly ref: string;
    readonly met: Met;
    /** The resource that creates it (met "created"), or the mirror it is pulled through (met "public" or "user"). */
    readonly by?: string;
    /** How it is met (the publisher, the option) or, when unmet, what is missing. */
    readonly why: string;
}

export interface CheckOptions {
    /** The artifacts the team supplied (`userSupplied(settings.options)`). */
    readonly user?: readonly UserSupplied[];
}

/** Objects and templates are both files in a bucket: an uploaded object can be a template file. */
const sameKind = (a: Prerequisite["kind"], b: Prerequisite["kind"]) => a === b || (a !== "image" && b !== "image");

/** Who waits for whom, and in what order resources were registered. */
class Graph {
    private readonly index = new Map<string, number>();
    private readonly edges = new Map<string, readonly string[]>();
    private readonly reach = new Map<string, Set<string>>();

    constructor(resources: readonly PlannedResource[]) {
        resources.forEach((r, i) => {
            this.index.set(r.urn, i);
            this.edges.set(r.urn, [
                ...r.dependencies,
                ...(r.parent !== undefined ? [r.parent] : []),
                ...(r.provider !== undefined ? [r.provider] : []),
            ]);
        });
    }

    /** The registration position of a resource. */
    position(urn: string): number {
        return this.index.get(urn) ?? -1;
    }

    /** True when `reader` waits for `provider`: a path of dependencies, parents and providers leads there. */
    waitsFor(reader: string, provider: string): boolean {
        let seen = this.reach.get(reader);
        if (!seen) {
            seen = new Set<string>();
            const todo = [...(this.edges.get(reader) ?? [])];
            while (todo.length > 0) {
                const next = todo.pop()!;
                if (seen.has(next)) continue;
                seen.add(next);
                todo.push(...(this.edges.get(next) ?? []));
            }
            this.reach.set(reader, seen);
        }
        return seen.has(provider);
    }
}

/** A provided thing and the resource that provides it. */
interface Supply {
    readonly resource: PlannedResource;
    readonly provided: Provided;
}

/**
 * The user-supplied value a reference is, if any (images compared normalized, SageMaker's short
 * form too; an object key from a key option matches the object of that key in its bucket).
 */
function suppliedBy(kind: Prerequisite["kind"], ref: string, user: readonly UserSupplied[]): UserSupplied | undefined {
    // A SageMaker prebuilt image the team writes without a host is resolved to its region's registry.
    const short = kind === "image" ? prebuiltShortForm(ref) : undefined;
    const key = kind === "image" ? undefined : objectKey(ref);
    return user.find(
        (u) =>
            (u.key === true ? key !== undefined && u.value === key : sameRef(kind, ref, u.value)) ||
            (short !== undefined && u.value === short),
    );
}

/** Why a public match does or does not meet a prerequisite. */
function publicWhy(m: PublicMatch): string {
    const pin = m.publisher.kind === "image" ? "a version tag or a digest" : "a dated version";
    return m.unpinned === undefined
        ? `${m.publisher.name}, pinned to ${m.version}`
        : `${m.publisher.name}, but not pinned: ${m.unpinned} (pin ${pin})`;
}

/** What the reader must do to wait for a resource it does not wait for. */
const WAIT = "take one of its outputs as an input (or list it in dependsOn)";

/** The short name of a URN, for messages. */
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/**
 * Checks every prerequisite of every resource of a plan (`resources` in registration order), and
 * says how each is met. Pure: reads only the resources' types, inputs, dependencies, parents and
 * providers, the catalogue's `needs` and `provides`, the public artifact table and `user`.
 */
export function checkPrerequisites(
    resources: readonly PlannedResource[],
    options: CheckOptions = {},
): PrerequisiteCheck[] {
    const user = options.user ?? [];
    const graph = new Graph(resources);
    const supplies: Supply[] = resources.flatMap((resource) =>
        providedBy(resource).map((provided) => ({ resource, provided })),
    );
    const out: PrerequisiteCheck[] = [];
    for (const reader of resources) {
        for (const p of prerequisitesOf(reader)) {
            const base = { urn: reader.urn, type: reader.type, input: p.input, kind: p.kind, ref: p.ref };
            out.push({ ...base, ...meet(reader, p, graph, supplies, user) });
        }
    }
    return out;
}

/** Whether a reader can count on `supply` (which `does` it): it waits for it and it comes first. Undefined when it can. */
function waitProblem(reader: PlannedResource, supply: PlannedResource, graph: Graph, does: string): string | undefined {
    const who = `${supply.type} ${nameOf(supply.urn)}`;
    if (!graph.waitsFor(reader.urn, supply.urn))
        return `${who} ${does}, but this resource does not wait for it: ${WAIT}`;
    if (graph.position(supply.urn) > graph.position(reader.urn))
        return `${who} ${does}, but is registered after this resource`;
    return undefined;
}

function meet(
    reader: PlannedResource,
    p: Prerequisite,
    graph: Graph,
    supplies: readonly Supply[],
    user: readonly UserSupplied[],
): { met: Met; by?: string; why: string } {
    const problems: string[] = [];

    // (a) Created in this plan, by a resource the reader waits for.
    const creators = supplies.filter(
        (s) =>
            s.provided.mirrorOf === undefined &&
            sameKind(s.provided.kind, p.kind) &&
            sameRef(p.kind, s.provided.ref, p.ref),
    );
    for (const c of creators) {
        const problem = waitProblem(reader, c.resource, graph, "creates it");
        if (problem === undefined) return { met: "created", by: c.resource.urn, why: `created by ${c.resource.type}` };
        problems.push(problem);
    }

    // (b), (c) through a mirror of this plan: the image is the mirrored registry's, pulled through it.
    if (p.kind === "image") {
        for (const m of supplies.filter((s) => s.provided.mirrorOf !== undefined && p.ref.startsWith(s.provided.ref))) {
            const upstream = `${m.provided.mirrorOf}${p.ref.slice(m.provided.ref.length)}`;
            const supplied = suppliedBy("image", upstream, user);
            const pub = publicArtifact("image", upstream);
            const via = `through the mirror ${nameOf(m.resource.urn)}`;
            if (!supplied && (!pub || pub.unpinned !== undefined)) {
                problems.push(
                    pub
                        ? `${upstream} ${via}: ${publicWhy(pub)}`
                        : `${upstream} ${via}: not a known public image, and no option supplies it`,
                );
                continue;
            }
            const problem = waitProblem(reader, m.resource, graph, `mirrors ${upstream}`);
            if (problem !== undefined) {
                problems.push(problem);
                continue;
            }
            if (supplied) return { met: "user", by: m.resource.urn, why: `${supplied.option}, ${via}` };
            return { met: "public", by: m.resource.urn, why: `${publicWhy(pub!)}, ${via}` };
        }
    }

    // (c) Supplied by the team.
    const supplied = suppliedBy(p.kind, p.ref, user);
    if (supplied) return { met: "user", why: supplied.option };

    // (b) A public artifact pinned to one version.
    const pub = publicArtifact(p.kind, p.ref);
    if (pub && pub.unpinned === undefined) return { met: "public", why: publicWhy(pub) };
    if (pub) problems.push(publicWhy(pub));

    if (problems.length === 0)
        problems.push("nothing in this plan creates it, it is not a known public artifact, and no option supplies it");
    return { met: null, why: problems.join("; ") };
}

/** The unmet ones, as a mandatory violation reads: the resource, the input and what it needs. */
export function unmetPrerequisites(checks: readonly PrerequisiteCheck[]): PrerequisiteCheck[] {
    return checks.filter((c) => c.met === null);
}

/** One line for an unmet prerequisite: `<input> needs <kind> <ref>: <why>`. */
export function describeUnmet(c: PrerequisiteCheck): string {
    return `${c.input} needs ${c.kind} ${c.ref}: ${c.why}`;
}

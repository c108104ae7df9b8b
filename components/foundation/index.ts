import * as pulumi from "@pulumi/pulumi";
import type { AzureJobProfile } from "../machines/azure";
import type { StackContext } from "../shared/context";
import { InputError, type InputProblem } from "../shared/errors";
import type { TagPipeline } from "../shared/tags";

/** The level an internet path is for: the egress component carries its tags, for cost and policies. */
export interface EgressFor {
    readonly pipeline: TagPipeline;
    readonly level: number;
}

/**
 * What the capabilities of a stack need the foundation to provide beyond storage, identity and the
 * private network. Each capability declares its needs from its spec alone (pure), before any resource
 * exists; the stack program merges them (mergeNeeds) and the foundation builds all of it in its
 * constructor, under fixed names, so a level change adds or removes exactly these pieces. A cloud's
 * foundation refuses a need it has no such piece for.
 */
export interface FoundationNeeds {
    /**
     * AWS and GCP: an internet path out of the private network (NAT), for pulls from public
     * registries. Billed per hour and GB, so only a level that must reach the internet asks for it.
     */
    readonly internetEgress?: EgressFor;
    /** AWS: services reached from the private subnets through interface endpoints (`ecr.api`, `sts`...). */
    readonly interfaceEndpoints?: readonly string[];
    /** Azure: the subnet Kubernetes nodes run in. */
    readonly kubernetesSubnet?: boolean;
    /** Azure: the Container Apps workload profile of each job (one entry per job: counts size Dedicated ones). */
    readonly workloadProfiles?: readonly AzureJobProfile[];
    /** Azure: the Batch account whose pools run jobs too big for the Consumption profile. */
    readonly batchAccount?: boolean;
    /**
     * The reference pipeline's files the capabilities read (jobs/MANIFEST.json names: `jobs-package`,
     * `sample-data`, `model`...). The foundation uploads each once, under `samples/` in its store,
     * and readers take the upload's outputs so they are created after it. Needs no network.
     */
    readonly samples?: readonly string[];
}

/** A capability that needs nothing beyond the foundation's storage, identity and network. */
export const NO_NEEDS: FoundationNeeds = {};

/**
 * The needs of several capabilities as one: flags and lists joined (interface endpoints once each,
 * workload profiles once per job), the internet path for the first level that asks. Pure.
 */
export function mergeNeeds(needs: readonly FoundationNeeds[]): FoundationNeeds {
    const endpoints = [...new Set(needs.flatMap((n) => n.interfaceEndpoints ?? []))];
    const profiles = needs.flatMap((n) => n.workloadProfiles ?? []);
    const egress = needs.find((n) => n.internetEgress !== undefined)?.internetEgress;
    const samples = [...new Set(needs.flatMap((n) => n.samples ?? []))].sort();
    return {
        ...(egress ? { internetEgress: egress } : {}),
        ...(endpoints.length > 0 ? { interfaceEndpoints: endpoints } : {}),
        ...(needs.some((n) => n.kubernetesSubnet) ? { kubernetesSubnet: true } : {}),
        ...(profiles.length > 0 ? { workloadProfiles: profiles } : {}),
        ...(needs.some((n) => n.batchAccount) ? { batchAccount: true } : {}),
        ...(samples.length > 0 ? { samples } : {}),
    };
}

/** Who runs `pulumi up` and where from, as the stack options say (`mlops:options`). */
export interface DeployerAccess {
    /** Public IPv4 CIDRs the deployer comes from (`deployerCidrs`): Azure admits them to its storage. */
    readonly cidrs?: readonly string[];
    /** Azure: the deployer's principal type for its role assignments (`deployerPrincipalType`). */
    readonly principalType?: "User" | "ServicePrincipal";
}

/** Args of the foundation every stack gets, whatever its levels, and what its capabilities need. */
export interface FoundationArgs extends FoundationNeeds {
    readonly ctx: StackContext;
    /** The deployer's addresses and principal type; none given: defaults (no address, type from the sign-in). */
    readonly deployer?: DeployerAccess;
    /**
     * Create the private network compute runs in. The stack program asks for it whenever the stack
     * runs anything, so a level change never adds or removes it; a stack with nothing to run gets
     * storage only.
     */
    readonly network: boolean;
}

/**
 * Why a cloud's foundation cannot provide `needs`: the needs it has no piece for (`supported` lists
 * those it has), and any need at all without the network they all live in. Pure.
 */
export function needsProblems(
    args: FoundationArgs,
    cloud: string,
    supported: readonly (keyof FoundationNeeds)[],
): string[] {
    const asked = (Object.keys(args) as (keyof FoundationArgs)[]).filter(
        (k): k is keyof FoundationNeeds =>
            k !== "ctx" && k !== "network" && k !== "deployer" && args[k] !== undefined && args[k] !== false,
    );
    const problems = asked
        .filter((k) => !supported.includes(k))
        .map((k) => `the ${cloud} foundation has no ${k}; no ${cloud} capability should ask for it`);
    // Uploads go to storage, which every foundation has; everything else lives in the network.
    const networked = asked.filter((k) => k !== "samples");
    if (!args.network && networked.length > 0)
        problems.push(`${networked.join(", ")} need the private network; create the foundation with network: true`);
    return problems;
}

/**
 * The upload of sample `name` a foundation `found`; throws when it made none: a capability reads a
 * sample it did not declare in its needs (a programming error, not bad input).
 */
export function declaredSample<T>(found: T | undefined, name: string, cloud: string): T {
    if (found === undefined)
        throw new Error(
            `the ${cloud} foundation did not upload sample '${name}': declare it in the capability's needs (samples)`,
        );
    return found;
}

/** Throws when a foundation is asked for what it cannot build (a programming error, not bad input). */
export function throwIfNeedsProblems(problems: readonly string[]): void {
    if (problems.length > 0) throw new Error(`foundation: ${problems.join("; ")}`);
}

/**
 * The same public outputs on every cloud. Each cloud's class adds what its own level components
 * need (subnet ids, resource group, KMS key) as further readonly fields.
 */
export interface Foundation extends pulumi.ComponentResource {
    /** Bucket / container of training and feature data. */
    readonly dataBucketName: pulumi.Output<string>;
    /** Bucket / container of model artifacts and job code. */
    readonly artifactsBucketName: pulumi.Output<string>;
    /** URL of the data bucket as jobs address it: s3://…, abfss://…, gs://… */
    readonly dataUri: pulumi.Output<string>;
    /** URL of the artifacts bucket as jobs address it. */
    readonly artifactsUri: pulumi.Output<string>;
    /** The identity jobs run as: role ARN, managed identity resource id, service account email. */
    readonly jobIdentity: pulumi.Output<string>;
    /** The private network's id, when one was created. */
    readonly networkId?: pulumi.Output<string>;
}

/** Foundation component type token. */
export const FOUNDATION_TYPE = "mlops:foundation:Foundation";

/**
 * Type token of the internet egress path (NAT) a foundation builds when a level needs it. The
 * component is registered with the tags of that level, so the cost table attributes its untagged
 * children (a Cloud NAT has no labels) to the level rather than to the free foundation.
 */
export const EGRESS_TYPE = "mlops:foundation:InternetEgress";

/** The component the egress resources live under, carrying the tags of the level that asked for it. */
export class InternetEgress extends pulumi.ComponentResource {
    constructor(name: string, tags: Record<string, string>, opts: pulumi.ComponentResourceOptions) {
        // Registered with its tags (unlike other components) so the cost table can read them.
        super(EGRESS_TYPE, name, { tags }, opts);
    }

    /** Ends the registration once the children exist. */
    complete(outputs: pulumi.Inputs): void {
        this.registerOutputs(outputs);
    }
}

/** A cloud's own foundation class, for the checks below. */
export type FoundationClass<F extends Foundation> = abstract new (...args: never[]) => F;

/**
 * Why `f` cannot carry a component: it is another cloud's foundation, or it has no network and the
 * component runs in one (`network.why` says where). Pure; every component checks this first.
 */
export function foundationProblems<F extends Foundation>(
    f: Foundation,
    cls: FoundationClass<F>,
    cloud: string,
    network?: { readonly ready: (f: F) => boolean; readonly why: string },
): InputProblem[] {
    if (!(f instanceof cls)) return [{ path: "foundation", message: `must be the ${cloud} foundation` }];
    if (network && !network.ready(f))
        return [{ path: "foundation", message: `must have a network (network: true): ${network.why}` }];
    return [];
}

/** `f` as the cloud's own foundation, or an InputError when it is another cloud's. */
export function asFoundation<F extends Foundation>(f: Foundation, cls: FoundationClass<F>, cloud: string): F {
    const problems = foundationProblems(f, cls, cloud);
    if (problems.length > 0) throw new InputError(problems);
    return f as F;
}

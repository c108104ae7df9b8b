import * as pulumi from "@pulumi/pulumi";
import type { StackContext } from "../shared/context";
import { InputError, type InputProblem } from "../shared/errors";

/** Args of the foundation every stack gets, whatever its levels. */
export interface FoundationArgs {
    readonly ctx: StackContext;
    /**
     * Create the private network compute runs in. The stack program asks for it when any pipeline
     * runs compute that attaches to a network; a stack with nothing to run gets storage only.
     */
    readonly network: boolean;
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
 * Type token of the internet egress path (NAT) a foundation adds on demand. The component is
 * registered with the tags of the level that asked for it, so the cost table attributes its untagged
 * children (a Cloud NAT has no labels) to that level rather than to the free foundation.
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
type FoundationClass<F extends Foundation> = abstract new (...args: never[]) => F;

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

import * as artifactregistry from "@pulumi/gcp/artifactregistry";
import * as pulumi from "@pulumi/pulumi";
import { type Capability, placed } from "../capability";
import { asFoundation, NO_NEEDS } from "../foundation";
import { GcpFoundation } from "../foundation/gcp";
import { tagsOf } from "../shared/context";
import { throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkRegistryArgs,
    DEFAULT_UNTAGGED_RETENTION_DAYS,
    IMAGE_REPOSITORY,
    REGISTRY_TYPE,
    type Registry,
    type RegistryArgs,
    type RegistrySpec,
} from "./index";

/** Read-only role on one repository. */
export const ARTIFACT_READER_ROLE = "roles/artifactregistry.reader";

/** Cleanup policies of the repository: untagged versions older than `days` are deleted. Pure. */
export function cleanupPolicies(days: number): { id: string; action: string; condition: Record<string, string> }[] {
    return [
        {
            id: "delete-untagged",
            action: "DELETE",
            // Artifact Registry takes durations in seconds with an "s" suffix.
            condition: { tagState: "UNTAGGED", olderThan: `${days * 86_400}s` },
        },
    ];
}

function gcpFoundation(args: RegistryArgs): GcpFoundation {
    return asFoundation(args.foundation, GcpFoundation, "GCP");
}

/**
 * An Artifact Registry Docker repository in the stack's region: immutable tags, untagged versions
 * deleted by a cleanup policy (not a dry run), no public binding; readers are granted one by one
 * on the repository (`grantPull`). Automatic vulnerability scanning is the project's Container
 * Scanning API setting, billed per image, so it is left to the team. Protected in prod under a
 * fixed logical name. Google-managed encryption, like the foundation's buckets (see there why).
 */
export class GcpRegistry extends pulumi.ComponentResource implements Registry {
    readonly registryUrl: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    readonly registryId: pulumi.Output<string>;
    private readonly repository: artifactregistry.Repository;
    private readonly project: string;
    private readonly location: string;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad input plans nothing.
        throwIfProblems(gcpRegistryKit.check({ ...args, region: args.ctx.region }));
        super(REGISTRY_TYPE, name, {}, opts);
        const { ctx } = args;
        const f = gcpFoundation(args);
        const repositoryId = physicalName("gcpResource", [ctx.project, ctx.stack, IMAGE_REPOSITORY]);

        // The foundation enables the Artifact Registry API; the repository waits for it.
        const repo = new artifactregistry.Repository(
            `${name}-repo`,
            {
                project: f.project,
                location: f.region,
                repositoryId,
                format: "DOCKER",
                mode: "STANDARD_REPOSITORY",
                description: `mlops-levels ${ctx.stack}: model serving images`,
                dockerConfig: { immutableTags: true },
                cleanupPolicies: cleanupPolicies(args.untaggedRetentionDays ?? DEFAULT_UNTAGGED_RETENTION_DAYS),
                cleanupPolicyDryRun: false,
                labels: tagsOf(ctx, args.pipelines, args.level),
            },
            { parent: this, retainOnDelete: true, dependsOn: [...f.apis] },
        );
        this.repository = repo;
        this.project = f.project;
        this.location = f.region;
        this.registryUrl = pulumi.output(`${f.region}-docker.pkg.dev`);
        this.repositoryUrl = pulumi.interpolate`${f.region}-docker.pkg.dev/${f.project}/${repo.repositoryId}`;
        this.registryId = repo.id;
        this.registerOutputs({
            registryUrl: this.registryUrl,
            repositoryUrl: this.repositoryUrl,
            registryId: this.registryId,
        });
    }

    /** Reader on this repository only, for `principal` (an IAM member, e.g. `serviceAccount:<email>`). */
    grantPull(
        name: string,
        principal: pulumi.Input<string>,
        parent: pulumi.Resource,
    ): artifactregistry.RepositoryIamMember {
        return new artifactregistry.RepositoryIamMember(
            name,
            {
                project: this.project,
                location: this.location,
                repository: this.repository.name,
                role: ARTIFACT_READER_ROLE,
                member: principal,
            },
            { parent },
        );
    }
}

/** The GCP registry as a capability of the GCP kit. */
export const gcpRegistryKit: Capability<RegistrySpec, GcpRegistry> = {
    check: checkRegistryArgs,
    needs: () => NO_NEEDS,
    create: (name, spec, site, opts) => new GcpRegistry(name, placed(spec, site), opts),
};

import * as authorization from "@pulumi/azure-native/authorization";
import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as monitor from "@pulumi/azure-native/monitor";
import * as pulumi from "@pulumi/pulumi";
import { deterministicGuid, roleDefinitionId } from "../blocks/azure/roles";
import { deleteLock } from "../blocks/azure/storage";
import { type Capability, placed } from "../capability";
import { asFoundation, NO_NEEDS } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { tagsOf } from "../shared/context";
import { throwIfProblems } from "../shared/errors";
import { physicalName, suffixReserve, withSuffix } from "../shared/naming";
import {
    checkRegistryArgs,
    DEFAULT_UNTAGGED_RETENTION_DAYS,
    IMAGE_REPOSITORY,
    REGISTRY_TYPE,
    type Registry,
    type RegistryArgs,
    type RegistrySpec,
} from "./index";

/** Built-in role "AcrPull": pull images, nothing else. */
export const ACR_PULL_ROLE = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
/**
 * Basic: about a sixth of Standard's and a tenth of Premium's daily price, and the same features as
 * Standard. Premium would add private endpoints and a built-in retention policy, but identity-only
 * access (no admin user, no anonymous pull, Entra ID tokens) already protects the images, and the
 * purge task below does the cleanup. A team that needs private link changes this one constant.
 */
export const ACR_SKU = "Basic";
/** Registry log categories sent to the workspace: pushes, pulls, deletes and logins. */
export const ACR_LOG_CATEGORIES = ["ContainerRegistryRepositoryEvents", "ContainerRegistryLoginEvents"] as const;
/** When the purge task runs (UTC): daily, after the foundation's batch runs at 02:00. */
export const PURGE_SCHEDULE = "0 4 * * *";
/** The longest a purge run may take, in seconds. */
export const PURGE_TIMEOUT_SECONDS = 3600;

/**
 * The ACR task (YAML, as `az acr task create --cmd` writes it) that deletes untagged manifests older
 * than `days`, in every repository, and never a tag. Pure.
 */
export function purgeTaskYaml(days: number): string {
    return [
        "version: v1.1.0",
        "steps:",
        `  - cmd: acr purge --registry {{.Run.Registry}} --untagged-only --ago ${days}d`,
        "    disableWorkingDirectoryOverride: true",
        `    timeout: ${PURGE_TIMEOUT_SECONDS}`,
        "",
    ].join("\n");
}

function azureFoundation(args: RegistryArgs): AzureFoundation {
    return asFoundation(args.foundation, AzureFoundation, "Azure");
}

/**
 * An Azure Container Registry for model serving images: admin user and anonymous pull off, so every
 * pull is an Entra ID identity with AcrPull on this registry; logs to the foundation's workspace;
 * untagged manifests purged daily by an ACR task (Basic has no retention policy, and ACR has no
 * registry-wide tag immutability: a team locks released tags with `az acr repository update
 * --write-enabled false`). Protected in prod, with a delete lock, under a fixed logical name.
 */
export class AzureRegistry extends pulumi.ComponentResource implements Registry {
    readonly registryUrl: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    readonly registryId: pulumi.Output<string>;
    readonly registryName: pulumi.Output<string>;
    private readonly subscriptionScope: pulumi.Output<string>;
    private readonly uniqueSuffix: pulumi.Output<string>;
    private readonly stackKey: string;

    constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad input plans nothing.
        throwIfProblems(azureRegistryKit.check({ ...args, region: args.ctx.region }));
        super(REGISTRY_TYPE, name, {}, opts);
        const { ctx } = args;
        const f = azureFoundation(args);
        const tags = tagsOf(ctx, args.pipelines, args.level);
        const parent = { parent: this };
        const base = physicalName(
            "azureContainerRegistry",
            [ctx.project, ctx.stack],
            suffixReserve("azureContainerRegistry"),
        );

        const registry = new containerregistry.Registry(
            `${name}-acr`,
            {
                resourceGroupName: f.resourceGroupName,
                location: f.location,
                // Globally unique DNS name: the stack's random suffix keeps two stacks apart.
                registryName: ctx.uniqueSuffix.apply((s) => withSuffix("azureContainerRegistry", base, s)),
                sku: { name: ACR_SKU },
                adminUserEnabled: false,
                anonymousPullEnabled: false,
                // Basic has no firewall or private endpoint; access is by identity only.
                publicNetworkAccess: containerregistry.PublicNetworkAccess.Enabled,
                zoneRedundancy: containerregistry.ZoneRedundancy.Disabled,
                tags,
            },
            { ...parent, retainOnDelete: true },
        );
        if (ctx.protect)
            deleteLock(
                `${name}-lock`,
                registry.id,
                "Model images of an mlops-levels stack; remove the lock to delete the registry.",
                this,
            );
        new monitor.DiagnosticSetting(
            `${name}-logs`,
            {
                name: "to-log-analytics",
                resourceUri: registry.id,
                workspaceId: f.workspaceId,
                logs: ACR_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
            },
            parent,
        );
        new containerregistry.Task(
            `${name}-purge`,
            {
                resourceGroupName: f.resourceGroupName,
                registryName: registry.name,
                location: f.location,
                taskName: "purge-untagged",
                platform: { os: containerregistry.OS.Linux, architecture: containerregistry.Architecture.Amd64 },
                step: {
                    type: "EncodedTask",
                    encodedTaskContent: Buffer.from(
                        purgeTaskYaml(args.untaggedRetentionDays ?? DEFAULT_UNTAGGED_RETENTION_DAYS),
                    ).toString("base64"),
                },
                trigger: {
                    timerTriggers: [
                        { name: "daily", schedule: PURGE_SCHEDULE, status: containerregistry.TriggerStatus.Enabled },
                    ],
                },
                status: containerregistry.TaskStatus.Enabled,
                timeout: PURGE_TIMEOUT_SECONDS,
                tags,
            },
            parent,
        );

        this.registryName = registry.name;
        this.registryId = registry.id;
        this.registryUrl = registry.loginServer;
        this.repositoryUrl = pulumi.interpolate`${registry.loginServer}/${IMAGE_REPOSITORY}`;
        this.subscriptionScope = registry.id.apply((id) => id.split("/").slice(0, 3).join("/"));
        this.uniqueSuffix = ctx.uniqueSuffix;
        this.stackKey = `${ctx.project}/${ctx.stack}`;
        this.registerOutputs({
            registryUrl: this.registryUrl,
            repositoryUrl: this.repositoryUrl,
            registryId: this.registryId,
        });
    }

    /** An AcrPull role assignment on this registry for `principal` (a principal object id). */
    grantPull(name: string, principal: pulumi.Input<string>, parent: pulumi.Resource): authorization.RoleAssignment {
        return new authorization.RoleAssignment(
            name,
            {
                // A GUID derived from the stack and the grant's name: stable, and unique per consumer.
                roleAssignmentName: this.uniqueSuffix.apply((s) =>
                    deterministicGuid(this.stackKey, s, name, ACR_PULL_ROLE),
                ),
                scope: this.registryId,
                roleDefinitionId: roleDefinitionId(this.subscriptionScope, ACR_PULL_ROLE),
                principalId: principal,
                // Skips the directory lookup that fails while a new identity is still replicating.
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "mlops-levels: pull model images from this registry only",
            },
            { parent },
        );
    }
}

/** The Azure registry as a capability of the Azure kit. */
export const azureRegistryKit: Capability<RegistrySpec, AzureRegistry> = {
    check: checkRegistryArgs,
    needs: () => NO_NEEDS,
    create: (name, spec, site, opts) => new AzureRegistry(name, placed(spec, site), opts),
};

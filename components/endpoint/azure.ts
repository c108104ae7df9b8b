import * as app from "@pulumi/azure-native/app";
import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { CONSUMPTION_PROFILE } from "../blocks/azure/container-apps";
import { KSERVE_SKLEARN_IMAGE } from "../blocks/azure/reference";
import { deterministicGuid, roleDefinitionId } from "../blocks/azure/roles";
import { type Capability, placed } from "../capability";
import { type FoundationNeeds, foundationProblems } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { type RegistrySite, registryAt } from "../registry";
import { tagsOf } from "../shared/context";
import { type InputProblem, throwIfProblems } from "../shared/errors";
import { physicalName } from "../shared/naming";
import {
    checkEndpointArgs,
    DEFAULT_MEMORY_GB,
    DEFAULT_MODEL_PATH,
    ENDPOINT_LEVEL,
    ENDPOINT_TYPE,
    type Endpoint,
    type EndpointArgs,
    type EndpointSizing,
    type EndpointSpec,
    sizeEndpoint,
    sizingProblems,
} from "./index";

/**
 * The serving image unless the stack names one: KServe's scikit-learn server, which serves the
 * reference model (uploaded under samples/models/sklearn/) from the first deploy. A team pushes its
 * own model server to the registry and sets `mlops:options.images.inference`.
 */
export const DEFAULT_ENDPOINT_IMAGE = KSERVE_SKLEARN_IMAGE;
/** The port the default image is told to listen on (`--http_port`). */
export const DEFAULT_IMAGE_PORT = 8080;
/** The model's name in the server's routes: `/v1/models/<name>:predict`. */
export const REFERENCE_MODEL_NAME = "churn";
/** One feature row of the sample (FEATURE_COLUMNS order, jobs/schema.py), for the run command. */
export const SAMPLE_FEATURE_ROW = [30.0, 52.71, 7.2612, 1.0, 0.0, 1.0, 0.0] as const;

/** The default server's arguments: the model's name and folder, the port. Pure. */
export function referenceServerArgs(modelDir: string, port: number): string[] {
    return [`--model_name=${REFERENCE_MODEL_NAME}`, `--model_dir=${modelDir}`, `--http_port=${port}`];
}

/** What the endpoint needs of the foundation: the reference model uploaded, when it serves it. Pure. */
export function azureEndpointNeeds(spec: Pick<EndpointSpec, "image">): FoundationNeeds {
    return spec.image === undefined ? { samples: ["model"] } : {};
}
/** The port a team's image listens on unless args say otherwise. */
export const DEFAULT_PORT = 8080;
/** Built-in role "Storage Blob Data Reader": read blobs, nothing else. */
export const STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
/** The most replicas a container app may scale to. */
export const MAX_REPLICAS = 300;
/** Consumption profile sizes: 0.25 to 4 vCPU in 0.25 steps, with 2 GiB of memory per vCPU. */
export const CONSUMPTION_MIN_CPU = 0.25;
export const CONSUMPTION_MAX_CPU = 4;
/** Seconds without requests before the last replica stops (Container Apps' default, stated). */
export const COOLDOWN_SECONDS = 300;

/** vCPU of a Consumption replica with `memoryGb` (memory is fixed at 2 GiB per vCPU). Pure. */
export function consumptionCpu(memoryGb: number): number {
    return memoryGb / 2;
}

/** Every Azure limit on the endpoint, before anything exists. Pure. */
export function checkAzureEndpoint(a: EndpointSpec): InputProblem[] {
    const p = checkEndpointArgs(a);
    const cpu = consumptionCpu(a.memoryGb ?? DEFAULT_MEMORY_GB);
    if (!(cpu >= CONSUMPTION_MIN_CPU && cpu <= CONSUMPTION_MAX_CPU && Number.isInteger(cpu / CONSUMPTION_MIN_CPU)))
        p.push({
            path: "memoryGb",
            message:
                "must be from 0.5 to 8 in steps of 0.5 (Container Apps Consumption: 2 GiB per vCPU, 0.25 to 4 vCPU)",
        });
    p.push(...sizingProblems(a, p, { maxInstances: MAX_REPLICAS }, "a container app"));
    return p;
}

function azureFoundation(args: EndpointArgs): AzureFoundation {
    const f = args.foundation;
    throwIfProblems(
        foundationProblems(f, AzureFoundation, "Azure", {
            ready: (x) => x.environmentId !== undefined,
            why: "the endpoint runs in its Container Apps environment",
        }),
    );
    return f as AzureFoundation;
}

/**
 * A container app in the foundation's Container Apps environment, on the Consumption profile: zero
 * replicas while idle (nothing billed), an HTTP scale rule adding one replica per
 * `concurrencyPerInstance` requests in flight, up to the peak's instances.
 *
 * Reachable over HTTPS only (allowInsecure false) from the internet, through the environment's
 * external ingress. Callers authenticate with Entra ID: the built-in authentication (Easy Auth) accepts
 * bearer tokens of the stack's tenant issued for the endpoint identity's client id and answers 401
 * to anything else. Creating an app registration needs Microsoft Graph, which the stack's provider
 * does not reach; the user-assigned identity's application stands in as the token audience.
 * `publicEndpoint: true` turns authentication off: anyone who knows the URL can call it.
 *
 * The app runs as its own identity: AcrPull on the stack's registry and Blob Data Reader on the
 * artifacts container, nothing else. Console and system logs go to the foundation's workspace
 * through the environment; metrics are Container Apps' own.
 */
export class AzureEndpoint extends pulumi.ComponentResource implements Endpoint {
    readonly endpointUrl: pulumi.Output<string>;
    readonly endpointName: pulumi.Output<string>;
    readonly identity: pulumi.Output<string>;
    readonly auth: string;
    readonly sizing: EndpointSizing;
    /** Audience callers request tokens for (`az account get-access-token --resource <this>`). */
    readonly tokenAudience: pulumi.Output<string>;
    /** The request that scores one sample row, exported by the stack (`runCommands`). */
    readonly runCommands: { readonly inference: pulumi.Output<string> };

    constructor(name: string, args: EndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before the component registers: bad input plans nothing.
        throwIfProblems(checkAzureEndpoint({ ...args, region: args.ctx.region }));
        super(ENDPOINT_TYPE, name, {}, opts);
        const { ctx } = args;
        const f = azureFoundation(args);
        const tags = tagsOf(ctx, "inference", ENDPOINT_LEVEL);
        const parent = { parent: this };
        const isPublic = args.publicEndpoint ?? false;
        this.auth = isPublic ? "none" : "entra-id";
        this.sizing = sizeEndpoint(args.peakQps, args.instanceQps);
        const memoryGb = args.memoryGb ?? DEFAULT_MEMORY_GB;
        const reference = args.image === undefined;
        const image = args.image ?? DEFAULT_ENDPOINT_IMAGE;
        const port = args.port ?? (reference ? DEFAULT_IMAGE_PORT : DEFAULT_PORT);
        // The uploaded model's folder on the Blob endpoint, which the server lists and downloads
        // with the app's identity (DefaultAzureCredential, AZURE_CLIENT_ID below).
        const modelDir = reference ? f.sample("model").url.apply((u) => u.slice(0, u.lastIndexOf("/"))) : undefined;
        const appName = physicalName("azureContainerApp", [ctx.project, ctx.stack, "inference"]);

        const identity = new managedidentity.UserAssignedIdentity(
            `${name}-identity`,
            {
                resourceGroupName: f.resourceGroupName,
                location: f.location,
                resourceName: physicalName("azureGeneral", [ctx.project, ctx.stack, "inference-endpoint"]),
                tags,
            },
            parent,
        );
        const subscriptionScope = f.storageAccountId.apply((id) => id.split("/").slice(0, 3).join("/"));
        const readModel = new authorization.RoleAssignment(
            `${name}-model-read`,
            {
                roleAssignmentName: ctx.uniqueSuffix.apply((s) =>
                    deterministicGuid(ctx.project, ctx.stack, s, "inference-endpoint", STORAGE_BLOB_DATA_READER),
                ),
                // The artifacts container only: the endpoint never sees the data container.
                scope: pulumi.interpolate`${f.storageAccountId}/blobServices/default/containers/${f.artifactsBucketName}`,
                roleDefinitionId: roleDefinitionId(subscriptionScope, STORAGE_BLOB_DATA_READER),
                principalId: identity.principalId,
                principalType: authorization.PrincipalType.ServicePrincipal,
                description: "mlops-levels inference endpoint reads models from the artifacts container",
            },
            parent,
        );
        const pull = args.registry.grantPull(`${name}-pull`, identity.principalId, this);

        const containerApp = new app.ContainerApp(
            `${name}-app`,
            {
                resourceGroupName: f.resourceGroupName,
                location: f.location,
                containerAppName: appName,
                managedEnvironmentId: f.environmentId!,
                workloadProfileName: CONSUMPTION_PROFILE,
                identity: {
                    type: app.ManagedServiceIdentityType.UserAssigned,
                    userAssignedIdentities: [identity.id],
                },
                configuration: {
                    activeRevisionsMode: app.ActiveRevisionsMode.Single,
                    ingress: {
                        external: true,
                        targetPort: port,
                        transport: app.IngressTransportMethod.Auto,
                        allowInsecure: false,
                        traffic: [{ latestRevision: true, weight: 100 }],
                    },
                    // Pulls from the stack's registry with the app's identity: no registry password anywhere.
                    registries: [{ server: args.registry.registryUrl, identity: identity.id }],
                },
                template: {
                    containers: [
                        {
                            name: "model",
                            image,
                            ...(modelDir ? { args: modelDir.apply((d) => referenceServerArgs(d, port)) } : {}),
                            resources: { cpu: consumptionCpu(memoryGb), memory: `${memoryGb}Gi` },
                            env: [
                                // KServe's scikit-learn server answers with predict_proba.
                                ...(reference ? [{ name: "PREDICT_PROBA", value: "true" }] : []),
                                { name: "ARTIFACTS_URI", value: f.artifactsUri },
                                {
                                    name: "MODEL_URI",
                                    value:
                                        modelDir ??
                                        pulumi.interpolate`${f.artifactsUri}${args.modelPath ?? DEFAULT_MODEL_PATH}`,
                                },
                                { name: "PIPELINE", value: "inference" },
                                // DefaultAzureCredential picks the endpoint's identity with this.
                                { name: "AZURE_CLIENT_ID", value: identity.clientId },
                                { name: "PORT", value: String(port) },
                            ],
                        },
                    ],
                    scale: {
                        minReplicas: 0,
                        maxReplicas: this.sizing.maxInstances,
                        cooldownPeriod: COOLDOWN_SECONDS,
                        rules: [
                            {
                                name: "http-concurrency",
                                http: { metadata: { concurrentRequests: String(this.sizing.concurrencyPerInstance) } },
                            },
                        ],
                    },
                },
                tags,
            },
            // The first revision pulls the image and may read the model as soon as it starts.
            { ...parent, dependsOn: [pull, readModel] },
        );

        if (!isPublic)
            new app.ContainerAppsAuthConfig(
                `${name}-auth`,
                {
                    resourceGroupName: f.resourceGroupName,
                    containerAppName: containerApp.name,
                    authConfigName: "current",
                    platform: { enabled: true },
                    globalValidation: { unauthenticatedClientAction: app.UnauthenticatedClientActionV2.Return401 },
                    httpSettings: { requireHttps: true },
                    identityProviders: {
                        azureActiveDirectory: {
                            enabled: true,
                            registration: {
                                clientId: identity.clientId,
                                openIdIssuer: pulumi.interpolate`https://sts.windows.net/${identity.tenantId}/v2.0`,
                            },
                            validation: {
                                allowedAudiences: [identity.clientId, pulumi.interpolate`api://${identity.clientId}`],
                            },
                        },
                    },
                },
                parent,
            );

        const fqdn = containerApp.configuration.apply((c) => c?.ingress?.fqdn ?? "");
        this.endpointUrl = pulumi.interpolate`https://${fqdn}`;
        this.endpointName = containerApp.name;
        this.identity = identity.id;
        this.tokenAudience = identity.clientId;
        const body = JSON.stringify({ instances: [SAMPLE_FEATURE_ROW] });
        const route = reference ? `/v1/models/${REFERENCE_MODEL_NAME}:predict` : "/";
        const auth = isPublic
            ? ""
            : pulumi.interpolate` -H "Authorization: Bearer $(az account get-access-token --resource ${identity.clientId} --query accessToken --output tsv)"`;
        this.runCommands = {
            inference: pulumi.interpolate`curl -sS -X POST "${this.endpointUrl}${route}"${auth} -H "Content-Type: application/json" -d '${body}'`,
        };
        this.registerOutputs({
            endpointUrl: this.endpointUrl,
            endpointName: this.endpointName,
            identity: this.identity,
            tokenAudience: this.tokenAudience,
        });
    }
}

/** The Azure endpoint as a capability of the Azure kit. */
export const azureEndpointKit: Capability<EndpointSpec, AzureEndpoint, RegistrySite> = {
    check: checkAzureEndpoint,
    needs: azureEndpointNeeds,
    create: (name, spec, site, opts) =>
        new AzureEndpoint(name, { ...placed(spec, site), registry: registryAt(site, "the endpoint") }, opts),
};

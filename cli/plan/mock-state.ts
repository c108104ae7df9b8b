import { createHash } from "node:crypto";
import type { MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime";
import { awsState } from "./mock-state-aws";
import { azureState } from "./mock-state-azure";
import { endpointState } from "./mock-state-endpoint";
import { gcpState } from "./mock-state-gcp";
import { kubernetesState } from "./mock-state-kubernetes";
import { sparkState } from "./mock-state-spark";
import { streamingState } from "./mock-state-streaming";

/**
 * Realistic computed outputs per resource type, so code that reads them (ARNs, endpoints, emails,
 * kubeconfigs) is exercised offline. Values are fake but shaped like the cloud's own.
 */
export const MOCK_ACCOUNT = "123456789012";
export const MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const MOCK_TENANT = "11111111-1111-1111-1111-111111111111";
export const MOCK_GCP_PROJECT = "mlops-levels-demo";
export const MOCK_CA = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIBmock\n-----END CERTIFICATE-----\n").toString(
    "base64",
);

export const hex = (s: string, n = 8) => createHash("sha256").update(s).digest("hex").slice(0, n);

/** A deterministic lowercase alphanumeric string for `random` resources. */
function randomResult(name: string, length: number): string {
    let out = "";
    let i = 0;
    while (out.length < length)
        out += createHash("sha256")
            .update(`${name}/${i++}`)
            .digest("hex")
            .replace(/[^a-z0-9]/g, "");
    return out.slice(0, length);
}

export function mockKubeconfig(clusterName: string, endpoint: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": MOCK_CA } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [{ name: clusterName, user: { token: "mock-token" } }],
    });
}

export type StateFn = (args: MockResourceArgs, region: string) => Record<string, unknown>;

/** Per-type extras over the generic outputs below. Each cloud's types live in mock-state-<cloud>.ts. */
export const TYPE_STATE: Record<string, StateFn> = {
    "random:index/randomString:RandomString": (a) => ({ result: randomResult(a.name, Number(a.inputs.length ?? 8)) }),
    "random:index/randomPassword:RandomPassword": (a) => ({
        result: randomResult(a.name, Number(a.inputs.length ?? 16)),
    }),
    "random:index/randomId:RandomId": (a) => ({
        hex: hex(a.name, Number(a.inputs.byteLength ?? 4) * 2),
        b64Url: hex(a.name),
    }),
    ...awsState,
    ...azureState,
    ...gcpState,
    ...sparkState,
    ...streamingState,
    // Supersets of the cloud entries for the registry and endpoint types: last.
    ...endpointState,
    // Overrides the clouds' cluster entries with full kubeconfig-ready outputs.
    ...kubernetesState,
};

function awsService(type: string): string {
    return type.split(":")[1]?.split("/")[0] ?? "unknown";
}

/** Outputs every resource gets: inputs echoed back, plus an id, name and per-cloud identifiers. */
export function mockResource(args: MockResourceArgs, region: string): MockResourceResult {
    const t = args.type;
    const physical = String(
        args.inputs.name ??
            args.inputs.bucket ??
            args.inputs.accountName ??
            args.inputs.registryName ??
            args.inputs.resourceName ??
            args.name,
    );
    let state: Record<string, unknown> = { ...args.inputs, name: args.inputs.name ?? physical };
    let id = `${physical}`;
    if (t.startsWith("aws:")) {
        const arn = `arn:aws:${awsService(t)}:${region}:${MOCK_ACCOUNT}:${physical}`;
        state = { ...state, arn, tagsAll: args.inputs.tags ?? {} };
    } else if (t.startsWith("azure-native:")) {
        const [, mod, kind] = t.split(":");
        const rg = args.inputs.resourceGroupName ?? physical;
        id =
            t === "azure-native:resources:ResourceGroup"
                ? `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${physical}`
                : `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.${mod}/${kind}/${physical}`;
        state = { ...state, azureApiVersion: "mock", type: `Microsoft.${mod}/${kind}` };
    } else if (t.startsWith("gcp:")) {
        const project = args.inputs.project ?? MOCK_GCP_PROJECT;
        id = `projects/${project}/locations/${region}/${physical}`;
        state = {
            ...state,
            project,
            selfLink: `https://www.googleapis.com/${awsService(t)}/v1/${id}`,
            effectiveLabels: args.inputs.labels ?? {},
        };
    }
    const extra = TYPE_STATE[t]?.(args, region) ?? {};
    state = { ...state, ...extra };
    if (typeof extra["id"] === "string") id = extra["id"];
    return { id: args.custom === false ? undefined : id, state };
}

/** Provider functions (data sources) the components call, with realistic answers. */
export function mockCall(args: MockCallArgs, region: string): Record<string, unknown> {
    switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                names: ["a", "b", "c"].map((z) => `${region}${z}`),
                zoneIds: ["1", "2", "3"].map((z) => `use1-az${z}`),
            };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/mock`, userId: "AIDAMOCK" };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com" };
        case "aws:ec2/getPrefixList:getPrefixList":
            return { id: "pl-63a5400a", name: `com.amazonaws.${region}.s3`, cidrBlocks: ["52.216.0.0/15"] };
        case "aws:ssm/getParameter:getParameter":
            return { name: args.inputs.name, value: "ami-0123456789abcdef0", type: "String", version: 1 };
        case "aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage":
            return {
                registryPath: `683313688378.dkr.ecr.${region}.amazonaws.com/${args.inputs.repositoryName}:${args.inputs.imageTag ?? "latest"}`,
                registryId: "683313688378",
            };
        case "azure-native:authorization:getClientConfig":
            return {
                clientId: hex("client", 32),
                objectId: hex("object", 32),
                subscriptionId: MOCK_SUBSCRIPTION,
                tenantId: MOCK_TENANT,
            };
        case "azure-native:containerservice:listManagedClusterUserCredentials": {
            const name = String(args.inputs.resourceName ?? "cluster");
            const server = `https://${name}.privatelink.${region}.azmk8s.io:443`;
            return {
                kubeconfigs: [
                    { name: "clusterUser", value: Buffer.from(mockKubeconfig(name, server)).toString("base64") },
                ],
            };
        }
        case "gcp:compute/getZones:getZones":
            return { names: ["b", "c", "f"].map((z) => `${region}-${z}`) };
        case "gcp:organizations/getProject:getProject":
            return {
                projectId: args.inputs.projectId ?? MOCK_GCP_PROJECT,
                number: "123456789012",
                name: MOCK_GCP_PROJECT,
            };
        case "gcp:organizations/getClientConfig:getClientConfig":
            return { project: MOCK_GCP_PROJECT, region, accessToken: "mock" };
        default:
            return args.inputs;
    }
}

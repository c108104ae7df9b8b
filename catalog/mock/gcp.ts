import type { MockResourceArgs } from "@pulumi/pulumi/runtime";
import { hex, MOCK_CA, MOCK_GCP_PROJECT, type MockCall, type MockState, str } from "./helpers";

const COMPUTE = "https://www.googleapis.com/compute/v1";
const projectOf = (inputs: Record<string, unknown>): string => String(inputs.project ?? MOCK_GCP_PROJECT);
const gcpProject = (a: MockResourceArgs) => str(a.inputs.project, MOCK_GCP_PROJECT);
const numericId = (seed: string, digits = 19): string =>
    String(BigInt(`0x${hex(seed, 15)}`))
        .padStart(digits, "1")
        .slice(0, digits);

// Computed outputs of GCP resource types beyond the engine's generic ones, shaped like the
// cloud's own. Each is named in its type's catalogue entry (catalog/gcp.ts).

/** gcp:serviceaccount/account:Account */
export const account: MockState = (a) => {
    const project = projectOf(a.inputs);
    const email = `${a.inputs.accountId}@${project}.iam.gserviceaccount.com`;
    const name = `projects/${project}/serviceAccounts/${email}`;
    return {
        id: name,
        name,
        email,
        member: `serviceAccount:${email}`,
        uniqueId: String(BigInt(`0x${hex(a.name, 12)}`)),
    };
};

/** gcp:storage/bucket:Bucket */
export const bucket: MockState = (a) => ({
    id: a.inputs.name,
    url: `gs://${a.inputs.name}`,
    selfLink: `https://www.googleapis.com/storage/v1/b/${a.inputs.name}`,
    projectNumber: 123456789012,
    terraformLabels: a.inputs.labels ?? {},
});

/** gcp:storage/bucketObject:BucketObject: the object's generation, hashes and links. */
export const bucketObject: MockState = (a) => {
    const key = String(a.inputs.name);
    const path = `${a.inputs.bucket}/o/${encodeURIComponent(key)}`;
    return {
        id: `${a.inputs.bucket}-${key}`,
        outputName: key,
        generation: 1736899200000000,
        md5hash: Buffer.from(hex(`md5/${a.name}`, 32), "hex").toString("base64"),
        crc32c: Buffer.from(hex(`crc/${a.name}`, 8), "hex").toString("base64"),
        selfLink: `https://www.googleapis.com/storage/v1/b/${path}`,
        mediaLink: `https://storage.googleapis.com/download/storage/v1/b/${path}?generation=1736899200000000&alt=media`,
        storageClass: "STANDARD",
    };
};

/** gcp:bigquery/dataset:Dataset */
export const bigqueryDataset: MockState = (a) => ({
    id: `projects/${gcpProject(a)}/datasets/${a.inputs.datasetId}`,
    creationTime: 1736899200000,
    etag: `${hex(a.name, 10)}==`,
});

/** gcp:bigquery/table:Table */
export const bigqueryTable: MockState = (a) => ({
    id: `projects/${gcpProject(a)}/datasets/${a.inputs.datasetId}/tables/${a.inputs.tableId}`,
    creationTime: 1736899200000,
    numRows: 0,
    type: "TABLE",
});

/** gcp:bigquery/datasetIamMember:DatasetIamMember */
export const bigqueryDatasetIamMember: MockState = (a) => ({
    id: `projects/${gcpProject(a)}/datasets/${a.inputs.datasetId}/${a.inputs.role}/${a.inputs.member}`,
    etag: `BwY${hex(a.name, 6)}=`,
});

/** gcp:storage/bucketIAMMember:BucketIAMMember */
export const bucketIAMMember: MockState = (a) => ({
    id: `b/${a.inputs.bucket}/${a.inputs.role}/${a.inputs.member}`,
    etag: `CAE${hex(a.name, 6)}=`,
});

/** gcp:projects/iAMMember:IAMMember */
export const projectsIAMMember: MockState = (a) => ({
    id: `${projectOf(a.inputs)}/${a.inputs.role}/${a.inputs.member}`,
    etag: `BwY${hex(a.name, 6)}=`,
});

/** gcp:serviceaccount/iAMMember:IAMMember */
export const serviceaccountIAMMember: MockState = (a) => ({
    id: `${a.inputs.serviceAccountId}/${a.inputs.role}/${a.inputs.member}`,
    etag: `BwY${hex(a.name, 6)}=`,
});

/** gcp:projects/service:Service */
export const projectsService: MockState = (a) => ({ id: `${projectOf(a.inputs)}/${a.inputs.service}` });

/** gcp:compute/network:Network */
export const network: MockState = (a) => {
    const id = `projects/${projectOf(a.inputs)}/global/networks/${a.inputs.name}`;
    return { id, selfLink: `${COMPUTE}/${id}`, networkId: numericId(a.name), gatewayIpv4: "" };
};

/** gcp:compute/subnetwork:Subnetwork */
export const subnetwork: MockState = (a, r) => {
    const id = `projects/${projectOf(a.inputs)}/regions/${a.inputs.region ?? r}/subnetworks/${a.inputs.name}`;
    const cidr = String(a.inputs.ipCidrRange ?? "10.0.0.0/24");
    return {
        id,
        selfLink: `${COMPUTE}/${id}`,
        gatewayAddress: cidr.replace(/\.0\/\d+$/, ".1"),
        subnetworkId: Number(numericId(a.name, 15)),
    };
};

/** gcp:compute/router:Router */
export const router: MockState = (a, r) => {
    const id = `projects/${projectOf(a.inputs)}/regions/${a.inputs.region ?? r}/routers/${a.inputs.name}`;
    return { id, selfLink: `${COMPUTE}/${id}`, creationTimestamp: "2024-01-01T00:00:00.000-08:00" };
};

/** gcp:compute/routerNat:RouterNat */
export const routerNat: MockState = (a, r) => ({
    id: `${projectOf(a.inputs)}/${a.inputs.region ?? r}/${a.inputs.router}/${a.inputs.name}`,
    minPortsPerVm: 64,
    enableEndpointIndependentMapping: false,
    type: "PUBLIC",
});

/** gcp:compute/firewall:Firewall */
export const firewall: MockState = (a) => {
    const id = `projects/${projectOf(a.inputs)}/global/firewalls/${a.inputs.name}`;
    return { id, selfLink: `${COMPUTE}/${id}` };
};

/** gcp:compute/instance:Instance */
export const instance: MockState = (a, r) => {
    const zone = String(a.inputs.zone ?? `${r}-b`);
    const id = `projects/${projectOf(a.inputs)}/zones/${zone}/instances/${a.inputs.name}`;
    const nics = (a.inputs.networkInterfaces as Record<string, unknown>[] | undefined) ?? [];
    return {
        id,
        selfLink: `${COMPUTE}/${id}`,
        instanceId: numericId(a.name),
        currentStatus: "RUNNING",
        cpuPlatform: "Intel Broadwell",
        networkInterfaces: nics.map((n, i) => ({ ...n, name: `nic${i}`, networkIp: `10.10.0.${i + 2}` })),
    };
};

/** gcp:workflows/workflow:Workflow */
export const workflow: MockState = (a, r) => {
    const id = `projects/${projectOf(a.inputs)}/locations/${a.inputs.region ?? r}/workflows/${a.inputs.name}`;
    return { id, state: "ACTIVE", revisionId: "000001-a1b", createTime: "2024-01-01T00:00:00Z" };
};

/** gcp:cloudscheduler/job:Job */
export const job: MockState = (a, r) => ({
    id: `projects/${projectOf(a.inputs)}/locations/${a.inputs.region ?? r}/jobs/${a.inputs.name}`,
    state: "ENABLED",
    paused: false,
});

/** gcp:cloudrunv2/service:Service */
export const cloudrunv2Service: MockState = (a, r) => {
    const name = str(a.inputs.name, a.name);
    const location = str(a.inputs.location, r);
    return {
        id: `projects/${gcpProject(a)}/locations/${location}/services/${name}`,
        name,
        uid: `${hex(a.name, 8)}-${hex(`${a.name}u`, 4)}-4${hex(`${a.name}v`, 3)}-8${hex(`${a.name}w`, 3)}-${hex(`${a.name}x`, 12)}`,
        uri: `https://${name}-${hex(a.name, 10)}-${location.replace(/[^a-z]/g, "").slice(0, 2)}.a.run.app`,
        urls: [`https://${name}-123456789012.${location}.run.app`],
        latestReadyRevision: `projects/${gcpProject(a)}/locations/${location}/services/${name}/revisions/${name}-00001-abc`,
        terminalConditions: [{ type: "Ready", state: "CONDITION_SUCCEEDED" }],
    };
};

/** gcp:container/cluster:Cluster */
export const cluster: MockState = (a) => ({
    endpoint: "172.16.0.2",
    masterAuth: { clusterCaCertificate: MOCK_CA },
    privateClusterConfig: {
        ...((a.inputs.privateClusterConfig as Record<string, unknown> | undefined) ?? {}),
        privateEndpoint: "172.16.0.2",
        publicEndpoint: "34.0.0.2",
    },
    location: a.inputs.location,
    masterVersion: `${a.inputs.minMasterVersion ?? "1.35"}.1-gke.1000000`,
});

/** --- GCP: Artifact Registry, Cloud Run */
export const repository: MockState = (a, r) => {
    const id = str(a.inputs.repositoryId, a.name);
    const location = str(a.inputs.location, r);
    return {
        id: `projects/${gcpProject(a)}/locations/${location}/repositories/${id}`,
        name: id,
        createTime: "2025-01-01T00:00:00Z",
        registryUri: `${location}-docker.pkg.dev/${gcpProject(a)}/${id}`,
    };
};

/** gcp:dataproc/autoscalingPolicy:AutoscalingPolicy */
export const autoscalingPolicy: MockState = (a, r) => {
    const name = `projects/${gcpProject(a)}/regions/${str(a.inputs.location, r)}/autoscalingPolicies/${a.inputs.policyId}`;
    return { id: name, name };
};

/** gcp:dataproc/workflowTemplate:WorkflowTemplate */
export const workflowTemplate: MockState = (a, r) => ({
    id: `projects/${gcpProject(a)}/locations/${str(a.inputs.location, r)}/workflowTemplates/${str(a.inputs.name, a.name)}`,
    name: str(a.inputs.name, a.name),
    version: 1,
    createTime: "2024-01-01T00:00:00Z",
    updateTime: "2024-01-01T00:00:00Z",
});

/** ---------------- GCP */
export const topic: MockState = (a) => {
    const project = str(a.inputs.project, MOCK_GCP_PROJECT);
    const name = str(a.inputs.name, a.name);
    return { id: `projects/${project}/topics/${name}`, name };
};

/** gcp:pubsub/subscription:Subscription */
export const subscription: MockState = (a) => {
    const project = str(a.inputs.project, MOCK_GCP_PROJECT);
    const name = str(a.inputs.name, a.name);
    return { id: `projects/${project}/subscriptions/${name}`, name };
};

/** gcp:pubsub/topicIAMMember:TopicIAMMember */
export const topicIAMMember: MockState = (a) => ({
    id: `${a.inputs.topic}/${a.inputs.role}/${a.inputs.member}`,
    etag: `BwY${hex(a.name, 8)}`,
});

/** gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember */
export const subscriptionIAMMember: MockState = (a) => ({
    id: `${a.inputs.subscription}/${a.inputs.role}/${a.inputs.member}`,
    etag: `BwY${hex(a.name, 8)}`,
});

/** gcp:dataflow/flexTemplateJob:FlexTemplateJob */
export const flexTemplateJob: MockState = (a, r) => {
    const jobId = `2025-01-15_00_00_00-${BigInt(`0x${hex(a.name, 15)}`)
        .toString()
        .slice(0, 19)}`;
    return {
        id: jobId,
        jobId,
        name: str(a.inputs.name, a.name),
        state: "JOB_STATE_RUNNING",
        type: "JOB_TYPE_STREAMING",
        region: a.inputs.region ?? r,
    };
};

/** gcp:artifactregistry/repositoryIamMember:RepositoryIamMember */
export const repositoryIamMember: MockState = (a, r) => ({
    id: `projects/${gcpProject(a)}/locations/${str(a.inputs.location, r)}/repositories/${a.inputs.repository}/${a.inputs.role}/${a.inputs.member}`,
    etag: `BwY${hex(a.name, 9)}=`,
});

/** gcp:container/nodePool:NodePool */
export const nodePool: MockState = (a) => ({
    name: a.inputs.name ?? a.name,
    instanceGroupUrls: [
        `https://www.googleapis.com/compute/v1/projects/mock/zones/z/instanceGroupManagers/gke-${a.name}`,
    ],
});

// ---------------------------------------------------------------------------------------------
// Provider functions (data sources)

export const getZones: MockCall = (_a, region) => ({ names: ["b", "c", "f"].map((z) => `${region}-${z}`) });

export const getProject: MockCall = (a) => ({
    projectId: a.inputs.projectId ?? MOCK_GCP_PROJECT,
    number: "123456789012",
    name: MOCK_GCP_PROJECT,
});

export const getClientConfig: MockCall = (_a, region) => ({ project: MOCK_GCP_PROJECT, region, accessToken: "mock" });

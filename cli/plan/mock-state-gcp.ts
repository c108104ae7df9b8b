import type { StateFn } from "./mock-state";
import { hex, MOCK_CA, MOCK_GCP_PROJECT } from "./mock-state";

const COMPUTE = "https://www.googleapis.com/compute/v1";
const projectOf = (inputs: Record<string, unknown>): string => String(inputs.project ?? MOCK_GCP_PROJECT);
const numericId = (seed: string, digits = 19): string =>
    String(BigInt(`0x${hex(seed, 15)}`))
        .padStart(digits, "1")
        .slice(0, digits);

/** Computed outputs of gcp resource types, beyond the generic ones. */
export const gcpState: Record<string, StateFn> = {
    "gcp:serviceaccount/account:Account": (a) => {
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
    },
    "gcp:storage/bucket:Bucket": (a) => ({
        id: a.inputs.name,
        url: `gs://${a.inputs.name}`,
        selfLink: `https://www.googleapis.com/storage/v1/b/${a.inputs.name}`,
        projectNumber: 123456789012,
        terraformLabels: a.inputs.labels ?? {},
    }),
    "gcp:storage/bucketIAMMember:BucketIAMMember": (a) => ({
        id: `b/${a.inputs.bucket}/${a.inputs.role}/${a.inputs.member}`,
        etag: `CAE${hex(a.name, 6)}=`,
    }),
    "gcp:projects/iAMMember:IAMMember": (a) => ({
        id: `${projectOf(a.inputs)}/${a.inputs.role}/${a.inputs.member}`,
        etag: `BwY${hex(a.name, 6)}=`,
    }),
    "gcp:serviceaccount/iAMMember:IAMMember": (a) => ({
        id: `${a.inputs.serviceAccountId}/${a.inputs.role}/${a.inputs.member}`,
        etag: `BwY${hex(a.name, 6)}=`,
    }),
    "gcp:projects/service:Service": (a) => ({ id: `${projectOf(a.inputs)}/${a.inputs.service}` }),
    "gcp:compute/network:Network": (a) => {
        const id = `projects/${projectOf(a.inputs)}/global/networks/${a.inputs.name}`;
        return { id, selfLink: `${COMPUTE}/${id}`, networkId: numericId(a.name), gatewayIpv4: "" };
    },
    "gcp:compute/subnetwork:Subnetwork": (a, r) => {
        const id = `projects/${projectOf(a.inputs)}/regions/${a.inputs.region ?? r}/subnetworks/${a.inputs.name}`;
        const cidr = String(a.inputs.ipCidrRange ?? "10.0.0.0/24");
        return {
            id,
            selfLink: `${COMPUTE}/${id}`,
            gatewayAddress: cidr.replace(/\.0\/\d+$/, ".1"),
            subnetworkId: Number(numericId(a.name, 15)),
        };
    },
    "gcp:compute/router:Router": (a, r) => {
        const id = `projects/${projectOf(a.inputs)}/regions/${a.inputs.region ?? r}/routers/${a.inputs.name}`;
        return { id, selfLink: `${COMPUTE}/${id}`, creationTimestamp: "2024-01-01T00:00:00.000-08:00" };
    },
    "gcp:compute/routerNat:RouterNat": (a, r) => ({
        id: `${projectOf(a.inputs)}/${a.inputs.region ?? r}/${a.inputs.router}/${a.inputs.name}`,
        minPortsPerVm: 64,
        enableEndpointIndependentMapping: false,
        type: "PUBLIC",
    }),
    "gcp:compute/firewall:Firewall": (a) => {
        const id = `projects/${projectOf(a.inputs)}/global/firewalls/${a.inputs.name}`;
        return { id, selfLink: `${COMPUTE}/${id}` };
    },
    "gcp:compute/instance:Instance": (a, r) => {
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
    },
    "gcp:workflows/workflow:Workflow": (a, r) => {
        const id = `projects/${projectOf(a.inputs)}/locations/${a.inputs.region ?? r}/workflows/${a.inputs.name}`;
        return { id, state: "ACTIVE", revisionId: "000001-a1b", createTime: "2024-01-01T00:00:00Z" };
    },
    "gcp:cloudscheduler/job:Job": (a, r) => ({
        id: `projects/${projectOf(a.inputs)}/locations/${a.inputs.region ?? r}/jobs/${a.inputs.name}`,
        state: "ENABLED",
        paused: false,
    }),
    "gcp:cloudrunv2/service:Service": (a, r) => ({
        uri: `https://${a.inputs.name}-${hex(a.name, 10)}-${r.replace(/[^a-z]/g, "").slice(0, 2)}.a.run.app`,
    }),
    "gcp:container/cluster:Cluster": (a) => ({
        endpoint: "10.0.0.2",
        masterAuth: { clusterCaCertificate: MOCK_CA },
        privateClusterConfig: {
            ...(a.inputs.privateClusterConfig ?? {}),
            privateEndpoint: "10.0.0.2",
            publicEndpoint: "34.0.0.2",
        },
    }),
    "gcp:artifactregistry/repository:Repository": (a) => ({ name: a.inputs.repositoryId }),
};

import { describeRules } from "./harness";

const BUCKET = "gcp:storage/bucket:Bucket";
const GKE = "gcp:container/cluster:Cluster";
const VM = "gcp:compute/instance:Instance";

const bucket = {
    location: "US-CENTRAL1",
    publicAccessPrevention: "enforced",
    uniformBucketLevelAccess: true,
    versioning: { enabled: true },
};
const gke = {
    location: "us-central1",
    privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false },
    workloadIdentityConfig: { workloadPool: "proj.svc.id.goog" },
    enableShieldedNodes: true,
    enableLegacyAbac: false,
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8", displayName: "vpc" }] },
};
const vm = {
    machineType: "n2-standard-4",
    zone: "us-central1-a",
    networkInterfaces: [{ subnetwork: "projects/p/regions/us-central1/subnetworks/s" }],
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
};
const firewall = {
    network: "n",
    direction: "INGRESS",
    sourceRanges: ["0.0.0.0/0"],
    allows: [{ protocol: "tcp", ports: ["443"] }],
};

describeRules([
    {
        rule: "gcp-storage-public-access-prevention",
        type: BUCKET,
        baseline: bucket,
        cases: [
            [
                "inherited",
                { publicAccessPrevention: "inherited" },
                ["Bucket 'r' does not enforce public access prevention"],
            ],
        ],
    },
    {
        rule: "gcp-storage-uniform-access",
        type: BUCKET,
        baseline: bucket,
        cases: [
            [
                "object ACLs",
                { uniformBucketLevelAccess: false },
                ["Bucket 'r' does not use uniform bucket-level access"],
            ],
        ],
    },
    {
        rule: "gcp-storage-versioned",
        type: BUCKET,
        baseline: bucket,
        cases: [["no versions", { versioning: undefined }, ["Bucket 'r' does not keep object versions"]]],
    },
    {
        rule: "gcp-gke-private-nodes",
        type: GKE,
        baseline: gke,
        cases: [
            [
                "public nodes",
                { privateClusterConfig: undefined },
                ["Cluster 'r' gives nodes public IPs (privateClusterConfig.enablePrivateNodes)"],
            ],
        ],
    },
    {
        rule: "gcp-gke-workload-identity",
        type: GKE,
        baseline: gke,
        cases: [
            [
                "no workload pool",
                { workloadIdentityConfig: undefined },
                ["Cluster 'r' does not enable Workload Identity"],
            ],
            ["Autopilot (always on)", { workloadIdentityConfig: undefined, enableAutopilot: true }, []],
        ],
    },
    {
        rule: "gcp-gke-shielded-nodes",
        type: GKE,
        baseline: gke,
        cases: [
            ["off", { enableShieldedNodes: false }, ["Cluster 'r' disables shielded nodes"]],
            ["default (on)", { enableShieldedNodes: undefined }, []],
        ],
    },
    {
        rule: "gcp-gke-no-legacy-abac",
        type: GKE,
        baseline: gke,
        cases: [["ABAC on", { enableLegacyAbac: true }, ["Cluster 'r' enables legacy ABAC"]]],
    },
    {
        rule: "gcp-gke-master-authorized-networks",
        type: GKE,
        baseline: gke,
        cases: [
            ["none", { masterAuthorizedNetworksConfig: undefined }, ["Cluster 'r' has no master authorized networks"]],
            [
                "the internet",
                { masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "0.0.0.0/0" }] } },
                ["Cluster 'r' authorizes 0.0.0.0/0 to reach the control plane"],
            ],
            [
                "private endpoint instead",
                { masterAuthorizedNetworksConfig: undefined, "privateClusterConfig.enablePrivateEndpoint": true },
                [],
            ],
        ],
    },
    {
        rule: "gcp-cloud-run-authenticated",
        type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        baseline: {
            name: "svc",
            location: "us-central1",
            role: "roles/run.invoker",
            member: "serviceAccount:caller@p.iam.gserviceaccount.com",
        },
        cases: [
            ["allUsers invoker", { member: "allUsers" }, ["ServiceIamMember 'r' lets allUsers invoke the service"]],
            ["allUsers viewer (not an invoker)", { member: "allUsers", role: "roles/run.viewer" }, []],
        ],
    },
    {
        rule: "gcp-cloud-run-authenticated",
        type: "gcp:cloudrunv2/service:Service",
        baseline: {
            location: "us-central1",
            ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
            template: { containers: [{ image: "i" }] },
        },
        cases: [["invoker check off", { invokerIamDisabled: true }, ["Service 'r' disables the invoker IAM check"]]],
    },
    {
        rule: "gcp-cloud-run-authenticated",
        type: "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
        baseline: { name: "svc", role: "roles/run.invoker", members: ["allAuthenticatedUsers"] },
        config: { "gcp-cloud-run-authenticated": { allow: true } },
        cases: [["public, allowed by config", {}, []]],
    },
    {
        rule: "gcp-cloud-run-internal-ingress",
        type: "gcp:cloudrunv2/service:Service",
        baseline: {
            location: "us-central1",
            ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
            template: { containers: [{ image: "i" }] },
        },
        cases: [
            [
                "all traffic (the default)",
                { ingress: undefined },
                ["Service 'r' accepts traffic from the internet (ingress INGRESS_TRAFFIC_ALL)"],
            ],
        ],
    },
    {
        rule: "gcp-artifact-registry-not-public",
        type: "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember",
        baseline: {
            repository: "repo",
            role: "roles/artifactregistry.reader",
            member: "serviceAccount:job@p.iam.gserviceaccount.com",
        },
        cases: [["allUsers reader", { member: "allUsers" }, ["RepositoryIamMember 'r' grants access to allUsers"]]],
    },
    {
        rule: "gcp-artifact-registry-not-public",
        type: "gcp:artifactregistry/repositoryIamPolicy:RepositoryIamPolicy",
        baseline: {
            repository: "repo",
            policyData: JSON.stringify({
                bindings: [{ role: "roles/artifactregistry.reader", members: ["group:ml@example.com"] }],
            }),
        },
        cases: [
            [
                "allAuthenticatedUsers in the policy",
                {
                    policyData: JSON.stringify({
                        bindings: [{ role: "roles/artifactregistry.reader", members: ["allAuthenticatedUsers"] }],
                    }),
                },
                ["RepositoryIamPolicy 'r' grants access to allAuthenticatedUsers"],
            ],
        ],
    },
    {
        rule: "gcp-compute-no-external-ip",
        type: VM,
        baseline: vm,
        cases: [
            [
                "access config",
                { networkInterfaces: [{ subnetwork: "s", accessConfigs: [{}] }] },
                ["Instance 'r' has an external IP (networkInterfaces[].accessConfigs)"],
            ],
        ],
    },
    {
        rule: "gcp-compute-shielded-vm",
        type: VM,
        baseline: vm,
        cases: [
            [
                "vTPM off",
                { "shieldedInstanceConfig.enableVtpm": false },
                ["Instance 'r' turns off Shielded VM enableVtpm"],
            ],
            ["secure boot off (allowed: GPU drivers)", { "shieldedInstanceConfig.enableSecureBoot": false }, []],
        ],
    },
    {
        rule: "gcp-no-admin-ports-from-internet",
        type: "gcp:compute/firewall:Firewall",
        baseline: firewall,
        cases: [
            [
                "SSH from the internet",
                { allows: [{ protocol: "tcp", ports: ["22"] }] },
                ["Firewall 'r' allows port(s) 22 from the internet"],
            ],
            [
                "all protocols",
                { allows: [{ protocol: "all" }] },
                ["Firewall 'r' allows port(s) 22, 3389, 5985, 5986, 2375, 2376, 6443, 10250 from the internet"],
            ],
            [
                "deny-all from the internet (the foundation's rule)",
                { allows: undefined, denies: [{ protocol: "all" }] },
                [],
            ],
            [
                "SSH from IAP only",
                { allows: [{ protocol: "tcp", ports: ["22"] }], sourceRanges: ["35.235.240.0/20"] },
                [],
            ],
        ],
    },
    {
        rule: "gcp-dataproc-no-public-ip",
        type: "gcp:dataproc/cluster:Cluster",
        baseline: { region: "us-central1", clusterConfig: { gceClusterConfig: { internalIpOnly: true } } },
        cases: [
            [
                "public IPs",
                { "clusterConfig.gceClusterConfig.internalIpOnly": false },
                ["Cluster 'r' gives cluster VMs public IPs (internalIpOnly not true)"],
            ],
        ],
    },
    {
        // The project's GCP Spark: a workflow template whose per-run cluster must stay internal.
        rule: "gcp-dataproc-no-public-ip",
        type: "gcp:dataproc/workflowTemplate:WorkflowTemplate",
        baseline: {
            location: "us-central1",
            placement: {
                managedCluster: {
                    clusterName: "spark",
                    config: { gceClusterConfig: { subnetwork: "s", internalIpOnly: true } },
                },
            },
        },
        cases: [
            [
                "public IPs on the per-run cluster",
                { "placement.managedCluster.config.gceClusterConfig.internalIpOnly": false },
                ["WorkflowTemplate 'r' gives cluster VMs public IPs (internalIpOnly not true)"],
            ],
            [
                "internalIpOnly left out",
                { "placement.managedCluster.config.gceClusterConfig.internalIpOnly": undefined },
                ["WorkflowTemplate 'r' gives cluster VMs public IPs (internalIpOnly not true)"],
            ],
        ],
    },
]);

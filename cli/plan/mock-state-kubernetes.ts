import type { StateFn } from "./mock-state";
import { hex, MOCK_ACCOUNT, MOCK_CA } from "./mock-state";

/**
 * Computed outputs of the Kubernetes platform's types (EKS, AKS, GKE and the objects on the
 * cluster), so the kubeconfig, the OIDC trust and the service URL are built from realistic values.
 */
export const kubernetesState: Record<string, StateFn> = {
    "aws:eks/cluster:Cluster": (a, r) => ({
        endpoint: `https://${hex(a.name, 32).toUpperCase()}.gr7.${r}.eks.amazonaws.com`,
        certificateAuthority: { data: MOCK_CA },
        identities: [
            { oidcs: [{ issuer: `https://oidc.eks.${r}.amazonaws.com/id/${hex(a.name, 32).toUpperCase()}` }] },
        ],
        vpcConfig: {
            ...((a.inputs.vpcConfig as Record<string, unknown> | undefined) ?? {}),
            clusterSecurityGroupId: `sg-${hex(`${a.name}cluster`, 17)}`,
            vpcId: `vpc-${hex("foundation-vpc", 17)}`,
        },
        arn: `arn:aws:eks:${r}:${MOCK_ACCOUNT}:cluster/${a.inputs.name ?? a.name}`,
        platformVersion: "eks.3",
        status: "ACTIVE",
        version: a.inputs.version ?? "1.35",
    }),
    "aws:eks/nodeGroup:NodeGroup": (a, r) => ({
        nodeGroupName: a.inputs.nodeGroupName ?? a.name,
        arn: `arn:aws:eks:${r}:${MOCK_ACCOUNT}:nodegroup/${a.inputs.clusterName}/${a.inputs.nodeGroupName ?? a.name}/${hex(a.name, 8)}`,
        status: "ACTIVE",
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": (a, r) => {
        const id = `lt-${hex(a.name, 17)}`;
        return {
            id,
            arn: `arn:aws:ec2:${r}:${MOCK_ACCOUNT}:launch-template/${id}`,
            latestVersion: 1,
            defaultVersion: 1,
        };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (a) => ({
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${String(a.inputs.url ?? "").replace(/^https:\/\//, "")}`,
    }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (a) => ({ id: `${a.inputs.role}-${hex(a.name, 8)}` }),
    "azure-native:containerservice:ManagedCluster": (a, r) => ({
        fqdn: `${a.inputs.dnsPrefix ?? a.name}-${hex(a.name, 8)}.hcp.${r}.azmk8s.io`,
        privateFQDN: `${a.inputs.dnsPrefix ?? a.name}-${hex(a.name, 8)}.privatelink.${r}.azmk8s.io`,
        oidcIssuerProfile: {
            enabled: true,
            issuerURL: `https://${r}.oic.prod-aks.azure.com/11111111-1111-1111-1111-111111111111/${hex(a.name, 32)}/`,
        },
        identityProfile: {
            kubeletidentity: {
                objectId: hex(`${a.name}k`, 32),
                clientId: hex(`${a.name}kc`, 32),
                resourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MC_${a.inputs.resourceName}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${a.inputs.resourceName}-agentpool`,
            },
        },
        provisioningState: "Succeeded",
    }),
    "azure-native:containerservice:AgentPool": (a) => ({ name: a.inputs.agentPoolName ?? a.name }),
    "azure-native:managedidentity:FederatedIdentityCredential": (a) => ({
        name: a.inputs.federatedIdentityCredentialResourceName ?? a.name,
    }),
    "gcp:container/cluster:Cluster": (a) => ({
        endpoint: "172.16.0.2",
        masterAuth: { clusterCaCertificate: MOCK_CA },
        privateClusterConfig: {
            ...((a.inputs.privateClusterConfig as Record<string, unknown> | undefined) ?? {}),
            privateEndpoint: "172.16.0.2",
            publicEndpoint: "34.0.0.2",
        },
        location: a.inputs.location,
        masterVersion: `${a.inputs.minMasterVersion ?? "1.35"}.1-gke.1000000`,
    }),
    "gcp:container/nodePool:NodePool": (a) => ({
        name: a.inputs.name ?? a.name,
        instanceGroupUrls: [
            `https://www.googleapis.com/compute/v1/projects/mock/zones/z/instanceGroupManagers/gke-${a.name}`,
        ],
    }),
    "kubernetes:core/v1:Service": (a) => {
        const annotations = ((a.inputs.metadata as Record<string, unknown> | undefined)?.annotations ?? {}) as Record<
            string,
            string
        >;
        const internal = Object.entries(annotations).some(
            ([k, v]) => /internal|load-balancer-type/.test(k) && /true|Internal/.test(v),
        );
        const aws = Object.keys(annotations).some((k) => k.includes("aws-load-balancer"));
        const ingress = aws
            ? [{ hostname: `${internal ? "internal-" : ""}a${hex(a.name, 31)}.elb.us-east-1.amazonaws.com` }]
            : [{ ip: internal ? "10.0.16.200" : "20.1.2.3" }];
        return { status: { loadBalancer: { ingress } } };
    },
};

import type { Policies } from "@pulumi/policy";
import { awsEbsEncrypted } from "./aws-ebs-encrypted";
import { awsEc2Imdsv2 } from "./aws-ec2-imdsv2";
import { awsEcrImmutableTags } from "./aws-ecr-immutable-tags";
import { awsEcrScanOnPush } from "./aws-ecr-scan-on-push";
import { awsEksControlPlaneLogs } from "./aws-eks-control-plane-logs";
import { awsEksEndpointPrivate } from "./aws-eks-endpoint-private";
import { awsEksSecretsEncrypted } from "./aws-eks-secrets-encrypted";
import { awsEmrSecurityConfiguration } from "./aws-emr-security-configuration";
import { awsKinesisEncrypted } from "./aws-kinesis-encrypted";
import { awsKmsKeyRotation } from "./aws-kms-key-rotation";
import { awsLogGroupEncrypted } from "./aws-log-group-encrypted";
import { awsLogGroupRetention } from "./aws-log-group-retention";
import { awsMskTlsInTransit } from "./aws-msk-tls-in-transit";
import { awsNoAdminPortsFromInternet } from "./aws-no-admin-ports-from-internet";
import { awsNoPublicIp } from "./aws-no-public-ip";
import { awsS3Encrypted } from "./aws-s3-encrypted";
import { awsS3PublicAccessBlocked } from "./aws-s3-public-access-blocked";
import { awsS3TlsOnly } from "./aws-s3-tls-only";
import { awsS3Versioned } from "./aws-s3-versioned";
import { awsSagemakerEndpointKms } from "./aws-sagemaker-endpoint-kms";
import { azureAcrAdminUserDisabled } from "./azure-acr-admin-user-disabled";
import { azureAcrNoAnonymousPull } from "./azure-acr-no-anonymous-pull";
import { azureAksApiNotPublic } from "./azure-aks-api-not-public";
import { azureAksEntraRbac } from "./azure-aks-entra-rbac";
import { azureAksSecretsEncrypted } from "./azure-aks-secrets-encrypted";
import { azureAksWorkloadIdentity } from "./azure-aks-workload-identity";
import { azureContainerAppHttpsOnly } from "./azure-container-app-https-only";
import { azureContainerAppInternalIngress } from "./azure-container-app-internal-ingress";
import { azureEventHubsLocalAuthDisabled } from "./azure-event-hubs-local-auth-disabled";
import { azureEventHubsMinTls12 } from "./azure-event-hubs-min-tls-12";
import { azureNoAdminPortsFromInternet } from "./azure-no-admin-ports-from-internet";
import { azureStorageFirewallDeny } from "./azure-storage-firewall-deny";
import { azureStorageHttpsOnly } from "./azure-storage-https-only";
import { azureStorageInfrastructureEncryption } from "./azure-storage-infrastructure-encryption";
import { azureStorageMinTls12 } from "./azure-storage-min-tls-12";
import { azureStorageNoPublicBlobs } from "./azure-storage-no-public-blobs";
import { azureStorageSharedKeyDisabled } from "./azure-storage-shared-key-disabled";
import { environmentCaps } from "./environment-caps";
import { gcpArtifactRegistryNotPublic } from "./gcp-artifact-registry-not-public";
import { gcpCloudRunAuthenticated } from "./gcp-cloud-run-authenticated";
import { gcpCloudRunInternalIngress } from "./gcp-cloud-run-internal-ingress";
import { gcpComputeNoExternalIp } from "./gcp-compute-no-external-ip";
import { gcpComputeShieldedVm } from "./gcp-compute-shielded-vm";
import { gcpDataprocNoPublicIp } from "./gcp-dataproc-no-public-ip";
import { gcpGkeMasterAuthorizedNetworks } from "./gcp-gke-master-authorized-networks";
import { gcpGkeNoLegacyAbac } from "./gcp-gke-no-legacy-abac";
import { gcpGkePrivateNodes } from "./gcp-gke-private-nodes";
import { gcpGkeShieldedNodes } from "./gcp-gke-shielded-nodes";
import { gcpGkeWorkloadIdentity } from "./gcp-gke-workload-identity";
import { gcpNoAdminPortsFromInternet } from "./gcp-no-admin-ports-from-internet";
import { gcpStoragePublicAccessPrevention } from "./gcp-storage-public-access-prevention";
import { gcpStorageUniformAccess } from "./gcp-storage-uniform-access";
import { gcpStorageVersioned } from "./gcp-storage-versioned";
import { k8sNoHostNamespaces } from "./k8s-no-host-namespaces";
import { k8sNoLoadBalancerService } from "./k8s-no-load-balancer-service";
import { k8sNoPrivileged } from "./k8s-no-privileged";
import { k8sReadOnlyRootFilesystem } from "./k8s-read-only-root-filesystem";
import { k8sResourceLimits } from "./k8s-resource-limits";
import { k8sRunAsNonRoot } from "./k8s-run-as-non-root";
import { kubernetesClusterOnlyAtItsLevel } from "./kubernetes-cluster-only-at-its-level";
import { noGpuForStructuredData } from "./no-gpu-for-structured-data";
import { overProvisionedLevel, overProvisionedLevelBlocking } from "./over-provisioned-level";
import { sparkClusterOnlyFromLevel2 } from "./spark-cluster-only-from-level-2";
import { stackMonthlyBudget } from "./stack-monthly-budget";
import { streamOnlyFromLevel3 } from "./stream-only-from-level-3";

/** The level gates: over-provisioning, expensive kinds only at their level, per-environment caps and budget. */
export const LEVEL_RULES: Policies = [
    overProvisionedLevelBlocking,
    overProvisionedLevel,
    kubernetesClusterOnlyAtItsLevel,
    sparkClusterOnlyFromLevel2,
    streamOnlyFromLevel3,
    noGpuForStructuredData,
    environmentCaps,
    stackMonthlyBudget,
];

/** The security baseline across AWS, Azure, GCP and Kubernetes. */
export const SECURITY_RULES: Policies = [
    awsEbsEncrypted,
    awsEc2Imdsv2,
    awsEcrImmutableTags,
    awsEcrScanOnPush,
    awsEksControlPlaneLogs,
    awsEksEndpointPrivate,
    awsEksSecretsEncrypted,
    awsEmrSecurityConfiguration,
    awsKinesisEncrypted,
    awsKmsKeyRotation,
    awsLogGroupEncrypted,
    awsLogGroupRetention,
    awsMskTlsInTransit,
    awsNoAdminPortsFromInternet,
    awsNoPublicIp,
    awsS3Encrypted,
    awsS3PublicAccessBlocked,
    awsS3TlsOnly,
    awsS3Versioned,
    awsSagemakerEndpointKms,
    azureAcrAdminUserDisabled,
    azureAcrNoAnonymousPull,
    azureAksApiNotPublic,
    azureAksEntraRbac,
    azureAksSecretsEncrypted,
    azureAksWorkloadIdentity,
    azureContainerAppHttpsOnly,
    azureContainerAppInternalIngress,
    azureEventHubsLocalAuthDisabled,
    azureEventHubsMinTls12,
    azureNoAdminPortsFromInternet,
    azureStorageHttpsOnly,
    azureStorageInfrastructureEncryption,
    azureStorageMinTls12,
    azureStorageNoPublicBlobs,
    azureStorageSharedKeyDisabled,
    azureStorageFirewallDeny,
    gcpArtifactRegistryNotPublic,
    gcpCloudRunAuthenticated,
    gcpCloudRunInternalIngress,
    gcpComputeNoExternalIp,
    gcpComputeShieldedVm,
    gcpDataprocNoPublicIp,
    gcpGkeMasterAuthorizedNetworks,
    gcpGkeNoLegacyAbac,
    gcpGkePrivateNodes,
    gcpGkeShieldedNodes,
    gcpGkeWorkloadIdentity,
    gcpNoAdminPortsFromInternet,
    gcpStoragePublicAccessPrevention,
    gcpStorageUniformAccess,
    gcpStorageVersioned,
    k8sNoHostNamespaces,
    k8sNoLoadBalancerService,
    k8sNoPrivileged,
    k8sReadOnlyRootFilesystem,
    k8sResourceLimits,
    k8sRunAsNonRoot,
];

/** Every rule of the pack, in the order the engine runs them. Tests and the offline plan import this, never ../index. */
export const RULES: Policies = [...LEVEL_RULES, ...SECURITY_RULES];

/** Resource types of the expensive kinds the level gates look for. */

export const KUBERNETES_CLUSTER_TYPES = [
    "aws:eks/cluster:Cluster",
    "azure-native:containerservice:ManagedCluster",
    "gcp:container/cluster:Cluster",
] as const;

export const SPARK_CLUSTER_TYPES = [
    "aws:emr/cluster:Cluster",
    "aws:emrserverless/application:Application",
    "azure-native:synapse:BigDataPool",
    "azure-native:hdinsight:Cluster",
    "azure-native:databricks:Workspace",
    "gcp:dataproc/cluster:Cluster",
] as const;

export const STREAM_TYPES = [
    "aws:kinesis/stream:Stream",
    "aws:msk/cluster:Cluster",
    "aws:msk/serverlessCluster:ServerlessCluster",
    "azure-native:eventhub:Namespace",
    "gcp:pubsub/topic:Topic",
    "gcp:managedkafka/cluster:Cluster",
    "aws:kinesisanalyticsv2/application:Application",
    "azure-native:streamanalytics:StreamingJob",
    "gcp:dataflow/flexTemplateJob:FlexTemplateJob",
] as const;

/** Kubernetes workload kinds whose pod spec the Kubernetes rules read, and where the pod spec sits. */
export const K8S_POD_SPEC_PATH: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:Deployment": "spec.template.spec",
    "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
    "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
    "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
    "kubernetes:batch/v1:Job": "spec.template.spec",
    "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
    "kubernetes:core/v1:Pod": "spec",
};

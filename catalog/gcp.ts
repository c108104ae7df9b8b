import * as machines from "./machines/gcp";
import * as mock from "./mock/gcp";
import * as needs from "./prerequisites/gcp";
import * as price from "./pricing/gcp";
import type { CallCatalogue, Catalogue } from "./spec";

// What the project knows about each GCP resource type. One entry per type token; every consumer
// (cost, policies, plan --compare, the diagram, the offline engine) reads it here. Labels are read
// where each type's provider schema keeps them (`labels`, GKE's `resourceLabels` and
// `nodeConfig.resourceLabels`); `tags` on GCP types are network tags, not labels.

const LABELS = ["labels"];
const NONE: readonly string[] = [];

export const GCP: Catalogue = {
    "gcp:artifactregistry/repository:Repository": {
        kind: "registry",
        // A remote repository is a pull-through cache of public images: nothing of the team's is in it.
        stateful: (i) => i["mode"] !== "REMOTE_REPOSITORY",
        tags: LABELS,
        price: price.artifactRegistry,
        mock: mock.repository,
        provides: needs.remoteRepository,
    },
    "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.repositoryIamMember,
    },
    "gcp:bigquery/dataset:Dataset": {
        kind: "storage",
        stateful: true,
        tags: LABELS,
        // A dataset costs nothing by itself; its tables carry the storage and insert charges.
        price: "free",
        mock: mock.bigqueryDataset,
    },
    "gcp:bigquery/datasetIamMember:DatasetIamMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.bigqueryDatasetIamMember,
    },
    "gcp:bigquery/table:Table": {
        kind: "storage",
        stateful: true,
        tags: LABELS,
        price: price.bigqueryTable,
        mock: mock.bigqueryTable,
    },
    "gcp:cloudrunv2/job:Job": { kind: "job", stateful: false, tags: LABELS, needs: needs.cloudRunJob },
    "gcp:cloudrunv2/service:Service": {
        kind: "endpoint",
        stateful: false,
        tags: LABELS,
        price: price.cloudRunService,
        mock: mock.cloudrunv2Service,
        machines: machines.cloudRunService,
        needs: needs.cloudRunService,
    },
    "gcp:cloudscheduler/job:Job": {
        kind: "schedule",
        stateful: false,
        tags: NONE,
        price: price.schedulerJob,
        mock: mock.job,
    },
    "gcp:compute/firewall:Firewall": {
        kind: "network",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.firewall,
    },
    "gcp:compute/instance:Instance": {
        kind: "vm",
        stateful: false,
        tags: LABELS,
        price: price.computeInstance,
        mock: mock.instance,
        machines: machines.computeInstance,
    },
    "gcp:compute/network:Network": { kind: "network", stateful: false, tags: NONE, price: "free", mock: mock.network },
    "gcp:compute/route:Route": { kind: "network", stateful: false, tags: NONE, price: "free" },
    "gcp:compute/router:Router": { kind: "network", stateful: false, tags: NONE, price: "free", mock: mock.router },
    "gcp:compute/routerNat:RouterNat": {
        kind: "network",
        stateful: false,
        tags: NONE,
        price: price.cloudNat,
        mock: mock.routerNat,
    },
    "gcp:compute/subnetwork:Subnetwork": {
        kind: "network",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.subnetwork,
    },
    "gcp:container/cluster:Cluster": {
        kind: "kubernetes-cluster",
        stateful: false,
        tags: ["nodeConfig.resourceLabels", "resourceLabels"],
        price: price.gkeCluster,
        mock: mock.cluster,
        machines: machines.gkeCluster,
    },
    "gcp:container/nodePool:NodePool": {
        kind: "node-pool",
        stateful: false,
        tags: ["nodeConfig.resourceLabels"],
        price: price.gkeNodePool,
        mock: mock.nodePool,
        machines: machines.gkeNodePool,
    },
    "gcp:dataflow/flexTemplateJob:FlexTemplateJob": {
        kind: "streaming-engine",
        stateful: false,
        tags: LABELS,
        price: price.dataflowFlexTemplateJob,
        mock: mock.flexTemplateJob,
        machines: machines.dataflowFlexTemplateJob,
        needs: needs.flexTemplateJob,
    },
    "gcp:dataflow/job:Job": {
        kind: "job",
        stateful: false,
        tags: LABELS,
        price: price.dataflowJob,
        machines: machines.dataflowJob,
        needs: needs.dataflowJob,
    },
    "gcp:dataproc/autoscalingPolicy:AutoscalingPolicy": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.autoscalingPolicy,
    },
    "gcp:dataproc/cluster:Cluster": {
        kind: "spark",
        stateful: false,
        tags: LABELS,
        price: price.dataprocCluster,
        machines: machines.dataprocCluster,
    },
    "gcp:dataproc/workflowTemplate:WorkflowTemplate": {
        kind: "spark",
        stateful: false,
        tags: LABELS,
        price: price.dataprocWorkflowTemplate,
        mock: mock.workflowTemplate,
        needs: needs.workflowTemplate,
    },
    "gcp:kms/cryptoKey:CryptoKey": { kind: "key", stateful: true, tags: LABELS, price: price.kmsCryptoKey },
    "gcp:kms/keyRing:KeyRing": { kind: "key", stateful: true, tags: NONE, price: "free" },
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": {
        kind: "logging",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "gcp:logging/projectSink:ProjectSink": { kind: "logging", stateful: false, tags: NONE, price: "free" },
    "gcp:managedkafka/cluster:Cluster": { kind: "stream", stateful: true, tags: LABELS },
    "gcp:projects/iAMMember:IAMMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.projectsIAMMember,
    },
    "gcp:projects/service:Service": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.projectsService,
    },
    "gcp:pubsub/subscription:Subscription": {
        kind: "stream-part",
        stateful: true,
        tags: LABELS,
        price: "free",
        mock: mock.subscription,
    },
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.subscriptionIAMMember,
    },
    "gcp:pubsub/topic:Topic": {
        kind: "stream",
        stateful: true,
        tags: LABELS,
        price: price.pubsubTopic,
        mock: mock.topic,
    },
    "gcp:pubsub/topicIAMMember:TopicIAMMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.topicIAMMember,
    },
    "gcp:serviceaccount/account:Account": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.account,
    },
    "gcp:serviceaccount/iAMMember:IAMMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.serviceaccountIAMMember,
    },
    "gcp:storage/bucket:Bucket": {
        kind: "storage",
        stateful: true,
        tags: LABELS,
        price: price.storageBucket,
        mock: mock.bucket,
        usageShare: "storage",
    },
    "gcp:storage/bucketIAMMember:BucketIAMMember": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.bucketIAMMember,
    },
    "gcp:storage/bucketObject:BucketObject": {
        kind: "artifact",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.bucketObject,
        provides: needs.bucketObject,
    },
    "gcp:workflows/workflow:Workflow": {
        kind: "job",
        stateful: false,
        tags: LABELS,
        price: price.workflow,
        mock: mock.workflow,
        machines: machines.workflowsJobs,
        needs: needs.workflow,
    },
};

/** Provider functions the components call. */
export const GCP_CALLS: CallCatalogue = {
    "gcp:compute/getZones:getZones": mock.getZones,
    "gcp:organizations/getProject:getProject": mock.getProject,
    "gcp:organizations/getClientConfig:getClientConfig": mock.getClientConfig,
};

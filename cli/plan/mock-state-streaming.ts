import type { StateFn } from "./mock-state";
import { hex, MOCK_ACCOUNT, MOCK_GCP_PROJECT, MOCK_SUBSCRIPTION, MOCK_TENANT } from "./mock-state";

// Computed outputs of the level-3 streaming types (Kinesis, Managed Flink, Event Hubs, Stream
// Analytics, Pub/Sub, Dataflow), shaped like each cloud's own.

const guid = (s: string) =>
    `${hex(`${s}/1`, 8)}-${hex(`${s}/2`, 4)}-4${hex(`${s}/3`, 3)}-8${hex(`${s}/4`, 3)}-${hex(`${s}/5`, 12)}`;
const str = (v: unknown, fallback: string) => (typeof v === "string" && v !== "" ? v : fallback);

export const streamingState: Record<string, StateFn> = {
    // ---------------- AWS
    "aws:kinesis/stream:Stream": (a, r) => {
        const name = str(a.inputs.name, a.name);
        return {
            id: `arn:aws:kinesis:${r}:${MOCK_ACCOUNT}:stream/${name}`,
            name,
            arn: `arn:aws:kinesis:${r}:${MOCK_ACCOUNT}:stream/${name}`,
        };
    },
    "aws:kinesisanalyticsv2/application:Application": (a, r) => {
        const name = str(a.inputs.name, a.name);
        const arn = `arn:aws:kinesisanalytics:${r}:${MOCK_ACCOUNT}:application/${name}`;
        return {
            id: arn,
            name,
            arn,
            status: a.inputs.startApplication === true ? "RUNNING" : "READY",
            versionId: 1,
            createTimestamp: "2025-01-15T00:00:00Z",
            lastUpdateTimestamp: "2025-01-15T00:00:00Z",
        };
    },
    "aws:cloudwatch/logStream:LogStream": (a, r) => {
        const name = str(a.inputs.name, a.name);
        const group = str(a.inputs.logGroupName, "group");
        return {
            id: name,
            name,
            arn: `arn:aws:logs:${r}:${MOCK_ACCOUNT}:log-group:${group}:log-stream:${name}`,
        };
    },
    // ---------------- Azure
    "azure-native:eventhub:Namespace": (a) => {
        const name = str(a.inputs.namespaceName, a.name);
        return {
            name,
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${name}`,
            serviceBusEndpoint: `https://${name}.servicebus.windows.net:443/`,
            metricId: `${MOCK_SUBSCRIPTION}:${name}`,
            provisioningState: "Succeeded",
            status: "Active",
        };
    },
    "azure-native:eventhub:EventHub": (a) => {
        const name = str(a.inputs.eventHubName, a.name);
        const count = Number(a.inputs.partitionCount ?? 4);
        return {
            name,
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.inputs.namespaceName}/eventhubs/${name}`,
            partitionIds: Array.from({ length: count }, (_, i) => String(i)),
            status: "Active",
        };
    },
    "azure-native:eventhub:ConsumerGroup": (a) => {
        const name = str(a.inputs.consumerGroupName, a.name);
        return {
            name,
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.inputs.namespaceName}/eventhubs/${a.inputs.eventHubName}/consumergroups/${name}`,
        };
    },
    "azure-native:eventhub:NamespaceNetworkRuleSet": (a) => ({
        name: "default",
        id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.inputs.namespaceName}/networkRuleSets/default`,
    }),
    "azure-native:streamanalytics:StreamingJob": (a) => {
        const name = str(a.inputs.jobName, a.name);
        return {
            name,
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.StreamAnalytics/streamingjobs/${name}`,
            jobId: guid(name),
            jobState: "Created",
            provisioningState: "Succeeded",
            identity: { type: "SystemAssigned", principalId: guid(`${name}/principal`), tenantId: MOCK_TENANT },
        };
    },
    "azure-native:streamanalytics:Input": (a) => {
        const name = str(a.inputs.inputName, a.name);
        return {
            name,
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.StreamAnalytics/streamingjobs/${a.inputs.jobName}/inputs/${name}`,
        };
    },
    "azure-native:streamanalytics:Output": (a) => {
        const name = str(a.inputs.outputName, a.name);
        return {
            name,
            id: `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${a.inputs.resourceGroupName}/providers/Microsoft.StreamAnalytics/streamingjobs/${a.inputs.jobName}/outputs/${name}`,
        };
    },
    // ---------------- GCP
    "gcp:pubsub/topic:Topic": (a) => {
        const project = str(a.inputs.project, MOCK_GCP_PROJECT);
        const name = str(a.inputs.name, a.name);
        return { id: `projects/${project}/topics/${name}`, name };
    },
    "gcp:pubsub/subscription:Subscription": (a) => {
        const project = str(a.inputs.project, MOCK_GCP_PROJECT);
        const name = str(a.inputs.name, a.name);
        return { id: `projects/${project}/subscriptions/${name}`, name };
    },
    "gcp:pubsub/topicIAMMember:TopicIAMMember": (a) => ({
        id: `${a.inputs.topic}/${a.inputs.role}/${a.inputs.member}`,
        etag: `BwY${hex(a.name, 8)}`,
    }),
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": (a) => ({
        id: `${a.inputs.subscription}/${a.inputs.role}/${a.inputs.member}`,
        etag: `BwY${hex(a.name, 8)}`,
    }),
    "gcp:dataflow/flexTemplateJob:FlexTemplateJob": (a, r) => {
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
    },
};

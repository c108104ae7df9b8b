import { TAG_KEYS } from "../components/shared/tags";
import * as machines from "./machines/aws";
import { parseDocumentString } from "./machines/shapes";
import * as mock from "./mock/aws";
import * as needs from "./prerequisites/aws";
import * as price from "./pricing/aws";
import type { CallCatalogue, Catalogue } from "./spec";
import { arr, get, isObj, type Obj, str } from "./values";

// What the project knows about each AWS resource type. One entry per type token; every consumer
// (cost, policies, plan --compare, the diagram, the offline engine) reads it here.

const TAGS = ["tags"];
const NONE: readonly string[] = [];

/**
 * The tags of the SageMaker job a state machine starts, inside its definition: a state machine
 * created without tags of its own still shows whose job it runs.
 */
function stateMachineTags(inputs: Obj): Obj | undefined {
    const states = get(parseDocumentString(inputs["definition"]), "States");
    for (const state of Object.values(isObj(states) ? states : {})) {
        const list = arr(get(state, "Parameters", "Tags"));
        const o = Object.fromEntries(list.map((x) => [str(get(x, "Key")) ?? "", get(x, "Value")]));
        if (typeof o[TAG_KEYS.pipeline] === "string") return o;
    }
    return undefined;
}

export const AWS: Catalogue = {
    "aws:cloudwatch/eventRule:EventRule": { kind: "schedule", stateful: false, tags: TAGS, price: "free" },
    "aws:cloudwatch/eventTarget:EventTarget": { kind: "schedule", stateful: false, tags: NONE, price: "free" },
    "aws:cloudwatch/logGroup:LogGroup": {
        kind: "logging",
        stateful: false,
        tags: TAGS,
        price: price.logGroup,
        mock: mock.logGroup,
        usageShare: "logs",
    },
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {
        kind: "logging",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:cloudwatch/logStream:LogStream": {
        kind: "logging",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.logStream,
    },
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": {
        kind: "logging",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:ec2/eip:Eip": { kind: "network", stateful: false, tags: TAGS, price: price.elasticIp, mock: mock.eip },
    "aws:ec2/flowLog:FlowLog": { kind: "logging", stateful: false, tags: TAGS, price: "free", mock: mock.flowLog },
    "aws:ec2/instance:Instance": {
        kind: "vm",
        stateful: false,
        tags: TAGS,
        price: price.ec2Instance,
        mock: mock.instance,
        machines: machines.ec2Instance,
    },
    "aws:ec2/internetGateway:InternetGateway": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.internetGateway,
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        kind: "node-pool",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.launchTemplate,
    },
    "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation": {
        kind: "network",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:ec2/natGateway:NatGateway": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: price.natGateway,
        mock: mock.natGateway,
    },
    "aws:ec2/networkAcl:NetworkAcl": { kind: "network", stateful: false, tags: TAGS, price: "free" },
    "aws:ec2/route:Route": { kind: "network", stateful: false, tags: NONE, price: "free", mock: mock.route },
    "aws:ec2/routeTable:RouteTable": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.routeTable,
    },
    "aws:ec2/routeTableAssociation:RouteTableAssociation": {
        kind: "network",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.routeTableAssociation,
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.securityGroup,
    },
    "aws:ec2/securityGroupRule:SecurityGroupRule": { kind: "network", stateful: false, tags: NONE, price: "free" },
    "aws:ec2/subnet:Subnet": { kind: "network", stateful: false, tags: TAGS, price: "free", mock: mock.subnet },
    "aws:ec2/vpc:Vpc": { kind: "network", stateful: false, tags: TAGS, price: "free", mock: mock.vpc },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: price.vpcEndpoint,
        mock: mock.vpcEndpoint,
    },
    "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation": {
        kind: "network",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:ecr/lifecyclePolicy:LifecyclePolicy": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.lifecyclePolicy,
    },
    "aws:ecr/repository:Repository": {
        kind: "registry",
        stateful: true,
        tags: TAGS,
        price: price.ecrRepository,
        mock: mock.repository,
    },
    "aws:ecr/repositoryPolicy:RepositoryPolicy": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.repositoryPolicy,
    },
    "aws:eks/accessEntry:AccessEntry": { kind: "identity", stateful: false, tags: TAGS, price: "free" },
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:eks/addon:Addon": { kind: "setting", stateful: false, tags: TAGS, price: "free" },
    "aws:eks/cluster:Cluster": {
        kind: "kubernetes-cluster",
        stateful: false,
        tags: TAGS,
        price: price.eksCluster,
        mock: mock.cluster,
    },
    "aws:eks/nodeGroup:NodeGroup": {
        kind: "node-pool",
        stateful: false,
        tags: TAGS,
        price: price.eksNodeGroup,
        mock: mock.nodeGroup,
        machines: machines.eksNodeGroup,
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
        kind: "identity",
        stateful: false,
        tags: TAGS,
        price: "free",
    },
    "aws:emr/cluster:Cluster": {
        kind: "spark",
        stateful: false,
        tags: TAGS,
        price: price.emrCluster,
        machines: machines.emrCluster,
    },
    "aws:emr/instanceGroup:InstanceGroup": {
        kind: "node-pool",
        stateful: false,
        tags: NONE,
        price: price.emrInstanceGroup,
        machines: machines.emrInstanceGroup,
    },
    "aws:emrserverless/application:Application": {
        kind: "spark",
        stateful: false,
        tags: TAGS,
        price: price.emrServerless,
        mock: mock.emrserverlessApplication,
        needs: needs.emrServerlessApplication,
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        kind: "identity",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.instanceProfile,
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
        kind: "identity",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.openIdConnectProvider,
    },
    "aws:iam/policy:Policy": { kind: "identity", stateful: false, tags: TAGS, price: "free", mock: mock.policy },
    "aws:iam/role:Role": { kind: "identity", stateful: false, tags: TAGS, price: "free", mock: mock.role },
    "aws:iam/rolePolicy:RolePolicy": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.rolePolicy,
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        kind: "identity",
        stateful: false,
        tags: NONE,
        price: "free",
        mock: mock.rolePolicyAttachment,
    },
    "aws:kinesis/stream:Stream": {
        kind: "stream",
        stateful: true,
        tags: TAGS,
        price: price.kinesisStream,
        mock: mock.stream,
    },
    "aws:kinesisanalyticsv2/application:Application": {
        kind: "streaming-engine",
        stateful: false,
        tags: TAGS,
        price: price.flinkApplication,
        mock: mock.kinesisanalyticsv2Application,
        needs: needs.flinkApplication,
    },
    "aws:kms/alias:Alias": { kind: "key", stateful: false, tags: NONE, price: "free", mock: mock.alias },
    "aws:kms/key:Key": { kind: "key", stateful: true, tags: TAGS, price: price.kmsKey, mock: mock.key },
    "aws:msk/cluster:Cluster": {
        kind: "stream",
        stateful: true,
        tags: TAGS,
        price: price.mskCluster,
        machines: machines.mskCluster,
    },
    "aws:msk/configuration:Configuration": { kind: "stream-part", stateful: false, tags: NONE, price: "free" },
    "aws:msk/serverlessCluster:ServerlessCluster": {
        kind: "stream",
        stateful: true,
        tags: TAGS,
        price: price.mskServerless,
    },
    "aws:s3/bucket:Bucket": {
        kind: "storage",
        stateful: true,
        tags: TAGS,
        price: price.s3Bucket,
        mock: mock.bucket,
        usageShare: "storage",
    },
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:s3/bucketObject:BucketObject": {
        kind: "artifact",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.bucketObject,
        provides: needs.bucketObject,
    },
    "aws:s3/bucketObjectv2:BucketObjectv2": {
        kind: "artifact",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.bucketObject,
        provides: needs.bucketObject,
    },
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:s3/bucketPolicy:BucketPolicy": { kind: "setting", stateful: false, tags: NONE, price: "free" },
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
        kind: "setting",
        stateful: false,
        tags: NONE,
        price: "free",
    },
    "aws:s3/bucketV2:BucketV2": {
        kind: "storage",
        stateful: true,
        tags: TAGS,
        price: price.s3BucketV2,
        mock: mock.bucketV2,
        usageShare: "storage",
    },
    "aws:s3/bucketVersioning:BucketVersioning": { kind: "setting", stateful: false, tags: NONE, price: "free" },
    "aws:sagemaker/endpoint:Endpoint": {
        kind: "endpoint",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.endpoint,
    },
    "aws:sagemaker/endpointConfiguration:EndpointConfiguration": {
        kind: "endpoint",
        stateful: false,
        tags: TAGS,
        price: price.sagemakerEndpointConfiguration,
        mock: mock.endpointConfiguration,
        machines: machines.sagemakerEndpointConfiguration,
    },
    "aws:sagemaker/model:Model": {
        kind: "endpoint",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.model,
        needs: needs.sagemakerModel,
    },
    "aws:scheduler/schedule:Schedule": {
        kind: "schedule",
        stateful: false,
        tags: NONE,
        price: price.schedule,
        mock: mock.schedule,
    },
    "aws:scheduler/scheduleGroup:ScheduleGroup": { kind: "schedule", stateful: false, tags: TAGS, price: "free" },
    "aws:sfn/stateMachine:StateMachine": {
        kind: "job",
        stateful: false,
        tags: TAGS,
        price: price.stateMachine,
        mock: mock.stateMachine,
        machines: machines.stepFunctionsJobs,
        embeddedTags: stateMachineTags,
        needs: needs.stateMachine,
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.securityGroupEgressRule,
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        kind: "network",
        stateful: false,
        tags: TAGS,
        price: "free",
        mock: mock.securityGroupIngressRule,
    },
};

/** Provider functions the components call. */
export const AWS_CALLS: CallCatalogue = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": mock.getAvailabilityZones,
    "aws:index/getCallerIdentity:getCallerIdentity": mock.getCallerIdentity,
    "aws:index/getRegion:getRegion": mock.getRegion,
    "aws:index/getPartition:getPartition": mock.getPartition,
    "aws:ec2/getPrefixList:getPrefixList": mock.getPrefixList,
    "aws:ssm/getParameter:getParameter": mock.getParameter,
    "aws:sagemaker/getPrebuiltEcrImage:getPrebuiltEcrImage": mock.getPrebuiltEcrImage,
};

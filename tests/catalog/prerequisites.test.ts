import { CATALOGUE, type Prerequisite, prerequisitesOf, providedBy } from "../../catalog";

/** What each type needs in place before it is created or runs, read from hand-written inputs. Pure. */
const needs = (type: string, inputs: Record<string, unknown>): Prerequisite[] => prerequisitesOf({ type, inputs });
const pod = (image: string, init?: string) => ({
    containers: [{ name: "app", image }],
    ...(init ? { initContainers: [{ name: "init", image: init }] } : {}),
});

describe("prerequisitesOf", () => {
    it.each<[string, string, Record<string, unknown>, Prerequisite[]]>([
        [
            "a SageMaker model: image and model artifact",
            "aws:sagemaker/model:Model",
            { primaryContainer: { image: "acct.dkr.ecr.r.amazonaws.com/m:1", modelDataUrl: "s3://b/model.tar.gz" } },
            [
                { kind: "image", ref: "acct.dkr.ecr.r.amazonaws.com/m:1", input: "primaryContainer.image" },
                { kind: "object", ref: "s3://b/model.tar.gz", input: "primaryContainer.modelDataUrl" },
            ],
        ],
        [
            "a multi-container SageMaker model",
            "aws:sagemaker/model:Model",
            { containers: [{ image: "a:1", modelDataUrl: "s3://b/a.tar.gz" }, { image: "b:1" }] },
            [
                { kind: "image", ref: "a:1", input: "containers[0].image" },
                { kind: "image", ref: "b:1", input: "containers[1].image" },
                { kind: "object", ref: "s3://b/a.tar.gz", input: "containers[0].modelDataUrl" },
            ],
        ],
        [
            "a Flink application: its code in S3, bucket named by ARN",
            "aws:kinesisanalyticsv2/application:Application",
            {
                applicationConfiguration: {
                    applicationCodeConfiguration: {
                        codeContent: { s3ContentLocation: { bucketArn: "arn:aws:s3:::art", fileKey: "app.jar" } },
                    },
                },
            },
            [
                {
                    kind: "object",
                    ref: "s3://art/app.jar",
                    input: "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation.fileKey",
                },
            ],
        ],
        [
            "an EMR Serverless application with a custom image",
            "aws:emrserverless/application:Application",
            { imageConfiguration: { imageUri: "acct.dkr.ecr.r.amazonaws.com/spark:7" } },
            [{ kind: "image", ref: "acct.dkr.ecr.r.amazonaws.com/spark:7", input: "imageConfiguration.imageUri" }],
        ],
        [
            "a state machine starting a processing job and an EMR Serverless run",
            "aws:sfn/stateMachine:StateMachine",
            {
                definition: JSON.stringify({
                    States: {
                        Job: { Parameters: { AppSpecification: { ImageUri: "sk:1" } } },
                        Spark: { Parameters: { JobDriver: { SparkSubmit: { EntryPoint: "s3://b/jobs/x.py" } } } },
                    },
                }),
            },
            [
                { kind: "image", ref: "sk:1", input: "definition#States.Job.Parameters.AppSpecification.ImageUri" },
                {
                    kind: "object",
                    ref: "s3://b/jobs/x.py",
                    input: "definition#States.Spark.Parameters.JobDriver.SparkSubmit.EntryPoint",
                },
            ],
        ],
        [
            "a Container Apps job submitting a Livy batch",
            "azure-native:app:Job",
            {
                template: {
                    containers: [
                        {
                            image: "mcr.microsoft.com/azure-cli:2",
                            env: [
                                { name: "A", value: "plain" },
                                {
                                    name: "LIVY_BATCH",
                                    value: JSON.stringify({ file: "abfss://c@a.dfs.core.windows.net/x.py" }),
                                },
                            ],
                        },
                    ],
                },
            },
            [
                { kind: "image", ref: "mcr.microsoft.com/azure-cli:2", input: "template.containers[0].image" },
                {
                    kind: "object",
                    ref: "abfss://c@a.dfs.core.windows.net/x.py",
                    input: "template.containers[0].env[1].value#file",
                },
            ],
        ],
        [
            "a container app with an init container",
            "azure-native:app:ContainerApp",
            {
                template: {
                    containers: [{ image: "r.azurecr.io/m:1" }],
                    initContainers: [{ image: "r.azurecr.io/i:1" }],
                },
            },
            [
                { kind: "image", ref: "r.azurecr.io/m:1", input: "template.containers[0].image" },
                { kind: "image", ref: "r.azurecr.io/i:1", input: "template.initContainers[0].image" },
            ],
        ],
        [
            "a Batch pool: prefetched images and its start task's",
            "azure-native:batch:Pool",
            {
                deploymentConfiguration: {
                    virtualMachineConfiguration: { containerConfiguration: { containerImageNames: ["a:1"] } },
                },
                startTask: { containerSettings: { imageName: "b:1" } },
            },
            [
                {
                    kind: "image",
                    ref: "a:1",
                    input: "deploymentConfiguration.virtualMachineConfiguration.containerConfiguration.containerImageNames[0]",
                },
                { kind: "image", ref: "b:1", input: "startTask.containerSettings.imageName" },
            ],
        ],
        [
            "a Flex Template job: its template file",
            "gcp:dataflow/flexTemplateJob:FlexTemplateJob",
            { containerSpecGcsPath: "gs://b/t.json" },
            [{ kind: "template", ref: "gs://b/t.json", input: "containerSpecGcsPath" }],
        ],
        [
            "a classic Dataflow job: its template",
            "gcp:dataflow/job:Job",
            { templateGcsPath: "gs://b/t" },
            [{ kind: "template", ref: "gs://b/t", input: "templateGcsPath" }],
        ],
        [
            "a Dataproc workflow template: entry script and extra Python files",
            "gcp:dataproc/workflowTemplate:WorkflowTemplate",
            { jobs: [{ pysparkJob: { mainPythonFileUri: "gs://b/main.py", pythonFileUris: ["gs://b/lib.py"] } }] },
            [
                { kind: "object", ref: "gs://b/main.py", input: "jobs[0].pysparkJob.mainPythonFileUri" },
                { kind: "object", ref: "gs://b/lib.py", input: "jobs[0].pysparkJob.pythonFileUris[0]" },
            ],
        ],
        [
            "a Cloud Run service",
            "gcp:cloudrunv2/service:Service",
            { template: { containers: [{ image: "us-docker.pkg.dev/p/r/m:1" }] } },
            [{ kind: "image", ref: "us-docker.pkg.dev/p/r/m:1", input: "template.containers[0].image" }],
        ],
        [
            "a Cloud Run job",
            "gcp:cloudrunv2/job:Job",
            { template: { template: { containers: [{ image: "j:1" }] } } },
            [{ kind: "image", ref: "j:1", input: "template.template.containers[0].image" }],
        ],
        [
            "a workflow creating a Batch job",
            "gcp:workflows/workflow:Workflow",
            {
                sourceContents: JSON.stringify({
                    main: {
                        steps: [
                            {
                                run: {
                                    args: {
                                        body: {
                                            taskGroups: [
                                                { taskSpec: { runnables: [{ container: { imageUri: "w:1" } }] } },
                                            ],
                                        },
                                    },
                                },
                            },
                        ],
                    },
                }),
            },
            [
                {
                    kind: "image",
                    ref: "w:1",
                    input: "sourceContents#main.steps[0].run.args.body.taskGroups[0].taskSpec.runnables[0].container.imageUri",
                },
            ],
        ],
        [
            "a Deployment with an init container",
            "kubernetes:apps/v1:Deployment",
            { spec: { template: { spec: pod("m:1", "i:1") } } },
            [
                { kind: "image", ref: "m:1", input: "spec.template.spec.containers[0].image" },
                { kind: "image", ref: "i:1", input: "spec.template.spec.initContainers[0].image" },
            ],
        ],
        [
            "a CronJob",
            "kubernetes:batch/v1:CronJob",
            { spec: { jobTemplate: { spec: { template: { spec: pod("c:1") } } } } },
            [{ kind: "image", ref: "c:1", input: "spec.jobTemplate.spec.template.spec.containers[0].image" }],
        ],
        [
            "a RayCluster: head and every worker group",
            "kubernetes:ray.io/v1:RayCluster",
            {
                spec: {
                    headGroupSpec: { template: { spec: pod("ray:1") } },
                    workerGroupSpecs: [{ template: { spec: pod("ray:1") } }, { template: { spec: pod("ray:gpu") } }],
                },
            },
            [
                { kind: "image", ref: "ray:1", input: "spec.headGroupSpec.template.spec.containers[0].image" },
                { kind: "image", ref: "ray:1", input: "spec.workerGroupSpecs[0].template.spec.containers[0].image" },
                { kind: "image", ref: "ray:gpu", input: "spec.workerGroupSpecs[1].template.spec.containers[0].image" },
            ],
        ],
        ["a bucket needs nothing", "aws:s3/bucket:Bucket", { bucket: "b" }, []],
        [
            "a type the catalogue does not know needs nothing it can tell",
            "aws:lambda/function:Function",
            { image: "x" },
            [],
        ],
        [
            "secrets and empty values are not references",
            "gcp:cloudrunv2/service:Service",
            { template: { containers: [{ image: "[secret]" }, { image: "" }, {}] } },
            [],
        ],
    ])("%s", (_d, type, inputs, expected) => {
        expect(needs(type, inputs)).toEqual(expected);
    });

    it("is filled for every type the catalogue says runs a container or a script", () => {
        const reading = Object.entries(CATALOGUE)
            .filter(([, s]) => s.needs)
            .map(([t]) => t)
            .sort();
        expect(reading).toEqual([
            "aws:emrserverless/application:Application",
            "aws:kinesisanalyticsv2/application:Application",
            "aws:sagemaker/model:Model",
            "aws:sfn/stateMachine:StateMachine",
            "azure-native:app:ContainerApp",
            "azure-native:app:Job",
            "azure-native:batch:Pool",
            "gcp:cloudrunv2/job:Job",
            "gcp:cloudrunv2/service:Service",
            "gcp:dataflow/flexTemplateJob:FlexTemplateJob",
            "gcp:dataflow/job:Job",
            "gcp:dataproc/workflowTemplate:WorkflowTemplate",
            "gcp:workflows/workflow:Workflow",
            "kubernetes:apps/v1:DaemonSet",
            "kubernetes:apps/v1:Deployment",
            "kubernetes:apps/v1:ReplicaSet",
            "kubernetes:apps/v1:StatefulSet",
            "kubernetes:batch/v1:CronJob",
            "kubernetes:batch/v1:Job",
            "kubernetes:core/v1:Pod",
            "kubernetes:ray.io/v1:RayCluster",
        ]);
    });
});

describe("providedBy", () => {
    it.each([
        [
            "aws:s3/bucketObjectv2:BucketObjectv2",
            { bucket: "b", key: "jobs/x.py" },
            [{ kind: "object", ref: "s3://b/jobs/x.py" }],
        ],
        [
            "aws:s3/bucketObject:BucketObject",
            { bucket: "b", key: "m.tar.gz" },
            [{ kind: "object", ref: "s3://b/m.tar.gz" }],
        ],
        [
            "gcp:storage/bucketObject:BucketObject",
            { bucket: "b", name: "t.json" },
            [{ kind: "object", ref: "gs://b/t.json" }],
        ],
        [
            "azure:storage/blob:Blob",
            {
                name: "jobs/x.py",
                storageContainerId:
                    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/blobServices/default/containers/artifacts",
            },
            [{ kind: "object", ref: "abfss://artifacts@acct.dfs.core.windows.net/jobs/x.py" }],
        ],
        // Without a container id the blob's place is unknown: it provides nothing.
        ["azure:storage/blob:Blob", { name: "jobs/x.py", storageContainerId: "artifacts" }, []],
        [
            "docker-build:index:Image",
            { push: true, tags: ["r/m:1", "r/m:latest"] },
            [
                { kind: "image", ref: "r/m:1" },
                { kind: "image", ref: "r/m:latest" },
            ],
        ],
        ["docker-build:index:Image", { push: false, tags: ["r/m:1"] }, []],
        ["docker:index/image:Image", { imageName: "r/m:2" }, [{ kind: "image", ref: "r/m:2" }]],
        ["docker:index/image:Image", { imageName: "r/m:2", skipPush: true }, []],
        ["docker:index/registryImage:RegistryImage", { name: "r/m:3" }, [{ kind: "image", ref: "r/m:3" }]],
        ["aws:s3/bucket:Bucket", { bucket: "b" }, []],
    ])("%s %j", (type, inputs, expected) => {
        expect(providedBy({ type, inputs })).toEqual(expected);
    });

    it("a provided reference is written the way a prerequisite reads it", () => {
        const script = providedBy({
            type: "gcp:storage/bucketObject:BucketObject",
            inputs: { bucket: "b", name: "main.py" },
        });
        const need = needs("gcp:dataproc/workflowTemplate:WorkflowTemplate", {
            jobs: [{ pysparkJob: { mainPythonFileUri: "gs://b/main.py" } }],
        });
        expect(need.map((p) => p.ref)).toEqual(script.map((p) => p.ref));
    });
});

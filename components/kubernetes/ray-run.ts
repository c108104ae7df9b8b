import type * as k8s from "@pulumi/kubernetes/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { envList, placement, RESTRICTED_CONTAINER, RESTRICTED_POD } from "./workload";

// How a team runs the reference training on the Ray cluster: `kubectl create job --from=cronjob/…`
// starts a pod that submits the run to the cluster (`ray job submit`); the run itself executes on a
// Ray worker, under the Ray service account's cloud identity, so the autoscaler brings a training
// node up for it and takes it away afterwards.

/** The suspended CronJob that holds the submitter's pod template (never scheduled: suspended). */
export const RAY_RUN_NAME = "train";
/** The ConfigMap holding the driver, and the driver's file name in the run's working directory. */
export const RAY_DRIVER_CONFIG = "train-driver";
export const RAY_DRIVER_FILE = "train_driver.py";
/** Port of the Ray dashboard, where `ray job submit` sends the run (KubeRay's DefaultDashboardPort). */
export const RAY_DASHBOARD_PORT = 8265;
/**
 * Packages the run installs on top of the Ray image (Ray's `pip` runtime environment, from PyPI
 * through the cluster's internet path): the Ray images carry pandas and numpy (Ray Data) and the
 * clouds' storage SDKs, not scikit-learn. 1.5.2 is the scikit-learn the default model server runs
 * (`scikit-learn~=1.5.1` in kserve's sklearnserver), so a model trained here serves there.
 */
export const RAY_RUN_PIP = ["scikit-learn==1.5.2"] as const;
/** A schedule that is never used: the CronJob is suspended and only copied by `kubectl create job --from`. */
export const NEVER = "0 0 1 1 *";

/**
 * The driver: it runs on a Ray worker, fetches the jobs package and the sample data with the
 * cloud's SDK (the pod's workload identity), runs the level-1 chain's features and training steps
 * unchanged (`python -m jobs.features`, `python -m jobs.train`, jobs.zip on PYTHONPATH) and puts the
 * model and its metrics under the trained-model prefix. Scratch goes to Ray's writable /tmp/ray.
 */
export const RAY_TRAIN_DRIVER = `"""Reference training on the Ray cluster: fetch, features, train, put."""
import os
import subprocess
import sys
import tempfile
from urllib.parse import urlparse


def _azure_blob(url):
    from azure.identity import DefaultAzureCredential
    from azure.storage.blob import BlobClient

    return BlobClient.from_blob_url(url, credential=DefaultAzureCredential())


def fetch(url, dest):
    u = urlparse(url)
    if u.scheme == "s3":
        import boto3

        boto3.client("s3").download_file(u.netloc, u.path.lstrip("/"), dest)
    elif u.scheme == "gs":
        from google.cloud import storage

        storage.Client().bucket(u.netloc).blob(u.path.lstrip("/")).download_to_filename(dest)
    else:
        with open(dest, "wb") as f:
            _azure_blob(url).download_blob().readinto(f)


def put(src, url):
    u = urlparse(url)
    if u.scheme == "s3":
        import boto3

        boto3.client("s3").upload_file(src, u.netloc, u.path.lstrip("/"))
    elif u.scheme == "gs":
        from google.cloud import storage

        storage.Client().bucket(u.netloc).blob(u.path.lstrip("/")).upload_from_filename(src)
    else:
        with open(src, "rb") as f:
            _azure_blob(url).upload_blob(f, overwrite=True)


def main():
    work = tempfile.mkdtemp(prefix="mlops-train-", dir="/tmp/ray")
    package = os.path.join(work, "jobs.zip")
    raw = os.path.join(work, "customers.csv")
    fetch(os.environ["MLOPS_JOBS_PACKAGE"], package)
    fetch(os.environ["MLOPS_SAMPLE_DATA"], raw)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([package, os.environ.get("PYTHONPATH", "")]))
    features = os.path.join(work, "features")
    model = os.path.join(work, "model")
    for step in (
        ["jobs.features", "--input", raw, "--output", features],
        ["jobs.train", "--input", features, "--model-dir", model],
    ):
        subprocess.run([sys.executable, "-m", *step], env=env, check=True)
    out = os.environ["MLOPS_MODEL_OUTPUT"].rstrip("/")
    for name in sorted(os.listdir(model)):
        put(os.path.join(model, name), out + "/" + name)
        print("wrote " + out + "/" + name)


if __name__ == "__main__":
    main()
`;

/** Where the run's inputs and outputs are, as URLs the driver's SDKs take. */
export interface RayRunInputs {
    /** The jobs package (`samples/jobs/jobs.zip` in the artifacts store). */
    readonly jobsPackage: pulumi.Input<string>;
    /** The sample data (`samples/data/customers.csv` in the data store). */
    readonly sampleData: pulumi.Input<string>;
    /** The prefix the trained model and its metrics go under (`samples/models/trained`). */
    readonly modelOutput: pulumi.Input<string>;
}

/**
 * The command that starts one run and follows its log, for the stack output `runCommands.training`:
 * it writes the stack's kubeconfig (it needs the cloud CLI's credential plugin and a route to the API
 * server, as `pulumi up` did), copies the CronJob's template into a Job named after the time, and
 * tails the submitter, which prints the Ray job's log until it ends. Pure.
 */
export function rayRunCommand(stack: string, namespace: string): string {
    const kubectl = `kubectl --kubeconfig kubeconfig.json --namespace ${namespace}`;
    return [
        `pulumi stack output kubeconfig --show-secrets --stack ${stack} > kubeconfig.json`,
        `RUN=${RAY_RUN_NAME}-$(date +%Y%m%d%H%M%S)`,
        `${kubectl} create job --from=cronjob/${RAY_RUN_NAME} "$RUN"`,
        `${kubectl} logs --follow --pod-running-timeout=10m "job/$RUN"`,
    ].join(" && ");
}

/** The in-cluster address of the Ray head's dashboard (KubeRay names the service `<cluster>-head-svc`). */
export function rayDashboardAddress(clusterName: string, namespace: string): string {
    return `http://${clusterName}-head-svc.${namespace}.svc.cluster.local:${RAY_DASHBOARD_PORT}`;
}

/**
 * The submitter's arguments. The runtime environment names the inputs through `$(VAR)`, which the
 * kubelet expands from the container's environment, so the URLs stay plain env values a reader can
 * check. One CPU for the entrypoint puts the run on a worker (the head offers none), with the
 * Ray service account's identity. Pure.
 */
export function rayJobSubmitArgs(address: string): string[] {
    const runtimeEnv = {
        pip: [...RAY_RUN_PIP],
        env_vars: {
            MLOPS_JOBS_PACKAGE: "$(MLOPS_JOBS_PACKAGE)",
            MLOPS_SAMPLE_DATA: "$(MLOPS_SAMPLE_DATA)",
            MLOPS_MODEL_OUTPUT: "$(MLOPS_MODEL_OUTPUT)",
        },
    };
    return [
        "job",
        "submit",
        "--address",
        address,
        "--working-dir",
        "/driver",
        "--entrypoint-num-cpus",
        "1",
        "--runtime-env-json",
        JSON.stringify(runtimeEnv),
        "--",
        "python",
        RAY_DRIVER_FILE,
    ];
}

/**
 * The CronJob whose job template submits one run: suspended (it never runs on its own), copied on
 * demand by `kubectl create job --from=cronjob/train`. The submitter needs no cloud identity and no
 * Kubernetes API token; it runs on the system pool as a restricted pod. Pure.
 */
export function rayRunCronJob(a: {
    image: string;
    namespace: string;
    clusterName: string;
    labels: Record<string, string>;
    inputs: RayRunInputs;
}): { metadata: k8s.meta.v1.ObjectMeta; spec: k8s.batch.v1.CronJobSpec } {
    const where = placement("system");
    return {
        metadata: { name: RAY_RUN_NAME, namespace: a.namespace, labels: a.labels },
        spec: {
            schedule: NEVER,
            suspend: true,
            concurrencyPolicy: "Forbid",
            jobTemplate: {
                metadata: { labels: a.labels },
                spec: {
                    // A failed run is reported, not retried: the next run is the team's call.
                    backoffLimit: 0,
                    ttlSecondsAfterFinished: 7 * 24 * 3600,
                    template: {
                        metadata: { labels: a.labels },
                        spec: {
                            restartPolicy: "Never",
                            automountServiceAccountToken: false,
                            securityContext: RESTRICTED_POD,
                            nodeSelector: where.nodeSelector,
                            tolerations: where.tolerations,
                            containers: [
                                {
                                    name: "submit",
                                    image: a.image,
                                    command: ["ray"],
                                    args: rayJobSubmitArgs(rayDashboardAddress(a.clusterName, a.namespace)),
                                    env: envList({
                                        MLOPS_JOBS_PACKAGE: a.inputs.jobsPackage,
                                        MLOPS_SAMPLE_DATA: a.inputs.sampleData,
                                        MLOPS_MODEL_OUTPUT: a.inputs.modelOutput,
                                        // The CLI keeps its state under HOME; the root file system is read-only.
                                        HOME: "/tmp",
                                    }),
                                    resources: {
                                        requests: { cpu: "100m", memory: "256Mi" },
                                        limits: { cpu: "500m", memory: "512Mi" },
                                    },
                                    securityContext: RESTRICTED_CONTAINER,
                                    volumeMounts: [
                                        // subPath: the file itself, not the ConfigMap's symlink farm.
                                        {
                                            name: "driver",
                                            mountPath: `/driver/${RAY_DRIVER_FILE}`,
                                            subPath: RAY_DRIVER_FILE,
                                            readOnly: true,
                                        },
                                        { name: "tmp", mountPath: "/tmp" },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "driver", configMap: { name: RAY_DRIVER_CONFIG } },
                                { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
                            ],
                        },
                    },
                },
            },
        },
    };
}

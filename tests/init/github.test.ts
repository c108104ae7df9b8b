import { parse } from "yaml";
import {
    ACTIONS,
    BACKEND_SCHEMES,
    CLOUD_VARIABLES,
    checkBackend,
    githubWorkflow,
    type SelfManagedBackend,
    type WorkflowStack,
} from "../../cli/init/github";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
}
interface Job {
    if?: string;
    needs?: string;
    environment?: string;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    jobs: Record<string, Job>;
}

const REGION: Record<Cloud, string> = { aws: "us-east-1", azure: "eastus", gcp: "us-central1" };
const stacksOn = (cloud: Cloud): WorkflowStack[] =>
    ["dev", "prod"].map((name) => ({ name, cloud, region: REGION[cloud] }));

const BACKENDS: Record<Cloud, SelfManagedBackend> = {
    aws: { url: "s3://team-pulumi-state", secretsProvider: "awskms://alias/pulumi?region=us-east-1" },
    azure: {
        url: "azblob://state?storage_account=teamstate",
        secretsProvider: "azurekeyvault://team-kv.vault.azure.net/keys/pulumi",
    },
    gcp: {
        url: "gs://team-pulumi-state",
        secretsProvider: "gcpkms://projects/p/locations/global/keyRings/pulumi/cryptoKeys/state",
    },
};

/** Every action each cloud's jobs may use for credentials and for the Kubernetes token helper. */
const CLOUD_ACTIONS: Record<Cloud, string[]> = {
    aws: [ACTIONS.aws],
    azure: [ACTIONS.azure, ACTIONS.kubelogin],
    gcp: [ACTIONS.gcpAuth, ACTIONS.gcloud],
};

/** Names of long-lived keys the workflow must never hand to a job, whatever the cloud. */
const KEY_NAMES = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "ARM_CLIENT_SECRET",
    "AZURE_CLIENT_SECRET",
    "GOOGLE_CREDENTIALS",
    "credentials_json",
    "PULUMI_CONFIG_PASSPHRASE",
];

/** A GitHub expression, `${{ … }}`. */
const gh = (e: string) => `\${{ ${e} }}`;
const deployJobs = (wf: Workflow) => Object.entries(wf.jobs).filter(([id]) => id !== "test");
const step = (job: Job, uses: string) => job.steps.find((s) => s.uses === uses);

describe.each(CLOUDS)("the workflow for %s stacks", (cloud) => {
    const cloudUrlText = githubWorkflow(stacksOn(cloud));
    const wf = parse(cloudUrlText) as Workflow;
    const selfText = githubWorkflow(stacksOn(cloud), { backend: BACKENDS[cloud] });
    const self = parse(selfText) as Workflow;

    test("no long-lived key is named anywhere, with either backend", () => {
        for (const text of [cloudUrlText, selfText]) for (const k of KEY_NAMES) expect(text).not.toContain(k);
    });

    test("every preview and up job may ask GitHub for an OIDC token; the rest of the workflow may not", () => {
        expect(wf.permissions).toEqual({ contents: "read" });
        expect(wf.jobs["test"]?.permissions).toBeUndefined();
        expect(deployJobs(wf).map(([id]) => id)).toEqual(["preview-dev", "preview-prod", "up-dev", "up-prod"]);
        for (const [, job] of deployJobs(wf))
            expect(job.permissions).toMatchObject({ "id-token": "write", contents: "read" });
    });

    test("each job signs in to its own cloud only, before Pulumi runs", () => {
        const others = CLOUDS.filter((c) => c !== cloud).flatMap((c) => CLOUD_ACTIONS[c]);
        for (const [, job] of deployJobs(wf)) {
            const uses = job.steps.map((s) => s.uses).filter(Boolean);
            for (const a of CLOUD_ACTIONS[cloud]) expect(uses).toContain(a);
            for (const a of others) expect(uses).not.toContain(a);
            const pulumi = job.steps.findIndex((s) => s.uses === ACTIONS.pulumi);
            expect(pulumi).toBe(job.steps.length - 1);
            expect(uses.indexOf(CLOUD_ACTIONS[cloud][0] as string)).toBeLessThan(pulumi);
        }
        // Only this cloud's variables are read.
        const otherVars = CLOUDS.filter((c) => c !== cloud).flatMap((c) => CLOUD_VARIABLES[c]);
        for (const name of otherVars) expect(cloudUrlText).not.toContain(`vars.${name} `);
        for (const name of CLOUD_VARIABLES[cloud]) expect(cloudUrlText).toContain(`\${{ vars.${name} }}`);
    });

    test("Pulumi Cloud by default: the token secret, no backend URL", () => {
        for (const [, job] of deployJobs(wf)) {
            expect(job.env?.["PULUMI_ACCESS_TOKEN"]).toBe(gh("secrets.PULUMI_ACCESS_TOKEN"));
            expect(job.env?.["PULUMI_BACKEND_URL"]).toBeUndefined();
            expect(step(job, ACTIONS.pulumi)?.with?.["cloud-url"]).toBeUndefined();
        }
    });

    test("a self-managed backend: login to the bucket, the KMS key on stack init, no Pulumi token", () => {
        const b = BACKENDS[cloud];
        for (const [, job] of deployJobs(self)) {
            expect(job.env?.["PULUMI_ACCESS_TOKEN"]).toBeUndefined();
            expect(job.env?.["PULUMI_BACKEND_URL"]).toBe(b.url);
            expect(job.env?.["PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER"]).toBe("true");
            expect(step(job, ACTIONS.pulumi)?.with).toMatchObject({
                "cloud-url": b.url,
                "secrets-provider": b.secretsProvider,
                upsert: true,
            });
        }
        expect(selfText).not.toContain("PULUMI_ACCESS_TOKEN");
    });

    test("previews run for this repository's pull requests once the cloud's variables exist", () => {
        const gate = CLOUD_VARIABLES[cloud][0];
        for (const id of ["preview-dev", "preview-prod"]) {
            const job = wf.jobs[id] as Job;
            expect(job.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
            expect(job.if).toContain(`vars.${gate} != ''`);
            expect(job.permissions?.["pull-requests"]).toBe("write");
            expect(step(job, ACTIONS.pulumi)?.with).toMatchObject({ command: "preview", policyPacks: "policies" });
        }
    });
});

describe("each cloud's sign-in and Kubernetes token helper", () => {
    const jobOf = (cloud: Cloud) => (parse(githubWorkflow(stacksOn(cloud))) as Workflow).jobs["up-prod"] as Job;

    test("AWS: a role assumed in the stack's region; the AWS CLI for aws eks get-token", () => {
        const job = jobOf("aws");
        expect(step(job, ACTIONS.aws)?.with).toEqual({
            "role-to-assume": gh("vars.AWS_ROLE_ARN"),
            "aws-region": "us-east-1",
        });
        const cli = job.steps.find((s) => s.run?.includes("aws/install"));
        expect(cli?.run).toMatch(/command -v aws/);
        expect(job.env).toEqual({ PULUMI_ACCESS_TOKEN: gh("secrets.PULUMI_ACCESS_TOKEN") });
    });

    test("Azure: azure/login with three ids; the provider on OIDC; kubelogin without device code", () => {
        const job = jobOf("azure");
        expect(step(job, ACTIONS.azure)?.with).toEqual({
            "client-id": gh("vars.AZURE_CLIENT_ID"),
            "tenant-id": gh("vars.AZURE_TENANT_ID"),
            "subscription-id": gh("vars.AZURE_SUBSCRIPTION_ID"),
        });
        expect(job.env).toMatchObject({
            ARM_USE_OIDC: "true",
            ARM_CLIENT_ID: gh("vars.AZURE_CLIENT_ID"),
            ARM_TENANT_ID: gh("vars.AZURE_TENANT_ID"),
            ARM_SUBSCRIPTION_ID: gh("vars.AZURE_SUBSCRIPTION_ID"),
        });
        expect(step(job, ACTIONS.kubelogin)?.with?.["kubelogin-version"]).toMatch(/^v\d+\.\d+\.\d+$/);
        const renew = job.steps.find((s) => s.run?.includes("AAD_LOGIN_METHOD"))?.run ?? "";
        expect(renew).toContain("AAD_LOGIN_METHOD=workloadidentity");
        expect(renew).toContain("AZURE_FEDERATED_TOKEN_FILE=");
        expect(renew).toContain("audience=api://AzureADTokenExchange");
        // Renewed in the background for the rest of the job, not fetched once.
        expect(renew).toMatch(/nohup node .* loop .*&/);
        const kubelogin = job.steps.findIndex((s) => s.uses === ACTIONS.kubelogin);
        const pulumi = job.steps.findIndex((s) => s.uses === ACTIONS.pulumi);
        expect(kubelogin).toBeLessThan(pulumi);
    });

    test("GCP: a workload identity provider and a service account; gcloud with gke-gcloud-auth-plugin", () => {
        const job = jobOf("gcp");
        expect(step(job, ACTIONS.gcpAuth)?.with).toEqual({
            workload_identity_provider: gh("vars.GCP_WORKLOAD_IDENTITY_PROVIDER"),
            service_account: gh("vars.GCP_SERVICE_ACCOUNT"),
        });
        expect(step(job, ACTIONS.gcloud)?.with).toEqual({ install_components: "gke-gcloud-auth-plugin" });
        const auth = job.steps.findIndex((s) => s.uses === ACTIONS.gcpAuth);
        expect(auth).toBeLessThan(job.steps.findIndex((s) => s.uses === ACTIONS.gcloud));
    });

    test("stacks on two clouds: each job carries only its stack's cloud", () => {
        const wf = parse(
            githubWorkflow([
                { name: "dev", cloud: "gcp", region: "us-central1" },
                { name: "prod", cloud: "aws", region: "eu-west-1" },
            ]),
        ) as Workflow;
        const uses = (id: string) => (wf.jobs[id] as Job).steps.map((s) => s.uses);
        expect(uses("up-dev")).toContain(ACTIONS.gcpAuth);
        expect(uses("up-dev")).not.toContain(ACTIONS.aws);
        expect(uses("up-prod")).toContain(ACTIONS.aws);
        expect(uses("up-prod")).not.toContain(ACTIONS.gcpAuth);
        expect(step(wf.jobs["up-prod"] as Job, ACTIONS.aws)?.with?.["aws-region"]).toBe("eu-west-1");
    });
});

describe("checkBackend", () => {
    test.each(CLOUDS)("%s: its own storage and KMS pass", (cloud) => {
        const b = BACKENDS[cloud];
        expect(checkBackend([cloud, cloud], b.url, b.secretsProvider)).toEqual([]);
    });

    test("no flags: Pulumi Cloud, nothing to check", () => {
        expect(checkBackend(["aws"], undefined, undefined)).toEqual([]);
    });

    test("another cloud's storage or KMS is refused, naming the right scheme", () => {
        expect(checkBackend(["aws"], BACKENDS.gcp.url, BACKENDS.azure.secretsProvider)).toEqual([
            { path: "--backend", message: `for aws, give ${BACKEND_SCHEMES.aws.state}<bucket or container>` },
            { path: "--secrets-provider", message: "for aws, give a key URL starting awskms://" },
        ]);
    });

    test("a backend needs a KMS secrets provider; a secrets provider needs a backend", () => {
        expect(checkBackend(["gcp"], BACKENDS.gcp.url, undefined)).toEqual([
            { path: "--secrets-provider", message: "is required with --backend: a key URL starting gcpkms://" },
        ]);
        expect(checkBackend(["gcp"], undefined, BACKENDS.gcp.secretsProvider).map((p) => p.path)).toEqual([
            "--secrets-provider",
        ]);
    });

    test("Azure blob state names its storage account", () => {
        expect(checkBackend(["azure"], "azblob://state", BACKENDS.azure.secretsProvider)).toEqual([
            { path: "--backend", message: "name the storage account: azblob://<container>?storage_account=<account>" },
        ]);
    });

    test("one backend cannot serve stacks on two clouds", () => {
        const problems = checkBackend(["aws", "gcp"], BACKENDS.aws.url, BACKENDS.aws.secretsProvider);
        expect(problems).toEqual([
            {
                path: "--backend",
                message: "one state backend needs every stack on one cloud; the stacks are on aws, gcp",
            },
        ]);
    });
});

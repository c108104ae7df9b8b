import { readdirSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { loadStackFile } from "../../assessment/config";
import type { Cloud } from "../../components/shared/clouds";
import type { InputProblem } from "../../components/shared/errors";

/** One stack the workflow previews and deploys. */
export interface WorkflowStack {
    /** The stack (environment) name: dev, staging, prod. */
    name: string;
    /** The stack's own cloud: its jobs get this cloud's federated credentials and no other's. */
    cloud: Cloud;
    /** The cloud's region name, where the AWS credentials are scoped. */
    region: string;
}

/** State in the team's own object storage instead of Pulumi Cloud. */
export interface SelfManagedBackend {
    /** `pulumi login` URL: `s3://bucket`, `azblob://container?storage_account=name` or `gs://bucket`. */
    url: string;
    /** The KMS key that encrypts the stacks' secrets: `awskms://…`, `azurekeyvault://…` or `gcpkms://…`. */
    secretsProvider: string;
}

/**
 * Actions the workflow uses, pinned by major version as each action's README shows it. The majors
 * were read from each repository's tags and README (checkout v7, setup-node v7, pulumi/actions
 * v7, configure-aws-credentials v6, azure/login v3, use-kubelogin v1, auth v3, setup-gcloud v3).
 */
export const ACTIONS = {
    checkout: "actions/checkout@v7",
    setupNode: "actions/setup-node@v7",
    pulumi: "pulumi/actions@v7",
    aws: "aws-actions/configure-aws-credentials@v6",
    azure: "azure/login@v3",
    kubelogin: "azure/use-kubelogin@v1",
    gcpAuth: "google-github-actions/auth@v3",
    gcloud: "google-github-actions/setup-gcloud@v3",
} as const;

/** kubelogin release the workflow installs; the action's README asks for a pinned version. */
export const KUBELOGIN_VERSION = "v0.2.19";

/** Node.js major the jobs run on (an LTS line). */
const NODE_VERSION = 22;

/**
 * GitHub repository (or environment) variables holding each cloud's federation ids. They are ids,
 * not credentials, so they are variables rather than secrets; the variable each preview job is
 * gated on comes first.
 */
export const CLOUD_VARIABLES: Readonly<Record<Cloud, readonly string[]>> = {
    aws: ["AWS_ROLE_ARN"],
    azure: ["AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID"],
    gcp: ["GCP_WORKLOAD_IDENTITY_PROVIDER", "GCP_SERVICE_ACCOUNT"],
};

/** Each cloud's object storage scheme for the Pulumi state, and its KMS secrets provider. */
export const BACKEND_SCHEMES: Readonly<Record<Cloud, { state: string; secrets: string }>> = {
    aws: { state: "s3://", secrets: "awskms://" },
    azure: { state: "azblob://", secrets: "azurekeyvault://" },
    gcp: { state: "gs://", secrets: "gcpkms://" },
};

/**
 * Checks `--backend` and `--secrets-provider` against the stacks' cloud: state in that cloud's
 * object storage, secrets under that cloud's KMS (a passphrase would be one more long-lived secret
 * in CI). Every stack of the workflow must be on the backend's cloud, since each job only holds
 * its own cloud's credentials. Returns every problem; none when the flags are absent.
 */
export function checkBackend(
    clouds: readonly Cloud[],
    backend: string | undefined,
    secretsProvider: string | undefined,
): InputProblem[] {
    const problems: InputProblem[] = [];
    if (backend === undefined) {
        if (secretsProvider !== undefined)
            problems.push({
                path: "--secrets-provider",
                message: "only with --backend (Pulumi Cloud encrypts secrets itself)",
            });
        return problems;
    }
    const cloudsSeen = [...new Set(clouds)];
    if (cloudsSeen.length !== 1) {
        problems.push({
            path: "--backend",
            message: `one state backend needs every stack on one cloud; the stacks are on ${cloudsSeen.join(", ")}`,
        });
        return problems;
    }
    const cloud = cloudsSeen[0] as Cloud;
    const want = BACKEND_SCHEMES[cloud];
    if (!backend.startsWith(want.state) || backend.length === want.state.length)
        problems.push({ path: "--backend", message: `for ${cloud}, give ${want.state}<bucket or container>` });
    else if (cloud === "azure" && !/[?&]storage_account=[^&]+/.test(backend))
        problems.push({
            path: "--backend",
            message: "name the storage account: azblob://<container>?storage_account=<account>",
        });
    if (secretsProvider === undefined)
        problems.push({
            path: "--secrets-provider",
            message: `is required with --backend: a key URL starting ${want.secrets}`,
        });
    else if (!secretsProvider.startsWith(want.secrets) || secretsProvider.length === want.secrets.length)
        problems.push({ path: "--secrets-provider", message: `for ${cloud}, give a key URL starting ${want.secrets}` });
    return problems;
}

/** The stacks the workflow deploys: every stack file in `root/stacks`, with `current` (just written) first in line. */
export function workflowStacks(root: string, current: WorkflowStack): WorkflowStack[] {
    const dir = path.join(root, "stacks");
    const byName = new Map<string, WorkflowStack>([[current.name, current]]);
    let files: string[] = [];
    try {
        files = readdirSync(dir);
    } catch {
        // no stacks folder yet: only the new stack
    }
    for (const f of files) {
        const m = /^Pulumi\.(.+)\.ya?ml$/.exec(f);
        if (!m?.[1] || byName.has(m[1])) continue;
        const s = loadStackFile(path.join(dir, f), m[1]);
        byName.set(m[1], { name: m[1], cloud: s.cloud, region: s.region });
    }
    const order = (s: string) => (s === "dev" ? 0 : s === "staging" ? 1 : s === "prod" ? 3 : 2);
    return [...byName.values()].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
}

type Step = Record<string, unknown>;
/** A GitHub expression, `${{ … }}`. */
const gh = (e: string) => `\${{ ${e} }}`;
const v = (name: string) => gh(`vars.${name}`);

/** Job-level environment a cloud's jobs need; Azure's provider reads ARM_* and uses OIDC itself. */
function cloudEnv(cloud: Cloud): Record<string, string> {
    if (cloud !== "azure") return {};
    return {
        // pulumi-azure-native asks GitHub for a fresh token (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN)
        // whenever it needs one, so a long `pulumi up` outlives the few minutes a token lasts.
        ARM_USE_OIDC: "true",
        ARM_CLIENT_ID: v("AZURE_CLIENT_ID"),
        ARM_TENANT_ID: v("AZURE_TENANT_ID"),
        ARM_SUBSCRIPTION_ID: v("AZURE_SUBSCRIPTION_ID"),
    };
}

/**
 * Renews GitHub's OIDC token in a file every 4 minutes for as long as the job runs. GitHub's tokens
 * expire within minutes and the Azure CLI cannot renew the one `azure/login` gave it, so kubelogin
 * (in `workloadidentity` mode, overriding the kubeconfig's interactive `devicecode`) and the Azure
 * SDK behind an `azblob://` backend and `azurekeyvault://` secrets read the file instead.
 */
const AZURE_TOKEN_FILE_SCRIPT = `cat > "$RUNNER_TEMP/oidc-token.mjs" <<'EOF'
import { renameSync, writeFileSync } from "node:fs";
const [file, mode] = process.argv.slice(2);
const url = \`\${process.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange\`;
const headers = { Authorization: \`bearer \${process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}\` };
async function renew() {
    const r = await fetch(url, { headers });
    if (!r.ok) throw new Error(\`GitHub OIDC token: HTTP \${r.status}\`);
    writeFileSync(\`\${file}.new\`, (await r.json()).value);
    renameSync(\`\${file}.new\`, file);
}
if (mode === "once") await renew();
else setInterval(() => renew().catch((e) => console.error(e.message)), 240000);
EOF
token="$RUNNER_TEMP/azure-federated-token"
node "$RUNNER_TEMP/oidc-token.mjs" "$token" once
nohup node "$RUNNER_TEMP/oidc-token.mjs" "$token" loop >/dev/null 2>&1 &
{
  echo "AZURE_FEDERATED_TOKEN_FILE=$token"
  echo "AZURE_CLIENT_ID=$ARM_CLIENT_ID"
  echo "AZURE_TENANT_ID=$ARM_TENANT_ID"
  echo "AAD_LOGIN_METHOD=workloadidentity"
} >> "$GITHUB_ENV"
`;

/** Installs the AWS CLI where the runner lacks it (GitHub's hosted images ship it), without sudo. */
const AWS_CLI_SCRIPT = `if ! command -v aws >/dev/null; then
  curl -sSfL https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip -o "$RUNNER_TEMP/awscliv2.zip"
  unzip -q "$RUNNER_TEMP/awscliv2.zip" -d "$RUNNER_TEMP"
  "$RUNNER_TEMP/aws/install" -i "$HOME/.local/aws-cli" -b "$HOME/.local/bin"
  echo "$HOME/.local/bin" >> "$GITHUB_PATH"
fi
`;

/**
 * The stack's cloud: short-lived credentials from GitHub's OIDC token, and what the Kubernetes
 * provider's kubeconfig runs for a token (aws eks get-token, kubelogin, gke-gcloud-auth-plugin).
 * Installed for every stack of that cloud, not only those at a Kubernetes level today: the level
 * follows the workload, which changes without this file being rewritten.
 */
function cloudSteps(s: WorkflowStack): Step[] {
    switch (s.cloud) {
        case "aws":
            return [
                {
                    name: "AWS credentials from GitHub OIDC",
                    uses: ACTIONS.aws,
                    with: { "role-to-assume": v("AWS_ROLE_ARN"), "aws-region": s.region },
                },
                { name: "AWS CLI (aws eks get-token)", run: AWS_CLI_SCRIPT },
            ];
        case "azure":
            return [
                {
                    name: "Azure login from GitHub OIDC",
                    uses: ACTIONS.azure,
                    with: {
                        "client-id": v("AZURE_CLIENT_ID"),
                        "tenant-id": v("AZURE_TENANT_ID"),
                        "subscription-id": v("AZURE_SUBSCRIPTION_ID"),
                    },
                },
                { name: "kubelogin", uses: ACTIONS.kubelogin, with: { "kubelogin-version": KUBELOGIN_VERSION } },
                { name: "Renewed GitHub OIDC token for kubelogin and the Azure SDK", run: AZURE_TOKEN_FILE_SCRIPT },
            ];
        case "gcp":
            return [
                {
                    name: "Google credentials from GitHub OIDC",
                    uses: ACTIONS.gcpAuth,
                    with: {
                        workload_identity_provider: v("GCP_WORKLOAD_IDENTITY_PROVIDER"),
                        service_account: v("GCP_SERVICE_ACCOUNT"),
                    },
                },
                {
                    name: "gcloud with gke-gcloud-auth-plugin",
                    uses: ACTIONS.gcloud,
                    with: { install_components: "gke-gcloud-auth-plugin" },
                },
            ];
    }
}

/** A job id GitHub accepts, from a stack name. */
const jobId = (prefix: string, stack: string) => `${prefix}-${stack.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/**
 * A GitHub Actions workflow: on every pull request, install, test and run the offline plan of
 * each stack, then `pulumi preview` with the policy pack per stack; on main, `pulumi up` per
 * environment in order, prod last behind a GitHub environment with required reviewers (the
 * approval step). Each stack's jobs sign in to that stack's cloud only, through GitHub's OIDC
 * federation: no cloud key is stored anywhere. State is in Pulumi Cloud (`PULUMI_ACCESS_TOKEN`)
 * unless `backend` names the team's own bucket and KMS key.
 */
export function githubWorkflow(stacks: readonly WorkflowStack[], opts: { backend?: SelfManagedBackend } = {}): string {
    const { backend } = opts;
    const setup: Step[] = [
        { uses: ACTIONS.checkout },
        { uses: ACTIONS.setupNode, with: { "node-version": NODE_VERSION, cache: "npm" } },
        { name: "Install", run: "npm ci" },
    ];
    const policyInstall = { name: "Install the policy pack", run: "npm ci --prefix policies" };
    // Where state lives. The action logs in to cloud-url and, when it creates a stack, passes
    // secrets-provider to `pulumi stack init`; with a KMS key no passphrase exists anywhere.
    const stateInputs: Record<string, string> = backend
        ? { "cloud-url": backend.url, "secrets-provider": backend.secretsProvider }
        : {};
    const stateEnv: Record<string, string> = backend
        ? {
              PULUMI_BACKEND_URL: backend.url,
              // A fresh checkout may lack the stack file's secretsprovider/encryptedkey lines; the
              // state records the KMS key, so use it rather than a new passphrase provider.
              PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
          }
        : { PULUMI_ACCESS_TOKEN: gh("secrets.PULUMI_ACCESS_TOKEN") };
    const deployPermissions = { contents: "read", "id-token": "write" };

    const jobs: Record<string, unknown> = {
        test: {
            name: "Test and offline plan",
            "runs-on": "ubuntu-latest",
            steps: [
                ...setup,
                { name: "Test", run: "npm test" },
                ...stacks.map((s) => ({
                    name: `Offline plan of ${s.name}`,
                    run: `npx mlops-levels plan --stack ${s.name}`,
                })),
            ],
        },
    };
    for (const s of stacks) {
        const gate = CLOUD_VARIABLES[s.cloud][0];
        const preview: Step = {
            name: "pulumi preview with the policy pack",
            uses: ACTIONS.pulumi,
            with: {
                command: "preview",
                "stack-name": s.name,
                policyPacks: "policies",
                "comment-on-pr": true,
                upsert: true,
                ...stateInputs,
            },
        };
        jobs[jobId("preview", s.name)] = {
            name: `Preview ${s.name}`,
            // A fork's pull request gets no OIDC token; a repository without the cloud's variables
            // has not set up federation yet. Both skip the preview; the offline plan still ran.
            if: `github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository && vars.${gate} != ''`,
            needs: "test",
            "runs-on": "ubuntu-latest",
            permissions: { ...deployPermissions, "pull-requests": "write" },
            env: { ...cloudEnv(s.cloud), ...stateEnv },
            steps: [...setup, policyInstall, ...cloudSteps(s), preview],
        };
    }
    let previous = "test";
    for (const s of stacks) {
        const id = jobId("up", s.name);
        jobs[id] = {
            name: `pulumi up ${s.name}`,
            if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
            needs: previous,
            "runs-on": "ubuntu-latest",
            // A GitHub environment named like the stack: give `prod` required reviewers for approval,
            // and its own variables to deploy into another account, subscription or project.
            environment: s.name,
            concurrency: { group: `pulumi-${s.name}`, "cancel-in-progress": false },
            permissions: deployPermissions,
            env: { ...cloudEnv(s.cloud), ...stateEnv },
            steps: [
                ...setup,
                policyInstall,
                ...cloudSteps(s),
                {
                    name: "pulumi up with the policy pack",
                    uses: ACTIONS.pulumi,
                    with: {
                        command: "up",
                        "stack-name": s.name,
                        policyPacks: "policies",
                        upsert: true,
                        ...stateInputs,
                    },
                },
            ],
        };
        previous = id;
    }
    const wf = {
        name: "mlops-levels",
        on: { pull_request: { branches: ["main"] }, push: { branches: ["main"] } },
        permissions: { contents: "read" },
        jobs,
    };
    const clouds = [...new Set(stacks.map((s) => s.cloud))];
    const header = [
        "# Written by `mlops-levels init --ci github`. Credentials come from GitHub's OIDC federation;",
        "# the README says what to create once on the cloud. Repository (or environment) variables:",
        ...clouds.map((c) => `#   ${c}: ${CLOUD_VARIABLES[c].join(", ")}`),
        backend
            ? `# State: ${backend.url}, secrets under ${backend.secretsProvider}.`
            : "# State: Pulumi Cloud; set the secret PULUMI_ACCESS_TOKEN.",
    ];
    return `${header.join("\n")}\n${stringify(wf, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}

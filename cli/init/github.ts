import { stringify } from "yaml";

/**
 * A GitHub Actions workflow: on every pull request, install, test and run the offline plan of
 * each stack; where Pulumi credentials are configured, `pulumi preview` with the policy pack. On
 * main, `pulumi up` per environment in order, prod behind a GitHub environment with required
 * reviewers (the approval step).
 */
export function githubWorkflow(stacks: readonly string[]): string {
    const setup = [
        { uses: "actions/checkout@v4" },
        { uses: "actions/setup-node@v4", with: { "node-version": 20, cache: "npm" } },
        { name: "Install", run: "npm ci" },
    ];
    const policyInstall = { name: "Install the policy pack", run: "npm ci --prefix policies" };
    const env = {
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        AWS_ACCESS_KEY_ID: "${{ secrets.AWS_ACCESS_KEY_ID }}",
        AWS_SECRET_ACCESS_KEY: "${{ secrets.AWS_SECRET_ACCESS_KEY }}",
        ARM_CLIENT_ID: "${{ secrets.ARM_CLIENT_ID }}",
        ARM_CLIENT_SECRET: "${{ secrets.ARM_CLIENT_SECRET }}",
        ARM_TENANT_ID: "${{ secrets.ARM_TENANT_ID }}",
        ARM_SUBSCRIPTION_ID: "${{ secrets.ARM_SUBSCRIPTION_ID }}",
        GOOGLE_CREDENTIALS: "${{ secrets.GOOGLE_CREDENTIALS }}",
    };
    const jobs: Record<string, unknown> = {
        test: {
            name: "Test and offline plan",
            "runs-on": "ubuntu-latest",
            steps: [
                ...setup,
                { name: "Test", run: "npm test" },
                ...stacks.map((s) => ({ name: `Offline plan of ${s}`, run: `npx mlops-levels plan --stack ${s}` })),
            ],
        },
        preview: {
            name: "Preview ${{ matrix.stack }}",
            if: "github.event_name == 'pull_request'",
            needs: "test",
            "runs-on": "ubuntu-latest",
            strategy: { matrix: { stack: [...stacks] } },
            env: { HAS_PULUMI_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN != '' }}" },
            steps: [
                ...setup,
                policyInstall,
                {
                    name: "pulumi preview with the policy pack",
                    if: "env.HAS_PULUMI_TOKEN == 'true'",
                    uses: "pulumi/actions@v6",
                    with: {
                        command: "preview",
                        "stack-name": "${{ matrix.stack }}",
                        policyPacks: "policies",
                        "comment-on-pr": true,
                    },
                    env,
                },
                {
                    name: "No Pulumi credentials",
                    if: "env.HAS_PULUMI_TOKEN != 'true'",
                    run: "echo 'PULUMI_ACCESS_TOKEN is not set: only the offline plan ran.'",
                },
            ],
        },
    };
    let previous = "test";
    for (const s of stacks) {
        const id = `up-${s.replace(/[^A-Za-z0-9_-]/g, "-")}`;
        jobs[id] = {
            name: `pulumi up ${s}`,
            if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
            needs: previous,
            "runs-on": "ubuntu-latest",
            // A GitHub environment named like the stack; give `prod` required reviewers for approval.
            environment: s,
            concurrency: { group: `pulumi-${s}`, "cancel-in-progress": false },
            steps: [
                ...setup,
                policyInstall,
                {
                    uses: "pulumi/actions@v6",
                    with: { command: "up", "stack-name": s, policyPacks: "policies", upsert: true },
                    env,
                },
            ],
        };
        previous = id;
    }
    const wf = {
        name: "mlops-levels",
        on: { pull_request: { branches: ["main"] }, push: { branches: ["main"] } },
        permissions: { contents: "read", "pull-requests": "write" },
        jobs,
    };
    return `# Written by \`mlops-levels init --ci github\`. Secrets: PULUMI_ACCESS_TOKEN and your cloud's credentials.\n${stringify(wf, { lineWidth: 0 })}`;
}

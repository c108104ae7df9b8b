import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { parse } from "yaml";
import { loadStackFile } from "../../assessment/config";
import { runInit } from "../../cli/init";
import { parseDuration, parseSizeGb } from "../../cli/init/units";
import { InputError } from "../../components/shared/errors";
import { tempDir } from "../helpers/tmp";

const root = path.resolve(__dirname, "../..");
const tmp = () => tempDir("init");
const quiet = { log: () => {}, error: () => {} };

/**
 * Drives the real prompts through a scripted terminal: waits until the screen shows `expect`, then
 * types `answer` and Enter. Everything the prompts printed is returned for assertions.
 */
function scripted(steps: [expect: RegExp, keys: string][]) {
    const input = new PassThrough();
    // Each prompt pipes into the output and ends the pipe when it closes; a terminal never ends,
    // so neither does this one.
    const output = new PassThrough();
    output.end = (() => output) as typeof output.end;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escapes
    const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    let screen = "";
    let consumed = 0;
    let i = 0;
    output.on("data", (chunk: Buffer) => {
        screen += chunk.toString();
        const plain = strip(screen);
        const step = steps[i];
        // Only what appeared since the last answer counts, so a question is answered once.
        if (step?.[0].test(plain.slice(consumed))) {
            consumed = plain.length;
            i++;
            setImmediate(() => input.write(step[1]));
        }
    });
    return { io: { input, output }, screen: () => strip(screen), done: () => i };
}

const ENTER = "\r";
const DOWN = "\x1b[B";
const BACKSPACE = "\x7f";

describe("units in the user's words", () => {
    test.each([
        ["20", 20],
        ["500 MB", 0.5],
        ["2 TB", 2000],
        ["1.5tb", 1500],
    ])("size %p is %p GB", (s, gb) => expect(parseSizeGb(s)).toEqual({ ok: true, value: gb }));
    test.each([
        ["30 s", "seconds", 30],
        ["5 min", "seconds", 300],
        ["1 day", "seconds", 86400],
        ["90 min", "hours", 1.5],
        ["2", "hours", 2],
    ] as const)("duration %p in %p is %p", (s, unit, v) =>
        expect(parseDuration(s, unit)).toEqual({ ok: true, value: v }),
    );
    test("nonsense is refused with an example", () => {
        expect(parseSizeGb("lots")).toMatchObject({ ok: false, error: expect.stringMatching(/e\.g\.|such as/) });
        expect(parseSizeGb("5 parsecs")).toMatchObject({
            ok: false,
            error: "unknown unit 'parsecs': use MB, GB or TB",
        });
    });
});

describe("init, interactive", () => {
    test("a whole questionnaire, with a wrong answer corrected on the spot, writes a stack file plan accepts", async () => {
        const dir = tmp();
        const t = scripted([
            [/Which cloud\?/, `${DOWN}${DOWN}${ENTER}`], // gcp
            [/Region/, ENTER], // default us-central1
            [/GCP project id/, `forecasting-prod${ENTER}`],
            [/data \/ feature pipeline\?/, ENTER],
            [/one batch run process\?/, `lots${ENTER}`], // refused on the spot
            [/give a size such as/, `${BACKSPACE.repeat(4)}2 TB${ENTER}`],
            [/How stale may features be\?/, ENTER], // default 1 day
            [/train models here\?/, ENTER],
            [/How big is the training set\?/, `30 GB${ENTER}`],
            [/What kind of data\?/, `${DOWN}${ENTER}`], // unstructured
            [/on one machine\?/, `90 min${ENTER}`],
            [/at most\?/, `12 h${ENTER}`],
            [/serve predictions here\?/, ENTER],
            [/How are predictions made\?/, `${DOWN}${DOWN}${ENTER}`], // online
            [/Peak requests per second\?/, `40${ENTER}`],
            [/Write stacks\/Pulumi\.prod\.yaml\?/, ENTER],
        ]);
        const logs: string[] = [];
        await runInit({ stack: "prod", root: dir }, { log: (s) => logs.push(s), error: () => {} }, t.io);
        expect(t.screen()).toContain("give a size such as 20, 500 MB or 2 TB");
        const file = path.join(dir, "stacks/Pulumi.prod.yaml");
        const text = readFileSync(file, "utf8");
        // The reasons travel as comments; the file is valid stack config with the expected levels.
        expect(text).toMatch(/# level 2: volumeGb 2000 > singleMachineMemoryGb 128/);
        expect(text).toMatch(/# level 4: mode online and peakQps 40 <= singleEndpointQps 500/);
        const s = loadStackFile(file);
        expect(s.cloud).toBe("gcp");
        expect(s.region).toBe("us-central1");
        expect(s.levels.effective).toEqual({ data: 2, training: 1, inference: 4 });
        expect(s.levels.gpu).toBe(true);
        expect(s.workload.data?.freshnessSeconds).toBe(86400);
        expect(s.workload.training?.singleMachineHours).toBe(1.5);
        expect(parse(text).config["gcp:project"]).toBe("forecasting-prod");
        expect(logs.join("\n")).toMatch(/data\s+2\s+a managed Spark cluster/);
        // The estimate comes from planning the answers offline.
        expect(logs.join("\n")).toMatch(/Estimated monthly cost: \$[\d,]+\.\d\d \(idle \$[\d,]+\.\d\d\)/);
    });

    test("the stack name and the overwrite are settled first: a taken name offers another, nothing is overwritten", async () => {
        const dir = tmp();
        mkdirSync(path.join(dir, "stacks"));
        writeFileSync(path.join(dir, "stacks/Pulumi.dev.yaml"), "keep me\n");
        const t = scripted([
            // The default skips the taken name.
            [/Stack \(environment\) name.*staging/, `${BACKSPACE.repeat(7)}dev${ENTER}`],
            [/exists\. What now\?/, ENTER], // first choice: use another stack name
            [/Stack \(environment\) name/, `dev${ENTER}`], // still taken: refused on the spot
            [/exists too/, `${BACKSPACE.repeat(3)}team-a${ENTER}`],
            [/data \/ feature pipeline\?/, ENTER],
            [/one batch run process\?/, `5${ENTER}`],
            [/How stale/, ENTER],
            [/train models here\?/, `n${ENTER}`],
            [/serve predictions here\?/, `n${ENTER}`],
            [/Write stacks\/Pulumi\.team-a\.yaml\?/, ENTER],
        ]);
        await runInit({ cloud: "aws", region: "us-east-1", root: dir }, quiet, t.io);
        expect(t.done()).toBe(10);
        expect(readFileSync(path.join(dir, "stacks/Pulumi.dev.yaml"), "utf8")).toBe("keep me\n");
        expect(loadStackFile(path.join(dir, "stacks/Pulumi.team-a.yaml")).levels.effective).toEqual({ data: 1 });
    });

    test("a region the cloud lacks is refused as it is typed, with the nearest names", async () => {
        const dir = tmp();
        const t = scripted([
            [/Stack \(environment\) name/, ENTER],
            [/Which cloud\?/, ENTER], // aws
            [/Region/, `${BACKSPACE.repeat(9)}eastus${ENTER}`],
            [/'eastus' is not an AWS region/, `${BACKSPACE.repeat(6)}us-east-2${ENTER}`],
            [/data \/ feature pipeline\?/, ENTER],
            [/one batch run process\?/, `5${ENTER}`],
            [/How stale/, ENTER],
            [/train models here\?/, `n${ENTER}`],
            [/serve predictions here\?/, `n${ENTER}`],
            [/Write stacks\/Pulumi\.dev\.yaml\?/, ENTER],
        ]);
        await runInit({ root: dir }, quiet, t.io);
        expect(loadStackFile(path.join(dir, "stacks/Pulumi.dev.yaml")).region).toBe("us-east-2");
    });

    test("a refusal after the questions keeps the answers in a file the error names, and --answers resumes", async () => {
        const dir = tmp();
        const t = scripted([
            [/Which cloud\?/, `${DOWN}${DOWN}${ENTER}`], // gcp
            [/Region/, `${BACKSPACE.repeat(11)}africa-south1${ENTER}`], // a region, but without Batch
            [/GCP project id/, `forecasting-prod${ENTER}`],
            [/data \/ feature pipeline\?/, ENTER],
            [/one batch run process\?/, `5${ENTER}`],
            [/How stale/, ENTER],
            [/train models here\?/, `n${ENTER}`],
            [/serve predictions here\?/, `n${ENTER}`],
        ]);
        const err = await runInit({ stack: "prod", root: dir }, quiet, t.io).catch((e) => e);
        expect(err).toBeInstanceOf(InputError);
        const saved = path.join(dir, "mlops-levels-init.prod.yaml");
        expect((err as InputError).problems).toEqual([
            expect.objectContaining({
                file: saved,
                path: "config.mlops:region",
                message: expect.stringMatching(/does not offer Batch/),
            }),
            expect.objectContaining({ file: saved, message: expect.stringMatching(/--answers/) }),
        ]);
        // Nothing names the stack file that was not written.
        expect((err as InputError).message).not.toMatch(/stacks\/Pulumi\.prod\.yaml:/);
        expect(existsSync(path.join(dir, "stacks/Pulumi.prod.yaml"))).toBe(false);
        const answers = parse(readFileSync(saved, "utf8")).config;
        expect(answers).toMatchObject({ "gcp:project": "forecasting-prod", "mlops:region": "africa-south1" });
        // Fix the one value, resume, and the stack file is written from the saved answers.
        writeFileSync(
            saved,
            readFileSync(saved, "utf8").replace("mlops:region: africa-south1", "mlops:region: europe-west1"),
        );
        await runInit({ stack: "prod", root: dir, answers: saved }, quiet);
        const s = loadStackFile(path.join(dir, "stacks/Pulumi.prod.yaml"));
        expect(s.region).toBe("europe-west1");
        expect(s.levels.effective).toEqual({ data: 1 });
    });
});

describe("init, non-interactive", () => {
    test("--profile with --yes writes the file; it round-trips through plan --config's loader", async () => {
        const dir = tmp();
        await runInit(
            {
                cloud: "aws",
                profile: path.join(root, "examples/profiles/team-forecasting.yaml"),
                yes: true,
                root: dir,
                stack: "staging",
            },
            quiet,
        );
        const s = loadStackFile(path.join(dir, "stacks/Pulumi.staging.yaml"));
        expect(s.levels.effective).toEqual({ data: 1, training: 1, inference: 1 });
        expect(s.capacity.singleMachineMemoryGb).toBe(128);
        expect(s.region).toBe("us-east-1");
    });

    test("flags in the user's units", async () => {
        const dir = tmp();
        await runInit(
            {
                cloud: "azure",
                region: "westeurope",
                dataGb: "300 GB",
                freshness: "1 day",
                inference: "online",
                peakQps: "900",
                yes: true,
                root: dir,
            },
            quiet,
        );
        const s = loadStackFile(path.join(dir, "stacks/Pulumi.dev.yaml"));
        expect(s.levels.effective).toEqual({ data: 2, inference: 5 });
    });

    test("without a terminal it fails at once, naming what is missing", async () => {
        const err = await runInit({ root: tmp() }, quiet, {}).catch((e) => e);
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).problems.map((p) => p.path)).toEqual(["--cloud", "--profile"]);
    });

    test("the binary with no stdin never hangs: exit 2 and a message", () => {
        const r = spawnSync("node", [path.join(root, "cli/bin.js"), "init", "--stack", "x"], {
            cwd: tmp(),
            encoding: "utf8",
            input: "",
            timeout: 30000,
        });
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/--cloud: is required without a terminal/);
    });

    test("an existing file needs --force, and is refused before anything is planned", async () => {
        const dir = tmp();
        const o = { cloud: "aws", dataGb: "5", yes: true, root: dir };
        await runInit(o, quiet);
        const logs: string[] = [];
        await expect(runInit(o, { log: (s) => logs.push(s), error: () => {} })).rejects.toThrow(
            `${path.join(dir, "stacks/Pulumi.dev.yaml")}: exists; not overwritten (use --force`,
        );
        expect(logs).toEqual([]);
        await expect(runInit({ ...o, force: true, dataGb: "500" }, quiet)).resolves.toBeUndefined();
        expect(loadStackFile(path.join(dir, "stacks/Pulumi.dev.yaml")).levels.effective).toEqual({ data: 2 });
    });

    test("--force replaces the answers but keeps the secrets provider and the keys init does not write", async () => {
        const dir = tmp();
        const file = path.join(dir, "stacks/Pulumi.dev.yaml");
        const o = { cloud: "aws", dataGb: "5", yes: true, root: dir };
        await runInit(o, quiet);
        const first = parse(readFileSync(file, "utf8"));
        first.secretsprovider = "awskms://alias/pulumi?region=us-east-1";
        first.encryptedkey = "AQICAHh-key";
        first.config["aws:profile"] = "ml";
        first.config["mlops:region"] = "eu-west-1";
        writeFileSync(file, JSON.stringify(first));
        await runInit({ ...o, force: true, dataGb: "500" }, quiet);
        const second = parse(readFileSync(file, "utf8"));
        expect(second.secretsprovider).toBe("awskms://alias/pulumi?region=us-east-1");
        expect(second.encryptedkey).toBe("AQICAHh-key");
        expect(second.config["aws:profile"]).toBe("ml");
        // The answers win over the old file's mlops keys.
        expect(second.config["mlops:region"]).toBe("us-east-1");
        expect(second.config["mlops:workload"]).toEqual({ data: { volumeGb: 500 } });
    });
});

describe("init --ci github", () => {
    test("writes a workflow: tests and offline plan on pull requests, preview per stack, up on main with prod last", async () => {
        const dir = tmp();
        for (const s of ["dev", "prod"])
            await runInit(
                { cloud: "aws", dataGb: "5", yes: true, root: dir, stack: s, ci: "github", force: true },
                quiet,
            );
        const wfFile = path.join(dir, ".github/workflows/mlops-levels.yml");
        expect(existsSync(wfFile)).toBe(true);
        const wf = parse(readFileSync(wfFile, "utf8"));
        expect(Object.keys(wf.on).sort()).toEqual(["pull_request", "push"]);
        const runs = (job: { steps: { run?: string }[] }) => job.steps.map((s) => s.run).filter(Boolean);
        expect(runs(wf.jobs.test)).toEqual([
            "npm ci",
            "npm test",
            "npx mlops-levels plan --stack dev",
            "npx mlops-levels plan --stack prod",
        ]);
        const pulumiStep = (id: string) =>
            wf.jobs[id].steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
        expect(pulumiStep("preview-prod").with).toMatchObject({ command: "preview", "stack-name": "prod" });
        expect(wf.jobs["preview-dev"].needs).toBe("test");
        expect(wf.jobs["up-dev"].needs).toBe("test");
        expect(wf.jobs["up-prod"].needs).toBe("up-dev");
        expect(wf.jobs["up-prod"].environment).toBe("prod");
        expect(wf.jobs["up-prod"].if).toMatch(/refs\/heads\/main/);
        expect(pulumiStep("up-prod").with).toMatchObject({
            command: "up",
            "stack-name": "prod",
            policyPacks: "policies",
        });
        // The stack file's region reaches the AWS sign-in.
        const aws = wf.jobs["up-prod"].steps.find((s: { uses?: string }) => s.uses?.startsWith("aws-actions/"));
        expect(aws.with["aws-region"]).toBe("us-east-1");
    });

    test("--backend and --secrets-provider put state in the team's bucket", async () => {
        const dir = tmp();
        await runInit(
            {
                cloud: "gcp",
                gcpProject: "p",
                dataGb: "5",
                yes: true,
                root: dir,
                ci: "github",
                backend: "gs://team-state",
                secretsProvider: "gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k",
            },
            quiet,
        );
        const text = readFileSync(path.join(dir, ".github/workflows/mlops-levels.yml"), "utf8");
        const wf = parse(text);
        expect(wf.jobs["up-dev"].env.PULUMI_BACKEND_URL).toBe("gs://team-state");
        expect(text).not.toContain("PULUMI_ACCESS_TOKEN");
    });

    test("a backend on another cloud is refused before anything is written", async () => {
        const dir = tmp();
        const err = await runInit(
            {
                cloud: "azure",
                dataGb: "5",
                yes: true,
                root: dir,
                ci: "github",
                backend: "s3://team-state",
                secretsProvider: "awskms://alias/pulumi",
            },
            quiet,
        ).catch((e) => e);
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).problems.map((p) => p.path)).toEqual(["--backend", "--secrets-provider"]);
        expect(existsSync(path.join(dir, "stacks"))).toBe(false);
    });

    test("--backend without --ci github is refused", async () => {
        const err = await runInit(
            { cloud: "aws", dataGb: "5", yes: true, root: tmp(), backend: "s3://x" },
            quiet,
        ).catch((e) => e);
        expect((err as InputError).problems.map((p) => p.path)).toEqual(["--backend"]);
    });
});

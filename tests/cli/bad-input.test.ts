import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as planStack from "../../cli/plan/plan-stack";
import { runCli } from "../helpers/cli";
import { tempDir } from "../helpers/tmp";

/**
 * Bad input of every kind, through the real CLI entry (`main`, which cli/bin.js calls with
 * process.argv): each exits 2 with exactly one message that names the file and the key path, no
 * stack trace, and nothing planned.
 */

const root = path.resolve(__dirname, "../..");
const tmp = tempDir("bad-input");
const DIR = path.join(tmp, "a-directory");
mkdirSync(DIR);

function file(name: string, text: string): string {
    const f = path.join(tmp, name);
    writeFileSync(f, text);
    return f;
}

const run = runCli;

/** A stack file whose `mlops:*` keys are `keys` (YAML text of the config map's lines). */
const stack = (...lines: string[]) => `config:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
const AWS = ["mlops:cloud: aws", "mlops:region: us-east-1"];
const DATA = "mlops:workload: { data: { volumeGb: 5 } }";
const GPU_TRAINING =
    "mlops:workload: { training: { datasetGb: 3, dataKind: unstructured, singleMachineHours: 1, slaHours: 2 } }";
const INFERENCE = (i: string) => `mlops:workload: { inference: { ${i} } }`;

interface Case {
    /** What is wrong, for the test name. */
    what: string;
    /** The command line; `{file}` in a stack-file case is the file written from `text`. */
    args: string[];
    /** Stack file text to write as `name` (default Pulumi.bad.yaml in a fresh folder). */
    text?: string;
    name?: string;
    /** The file the message must name (default: the stack file); null for flags with no file. */
    file?: string | null;
    /** The key path the message must name ("" for a file-level problem). */
    path: string;
    /** What the message says. */
    message: RegExp;
}

let n = 0;
/** A plan --config case from a stack file's text. */
const cfg = (what: string, text: string, keyPath: string, message: RegExp, name = "Pulumi.bad.yaml"): Case => ({
    what,
    args: ["plan", "--config", "{file}"],
    text,
    name,
    path: keyPath,
    message,
});

const CASES: Case[] = [
    // Regions: names the cloud does not have, and services a level needs that the region lacks.
    cfg(
        "an Azure region on AWS",
        stack("mlops:cloud: aws", "mlops:region: eastus", DATA),
        "config.mlops:region",
        /'eastus' is not an AWS region \('eastus' is an Azure region, but mlops:cloud is aws\); nearest: /,
    ),
    cfg(
        "an AWS region on Azure",
        stack("mlops:cloud: azure", "mlops:region: us-east-1", DATA),
        "config.mlops:region",
        /'us-east-1' is not an Azure region \('us-east-1' is an AWS region/,
    ),
    cfg(
        "an Azure region on GCP",
        stack("gcp:project: my-proj-123", "mlops:cloud: gcp", "mlops:region: eastus", DATA),
        "config.mlops:region",
        /'eastus' is not a GCP region/,
    ),
    cfg(
        "a region no cloud has",
        stack("mlops:cloud: aws", "mlops:region: mars-central-1", DATA),
        "config.mlops:region",
        /'mars-central-1' is not an AWS region; nearest: ca-central-1, me-central-1, mx-central-1/,
    ),
    cfg(
        "a misspelt GCP region",
        stack("gcp:project: my-proj-123", "mlops:cloud: gcp", "mlops:region: us-centrall", DATA),
        "config.mlops:region",
        /nearest: us-central1/,
    ),
    cfg(
        "a GCP region without G2 GPUs for GPU training",
        stack("gcp:project: my-proj-123", "mlops:cloud: gcp", "mlops:region: southamerica-west1", GPU_TRAINING),
        "config.mlops:region",
        /does not offer G2 machines \(NVIDIA L4\) \(training level 1\); regions that offer everything/,
    ),
    cfg(
        "a GCP region without Batch for a level-1 job",
        stack("gcp:project: my-proj-123", "mlops:cloud: gcp", "mlops:region: africa-south1", DATA),
        "config.mlops:region",
        /'africa-south1' does not offer Batch \(data level 1\)/,
    ),
    cfg(
        "an Azure region without serverless T4 GPUs for GPU training",
        stack("mlops:cloud: azure", "mlops:region: northeurope", GPU_TRAINING),
        "config.mlops:region",
        /does not offer Container Apps serverless GPU, NVIDIA T4 .*\(training level 1\)/,
    ),
    // Image references.
    cfg(
        "an image reference with a space and !!",
        stack(...AWS, DATA, "mlops:options: { images: { inference: 'my registry/model:latest!!' } }"),
        "config.mlops:options.images.inference",
        /"my registry\/model:latest!!" is not an image reference/,
    ),
    cfg(
        "an image path with capitals",
        stack(...AWS, DATA, "mlops:options: { images: { data: 'Team/Model:1' } }"),
        "config.mlops:options.images.data",
        /is not an image reference/,
    ),
    cfg(
        "an image tag of 129 characters",
        stack(...AWS, DATA, `mlops:options: { images: { training: 'team/model:${"a".repeat(129)}' } }`),
        "config.mlops:options.images.training",
        /is not an image reference/,
    ),
    // Stack names.
    cfg(
        "a stack name with a space",
        stack(...AWS, DATA),
        "stack",
        /'My Stack' is not a stack name Pulumi accepts/,
        "Pulumi.My Stack.yaml",
    ),
    cfg(
        "a stack name with capitals",
        stack(...AWS, DATA),
        "stack",
        /'Prod' has capitals.*use 'prod'/,
        "Pulumi.Prod.yaml",
    ),
    // Numbers YAML turns into Infinity and NaN.
    cfg(
        "1e309",
        stack(...AWS, "mlops:workload: { data: { volumeGb: 1e309 } }"),
        "config.mlops:workload.data.volumeGb",
        /volumeGb must be a number \(got infinity \(.inf, or a number too large to hold such as 1e309\)\)/,
    ),
    cfg(
        ".nan",
        stack(...AWS, "mlops:workload: { data: { volumeGb: .nan } }"),
        "config.mlops:workload.data.volumeGb",
        /got \.nan \(not a number\)/,
    ),
    cfg(
        "-.inf",
        stack(
            ...AWS,
            "mlops:workload: { training: { datasetGb: 1, dataKind: structured, singleMachineHours: -.inf, slaHours: 2 } }",
        ),
        "config.mlops:workload.training.singleMachineHours",
        /got -infinity/,
    ),
    // Keys another mode reads.
    cfg(
        "peakQps on batch scoring",
        stack(...AWS, INFERENCE("mode: batch, volumeGb: 5, peakQps: 40")),
        "config.mlops:workload.inference.peakQps",
        /peakQps is for mode 'online' only; mode 'batch' would ignore it/,
    ),
    cfg(
        "eventsPerSecond on online serving",
        stack(...AWS, INFERENCE("mode: online, peakQps: 40, eventsPerSecond: 9")),
        "config.mlops:workload.inference.eventsPerSecond",
        /eventsPerSecond is for mode 'streaming' only/,
    ),
    cfg(
        "an unknown mode",
        stack(...AWS, INFERENCE("mode: realtime")),
        "config.mlops:workload.inference.mode",
        /mode must be 'batch', 'streaming' or 'online' \(got "realtime"\)/,
    ),
    // The checks that were there before.
    cfg(
        "an unknown cloud",
        stack("mlops:cloud: ibm", "mlops:region: x", DATA),
        "config.mlops:cloud",
        /cloud must be one of aws, azure, gcp/,
    ),
    cfg(
        "a typo in a workload key",
        stack(...AWS, "mlops:workload: { data: { volumeGB: 3 } }"),
        "config.mlops:workload.data.volumeGB",
        /unknown key \(did you mean 'volumeGb'\?\)/,
    ),
    cfg(
        "a negative size",
        stack(...AWS, "mlops:workload: { data: { volumeGb: -3 } }"),
        "config.mlops:workload.data.volumeGb",
        /volumeGb must be 0 or more \(got -3\)/,
    ),
    cfg(
        "a pin out of range",
        stack(...AWS, DATA, "mlops:levels: { data: 7 }"),
        "config.mlops:levels.data",
        /a pinned level must be from 1 to 3/,
    ),
    cfg(
        "a pin for a pipeline the workload lacks",
        stack(...AWS, DATA, "mlops:levels: { training: 1 }"),
        "config.mlops:levels.training",
        /pins a level for 'training' but mlops:workload has no training pipeline/,
    ),
    cfg(
        "online without peakQps",
        stack(...AWS, INFERENCE("mode: online")),
        "config.mlops:workload.inference.peakQps",
        /mode 'online' needs peakQps/,
    ),
    cfg(
        "batch scoring without volumeGb",
        stack(...AWS, INFERENCE("mode: batch")),
        "config.mlops:workload.inference.volumeGb",
        /mode 'batch' needs volumeGb/,
    ),
    cfg("malformed YAML", "config:\n  mlops:cloud: [aws\n", "line 3, column 1", /malformed YAML/),
    cfg("an unknown top-level key", `confg: {}\n${stack(...AWS, DATA)}`, "confg", /unknown top-level key/),
    cfg(
        "an unknown namespace",
        stack(...AWS, DATA, "mlop:capacity: {}"),
        "config.mlop:capacity",
        /unknown config key \(did you mean 'mlops:capacity'\?\)/,
    ),
    cfg(
        "GCP without a project",
        stack("mlops:cloud: gcp", "mlops:region: us-central1", DATA),
        "config.gcp:project",
        /is required for cloud gcp/,
    ),
    cfg(
        "a schedule that is not cron",
        stack(...AWS, "mlops:workload: { data: { volumeGb: 5, schedule: daily } }"),
        "config.mlops:workload.data.schedule",
        /five-field cron expression/,
    ),
    cfg(
        "an unknown data kind",
        stack(
            ...AWS,
            "mlops:workload: { training: { datasetGb: 1, dataKind: images, singleMachineHours: 1, slaHours: 2 } }",
        ),
        "config.mlops:workload.training.dataKind",
        /dataKind must be 'structured' or 'unstructured'/,
    ),
    cfg(
        "an unknown batch runner",
        stack(...AWS, DATA, "mlops:options: { batchRunner: lambda }"),
        "config.mlops:options.batchRunner",
        /batchRunner must be 'serverless' or 'vm' \(got "lambda"\)/,
    ),
    cfg(
        "protect as a string",
        stack(...AWS, DATA, "mlops:options: { protect: 'yes' }"),
        "config.mlops:options.protect",
        /protect must be true or false \(got "yes"\)/,
    ),
    cfg(
        "an API CIDR open to the internet",
        stack(...AWS, DATA, "mlops:options: { kubernetesApiCidrs: ['0.0.0.0/0'] }"),
        "config.mlops:options.kubernetesApiCidrs[0]",
        /0\.0\.0\.0\/0/,
    ),
    cfg(
        "a private range as the deployer's address",
        stack(...AWS, DATA, "mlops:options: { deployerCidrs: ['10.0.8.0/24'] }"),
        "config.mlops:options.deployerCidrs[0]",
        /'10\.0\.8\.0\/24' is or holds a private range; the storage firewall admits public addresses only/,
    ),
    cfg(
        "a team Spark script under samples/",
        stack(...AWS, DATA, "mlops:options: { sparkScripts: { data: samples/jobs/spark/data.py } }"),
        "config.mlops:options.sparkScripts.data",
        /"samples\/jobs\/spark\/data\.py" is under 'samples\/', where the stack uploads the reference pipeline/,
    ),
    cfg(
        "a team Spark script as an absolute key",
        stack(...AWS, DATA, "mlops:options: { sparkScripts: { inference: /team/score.py } }"),
        "config.mlops:options.sparkScripts.inference",
        /"\/team\/score\.py" starts with '\/': give the key relative to the artifacts store/,
    ),
    cfg(
        "a team Spark script climbing out with ..",
        stack(...AWS, DATA, "mlops:options: { sparkScripts: { data: 'team/../samples/x.py' } }"),
        "config.mlops:options.sparkScripts.data",
        /has a '\.\.' segment/,
    ),
    cfg(
        "a team Spark script as a full URI",
        stack(...AWS, DATA, "mlops:options: { sparkScripts: { data: 's3://bucket/team/features.py' } }"),
        "config.mlops:options.sparkScripts.data",
        /is not a key in the artifacts store: use letters, digits/,
    ),
    cfg(
        "a team Spark script for training",
        stack(...AWS, DATA, "mlops:options: { sparkScripts: { training: team/train.py } }"),
        "config.mlops:options.sparkScripts.training",
        /unknown key; known keys: data, inference/,
    ),
    cfg(
        "sparkScripts as one string",
        stack(...AWS, DATA, "mlops:options: { sparkScripts: team/features.py }"),
        "config.mlops:options.sparkScripts",
        /sparkScripts must be a map such as \{ data: team\/spark\/features\.py \} \(got "team\/features\.py"\)/,
    ),
    cfg(
        "endpointInstanceQps of 0",
        stack(...AWS, INFERENCE("mode: online, peakQps: 40"), "mlops:options: { endpointInstanceQps: 0 }"),
        "config.mlops:options.endpointInstanceQps",
        /endpointInstanceQps must be more than 0 \(got 0\)/,
    ),
    // Files that are not files.
    {
        what: "plan --config of a directory",
        args: ["plan", "--config", DIR],
        file: DIR,
        path: "",
        message: /is a directory; give a YAML or JSON file/,
    },
    {
        what: "plan --config of a missing file",
        args: ["plan", "--config", path.join(tmp, "nope.yaml")],
        file: path.join(tmp, "nope.yaml"),
        path: "",
        message: /file not found/,
    },
    {
        what: "plan --stack of a stack with no file",
        args: ["plan", "--stack", "nope"],
        file: path.join(root, "stacks/Pulumi.nope.yaml"),
        path: "",
        message: /file not found/,
    },
    {
        what: "plan --stack with a name Pulumi refuses",
        args: ["plan", "--stack", "my stack"],
        file: null,
        path: "--stack",
        message: /'my stack' is not a stack name Pulumi accepts/,
    },
    {
        what: "assess --profile of a directory",
        args: ["assess", "--profile", DIR],
        file: DIR,
        path: "",
        message: /is a directory/,
    },
    {
        what: "assess --profile with 1e309",
        args: ["assess", "--profile", "{file}"],
        text: "data: { volumeGb: 1e309 }\n",
        name: "profile.yaml",
        path: "data.volumeGb",
        message: /got infinity/,
    },
    {
        what: "plan --out naming a file that exists",
        args: ["plan", "--stack", "dev", "--out", "{file}"],
        text: "not a directory\n",
        name: "report-here",
        path: "--out",
        message: /exists and is not a directory/,
    },
    {
        what: "plan --compare with a bad file",
        args: ["plan", "--stack", "dev", "--compare", "{file}"],
        text: stack("mlops:cloud: aws", "mlops:region: mars-central-1", DATA),
        name: "Pulumi.other.yaml",
        path: "config.mlops:region",
        message: /not an AWS region/,
    },
    // The policy pack's config, against the pack's own schemas.
    {
        what: "--policy-config naming a rule the pack lacks",
        args: ["plan", "--stack", "dev", "--policy-config", "{file}"],
        text: JSON.stringify({ "stack-monthly-budgt": { maxMonthlyUsd: { dev: 1 } } }),
        name: "pack1.json",
        path: "stack-monthly-budgt",
        message: /no policy of this name in the pack \(did you mean 'stack-monthly-budget'\?\)/,
    },
    {
        what: "--policy-config with a misspelt setting",
        args: ["plan", "--stack", "dev", "--policy-config", "{file}"],
        text: JSON.stringify({ "stack-monthly-budget": { maxMonthlyUSD: { dev: 1 } } }),
        name: "pack2.json",
        path: "stack-monthly-budget.maxMonthlyUSD",
        message: /unknown setting \(did you mean 'maxMonthlyUsd'\?\)/,
    },
    {
        what: "--policy-config with an unknown enforcement level",
        args: ["plan", "--stack", "dev", "--policy-config", "{file}"],
        text: JSON.stringify({ all: "mandatry" }),
        name: "pack3.json",
        path: "all",
        message: /"mandatry" is not an enforcement level \(did you mean 'mandatory'\?\)/,
    },
    {
        what: "--policy-config with a setting of the wrong type",
        args: ["plan", "--stack", "dev", "--policy-config", "{file}"],
        text: JSON.stringify({ "environment-caps": { environments: { dev: { maxNodes: "many" } } } }),
        name: "pack4.json",
        path: "environment-caps.environments.dev.maxNodes",
        message: /must be a whole number \(got "many"\)/,
    },
    {
        what: "--policy-config that is not JSON",
        args: ["plan", "--stack", "dev", "--policy-config", "{file}"],
        text: "stack-monthly-budget: advisory\n",
        name: "pack5.json",
        path: "",
        message: /not valid JSON/,
    },
    // Command-line mistakes.
    {
        what: "plan without a stack",
        args: ["plan"],
        file: null,
        path: "plan",
        message: /give --stack NAME or --config FILE/,
    },
    { what: "an unknown command", args: ["frobnicate"], file: null, path: "", message: /unknown command 'frobnicate'/ },
    {
        what: "an unknown option",
        args: ["plan", "--stak", "dev"],
        file: null,
        path: "",
        message: /unknown option '--stak'/,
    },
    {
        what: "init --region of another cloud",
        args: ["init", "--cloud", "aws", "--region", "eastus", "--data-gb", "5", "--yes"],
        file: null,
        path: "--region",
        message: /'eastus' is not an AWS region/,
    },
    {
        what: "init --stack with a name Pulumi refuses",
        args: ["init", "--stack", "a b", "--cloud", "aws", "--data-gb", "5", "--yes"],
        file: null,
        path: "--stack",
        message: /'a b' is not a stack name Pulumi accepts/,
    },
    {
        what: "init --cloud unknown",
        args: ["init", "--cloud", "ibm", "--data-gb", "5", "--yes"],
        file: null,
        path: "--cloud",
        message: /must be one of aws, azure, gcp/,
    },
];

describe("bad input: exit 2, one message naming the file and key path, no trace, nothing planned", () => {
    test("the table covers at least 40 cases", () => expect(CASES.length).toBeGreaterThanOrEqual(40));

    test.each(CASES.map((c) => [c.what, c] as const))("%s", async (_, c) => {
        const dir = path.join(tmp, `case-${n++}`);
        mkdirSync(dir);
        const f = c.text !== undefined ? path.join(dir, c.name ?? "Pulumi.bad.yaml") : undefined;
        if (f !== undefined) writeFileSync(f, c.text!);
        const args = c.args.map((a) => (a === "{file}" ? f! : a));
        const planned = jest.spyOn(planStack, "planSettings");
        try {
            const r = await run(...args);
            expect(r.code).toBe(2);
            expect(r.out).toBe("");
            const lines = r.err.split("\n");
            expect(lines).toHaveLength(1);
            const expectedFile = c.file === undefined ? f : c.file;
            const where = [expectedFile, c.path].filter((s) => s !== null && s !== undefined && s !== "").join(": ");
            expect(lines[0]!.startsWith(`error: ${where}${where === "" ? "" : ": "}`)).toBe(true);
            expect(r.err).toMatch(c.message);
            expect(r.err).not.toMatch(/\n\s+at |Error: /);
            // Nothing planned: the offline engine never ran, and no report was written.
            expect(planned).not.toHaveBeenCalled();
            if (f !== undefined) expect(existsSync(path.join(f, "report.html"))).toBe(false);
        } finally {
            planned.mockRestore();
        }
    });

    test("under --json each error is one object on stdout with the same file and key path", async () => {
        for (const c of CASES.filter((x) => x.args[0] === "plan" && x.text !== undefined).slice(0, 6)) {
            const dir = path.join(tmp, `json-${n++}`);
            mkdirSync(dir);
            const f = path.join(dir, c.name ?? "Pulumi.bad.yaml");
            writeFileSync(f, c.text!);
            const r = await run(...c.args.map((a) => (a === "{file}" ? f : a)), "--json");
            expect(r.code).toBe(2);
            expect(r.err).toBe("");
            const { error } = JSON.parse(r.out);
            expect(error).toEqual({
                exitCode: 2,
                problems: [{ file: f, path: c.path, message: expect.stringMatching(c.message) }],
            });
        }
    });

    test("a problem found inside the stack program is one message too, with the stack file", async () => {
        // The Spark cluster's size is checked by the component: 90 PB needs more workers than it may have.
        const f = file("Pulumi.huge.yaml", stack(...AWS, "mlops:workload: { data: { volumeGb: 90000000 } }"));
        const r = await run("plan", "--config", f);
        expect(r.code).toBe(2);
        expect(r.out).toBe("");
        expect(r.err.split("\n")).toHaveLength(1);
        expect(r.err.startsWith(`error: ${f}: config.mlops:workload.data.volumeGb: `)).toBe(true);
        expect(r.err).not.toMatch(/\n\s+at /);
    });
});

describe("a team's streaming code its cloud cannot run: exit 2, the stack file and the option's key path", () => {
    // Each cloud's streaming check reads the option before any resource exists; the Azure file's
    // path is relative to the stack file's directory (filled in once the stack file has one).
    const FIXTURES = "@FIXTURES@";
    const fixture = (name: string) => (name === "" ? FIXTURES : `${FIXTURES}/${name}`);
    const AZURE_STREAMING = ["mlops:cloud: azure", "mlops:region: eastus", INFERENCE("mode: streaming")];
    const GCP_STREAMING = [
        "gcp:project: my-proj-123",
        "mlops:cloud: gcp",
        "mlops:region: us-central1",
        "mlops:workload: { data: { volumeGb: 5, freshnessSeconds: 30 } }",
    ];
    const code = (pipeline: string, value: string) => `mlops:options: { streamingCode: { ${pipeline}: '${value}' } }`;

    test.each([
        [
            "a missing file on Azure",
            stack(...AZURE_STREAMING, code("inference", fixture("nope.js"))),
            "inference",
            /nope\.js' \(.*nope\.js\): no such file; give the path of the team's JavaScript file, relative to the stack file's directory/,
        ],
        [
            "a file without main on Azure",
            stack(...AZURE_STREAMING, code("inference", fixture("no-main.js"))),
            "inference",
            /no-main\.js' \(.*\) defines no 'function main\(event\)'/,
        ],
        [
            "a directory on Azure",
            stack(...AZURE_STREAMING, code("inference", fixture(""))),
            "inference",
            /a directory, not a file/,
        ],
        [
            "data code on GCP, whose data template takes no UDF",
            stack(...GCP_STREAMING, code("data", "team/features.js")),
            "data",
            /GCP's data job runs Google's Cloud_PubSub_to_GCS_Text_Flex template, which takes no user-defined function/,
        ],
        [
            "a Flink application key that climbs out with .. on AWS",
            stack(...AWS, INFERENCE("mode: streaming"), code("inference", "../score.zip")),
            "inference",
            /"\.\.\/score\.zip" has a '\.\.' segment: give the key as it is in the artifacts store/,
        ],
        [
            "a full object URI as the Flink application on AWS",
            stack(...AWS, INFERENCE("mode: streaming"), code("inference", "s3://team/app.zip")),
            "inference",
            /"s3:\/\/team\/app\.zip" is not a key in the artifacts store/,
        ],
        [
            "a Flink application key under samples/ on AWS",
            stack(...AWS, INFERENCE("mode: streaming"), code("inference", "samples/streaming/application.zip")),
            "inference",
            /is under 'samples\/', where the stack uploads the reference pipeline and would overwrite it/,
        ],
    ])("%s", async (_, text, pipeline, message) => {
        const dir = path.join(tmp, `code-${n++}`);
        mkdirSync(dir);
        const f = path.join(dir, "Pulumi.bad.yaml");
        writeFileSync(f, text.replaceAll(FIXTURES, path.relative(dir, path.join(root, "tests/fixtures/streaming"))));
        const out = path.join(dir, "report");
        const r = await run("plan", "--config", f, "--out", out);
        expect(r.code).toBe(2);
        expect(r.out).toBe("");
        const lines = r.err.split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]!.startsWith(`error: ${f}: config.mlops:options.streamingCode.${pipeline}: `)).toBe(true);
        expect(r.err).toMatch(message);
        expect(r.err).not.toMatch(/\n\s+at |Error: /);
        // Nothing planned: no report; under --json the one error object and no plan.
        expect(existsSync(path.join(out, "report.html"))).toBe(false);
        const j = await run("plan", "--config", f, "--json");
        expect(j.code).toBe(2);
        expect(JSON.parse(j.out)).toEqual({
            error: {
                exitCode: 2,
                problems: [
                    {
                        file: f,
                        path: `config.mlops:options.streamingCode.${pipeline}`,
                        message: expect.stringMatching(message),
                    },
                ],
            },
        });
    });
});

describe("the binary", () => {
    test("--version prints the package version", async () => {
        const r = await run("--version");
        expect(r.code).toBe(0);
        expect(r.out).toBe(require("../../package.json").version);
    });

    test("Ctrl-C in init exits 130 quietly, on a real terminal", async () => {
        // `script` gives the CLI a pseudo-terminal, as a person's shell would; Ctrl-C arrives as
        // the byte a terminal sends for it once the first question is on the screen.
        const dir = tempDir("ctrl-c");
        const child = spawn("script", ["-qefc", `node ${path.join(root, "cli/bin.js")} init`, "/dev/null"], {
            cwd: dir,
            env: { ...process.env, TERM: "xterm" },
        });
        let screen = "";
        let sent = false;
        child.stdout.on("data", (b: Buffer) => {
            screen += b.toString();
            if (!sent && /Stack \(environment\) name/.test(screen)) {
                sent = true;
                child.stdin.write("\x03");
            }
        });
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        expect(sent).toBe(true);
        expect(code).toBe(130);
        expect(screen).not.toMatch(/ExitPromptError|\n\s+at |error:/);
        expect(existsSync(path.join(dir, "stacks"))).toBe(false);
    }, 60_000);
});

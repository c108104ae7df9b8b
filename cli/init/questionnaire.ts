import type { Readable, Writable } from "node:stream";
import { confirm, input, select } from "@inquirer/prompts";
import { checkRegion } from "../../assessment/regions";
import type { Workload } from "../../assessment/schema";
import { DEFAULTS } from "../../assessment/schema";
import { CLOUDS, type Cloud } from "../../components/shared/clouds";
import { type Parsed, parseDuration, parseNumber, parseSizeGb } from "./units";

/** Where the prompts read and write: the terminal, or streams a test scripts. */
export interface PromptIo {
    input?: Readable;
    output?: Writable;
}

export const DEFAULT_REGION: Readonly<Record<Cloud, string>> = {
    aws: "us-east-1",
    azure: "eastus",
    gcp: "us-central1",
};

export interface Answers {
    cloud: Cloud;
    region: string;
    gcpProject?: string;
    workload: Workload;
}

/** Why `region` is not a region of `cloud` (with the nearest names), or undefined. */
export function regionProblem(cloud: Cloud, region: string): string | undefined {
    return checkRegion(cloud, region, []).problems[0]?.message;
}

/** Asks a question whose answer parses to a number; a wrong answer is refused on the spot. */
async function ask(io: PromptIo, message: string, parse: (s: string) => Parsed, fallback?: string): Promise<number> {
    const text = await input(
        {
            message,
            default: fallback,
            validate: (s) => {
                const p = parse(s);
                return p.ok ? true : p.error;
            },
        },
        io,
    );
    const p = parse(text);
    if (!p.ok) throw new Error(p.error);
    return p.value;
}

const gb = (s: string) => parseSizeGb(s);
const positive = (p: Parsed): Parsed => (p.ok && !(p.value > 0) ? { ok: false, error: "must be more than 0" } : p);

/**
 * The questionnaire: each pipeline the team has, in its words and units. Answers already given
 * on the command line (cloud, region) are not asked again.
 */
export async function askWorkload(io: PromptIo, given: { cloud?: Cloud; region?: string }): Promise<Answers> {
    const cloud =
        given.cloud ??
        (await select<Cloud>({ message: "Which cloud?", choices: CLOUDS.map((c) => ({ name: c, value: c })) }, io));
    const region =
        given.region ??
        (
            await input(
                {
                    message: `Region (${cloud}'s own name)`,
                    default: DEFAULT_REGION[cloud],
                    // A region the cloud does not have is refused on the spot, with the nearest names.
                    validate: (s) => regionProblem(cloud, s.trim()) ?? true,
                },
                io,
            )
        ).trim();
    const gcpProject =
        cloud === "gcp"
            ? await input(
                  {
                      message: "GCP project id",
                      validate: (s) =>
                          /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(s)
                              ? true
                              : "a project id is 6-30 lowercase letters, digits and hyphens",
                  },
                  io,
              )
            : undefined;
    const workload: Workload = {};

    if (await confirm({ message: "Does the team run a data / feature pipeline?", default: true }, io)) {
        const volumeGb = await ask(io, "How much data does one batch run process? (e.g. 20 GB, 2 TB)", gb);
        const freshnessSeconds = await ask(
            io,
            "How stale may features be? (e.g. 1 day, 5 min, 30 s)",
            (s) => positive(parseDuration(s, "seconds")),
            "1 day",
        );
        workload.data = { volumeGb, freshnessSeconds };
    }
    if (await confirm({ message: "Does the team train models here?", default: true }, io)) {
        const datasetGb = await ask(io, "How big is the training set? (e.g. 5 GB)", gb);
        const dataKind = await select<"structured" | "unstructured">(
            {
                message: "What kind of data?",
                choices: [
                    { name: "structured (tables)", value: "structured" },
                    { name: "unstructured (images, audio, text)", value: "unstructured" },
                ],
            },
            io,
        );
        const singleMachineHours = await ask(
            io,
            "How long would training take on one machine? (e.g. 2 h, 90 min)",
            (s) => parseDuration(s, "hours"),
        );
        const slaHours = await ask(io, "How long may training take at most? (e.g. 24 h)", (s) =>
            positive(parseDuration(s, "hours")),
        );
        workload.training = { datasetGb, dataKind, singleMachineHours, slaHours };
    }
    if (await confirm({ message: "Does the team serve predictions here?", default: true }, io)) {
        const mode = await select<"batch" | "streaming" | "online">(
            {
                message: "How are predictions made?",
                choices: [
                    { name: "batch: score a dataset on a schedule", value: "batch" },
                    { name: "streaming: score events as they arrive", value: "streaming" },
                    { name: "online: answer requests over HTTPS", value: "online" },
                ],
            },
            io,
        );
        if (mode === "batch")
            workload.inference = {
                mode,
                volumeGb: await ask(io, "How much data does one scoring run process? (e.g. 10 GB)", gb),
            };
        else if (mode === "online")
            workload.inference = {
                mode,
                peakQps: await ask(io, "Peak requests per second?", (s) => parseNumber(s, "requests per second")),
            };
        else workload.inference = { mode };
    }
    return { cloud, region, gcpProject, workload };
}

export { DEFAULTS };

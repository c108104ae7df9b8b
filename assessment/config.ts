import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import type { Cloud } from "../components/shared/clouds";
import { InputError, type InputProblem, throwIfProblems } from "../components/shared/errors";
import { PIPELINES } from "../components/shared/levels";
import { type LevelPlan, planLevels } from "./assess";
import { checkRegion, servicesNeeded } from "./regions";
import {
    type Capacity,
    CapacitySchema,
    FOREIGN_NAMESPACES,
    MlopsConfigSchema,
    type Options,
    type Pins,
    type Profile,
    ProfileSchema,
    type Workload,
} from "./schema";
import { parseOrThrow, suggest } from "./validate";

/** Everything the stack program needs, validated, with defaults applied. */
export interface StackSettings {
    /** The file the config came from (for messages). */
    file: string;
    /** The stack name, which is the environment: dev, staging, prod. */
    stack: string;
    cloud: Cloud;
    region: string;
    workload: Workload;
    capacity: Capacity;
    pins: Pins;
    options: Options;
    /** Protect stateful resources from deletion (prod by default). */
    protect: boolean;
    /** Assessed and effective levels with reasons and pin findings. */
    levels: LevelPlan;
    /**
     * What is worth a word but plans anyway (e.g. a service the region catalogue cannot confirm in
     * the region), each with its key path. `plan` prints them and adds them to `--json`.
     */
    warnings: InputProblem[];
    /** The raw config map (namespaced keys, values as Pulumi hands them to programs). */
    raw: Record<string, unknown>;
}

const MLOPS_KEYS = Object.keys(MlopsConfigSchema.shape);
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/** Pulumi's own rule for a stack name (pkg/backend: `^[A-Za-z0-9_.-]{1,100}$`). */
const PULUMI_STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** The environment whose stateful resources are protected and whose control planes are the paid tiers. */
export const PRODUCTION = "prod";

/**
 * Why `stack` cannot be this project's stack name, or undefined. Pulumi refuses anything but
 * letters, digits, '-', '_' and '.' (at most 100). This project also refuses capitals: the stack
 * name is the environment, and the environment tag, the policy pack's per-environment settings and
 * every cloud's resource names are lowercase, so `Prod` would look like `prod` to the policy pack
 * while Pulumi, protection and the cluster tiers treat it as another stack.
 */
export function stackNameProblem(stack: string): string | undefined {
    if (!PULUMI_STACK_NAME.test(stack))
        return `'${stack}' is not a stack name Pulumi accepts: letters, digits, '-', '_' and '.', 1 to 100 characters`;
    if (stack !== stack.toLowerCase())
        return `'${stack}' has capitals: the stack name is the environment, which is lowercase everywhere it is used (tags, policy settings, resource names); use '${stack.toLowerCase()}'`;
    return undefined;
}

/** The environment a stack file is for: `Pulumi.<name>.yaml` gives `name`, anything else `dev`. */
export function stackNameFromFile(file: string): string {
    const m = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    return m?.[1] ?? "dev";
}

/** Reads a YAML or JSON file, with one clear error for a missing file or malformed YAML. */
export function readYamlFile(file: string): unknown {
    if (!existsSync(file)) throw new InputError([{ file, path: "", message: "file not found" }]);
    if (statSync(file).isDirectory())
        throw new InputError([{ file, path: "", message: "is a directory; give a YAML or JSON file" }]);
    const text = readFileSync(file, "utf8");
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
        throw new InputError(
            doc.errors.map((e) => {
                const at = e.linePos?.[0];
                const message = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
                return {
                    file,
                    path: at ? `line ${at.line}, column ${at.col}` : "",
                    message: `malformed YAML: ${message}`,
                };
            }),
        );
    }
    return doc.toJS();
}

/** A Pulumi config value as a program sees it (strings, objects as JSON) back into a value. */
function decodeValue(v: unknown): unknown {
    if (typeof v !== "string") return v;
    const t = v.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return v;
        }
    }
    return v;
}

/**
 * Validates a stack's config map (`mlops:cloud` etc., as in a stack file or as Pulumi hands it to
 * the program) and resolves defaults and levels. Every problem is collected and thrown once.
 */
export function parseStackConfig(config: Record<string, unknown>, file: string, stack: string): StackSettings {
    const problems: InputProblem[] = [];
    const nameProblem = stackNameProblem(stack);
    if (nameProblem !== undefined) problems.push({ file, path: "stack", message: nameProblem });
    const mlops: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(config)) {
        const i = key.indexOf(":");
        const ns = i < 0 ? "" : key.slice(0, i);
        const name = i < 0 ? key : key.slice(i + 1);
        if (ns === "mlops") {
            mlops[name] = decodeValue(value);
        } else if (!(FOREIGN_NAMESPACES as readonly string[]).includes(ns)) {
            const hint = ns === "" ? undefined : suggest(ns, ["mlops", ...FOREIGN_NAMESPACES]);
            problems.push({
                file,
                path: `config.${key}`,
                message: `unknown config key${hint ? ` (did you mean '${hint}:${name}'?)` : ""}; project keys are mlops:${MLOPS_KEYS.join(", mlops:")}`,
            });
        }
    }
    let parsed: ReturnType<typeof MlopsConfigSchema.parse> | undefined;
    try {
        parsed = parseOrThrow(MlopsConfigSchema, mlops, file, "config");
    } catch (e) {
        if (!(e instanceof InputError)) throw e;
        problems.push(
            ...e.problems.map((p) => ({ ...p, path: p.path.replace(/^config\.([a-z]+)/, "config.mlops:$1") })),
        );
    }
    if (parsed) {
        for (const p of PIPELINES) {
            if (parsed.levels?.[p] !== undefined && parsed.workload[p] === undefined)
                problems.push({
                    file,
                    path: `config.mlops:levels.${p}`,
                    message: `pins a level for '${p}' but mlops:workload has no ${p} pipeline`,
                });
        }
        // An explicit GCP provider needs the project id; without it nothing can be planned.
        const gcpProject = config["gcp:project"];
        if (parsed.cloud === "gcp" && (typeof gcpProject !== "string" || gcpProject.trim() === ""))
            problems.push({
                file,
                path: "config.gcp:project",
                message: "is required for cloud gcp (the GCP project id)",
            });
    }
    let levels: LevelPlan | undefined;
    const warnings: InputProblem[] = [];
    if (parsed) {
        levels = planLevels(parsed.workload, CapacitySchema.parse(parsed.capacity ?? {}), parsed.levels);
        const needs = servicesNeeded(parsed.cloud, levels.effective, parsed.workload, parsed.options ?? {}, levels.gpu);
        const region = checkRegion(parsed.cloud, parsed.region, needs, file);
        problems.push(...region.problems);
        warnings.push(...region.warnings);
    }
    throwIfProblems(problems);
    const c = parsed!;
    const capacity = CapacitySchema.parse(c.capacity ?? {});
    const options = c.options ?? {};
    return {
        file,
        stack,
        cloud: c.cloud,
        region: c.region,
        workload: c.workload,
        capacity,
        pins: c.levels ?? {},
        options,
        protect: options.protect ?? stack === PRODUCTION,
        levels: levels!,
        warnings,
        raw: config,
    };
}

/** Loads and validates a stack file (`Pulumi.<env>.yaml`). */
export function loadStackFile(file: string, stack = stackNameFromFile(file)): StackSettings {
    const doc = readYamlFile(file);
    if (doc === null || typeof doc !== "object" || Array.isArray(doc))
        throw new InputError([{ file, path: "", message: "a stack file must be a mapping with a 'config' key" }]);
    const problems: InputProblem[] = [];
    for (const k of Object.keys(doc)) {
        if (!STACK_FILE_KEYS.includes(k)) {
            const hint = suggest(k, STACK_FILE_KEYS);
            problems.push({
                file,
                path: k,
                message: `unknown top-level key${hint ? ` (did you mean '${hint}'?)` : ""}`,
            });
        }
    }
    const config = (doc as Record<string, unknown>)["config"];
    if (config === undefined || config === null || typeof config !== "object" || Array.isArray(config))
        problems.push({ file, path: "config", message: "is required and must be a mapping of config keys" });
    throwIfProblems(problems);
    return parseStackConfig(config as Record<string, unknown>, file, stack);
}

/** Loads and validates a workload profile for `assess` (YAML or JSON). */
export function loadProfile(file: string): Profile {
    const doc = readYamlFile(file);
    return parseOrThrow(ProfileSchema, doc ?? {}, file, "");
}

/**
 * The Pulumi project directory: the nearest folder from `from` upwards with a Pulumi.yaml, as the
 * Pulumi CLI finds it; this checkout when there is none.
 */
export function projectDir(from = process.cwd()): string {
    const up = (start: string): string | undefined => {
        for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
            if (existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
            if (path.dirname(dir) === dir) return undefined;
        }
    };
    // Outside a project (e.g. `npx mlops-levels` from elsewhere), this package's own project.
    return up(from) ?? up(__dirname) ?? path.resolve(__dirname, "..");
}

/**
 * The project name `pulumi up` uses: `name` in the project's Pulumi.yaml (see projectDir), so an
 * offline plan names resources as the real run will. Undefined when the file has no usable name.
 */
export function projectName(from = process.cwd()): string | undefined {
    const file = path.join(projectDir(from), "Pulumi.yaml");
    if (!existsSync(file)) return undefined;
    const project = readYamlFile(file) as { name?: unknown } | null;
    if (typeof project?.name !== "string" || project.name.trim() === "")
        throw new InputError([{ file, path: "name", message: "is required: the Pulumi project name" }]);
    return project.name;
}

/** Where the stack files live: the project's `stackConfigDir` (Pulumi.yaml), `stacks` here. */
export function stacksDir(from = process.cwd()): string {
    const dir = projectDir(from);
    const project = readYamlFile(path.join(dir, "Pulumi.yaml")) as { stackConfigDir?: unknown } | null;
    const rel = typeof project?.stackConfigDir === "string" ? project.stackConfigDir : ".";
    return path.join(dir, rel);
}

export function stackFilePath(stack: string, from = process.cwd()): string {
    return path.join(stacksDir(from), `Pulumi.${stack}.yaml`);
}

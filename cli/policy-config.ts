import { readFileSync, statSync } from "node:fs";
import type { EnforcementLevel, Policies, PolicyPackConfig } from "@pulumi/policy";
import { suggest } from "../assessment/validate";
import { InputError, type InputProblem, throwIfProblems } from "../components/shared/errors";

/** The enforcement levels Pulumi accepts in a policy pack config. */
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The part of JSON Schema the pack's config schemas use. */
interface Schema {
    type?: string;
    properties?: Record<string, Schema>;
    additionalProperties?: boolean | Schema;
    items?: Schema;
    minimum?: number;
    maximum?: number;
    enum?: unknown[];
    required?: string[];
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

/** Problems of `value` against `schema` at `path`; unknown keys get a "did you mean". Pure. */
export function schemaProblems(value: unknown, schema: Schema, path: string, file?: string): InputProblem[] {
    const out: InputProblem[] = [];
    const got = typeOf(value);
    if (schema.type !== undefined) {
        const ok = schema.type === got || (schema.type === "number" && got === "integer");
        if (!ok)
            return [
                {
                    file,
                    path,
                    message: `must be ${schema.type === "integer" ? "a whole number" : `of type ${schema.type}`} (got ${JSON.stringify(value)})`,
                },
            ];
    }
    if (schema.enum !== undefined && !schema.enum.includes(value))
        out.push({ file, path, message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}` });
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum)
            out.push({ file, path, message: `must be ${schema.minimum} or more (got ${value})` });
        if (schema.maximum !== undefined && value > schema.maximum)
            out.push({ file, path, message: `must be ${schema.maximum} or less (got ${value})` });
    }
    if (Array.isArray(value) && schema.items !== undefined)
        for (const [i, item] of value.entries()) out.push(...schemaProblems(item, schema.items, `${path}[${i}]`, file));
    if (got === "object" && (schema.properties !== undefined || schema.additionalProperties !== undefined)) {
        const obj = value as Record<string, unknown>;
        const known = Object.keys(schema.properties ?? {});
        for (const [k, v] of Object.entries(obj)) {
            const at = path === "" ? k : `${path}.${k}`;
            const own = schema.properties?.[k];
            if (own !== undefined) out.push(...schemaProblems(v, own, at, file));
            else if (typeof schema.additionalProperties === "object")
                out.push(...schemaProblems(v, schema.additionalProperties, at, file));
            else if (schema.additionalProperties === false || schema.additionalProperties === undefined) {
                const hint = suggest(k, known);
                out.push({
                    file,
                    path: at,
                    message: `unknown setting${hint ? ` (did you mean '${hint}'?)` : ""}; ${known.length > 0 ? `known settings: ${known.join(", ")}` : "this policy takes no settings"}`,
                });
            }
        }
        for (const k of schema.required ?? [])
            if (!(k in obj)) out.push({ file, path: path === "" ? k : `${path}.${k}`, message: "is required" });
    }
    return out;
}

function enforcementProblem(v: unknown, path: string, file: string): InputProblem | undefined {
    if (typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v)) return undefined;
    const hint = typeof v === "string" ? suggest(v, ENFORCEMENT_LEVELS) : undefined;
    return {
        file,
        path,
        message: `${JSON.stringify(v)} is not an enforcement level${hint ? ` (did you mean '${hint}'?)` : ""}; use ${ENFORCEMENT_LEVELS.join(", ")}`,
    };
}

/**
 * Checks a `--policy-pack-config` object against the pack itself: every key is `all` or a policy
 * of the pack, every enforcement level one Pulumi knows, every setting one the policy's own
 * `configSchema` declares, with the type and bounds it declares. A misspelling would otherwise
 * leave a rule (the budget gate, say) at its default without anyone knowing. Pure.
 */
export function packConfigProblems(config: unknown, rules: Policies, file: string): InputProblem[] {
    if (typeOf(config) !== "object")
        return [{ file, path: "", message: "a policy pack config is a JSON object keyed by policy name" }];
    const byName = new Map(rules.map((r) => [r.name, r] as const));
    const names = [...byName.keys()];
    const out: InputProblem[] = [];
    for (const [key, entry] of Object.entries(config as Record<string, unknown>)) {
        const policy = byName.get(key);
        if (key !== "all" && policy === undefined) {
            const hint = suggest(key, ["all", ...names]);
            out.push({
                file,
                path: key,
                message: `no policy of this name in the pack${hint ? ` (did you mean '${hint}'?)` : ""}; the rules are listed in policies/README.md`,
            });
            continue;
        }
        if (typeof entry === "string") {
            const p = enforcementProblem(entry, key, file);
            if (p) out.push(p);
            continue;
        }
        if (typeOf(entry) !== "object") {
            out.push({
                file,
                path: key,
                message: `must be an enforcement level (${ENFORCEMENT_LEVELS.join(", ")}) or an object of settings`,
            });
            continue;
        }
        const { enforcementLevel, ...settings } = entry as Record<string, unknown>;
        if (enforcementLevel !== undefined) {
            const p = enforcementProblem(enforcementLevel, `${key}.enforcementLevel`, file);
            if (p) out.push(p);
        }
        const schema = (key === "all" ? undefined : policy?.configSchema) as Schema | undefined;
        out.push(...schemaProblems(settings, { ...(schema ?? {}), additionalProperties: false }, key, file));
    }
    return out;
}

/** Reads and checks a `--policy-pack-config` file (JSON, as Pulumi reads it); bad input is an InputError. */
export function loadPackConfig(file: string, rules: Policies): PolicyPackConfig {
    let text: string;
    try {
        if (statSync(file).isDirectory())
            throw new InputError([{ file, path: "", message: "is a directory; give a JSON file" }]);
        text = readFileSync(file, "utf8");
    } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError([{ file, path: "", message: "file not found" }]);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new InputError([
            {
                file,
                path: "",
                message: `not valid JSON (Pulumi reads the pack config as JSON): ${(e as Error).message}`,
            },
        ]);
    }
    throwIfProblems(packConfigProblems(doc, rules, file));
    return doc as PolicyPackConfig;
}

import { loadStackFile, parseStackConfig, projectName, type StackSettings } from "../../assessment/config";
import { InputError } from "../../components/shared/errors";
import type { OfflineRun } from "../../offline/engine";

/** This package's Pulumi project name: the fallback when no Pulumi.yaml is found. */
export const PROJECT = "mlops-levels";

/** A config map as Pulumi hands it to a program: every value a string, objects as JSON. */
export function toPulumiConfig(raw: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

export interface StackPlan extends OfflineRun {
    settings: StackSettings;
}

/**
 * Runs the real stack program offline for validated settings. Validation happens first, so bad
 * input throws an InputError before any resource is registered.
 */
export async function planSettings(settings: StackSettings): Promise<StackPlan> {
    // Loaded here, not at the top: they load @pulumi/pulumi (~0.4 s), which `assess`, `init`'s
    // questions and `--help` never need.
    const { program } = require("../../stacks/program") as typeof import("../../stacks/program");
    const { setConfigFileForMessages } = require("../../stacks/settings") as typeof import("../../stacks/settings");
    const { runOffline } = require("../../offline/engine") as typeof import("../../offline/engine");
    setConfigFileForMessages(settings.file);
    try {
        const run = await runOffline({
            // The name `pulumi up` will use (Pulumi.yaml's `name`), so URNs and physical names match.
            project: projectName() ?? PROJECT,
            stack: settings.stack,
            region: settings.region,
            config: toPulumiConfig(settings.raw),
            program,
        });
        return { ...run, settings };
    } catch (e) {
        const input = e instanceof InputError ? e : (e as { cause?: unknown })?.cause;
        if (input instanceof InputError)
            throw new InputError(input.problems.map((p) => ({ ...p, file: p.file ?? settings.file })));
        throw e;
    } finally {
        setConfigFileForMessages(undefined);
    }
}

/** Plans a stack file (`Pulumi.<env>.yaml`). */
export async function planStackFile(file: string, stack?: string): Promise<StackPlan> {
    return planSettings(loadStackFile(file, stack));
}

/** Plans a config map given inline (tests, `init`): keys like `mlops:cloud`. */
export async function planConfig(
    config: Record<string, unknown>,
    stack = "dev",
    file = `Pulumi.${stack}.yaml`,
): Promise<StackPlan> {
    return planSettings(parseStackConfig(config, file, stack));
}

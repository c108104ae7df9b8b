import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../assessment/config";
import { mergeNeeds } from "../components/foundation";
import { loadKit } from "../components/kits";
import type { CloudKit } from "../components/kits/kit";
import type { RegistrySite } from "../components/registry";
import type { StackContext } from "../components/shared/context";
import { InputError } from "../components/shared/errors";
import { blueprint, checkBlueprint, type RunCommands, type StackOutputs } from "./blueprint";
import { readStackSettings } from "./settings";

export { blueprint, checkBlueprint, type Part, type StackOutputs } from "./blueprint";

/**
 * Composes the stack: decide and check every part and merge what they need of the foundation
 * before anything exists, then the foundation with those needs, then each part in order.
 */
export async function compose(settings: StackSettings, kit: CloudKit): Promise<StackOutputs> {
    const parts = blueprint(settings, kit);
    const problems = checkBlueprint(settings, kit, parts);
    if (problems.length > 0) throw new InputError(problems);
    const needs = mergeNeeds(parts.map((p) => p.needs()));

    const random = require("@pulumi/random") as typeof import("@pulumi/random");
    const opts: pulumi.ComponentResourceOptions = { providers: [kit.provider(settings.region)] };
    // The suffix is part of every globally unique name: losing it would rename (replace) storage.
    const suffix = new random.RandomString(
        "unique-suffix",
        { length: 6, special: false, upper: false, numeric: true },
        { protect: settings.protect },
    );
    const ctx: StackContext = {
        project: pulumi.getProject(),
        stack: settings.stack,
        cloud: settings.cloud,
        region: settings.region,
        protect: settings.protect,
        uniqueSuffix: suffix.result,
        facts: {
            assessed: settings.levels.levels,
            dataKind: settings.workload.training?.dataKind,
            gpuPinned: settings.workload.training?.gpu === true,
        },
    };

    // Stateful storage lives in the foundation under fixed names, so no level change replaces it.
    // Protection is set on that storage itself, never on the component: its network pieces must
    // stay removable by a level change.
    const o = settings.options;
    const deployer = {
        ...(o.deployerCidrs?.length ? { cidrs: o.deployerCidrs } : {}),
        ...(o.deployerPrincipalType ? { principalType: o.deployerPrincipalType } : {}),
    };
    const foundation = kit.foundation("foundation", { ctx, network: parts.length > 0, deployer, ...needs }, opts);
    const outputs: StackOutputs = {
        cloud: settings.cloud,
        region: settings.region,
        levels: settings.levels.effective,
        assessed: settings.levels.levels,
        reasons: settings.levels.reasons,
        gpu: settings.levels.gpu,
        dataBucket: foundation.dataBucketName,
        artifactsBucket: foundation.artifactsBucketName,
        dataUri: foundation.dataUri,
        artifactsUri: foundation.artifactsUri,
        jobIdentity: foundation.jobIdentity,
    };
    let site: RegistrySite = { ctx, foundation };
    const runCommands: RunCommands = {};
    for (const part of parts) {
        const built = part.create(site, opts);
        Object.assign(outputs, built.outputs);
        Object.assign(runCommands, built.runCommands);
        site = { ...site, ...built.provides };
    }
    if (Object.keys(runCommands).length > 0) outputs["runCommands"] = runCommands;
    return outputs;
}

/** The stack program: read config, assess, compose. Bad config stops before any resource exists. */
export async function program(): Promise<StackOutputs> {
    try {
        const settings = readStackSettings();
        // `plan` prints the warnings itself; under `pulumi up` the engine shows them.
        if (pulumi.runtime.hasEngine())
            for (const w of settings.warnings) pulumi.log.warn(`${w.file ?? settings.file}: ${w.path}: ${w.message}`);
        const kit = await loadKit(settings.cloud);
        return await compose(settings, kit);
    } catch (e) {
        // A RunError prints as a plain message under `pulumi up`, without a stack trace.
        // The InputError rides along as `cause` for the offline plan, which exits 2 on it.
        if (e instanceof InputError) throw Object.assign(new pulumi.RunError(e.message), { cause: e });
        throw e;
    }
}

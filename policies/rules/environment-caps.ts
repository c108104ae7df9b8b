import type { ResourceValidationPolicy } from "@pulumi/policy";
import { CAPS_SCHEMA, type CapsConfig, DEFAULT_CAPS, forEnvironment, withDefaults } from "../config";
import { machinesOf } from "../facts";
import { levelTags } from "../levels";
import { label } from "../props";

/**
 * Per-environment caps from the pack config: most machines per resource, allowed machine families,
 * GPUs allowed or not. The environment is the resource's `mlops-environment` tag (the stack name).
 * Machine facts come from the project's cost model, so the caps and the cost estimate read the same.
 * Public source: none; the project's cost gate (in the spirit of Pulumi's cost-control policies).
 */
export const environmentCaps: ResourceValidationPolicy = {
    name: "environment-caps",
    description: "Resources stay within the environment's caps: max nodes, allowed machine families, GPUs allowed.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: CAPS_SCHEMA,
    validateResource: (args, report) => {
        const machines = machinesOf(args.type, args.props);
        if (machines.length === 0) args.notApplicable("runs no machines");
        const env = levelTags(args.type, args.props, args.provider)?.environment;
        const { environments } = withDefaults(args.getConfig<Partial<CapsConfig>>(), {
            environments: { ...DEFAULT_CAPS },
        });
        const caps = forEnvironment(environments, env);
        if (!caps) return;
        const where = `environment ${env ?? "(untagged, using *)"}`;
        const nodes = Math.max(0, ...machines.map((m) => m.maxNodes ?? 0));
        if (caps.maxNodes !== undefined && nodes > caps.maxNodes)
            report(`${label(args)} may run ${nodes} machines; ${where} allows ${caps.maxNodes}`);
        if (caps.allowedMachineFamilies !== undefined) {
            const allowed = caps.allowedMachineFamilies;
            const bad = [
                ...new Set(
                    machines.filter((m) => !allowed.includes(m.family)).map((m) => `${m.machineType} (${m.family})`),
                ),
            ];
            if (bad.length > 0)
                report(`${label(args)} uses ${bad.join(", ")}; ${where} allows families ${allowed.join(", ")}`);
        }
        if (caps.gpusAllowed === false) {
            const gpu = [...new Set(machines.filter((m) => m.gpus > 0).map((m) => m.machineType))];
            if (gpu.length > 0) report(`${label(args)} uses GPU machine(s) ${gpu.join(", ")}; ${where} allows no GPUs`);
        }
    },
};

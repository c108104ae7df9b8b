import type { ResourceValidationPolicy } from "@pulumi/policy";
import { machinesOf } from "../facts";
import { levelTags } from "../levels";
import { label } from "../props";

/**
 * Structured (tabular) data trains on CPUs: gradient-boosted trees and linear models gain little from a
 * GPU that costs several times more per hour (LEVELS.md: a GPU only for unstructured data, or when
 * `training.gpu: true` pins one on purpose, which sets `mlops-gpu-pinned`).
 * Public source: none; the level model.
 */
export const noGpuForStructuredData: ResourceValidationPolicy = {
    name: "no-gpu-for-structured-data",
    description: "Training on structured data uses no GPU unless training.gpu pins one on purpose.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: (args, report) => {
        const t = levelTags(args.type, args.props, args.provider);
        if (!t || t.dataKind === undefined) return args.notApplicable("carries no mlops-data-kind tag");
        if (t.dataKind !== "structured" || t.gpuPinned) return;
        const gpu = [
            ...new Set(
                machinesOf(args.type, args.props)
                    .filter((m) => m.gpus > 0)
                    .map((m) => m.machineType),
            ),
        ];
        if (gpu.length > 0)
            report(
                `${label(args)} trains on structured data with GPU machine(s) ${gpu.join(", ")}; use a CPU machine or set training.gpu: true`,
            );
    },
};

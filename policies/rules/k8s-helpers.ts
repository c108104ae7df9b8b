import type { ResourceValidationPolicy, Severity } from "@pulumi/policy";
import { CATALOGUE, findSpec } from "../../catalog";
import { arr, type Check, get, label, resourceRule } from "../props";

/** A container of a pod spec with its display name. */
export interface Container {
    name: string;
    c: unknown;
}

/** Kubernetes workload kinds whose pod spec the rules read (the catalogue says where it sits). */
const POD_TYPES = Object.keys(CATALOGUE).filter((t) => findSpec(t)?.podSpec !== undefined);

export function podSpecOf(type: string, props: Record<string, unknown>): unknown {
    const path = findSpec(type)?.podSpec;
    return path === undefined ? undefined : get(props, path);
}

export function containersOf(spec: unknown): Container[] {
    return [...arr(get(spec, "initContainers")), ...arr(get(spec, "containers"))].map((c, i) => ({
        name: String(get(c, "name") ?? `#${i}`),
        c,
    }));
}

/** A rule over the pod spec of every Kubernetes workload kind; `check` returns the problems found. */
export function podRule(spec: {
    name: string;
    description: string;
    enforcementLevel: "mandatory" | "advisory";
    severity: Severity;
    problems: (pod: unknown, containers: Container[]) => string[];
}): ResourceValidationPolicy {
    const check: Check = (props, args, report) => {
        const pod = podSpecOf(args.type, props);
        if (pod === undefined) return;
        const found = spec.problems(pod, containersOf(pod));
        if (found.length > 0) report(`${label(args)}: ${found.join("; ")}`);
    };
    return resourceRule({
        name: spec.name,
        description: spec.description,
        enforcementLevel: spec.enforcementLevel,
        severity: spec.severity,
        types: POD_TYPES,
        check,
    });
}

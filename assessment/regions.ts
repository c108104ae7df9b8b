import { memoryNeededGb } from "../components/machines/index";
import type { Cloud } from "../components/shared/clouds";
import type { InputProblem } from "../components/shared/errors";
import type { Pipeline } from "../components/shared/levels";
import catalogue from "./regions.json";
import type { Options, Workload } from "./schema";
import { distance } from "./validate";

/**
 * The region catalogue (`regions.json`): each cloud's regions and, per service the levels use, the
 * regions that offer it, each list with its source and the date it was read. This module says
 * which services a stack's levels need and checks the region against both.
 */
export interface ServiceEntry {
    readonly label: string;
    /** Regions offering the service; `all` is every region of the cloud's list. */
    readonly regions: readonly string[] | "all";
    readonly source: string;
    readonly asOf: string;
    /** `confirmed` lists refuse a region they lack; `unverified` ones only warn. */
    readonly confidence: "confirmed" | "unverified";
    readonly note?: string;
}

export interface CloudRegions {
    readonly regions: {
        readonly names: readonly string[];
        readonly source: string;
        readonly asOf: string;
        readonly note?: string;
    };
    readonly services: Readonly<Record<string, ServiceEntry>>;
}

export const REGIONS = (catalogue as unknown as { clouds: Record<Cloud, CloudRegions> }).clouds;

/** Azure compares location names without case or spaces ("East US" is eastus). */
export function canonicalRegion(cloud: Cloud, region: string): string {
    return cloud === "azure" ? region.toLowerCase().replace(/\s+/g, "") : region;
}

/** The regions of `cloud` that offer `service`. */
export function regionsOffering(cloud: Cloud, service: string): readonly string[] {
    const s = REGIONS[cloud].services[service];
    if (s === undefined) throw new Error(`regions.json has no service '${service}' for ${cloud}`);
    return s.regions === "all" ? REGIONS[cloud].regions.names : s.regions;
}

/** The `n` names in `names` closest to `given` by edit distance, closest first. */
export function nearest(given: string, names: readonly string[], n = 3): string[] {
    return [...names]
        .map((name) => ({ name, d: distance(given, name) }))
        .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
        .slice(0, n)
        .map((x) => x.name);
}

/** One service a pipeline's level needs, with why. */
export interface ServiceNeed {
    readonly service: string;
    readonly pipeline: Pipeline;
    readonly level: number;
}

/** Most memory a Consumption replica has on Azure Container Apps; bigger level-1 runs go to Batch. */
const AZURE_CONSUMPTION_MAX_GB = 8;

/**
 * The services the effective levels need in the stack's region. Pure. It mirrors what the
 * components build (README, "How each level is built"): it names the managed services, not the
 * foundation pieces every region has.
 */
export function servicesNeeded(
    cloud: Cloud,
    levels: Partial<Record<Pipeline, number>>,
    workload: Workload,
    options: Pick<Options, "batchRunner">,
    gpu: boolean,
): ServiceNeed[] {
    const out: ServiceNeed[] = [];
    const need = (pipeline: Pipeline, level: number, ...services: string[]) => {
        for (const service of services) out.push({ service, pipeline, level });
    };
    const serverless = (options.batchRunner ?? "serverless") === "serverless";
    const jobGb: Record<Pipeline, number> = {
        data: workload.data?.volumeGb ?? 0,
        training: workload.training?.datasetGb ?? 0,
        inference: workload.inference?.volumeGb ?? 0,
    };
    for (const pipeline of ["data", "training", "inference"] as const) {
        const level = levels[pipeline];
        if (level === undefined) continue;
        const scheduled = pipeline !== "training";
        if (level === 1 && (serverless || !scheduled)) {
            const onGpu = pipeline === "training" && gpu;
            if (cloud === "aws") {
                need(pipeline, level, "sagemaker", "step-functions");
                if (scheduled) need(pipeline, level, "eventbridge-scheduler");
                if (onGpu) need(pipeline, level, "gpu-g5");
            } else if (cloud === "azure") {
                need(pipeline, level, "container-apps");
                if (onGpu) need(pipeline, level, "container-apps-gpu-t4");
                else if (memoryNeededGb(jobGb[pipeline]) > AZURE_CONSUMPTION_MAX_GB) need(pipeline, level, "batch");
            } else {
                need(pipeline, level, "batch", "workflows");
                if (scheduled) need(pipeline, level, "cloud-scheduler");
                if (onGpu) need(pipeline, level, "gpu-g2");
            }
        } else if (level === 2 && pipeline !== "training") {
            if (cloud === "aws") need(pipeline, level, "emr-serverless", "step-functions", "eventbridge-scheduler");
            // The Livy submitter is a scheduled Container Apps job.
            else if (cloud === "azure") need(pipeline, level, "synapse", "container-apps");
            else need(pipeline, level, "dataproc", "cloud-scheduler");
        } else if (level === 3) {
            if (cloud === "aws") need(pipeline, level, "kinesis", "managed-flink");
            else if (cloud === "azure") need(pipeline, level, "event-hubs", "stream-analytics");
            else need(pipeline, level, "dataflow");
        } else if (level === 4) {
            if (cloud === "aws") need(pipeline, level, "sagemaker-serverless", "ecr");
            else if (cloud === "azure") need(pipeline, level, "container-apps", "acr");
            else need(pipeline, level, "cloud-run", "artifact-registry");
        } else if (level === 5 || (level === 2 && pipeline === "training")) {
            const k8s = { aws: "eks", azure: "aks", gcp: "gke" }[cloud];
            need(pipeline, level, k8s);
            if (level === 5) need(pipeline, level, { aws: "ecr", azure: "acr", gcp: "artifact-registry" }[cloud]);
            if (pipeline === "training" && gpu)
                need(pipeline, level, { aws: "gpu-g5", azure: "gpu-ncast4", gcp: "gpu-g2" }[cloud]);
        }
    }
    return out;
}

export interface RegionCheck {
    /** Refusals: an unknown region, or a confirmed service missing there. */
    readonly problems: InputProblem[];
    /** Services whose lists are unverified and do not name the region. */
    readonly warnings: InputProblem[];
}

const PATH = "config.mlops:region";
const A_CLOUD: Record<Cloud, string> = { aws: "an AWS", azure: "an Azure", gcp: "a GCP" };

/**
 * Checks `region` against the catalogue: a region the cloud does not have is refused with the
 * nearest names; a region missing a confirmed service the levels need is refused naming the level
 * and the service, with the regions that offer all of them; an unverified gap is a warning.
 */
export function checkRegion(cloud: Cloud, region: string, needs: readonly ServiceNeed[], file?: string): RegionCheck {
    const names = REGIONS[cloud].regions.names;
    const r = canonicalRegion(cloud, region);
    if (!names.includes(r)) {
        const other = (Object.keys(REGIONS) as Cloud[]).find(
            (c) => c !== cloud && REGIONS[c].regions.names.includes(canonicalRegion(c, region)),
        );
        const elsewhere = other ? ` ('${region}' is ${A_CLOUD[other]} region, but mlops:cloud is ${cloud})` : "";
        return {
            problems: [
                {
                    file,
                    path: PATH,
                    message: `'${region}' is not ${A_CLOUD[cloud]} region${elsewhere}; nearest: ${nearest(r, names).join(", ")} (assessment/regions.json lists all ${names.length})`,
                },
            ],
            warnings: [],
        };
    }
    const missing = needs.filter((n) => !regionsOffering(cloud, n.service).includes(r));
    const describe = (list: readonly ServiceNeed[]) => {
        const byService = new Map<string, ServiceNeed[]>();
        for (const n of list) byService.set(n.service, [...(byService.get(n.service) ?? []), n]);
        return [...byService]
            .map(
                ([s, ns]) =>
                    `${REGIONS[cloud].services[s]!.label} (${[...new Set(ns.map((n) => `${n.pipeline} level ${n.level}`))].join(", ")})`,
            )
            .join("; ");
    };
    const confirmed = missing.filter((n) => REGIONS[cloud].services[n.service]!.confidence === "confirmed");
    const unverified = missing.filter((n) => REGIONS[cloud].services[n.service]!.confidence === "unverified");
    const problems: InputProblem[] = [];
    if (confirmed.length > 0) {
        const services = [...new Set(needs.map((n) => n.service))];
        const everywhere = names.filter((name) => services.every((s) => regionsOffering(cloud, s).includes(name)));
        const suggestion =
            everywhere.length > 0
                ? `regions that offer everything this stack needs, nearest first: ${nearest(r, everywhere, 5).join(", ")}${everywhere.length > 5 ? ` (${everywhere.length} in all)` : ""}`
                : "no region offers all of them: change the level that needs the missing service";
        problems.push({
            file,
            path: PATH,
            message: `'${region}' does not offer ${describe(confirmed)}; ${suggestion}`,
        });
    }
    const warnings: InputProblem[] =
        unverified.length > 0
            ? [
                  {
                      file,
                      path: PATH,
                      message: `not confirmed that '${region}' offers ${describe(unverified)} (assessment/regions.json marks these lists unverified); check before pulumi up`,
                  },
              ]
            : [];
    return { problems, warnings };
}

import type * as pulumi from "@pulumi/pulumi";
import type { AzureJobProfile } from "../../machines/azure";

// Container Apps as the Azure jobs use it: the environment's workload profiles, named from the
// machine profiles jobs are placed on, and the environment every job container gets.

/** The workload profile every workload-profiles environment has, under this fixed name. */
export const CONSUMPTION_PROFILE = "Consumption";

/** One entry of the environment's `workloadProfiles`, as plain data. */
export interface WorkloadProfileSpec {
    readonly name: string;
    readonly workloadProfileType: string;
    readonly minimumCount?: number;
    readonly maximumCount?: number;
}

/**
 * Environment every Azure job container gets: where data and artifacts live, its pipeline, and
 * AZURE_CLIENT_ID so DefaultAzureCredential uses the jobs identity. `extra` comes last and wins.
 */
export function jobEnvironment(
    f: {
        readonly dataUri: pulumi.Input<string>;
        readonly artifactsUri: pulumi.Input<string>;
        /** The jobs identity's client id. */
        readonly identityClientId: pulumi.Input<string>;
    },
    pipeline: string,
    extra: Record<string, pulumi.Input<string>> = {},
): { name: string; value: pulumi.Input<string> }[] {
    const env: Record<string, pulumi.Input<string>> = {
        DATA_URI: f.dataUri,
        ARTIFACTS_URI: f.artifactsUri,
        PIPELINE: pipeline,
        AZURE_CLIENT_ID: f.identityClientId,
        ...extra,
    };
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** The name a profile gets inside the environment; jobs pin `workloadProfileName` to it. */
export function workloadProfileName(p: Pick<AzureJobProfile, "profileType" | "dedicated" | "gpus">): string {
    if (p.profileType === "Consumption") return CONSUMPTION_PROFILE;
    if (p.gpus > 0) return `gpu-${p.profileType.split("-").pop()?.toLowerCase()}`;
    return `dedicated-${p.profileType.toLowerCase()}`;
}

/**
 * The environment's workload profiles for the jobs that asked: Consumption always; a Dedicated
 * profile scales from 0 to one node per job that uses it (jobs may run at the same time); serverless
 * GPU profiles take no counts. Pure, so it is tested on its own.
 */
export function workloadProfilesFor(requests: readonly AzureJobProfile[]): WorkloadProfileSpec[] {
    const out: WorkloadProfileSpec[] = [{ name: CONSUMPTION_PROFILE, workloadProfileType: "Consumption" }];
    const counts = new Map<string, { profile: AzureJobProfile; jobs: number }>();
    for (const p of requests) {
        if (p.profileType === "Consumption") continue;
        const entry = counts.get(p.profileType) ?? { profile: p, jobs: 0 };
        entry.jobs += 1;
        counts.set(p.profileType, entry);
    }
    for (const { profile, jobs } of [...counts.values()].sort((a, b) =>
        a.profile.profileType.localeCompare(b.profile.profileType),
    ))
        out.push(
            profile.dedicated
                ? {
                      name: workloadProfileName(profile),
                      workloadProfileType: profile.profileType,
                      minimumCount: 0,
                      maximumCount: jobs,
                  }
                : { name: workloadProfileName(profile), workloadProfileType: profile.profileType },
        );
    return out;
}

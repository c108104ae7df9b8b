import { readFileSync } from "node:fs";
import * as path from "node:path";

/** One row of a cloud's table in docs/NETWORK.md. */
export interface RouteRow {
    /** The cloud's section: `aws`, `azure`, `gcp`, or `kubernetes` (the cluster's routes on every cloud). */
    readonly cloud: string;
    /** The row's level cell, carried down from the row above when empty (a row continues a job). */
    readonly level: string;
    readonly job: string;
    readonly calls: string;
    readonly route: string;
    readonly status: string;
}

/** Section headings by their first word; the Kubernetes section names each row's cloud in its job cell. */
const SECTIONS: Readonly<Record<string, string>> = { AWS: "aws", Azure: "azure", GCP: "gcp", Kubernetes: "kubernetes" };

/**
 * The per-cloud route tables of docs/NETWORK.md: every row under a `## AWS|Azure|GCP …` heading
 * whose table has the columns level, job / compute, calls, route, status. Empty level and job
 * cells repeat the row above, as the table reads.
 */
export function routeTable(file = path.resolve(__dirname, "../../docs/NETWORK.md")): RouteRow[] {
    const rows: RouteRow[] = [];
    let cloud: string | undefined;
    let level = "";
    let job = "";
    for (const line of readFileSync(file, "utf8").split("\n")) {
        const heading = /^## (\w+)/.exec(line);
        if (heading) {
            cloud = SECTIONS[heading[1]!];
            level = job = "";
            continue;
        }
        if (!cloud || !line.startsWith("|") || /^\|[-| ]+\|$/.test(line)) continue;
        const cells = line
            .slice(1, line.endsWith("|") ? -1 : undefined)
            .split("|")
            .map((c) => c.trim());
        if (cells.length !== 5 || cells[0] === "level") continue;
        level = cells[0] || level;
        job = cells[1] || job;
        rows.push({ cloud, level, job, calls: cells[2]!, route: cells[3]!, status: cells[4]! });
    }
    return rows;
}

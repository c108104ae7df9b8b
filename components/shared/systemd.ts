// The `vm` runners' schedule on every cloud: a systemd timer that starts a oneshot service running
// the job's container, written into the VM by cloud-init. Pure text builders, tested on their own.

/**
 * A timer unit that starts its service at `onCalendar` (a systemd OnCalendar value, in UTC; see
 * toSystemdOnCalendar). Persistent: a run missed while the machine was off starts at boot.
 */
export function timerUnit(description: string, onCalendar: string): string {
    return [
        "[Unit]",
        `Description=${description}`,
        "[Timer]",
        `OnCalendar=${onCalendar}`,
        "Persistent=true",
        "[Install]",
        "WantedBy=timers.target",
    ].join("\n");
}

/** An environment file (`KEY=value` per line) as `docker run --env-file` reads it: one line per value. */
export function envFile(env: Readonly<Record<string, string>>): string {
    return Object.entries(env)
        .map(([k, v]) => `${k}=${v.replace(/\n/g, " ")}`)
        .join("\n");
}

/**
 * One entry of cloud-config `write_files`, as lines: the path, its permissions and owner when
 * given, and the content as a literal block.
 */
export function cloudConfigFile(
    path: string,
    content: string,
    o: { permissions?: string; owner?: string } = {},
): string[] {
    return [
        `  - path: ${path}`,
        ...(o.permissions !== undefined ? [`    permissions: "${o.permissions}"`] : []),
        ...(o.owner !== undefined ? [`    owner: ${o.owner}`] : []),
        "    content: |",
        content
            .split("\n")
            .map((l) => `      ${l}`)
            .join("\n"),
    ];
}

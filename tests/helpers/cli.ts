import { main } from "../../cli/main";

/** What one run of the command line printed and its exit code, as `mlops-levels <args>` would. */
export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["node", "mlops-levels", ...args], { log: (s) => out.push(s), error: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
}

// Preloaded by the benchmark into child processes: reports the process's peak memory on exit.
process.on("exit", () => {
    process.stderr.write(`\n__MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});

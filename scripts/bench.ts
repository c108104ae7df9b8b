/**
 * `npm run bench`: wall time and peak memory of the offline plan of every stack, of the
 * type-check, and of the baselines they are judged against (loading one cloud's SDK; type-checking
 * a program that imports the four provider packages by their roots). The machines are shared and
 * noisy: read the ratios within one run, not the absolute seconds.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const preload = path.join(root, "scripts/rss-at-exit.js");
const tsc = path.join(root, "node_modules/typescript/lib/tsc.js");
const runs = Number(process.env["BENCH_RUNS"] ?? 3);

interface Sample {
    seconds: number;
    maxRssMb: number;
}

function measure(args: string[], cwd = root): Sample {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ["--require", preload, ...args], {
        cwd,
        encoding: "utf8",
        maxBuffer: 64 << 20,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const m = /__MAXRSS_KB=(\d+)/.exec(r.stderr ?? "");
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
    return { seconds, maxRssMb: m ? Number(m[1]) / 1024 : Number.NaN };
}

/** Median of `runs` samples (by time), after one warm-up so disk caches are equal for all. */
function bench(label: string, args: string[], cwd = root): { label: string } & Sample {
    measure(args, cwd);
    const samples = Array.from({ length: runs }, () => measure(args, cwd)).sort((a, b) => a.seconds - b.seconds);
    const mid = samples[Math.floor(samples.length / 2)]!;
    process.stderr.write(`  ${label}: ${mid.seconds.toFixed(2)} s\n`);
    return { label, ...mid };
}

function main(): void {
    // The CLI runs from dist/ when it is fresh, as after `npm ci`: measure that.
    require("./build.js").build();
    process.stderr.write(`Benchmarking (${runs} runs each, median)...\n`);
    const cli = path.join(root, "cli/bin.js");
    const stackFiles = [
        ...readdirSync(path.join(root, "stacks"))
            .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
            .map((f) => path.join("stacks", f)),
        ...["aws", "azure", "gcp"].flatMap((c) => {
            const d = path.join(root, "examples/stacks", c);
            try {
                return readdirSync(d)
                    .filter((f) => f.endsWith(".yaml"))
                    .map((f) => path.join("examples/stacks", c, f));
            } catch {
                return [];
            }
        }),
    ];
    const results: ({ label: string } & Sample)[] = [];
    const load = (pkg: string) => bench(`load ${pkg}`, ["-e", `require(${JSON.stringify(pkg)})`]);
    const sdkLoad = { aws: load("@pulumi/aws"), azure: load("@pulumi/azure-native"), gcp: load("@pulumi/gcp") };
    results.push(...Object.values(sdkLoad));
    for (const f of stackFiles) {
        const cloud = /cloud:\s*(\w+)/.exec(
            require("node:fs").readFileSync(path.join(root, f), "utf8"),
        )?.[1] as keyof typeof sdkLoad;
        const r = bench(`plan ${f}`, [cli, "plan", "--config", f, "--json"]);
        results.push({
            ...r,
            label: `${r.label}  (x${(r.seconds / sdkLoad[cloud].seconds).toFixed(2)} of loading the ${cloud} SDK)`,
        });
    }
    const program = bench("tsc --noEmit (the program: stacks + cli, all three clouds)", [
        tsc,
        "--noEmit",
        "-p",
        "tsconfig.program.json",
    ]);
    const own = bench("tsc --noEmit (whole project with tests)", [tsc, "--noEmit", "-p", "tsconfig.json"]);
    // The baseline the issue names: a program importing the four provider packages by their roots.
    const dir = mkdtempSync(path.join(tmpdir(), "mlops-bench-"));
    writeFileSync(
        path.join(dir, "index.ts"),
        'import * as aws from "@pulumi/aws";\nimport * as azure from "@pulumi/azure-native";\nimport * as gcp from "@pulumi/gcp";\nimport * as k8s from "@pulumi/kubernetes";\nexport const used = [aws, azure, gcp, k8s].length;\n',
    );
    writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: {
                strict: true,
                target: "ES2022",
                module: "commonjs",
                moduleResolution: "node10",
                skipLibCheck: true,
                noEmit: true,
                types: [],
                typeRoots: [path.join(root, "node_modules/@types")],
                baseUrl: root,
                paths: { "*": [path.join(root, "node_modules/*")] },
            },
            files: ["index.ts"],
        }),
    );
    const roots = bench("tsc --noEmit (baseline: four provider roots)", [
        tsc,
        "--noEmit",
        "-p",
        path.join(dir, "tsconfig.json"),
    ]);
    results.push(
        {
            ...own,
            label: `${own.label}  (x${(own.seconds / roots.seconds).toFixed(2)} time, x${(own.maxRssMb / roots.maxRssMb).toFixed(2)} memory of the baseline)`,
        },
        roots,
    );

    const w = Math.max(...results.map((r) => r.label.length));
    console.log(`${"what".padEnd(w)}  seconds  peak MB`);
    for (const r of results)
        console.log(`${r.label.padEnd(w)}  ${r.seconds.toFixed(2).padStart(7)}  ${r.maxRssMb.toFixed(0).padStart(7)}`);
}

main();

import * as pulumi from "@pulumi/pulumi";
import { mockCall, mockResource } from "./mock";

/** One resource the program asked the engine to create. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent (the Stack for top-level resources); absent for the Stack itself. */
    parent?: string;
    protect: boolean;
    /** Deleting it from the stack leaves the cloud resource (and its data) in place. */
    retainOnDelete: boolean;
    /** A replacement deletes it before creating the new one (one name, one object). */
    deleteBeforeReplace: boolean;
    custom: boolean;
    /** URN of the explicit provider, if any. */
    provider?: string;
    /** Inputs as the provider would receive them; secrets are shown as "[secret]". */
    inputs: Record<string, unknown>;
    /** Computed outputs from the mock engine. */
    outputs: Record<string, unknown>;
    dependencies: string[];
}

export interface OfflineRun {
    project: string;
    stack: string;
    resources: PlannedResource[];
    /** The stack's exports, resolved. */
    outputs: Record<string, unknown>;
}

export interface OfflineOptions {
    project: string;
    stack: string;
    /** Region for realistic computed outputs (ARNs, endpoints). */
    region: string;
    /** The config map as Pulumi hands it to a program: `ns:key` → string (objects as JSON). */
    config: Record<string, string>;
    program: () => Promise<Record<string, unknown>>;
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Replaces Pulumi's secret envelopes by a marker, recursively. */
function showSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(showSecrets);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (SECRET_SIG in o) return "[secret]";
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, showSecrets(x)]));
    }
    return v;
}

// biome-ignore lint/suspicious/noExplicitAny: protobuf request objects of the engine's RPC
type Req = any;

/** The latest run, settled or not: each run waits for the one before (see `runOffline`). */
let previous: Promise<unknown> = Promise.resolve();

/**
 * Runs a Pulumi program against Pulumi's own in-process mock engine (`setMocks`) and records every
 * resource registration with its parent, protect flag and inputs. No CLI, no plugins, no account.
 * The real SDK classes run exactly as under `pulumi up`; only the engine's answers are mocked.
 *
 * The Pulumi runtime is one per process (its mocks, config and stack are globals), so runs started
 * together would register into each other's plans: each run starts once the one before it has
 * finished, whatever its outcome.
 */
export function runOffline(o: OfflineOptions): Promise<OfflineRun> {
    const run = previous.then(() => runOnce(o));
    previous = run.catch(() => undefined);
    return run;
}

async function runOnce(o: OfflineOptions): Promise<OfflineRun> {
    const resources: PlannedResource[] = [];
    const byUrn = new Map<string, PlannedResource>();
    let stackOutputs: Record<string, unknown> = {};
    let stackUrn: string | undefined;

    // A type or function the catalogue does not know is refused: the plan fails with its token once
    // the program has run. Answering it with nothing (rather than rejecting inside the SDK) keeps the
    // refusal from resurfacing later as a rejection nobody awaits.
    const refused: unknown[] = [];
    const answer = <T>(f: () => T, nothing: T): T => {
        try {
            return f();
        } catch (e) {
            refused.push(e);
            return nothing;
        }
    };
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => answer(() => mockResource(args, o.region), { id: undefined, state: {} }),
            call: (args) => answer(() => mockCall(args, o.region), {}),
        },
        o.project,
        o.stack,
        false,
    );
    pulumi.runtime.setAllConfig(o.config);

    const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: Req, cb: (err: unknown, res: Req) => void): Promise<void>;
        registerResourceOutputs(req: Req, cb: (err: unknown, res: Req) => void): void;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: Req, cb: (err: unknown, res: Req) => void) =>
        register(req, (err, res) => {
            if (!err && res) {
                const urn: string = res.getUrn();
                const r: PlannedResource = {
                    urn,
                    type: req.getType(),
                    name: req.getName(),
                    parent: req.getParent() || undefined,
                    protect: Boolean(req.getProtect()),
                    retainOnDelete: Boolean(req.getRetainondelete()),
                    deleteBeforeReplace: Boolean(req.getDeletebeforereplace()),
                    custom: Boolean(req.getCustom()),
                    provider: req.getProvider()
                        ? String(req.getProvider()).split("::").slice(0, 4).join("::")
                        : undefined,
                    inputs: showSecrets(pulumi.runtime.deserializeProperties(req.getObject())) as Record<
                        string,
                        unknown
                    >,
                    outputs: showSecrets(pulumi.runtime.deserializeProperties(res.getObject())) as Record<
                        string,
                        unknown
                    >,
                    dependencies: req.getDependenciesList(),
                };
                if (r.type === "pulumi:pulumi:Stack") stackUrn = urn;
                resources.push(r);
                byUrn.set(urn, r);
            }
            cb(err, res);
        });
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: Req, cb: (err: unknown, res: Req) => void) => {
        // A component of an earlier run in this process may finish registering its outputs late,
        // after this run's engine replaced that run's: it belongs to no plan here, so ignore it.
        if (!byUrn.has(req.getUrn())) return cb(null, undefined);
        if (req.getUrn() === stackUrn)
            stackOutputs = showSecrets(pulumi.runtime.deserializeProperties(req.getOutputs())) as Record<
                string,
                unknown
            >;
        registerOutputs(req, cb);
    };

    // The program's own error is caught inside the Stack and rethrown after the run: letting it
    // escape would make the Pulumi runtime re-raise it on promises nobody awaits.
    let programError: unknown;
    const errors: unknown[] = [];
    const onRejection = (e: unknown) => errors.push(e);
    process.on("unhandledRejection", onRejection);
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            try {
                return await o.program();
            } catch (e) {
                programError = e;
                return {};
            }
        });
        await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    } finally {
        process.off("unhandledRejection", onRejection);
    }
    if (refused.length > 0) throw refused[0];
    if (programError !== undefined) throw programError;
    if (errors.length > 0) throw errors[0];
    return { project: o.project, stack: o.stack, resources, outputs: stackOutputs };
}

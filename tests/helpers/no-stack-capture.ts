/**
 * Jest setup, run before every test file. The Pulumi runtime records a JavaScript stack for every
 * promise it tracks (`debuggablePromise`, for the leak report it prints when a process exits) and
 * for every resource (`Resource.callsites`, the source position it sends the engine). Under jest
 * each of those stacks is 100 frames deep and every frame is mapped back through source maps: that
 * was half the time of an offline plan. Neither stack is read here: the mock monitor drops source
 * positions and a test worker never prints the leak report. Both now skip the capture; what the
 * runtime registers, and how, is unchanged.
 */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise?: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
};
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites?: () => unknown[] } };

const track = debuggable.debuggablePromise;
if (typeof track !== "function" || typeof Resource.callsites !== "function")
    throw new Error(
        "@pulumi/pulumi no longer has runtime/debuggable.debuggablePromise or Resource.callsites: update tests/helpers/no-stack-capture.ts",
    );

debuggable.debuggablePromise = <T>(p: Promise<T>, ctx: unknown): Promise<T> => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return track(p, ctx);
    } finally {
        Error.stackTraceLimit = limit;
    }
};
Resource.callsites = () => [];

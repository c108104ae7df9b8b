/**
 * Jest setup, run before every test file. The Pulumi runtime wraps every promise it tracks in
 * `debuggablePromise`, which records a JavaScript stack and a leak-candidate entry for the report it
 * prints when a process exits, and records a stack for every resource (`Resource.callsites`, the
 * source position it sends the engine). Under jest each stack is 100 frames deep and every frame is
 * mapped back through source maps: that was half the time of an offline plan. Nothing here reads
 * them: the mock monitor drops source positions and a test worker never prints the leak report.
 * So tracked promises pass through unwrapped and resources carry no source position; what the
 * runtime registers, and in which order, is unchanged.
 */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise?: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
};
const { Resource } = require("@pulumi/pulumi/resource") as { Resource: { callsites?: () => unknown[] } };

if (typeof debuggable.debuggablePromise !== "function" || typeof Resource.callsites !== "function")
    throw new Error(
        "@pulumi/pulumi no longer has runtime/debuggable.debuggablePromise or Resource.callsites: update tests/helpers/no-stack-capture.ts",
    );

debuggable.debuggablePromise = <T>(p: Promise<T>): Promise<T> => p;
Resource.callsites = () => [];

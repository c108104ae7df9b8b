// Where the deployer (`pulumi up`) must stand to write what a stack uploads. Pure; no SDK.

/** The stack option that admits the deployer's public addresses. */
export const DEPLOYER_CIDRS_PATH = "config.mlops:options.deployerCidrs";

/**
 * Why an Azure level-3 stack's run command cannot send its sample event from outside the network, or
 * undefined when it can: the Event Hubs namespace's firewall admits the stack's subnets and
 * `deployerCidrs` only. Pure.
 */
export function streamSendWarning(streams: boolean, cidrs: readonly string[]): string | undefined {
    if (!streams || cidrs.length > 0) return undefined;
    return (
        "the level-3 run command sends the sample event to the Event Hubs namespace, whose firewall admits only " +
        "the stack's subnets and these addresses: list the public IPv4 address you run it from, or run it inside the VNet"
    );
}

/**
 * Why an Azure stack's first `pulumi up` can fail at its sample uploads, or undefined when it cannot:
 * the foundation's storage firewall admits the stack's own subnets and `deployerCidrs` only, and
 * the deployer writes `uploads` files through the account's data plane. With no addresses listed,
 * only a deployer inside a subnet the account admits gets through, and none exists before the first
 * `up`. Pure.
 */
export function deployerPathWarning(uploads: number, cidrs: readonly string[]): string | undefined {
    if (uploads === 0 || cidrs.length > 0) return undefined;
    return (
        `the foundation uploads ${uploads} reference file${uploads === 1 ? "" : "s"} to its storage account, whose firewall ` +
        "admits only the stack's subnets and these addresses: list the public IPv4 address `pulumi up` runs from " +
        "(e.g. [203.0.113.7/32]; a CI runner's egress address), or the uploads are refused with 403 " +
        "(addresses from the account's own Azure region are not matched: run from another region or a network the account admits)"
    );
}

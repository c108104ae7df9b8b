import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, type StackSettings, stackFilePath } from "../assessment/config";

/**
 * The config file the current run reads. `pulumi up` reads `stacks/Pulumi.<stack>.yaml`; the
 * offline plan sets this to the file it was given, so messages name the right file.
 */
let configFile: string | undefined;

export function setConfigFileForMessages(file: string | undefined): void {
    configFile = file;
}

/** Reads and validates the stack's config as the Pulumi engine hands it to the program. */
export function readStackSettings(): StackSettings {
    const stack = pulumi.getStack();
    const file = configFile ?? stackFilePath(stack);
    return parseStackConfig(pulumi.runtime.allConfig(), file, stack);
}

import type { Cloud } from "../shared/clouds";
import type { CloudKit } from "./kit";

/**
 * Loads the kit of one cloud, and with it that cloud's SDK only. A lazy `require` rather than
 * `import()`: it resolves the same way under tsx, ts-jest and compiled JavaScript.
 */
export async function loadKit(cloud: Cloud): Promise<CloudKit> {
    switch (cloud) {
        case "aws":
            return (require("./aws") as typeof import("./aws")).awsKit;
        case "azure":
            return (require("./azure") as typeof import("./azure")).azureKit;
        case "gcp":
            return (require("./gcp") as typeof import("./gcp")).gcpKit;
    }
}

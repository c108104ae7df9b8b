import type { Cloud } from "../../components/shared/clouds";
import type { MachineFact } from "../machines/shapes";
import { awsMachineHour } from "./aws";
import { azureMachineHour } from "./azure";
import { gcpMachineHour } from "./gcp";

export * from "./env";
export { workflowPolls } from "./gcp";

/** Hourly price of one machine on `cloud`, or MissingPrice. */
export function machineHour(cloud: Cloud, f: MachineFact, price: (key: string) => number): number {
    switch (cloud) {
        case "aws":
            return awsMachineHour(f, price);
        case "azure":
            return azureMachineHour(f, price);
        case "gcp":
            return gcpMachineHour(f, price);
    }
}

// Entry point of `pulumi up`: Pulumi calls the exported function and exports what it returns.
import { program } from "./program";

export = program;

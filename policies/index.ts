import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules";

// The entry only assembles the pack: constructing PolicyPack starts the analyzer server, so tests
// and the offline plan import ./rules (and ./run) instead of this file.
new PolicyPack("mlops-levels", {
    description:
        "Gates over-provisioning against the assessed ML levels, keeps stacks within caps and budget, and enforces a security baseline on AWS, Azure, GCP and Kubernetes.",
    enforcementLevel: "advisory",
    policies: RULES,
});

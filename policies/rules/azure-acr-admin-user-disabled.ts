import { isTrue, label, resourceRule } from "../props";

/**
 * Container registries keep the shared admin user off; pulls and pushes use identities.
 * Public source: Checkov CKV_AZURE_137; Azure Policy "Container registries should have local admin account disabled".
 */
export const azureAcrAdminUserDisabled = resourceRule({
    name: "azure-acr-admin-user-disabled",
    description: "Container registries do not enable the admin user.",
    enforcementLevel: "mandatory",
    severity: "high",
    types: ["azure-native:containerregistry:Registry"],
    check: (props, args, report) => {
        if (isTrue(props["adminUserEnabled"])) report(`${label(args)} enables the admin user`);
    },
});

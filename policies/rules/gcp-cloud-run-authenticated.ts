import { type AllowConfig, allowSchema } from "../config";
import { arr, isTrue, label, resourceRule } from "../props";

const PUBLIC = new Set(["allUsers", "allAuthenticatedUsers"]);

/**
 * Cloud Run services require authentication: no `allUsers` / `allAuthenticatedUsers` invoker and no
 * disabled invoker IAM check, unless the pack config allows a public endpoint (`allow: true`).
 * Public source: Checkov CKV_GCP_102 (Cloud Run not publicly accessible); CIS GCP 1.x (no allUsers bindings).
 */
export const gcpCloudRunAuthenticated = resourceRule({
    name: "gcp-cloud-run-authenticated",
    description: "Cloud Run services are not invokable by allUsers/allAuthenticatedUsers unless allowed by config.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: allowSchema("Allow unauthenticated Cloud Run invocation (a public REST endpoint)."),
    types: [
        "gcp:cloudrunv2/service:Service",
        "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
        "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
        "gcp:cloudrun/iamMember:IamMember",
        "gcp:cloudrun/iamBinding:IamBinding",
    ],
    check: (props, args, report) => {
        if (args.getConfig<Partial<AllowConfig>>().allow === true) return;
        if (args.type === "gcp:cloudrunv2/service:Service") {
            if (isTrue(props["invokerIamDisabled"])) report(`${label(args)} disables the invoker IAM check`);
            return;
        }
        const members = [props["member"], ...arr(props["members"])].filter((m): m is string => typeof m === "string");
        const pub = members.filter((m) => PUBLIC.has(m));
        if (pub.length > 0 && String(props["role"] ?? "").includes("run.invoker"))
            report(`${label(args)} lets ${pub.join(", ")} invoke the service`);
    },
});

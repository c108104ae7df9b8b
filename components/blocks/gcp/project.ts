import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../shared/errors";

// The GCP project every resource of the stack lives in, and the APIs a component switches on there.

/**
 * The GCP project id from stack config `gcp:project`. An explicit provider does not read it by
 * itself, and every IAM binding needs it spelled out.
 */
export function gcpProject(): string {
    const project = new pulumi.Config("gcp").get("project");
    if (project === undefined || project.trim() === "")
        throw new InputError([
            { path: "config.gcp:project", message: "is required for cloud gcp (the GCP project id)" },
        ]);
    return project;
}

/**
 * Enables the APIs a component uses. `disableOnDestroy: false` because another stack, or a person,
 * may use the same API in the project: removing a stack must never switch an API off.
 */
export function enableApis(
    parent: pulumi.Resource,
    prefix: string,
    project: string,
    services: readonly string[],
): projects.Service[] {
    return services.map(
        (service) =>
            new projects.Service(
                `${prefix}-api-${service.split(".")[0]}`,
                { project, service, disableOnDestroy: false, disableDependentServices: false },
                { parent },
            ),
    );
}

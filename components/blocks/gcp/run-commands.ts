import * as pulumi from "@pulumi/pulumi";
import { shellQuote } from "../../shared/shell";
import { SAMPLE_EVENT, SAMPLE_FEATURES } from "./reference";

// The commands a team runs after `pulumi up` to start each pipeline or call its endpoint, built from
// the stack's own outputs (the stack exports them as `runCommands`).

/** Starts one execution of a Workflow and waits for its result (`gcloud workflows run`). */
export function workflowRunCommand(
    workflow: pulumi.Input<string>,
    project: string,
    region: string,
): pulumi.Output<string> {
    return pulumi.interpolate`gcloud workflows run ${workflow} --location=${region} --project=${project}`;
}

/** Runs a Dataproc workflow template now: it creates its cluster, runs the job and deletes the cluster. */
export function workflowTemplateRunCommand(
    template: pulumi.Input<string>,
    project: string,
    region: string,
): pulumi.Output<string> {
    return pulumi.interpolate`gcloud dataproc workflow-templates instantiate ${template} --region=${region} --project=${project}`;
}

/** Publishes the sample event to a topic (a full `projects/<p>/topics/<t>` id is accepted as is). */
export function publishCommand(topic: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`gcloud pubsub topics publish ${topic} --message=${shellQuote(JSON.stringify(SAMPLE_EVENT))}`;
}

/**
 * Calls a KServe V1 endpoint with the sample row's features. Behind Cloud Run's IAM check the
 * caller sends its Google identity token (`gcloud auth print-identity-token`), as Cloud Run's
 * authentication guide shows; a public endpoint needs none.
 */
export function predictCommand(
    url: pulumi.Input<string>,
    model: string,
    authenticated: boolean,
): pulumi.Output<string> {
    const body = shellQuote(JSON.stringify({ instances: [SAMPLE_FEATURES] }));
    const auth = authenticated ? `-H "Authorization: Bearer $(gcloud auth print-identity-token)" ` : "";
    return pulumi.interpolate`curl -sS -X POST ${auth}-H "Content-Type: application/json" ${url}/v1/models/${model}:predict -d ${body}`;
}

/** Calls a team's own server at its root: the stack does not know its protocol. */
export function callCommand(url: pulumi.Input<string>, authenticated: boolean): pulumi.Output<string> {
    const auth = authenticated ? `-H "Authorization: Bearer $(gcloud auth print-identity-token)" ` : "";
    return pulumi.interpolate`curl -sS ${auth}${url}`;
}

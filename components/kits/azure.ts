import { Provider } from "@pulumi/azure-native/provider";
import { azureBatchJobKit } from "../batch-job/azure";
import { AZURE_SKLEARN_IMAGE } from "../blocks/azure/reference";
import { onFirstUse } from "../capability";
import { azureEndpointKit } from "../endpoint/azure";
import { AzureFoundation } from "../foundation/azure";
import { azureRegistryKit } from "../registry/azure";
import { azureSparkKit } from "../spark/azure";
import { azureStreamingKit } from "../streaming/azure";
import { azureTrainingJobKit } from "../training-job/azure";
import type { CloudKit } from "./kit";

/**
 * Azure implementation of every capability.
 *
 * An explicit provider keeps the pattern of the other clouds (every resource of the stack gets it
 * through the components' `providers` option) and sets the default location to mlops:region.
 * Resources still name their location explicitly. The subscription and credentials come from the
 * environment (`az login`, ARM_* variables or a managed identity), never from the stack file.
 */
export const azureKit: CloudKit = {
    cloud: "azure",
    /**
     * Azure Machine Learning's curated scikit-learn image, public on MCR and pinned, for every
     * level-1 job: with it a job runs the reference pipeline (jobs/cloud_io.py around
     * `python -m jobs.<step>`, its inputs uploaded by the stack). A team's own image
     * (`mlops:options.images`) runs its own entrypoint instead. Inference at level 4 has its own
     * default, the model server (components/endpoint/azure.ts).
     */
    defaultImages: () => ({ data: AZURE_SKLEARN_IMAGE, training: AZURE_SKLEARN_IMAGE, inference: AZURE_SKLEARN_IMAGE }),
    provider: (region) => new Provider("azure-native", { location: region }),
    foundation: (name, args, opts) => new AzureFoundation(name, args, opts),
    batchJob: azureBatchJobKit,
    trainingJob: azureTrainingJobKit,
    spark: azureSparkKit,
    streaming: azureStreamingKit,
    registry: azureRegistryKit,
    endpoint: azureEndpointKit,
    kubernetes: onFirstUse(
        () => (require("../kubernetes/azure") as typeof import("../kubernetes/azure")).azureKubernetesKit,
    ),
};

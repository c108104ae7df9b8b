import { Provider } from "@pulumi/azure-native/provider";
import { azureBatchJobKit } from "../batch-job/azure";
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
     * Public Microsoft images (mcr.microsoft.com) with Python and conda on Ubuntu 22.04, so a team
     * can start with a script before building its own image. Training uses the CUDA variant, which
     * runs on CPU profiles too.
     */
    defaultImages: () => ({
        data: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
        training: "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest",
        inference: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    }),
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

import { Provider } from "@pulumi/azure-native/provider";
import { checkBatchJobArgs } from "../batch-job";
import { AzureBatchJob } from "../batch-job/azure";
import { azureEndpointKit } from "../endpoint/azure";
import type { Foundation } from "../foundation";
import { asFoundation } from "../foundation";
import { AzureFoundation } from "../foundation/azure";
import { AZURE_VM_SIZES, placeJob } from "../machines/azure";
import { machineProblems } from "../machines/index";
import { azureRegistryKit } from "../registry/azure";
import { onCalendarOrThrow } from "../shared/cron";
import { problemsOf } from "../shared/errors";
import { azureSparkKit } from "../spark/azure";
import { azureStreamingKit } from "../streaming/azure";
import { checkTrainingJobArgs } from "../training-job";
import { AzureTrainingJob } from "../training-job/azure";
import { type CloudKit, onFirstUse, underWorkload } from "./index";

function azureFoundation(f: Foundation): AzureFoundation {
    return asFoundation(f, AzureFoundation, "Azure");
}

/**
 * Azure implementation of every level-1 capability.
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
    batchJob: (name, args, opts) =>
        new AzureBatchJob(name, { ...args, foundation: azureFoundation(args.foundation) }, opts),
    trainingJob: (name, args, opts) =>
        new AzureTrainingJob(name, { ...args, foundation: azureFoundation(args.foundation) }, opts),
    spark: azureSparkKit,
    streaming: azureStreamingKit,
    registry: azureRegistryKit,
    endpoint: azureEndpointKit,
    kubernetes: onFirstUse(
        () => (require("../kubernetes/azure") as typeof import("../kubernetes/azure")).azureKubernetesKit,
    ),
    checks: {
        batchJob: (a) => {
            const base = `config.mlops:workload.${a.pipeline}`;
            const own = underWorkload(a.pipeline, checkBatchJobArgs(a));
            if (own.length > 0) return own;
            return a.runner === "vm"
                ? [
                      ...problemsOf(() => onCalendarOrThrow(a.schedule, `${base}.schedule`)),
                      ...machineProblems(AZURE_VM_SIZES, a.volumeGb, false, `${base}.volumeGb`),
                  ]
                : // Consumption, else the Batch pool's VM sizes: the same placement the component makes.
                  problemsOf(() => placeJob(a.volumeGb, false, a.region, `${base}.volumeGb`));
        },
        trainingJob: (a) => [
            ...underWorkload("training", checkTrainingJobArgs(a)),
            ...problemsOf(() => placeJob(a.datasetGb, a.gpu, a.region, "config.mlops:workload.training.datasetGb")),
        ],
    },
};

import type { MachineType } from "./index";

/**
 * An AWS machine type. `localStorageGb` is set for types with local NVMe instance storage: SageMaker
 * mounts that storage instead of an EBS volume, so a job may not ask for a bigger volume than it
 * holds nor pass a `VolumeKmsKeyId` (the storage is encrypted by the instance's hardware module).
 */
export interface AwsMachineType extends MachineType {
    /** GB of local NVMe instance storage, for types that have it. */
    readonly localStorageGb?: number;
}

const m = (name: string, vcpus: number, memoryGb: number, family: string): AwsMachineType => ({
    name,
    vcpus,
    memoryGb,
    gpus: 0,
    family,
});

const gpu = (name: string, vcpus: number, memoryGb: number, gpus: number, localStorageGb: number): AwsMachineType => ({
    name,
    vcpus,
    memoryGb,
    gpus,
    gpuModel: "NVIDIA A10G",
    family: "g5",
    localStorageGb,
});

/**
 * SageMaker instance types accepted by BOTH CreateProcessingJob (ProcessingInstanceType) and
 * CreateTrainingJob (TrainingInstanceType), per the SageMaker API model (botocore
 * `sagemaker/2017-07-24/service-2.json`). Note ml.m5 has no 8xlarge/16xlarge in SageMaker.
 * Sizes are the EC2 sizes of the same family (GiB). m5 is general purpose, r5 memory optimised
 * (up to 768 GiB), g5 one to eight A10G GPUs with local NVMe storage.
 */
export const SAGEMAKER_MACHINES: readonly AwsMachineType[] = [
    m("ml.m5.large", 2, 8, "m5"),
    m("ml.m5.xlarge", 4, 16, "m5"),
    m("ml.m5.2xlarge", 8, 32, "m5"),
    m("ml.m5.4xlarge", 16, 64, "m5"),
    m("ml.m5.12xlarge", 48, 192, "m5"),
    m("ml.m5.24xlarge", 96, 384, "m5"),
    m("ml.r5.large", 2, 16, "r5"),
    m("ml.r5.xlarge", 4, 32, "r5"),
    m("ml.r5.2xlarge", 8, 64, "r5"),
    m("ml.r5.4xlarge", 16, 128, "r5"),
    m("ml.r5.8xlarge", 32, 256, "r5"),
    m("ml.r5.12xlarge", 48, 384, "r5"),
    m("ml.r5.16xlarge", 64, 512, "r5"),
    m("ml.r5.24xlarge", 96, 768, "r5"),
    gpu("ml.g5.xlarge", 4, 16, 1, 250),
    gpu("ml.g5.2xlarge", 8, 32, 1, 450),
    gpu("ml.g5.4xlarge", 16, 64, 1, 600),
    gpu("ml.g5.8xlarge", 32, 128, 1, 900),
    gpu("ml.g5.12xlarge", 48, 192, 4, 3800),
    gpu("ml.g5.16xlarge", 64, 256, 1, 1900),
    gpu("ml.g5.24xlarge", 96, 384, 4, 3800),
    gpu("ml.g5.48xlarge", 192, 768, 8, 7600),
];

/**
 * EC2 instance types for the `vm` batch runner: current-generation Intel m7i (general purpose) and
 * r7i (memory optimised, up to 1536 GiB). No local storage; the root volume is EBS gp3.
 */
export const EC2_MACHINES: readonly AwsMachineType[] = [
    m("m7i.large", 2, 8, "m7i"),
    m("m7i.xlarge", 4, 16, "m7i"),
    m("m7i.2xlarge", 8, 32, "m7i"),
    m("m7i.4xlarge", 16, 64, "m7i"),
    m("m7i.8xlarge", 32, 128, "m7i"),
    m("m7i.12xlarge", 48, 192, "m7i"),
    m("m7i.16xlarge", 64, 256, "m7i"),
    m("m7i.24xlarge", 96, 384, "m7i"),
    m("m7i.48xlarge", 192, 768, "m7i"),
    m("r7i.large", 2, 16, "r7i"),
    m("r7i.xlarge", 4, 32, "r7i"),
    m("r7i.2xlarge", 8, 64, "r7i"),
    m("r7i.4xlarge", 16, 128, "r7i"),
    m("r7i.8xlarge", 32, 256, "r7i"),
    m("r7i.12xlarge", 48, 384, "r7i"),
    m("r7i.16xlarge", 64, 512, "r7i"),
    m("r7i.24xlarge", 96, 768, "r7i"),
    m("r7i.48xlarge", 192, 1536, "r7i"),
];

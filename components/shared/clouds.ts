export const CLOUDS = ["aws", "azure", "gcp"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Pulumi resource type prefixes of each cloud's provider package. */
export const CLOUD_TYPE_PREFIX: Readonly<Record<Cloud, string>> = {
    aws: "aws:",
    azure: "azure-native:",
    gcp: "gcp:",
};

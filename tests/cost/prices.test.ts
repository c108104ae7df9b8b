import { CLOUDS } from "../../components/shared/clouds";
import { findPrice, PRICES, type PriceBook, priceKeys } from "../../cost/prices";

describe("price list", () => {
    const all = CLOUDS.flatMap((cloud) =>
        Object.entries(PRICES.regions[cloud]).flatMap(([region, figures]) =>
            Object.entries(figures).map(([key, p]) => ({ cloud, region, key, p })),
        ),
    );

    it("has a base region for every cloud, the one the examples use", () => {
        expect(PRICES.baseRegion).toEqual({ aws: "us-east-1", azure: "eastus", gcp: "us-central1" });
        for (const c of CLOUDS) expect(priceKeys(c).length).toBeGreaterThan(20);
    });

    it.each(all.map((x) => [`${x.cloud} ${x.region} ${x.key}`, x.p] as const))(
        "%s has a figure, a unit, a public source and a date",
        (_k, p) => {
            expect(Number.isFinite(p.usd) && p.usd >= 0).toBe(true);
            expect(p.unit.length).toBeGreaterThan(0);
            expect(p.source).toMatch(
                /^https:\/\/(aws\.amazon\.com|azure\.microsoft\.com|learn\.microsoft\.com|cloud\.google\.com)\//,
            );
            expect(p.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(["confirmed", "unverified"]).toContain(p.confidence);
        },
    );

    // One row per price kind the model relies on: [cloud, key, expected USD].
    it.each([
        ["aws", "sagemaker.instance.ml.m5.large", 0.115],
        ["aws", "sagemaker.instance.ml.r5.4xlarge", 1.21],
        ["aws", "sagemaker.instance.ml.g5.xlarge", 1.408],
        ["aws", "ec2.instance.m7i.large", 0.1008],
        ["aws", "s3.standard", 0.023],
        ["aws", "kms.key", 1],
        ["aws", "cloudwatch.logs.ingest", 0.5],
        ["aws", "vpc.interface-endpoint", 0.01],
        ["aws", "vpc.nat-gateway", 0.045],
        ["aws", "stepfunctions.standard.transition", 0.000025],
        ["aws", "eks.cluster", 0.1],
        ["aws", "kinesis.shard", 0.015],
        ["aws", "kinesis.on-demand.stream", 0.04],
        ["aws", "msk.broker.kafka.m5.large", 0.21],
        ["aws", "flink.kpu", 0.11],
        ["aws", "emr-serverless.vcpu", 0.052624],
        ["aws", "sagemaker.serverless.compute", 0.00002],
        ["aws", "ecr.storage", 0.1],
        ["azure", "containerapps.consumption.vcpu", 0.000024],
        ["azure", "containerapps.consumption.memory", 0.000003],
        ["azure", "containerapps.dedicated.management", 0.1],
        ["azure", "containerapps.dedicated.vcpu", 0.0571],
        ["azure", "blob.hot.lrs", 0.0208],
        ["azure", "loganalytics.ingest", 2.3],
        ["azure", "acr.basic", 0.167],
        ["azure", "aks.standard", 0.1],
        ["azure", "eventhubs.standard.tu", 0.03],
        ["azure", "streamanalytics.su", 0.11],
        ["azure", "synapse.spark.vcore", 0.143],
        ["azure", "vm.Standard_D4s_v5", 0.192],
        ["gcp", "gce.e2.vcpu", 0.021811],
        ["gcp", "gce.machine.g2-standard-4", 0.70683228],
        ["gcp", "gcs.standard.regional", 0.02],
        ["gcp", "workflows.internal-step", 0.00001],
        ["gcp", "scheduler.job", 0.1],
        ["gcp", "pubsub.throughput", 40],
        ["gcp", "dataflow.streaming.vcpu", 0.069],
        ["gcp", "dataproc.vcpu", 0.01],
        ["gcp", "cloudrun.vcpu", 0.000024],
        ["gcp", "artifactregistry.storage", 0.1],
        ["gcp", "gke.cluster", 0.1],
    ] as const)("%s %s = %d", (cloud, key, usd) => {
        expect(findPrice(cloud, PRICES.baseRegion[cloud], key)?.usd).toBe(usd);
    });

    it("uses the base region's figure for another region, and says so", () => {
        const p = findPrice("aws", "eu-west-1", "s3.standard");
        expect(p?.usd).toBe(0.023);
        expect(p?.region).toBe("us-east-1");
        expect(p?.fallbackNote).toBe("no eu-west-1 price for s3.standard; us-east-1 list price used");
        expect(findPrice("aws", "us-east-1", "s3.standard")?.fallbackNote).toBeUndefined();
    });

    it("prefers a region's own figure and normalises Azure region names", () => {
        const book: PriceBook = {
            ...PRICES,
            regions: {
                ...PRICES.regions,
                azure: {
                    ...PRICES.regions.azure,
                    westeurope: {
                        "blob.hot.lrs": {
                            usd: 0.02,
                            unit: "GB-month",
                            source: "https://azure.microsoft.com/x",
                            asOf: "2025-01-01",
                            confidence: "unverified",
                        },
                    },
                },
            },
        };
        expect(findPrice("azure", "West Europe", "blob.hot.lrs", book)).toMatchObject({
            usd: 0.02,
            region: "westeurope",
        });
        expect(findPrice("azure", "West Europe", "blob.hot.lrs", book)?.fallbackNote).toBeUndefined();
    });

    it("returns undefined for a key no region lists", () => {
        expect(findPrice("gcp", "us-central1", "no.such.key")).toBeUndefined();
    });
});

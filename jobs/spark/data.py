"""Spark entry script, data level 2: raw rows to features, the same `build_features` per batch.

    spark-submit data.py --pipeline data --data-uri URI --artifacts-uri URI [--input URI] [--output URI]

The stack passes --pipeline/--data-uri/--artifacts-uri. The jobs package comes from the artifacts
storage (samples/jobs/jobs.zip) through SparkContext.addPyFile, so this file is all a run needs.
Defaults read the sample data and write under samples/ in the data storage.
"""

import argparse

from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

PACKAGE_KEY = "samples/jobs/jobs.zip"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipeline", default="data")
    parser.add_argument("--data-uri", required=True)
    parser.add_argument("--artifacts-uri", required=True)
    parser.add_argument("--input", help="raw CSV file or folder (default: samples/data/customers.csv)")
    parser.add_argument("--output", help="features folder (default: samples/features/)")
    parser.add_argument("--package", help="jobs.zip URI, or 'none' when jobs is importable already")
    args, _ = parser.parse_known_args()

    spark = SparkSession.builder.appName("mlops-levels-features").getOrCreate()
    package = args.package or args.artifacts_uri.rstrip("/") + "/" + PACKAGE_KEY
    if package != "none":
        spark.sparkContext.addPyFile(package)

    from jobs import layout, schema
    from jobs.features import build_features

    raw_schema = StructType(
        [
            StructField(schema.ID_COLUMN, LongType()),
            StructField("tenure_months", DoubleType()),
            StructField("monthly_charges", DoubleType()),
            StructField("total_charges", DoubleType()),
            StructField("contract", StringType()),
            StructField("support_calls", DoubleType()),
            StructField("paperless_billing", StringType()),
            StructField(schema.LABEL_COLUMN, LongType()),
        ]
    )
    feature_schema = StructType(
        [StructField(schema.ID_COLUMN, LongType())]
        + [StructField(c, DoubleType()) for c in schema.FEATURE_COLUMNS]
        + [StructField(schema.LABEL_COLUMN, LongType())]
    )

    def batches(frames):
        for frame in frames:
            yield build_features(frame)

    source = args.input or layout.join(args.data_uri, layout.SAMPLE_DATA_KEY)
    target = args.output or layout.join(args.data_uri, layout.FEATURES_PREFIX) + "/"
    raw = spark.read.option("header", True).schema(raw_schema).csv(source)
    raw.mapInPandas(batches, feature_schema).write.mode("overwrite").option("header", True).csv(target)


if __name__ == "__main__":
    main()

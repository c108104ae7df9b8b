"""Spark entry script, inference level 2: features to scores with the model as a pandas UDF.

    spark-submit inference.py --pipeline inference --data-uri URI --artifacts-uri URI --model-uri URI
                              [--input URI] [--output URI]

--model-uri is a folder holding model.joblib (the sample model: <artifacts>/samples/models/sklearn)
or the file itself; it is read through Spark's own file system. The jobs package comes from the
artifacts storage (samples/jobs/jobs.zip) through SparkContext.addPyFile.
"""

import argparse

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, lit, struct
from pyspark.sql.types import DoubleType, LongType, StructField, StructType

PACKAGE_KEY = "samples/jobs/jobs.zip"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipeline", default="inference")
    parser.add_argument("--data-uri", required=True)
    parser.add_argument("--artifacts-uri", required=True)
    parser.add_argument("--model-uri", help="model folder or file (default: samples/models/sklearn)")
    parser.add_argument("--input", help="features folder (default: samples/features/)")
    parser.add_argument("--output", help="scores folder (default: samples/scores/)")
    parser.add_argument("--package", help="jobs.zip URI, or 'none' when jobs is importable already")
    args, _ = parser.parse_known_args()

    spark = SparkSession.builder.appName("mlops-levels-scoring").getOrCreate()
    package = args.package or args.artifacts_uri.rstrip("/") + "/" + PACKAGE_KEY
    if package != "none":
        spark.sparkContext.addPyFile(package)

    from jobs import layout, schema
    from jobs.spark_udf import load_model_from_spark, make_score_udf

    feature_schema = StructType(
        [StructField(schema.ID_COLUMN, LongType())]
        + [StructField(c, DoubleType()) for c in schema.FEATURE_COLUMNS]
        + [StructField(schema.LABEL_COLUMN, LongType())]
    )
    model = load_model_from_spark(spark, args.model_uri or layout.join(args.artifacts_uri, layout.MODEL_PREFIX))
    score = make_score_udf(model)
    source = args.input or layout.join(args.data_uri, layout.FEATURES_PREFIX) + "/"
    target = args.output or layout.join(args.data_uri, layout.SCORES_PREFIX) + "/"
    features = spark.read.option("header", True).schema(feature_schema).csv(source)
    scored = (
        features.select(col(schema.ID_COLUMN), score(struct(*schema.FEATURE_COLUMNS)).alias(schema.SCORE_COLUMN))
        .withColumn(schema.PREDICTION_COLUMN, (col(schema.SCORE_COLUMN) >= schema.DECISION_THRESHOLD).cast("int"))
        .withColumn(schema.VERSION_COLUMN, lit(model.version))
    )
    scored.write.mode("overwrite").option("header", True).csv(target)


if __name__ == "__main__":
    main()

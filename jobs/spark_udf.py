"""The model as a Spark UDF: a pandas UDF around a pure function of a pandas frame.

`score_batch` is all the UDF does, and it needs no Spark: tests call it directly. `make_score_udf`
and `load_model_from_spark` import pyspark inside, so this module imports anywhere. No postponed
annotations here: Spark reads the UDF's type hints to pick its kind.
"""

from typing import Any

import pandas as pd

from jobs.model import LoadedModel, load_model_bytes, model_path, predict_scores


def score_batch(model: LoadedModel, features: pd.DataFrame) -> pd.Series:
    """One Arrow batch of feature rows (FEATURE_COLUMNS, any order) to churn probabilities."""
    return pd.Series(predict_scores(model, features), index=features.index, dtype="float64")


def make_score_udf(model: LoadedModel) -> Any:
    """A scalar pandas UDF taking `struct(*FEATURE_COLUMNS)` and returning the probability.

    The struct arrives as one pandas frame per Arrow batch; the model travels inside the UDF's
    closure, pickled once per task (it is a few kilobytes).
    """
    from pyspark.sql.functions import pandas_udf

    @pandas_udf("double")
    def churn_probability(features: pd.DataFrame) -> pd.Series:
        return score_batch(model, features)

    return churn_probability


def load_model_from_spark(spark: Any, uri: str) -> LoadedModel:
    """Reads the model file through Spark's own file systems (S3 on EMR, gs:// on Dataproc,
    abfss:// on Synapse), so the driver needs no cloud SDK. A `.json` file is the model's numpy
    parameters (jobs.gaussian_nb): scoring then needs no scikit-learn on the cluster (EMR
    Serverless's release image is not documented to ship it)."""
    path = uri if uri.endswith(".json") else model_path(uri)
    row = spark.read.format("binaryFile").load(path).select("content").head()
    if row is None:
        raise FileNotFoundError(path)
    if path.endswith(".json"):
        return model_from_parameters(bytes(row[0]))
    return load_model_bytes(bytes(row[0]))


def model_from_parameters(data: bytes) -> LoadedModel:
    """The numpy copy of the model from the bytes of its parameters file."""
    import json

    from jobs.gaussian_nb import from_parameters

    doc = json.loads(data.decode("utf-8"))
    return LoadedModel(estimator=from_parameters(doc), version=str(doc["version"]))

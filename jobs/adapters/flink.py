"""Managed Service for Apache Flink (PyFlink) adapter: Kinesis events in, Kinesis scores out.

The application's `kinesis.analytics.flink.run.options` property group names this file as
`python`, the jobs package as `pyFiles`, and the Kinesis SQL connector JAR as `jarfile`; the `mlops`
property group (set by the stack) gives INPUT_STREAM, OUTPUT_STREAM and AWS_REGION. The model file
travels in the application ZIP next to this file. Managed Flink installs nothing with pip: numpy,
pandas and scikit-learn must be in the ZIP too (not built here, see jobs/README.md).

Only `main` imports pyflink; `churn_probability_batch` is the pure function the UDF runs.
"""

import json
import os
from typing import Optional

import pandas as pd

from jobs import schema
from jobs.model import LoadedModel, load_model, score_raw

# Written by Managed Flink from the application's runtime properties.
PROPERTIES_FILE = "/etc/flink/application_properties.json"
PROPERTY_GROUP = "mlops"


def churn_probability_batch(model: LoadedModel, *columns: pd.Series) -> pd.Series:
    """The vectorized UDF body: RAW_COLUMNS as Series, in order, to churn probabilities."""
    raw = pd.DataFrame(dict(zip(schema.RAW_COLUMNS, columns)))
    return pd.Series(score_raw(model, raw)[schema.SCORE_COLUMN].to_numpy(), dtype="float64")


def runtime_properties(path: str = PROPERTIES_FILE, group: str = PROPERTY_GROUP) -> dict:
    """One property group of the application's runtime properties, or the environment locally."""
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            for entry in json.load(f):
                if entry.get("PropertyGroupId") == group:
                    return dict(entry.get("PropertyMap", {}))
    return dict(os.environ)


def _kinesis_table(name: str, columns: str, stream: str, region: str, source: bool) -> str:
    position = "'scan.stream.initpos' = 'LATEST'," if source else ""
    return f"""CREATE TABLE {name} ({columns}) WITH (
        'connector' = 'kinesis', 'stream' = '{stream}', 'aws.region' = '{region}', {position}
        'format' = 'json')"""


def main(model_file: Optional[str] = None) -> None:
    from pyflink.table import DataTypes, EnvironmentSettings, TableEnvironment
    from pyflink.table.udf import udf

    props = runtime_properties()
    model = load_model(model_file or os.path.join(os.path.dirname(os.path.abspath(__file__)), schema.MODEL_FILE))
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())

    @udf(result_type=DataTypes.DOUBLE(), func_type="pandas")
    def churn_probability(*columns: pd.Series) -> pd.Series:
        return churn_probability_batch(model, *columns)

    env.create_temporary_function("churn_probability", churn_probability)
    events = ", ".join(
        [
            f"{schema.ID_COLUMN} BIGINT",
            "tenure_months DOUBLE",
            "monthly_charges DOUBLE",
            "total_charges DOUBLE",
            "contract STRING",
            "support_calls DOUBLE",
            "paperless_billing STRING",
        ]
    )
    scores = (
        f"{schema.ID_COLUMN} BIGINT, {schema.SCORE_COLUMN} DOUBLE, "
        f"{schema.PREDICTION_COLUMN} INT, {schema.VERSION_COLUMN} STRING"
    )
    region = props["AWS_REGION"]
    env.execute_sql(_kinesis_table("events", events, props["INPUT_STREAM"], region, source=True))
    env.execute_sql(_kinesis_table("scores", scores, props["OUTPUT_STREAM"], region, source=False))
    columns = ", ".join(schema.RAW_COLUMNS)
    env.execute_sql(
        f"""INSERT INTO scores
        SELECT {schema.ID_COLUMN}, p,
               CASE WHEN p >= {schema.DECISION_THRESHOLD} THEN 1 ELSE 0 END, '{model.version}'
        FROM (SELECT {schema.ID_COLUMN}, churn_probability({columns}) AS p FROM events)"""
    )


if __name__ == "__main__":
    main()

"""Managed Service for Apache Flink (PyFlink) adapter: Kinesis events in, features or scores out.

The stack packages the application itself (components/streaming/aws.ts): `main.py` calling
`main()` here, this package as `lib/jobs.zip` (`pyFiles`), the Kinesis SQL connector JAR
(`jarfile`, flink-sql-connector-kinesis 5.x for Flink 1.20) and the model's parameters
(`model/gaussian-nb.json`). The `mlops` property group (set by the stack) names the pipeline and
the streams by ARN, as the 5.x `kinesis` connector takes them.

- inference: every event is scored by a vectorized (pandas) UDF with jobs.gaussian_nb, the numpy
  copy of the model: Managed Flink's Python has numpy and pandas (PyFlink's own dependencies),
  not scikit-learn, and installs nothing with pip.
- data: every event becomes its feature row, written as JSON lines under the data bucket's
  features prefix (the filesystem connector commits files on each checkpoint).

Only `main` imports pyflink; the UDF bodies (`churn_probability_batch`, `log_total_charges_batch`)
and the SQL are pure and tested.
"""

import json
import os
from typing import Optional

import numpy as np
import pandas as pd

from jobs import schema
from jobs.model import LoadedModel, score_raw

# Written by Managed Flink from the application's runtime properties.
PROPERTIES_FILE = "/etc/flink/application_properties.json"
PROPERTY_GROUP = "mlops"
# Where the stack puts the model's parameters in the application ZIP, next to main.py.
MODEL_PARAMETERS = os.path.join("model", "gaussian-nb.json")


def churn_probability_batch(model: LoadedModel, *columns: pd.Series) -> pd.Series:
    """The vectorized UDF body: RAW_COLUMNS as Series, in order, to churn probabilities."""
    raw = pd.DataFrame(dict(zip(schema.RAW_COLUMNS, columns)))
    return pd.Series(score_raw(model, raw)[schema.SCORE_COLUMN].to_numpy(), dtype="float64")


def log_total_charges_batch(total: pd.Series, tenure: pd.Series, monthly: pd.Series) -> pd.Series:
    """The one feature SQL does not compute the way jobs.features does: log1p of the total charges,
    the months billed so far standing in for a missing total (the first invoice not sent yet)."""
    total = pd.to_numeric(total, errors="coerce").astype("float64")
    tenure = tenure.astype("float64")
    monthly = monthly.astype("float64")
    total = total.where(total.notna(), tenure * monthly)
    return pd.Series(np.log1p(total.to_numpy()), dtype="float64")


def features_select(source: str) -> str:
    """The SELECT that turns raw events into FEATURE_COLUMNS, row by row, as jobs.features does."""
    return f"""SELECT {schema.ID_COLUMN},
        CAST(tenure_months AS DOUBLE) AS tenure_months,
        CAST(monthly_charges AS DOUBLE) AS monthly_charges,
        log_total_charges(total_charges, tenure_months, monthly_charges) AS log_total_charges,
        CAST(support_calls AS DOUBLE) AS support_calls,
        CASE WHEN contract = 'month-to-month' THEN 1.0 ELSE 0.0 END AS is_month_to_month,
        CASE WHEN contract = 'two-year' THEN 1.0 ELSE 0.0 END AS is_two_year,
        CASE WHEN paperless_billing = 'yes' THEN 1.0 ELSE 0.0 END AS is_paperless
    FROM {source}"""


def runtime_properties(path: str = PROPERTIES_FILE, group: str = PROPERTY_GROUP) -> dict:
    """One property group of the application's runtime properties, or the environment locally."""
    if os.path.isfile(path):
        with open(path, encoding="utf-8") as f:
            for entry in json.load(f):
                if entry.get("PropertyGroupId") == group:
                    return dict(entry.get("PropertyMap", {}))
    return dict(os.environ)


EVENT_COLUMNS = ", ".join(
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


def kinesis_table(name: str, columns: str, stream_arn: str, region: str, source: bool) -> str:
    """A Kinesis table of the 5.x `kinesis` connector: streams named by ARN, JSON records."""
    position = "'source.init.position' = 'LATEST'," if source else ""
    return f"""CREATE TABLE {name} ({columns}) WITH (
        'connector' = 'kinesis', 'stream.arn' = '{stream_arn}', 'aws.region' = '{region}', {position}
        'format' = 'json')"""


def features_table(name: str, path: str) -> str:
    """The data pipeline's sink: JSON lines under `path` (an s3a:// URI), committed on checkpoints."""
    columns = ", ".join([f"{schema.ID_COLUMN} BIGINT", *[f"{c} DOUBLE" for c in schema.FEATURE_COLUMNS]])
    return f"""CREATE TABLE {name} ({columns}) WITH (
        'connector' = 'filesystem', 'path' = '{path}', 'format' = 'json')"""


def main(model_file: Optional[str] = None) -> None:
    from pyflink.table import DataTypes, EnvironmentSettings, TableEnvironment
    from pyflink.table.udf import udf

    props = runtime_properties()
    region = props["AWS_REGION"]
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.execute_sql(kinesis_table("events", EVENT_COLUMNS, props["INPUT_STREAM_ARN"], region, source=True))

    if props.get("PIPELINE") == "data":

        @udf(result_type=DataTypes.DOUBLE(), func_type="pandas")
        def log_total_charges(total: pd.Series, tenure: pd.Series, monthly: pd.Series) -> pd.Series:
            return log_total_charges_batch(total, tenure, monthly)

        env.create_temporary_function("log_total_charges", log_total_charges)
        env.execute_sql(features_table("features", props["SINK_PATH"]))
        env.execute_sql(f"INSERT INTO features {features_select('events')}")
        return

    from jobs.gaussian_nb import load

    # main.py passes the parameters file beside it in the application ZIP.
    model = load(model_file or MODEL_PARAMETERS)

    @udf(result_type=DataTypes.DOUBLE(), func_type="pandas")
    def churn_probability(*columns: pd.Series) -> pd.Series:
        return churn_probability_batch(model, *columns)

    env.create_temporary_function("churn_probability", churn_probability)
    scores = (
        f"{schema.ID_COLUMN} BIGINT, {schema.SCORE_COLUMN} DOUBLE, "
        f"{schema.PREDICTION_COLUMN} INT, {schema.VERSION_COLUMN} STRING"
    )
    env.execute_sql(kinesis_table("scores", scores, props["OUTPUT_STREAM_ARN"], region, source=False))
    columns = ", ".join(schema.RAW_COLUMNS)
    env.execute_sql(
        f"""INSERT INTO scores
        SELECT {schema.ID_COLUMN}, p,
               CASE WHEN p >= {schema.DECISION_THRESHOLD} THEN 1 ELSE 0 END, '{model.version}'
        FROM (SELECT {schema.ID_COLUMN}, churn_probability({columns}) AS p FROM events)"""
    )


if __name__ == "__main__":
    main()

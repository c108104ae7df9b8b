"""Spark Structured Streaming adapter: a stream of JSON events to a stream of JSON scores.

For a Spark engine reading Kafka (Event Hubs' Kafka endpoint from a Synapse pool, Kafka on
Dataproc): `score_stream` turns a `value` column of JSON events into a `value` column of JSON
scores, micro-batch by micro-batch, with `score_json_batch` as the pure step. Only the functions
taking a Spark DataFrame touch pyspark, and they import it themselves.
"""

from typing import Any, Iterator

import pandas as pd

from jobs.model import LoadedModel, records_of, score_raw
from jobs.streaming import parse_event, to_json


def score_json_batch(model: LoadedModel, values: pd.Series) -> pd.Series:
    """One Arrow batch of JSON event strings to JSON score strings, in order."""
    raw = pd.DataFrame([parse_event(v) for v in values])
    scores = records_of(score_raw(model, raw))
    return pd.Series([to_json(s) for s in scores], index=values.index, dtype="object")


def score_stream(events: Any, model: LoadedModel) -> Any:
    """A streaming DataFrame with a `value` column of JSON events to one of JSON scores."""
    from pyspark.sql.functions import col

    def batches(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            yield pd.DataFrame({"value": score_json_batch(model, frame["value"])})

    return events.select(col("value").cast("string").alias("value")).mapInPandas(batches, "value string")

"""The same rows get bit-identical scores in batch, Spark, streaming and online serving.

Every comparison is exact (`==` on float64), not approximate: the model scores row by row, so
batch size, chunking and column order must not move a single bit.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from jobs import schema
from jobs.adapters import beam as beam_adapter
from jobs.adapters import flink as flink_adapter
from jobs.adapters import spark_streaming
from jobs.features import build_features
from jobs.serve import inference
from jobs.spark_udf import score_batch
from jobs.streaming import main as replay_stream
from jobs.streaming import score_event, score_micro_batch, to_json
from jobs.tests.conftest import SAMPLE_MODEL


def by_id(records) -> dict:
    return {r[schema.ID_COLUMN]: r[schema.SCORE_COLUMN] for r in records}


@pytest.fixture(scope="module")
def expected(batch_scores) -> dict:
    """Batch scoring's probabilities, read back from the scores file the batch job wrote."""
    return dict(zip(batch_scores[schema.ID_COLUMN].tolist(), batch_scores[schema.SCORE_COLUMN].tolist()))


def assert_same(expected: dict, got: dict) -> None:
    assert got.keys() == expected.keys()
    different = [k for k in expected if got[k] != expected[k]]
    assert different == [], f"{len(different)} rows differ, first {different[:3]}"


def test_batch_scores_are_not_trivial(expected):
    values = np.array(list(expected.values()))
    # A constant or a rounded score would make the exact comparisons below meaningless.
    assert len(np.unique(values)) > 1900
    assert 0.2 < (values >= 0.5).mean() < 0.5


def test_sagemaker_handler_json(model, events, expected):
    loaded = inference.model_fn(SAMPLE_MODEL)
    assert loaded.version == model.version
    body = json.dumps({"instances": events})
    out, content_type = inference.output_fn(
        inference.predict_fn(inference.input_fn(body.encode("utf-8"), "application/json"), loaded),
        "application/json",
    )
    assert content_type == "application/json"
    predictions = json.loads(out)["predictions"]
    assert_same(expected, by_id(predictions))
    assert {p[schema.VERSION_COLUMN] for p in predictions} == {model.version}


def test_sagemaker_handler_one_record_and_csv(model, raw, events, expected):
    one = inference.predict_fn(inference.input_fn(json.dumps(events[5]), "application/json"), model)
    assert_same({events[5][schema.ID_COLUMN]: expected[events[5][schema.ID_COLUMN]]}, by_id(one))
    csv = raw.drop(columns=[schema.LABEL_COLUMN]).head(50).to_csv(index=False)
    scored = inference.predict_fn(inference.input_fn(csv, "text/csv; charset=utf-8"), model)
    assert_same({k: expected[k] for k in raw[schema.ID_COLUMN].head(50)}, by_id(scored))


def test_sagemaker_handler_refuses_other_content(model):
    with pytest.raises(ValueError, match="unsupported content type"):
        inference.input_fn(b"x", "application/x-npy")


def test_spark_udf_inner_function_in_arrow_sized_chunks(model, raw, expected):
    features = build_features(raw)
    # Spark hands the struct over in batches; columns may come in any order.
    shuffled = features[[schema.ID_COLUMN, *reversed(schema.FEATURE_COLUMNS)]]
    got = {}
    for start in range(0, len(shuffled), 333):
        chunk = shuffled.iloc[start : start + 333]
        result = score_batch(model, chunk.drop(columns=[schema.ID_COLUMN]))
        assert result.index.equals(chunk.index)
        got.update(zip(chunk[schema.ID_COLUMN].tolist(), result.tolist()))
    assert_same(expected, got)


def test_streaming_one_event_at_a_time(model, events, expected):
    # Scoring one event costs milliseconds of pandas overhead: a sample of rows, with every row
    # whose total is missing (the imputed feature) among them.
    chosen = events[:120] + [e for e in events[120:] if "total_charges" not in e]
    assert len(chosen) > 130
    got = {}
    for event in chosen:
        score = score_event(model, json.dumps(event).encode("utf-8"))
        got[score[schema.ID_COLUMN]] = score[schema.SCORE_COLUMN]
    assert_same({k: expected[k] for k in got}, got)


def test_streaming_micro_batches_and_replay(model, events, expected, tmp_path):
    got = {}
    for size in (3, 17, 500):
        for start in range(0, 500, size):
            got.update(by_id(score_micro_batch(model, events[start : start + size])))
    assert_same({k: expected[k] for k in got}, got)
    source = tmp_path / "events.jsonl"
    source.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    target = tmp_path / "scores.jsonl"
    replay_stream(["--model", SAMPLE_MODEL, "--input", str(source), "--output", str(target), "--batch-size", "64"])
    assert_same(expected, by_id(json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()))


def test_engine_adapters_pure_steps(model, raw, events, expected):
    # PyFlink's vectorized UDF: RAW_COLUMNS as Series.
    head = raw.drop(columns=[schema.LABEL_COLUMN]).head(300)
    flink = flink_adapter.churn_probability_batch(model, *[head[c] for c in schema.RAW_COLUMNS])
    assert_same({k: expected[k] for k in head[schema.ID_COLUMN]}, dict(zip(head[schema.ID_COLUMN], flink)))
    # Beam on Dataflow: Pub/Sub payloads in and out.
    payloads = beam_adapter.score_messages(model, [json.dumps(e).encode("utf-8") for e in events[:300]])
    assert_same({k: expected[k] for k in head[schema.ID_COLUMN]}, by_id(json.loads(p) for p in payloads))
    # Spark Structured Streaming: a batch of JSON strings.
    values = pd.Series([json.dumps(e) for e in events[:300]], index=range(10, 310))
    out = spark_streaming.score_json_batch(model, values)
    assert out.index.equals(values.index)
    assert_same({k: expected[k] for k in head[schema.ID_COLUMN]}, by_id(json.loads(v) for v in out))


def test_model_server_requests(model, raw, expected):
    """What KServe's sklearnserver (V1 `instances`) and MLServer (V2 FP64 tensor) decode and run."""
    features = build_features(raw)
    rows = features[list(schema.FEATURE_COLUMNS)].to_numpy().tolist()
    ids = features[schema.ID_COLUMN].tolist()
    estimator = model.estimator
    # KServe V1: {"instances": [[...], ...]} becomes np.array(instances); PREDICT_PROBA=true.
    v1 = json.loads(json.dumps({"instances": rows}))
    kserve = estimator.predict_proba(np.array(v1["instances"]))[:, 1]
    assert_same(expected, dict(zip(ids, kserve.tolist())))
    # MLServer V2: one FP64 tensor, flattened row-major, reshaped by its NumPy codec.
    v2 = json.loads(
        json.dumps({"inputs": [{"name": "features", "datatype": "FP64", "shape": [len(rows), 7], "data": sum(rows, [])}]})
    )
    tensor = v2["inputs"][0]
    mlserver = estimator.predict_proba(np.array(tensor["data"], dtype="float64").reshape(tensor["shape"]))[:, 1]
    assert_same(expected, dict(zip(ids, mlserver.tolist())))


def test_json_keeps_every_bit(model, events):
    score = score_event(model, events[0])
    assert json.loads(to_json(score))[schema.SCORE_COLUMN] == score[schema.SCORE_COLUMN]

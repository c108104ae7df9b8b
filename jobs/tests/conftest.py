"""Shared fixtures: the sample rows, and the level-1 chain run once per session through its CLIs."""

from __future__ import annotations

import math
import os

import pandas as pd
import pytest

from jobs import features, schema, score, tables, train
from jobs.model import LoadedModel, load_model

JOBS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(JOBS_DIR, "samples", "customers.csv")
SAMPLE_MODEL = os.path.join(JOBS_DIR, "samples", "model")


@pytest.fixture(scope="session")
def raw() -> pd.DataFrame:
    return tables.read_table(SAMPLE)


@pytest.fixture(scope="session")
def chain(tmp_path_factory) -> dict:
    """Level 1 end to end, as the containers run it: features, then training, then batch scoring."""
    work = tmp_path_factory.mktemp("chain")
    paths = {
        "features": str(work / "features"),
        "model": str(work / "model"),
        "metrics": str(work / "metrics.json"),
        "scores": str(work / "scores"),
    }
    features.main(["--input", SAMPLE, "--output", paths["features"]])
    train.main(["--input", paths["features"], "--model-dir", paths["model"], "--metrics", paths["metrics"]])
    score.main(["--model", paths["model"], "--input", paths["features"], "--output", paths["scores"]])
    return paths


@pytest.fixture(scope="session")
def model() -> LoadedModel:
    """The shipped sample model: the one every level serves."""
    return load_model(SAMPLE_MODEL)


@pytest.fixture(scope="session")
def batch_scores(model, raw, tmp_path_factory) -> pd.DataFrame:
    """The shipped model's batch scores of every sample row, through files as the batch job runs."""
    work = tmp_path_factory.mktemp("batch")
    features.main(["--input", SAMPLE, "--output", str(work / "features")])
    score.main(["--model", SAMPLE_MODEL, "--input", str(work / "features"), "--output", str(work / "scores")])
    return tables.read_table(str(work / "scores"))


@pytest.fixture(scope="session")
def events(raw) -> list:
    """The sample rows as producers send them: raw fields only, no label, no empty total."""
    out = []
    for record in raw.drop(columns=[schema.LABEL_COLUMN]).to_dict("records"):
        if isinstance(record["total_charges"], float) and math.isnan(record["total_charges"]):
            del record["total_charges"]
        out.append({k: (v.item() if hasattr(v, "item") else v) for k, v in record.items()})
    return out


@pytest.fixture(scope="session")
def expected_first_score(events, batch_scores) -> tuple:
    """The first sample event and its batch score."""
    first = events[0]
    row = batch_scores[batch_scores[schema.ID_COLUMN] == first[schema.ID_COLUMN]]
    return first, float(row[schema.SCORE_COLUMN].iloc[0])

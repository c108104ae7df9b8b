"""The numpy copy of the model (Managed Flink has no scikit-learn) scores exactly as batch does."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from jobs import gaussian_nb, schema
from jobs.adapters import flink as flink_adapter
from jobs.features import build_features
from jobs.model import feature_matrix
from jobs.tests.conftest import SAMPLE_MODEL


@pytest.fixture(scope="module")
def expected_scores(batch_scores) -> dict:
    """Batch scoring's probabilities by customer, read back from the file the batch job wrote."""
    return dict(zip(batch_scores[schema.ID_COLUMN].tolist(), batch_scores[schema.SCORE_COLUMN].tolist()))


def test_the_committed_parameters_are_the_shipped_models(model):
    """gaussian-nb.json is what `python -m jobs.gaussian_nb` writes from model.joblib today."""
    with open(os.path.join(SAMPLE_MODEL, gaussian_nb.PARAMETERS_FILE), encoding="utf-8") as f:
        committed = json.load(f)
    assert committed == gaussian_nb.parameters(model.estimator, model.version)


def test_numpy_probabilities_are_bit_identical_to_scikit_learns(model, raw):
    numpy_model = gaussian_nb.load(SAMPLE_MODEL)
    assert numpy_model.version == model.version
    X = feature_matrix(build_features(raw))
    ours = numpy_model.estimator.predict_proba(X)
    theirs = model.estimator.predict_proba(X)
    assert ours.shape == theirs.shape == (len(raw), 2)
    assert np.array_equal(ours, theirs)
    # One row at a time gives the same bits as the whole batch.
    assert all(np.array_equal(numpy_model.estimator.predict_proba(X[i : i + 1]), ours[i : i + 1]) for i in range(50))


def test_the_flink_udf_with_the_numpy_model_gives_batch_scores(raw, expected_scores):
    numpy_model = gaussian_nb.load(os.path.join(SAMPLE_MODEL, gaussian_nb.PARAMETERS_FILE))
    head = raw.drop(columns=[schema.LABEL_COLUMN]).head(400)
    got = flink_adapter.churn_probability_batch(numpy_model, *[head[c] for c in schema.RAW_COLUMNS])
    assert dict(zip(head[schema.ID_COLUMN], got)) == {k: expected_scores[k] for k in head[schema.ID_COLUMN]}
    predicted = (got >= schema.DECISION_THRESHOLD).astype(int).tolist()
    assert predicted == [int(expected_scores[k] >= schema.DECISION_THRESHOLD) for k in head[schema.ID_COLUMN]]


def test_the_flink_features_udf_matches_jobs_features(raw):
    """The data pipeline's one Python feature (the rest is SQL casts and flags) is batch's value."""
    features = build_features(raw)
    got = flink_adapter.log_total_charges_batch(raw["total_charges"], raw["tenure_months"], raw["monthly_charges"])
    assert np.array_equal(got.to_numpy(), features["log_total_charges"].to_numpy())
    sql = flink_adapter.features_select("events")
    for column in schema.FEATURE_COLUMNS:
        assert f"AS {column}" in sql


def test_scoring_needs_no_scikit_learn(tmp_path):
    """What Managed Flink runs imports neither scikit-learn nor joblib."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['sklearn'] = None; sys.modules['joblib'] = None\n"
        "import pandas as pd\n"
        "from jobs import gaussian_nb, schema\n"
        "from jobs.adapters import flink\n"
        f"m = gaussian_nb.load({SAMPLE_MODEL!r})\n"
        "row = {'customer_id': 1, 'tenure_months': 30.0, 'monthly_charges': 52.71, 'total_charges': 1422.98,"
        " 'contract': 'two-year', 'support_calls': 1.0, 'paperless_billing': 'no'}\n"
        "print(float(flink.churn_probability_batch(m, *[pd.Series([row[c]]) for c in schema.RAW_COLUMNS])[0]))\n"
    )
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert 0.0 < float(out.stdout.strip()) < 1.0


def test_the_spark_udf_scores_from_the_parameters_file_as_batch(raw, expected_scores):
    """EMR scoring reads gaussian-nb.json through Spark's file system: the same bits as batch."""
    from jobs.spark_udf import model_from_parameters, score_batch

    with open(os.path.join(SAMPLE_MODEL, gaussian_nb.PARAMETERS_FILE), "rb") as f:
        numpy_model = model_from_parameters(f.read())
    features = build_features(raw)
    got = score_batch(numpy_model, features[list(schema.FEATURE_COLUMNS)])
    assert dict(zip(features[schema.ID_COLUMN], got)) == expected_scores

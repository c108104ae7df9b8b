"""Level 1 runs end to end on the sample data and the model is good enough."""

from __future__ import annotations

import hashlib
import json
import os

import numpy as np

from jobs import schema, tables
from jobs.model import load_model, predict_scores


def test_the_chain_beats_the_quality_bar_on_held_out_rows(chain):
    with open(chain["metrics"], encoding="utf-8") as f:
        metrics = json.load(f)
    assert metrics["rows_holdout"] == 400 and metrics["rows_train"] == 1600
    assert metrics["holdout_roc_auc"] >= schema.MIN_HOLDOUT_AUC
    # Better than always predicting the majority class, too.
    assert metrics["holdout_accuracy"] > 1 - metrics["holdout_base_rate"]


def test_batch_scoring_scores_every_row_with_the_model_version(chain, raw):
    scores = tables.read_table(chain["scores"])
    assert list(scores.columns) == [
        schema.ID_COLUMN,
        schema.SCORE_COLUMN,
        schema.PREDICTION_COLUMN,
        schema.VERSION_COLUMN,
    ]
    assert scores[schema.ID_COLUMN].tolist() == raw[schema.ID_COLUMN].tolist()
    assert scores[schema.SCORE_COLUMN].between(0, 1).all()
    assert (scores[schema.PREDICTION_COLUMN] == (scores[schema.SCORE_COLUMN] >= 0.5)).all()
    with open(os.path.join(chain["model"], schema.MODEL_FILE), "rb") as f:
        version = hashlib.sha256(f.read()).hexdigest()[:12]
    assert set(scores[schema.VERSION_COLUMN].astype(str)) == {version}


def test_the_shipped_model_is_what_the_chain_trains(chain, model):
    """Retraining from the shipped data reproduces the shipped model's scores exactly."""
    features = tables.read_table(chain["features"])
    retrained = load_model(chain["model"])
    assert np.array_equal(predict_scores(retrained, features), predict_scores(model, features))


def test_model_directory_serves_kserve_and_mlserver(chain):
    files = sorted(os.listdir(chain["model"]))
    # KServe's server refuses a directory with more than one *.joblib/*.pkl/*.pickle file.
    assert [f for f in files if f.endswith((".joblib", ".pkl", ".pickle"))] == [schema.MODEL_FILE]
    with open(os.path.join(chain["model"], schema.MODEL_SETTINGS_FILE), encoding="utf-8") as f:
        settings = json.load(f)
    assert settings["implementation"] == "mlserver_sklearn.SKLearnModel"
    assert settings["parameters"]["uri"] == "./model.joblib"

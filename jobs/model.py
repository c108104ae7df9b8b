"""The model and the one function that scores with it.

Every path (batch job, Spark UDF, stream, SageMaker handler) goes through `predict_scores`, and the
model servers call the same `predict_proba` on the same C-ordered float64 matrix.

The model is a Gaussian naive Bayes classifier. Chosen for two properties, not for accuracy:
- its `predict_proba` works row by row (per-row sums over a row's own features, no matrix
  product), so a row's score does not depend on which rows share its batch: a 1-row online
  request and a 100,000-row batch give bit-identical scores. A logistic regression does not
  (BLAS picks different kernels for a vector and for a matrix, off by an ulp);
- its fitted state is a few arrays, which should unpickle across scikit-learn 1.2 (what it is
  trained with, as in SageMaker's 1.2-1 image) and the newer releases other clouds' images ship.
  Tree models do not: their node layout changed in scikit-learn 1.3.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from jobs import schema
from jobs.features import build_features


@dataclass(frozen=True)
class LoadedModel:
    """A fitted estimator and its version: the first 12 hex digits of its file's SHA-256."""

    estimator: Any
    version: str


# scikit-learn and joblib are imported where a model is built, loaded or saved, so that scoring an
# already-loaded model (jobs.gaussian_nb on Managed Flink, which has neither) imports this module.


def new_estimator() -> Any:
    from sklearn.naive_bayes import GaussianNB

    return GaussianNB()


def feature_matrix(features: pd.DataFrame) -> np.ndarray:
    """FEATURE_COLUMNS as a C-ordered float64 matrix, the layout model servers build from JSON.

    C order matters: numpy sums a row's features in another order for a Fortran-ordered matrix
    (which `DataFrame.to_numpy` can return), and the last bit of a score would follow.
    """
    return np.ascontiguousarray(features.loc[:, list(schema.FEATURE_COLUMNS)].to_numpy(dtype="float64"))


def predict_scores(model: LoadedModel, features: pd.DataFrame) -> np.ndarray:
    """Churn probability per feature row."""
    return model.estimator.predict_proba(feature_matrix(features))[:, 1]


SCORE_TABLE_COLUMNS = (schema.ID_COLUMN, schema.SCORE_COLUMN, schema.PREDICTION_COLUMN, schema.VERSION_COLUMN)


def score_frame(model: LoadedModel, features: pd.DataFrame) -> pd.DataFrame:
    """The scores table: id, probability, 0/1 prediction at DECISION_THRESHOLD, model version."""
    scores = predict_scores(model, features)
    return pd.DataFrame(
        {
            schema.ID_COLUMN: features[schema.ID_COLUMN].to_numpy(),
            schema.SCORE_COLUMN: scores,
            schema.PREDICTION_COLUMN: (scores >= schema.DECISION_THRESHOLD).astype("int64"),
            schema.VERSION_COLUMN: model.version,
        }
    )


def score_raw(model: LoadedModel, raw: pd.DataFrame) -> pd.DataFrame:
    """Raw rows (events, request instances; `total_charges` may be absent) to the scores table."""
    if "total_charges" not in raw.columns:
        raw = raw.assign(total_charges=np.nan)
    return score_frame(model, build_features(raw))


def records_of(scored: pd.DataFrame) -> list[dict]:
    """The scores table as JSON-ready dicts with plain Python values, in order."""
    return [
        {
            schema.ID_COLUMN: _plain(row[0]),
            schema.SCORE_COLUMN: float(row[1]),
            schema.PREDICTION_COLUMN: int(row[2]),
            schema.VERSION_COLUMN: str(row[3]),
        }
        for row in scored.loc[:, list(SCORE_TABLE_COLUMNS)].itertuples(index=False, name=None)
    ]


def score_records(model: LoadedModel, records: Iterable[dict]) -> list[dict]:
    """Raw records (events, request instances) to one JSON-ready score dict each, in order."""
    raw = pd.DataFrame(list(records))
    return [] if raw.empty else records_of(score_raw(model, raw))


def _plain(value: Any) -> Any:
    """numpy scalars as plain Python values, so json.dumps takes them."""
    return value.item() if isinstance(value, np.generic) else value


def model_path(path: str) -> str:
    """A model file, or the MODEL_FILE inside a model directory."""
    return path if path.endswith(".joblib") else os.path.join(path, schema.MODEL_FILE)


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def load_model(path: str) -> LoadedModel:
    """Loads `model.joblib` (or the file given) and derives its version from its bytes."""
    with open(model_path(path), "rb") as f:
        data = f.read()
    return load_model_bytes(data)


def load_model_bytes(data: bytes) -> LoadedModel:
    import io

    import joblib

    return LoadedModel(estimator=joblib.load(io.BytesIO(data)), version=version_of(data))


def save_model(estimator: Any, model_dir: str) -> str:
    """Writes the model directory every server reads: `model.joblib` plus MLServer's settings.

    KServe's scikit-learn server loads the one `*.joblib` file of the directory; MLServer reads
    `model-settings.json`; SageMaker's archive adds `code/` around the same file.
    """
    import joblib

    os.makedirs(model_dir, exist_ok=True)
    target = os.path.join(model_dir, schema.MODEL_FILE)
    joblib.dump(estimator, target)
    with open(os.path.join(model_dir, schema.MODEL_SETTINGS_FILE), "w", encoding="utf-8") as f:
        json.dump(model_settings(), f, indent=2, sort_keys=True)
        f.write("\n")
    return target


def model_settings() -> dict:
    """MLServer's `model-settings.json` for the scikit-learn runtime."""
    return {
        "name": schema.MODEL_NAME,
        "implementation": "mlserver_sklearn.SKLearnModel",
        "parameters": {"uri": "./" + schema.MODEL_FILE},
    }

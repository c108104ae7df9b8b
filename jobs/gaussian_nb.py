"""The sample model scored with numpy alone, for engines whose Python has no scikit-learn.

Managed Service for Apache Flink installs nothing with pip and ships PyFlink's own dependencies
(numpy, pandas, PyArrow), not scikit-learn or joblib. The fitted Gaussian naive Bayes model is a
few arrays; they are exported once to JSON (`samples/model/gaussian-nb.json`) and scored here with
the same numpy operations, in the same order, as scikit-learn 1.2's `GaussianNB.predict_proba`
(and SciPy's `logsumexp`), so the probabilities are bit for bit the ones batch scoring gives
(jobs/tests/test_gaussian_nb.py holds them to it).

    python -m jobs.gaussian_nb   # rewrite samples/model/gaussian-nb.json from model.joblib

Only `export` needs scikit-learn (to read model.joblib); scoring needs numpy.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

PARAMETERS_FILE = "gaussian-nb.json"
SAMPLE_MODEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "samples", "model")


@dataclass(frozen=True)
class NumpyGaussianNB:
    """A fitted GaussianNB's state: what `predict_proba` reads, nothing else."""

    classes: np.ndarray
    class_prior: np.ndarray
    theta: np.ndarray
    var: np.ndarray

    def _joint_log_likelihood(self, X: np.ndarray) -> np.ndarray:
        joint = []
        for i in range(np.size(self.classes)):
            jointi = np.log(self.class_prior[i])
            n_ij = -0.5 * np.sum(np.log(2.0 * np.pi * self.var[i, :]))
            n_ij -= 0.5 * np.sum(((X - self.theta[i, :]) ** 2) / (self.var[i, :]), 1)
            joint.append(jointi + n_ij)
        return np.array(joint).T

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities per row of a (n, features) float64 matrix, as scikit-learn gives them."""
        X = np.asarray(X, dtype="float64")
        jll = self._joint_log_likelihood(X)
        return np.exp(jll - np.atleast_2d(_logsumexp_rows(jll)).T)


def _logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """SciPy's `logsumexp(a, axis=1)`, step for step."""
    a_max = np.amax(a, axis=1, keepdims=True)
    a_max[~np.isfinite(a_max)] = 0
    tmp = np.exp(a - a_max)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(tmp, axis=1, keepdims=False))
    out += np.squeeze(a_max, axis=1)
    return out


def parameters(estimator: Any, version: str) -> dict:
    """A fitted GaussianNB as plain JSON values; floats round-trip exactly through `json`."""
    return {
        "model": "GaussianNB",
        "version": version,
        "classes": [int(c) for c in estimator.classes_],
        "class_prior": [float(x) for x in estimator.class_prior_],
        "theta": [[float(x) for x in row] for row in estimator.theta_],
        "var": [[float(x) for x in row] for row in estimator.var_],
    }


def from_parameters(doc: dict) -> NumpyGaussianNB:
    if doc.get("model") != "GaussianNB":
        raise ValueError("not GaussianNB parameters")
    return NumpyGaussianNB(
        classes=np.array(doc["classes"]),
        class_prior=np.array(doc["class_prior"], dtype="float64"),
        theta=np.array(doc["theta"], dtype="float64"),
        var=np.array(doc["var"], dtype="float64"),
    )


def load(path: str):
    """The model of a parameters file (or of the file in a model directory) as a `LoadedModel`.

    Its version is the one recorded at export: model.joblib's, so scores carry the same
    `model_version` on every path.
    """
    from jobs.model import LoadedModel

    file = path if path.endswith(".json") else os.path.join(path, PARAMETERS_FILE)
    with open(file, encoding="utf-8") as f:
        doc = json.load(f)
    return LoadedModel(estimator=from_parameters(doc), version=str(doc["version"]))


def export(model_dir: str = SAMPLE_MODEL_DIR) -> str:
    """Writes the parameters of `model_dir`/model.joblib next to it; returns the file written."""
    from jobs.model import load_model

    loaded = load_model(model_dir)
    target = os.path.join(model_dir, PARAMETERS_FILE)
    with open(target, "w", encoding="utf-8") as f:
        json.dump(parameters(loaded.estimator, loaded.version), f, indent=2, sort_keys=True)
        f.write("\n")
    return target


if __name__ == "__main__":
    print(export())

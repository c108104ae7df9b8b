"""Train: the feature table in, the model directory and its held-out metrics out.

    python -m jobs.train --input FEATURES.csv|DIR --model-dir DIR [--metrics FILE]

Every HOLDOUT_MODULUS-th customer (by id) is held out. Defaults follow the containers'
conventions: SageMaker training's `SM_CHANNEL_TRAIN` / `SM_MODEL_DIR` / `SM_OUTPUT_DATA_DIR`, and
Vertex AI custom training's `AIP_MODEL_DIR` (a gs:// path, written through the /gcs mount).
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

from jobs import schema, tables
from jobs.model import feature_matrix, new_estimator, save_model


def holdout_mask(features: pd.DataFrame) -> np.ndarray:
    return (features[schema.ID_COLUMN].to_numpy() % schema.HOLDOUT_MODULUS) == 0


def train(features: pd.DataFrame) -> tuple[Any, dict]:
    """Fits the estimator on the training rows and measures it on the held-out rows."""
    if schema.LABEL_COLUMN not in features.columns:
        raise ValueError(f"training needs the label column {schema.LABEL_COLUMN}")
    held = holdout_mask(features)
    fit_rows, test_rows = features[~held], features[held]
    if fit_rows.empty or test_rows.empty or fit_rows[schema.LABEL_COLUMN].nunique() < 2:
        raise ValueError("training needs both classes among the training rows and some held-out rows")
    estimator = new_estimator().fit(feature_matrix(fit_rows), fit_rows[schema.LABEL_COLUMN].to_numpy())
    probability = estimator.predict_proba(feature_matrix(test_rows))[:, 1]
    truth = test_rows[schema.LABEL_COLUMN].to_numpy()
    metrics = {
        "rows_train": int(len(fit_rows)),
        "rows_holdout": int(len(test_rows)),
        "holdout_roc_auc": float(roc_auc_score(truth, probability)),
        "holdout_accuracy": float(accuracy_score(truth, probability >= schema.DECISION_THRESHOLD)),
        "holdout_log_loss": float(log_loss(truth, probability)),
        "holdout_base_rate": float(truth.mean()),
        "min_holdout_roc_auc": schema.MIN_HOLDOUT_AUC,
    }
    return estimator, metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.train", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input",
        default=tables.env_default("SM_CHANNEL_TRAIN"),
        help="feature CSV file or directory (default: $SM_CHANNEL_TRAIN)",
    )
    parser.add_argument(
        "--model-dir",
        default=tables.env_default("SM_MODEL_DIR", "AIP_MODEL_DIR"),
        help="where model.joblib goes (default: $SM_MODEL_DIR, else $AIP_MODEL_DIR)",
    )
    parser.add_argument(
        "--metrics",
        default=None,
        help=f"metrics JSON file (default: {schema.METRICS_FILE} in $SM_OUTPUT_DATA_DIR, else in the model dir)",
    )
    args = parser.parse_args(argv)
    if not args.input or not args.model_dir:
        parser.error("--input and --model-dir are required")
    estimator, metrics = train(tables.read_table(args.input))
    model_dir = tables.local_path(args.model_dir)
    written = save_model(estimator, model_dir)
    metrics_file = args.metrics or os.path.join(
        tables.env_default("SM_OUTPUT_DATA_DIR") or model_dir, schema.METRICS_FILE
    )
    parent = os.path.dirname(metrics_file)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(metrics_file, "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"model: {written}; holdout ROC AUC {metrics['holdout_roc_auc']:.3f}")


if __name__ == "__main__":
    main()

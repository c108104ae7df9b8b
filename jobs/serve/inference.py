"""Online scoring in SageMaker's scikit-learn serving container (`code/inference.py`).

The container imports this file from the model archive's `code/` directory and calls
model_fn(model_dir), input_fn(body, content_type), predict_fn(data, model), output_fn(scores,
accept). The archive carries the `jobs` package beside this file (see `jobs.package`).

Requests: `application/json` with {"instances": [raw record, ...]}, a list of records, or one
record; or `text/csv` with a header row of raw columns. Response: `application/json`
{"predictions": [{customer_id, churn_probability, churn_predicted, model_version}, ...]}.
"""

from __future__ import annotations

import io
import json
import os
import sys

# The container puts this file on the path, not necessarily its directory: make `jobs` importable.
for _directory in (os.path.dirname(os.path.abspath(__file__)), os.environ.get("SAGEMAKER_SUBMIT_DIRECTORY", "")):
    if _directory and os.path.isdir(os.path.join(_directory, "jobs")) and _directory not in sys.path:
        sys.path.insert(0, _directory)

import pandas as pd  # noqa: E402

from jobs.model import LoadedModel, load_model, score_records  # noqa: E402

JSON = "application/json"
CSV = "text/csv"


def model_fn(model_dir: str) -> LoadedModel:
    return load_model(model_dir)


def input_fn(request_body, request_content_type: str) -> list:
    """The request as a list of raw records."""
    if isinstance(request_body, (bytes, bytearray)):
        request_body = request_body.decode("utf-8")
    content_type = (request_content_type or JSON).split(";")[0].strip().lower()
    if content_type == JSON:
        payload = json.loads(request_body)
        if isinstance(payload, dict) and "instances" in payload:
            payload = payload["instances"]
        records = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(r, dict) for r in records):
            raise ValueError("each instance is one JSON object of raw columns")
        return records
    if content_type == CSV:
        return pd.read_csv(io.StringIO(request_body), float_precision="round_trip").to_dict("records")
    raise ValueError(f"unsupported content type {request_content_type}: send {JSON} or {CSV}")


def predict_fn(input_data: list, model: LoadedModel) -> list:
    return score_records(model, input_data)


def output_fn(prediction: list, accept: str):
    """JSON whatever the client accepts: a (body, content type) pair, which the container sends."""
    return json.dumps({"predictions": prediction}), JSON

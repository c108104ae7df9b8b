"""Exports what the streaming scorers in JavaScript (GCP's Dataflow UDF, Azure Stream Analytics'
UDF) need from the reference model.

    /usr/bin/python3 tests/streaming/export_gaussian_nb.py > components/streaming/gaussian-nb-model.json
    npx biome format --write components/streaming/gaussian-nb-model.json

The GaussianNB parameters of jobs/samples/model/model.joblib, and a few sample rows (the first ones,
rows without a total, the lowest, highest and closest-to-0.5 scores) with their batch scores from
the same `score_frame` every Python path calls. `--all` prints every sample row with its score
instead (the tests compare each cloud's UDF on all of them).
"""

import hashlib
import json
import math
import sys

sys.path.insert(0, ".")

from jobs import schema, tables  # noqa: E402
from jobs.features import build_features  # noqa: E402
from jobs.model import load_model, score_frame  # noqa: E402

MODEL = "jobs/samples/model/model.joblib"


def main() -> None:
    model = load_model(MODEL)
    est = model.estimator
    raw = tables.read_table("jobs/samples/customers.csv")
    scored = score_frame(model, build_features(raw))

    def event(i: int) -> dict:
        row = raw.iloc[i]
        out = {}
        for c in schema.RAW_COLUMNS:
            v = row[c]
            v = v.item() if hasattr(v, "item") else v
            if isinstance(v, float) and math.isnan(v):
                continue  # an event may leave out an empty total
            out[c] = v
        return out

    def scored_row(i: int) -> dict:
        s = scored.iloc[i]
        return {
            "event": event(i),
            schema.SCORE_COLUMN: float(s[schema.SCORE_COLUMN]),
            schema.PREDICTION_COLUMN: int(s[schema.PREDICTION_COLUMN]),
            schema.VERSION_COLUMN: str(s[schema.VERSION_COLUMN]),
        }

    if "--all" in sys.argv:
        json.dump([scored_row(i) for i in range(len(raw))], sys.stdout)
        return
    p = scored[schema.SCORE_COLUMN]
    empty = [i for i in range(len(raw)) if "total_charges" not in event(i)]
    picks = sorted({*range(8), *empty[:3], int(p.idxmax()), int(p.idxmin()), int((p - 0.5).abs().idxmin())})
    with open(MODEL, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    doc = {
        "$comment": (
            "GaussianNB parameters of jobs/samples/model/model.joblib (classes_, class_prior_, theta_, var_) "
            "and a few sample rows with their batch scores (jobs.score), exported by "
            "tests/streaming/export_gaussian_nb.py; tests/streaming/gcp.test.ts and azure.test.ts fail "
            "when they are stale."
        ),
        "modelSha256": sha,
        "model": {
            "classes": [int(c) for c in est.classes_],
            "classPrior": [float(x) for x in est.class_prior_],
            "theta": [[float(x) for x in row] for row in est.theta_],
            "var": [[float(x) for x in row] for row in est.var_],
        },
        "features": list(schema.FEATURE_COLUMNS),
        "reference": [scored_row(i) for i in picks],
    }
    json.dump(doc, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

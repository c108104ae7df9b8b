"""Where the reference pipeline lives in the stack's two buckets.

Everything the stack uploads sits under SAMPLES, and every default input and output of the jobs
too, so running the reference pipeline never touches a team's own data or models.
"""

from __future__ import annotations

SAMPLES = "samples"

# Data bucket.
SAMPLE_DATA_KEY = f"{SAMPLES}/data/customers.csv"
FEATURES_PREFIX = f"{SAMPLES}/features"
SCORES_PREFIX = f"{SAMPLES}/scores"

# Artifacts bucket.
TRAINED_MODEL_PREFIX = f"{SAMPLES}/models/trained"
MODEL_PREFIX = f"{SAMPLES}/models/sklearn"
SAGEMAKER_MODEL_KEY = f"{SAMPLES}/models/sagemaker/model.tar.gz"
PACKAGE_KEY = f"{SAMPLES}/jobs/jobs.zip"
SPARK_SCRIPTS_PREFIX = f"{SAMPLES}/jobs/spark"


def join(base: str, key: str) -> str:
    return base.rstrip("/") + "/" + key

"""The pipeline's one place for column names, files and thresholds."""

from __future__ import annotations

# Raw rows: what the sample file holds, what producers send as events, what online clients post.
ID_COLUMN = "customer_id"
LABEL_COLUMN = "churned"
RAW_COLUMNS = (
    ID_COLUMN,
    "tenure_months",
    "monthly_charges",
    "total_charges",
    "contract",
    "support_calls",
    "paperless_billing",
)
CONTRACTS = ("month-to-month", "one-year", "two-year")
YES_NO = ("yes", "no")

# Features, in the order the model was fitted on. Model servers that take plain arrays
# (KServe's V1 `instances`, MLServer's NumPy codec) expect the columns in exactly this order.
FEATURE_COLUMNS = (
    "tenure_months",
    "monthly_charges",
    "log_total_charges",
    "support_calls",
    "is_month_to_month",
    "is_two_year",
    "is_paperless",
)

# Scores.
SCORE_COLUMN = "churn_probability"
PREDICTION_COLUMN = "churn_predicted"
VERSION_COLUMN = "model_version"
DECISION_THRESHOLD = 0.5

# Files.
MODEL_FILE = "model.joblib"
MODEL_SETTINGS_FILE = "model-settings.json"
METRICS_FILE = "metrics.json"
FEATURES_FILE = "features.csv"
SCORES_FILE = "scores.csv"
MODEL_NAME = "churn"

# Training: every fifth customer is held out, so the split is the same on every machine and for
# every engine, with no random state to carry around.
HOLDOUT_MODULUS = 5

# The level-1 chain must reach this ROC AUC on the held-out rows of the sample data.
MIN_HOLDOUT_AUC = 0.80

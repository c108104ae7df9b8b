"""Build features: raw customer rows in, one numeric feature row per customer out.

Row-wise on purpose: a row's features depend on that row alone, so a batch job, a Spark
partition, a stream's micro-batch and a single online request all compute the same values.

    python -m jobs.features --input RAW.csv|DIR --output FEATURES.csv|DIR
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from jobs import schema, tables


def _check(raw: pd.DataFrame) -> None:
    missing = [c for c in schema.RAW_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"missing columns: {', '.join(missing)}")
    problems = []
    bad_contract = ~raw["contract"].isin(schema.CONTRACTS)
    if bad_contract.any():
        problems.append(f"contract must be one of {', '.join(schema.CONTRACTS)}")
    bad_paperless = ~raw["paperless_billing"].isin(schema.YES_NO)
    if bad_paperless.any():
        problems.append("paperless_billing must be yes or no")
    for column in ("tenure_months", "monthly_charges", "support_calls", "total_charges"):
        values = pd.to_numeric(raw[column], errors="coerce")
        # An empty total is allowed (no invoice yet); a bad one is not.
        unreadable = values.isna() & (raw[column].notna() if column == "total_charges" else True)
        if (unreadable | (values < 0)).any():
            problems.append(f"{column} must be a number >= 0")
    if problems:
        raise ValueError("; ".join(problems))


def build_features(raw: pd.DataFrame) -> pd.DataFrame:
    """The feature table: the id, FEATURE_COLUMNS in order, and the label when the input has one."""
    _check(raw)
    tenure = raw["tenure_months"].astype("float64")
    monthly = raw["monthly_charges"].astype("float64")
    total = pd.to_numeric(raw["total_charges"], errors="coerce").astype("float64")
    # No invoice yet: what the customer will have been billed so far.
    total = total.where(total.notna(), tenure * monthly)
    out = pd.DataFrame(
        {
            schema.ID_COLUMN: raw[schema.ID_COLUMN].to_numpy(),
            "tenure_months": tenure.to_numpy(),
            "monthly_charges": monthly.to_numpy(),
            "log_total_charges": np.log1p(total.to_numpy()),
            "support_calls": raw["support_calls"].astype("float64").to_numpy(),
            "is_month_to_month": (raw["contract"] == "month-to-month").astype("float64").to_numpy(),
            "is_two_year": (raw["contract"] == "two-year").astype("float64").to_numpy(),
            "is_paperless": (raw["paperless_billing"] == "yes").astype("float64").to_numpy(),
        }
    )
    if schema.LABEL_COLUMN in raw.columns:
        out[schema.LABEL_COLUMN] = raw[schema.LABEL_COLUMN].astype("int64").to_numpy()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.features", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--input",
        default=tables.env_default("SM_CHANNEL_RAW"),
        help="raw CSV file or directory (default: $SM_CHANNEL_RAW)",
    )
    parser.add_argument("--output", required=True, help=f"CSV file, or directory for {schema.FEATURES_FILE}")
    args = parser.parse_args(argv)
    if not args.input:
        parser.error("--input is required")
    written = tables.write_table(build_features(tables.read_table(args.input)), args.output, schema.FEATURES_FILE)
    print(f"features: {written}")


if __name__ == "__main__":
    main()

"""The sample data set: customers of a subscription service, some of whom churned.

Generated with a fixed seed and shipped as `jobs/samples/customers.csv`, so every level on every
cloud scores the same rows. Regenerate (byte-identical) with:

    python -m jobs.sample --output jobs/samples/customers.csv
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from jobs import schema, tables

SEED = 14
ROWS = 2000


def generate(rows: int = ROWS, seed: int = SEED) -> pd.DataFrame:
    """Raw customer rows with a `churned` label drawn from a known logistic relationship."""
    rng = np.random.default_rng(seed)
    contract = rng.choice(np.array(schema.CONTRACTS), size=rows, p=[0.55, 0.25, 0.20])
    long_contract = contract != "month-to-month"
    # Customers on longer contracts have been around longer.
    tenure = np.where(long_contract, rng.integers(6, 73, rows), rng.integers(1, 49, rows))
    monthly = np.round(rng.uniform(20.0, 120.0, rows), 2)
    # What a customer paid so far drifts around tenure * monthly price (discounts, upgrades).
    total = np.round(tenure * monthly * rng.uniform(0.85, 1.10, rows), 2)
    support_calls = rng.poisson(np.where(long_contract, 1.0, 2.2))
    paperless = np.where(rng.random(rows) < 0.6, "yes", "no")

    z = (
        -0.9
        - 0.055 * tenure
        + 0.018 * (monthly - 70.0)
        + 0.55 * support_calls
        + np.select([contract == "month-to-month", contract == "two-year"], [1.1, -1.3], 0.0)
        + np.where(paperless == "yes", 0.35, 0.0)
    )
    churned = (rng.random(rows) < 1.0 / (1.0 + np.exp(-z))).astype(int)

    frame = pd.DataFrame(
        {
            schema.ID_COLUMN: np.arange(100001, 100001 + rows),
            "tenure_months": tenure,
            "monthly_charges": monthly,
            "total_charges": total,
            "contract": contract,
            "support_calls": support_calls,
            "paperless_billing": paperless,
            schema.LABEL_COLUMN: churned,
        }
    )
    # Billing systems leave the total empty until the first invoice: a gap the features fill.
    fresh = frame["tenure_months"] <= 1
    frame["total_charges"] = frame["total_charges"].where(~fresh, math.nan)
    return frame


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs.sample", description=__doc__.splitlines()[0])
    parser.add_argument("--output", required=True, help="CSV file to write")
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    tables.write_table(generate(args.rows, args.seed), args.output, schema.FEATURES_FILE)


if __name__ == "__main__":
    main()

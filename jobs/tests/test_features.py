"""Features are row-wise, fill the missing total, and refuse rows they cannot read."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from jobs import schema
from jobs.features import build_features


def test_columns_in_model_order_with_label(raw):
    out = build_features(raw)
    assert list(out.columns) == [schema.ID_COLUMN, *schema.FEATURE_COLUMNS, schema.LABEL_COLUMN]
    assert len(out) == len(raw)


def test_a_row_gets_the_same_features_alone_or_in_a_batch(raw):
    batch = build_features(raw)
    for i in (0, 7, 1999):
        alone = build_features(raw.iloc[[i]])
        assert np.array_equal(alone.to_numpy(), batch.iloc[[i]].to_numpy())


def test_missing_total_is_what_was_billed_so_far(raw):
    fresh = raw[raw["total_charges"].isna()].head(1)
    assert len(fresh) == 1
    row = build_features(fresh).iloc[0]
    expected = math.log1p(fresh["tenure_months"].iloc[0] * fresh["monthly_charges"].iloc[0])
    assert row["log_total_charges"] == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    "column,value,message",
    [
        ("contract", "weekly", "contract must be one of"),
        ("paperless_billing", "maybe", "paperless_billing must be yes or no"),
        ("tenure_months", -1, "tenure_months must be a number >= 0"),
        ("support_calls", "many", "support_calls must be a number >= 0"),
        ("total_charges", -5.0, "total_charges must be a number >= 0"),
        ("total_charges", "n/a", "total_charges must be a number >= 0"),
    ],
)
def test_bad_rows_are_refused(raw, column, value, message):
    bad = raw.head(3).copy()
    bad[column] = bad[column].astype(object)
    bad.loc[bad.index[1], column] = value
    with pytest.raises(ValueError, match=message):
        build_features(bad)


def test_missing_columns_are_named(raw):
    with pytest.raises(ValueError, match="missing columns: contract"):
        build_features(raw.drop(columns=["contract"]))


def test_scoring_input_needs_no_label(raw):
    out = build_features(raw.drop(columns=[schema.LABEL_COLUMN]).head(2))
    assert schema.LABEL_COLUMN not in out.columns
    assert isinstance(out, pd.DataFrame)

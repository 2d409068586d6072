"""The library functions behind the lessons' "On real data" sections (01, 02, 07), on hand cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from cxlib.analytics import clv, devotees
from cxlib.analytics import personas as P
from cxlib.errors import CxError


# --------------------------------------------------------------------------- value_concentration
def _orders() -> pd.DataFrame:
    # ten customers: customer 1 holds 100 of 160 (62.5%), customer 2 another 20, the rest 5 each
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            "date": ["2024-01-01", "2024-01-01", "2024-01-02"] + ["2024-02-01"] * 8,
            "value": [50, 50, 20, 5, 5, 5, 5, 5, 5, 5, 5],
        }
    )


def test_value_concentration_hand_case():
    vc = devotees.value_concentration(_orders(), top=[0.1, 0.2, 0.5], n_boot=300)
    t = vc.table.set_index("top")
    assert t.loc[0.1, "customers"] == 1 and t.loc[0.1, "value_share"] == pytest.approx(100 / 160)
    assert t.loc[0.2, "value_share"] == pytest.approx(120 / 160)
    assert t.loc[0.5, "value_share"] == pytest.approx(135 / 160)
    assert t.loc[0.1, "mean_orders"] == 2  # rows without a date column
    assert t.loc[0.1, "rest_mean_value"] == pytest.approx(60 / 9)
    assert (t["ci_low"] <= t["value_share"]).all() and (t["value_share"] <= t["ci_high"]).all()
    assert vc.curve["value_share"].iloc[-1] == pytest.approx(1.0)
    assert vc.curve["value_share"].is_monotonic_increasing
    assert vc.n_customers == 10 and vc.total_value == 160


def test_value_concentration_counts_days_and_is_seeded():
    a = devotees.value_concentration(_orders(), date_column="date", n_boot=200, seed=3)
    b = devotees.value_concentration(_orders(), date_column="date", n_boot=200, seed=3)
    assert a.table.loc[0, "mean_orders"] == 1  # two rows on one day are one purchase
    pd.testing.assert_frame_equal(a.table, b.table)


def test_value_concentration_interval_narrows_with_more_customers():
    rng = np.random.default_rng(0)
    small = pd.DataFrame({"customer_id": range(200), "value": rng.lognormal(3, 1, 200)})
    big = pd.DataFrame({"customer_id": range(5000), "value": rng.lognormal(3, 1, 5000)})
    ws = devotees.value_concentration(small, n_boot=300).table.eval("ci_high - ci_low")
    wb = devotees.value_concentration(big, n_boot=300).table.eval("ci_high - ci_low")
    assert (wb < ws).all()


def test_value_concentration_interval_covers_the_truth():
    # lognormal spend: the top-10% share of the population is 1 - Phi(Phi^-1(0.9) - sigma)
    sigma = 1.0
    truth = 1 - stats.norm.cdf(stats.norm.ppf(0.9) - sigma)
    rng = np.random.default_rng(7)
    covered = 0
    for i in range(100):
        df = pd.DataFrame({"customer_id": range(500), "value": rng.lognormal(0, sigma, 500)})
        row = devotees.value_concentration(df, top=[0.1], n_boot=200, seed=i).table.iloc[0]
        covered += row["ci_low"] <= truth <= row["ci_high"]
    assert 88 <= covered <= 100


def test_blank_ids_are_an_error():
    df = _orders().astype({"customer_id": "float"})
    df.loc[3, "customer_id"] = np.nan
    with pytest.raises(CxError, match="blank customer id"):
        devotees.value_concentration(df)
    with pytest.raises(CxError, match="blank customer id"):
        devotees.top_customer_stability(df, split="2024-01-15")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": [-1] + [5] * 10}, "negative"),
        ({"value": ["x"] + [5] * 10}, "non-numeric"),
        ({"value": [0] * 11}, "some value"),
    ],
)
def test_value_concentration_bad_values(change, message):
    df = _orders().assign(**change)
    with pytest.raises(CxError, match=message):
        devotees.value_concentration(df)


def test_value_concentration_bad_top_and_columns():
    with pytest.raises(CxError, match="top must be a share"):
        devotees.value_concentration(_orders(), top=[10])
    with pytest.raises(ValueError, match="amount"):
        devotees.value_concentration(_orders(), value_column="amount")


# --------------------------------------------------------------------------- top_customer_stability
def test_top_customer_stability_hand_case():
    orders = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5, 1, 3, 5],
            "date": ["2024-01-05"] * 5 + ["2024-07-01", "2024-08-01", "2024-09-01"],
            "value": [90, 80, 10, 5, 1, 70, 60, 50],
        }
    )
    st = devotees.top_customer_stability(orders, split="2024-07-01", top=0.4)
    # top 2 of 5: {1, 2} first, {1, 3} second; customer 1 stayed
    assert (st.customers, st.top_first, st.stayed, st.top_second) == (5, 2, 1, 2)
    assert st.rate == 0.5 and st.chance == pytest.approx(0.4)
    assert st.ci_low < 0.5 < st.ci_high
    assert "stayed top" in repr(st)


def test_top_customer_stability_zero_is_never_top_and_ties_are_in():
    orders = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 1],
            "date": ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-06-01"],
            "value": [10, 10, 1, 0, 5],
        }
    )
    st = devotees.top_customer_stability(orders, split="2024-06-01", top=0.25)
    assert st.top_first == 2  # customers 1 and 2 tie at the cut
    assert st.top_second == 1 and st.stayed == 1  # only customer 1 spent in the second period


def test_top_customer_stability_bad_input():
    orders = _orders()
    with pytest.raises(CxError, match="leaves a period without orders"):
        devotees.top_customer_stability(orders, split="2030-01-01")
    with pytest.raises(CxError, match="not dates"):
        devotees.top_customer_stability(orders.assign(date=["soon"] + orders["date"].tolist()[1:]), split="2024-01-15")
    with pytest.raises(CxError, match="top must be a share"):
        devotees.top_customer_stability(orders, split="2024-01-15", top=0)
    with pytest.raises(CxError, match="split 'someday' is not a date"):
        devotees.top_customer_stability(orders, split="someday")


# --------------------------------------------------------------------------- rfm(ties="low")
def test_rfm_ties_low_scores_equal_customers_equally_whatever_the_row_order():
    rng = np.random.default_rng(1)
    n = 60
    tx = pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
            "amount": 10.0,
        }
    )
    extra = tx.iloc[:12].assign(date=pd.Timestamp("2024-03-31"))  # 12 customers bought twice
    both = pd.concat([tx, extra], ignore_index=True)
    low = P.rfm(both, asof="2024-04-01", ties="low")
    assert set(low.loc[low["frequency"] == 1, "F"]) == {1}
    assert set(low.loc[low["frequency"] == 2, "F"]) == {5}  # 48/60 below them: floor(5 * 0.8) + 1
    shuffled = P.rfm(both.sample(frac=1, random_state=0), asof="2024-04-01", ties="low")
    pd.testing.assert_frame_equal(low, shuffled.loc[low.index])
    first = P.rfm(both, asof="2024-04-01")
    assert first.loc[first["frequency"] == 1, "F"].nunique() > 1  # row order decides


def test_rfm_ties_bad_value():
    tx = pd.DataFrame({"customer_id": list("ABCDE"), "date": ["2024-01-01"] * 5, "amount": [1, 2, 3, 4, 5]})
    with pytest.raises(CxError, match="ties must be"):
        P.rfm(tx, ties="average")


# --------------------------------------------------------------------------- holdout_retention
def _summary() -> pd.DataFrame:
    orders = pd.DataFrame(
        {
            "customer_id": [1, 1, 2, 3, 3, 4],
            "date": ["2024-01-01", "2024-03-10", "2024-01-05", "2024-01-08", "2024-02-20", "2024-02-01"],
            "value": [10.0, 30.0, 5.0, 8.0, 50.0, 7.0],
        }
    )
    return clv.summarize_orders(
        orders, "customer_id", "date", "value", calibration_end="2024-01-31", holdout_end="2024-03-31", unit="day"
    )


def test_holdout_retention_hand_case():
    s = _summary()
    h = clv.holdout_retention(s)
    # customers 1, 2, 3 were seen by the calibration end; 1 and 3 bought in the holdout (60 days)
    assert (h["customers"], h["retained"], h["duration"], h["unit"]) == (3, 2, 60.0, "day")
    assert h["rate"] == pytest.approx(2 / 3)
    assert h["ci_low"] < 2 / 3 < h["ci_high"]
    assert h["value_per_retained"] == pytest.approx((30 + 50) / 2)
    y = clv.holdout_retention(s, period=120)
    assert y["rate_per_period"] == pytest.approx((2 / 3) ** 2)
    assert y["ci_low_per_period"] == pytest.approx(h["ci_low"] ** 2)
    assert y["value_per_retained"] == pytest.approx(80.0)


def test_holdout_retention_bad_input():
    s = _summary()
    with pytest.raises(CxError, match="no holdout"):
        clv.holdout_retention(s.drop(columns=["frequency_holdout"]))
    with pytest.raises(CxError, match="period must be"):
        clv.holdout_retention(s, period=0)
    with pytest.raises(CxError, match="no customers"):
        clv.holdout_retention(s.iloc[:0])

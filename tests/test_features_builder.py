"""The one point-in-time builder against an independent, row-by-row computation, its views, and the
outcome after an event (issue 15 item 11, issue 17 item 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib import features
from cxlib.analytics import drivers
from cxlib.analytics.emotion import repurchase_outcome
from cxlib.errors import CxError

MONTHS = pd.date_range("2024-01-01", periods=8, freq="MS")


def random_activity(seed: int, n: int = 30) -> pd.DataFrame:
    """Customers joining and leaving at random months, with counts, levels and a few blanks."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        start = int(rng.integers(0, 4))
        stop = int(rng.integers(start + 1, len(MONTHS) + 1))
        leaves = stop < len(MONTHS) and rng.random() < 0.8
        for k in range(start, stop):
            c = int(rng.poisson(0.8))
            rows.append(
                {
                    "customer_id": f"c{i:02d}",
                    "month": MONTHS[k],
                    "complaints": c,
                    "complaints_resolved": int(rng.integers(0, c + 1)),
                    "payment_issue": int(rng.random() < 0.2),
                    "care_contacts": int(rng.poisson(1.0)),
                    "usage_gb": float(np.round(rng.gamma(2, 3), 2)) if rng.random() > 0.1 else np.nan,
                    "spend": float(np.round(rng.gamma(4, 5), 2)),
                    "churned": int(leaves and k == stop - 1),
                }
            )
    return pd.DataFrame(rows)


def by_hand(act: pd.DataFrame, cutoff: str, horizon: int, window: int) -> pd.DataFrame:
    """The definitions of cxlib.features.names, customer by customer, with plain pandas."""
    cut = pd.Timestamp(cutoff)
    last = cut - pd.DateOffset(months=1)
    out = {}
    for cid, g in act.groupby("customer_id"):
        before = g[g["month"] < cut]
        lastrow = before[before["month"] == last]
        if lastrow.empty or lastrow["churned"].iloc[0] == 1:
            continue  # not active at the cutoff
        win = before[before["month"] > last - pd.DateOffset(months=window)]
        after = g[(g["month"] >= cut) & (g["month"] < cut + pd.DateOffset(months=horizon))]
        comp = before[before["complaints"] > 0]["month"]
        unresolved = (win["complaints"] - win["complaints_resolved"]).clip(lower=0)
        out[cid] = {
            "months_active": len(before),
            f"complaints_{window}m": win["complaints"].sum(),
            f"unresolved_complaints_{window}m": unresolved.sum(),
            f"payment_issues_{window}m": win["payment_issue"].sum(),
            "months_since_complaint": (
                np.nan if comp.empty else (last.year - comp.max().year) * 12 + last.month - comp.max().month
            ),
            "usage_gb_last": lastrow["usage_gb"].iloc[0],
            f"spend_mean_{window}m": win["spend"].mean(),
            "spend_mean": before["spend"].mean(),
            "churned": int(after["churned"].sum() > 0),
        }
    return pd.DataFrame.from_dict(out, orient="index").sort_index()


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), cutoff=st.sampled_from(["2024-04-01", "2024-05-01", "2024-06-01"]))
def test_builder_equals_a_row_by_row_computation(seed, cutoff):
    act = random_activity(seed)
    expected = by_hand(act, cutoff, horizon=2, window=3)
    if expected.empty:
        return
    got = features.build_features(
        act, cutoff, horizon=2, windows=(1, 3), statistics=("sum", "last", "window_mean", "mean", "recency")
    ).set_index("customer_id")
    assert list(got.index) == list(expected.index)
    for col in expected.columns:
        np.testing.assert_allclose(got[col].to_numpy(float), expected[col].to_numpy(float), err_msg=col)


def test_population_all_and_since():
    act = random_activity(3)
    f = features.build_features(act, "2024-07-01", label=False, population="all", since="2024-03-01", windows=(2,))
    hist = act[(act["month"] >= "2024-03-01") & (act["month"] < "2024-07-01")]
    assert sorted(f["customer_id"]) == sorted(hist["customer_id"].unique())
    left = hist.groupby("customer_id")["churned"].max()
    assert f.set_index("customer_id")["churned_before"].to_dict() == left.to_dict()
    assert f.set_index("customer_id")["months_active"].to_dict() == hist.groupby("customer_id").size().to_dict()


def test_every_name_is_described_and_unknown_statistics_refused():
    from cxlib.data import datasets

    tables = {
        "customers": datasets.load_customers(),
        "interactions": datasets.load_interactions(),
        "surveys": datasets.load_nps_surveys(),
        "feedback": datasets.load_agent_feedback(),
    }
    f = features.build_features(datasets.load_activity(), "2024-06-01", statistics=features.STATISTICS, **tables)
    meanings = features.describe_features(f.drop(columns=["customer_id", *features.STATIC_COLUMNS]))
    assert not meanings["meaning"].eq("as in the source table").any(), meanings
    assert len(meanings) > 100
    act = random_activity(4)
    with pytest.raises(CxError, match="unknown statistic"):
        features.build_features(act, "2024-06-01", statistics=("median",))
    with pytest.raises(CxError, match="label needs a cutoff"):
        features.build_features(act)


def test_views_are_selections_of_the_builder():
    """health_signals, later_churn and customer_features return the builder's values under its names."""
    act = random_activity(5)
    full = features.build_features(
        act, "2024-06-01", horizon=2, statistics=("sum", "last", "window_mean", "change")
    ).set_index("customer_id")
    hs = features.health_signals(act, "2024-06-01")
    for col in ("complaints_3m", "unresolved_complaints_3m", "payment_issues_3m", "spend_mean_3m"):
        pd.testing.assert_series_equal(hs[col], full[col], check_names=False)
    pd.testing.assert_series_equal(features.later_churn(act, "2024-06-01", horizon=2), full["churned"])


# --------------------------------------------------------------------------- the outcome after an event
def outcome_by_hand(events: pd.DataFrame, act: pd.DataFrame, horizon: int) -> list[float]:
    """Churned in the event's month or the ``horizon`` months after it; blank when unknown."""
    end = act["month"].max()
    out = []
    for e in events.itertuples():
        m = pd.Timestamp(e.survey_date).to_period("M").to_timestamp()
        rows = act[act["customer_id"] == e.customer_id]
        if not (rows["month"] == m).any() or m + pd.DateOffset(months=horizon) > end:
            out.append(np.nan)
            continue
        window = rows[(rows["month"] >= m) & (rows["month"] <= m + pd.DateOffset(months=horizon))]
        out.append(float(window["churned"].sum() > 0))
    return out


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), horizon=st.integers(1, 3))
def test_outcome_after_event_equals_a_row_by_row_computation(seed, horizon):
    act = random_activity(seed)
    rng = np.random.default_rng(seed)
    ids = act["customer_id"].unique()
    events = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, 40),
            "survey_date": MONTHS[rng.integers(0, len(MONTHS), 40)] + pd.to_timedelta(rng.integers(0, 28, 40), "D"),
        }
    )
    got = features.outcome_after_event(events, act, horizon=horizon)["churned"].to_numpy()
    np.testing.assert_array_equal(got, outcome_by_hand(events, act, horizon))


def test_churners_in_the_month_of_the_answer_are_not_lost():
    """Issue 15 item 11: every customer who cancels in the month of their answer is a churner."""
    act = random_activity(11, n=200)
    left = act[act["churned"] == 1][["customer_id", "month"]]
    events = left.assign(survey_date=left["month"] + pd.Timedelta(days=9))[["customer_id", "survey_date"]]
    events = events[events["survey_date"] < MONTHS[-3]]
    assert len(events) > 20
    stayed = repurchase_outcome(events, act, horizon=2)
    assert (stayed == 0).all()  # before the fix these were all "stayed"
    kept = drivers.outcome_after(events, act, horizon=2)
    assert len(kept) == len(events) and (kept["retained_later"] == 0).all()


def test_outcome_after_event_counts_what_it_cannot_know():
    act = random_activity(12)
    ev = pd.DataFrame({"customer_id": ["zz", act["customer_id"].iloc[0]], "survey_date": ["2024-02-03", "2024-08-09"]})
    o = features.outcome_after_event(ev, act, horizon=2)
    assert o["churned"].isna().all()
    assert o.attrs["n_not_customer"] >= 1 and o.attrs["n_censored"] + o.attrs["n_not_customer"] == 2
    with pytest.raises(CxError, match="horizon"):
        features.outcome_after_event(ev, act, horizon=0)

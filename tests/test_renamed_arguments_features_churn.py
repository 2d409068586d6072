"""Every argument renamed in the features, churn and value modules keeps working for one release.

One test per renamed function: the 0.1 name gives the same result as the new one, with a
DeprecationWarning that names the new argument (issue 17 item 2).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from cxlib import features
from cxlib.analytics import churn, clv, devotees, drivers, economics, emotion, expectations
from cxlib.analytics import personas as P


def old_equals_new(func, args, old: dict, new: dict, compare=None):
    """Call with the 0.1 names (expecting a DeprecationWarning naming the new one) and with the new names."""
    with pytest.warns(DeprecationWarning) as caught:
        got_old = func(*args, **old)
    messages = " ".join(str(w.message) for w in caught)
    for name in set(new) - set(old):
        assert f"{name}=" in messages, messages
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        got_new = func(*args, **new)
    (compare or _same)(got_old, got_new)


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, tuple):
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert repr(a) == repr(b)


def activity() -> pd.DataFrame:
    months = pd.date_range("2024-01-01", periods=6, freq="MS")
    rows = []
    for i, (stop, leaves) in enumerate([(6, False), (4, True), (6, False), (3, True), (6, False), (5, True)]):
        for k in range(stop):
            rows.append(
                {
                    "cid": f"c{i}",
                    "m": months[k],
                    "left": int(leaves and k == stop - 1),
                    "complaints": (i + k) % 3,
                    "complaints_resolved": 0,
                    "spend": 10.0 + i,
                    "products_held": 1 + (k > 2),
                    "positive_feedback": int(i == 0),
                }
            )
    return pd.DataFrame(rows)


COLS = {"id_column": "cid", "month_column": "m"}


# --------------------------------------------------------------------------- features
def test_build_features():
    surveys = pd.DataFrame({"cid": ["c0", "c2"], "survey_date": ["2024-02-03", "2024-03-04"], "ltr": [9, 4]})
    old_equals_new(
        features.build_features,
        (activity(), "2024-04-01", 2),
        {**COLS, "churn_column": "left", "surveys": surveys, "score_column": "ltr"},
        {**COLS, "target_column": "left", "surveys": surveys, "survey_columns": ("ltr",)},
    )


def test_health_signals_and_later_churn():
    old_equals_new(
        features.health_signals,
        (activity(), "2024-04-01"),
        {**COLS, "churn_column": "left"},
        {**COLS, "target_column": "left"},
    )
    old_equals_new(
        features.later_churn,
        (activity(), "2024-04-01"),
        {**COLS, "churn_column": "left"},
        {**COLS, "target_column": "left"},
    )


def test_customer_features():
    act = (
        activity()
        .rename(columns={"cid": "customer_id", "m": "month"})
        .assign(usage_gb=1.0, care_contacts=0, help_video_views=1, help_article_views=0)
    )
    cust = pd.DataFrame({"customer_id": [f"c{i}" for i in range(6)], "age": 30, "signup_date": "2023-01-01"})
    old_equals_new(
        features.customer_features,
        (cust, act),
        {"id": "customer_id", "until": "2024-03-01"},
        {"id_column": "customer_id", "cutoff": "2024-03-01"},
    )


def test_customer_profile():
    old_equals_new(
        features.customer_profile,
        (activity(),),
        {**COLS, "churn_column": "left", "start": "2024-02-01", "end": "2024-05-01"},
        {**COLS, "target_column": "left", "since": "2024-02-01", "cutoff": "2024-05-01"},
    )


# --------------------------------------------------------------------------- drivers, devotees, economics
def test_outcome_after_and_monthly_metrics():
    ev = pd.DataFrame({"cid": ["c0", "c1"], "survey_date": ["2024-01-05", "2024-02-02"]})
    old_equals_new(
        drivers.outcome_after, (ev, activity()), {**COLS, "churn_column": "left"}, {**COLS, "target_column": "left"}
    )
    old_equals_new(
        drivers.monthly_metrics,
        (),
        {**COLS, "activity": activity(), "churn_column": "left"},
        {**COLS, "activity": activity(), "target_column": "left"},
    )


def test_driver_analysis_fit():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(100, 2)), columns=["a", "b"]).assign(y=lambda d: d["a"] + rng.normal(size=100))
    old_equals_new(
        drivers.DriverAnalysis().fit,
        (df,),
        {"outcome": "y", "drivers": ["a", "b"]},
        {"outcome_column": "y", "driver_columns": ["a", "b"]},
        compare=lambda a, b: _same(a.summary, b.summary),
    )


def test_lagged_correlation_alpha_is_one_minus_level():
    x = pd.Series([0.0, 1, 0, 2, 0, 3, 0, 1, 0, 2])
    old_equals_new(drivers.lagged_correlation, (x, x.shift(1)), {"alpha": 0.1}, {"level": 0.9})


def test_value_balance():
    prof = pd.DataFrame({"value_from_customer": [1, 2, 3, 4], "value_to_customer": [4, 3, 2, 1], "left": [0, 0, 1, 1]})
    old_equals_new(
        devotees.value_balance,
        (prof,),
        {"churn_column": "left"},
        {"target_column": "left"},
        compare=lambda a, b: _same(a.quadrants, b.quadrants),
    )


def test_customer_economics_and_business_case_from_table():
    act = activity().rename(columns={"cid": "customer_id"})
    cus = pd.DataFrame(
        {"customer_id": [f"c{i}" for i in range(6)], "acquisition_channel": "store", "acquisition_cost": 50.0}
    )
    old_equals_new(economics.customer_economics, (act, cus), {"churn_column": "left"}, {"target_column": "left"})
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot().head(600)
    old_equals_new(
        economics.business_case_from_table,
        (snap,),
        {"horizon_months": 3, "n_draws": 100},
        {"horizon": 3, "n_draws": 100},
        compare=lambda a, b: _same(a.summary, b.summary),
    )


# --------------------------------------------------------------------------- emotion
@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "connected": [1] * 200 + [0] * 600,
            "promoter": [1] * 120 + [0] * 80 + [1] * 150 + [0] * 450,
            "tenure": np.arange(800) % 37,
        }
    )


def test_risk_ratios(table):
    old_equals_new(emotion.risk_ratio, (120, 80, 150, 450), {"confidence": 0.9}, {"level": 0.9})
    old_equals_new(
        emotion.risk_ratio_table,
        (table,),
        {"exposure": "connected", "outcome": "promoter", "confidence": 0.9},
        {"exposure_column": "connected", "outcome_column": "promoter", "level": 0.9},
    )
    old_equals_new(
        emotion.risk_ratio_summary,
        (table,),
        {"exposure": "connected", "outcomes": ["promoter"], "confidence": 0.9},
        {"exposure_column": "connected", "outcome_columns": ["promoter"], "level": 0.9},
    )
    old_equals_new(
        emotion.adjusted_risk_ratio,
        (table,),
        {"exposure": "connected", "outcome": "promoter", "confounders": ["tenure"], "confidence": 0.9},
        {"exposure_column": "connected", "outcome_column": "promoter", "confounder_columns": ["tenure"], "level": 0.9},
    )
    r = emotion.risk_ratio(120, 80, 150, 450, level=0.9)
    with pytest.warns(DeprecationWarning, match="use `.level`"):
        assert r.confidence == 0.9


def test_share_and_measure_validity():
    old_equals_new(emotion.share, ([1, 0, 1, 1],), {"confidence": 0.9}, {"level": 0.9})
    old_equals_new(emotion.measure_validity, ([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.4]), {"confidence": 0.9}, {"level": 0.9})


def test_repurchase_outcome_and_connection_from_text():
    act = activity().rename(columns={"m": "month", "left": "churned"})
    resp = pd.DataFrame({"cid": ["c0", "c1"], "answered": pd.to_datetime(["2024-01-05", "2024-01-09"])})
    old_equals_new(
        emotion.repurchase_outcome,
        (resp, act),
        {"date": "answered", "customer": "cid", "horizon_months": 2},
        {"date_column": "answered", "id_column": "cid", "horizon": 2},
    )
    comments = pd.DataFrame({"who": ["A", "B"], "said": ["I love it", "fine"]})
    old_equals_new(
        emotion.connection_from_text,
        (comments,),
        {"customer": "who", "text": "said"},
        {"id_column": "who", "text_column": "said"},
    )


# --------------------------------------------------------------------------- expectations
def test_disconfirmation_and_gap():
    rng = np.random.default_rng(0)
    d = pd.DataFrame({"p": rng.integers(0, 3, 300), "e": rng.normal(size=300)})
    d["s"] = 7 - d["p"] - d["e"] + rng.normal(size=300)
    old_equals_new(
        expectations.disconfirmation,
        (d,),
        {"outcome": "s", "performance": "p", "expectation": "e"},
        {"outcome_column": "s", "performance_column": "p", "expectation_column": "e"},
        compare=lambda a, b: _same(a.table, b.table),
    )
    r = expectations.disconfirmation(d, "s", "p", "e")
    old_equals_new(r.gap, (), {"level": "0"}, {"performance": "0"})


def test_kano_summary():
    d = pd.DataFrame({"f": ["like", "like", "neutral"], "d": ["dislike", "neutral", "dislike"], "x": ["a", "a", "b"]})
    old_equals_new(
        expectations.kano_summary,
        (d,),
        {"functional": "f", "dysfunctional": "d", "feature": "x"},
        {"functional_column": "f", "dysfunctional_column": "d", "feature_column": "x"},
    )


# --------------------------------------------------------------------------- personas
def test_rfm_segmenter_cards_and_rates():
    tx = pd.DataFrame(
        {
            "who": list("AABBBCDDDDE"),
            "when": pd.date_range("2024-01-01", periods=11, freq="W"),
            "usd": [10, 10, 5, 5, 5, 100, 20, 20, 20, 20, 1],
        }
    )
    old_equals_new(
        P.rfm,
        (tx,),
        {"id": "who", "date": "when", "amount": "usd"},
        {"id_column": "who", "date_column": "when", "amount_column": "usd"},
    )
    X = pd.DataFrame({"a": np.r_[np.zeros(20), np.ones(20) * 5], "b": np.arange(40.0) % 3})
    old_equals_new(
        P.Segmenter,
        (),
        {"k": 2, "features": ["a", "b"]},
        {"k": 2, "feature_columns": ["a", "b"]},
        compare=lambda a, b: _same(a.fit(X).labels_, b.fit(X).labels_),
    )
    f = pd.DataFrame({"years": [25, 27, 55, 60], "video_share": [0.8, 0.9, 0.2, 0.1]})
    old_equals_new(
        P.persona_cards,
        (f, [0, 0, 1, 1]),
        {"age": "years"},
        {"age_column": "years"},
        compare=lambda a, b: _same(a.table(), b.table()),
    )
    old_equals_new(
        P.rate_by_segment, (pd.Series([0, 0, 1, 1]), pd.Series([1, 0, 1, 1])), {"alpha": 0.1}, {"level": 0.9}
    )


# --------------------------------------------------------------------------- CLV
def test_clv():
    from cxlib.data.datasets import load_cdnow

    orders = load_cdnow(sample=True)
    cal = {"calibration_end": "1997-09-30"}
    old_equals_new(
        clv.summarize_orders,
        (orders,),
        {"customer": "customer_id", "date": "date", **cal},
        {"id_column": "customer_id", "date_column": "date", **cal},
    )
    s = clv.summarize_orders(orders, "customer_id", "date", "dollar_value", **cal)
    old_equals_new(clv.BetaGeoModel, (), {"conf": 0.9}, {"level": 0.9})
    bg = clv.BetaGeoModel().fit(s)
    cols_old = {"frequency": "frequency", "recency": "recency", "T": "T"}
    cols_new = {"frequency_column": "frequency", "recency_column": "recency", "T_column": "T"}
    old_equals_new(clv.BetaGeoModel().fit, (s,), cols_old, cols_new, compare=lambda a, b: _same(a.params_, b.params_))
    old_equals_new(bg.probability_alive, (s,), cols_old, cols_new)
    old_equals_new(bg.expected_purchases, (10, s), cols_old, cols_new)
    gg_old = {"frequency": "frequency", "monetary_value": "monetary_value"}
    gg_new = {"frequency_column": "frequency", "monetary_value_column": "monetary_value"}
    old_equals_new(clv.GammaGammaModel, (), {"conf": 0.9}, {"level": 0.9})
    gg = clv.GammaGammaModel().fit(s)
    old_equals_new(clv.GammaGammaModel().fit, (s,), gg_old, gg_new, compare=lambda a, b: _same(a.params_, b.params_))
    old_equals_new(gg.expected_spend, (s,), gg_old, gg_new)
    old_equals_new(
        clv.fit_clv,
        (orders.head(3000),),
        {"customer": "customer_id", "date": "date", **cal},
        {"id_column": "customer_id", "date_column": "date", **cal},
        compare=lambda a, b: _same(a.customers, b.customers),
    )


# --------------------------------------------------------------------------- churn
def test_churn_target_is_target_column():
    df = pd.DataFrame({"id": list("abcdefgh"), "x": [0, 1, 0, 3, 1, 0, 2, 0], "Left": list("NYNYNNYN")})
    df["Left"] = df["Left"].map({"Y": "Yes", "N": "No"})
    old_equals_new(churn.parse_target, (df["Left"],), {"name": "Left"}, {"target_column": "Left"})
    old_equals_new(
        churn.clean_features,
        (df,),
        {"target": "Left", "id_column": "id"},
        {"target_column": "Left", "id_column": "id"},
        compare=lambda a, b: _same(a.X, b.X),
    )
    from cxlib.features import build_features

    act = activity().rename(columns={"cid": "customer_id", "m": "month", "left": "churned"})
    snaps = pd.concat([build_features(act, c, horizon=1).assign(cutoff=c) for c in ["2024-03-01", "2024-04-01"]])
    snaps = snaps.rename(columns={"churned": "y"})
    snaps.loc[snaps.index[:2], "y"] = 1  # both classes at each cutoff
    old_equals_new(
        churn.time_validate,
        (snaps, "cutoff"),
        {"target": "y", "id_column": "customer_id", "horizon": 1},
        {"target_column": "y", "id_column": "customer_id", "horizon": 1},
        compare=lambda a, b: _same(a.auc, b.auc),
    )


def test_churn_model_drivers_and_signals():
    from cxlib.data import datasets

    s = datasets.load_churn_snapshot().head(800)
    m = churn.ChurnModel(kind="hgb").fit(s[["complaints_3m", "payment_issues_3m", "tenure_months"]], s["churned"])
    old_equals_new(m.drivers, (), {"n_repeats": 2}, {"resamples": 2})
    act = activity()
    old_equals_new(
        churn.signals_before_churn,
        (act,),
        {**COLS, "signals": ["complaints"], "churn_column": "left"},
        {**COLS, "signal_columns": ["complaints"], "target_column": "left"},
    )


def test_cli_churn_functions_moved(tmp_path):
    from cxlib.cli import churn as cli_churn
    from cxlib.data.io import read_churn_table

    path = tmp_path / "t.csv"
    pd.DataFrame({"id": list("abcdefghij"), "x": range(10), "Left": [0, 1] * 5}).to_csv(path, index=False)
    with pytest.warns(DeprecationWarning, match="read_churn_table"):
        df, notes = cli_churn.read_churn_file(path, "Left", "id")
    pd.testing.assert_frame_equal(df, read_churn_table(path, "Left", "id")[0])
    with pytest.warns(DeprecationWarning, match="churn_report"):
        r = cli_churn.analyse(df, "Left", "id", folds=2)
    assert r["target"] == "Left" and "leakage_alarms" in r

"""Tests of cxlib.value and cxlib.analytics.incentives: hand-computed cases, edge cases, bad input, truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib import features
from cxlib.analytics import devotees, drivers, economics, health
from cxlib.analytics.incentives import simulate_incentive
from cxlib.analytics.stats import delong_auc_ci
from cxlib.errors import CxError, ValidationError


# ----------------------------------------------------------------------------- CLV / CAC
@pytest.mark.parametrize("r, start, end, life", [(0.80, 366.7, 266.7, 5.0), (0.85, 440.0, 340.0, 6.67)])
def test_clv_matches_cx_science_table(r, start, end, life):
    assert economics.clv(100, r, 0.10) == pytest.approx(start, abs=0.05)
    assert economics.clv(100, r, 0.10, convention="end") == pytest.approx(end, abs=0.05)
    assert economics.expected_lifetime(r) == pytest.approx(life, abs=0.005)


def auc_delong(y, score):
    """AUC and its DeLong standard error (the two numbers the health checks report)."""
    return delong_auc_ci(y, score)[:2]


def test_clv_relative_gains_from_table():
    s = economics.clv(100, np.array([0.80, 0.85]), 0.10)
    e = economics.clv(100, np.array([0.80, 0.85]), 0.10, convention="end")
    assert s[1] / s[0] - 1 == pytest.approx(0.20, abs=0.001)
    assert e[1] / e[0] - 1 == pytest.approx(0.275, abs=0.001)


def test_clv_vectorised_over_series_keeps_index():
    r = pd.Series([0.8, 0.85], index=["x", "y"])
    out = economics.clv(pd.Series([100.0, 100.0], index=["x", "y"]), r, 0.10)
    assert isinstance(out, pd.Series) and list(out.index) == ["x", "y"]
    assert out["y"] == pytest.approx(440.0)


def test_clv_zero_retention_is_one_margin_or_zero():
    assert economics.clv(50, 0.0, 0.1) == pytest.approx(50)
    assert economics.clv(50, 0.0, 0.1, convention="end") == 0


@settings(max_examples=60, deadline=None)
@given(m=st.floats(0, 1e4), r=st.floats(0, 0.99), d=st.floats(0, 0.5))
def test_clv_conventions_differ_by_one_margin_and_match_series_sum(m, r, d):
    start, end = economics.clv(m, r, d), economics.clv(m, r, d, convention="end")
    assert start - end == pytest.approx(m, rel=1e-9, abs=1e-6)
    t = np.arange(4000)
    assert start == pytest.approx(float(np.sum(m * (r / (1 + d)) ** t)), rel=1e-6, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(r1=st.floats(0, 0.98), r2=st.floats(0, 0.98))
def test_clv_increases_with_retention(r1, r2):
    lo, hi = sorted([r1, r2])
    assert economics.clv(10, lo, 0.05) <= economics.clv(10, hi, 0.05) + 1e-9


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(margin=100, retention=1.1, discount=0.10), "probability"),
        (dict(margin=100, retention=0.05, discount=-0.95), r"below 1 \+ discount"),
        (dict(margin=100, retention=1.0, discount=0.0), "never converges"),
        (dict(margin=-5, retention=0.8, discount=0.10), "margin must be ≥ 0"),
        (dict(margin=100, retention=-0.1, discount=0.10), r"must be in \[0, 1\]"),
        (dict(margin=np.nan, retention=0.8, discount=0.10), "missing"),
        (dict(margin=100, retention=0.8, discount=-1.0), "discount"),
    ],
)
def test_clv_bad_input(kwargs, words):
    with pytest.raises(CxError, match=words):
        economics.clv(**kwargs)


def test_clv_bad_convention_and_lifetime():
    with pytest.raises(CxError, match="convention"):
        economics.clv(1, 0.5, 0.1, convention="middle")
    with pytest.raises(CxError, match="infinite"):
        economics.expected_lifetime(1.0)


def test_monthly_rate_compounds_to_annual():
    assert (1 + economics.monthly_rate(0.10)) ** 12 == pytest.approx(1.10)


def test_cac_by_channel_hand_computed():
    df = pd.DataFrame(
        {
            "acquisition_channel": ["a", "a", "b", "b", "b"],
            "acquisition_cost": [10.0, 30.0, 0.0, 6.0, 9.0],
            "signup_date": pd.to_datetime(["2023-01-05", "2024-02-01", "2024-01-01", "2024-03-01", "2022-01-01"]),
        }
    )
    t = economics.cac(df).set_index("group")
    assert t.loc["a", "cac"] == 20 and t.loc["b", "cac"] == 5 and t.loc["all", "cac"] == 11
    t24 = economics.cac(df, start="2024-01-01").set_index("group")
    assert t24.loc["all", "new_customers"] == 3 and t24.loc["all", "cac"] == pytest.approx(12)
    assert economics.cac(df, by=None, date_column=None)["cac"].tolist() == [11]


def test_cac_bad_input():
    df = pd.DataFrame({"acquisition_channel": ["a", "b"], "acquisition_cost": [10.0, np.nan]})
    with pytest.raises(ValidationError, match="missing or negative"):
        economics.cac(df, date_column=None)
    with pytest.raises(ValidationError, match="acquisition_channel"):
        economics.cac(df.drop(columns="acquisition_channel"), date_column=None)
    with pytest.raises(CxError, match="no new customers"):
        economics.cac(df.iloc[:0], date_column=None)


def test_customer_economics_missing_columns_listed_together():
    act = pd.DataFrame({"customer_id": ["a"]})
    with pytest.raises(ValidationError) as e:
        economics.customer_economics(act, pd.DataFrame({"customer_id": ["a"]}))
    assert len(e.value.problems) == 2  # spend and churned, both reported


# ----------------------------------------------------------------------------- health score
def _activity():
    """Hand-made activity: 3 months, 4 customers."""
    rows = []
    spec = {  # complaints per month, complaints resolved, churn month index (or None)
        "a": ([0, 0, 0], [0, 0, 0], None),
        "b": ([1, 2, 0], [1, 0, 0], 2),
        "c": ([0, 1, 0], [0, 1, 0], None),
        "d": ([3, 3, 3], [0, 0, 0], 2),
    }
    for cid, (comp, res, churn_at) in spec.items():
        for k, month in enumerate(["2024-01-01", "2024-02-01", "2024-03-01"]):
            rows.append(
                dict(
                    customer_id=cid,
                    month=month,
                    complaints=comp[k],
                    complaints_resolved=res[k],
                    churned=int(churn_at == k),
                    spend=10.0 * (k + 1),
                    positive_feedback=int(cid == "a"),
                    products_held=1 + (cid == "a"),
                    usage_gb=5.0,
                )
            )
    return pd.DataFrame(rows)


def test_health_signals_point_in_time():
    X = features.health_signals(_activity(), "2024-03-01", window=2)
    assert list(X.index) == ["a", "b", "c", "d"]
    assert X.loc["b", "complaints_2m"] == 3 and X.loc["b", "unresolved_complaints_2m"] == 2
    assert X.loc["d", "unresolved_complaints_2m"] == 6
    assert X.loc["a", "months_active"] == 2  # without signup dates: months observed
    assert X.loc["a", "spend_mean_2m"] == pytest.approx(15.0) and X.loc["a", "products_held_last"] == 2
    # nothing from the cutoff month itself leaks in
    X1 = features.health_signals(_activity(), "2024-02-01", window=1)
    assert X1.loc["b", "complaints_1m"] == 1


def test_health_signals_tenure_from_signup():
    su = pd.Series(pd.to_datetime(["2020-03-15"] * 4), index=list("abcd"))
    X = features.health_signals(_activity(), "2024-03-01", signup=su)
    assert X.loc["a", "tenure_months"] == round((pd.Timestamp("2024-03-01") - pd.Timestamp("2020-03-15")).days / 30.44)
    with pytest.raises(CxError, match="signup"):
        features.health_signals(_activity(), "2024-03-01", signup=su.iloc[:2])


def test_later_churn_and_bad_cutoffs():
    y = features.later_churn(_activity(), "2024-03-01", horizon=1)
    assert y.to_dict() == {"a": 0, "b": 1, "c": 0, "d": 1}
    with pytest.raises(CxError, match="horizon"):
        features.later_churn(_activity(), "2024-03-01", horizon=3)
    with pytest.raises(CxError, match="no customer is active"):
        features.health_signals(_activity(), "2025-01-01")
    with pytest.raises(ValidationError, match="churned"):
        features.health_signals(_activity().drop(columns="churned"), "2024-03-01")


def test_auc_delong_hand_case_and_sklearn():
    from sklearn.metrics import roc_auc_score

    auc, se = auc_delong([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    assert auc == pytest.approx(0.75)
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 500)
    s = y + rng.normal(0, 1.5, 500)
    auc, se = auc_delong(y, s)
    assert auc == pytest.approx(roc_auc_score(y, s))
    assert 0.01 < se < 0.05
    with pytest.raises(CxError, match="one class"):
        auc_delong([0, 0], [1, 2])


def test_health_score_weights_hand_computed():
    X = pd.DataFrame({"complaints": [0.0, 2.0], "tenure_months": [10.0, 10.0]})
    hs = health.HealthScore({"complaints": -1.0, "tenure_months": 1.0}).fit(X)
    # z(complaints) = -1, +1; tenure constant -> scale 1, z = 0
    assert hs.index(X).tolist() == [1.0, -1.0]
    assert hs.score(X).tolist() == [100.0, 50.0]
    assert hs.summary["direction"].tolist() == ["less healthy", "healthier"]


def test_health_score_bad_input():
    X = pd.DataFrame({"complaints": [0.0, np.nan, 1.0]})
    with pytest.raises(ValidationError, match="missing or non-numeric"):
        health.HealthScore({"complaints": -1}).fit(X)
    with pytest.raises(CxError, match="none of the weighted signals"):
        health.HealthScore({"nope": 1}).fit(X)
    with pytest.raises(CxError, match="later churn"):
        health.HealthScore("fit").fit(X.fillna(0))
    with pytest.raises(CxError, match="one class"):
        health.HealthScore("fit").fit(X.fillna(0), [0, 0, 0])
    with pytest.raises(CxError, match="fit"):
        health.HealthScore().score(X)


def test_health_score_recovers_signal_and_validates():
    rng = np.random.default_rng(0)
    n = 3000
    X = pd.DataFrame({"complaints": rng.poisson(1, n).astype(float), "noise": rng.normal(size=n)})
    p = 1 / (1 + np.exp(-(-3 + 1.0 * X["complaints"])))
    y = pd.Series((rng.random(n) < p).astype(int), index=X.index)
    hs = health.HealthScore("fit").fit(X.iloc[:1500], y.iloc[:1500])
    assert hs.weights_["complaints"] < -0.5 and abs(hs.weights_["noise"]) < 0.2
    val = hs.validate(X.iloc[1500:], y.iloc[1500:])
    assert val.auc_low < val.auc < val.auc_high and val.auc > 0.65
    assert val.deciles["churn_rate"].iloc[0] > val.deciles["churn_rate"].iloc[-1]
    assert "AUC" in repr(val)


# ----------------------------------------------------------------------------- profile, balance, devotees
def test_customer_profile_value_definitions():
    prof = features.customer_profile(_activity(), margin_rate=0.5)
    assert prof.loc["a", "value_from_customer"] == pytest.approx(10.0)  # 0.5 * mean(10, 20, 30)
    assert prof.loc["b", "months_active"] == 3
    # b: resolved 1 - unresolved (0 + 2 + 0) = -1 over 3 months
    assert prof.loc["b", "value_to_customer"] == pytest.approx(-1 / 3)
    assert prof.loc["a", "value_to_customer"] == pytest.approx(1.0)  # one positive feedback a month
    win = features.customer_profile(_activity(), since="2024-02-01", cutoff="2024-03-01")
    assert win["months_active"].max() == 1


def test_customer_profile_bad_input():
    with pytest.raises(CxError, match="margin_rate"):
        features.customer_profile(_activity(), margin_rate=1.5)
    with pytest.raises(ValidationError, match="spend"):
        features.customer_profile(_activity().drop(columns="spend"))


def test_value_balance_quadrants_sum_to_one():
    prof = features.customer_profile(_activity())
    vb = devotees.value_balance(prof, target_column="churned_before")
    assert vb.quadrants["share"].sum() == pytest.approx(1.0)
    assert vb.quadrants["n"].sum() == 4 and vb.quadrants["churned"].sum() == 2
    with pytest.raises(CxError, match="no customers"):
        devotees.value_balance(prof.iloc[:0], target_column="churned_before")


def test_find_devotees_rule():
    prof = pd.DataFrame(
        {"value_to_customer": [1, 2, 3, 4, 5], "months_active": [5, 4, 3, 2, 1], "promoter": [np.nan, 1, 0, 1, 1]}
    )
    d = devotees.find_devotees(prof, loyalty_columns=["months_active"], threshold=70)
    assert not d["devotee"].any()  # value and loyalty are opposite: nobody is high on both
    d2 = devotees.find_devotees(
        prof.assign(months_active=[1, 2, 3, 4, 5]), loyalty_columns=["months_active"], threshold=60
    )
    assert d2["devotee"].tolist() == [False, False, True, True, True]
    assert "≥ 60" in d2.attrs["rule"]
    with pytest.raises(CxError, match="threshold"):
        devotees.find_devotees(prof, loyalty_columns=["months_active"], threshold=120)
    with pytest.raises(ValidationError, match="products_held_mean"):
        devotees.find_devotees(prof)


# ----------------------------------------------------------------------------- drivers and lags
def test_outcome_after_censoring():
    ev = pd.DataFrame({"customer_id": ["b", "a", "a"], "survey_date": ["2024-01-10", "2024-01-10", "2024-03-10"]})
    out = drivers.outcome_after(ev, _activity(), horizon=2)
    assert out["retained_later"].tolist() == [0, 1] and out.attrs["n_censored"] == 1


def test_driver_analysis_recovers_and_counts_missing():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(size=(400, 3)), columns=["a", "b", "c"])
    df["y"] = 1.0 * df["a"] + 0.0 * df["b"] + rng.normal(size=400)
    df.loc[:9, "c"] = np.nan
    da = drivers.DriverAnalysis().fit(df, "y", ["a", "b", "c"])
    s = da.summary.set_index("driver")
    assert da.summary["driver"].iloc[0] == "a"
    true_std_coef = df.loc[10:, "a"].std(ddof=0)  # 1.0 per unit = 1 SD-of-a per SD
    assert s.loc["a", "coef"] == pytest.approx(true_std_coef, abs=0.15)
    assert s.loc["a", "ci_high"] - s.loc["a", "ci_low"] < 0.3
    assert s.loc["b", "ci_low"] < 0 < s.loc["b", "ci_high"]
    assert da.n_excluded_ == 10 and da.n_ == 390
    df["z"] = (df["y"] > 0).astype(int)
    lg = drivers.DriverAnalysis("logit").fit(df, "z", ["a", "b"])
    assert {"odds_ratio", "or_low", "or_high"} <= set(lg.summary.columns)
    assert lg.summary.set_index("driver").loc["a", "coef"] > 0


def test_driver_analysis_bad_input():
    df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6], "a": [1.0] * 6, "b": [1.0, 2, 1, 2, 1, 3]})
    with pytest.raises(CxError, match="do not vary"):
        drivers.DriverAnalysis().fit(df, "y", ["a", "b"])
    with pytest.raises(CxError, match="0/1"):
        drivers.DriverAnalysis("logit").fit(df, "y", ["b"])
    with pytest.raises(ValidationError, match="missing column"):
        drivers.DriverAnalysis().fit(df, "y", ["nope"])
    with pytest.raises(CxError, match="kind"):
        drivers.DriverAnalysis("probit")


def test_lagged_correlation_finds_lead():
    rng = np.random.default_rng(2)
    x = pd.Series(rng.normal(size=60))
    y = 0.9 * x.shift(2) + 0.2 * rng.normal(size=60)
    t = drivers.lagged_correlation(x, y, max_lag=4)
    best = t.loc[t["r"].idxmax()]
    assert best["lag"] == 2 and best["ci_low"] > 0.7 and best["n"] == 58
    assert len(t) == 9
    with pytest.raises(CxError, match="Series"):
        drivers.lagged_correlation(x.to_numpy(), y)


def test_monthly_metrics_churn_and_nps():
    surveys = pd.DataFrame({"survey_date": ["2024-01-05", "2024-01-20", "2024-01-21"], "ltr": [10, 6, 8]})
    mm = drivers.monthly_metrics(activity=_activity(), surveys=surveys)
    assert mm.loc["2024-03-01", "churn_rate"] == pytest.approx(0.5)
    assert mm.loc["2024-01-01", "nps"] == pytest.approx(0.0)
    with pytest.raises(CxError, match="at least one"):
        drivers.monthly_metrics()


# ----------------------------------------------------------------------------- Goodhart
def test_incentive_metric_rises_outcome_does_not():
    r = simulate_incentive(seed=3, n_customers=3000)
    s = r.summary.set_index("period")
    assert s.loc["paid on NPS", "reported_nps"] - s.loc["before", "reported_nps"] > 15
    assert abs(s.loc["paid on NPS", "true_nps"] - s.loc["before", "true_nps"]) < 3
    assert abs(s.loc["paid on NPS", "retention"] - s.loc["before", "retention"]) < 0.005


def test_incentive_no_gaming_no_rise_and_seeded():
    r = simulate_incentive(seed=4, skip_unhappy=0, nudge=0, nudge_share=0)
    s = r.summary.set_index("period")
    assert abs(s.loc["paid on NPS", "reported_nps"] - s.loc["before", "reported_nps"]) < 6
    pd.testing.assert_frame_equal(
        simulate_incentive(seed=5, months=6, incentive_month=3).monthly,
        simulate_incentive(seed=5, months=6, incentive_month=3).monthly,
    )
    with pytest.raises(CxError, match="incentive_month"):
        simulate_incentive(incentive_month=1)
    with pytest.raises(CxError, match="share"):
        simulate_incentive(skip_unhappy=2)


# ----------------------------------------------------------------------------- the simulator's truth
@pytest.fixture(scope="module")
def bundled():
    from cxlib.data import datasets

    return dict(act=datasets.load_activity(), cus=datasets.load_customers(), truth=datasets.load_truth())


def test_truth_health_score_ranks_later_churn(bundled):
    act, cus = bundled["act"], bundled["cus"]
    su = cus.set_index("customer_id")["signup_date"]
    Xtr, ytr = features.health_signals(act, "2023-10-01", signup=su), features.later_churn(act, "2023-10-01")
    Xte, yte = features.health_signals(act, "2024-07-01", signup=su), features.later_churn(act, "2024-07-01")
    val = health.HealthScore("fit").fit(Xtr, ytr).validate(Xte, yte)
    assert val.auc_low > 0.55  # better than chance on a later window
    # the truth's own probabilities are the ceiling: the score cannot beat them
    tp = bundled["truth"].churn_probability.set_index("customer_id")["p_churn"].reindex(yte.index)
    assert auc_delong(yte, tp)[0] > val.auc
    # the truth's churn model penalises unresolved complaints and payment issues
    w = health.HealthScore("fit").fit(Xtr, ytr).weights_
    assert w["payment_issues_3m"] < 0 and w["products_held_last"] > 0


def test_truth_devotees_are_emotionally_connected(bundled):
    prof = features.customer_profile(bundled["act"])
    d = devotees.find_devotees(prof)
    conn = bundled["truth"].customers.set_index("customer_id")["connected"].reindex(d.index)
    assert conn[d["devotee"]].mean() > conn[~d["devotee"]].mean() + 0.3


def test_truth_process_change_fcr_falls_then_churn_rises(bundled):
    from cxlib.data import datasets

    mm = drivers.monthly_metrics(interactions=datasets.load_interactions(), activity=bundled["act"])
    before, after = mm.loc[:"2023-12-01"], mm.loc["2024-01-01":]
    assert after["fcr"].mean() < before["fcr"].mean() - 0.05
    assert after["wait_minutes"].mean() > before["wait_minutes"].mean()
    assert mm.loc["2024-03-01":, "churn_rate"].mean() > before["churn_rate"].mean()


def test_devotee_curve_hand_computed_and_monotone():
    prof = pd.DataFrame({"value_to_customer": [1, 2, 3, 4, 5], "months_active": [1, 2, 5, 3, 4]}, index=list("abcde"))
    check = pd.Series({"a": 0, "b": 0, "c": 1, "d": 0, "e": np.nan})
    c = devotees.devotee_curve(prof, check, thresholds=[40, 60, 100], loyalty_columns=["months_active"])
    # percentiles (rank/n*100): value a..e = 20..100; loyalty a=20 b=40 c=100 d=60 e=80
    assert c["n"].tolist() == [4, 3, 0]  # b, c, d, e at 40; c, d, e at 60; nobody at 100 on both
    assert c.loc[0, "check_rate"] == pytest.approx(1 / 3) and c.loc[0, "n_missing"] == 1  # e: no check
    assert c.loc[1, "check_rate"] == pytest.approx(0.5) and c.loc[1, "share"] == pytest.approx(0.6)
    assert np.isnan(c.loc[2, "check_rate"])
    assert (np.diff(c["n"]) <= 0).all()
    assert "check_rate" not in devotees.devotee_curve(prof, loyalty_columns=["months_active"]).columns
    with pytest.raises(CxError):
        devotees.devotee_curve(prof, thresholds=[120], loyalty_columns=["months_active"])

"""Tests of cxlib.analytics.clv: the published CDNOW estimates, hand-computed summaries, recovery of a
simulated truth, the formulas, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from cxlib.analytics import clv
from cxlib.data.datasets import load_cdnow
from cxlib.errors import CxError

#: Fader, Hardie & Lee (2005), Marketing Science: CDNOW 1/10 sample, calibration to 1997-09-30, weeks.
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LL = -9582.4
#: Fader, Hardie & Lee (2005), JMR / Fader & Hardie (2013), Gamma-Gamma on the same customers.
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "gamma": 15.44}


@pytest.fixture(scope="module")
def cdnow_summary():
    return clv.summarize_orders(
        load_cdnow(sample=True),
        "customer_id",
        "date",
        "dollar_value",
        calibration_end="1997-09-30",
        holdout_end="1998-06-30",
        unit="week",
    )


@pytest.fixture(scope="module")
def cdnow_model(cdnow_summary):
    return clv.BetaGeoModel().fit(cdnow_summary)


def test_reproduces_published_bgnbd_estimates(cdnow_summary, cdnow_model):
    assert len(cdnow_summary) == 2357
    assert (cdnow_summary["frequency"] == 0).sum() == 1411  # 946 repeat buyers, as in the papers
    for name, value in PUBLISHED_BGNBD.items():
        assert cdnow_model.params_[name] == pytest.approx(value, rel=0.01), name
    assert cdnow_model.log_likelihood_ == pytest.approx(PUBLISHED_LL, rel=0.01)
    assert cdnow_model.log_likelihood_ == pytest.approx(PUBLISHED_LL, abs=0.05)  # in fact to the decimal
    assert cdnow_model.converged_


def test_reproduces_published_gamma_gamma_estimates(cdnow_summary):
    gg = clv.GammaGammaModel().fit(cdnow_summary)
    assert gg.n_customers_ == 946 and gg.n_excluded_ == 1411
    for name, value in PUBLISHED_GG.items():
        assert gg.params_[name] == pytest.approx(value, rel=0.01), name
    assert abs(gg.frequency_spend_correlation_) < 0.3  # the model's independence assumption is plausible here


def test_estimator_conventions(cdnow_summary, cdnow_model):
    m = clv.BetaGeoModel()
    assert "not fitted" in repr(m)
    assert m.fit(cdnow_summary) is m
    assert list(m.summary.columns) == ["estimate", "se", "ci_low", "ci_high"]
    s = m.summary
    assert ((s["ci_low"] < s["estimate"]) & (s["estimate"] < s["ci_high"]) & (s["se"] > 0)).all()
    # standard errors as lifetimes 0.11.3 reports them on the same data (an independent implementation)
    assert s["se"].to_dict() == pytest.approx(
        {"r": 0.012557, "alpha": 0.378224, "a": 0.185734, "b": 0.705414}, rel=0.01
    )
    assert repr(m).startswith("BetaGeoModel(r=0.243, alpha=4.414, a=0.793, b=2.426; log-likelihood -9582.4")


def test_predictions_agree_with_an_independent_implementation(cdnow_summary, cdnow_model):
    # values computed once with lifetimes 0.11.3 (BetaGeoFitter) on the same summary
    ep = cdnow_model.expected_purchases(39, cdnow_summary)
    pa = cdnow_model.probability_alive(cdnow_summary)
    assert ep.loc[[1, 2, 3]].to_numpy() == pytest.approx([1.225994, 0.203419, 0.194794], abs=1e-5)
    assert pa.loc[[1, 2, 3]].to_numpy() == pytest.approx([0.72662, 0.212391, 1.0], abs=1e-5)
    heavy = cdnow_summary["frequency"].idxmax()  # 29 repeat purchases: the direct eq. 10 is fragile here
    assert ep[heavy] == pytest.approx(20.05525, abs=1e-4) and pa[heavy] == pytest.approx(0.969221, abs=1e-5)
    assert ep.sum() == pytest.approx(1653.4087, abs=0.01)
    assert cdnow_model.expected_purchases_new(39) == pytest.approx(1.1950100, abs=1e-6)


def test_eq10_euler_form_equals_the_paper_form(cdnow_model):
    r, alpha, a, b = cdnow_model.params_.to_numpy()
    x = np.array([0, 1, 2, 5, 10])
    tx = np.array([0, 5.0, 10.0, 20.0, 30.0])
    T = np.array([30.0, 32.0, 35.0, 38.0, 38.5])
    t = 26.0
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    num = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
    den = 1 + (x > 0) * a / np.maximum(b + x - 1, 1e-12) * ((alpha + T) / (alpha + tx)) ** (r + x)
    summary = pd.DataFrame({"frequency": x, "recency": tx, "T": T})
    assert cdnow_model.expected_purchases(t, summary).to_numpy() == pytest.approx(num / den, rel=1e-9)
    assert cdnow_model.expected_purchases(0.0, summary).to_numpy() == pytest.approx(0.0, abs=1e-12)
    more = cdnow_model.expected_purchases(52.0, summary).to_numpy()
    assert (more > num / den).all()


def test_holdout_comparison(cdnow_summary, cdnow_model):
    h = clv.holdout_comparison(cdnow_model, cdnow_summary)
    assert h["actual"] == int(cdnow_summary["frequency_holdout"].sum()) == 1882
    assert h["predicted"] == pytest.approx(1653.4, abs=0.1) and h["duration"] == 39.0
    assert 0.5 < h["correlation"] < 1
    with pytest.raises(CxError, match="holdout_end"):
        clv.holdout_comparison(cdnow_model, cdnow_summary.drop(columns=["frequency_holdout"]))


def test_summary_by_hand():
    orders = pd.DataFrame(
        {
            "id": ["A", "A", "A", "B", "A", "C", "C"],
            "when": [
                "2024-01-01",
                "2024-01-01 18:30",
                "2024-01-15",
                "2024-01-08",
                "2024-02-05",
                "2024-02-01",
                "2024-02-03",
            ],
            "usd": [10.0, 5.0, 20.0, 7.0, 30.0, 1.0, 2.0],
        }
    )
    s = clv.summarize_orders(
        orders, "id", "when", "usd", calibration_end="2024-01-29", holdout_end="2024-02-26", unit="day"
    )
    assert list(s.index) == ["A", "B"]  # C first bought after the calibration end
    assert s.loc["A", ["frequency", "recency", "T"]].tolist() == [1, 14.0, 28.0]  # two orders on Jan 1 = one purchase
    assert s.loc["A", "monetary_value"] == 20.0 and np.isnan(s.loc["B", "monetary_value"])
    assert s.loc["B", ["frequency", "recency", "T"]].tolist() == [0, 0.0, 21.0]
    assert s["frequency_holdout"].tolist() == [1, 0] and s["value_holdout"].tolist() == [30.0, 0.0]
    assert s.attrs["customers_after_calibration"] == 1 and s.attrs["unit"] == "day"
    weeks = clv.summarize_orders(orders, "id", "when", calibration_end="2024-01-29")
    assert weeks.loc["A", ["recency", "T"]].tolist() == [2.0, 4.0] and "monetary_value" not in weeks


def _simulate_bgnbd(n, r, alpha, a, b, T_cal, T_hold, seed):
    """Transactions from the BG/NBD story itself: first purchase at 0, exponential gaps while
    alive, dropout with probability p right after each repeat purchase."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    rows = []
    for i in range(n):
        t = 0.0
        rows.append((i, 0.0))
        while True:
            t += rng.exponential(1 / lam[i])
            if t > T_cal + T_hold:
                break
            rows.append((i, t))
            if rng.random() < p[i]:
                break
    return rows


def test_recovers_a_simulated_truth():
    truth = {"r": 0.5, "alpha": 6.0, "a": 0.7, "b": 2.5}
    rows = _simulate_bgnbd(4000, *truth.values(), T_cal=52, T_hold=52, seed=11)
    start = pd.Timestamp("2020-01-01")
    orders = pd.DataFrame({"c": [r[0] for r in rows], "d": [start + pd.Timedelta(days=int(r[1] * 7)) for r in rows]})
    end = start + pd.Timedelta(days=52 * 7)
    s = clv.summarize_orders(orders, "c", "d", calibration_end=end, holdout_end=end + pd.Timedelta(days=52 * 7))
    m = clv.BetaGeoModel().fit(s)
    for name, value in truth.items():  # each true value inside its 99.9% interval (Wald, log scale)
        est, se_log = m.params_[name], np.sqrt(m.covariance_log_.loc[name, name])
        assert abs(np.log(est) - np.log(value)) < 3.3 * se_log, (name, est, value)
    h = clv.holdout_comparison(m, s)
    assert h["predicted"] == pytest.approx(h["actual"], rel=0.1)


def test_fit_clv_end_to_end():
    res = clv.fit_clv(
        load_cdnow(sample=True),
        "customer_id",
        "date",
        "dollar_value",
        calibration_end="1997-09-30",
        holdout_end="1998-06-30",
    )
    c = res.customers
    assert res.horizon == 39.0 and res.unit == "week" and res.spend_model is not None
    assert {"expected_purchases", "probability_alive", "expected_spend", "expected_value"} <= set(c.columns)
    assert c["probability_alive"].between(0, 1).all() and (c["expected_purchases"] >= 0).all()
    assert c["expected_value"].to_numpy() == pytest.approx((c["expected_purchases"] * c["expected_spend"]).to_numpy())
    assert res.holdout["actual"] == 1882 and res.notes == []
    assert "holdout (39 weeks)" in repr(res)
    no_hold = clv.fit_clv(load_cdnow(sample=True), "customer_id", "date", calibration_end="1997-09-30", unit="day")
    assert no_hold.horizon == 364.0 and no_hold.holdout is None and no_hold.spend_model is None
    # the same model in days: rates scale by 7, the dropout process does not change
    assert no_hold.model.params_["alpha"] == pytest.approx(7 * res.model.params_["alpha"], rel=1e-3)
    assert no_hold.model.params_[["r", "a", "b"]].to_numpy() == pytest.approx(
        res.model.params_[["r", "a", "b"]].to_numpy(), rel=1e-3
    )


def test_notes_for_late_customers_and_short_holdout():
    orders = load_cdnow(sample=True)
    extra = pd.DataFrame(
        {
            "customer_id": [99999],
            "master_id": [0],
            "date": [pd.Timestamp("1998-01-05")],
            "cds": [1],
            "dollar_value": [10.0],
        }
    )
    res = clv.fit_clv(
        pd.concat([orders, extra]), "customer_id", "date", calibration_end="1997-09-30", holdout_end="1998-12-31"
    )
    text = " ".join(res.notes)
    assert "1 customer(s) first bought after the calibration end" in text
    assert "the last order is on 1998-06-30, before the holdout end 1998-12-31" in text


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(calibration_end="1996-12-31"), "no customer made a first purchase on or before the calibration end"),
        (dict(calibration_end="1997-01-01"), "none of the .* customers made a repeat purchase"),
        (dict(holdout_end="1997-09-30"), "must be after the calibration end"),
        (dict(calibration_end="next tuesday"), "calibration end 'next tuesday' is not a date"),
        (dict(unit="month"), "unknown time unit 'month'"),
    ],
)
def test_bad_settings(change, message):
    kwargs = dict(calibration_end="1997-09-30", holdout_end=None, unit="week") | change
    with pytest.raises(CxError, match=message):
        clv.fit_clv(load_cdnow(sample=True), "customer_id", "date", **kwargs)


def test_bad_orders_name_the_column_rows_and_values():
    good = pd.DataFrame({"c": ["A", "B", "A"], "d": ["2024-01-01", "2024-01-02", "2024-01-05"], "v": [1.0, 2.0, 3.0]})
    with pytest.raises(CxError, match=r"column\(s\) 'when' not found; the columns are: 'c', 'd', 'v'"):
        clv.summarize_orders(good, "c", "when", calibration_end="2024-02-01")
    bad = good.assign(d=["2024-01-01", "soon", None])
    with pytest.raises(CxError, match=r"column 'd': 2 value\(s\) are blank or not dates \(rows 3, 4; values: 'soon'"):
        clv.summarize_orders(bad, "c", "d", calibration_end="2024-02-01")
    with pytest.raises(CxError, match=r"column 'v': 1 value\(s\) .* negative \(row 3; values: -2"):
        clv.summarize_orders(good.assign(v=[1.0, -2.0, 3.0]), "c", "d", "v", calibration_end="2024-02-01")
    with pytest.raises(CxError, match=r"column 'c': 1 order\(s\) without a customer id \(row 2\)"):
        clv.summarize_orders(good.assign(c=[" ", "B", "A"]), "c", "d", calibration_end="2024-02-01")
    with pytest.raises(CxError, match="no rows"):
        clv.summarize_orders(good.iloc[:0], "c", "d", calibration_end="2024-02-01")


def test_bad_fit_input():
    few = pd.DataFrame({"frequency": [1, 0], "recency": [2.0, 0.0], "T": [5.0, 4.0]})
    with pytest.raises(CxError, match="only 2 customer"):
        clv.BetaGeoModel().fit(few)
    broken = pd.DataFrame({"frequency": [1] * 10, "recency": [6.0] * 10, "T": [5.0] * 10})
    with pytest.raises(CxError, match="'recency' greater than 'T'"):
        clv.BetaGeoModel().fit(broken)
    with pytest.raises(CxError, match="not fitted yet"):
        clv.BetaGeoModel().probability_alive()
    with pytest.raises(CxError, match="'monetary_value' not found .*--value"):
        clv.GammaGammaModel().fit(few)
    with pytest.raises(CxError, match=r"horizon t must be a number >= 0"):
        clv.BetaGeoModel().fit(
            pd.DataFrame({"frequency": [1, 0] * 10, "recency": [2.0, 0.0] * 10, "T": [5.0, 4.0] * 10})
        ).expected_purchases(-1)

"""Tests of cxlib.roi: expectations, Kano, personalisation, retention economics, the business case."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.analytics import economics, expectations
from cxlib.errors import CxError, ValidationError


# ----------------------------------------------------------------------------------------
# expectation-disconfirmation
# ----------------------------------------------------------------------------------------
def _synthetic(n=900, seed=0, b_perf=-0.5, b_exp=-0.8):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame({"perf": rng.integers(0, 3, n), "expect": rng.normal(size=n)})
    d["sat"] = 7 + b_perf * d["perf"] + b_exp * d["expect"] + rng.normal(0, 1, n)
    return d


def test_disconfirmation_recovers_coefficients_and_orders_groups():
    r = expectations.disconfirmation(_synthetic(), "sat", "perf", "expect")
    c = r.coefficients.set_index("term")
    for term, true in (("perf", -0.5), ("expect", -0.8)):
        assert c.loc[term, "ci_low"] < true < c.loc[term, "ci_high"]
    # at every performance level the low-expectation group is more satisfied than the high one
    assert (r.gap() > 0).all()
    assert set(r.table["expectation_group"]) == {"low", "mid", "high"}
    assert (r.table["ci_low"] < r.table["mean"]).all() and (r.table["mean"] < r.table["ci_high"]).all()
    assert r.n == 900 and r.n_missing == 0
    assert "expect" in repr(r)


def test_disconfirmation_counts_missing_and_pools_sparse_top_level():
    d = _synthetic()
    d.loc[:9, "sat"] = np.nan
    d.loc[10:14, "perf"] = 7  # a sparse top level is pooled into "2+"
    r = expectations.disconfirmation(d, "sat", "perf", "expect")
    assert r.n_missing == 10 and r.n == 890
    assert list(dict.fromkeys(r.table["performance"])) == ["0", "1", "2+"]


def test_disconfirmation_bad_input():
    d = _synthetic(60)
    with pytest.raises(ValidationError) as e:
        expectations.disconfirmation(d, "sat", "nope", "missing_too")
    assert len(e.value.problems) == 2
    d2 = d.astype({"sat": object})
    d2.loc[0, "sat"] = "great"
    with pytest.raises(ValidationError):
        expectations.disconfirmation(d2, "sat", "perf", "expect")
    with pytest.raises(CxError):
        expectations.disconfirmation(d.head(5), "sat", "perf", "expect")
    with pytest.raises(CxError):
        expectations.disconfirmation(d, "sat", "perf", "expect", groups=1)


def test_disconfirmation_coefficients_are_statsmodels_ols_with_hc3_errors():
    """The numpy fit gives what statsmodels' OLS(...).fit(cov_type="HC3") gives (issue 17: no statsmodels import)."""
    d = _synthetic(n=400, seed=5)
    d["sat"] += np.random.default_rng(6).standard_t(3, len(d)) * d["perf"]  # unequal variances: HC3 matters
    for level in (0.95, 0.9):
        r = expectations.disconfirmation(d, "sat", "perf", "expect", level=level)
        c, fit = r.coefficients, r.model
        assert c["term"].tolist() == ["Intercept", "perf", "expect"]
        np.testing.assert_allclose(c["coef"], fit.params, rtol=1e-10)
        np.testing.assert_allclose(c["se"], fit.bse, rtol=1e-10)
        ci = fit.conf_int(alpha=1 - level)
        np.testing.assert_allclose(c["ci_low"], ci[0], rtol=1e-10)
        np.testing.assert_allclose(c["ci_high"], ci[1], rtol=1e-10)
        np.testing.assert_allclose(c["p_value"], fit.pvalues, rtol=1e-8, atol=1e-300)
    assert len(r.data) == r.n == len(d)


def test_performance_before_window_and_interactions():
    sv = pd.DataFrame({"customer_id": ["a"], "survey_date": pd.to_datetime(["2024-04-15"])})
    act = pd.DataFrame(
        {
            "customer_id": ["a"] * 4,
            "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"]),
            "complaints": [5, 1, 0, 1],
            "complaints_resolved": [0, 0, 0, 1],
        }
    )
    inter = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b"],
            "timestamp": pd.to_datetime(["2024-01-20", "2024-02-03", "2024-04-20", "2024-04-01"]),
            "resolved_first_contact": [0, 0, 1, 0],
            "wait_minutes": [100.0, 10.0, 20.0, 5.0],
        }
    )
    out = expectations.performance_before(sv, act, inter, window=3)
    row = out.iloc[0]
    # January is outside the 3-month window (Feb, Mar, Apr); b's contact is not a's
    assert row["complaints"] == 2 and row["unresolved_complaints"] == 1
    assert row["contacts"] == 2 and row["not_resolved_first"] == 1
    assert row["fcr_share"] == pytest.approx(0.5) and row["mean_wait"] == pytest.approx(15.0)
    assert row["service_failures"] == 2
    with pytest.raises(CxError):
        expectations.performance_before(sv, act, window=0)


def test_performance_before_window_crosses_the_new_year():
    sv = pd.DataFrame({"customer_id": ["a"], "survey_date": pd.to_datetime(["2024-01-10"])})
    act = pd.DataFrame(
        {
            "customer_id": ["a"] * 3,
            "month": pd.to_datetime(["2023-10-01", "2023-11-01", "2023-12-01"]),
            "complaints": [4, 2, 1],
            "complaints_resolved": [0, 1, 0],
        }
    )
    row = expectations.performance_before(sv, act, window=3).loc[0]
    assert row["complaints"] == 3 and row["unresolved_complaints"] == 2  # November and December only


def _in_window(frame, when, answer, months):
    """The rows of ``frame`` of the answer's customer in the ``months`` calendar months up to its survey."""
    end = answer["survey_date"].to_period("M")
    m = pd.to_datetime(frame[when]).dt.to_period("M")
    return frame[(frame["customer_id"] == answer["customer_id"]) & (m > end - months) & (m <= end)]


def test_performance_before_equals_a_sum_answer_by_answer():
    """The vectorised windows give what a plain loop over the answers gives (issue 17, speed)."""
    rng = np.random.default_rng(3)
    months = pd.date_range("2023-01-01", periods=18, freq="MS")
    ids = [f"c{i}" for i in range(12)]
    act = pd.DataFrame([(c, m) for c in ids for m in months if rng.random() < 0.8], columns=["customer_id", "month"])
    act["complaints"] = rng.integers(0, 3, len(act))
    act["complaints_resolved"] = np.minimum(act["complaints"], rng.integers(0, 2, len(act)))
    inter = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, 300),
            "timestamp": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 540, 300), unit="D"),
            "resolved_first_contact": rng.integers(0, 2, 300),
            "wait_minutes": rng.gamma(2.0, 5.0, 300),
        }
    )
    sv = pd.DataFrame(
        {
            "customer_id": rng.choice(ids, 60),
            "survey_date": pd.Timestamp("2023-02-01") + pd.to_timedelta(rng.integers(0, 480, 60), unit="D"),
        }
    )
    out = expectations.performance_before(sv, act, inter, window=2)
    for i, answer in sv.iterrows():
        a = _in_window(act, "month", answer, months=2)
        c = _in_window(inter, "timestamp", answer, months=2)
        unresolved = int((a["complaints"] - a["complaints_resolved"]).sum())
        not_first = int((1 - c["resolved_first_contact"]).sum())
        assert out.loc[i, "complaints"] == a["complaints"].sum()
        assert out.loc[i, "contacts"] == len(c) and out.loc[i, "not_resolved_first"] == not_first
        assert out.loc[i, "service_failures"] == unresolved + not_first
        if len(c):
            assert out.loc[i, "mean_wait"] == pytest.approx(c["wait_minutes"].mean())


def test_disconfirmation_on_simulated_company_matches_truth():
    """The simulator's satisfaction is s = 0.7 s_prev + 0.3 (e − 0.5 x): at equal service,
    higher expectation lowers satisfaction and the score (LTR ≈ 6.9 + 1.6 s → about −0.8 per unit)."""
    from cxlib.data import datasets

    s = datasets.load_nps_surveys()
    perf = expectations.performance_before(s, datasets.load_activity(), datasets.load_interactions())
    x = datasets.load_truth().customers.set_index("customer_id")["expectation"]
    d = s.assign(service_failures=perf["service_failures"], expectation=s["customer_id"].map(x))
    r = expectations.disconfirmation(d, "ltr", "service_failures", "expectation")
    c = r.coefficients.set_index("term")
    assert c.loc["expectation", "ci_high"] < 0 and -1.0 < c.loc["expectation", "coef"] < -0.5
    assert c.loc["service_failures", "ci_high"] < 0
    assert r.gap("0") > 0.5  # the same (flawless) service pleases low and disappoints high expectations


# ----------------------------------------------------------------------------------------
# Kano
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "f, d, expected",
    [
        ("like", "dislike", "one-dimensional"),
        ("like", "neutral", "attractive"),
        ("like", "must-be", "attractive"),
        ("like", "live-with", "attractive"),
        ("neutral", "dislike", "must-be"),
        ("must-be", "dislike", "must-be"),
        ("live-with", "dislike", "must-be"),
        ("neutral", "neutral", "indifferent"),
        ("must-be", "live-with", "indifferent"),
        ("like", "like", "questionable"),
        ("dislike", "dislike", "questionable"),
        ("dislike", "like", "reverse"),
        ("neutral", "like", "reverse"),
        ("dislike", "neutral", "reverse"),
    ],
)
def test_kano_table_entries(f, d, expected):
    assert expectations.kano_classify(f, d) == expected


def test_kano_codes_aliases_and_arrays():
    assert expectations.kano_classify(1, 5) == "one-dimensional"
    assert expectations.kano_classify("I expect it", "I dislike it") == "must-be"
    assert expectations.kano_classify(" Like ", "Live with") == "attractive"
    out = expectations.kano_classify(pd.Series([1, 3]), pd.Series([3, 5]))
    assert out.tolist() == ["attractive", "must-be"]


def test_kano_bad_input_lists_every_problem():
    with pytest.raises(ValidationError) as e:
        expectations.kano_classify(["like", "love", None], ["meh", "dislike", "dislike"])
    cols = sorted(p.column for p in e.value.problems)
    assert cols == ["dysfunctional", "functional"]
    with pytest.raises(CxError):
        expectations.kano_classify(["like", "like"], ["dislike"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(expectations.KANO_ANSWERS), st.sampled_from(expectations.KANO_ANSWERS))
def test_kano_property_categories_and_mirror(f, d):
    cat = expectations.kano_classify(f, d)
    assert cat in expectations.KANO_CATEGORIES.values()
    # a feature people like having and dislike missing is never indifferent
    if f == "like" and d == "dislike":
        assert cat == "one-dimensional"


def test_kano_summary_coefficients_by_hand():
    df = pd.DataFrame(
        {
            "feature": ["x"] * 4 + ["y"] * 2,
            "f": ["like", "like", "neutral", "dislike", "neutral", "neutral"],
            "d": ["dislike", "neutral", "dislike", "like", "dislike", "dislike"],
        }
    )
    s = expectations.kano_summary(df, "f", "d", feature_column="feature")
    # x: O, A, M, R → core 3: CS+ = 2/3, CS− = −2/3
    assert s.loc["x", "cs_plus"] == pytest.approx(2 / 3) and s.loc["x", "cs_minus"] == pytest.approx(-2 / 3)
    assert s.loc["x", "reverse"] == pytest.approx(0.25)
    assert s.loc["y", "category"] == "must-be" and s.loc["y", "cs_plus"] == 0


def test_kano_decay_stylised_path():
    d = expectations.kano_decay(np.arange(0, 21), half_life=3)
    assert d.loc[d.year == 3, "expect_share"].item() == pytest.approx(0.5)
    assert d["if_present"].is_monotonic_decreasing and d["if_absent"].is_monotonic_decreasing
    assert list(dict.fromkeys(d["category"])) == ["attractive", "one-dimensional", "must-be"]
    with pytest.raises(CxError):
        expectations.kano_decay(half_life=0)
    with pytest.raises(CxError):
        expectations.kano_decay([-1])


# ----------------------------------------------------------------------------------------
# personalisation
# ----------------------------------------------------------------------------------------
def test_personalisation_scenario_arithmetic():
    t = expectations.personalisation_scenario(1000, 100, 50, margin_rate=0.4)
    assert t.loc["baseline", "profit"] == pytest.approx(400 - 100 - 50)
    # article 004's claim: revenue +15%, marketing ÷ 1.3, acquisition −50%
    assert t.loc["article 004", "profit"] == pytest.approx(0.4 * 1150 - 100 / 1.3 - 25)
    # low end of the range: +5% revenue, +10% efficiency, no acquisition cut
    assert t.loc["low", "profit"] == pytest.approx(0.4 * 1050 - 100 / 1.1 - 50)
    assert t.loc["high", "profit"] == pytest.approx(t.loc["article 004", "profit"])
    assert "[claim]" in t.loc["article 004", "source"] and "yours" not in t.index
    y = expectations.personalisation_scenario(1000, 100, 50, margin_rate=0.4, revenue_uplift=0.0, programme_cost=20)
    # unspecified effects take the mid of the range; the programme cost is subtracted
    assert y.loc["yours", "profit"] == pytest.approx(0.4 * 1000 - 100 / 1.2 - 50 * 0.75 - 20)
    assert y.loc["baseline", "programme_cost"] == 0


def test_personalisation_bad_input_lists_all():
    with pytest.raises(CxError) as e:
        expectations.personalisation_scenario(-1, 100, float("nan"), margin_rate=0)
    msg = str(e.value)
    assert "revenue" in msg and "acquisition_cost" in msg and "margin_rate" in msg
    with pytest.raises(CxError):
        expectations.personalisation_scenario(1000, 100, 50, revenue_uplift=15)


# ----------------------------------------------------------------------------------------
# retention economics
# ----------------------------------------------------------------------------------------
def test_cost_per_customer_by_hand():
    assert economics.cost_per_customer(100, 0.80, service_cost=5) == pytest.approx(25.0)
    assert economics.cost_per_customer(100, 0.0) == pytest.approx(100.0)
    np.testing.assert_allclose(economics.cost_per_customer(100, [0.5, 0.9]), [50, 10])
    with pytest.raises(CxError):
        economics.cost_per_customer(-1, 0.8)
    with pytest.raises(CxError):
        economics.cost_per_customer(100, 1.0)


def test_retention_economics_worked_example_both_conventions():
    s = economics.retention_economics(100, [0.80], 0.10, acquisition_cost=100).iloc[0]
    e = economics.retention_economics(100, [0.80], 0.10, convention="end").iloc[0]
    assert (s.clv, s.clv_after) == (pytest.approx(366.667, abs=1e-3), pytest.approx(440.0))
    assert s.clv_change_pct == pytest.approx(20.0) and e.clv_change_pct == pytest.approx(27.5)
    assert s.lifetime == pytest.approx(5) and s.lifetime_after == pytest.approx(1 / 0.15)
    assert s.cost_change_pct == pytest.approx(-25.0)
    assert math.isnan(e.cost_change_pct)  # no costs given: no % change
    with pytest.raises(CxError):
        economics.retention_economics(100, [0.97], 0.10)
    with pytest.raises(CxError):
        economics.retention_economics(100, [], 0.10)


def test_reichheld_sasser_range_needs_high_retention_or_growth():
    """With a constant margin the formula gives +25% only at high retention (cx_science §6)."""
    t = economics.retention_economics(100, np.arange(0.50, 0.95, 0.05), 0.10)
    assert t["clv_change_pct"].is_monotonic_increasing
    assert t.loc[t.retention.round(2) == 0.80, "clv_change_pct"].item() == pytest.approx(20.0)
    assert t["clv_change_pct"].max() < 85


def test_retention_for_cost_cut_reproduces_18_percent():
    t = economics.retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.0, 0.1, 0.5])
    for k, r in zip(t["service_to_acquisition"][:2], t["retention"][:2]):
        c0 = economics.cost_per_customer(1.0, r, service_cost=k)
        c1 = economics.cost_per_customer(1.0, r + 0.05, service_cost=k)
        assert 1 - c1 / c0 == pytest.approx(0.18)
    assert t["retention"].iloc[0] == pytest.approx(1 - 0.05 / 0.18)
    assert math.isnan(t["retention"].iloc[2])  # impossible: r would exceed 1
    rel = economics.retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.0], relative=True)["retention"].item()
    c0, c1 = economics.cost_per_customer(1.0, rel), economics.cost_per_customer(1.0, rel * 1.05)
    assert 1 - c1 / c0 == pytest.approx(0.18)
    with pytest.raises(CxError):
        economics.retention_for_cost_cut(18)


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 0.9), st.floats(0.0, 500), st.floats(0.0, 50))
def test_more_retention_never_raises_cost(r, a, s):
    assert (
        economics.cost_per_customer(a, min(r + 0.05, 0.99), service_cost=s)
        <= economics.cost_per_customer(a, r, service_cost=s) + 1e-9
    )


# ----------------------------------------------------------------------------------------
# the business case
# ----------------------------------------------------------------------------------------
def test_business_case_hand_case_and_determinism():
    bc = economics.business_case([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=300, seed=1)
    assert bc["customers_contacted"] == 2
    assert bc["expected_saves"] == pytest.approx(0.3 * 0.7)
    assert bc["value_saved"] == pytest.approx(0.3 * (0.5 + 0.2) * 200)
    assert bc["cost"] == pytest.approx(20) and bc["net"] == pytest.approx(22)
    assert bc["roi"] == pytest.approx(1.1)
    again = economics.business_case([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=300, seed=1)
    pd.testing.assert_frame_equal(bc.summary, again.summary)
    assert "roi" in repr(bc)


def test_business_case_draws_equal_a_loop_over_campaigns():
    """The vectorised simulation draws what a campaign-by-campaign loop draws (same seed, same numbers)."""
    rng = np.random.default_rng(8)
    p, V = rng.beta(1, 5, 400), rng.gamma(3, 60, 400)
    bc = economics.business_case(p, V, offer_cost=10, success_rate=0.3, incentive=1.5, n_draws=300, seed=4)
    c = bc.contacted
    pc, vc, n = p[c], V[c], len(c)
    loop = np.random.default_rng(4)
    s_draw = loop.beta(0.3 * 20, 0.7 * 20, size=300)
    for i in range(300):
        churn = loop.random(n) < pc
        saved = churn & (loop.random(n) < s_draw[i])
        cost = n * 10 + 1.5 * np.sum(~churn)
        row = bc.draws.loc[i]
        assert row["expected_saves"] == saved.sum() and row["cost"] == pytest.approx(cost, rel=1e-12)
        assert row["value_saved"] == pytest.approx(vc[saved].sum(), rel=1e-12)
    np.testing.assert_array_equal(bc.draws["success_rate"], s_draw)


def test_business_case_says_its_interval_level():
    small = dict(offer_cost=10, success_rate=0.3, n_draws=200)
    assert "90% interval from 200 seeded draws" in repr(economics.business_case([0.5, 0.2], 200, level=0.9, **small))
    assert "95% interval" in repr(economics.business_case([0.5, 0.2], 200, **small))
    with pytest.raises(CxError, match="0.95"):
        economics.business_case([0.5, 0.2], 200, level=95, **small)


def test_business_case_with_incentive_and_nobody_worth_contacting():
    bc = economics.business_case([0.5], 100, offer_cost=5, success_rate=0.4, incentive=10, n_draws=200)
    # 0.5·0.4·100 − 5 − 0.5·10 = 10 > 0; cost = 5 + 10·0.5
    assert bc["net"] == pytest.approx(10.0) and bc["cost"] == pytest.approx(10.0)
    none = economics.business_case([0.01, 0.02], 100, offer_cost=50, success_rate=0.3, n_draws=200)
    assert none["customers_contacted"] == 0 and none["cost"] == 0 and math.isnan(none["roi"])


def test_business_case_bad_input():
    for kw in (
        dict(success_rate=0),
        dict(success_rate=1.2),
        dict(success_rate=0.3, success_strength=0),
        dict(success_rate=0.3, n_draws=10),
    ):
        with pytest.raises(CxError):
            economics.business_case([0.5], 100, offer_cost=5, **kw)
    with pytest.raises(CxError):
        economics.business_case([0.5, 1.5], 100, offer_cost=5, success_rate=0.3)
    with pytest.raises(CxError):
        economics.business_case([0.5], -100, offer_cost=5, success_rate=0.3)


def test_business_case_interval_covers_realised_results():
    """Predictive coverage: when the probabilities are right and the success rate is as assumed,
    the 95% interval contains the campaign's realised net value about 95% of the time (or more,
    since the Beta prior adds width)."""
    rng = np.random.default_rng(42)
    p = rng.beta(1, 6, 300)
    V = rng.gamma(4, 50, 300)
    bc = economics.business_case(p, V, offer_cost=10, success_rate=0.3, n_draws=400, seed=3)
    lo, hi = bc.summary.loc["net", ["low", "high"]]
    c = bc.contacted
    hits = 0
    for _ in range(300):
        churn = rng.random(len(c)) < p[c]
        saved = churn & (rng.random(len(c)) < 0.3)
        net = V[c][saved].sum() - 10 * len(c)
        hits += lo <= net <= hi
    assert hits / 300 >= 0.9


def test_business_case_covers_truth_on_simulated_company():
    """With the simulator's true probabilities, the interval covers the realised result on the
    actual churners; the model-based interval covers the true expected value of its own list."""
    from cxlib.analytics.economics import clv, monthly_rate
    from cxlib.data import datasets

    snap = datasets.load_churn_snapshot()
    pt = datasets.load_truth().churn_probability.set_index("customer_id")["p_churn"].reindex(snap["customer_id"])
    model = economics.business_case_from_table(snap, n_draws=500)
    r = model.assumptions["monthly_retention"]
    assert r == pytest.approx((1 - snap["churned"].mean()) ** (1 / 3))
    V = clv(0.35 * snap["spend_last"].to_numpy(), r, monthly_rate(0.10))
    true_case = economics.business_case(
        pt.to_numpy(), V, offer_cost=10, success_rate=0.3, y=snap["churned"], n_draws=500
    )
    lo, hi = true_case.summary.loc["net", ["low", "high"]]
    assert lo <= true_case["realised_net"] <= hi
    c = model.contacted
    true_net_of_model_list = 0.3 * float(np.sum(pt.to_numpy()[c] * V[c])) - 10 * len(c)
    lo, hi = model.summary.loc["net", ["low", "high"]]
    assert lo <= true_net_of_model_list <= hi


def test_business_case_from_messy_table():
    from cxlib.data import datasets

    snap = (
        datasets.load_churn_snapshot()
        .head(800)
        .rename(columns={"customer_id": "Customer No", "churned": "Left?", "spend_last": "Bill"})
    )
    snap["Left?"] = snap["Left?"].map({1: "Yes", 0: "No"}).astype(object)
    snap.loc[[3, 4], "Left?"] = None
    snap["Bill"] = snap["Bill"].astype(object)
    snap.loc[[5], "Bill"] = ""
    bc = economics.business_case_from_table(
        snap, id_column="Customer No", target_column="Left?", value_column="Bill", n_draws=200, folds=3
    )
    assert bc.assumptions["n_excluded_blank_target"] == 2 and bc.assumptions["n_value_imputed"] == 1
    assert bc.assumptions["n_customers"] == 798
    assert any("median" in n for n in bc.notes)
    with pytest.raises(ValidationError):
        economics.business_case_from_table(snap, id_column="Customer No", target_column="Left?", value_column="nope")
    with pytest.raises(CxError):
        economics.business_case_from_table(
            snap, id_column="Customer No", target_column="Left?", value_column="Bill", margin_rate=35
        )


def test_holdout_se_matches_simulated_pilots_and_holdout_size_meets_its_margin():
    """How precisely a randomised holdout measures the success rate (lesson 07's pilot): the delta-method
    standard error against 20,000 seeded simulated pilots, and the size that reaches a margin."""
    from cxlib.analytics.economics import holdout_se, holdout_size

    rng = np.random.default_rng(7)
    q, s, n = 0.27, 0.30, 400
    contacted = rng.binomial(n, q * (1 - s), size=20_000) / n
    held_out = rng.binomial(n, q, size=20_000) / n
    measured = 1 - contacted / held_out
    assert holdout_se(q, s, n) == pytest.approx(measured.std(), rel=0.05)
    assert holdout_se(q, s, [n, 4 * n]) == pytest.approx([holdout_se(q, s, n), holdout_se(q, s, n) / 2])
    size = holdout_size(q, s, 0.05)
    assert 1.96 * holdout_se(q, s, size) <= 0.05 < 1.96 * holdout_se(q, s, size - 1)
    with pytest.raises(CxError, match="churn_rate"):
        holdout_se(0, s, n)
    with pytest.raises(CxError, match="margin"):
        holdout_size(q, s, 0)


def test_a_business_case_that_contacts_nobody_prints_no_nan():
    text = repr(economics.business_case([0.01, 0.02], 100, offer_cost=10, success_rate=0.3, n_draws=100))
    assert "nan" not in text and "n/a  (nobody contacted)" in text

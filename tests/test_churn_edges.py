"""Churn statistics at the edges (issue 15 items 13-18), each against an independent computation."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from cxlib.analytics import economics
from cxlib.analytics.churn import (
    ChurnModel,
    LeakageWarning,
    calibration_table,
    churn_report,
    evaluate,
    infer_horizon,
    leakage_checks,
    lift_table,
    pr_auc_interval,
    targeting_profit,
    time_validate,
    top_decile_lift,
)
from cxlib.errors import CxError


# --------------------------------------------------------------------------- 13. ties
def expected_top(y: np.ndarray, p: np.ndarray, k: int) -> float:
    """Expected churners among the k highest scores when ties are ordered at random (group by group)."""
    total, taken = 0.0, 0
    for score in sorted(set(p), reverse=True):
        grp = y[p == score]
        m = min(len(grp), k - taken)
        total += grp.sum() * m / len(grp)
        taken += m
        if taken == k:
            break
    return total


def test_constant_score_has_lift_one():
    y = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0] * 5)
    assert top_decile_lift(y, np.full(len(y), 0.3)) == pytest.approx(1.0)
    assert lift_table(y, np.zeros(len(y)), bins=5)["lift"].tolist() == pytest.approx([1.0] * 5)


@pytest.mark.parametrize("seed", range(5))
def test_tied_scores_are_shared_out_evenly(seed):
    rng = np.random.default_rng(seed)
    n = 97
    p = rng.integers(0, 4, n).astype(float)  # four score levels: heavy ties
    y = (rng.random(n) < 0.15 + 0.1 * p).astype(int)
    if y.min() == y.max():
        return
    k = int(round(0.1 * n))
    assert top_decile_lift(y, p) == pytest.approx(expected_top(y, p, k) / k / y.mean())
    t = lift_table(y, p, bins=4)
    bounds = np.r_[0, np.cumsum(t["customers"])]
    for i, row in t.iterrows():
        want = expected_top(y, p, int(bounds[i + 1])) - expected_top(y, p, int(bounds[i]))
        assert row["churners"] == pytest.approx(want)
    # the order of the rows no longer matters
    perm = rng.permutation(n)
    assert top_decile_lift(y[perm], p[perm]) == pytest.approx(top_decile_lift(y, p))


def test_calibration_table_counts_the_rows_of_each_bin():
    rng = np.random.default_rng(1)
    p = np.round(rng.beta(1, 6, 500), 2)  # rounded: repeated values and merged quantile edges
    y = (rng.random(500) < p).astype(int)
    t = calibration_table(y, p, bins=10)
    assert t["customers"].sum() == 500
    # independently: pandas quantile bins (right-closed, lowest included)
    edges = np.unique(np.quantile(p, np.linspace(0, 1, 11)))
    cut = pd.cut(p, edges, include_lowest=True)
    g = pd.DataFrame({"p": p, "y": y}).groupby(cut, observed=True)
    np.testing.assert_array_equal(t["customers"], g.size().to_numpy())
    np.testing.assert_allclose(t["predicted"], g["p"].mean().to_numpy())
    np.testing.assert_allclose(t["observed"], g["y"].mean().to_numpy())


# --------------------------------------------------------------------------- 17. the PR AUC interval
def test_pr_auc_logit_interval_covers_with_30_churners():
    """With 30 churners the percentile bootstrap covers about 91%; the logit interval about 95%."""
    rng = np.random.default_rng(2)

    def draw(n1, n0):
        return np.r_[np.ones(n1), np.zeros(n0)].astype(int), np.r_[rng.normal(1.2, 1, n1), rng.normal(0, 1, n0)]

    from sklearn.metrics import average_precision_score

    big_y, big_p = draw(150_000, 1_850_000)
    truth = average_precision_score(big_y, big_p)  # the AP of the population at the same prevalence
    hits, reps = 0, 300
    for _ in range(reps):
        y, p = draw(30, 370)
        lo, hi = pr_auc_interval(y, p)
        hits += lo <= truth <= hi
    assert 0.92 <= hits / reps <= 0.99
    y, s = draw(30, 370)
    ev = evaluate(y, 1 / (1 + np.exp(-s)))
    assert ev.pr_auc_ci_method.startswith("logit") and ev.pr_auc_ci_low < ev.pr_auc < ev.pr_auc_ci_high
    with pytest.raises(CxError, match="logit"):
        pr_auc_interval([0, 1], [0.1, 0.9], method="wald")


# --------------------------------------------------------------------------- 14. time-based validation
@pytest.fixture(scope="module")
def stacked():
    from cxlib.data import datasets
    from cxlib.features import build_features

    act = datasets.load_activity()
    cuts = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-07-01"]
    return pd.concat([build_features(act, c, horizon=3).assign(cutoff=c) for c in cuts], ignore_index=True)


def test_horizon_is_read_from_the_data(stacked):
    d = pd.to_datetime(stacked["cutoff"])
    assert infer_horizon(d, stacked["customer_id"], stacked["churned"]) == 3
    # a churner labelled at 2024-01 who is still a customer on 2024-03 cancels in March: h >= 3
    ev = time_validate(stacked, "cutoff", id_column="customer_id", drop_overlapping=True)
    assert "horizon 3 month(s), read from the data" in ev.method
    assert "trained on 4 earlier cutoff(s)" in ev.method  # 2024-04's window (Apr-Jun) ends before July


def test_overlapping_cutoffs_are_refused_with_the_fix(stacked):
    last = stacked[stacked["cutoff"].isin(["2024-03-01", "2024-04-01"])]
    # from two cutoffs a month apart the data show a horizon of at least 2 months: enough to refuse
    with pytest.raises(CxError, match="2024-03-01 have 2-month outcome windows") as e:
        time_validate(last, "cutoff", id_column="customer_id")
    assert "drop_overlapping=True" in str(e.value) and "--drop-overlapping" in str(e.value)
    with pytest.raises(CxError, match="horizon=3"):  # no id, no horizon: the data cannot say
        time_validate(stacked.drop(columns="customer_id"), "cutoff")


def test_never_trains_on_labels_from_the_test_period(stacked):
    """Every training row's outcome window ends by the test cutoff, whatever the spacing."""
    from cxlib.analytics.churn import validation

    d = pd.to_datetime(stacked["cutoff"])
    test = d.max()
    for h in (1, 3, 6):
        mask, dropped = validation._training_cutoffs(d, test, h, drop_overlapping=True)
        assert ((d[mask] + pd.DateOffset(months=h)) <= test).all()
        assert all(pd.Timestamp(c) + pd.DateOffset(months=h) > test for c in dropped)


# --------------------------------------------------------------------------- 15. drivers with intervals
def test_logistic_driver_intervals_match_statsmodels_without_penalty():
    """With (almost) no penalty the sandwich covariance is the robust (HC0) one of a plain logit."""
    import statsmodels.api as sm

    rng = np.random.default_rng(4)
    n = 1500
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "noise": rng.normal(size=n)})
    y = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.8 * X["a"] - 0.5 * X["b"])))).astype(int)
    d = ChurnModel(C=1e8).fit(X, y).drivers().set_index("feature")
    Z = (X - X.mean()) / X.std(ddof=0)
    ref = sm.Logit(y, sm.add_constant(Z)).fit(disp=0, cov_type="HC0")
    for c in ("a", "b", "noise"):
        assert d.loc[c, "effect"] == pytest.approx(ref.params[c], abs=1e-3)
        assert (d.loc[c, "ci_high"] - d.loc[c, "ci_low"]) / (2 * 1.959964) == pytest.approx(ref.bse[c], rel=1e-3)
    assert d.loc["a", "rank"] == 1 and d.loc["b", "rank"] == 2
    assert pd.isna(d.loc["noise", "rank"]) and "no clear direction" in d.loc["noise", "plain"]


def test_drivers_whose_interval_includes_zero_are_not_ranked_on_the_snapshot():
    from cxlib.data import datasets

    s = datasets.load_churn_snapshot()
    d = ChurnModel().fit(s.drop(columns=["customer_id", "churned"]), s["churned"]).drivers()
    ranked = d[d["rank"].notna()]
    assert ((ranked["ci_low"] > 0) | (ranked["ci_high"] < 0)).all()
    assert (d.loc[d["rank"].isna(), "ci_low"] <= 0).all() and (d.loc[d["rank"].isna(), "ci_high"] >= 0).all()
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert list(d.index[d["rank"].notna()]) == list(range(len(ranked)))  # ranked drivers come first
    assert {"payment_issues_3m", "plan = Basic", "products_held"} <= set(ranked["feature"])


# --------------------------------------------------------------------------- 16. the leakage alarm
@pytest.fixture(scope="module")
def snapshot():
    from cxlib.data import datasets

    return datasets.load_churn_snapshot()


def test_no_alarm_on_a_point_in_time_table(snapshot):
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeakageWarning)
        r = churn_report(snapshot, "churned", "customer_id")
    assert r.alarms == []


def test_a_column_recorded_after_the_outcome_raises_every_alarm(snapshot):
    leaky = snapshot.assign(
        cancel_reason=np.where(snapshot["churned"] == 1, "price", None),
        final_bill=np.where(snapshot["churned"] == 1, 30.0 + snapshot["spend_last"], np.nan),
    )
    with pytest.warns(LeakageWarning, match="recorded after the outcome"):
        r = churn_report(leaky, "churned", "customer_id")
    kinds = {(a.kind, a.column) for a in r.alarms}
    assert ("model", None) in kinds  # out-of-fold AUC >= 0.99
    assert ("blank", "cancel_reason") in kinds and ("blank", "final_bill") in kinds
    assert ("column", "cancel_reason") in kinds
    assert "LEAKAGE ALARM" in r.to_text() and len(r.to_dict()["leakage_alarms"]) == len(r.alarms)


def test_one_column_alone_and_the_thresholds():
    rng = np.random.default_rng(5)
    y = (rng.random(400) < 0.2).astype(int)
    X = pd.DataFrame(
        {
            "days_to_exit": np.where(y == 1, rng.integers(0, 30, 400), rng.integers(25, 400, 400)),
            "n": rng.normal(size=400),
        }
    )
    alarms = leakage_checks(X, y, auc=0.98)
    assert [(a.kind, a.column) for a in alarms] == [("column", "days_to_exit")]
    assert alarms[0].value >= 0.95
    assert [a.kind for a in leakage_checks(X[["n"]], y, auc=0.99)] == ["model"]


def test_cx_churn_prints_the_alarm(tmp_path, snapshot, capsys):
    from cxlib.cli import main

    path = tmp_path / "leaky.csv"
    snapshot.assign(cancel_reason=np.where(snapshot["churned"] == 1, "moved", "")).to_csv(path, index=False)
    with pytest.warns(LeakageWarning):
        code = main(["churn", str(path), "--target", "churned", "--id", "customer_id"])
    out = capsys.readouterr().out
    assert code == 0 and "LEAKAGE ALARM" in out and "'cancel_reason' is blank for stayers only" in out


# --------------------------------------------------------------------------- 18. input checks
def test_targeting_rank_by_and_values_validated():
    with pytest.raises(CxError, match="rank_by must be 'profit'"):
        targeting_profit([0.2, 0.5], 100, 10, 0.3, rank_by="risk")
    with pytest.raises(CxError, match="one per customer"):
        targeting_profit([0.2, 0.5], [100, 100, 100], 10, 0.3)
    with pytest.raises(CxError, match="value must be numbers"):
        targeting_profit([0.2, 0.5], [100, np.nan], 10, 0.3)
    r = targeting_profit([0.5, 0.2, 0.05], 200, 10, 0.3, rank_by="probability")
    assert r.best_n == 2


def test_business_case_does_not_resample_the_campaign_cost():
    rng = np.random.default_rng(6)
    p = rng.beta(1, 8, 800)
    bc = economics.business_case(p, 300.0, offer_cost=10, success_rate=0.3, n_draws=500)
    n = bc["customers_contacted"]
    assert (bc.draws["customers_contacted"] == n).all() and (bc.draws["cost"] == 10 * n).all()
    assert bc.summary.loc["cost", "low"] == bc.summary.loc["cost", "high"] == 10 * n
    # independently: saves on the fixed list are Binomial-Beta, mean s * sum(p)
    pc = p[bc.contacted]
    assert bc.draws["expected_saves"].mean() == pytest.approx(0.3 * pc.sum(), rel=0.05)
    with_incentive = economics.business_case(p, 300.0, offer_cost=10, success_rate=0.3, incentive=2, n_draws=500)
    assert with_incentive.draws["cost"].std() > 0  # the incentive wasted on stayers is random

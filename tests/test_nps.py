"""Tests of cxlib.analytics.nps: hand-computed cases (cx_science.md §1), edges, bad input, coverage, truth."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.analytics import nps as N
from cxlib.errors import CxError, ValidationError
from cxlib.teaching import plots


def answers(p: int, pa: int, d: int, *, missing: int = 0) -> list:
    """A list of scores with p promoters, pa passives, d detractors (boundary values)."""
    return (
        [9, 10] * (p // 2)
        + [9] * (p % 2)
        + [7, 8] * (pa // 2)
        + [8] * (pa % 2)
        + [6, 0] * (d // 2)
        + [6] * (d % 2)
        + [None] * missing
    )


# --- buckets --------------------------------------------------------------------------------
def test_bucket_boundaries():
    got = N.bucket(list(range(11))).tolist()
    assert got[:7] == ["detractor"] * 7  # 0-6, including the 6 -> D boundary
    assert got[7:9] == ["passive"] * 2  # 7 is not a detractor, 8 is not a promoter
    assert got[9:] == ["promoter"] * 2


def test_bucket_keeps_missing_missing():
    got = N.bucket(pd.Series([9, np.nan, 3], index=[5, 6, 7]))
    assert got.index.tolist() == [5, 6, 7]
    assert got.iloc[0] == "promoter" and pd.isna(got.iloc[1]) and got.iloc[2] == "detractor"


# --- worked examples from cx_science.md -----------------------------------------------------
def test_n400_wald():
    r = N.from_counts(180, 160, 60, method="wald")
    assert r.nps == pytest.approx(30.0)
    assert r.se == pytest.approx(3.57, abs=0.005)
    assert (round(r.ci_low, 1), round(r.ci_high, 1)) == (23.0, 37.0)


def test_n30_wald_and_adjusted():
    w = N.from_counts(12, 10, 8, method="wald")
    assert round(w.nps, 1) == 13.3 and round(w.se, 1) == 14.7
    assert (round(w.ci_low, 1), round(w.ci_high, 1)) == (-15.5, 42.2)
    a = N.from_counts(12, 10, 8)
    assert a.method == "adjusted-wald"
    assert a.nps == pytest.approx(w.nps) and a.se == pytest.approx(w.se)  # point and SE unchanged
    assert (round(a.ci_low, 1), round(a.ci_high, 1)) == (-15.1, 39.3)


def test_n30_bootstrap_close_to_science_value():
    r = N.from_counts(12, 10, 8, method="bootstrap", seed=1, n_boot=4000)
    # the bootstrap distribution is discrete (steps of 3.3 points at n = 30): ~[-17, 43] within a step
    assert r.ci_low == pytest.approx(-17, abs=3.4) and r.ci_high == pytest.approx(43, abs=3.4)
    again = N.from_counts(12, 10, 8, method="bootstrap", seed=1, n_boot=4000)
    assert (again.ci_low, again.ci_high) == (r.ci_low, r.ci_high)  # seeded: deterministic


def test_worst_case_margin():
    # 196/sqrt(n) points: half promoters, half detractors
    r = N.from_counts(50, 0, 50, method="wald")
    assert r.se * 1.96 == pytest.approx(196 / math.sqrt(100), rel=1e-3)


def test_difference_example():
    a, b = N.from_counts(180, 160, 60), N.from_counts(165, 165, 70)
    c = N.compare(a, b, method="wald")
    assert c.diff == pytest.approx(6.25)
    assert round(c.se, 2) == 5.10 and round(c.z, 2) == 1.23
    assert (round(c.ci_low, 1), round(c.ci_high, 1)) == (-3.7, 16.2)
    assert not c.significant and c.p_value == pytest.approx(0.22, abs=0.01)
    adj = N.compare(a, b)
    assert adj.ci_low < 0 < adj.ci_high and adj.diff == c.diff


def test_compare_detects_a_big_change():
    c = N.compare(N.from_counts(600, 300, 100), N.from_counts(300, 300, 400))
    assert c.significant and c.diff == pytest.approx(60.0) and c.p_value < 1e-6


def test_sample_size_examples():
    assert N.sample_size((0.40, 0.20), (0.45, 0.15)) == 840
    assert N.sample_size_for_margin(5, 0.45, 0.15) == pytest.approx(780, abs=5)
    # larger change needs fewer answers; more power needs more
    assert N.sample_size((0.40, 0.20), (0.50, 0.10)) < 840 < N.sample_size((0.40, 0.20), (0.45, 0.15), power=0.9)


def test_weighting_example_32_7():
    df = pd.DataFrame({"seg": ["A"] * 1000 + ["B"] * 100, "ltr": answers(500, 400, 100) + answers(10, 40, 50)})
    res = N.nps_by(df, "ltr", "seg")
    assert res.summary.loc["A", "nps"] == pytest.approx(40) and res.summary.loc["B", "nps"] == pytest.approx(-40)
    assert res.unweighted_mean == pytest.approx(0.0)  # the mistake
    assert round(res.overall.nps, 1) == 32.7  # pooled answers
    assert res.overall.nps == pytest.approx(N.nps(df, "ltr").nps)


# --- edge cases -----------------------------------------------------------------------------
def test_n1_promoter():
    r = N.nps([10], method="wald")
    assert (r.n, r.promoters, r.nps, r.se, r.ci_low, r.ci_high) == (1, 1, 100.0, 0.0, 100.0, 100.0)
    a = N.nps([10])
    # adjusted-Wald with 3 pseudo-answers: P = 1.75, D = 0.75, n = 4 -> centre 25, SE 37.5,
    # [-48.5, 98.5], widened to include the raw +100
    assert a.nps == 100.0
    assert a.ci_low == pytest.approx(100 * (0.25 - 1.959964 * 0.375), abs=1e-3)
    assert a.ci_high == 100.0


def test_n1_passive_and_detractor():
    assert N.nps([7]).nps == 0.0
    r = N.nps([6], method="wald")
    assert (r.nps, r.detractors, r.ci_low, r.ci_high) == (-100.0, 1, -100.0, -100.0)


def test_all_promoters_wald_collapses_adjusted_does_not():
    w = N.from_counts(40, 0, 0, method="wald")
    assert (w.nps, w.se, w.ci_low, w.ci_high) == (100.0, 0.0, 100.0, 100.0)
    a = N.from_counts(40, 0, 0)
    assert a.ci_high == 100.0 and 80 < a.ci_low < 90  # a real interval, clipped at +100
    b = N.from_counts(40, 0, 0, method="bootstrap")
    assert (b.ci_low, b.ci_high) == (100.0, 100.0)


def test_all_detractors():
    a = N.from_counts(0, 0, 25)
    assert a.nps == -100.0 and a.ci_low == -100.0 and -80 < a.ci_high < -70
    assert N.from_counts(0, 0, 25, method="wald").se == 0.0


def test_missing_excluded_and_counted_never_zero():
    r = N.nps([9, 9, 7, None, np.nan, "", " "])
    assert (r.n, r.n_missing, r.detractors) == (3, 4, 0)
    assert r.nps == pytest.approx(100 * 2 / 3)
    # what the bug (missing scored as 0) would give instead
    assert N.nps([9, 9, 7, 0, 0, 0, 0]).nps < 0


def test_empty_and_all_missing():
    r = N.nps([])
    assert r.n == 0 and math.isnan(r.nps) and math.isnan(r.ci_low)
    r = N.nps(pd.Series([np.nan, np.nan]))
    assert (r.n, r.n_missing) == (0, 2) and math.isnan(r.se)
    assert "no valid answers" in repr(r)


def test_nullable_and_float_and_text_numbers():
    assert N.nps(pd.Series([9, pd.NA, 6], dtype="Int64")).n_missing == 1
    assert N.nps(pd.Series([9.0, 6.0])).nps == 0.0
    assert N.nps(pd.Series(["9", "10", "6"], dtype=object)).promoters == 2


def test_segments_with_one_response():
    df = pd.DataFrame({"seg": ["a", "b", "b", "c"], "ltr": [10, 9, 3, 7]})
    t = N.nps_by(df, "ltr", "seg", method="wald").summary
    assert t["n"].tolist() == [1, 2, 1]
    assert t["nps"].tolist() == [100.0, 0.0, 0.0]
    assert t.loc["a", ["ci_low", "ci_high"]].tolist() == [100.0, 100.0]
    assert t.loc["c", "se"] == 0.0
    assert t.loc["b", "se"] == pytest.approx(100 * math.sqrt(0.5))  # codes +1, -1: var = (1 - 0)/2


def test_nps_by_matches_per_segment_nps():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"seg": rng.choice(list("xyz"), 500), "ltr": rng.integers(0, 11, 500).astype(float)})
    df.loc[rng.choice(500, 20, replace=False), "ltr"] = np.nan
    res = N.nps_by(df, "ltr", "seg")
    for seg, g in df.groupby("seg"):
        one = N.nps(g["ltr"])
        row = res.summary.loc[seg]
        assert row["nps"] == pytest.approx(one.nps) and row["ci_low"] == pytest.approx(one.ci_low)
        assert row["n_missing"] == one.n_missing
        assert res[seg].n == one.n
    assert res.overall.n_missing == 20


def test_nps_by_missing_segment_kept_and_categories():
    df = pd.DataFrame({"seg": ["a", None, "a"], "ltr": [9, 6, 7]})
    t = N.nps_by(df, "ltr", "seg").summary
    assert t["n"].sum() == 3 and t.index.isna().sum() == 1
    cat = df.assign(seg=pd.Categorical(["a", None, "a"], categories=["a", "unused"]))
    t2 = N.nps_by(cat, "ltr", "seg").summary
    assert "unused" not in t2.index and t2["n"].sum() == 3  # unobserved dropped, missing kept


def test_nps_by_integer_and_multiple_keys():
    df = pd.DataFrame({"k": [5, 5, 1000000007], "j": ["u", "v", "u"], "ltr": [10, 0, 8]})
    t = N.nps_by(df, "ltr", "k").summary
    assert t.index.tolist() == [5, 1000000007] and t["nps"].tolist() == [0.0, 0.0]
    t2 = N.nps_by(df, "ltr", ["k", "j"]).summary
    assert len(t2) == 3 and t2.loc[(5, "u"), "nps"] == 100.0


def test_weights_equal_weights_match_unweighted():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"seg": rng.choice(["p", "q"], 300), "ltr": rng.integers(0, 11, 300), "w": 2.5})
    a, b = N.nps_by(df, "ltr", "seg"), N.nps_by(df, "ltr", "seg", weight_column="w")
    cols = ["nps", "se", "ci_low", "ci_high"]
    pd.testing.assert_frame_equal(a.summary[cols], b.summary[cols])
    assert b.overall.nps == pytest.approx(a.overall.nps)


def test_weights_by_hand():
    # two promoters with weight 3, one detractor with weight 1: NPS = (6 - 1)/7
    df = pd.DataFrame({"ltr": [10, 9, 2], "w": [3.0, 3.0, 1.0]})
    r = N.nps(df, "ltr", weight_column="w", method="wald")
    assert r.nps == pytest.approx(100 * 5 / 7)
    m = 5 / 7
    var = (9 * (1 - m) ** 2 * 2 + 1 * (-1 - m) ** 2) / 49
    assert r.se == pytest.approx(100 * math.sqrt(var))
    assert r.n_eff == pytest.approx(49 / 19) and r.promoters == 2  # counts stay unweighted


def test_post_stratification():
    df = pd.DataFrame({"seg": ["A"] * 1000 + ["B"] * 100, "ltr": answers(500, 400, 100) + answers(10, 40, 50)})
    res = N.nps_by(df, "ltr", "seg", population={"A": 500, "B": 500})
    assert res.overall.nps == pytest.approx(0.0, abs=1e-9) and res.post_stratified
    se = math.sqrt(0.25 * res.summary.loc["A", "se"] ** 2 + 0.25 * res.summary.loc["B", "se"] ** 2)
    assert res.overall.se == pytest.approx(se)
    with pytest.raises(CxError, match="no population size"):
        N.nps_by(df, "ltr", "seg", population={"A": 1})


def test_nps_over_time_and_plot():
    df = pd.DataFrame(
        {"d": pd.to_datetime(["2024-01-31", "2024-01-01", "2024-03-15", "2024-03-16"]), "ltr": [10, 6, 9, None]}
    )
    t = N.nps_over_time(df, "ltr", "d")
    assert t.index.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")]
    assert t["nps"].tolist() == [0.0, 100.0] and t["n_missing"].tolist() == [0, 1]
    q = N.nps_over_time(df.assign(d=df["d"].dt.strftime("%Y-%m-%d")), "ltr", "d", freq="Q")
    assert len(q) == 1 and q["n"].iloc[0] == 3
    ax = plots.nps.over_time(t, truth=pd.Series([5.0, 7.0], index=t.index))
    assert ax.get_ylabel() == "NPS (points)" and "95%" in ax.get_title(loc="left")
    assert len(ax.collections) >= 1  # the interval band
    import matplotlib.pyplot as plt

    plt.close("all")


def test_segment_plot_and_reprs():
    df = pd.DataFrame({"seg": ["a", "b", "b"], "ltr": [10, 9, 3]})
    res = N.nps_by(df, "ltr", "seg")
    ax = plots.nps.segments(res)
    assert "NPS by seg" in ax.get_title(loc="left")
    assert "overall" in repr(res) and "<table" in res._repr_html_()
    assert "NPS +100.0" in repr(res["a"]) and "promoters" in repr(res["a"])
    assert "difference" in repr(N.compare(res["a"], res["b"]))
    import matplotlib.pyplot as plt

    plt.close("all")


# --- bad input ------------------------------------------------------------------------------
def test_bad_scores_list_every_problem():
    df = pd.DataFrame({"ltr": [10, 11, -1, 7.5, "abc", 9, 12, None]})
    with pytest.raises(ValidationError) as info:
        N.nps(df, "ltr")
    err = info.value
    kinds = {p.kind: p for p in err.problems}
    assert set(kinds) == {"text instead of a number", "not a whole number", "outside 0-10"}
    assert kinds["outside 0-10"].rows == (3, 4, 8) and kinds["outside 0-10"].count == 3
    assert kinds["outside 0-10"].values == (11, -1, 12)
    assert kinds["not a whole number"].rows == (5,) and kinds["text instead of a number"].values == ("abc",)
    assert all(p.column == "ltr" for p in err.problems)


def test_bad_scores_numeric_fast_path_still_checked():
    with pytest.raises(ValidationError, match="outside 0-10"):
        N.nps_by(pd.DataFrame({"s": [1, 1], "ltr": np.array([3, 11], dtype=np.int64)}), "ltr", "s")
    with pytest.raises(ValidationError, match="outside 0-10"):
        N.nps([np.inf, 5])
    with pytest.raises(CxError, match="True/False"):
        N.nps(pd.Series([True, False]))


def test_bad_columns_methods_weights_dates():
    df = pd.DataFrame({"ltr": [9, 6], "w": [1.0, -2.0], "d": ["2024-01-01", "not a date"]})
    with pytest.raises(CxError, match="'score' is not in the data"):
        N.nps(df, "score")
    with pytest.raises(CxError, match="name the score column"):
        N.nps(df)
    with pytest.raises(CxError, match="unknown interval method"):
        N.nps([9], method="exact")
    with pytest.raises(ValidationError, match="weight"):
        N.nps(df, "ltr", weight_column="w")
    with pytest.raises(ValidationError, match="unreadable date"):
        N.nps_over_time(df, "ltr", "d")
    with pytest.raises(CxError, match="level=0.95"):
        N.nps([9], level=95)
    with pytest.raises(CxError):
        N.sample_size((0.4, 0.2), (0.4, 0.2))
    with pytest.raises(CxError):
        N.sample_size((0.8, 0.4), (0.4, 0.2))
    with pytest.raises(CxError):
        N.compare(N.nps([]), N.nps([9]))
    with pytest.raises(CxError):
        N.from_counts(-1, 0, 0)


# --- coverage on simulated multinomial data ------------------------------------------------
@pytest.mark.parametrize(
    "n, method, lo, hi",
    [(100, "wald", 0.93, 0.965), (100, "adjusted-wald", 0.935, 0.97), (20, "adjusted-wald", 0.93, 0.98)],
)
def test_interval_coverage(n, method, lo, hi):
    """~95% of intervals cover the true NPS (4,000 simulated surveys, one vectorised call)."""
    rng = np.random.default_rng(2024)
    p = np.array([0.45, 0.30, 0.25])  # true NPS = 20
    reps = 4000
    cats = rng.choice(np.array([10, 8, 3]), size=(reps, n), p=p)
    df = pd.DataFrame({"rep": np.repeat(np.arange(reps), n), "ltr": cats.ravel()})
    t = N.nps_by(df, "ltr", "rep", method=method).summary
    cover = ((t["ci_low"] <= 20) & (20 <= t["ci_high"])).mean()
    assert lo <= cover <= hi, cover


def test_adjusted_beats_wald_at_small_n_near_the_edge():
    rng = np.random.default_rng(7)
    p, n, reps = np.array([0.85, 0.10, 0.05]), 15, 4000  # true NPS 80
    cats = rng.choice(np.array([10, 8, 3]), size=(reps, n), p=p)
    df = pd.DataFrame({"rep": np.repeat(np.arange(reps), n), "ltr": cats.ravel()})
    cov = {
        m: ((t["ci_low"] <= 80) & (80 <= t["ci_high"])).mean()
        for m in ("wald", "adjusted-wald")
        for t in [N.nps_by(df, "ltr", "rep", method=m).summary]
    }
    assert cov["wald"] < 0.92 < cov["adjusted-wald"]


# --- properties (hypothesis) ----------------------------------------------------------------
counts = st.tuples(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300)).filter(lambda c: sum(c) > 0)


@settings(max_examples=150, deadline=None)
@given(counts, st.sampled_from(["wald", "adjusted-wald"]))
def test_property_range_and_containment(c, method):
    r = N.from_counts(*c, method=method)
    assert -100 <= r.nps <= 100 and -100 <= r.ci_low <= r.ci_high <= 100
    assert r.se >= 0 and r.n == sum(c)
    assert r.share_promoters + r.share_passives + r.share_detractors == pytest.approx(1)
    assert r.ci_low - 1e-9 <= r.nps <= r.ci_high + 1e-9


@settings(max_examples=60, deadline=None)
@given(counts, st.integers(2, 5))
def test_property_more_data_narrower(c, k):
    a, b = N.from_counts(*c), N.from_counts(*(k * x for x in c))
    assert b.ci_high - b.ci_low <= a.ci_high - a.ci_low + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10), st.none()), max_size=60))
def test_property_scores_match_counts(xs):
    r = N.nps(xs)
    valid = [x for x in xs if x is not None]
    assert r.n == len(valid) and r.n_missing == len(xs) - len(valid)
    if valid:
        expect = 100 * (sum(x >= 9 for x in valid) - sum(x <= 6 for x in valid)) / len(valid)
        assert r.nps == pytest.approx(expect)


@settings(max_examples=50, deadline=None)
@given(counts, counts)
def test_property_compare_antisymmetric(c1, c2):
    a, b = N.from_counts(*c1), N.from_counts(*c2)
    ab, ba = N.compare(a, b), N.compare(b, a)
    assert ab.diff == pytest.approx(-ba.diff) and ab.ci_low == pytest.approx(-ba.ci_high)
    assert 0 <= ab.p_value <= 1


# --- the simulator's truth -----------------------------------------------------------------
def test_truth_survey_vs_base_on_bundled_data():
    """Against the simulator's truth: the survey overstates the base (non-response), and in the first
    half of 2024 it shows no significant fall while churn has already risen (the reality gap)."""
    from cxlib.data import datasets

    surveys = datasets.load_nps_surveys()
    summary = datasets.load_truth().summary
    true = pd.Series(summary["true_nps_by_month"])
    true.index = pd.to_datetime(true.index)
    q = N.nps_over_time(surveys, "ltr", "survey_date", freq="Q")
    true_q = true.groupby(true.index.to_period("Q").start_time).mean().reindex(q.index)
    assert (q["ci_low"] > true_q).mean() >= 0.75  # survey interval mostly above the truth

    d = surveys["survey_date"]
    y2023 = N.nps(surveys[d.dt.year == 2023], "ltr")
    h1_2024 = N.nps(surveys[(d >= "2024-01-01") & (d < "2024-07-01")], "ltr")
    assert N.compare(h1_2024, y2023).ci_high > 0  # no significant fall in the survey yet
    churn = pd.Series(summary["churn_rate_by_month"])
    assert churn["2024-01-01":"2024-06-01"].mean() > 1.5 * churn["2023-01-01":"2023-12-01"].mean()

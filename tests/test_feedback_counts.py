"""Agents from counts (issue 16), honest empirical-Bayes intervals at the edges (issue 15, item 12), new names (issue 17).

The count-level functions are compared with count tables built here with plain pandas,
and the interval coverage is checked by simulation against the truth that generated
the data.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from cxlib.analytics import feedback as F
from cxlib.analytics.feedback import _hierarchical as H
from cxlib.analytics.stats import check_counts, proportions, proportions_from_counts, wilson_interval
from cxlib.errors import CxError, ValidationError


def _warns_each(new_names, call):
    """Run ``call()``: exactly one DeprecationWarning per renamed argument, each naming its new name."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(messages) == len(new_names), messages
    for new in new_names:
        assert any(f"{new}=" in m for m in messages), (new, messages)
    return out


# ------------------------------------------------------------------------- coverage
def _simulate(rng: np.random.Generator, agents: int, spread: tuple[float, float], n_range: tuple[int, int]):
    p = rng.beta(*spread, agents)
    n = rng.integers(n_range[0], n_range[1] + 1, agents)
    return rng.binomial(n, p), n, p


#: name -> (agents, Beta prior of the true rates, answers per agent, simulated data sets)
CONFIGS = {
    "30 agents, a real spread": (30, (16, 4), (5, 100), 25),
    "5 agents": (5, (16, 4), (5, 50), 50),
    "near-zero spread (pooled fits)": (20, (640, 160), (200, 800), 20),
    "3 agents, many answers": (3, (16, 4), (200, 500), 40),
}


def _coverage(config: tuple, seed: int) -> tuple[float, float, int, float]:
    """Coverage of the shrunk intervals and of the old plug-in ones (the fitted prior taken as known)."""
    agents, spread, n_range, sets = config
    rng = np.random.default_rng(seed)
    hits, plug_in, pooled = 0, 0, 0
    for _ in range(sets):
        k, n, p = _simulate(rng, agents, spread, n_range)
        fb = F.AgentFeedback().fit_counts(k, n)
        s = fb.summary.set_index("agent").loc[np.arange(agents).astype(str)]
        hits += int(((s["low"].to_numpy() <= p) & (p <= s["high"].to_numpy())).sum())
        _, lo, hi = fb.prior_.posterior(k, n)
        plug_in += int(((lo <= p) & (p <= hi)).sum())
        pooled += fb.pooled_
    m = agents * sets
    return hits / m, plug_in / m, m, pooled / sets


@pytest.mark.parametrize("name", list(CONFIGS))
def test_shrunk_intervals_cover_about_95_percent(name):
    """95% intervals contain the true rate about 95% of the time, also with few agents or a pooled fit.

    The tolerance comes from the number of simulated intervals M: the binomial standard
    error sqrt(0.95 * 0.05 / M), inflated by a design effect of 2 because intervals of
    one data set share its fitted prior (measured: 1.9 for the near-zero spread), and
    3.5 of those either side. The plug-in intervals of the same fits (the fitted prior
    taken as known, as before) are the contrast: where the prior rests on few agents or
    pools them, they miss far more often, so this test fails on the old intervals.
    """
    cov, plug_in, m, pooled = _coverage(CONFIGS[name], seed=11)
    tol = 3.5 * math.sqrt(2 * 0.95 * 0.05 / m)
    assert abs(cov - 0.95) <= tol, (name, cov, tol)
    if name in ("5 agents", "near-zero spread (pooled fits)"):
        assert plug_in < 0.95 - tol, (name, plug_in)
        assert pooled >= 0.1  # the fits that used to collapse are in the sample


def test_ten_rows_one_satisfied_answer_never_narrower_than_wilson():
    df = pd.DataFrame({"agent_id": ["A"] + ["B"] * 4 + ["C"] * 5, "csat": [5, 5, 4, 2, 5, 1, 5, 5, 4, 5]})
    s = F.AgentFeedback().fit(df).summary.set_index("agent")
    lo, hi = wilson_interval(1, 1)
    assert s.loc["A", "raw_low"] == pytest.approx(float(lo)) and s.loc["A", "raw_high"] == 1.0
    assert (s["low"] <= s["raw_low"]).all() and (s["high"] >= s["raw_high"]).all()
    assert s.loc["A", "high"] - s.loc["A", "low"] >= float(hi - lo)
    for prior in F.PRIORS:  # the plug-in fit pools these agents; the floor holds for it too
        p = F.AgentFeedback(prior=prior).fit(df)
        assert (
            p.widened_ and (p.summary["high"] - p.summary["low"] >= p.summary["raw_high"] - p.summary["raw_low"]).all()
        )


def test_many_agents_shrink_below_wilson_width():
    rng = np.random.default_rng(3)
    k, n, p = _simulate(rng, 60, (16, 4), (5, 60))
    fb = F.AgentFeedback().fit_counts(k, n)
    s = fb.summary
    assert not fb.widened_
    assert (s["high"] - s["low"]).mean() < 0.9 * (s["raw_high"] - s["raw_low"]).mean()  # borrowing strength
    assert ((s["low"] <= s["shrunk_rate"]) & (s["shrunk_rate"] <= s["high"])).all()


def _newton_quantile(A, B, w, q, start, iterations=50):
    """The mixture quantile as it was solved before (safeguarded Newton, one level at a time): the reference."""
    lnB = special.betaln(A, B)
    x = np.clip(start, 1e-12, 1 - 1e-12)
    lo, hi = np.zeros(len(A)), np.ones(len(A))
    todo = np.arange(len(A))
    for _ in range(iterations):
        xs = x[todo][:, None]
        cdf = special.betainc(A[todo], B[todo], xs) @ w
        done = np.abs(cdf - q) < 1e-8
        below = cdf < q
        lo[todo] = np.where(below, x[todo], lo[todo])
        hi[todo] = np.where(below, hi[todo], x[todo])
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            logpdf = (A[todo] - 1) * np.log(xs) + (B[todo] - 1) * np.log1p(-xs) - lnB[todo]
            step = x[todo] - (cdf - q) / (np.exp(logpdf) @ w)
        ok = np.isfinite(step) & (step > lo[todo]) & (step < hi[todo])
        x[todo] = np.where(done, x[todo], np.where(ok, step, (lo[todo] + hi[todo]) / 2))
        todo = todo[~done & (hi[todo] - lo[todo] > 1e-12)]
        if not len(todo):
            break
    return x


def _reference_posteriors(k, n, level):
    k, n = np.asarray(k, float), np.asarray(n, float)
    a, b, w = H.hyper_posterior(k, n)
    uk, un, _, where = H._unique(k, n)
    A, B = uk[:, None] + a[None, :], (un - uk)[:, None] + b[None, :]
    mean = (A / (A + B)) @ w
    var = (A * B / ((A + B) ** 2 * (A + B + 1))) @ w + ((A / (A + B)) ** 2) @ w - mean**2
    s = np.maximum(mean * (1 - mean) / np.maximum(var, 1e-300) - 1, 1e-6)
    out = []
    for q in ((1 - level) / 2, (1 + level) / 2):
        start = special.betaincinv(mean * s, (1 - mean) * s, q)
        out.append(_newton_quantile(A, B, w, q, np.where(np.isfinite(start), start, mean)))
    return mean[where], out[0][where], out[1][where]


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    st.integers(1, 80),
    st.sampled_from([(1, 5), (5, 100), (200, 2000), (15000, 25000)]),
    st.sampled_from([(16, 4), (640, 160), (2, 2), (1, 30)]),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    st.integers(0, 2**32 - 1),
)
def test_property_halley_quantiles_equal_the_newton_ones(agents, n_range, spread, level, seed):
    """The interval ends solved together by Halley steps equal the old Newton solution.

    Both stop once the mixture's CDF is within 1e-8 of the level, so they differ by at most
    about 2e-8 over the density there: well below 1e-6 (intervals are shown to 3 decimals).
    """
    k, n, _ = _simulate(np.random.default_rng(seed), agents, spread, n_range)
    got = H.agent_posteriors(k, n, level)
    want = _reference_posteriors(k, n, level)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_allclose(got[1], want[1], rtol=0, atol=1e-6)
    np.testing.assert_allclose(got[2], want[2], rtol=0, atol=1e-6)


# ------------------------------------------------------------------- counts in
def independent_agent_counts(df: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    ok = df["agent_id"].notna() & df["csat"].notna()
    t = pd.DataFrame({"agent": df.loc[ok, "agent_id"].astype(str), "satisfied": (df.loc[ok, "csat"] >= 4).astype(int),
                      "answered": 1})  # fmt: skip
    keys = ["agent"]
    if period is not None:
        t["period"] = pd.to_datetime(df.loc[ok, "date"]).dt.to_period(period).dt.start_time
        keys.append("period")
    return t.groupby(keys).sum().reset_index()


answers = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "D", None]), st.one_of(st.integers(1, 5), st.none())),
    min_size=1,
    max_size=60,
).filter(lambda rs: any(a is not None and c is not None for a, c in rs))


@settings(max_examples=40, deadline=None, derandomize=True)
@given(answers, st.sampled_from(F.PRIORS))
def test_property_agent_feedback_equals_agents_from_counts(rs, prior):
    df = pd.DataFrame(rs, columns=["agent_id", "csat"])
    rows = F.AgentFeedback(prior=prior).fit(df)
    counts = F.agents_from_counts(independent_agent_counts(df), prior=prior)
    pd.testing.assert_frame_equal(rows.summary, counts.summary)
    assert rows.prior_ == counts.prior_ and rows.n_missing_ == (~(df.notna().all(axis=1))).sum()
    pd.testing.assert_frame_equal(F.agent_counts(df), independent_agent_counts(df), check_dtype=False)


def test_agents_from_counts_adds_partial_rows_and_reports_missing():
    t = pd.DataFrame({"agent": ["A", "A", "B", "C"], "satisfied": [3, 4, 9, 0], "answered": [5, 5, 10, 0],
                      "missing": [1, 0, 2, 0]})  # fmt: skip
    fb = F.agents_from_counts(t)
    s = fb.summary.set_index("agent")
    assert s.loc["A", "n"] == 10 and s.loc["A", "satisfied"] == 7 and "C" not in s.index  # no answers: left out
    assert fb.n_missing_ == 3
    with pytest.raises(ValidationError, match="answered"):
        F.agents_from_counts(t.drop(columns="answered"))
    with pytest.raises(CxError, match="satisfied is larger than answered"):
        F.agents_from_counts(t.assign(satisfied=[6, 4, 9, 0]))


def test_case_mix_equals_case_mix_from_counts():
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"agent_id": rng.choice(list("ABCDE"), 600), "issue_type": rng.choice(["bill", "complaint"], 600),
                       "channel": rng.choice(["phone", "chat"], 600), "csat": rng.integers(1, 6, 600)})  # fmt: skip
    rows = F.case_mix(df, case_mix_columns=["issue_type", "channel"])
    t = df.assign(agent=df["agent_id"], satisfied=(df["csat"] >= 4).astype(int), answered=1)
    counts = t.groupby(["agent", "issue_type", "channel"])[["satisfied", "answered"]].sum().reset_index()
    got = F.case_mix_from_counts(counts, ["issue_type", "channel"])
    pd.testing.assert_frame_equal(rows, got, check_exact=False, rtol=1e-12)


def test_agent_chart_equals_agent_chart_from_counts():
    dates = pd.date_range("2023-01-01", periods=300, freq="2D")
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"agent_id": rng.choice(["A", "B", "C"], 300), "date": dates, "csat": rng.integers(1, 6, 300)})
    a = F.agent_chart(df, "B", baseline_until="2023-12-31")
    b = F.agent_chart_from_counts(independent_agent_counts(df, "M"), "B", baseline_until="2023-12-31")
    pd.testing.assert_frame_equal(a, b, check_freq=False)
    assert (a["ucl"] - a["centre"]).iloc[-1] > 0


def test_chart_counts_and_charts_from_counts():
    df = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-04", None]), "csat": [5, 1, 2, 4]})
    t = F.chart_counts(df)
    assert t["n"].tolist() == [2, 0, 0, 1] and t["defects"].tolist() == [1, 0, 0, 1] and t.attrs["n_missing"] == 1
    pd.testing.assert_frame_equal(F.p_chart_from_counts(t, p0=0.3), F.p_chart(t.set_index("period")["defects"],
                                  t.set_index("period")["n"], p0=0.3))  # fmt: skip
    pd.testing.assert_frame_equal(F.ewma_chart_from_counts(t, p0=0.3).reset_index(drop=True),
                                  F.ewma_chart(t["defects"], t["n"], p0=0.3))  # fmt: skip


# ---------------------------------------------------------------- proportions
@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["x", "y", None]), st.sampled_from([0, 1, None])), min_size=1, max_size=50))
def test_property_proportions_equal_proportions_from_counts(rs):
    df = pd.DataFrame(rs, columns=["seg", "churned"])
    got = proportions(df, "churned", "seg")
    t = df.assign(successes=(df["churned"] == 1).astype(int), n=df["churned"].notna().astype(int),
                  missing=df["churned"].isna().astype(int))  # fmt: skip
    counts = t.groupby("seg", dropna=False)[["successes", "n", "missing"]].sum().reset_index()
    pd.testing.assert_frame_equal(got, proportions_from_counts(counts), check_dtype=False)
    lo, hi = wilson_interval(counts["successes"], counts["n"])
    np.testing.assert_array_equal(got["ci_low"], lo)


def test_wilson_refuses_impossible_counts():
    for k, n, msg in [(5, 3, "larger than n"), (-1, 3, "0 or more"), (1.5, 3, "whole number"), (1, -2, "0 or more")]:
        with pytest.raises(CxError, match=msg):
            wilson_interval(k, n)
    lo, hi = wilson_interval([1, np.nan, 0], [2, 5, 0])
    assert np.isnan(lo[1:]).all() and not np.isnan(lo[0])  # missing and empty groups: no interval
    with pytest.raises(CxError, match="position 1"):
        check_counts([1, 7], [2, 5])
    with pytest.raises(ValidationError, match="0/1"):
        proportions(pd.DataFrame({"y": [0, 2]}), "y")


def test_levels_are_shares_in_feedback_too():
    df = pd.DataFrame({"agent_id": ["A", "B"], "csat": [5, 4], "issue_type": ["x", "y"]})
    for call in (
        lambda: F.AgentFeedback(level=95),
        lambda: F.rank_agents(df, level=95),
        lambda: F.case_mix(df, level=95),
        lambda: F.fit_beta_prior([1, 2], [3, 4]).posterior([1], [3], level=95),
        lambda: proportions(df.assign(y=1), "y", level=95),
    ):
        with pytest.raises(CxError, match="level=0.95"):
            call()


# ----------------------------------------------------------------- old names
FB = pd.DataFrame({"agent_id": ["A", "A", "B"], "csat": [5, 2, 4], "issue_type": ["x", "y", "x"]})
OLD = [
    (F.rank_agents, (FB,), {"agent": "agent_id", "score": "csat"}),
    (F.case_mix, (FB,), {"agent": "agent_id", "score": "csat", "by": ["issue_type"]}),
    (F.AgentFeedback().fit, (FB,), {"agent": "agent_id", "score": "csat"}),
]


@pytest.mark.parametrize("func, args, old", OLD, ids=["rank_agents", "case_mix", "AgentFeedback.fit"])
def test_old_argument_names_still_work(func, args, old):
    with pytest.warns(DeprecationWarning, match="_column"):
        got = func(*args, **old)
    new = {func.__deprecated_arguments__[k]: v for k, v in old.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = func(*args, **new)
    got = got.summary if isinstance(got, F.AgentFeedback) else got
    again = again.summary if isinstance(again, F.AgentFeedback) else again
    pd.testing.assert_frame_equal(got, again)


def test_old_names_of_the_scorecard_and_the_chart_plot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cxlib.teaching.plots import feedback as FP

    it = pd.DataFrame({"Agent": ["A", "A", "B"], "Team": "T", "fcr": [1, 0, 1], "wait": [1.0, 2, 3],
                       "handle": [5.0, 6, 7], "reply": ["Sorry", "ok", "Thank you"]})  # fmt: skip
    new = dict(agent_column="Agent", team_column="Team", fcr_column="fcr", wait_column="wait", handle_column="handle",
               reply_column="reply", min_contacts=1)  # fmt: skip
    old = dict(agent="Agent", team="Team", fcr="fcr", wait="wait", handle="handle", reply="reply", min_contacts=1)
    a = _warns_each([k for k in new if k.endswith("_column")], lambda: F.quality_scorecard(it, **old))
    pd.testing.assert_frame_equal(a, F.quality_scorecard(it, **new))
    chart = F.ewma_chart([5, 9, 20], [50] * 3, p0=0.1)
    with pytest.warns(DeprecationWarning, match="value_column"):
        ax = FP.control_chart(chart, value="p")
    assert ax.get_lines()[0].get_label() == "period rate"
    plt.close("all")

"""False alarms of the control charts and the monitor with an estimated baseline (issue 15, item 17).

The rates stated in :mod:`cxlib.analytics.feedback.charts`, in :class:`FeedbackMonitor`
and in lesson 04 are checked here by simulation, with tolerances from the number of
simulated chart-days.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import signal

from cxlib.analytics import feedback as F
from cxlib.errors import CxError


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


def _rate(n_per_day: float, baseline: int | None, widen: bool = True, runs: int = 20000, seed: int = 1) -> pd.DataFrame:
    return F.simulate_false_alarms(n_per_day, 0.28, baseline_periods=baseline, runs=runs, widen_for_baseline=widen,
                                   seed=seed)  # fmt: skip


def _se(rate: float, chart_days: int, cluster: float = 1.0) -> float:
    """Binomial standard error of a rate over chart-days; ``cluster`` inflates it for runs of alarming days."""
    return math.sqrt(cluster * rate * (1 - rate) / chart_days)


def test_known_centre_rates_are_what_the_docs_state():
    """charts.py and FeedbackMonitor: at 10-20 answers a day, p-chart about 0.25% (0.2-0.3%), EWMA about 0.22%."""
    for n in (10, 20):
        fa = _rate(n, None)
        m = 20000 * 30
        p, e = fa.loc["p", "alarm_rate"], fa.loc["ewma", "alarm_rate"]
        assert 0.0022 - 3 * _se(p, m) <= p <= 0.0030 + 3 * _se(p, m), (n, p)  # not the normal-theory 0.135%
        assert 0.0019 - 3 * _se(e, m, 5) <= e <= 0.0027 + 3 * _se(e, m, 5), (n, e)  # EWMA alarms come in runs
    big = _rate(1000, None, runs=4000)
    assert big.loc["p", "alarm_rate"] < 0.0021  # towards 0.135% as the daily counts grow


def test_widened_limits_undo_what_a_30_day_baseline_did():
    """Textbook limits on a 30-day baseline: the EWMA cries wolf more than twice as often; widened: within 25%."""
    known = _rate(16, None)
    textbook = _rate(16, 30, widen=False)
    widened = _rate(16, 30)
    for chart in ("p", "ewma"):
        assert widened.loc[chart, "alarm_rate"] <= 1.25 * known.loc[chart, "alarm_rate"], chart
    assert textbook.loc["ewma", "alarm_rate"] >= 2 * known.loc["ewma", "alarm_rate"]
    assert textbook.loc["p", "alarm_rate"] > widened.loc["p", "alarm_rate"]


def _upper_arl(n_mean: float, p: float, runs: int = 1000, horizon: int = 4500, seed: int = 3) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    n = np.maximum(rng.poisson(n_mean, (runs, horizon)), 1).astype(float)
    x = rng.binomial(n.astype(np.int64), p) / n
    z = signal.lfilter([F.EWMA_LAMBDA], [1, -(1 - F.EWMA_LAMBDA)], x - p, axis=1)
    v = signal.lfilter([F.EWMA_LAMBDA**2], [1, -((1 - F.EWMA_LAMBDA) ** 2)], p * (1 - p) / n, axis=1)
    hit = z > F.EWMA_L * np.sqrt(v)
    first = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, horizon)
    return float(first.mean()), float(first.std(ddof=1) / math.sqrt(runs))


def test_ewma_run_lengths_as_stated():
    """Two-sided ARL0 about 500 on normal data; upper side only, on daily counts: about 750 at 16 a day, 900 at 1,000."""
    assert 450 < F.simulate_arl("ewma", n_runs=3000, seed=2).arl < 540
    for n, low, high in ((16, 700, 820), (1000, 860, 1000)):
        arl, se = _upper_arl(n, 0.28)
        assert low - 3 * se < arl < high + 3 * se, (n, arl, se)


# ----------------------------------------------------------------------- the monitor
def _agents(p_satisfied: float = 0.72) -> pd.DataFrame:
    return pd.DataFrame({"agent_id": [f"A{i:02d}" for i in range(16)], "team": ["T1"] * 8 + ["T2"] * 8,
                         "true_csat": p_satisfied})  # fmt: skip


def test_monitor_limits_are_the_chart_formulas():
    agents = _agents()
    base = F.simulate_stream(agents, days=30, responses_per_agent_day=2, seed=5)
    month = F.simulate_stream(agents, days=20, responses_per_agent_day=2, start="2024-02-01", seed=6)
    mon = F.FeedbackMonitor(base)
    for _, batch in month.groupby("date"):
        mon.update(batch)
    for unit, rows in (("all", base), ("T2", base[base["team"] == "T2"])):
        h = mon.chart(unit)
        c, n0 = (rows["csat"] <= 3).mean(), len(rows)
        p = F.p_chart(h["defects"], h["n"], p0=c, centre_answers=n0)
        e = F.ewma_chart(h["defects"], h["n"], p0=c, centre_answers=n0)
        np.testing.assert_allclose(h["p_ucl"], p["ucl"], rtol=1e-12)
        np.testing.assert_allclose(h["ewma"], e["ewma"], rtol=1e-12)
        np.testing.assert_allclose(h["ewma_ucl"], e["ucl"], rtol=1e-12)
        textbook = F.ewma_chart(h["defects"], h["n"], p0=c)
        assert (e["ucl"] > textbook["ucl"]).all()  # wider than limits that take the centre as known


def test_monitor_false_alarm_rate_matches_the_simulation_of_its_limits():
    """The real monitor, a fresh 30-day baseline each month, two teams of 16 answers a day.

    Its rate per team chart-day must match :func:`simulate_false_alarms` (the rate the docs
    state), within 3 standard errors of each, the monitor's from the month-to-month spread.
    """
    agents = _agents()
    per_month = {"p": [], "ewma": []}
    extra = 0
    for run in range(40):
        base = F.simulate_stream(agents, days=30, responses_per_agent_day=2, seed=1000 + run)
        month = F.simulate_stream(agents, days=30, responses_per_agent_day=2, start="2024-02-01", seed=5000 + run)
        mons = [F.FeedbackMonitor(base, scopes=("team",), widen_for_baseline=w) for w in (True, False)]
        for _, batch in month.groupby("date"):
            for m in mons:
                m.update(batch)
        al = mons[0].alarms
        for chart in per_month:
            per_month[chart].append((al["chart"] == chart).sum() / (2 * 30))
        wide = set(map(tuple, al[["when", "chart", "unit"]].to_numpy()))
        narrow = set(map(tuple, mons[1].alarms[["when", "chart", "unit"]].to_numpy()))
        assert wide <= narrow  # wider limits: a subset of the alarms
        extra += len(narrow) - len(wide)
    sim = _rate(16, 30, runs=20000, seed=9)
    for chart, rates in per_month.items():
        got, se = np.mean(rates), np.std(rates, ddof=1) / math.sqrt(len(rates))
        want = sim.loc[chart, "alarm_rate"]
        assert abs(got - want) <= 3 * se + 3 * _se(want, 20000 * 30, 5), (chart, got, want, se)
    assert extra > 0  # the textbook limits raised more alarms on the same months


def test_new_monitor_names_and_old_ones_with_a_warning():
    base = F.simulate_stream(_agents(), days=5, seed=1)
    old = _warns_each(["agent_column", "score_column", "team_column", "date_column", "scopes"],
                      lambda: F.FeedbackMonitor(base, agent="agent_id", score="csat", team="team", time="date",
                                                levels=("team",)))  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        new = F.FeedbackMonitor(base, agent_column="agent_id", score_column="csat", team_column="team",
                                date_column="date", scopes=("team",))  # fmt: skip
    assert old.scopes == new.scopes == ("team",) and old.agent_column == "agent_id"
    for m in (old, new):
        m.update(base)
    with pytest.warns(DeprecationWarning, match="scope"):
        a = old.chart("T1", level="team")
    pd.testing.assert_frame_equal(a, new.chart("T1", scope="team"))
    with pytest.warns(DeprecationWarning, match="true_csat_column"):
        s = F.simulate_stream(_agents().rename(columns={"true_csat": "p"}), days=2, true_csat="p", seed=1)
    assert len(s) > 0
    fb = pd.DataFrame({"agent_id": ["A"] * 20, "csat": [5, 1] * 10, "when": pd.date_range("2023-01-01", periods=20,
                       freq="MS")})  # fmt: skip
    with pytest.warns(DeprecationWarning, match="date_column"):
        old_chart = F.agent_chart(fb, "A", baseline_until="2023-12-31", time="when")
    pd.testing.assert_frame_equal(old_chart, F.agent_chart(fb, "A", baseline_until="2023-12-31", date_column="when"))


def test_simulate_false_alarms_bad_input_and_both_sides():
    with pytest.raises(CxError, match="side"):
        F.simulate_false_alarms(10, 0.3, side="down")
    with pytest.raises(CxError, match="p0"):
        F.simulate_false_alarms(10, 1.2)
    both = F.simulate_false_alarms(50, 0.3, baseline_periods=None, runs=3000, side="both", seed=2)
    upper = F.simulate_false_alarms(50, 0.3, baseline_periods=None, runs=3000, seed=2)
    assert (both["alarm_rate"] >= upper["alarm_rate"]).all()


# ----------------------------------------------------------------------- replays at once
def _monitor_month(agents, i, *, seed, days, baseline_days, rate, **options):
    """Replay ``i`` the slow way: simulate_stream, then a FeedbackMonitor fed one day at a time."""
    harm = {k: options.pop(k) for k in ("harm_team", "harm_from_day", "effect") if k in options}
    base = F.simulate_stream(agents, days=baseline_days, responses_per_agent_day=rate, seed=seed + i + 1000)
    month = F.simulate_stream(agents, days=days, responses_per_agent_day=rate, start="2024-05-01", seed=seed + i,
                              **harm)  # fmt: skip
    mon = F.FeedbackMonitor(base, **options)
    for _, batch in month.groupby("date"):
        mon.update(batch)
    return mon


def _sparse_agents() -> pd.DataFrame:
    return pd.DataFrame({"agent_id": ["A1", "A2", "A3", "B1"], "team": ["T1", "T1", "T1", "T2"],
                         "true_csat": [0.5, 0.6, 0.7, 0.6]})  # fmt: skip


@pytest.mark.parametrize(
    ("agents", "settings"),
    [
        ("bundled", {"rate": 2, "days": 30, "baseline_days": 60}),
        ("small", {"rate": 2, "days": 20, "baseline_days": 10, "harm_team": "T2", "harm_from_day": 8, "effect": 0.2}),
        ("small", {"rate": 2, "days": 15, "baseline_days": 10, "side": "both", "widen_for_baseline": False}),
        ("sparse", {"rate": 0.25, "days": 20, "baseline_days": 6}),  # days and teams without answers
        (
            "small",
            {
                "rate": 2,
                "days": 15,
                "baseline_days": 10,
                "satisfied_min": 5,
                "harm_team": "T1",
                "harm_from_day": 5,
                "effect": 0.25,
            },
        ),  # the CSAT draws matter
    ],
    ids=["lesson", "harm", "both-sides-textbook", "sparse", "top-box"],
)
def test_replay_monitor_gives_the_monitor_s_alarms_exactly(agents, settings):
    if agents == "bundled":
        from cxlib.data import datasets

        table = datasets.load_truth().agents.merge(datasets.load_agents()[["agent_id", "team"]], on="agent_id")
    elif agents == "small":
        table = _agents(0.7)
    else:
        table = _sparse_agents()
    settings = dict(settings)
    rate, days, baseline_days = settings.pop("rate"), settings.pop("days"), settings.pop("baseline_days")
    replays = F.replay_monitor(table, replays=6, days=days, baseline_days=baseline_days,
                               responses_per_agent_day=rate, seed=0, **settings)  # fmt: skip
    assert replays["seed"].tolist() == list(range(6))
    if agents != "sparse":
        assert replays["alarms"].sum() > 0  # the comparison is not of zeros
    for i, row in replays.iterrows():
        mon = _monitor_month(table, i, seed=0, days=days, baseline_days=baseline_days, rate=rate, **settings)
        alarms = mon.alarms
        assert row["p_alarms"] == (alarms["chart"] == "p").sum(), i
        assert row["ewma_alarms"] == (alarms["chart"] == "ewma").sum(), i
        assert row["alarms"] == len(alarms)
        assert row["chart_days"] == 2 * len(mon.history)


def test_replay_monitor_sparse_case_really_has_empty_days_and_teams():
    """The 'sparse' case above covers days without answers and a team new since the baseline."""
    mons = [_monitor_month(_sparse_agents(), i, seed=0, days=20, baseline_days=6, rate=0.25) for i in range(6)]
    assert any(m.n_updates_ < 20 for m in mons)  # some days had no answer at all
    assert any(("team", "T2") not in m._centres for m in mons)  # T2 silent in a baseline: centred on the company


def test_replay_monitor_rate_is_the_lesson_s():
    """Lesson 04: 1,000 replayed normal months of the bundled company cry wolf at the simulated widened rate."""
    from cxlib.data import datasets

    truth = datasets.load_truth().agents.merge(datasets.load_agents()[["agent_id", "team"]], on="agent_id")
    r = F.replay_monitor(truth, replays=1000, days=30, baseline_days=60, responses_per_agent_day=2, seed=100)
    rate = r["alarms"] / r["chart_days"]
    se = rate.std(ddof=1) / math.sqrt(len(r))
    units = [truth] + [g for _, g in truth.groupby("team")]
    sim = np.mean([F.simulate_false_alarms(2 * len(g), 1 - g["true_csat"].mean(), baseline_periods=60, seed=3)
                   ["alarm_rate"].mean() for g in units])  # fmt: skip
    assert abs(rate.mean() - sim) < 3 * se, (rate.mean(), sim, se)
    assert 0.4 < (r["alarms"] > 0).mean() < 0.7  # about half of normal months raise some alarm


def test_replay_monitor_bad_input():
    with pytest.raises(CxError, match="side"):
        F.replay_monitor(_agents(), side="down")
    with pytest.raises(CxError, match="at least 1"):
        F.replay_monitor(_agents(), replays=0)
    with pytest.raises(CxError, match="harm_team"):
        F.replay_monitor(_agents(), harm_team="T9")
    with pytest.raises(CxError, match="probability"):
        F.replay_monitor(_agents(1.5))
    with pytest.raises(CxError, match="strictly between 0 and 1"):
        F.replay_monitor(_agents(1.0), replays=1)


def test_smoothing_is_the_first_order_filter():
    """The charts' recursion gives scipy.signal.lfilter's numbers (the simulation no longer imports scipy.signal)."""
    from cxlib.analytics.feedback.charts import _smooth

    x = np.random.default_rng(0).standard_normal((50, 40))
    lam = F.EWMA_LAMBDA
    for weight, decay in ((lam, 1 - lam), (lam**2, (1 - lam) ** 2)):
        np.testing.assert_array_equal(_smooth(x, weight, decay), signal.lfilter([weight], [1, -decay], x, axis=1))

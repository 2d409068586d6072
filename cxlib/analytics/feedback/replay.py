"""Replaying the real-time monitor on many simulated months at once: how often it cries wolf.

:func:`replay_monitor` draws, for each replay, a Phase I baseline and a month of daily
answers exactly as :func:`~cxlib.analytics.feedback.simulate_stream` would with the same
seeds, and charts the company and each team as a fresh
:class:`~cxlib.analytics.feedback.FeedbackMonitor` fed one day at a time would (the
same chart step, :func:`~cxlib.analytics.feedback.monitoring._chart_step`), but for
every replay at once, on arrays of counts instead of tables of answers. It gives the
monitor's alarm counts exactly (the tests compare the two), in a fraction of the time,
so a lesson can replay hundreds of months and state the Monte Carlo error that remains.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cxlib.analytics import _precomputed
from cxlib.analytics.feedback._frames import SATISFIED_MIN
from cxlib.analytics.feedback.charts import EWMA_L, EWMA_LAMBDA
from cxlib.analytics.feedback.monitoring import _agents_truth, _chart_step, _draw_answers
from cxlib.errors import CxError

__all__ = ["replay_monitor"]

#: The replay's Phase I is drawn with this much added to its month's seed.
BASELINE_SEED_OFFSET = 1000


def replay_monitor(
    agents_truth: pd.DataFrame,
    *,
    replays: int = 100,
    days: int = 30,
    baseline_days: int = 60,
    responses_per_agent_day: float = 3.0,
    harm_team: str | None = None,
    harm_from_day: int | None = None,
    effect: float = 0.15,
    seed: int = 0,
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
    p_sigma: float = 3.0,
    side: str = "upper",
    widen_for_baseline: bool = True,
    satisfied_min: int = SATISFIED_MIN,
    agent_column: str = "agent_id",
    team_column: str = "team",
    true_csat_column: str = "true_csat",
) -> pd.DataFrame:
    """Replay a fresh monitor (company and teams) on many simulated months; count its alarms.

    Replay ``i`` (0, 1, ...) draws a Phase I of ``baseline_days`` normal days with seed
    ``seed + i + 1000`` and a month of ``days`` days with seed ``seed + i`` (with the
    process change of ``harm_team``, if any), as :func:`simulate_stream` would; builds a
    :class:`FeedbackMonitor` on the Phase I with ``scopes=("overall", "team")``; and feeds
    it the month one day at a time. Every replay gets its own Phase I, because a
    baseline's luck is part of the risk of false alarms.

    Parameters
    ----------
    agents_truth : pandas.DataFrame
        One row per agent: the agent, team and true satisfied-probability columns
        (as for :func:`simulate_stream`).
    replays : int
        Number of simulated months.
    days, baseline_days : int
        Days charted in each month, and days of each Phase I.
    responses_per_agent_day : float
        Mean answers per agent per day.
    harm_team : str, optional
        A team whose chance of a satisfied answer falls by ``effect`` from day
        ``harm_from_day`` of each month (None: normal months, every alarm is false).
    harm_from_day : int, optional
        The first harmed day (1-based).
    effect : float
        The harm, in absolute terms (0.15 = 15 points).
    seed : int
        Seed of replay 0 (see above). Lesson 04's replays of the bundled company are
        computed once and stored (:mod:`cxlib.analytics._precomputed`); a test checks they
        are the ones computed here.
    lam, L, p_sigma, side, widen_for_baseline, satisfied_min
        The monitor's settings (see :class:`FeedbackMonitor`).
    agent_column, team_column, true_csat_column : str
        The columns of ``agents_truth``.

    Returns
    -------
    pandas.DataFrame
        One row per replay: ``seed`` (of its month), ``p_alarms`` and ``ewma_alarms``
        (alarms of every charted unit that month), ``alarms`` (their sum) and
        ``chart_days`` (charts x days with answers: the chances of an alarm).

    Examples
    --------
    >>> agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(20)],
    ...                        "team": ["T1"] * 10 + ["T2"] * 10, "true_csat": 0.8})
    >>> r = replay_monitor(agents, replays=200, responses_per_agent_day=2, seed=1)
    >>> int(r["chart_days"].iloc[0])  # (company + 2 teams) x 2 charts x 30 days
    180
    >>> bool(r["alarms"].sum() / r["chart_days"].sum() < 0.01)  # normal months: rare false alarms
    True
    """
    if side not in {"upper", "both"}:
        raise CxError(f"side must be 'upper' or 'both', not {side!r}.")
    if not 0 < lam <= 1:
        raise CxError(f"lam must be in (0, 1], got {lam}.")
    if replays < 1 or days < 1 or baseline_days < 1:
        raise CxError(f"replays, days and baseline_days must be at least 1; got {replays}, {days}, {baseline_days}.")
    _, p_true, teams = _agents_truth(agents_truth, agent_column, team_column, true_csat_column, harm_team)
    team_of = np.unique(teams, return_inverse=True)[1] + 1  # unit 0 is the company
    units = int(team_of.max()) + 1
    settings = {
        "replays": int(replays),
        "days": int(days),
        "baseline_days": int(baseline_days),
        "responses_per_agent_day": float(responses_per_agent_day),
        "harm_team": harm_team,
        "harm_from_day": None if harm_from_day is None else int(harm_from_day),
        "effect": float(effect),
        "seed": seed,
        "lam": float(lam),
        "L": float(L),
        "p_sigma": float(p_sigma),
        "side": side,
        "widen_for_baseline": bool(widen_for_baseline),
        "satisfied_min": int(satisfied_min),
    }
    key = _precomputed.seeded_key("feedback.replay_monitor", [p_true, teams], settings)
    stored = _precomputed.lookup(key)  # lesson 04's replays of the bundled company, computed once
    if stored is not None:
        per_replay = {name: np.array(values, dtype=int) for name, values in stored.items()}
    else:
        per_replay = _replay(p_true, teams, team_of, units, settings)
        _precomputed.record(key, "feedback.replay_monitor", {name: v.tolist() for name, v in per_replay.items()})
    return pd.DataFrame(
        {
            "seed": seed + np.arange(replays),
            "p_alarms": per_replay["p"],
            "ewma_alarms": per_replay["ewma"],
            "alarms": per_replay["p"] + per_replay["ewma"],
            "chart_days": 2 * per_replay["charted"],
        }
    )


def _replay(p_true: np.ndarray, teams: np.ndarray, team_of: np.ndarray, units: int, s: dict) -> dict[str, np.ndarray]:
    """:func:`replay_monitor`'s simulation: alarms of each chart (``"p"``, ``"ewma"``) and days charted, per replay."""
    replays, days, seed = s["replays"], s["days"], s["seed"]
    draw = dict(p=p_true, teams=teams, rate=s["responses_per_agent_day"], satisfied_min=s["satisfied_min"])
    state, n, d = [], [], []
    for i in range(replays):
        base = _dissatisfied(np.random.default_rng(seed + i + BASELINE_SEED_OFFSET), days=s["baseline_days"],
                             harm_team=None, harm_from_day=None, effect=0.0, **draw)  # fmt: skip
        month = _dissatisfied(np.random.default_rng(seed + i), days=days, harm_team=s["harm_team"],
                              harm_from_day=s["harm_from_day"], effect=s["effect"], **draw)  # fmt: skip
        state.append(_centres(base, team_of, units, s["widen_for_baseline"]))
        n_i, d_i = _daily_counts(month, team_of, units, days)
        n.append(n_i)
        d.append(d_i)
    shape = (days, replays * units)  # one column per unit of every replay, replay by replay
    counts = _replay_alarms(np.concatenate(state), np.stack(n, 1).reshape(shape), np.stack(d, 1).reshape(shape),
                            s["lam"], s["L"], s["p_sigma"], s["side"])  # fmt: skip
    return {key: value.reshape(replays, units).sum(axis=1) for key, value in counts.items()}


def _dissatisfied(
    rng: np.random.Generator,
    *,
    p: np.ndarray,
    teams: np.ndarray,
    days: int,
    rate: float,
    harm_team: str | None,
    harm_from_day: int | None,
    effect: float,
    satisfied_min: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day, agent position and dissatisfied flag (0/1) of each answer :func:`simulate_stream` would draw."""
    args = (rng, p, teams, days, rate, harm_team, harm_from_day, effect)
    if satisfied_min == SATISFIED_MIN:  # dissatisfied = not satisfied: the CSAT draws are not needed
        day, idx, _, satisfied = _draw_answers(*args, scores=False)
        return day, idx, (~satisfied).astype(float)
    day, idx, _, csat = _draw_answers(*args)
    return day, idx, (csat < satisfied_min).astype(float)


def _centres(answers: tuple[np.ndarray, ...], team_of: np.ndarray, units: int, widen: bool) -> np.ndarray:
    """Each unit's starting chart state (centre, answers behind it, z, v, w) from one Phase I."""
    _, idx, dis = answers
    unit = team_of[idx]
    n0 = np.bincount(unit, minlength=units).astype(float)
    n0[0] = len(dis)
    defects = np.bincount(unit, weights=dis, minlength=units)
    defects[0] = dis.sum()
    if not 0 < defects[0] < n0[0]:
        raise CxError(
            f"a Phase I has a dissatisfied rate of {defects[0] / max(n0[0], 1):.0%}: a control chart needs a "
            "centre strictly between 0 and 1; use a longer baseline."
        )
    seen = n0 > 0  # a team with no Phase I answer is centred on the company's rate, as in the monitor
    c = np.where(seen, defects / np.where(seen, n0, 1), defects[0] / n0[0])
    n0 = np.where(seen, n0, n0[0])
    c = np.clip(c, 1e-4, 1 - 1e-4)
    return np.column_stack([c, n0 if widen else np.full(units, math.inf), c, np.zeros(units), np.zeros(units)])


def _daily_counts(
    answers: tuple[np.ndarray, ...], team_of: np.ndarray, units: int, days: int
) -> tuple[np.ndarray, np.ndarray]:
    """Answers and dissatisfied answers per day and unit (days x units), the company in column 0."""
    day, idx, dis = answers
    cell = (day - 1) * units + team_of[idx]
    n = np.bincount(cell, minlength=days * units).reshape(days, units).astype(float)
    d = np.bincount(cell, weights=dis, minlength=days * units).reshape(days, units)
    n[:, 0], d[:, 0] = n[:, 1:].sum(axis=1), d[:, 1:].sum(axis=1)
    return n, d


def _replay_alarms(
    state: np.ndarray, n: np.ndarray, d: np.ndarray, lam: float, L: float, p_sigma: float, side: str
) -> dict[str, np.ndarray]:
    """Alarms of each chart and days charted, per unit of every replay (``n``, ``d``: days x units)."""
    alarms = {"p": np.zeros(len(state), int), "ewma": np.zeros(len(state), int), "charted": np.zeros(len(state), int)}
    for n_t, d_t in zip(n, d):
        on = n_t > 0  # a unit without answers that day is not charted (the monitor gets no row for it)
        c = state[on, 0]
        p, z, v, w, p_half, e_half = _chart_step(state[on], n_t[on], d_t[on], lam, L, p_sigma)
        state[on, 2:] = np.column_stack([z, v, w])
        for chart, value, half in (("p", p, p_half), ("ewma", z, e_half)):
            hit = value > np.minimum(c + half, 1)
            if side == "both":
                hit |= value < np.maximum(c - half, 0)
            alarms[chart][on] += hit
        alarms["charted"][on] += 1
    return alarms

"""Real-time monitoring of feedback: :class:`FeedbackMonitor`, simulated streams and per-agent charts.

:class:`FeedbackMonitor` takes new responses in batches (``update(batch)``), keeps
per-agent and overall estimates current and raises alarms from a p-chart with
varying n (Shewhart 1931; Montgomery) and an EWMA chart (Roberts 1959; Lucas &
Saccucci 1990), centred on a Phase I baseline. The limits count the noise of the
estimated centres (see :mod:`cxlib.analytics.feedback.charts`, where the charts
themselves live and are re-exported from here), so a short baseline no longer
inflates the false alarms. :func:`simulate_stream` makes a month of daily batches,
with or without a process change that harms one team; :func:`agent_chart` charts one
agent against their own baseline. :func:`chart_counts` makes the count table of a
chart (``defects`` and ``n`` per period). An alarm means *investigate the process*,
not *blame the agent*.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics.feedback._frames import SATISFIED_MIN, check_frame
from cxlib.analytics.feedback.agents import _PERIODS, AgentFeedback, agent_counts, agents_from_counts
from cxlib.analytics.feedback.charts import (
    EWMA_L,
    EWMA_LAMBDA,
    ARLResult,
    ewma_chart,
    ewma_chart_from_counts,
    p_chart,
    p_chart_from_counts,
    simulate_arl,
    simulate_false_alarms,
)
from cxlib.analytics.stats import wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError

__all__ = [
    "EWMA_LAMBDA",
    "EWMA_L",
    "p_chart",
    "ewma_chart",
    "p_chart_from_counts",
    "ewma_chart_from_counts",
    "ARLResult",
    "simulate_arl",
    "simulate_false_alarms",
    "FeedbackMonitor",
    "SCOPES",
    "simulate_stream",
    "chart_counts",
    "agent_chart",
    "agent_chart_from_counts",
]

#: The units a :class:`FeedbackMonitor` can chart.
SCOPES = ("overall", "team", "agent")

_ALARM_COLUMNS = ["when", "chart", "scope", "unit", "value", "centre", "limit", "n", "direction"]

_HIST_COLUMNS = ["when", "scope", "unit", "n", "defects", "p", "centre", "p_lcl", "p_ucl", "ewma", "ewma_lcl",
                 "ewma_ucl"]  # fmt: skip


def _centre_answers(summary: pd.DataFrame, z: float) -> pd.Series:
    """The answers an agent's shrunk rate is worth: rate(1 - rate) / its variance (from the interval)."""
    sd = (summary["high"] - summary["low"]) / (2 * z)
    rate = summary["shrunk_rate"]
    return (rate * (1 - rate) / sd.clip(lower=1e-9) ** 2).clip(lower=1.0)


class FeedbackMonitor:
    """Watch post-interaction feedback as it arrives and raise control-chart alarms.

    Each :meth:`update` takes a batch of new responses (one period, e.g. a day),
    updates cumulative per-agent estimates and, for every charted unit (the whole
    company, each team, optionally each agent), the share of *dissatisfied* answers
    (CSAT below ``satisfied_min``) on a p-chart with varying n and an EWMA chart.
    Centre lines come from a Phase I ``baseline`` of stable responses: each team's
    own baseline rate; each agent's empirical-Bayes shrunk baseline rate; a unit new
    since the baseline uses the overall baseline rate. The limits count each
    centre's own noise (``widen_for_baseline``): with centres treated as known, a
    30-day baseline made the EWMA cry wolf more than twice as often.

    What to expect on a normal day (simulations in ``tests/test_feedback_monitor.py``):
    at 10-20 answers a day, each p-chart raises a false alarm on about 0.25% of days
    (0.2-0.3%) and each upper-side EWMA chart on about 0.22%, so a monitor watching
    many charts every day still raises some false alarm in most normal months.

    Parameters
    ----------
    baseline : DataFrame
        Phase I responses (same columns as the batches), from a period believed stable.
    agent_column, score_column, team_column, date_column : str
        Column names. ``date_column`` labels a batch (its latest value is the alarm's
        ``when``); if the column is absent the batch number is used.
    scopes : tuple of {"overall", "team", "agent"}
        Which units get control charts. Agent-level charts on daily batches are
        noisy (few answers per agent per day): many false alarms.
    lam, L : float
        EWMA weight and limit width (0.2 and 2.962: two-sided ARL0 ≈ 500, upper side ≈ 750-900).
    p_sigma : float
        p-chart limit width (3).
    side : {"upper", "both"}
        Alarm only on more dissatisfaction (default), or on both directions.
    method : {"ml", "corrected", "mom"}
        The prior of the agents' estimates (see :class:`AgentFeedback`).
    satisfied_min : int
        Lowest CSAT that counts as satisfied.
    widen_for_baseline : bool
        Count the noise of the estimated centres in the limits (default True).

    Attributes
    ----------
    alarms : DataFrame
        when, chart ("p" or "ewma"), scope, unit, value, centre, limit, n, direction.
    history : DataFrame
        One row per update and charted unit: counts, p, EWMA and both charts' limits.
    estimates : DataFrame
        Current per-agent raw and shrunk satisfaction (an :class:`AgentFeedback` summary).
    overall : dict
        Cumulative n, satisfied rate and its Wilson interval.

    Examples
    --------
    >>> agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(20)],
    ...                        "team": ["T1"] * 10 + ["T2"] * 10, "true_csat": 0.85})
    >>> base = simulate_stream(agents, days=30, seed=1)
    >>> month = simulate_stream(agents, days=30, harm_team="T2", harm_from_day=10, effect=0.3, seed=3)
    >>> mon = FeedbackMonitor(base)
    >>> for _, batch in month.groupby("date"):
    ...     _ = mon.update(batch)
    >>> mon.alarms.groupby(["unit", "chart"])["when"].min().dt.strftime("%b %d")
    unit  chart
    T2    ewma     Jan 11
          p        Jan 10
    all   ewma     Jan 13
          p        Jan 10
    Name: when, dtype: object
    """

    def _init(
        self,
        baseline: pd.DataFrame,
        *,
        agent_column: str = "agent_id",
        score_column: str = "csat",
        team_column: str = "team",
        date_column: str = "date",
        scopes: Iterable[str] = ("overall", "team"),
        lam: float = EWMA_LAMBDA,
        L: float = EWMA_L,
        p_sigma: float = 3.0,
        side: str = "upper",
        method: str = "ml",
        satisfied_min: int = SATISFIED_MIN,
        widen_for_baseline: bool = True,
    ) -> None:
        self.agent_column, self.score_column = agent_column, score_column
        self.team_column, self.date_column = team_column, date_column
        self.scopes = tuple(scopes)
        bad = set(self.scopes) - set(SCOPES)
        if bad or not self.scopes:
            raise CxError(f"scopes must be chosen from 'overall', 'team', 'agent'; got {sorted(bad) or '()'}.")
        if side not in {"upper", "both"}:
            raise CxError(f"side must be 'upper' or 'both', not {side!r}.")
        if not 0 < lam <= 1:
            raise CxError(f"lam must be in (0, 1], got {lam}.")
        self.lam, self.L, self.p_sigma, self.side = lam, L, p_sigma, side
        self.method, self.satisfied_min, self.widen_for_baseline = method, satisfied_min, widen_for_baseline
        clean, missing = check_frame(baseline, self._roles(), source="baseline", score=score_column)
        if clean.empty:
            raise CxError("the baseline has no usable answers; a monitor needs a Phase I period.")
        dis = clean[score_column].to_numpy() < satisfied_min
        self.p0_ = float(dis.mean())
        if not 0 < self.p0_ < 1:
            raise CxError(
                f"the baseline dissatisfied rate is {self.p0_:.0%}: a control chart needs a "
                "centre strictly between 0 and 1; use a longer baseline."
            )
        self.n_baseline_, self.n_missing_ = len(clean), missing
        self._centres = self._baseline_centres(clean, dis)
        self._index: dict[tuple[str, str], int] = {}
        self._state = np.empty((0, 5))  # centre, answers behind it, z, v, w (weight of the data so far)
        self._cum: dict[str, np.ndarray] = {}
        self._alarms: list[pd.DataFrame] = []
        self._history: list[dict] = []
        self.n_updates_ = 0

    _init.__name__ = "FeedbackMonitor"  # so that a deprecated argument's warning names the class
    __init__ = renamed_arguments(
        agent="agent_column", score="score_column", team="team_column", time="date_column", levels="scopes"
    )(_init)

    def _roles(self) -> dict:
        cols = {"agent_column": self.agent_column, "score_column": self.score_column}
        if "team" in self.scopes:
            cols["team_column"] = self.team_column
        return cols

    def _baseline_centres(self, clean: pd.DataFrame, dis: np.ndarray) -> dict[tuple[str, str], tuple[float, float]]:
        """(scope, unit) -> (centre, answers behind it) from the Phase I answers."""
        centres = {("overall", "all"): (self.p0_, float(len(dis)))}
        if "team" in self.scopes:
            g = pd.Series(dis).groupby(clean[self.team_column].astype(str).to_numpy()).agg(["mean", "size"])
            centres.update({("team", t): (float(r["mean"]), float(r["size"])) for t, r in g.iterrows()})
        if "agent" in self.scopes:
            fb = AgentFeedback(method=self.method).fit_counts(
                *_agent_counts(clean[self.agent_column].astype(str).to_numpy(), ~dis)
            )
            s = fb.summary.set_index("agent")
            n0 = _centre_answers(s, 1.959963984540054)
            centres.update({("agent", a): (1 - float(s.loc[a, "shrunk_rate"]), float(n0[a])) for a in s.index})
        return centres

    def _rows_of(self, keys: list[tuple[str, str]]) -> np.ndarray:
        """State rows of the charted units, creating the units new since the baseline."""
        new = [k for k in keys if k not in self._index]
        if new:
            start = len(self._state)
            rows = []
            for i, key in enumerate(new):
                c, n0 = self._centres.get(key, (self.p0_, float(self.n_baseline_)))
                c = min(max(c, 1e-4), 1 - 1e-4)
                rows.append([c, n0 if self.widen_for_baseline else math.inf, c, 0.0, 0.0])
                self._index[key] = start + i
            self._state = np.vstack([self._state, np.array(rows)])
        return np.array([self._index[k] for k in keys], dtype=np.int64)

    def _batch_counts(self, clean: pd.DataFrame, dis: np.ndarray) -> tuple[list, np.ndarray, np.ndarray]:
        keys: list[tuple[str, str]] = []
        n_parts, d_parts = [], []
        if "overall" in self.scopes:
            keys.append(("overall", "all"))
            n_parts.append(np.array([len(dis)], float))
            d_parts.append(np.array([dis.sum()], float))
        for scope, col in (("team", self.team_column), ("agent", self.agent_column)):
            if scope in self.scopes:
                labels, inv = np.unique(clean[col].astype(str).to_numpy(), return_inverse=True)
                keys += [(scope, str(u)) for u in labels]
                n_parts.append(np.bincount(inv, minlength=len(labels)).astype(float))
                d_parts.append(np.bincount(inv, weights=dis.astype(float), minlength=len(labels)))
        return keys, np.concatenate(n_parts), np.concatenate(d_parts)

    def update(self, batch: pd.DataFrame, when: Any = None) -> pd.DataFrame:
        """Add one batch of new responses; return the alarms it raised (maybe none).

        Parameters
        ----------
        batch : pandas.DataFrame
            The new answers (one period), with the baseline's columns.
        when : optional
            The batch's label in the alarms and history (default: the latest date in
            the batch, else the batch number).

        Returns
        -------
        pandas.DataFrame
            The alarms of this batch (columns of :attr:`alarms`).
        """
        clean, missing = check_frame(batch, self._roles(), source="batch", score=self.score_column)
        self.n_missing_ += missing
        self.n_updates_ += 1
        if when is None:
            has_date = self.date_column in batch.columns and len(batch)
            when = batch[self.date_column].max() if has_date else self.n_updates_
        if clean.empty:
            return pd.DataFrame(columns=_ALARM_COLUMNS)
        dis = clean[self.score_column].to_numpy() < self.satisfied_min
        for a, n, k in zip(*_agent_counts(clean[self.agent_column].astype(str).to_numpy(), ~dis)[::-1]):
            self._cum[a] = self._cum.get(a, np.zeros(2)) + (n, k)
        keys, n, d = self._batch_counts(clean, dis)
        rows = self._rows_of(keys)
        c = self._state[rows, 0]
        p, z, v, w, p_half, e_half = _chart_step(self._state[rows], n, d, self.lam, self.L, self.p_sigma)
        self._state[rows, 2:] = np.column_stack([z, v, w])
        scope, unit = np.array([k[0] for k in keys]), np.array([k[1] for k in keys])
        h = {"when": when, "scope": scope, "unit": unit, "n": n.astype(int), "defects": d.astype(int), "p": p,
             "centre": c, "p_lcl": np.maximum(c - p_half, 0), "p_ucl": np.minimum(c + p_half, 1), "ewma": z,
             "ewma_lcl": np.maximum(c - e_half, 0), "ewma_ucl": np.minimum(c + e_half, 1)}  # fmt: skip
        self._history.append(h)
        return self._alarms_of(h)

    def _alarms_of(self, h: dict) -> pd.DataFrame:
        rows = []
        for chart, val, lo, hi in (
            ("p", h["p"], h["p_lcl"], h["p_ucl"]),
            ("ewma", h["ewma"], h["ewma_lcl"], h["ewma_ucl"]),
        ):
            up = val > hi
            down = (val < lo) if self.side == "both" else np.zeros(len(val), bool)
            for mask, lim, direction in ((up, hi, "up"), (down, lo, "down")):
                if mask.any():
                    rows.append(pd.DataFrame({"when": h["when"], "chart": chart, "scope": h["scope"][mask],
                                              "unit": h["unit"][mask], "value": val[mask], "centre": h["centre"][mask],
                                              "limit": lim[mask], "n": h["n"][mask], "direction": direction}))  # fmt: skip
        if not rows:
            return pd.DataFrame(columns=_ALARM_COLUMNS)
        out = pd.concat(rows, ignore_index=True)
        self._alarms.append(out)
        return out

    @property
    def alarms(self) -> pd.DataFrame:
        """Every alarm so far, oldest first."""
        if not self._alarms:
            return pd.DataFrame(columns=_ALARM_COLUMNS)
        return pd.concat(self._alarms, ignore_index=True)

    @property
    def history(self) -> pd.DataFrame:
        """Per update and charted unit: n, dissatisfied, p, EWMA and limits."""
        if not self._history:
            return pd.DataFrame(columns=_HIST_COLUMNS)
        return pd.concat([pd.DataFrame(h) for h in self._history], ignore_index=True)

    @property
    def estimates(self) -> pd.DataFrame:
        """Current per-agent satisfaction, raw and shrunk, from all batches so far."""
        if not self._cum:
            raise CxError("no batches yet: call update(batch) first.")
        agents = sorted(self._cum)
        n, k = np.array([self._cum[a] for a in agents]).T
        return AgentFeedback(method=self.method).fit_counts(k, n, np.array(agents)).summary

    @property
    def overall(self) -> dict:
        """Cumulative satisfied rate across all batches, with its Wilson interval."""
        n = float(sum(v[0] for v in self._cum.values()))
        k = float(sum(v[1] for v in self._cum.values()))
        lo, hi = wilson_interval([k], [n])
        return {"n": int(n), "satisfied_rate": k / n if n else math.nan, "low": float(lo[0]), "high": float(hi[0])}

    @renamed_arguments(level="scope")
    def chart(self, unit: str = "all", scope: str | None = None) -> pd.DataFrame:
        """History of one charted unit (e.g. ``"all"``, a team name or an agent id).

        Parameters
        ----------
        unit : str
            The unit.
        scope : {"overall", "team", "agent"}, optional
            Its scope, when a team and an agent share a name.

        Returns
        -------
        pandas.DataFrame
            The unit's rows of :attr:`history`, indexed by ``when``.
        """
        h = self.history
        h = h[h["unit"] == unit] if scope is None else h[(h["unit"] == unit) & (h["scope"] == scope)]
        if h.empty:
            raise CxError(f"no chart for unit {unit!r}; charted units: {sorted(self.history['unit'].unique())[:10]}.")
        return h.set_index("when")

    def __repr__(self) -> str:
        return (
            f"FeedbackMonitor({self.n_updates_} updates, baseline dissatisfied {self.p0_:.1%} from "
            f"{self.n_baseline_} answers, charts on {', '.join(self.scopes)}, {len(self.alarms)} alarms)"
        )


def _chart_step(
    state: np.ndarray, n: np.ndarray, d: np.ndarray, lam: float, L: float, p_sigma: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One period of both charts for many units: p, the new EWMA state (z, v, w) and the limits' half-widths.

    ``state`` has one row per unit: centre, answers behind the centre, z, v, w (the
    weight of the data so far); ``n`` and ``d`` are the period's answers (> 0) and
    defects. :class:`FeedbackMonitor` and :func:`cxlib.analytics.feedback.replay.replay_monitor`
    share this step, so a replay gives the monitor's alarms exactly.
    """
    c, n0, z, v, w = state.T
    p, var1, extra = d / n, c * (1 - c) / n, c * (1 - c) / n0
    z, v, w = lam * p + (1 - lam) * z, (1 - lam) ** 2 * v + lam**2 * var1, (1 - lam) * w + lam
    return p, z, v, w, p_sigma * np.sqrt(var1 + extra), L * np.sqrt(v + w * w * extra)


def _agent_counts(agents: np.ndarray, satisfied: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per agent (sorted): satisfied answers, answers, and the agents."""
    labels, inv = np.unique(agents, return_inverse=True)
    n = np.bincount(inv, minlength=len(labels)).astype(float)
    k = np.bincount(inv, weights=np.asarray(satisfied, float), minlength=len(labels))
    return k, n, labels


@renamed_arguments(agent="agent_column", team="team_column", true_csat="true_csat_column")
def simulate_stream(
    agents_truth: pd.DataFrame,
    days: int = 30,
    *,
    responses_per_agent_day: float = 3.0,
    harm_team: str | None = None,
    harm_from_day: int | None = None,
    effect: float = 0.15,
    start: str = "2024-01-01",
    seed: int = 0,
    agent_column: str = "agent_id",
    team_column: str = "team",
    true_csat_column: str = "true_csat",
) -> pd.DataFrame:
    """A month (or any number of days) of post-interaction answers, in daily batches.

    Each agent gets Poisson(``responses_per_agent_day``) answers a day; each is
    satisfied (CSAT 4-5) with the agent's true probability. From day
    ``harm_from_day`` (1-based) a process change lowers that probability by
    ``effect`` (absolute, e.g. 0.15 = 15 points) for every agent of ``harm_team``.

    Parameters
    ----------
    agents_truth : DataFrame
        One row per agent: the agent, team and true satisfied-probability columns,
        e.g. the simulator's ``truth.agents`` merged with the agents table.
    days, responses_per_agent_day : int, float
        Days simulated, and mean answers per agent per day.
    harm_team : str, optional
        The team a process change harms.
    harm_from_day : int, optional
        The first harmed day (1-based).
    effect : float
        The harm: how much lower the chance of a satisfied answer is (0-1).
    start : str
        Date of day 1.
    seed : int
        Seed of the simulation.
    agent_column, team_column, true_csat_column : str
        The columns of ``agents_truth``.

    Returns
    -------
    pandas.DataFrame
        response_id, agent_id, team, date, day, csat, p_true.

    Examples
    --------
    >>> agents = pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["T1", "T2"], "true_csat": [0.9, 0.5]})
    >>> s = simulate_stream(agents, days=3, seed=0)
    >>> list(s.columns)
    ['response_id', 'agent_id', 'team', 'date', 'day', 'csat', 'p_true']
    >>> bool(s["day"].between(1, 3).all())
    True
    """
    clean, p, teams = _agents_truth(agents_truth, agent_column, team_column, true_csat_column, harm_team)
    day, idx, pt, csat = _draw_answers(np.random.default_rng(seed), p, teams, days, responses_per_agent_day,
                                       harm_team, harm_from_day, effect)  # fmt: skip
    return pd.DataFrame(
        {
            "response_id": [f"S{i:07d}" for i in range(1, len(idx) + 1)],
            "agent_id": clean[agent_column].astype(str).to_numpy()[idx],
            "team": teams[idx],
            "date": pd.Timestamp(start) + pd.to_timedelta(day - 1, unit="D"),
            "day": day,
            "csat": csat,
            "p_true": pt,
        }
    )


def _draw_answers(
    rng: np.random.Generator,
    p: np.ndarray,
    teams: np.ndarray,
    days: int,
    rate: float,
    harm_team: str | None,
    harm_from_day: int | None,
    effect: float,
    *,
    scores: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Day, agent position, true probability and CSAT of every simulated answer.

    With ``scores=False`` the last item is whether each answer is satisfied (CSAT 4-5) and the
    CSAT draws are skipped: they are ``rng``'s last draws, so everything else is the same.
    """
    n_ag = len(p)
    counts = rng.poisson(rate, size=(days, n_ag))
    day = np.repeat(np.repeat(np.arange(1, days + 1), n_ag), counts.ravel())
    idx = np.repeat(np.tile(np.arange(n_ag), days), counts.ravel())
    pt = p[idx]
    if harm_team is not None:
        hit = (teams == harm_team)[idx] & (day >= (harm_from_day or 1))  # compare each team once, not each answer
        pt = np.where(hit, np.clip(pt - effect, 0.001, 1), pt)
    sat = rng.random(len(idx)) < pt
    if not scores:
        return day, idx, pt, sat
    hi = np.where(rng.random(len(idx)) < 0.6, 5, 4)
    lo = rng.choice([1, 2, 3], size=len(idx), p=[0.25, 0.25, 0.5])
    return day, idx, pt, np.where(sat, hi, lo)


def chart_counts(
    data: pd.DataFrame,
    score_column: str = "csat",
    date_column: str = "date",
    *,
    freq: str = "D",
    satisfied_min: int = SATISFIED_MIN,
) -> pd.DataFrame:
    """The count table of a control chart of dissatisfaction: ``period``, ``defects``, ``n``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer.
    score_column, date_column : str
        The CSAT and the date columns (rows with either empty are left out and counted).
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    satisfied_min : int
        Lowest CSAT that counts as satisfied; a defect is an answer below it.

    Returns
    -------
    pandas.DataFrame
        ``period`` (first day), ``defects`` (dissatisfied answers) and ``n`` (answers),
        for every period from the first to the last (empty ones with n = 0);
        ``attrs["n_missing"]``. Feed it to :func:`p_chart_from_counts` or
        :func:`ewma_chart_from_counts`.

    Examples
    --------
    >>> df = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-03"]),
    ...                    "csat": [5, 2, 1]})
    >>> chart_counts(df)
          period  defects  n
    0 2024-01-01        1  2
    1 2024-01-02        0  0
    2 2024-01-03        1  1
    """
    counts = agent_counts(
        data.assign(_all="all"), "_all", score_column, date_column=date_column, freq=freq, satisfied_min=satisfied_min
    )
    g = counts.set_index("period")
    full = pd.period_range(g.index.min(), g.index.max(), freq=_period_freq(freq)).start_time
    g = g.reindex(full, fill_value=0)
    out = pd.DataFrame({"period": g.index, "defects": g["answered"] - g["satisfied"], "n": g["answered"]})
    out = out.reset_index(drop=True)
    out.attrs["n_missing"] = counts.attrs["n_missing"]
    return out


def _period_freq(freq: str) -> str:
    f = _PERIODS.get(str(freq).upper())
    if f is None:
        raise CxError(f"unknown freq {freq!r}; use 'D', 'W', 'M', 'Q' or 'Y'.")
    return f


@renamed_arguments(agent="agent_column", score="score_column", time="date_column")
def agent_chart(
    data: pd.DataFrame,
    agent_id: str,
    *,
    baseline_until: Any,
    agent_column: str = "agent_id",
    score_column: str = "csat",
    date_column: str = "date",
    freq: str = "M",
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
) -> pd.DataFrame:
    """One agent's dissatisfaction by period on an EWMA chart, centred on their own Phase I.

    Counts the answers per agent and period (:func:`agent_counts`), then calls
    :func:`agent_chart_from_counts`.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per answer, of every agent (the others shape the agent's shrunk centre).
    agent_id : str
        The agent to chart.
    baseline_until : date
        Periods starting on or before this date are Phase I.
    agent_column, score_column, date_column : str
        The columns.
    freq : {"D", "W", "M", "Q", "Y"}
        Period length.
    lam, L : float
        EWMA weight and limit width.

    Returns
    -------
    pandas.DataFrame
        Indexed by period: n, defects, p, ewma, centre, lcl, ucl, signal.

    Examples
    --------
    >>> df = pd.DataFrame({"agent_id": ["A", "B"] * 60, "csat": [5, 4, 2, 5] * 30,
    ...                    "date": pd.date_range("2023-01-01", periods=120, freq="7D")})
    >>> ch = agent_chart(df, "A", baseline_until="2023-12-31")
    >>> list(ch.columns)
    ['n', 'defects', 'p', 'ewma', 'centre', 'lcl', 'ucl', 'signal']
    """
    counts = agent_counts(data, agent_column, score_column, date_column=date_column, freq=freq)
    return agent_chart_from_counts(counts, agent_id, baseline_until=baseline_until, freq=freq, lam=lam, L=L)


def agent_chart_from_counts(
    counts: pd.DataFrame,
    agent_id: str,
    *,
    baseline_until: Any,
    freq: str = "M",
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
) -> pd.DataFrame:
    """One agent's EWMA chart of dissatisfaction from counts per agent and period.

    The centre is the agent's shrunk dissatisfied rate over the Phase I periods (for
    an agent hired later, the company's Phase I rate), and the limits count the
    centre's own noise, so the chart asks "has this agent's experience *changed*?",
    not "is this agent worse than others?" (the funnel plot's question).

    The count table
        ``agent``, ``period`` (a date: the period's first day), ``satisfied`` and
        ``answered``, for every agent (the others shape the shrunk centre).

    Parameters
    ----------
    counts : pandas.DataFrame
        The count table.
    agent_id : str
        The agent to chart.
    baseline_until : date
        Periods starting on or before this date are Phase I.
    freq : {"D", "W", "M", "Q", "Y"}
        Period length (empty periods between the agent's first and last are charted with n = 0).
    lam, L : float
        EWMA weight and limit width.

    Returns
    -------
    pandas.DataFrame
        Indexed by period: n, defects, p, ewma, centre, lcl, ucl, signal.

    Examples
    --------
    >>> t = pd.DataFrame({"agent": ["A"] * 4 + ["B"] * 4,
    ...                   "period": list(pd.date_range("2023-01-01", periods=4, freq="MS")) * 2,
    ...                   "satisfied": [40, 45, 42, 10, 35, 40, 45, 40], "answered": [50] * 8})
    >>> agent_chart_from_counts(t, "A", baseline_until="2023-03-01")["signal"].tolist()
    ['', '', '', 'above']
    """
    require_columns(counts, ["agent", "period", "satisfied", "answered"], "agent_chart_from_counts()")
    t = counts.assign(agent=counts["agent"].astype(str), period=pd.to_datetime(counts["period"]))
    mine = t[t["agent"] == str(agent_id)]
    if mine.empty:
        raise CxError(f"agent {agent_id!r} has no answered surveys in the data.")
    base = t[t["period"] <= pd.Timestamp(baseline_until)]
    if base.empty:
        raise CxError(f"no answers up to {baseline_until}: choose a later baseline_until.")
    s = agents_from_counts(base).summary.set_index("agent")
    if str(agent_id) in s.index:
        p0 = float(1 - s.loc[str(agent_id), "shrunk_rate"])
        n0 = float(_centre_answers(s, 1.959963984540054)[str(agent_id)])
    else:  # an agent hired after the baseline: the company's baseline rate
        p0 = float(1 - base["satisfied"].sum() / base["answered"].sum())
        n0 = float(base["answered"].sum())
    g = mine.groupby("period")[["satisfied", "answered"]].sum()
    full = pd.period_range(g.index.min(), g.index.max(), freq=_period_freq(freq)).start_time
    g = g.reindex(full, fill_value=0)
    return ewma_chart(g["answered"] - g["satisfied"], g["answered"], p0=p0, lam=lam, L=L, centre_answers=n0)


def _agents_truth(agents_truth, agent_column, team_column, true_csat_column, harm_team):
    """The checked agents table of a simulation: (rows kept, true CSAT as floats, team names)."""
    cols = {"agent_column": agent_column, "team_column": team_column, "true_csat_column": true_csat_column}
    clean, missing = check_frame(agents_truth, cols, source="agents_truth")
    if missing:
        raise CxError(f"{missing} agents have an empty {', '.join(cols.values())}; fill or drop them.")
    p = clean[true_csat_column].to_numpy(dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise CxError(f"'{true_csat_column}' must be a probability between 0 and 1.")
    teams = clean[team_column].astype(str).to_numpy()
    if harm_team is not None and harm_team not in set(teams):
        raise CxError(f"harm_team {harm_team!r} is not a team in the data: {sorted(set(teams))}.")
    return clean, p, teams

"""Real-time monitoring of feedback: p-chart, EWMA chart, run lengths and :class:`FeedbackMonitor`.

:class:`FeedbackMonitor` takes new responses in batches (``update(batch)``), keeps
per-agent and overall estimates current and raises alarms from a p-chart with
varying n (Shewhart 1931; Montgomery) and an EWMA chart (Roberts 1959; Lucas &
Saccucci 1990). :func:`p_chart`, :func:`ewma_chart` and :func:`simulate_arl` are the
building blocks; :func:`simulate_stream` makes a month of daily batches, with or
without a process change that harms one team. An alarm means *investigate the
process*, not *blame the agent*.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import signal

from cxlib.analytics.feedback.agents import SATISFIED_MIN, AgentFeedback, _check_frame
from cxlib.analytics.stats import wilson_interval
from cxlib.errors import CxError

__all__ = [
    "EWMA_LAMBDA",
    "p_chart",
    "ewma_chart",
    "ARLResult",
    "simulate_arl",
    "FeedbackMonitor",
    "simulate_stream",
    "agent_chart",
]


#: Default EWMA smoothing and limit width (ARL0 about 500; Lucas & Saccucci 1990).
EWMA_LAMBDA, EWMA_L = 0.2, 2.962


# --------------------------------------------------------------------------------------
# control charts
# --------------------------------------------------------------------------------------
def _baseline_p(defects: np.ndarray, n: np.ndarray, p0, baseline) -> float:
    if p0 is not None:
        if not 0 < p0 < 1:
            raise CxError(f"the centre line p0 must be strictly between 0 and 1, got {p0}.")
        return float(p0)
    if baseline is None:
        mask = np.ones(len(n), bool)
    elif isinstance(baseline, (int, np.integer)):
        mask = np.arange(len(n)) < int(baseline)
    else:
        mask = np.asarray(baseline, bool)
    tot = n[mask].sum()
    if tot <= 0:
        raise CxError("the Phase I baseline has no answers: give more baseline periods or p0.")
    p = float(defects[mask].sum() / tot)
    if p <= 0 or p >= 1:
        raise CxError(
            f"the baseline rate is {p:.0%}: a control chart needs a centre strictly between "
            "0 and 1. Use a longer baseline or give p0."
        )
    return p


def _as_arrays(defects, n) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    index = defects.index if isinstance(defects, pd.Series) else pd.RangeIndex(len(np.atleast_1d(defects)))
    d = np.asarray(defects, dtype=float)
    m = np.asarray(n, dtype=float)
    if d.shape != m.shape or d.ndim != 1:
        raise CxError("defects and n must be one-dimensional and the same length (one entry per period).")
    if np.any(m < 0) or np.any(d < 0) or np.any(d > m) or np.isnan(d).any() or np.isnan(m).any():
        raise CxError("each period needs n >= 0 answers and 0 <= defects <= n.")
    return d, m, index


def p_chart(defects, n, *, p0: float | None = None, baseline=None, sigma: float = 3.0) -> pd.DataFrame:
    """Shewhart p-chart with a varying sample size (Montgomery, ch. 7).

    Centre p̄ = Σk/Σn over the Phase I ``baseline`` (all periods if None, the first
    ``baseline`` periods if an int, or a boolean mask), or ``p0`` if given. Limits
    are p̄ ± sigma·sqrt(p̄(1-p̄)/n_i), floored at 0 and capped at 1.

    Returns
    -------
    DataFrame (one row per period): n, defects, p, centre, lcl, ucl, signal
    ("above", "below" or ""). Periods with n = 0 have NaN p and no signal.

    Examples
    --------
    The worked example of cx_science §3:

    >>> p_chart([6, 48], [50, 400], p0=0.12)[["n", "lcl", "ucl"]].round(3)
         n    lcl    ucl
    0   50  0.000  0.258
    1  400  0.071  0.169
    """
    d, m, index = _as_arrays(defects, n)
    c = _baseline_p(d, m, p0, baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, d / m, np.nan)
        sd = np.sqrt(c * (1 - c) / m)
    lcl, ucl = np.clip(c - sigma * sd, 0, 1), np.clip(c + sigma * sd, 0, 1)
    sig = np.where(p > ucl, "above", np.where(p < lcl, "below", ""))
    return pd.DataFrame(
        {"n": m.astype(int), "defects": d.astype(int), "p": p, "centre": c, "lcl": lcl, "ucl": ucl, "signal": sig},
        index=index,
    )


def ewma_chart(
    defects, n, *, p0: float | None = None, baseline=None, lam: float = EWMA_LAMBDA, L: float = EWMA_L
) -> pd.DataFrame:
    """EWMA chart of a proportion with varying n (Roberts 1959; Lucas & Saccucci 1990).

    z_t = λ·p_t + (1-λ)·z_{t-1}, z_0 = p0. Its variance follows
    V_t = (1-λ)²·V_{t-1} + λ²·p0(1-p0)/n_t, which for a constant n is the textbook
    σ²·λ/(2-λ)·[1-(1-λ)^{2t}]. Limits p0 ± L·sqrt(V_t). Periods with no answers leave
    z and V unchanged. λ = 0.2, L = 2.962 gives an in-control ARL of about 500.

    Returns
    -------
    DataFrame: n, defects, p, ewma, centre, lcl, ucl, signal.

    Examples
    --------
    >>> ch = ewma_chart([10, 10, 20, 22], [100] * 4, p0=0.1)
    >>> ch[["ewma", "ucl", "signal"]].round(4)
       ewma     ucl signal
    0  0.10  0.1178
    1  0.10  0.1228
    2  0.12  0.1254
    3  0.14  0.1270  above
    """
    d, m, index = _as_arrays(defects, n)
    c = _baseline_p(d, m, p0, baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, d / m, np.nan)
    T = len(m)
    zs, vs = np.empty(T), np.empty(T)
    z, v = c, 0.0
    for t in range(T):
        if m[t] > 0:
            z = lam * p[t] + (1 - lam) * z
            v = (1 - lam) ** 2 * v + lam**2 * c * (1 - c) / m[t]
        zs[t], vs[t] = z, v
    half = L * np.sqrt(vs)
    lcl, ucl = np.clip(c - half, 0, 1), np.clip(c + half, 0, 1)
    sig = np.where(vs > 0, np.where(zs > ucl, "above", np.where(zs < lcl, "below", "")), "")
    return pd.DataFrame(
        {
            "n": m.astype(int),
            "defects": d.astype(int),
            "p": p,
            "ewma": zs,
            "centre": c,
            "lcl": lcl,
            "ucl": ucl,
            "signal": sig,
        },
        index=index,
    )


@dataclass(frozen=True)
class ARLResult:
    """Average run length from :func:`simulate_arl`."""

    arl: float
    se: float
    run_lengths: np.ndarray
    censored: int
    chart: str
    shift: float

    def __repr__(self) -> str:
        return (
            f"ARLResult({self.chart}, shift {self.shift:g}σ: ARL {self.arl:.1f} ± {self.se:.1f} "
            f"from {len(self.run_lengths)} runs, {self.censored} censored)"
        )


def simulate_arl(
    chart: str = "ewma",
    *,
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
    shift: float = 0.0,
    n_runs: int = 2000,
    max_len: int = 6000,
    seed: int = 0,
    two_sided: bool = True,
) -> ARLResult:
    """Average run length of a chart on standardised normal data, by simulation.

    ``chart="ewma"`` uses exact time-varying limits ±L·sqrt(λ/(2-λ)[1-(1-λ)^{2t}]);
    ``chart="shewhart"`` signals when |x_t| > L (use L=3 for the 3σ chart, ARL0 ≈ 370).
    ``shift`` is the mean shift in σ units from the first observation. Runs that do
    not signal within ``max_len`` are counted in ``censored`` and scored as max_len.

    Examples
    --------
    >>> r = simulate_arl("shewhart", L=3.0, n_runs=4000, seed=1)
    >>> 330 < r.arl < 410
    True
    """
    if chart not in {"ewma", "shewhart"}:
        raise CxError(f"chart must be 'ewma' or 'shewhart', not {chart!r}.")
    rng = np.random.default_rng(seed)
    t = np.arange(1, max_len + 1)
    if chart == "ewma":
        limit = L * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    else:
        limit = np.full(max_len, L)
    out = np.empty(n_runs)
    chunk = max(1, min(n_runs, 2_000_000 // max_len))
    for start in range(0, n_runs, chunk):
        size = min(chunk, n_runs - start)
        x = rng.standard_normal((size, max_len)) + shift
        stat = signal.lfilter([lam], [1, -(1 - lam)], x, axis=1) if chart == "ewma" else x
        hit = (stat > limit) | (two_sided & (stat < -limit))
        first = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, max_len)
        out[start : start + size] = first
    censored = int(np.sum(out >= max_len))
    return ARLResult(float(out.mean()), float(out.std(ddof=1) / math.sqrt(n_runs)), out, censored, chart, shift)


# --------------------------------------------------------------------------------------
# the streaming monitor
# --------------------------------------------------------------------------------------
_ALARM_COLUMNS = ["when", "chart", "level", "unit", "value", "centre", "limit", "n", "direction"]


_HIST_COLUMNS = [
    "when",
    "level",
    "unit",
    "n",
    "defects",
    "p",
    "centre",
    "p_lcl",
    "p_ucl",
    "ewma",
    "ewma_lcl",
    "ewma_ucl",
]


class FeedbackMonitor:
    """Watch post-interaction feedback as it arrives and raise control-chart alarms.

    Each :meth:`update` takes a batch of new responses (one period, e.g. a day),
    updates cumulative per-agent estimates and, for every charted unit (the whole
    company, each team, optionally each agent), the share of *dissatisfied* answers
    (CSAT below ``satisfied_min``) on a p-chart with varying n and an EWMA chart.
    Centre lines come from a Phase I ``baseline`` of stable responses: each team's
    own baseline rate; each agent's empirical-Bayes shrunk baseline rate; a unit new
    since the baseline uses the overall baseline rate.

    Parameters
    ----------
    baseline : DataFrame
        Phase I responses (same columns as the batches), from a period believed stable.
    agent, score, team, time : str
        Column names. ``time`` labels a batch (its latest value is the alarm's
        ``when``); if the column is absent the batch number is used.
    levels : tuple of {"overall", "team", "agent"}
        Which units get control charts. Agent-level charts on daily batches are
        noisy (few answers per agent per day): many false alarms.
    lam, L : float
        EWMA weight and limit width (0.2 and 2.962: ARL0 ≈ 500).
    p_sigma : float
        p-chart limit width (3).
    side : {"upper", "both"}
        Alarm only on more dissatisfaction (default), or on both directions.

    Attributes
    ----------
    alarms : DataFrame
        when, chart ("p" or "ewma"), level, unit, value, centre, limit, n, direction.
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

    def __init__(
        self,
        baseline: pd.DataFrame,
        *,
        agent: str = "agent_id",
        score: str = "csat",
        team: str = "team",
        time: str = "date",
        levels: Iterable[str] = ("overall", "team"),
        lam: float = EWMA_LAMBDA,
        L: float = EWMA_L,
        p_sigma: float = 3.0,
        side: str = "upper",
        method: str = "ml",
        satisfied_min: int = SATISFIED_MIN,
    ):
        self.agent, self.score, self.team, self.time = agent, score, team, time
        self.levels = tuple(levels)
        bad = set(self.levels) - {"overall", "team", "agent"}
        if bad or not self.levels:
            raise CxError(f"levels must be chosen from 'overall', 'team', 'agent'; got {sorted(bad) or '()'}.")
        if side not in {"upper", "both"}:
            raise CxError(f"side must be 'upper' or 'both', not {side!r}.")
        if not 0 < lam <= 1:
            raise CxError(f"lam must be in (0, 1], got {lam}.")
        self.lam, self.L, self.p_sigma, self.side = lam, L, p_sigma, side
        self.method, self.satisfied_min = method, satisfied_min
        cols = self._roles()
        clean, missing = _check_frame(baseline, cols, source="baseline", score=score)
        if clean.empty:
            raise CxError("the baseline has no usable answers; a monitor needs a Phase I period.")
        dis = clean[score].to_numpy() < satisfied_min
        self.p0_ = float(dis.mean())
        if not 0 < self.p0_ < 1:
            raise CxError(
                f"the baseline dissatisfied rate is {self.p0_:.0%}: a control chart needs a "
                "centre strictly between 0 and 1; use a longer baseline."
            )
        self.n_baseline_, self.n_missing_ = len(clean), missing
        self._centres: dict[str, pd.Series] = {"overall": pd.Series({"all": self.p0_})}
        if "team" in self.levels:
            self._centres["team"] = pd.Series(dis).groupby(clean[team].astype(str).to_numpy()).mean()
        if "agent" in self.levels:
            fb = AgentFeedback(method=method).fit(
                clean.assign(**{score: np.where(dis, 1, 5)}), agent=agent, score=score
            )
            s = fb.summary
            self._centres["agent"] = pd.Series(1 - s["shrunk_rate"].to_numpy(), index=s["agent"].to_numpy())
        self._state = pd.DataFrame(columns=["centre", "z", "v"], dtype=float)
        self._cum = pd.DataFrame(columns=["n", "k"], dtype=float)
        self._alarms: list[pd.DataFrame] = []
        self._history: list[pd.DataFrame] = []
        self.n_updates_ = 0

    def _roles(self) -> dict:
        cols = {"agent": self.agent, "score": self.score}
        if "team" in self.levels:
            cols["team"] = self.team
        return cols

    def update(self, batch: pd.DataFrame, when=None) -> pd.DataFrame:
        """Add one batch of new responses; return the alarms it raised (maybe none)."""
        clean, missing = _check_frame(batch, self._roles(), source="batch", score=self.score)
        self.n_missing_ += missing
        self.n_updates_ += 1
        if when is None:
            when = batch[self.time].max() if self.time in batch.columns and len(batch) else self.n_updates_
        if clean.empty:
            return pd.DataFrame(columns=_ALARM_COLUMNS)
        dis = clean[self.score].to_numpy() < self.satisfied_min
        agents = clean[self.agent].astype(str).to_numpy()
        # cumulative per-agent counts (for estimates), always kept
        a = pd.DataFrame({"n": 1.0, "k": (~dis).astype(float)}).groupby(agents).sum()
        self._cum = a if self._cum.empty else self._cum.add(a, fill_value=0)
        # counts per charted unit
        parts = []
        if "overall" in self.levels:
            parts.append(
                pd.DataFrame(
                    {"n": [float(len(dis))], "d": [float(dis.sum())]},
                    index=pd.MultiIndex.from_tuples([("overall", "all")]),
                )
            )
        for level in ("team", "agent"):
            if level in self.levels:
                lab = agents if level == "agent" else clean[self.team].astype(str).to_numpy()
                g = pd.DataFrame({"n": 1.0, "d": dis.astype(float)}).groupby(lab).sum()
                g.index = pd.MultiIndex.from_arrays([[level] * len(g), g.index])
                parts.append(g)
        cnt = pd.concat(parts)
        new = cnt.index.difference(self._state.index)
        if len(new):
            cen = [self._centres.get(lv, pd.Series(dtype=float)).get(u, self.p0_) for lv, u in new]
            cen = np.clip(np.asarray(cen, float), 1e-4, 1 - 1e-4)
            add = pd.DataFrame({"centre": cen, "z": cen, "v": 0.0}, index=new)
            self._state = add if self._state.empty else pd.concat([self._state, add])
        st = self._state.loc[cnt.index]
        c, n, d = st["centre"].to_numpy(), cnt["n"].to_numpy(), cnt["d"].to_numpy()
        p = d / n
        var1 = c * (1 - c) / n
        sd = np.sqrt(var1)
        p_ucl, p_lcl = np.minimum(c + self.p_sigma * sd, 1), np.maximum(c - self.p_sigma * sd, 0)
        z = self.lam * p + (1 - self.lam) * st["z"].to_numpy()
        v = (1 - self.lam) ** 2 * st["v"].to_numpy() + self.lam**2 * var1
        half = self.L * np.sqrt(v)
        e_ucl, e_lcl = np.minimum(c + half, 1), np.maximum(c - half, 0)
        self._state.loc[cnt.index, "z"] = z
        self._state.loc[cnt.index, "v"] = v
        lv = cnt.index.get_level_values(0).to_numpy()
        un = cnt.index.get_level_values(1).to_numpy()
        self._history.append(
            pd.DataFrame(
                {
                    "when": when,
                    "level": lv,
                    "unit": un,
                    "n": n.astype(int),
                    "defects": d.astype(int),
                    "p": p,
                    "centre": c,
                    "p_lcl": p_lcl,
                    "p_ucl": p_ucl,
                    "ewma": z,
                    "ewma_lcl": e_lcl,
                    "ewma_ucl": e_ucl,
                }
            )
        )
        rows = []
        for chart, val, lo, hi in (("p", p, p_lcl, p_ucl), ("ewma", z, e_lcl, e_ucl)):
            up = val > hi
            down = (val < lo) if self.side == "both" else np.zeros(len(val), bool)
            for mask, lim, direction in ((up, hi, "up"), (down, lo, "down")):
                if mask.any():
                    rows.append(
                        pd.DataFrame(
                            {
                                "when": when,
                                "chart": chart,
                                "level": lv[mask],
                                "unit": un[mask],
                                "value": val[mask],
                                "centre": c[mask],
                                "limit": lim[mask],
                                "n": n[mask].astype(int),
                                "direction": direction,
                            }
                        )
                    )
        out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=_ALARM_COLUMNS)
        if rows:
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
        return pd.concat(self._history, ignore_index=True)

    @property
    def estimates(self) -> pd.DataFrame:
        """Current per-agent satisfaction, raw and shrunk, from all batches so far."""
        if self._cum.empty:
            raise CxError("no batches yet: call update(batch) first.")
        cum = self._cum.sort_index()
        return AgentFeedback(method=self.method).fit_counts(cum["k"], cum["n"], cum.index.to_numpy()).summary

    @property
    def overall(self) -> dict:
        """Cumulative satisfied rate across all batches, with its Wilson interval."""
        n, k = float(self._cum["n"].sum()), float(self._cum["k"].sum())
        lo, hi = wilson_interval([k], [n])
        return {"n": int(n), "satisfied_rate": k / n if n else math.nan, "low": float(lo[0]), "high": float(hi[0])}

    def chart(self, unit: str = "all", level: str | None = None) -> pd.DataFrame:
        """History of one charted unit (e.g. ``"all"``, a team name or an agent id)."""
        h = self.history
        h = h[h["unit"] == unit] if level is None else h[(h["unit"] == unit) & (h["level"] == level)]
        if h.empty:
            raise CxError(f"no chart for unit {unit!r}; charted units: {sorted(self.history['unit'].unique())[:10]}.")
        return h.set_index("when")

    def __repr__(self) -> str:
        return (
            f"FeedbackMonitor({self.n_updates_} updates, baseline dissatisfied {self.p0_:.1%} from "
            f"{self.n_baseline_} answers, charts on {', '.join(self.levels)}, {len(self.alarms)} alarms)"
        )


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
    agent: str = "agent_id",
    team: str = "team",
    true_csat: str = "true_csat",
) -> pd.DataFrame:
    """A month (or any number of days) of post-interaction answers, in daily batches.

    Each agent gets Poisson(``responses_per_agent_day``) answers a day; each is
    satisfied (CSAT 4-5) with the agent's true probability ``true_csat``. From day
    ``harm_from_day`` (1-based) a process change lowers that probability by
    ``effect`` (absolute, e.g. 0.15 = 15 points) for every agent of ``harm_team``.

    Parameters
    ----------
    agents_truth : DataFrame
        ``agent``, ``team`` and ``true_csat`` columns, e.g. the simulator's
        ``truth.agents`` merged with the agents table.

    Returns
    -------
    DataFrame: response_id, agent_id, team, date, day, csat, p_true.

    Examples
    --------
    >>> agents = pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["T1", "T2"], "true_csat": [0.9, 0.5]})
    >>> s = simulate_stream(agents, days=3, seed=0)
    >>> list(s.columns)
    ['response_id', 'agent_id', 'team', 'date', 'day', 'csat', 'p_true']
    >>> bool(s["day"].between(1, 3).all())
    True
    """
    cols = {"agent": agent, "team": team, "true csat": true_csat}
    clean, missing = _check_frame(agents_truth, cols, source="agents_truth")
    if missing:
        raise CxError(f"{missing} agents have an empty {agent}, {team} or {true_csat}; fill or drop them first.")
    p = clean[true_csat].to_numpy(dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise CxError(f"'{true_csat}' must be a probability between 0 and 1.")
    if harm_team is not None and harm_team not in set(clean[team].astype(str)):
        raise CxError(f"harm_team {harm_team!r} is not a team in the data: {sorted(set(clean[team].astype(str)))}.")
    rng = np.random.default_rng(seed)
    n_ag = len(clean)
    counts = rng.poisson(responses_per_agent_day, size=(days, n_ag))
    day = np.repeat(np.repeat(np.arange(1, days + 1), n_ag), counts.ravel())
    idx = np.repeat(np.tile(np.arange(n_ag), days), counts.ravel())
    pt = p[idx]
    if harm_team is not None:
        hit = (clean[team].astype(str).to_numpy()[idx] == harm_team) & (day >= (harm_from_day or 1))
        pt = np.where(hit, np.clip(pt - effect, 0.001, 1), pt)
    sat = rng.random(len(idx)) < pt
    hi = np.where(rng.random(len(idx)) < 0.6, 5, 4)
    lo = rng.choice([1, 2, 3], size=len(idx), p=[0.25, 0.25, 0.5])
    csat = np.where(sat, hi, lo)
    dates = pd.Timestamp(start) + pd.to_timedelta(day - 1, unit="D")
    return pd.DataFrame(
        {
            "response_id": [f"S{i:07d}" for i in range(1, len(idx) + 1)],
            "agent_id": clean[agent].astype(str).to_numpy()[idx],
            "team": clean[team].astype(str).to_numpy()[idx],
            "date": dates,
            "day": day,
            "csat": csat,
            "p_true": pt,
        }
    )


def agent_chart(
    data: pd.DataFrame,
    agent_id: str,
    *,
    baseline_until,
    agent: str = "agent_id",
    score: str = "csat",
    time: str = "date",
    freq: str = "MS",
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
) -> pd.DataFrame:
    """One agent's dissatisfaction by period on an EWMA chart, centred on their own Phase I.

    The centre is the agent's shrunk dissatisfied rate over the Phase I periods (up to
    ``baseline_until``; for an agent hired later, the company's Phase I rate), so the chart asks "has this agent's experience *changed*?",
    not "is this agent worse than others?" (the funnel plot's question).

    Returns
    -------
    DataFrame indexed by period: n, defects, p, ewma, centre, lcl, ucl, signal.

    Examples
    --------
    >>> df = pd.DataFrame({"agent_id": ["A", "B"] * 60, "csat": [5, 4, 2, 5] * 30,
    ...                    "date": pd.date_range("2023-01-01", periods=120, freq="7D")})
    >>> ch = agent_chart(df, "A", baseline_until="2023-12-31")
    >>> list(ch.columns)
    ['n', 'defects', 'p', 'ewma', 'centre', 'lcl', 'ucl', 'signal']
    """
    clean, _ = _check_frame(data, {"agent": agent, "score": score, "time": time}, score=score)
    clean = clean.assign(**{time: pd.to_datetime(clean[time])})
    mine = clean[clean[agent].astype(str) == str(agent_id)]
    if mine.empty:
        raise CxError(f"agent {agent_id!r} has no answered surveys in the data.")
    base = clean[clean[time] <= pd.Timestamp(baseline_until)]
    if base.empty:
        raise CxError(f"no answers up to {baseline_until}: choose a later baseline_until.")
    s = AgentFeedback().fit(base, agent=agent, score=score).summary.set_index("agent")
    if str(agent_id) in s.index:
        p0 = float(1 - s.loc[str(agent_id), "shrunk_rate"])
    else:  # an agent hired after the baseline: the company's baseline rate
        p0 = float((base[score] < SATISFIED_MIN).mean())
    dis = (mine[score] < SATISFIED_MIN).astype(float)
    g = dis.groupby(mine[time].dt.to_period(freq[0] if freq != "MS" else "M").dt.to_timestamp()).agg(["sum", "size"])
    full = pd.date_range(g.index.min(), g.index.max(), freq=freq)
    g = g.reindex(full, fill_value=0)
    return ewma_chart(g["sum"], g["size"], p0=p0, lam=lam, L=L)

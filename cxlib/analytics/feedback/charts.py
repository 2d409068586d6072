"""Control charts of a proportion: p-chart and EWMA, their run lengths and false alarms.

:func:`p_chart` (Shewhart 1931; Montgomery) and :func:`ewma_chart` (Roberts 1959;
Lucas & Saccucci 1990) chart the share of *defects* (e.g. dissatisfied answers) per
period with a varying number of answers ``n``. Both take counts per period
(``defects`` and ``n``); :func:`p_chart_from_counts` and :func:`ewma_chart_from_counts`
take the same as a count table with the columns ``defects`` and ``n`` (and
optionally ``period``), as a DuckDB or Spark query would return it, and
:func:`chart_counts` makes that table from one row per answer.

**An estimated centre is noisy too.** When the centre line is estimated from a
Phase I baseline of ``N0`` answers, a period after the baseline is compared with
an estimate, and ``p_t - p̄`` has variance ``p̄(1 - p̄)(1/n_t + 1/N0)``, not
``p̄(1 - p̄)/n_t``. Limits that ignore this raise false alarms more often than their
nominal rate, the more so the shorter the baseline: with a 30-day baseline of about
16 answers a day the EWMA chart's in-control false alarms were about 2.5 times as
frequent as with a known centre. So by default (``widen_for_baseline=True``) the
limits of periods after the baseline include the centre's own variance (for the
EWMA, the exact variance of ``z_t - p̄``); periods inside the baseline keep the
textbook limits. With a known centre (``p0=``) nothing changes.

**What the rates are.** Even with a known centre, daily counts of 10-20 answers are
skewed, so a 3σ p-chart watching the upper side alarms on about 0.25% of in-control
days (0.2-0.3%; the normal-theory 0.135% holds only for large n), and the upper-side
EWMA on about 0.22% (0.19-0.27%). The EWMA with λ = 0.2 and L = 2.962 has an
in-control average run length (ARL) of about 500 periods when it watches both sides
(Lucas & Saccucci 1990; :func:`simulate_arl` gives about 490 on normal data);
watching only the upper side it is about 750 periods at 16 answers a period and
about 900 at 1,000. :func:`simulate_false_alarms` measures these rates for any
setting, with or without the widening; ``tests/test_feedback_monitor.py`` checks
the numbers stated here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxlib.analytics import _precomputed
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
]

#: Default EWMA smoothing and limit width: in-control ARL about 500 two-sided (Lucas & Saccucci 1990).
EWMA_LAMBDA, EWMA_L = 0.2, 2.962


def _baseline(
    defects: np.ndarray, n: np.ndarray, p0: float | None, baseline: Any, centre_answers: float | None = None
) -> tuple[float, np.ndarray, float]:
    """The centre line, the mask of baseline periods and the answers behind it (inf for a known p0)."""
    if p0 is not None:
        if not 0 < p0 < 1:
            raise CxError(f"the centre line p0 must be strictly between 0 and 1, got {p0}.")
        if centre_answers is not None and not centre_answers > 0:
            raise CxError(f"centre_answers must be a positive number of answers, got {centre_answers}.")
        return float(p0), np.zeros(len(n), bool), math.inf if centre_answers is None else float(centre_answers)
    if baseline is None:
        mask = np.ones(len(n), bool)
    elif isinstance(baseline, (int, np.integer)):
        mask = np.arange(len(n)) < int(baseline)
    else:
        mask = np.asarray(baseline, bool)
        if mask.shape != n.shape:
            raise CxError(f"the baseline mask has {mask.size} entries but there are {n.size} periods.")
    tot = float(n[mask].sum())
    if tot <= 0:
        raise CxError("the Phase I baseline has no answers: give more baseline periods or p0.")
    p = float(defects[mask].sum() / tot)
    if p <= 0 or p >= 1:
        raise CxError(
            f"the baseline rate is {p:.0%}: a control chart needs a centre strictly between "
            "0 and 1. Use a longer baseline or give p0."
        )
    return p, mask, tot


def _as_arrays(defects: Any, n: Any) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    index = defects.index if isinstance(defects, pd.Series) else pd.RangeIndex(len(np.atleast_1d(defects)))
    d = np.asarray(defects, dtype=float)
    m = np.asarray(n, dtype=float)
    if d.shape != m.shape or d.ndim != 1:
        raise CxError("defects and n must be one-dimensional and the same length (one entry per period).")
    if np.any(m < 0) or np.any(d < 0) or np.any(d > m) or np.isnan(d).any() or np.isnan(m).any():
        raise CxError("each period needs n >= 0 answers and 0 <= defects <= n.")
    return d, m, index


def _signal(value: np.ndarray, lcl: np.ndarray, ucl: np.ndarray, ok: np.ndarray) -> np.ndarray:
    return np.where(ok, np.where(value > ucl, "above", np.where(value < lcl, "below", "")), "")


def p_chart(
    defects: Any,
    n: Any,
    *,
    p0: float | None = None,
    baseline: Any = None,
    sigma: float = 3.0,
    widen_for_baseline: bool = True,
    centre_answers: float | None = None,
) -> pd.DataFrame:
    """Shewhart p-chart with a varying sample size (Montgomery, ch. 7).

    Centre p̄ = Σk/Σn over the Phase I ``baseline``, or ``p0`` if given. Limits
    are p̄ ± sigma·sqrt(p̄(1-p̄)/n_t), floored at 0 and capped at 1; for periods
    after an estimated baseline, sqrt(p̄(1-p̄)(1/n_t + 1/N0)) with N0 the baseline's
    answers (see the module docstring).

    Parameters
    ----------
    defects, n : array-like or Series
        Defects (e.g. dissatisfied answers) and answers per period; a Series keeps its index.
    p0 : float, optional
        A known centre line.
    baseline : None, int or boolean mask
        The Phase I periods: all (None), the first ``baseline`` periods (int), or a mask.
    sigma : float
        Limit width in standard errors.
    widen_for_baseline : bool
        Widen the limits after an estimated baseline for the centre's noise.
    centre_answers : float, optional
        With ``p0``: the answers it was estimated from (e.g. an agent's own Phase I);
        every period's limits then count its noise. None: ``p0`` is known exactly.

    Returns
    -------
    pandas.DataFrame
        One row per period: n, defects, p, centre, lcl, ucl, signal ("above", "below"
        or ""). Periods with n = 0 have NaN p and no signal.

    Raises
    ------
    CxError
        If the counts are invalid or the baseline has no answers or a rate of 0 or 1.

    Examples
    --------
    The worked example of the course notes:

    >>> p_chart([6, 48], [50, 400], p0=0.12)[["n", "lcl", "ucl"]].round(3)
         n    lcl    ucl
    0   50  0.000  0.258
    1  400  0.071  0.169
    """
    d, m, index = _as_arrays(defects, n)
    c, mask, n0 = _baseline(d, m, p0, baseline, centre_answers)
    extra = np.where(mask | (not widen_for_baseline), 0.0, 1 / n0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, d / m, np.nan)
        sd = np.sqrt(c * (1 - c) * (1 / m + extra))
    lcl, ucl = np.clip(c - sigma * sd, 0, 1), np.clip(c + sigma * sd, 0, 1)
    return pd.DataFrame(
        {
            "n": m.astype(int),
            "defects": d.astype(int),
            "p": p,
            "centre": c,
            "lcl": lcl,
            "ucl": ucl,
            "signal": _signal(p, lcl, ucl, m > 0),
        },
        index=index,
    )


def _ewma_variance(m: np.ndarray, mask: np.ndarray, c: float, n0: float, lam: float, widen: bool) -> np.ndarray:
    """Variance of z_t - centre for each period (empty periods leave it unchanged).

    Textbook part: V_t = (1-λ)² V_{t-1} + λ² c(1-c)/n_t. After an estimated
    baseline, z_t - p̄ = Σ_j c_j p_j with c_j = w_tj - W_t [j in baseline] n_j/N0, so
    its variance adds W_t²/N0 - 2 W_t S_t/N0 (times c(1-c)), where W_t is the total
    weight of the data so far and S_t the weight of baseline periods.
    """
    v = np.empty(len(m))
    V = W = S = 0.0
    for t in range(len(m)):
        if m[t] > 0:
            V = (1 - lam) ** 2 * V + lam**2 / m[t]
            W = (1 - lam) * W + lam
            S = (1 - lam) * S + lam * mask[t]
        v[t] = V if (mask[t] or not widen or not np.isfinite(n0)) else V + (W * W - 2 * W * S) / n0
    return c * (1 - c) * v


def ewma_chart(
    defects: Any,
    n: Any,
    *,
    p0: float | None = None,
    baseline: Any = None,
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
    widen_for_baseline: bool = True,
    centre_answers: float | None = None,
) -> pd.DataFrame:
    """EWMA chart of a proportion with varying n (Roberts 1959; Lucas & Saccucci 1990).

    z_t = λ·p_t + (1-λ)·z_{t-1}, z_0 = the centre. Its variance follows
    V_t = (1-λ)²·V_{t-1} + λ²·p0(1-p0)/n_t, which for a constant n is the textbook
    σ²·λ/(2-λ)·[1-(1-λ)^{2t}]; after an estimated baseline it also counts the
    centre's noise (see the module docstring). Limits centre ± L·sqrt(V_t). Periods
    with no answers leave z and V unchanged.

    Parameters
    ----------
    defects, n : array-like or Series
        Defects and answers per period.
    p0 : float, optional
        A known centre line.
    baseline : None, int or boolean mask
        The Phase I periods (as for :func:`p_chart`).
    lam, L : float
        Smoothing weight and limit width (0.2 and 2.962: two-sided ARL0 about 500).
    widen_for_baseline : bool
        Widen the limits after an estimated baseline for the centre's noise.
    centre_answers : float, optional
        With ``p0``: the answers it was estimated from; the limits then count its noise.

    Returns
    -------
    pandas.DataFrame
        n, defects, p, ewma, centre, lcl, ucl, signal.

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
    if not 0 < lam <= 1:
        raise CxError(f"lam must be in (0, 1], got {lam}.")
    d, m, index = _as_arrays(defects, n)
    c, mask, n0 = _baseline(d, m, p0, baseline, centre_answers)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, d / m, np.nan)
    zs, z = np.empty(len(m)), c
    for t in range(len(m)):
        if m[t] > 0:
            z = lam * p[t] + (1 - lam) * z
        zs[t] = z
    vs = _ewma_variance(m, mask, c, n0, lam, widen_for_baseline)
    half = L * np.sqrt(vs)
    lcl, ucl = np.clip(c - half, 0, 1), np.clip(c + half, 0, 1)
    return pd.DataFrame(
        {
            "n": m.astype(int),
            "defects": d.astype(int),
            "p": p,
            "ewma": zs,
            "centre": c,
            "lcl": lcl,
            "ucl": ucl,
            "signal": _signal(zs, lcl, ucl, vs > 0),
        },
        index=index,
    )


def _table(counts: pd.DataFrame, what: str) -> tuple[pd.Series, pd.Series]:
    require_columns(counts, ["defects", "n"], what, source="counts")
    t = counts.set_index("period") if "period" in counts.columns else counts
    return t["defects"], t["n"]


def p_chart_from_counts(counts: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """A p-chart from a count table (see :func:`p_chart` for the options and the result).

    The count table
        ``defects`` and ``n`` per period, in time order, and optionally ``period``
        (used as the index).

    Parameters
    ----------
    counts : pandas.DataFrame
        The count table.
    **options
        ``p0``, ``baseline``, ``sigma``, ``widen_for_baseline``, ``centre_answers`` of :func:`p_chart`.

    Returns
    -------
    pandas.DataFrame
        As :func:`p_chart`.

    Examples
    --------
    >>> t = pd.DataFrame({"period": ["Mon", "Tue"], "defects": [6, 48], "n": [50, 400]})
    >>> p_chart_from_counts(t, p0=0.12)["ucl"].round(3).to_dict()
    {'Mon': 0.258, 'Tue': 0.169}
    """
    return p_chart(*_table(counts, "p_chart_from_counts()"), **options)


def ewma_chart_from_counts(counts: pd.DataFrame, **options: Any) -> pd.DataFrame:
    """An EWMA chart from a count table (see :func:`ewma_chart` for the options and the result).

    The count table
        ``defects`` and ``n`` per period, in time order, and optionally ``period``.

    Parameters
    ----------
    counts : pandas.DataFrame
        The count table.
    **options
        ``p0``, ``baseline``, ``lam``, ``L``, ``widen_for_baseline``, ``centre_answers`` of :func:`ewma_chart`.

    Returns
    -------
    pandas.DataFrame
        As :func:`ewma_chart`.

    Examples
    --------
    >>> t = pd.DataFrame({"defects": [10, 10, 20, 22], "n": [100] * 4})
    >>> ewma_chart_from_counts(t, p0=0.1)["signal"].tolist()
    ['', '', '', 'above']
    """
    return ewma_chart(*_table(counts, "ewma_chart_from_counts()"), **options)


@dataclass(frozen=True)
class ARLResult:
    """Average run length from :func:`simulate_arl`.

    Attributes
    ----------
    arl : float
        Mean run length (periods to the first signal).
    se : float
        Its standard error.
    run_lengths : numpy.ndarray
        Every run's length.
    censored : int
        Runs without a signal within ``max_len`` (scored as ``max_len``).
    chart : str
        ``"ewma"`` or ``"shewhart"``.
    shift : float
        The mean shift, in standard deviations.

    Examples
    --------
    >>> simulate_arl("ewma", shift=1.0, n_runs=500, seed=1)
    ARLResult(ewma, shift 1σ: ARL 9.3 ± 0.3 from 500 runs, 0 censored)
    """

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
    """Average run length of a chart on standardised normal data with a known centre, by simulation.

    ``chart="ewma"`` uses exact time-varying limits ±L·sqrt(λ/(2-λ)[1-(1-λ)^{2t}]);
    ``chart="shewhart"`` signals when |x_t| > L (use L=3 for the 3σ chart, ARL0 ≈ 370).

    Parameters
    ----------
    chart : {"ewma", "shewhart"}
        The chart.
    lam, L : float
        EWMA weight and limit width (``L`` is the Shewhart limit too).
    shift : float
        Mean shift in σ units from the first observation (0: in control).
    n_runs, max_len : int
        Runs, and the longest run simulated (longer ones are censored at ``max_len``).
    seed : int
        Seed of the simulation.
    two_sided : bool
        Signal on both sides (True) or only above.

    Returns
    -------
    ARLResult

    Examples
    --------
    >>> r = simulate_arl("shewhart", L=3.0, n_runs=4000, seed=1)
    >>> 330 < r.arl < 410
    True
    """
    from scipy import signal

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


def _smooth(x: np.ndarray, weight: float, decay: float) -> np.ndarray:
    """``y_t = decay * y_(t-1) + weight * x_t`` along each row of ``x``, from ``y_(-1) = 0``.

    The first-order recursion ``scipy.signal.lfilter([weight], [1, -decay], x, axis=1)`` computes,
    operation for operation (the same numbers; a test compares them), one column at a time: a
    chart has tens of periods, and importing ``scipy.signal`` (and ``scipy.stats`` with it) takes
    longer than the whole simulation.
    """
    y = np.empty_like(x, dtype=float)
    prev = np.zeros(x.shape[0])
    for t in range(x.shape[1]):
        prev = decay * prev + weight * x[:, t]
        y[:, t] = prev
    return y


def _deviations(
    p: np.ndarray, n: np.ndarray, c: np.ndarray, n0: np.ndarray, lam: float, L: float, sigma: float
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each chart's statistic minus its centre, and its limit's half-width (runs x periods), as the monitor does."""
    var1 = c[:, None] * (1 - c[:, None]) / n
    extra = (c * (1 - c) / n0)[:, None]
    z = _smooth(p - c[:, None], lam, 1 - lam)  # z_t - centre, z_0 = centre
    v = _smooth(var1, lam**2, (1 - lam) ** 2)
    w = 1 - (1 - lam) ** np.arange(1, p.shape[1] + 1)
    return {
        "p": (p - c[:, None], sigma * np.sqrt(var1 + extra)),
        "ewma": (z, L * np.sqrt(v + w[None, :] ** 2 * extra)),
    }


def _false_alarms(
    *,
    n_per_period: float,
    p0: float,
    baseline_periods: int | None,
    periods: int,
    runs: int,
    lam: float,
    L: float,
    sigma: float,
    side: str,
    widen_for_baseline: bool,
    seed: int,
) -> dict[str, dict[str, float]]:
    """:func:`simulate_false_alarms`' simulation: each chart's ``alarm_rate``, ``any_alarm`` and ``runs``."""
    rng = np.random.default_rng(seed)
    if baseline_periods is None:
        c, n0 = np.full(runs, p0), np.full(runs, np.inf)
    else:
        n0 = rng.poisson(n_per_period * baseline_periods, runs).astype(float)
        c = rng.binomial(n0.astype(np.int64), p0) / n0
        n0 = n0 if widen_for_baseline else np.full(runs, np.inf)
    n = np.maximum(rng.poisson(n_per_period, (runs, periods)), 1).astype(float)
    p = rng.binomial(n.astype(np.int64), p0) / n
    rows = {}
    for chart, (dev, half) in _deviations(p, n, c, n0, lam, L, sigma).items():
        hit = (dev > half) | ((side == "both") & (dev < -half))
        rows[chart] = {"alarm_rate": float(hit.mean()), "any_alarm": float(hit.any(axis=1).mean()), "runs": runs}
    return rows


def simulate_false_alarms(
    n_per_period: float,
    p0: float,
    *,
    baseline_periods: int | None = 30,
    periods: int = 30,
    runs: int = 4000,
    lam: float = EWMA_LAMBDA,
    L: float = EWMA_L,
    sigma: float = 3.0,
    side: str = "upper",
    widen_for_baseline: bool = True,
    seed: int = 0,
) -> pd.DataFrame:
    """How often the p-chart and the EWMA chart cry wolf on an in-control process, by simulation.

    Each run draws a Phase I baseline of ``baseline_periods`` periods (None: the
    centre ``p0`` is known), estimates the centre from it, then charts ``periods``
    in-control periods with the limits of :class:`~cxlib.analytics.feedback.FeedbackMonitor`
    (the same formulas as :func:`p_chart` and :func:`ewma_chart` after a baseline).
    Every period has Poisson(``n_per_period``) answers (at least 1), each a defect
    with probability ``p0``.

    Parameters
    ----------
    n_per_period : float
        Mean answers per period (e.g. a team's answers a day).
    p0 : float
        The true defect rate.
    baseline_periods : int or None
        Length of Phase I; None for a known centre.
    periods : int
        Periods charted after the baseline (e.g. a month of days).
    runs : int
        Simulated runs.
    lam, L, sigma : float
        EWMA weight and width, p-chart width.
    side : {"upper", "both"}
        Alarm above only, or on both sides.
    widen_for_baseline : bool
        Whether the limits count the estimated centre's noise.
    seed : int
        Seed of the simulation. Lesson 04's simulations of the bundled teams are computed
        once and stored (:mod:`cxlib.analytics._precomputed`); a test checks they are the
        ones computed here.

    Returns
    -------
    pandas.DataFrame
        Indexed by chart (``"p"``, ``"ewma"``): ``alarm_rate`` (share of chart-periods
        with an alarm), ``any_alarm`` (share of runs with at least one) and ``runs``.

    Examples
    --------
    >>> fa = simulate_false_alarms(1000, 0.28, baseline_periods=None, runs=2000, seed=1)
    >>> bool(fa.loc["p", "alarm_rate"] < 0.003)
    True
    """
    if side not in {"upper", "both"}:
        raise CxError(f"side must be 'upper' or 'both', not {side!r}.")
    if not 0 < p0 < 1 or n_per_period <= 0:
        raise CxError("p0 must be strictly between 0 and 1 and n_per_period positive.")
    settings: dict[str, Any] = {
        "n_per_period": float(n_per_period),
        "p0": float(p0),
        "baseline_periods": None if baseline_periods is None else int(baseline_periods),
        "periods": int(periods),
        "runs": int(runs),
        "lam": float(lam),
        "L": float(L),
        "sigma": float(sigma),
        "side": side,
        "widen_for_baseline": bool(widen_for_baseline),
        "seed": seed,
    }
    key = _precomputed.seeded_key("feedback.simulate_false_alarms", [], settings)
    rows = _precomputed.lookup(key)  # lesson 04's simulations of the bundled teams, computed once
    if rows is None:
        rows = _false_alarms(**settings)
        _precomputed.record(key, "feedback.simulate_false_alarms", rows)
    out = pd.DataFrame(rows).T
    out["runs"] = out["runs"].astype(int)
    out.index.name = "chart"
    return out

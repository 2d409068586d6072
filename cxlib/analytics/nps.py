"""Net Promoter Score (NPS) with honest uncertainty.

NPS (Reichheld 2003) is computed from answers to "How likely are you to recommend
...?" on a 0-10 scale: **promoters** answer 9-10, **passives** 7-8 and
**detractors** 0-6, and NPS = 100 * (share of promoters - share of detractors),
in points from -100 to +100, over the *valid* answers.

What this module adds to that one line of arithmetic:

* **Validation.** Missing answers are excluded from ``n`` and counted in
  ``n_missing`` (never scored as 0, which would make a fake detractor). Values
  that are not whole numbers from 0 to 10, or text, raise
  :class:`cxlib.errors.ValidationError` listing every bad row and value;
  nothing is silently bucketed.
* **Standard error.** Code each answer +1 / 0 / -1; NPS/100 is the mean of these
  multinomial codes, so ``Var = [pP + pD - (pP - pD)^2] / n`` and
  ``SE = 100 * sqrt(Var)`` points. ``NPSResult.se`` is always this (plain) SE.
* **Intervals** (``method``):

  ``"adjusted-wald"`` (default)
      Add 3/4 of a promoter, 3/4 of a detractor (and so 3/2 of a passive) to
      the counts, i.e. 3 pseudo-answers, then apply the Wald formula to the
      adjusted shares. This is the adjusted-Wald form described by Lewis &
      Sauro (MeasuringU, 2021); Rocks (2016) found adjusted-Wald variants (and
      an iterative score interval) to have the best coverage for NPS. We chose
      it because, unlike the plain Wald interval, it does not collapse to a
      zero-width interval when every answer is a promoter (or a detractor),
      and its coverage stays near 95% at small n; for large n it agrees with
      Wald. The exact pseudo-counts Rocks recommends were not checked against
      the paper. The interval is centred on the *adjusted* estimate; with a
      single answer (n = 1) that interval would exclude the raw NPS of +-100,
      so it is widened to include it (from n = 2 on it always contains it).
  ``"wald"``
      NPS +- z * SE: the textbook interval; poor when n is small or the shares
      are near 0 or 1.
  ``"bootstrap"``
      Seeded percentile bootstrap of the +1/0/-1 codes (done exactly and fast
      by resampling the three counts from a multinomial); unweighted data only.
      **It under-covers at small n when nearly everyone is a promoter**: in
      ``tests/test_nps.py``, 95% intervals at n = 30 with 90% promoters, 8%
      passives and 2% detractors contain the true NPS only about 83% of the time
      (Wald likewise; adjusted-Wald about 96%). Prefer the default below n = 100.

* **Segments** (:func:`nps_by`): one vectorised group-by for all segments, with
  optional survey weights. The overall NPS pools the raw answers (equal to the
  n-weighted mean of the segment NPS), never the plain mean of segment scores;
  with ``population=`` it is post-stratified to the customer base instead.
* **Counts in, the same statistics out.** NPS only needs counts, so every
  estimate can start from a *count table* made anywhere (a DuckDB or Spark query,
  a spreadsheet pivot): :func:`nps_from_counts`, :func:`nps_by_from_counts` and
  their weighted twins. The row-level :func:`nps` and :func:`nps_by` only count
  (:func:`nps_counts`) and then call the same code, so both give the same numbers.
  The count table has the columns ``promoters``, ``passives``, ``detractors`` and
  optionally ``missing`` (blank answers), plus the segment columns; a weighted
  table adds ``w_promoters``, ``w_passives``, ``w_detractors`` (sums of the
  weights of each bucket's answers) and ``w2_promoters``, ``w2_passives``,
  ``w2_detractors`` (sums of the squared weights).
* **Comparisons** (:func:`compare`, :func:`sample_size`,
  :func:`sample_size_for_margin`) and **trends** (:func:`nps_over_time`).

Weights (``weight_column=``, e.g. inverse response propensities for survey
non-response): shares are weighted, the variance of the weighted mean of the
codes uses the linearisation (sandwich) formula
``sum(w^2 (x - m)^2) / (sum w)^2``, and the adjusted-Wald interval uses Kish's
effective sample size ``(sum w)^2 / sum(w^2)``. Counts stay unweighted.

References
----------
Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12), 46-54.
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American Statistician*, 70(4), 365-372.
Lewis, J. R., & Sauro, J. (2021). Confidence intervals for Net Promoter Scores. MeasuringU.

Examples
--------
>>> from cxlib.analytics import nps
>>> r = nps.from_counts(promoters=180, passives=160, detractors=60, method="wald")
>>> print(f"NPS {r.nps:.1f}, SE {r.se:.2f}, 95% CI [{r.ci_low:.1f}, {r.ci_high:.1f}]")
NPS 30.0, SE 3.57, 95% CI [23.0, 37.0]
>>> nps.bucket([6, 7, 8, 9, None]).tolist()
['detractor', 'passive', 'passive', 'promoter', nan]
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics import _nps_scores as _scores
from cxlib.analytics import _nps_stats as _st
from cxlib.analytics._nps_counts import (
    _count,
    _keys,
    _segments,
    nps_by_from_counts,
    nps_counts,
    nps_from_counts,
    weighted_nps_by_from_counts,
    weighted_nps_from_counts,
)
from cxlib.analytics._nps_results import Comparison, NPSResult, SegmentNPS
from cxlib.analytics._nps_results import result_from_row as _result_from_row
from cxlib.analytics.stats import normal_quantile
from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "METHODS",
    "ADJUST",
    "COUNT_COLUMNS",
    "WEIGHTED_COLUMNS",
    "NPSResult",
    "SegmentNPS",
    "Comparison",
    "bucket",
    "validate_scores",
    "nps_counts",
    "nps_from_counts",
    "nps_by_from_counts",
    "weighted_nps_from_counts",
    "weighted_nps_by_from_counts",
    "from_counts",
    "nps",
    "nps_by",
    "nps_over_time",
    "period_changes",
    "compare",
    "sample_size",
    "sample_size_for_margin",
]

for _public in (NPSResult, SegmentNPS, Comparison, nps_counts, nps_from_counts, nps_by_from_counts,
                weighted_nps_from_counts, weighted_nps_by_from_counts):  # fmt: skip
    _public.__module__ = __name__  # documented (and doctested) here

#: Interval methods understood by the functions of this module.
METHODS = _st.METHODS

#: Pseudo-counts of the adjusted-Wald interval: promoters, passives, detractors (3 answers in all).
ADJUST = _st.ADJUST

#: The columns of an NPS count table (``missing`` is optional).
COUNT_COLUMNS = _st.COUNTS

#: The extra columns of a weighted NPS count table.
WEIGHTED_COLUMNS = _st.WEIGHTED


# ---------------------------------------------------------------------------------------------
# buckets and validation
# ---------------------------------------------------------------------------------------------
def bucket(scores: Any) -> pd.Series:
    """Label each answer ``promoter`` (9-10), ``passive`` (7-8) or ``detractor`` (0-6).

    Parameters
    ----------
    scores : array-like or Series
        0-10 answers; blanks are missing.

    Returns
    -------
    pandas.Series
        The labels (same index as a Series input); missing answers stay missing (NaN).

    Raises
    ------
    ValidationError
        If a value is not a whole number from 0 to 10 or blank.

    Examples
    --------
    >>> bucket([0, 6, 7, 8, 9, 10]).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    s = _scores.as_series(scores)
    labels = np.array(["detractor", "passive", "promoter", np.nan], dtype=object)
    return pd.Series(labels[_scores.bucket_codes(s, "score")], index=s.index, name="bucket")


@renamed_arguments(column="score_column")
def validate_scores(scores: Any, score_column: str | None = "score", source: str | None = None) -> np.ndarray:
    """Check 0-10 answers and return them as floats, with NaN for missing answers.

    Missing values (NaN, None, ``pd.NA``, empty or blank text) are allowed: they
    are skipped questions. Everything else must be a whole number from 0 to 10.
    Every problem is listed (rows use the spreadsheet convention: first data
    row = row 2).

    Parameters
    ----------
    scores : array-like or Series
        The answers.
    score_column : str, optional
        Column name used in the error message.
    source : str, optional
        File or table name used in the error message.

    Returns
    -------
    numpy.ndarray of float64

    Raises
    ------
    ValidationError
        If any value is text, not a whole number, or outside 0-10.

    Examples
    --------
    >>> validate_scores([10, 7, None]).tolist()
    [10.0, 7.0, nan]
    >>> validate_scores([10, 11, 7.5, "x"])  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    cxlib.errors.ValidationError: data: 3 problems found
      1. column 'score': text instead of a number in 1 row (row 5); values: 'x'.
         How to fix: ...
      2. column 'score': not a whole number in 1 row (row 4); values: 7.5.
         How to fix: ...
      3. column 'score': outside 0-10 in 1 row (row 3); values: 11.
         How to fix: ...
    """
    return _scores.check_scores(_scores.as_series(scores), score_column, source).astype("float64")


@renamed_arguments(conf="level")
def from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    n_missing: int = 0,
    method: str = "adjusted-wald",
    level: float = 0.95,
    seed: int = 0,
    n_boot: int = 2000,
) -> NPSResult:
    """NPS and interval from the three counts (a shortcut for :func:`nps_from_counts`).

    Parameters
    ----------
    promoters, passives, detractors : int
        Counts of answers 9-10, 7-8 and 0-6.
    n_missing : int
        Blank answers (reported, not used).
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method.
    level : float
        Confidence level, a share between 0 and 1.
    seed, n_boot : int
        For the bootstrap.

    Returns
    -------
    NPSResult

    Examples
    --------
    >>> r = from_counts(12, 10, 8)            # n = 30, adjusted-Wald (default)
    >>> print(f"{r.nps:.1f} [{r.ci_low:.1f}, {r.ci_high:.1f}]")
    13.3 [-15.1, 39.3]
    >>> r = from_counts(12, 10, 8, method="wald")
    >>> print(f"SE {r.se:.1f}, [{r.ci_low:.1f}, {r.ci_high:.1f}]")
    SE 14.7, [-15.5, 42.2]
    """
    row = {"promoters": promoters, "passives": passives, "detractors": detractors, "missing": n_missing}
    return nps_from_counts(row, method=method, level=level, seed=seed, n_boot=n_boot)


# ---------------------------------------------------------------------------------------------
# rows in: thin wrappers that count, then call the count-level code
# ---------------------------------------------------------------------------------------------
@renamed_arguments(score="score_column", weight="weight_column", conf="level")
def nps(
    data: Any,
    score_column: str | None = None,
    *,
    weight_column: str | None = None,
    method: str = "adjusted-wald",
    level: float = 0.95,
    seed: int = 0,
    n_boot: int = 2000,
) -> NPSResult:
    """NPS of a set of 0-10 answers, with standard error and interval.

    Parameters
    ----------
    data : DataFrame, Series or array-like
        The answers: a DataFrame with ``score_column`` naming the column, or the scores themselves.
    score_column : str, optional
        Score column (required when ``data`` is a DataFrame).
    weight_column : str, optional
        Column of survey weights (DataFrame input only).
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method (see the module docstring for why adjusted-Wald is the
        default, and why the bootstrap under-covers at small n).
    level : float
        Confidence level, a share between 0 and 1.
    seed, n_boot : int
        Seed and resamples of the bootstrap.

    Returns
    -------
    NPSResult

    Raises
    ------
    ValidationError
        If a score is text, not whole, or outside 0-10 (every bad row listed).

    Examples
    --------
    >>> r = nps([10, 9, 8, 7, 3, None])
    >>> r.n, r.n_missing, r.promoters, r.detractors, round(r.nps, 1)
    (5, 1, 2, 1, 20.0)
    >>> nps(pd.DataFrame({"ltr": [9, 10, 6]}), "ltr", method="wald").nps
    33.33333333333333
    """
    if isinstance(data, pd.DataFrame) and score_column is None:
        raise CxError("name the score column: nps(df, 'ltr').")
    if not isinstance(data, pd.DataFrame) and weight_column is not None:
        raise CxError("weights need a DataFrame: nps(df, 'ltr', weight_column='w').")
    method = _st.check_method(method)
    sums = _count(data, score_column, [], weight_column)
    return _segments(sums, [], weight_column is not None, method, level, None, seed, n_boot).overall


@renamed_arguments(score="score_column", by="segment_column", weight="weight_column", conf="level")
def nps_by(
    data: pd.DataFrame,
    score_column: str,
    segment_column: str | Sequence[str],
    weight_column: str | None = None,
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    population: Mapping | pd.Series | None = None,
    seed: int = 0,
    n_boot: int = 2000,
) -> SegmentNPS:
    """NPS with intervals for every segment at once (one vectorised group-by).

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    score_column : str
        Score column (0-10; blanks are missing answers).
    segment_column : str or list of str
        Segment column(s). Rows with a missing segment form their own segment (NaN), never dropped.
    weight_column : str, optional
        Survey-weight column (e.g. inverse response propensity).
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method.
    level : float
        Confidence level, a share between 0 and 1.
    population : mapping or Series, optional
        Size (or share) of each segment in the customer base. When given, the
        overall NPS is post-stratified: ``sum(share_s * NPS_s)`` with
        ``SE = sqrt(sum(share_s^2 * SE_s^2))`` and a Wald interval. Needs one segment column.
    seed, n_boot : int
        For the bootstrap.

    Returns
    -------
    SegmentNPS
        ``.summary`` (one row per segment) and ``.overall``.

    Raises
    ------
    ValidationError
        If a column is missing or a score or weight is invalid.

    Examples
    --------
    The overall NPS pools the answers: +40 on 1,000 answers and -40 on 100 give
    +32.7, not the unweighted mean 0.

    >>> df = pd.DataFrame({"seg": ["A"] * 1000 + ["B"] * 100,
    ...                    "ltr": [10] * 500 + [8] * 400 + [3] * 100 + [9] * 10 + [7] * 40 + [0] * 50})
    >>> res = nps_by(df, "ltr", "seg")
    >>> res.summary["nps"].round(1).tolist(), round(res.overall.nps, 1), res.unweighted_mean
    ([40.0, -40.0], 32.7, 0.0)
    """
    method, keys = _st.check_method(method), _keys(segment_column)
    _st.z_value(level)
    sums = _count(data, score_column, keys, weight_column)
    return _segments(sums, keys, weight_column is not None, method, level, population, seed, n_boot)


_FREQ = {"M": "M", "ME": "M", "MS": "M", "Q": "Q", "QE": "Q", "QS": "Q", "W": "W", "Y": "Y", "A": "Y", "YE": "Y"}


@renamed_arguments(score="score_column", date="date_column", weight="weight_column", conf="level")
def nps_over_time(
    data: pd.DataFrame,
    score_column: str,
    date_column: str,
    freq: str = "M",
    weight_column: str | None = None,
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """NPS with intervals per period (day ``"D"``, week ``"W"``, month ``"M"``, quarter ``"Q"``, year ``"Y"``).

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    score_column : str
        Score column (0-10).
    date_column : str
        Date of each answer; missing or unreadable dates are an error.
    freq : str
        Period length.
    weight_column : str, optional
        Survey weights.
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method.
    level : float
        Confidence level, a share between 0 and 1 (also stored in ``attrs["level"]``).
    seed : int
        For the bootstrap.

    Returns
    -------
    pandas.DataFrame
        Indexed by the period's first day (``period``), with the columns of :attr:`SegmentNPS.summary`.

    Raises
    ------
    ValidationError
        If a date is missing or unreadable.

    Examples
    --------
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03"]),
    ...                    "ltr": [10, 3, 9]})
    >>> nps_over_time(df, "ltr", "d")[["n", "nps"]]
                n    nps
    period
    2024-01-01  2    0.0
    2024-02-01  1  100.0
    """
    raw = _scores.column(data, date_column, "date")
    d = pd.to_datetime(raw, errors="coerce") if not pd.api.types.is_datetime64_any_dtype(raw) else raw
    bad = d.isna().to_numpy()
    if bad.any():
        pos = np.flatnonzero(bad)
        raise ValidationError(
            [
                Problem(
                    "missing or unreadable date",
                    column=date_column,
                    rows=tuple(int(p) + 2 for p in pos[:5]),
                    values=tuple(_scores.py(v) for v in raw.to_numpy(object)[pos[:5]]),
                    count=int(bad.sum()),
                    fix="Give every answer a date such as 2024-03-31.",
                )
            ]
        )
    f = {**_FREQ, "D": "D"}.get(str(freq).upper())
    if f is None:
        raise CxError(f"unknown freq {freq!r}; use 'D', 'W', 'M', 'Q' or 'Y'.")
    period = pd.Series(d.dt.to_period(f).dt.start_time.to_numpy(), index=data.index, name="period")
    tmp = pd.DataFrame({score_column: data[score_column], "period": period})
    if weight_column is not None:
        tmp[weight_column] = data[weight_column]
    out = nps_by(tmp, score_column, "period", weight_column, method=method, level=level, seed=seed).summary
    out.attrs["level"] = level
    return out


def period_changes(trend: pd.DataFrame, *, method: str = "adjusted-wald", level: float | None = None) -> pd.DataFrame:
    """Each period's NPS minus the previous period's, with the interval of the difference.

    Parameters
    ----------
    trend : pandas.DataFrame
        The result of :func:`nps_over_time` (or a :attr:`SegmentNPS.summary` in order):
        one row per period with ``n``, the counts, shares, ``nps`` and ``se``.
    method : {"adjusted-wald", "wald"}
        Interval of the difference (see :func:`compare`).
    level : float, optional
        Confidence level (default: ``trend.attrs["level"]``, else 0.95).

    Returns
    -------
    pandas.DataFrame
        One row per period after the first (periods without answers are skipped):
        ``previous`` (the period compared with), ``nps``, ``previous_nps``, ``change``,
        ``ci_low``, ``ci_high``, ``p_value`` and ``significant``, indexed like ``trend``.

    Examples
    --------
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2024-01-05"] * 50 + ["2024-02-03"] * 50),
    ...                    "ltr": [10] * 30 + [3] * 20 + [10] * 10 + [3] * 40})
    >>> ch = period_changes(nps_over_time(df, "ltr", "d"))
    >>> row = ch.iloc[0]   # +20 in January, -60 in February
    >>> print(f"{row['change']:+.0f} [{row['ci_low']:+.0f}, {row['ci_high']:+.0f}]", row["significant"])
    -80 [-109, -42] True
    """
    level = float(trend.attrs.get("level", 0.95) if level is None else level)
    rows, index = [], []
    valid = trend[trend["n"] > 0]
    for (prev_key, prev), (key, row) in zip(valid.iloc[:-1].iterrows(), valid.iloc[1:].iterrows()):
        a = _result_from_row(row, method, level)
        b = _result_from_row(prev, method, level)
        c = compare(a, b, method=method, level=level)
        index.append(key)
        rows.append(
            {
                "previous": prev_key,
                "nps": a.nps,
                "previous_nps": b.nps,
                "change": c.diff,
                "ci_low": c.ci_low,
                "ci_high": c.ci_high,
                "p_value": c.p_value,
                "significant": c.significant,
            }
        )
    cols = ["previous", "nps", "previous_nps", "change", "ci_low", "ci_high", "p_value", "significant"]
    out = pd.DataFrame(rows, columns=cols, index=pd.Index(index, name=trend.index.name))
    out.attrs["level"] = level
    return out


# ---------------------------------------------------------------------------------------------
# comparisons and sample sizes
# ---------------------------------------------------------------------------------------------
def _adjusted(r: NPSResult) -> tuple[float, float]:
    """The adjusted-Wald estimate and variance (0-1 scale) of one NPS."""
    n = r.n_eff if r.n_eff == r.n_eff else r.n
    nn = n + sum(ADJUST)
    tP = (r.share_promoters * n + ADJUST[0]) / nn
    tD = (r.share_detractors * n + ADJUST[2]) / nn
    return tP - tD, (tP + tD - (tP - tD) ** 2) / nn


@renamed_arguments(conf="level")
def compare(a: NPSResult, b: NPSResult, *, method: str = "adjusted-wald", level: float = 0.95) -> Comparison:
    """Difference ``a - b`` of two independent NPS values, with interval and z test.

    One method gives the interval, the z statistic, the p-value and ``significant``,
    so they never disagree: the p-value is below ``1 - level`` exactly when the
    interval excludes 0. ``"wald"``: ``diff +- z * SE_diff`` with
    ``SE_diff = sqrt(SE_a^2 + SE_b^2)``. ``"adjusted-wald"`` (default): both NPS
    re-estimated with 3 pseudo-answers each (as in :func:`from_counts`), the
    difference of the adjusted estimates +- z times its standard error.

    Parameters
    ----------
    a, b : NPSResult
        The two groups (independent samples).
    method : {"adjusted-wald", "wald"}
        Interval and test method.
    level : float
        Confidence level, a share between 0 and 1.

    Returns
    -------
    Comparison
        ``diff`` (raw difference), ``se`` (plain SE), interval, ``z``, ``p_value``, ``significant``.

    Raises
    ------
    CxError
        If a group has no valid answers or ``method="bootstrap"``.

    Examples
    --------
    >>> a = from_counts(180, 160, 60)      # NPS 30, n = 400
    >>> b = from_counts(165, 165, 70)      # NPS 23.75, n = 400
    >>> c = compare(a, b, method="wald")
    >>> print(f"{c.diff:.2f} SE {c.se:.2f} z {c.z:.2f} [{c.ci_low:.1f}, {c.ci_high:.1f}]", c.significant)
    6.25 SE 5.10 z 1.23 [-3.7, 16.2] False
    """
    method = _st.check_method(method)
    if method == "bootstrap":
        raise CxError("compare() supports method='wald' or 'adjusted-wald'.")
    if a.n == 0 or b.n == 0:
        raise CxError("both groups need at least one valid answer to compare their NPS.")
    zcrit = _st.z_value(level)
    diff, se = a.nps - b.nps, math.hypot(a.se, b.se)
    if method == "wald":
        centre, s = diff, se
    else:
        (ta, va), (tb, vb) = _adjusted(a), _adjusted(b)
        centre, s = 100 * (ta - tb), 100 * math.sqrt(va + vb)
    if s > 0:
        zstat = centre / s
        # both ends from the same statistic: the interval excludes 0 exactly when |z| > zcrit
        lo, hi = s * (zstat - zcrit), s * (zstat + zcrit)
        significant = abs(zstat) > zcrit
    else:  # no variance at all (e.g. Wald on two samples of only promoters)
        zstat = 0.0 if centre == 0 else math.copysign(math.inf, centre)
        lo = hi = centre
        significant = centre != 0
    from scipy import stats

    p = float(2 * stats.norm.sf(abs(zstat)))
    return Comparison(
        diff=diff, se=se, ci_low=max(-200.0, lo), ci_high=min(200.0, hi), z=float(zstat), p_value=p,
        significant=bool(significant), method=method, level=level,
    )  # fmt: skip


def _variance(promoters: float, detractors: float) -> float:
    for v in (promoters, detractors):
        if not 0 <= v <= 1:
            raise CxError(f"shares must be between 0 and 1 (e.g. 0.40 for 40% promoters), got {v!r}.")
    if promoters + detractors > 1:
        raise CxError("the promoter and detractor shares add up to more than 1.")
    return promoters + detractors - (promoters - detractors) ** 2


def _alpha_to_level(func: Callable[..., Any]) -> Callable[..., Any]:
    """Accept the 0.1 argument ``alpha`` (a test's size) as ``level = 1 - alpha``, with a warning."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "alpha" in kwargs:
            if "level" in kwargs:
                raise TypeError(f"{func.__name__}() got both alpha= (deprecated) and level=; pass only level=.")
            warnings.warn(
                f"{func.__name__}(alpha=...) is deprecated since cxlib 0.2; use {func.__name__}(level=1 - alpha).",
                DeprecationWarning,
                stacklevel=2,
            )
            kwargs["level"] = 1 - kwargs.pop("alpha")
        return func(*args, **kwargs)

    wrapper.__deprecated_arguments__ = {"alpha": "level"}  # type: ignore[attr-defined]
    return wrapper


@_alpha_to_level
def sample_size(a: tuple[float, float], b: tuple[float, float], *, level: float = 0.95, power: float = 0.8) -> int:
    """Answers needed *per group* to detect the change from NPS ``a`` to NPS ``b``.

    ``n = (z_{(1+level)/2} + z_{power})^2 (V_a + V_b) / delta^2`` with
    ``V = pP + pD - (pP - pD)^2`` and ``delta`` on the 0-1 scale (a two-sided test
    at ``1 - level``, i.e. a ``level`` interval of the difference that excludes 0).

    Parameters
    ----------
    a, b : (promoter share, detractor share)
        The expected shares in the two groups, e.g. ``(0.40, 0.20)`` for NPS 20.
    level : float
        Confidence level of the test, a share between 0 and 1 (0.95: a 5% test).
    power : float
        Chance of detecting the change, between 0 and 1.

    Returns
    -------
    int

    Examples
    --------
    >>> sample_size((0.40, 0.20), (0.45, 0.15))     # NPS 20 -> 30
    840
    """
    va, vb = _variance(*a), _variance(*b)
    delta = (a[0] - a[1]) - (b[0] - b[1])
    if delta == 0:
        raise CxError("the two NPS values are equal: no sample size can detect a zero change.")
    if not 0 < power < 1:
        raise CxError("power must be between 0 and 1 (e.g. 0.8).")
    zsum = _st.z_value(level) + float(normal_quantile(power))
    return int(math.ceil(zsum**2 * (va + vb) / delta**2))


@renamed_arguments(conf="level")
def sample_size_for_margin(
    margin: float, promoters: float = 0.5, detractors: float = 0.5, *, level: float = 0.95
) -> int:
    """Answers needed for a Wald interval of +-``margin`` points.

    The default shares (half promoters, half detractors) are the worst case,
    ``V = 1``, so the margin is ``196 / sqrt(n)`` points at 95%.

    Parameters
    ----------
    margin : float
        Half-width of the interval, in NPS points.
    promoters, detractors : float
        Expected shares (0-1).
    level : float
        Confidence level, a share between 0 and 1.

    Returns
    -------
    int

    Examples
    --------
    >>> sample_size_for_margin(5, 0.45, 0.15)
    784
    >>> sample_size_for_margin(36)       # the worst case at n = 30
    30
    """
    if not margin > 0:
        raise CxError("margin must be a positive number of NPS points, e.g. 5.")
    v = _variance(promoters, detractors)
    return int(math.ceil(_st.z_value(level) ** 2 * v / (margin / 100) ** 2))

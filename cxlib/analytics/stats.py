"""Statistics that several lessons share: one implementation each.

* :func:`check_level`: the one check of a confidence level (a share between 0 and 1:
  ``level=0.95`` for a 95% interval; ``level=95`` is an error, not a 9,500% interval).
* :func:`wilson_interval`: the Wilson score interval of a proportion (vectorised;
  statsmodels' ``proportion_confint(method="wilson")``), as ``cx_science.md`` §2 asks for
  rates such as top-2-box CSAT or churn. Counts are checked: ``k > n``, negative or
  fractional counts are errors.
* :func:`proportions_from_counts` and :func:`proportions`: shares with Wilson intervals
  from a table of counts (``successes`` and ``n`` per group), or from one row per case.
  The row-level function only counts, then calls the count-level one, so a count table
  made anywhere else (a DuckDB or Spark query) gives the same numbers.
* :func:`delong_auc_ci`: ROC AUC with the DeLong (1988) standard error and interval.

Examples
--------
>>> lo, hi = wilson_interval([8, 0], [10, 5])
>>> [round(float(x), 3) for x in lo], [round(float(x), 3) for x in hi]
([0.49, 0.0], [0.943, 0.434])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxlib.checks import require_columns, spreadsheet_rows
from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "check_level",
    "check_counts",
    "wilson_interval",
    "proportions_from_counts",
    "proportions",
    "delong_auc_ci",
    "check_target_scores",
    "normal_quantile",
    "z_value",
]


def check_level(level: Any, name: str = "level") -> float:
    """Check a confidence level and return it as a float strictly between 0 and 1.

    Parameters
    ----------
    level : float
        The confidence level as a share: 0.95 for a 95% interval.
    name : str
        The argument's name, for the message.

    Returns
    -------
    float
        ``level``.

    Raises
    ------
    CxError
        If ``level`` is not a number strictly between 0 and 1 (``95`` is refused
        with a message that suggests ``0.95``).

    Examples
    --------
    >>> check_level(0.9)
    0.9
    >>> check_level(95)
    Traceback (most recent call last):
    ...
    cxlib.errors.CxError: level is a share between 0 and 1, got 95: for a 95% interval pass level=0.95.
    """
    try:
        value = float(level)
    except (TypeError, ValueError):
        raise CxError(f"{name} must be a number between 0 and 1 (e.g. 0.95), got {level!r}.") from None
    if isinstance(level, bool) or not 0 < value < 1:
        hint = f": for a {value:g}% interval pass {name}={value / 100:g}" if 1 < value < 100 else " (e.g. 0.95)"
        raise CxError(f"{name} is a share between 0 and 1, got {level!r}{hint}.")
    return value


def _positions(mask: np.ndarray, limit: int = 5) -> str:
    pos = np.flatnonzero(mask.ravel())
    shown = ", ".join(str(int(p)) for p in pos[:limit])
    return shown + (f" (+{len(pos) - limit} more)" if len(pos) > limit else "")


def check_counts(
    k: Any, n: Any, *, k_name: str = "k", n_name: str = "n", what: str = "wilson_interval()"
) -> tuple[np.ndarray, np.ndarray]:
    """Check successes ``k`` out of ``n`` trials: whole numbers with ``0 <= k <= n``.

    Missing values (NaN) are allowed and give a missing result downstream.

    Parameters
    ----------
    k, n : array-like
        Successes and trials (broadcast together).
    k_name, n_name : str
        Their names, for the message (e.g. ``"satisfied"``, ``"answered"``).
    what : str
        Who checks, for the message.

    Returns
    -------
    (k, n) : tuple of numpy.ndarray
        Both as float arrays of the broadcast shape.

    Raises
    ------
    CxError
        Naming the positions and values of every count that is negative, fractional,
        infinite, or larger than its ``n``.

    Examples
    --------
    >>> check_counts([3, 5], [4, 5])[0].tolist()
    [3.0, 5.0]
    >>> check_counts([5], [3])
    Traceback (most recent call last):
    ...
    cxlib.errors.CxError: wilson_interval(): k is larger than n at position 0 (k=5, n=3); successes cannot exceed trials.
    """
    try:
        kk, nn = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    except (TypeError, ValueError) as exc:
        raise CxError(f"{what}: {k_name} and {n_name} must be numbers of the same shape ({exc}).") from None
    problems = []
    for arr, label in ((kk, k_name), (nn, n_name)):
        known = ~np.isnan(arr)
        bad = known & (~np.isfinite(arr) | (arr < 0) | (arr != np.round(arr)))
        if bad.any():
            vals = ", ".join(f"{v:g}" for v in arr[bad][:5])
            problems.append(f"{label} must be a whole number of 0 or more; position {_positions(bad)} holds {vals}")
    over = ~np.isnan(kk) & ~np.isnan(nn) & (kk > nn)
    if over.any():
        first = np.flatnonzero(over.ravel())[:5]
        pairs = ", ".join(f"{k_name}={kk.ravel()[i]:g}, {n_name}={nn.ravel()[i]:g}" for i in first)
        problems.append(
            f"{k_name} is larger than {n_name} at position {_positions(over)} ({pairs}); successes cannot exceed trials"
        )
    if problems:
        raise CxError(f"{what}: " + "; ".join(problems) + ".")
    return kk, nn


def wilson_interval(k: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion ``k/n`` (vectorised).

    Parameters
    ----------
    k, n : array-like
        Successes and trials: whole numbers with ``0 <= k <= n``. Where ``n`` is 0,
        or either is missing (NaN), the interval is NaN.
    level : float
        Confidence level, a share between 0 and 1 (0.95).

    Returns
    -------
    (low, high) : tuple of numpy.ndarray
        The interval, clipped to [0, 1]; it always contains ``k/n``.

    Raises
    ------
    CxError
        If a count is negative or fractional, ``k > n``, or ``level`` is not between 0 and 1.

    Examples
    --------
    >>> lo, hi = wilson_interval(12, 100)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.07, 0.198)
    """
    level = check_level(level)
    k, n = check_counts(k, n)
    low, high = np.full(k.shape, np.nan), np.full(k.shape, np.nan)
    ok = (n > 0) & ~np.isnan(k)
    if ok.any():
        low[ok], high[ok] = _wilson(k[ok], n[ok], level)
        # the Wilson interval always contains k/n; keep rounding (e.g. 0.9999999999999999 at k = n) from
        # excluding it
        rate = k[ok] / n[ok]
        low[ok], high[ok] = np.minimum(low[ok], rate), np.maximum(high[ok], rate)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


#: The standard normal quantile at the levels the course uses (80, 90, 95 and 99%: both tails, as
#: ``0.5 + level / 2`` and ``(1 - level) / 2`` give them), as ``scipy.special.ndtri`` gives it to the
#: last bit (``tests/test_engine_speed.py`` checks them): a command that needs only these does
#: not import SciPy (about 0.35 s CPU).
NORMAL_QUANTILES: dict[float, float] = {
    0.0050000000000000044: -2.5758293035489004,
    0.025000000000000022: -1.959963984540054,
    0.04999999999999999: -1.6448536269514729,
    0.09999999999999998: -1.2815515655446004,
    0.9: 1.2815515655446004,
    0.95: 1.6448536269514722,
    0.975: 1.959963984540054,
    0.995: 2.5758293035489004,
}


def normal_quantile(p: Any) -> Any:
    """The standard normal quantile of ``p`` (``scipy.stats.norm.ppf``, to the last bit).

    ``scipy.stats.norm.ppf`` is ``scipy.special.ndtri``; importing only ``scipy.special``
    keeps the command line's start quick (``scipy.stats`` takes about a second to import),
    and at the usual levels (:data:`NORMAL_QUANTILES`) nothing is imported.

    Parameters
    ----------
    p : float or array-like
        Probabilities between 0 and 1.

    Returns
    -------
    float or numpy.ndarray
        The quantiles (``-inf`` at 0, ``inf`` at 1).

    Examples
    --------
    >>> round(float(normal_quantile(0.975)), 4)
    1.96
    """
    if isinstance(p, float) and p in NORMAL_QUANTILES:
        return np.float64(NORMAL_QUANTILES[p])
    from scipy.special import ndtri

    return ndtri(p)


def z_value(level: float) -> float:
    """The two-sided normal quantile of a confidence level (0.95 -> 1.96): the ``z`` of every interval.

    Parameters
    ----------
    level : float
        The confidence level as a share (checked by :func:`check_level`).

    Returns
    -------
    float
        ``normal_quantile(0.5 + level / 2)``.

    Examples
    --------
    >>> round(z_value(0.95), 3), round(z_value(0.9), 3)
    (1.96, 1.645)
    """
    return float(normal_quantile(0.5 + check_level(level) / 2))


def _wilson(k: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """The Wilson interval as ``statsmodels.stats.proportion.proportion_confint(method="wilson")``
    computes it, operation for operation (the same numbers without importing statsmodels)."""
    crit = -normal_quantile((1 - level) / 2.0)  # norm.isf(alpha / 2)
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    q_ = k / n
    crit2 = crit**2
    denom = 1 + crit2 / n
    center = (q_ + crit2 / (2 * n)) / denom
    dist = crit * np.sqrt(q_ * (1.0 - q_) / n + crit2 / (4.0 * n**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def proportions_from_counts(
    counts: pd.DataFrame,
    *,
    successes_column: str = "successes",
    n_column: str = "n",
    level: float = 0.95,
) -> pd.DataFrame:
    """Shares with Wilson intervals from a table of counts, one row per group.

    The count table
        ``successes`` (e.g. churned customers) and ``n`` (cases with a known
        outcome) per row, whole numbers with ``0 <= successes <= n``, plus any group
        columns, which are kept as they are. An optional ``missing`` column (cases
        whose outcome is blank) is kept too. Rows are not merged: aggregate first.

    Parameters
    ----------
    counts : pandas.DataFrame
        The count table.
    successes_column, n_column : str
        The names of the two count columns in ``counts``.
    level : float
        Confidence level, a share between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        ``counts`` with ``rate``, ``ci_low`` and ``ci_high`` added (NaN where ``n`` is 0).

    Raises
    ------
    CxError
        If a column is missing or a count is invalid.

    Examples
    --------
    >>> t = pd.DataFrame({"plan": ["Basic", "Plus"], "successes": [12, 0], "n": [100, 40]})
    >>> proportions_from_counts(t).round(3)
        plan  successes    n  rate  ci_low  ci_high
    0  Basic         12  100  0.12   0.070    0.198
    1   Plus          0   40  0.00   0.000    0.088
    """
    require_columns(counts, [successes_column, n_column], "proportions_from_counts()", source="counts")
    k, n = check_counts(
        counts[successes_column].to_numpy(dtype=float),
        counts[n_column].to_numpy(dtype=float),
        k_name=successes_column,
        n_name=n_column,
        what="proportions_from_counts()",
    )
    lo, hi = wilson_interval(k, n, level)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
    return counts.assign(rate=rate, ci_low=lo, ci_high=hi)


def _outcome_codes(data: pd.DataFrame, column: str) -> np.ndarray:
    """A 0/1 outcome column as floats with NaN for blanks; anything else is an error."""
    s = data[column]
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=float)
    x = pd.to_numeric(s.astype(object).where(s.notna(), np.nan), errors="coerce").to_numpy(dtype=float)
    bad = (~np.isnan(x) & ~np.isin(x, (0.0, 1.0))) | (np.isnan(x) & s.notna().to_numpy())
    if bad.any():
        raise ValidationError(
            [
                Problem(
                    "not a 0/1 outcome",
                    column=column,
                    rows=spreadsheet_rows(bad),
                    values=tuple(s[bad].head(5).tolist()),
                    count=int(bad.sum()),
                    fix="The outcome must be 1 (yes), 0 (no) or blank (unknown); recode it first.",
                )
            ]
        )
    return x


def proportions(
    data: pd.DataFrame,
    outcome_column: str,
    segment_column: str | Sequence[str] | None = None,
    *,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of 1s in a 0/1 column, with Wilson intervals, overall or per segment.

    Counts the rows (:func:`proportions_from_counts` does the statistics), so the
    result equals that of a count table made by any other engine.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case.
    outcome_column : str
        A 0/1 (or True/False) column; blanks are unknown outcomes, counted in ``missing``.
    segment_column : str or list of str, optional
        Group columns; a blank segment is its own group. None for one overall row.
    level : float
        Confidence level, a share between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        One row per segment: the segment columns, ``successes``, ``n``, ``missing``,
        ``rate``, ``ci_low`` and ``ci_high``.

    Raises
    ------
    ValidationError
        If a column is missing or the outcome holds anything other than 0, 1 or blank.

    Examples
    --------
    >>> df = pd.DataFrame({"plan": ["A", "A", "B", "B"], "churned": [1, 0, 0, None]})
    >>> proportions(df, "churned", "plan")[["plan", "successes", "n", "missing", "rate"]]
      plan  successes  n  missing  rate
    0    A          1  2        0   0.5
    1    B          0  1        1   0.0
    """
    keys = (
        [] if segment_column is None else [segment_column] if isinstance(segment_column, str) else list(segment_column)
    )
    require_columns(data, [outcome_column, *keys], "proportions()")
    x = _outcome_codes(data, outcome_column)
    frame = pd.DataFrame(
        {
            "successes": np.nan_to_num(x, nan=0.0),
            "n": (~np.isnan(x)).astype(float),
            "missing": np.isnan(x).astype(float),
        }
    )
    if keys:
        for c in keys:
            frame[c] = data[c].to_numpy()
        counts = frame.groupby(keys, sort=True, dropna=False, observed=True)[["successes", "n", "missing"]].sum()
        counts = counts.reset_index()
    else:
        counts = frame[["successes", "n", "missing"]].sum().to_frame().T
    counts[["successes", "n", "missing"]] = counts[["successes", "n", "missing"]].astype(np.int64)
    return proportions_from_counts(counts, level=level)


def check_target_scores(y: Any, p: Any) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 target with both classes and scores of the same length, without gaps.

    Parameters
    ----------
    y : array-like
        The outcome, 0 or 1.
    p : array-like
        The scores (higher for 1).

    Returns
    -------
    (y, p) : tuple of numpy.ndarray
        ``y`` as integers, ``p`` as floats.

    Raises
    ------
    CxError
        If the lengths differ, a value is missing, ``y`` is not 0/1 or has one class only.

    Examples
    --------
    >>> check_target_scores([0, 1], [0.2, 0.7])[0]
    array([0, 1])
    """
    y = np.asarray(y, dtype=float).ravel()
    p = np.asarray(p, dtype=float).ravel()
    if len(y) != len(p):
        raise CxError(f"y has {len(y)} values but the predictions have {len(p)}.")
    bad = np.isnan(y) | np.isnan(p)
    if bad.any():
        raise CxError(f"{int(bad.sum())} missing value(s) in the target or predictions; drop them first.")
    if not np.isin(y, (0, 1)).all():
        raise CxError("the target must be 0/1.")
    if y.min() == y.max():
        raise CxError("the target has one class only; AUC needs churners and stayers.")
    return y.astype(int), p


def delong_auc_ci(y: Any, p: Any, level: float = 0.95) -> tuple[float, float, float, float]:
    """ROC AUC with its DeLong standard error and a normal-approximation interval.

    DeLong, DeLong & Clarke-Pearson (1988), "Comparing the areas under two or more
    correlated receiver operating characteristic curves", *Biometrics*; computed
    with midranks (Sun & Xu 2014). The interval is clipped to [0, 1].

    Parameters
    ----------
    y : array-like
        The 0/1 outcome (e.g. churned).
    p : array-like
        Scores, higher for the positive class (e.g. churn risk).
    level : float
        Confidence level, a share between 0 and 1.

    Returns
    -------
    (auc, se, low, high) : tuple of float

    Examples
    --------
    Two churners scored 0.9 and 0.4, two stayers 0.6 and 0.1: 3 of 4 pairs are
    ordered correctly, and the placement variances give SE = sqrt(0.125).

    >>> auc, se, lo, hi = delong_auc_ci([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1])
    >>> round(auc, 3), round(se, 4), round(lo, 3), hi
    (0.75, 0.3536, 0.057, 1.0)
    """
    from scipy.stats import rankdata

    level = check_level(level)
    y, p = check_target_scores(y, p)
    pos, neg = p[y == 1], p[y == 0]
    m, n = len(pos), len(neg)
    r_all = rankdata(np.r_[pos, neg])
    v10 = (r_all[:m] - rankdata(pos)) / n  # placement of each positive
    v01 = 1.0 - (r_all[m:] - rankdata(neg)) / m  # placement of each negative
    auc = float(v10.mean())
    s10 = v10.var(ddof=1) if m > 1 else 0.0
    s01 = v01.var(ddof=1) if n > 1 else 0.0
    se = float(np.sqrt(s10 / m + s01 / n))
    z = z_value(level)
    return auc, se, float(max(0.0, auc - z * se)), float(min(1.0, auc + z * se))

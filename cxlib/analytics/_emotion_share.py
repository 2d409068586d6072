"""Shares with their Wilson interval ("44% rarely or never shop around"), part of :mod:`cxlib.analytics.emotion`."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._emotion_base import _binary, _Interval
from cxlib.analytics._level import check_level
from cxlib.analytics.stats import wilson_interval
from cxlib.errors import CxError, ValidationError

__all__ = ["Share", "share"]


# ----------------------------------------------------------------------------------------------
# Shares ("44% rarely or never shop around")
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Share(_Interval):
    """A proportion with its Wilson interval (see :func:`share`).

    Attributes
    ----------
    p : float
        The share, ``k / n``.
    ci_low, ci_high : float
        Its Wilson interval at ``level``.
    k : int
        Non-missing values that are True (1).
    n : int
        Non-missing values.
    n_missing : int
        Missing values left out.
    level : float
        Confidence level of the interval, e.g. 0.95.
    """

    p: float
    ci_low: float
    ci_high: float
    k: int
    n: int
    n_missing: int = 0
    level: float = 0.95

    def __repr__(self) -> str:
        return (
            f"Share(p={self.p:.3f} [{self.ci_low:.3f}, {self.ci_high:.3f}] at {self.level:.0%}; "
            f"{self.k}/{self.n}" + (f"; {self.n_missing} missing" if self.n_missing else "") + ")"
        )


@renamed_arguments(confidence="level")
def share(values, *, level: float = 0.95) -> Share:
    """Share of True (1) among the non-missing values, with a Wilson interval.

    Parameters
    ----------
    values : array-like of bool / 0-1, may contain NaN
        E.g. ``df["shop_around"].isin(["never", "rarely"])`` (mask missing
        answers with ``.where(df["shop_around"].notna())`` so they are counted
        as missing, not as "no").
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Share
        ``p``, ``ci_low``, ``ci_high``, ``k``, ``n`` and ``n_missing``.

    Examples
    --------
    >>> share([1, 1, 0, 0, 0, None, 1, 0, 0, 0])
    Share(p=0.333 [0.121, 0.646] at 95%; 3/9; 1 missing)
    """
    s = pd.Series(list(values) if not isinstance(values, pd.Series) else values, dtype=object)
    problems: list = []
    v = _binary(pd.DataFrame({"value": s}), "value", problems)
    if problems:
        raise ValidationError(problems, source="share")
    n_missing = int(v.isna().sum())
    v = v.dropna()
    n, k = int(len(v)), int(v.sum())
    if n == 0:
        raise CxError("no non-missing values: a share needs at least one answer.")
    lo, hi = wilson_interval(k, n, level=check_level(level))
    return Share(p=k / n, ci_low=float(lo), ci_high=float(hi), k=k, n=n, n_missing=n_missing, level=level)

"""Retention measured on a holdout period, for the course's constant-retention CLV formula.

Public through :mod:`cxlib.analytics.clv` as :func:`holdout_retention`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.analytics.stats import check_level, wilson_interval
from cxlib.errors import CxError

__all__ = ["holdout_retention"]


def holdout_retention(summary: pd.DataFrame, *, period: float | None = None, level: float = 0.95) -> dict:
    """Share of customers who bought again in the holdout period, with a Wilson interval.

    A bridge from a non-contractual business (nobody cancels) to the course's CLV formula
    with a constant retention rate (``economics.clv``): a customer counts as *retained* when
    they made at least one purchase in the holdout period, and as lost otherwise. That
    treats "did not buy for a while" as "gone for good", which understates the value of
    customers who come back later; the BG/NBD model does not need that assumption.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`cxlib.analytics.clv.summarize_orders` with ``holdout_end``
        (``frequency_holdout`` and ``duration_holdout``; with ``value_holdout`` the result
        also gives the value of a retained customer).
    period : float, optional
        Convert the rate (and value) to periods of this length, in the summary's unit (52
        for a year in weeks), assuming retention is the same in every period:
        ``rate ** (period / duration)``. The interval is converted the same way.
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    dict
        ``customers``, ``retained``, ``rate``, ``ci_low``, ``ci_high`` (over the holdout),
        ``duration`` and ``unit`` of the holdout; with ``period``: ``period``,
        ``rate_per_period``, ``ci_low_per_period``, ``ci_high_per_period``; with values:
        ``value_per_retained`` (mean holdout value of a retained customer, per ``period`` when
        given, else per holdout).

    Raises
    ------
    CxError
        A summary without a holdout, no customers, or a period that is not a number > 0.

    Examples
    --------
    >>> from cxlib.analytics.clv import summarize_orders
    >>> from cxlib.data.datasets import load_cdnow
    >>> s = summarize_orders(load_cdnow(sample=True), "customer_id", "date", "dollar_value",
    ...                      calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> h = holdout_retention(s, period=52)
    >>> h["retained"], h["customers"], round(h["rate"], 3), round(h["rate_per_period"], 3)
    (684, 2357, 0.29, 0.192)
    """
    if "frequency_holdout" not in summary.columns or "duration_holdout" not in summary.columns:
        raise CxError(
            "holdout_retention: the summary has no holdout; build it with summarize_orders(..., holdout_end=DATE)."
        )
    if len(summary) == 0:
        raise CxError("holdout_retention: the summary has no customers.")
    lv = check_level(level)
    bought = pd.to_numeric(summary["frequency_holdout"], errors="coerce").fillna(0).to_numpy() > 0
    n, k = len(bought), int(bought.sum())
    lo, hi = wilson_interval(k, n, level=lv)
    duration = float(summary["duration_holdout"].iloc[0])
    out: dict = {
        "customers": n,
        "retained": k,
        "rate": k / n,
        "ci_low": float(lo),
        "ci_high": float(hi),
        "duration": duration,
        "unit": summary.attrs.get("unit", ""),
    }
    scale = 1.0
    if period is not None:
        if not np.isfinite(period) or period <= 0:
            raise CxError(f"holdout_retention: period must be a number > 0 (in the summary's unit), not {period!r}.")
        scale = float(period) / duration
        out["period"] = float(period)
        out["rate_per_period"] = out["rate"] ** scale
        out["ci_low_per_period"] = out["ci_low"] ** scale
        out["ci_high_per_period"] = out["ci_high"] ** scale
    if "value_holdout" in summary.columns and k > 0:
        mean_value = float(pd.to_numeric(summary["value_holdout"], errors="coerce")[bought].mean())
        out["value_per_retained"] = mean_value * scale
    return out

"""Statistics that several lessons share: one implementation each.

* :func:`wilson_interval`: the Wilson score interval of a proportion (vectorised;
  statsmodels' ``proportion_confint(method="wilson")``), as ``cx_science.md`` §2 asks for
  rates such as top-2-box CSAT or churn.
* :func:`delong_auc_ci`: ROC AUC with the DeLong (1988) standard error and interval.

Examples
--------
>>> lo, hi = wilson_interval([8, 0], [10, 5])
>>> [round(float(x), 3) for x in lo], [round(float(x), 3) for x in hi]
([0.49, 0.0], [0.943, 0.434])
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, rankdata

from cxlib.errors import CxError

__all__ = ["wilson_interval", "delong_auc_ci", "check_target_scores"]


def wilson_interval(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion ``k/n`` (vectorised).

    Parameters
    ----------
    k, n : array-like
        Successes and trials; where ``n`` is 0 the interval is NaN.
    level : float
        Confidence level.

    Returns
    -------
    (low, high) : tuple of ndarray, clipped to [0, 1]

    Examples
    --------
    >>> lo, hi = wilson_interval(12, 100)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.07, 0.198)
    """
    from statsmodels.stats.proportion import proportion_confint

    k, n = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    low, high = np.full(k.shape, np.nan), np.full(k.shape, np.nan)
    ok = n > 0
    if ok.any():
        low[ok], high[ok] = proportion_confint(k[ok], n[ok], alpha=1 - level, method="wilson")
        # the Wilson interval always contains k/n; keep rounding (e.g. 0.9999999999999999 at k = n) from
        # excluding it
        rate = k[ok] / n[ok]
        low[ok], high[ok] = np.minimum(low[ok], rate), np.maximum(high[ok], rate)
    return np.clip(low, 0, 1), np.clip(high, 0, 1)


def check_target_scores(y, p) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 target with both classes and scores of the same length, without gaps.

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


def delong_auc_ci(y, p, level: float = 0.95) -> tuple[float, float, float, float]:
    """ROC AUC with its DeLong standard error and a normal-approximation interval.

    DeLong, DeLong & Clarke-Pearson (1988), "Comparing the areas under two or more
    correlated receiver operating characteristic curves", *Biometrics*; computed
    with midranks (Sun & Xu 2014). The interval is clipped to [0, 1]. ``p`` is
    higher for the positive class (e.g. churn risk).

    Returns
    -------
    (auc, se, low, high)

    Examples
    --------
    Two churners scored 0.9 and 0.4, two stayers 0.6 and 0.1: 3 of 4 pairs are
    ordered correctly, and the placement variances give SE = sqrt(0.125).

    >>> auc, se, lo, hi = delong_auc_ci([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1])
    >>> round(auc, 3), round(se, 4), round(lo, 3), hi
    (0.75, 0.3536, 0.057, 1.0)
    """
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
    z = norm.ppf(0.5 + level / 2)
    return auc, se, float(max(0.0, auc - z * se)), float(min(1.0, auc + z * se))

"""The leakage alarm: signs that a column was recorded after the outcome it is meant to predict.

A churn model that looks too good usually is: a column filled in when the customer
left (a cancellation reason, a final bill, a status read today) predicts the past,
not the future. :func:`leakage_checks` raises an alarm when

* the out-of-fold ROC AUC is 0.99 or more;
* one column alone ranks churners with an AUC of 0.95 or more (numbers by their
  value, text by the churn rate of their level, estimated on the other folds);
* a column is blank for one class only (every blank is a churner, or every blank a
  stayer, and the blanks are at least half of that class).

:func:`cxlib.analytics.churn.ChurnModel.cross_validate`,
:func:`~cxlib.analytics.churn.time_validate` and
:func:`~cxlib.analytics.churn.churn_report` run it and warn with a
:class:`LeakageWarning`. An alarm is a question ("recorded after the outcome?"), not a
verdict; a quiet alarm does not prove a table is clean.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import rankdata

__all__ = ["LeakageAlarm", "LeakageWarning", "leakage_checks", "warn_alarms"]

#: Thresholds of the alarms.
OOF_AUC_ALARM = 0.99
COLUMN_AUC_ALARM = 0.95
BLANK_SHARE_ALARM = 0.5


class LeakageWarning(UserWarning):
    """A churn model or one of its columns looks too good to be true (see :func:`leakage_checks`)."""


@dataclass(frozen=True)
class LeakageAlarm:
    """One leakage alarm: which column (or ``None`` for the model), what was seen, the value.

    Attributes
    ----------
    kind : {"model", "column", "blank"}
        What raised it: the model's validated ROC AUC, one column's own ROC AUC, or a column
        blank for one class only.
    column : str or None
        The column concerned; ``None`` for a model alarm.
    value : float
        The number that raised it: the ROC AUC, or the share of the class left blank.
    message : str
        The readable alarm, naming the column and what to check.
    """

    kind: str
    column: str | None
    value: float
    message: str

    def __str__(self) -> str:
        return self.message


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC of ``score`` (midranks for ties), or NaN without both classes."""
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = rankdata(score)
    return float((r[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _level_rates(col: pd.Series, y: np.ndarray, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Each row's churn rate of its level, estimated on the other folds (smoothed towards the mean)."""
    levels = col.astype(object).where(col.notna(), "(blank)").astype(str).to_numpy()
    codes, uniques = pd.factorize(levels)
    fold = np.random.default_rng(seed).integers(0, folds, len(y))
    y = np.asarray(y, dtype=float)
    prior = y.mean()
    out = np.empty(len(y))
    for f in range(folds):
        train = fold != f
        # per level: churners and customers in the other folds; a level they lack gets the prior
        churners = np.bincount(codes[train], weights=y[train], minlength=len(uniques))
        customers = np.bincount(codes[train], minlength=len(uniques))
        out[~train] = ((churners + prior) / (customers + 1))[codes[~train]]
    return out


def _column_auc(col: pd.Series, y: np.ndarray) -> float:
    """How well one column alone ranks churners (0.5 = not at all, 1 = perfectly), either direction."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        v = col.to_numpy(dtype=float)
        ok = ~np.isnan(v)
        if ok.sum() < 2:
            return float("nan")
        a = _auc(y[ok], v[ok])
    else:
        a = _auc(y, _level_rates(col, y))
    return float(max(a, 1 - a)) if np.isfinite(a) else a


def _blank_for_one_class(col: pd.Series, y: np.ndarray) -> tuple[str, float] | None:
    blank = col.isna().to_numpy()
    if not blank.any():
        return None
    for cls, name in ((1, "churners"), (0, "stayers")):
        mine, other = y == cls, y != cls
        share = blank[mine].mean() if mine.any() else 0.0
        if not blank[other].any() and share >= BLANK_SHARE_ALARM:
            return name, float(share)
    return None


def leakage_checks(X: pd.DataFrame, y, *, auc: float | None = None) -> list[LeakageAlarm]:
    """Alarms for a model whose validation looks too good, or columns that look recorded after the outcome.

    Parameters
    ----------
    X : DataFrame
        The feature columns (blanks as missing values).
    y : array of 0/1
        The outcome of each row.
    auc : float, optional
        The model's out-of-fold (or out-of-time) ROC AUC.

    Returns
    -------
    list of LeakageAlarm
        Empty when nothing looks suspicious.

    Examples
    --------
    >>> X = pd.DataFrame({"complaints": [0, 1, 2, 0, 1, 0, 3, 0],
    ...                   "cancel_reason": [None, "price", None, "moved", None, None, "price", None]})
    >>> y = [0, 1, 0, 1, 0, 0, 1, 0]
    >>> [(a.kind, a.column) for a in leakage_checks(X, y, auc=0.995)]
    [('model', None), ('column', 'cancel_reason'), ('blank', 'cancel_reason')]
    >>> print(leakage_checks(X, y)[1])  # doctest: +NORMALIZE_WHITESPACE
    column 'cancel_reason' is blank for stayers only (100% of them) and filled for every churner:
    recorded after the outcome? Leave it out unless it is known before the period the target measures.
    """
    yy = np.asarray(y, dtype=float).astype(int)
    alarms: list[LeakageAlarm] = []
    if auc is not None and auc >= OOF_AUC_ALARM:
        alarms.append(
            LeakageAlarm(
                "model",
                None,
                float(auc),
                f"validated ROC AUC {auc:.3f} ≥ {OOF_AUC_ALARM}: churn is rarely this predictable; look for a "
                "column recorded after the outcome (a cancellation reason, a final bill, a status read today).",
            )
        )
    for c in X.columns:
        a = _column_auc(X[c], yy)
        if np.isfinite(a) and a >= COLUMN_AUC_ALARM:
            msg = (
                f"column {c!r} alone ranks churners with ROC AUC {a:.3f} ≥ {COLUMN_AUC_ALARM}: recorded after the "
                "outcome? A column known before the period the target measures rarely does this."
            )
            alarms.append(LeakageAlarm("column", str(c), a, msg))
        blank = _blank_for_one_class(X[c], yy)
        if blank is not None:
            who, share = blank
            other = "churner" if who == "stayers" else "stayer"
            msg = (
                f"column {c!r} is blank for {who} only ({share:.0%} of them) and filled for every {other}: "
                "recorded after the outcome? Leave it out unless it is known before the period the target measures."
            )
            alarms.append(LeakageAlarm("blank", str(c), share, msg))
    return alarms


def warn_alarms(alarms: list[LeakageAlarm], stacklevel: int = 3) -> None:
    """Issue each alarm as a :class:`LeakageWarning`.

    Parameters
    ----------
    alarms : list of LeakageAlarm
        From :func:`leakage_checks`.
    stacklevel : int
        Passed to :func:`warnings.warn` (3 points at the caller of the function that warns).

    Examples
    --------
    >>> warn_alarms([])  # nothing to say
    """
    for a in alarms:
        warnings.warn(a.message, LeakageWarning, stacklevel=stacklevel)

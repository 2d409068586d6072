"""Value balance and devotees: who gets value from the company, and who gives it.

Article 000 asks for a balance between the value a customer receives and the value
the company receives. :func:`value_balance` places every customer on both axes
(percentile ranks), :func:`find_devotees` names those high on both, and
:func:`devotee_curve` shows how their later churn depends on the threshold.
From real purchase behaviour, :func:`value_concentration` says how much of the value comes
from the top customers and :func:`top_customer_stability` how long they stay on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._concentration import TopStability, ValueConcentration, top_customer_stability, value_concentration
from cxlib.analytics.stats import wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError

__all__ = [
    "value_balance",
    "ValueBalance",
    "find_devotees",
    "devotee_curve",
    "value_concentration",
    "ValueConcentration",
    "top_customer_stability",
    "TopStability",
]


def _pct_rank(s: pd.Series) -> pd.Series:
    """Percentile rank 0–100 (ties share the average rank); NaN stays NaN."""
    return s.rank(pct=True, method="average") * 100


@dataclass
class ValueBalance:
    """Value the company gets from each customer vs value it delivers (see :func:`value_balance`).

    Attributes
    ----------
    table : DataFrame
        One row per customer: the two value columns, the outcome, their percentiles
        ``get_pct`` and ``deliver_pct`` (0-100) and the ``quadrant``.
    quadrants : DataFrame
        One row per quadrant: ``n``, ``churned``, ``share`` of customers, ``churn_rate``
        and its Wilson interval ``ci_low``, ``ci_high``.
    definition : str
        How the value delivered was defined (from the profile's attrs, else the column name).
    target_column : str
        The 0/1 churn outcome the quadrants are compared on.
    """

    table: pd.DataFrame
    quadrants: pd.DataFrame
    definition: str = ""
    target_column: str = "churned"

    def __repr__(self) -> str:
        q = self.quadrants.set_index("quadrant")["share"].round(3).to_dict()
        return f"ValueBalance(n={len(self.table)}, shares={q})"


@renamed_arguments(churn_column="target_column")
def value_balance(
    profile: pd.DataFrame,
    *,
    get_column: str = "value_from_customer",
    deliver_column: str = "value_to_customer",
    target_column: str = "churned",
) -> ValueBalance:
    """Place each customer on 'value we get' vs 'value we deliver' (percentiles 0–100).

    Quadrants split at the median of each axis; for each quadrant the share of
    customers and their churn rate (Wilson 95% CI). Both axes are ranks within this
    customer base, so the picture compares customers with each other, not with an
    absolute standard.

    Parameters
    ----------
    profile : DataFrame
        One row per customer (e.g. :func:`cxlib.features.customer_profile`).
    get_column, deliver_column : str
        The value the company gets from each customer, and the value it delivers.
    target_column : str, default "churned"
        The 0/1 churn outcome to compare the quadrants on (e.g. later churn, or the
        profile's ``churned_before``).

    Returns
    -------
    ValueBalance
        ``table`` (each customer's percentiles and quadrant) and ``quadrants`` (``n``,
        ``share``, ``churned``, ``churn_rate`` with its interval).

    Examples
    --------
    >>> prof = pd.DataFrame({"value_from_customer": [1, 2, 3, 4], "value_to_customer": [4, 3, 2, 1],
    ...                      "churned": [0, 0, 1, 1]})
    >>> vb = value_balance(prof)
    >>> vb.quadrants[["quadrant", "n", "churn_rate"]]
                   quadrant  n  churn_rate
    0  balanced, high value  0         NaN
    1          we take more  2         1.0
    2          we give more  2         0.0
    3           low on both  0         NaN
    """
    require_columns(profile, [get_column, deliver_column, target_column], "value_balance()", "profile")
    if len(profile) == 0:
        raise CxError("value_balance(): the profile has no customers.")
    t = profile[[get_column, deliver_column, target_column]].copy()
    nmiss = int(t[[get_column, deliver_column]].isna().any(axis=1).sum())
    if nmiss:
        raise CxError(f"value_balance(): {nmiss} customers lack a value on '{get_column}' or '{deliver_column}'.")
    t["get_pct"] = _pct_rank(t[get_column])
    t["deliver_pct"] = _pct_rank(t[deliver_column])
    hi_get, hi_del = t["get_pct"] > 50, t["deliver_pct"] > 50
    t["quadrant"] = np.select(
        [hi_get & hi_del, hi_get & ~hi_del, ~hi_get & hi_del],
        ["balanced, high value", "we take more", "we give more"],
        "low on both",
    )
    names = ["balanced, high value", "we take more", "we give more", "low on both"]
    q = t.groupby("quadrant")[target_column].agg(n="size", churned="sum").reindex(names).fillna(0)
    q = q.astype(int).reset_index()
    q["share"] = q["n"] / len(t)
    q["churn_rate"] = q["churned"] / q["n"].where(q["n"] > 0)
    q["ci_low"], q["ci_high"] = wilson_interval(q["churned"], q["n"])
    return ValueBalance(t, q, profile.attrs.get("value_to_customer", deliver_column), target_column)


def find_devotees(
    profile: pd.DataFrame,
    *,
    value_columns: Sequence[str] = ("value_to_customer",),
    loyalty_columns: Sequence[str] = ("months_active", "products_held_mean", "positive_feedback_mean"),
    threshold: float = 75.0,
) -> pd.DataFrame:
    """Flag the devotees: customers high on *both* value received and loyalty.

    The rule, stated so anyone can check it: each column is turned into a
    percentile rank (0–100) among all customers; ``value_score`` is the mean rank
    of ``value_columns`` (what the customer gets from us, or says they value, e.g.
    ``value_to_customer``, ``value_for_money``, ``promoter``), ``loyalty_score`` the
    mean rank of ``loyalty_columns`` (how they reward us: tenure, products, positive
    feedback). A devotee has both scores ≥ ``threshold``. Missing values (e.g.
    customers never surveyed) are ignored in the mean; a customer with no value at
    all on one side cannot be a devotee.

    Parameters
    ----------
    profile : DataFrame
        One row per customer (e.g. :func:`cxlib.features.customer_profile`).
    value_columns : sequence of str
        What the customer gets from us (or says they value).
    loyalty_columns : sequence of str
        How they reward us (tenure, products, positive feedback).
    threshold : float, default 75
        Percentile both scores must reach.

    Returns
    -------
    DataFrame
        A copy of ``profile`` with ``value_score``, ``loyalty_score`` and ``devotee``
        (bool); the rule is in ``.attrs["rule"]``.

    Examples
    --------
    >>> prof = pd.DataFrame({"value_to_customer": [1, 2, 3, 4], "months_active": [1, 2, 4, 3]})
    >>> find_devotees(prof, loyalty_columns=["months_active"], threshold=70)["devotee"].tolist()
    [False, False, True, True]
    """
    cols = list(value_columns) + list(loyalty_columns)
    if not value_columns or not loyalty_columns:
        raise CxError("find_devotees() needs at least one value column and one loyalty column.")
    require_columns(profile, cols, "find_devotees()", "profile")
    if not 0 <= threshold <= 100:
        raise CxError(f"threshold is a percentile between 0 and 100; got {threshold}.")
    out = profile.copy()
    ranks = profile[cols].apply(lambda s: _pct_rank(pd.to_numeric(s, errors="coerce")))
    out["value_score"] = ranks[list(value_columns)].mean(axis=1)
    out["loyalty_score"] = ranks[list(loyalty_columns)].mean(axis=1)
    out["devotee"] = (out["value_score"] >= threshold) & (out["loyalty_score"] >= threshold)
    out.attrs["rule"] = (
        f"devotee = mean percentile of {list(value_columns)} ≥ {threshold:g} AND "
        f"mean percentile of {list(loyalty_columns)} ≥ {threshold:g}"
    )
    return out


def devotee_curve(
    profile: pd.DataFrame, check: pd.Series | None = None, *, thresholds: Iterable[float] = range(50, 96, 5), **rule
) -> pd.DataFrame:
    """How the devotee rule of :func:`find_devotees` behaves as its threshold moves.

    Parameters
    ----------
    profile : DataFrame
        One row per customer, as for :func:`find_devotees`.
    check : Series of 0/1, optional
        An outcome or trait the rule did not use (the simulator's ``connected``,
        later retention, referrals), aligned on ``profile``'s index. Its mean among
        the devotees is reported as ``check_rate``; customers without a value are
        counted in ``n_missing`` and left out of that mean.
    thresholds : iterable of float
        Percentile thresholds to try.
    **rule
        Passed to :func:`find_devotees` (``value_columns``, ``loyalty_columns``).

    Returns
    -------
    DataFrame with ``threshold``, ``n`` (devotees), ``share`` (of customers),
    ``check_rate`` and ``n_missing`` (only with ``check``).

    Examples
    --------
    >>> prof = pd.DataFrame({"value_to_customer": [1, 2, 3, 4], "months_active": [1, 2, 4, 3]})
    >>> devotee_curve(prof, pd.Series([0, 0, 1, 0]), thresholds=[50, 70, 90],
    ...               loyalty_columns=["months_active"]).round(3)
       threshold  n  share  check_rate  n_missing
    0         50  3   0.75       0.333          0
    1         70  2   0.50       0.500          0
    2         90  0   0.00         NaN          0
    """
    rows = []
    for t in thresholds:
        dev = find_devotees(profile, threshold=t, **rule)["devotee"]
        row = {"threshold": t, "n": int(dev.sum()), "share": float(dev.mean()) if len(dev) else np.nan}
        if check is not None:
            c = pd.to_numeric(check.reindex(dev.index), errors="coerce")[dev]
            row["check_rate"] = float(c.mean()) if c.notna().any() else np.nan
            row["n_missing"] = int(c.isna().sum())
        rows.append(row)
    return pd.DataFrame(rows)

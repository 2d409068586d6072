"""Point-in-time health signals and the later churn they are checked against.

:func:`health_signals` summarises the months before a cutoff for every customer who
could still churn; :func:`later_churn` is the outcome in the months after it, so a
health score built on the first can be validated on the second.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["health_signals", "later_churn"]


def _months(s: pd.Series) -> pd.Series:
    """Month starts (Timestamp) from dates or date-like text."""
    out = pd.to_datetime(s, errors="coerce")
    bad = out.isna() & s.notna()
    if bad.any():
        raise ValidationError(
            [
                Problem(
                    "not a date",
                    column=s.name,
                    count=int(bad.sum()),
                    values=tuple(s[bad].head(5)),
                    fix="Use ISO dates such as 2024-01-01.",
                )
            ]
        )
    return out.dt.to_period("M").dt.to_timestamp()


_SIGNAL_SOURCES = {
    "tenure_months": None,
    "products_held": "products_held",
    "positive_feedback": "positive_feedback",
    "usage_change": "usage_gb",
    "care_contacts": "care_contacts",
    "complaints": "complaints",
    "unresolved_complaints": ("complaints", "complaints_resolved"),
    "payment_issues": "payment_issue",
    "spend": "spend",
}


def _prep_activity(activity, id_column, month_column, churn_column):
    require_columns(activity, [id_column, month_column, churn_column], "the activity table", "activity")
    act = activity.copy()
    act[month_column] = _months(act[month_column])
    return act


def health_signals(
    activity: pd.DataFrame,
    cutoff,
    *,
    window: int = 3,
    signup: pd.Series | None = None,
    id_column: str = "customer_id",
    month_column: str = "month",
    churn_column: str = "churned",
) -> pd.DataFrame:
    """Point-in-time health signals per customer, from the months before ``cutoff``.

    Uses only activity rows in [cutoff − ``window`` months, cutoff), and only
    customers who were active in the month before the cutoff and had not cancelled
    (so they can still churn later). Signals (those whose source columns exist):

    ``tenure_months`` (months observed before the cutoff; a lower bound if the
    export starts later than the customer), ``products_held`` (last month),
    ``positive_feedback``, ``care_contacts``, ``complaints``,
    ``unresolved_complaints`` (complaints − complaints_resolved), ``payment_issues``
    (sums over the window), ``usage_change`` (log change of usage, last month vs the
    window's earlier months) and ``spend`` (mean).

    Pass ``signup`` (a Series of signup dates indexed by customer id, e.g. from the
    customers table) to measure ``tenure_months`` from the signup date instead:
    observed months grow with the export's length, which makes scores from
    different cutoffs drift.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1],
    ...     "complaints": [1, 0, 2, 1], "complaints_resolved": [1, 0, 0, 0]})
    >>> health_signals(act, "2024-03-01")
                 tenure_months  complaints  unresolved_complaints
    customer_id
    a                        2           1                      0
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    if window < 1:
        raise CxError("window must be at least 1 month.")
    start = cut - pd.DateOffset(months=window)
    last = cut - pd.DateOffset(months=1)
    hist = act[act[month_column] < cut]
    at_risk = hist.loc[(hist[month_column] == last) & (hist[churn_column] == 0), id_column].unique()
    if len(at_risk) == 0:
        raise CxError(
            f"health_signals(): no customer was active in {last:%Y-%m} (the month before the cutoff "
            f"{cut:%Y-%m}); choose a cutoff inside the data's months "
            f"({act[month_column].min():%Y-%m} to {act[month_column].max():%Y-%m})."
        )
    hist = hist[hist[id_column].isin(at_risk)]
    win = hist[hist[month_column] >= start]
    g = win.groupby(id_column)
    out = pd.DataFrame(index=pd.Index(sorted(at_risk), name=id_column))
    out["tenure_months"] = hist.groupby(id_column).size()
    if signup is not None:
        sd = pd.to_datetime(pd.Series(signup), errors="coerce").reindex(out.index)
        if sd.isna().any():
            raise CxError(
                f"health_signals(): {int(sd.isna().sum())} customers have no valid signup date; "
                "pass a Series of dates indexed by customer id covering every customer."
            )
        out["tenure_months"] = ((cut.year - sd.dt.year) * 12 + (cut.month - sd.dt.month)).clip(lower=0)
    cols = set(act.columns)
    if "products_held" in cols:
        out["products_held"] = win.sort_values(month_column).groupby(id_column)["products_held"].last()
    for sig, src in (
        ("positive_feedback", "positive_feedback"),
        ("care_contacts", "care_contacts"),
        ("complaints", "complaints"),
        ("payment_issues", "payment_issue"),
    ):
        if src in cols:
            out[sig] = g[src].sum()
    if {"complaints", "complaints_resolved"} <= cols:
        out["unresolved_complaints"] = (
            (win["complaints"] - win["complaints_resolved"]).clip(lower=0).groupby(win[id_column]).sum()
        )
    if "usage_gb" in cols and window >= 2:
        lastu = win[win[month_column] == last].set_index(id_column)["usage_gb"]
        earlier = win[win[month_column] < last].groupby(id_column)["usage_gb"].mean()
        out["usage_change"] = (np.log1p(lastu) - np.log1p(earlier)).reindex(out.index).fillna(0.0)
    if "spend" in cols:
        out["spend"] = g["spend"].mean()
    return out


def later_churn(
    activity: pd.DataFrame,
    cutoff,
    *,
    horizon: int = 3,
    id_column: str = "customer_id",
    month_column: str = "month",
    churn_column: str = "churned",
) -> pd.Series:
    """1 if a customer active before ``cutoff`` cancels in [cutoff, cutoff + horizon months).

    Customers are those :func:`health_signals` keeps (active, not cancelled, in the
    month before the cutoff). Raises if the data end before the horizon does.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1]})
    >>> later_churn(act, "2024-02-01", horizon=1).to_dict()
    {'a': 0, 'b': 1}
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    end = cut + pd.DateOffset(months=horizon)
    if act[month_column].max() < end - pd.DateOffset(months=1):
        raise CxError(
            f"later_churn(): the data end in {act[month_column].max():%Y-%m}, before the "
            f"{horizon}-month horizon after {cut:%Y-%m} is over; pick an earlier cutoff or a "
            "shorter horizon."
        )
    last = cut - pd.DateOffset(months=1)
    at_risk = act.loc[(act[month_column] == last) & (act[churn_column] == 0), id_column].unique()
    fut = act[(act[month_column] >= cut) & (act[month_column] < end) & act[id_column].isin(at_risk)]
    y = fut.groupby(id_column)[churn_column].max().reindex(sorted(at_risk)).fillna(0).astype(int)
    y.index.name, y.name = id_column, "churned_later"
    return y

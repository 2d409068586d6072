"""The health score's signals and the later churn they are checked against: selections of the builder.

:func:`health_signals` is the selection of :func:`cxlib.features.build_features`
that :class:`cxlib.analytics.health.HealthScore` weighs (:func:`health_signal_names`);
:func:`later_churn` is the builder's label alone, so a score built on the first can
be validated on the second.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.checks import require_columns
from cxlib.errors import CxError
from cxlib.features._frame import activity_frame, label
from cxlib.features.builder import build_features

__all__ = ["health_signals", "later_churn", "health_signal_names"]


def health_signal_names(window: int = 3) -> list[str]:
    """The features :func:`health_signals` selects, for a ``window``-month window.

    Parameters
    ----------
    window : int
        The window in months.

    Returns
    -------
    list of str
        Feature names (``tenure_months`` or, without signup dates, ``months_active``
        comes first).

    Examples
    --------
    >>> health_signal_names(3)[1:4]
    ['products_held_last', 'positive_feedback_3m', 'usage_gb_change']
    """
    w = int(window)
    return [
        "tenure_months",
        "products_held_last",
        f"positive_feedback_{w}m",
        "usage_gb_change",
        f"care_contacts_{w}m",
        f"complaints_{w}m",
        f"unresolved_complaints_{w}m",
        f"payment_issues_{w}m",
        f"spend_mean_{w}m",
    ]


@renamed_arguments(churn_column="target_column")
def health_signals(
    activity: pd.DataFrame,
    cutoff: Any,
    *,
    window: int = 3,
    signup: pd.Series | None = None,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
) -> pd.DataFrame:
    """Point-in-time health signals per customer, from the ``window`` months before ``cutoff``.

    A selection of :func:`cxlib.features.build_features` (customers active at the
    cutoff; rows in [cutoff - ``window`` months, cutoff)): ``tenure_months``,
    ``products_held_last``, ``positive_feedback_<w>m``, ``usage_gb_change`` (log change
    of usage, last month against the window's earlier months; 0 when there is no
    earlier month), ``care_contacts_<w>m``, ``complaints_<w>m``,
    ``unresolved_complaints_<w>m``, ``payment_issues_<w>m`` (sums) and
    ``spend_mean_<w>m``, for the source columns that exist.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month.
    cutoff : date-like
        First day of a month (a mid-month date is moved back to the first).
    window : int, default 3
        Months before the cutoff that the signals summarise.
    signup : Series, optional
        Signup dates indexed by customer id (e.g. from the customers table): gives
        ``tenure_months``. Without it the signal is ``months_active`` (months observed,
        a lower bound that grows with the export's length).
    id_column, month_column, target_column : str
        Column names.

    Returns
    -------
    DataFrame
        Indexed by customer id (sorted), one column per signal.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1],
    ...     "complaints": [1, 0, 2, 1], "complaints_resolved": [1, 0, 0, 0]})
    >>> health_signals(act, "2024-03-01")
                 months_active  complaints_3m  unresolved_complaints_3m
    customer_id
    a                      2.0            1.0                       0.0
    """
    if int(window) < 1:
        raise CxError("window must be at least 1 month.")
    require_columns(activity, [id_column, month_column, target_column], "health_signals()", "activity")
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    customers = None
    if signup is not None:
        sd = pd.to_datetime(pd.Series(signup), errors="coerce")
        customers = pd.DataFrame({id_column: sd.index, "signup_date": sd.to_numpy()})
    feats = build_features(
        activity,
        cut,
        windows=(int(window),),
        statistics=("sum", "last", "change", "window_mean"),
        label=False,
        customers=customers,
        static_columns=(),
        count_columns=("positive_feedback", "care_contacts", "complaints", "unresolved_complaints", "payment_issue"),
        level_columns=("products_held", "usage_gb", "spend"),
        id_column=id_column,
        month_column=month_column,
        target_column=target_column,
    ).set_index(id_column)
    if signup is not None and feats["tenure_months"].isna().any():
        raise CxError(
            f"health_signals(): {int(feats['tenure_months'].isna().sum())} customers have no valid signup date; "
            "pass a Series of dates indexed by customer id covering every customer."
        )
    wanted = health_signal_names(window)
    wanted[0] = "tenure_months" if signup is not None else "months_active"
    out = feats[[c for c in wanted if c in feats.columns]].copy()
    if "usage_gb_change" in out.columns:
        out["usage_gb_change"] = out["usage_gb_change"].fillna(0.0)
    return out


@renamed_arguments(churn_column="target_column")
def later_churn(
    activity: pd.DataFrame,
    cutoff: Any,
    *,
    horizon: int = 3,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
) -> pd.Series:
    """The label of :func:`cxlib.features.build_features` alone: 1 if a customer active at ``cutoff`` cancels within ``horizon`` months.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month, with the monthly churn flag.
    cutoff : date-like
        First day of a month (a mid-month date is moved back to the first).
    horizon : int, default 3
        Months from the cutoff in which a cancellation counts.
    id_column, month_column, target_column : str
        Column names.

    Returns
    -------
    Series
        ``churned`` (0/1), indexed by the customers active at the cutoff (sorted).

    Raises
    ------
    CxError
        If the data end before the horizon does.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1]})
    >>> later_churn(act, "2024-02-01", horizon=1).to_dict()
    {'a': 0, 'b': 1}
    """
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    frame = activity_frame(
        activity, cut, id_column=id_column, month_column=month_column, target_column=target_column, need_churn=True
    )
    y = pd.Series(label(frame, horizon), index=pd.Index(frame.ids, name=id_column), name="churned")
    return y

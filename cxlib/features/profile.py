"""A customer's value exchange in one row: a selection of the builder plus two value columns.

:func:`customer_profile` is the input of :mod:`cxlib.analytics.devotees`: margin
(value from the customer), the value-creating events the company delivered (value to
the customer), loyalty behaviour and the last survey answers, over a window of months.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.checks import require_columns
from cxlib.errors import CxError
from cxlib.features.builder import build_features

__all__ = ["customer_profile"]


def _month_ceiling(value: Any) -> pd.Timestamp | None:
    """The first day of the month on or after ``value`` (rows are months: ``month >= value``)."""
    if value is None:
        return None
    t = pd.Timestamp(value)
    first = t.to_period("M").to_timestamp()
    return first if first == t else first + pd.DateOffset(months=1)


def _value_to_customer(f: pd.DataFrame) -> tuple[pd.Series, list[str]]:
    """Value-creating events per active month, and what they are."""
    events = pd.Series(0.0, index=f.index)
    parts = []
    if {"complaints_resolved_total", "unresolved_complaints_total"} <= set(f.columns):
        events += f["complaints_resolved_total"] - f["unresolved_complaints_total"]
        parts.append("complaints resolved − unresolved")
    if "positive_feedback_total" in f.columns:
        events += f["positive_feedback_total"]
        parts.append("positive feedback")
    if "first_contact_resolutions_total" in f.columns:
        events = events + f["first_contact_resolutions_total"] + f["proactive_contacts_total"]
        parts += ["first-contact resolutions", "proactive contacts"]
    return events / f["months_active"], parts


@renamed_arguments(start="since", end="cutoff", churn_column="target_column")
def customer_profile(
    activity: pd.DataFrame,
    *,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    margin_rate: float = 0.35,
    since: Any = None,
    cutoff: Any = None,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
) -> pd.DataFrame:
    """One row per customer: the value each side gets, and loyalty behaviour.

    Every customer with activity in [``since``, ``cutoff``) is a row (a selection of
    :func:`cxlib.features.build_features` with ``population="all"``):

    * ``value_from_customer`` (what the company **gets**): ``margin_rate`` × ``spend_mean``
      (mean monthly spend, USD/month);
    * ``value_to_customer`` (what it **delivers**), a transparent count of value-creating
      events per active month: complaints resolved − unresolved complaints, positive
      feedback, and from ``interactions`` first-contact resolutions and proactive contacts;
    * loyalty: ``months_active``, ``products_held_mean``, ``positive_feedback_mean`` and
      ``churned_before`` (cancelled within the window);
    * from ``surveys`` (latest answer in the window): ``last_ltr``, ``promoter`` (9-10) and
      ``last_value_for_money``.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month, with ``spend``.
    interactions : DataFrame, optional
        Support contacts with ``resolved_first_contact`` and ``proactive``.
    surveys : DataFrame, optional
        Relationship-survey answers with ``ltr`` (and ``value_for_money``).
    margin_rate : float, default 0.35
        Share of spend kept as margin, in (0, 1].
    since, cutoff : date-like, optional
        The window of months (e.g. the year before a cutoff, so the profile can be
        compared with *later* churn); default all the data.
    id_column, month_column, target_column : str
        Column names (``target_column`` is the monthly churn flag).

    Returns
    -------
    DataFrame
        Indexed by customer id; ``attrs["value_to_customer"]`` says what was counted.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b"], "month": ["2024-01-01", "2024-02-01", "2024-01-01"],
    ...     "spend": [10.0, 20.0, 40.0], "churned": [0, 0, 1], "complaints": [1, 0, 2],
    ...     "complaints_resolved": [1, 0, 0], "positive_feedback": [1, 0, 0], "products_held": [1, 2, 1]})
    >>> customer_profile(act, margin_rate=0.5)[["months_active", "value_from_customer", "value_to_customer"]]
                 months_active  value_from_customer  value_to_customer
    customer_id
    a                      2.0                  7.5                1.0
    b                      1.0                 20.0               -2.0
    """
    require_columns(activity, [id_column, month_column, target_column, "spend"], "customer_profile()", "activity")
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of spend kept as margin, in (0, 1]; got {margin_rate}.")
    if interactions is not None:
        require_columns(
            interactions, [id_column, "resolved_first_contact", "proactive"], "customer_profile() interactions"
        )
    if surveys is not None:
        require_columns(surveys, [id_column, "ltr"], "customer_profile() surveys", "nps_surveys")
    survey_columns = [c for c in ("ltr", "value_for_money") if surveys is not None and c in surveys.columns]
    try:
        f = build_features(
            activity,
            _month_ceiling(cutoff),
            label=False,
            population="all",
            since=_month_ceiling(since),
            statistics=("total", "mean", "last"),
            count_columns=("complaints_resolved", "unresolved_complaints", "positive_feedback"),
            level_columns=("spend", "products_held"),
            interactions=interactions,
            surveys=surveys,
            survey_columns=survey_columns or ("ltr",),
            id_column=id_column,
            month_column=month_column,
            target_column=target_column,
        ).set_index(id_column)
    except CxError as e:
        raise CxError(f"customer_profile(): no activity rows in the chosen window ({e})") from e
    out = f[["months_active", "churned_before", "spend_mean"]].copy()
    out["value_from_customer"] = margin_rate * out["spend_mean"]
    for col in ("positive_feedback_mean", "products_held_mean"):
        if col in f.columns:
            out[col] = f[col]
    out["value_to_customer"], parts = _value_to_customer(f)
    if "last_ltr" in f.columns:
        out["last_ltr"] = f["last_ltr"]
        out["promoter"] = (out["last_ltr"] >= 9).astype(float).where(out["last_ltr"].notna())
    if "last_value_for_money" in f.columns:
        out["last_value_for_money"] = f["last_value_for_money"]
    out.attrs = {"value_to_customer": " + ".join(parts) + " per active month"}
    return out

"""A customer's value exchange in one row: value to the company and value to the customer.

:func:`customer_profile` is the input of :mod:`cxlib.analytics.devotees`: margin and
spend (value from the customer), first-contact resolution, proactive contacts and
the last recommendation score (value to the customer), with churn.
"""

from __future__ import annotations

import pandas as pd

from cxlib.checks import require_columns
from cxlib.errors import CxError
from cxlib.features.health import _months, _prep_activity

__all__ = ["customer_profile"]


def customer_profile(
    activity: pd.DataFrame,
    *,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    margin_rate: float = 0.35,
    start=None,
    end=None,
    id_column: str = "customer_id",
    month_column: str = "month",
    churn_column: str = "churned",
) -> pd.DataFrame:
    """One row per customer: the value each side gets, and loyalty behaviour.

    Value the company **gets** (``value_from_customer``): mean monthly margin =
    ``margin_rate`` × mean monthly spend (USD/month).

    Value the company **delivers** (``value_to_customer``), a transparent count of
    value-creating events per active month:

    * ``complaints_resolved`` (a problem fixed) − unresolved complaints (a problem left),
    * ``positive_feedback`` (a positive experience the customer took time to tell us),
    * from ``interactions`` when given: first-contact resolutions and proactive contacts.

    Loyalty behaviour: ``months_active`` (observed tenure), ``products_held`` (mean),
    ``positive_feedback_rate`` and ``churned``. From ``surveys`` when given (latest
    answer): ``ltr``, ``promoter`` (ltr 9–10) and ``value_for_money``.

    ``start``/``end`` restrict every table to months in [start, end) (e.g. the
    year before a cutoff, so the profile can be compared with *later* churn).

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b"], "month": ["2024-01-01", "2024-02-01", "2024-01-01"],
    ...     "spend": [10.0, 20.0, 40.0], "churned": [0, 0, 1], "complaints": [1, 0, 2],
    ...     "complaints_resolved": [1, 0, 0], "positive_feedback": [1, 0, 0], "products_held": [1, 2, 1]})
    >>> customer_profile(act, margin_rate=0.5)[["months_active", "value_from_customer", "value_to_customer"]]
                 months_active  value_from_customer  value_to_customer
    customer_id
    a                        2                  7.5                1.0
    b                        1                 20.0               -2.0
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    require_columns(act, ["spend"], "customer_profile()", "activity")

    def _window(dates: pd.Series) -> pd.Series:
        m = _months(dates)
        keep = pd.Series(True, index=dates.index)
        if start is not None:
            keep &= m >= pd.Timestamp(start)
        if end is not None:
            keep &= m < pd.Timestamp(end)
        return keep

    act = act[_window(act[month_column])]
    if len(act) == 0:
        raise CxError("customer_profile(): no activity rows in the chosen window.")
    if interactions is not None and "timestamp" in interactions.columns:
        interactions = interactions[_window(interactions["timestamp"])]
    if surveys is not None and "survey_date" in surveys.columns:
        surveys = surveys[_window(surveys["survey_date"])]
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of spend kept as margin, in (0, 1]; got {margin_rate}.")
    g = act.groupby(id_column)
    out = pd.DataFrame(
        {"months_active": g.size(), "churned": g[churn_column].max().astype(int), "mean_spend": g["spend"].mean()}
    )
    out["value_from_customer"] = margin_rate * out["mean_spend"]
    cols = set(act.columns)
    events = pd.Series(0.0, index=act.index)
    components = []
    if {"complaints", "complaints_resolved"} <= cols:
        events += act["complaints_resolved"] - (act["complaints"] - act["complaints_resolved"]).clip(lower=0)
        components.append("complaints resolved − unresolved")
    if "positive_feedback" in cols:
        events += act["positive_feedback"]
        components.append("positive feedback")
        out["positive_feedback_rate"] = g["positive_feedback"].mean()
    if "products_held" in cols:
        out["products_held"] = g["products_held"].mean()
    delivered = events.groupby(act[id_column]).sum()
    if interactions is not None:
        require_columns(
            interactions,
            [id_column, "resolved_first_contact", "proactive"],
            "customer_profile() interactions",
            "interactions",
        )
        ig = interactions.groupby(id_column)
        extra = (ig["resolved_first_contact"].sum() + ig["proactive"].sum()).reindex(out.index).fillna(0)
        delivered = delivered + extra
        components += ["first-contact resolutions", "proactive contacts"]
    out["value_to_customer"] = delivered / out["months_active"]
    if surveys is not None:
        require_columns(surveys, [id_column, "ltr"], "customer_profile() surveys", "nps_surveys")
        s = surveys
        if "survey_date" in s.columns:
            s = s.sort_values("survey_date")
        last = s.groupby(id_column).last()
        out["ltr"] = last["ltr"].reindex(out.index)
        out["promoter"] = (out["ltr"] >= 9).astype(float).where(out["ltr"].notna())
        if "value_for_money" in last.columns:
            out["value_for_money"] = last["value_for_money"].reindex(out.index)
    out.attrs["value_to_customer"] = " + ".join(components) + " per active month"
    return out

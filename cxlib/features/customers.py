"""Behavioural features per customer, the raw material of personas.

:func:`customer_features` builds one row per customer from the customers, activity,
interactions and survey tables (usage, spend, help-content habits, channel shares,
contact rates, tenure); :data:`DEFAULT_FEATURES` are the columns the personas
lesson segments on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlib.checks import numeric_problems, require_columns
from cxlib.errors import CxError, ValidationError

#: Support channels whose shares of a customer's contacts are features.
_CHANNELS = ("phone", "chat", "email", "store")

__all__ = ["customer_features", "DEFAULT_FEATURES", "default_features"]


#: Features used for segmentation when none are given: who the customer is and how
#: they use the service. Outcome-like columns (care contacts, complaints, tenure, survey
#: answers, churn) are left out on purpose, so they can *test* the personas afterwards.
DEFAULT_FEATURES = [
    "age",
    "usage_gb",
    "spend",
    "products_held",
    "help_video_views",
    "help_article_views",
    "digital_contact_share",
]


# ----------------------------------------------------------------------------------
# feature table
# ----------------------------------------------------------------------------------
def customer_features(
    customers: pd.DataFrame,
    activity: pd.DataFrame,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    *,
    id: str = "customer_id",
    until: Any = None,
) -> pd.DataFrame:
    """One row per customer of behavioural features for segmentation.

    Parameters
    ----------
    customers : DataFrame
        The customers table (``customer_id``, ``age``, ``signup_date``, ``plan``,
        ``monthly_fee``, ``city``).
    activity : DataFrame
        One row per customer and month (``month``, ``usage_gb``, ``spend``,
        ``products_held``, ``care_contacts``, ``complaints``, ``help_video_views``,
        ``help_article_views``).
    interactions : DataFrame, optional
        Support contacts with ``channel`` (phone, chat, email, store) and ``timestamp``;
        gives the contact-channel shares and the preferred channel.
    surveys : DataFrame, optional
        NPS survey answers with ``ltr`` and ``survey_date``; gives ``ltr_mean`` and
        ``n_surveys`` (kept for *checking* personas, not in :data:`DEFAULT_FEATURES`).
    id : str
        The customer id column.
    until : date-like, optional
        Use only activity months, contacts and surveys *before* this date and only
        customers active in the month before it and not cancelled before it (a
        ``churned`` column of ``activity``, if present, marks the month a customer
        cancelled). These are point-in-time features, so a later outcome such as
        churn after ``until`` can test the personas without circularity. Default: all rows.

    Returns
    -------
    DataFrame indexed by customer id. Per-month means of the activity counts, then
    ``tenure_months`` (signup to ``until`` or to the last active month), ``help_views``
    (videos + articles per month), ``video_share`` (share of help views that are videos,
    smoothed as (videos + 1) / (videos + articles + 2) so customers who never opened
    help sit at 0.5 instead of being dropped), ``digital_contact_share`` (chat + email
    over all contacts, smoothed the same way), ``preferred_channel`` (most used contact
    channel, ``"none"`` without contacts), ``contacts_<channel>`` per month, and the
    descriptive columns ``plan``, ``city``, ``monthly_fee`` from ``customers``.
    ``attrs["n_excluded"]`` counts customers left out because they had no activity.

    Examples
    --------
    >>> cust = pd.DataFrame({"customer_id": ["C1", "C2"], "age": [30, 50],
    ...     "signup_date": pd.to_datetime(["2023-01-01", "2022-01-01"]),
    ...     "plan": ["Basic", "Plus"], "monthly_fee": [10.0, 20.0], "city": ["Tehran", "Shiraz"]})
    >>> act = pd.DataFrame({"customer_id": ["C1", "C1", "C2"],
    ...     "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"]),
    ...     "usage_gb": [4.0, 6.0, 1.0], "spend": [10.0, 12.0, 20.0], "products_held": [1, 1, 2],
    ...     "care_contacts": [0, 2, 1], "complaints": [0, 0, 1],
    ...     "help_video_views": [3, 3, 0], "help_article_views": [0, 0, 2]})
    >>> f = customer_features(cust, act)
    >>> f[["usage_gb", "help_views", "video_share"]].round(3)
                 usage_gb  help_views  video_share
    customer_id
    C1                5.0         3.0        0.875
    C2                1.0         2.0        0.250
    """
    act_cols = [
        "month",
        "usage_gb",
        "spend",
        "products_held",
        "care_contacts",
        "complaints",
        "help_video_views",
        "help_article_views",
    ]
    require_columns(customers, [id, "age", "signup_date"], "customer_features: customers")
    require_columns(activity, [id] + act_cols, "customer_features: activity")
    problems = numeric_problems(activity, act_cols[1:]) + numeric_problems(customers, ["age"])
    if problems:
        raise ValidationError(problems, source="customer_features")
    act = activity.copy()
    act["month"] = pd.to_datetime(act["month"])
    if until is not None:
        until = pd.Timestamp(until)
        act = act[act["month"] < until]
        last_month = until - pd.DateOffset(months=1)
        active = act.loc[act["month"] >= last_month, id].unique()
        if "churned" in act.columns:  # cancelled before the cutoff: not active at it
            gone = act.loc[pd.to_numeric(act["churned"], errors="coerce").eq(1), id].unique()
            active = np.setdiff1d(active, gone)
        act = act[act[id].isin(active)]
    g = act.groupby(id, sort=True)
    means = g[act_cols[1:]].mean()
    out = means.rename(columns={})
    out["months_active"] = g.size()
    out["help_views"] = means["help_video_views"] + means["help_article_views"]
    vids, arts = g["help_video_views"].sum(), g["help_article_views"].sum()
    out["video_share"] = (vids + 1) / (vids + arts + 2)
    cust = customers.drop_duplicates(id).set_index(id)
    n_excluded = int((~cust.index.isin(out.index)).sum())
    out = out.join(
        cust[[c for c in ("age", "signup_date", "plan", "monthly_fee", "city") if c in cust.columns]], how="left"
    )
    end = until if until is not None else g["month"].max() + pd.DateOffset(months=1)
    signup = pd.to_datetime(out["signup_date"])
    out["tenure_months"] = ((end - signup).dt.days / 30.4375).round(1)
    out = out.drop(columns=["signup_date"])
    if interactions is not None:
        require_columns(interactions, [id, "channel"], "customer_features: interactions")
        it = interactions
        if until is not None and "timestamp" in it.columns:
            it = it[pd.to_datetime(it["timestamp"]) < until]
        counts = pd.crosstab(it[id], it["channel"]).reindex(columns=_CHANNELS, fill_value=0)
        counts = counts.reindex(out.index, fill_value=0)
        total = counts.sum(axis=1)
        for ch in _CHANNELS:
            out[f"contacts_{ch}"] = counts[ch] / out["months_active"]
        digital = counts["chat"] + counts["email"]
        out["digital_contact_share"] = (digital + 1) / (total + 2)
        pref = counts.idxmax(axis=1).where(total > 0, "none")
        out["preferred_channel"] = pref
    if surveys is not None:
        require_columns(surveys, [id, "ltr"], "customer_features: surveys")
        sv = surveys
        if until is not None and "survey_date" in sv.columns:
            sv = sv[pd.to_datetime(sv["survey_date"]) < until]
        s = sv.groupby(id)["ltr"].agg(["mean", "size"])
        out["ltr_mean"] = s["mean"].reindex(out.index)
        out["n_surveys"] = s["size"].reindex(out.index).fillna(0).astype(int)
    out.index.name = id
    out.attrs["n_excluded"] = n_excluded
    return out


def default_features(table: pd.DataFrame) -> list[str]:
    """The :data:`DEFAULT_FEATURES` that ``table`` has (for an analyst's own feature table).

    Examples
    --------
    >>> default_features(pd.DataFrame(columns=["age", "spend", "city"]))
    ['age', 'spend']
    """
    feats = [c for c in DEFAULT_FEATURES if c in table.columns]
    if len(feats) < 2:
        raise CxError(
            f"default_features: the table has {len(feats)} of the default features "
            f"({', '.join(DEFAULT_FEATURES)}); pass FEATURES = [...] with at least two "
            "numeric columns of your table."
        )
    return feats

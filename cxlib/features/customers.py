"""Behavioural features per customer, the raw material of personas: a selection of the builder.

:func:`customer_features` is :func:`cxlib.features.build_features` with the
history statistics (means per active month, shares); :data:`DEFAULT_FEATURES` are the
columns the personas lesson segments on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.checks import numeric_problems, require_columns
from cxlib.errors import CxError, ValidationError
from cxlib.features.builder import build_features

__all__ = ["customer_features", "DEFAULT_FEATURES", "default_features", "PERSONA_COUNT_COLUMNS"]


#: Features used for segmentation when none are given: who the customer is and how
#: they use the service. Outcome-like columns (care contacts, complaints, tenure, survey
#: answers, churn) are left out on purpose, so they can *test* the personas afterwards.
DEFAULT_FEATURES = [
    "age",
    "usage_gb_mean",
    "spend_mean",
    "products_held_mean",
    "help_video_views_mean",
    "help_article_views_mean",
    "digital_contact_share",
]

#: Activity counts summarised for personas (means per active month).
PERSONA_COUNT_COLUMNS = ("care_contacts", "complaints", "help_video_views", "help_article_views")

_ACTIVITY_COLUMNS = ["month", "usage_gb", "spend", "products_held", *PERSONA_COUNT_COLUMNS]


@renamed_arguments(id="id_column", until="cutoff")
def customer_features(
    customers: pd.DataFrame,
    activity: pd.DataFrame,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    *,
    id_column: str = "customer_id",
    cutoff: Any = None,
) -> pd.DataFrame:
    """One row per customer of behavioural features for segmentation.

    A selection of :func:`cxlib.features.build_features` with the history statistics:
    ``<signal>_mean`` (per active month) of usage, spend, products held, care
    contacts, complaints and help views, ``months_active``, ``help_views_mean``,
    ``video_share`` (share of help views that are videos, smoothed as (videos + 1) /
    (views + 2), so customers who never opened help sit at 0.5 instead of being
    dropped), ``tenure_months``, the signup columns (``age``, ``plan``, ``city``, ...),
    and from ``interactions`` ``contacts_<channel>_mean``, ``digital_contact_share``
    (chat + email, smoothed the same way) and ``preferred_channel``; from ``surveys``
    ``ltr_mean`` and ``surveys_total`` (kept for *checking* personas, not in
    :data:`DEFAULT_FEATURES`).

    Parameters
    ----------
    customers : DataFrame
        The customers table (``customer_id``, ``age``, ``signup_date``, ...).
    activity : DataFrame
        One row per customer and month (``month``, ``usage_gb``, ``spend``,
        ``products_held``, ``care_contacts``, ``complaints``, ``help_video_views``,
        ``help_article_views``).
    interactions : DataFrame, optional
        Support contacts with ``channel`` (phone, chat, email, store) and ``timestamp``.
    surveys : DataFrame, optional
        NPS survey answers with ``ltr`` and ``survey_date``.
    id_column : str
        The customer id column.
    cutoff : date-like, optional
        First day of a month: use only rows before it, and only customers active at it
        (point-in-time features, so a later outcome can test the personas without
        circularity). Default: every customer with activity, over all the data.

    Returns
    -------
    DataFrame
        Indexed by customer id. ``attrs["n_excluded"]`` counts customers of
        ``customers`` left out because they had no activity.

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
    >>> f[["usage_gb_mean", "help_views_mean", "video_share"]].round(3)
                 usage_gb_mean  help_views_mean  video_share
    customer_id
    C1                     5.0              3.0        0.875
    C2                     1.0              2.0        0.250
    """
    require_columns(customers, [id_column, "age", "signup_date"], "customer_features: customers")
    require_columns(activity, [id_column, *_ACTIVITY_COLUMNS], "customer_features: activity")
    problems = numeric_problems(activity, _ACTIVITY_COLUMNS[1:]) + numeric_problems(customers, ["age"])
    if problems:
        raise ValidationError(problems, source="customer_features")
    if interactions is not None:
        require_columns(interactions, [id_column, "channel", "timestamp"], "customer_features: interactions")
    if surveys is not None:
        require_columns(surveys, [id_column, "ltr", "survey_date"], "customer_features: surveys")
    feats = build_features(
        activity,
        cutoff,
        label=False,
        population="active" if cutoff is not None else "all",
        statistics=("mean", "shares"),
        count_columns=PERSONA_COUNT_COLUMNS,
        customers=customers,
        interactions=interactions,
        surveys=surveys,
        id_column=id_column,
    ).set_index(id_column)
    feats = feats.drop(columns=["churned_before"], errors="ignore")
    cust_ids = customers[id_column].drop_duplicates()
    feats.attrs = {"n_excluded": int((~cust_ids.isin(feats.index)).sum())}
    return feats


def default_features(table: pd.DataFrame) -> list[str]:
    """The :data:`DEFAULT_FEATURES` that ``table`` has (for an analyst's own feature table).

    Parameters
    ----------
    table : DataFrame
        A customer-level feature table.

    Returns
    -------
    list of str
        The default features present, in the order of :data:`DEFAULT_FEATURES`.

    Raises
    ------
    CxError
        When fewer than two are present.

    Examples
    --------
    >>> default_features(pd.DataFrame(columns=["age", "spend_mean", "city"]))
    ['age', 'spend_mean']
    """
    feats = [c for c in DEFAULT_FEATURES if c in table.columns]
    if len(feats) < 2:
        raise CxError(
            f"default_features: the table has {len(feats)} of the default features "
            f"({', '.join(DEFAULT_FEATURES)}); pass FEATURES = [...] with at least two "
            "numeric columns of your table."
        )
    return feats

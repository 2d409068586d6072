"""One naming scheme for every point-in-time feature, and what each name means.

Every feature is ``<signal>`` plus a *statistic* suffix, so a name says what was
counted and over which months. The signals are the source columns with one name
each (the activity table's ``payment_issue`` flag is the signal ``payment_issues``;
``unresolved_complaints`` is complaints minus complaints resolved, per month, never
below 0). The statistics (:data:`STATISTICS`) are:

=================  ============================================================
name               meaning
=================  ============================================================
``S_3m``           sum of S over the 3 months before the cutoff (any window)
``S_total``        sum of S over the whole history before the cutoff
``S_mean``         mean of S per active month over the history
``S_mean_3m``      mean of S per month (per contact for contacts) in the window
``S_last``         S in the last month before the cutoff
``S_trend``        mean of the recent months / mean of the months before them
``S_change``       log(1 + last month) - log(1 + mean of the other recent months)
``S_vs_history``   mean of the recent months / the customer's own mean
``months_since_E`` months since the last E before the cutoff (0 = last month)
``last_Q``         the last answer to question Q before the cutoff
=================  ============================================================

plus ``months_active`` (months with activity in the history), ``tenure_months``
(months since signup at the cutoff, or when the customer left), ``churned_before``
(cancelled in the history), the shares ``video_share`` and
``digital_contact_share``, ``preferred_channel``, ``surveys_total``, and the label
``churned`` (cancels within the horizon after the cutoff). "Recent" is the middle
window (3 months with the default windows 1, 3, 6) and "before them" runs to the
largest window. Blank means "no such event before the cutoff".

Examples
--------
>>> describe_features(["payment_issues_3m", "spend_mean", "usage_gb_trend"])["meaning"].tolist()  # doctest: +NORMALIZE_WHITESPACE
['sum of payment issues in the 3 months before the cutoff',
 'spend: mean per active month over the history before the cutoff',
 'usage gb: mean of the recent months / mean of the months before them (1 = flat)']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

__all__ = [
    "COUNT_COLUMNS",
    "LEVEL_COLUMNS",
    "STATIC_COLUMNS",
    "SIGNAL_NAMES",
    "STATISTICS",
    "CHURN_STATISTICS",
    "signal_name",
    "describe_features",
]

#: Activity columns summed over windows (counts and 0/1 flags); ``unresolved_complaints`` is
#: derived from ``complaints`` and ``complaints_resolved``.
COUNT_COLUMNS = (
    "care_contacts",
    "complaints",
    "positive_feedback",
    "payment_issue",
    "help_video_views",
    "help_article_views",
    "unresolved_complaints",
)

#: Activity columns that are levels: last value, means, trend and change.
LEVEL_COLUMNS = ("usage_gb", "spend", "products_held")

#: Customer-table columns known at signup (safe to use at any cutoff).
STATIC_COLUMNS = ("age", "plan", "city", "acquisition_channel", "monthly_fee")

#: Source column -> signal name, where they differ (one name per signal).
SIGNAL_NAMES = {"payment_issue": "payment_issues"}

#: Every statistic :func:`cxlib.features.build_features` can compute.
STATISTICS = (
    "sum",
    "total",
    "mean",
    "window_mean",
    "last",
    "trend",
    "change",
    "vs_history",
    "recency",
    "contact_means",
    "shares",
)

#: The statistics of the churn table (the default of :func:`cxlib.features.build_features`).
CHURN_STATISTICS = ("sum", "last", "trend", "vs_history", "recency", "contact_means")

#: Events whose recency is a feature: signal -> the event's name in ``months_since_<name>``.
RECENCY = {"complaints": "complaint", "payment_issues": "payment_issue"}


def signal_name(column: str) -> str:
    """The signal name of a source column (``payment_issue`` -> ``payment_issues``).

    Parameters
    ----------
    column : str
        A column of the activity or interactions table.

    Returns
    -------
    str
        Its name in the features.

    Examples
    --------
    >>> signal_name("payment_issue"), signal_name("complaints")
    ('payment_issues', 'complaints')
    """
    return SIGNAL_NAMES.get(column, column)


_FIXED = {
    "churned": "label: 1 if the customer cancels within the horizon after the cutoff",
    "churned_before": "1 if the customer cancelled in the history before the cutoff",
    "months_active": "months with activity in the history before the cutoff",
    "tenure_months": "months since signup at the cutoff (or when the customer left)",
    "video_share": "share of help views that are videos, (videos + 1) / (views + 2), over the history",
    "digital_contact_share": "share of contacts by chat or email, (digital + 1) / (contacts + 2), over the history",
    "preferred_channel": "most used contact channel over the history ('none' without contacts)",
    "surveys_total": "relationship-survey answers before the cutoff",
}

_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"months_since_(.+)", "months since the last {0} before the cutoff (0 = last month; blank = none)"),
    (r"last_(.+)", "last {0} answer before the cutoff (blank = never answered)"),
    (r"(.+)_mean_(\d+)m", "{0}: mean per month (per contact for contacts) in the {1} months before the cutoff"),
    (r"(.+)_(\d+)m", "sum of {0} in the {1} months before the cutoff"),
    (r"(.+)_total", "sum of {0} over the history before the cutoff"),
    (r"(.+)_mean", "{0}: mean per active month over the history before the cutoff"),
    (r"(.+)_last", "{0} in the last month before the cutoff"),
    (r"(.+)_trend", "{0}: mean of the recent months / mean of the months before them (1 = flat)"),
    (r"(.+)_change", "{0}: log(1 + last month) - log(1 + mean of the other recent months) (0 = flat)"),
    (r"(.+)_vs_history", "{0}: mean of the recent months / the customer's own mean before the cutoff"),
)


def _meaning(name: str) -> str:
    if name in _FIXED:
        return _FIXED[name]
    for pattern, text in _PATTERNS:
        m = re.fullmatch(pattern, name)
        if m:
            parts = [g.replace("_", " ") for g in m.groups()]
            return text.format(*parts).replace("in the 1 months", "in the month")  # complaints_1m
    return "as in the source table"


def describe_features(features: pd.DataFrame | Iterable[str]) -> pd.DataFrame:
    """A plain-language description of each feature name of the scheme.

    Parameters
    ----------
    features : DataFrame or iterable of str
        A feature table (its columns are described) or a list of names.

    Returns
    -------
    DataFrame
        ``feature`` and ``meaning``, one row per name.

    Examples
    --------
    >>> describe_features(["complaints_3m", "months_since_complaint"])["meaning"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['sum of complaints in the 3 months before the cutoff',
     'months since the last complaint before the cutoff (0 = last month; blank = none)']
    """
    names = list(features.columns) if isinstance(features, pd.DataFrame) else list(features)
    return pd.DataFrame({"feature": names, "meaning": [_meaning(str(n)) for n in names]})

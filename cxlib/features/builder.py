"""The one point-in-time feature builder: :func:`build_features`.

Every customer-level feature of the course is built here, at a cutoff, from rows
dated before it, and named by :mod:`cxlib.features.names`. The churn table, the
health signals, the persona features, the value profile and the simulator's bundled
snapshot are selections of its output (see :mod:`cxlib.features`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.errors import CxError
from cxlib.features import _groups as groups
from cxlib.features._frame import ActivityFrame, activity_frame
from cxlib.features._frame import label as outcome_label
from cxlib.features.names import CHURN_STATISTICS, COUNT_COLUMNS, LEVEL_COLUMNS, STATIC_COLUMNS, STATISTICS

__all__ = ["build_features"]


def _as_tuple(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _check(windows: Sequence[int], horizon: int, statistics: Sequence[str]) -> tuple[groups.Windows, set]:
    if not len(windows) or min(int(w) for w in windows) < 1:
        raise CxError("windows must be positive whole numbers of months, e.g. (1, 3, 6).")
    if int(horizon) < 1:
        raise CxError("horizon must be at least 1 month.")
    unknown = sorted(set(statistics) - set(STATISTICS))
    if unknown:
        raise CxError(f"unknown statistic(s) {unknown}; choose from {list(STATISTICS)}.")
    return groups.Windows(windows), set(statistics)


def _other_tables(frame: ActivityFrame, out: dict, w: groups.Windows, stats: set, tables: dict, cols: dict) -> None:
    """Add the customers, interactions, surveys and post-contact survey features to ``out``."""
    if tables["customers"] is not None:
        out.update(
            groups.customer_features(
                tables["customers"],
                frame,
                id_column=cols["id"],
                signup_column=cols["signup"],
                static_columns=cols["static"],
            )
        )
    if tables["interactions"] is not None:
        out.update(
            groups.contact_features(
                tables["interactions"],
                frame,
                w,
                stats,
                out["months_active"],
                id_column=cols["id"],
                time_column=cols["interaction_time"],
            )
        )
    answers = (
        ("nps_surveys", "surveys", "survey", "surveys"),
        ("agent_feedback", "feedback", "feedback", "feedback_surveys"),
    )
    for table, key, event, count_name in answers:
        if tables[key] is not None:
            out.update(
                groups.answer_features(
                    tables[key],
                    frame,
                    stats,
                    id_column=cols["id"],
                    date_column=cols[f"{key}_date"],
                    columns=cols[f"{key}_columns"],
                    event=event,
                    count_name=count_name,
                    table=table,
                )
            )


@renamed_arguments(churn_column="target_column", score_column="survey_columns", csat_column="feedback_columns")
def build_features(
    activity: pd.DataFrame,
    cutoff: Any = None,
    horizon: int = 3,
    *,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    windows: Sequence[int] = (1, 3, 6),
    statistics: Sequence[str] = CHURN_STATISTICS,
    label: bool = True,
    population: str = "active",
    since: Any = None,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
    count_columns: Sequence[str] = COUNT_COLUMNS,
    level_columns: Sequence[str] = LEVEL_COLUMNS,
    static_columns: Sequence[str] = STATIC_COLUMNS,
    signup_column: str = "signup_date",
    interaction_time_column: str = "timestamp",
    survey_date_column: str = "survey_date",
    survey_columns: str | Sequence[str] = ("ltr",),
    feedback_date_column: str = "date",
    feedback_columns: str | Sequence[str] = ("csat",),
) -> pd.DataFrame:
    """Point-in-time customer features at ``cutoff`` and the churn label in the ``horizon`` months after it.

    Every feature uses only rows dated before the cutoff (and from ``since``, when
    given); the label ``churned`` is 1 when the customer cancels in one of the
    ``horizon`` months starting at the cutoff. Names follow
    :mod:`cxlib.features.names` (:func:`describe_features` says what each means).
    Fully vectorised: a million customers with 24 months of activity take well under
    30 seconds.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month (data contract ``activity``): an id, a month (any
        date in the month), the monthly churn flag and any of ``count_columns`` and
        ``level_columns``. Absent columns are skipped.
    cutoff : date-like, optional
        First day of a month, e.g. ``"2024-07-01"``. Default: the month after the last
        month of the data (then ``label`` must be False).
    horizon : int, default 3
        Months after the cutoff in which a cancellation counts as churn.
    interactions, surveys, feedback, customers : DataFrame, optional
        Support contacts, relationship surveys, post-contact surveys and the customer
        table. From ``customers`` only the signup date and ``static_columns`` are used
        (never ``status`` or ``churn_date``, which leak the future).
    windows : sequence of int, default (1, 3, 6)
        Window lengths in months for sums (``complaints_3m``); the middle and the
        largest windows define ``_trend``, ``_change`` and ``_vs_history``.
    statistics : sequence of str, default :data:`~cxlib.features.names.CHURN_STATISTICS`
        Which statistics to compute (:data:`~cxlib.features.names.STATISTICS`).
    label : bool, default True
        Add the label. Use ``False`` to score today's customers (no future data yet).
    population : {"active", "all"}, default "active"
        Customers active at the cutoff (an activity row in the month before it without
        cancelling), or every customer with activity in the history (adds
        ``churned_before``).
    since : date-like, optional
        First month of the history; rows before it are ignored (default: all).
    id_column, month_column, target_column : str
        Column names of the id, the month and the monthly churn flag.
    count_columns, level_columns, static_columns : sequence of str
        Which activity and customer columns to summarise (absent ones are skipped).
    signup_column, interaction_time_column, survey_date_column, feedback_date_column : str
        Date columns of the other tables.
    survey_columns, feedback_columns : str or sequence of str
        Answers summarised as ``last_<column>`` and ``<column>_mean``.

    Returns
    -------
    DataFrame
        ``id_column``, the features and ``churned`` (when ``label``), one row per customer
        of the population, sorted by id. ``attrs`` hold ``cutoff``, ``horizon``,
        ``n_active`` (rows), ``population`` and ``n_missing`` (blank values ignored, per
        column).

    Raises
    ------
    ValidationError
        Missing columns or values that are not dates.
    CxError
        A cutoff that is not the first of a month, nobody in the population, or (with
        ``label=True``) activity that does not reach the end of the horizon.

    Examples
    --------
    >>> act = pd.DataFrame({
    ...     "customer_id": ["a", "a", "a", "b", "b", "b"],
    ...     "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"] * 2),
    ...     "complaints": [0, 2, 5, 1, 0, 0], "churned": [0, 0, 0, 0, 0, 1]})
    >>> f = build_features(act, "2024-03-01", horizon=1, windows=(1, 2))
    >>> f[["customer_id", "complaints_1m", "complaints_2m", "months_since_complaint", "churned"]]
      customer_id  complaints_1m  complaints_2m  months_since_complaint  churned
    0           a            2.0            2.0                     0.0        0
    1           b            0.0            1.0                     1.0        1
    """
    w, stats = _check(windows, horizon, statistics)
    if label and cutoff is None:
        raise CxError("a label needs a cutoff inside the data (the months after it are the outcome); pass cutoff=.")
    frame = activity_frame(
        activity,
        cutoff,
        since=since,
        population=population,
        id_column=id_column,
        month_column=month_column,
        target_column=target_column,
        need_churn=label,
    )
    n_missing: dict[str, int] = {}
    out = groups.activity_features(activity, frame, w, stats, count_columns, level_columns, n_missing)
    tables = {"customers": customers, "interactions": interactions, "surveys": surveys, "feedback": feedback}
    cols = {
        "id": id_column,
        "signup": signup_column,
        "static": static_columns,
        "interaction_time": interaction_time_column,
        "surveys_date": survey_date_column,
        "surveys_columns": _as_tuple(survey_columns),
        "feedback_date": feedback_date_column,
        "feedback_columns": _as_tuple(feedback_columns),
    }
    _other_tables(frame, out, w, stats, tables, cols)
    if label:
        out["churned"] = outcome_label(frame, horizon)
    feats = pd.DataFrame(out)
    feats.insert(0, id_column, frame.ids)
    feats.attrs.update(
        cutoff=str(frame.cutoff.date()),
        horizon=int(horizon) if label else None,
        n_active=frame.n,
        population=population,
        n_missing={k: v for k, v in n_missing.items() if v},
    )
    return feats

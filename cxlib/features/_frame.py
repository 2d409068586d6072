"""The activity table at a cutoff: dates read, months counted back, who is in the population.

:func:`activity_frame` is the one place that decides the cutoff rules of the features
layer: a cutoff is the first day of a month; "month 0" is the last month before it;
the history runs from ``since`` (default: the first month of the data) to the cutoff;
a customer is *active at the cutoff* when they have an activity row in month 0 and did
not cancel in it. :func:`label` is the outcome after the cutoff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["ActivityFrame", "activity_frame", "label", "month_index", "read_dates", "month_start"]


def month_index(values: Any) -> np.ndarray:
    """Months since 1970-01 (int64) of datetime-like values.

    Parameters
    ----------
    values : array-like of dates

    Returns
    -------
    ndarray of int64

    Examples
    --------
    >>> month_index(pd.to_datetime(["1970-02-15", "2024-01-01"])).tolist()
    [1, 648]
    """
    arr = values if isinstance(values, np.ndarray) else pd.to_datetime(values).to_numpy()
    return np.asarray(arr, dtype="datetime64[ns]").astype("datetime64[M]").astype(np.int64)


def read_dates(s: pd.Series, name: str, table: str) -> pd.Series:
    """Dates of a column (ISO first, other forms element by element); non-dates are an error.

    Parameters
    ----------
    s : Series
        The column.
    name, table : str
        The column's and the table's names, for the message.

    Returns
    -------
    Series of datetime64

    Examples
    --------
    >>> read_dates(pd.Series(["2024-01-31", "2024-02-01"]), "month", "activity").dt.month.tolist()
    [1, 2]
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    out = pd.to_datetime(s, errors="coerce", format="ISO8601")
    retry = out.isna() & s.notna()
    if retry.any():  # other formats, element by element (slower; ISO dates are the contract)
        out[retry] = pd.to_datetime(s[retry], errors="coerce", format="mixed")
    bad = out.isna() & s.notna()
    if bad.any():
        rows = np.flatnonzero(bad.to_numpy())[:5] + 2
        problem = Problem(
            "not a date",
            column=name,
            rows=tuple(rows),
            values=tuple(s[bad].head(5)),
            count=int(bad.sum()),
            fix="write dates as YYYY-MM-DD.",
        )
        raise ValidationError([problem], source=table)
    return out


def month_start(value: Any, what: str = "cutoff") -> pd.Timestamp:
    """A cutoff as a Timestamp, refused unless it is the first day of a month.

    Parameters
    ----------
    value : date-like
        The cutoff.
    what : str
        Its name in the message.

    Returns
    -------
    Timestamp

    Examples
    --------
    >>> month_start("2024-07-01")
    Timestamp('2024-07-01 00:00:00')
    """
    cut = pd.Timestamp(value)
    if cut != cut.normalize() or cut.day != 1:
        raise CxError(
            f"{what} {value!r} is not the first day of a month; activity is monthly, so a "
            f"mid-month {what} would let the rest of that month leak in. Use e.g. '{cut:%Y-%m}-01'."
        )
    return cut


@dataclass
class ActivityFrame:
    """The activity rows of one population at one cutoff (see :func:`activity_frame`).

    ``ids`` are the customers (sorted), ``code`` the position of each activity row's
    customer in ``ids`` (-1 outside the population), ``age`` the months from each row
    to the cutoff (0 = the last month before it; negative after it) and ``history``
    the rows the features may use (in the population, before the cutoff, from ``since``).
    """

    ids: np.ndarray
    code: np.ndarray
    age: np.ndarray
    history: np.ndarray
    churn: np.ndarray | None
    cutoff: pd.Timestamp
    cutoff_month: int
    since_month: int | None
    last_month: pd.Timestamp
    population: str

    @property
    def n(self) -> int:
        """Customers in the population."""
        return len(self.ids)

    def positions(self) -> pd.Series:
        """Position of each customer id in :attr:`ids`.

        Returns
        -------
        Series
        """
        return pd.Series(np.arange(self.n), index=self.ids)


def _churn_flags(activity: pd.DataFrame, target_column: str, required: bool) -> np.ndarray | None:
    if target_column in activity.columns:
        return activity[target_column].fillna(0).to_numpy(dtype=float) > 0
    if required:
        problem = Problem(
            "missing column",
            column=target_column,
            fix="the label needs the monthly churn flag; pass target_column=... or label=False.",
        )
        raise ValidationError([problem], source="activity")
    return None


def _members(age, churn, in_history, codes, n_uniq, population: str) -> np.ndarray:
    """Which customers (positions of the unique ids) are in the population."""
    if population == "active":
        last = age == 0
        if churn is not None:
            last &= ~churn
        rows = last
    elif population == "all":
        rows = in_history
    else:
        raise CxError(f"population must be 'active' (at the cutoff) or 'all'; got {population!r}.")
    member = np.zeros(n_uniq, bool)
    member[codes[rows]] = True
    return member


def activity_frame(
    activity: pd.DataFrame,
    cutoff: Any = None,
    *,
    since: Any = None,
    population: str = "active",
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
    need_churn: bool = False,
) -> ActivityFrame:
    """Read the activity table at ``cutoff`` and select the population.

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month.
    cutoff : date-like, optional
        First day of a month; default the month after the data's last month.
    since : date-like, optional
        First month of the history (rows before it are ignored); default all rows.
    population : {"active", "all"}
        Customers active at the cutoff, or every customer with activity in the history.
    id_column, month_column, target_column : str
        Column names (``target_column`` is the monthly churn flag).
    need_churn : bool
        Refuse an activity table without ``target_column``.

    Returns
    -------
    ActivityFrame

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b"], "month": ["2024-01-01", "2024-02-01", "2024-01-01"],
    ...                     "churned": [0, 0, 1]})
    >>> f = activity_frame(act, "2024-03-01")
    >>> f.ids.tolist(), f.age.tolist()
    (['a'], [1, 0, 1])
    """
    require_columns(activity, [id_column, month_column], "the activity table", "activity")
    months = read_dates(activity[month_column], month_column, "activity")
    if len(months) == 0 or months.isna().all():
        raise CxError("the activity table has no dated row.")
    last_month = months.max().to_period("M").to_timestamp()
    cut = month_start(cutoff) if cutoff is not None else last_month + pd.DateOffset(months=1)
    c_m = int(month_index(np.array([cut.to_datetime64()]))[0])
    m = month_index(months.to_numpy())
    age = c_m - 1 - m
    churn = _churn_flags(activity, target_column, need_churn)
    since_m = None
    if since is not None:
        since_m = int(month_index(np.array([pd.Timestamp(since).to_datetime64()]))[0])
    in_history = (age >= 0) & (m >= since_m if since_m is not None else True)
    codes, uniq = pd.factorize(activity[id_column], sort=True)
    member = _members(age, churn, in_history & (codes >= 0), codes, len(uniq), population)
    if not member.any():
        what = "active at" if population == "active" else "with activity before"
        raise CxError(
            f"no customer is {what} the cutoff {cut:%Y-%m-%d}: nobody has an activity row in "
            f"{cut - pd.DateOffset(months=1):%Y-%m} without cancelling. Pick a cutoff inside the data "
            f"({months.min():%Y-%m} to {months.max():%Y-%m})."
        )
    remap = np.full(len(uniq), -1, np.int64)
    remap[member] = np.arange(int(member.sum()))
    code = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
    return ActivityFrame(
        ids=np.asarray(uniq)[member],
        code=code,
        age=age,
        history=in_history & (code >= 0),
        churn=churn,
        cutoff=cut,
        cutoff_month=c_m,
        since_month=since_m,
        last_month=last_month,
        population=population,
    )


def label(frame: ActivityFrame, horizon: int) -> np.ndarray:
    """1 when the customer cancels in one of the ``horizon`` months from the cutoff, else 0.

    Refuses when the activity ends before the horizon does (the label would miss churners).

    Parameters
    ----------
    frame : ActivityFrame
        From :func:`activity_frame`.
    horizon : int
        Months from the cutoff.

    Returns
    -------
    ndarray of 0/1
        One per customer of the frame.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...                     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1]})
    >>> label(activity_frame(act, "2024-02-01"), 1).tolist()
    [0, 1]
    """
    if int(horizon) < 1:
        raise CxError("horizon must be at least 1 month.")
    if frame.churn is None:
        raise CxError("the label needs the activity table's monthly churn flag (target_column).")
    end_needed = frame.cutoff + pd.DateOffset(months=int(horizon) - 1)
    if frame.last_month < end_needed:
        raise CxError(
            f"the activity ends in {frame.last_month:%Y-%m}, before the end of the {horizon}-month "
            f"horizon after {frame.cutoff:%Y-%m}; the label would miss churners. Use an earlier "
            f"cutoff, a shorter horizon, or label=False to score customers without a label."
        )
    rows = (frame.code >= 0) & (frame.age < 0) & (frame.age >= -int(horizon)) & frame.churn
    y = np.zeros(frame.n, int)
    y[frame.code[rows]] = 1
    return y

"""What happened after an event: the one definition of a later, behavioural outcome.

:func:`outcome_after_event` gives, for each event (a survey answer, a contact), whether
the customer cancelled in the month of the event or the ``horizon`` months after it,
and whether they added a product. :func:`cxlib.analytics.drivers.outcome_after` and
:func:`cxlib.analytics.emotion.repurchase_outcome` are views of it.

Conventions
-----------
* Activity is monthly; a cancellation flagged in month M happens at the end of M. An
  event dated in month M happened while the customer was still a customer, so a
  cancellation in M comes *after* it: the churn window is months M, M+1, ..., M+h.
* Products added are compared with the level of month M, over months M+1 ... M+h.
* An outcome is known only when the whole window is in the data. Events whose window
  runs past the last month are censored (blank), *even when a cancellation is already
  visible*: keeping the early cancellations and dropping the censored stayers would
  inflate the churn rate of recent events.
* An event of a customer with no activity row in its month (not a customer then, or
  missing from the export) has a blank outcome.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.checks import require_columns
from cxlib.errors import CxError
from cxlib.features._frame import month_index, read_dates

__all__ = ["outcome_after_event"]


def _activity_months(activity, id_column, month_column, target_column):
    months = month_index(read_dates(activity[month_column], month_column, "activity").to_numpy())
    churn = activity[target_column].fillna(0).to_numpy(dtype=float) > 0
    return months, churn


def outcome_after_event(
    events: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    date_column: str = "survey_date",
    horizon: int = 3,
    id_column: str = "customer_id",
    month_column: str = "month",
    target_column: str = "churned",
    products_column: str = "products_held",
) -> pd.DataFrame:
    """Churn and product outcomes in the months after each event.

    Parameters
    ----------
    events : DataFrame
        One row per event, with ``id_column`` and ``date_column``.
    activity : DataFrame
        One row per customer and month, with the monthly churn flag and (for
        ``added_product``) ``products_column``.
    date_column : str, default "survey_date"
        The date of each event.
    horizon : int, default 3
        Months after the event's month that the outcome covers.
    id_column, month_column, target_column, products_column : str
        Column names.

    Returns
    -------
    DataFrame
        Aligned with ``events`` (same index): ``churned`` (1 if the customer cancels in
        the event's month or the ``horizon`` months after it, 0 if not, blank when
        unknown), ``added_product`` (1 if ``products_column`` rises above its level in
        the event's month, when that column exists), ``customer_at_event`` and
        ``window_complete``. ``attrs``: ``n_censored`` (window not over), ``n_not_customer``
        (no activity in the event's month) and ``horizon``.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-01", "2024-02-01"],
    ...     "churned": [0, 0, 0, 0, 1], "products_held": [1, 2, 2, 1, 1]})
    >>> ev = pd.DataFrame({"customer_id": ["a", "b", "b", "a"],
    ...                    "survey_date": ["2024-01-15", "2024-01-20", "2024-02-03", "2024-03-02"]})
    >>> outcome_after_event(ev, act, horizon=1)[["churned", "added_product"]]
       churned  added_product
    0      0.0            1.0
    1      1.0            0.0
    2      1.0            0.0
    3      NaN            NaN
    """
    if int(horizon) < 1:
        raise CxError(f"horizon must be at least 1 month; got {horizon!r}.")
    h = int(horizon)
    require_columns(events, [id_column, date_column], "the events table", "events")
    require_columns(activity, [id_column, month_column, target_column], "the activity table", "activity")
    am, churn = _activity_months(activity, id_column, month_column, target_column)
    em = month_index(read_dates(events[date_column], date_column, "events").to_numpy())
    ids = activity[id_column].to_numpy()
    rows = pd.DataFrame({"id": ids, "m": am})
    present = pd.MultiIndex.from_frame(rows).drop_duplicates()
    ev_ids = events[id_column].to_numpy()
    at_event = pd.MultiIndex.from_arrays([ev_ids, em]).isin(present)
    complete = em + h <= am.max()
    known = at_event & complete
    churn_m = pd.Series(am[churn], index=ids[churn]).groupby(level=0).min()
    cm = pd.Series(ev_ids).map(churn_m).to_numpy(dtype=float)
    left = (cm >= em) & (cm <= em + h)
    out = pd.DataFrame({"churned": np.where(known, left.astype(float), np.nan)}, index=events.index)
    if products_column in activity.columns:
        out["added_product"] = _added(events, activity, ev_ids, em, h, known, id_column, am, products_column)
    out["customer_at_event"], out["window_complete"] = at_event, complete
    out.attrs.update(n_censored=int((at_event & ~complete).sum()), n_not_customer=int((~at_event).sum()), horizon=h)
    return out


def _added(events, activity, ev_ids, em, h, known, id_column, am, products_column) -> np.ndarray:
    """1 if the products held rise above the event month's level in the ``h`` months after it."""
    prod = pd.to_numeric(activity[products_column], errors="coerce").to_numpy(dtype=float)
    act = pd.DataFrame({"id": activity[id_column].to_numpy(), "m": am, "p": prod})
    ev = pd.DataFrame({"id": ev_ids, "em": em, "row": np.arange(len(events))})
    both = ev.merge(act, on="id", how="inner")
    gap = both["m"] - both["em"]
    base = both[gap == 0].groupby("row")["p"].max().reindex(ev["row"]).to_numpy()
    later = both[(gap >= 1) & (gap <= h)].groupby("row")["p"].max().reindex(ev["row"]).to_numpy()
    added = np.where(np.isnan(later) | np.isnan(base), 0.0, (later > base).astype(float))
    return np.where(known, added, np.nan)

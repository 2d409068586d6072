"""The summary of an order table that the CLV models need (part of :mod:`cxlib.analytics.clv`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.errors import CxError, format_rows, format_values

__all__ = ["UNITS", "summarize_orders"]

#: Time units of a summary: name -> length in days.
UNITS = {"day": 1.0, "week": 7.0}


def _as_dates(s: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s
    else:
        out = pd.to_datetime(s, errors="coerce", format="mixed")
    bad = out.isna()
    if bad.any():
        rows = (np.flatnonzero(bad.to_numpy()) + 2).tolist()
        raise CxError(
            f"column {name!r}: {int(bad.sum())} value(s) are blank or not dates "
            f"({format_rows(rows, int(bad.sum()))}; values: {format_values(s[bad].tolist())}). "
            "Write dates as YYYY-MM-DD and remove the rows without a date."
        )
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    return out.dt.normalize()


def _as_day(value: Any, option: str) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        day = pd.NaT
    if day is pd.NaT or pd.isna(day):
        raise CxError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD (for example 1997-09-30).")
    return day.tz_localize(None).normalize() if day.tzinfo else day.normalize()


def _check_orders(orders, id_column, date_column, value_column, unit) -> None:
    if unit not in UNITS:
        raise CxError(f"unknown time unit {unit!r}; use 'week' or 'day'.")
    if not isinstance(orders, pd.DataFrame):
        raise CxError("orders must be a pandas DataFrame with one row per order.")
    missing = [c for c in (id_column, date_column, value_column) if c is not None and c not in orders.columns]
    if missing:
        raise CxError(
            f"column(s) {', '.join(map(repr, missing))} not found; the columns are: "
            f"{', '.join(map(repr, map(str, orders.columns)))}."
        )
    if not len(orders):
        raise CxError("the order table has no rows.")


def _daily(orders, id_column, date_column, value_column) -> pd.DataFrame:
    """One row per customer and purchase day, with the day's total value."""
    ids = orders[id_column]
    blank = ids.isna() | ids.astype(str).str.strip().eq("")
    if blank.any():
        rows = (np.flatnonzero(blank.to_numpy()) + 2).tolist()
        raise CxError(
            f"column {id_column!r}: {int(blank.sum())} order(s) without a customer id "
            f"({format_rows(rows, int(blank.sum()))}). Remove them or fill in the id."
        )
    frame = pd.DataFrame({"customer": ids.to_numpy(), "day": _as_dates(orders[date_column], date_column).to_numpy()})
    frame["value"] = 0.0
    if value_column is not None:
        vals = pd.to_numeric(orders[value_column], errors="coerce")
        bad = vals.isna() | (vals < 0)
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy()) + 2).tolist()
            raise CxError(
                f"column {value_column!r}: {int(bad.sum())} value(s) are blank, not numbers or negative "
                f"({format_rows(rows, int(bad.sum()))}; values: {format_values(orders[value_column][bad].tolist())}). "
                "Order values must be numbers >= 0 (net refunds out of their order first)."
            )
        frame["value"] = vals.to_numpy(dtype=float)
    return frame.groupby(["customer", "day"], sort=True, observed=True)["value"].sum().reset_index()


def _holdout(out, daily, cal_end, hold_end, length, with_value) -> None:
    hold = daily[(daily["day"] > cal_end) & (daily["day"] <= hold_end)]
    out["frequency_holdout"] = hold.groupby("customer").size().reindex(out.index, fill_value=0).astype(int)
    out["duration_holdout"] = (hold_end - cal_end).days / length
    if with_value:
        out["value_holdout"] = hold.groupby("customer")["value"].sum().reindex(out.index, fill_value=0.0)


@renamed_arguments(customer="id_column", date="date_column", value="value_column")
def summarize_orders(
    orders: pd.DataFrame,
    id_column: str,
    date_column: str,
    value_column: str | None = None,
    *,
    calibration_end: Any,
    holdout_end: Any = None,
    unit: str = "week",
) -> pd.DataFrame:
    """Frequency, recency, T and mean spend per customer from an order table.

    Orders are counted **by day**: all orders of a customer on one day are one purchase
    (their values summed). Only customers whose first purchase is on or before
    ``calibration_end`` are summarised; orders after it count in the holdout only.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or order line).
    id_column, date_column : str
        The customer id column and the order date column (dates or ``YYYY-MM-DD`` text;
        times of day are ignored).
    value_column : str, optional
        The order value column (revenue or margin, never negative). Gives the mean spend.
    calibration_end : date
        Last day of the calibration period (included).
    holdout_end : date, optional
        Last day of a holdout period after ``calibration_end`` (included): adds the
        repeat purchases each customer actually made in it.
    unit : {"week", "day"}
        Time unit of ``recency`` and ``T`` (a week is 7 days).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (sorted): ``first_purchase``, ``frequency`` (repeat purchase
        days), ``recency`` and ``T`` (in ``unit``), and with ``value``, ``monetary_value``
        (mean value of the repeat purchase days; NaN without repeat purchases). With
        ``holdout_end``: ``frequency_holdout`` and ``duration_holdout`` (in ``unit``), and
        with ``value``, ``value_holdout`` (total). ``attrs`` holds the settings.

    Raises
    ------
    CxError
        Missing columns, blank ids, dates or values, negative values, an unknown unit, a
        holdout end not after the calibration end, or no customer with a first purchase
        by the calibration end; each message names the column, rows and values.

    Examples
    --------
    >>> orders = pd.DataFrame({"cust": ["A", "A", "A", "B", "A"],
    ...                        "day": ["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-08", "2024-02-05"],
    ...                        "usd": [10.0, 5.0, 20.0, 7.0, 30.0]})
    >>> s = summarize_orders(orders, "cust", "day", "usd", calibration_end="2024-01-29",
    ...                      holdout_end="2024-02-26")
    >>> s[["frequency", "recency", "T", "monetary_value"]]  # doctest: +NORMALIZE_WHITESPACE
          frequency  recency    T  monetary_value
    cust
    A             1      2.0  4.0            20.0
    B             0      0.0  3.0             NaN
    >>> s[["frequency_holdout", "duration_holdout", "value_holdout"]]  # doctest: +NORMALIZE_WHITESPACE
          frequency_holdout  duration_holdout  value_holdout
    cust
    A                     1               4.0           30.0
    B                     0               4.0            0.0
    """
    _check_orders(orders, id_column, date_column, value_column, unit)
    cal_end = _as_day(calibration_end, "calibration end")
    hold_end = _as_day(holdout_end, "holdout end") if holdout_end is not None else None
    if hold_end is not None and hold_end <= cal_end:
        raise CxError(f"the holdout end ({hold_end.date()}) must be after the calibration end ({cal_end.date()}).")
    daily = _daily(orders, id_column, date_column, value_column)
    first = daily.groupby("customer", sort=True)["day"].min()
    known = first[first <= cal_end]
    if not len(known):
        raise CxError(
            f"no customer made a first purchase on or before the calibration end ({cal_end.date()}): "
            f"the orders run from {daily['day'].min().date()} to {daily['day'].max().date()}. "
            "Choose a later calibration end (--calibration-end)."
        )
    last_order = daily["day"].max()
    daily = daily[daily["customer"].isin(known.index)]
    length = UNITS[unit]
    cal = daily[daily["day"] <= cal_end]
    g = cal.groupby("customer", sort=True)
    out = pd.DataFrame(index=known.index)
    out.index.name = id_column
    out["first_purchase"] = known
    out["frequency"] = (g.size() - 1).astype(int)
    out["recency"] = (g["day"].max() - known).dt.days / length
    out["T"] = (cal_end - known).dt.days / length
    if value_column is not None:
        repeat = cal[cal["day"] > cal["customer"].map(known)]
        out["monetary_value"] = repeat.groupby("customer")["value"].mean().reindex(out.index)
    if hold_end is not None:
        _holdout(out, daily, cal_end, hold_end, length, value_column is not None)
    out.attrs.update(
        {
            "unit": unit,
            "calibration_end": str(cal_end.date()),
            "holdout_end": None if hold_end is None else str(hold_end.date()),
            "orders_after_holdout": int((daily["day"] > (hold_end or cal_end)).sum()),
            "customers_after_calibration": int((first > cal_end).sum()),
            "last_order": str(last_order.date()),
        }
    )
    return out

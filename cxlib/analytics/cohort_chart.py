"""Control charts of a customer cohort's daily purchases, around a flat line or its expected decay.

A control chart asks whether today differs from *normal*. For a cohort of customers
acquired together (CDNOW's first-quarter 1997 buyers, a campaign's sign-ups), normal is
not a flat line: customers drift away after they are acquired, so the share buying on
any day falls month after month. A p-chart with a flat centre line
(:func:`cxlib.analytics.feedback.p_chart`) then flags nearly every later day "below":
the trend, not a special cause. :func:`p_chart_expected` draws the chart around a
model's expected rate for each period instead, for example the cohort's expected repeat
purchases under the BG/NBD model (:func:`expected_cohort_purchases`, with a
:class:`cxlib.analytics.clv.BetaGeoModel`), so that only departures from the expected
decay are flagged.

* :func:`cohort_daily_buyers` -- per day, the customers already acquired and how many of
  them made a repeat purchase (purchases counted by day, as in the BG/NBD paper).
* :func:`expected_cohort_purchases` -- per day, the repeat purchases a fitted BG/NBD model
  expects from customers with the given first-purchase dates.
* :func:`p_chart_expected` -- a p-chart whose centre follows an expected rate.

The limits are binomial: they assume customers buy independently of each other. A
holiday season, a price promotion or a site outage moves many customers at once, and
that is exactly what the chart should flag; but a model fitted on a period with such
events also carries them into its expected line.

Examples
--------
>>> import pandas as pd
>>> from cxlib.analytics.cohort_chart import p_chart_expected
>>> p_chart_expected([12, 30], [1000, 1000], [10.0, 10.0])[["centre", "ucl", "signal"]].round(4)
   centre     ucl signal
0    0.01  0.0194
1    0.01  0.0194  above
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlib.checks import require_columns
from cxlib.errors import CxError

__all__ = ["cohort_daily_buyers", "expected_cohort_purchases", "p_chart_expected"]

_UNIT_DAYS = {"day": 1.0, "week": 7.0}


def _days(values: pd.Series, column: str) -> pd.Series:
    days = pd.to_datetime(values, errors="coerce")
    bad = days.isna() & values.notna()
    if bad.any():
        raise CxError(
            f"column {column!r}: {int(bad.sum())} value(s) are not dates, e.g. {values[bad].iloc[0]!r}; "
            f"use YYYY-MM-DD dates."
        )
    if days.isna().any():
        raise CxError(f"column {column!r}: {int(days.isna().sum())} blank date(s); drop or fill them first.")
    return days.dt.normalize()


def cohort_daily_buyers(
    orders: pd.DataFrame, id_column: str, date_column: str, *, start: Any = None, end: Any = None
) -> pd.DataFrame:
    """Per day: the customers acquired before it, and how many of them bought again that day.

    A customer counts from the day after their first purchase; a **repeat buyer** on a
    day is a customer with at least one order that day other than on their first
    purchase day (several orders on one day are one purchase, as in the BG/NBD model).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order (or order line).
    id_column, date_column : str
        The customer id and the order date (dates or ``YYYY-MM-DD`` text; times are ignored).
    start, end : date, optional
        First and last day of the result (default: the first and last order day).

    Returns
    -------
    pandas.DataFrame
        Indexed by day (every day from ``start`` to ``end``): ``customers`` (acquired
        before that day) and ``repeat_buyers``. Feed them to
        :func:`cxlib.analytics.feedback.p_chart` or :func:`p_chart_expected`.

    Raises
    ------
    CxError
        If a column is missing, a customer id or date is blank, a date is not a date, or
        ``start`` is after ``end``.

    Examples
    --------
    >>> orders = pd.DataFrame({"id": [1, 1, 1, 2, 2],
    ...                        "day": ["2024-01-01", "2024-01-01", "2024-01-03", "2024-01-02", "2024-01-03"]})
    >>> cohort_daily_buyers(orders, "id", "day")
                customers  repeat_buyers
    2024-01-01          0              0
    2024-01-02          1              0
    2024-01-03          2              2
    """
    require_columns(orders, [id_column, date_column], "cohort_daily_buyers()", source="orders")
    blank_ids = orders[id_column].isna()
    if blank_ids.any():
        raise CxError(
            f"column {id_column!r}: {int(blank_ids.sum())} order(s) have no customer id; drop or fill them first."
        )
    days = _days(orders[date_column], date_column)
    table = pd.DataFrame({"id": orders[id_column].to_numpy(), "day": days.to_numpy()}).drop_duplicates()
    first = table.groupby("id")["day"].transform("min")
    lo = pd.Timestamp(start) if start is not None else table["day"].min()
    hi = pd.Timestamp(end) if end is not None else table["day"].max()
    if lo > hi:
        raise CxError(f"start ({lo.date()}) is after end ({hi.date()}).")
    calendar = pd.date_range(lo, hi, freq="D")
    repeat = table.loc[table["day"] > first, "day"].value_counts().reindex(calendar, fill_value=0)
    acquired = table.loc[table["day"] == first, "day"].value_counts().sort_index().cumsum()
    before = acquired.reindex(calendar - pd.Timedelta(days=1), method="ffill").fillna(0)
    return pd.DataFrame(
        {"customers": before.to_numpy(dtype=int), "repeat_buyers": repeat.to_numpy(dtype=int)}, index=calendar
    )


def expected_cohort_purchases(model: Any, first_purchase: Any, days: Any, *, unit: str = "week") -> pd.Series:
    """Repeat purchases per day that a fitted BG/NBD model expects from a cohort.

    For a customer first buying on day f, the expected repeat purchases on day d > f are
    ``E[X(d - f)] - E[X(d - f - 1)]`` (times in days, converted to the model's unit),
    with ``E[X(t)]`` the model's expected purchases of a new customer
    (:meth:`cxlib.analytics.clv.BetaGeoModel.expected_purchases_new`); the cohort's
    expectation is the sum over its customers.

    Parameters
    ----------
    model : cxlib.analytics.clv.BetaGeoModel
        A fitted model.
    first_purchase : array-like of dates
        Each customer's first purchase day (one entry per customer).
    days : array-like of dates
        The days to return, e.g. the index of :func:`cohort_daily_buyers`.
    unit : {"week", "day"}
        The time unit the model was fitted in.

    Returns
    -------
    pandas.Series
        Expected repeat purchases (by day, as the model counts them), indexed by ``days``.

    Raises
    ------
    CxError
        If the unit is unknown or a date is blank or not a date.

    Examples
    --------
    >>> from cxlib.analytics.clv import BetaGeoModel, summarize_orders
    >>> from cxlib.data.datasets import load_cdnow
    >>> sample = load_cdnow(sample=True)
    >>> bgnbd = BetaGeoModel().fit(summarize_orders(sample, "customer_id", "date", calibration_end="1997-09-30"))
    >>> first = sample.groupby("customer_id")["date"].min()
    >>> expected = expected_cohort_purchases(bgnbd, first, pd.date_range("1997-10-01", "1998-06-30"))
    >>> round(float(expected.sum()))  # repeat purchases expected from October 1997 to June 1998
    1667
    """
    if unit not in _UNIT_DAYS:
        raise CxError(f"unknown unit {unit!r}; use 'week' or 'day' (the unit the model was fitted in).")
    first = _days(pd.Series(np.asarray(first_purchase)), "first_purchase")
    when = _days(pd.Series(np.asarray(days)), "days")
    acquired = first.value_counts()
    offsets = (when.to_numpy()[:, None] - acquired.index.to_numpy()[None, :]) // np.timedelta64(1, "D")
    largest = int(max(offsets.max(), 0))
    cumulative = np.array([model.expected_purchases_new(t / _UNIT_DAYS[unit]) for t in range(largest + 1)])
    on_day = np.diff(cumulative, prepend=0.0)  # on_day[k]: purchases expected on day k after the first
    on_day[0] = 0.0
    per_customer = np.where(offsets > 0, on_day[np.clip(offsets, 0, largest)], 0.0)
    return pd.Series(per_customer @ acquired.to_numpy(dtype=float), index=pd.DatetimeIndex(when), name="expected")


def p_chart_expected(defects: Any, n: Any, expected: Any, *, sigma: float = 3.0) -> pd.DataFrame:
    """A p-chart whose centre line follows an expected count, period by period.

    The centre of period t is ``expected_t / n_t`` and its limits are
    ``centre +- sigma * sqrt(centre * (1 - centre) / n_t)`` (floored at 0), the
    binomial limits around a known, changing rate. The expected counts are taken as
    known: the noise of the model that produced them is not in the limits.

    Parameters
    ----------
    defects, n : array-like or Series
        Observed count and the number at risk per period (e.g. repeat buyers and the
        customers acquired so far); a Series keeps its index.
    expected : array-like
        The expected count per period, from a model (e.g. :func:`expected_cohort_purchases`).
    sigma : float
        Limit width in standard errors.

    Returns
    -------
    pandas.DataFrame
        As :func:`cxlib.analytics.feedback.p_chart`: ``n``, ``defects``, ``p``, ``centre``,
        ``lcl``, ``ucl``, ``signal`` ("above", "below" or ""); periods with ``n = 0``
        have no rate and no signal. :func:`cxlib.teaching.plots.feedback.control_chart`
        draws it.

    Raises
    ------
    CxError
        If the lengths differ, a count is negative, an expected count is negative or
        above ``n``, or ``sigma`` is not positive.

    Examples
    --------
    >>> p_chart_expected([5, 9], [100, 100], [5.0, 2.0]).round(3)
         n  defects     p  centre  lcl    ucl signal
    0  100        5  0.05    0.05  0.0  0.115
    1  100        9  0.09    0.02  0.0  0.062  above
    """
    index = defects.index if isinstance(defects, pd.Series) else None
    d = np.asarray(defects, dtype=float)
    m = np.asarray(n, dtype=float)
    e = np.asarray(expected, dtype=float)
    if not (d.shape == m.shape == e.shape) or d.ndim != 1:
        raise CxError(f"defects, n and expected must have the same length; got {d.shape}, {m.shape} and {e.shape}.")
    if not sigma > 0:
        raise CxError(f"sigma must be a positive number of standard errors, got {sigma!r}.")
    problems = []
    if (d < 0).any() or (m < 0).any() or np.isnan(d).any() or np.isnan(m).any():
        problems.append("counts and n must be whole numbers >= 0 with no blanks")
    if (d > m).any():
        problems.append(f"{int((d > m).sum())} period(s) have more defects than n")
    if np.isnan(e).any() or (e < 0).any() or (e > m).any():
        problems.append("expected counts must be between 0 and n with no blanks")
    if problems:
        raise CxError("p_chart_expected(): " + "; ".join(problems) + ".")
    ok = m > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(ok, d / m, np.nan)
        centre = np.where(ok, e / m, np.nan)
        sd = np.sqrt(centre * (1 - centre) / m)
    lcl, ucl = np.clip(centre - sigma * sd, 0, 1), np.clip(centre + sigma * sd, 0, 1)
    signal = np.where(ok & (p > ucl), "above", np.where(ok & (p < lcl), "below", ""))
    return pd.DataFrame(
        {
            "n": m.astype(int),
            "defects": d.astype(int),
            "p": p,
            "centre": centre,
            "lcl": lcl,
            "ucl": ucl,
            "signal": signal,
        },
        index=index,
    )

"""How concentrated value is across customers, and how stable "top customer" status is.

Public through :mod:`cxlib.analytics.devotees`: :func:`value_concentration` (share of value
from the top x% of customers, with a bootstrap interval) and :func:`top_customer_stability`
(how many of one period's top customers are top again in the next, with a Wilson interval).
Both take a transaction table (one row per order) and column names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cxlib.analytics import _precomputed
from cxlib.analytics._clv_orders import _as_dates, _as_day
from cxlib.analytics.stats import check_level, wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError, format_values

__all__ = ["ValueConcentration", "value_concentration", "TopStability", "top_customer_stability"]


def _values(orders: pd.DataFrame, column: str, what: str) -> pd.Series:
    """The value column as floats; blank, non-numeric or negative values are an error."""
    v = pd.to_numeric(orders[column], errors="coerce")
    bad = v.isna() | (v < 0)
    if bad.any():
        rows = [int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5]]
        raise CxError(
            f"{what}: column {column!r} has {int(bad.sum())} blank, non-numeric or negative value(s) "
            f"(file rows {rows}, values: {format_values(orders[column][bad].tolist())}); "
            "fix or remove those rows."
        )
    return v.astype(float)


def _ids(orders: pd.DataFrame, column: str, what: str) -> np.ndarray:
    """The customer ids; blank ids are an error (they would be dropped silently by a groupby)."""
    blank = orders[column].isna()
    if blank.any():
        rows = [int(i) + 2 for i in np.flatnonzero(blank.to_numpy())[:5]]
        raise CxError(
            f"{what}: column {column!r} has {int(blank.sum())} blank customer id(s) (file rows {rows}); "
            "fill them in or remove those rows."
        )
    return orders[column].to_numpy()


def _check_top(top: Any, what: str) -> float:
    t = float(top)
    if not 0 < t < 1:
        raise CxError(f"{what}: top must be a share between 0 and 1 (0.1 = the top 10%), not {top!r}.")
    return t


@dataclass
class ValueConcentration:
    """What :func:`value_concentration` returns.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per top share: ``top`` (share of customers), ``customers`` (how many),
        ``value_share`` (their share of all value), ``ci_low``, ``ci_high`` (bootstrap
        percentile interval), ``mean_value`` and ``mean_orders`` of the top customers and
        ``rest_mean_value``, ``rest_mean_orders`` of everybody else.
    curve : pandas.DataFrame
        ``customer_share`` and ``value_share``: customers sorted from the most valuable,
        the cumulative share of value (a concentration curve).
    n_customers : int
    total_value : float
    level : float
    """

    table: pd.DataFrame
    curve: pd.DataFrame
    n_customers: int
    total_value: float
    level: float

    def __repr__(self) -> str:
        parts = [
            f"top {t:.0%}: {s:.1%} [{lo:.1%}, {hi:.1%}]"
            for t, s, lo, hi in zip(
                self.table["top"], self.table["value_share"], self.table["ci_low"], self.table["ci_high"]
            )
        ]
        return f"ValueConcentration(n={self.n_customers}, " + "; ".join(parts) + ")"


def _bootstrap_shares(values: np.ndarray, ks: list[int], n_boot: int, level: float, seed: int) -> list[list[float]]:
    """Percentile-bootstrap interval of the share of value in the top ``k`` customers, for each k."""
    n = len(values)
    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, len(ks)))
    kth = sorted({n - k for k in ks})
    for b in range(n_boot):
        sample = values[rng.integers(0, n, size=n)]
        s_total = sample.sum()
        part = np.partition(sample, kth)  # each top k last, in O(n): no resample is sorted in full
        boot[b] = [part[n - k :].sum() / s_total if s_total > 0 else np.nan for k in ks]
    q = [(1 - level) / 2, (1 + level) / 2]
    return [[float(x) for x in np.nanquantile(boot[:, j], q)] for j in range(len(ks))]


def value_concentration(
    orders: pd.DataFrame,
    id_column: str = "customer_id",
    value_column: str = "value",
    *,
    date_column: str | None = None,
    top: Sequence[float] = (0.1, 0.2),
    n_boot: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> ValueConcentration:
    """Share of all value that comes from the most valuable x% of customers, with an interval.

    Each customer's value is the sum of ``value_column`` over their orders. The top x% are
    the ``ceil(x * n)`` customers with the highest value. The interval is a percentile
    bootstrap: customers are resampled with replacement ``n_boot`` times and the share is
    recomputed (the uncertainty of "what share would a similar customer base give").

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order.
    id_column, value_column : str
        The customer id and the order value (revenue or margin, never negative).
    date_column : str, optional
        With it, ``mean_orders`` counts distinct purchase days per customer (several rows on
        one day are one purchase); without it, rows.
    top : sequence of float, default (0.1, 0.2)
        The shares of customers to report (0.1 = the top 10%).
    n_boot : int, default 1000
        Bootstrap resamples.
    level : float, default 0.95
        Confidence level of the interval.
    seed : int, default 0
        Seed of the resampling (the same seed gives the same interval). The interval of lesson
        01's call on the bundled CDNOW data is computed once and stored
        (:mod:`cxlib.analytics._precomputed`); a test checks it is the one computed here.

    Returns
    -------
    ValueConcentration

    Raises
    ------
    CxError
        Missing columns, blank or negative values, no value at all, ``top`` outside (0, 1)
        or fewer than 2 customers.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                        "value": [50, 50, 20, 5, 5, 5, 5, 5, 5, 5, 5]})
    >>> vc = value_concentration(orders, top=[0.1, 0.2], n_boot=200)
    >>> vc.table[["top", "customers", "value_share"]]
       top  customers  value_share
    0  0.1          1        0.625
    1  0.2          2        0.750
    >>> bool(vc.table.loc[0, "ci_low"] <= 0.625 <= vc.table.loc[0, "ci_high"])
    True
    """
    require_columns(orders, [id_column, value_column] + ([date_column] if date_column else []), "value_concentration")
    tops = [_check_top(t, "value_concentration") for t in top]
    lv = check_level(level)
    if int(n_boot) < 1:
        raise CxError(f"value_concentration: n_boot must be at least 1, not {n_boot!r}.")
    v = _values(orders, value_column, "value_concentration")
    ids = _ids(orders, id_column, "value_concentration")
    per = v.groupby(ids).sum()
    if date_column:
        days = _as_dates(orders[date_column], date_column)
        n_orders = days.groupby(ids).nunique()
    else:
        n_orders = v.groupby(ids).size()
    n = len(per)
    total = float(per.sum())
    if n < 2 or total <= 0:
        raise CxError(
            f"value_concentration: need at least 2 customers and some value; got {n} customer(s) "
            f"and a total of {total:g} in {value_column!r}."
        )
    order = np.argsort(-per.to_numpy(), kind="stable")
    sorted_v = per.to_numpy()[order]
    sorted_n = n_orders.reindex(per.index).to_numpy()[order]
    ks = [max(1, math.ceil(t * n)) for t in tops]
    values = per.to_numpy()
    key = _precomputed.seeded_key(
        "devotees.value_concentration", [values], {"ks": ks, "n_boot": int(n_boot), "level": lv, "seed": seed}
    )
    intervals = _precomputed.lookup(key)  # the bundled data's interval, computed once (tools/precompute.py)
    if intervals is None:
        intervals = _bootstrap_shares(values, ks, int(n_boot), lv, seed)
        _precomputed.record(key, "devotees.value_concentration", intervals)
    rows = []
    for (t, k), (lo, hi) in zip(zip(tops, ks), intervals):
        rows.append(
            {
                "top": t,
                "customers": k,
                "value_share": float(sorted_v[:k].sum() / total),
                "ci_low": float(lo),
                "ci_high": float(hi),
                "mean_value": float(sorted_v[:k].mean()),
                "mean_orders": float(sorted_n[:k].mean()),
                "rest_mean_value": float(sorted_v[k:].mean()) if k < n else float("nan"),
                "rest_mean_orders": float(sorted_n[k:].mean()) if k < n else float("nan"),
            }
        )
    curve = pd.DataFrame({"customer_share": np.arange(1, n + 1) / n, "value_share": np.cumsum(sorted_v) / total})
    return ValueConcentration(table=pd.DataFrame(rows), curve=curve, n_customers=n, total_value=total, level=lv)


@dataclass
class TopStability:
    """What :func:`top_customer_stability` returns.

    Attributes
    ----------
    customers : int
        Customers in the table (the base the top share is taken of).
    top_first : int
        Top customers of the first period.
    stayed : int
        Of those, how many are top customers of the second period too.
    rate, ci_low, ci_high : float
        ``stayed / top_first`` and its Wilson interval.
    chance : float
        The share of all customers who are top in the second period: the rate expected if
        status in the first period said nothing about the second.
    top_second : int
        Top customers of the second period.
    split : str
        First day of the second period.
    level : float
    """

    customers: int
    top_first: int
    stayed: int
    rate: float
    ci_low: float
    ci_high: float
    chance: float
    top_second: int
    split: str
    level: float

    def __repr__(self) -> str:
        return (
            f"TopStability({self.stayed} of {self.top_first} stayed top = {self.rate:.1%} "
            f"[{self.ci_low:.1%}, {self.ci_high:.1%}]; chance {self.chance:.1%})"
        )


def _top_set(values: pd.Series, k: int) -> pd.Index:
    """Customers whose value reaches the k-th largest (ties at the cut included); zero is never top."""
    positive = values[values > 0]
    if positive.empty:
        return positive.index
    cut = np.sort(positive.to_numpy())[::-1][min(k, len(positive)) - 1]
    return positive.index[positive.to_numpy() >= cut]


def top_customer_stability(
    orders: pd.DataFrame,
    id_column: str = "customer_id",
    date_column: str = "date",
    value_column: str = "value",
    *,
    split: Any,
    top: float = 0.1,
    level: float = 0.95,
) -> TopStability:
    """How many of the first period's top customers are top customers again in the second.

    The orders before ``split`` form the first period, the rest the second. In each period
    customers are ranked by their total value; the top ``top`` share of **all** customers in
    the table (``ceil(top * n)``; ties at the cut included; a customer who spent nothing in a
    period is never top) are that period's top customers. The result is the share of the
    first period's top who are top again, with a Wilson interval, next to the rate chance
    alone would give.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order.
    id_column, date_column, value_column : str
        Customer id, order date (dates or ``YYYY-MM-DD`` text) and order value.
    split : date-like
        The first day of the second period.
    top : float, default 0.1
        The share of customers counted as "top" (0.1 = top decile).
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    TopStability

    Raises
    ------
    CxError
        Missing columns, bad dates or values, a split that leaves a period empty, ``top``
        outside (0, 1).

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "customer_id": [1, 2, 3, 4, 1, 3, 4],
    ...     "date": ["2024-01-05", "2024-01-09", "2024-02-01", "2024-02-02",
    ...              "2024-07-01", "2024-07-03", "2024-08-01"],
    ...     "value": [90, 80, 10, 5, 70, 60, 1]})
    >>> st = top_customer_stability(orders, split="2024-07-01", top=0.5)
    >>> st.top_first, st.stayed, st.rate, st.chance
    (2, 1, 0.5, 0.5)
    """
    require_columns(orders, [id_column, date_column, value_column], "top_customer_stability")
    t = _check_top(top, "top_customer_stability")
    lv = check_level(level)
    v = _values(orders, value_column, "top_customer_stability")
    dates = _as_dates(orders[date_column], date_column)
    cut = _as_day(split, "split")
    ids = _ids(orders, id_column, "top_customer_stability")
    customers = pd.Index(pd.unique(ids))
    second = (dates >= cut).to_numpy()
    if second.all() or not second.any():
        raise CxError(
            f"top_customer_stability: split {cut.date()} leaves a period without orders "
            f"(orders run from {dates.min().date()} to {dates.max().date()})."
        )
    first_v = v[~second].groupby(ids[~second]).sum().reindex(customers, fill_value=0.0)
    second_v = v[second].groupby(ids[second]).sum().reindex(customers, fill_value=0.0)
    k = max(1, math.ceil(t * len(customers)))
    top1, top2 = _top_set(first_v, k), _top_set(second_v, k)
    n1 = len(top1)
    if n1 == 0:
        raise CxError(f"top_customer_stability: nobody spent anything before {cut.date()}; no top customers.")
    stayed = int(top1.isin(top2).sum())
    lo, hi = wilson_interval(stayed, n1, level=lv)
    return TopStability(
        customers=len(customers),
        top_first=n1,
        stayed=stayed,
        rate=stayed / n1,
        ci_low=float(lo),
        ci_high=float(hi),
        chance=len(top2) / len(customers),
        top_second=len(top2),
        split=str(cut.date()),
        level=lv,
    )

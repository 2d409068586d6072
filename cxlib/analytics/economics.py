"""Customer economics: CLV, CAC, retention economics and the CX business case.

* **Lifetime value** — :func:`clv`, :func:`expected_lifetime`, :func:`monthly_rate`.
* **Acquisition** — :func:`cac`, :func:`customer_economics` (CLV, CAC and CLV/CAC per
  acquisition channel).
* **Retention economics** — :func:`cost_per_customer`, :func:`retention_economics`
  (CLV and cost per customer before and after +Δ points of retention) and
  :func:`retention_for_cost_cut` (which assumptions would give article 004's
  **[unverified]** "5% more retention cut cost per policy by 18%").
* **The CX business case** — :func:`business_case` combines churn probabilities,
  the targeting rule of :func:`cxlib.analytics.churn.targeting_profit` and
  lifetime value into one ROI estimate with a seeded predictive interval;
  :func:`business_case_from_table` does the whole chain on a customer-level churn
  table (any company's export); :func:`holdout_se` and :func:`holdout_size` say how
  precisely a randomised holdout measures the offer's success rate.

CLV convention
--------------
With a constant retention rate ``r`` per period, margin ``m`` per period and
discount rate ``d`` per period (Reichheld & Sasser 1990; Gupta, Lehmann & Stuart 2004):

* ``convention="start"`` (the default): the margin arrives at the *start* of each
  period, the first one today, so CLV = Σ_{t≥0} m·r^t/(1+d)^t = m(1+d)/(1+d−r).
* ``convention="end"`` (Gupta, Lehmann & Stuart 2004): the margin arrives at the
  *end* of each period and only if the customer is retained, so CLV = m·r/(1+d−r).

The two differ by exactly one period's margin discounted: start − end = m.
Use margin (not revenue) for ``m``.

Other conventions
-----------------
* Retention ``r`` is per period; "+5 points" means r → r + 0.05 (absolute), the
  reading of Reichheld & Sasser's "cutting defections by 5 points".
* Cost per customer per period = acquisition cost amortised over the expected
  lifetime, ``A / (1/(1−r)) = A(1−r)``, plus the service cost per period ``S``.
* A Beta prior on the offer's success rate is set by its mean and a *strength*
  (pseudo-count a + b): strength 20 says "as sure as a pilot with 20 would-be
  churners contacted".

Examples
--------
>>> round(float(clv(100, 0.80, 0.10)), 1), round(float(clv(100, 0.80, 0.10, convention="end")), 1)
(366.7, 266.7)
>>> float(expected_lifetime(0.8))
5.0
>>> round(cost_per_customer(100, 0.80, service_cost=0), 1)
20.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._business_case import (
    BusinessCase,
    business_case,
    business_case_from_table,
    customer_values,
    holdout_se,
    holdout_size,
)
from cxlib.analytics.stats import wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "CONVENTIONS",
    "clv",
    "expected_lifetime",
    "monthly_rate",
    "cac",
    "customer_economics",
    "cost_per_customer",
    "retention_economics",
    "retention_for_cost_cut",
    "BusinessCase",
    "business_case",
    "business_case_from_table",
    "customer_values",
    "holdout_se",
    "holdout_size",
]


#: The two CLV timing conventions (see the module docstring).
CONVENTIONS = ("start", "end")


def expected_lifetime(retention):
    """Expected number of periods a customer stays, Σ_{t≥0} r^t = 1/(1−r).

    Counts the current period, so r = 0 gives 1 period.

    Parameters
    ----------
    retention : float, array or Series
        Retention per period, in [0, 1).

    Returns
    -------
    float, array or Series (like the input)
        Periods.

    Examples
    --------
    >>> [round(float(x), 2) for x in expected_lifetime([0.8, 0.85])]
    [5.0, 6.67]
    """
    r = np.asarray(retention, float)
    bad = ~((r >= 0) & (r < 1))
    if np.any(bad):
        raise CxError(
            f"retention must be in [0, 1) (a share per period, e.g. 0.85); got "
            f"{r[bad][:5].tolist()}. A retention of 1 means nobody ever leaves: "
            "the lifetime is infinite."
        )
    out = 1.0 / (1.0 - r)
    return out if isinstance(retention, (np.ndarray, list, tuple)) else _like(out, retention)


def _like(values: np.ndarray, template):
    """Return values shaped like the input: Series keeps its index, scalars stay scalar."""
    if isinstance(template, pd.Series):
        return pd.Series(values, index=template.index, name=template.name)
    if np.ndim(values) == 0:
        return float(values)
    return values


def monthly_rate(annual_rate):
    """Convert an annual discount rate to the equivalent monthly one, (1+a)^(1/12) − 1.

    Parameters
    ----------
    annual_rate : float, array or Series
        Yearly rate (e.g. 0.10).

    Returns
    -------
    float, array or Series (like the input)

    Examples
    --------
    >>> round(monthly_rate(0.10), 5)
    0.00797
    """
    a = np.asarray(annual_rate, float)
    if np.any(a <= -1):
        raise CxError("an annual rate must be greater than -100%.")
    return _like((1 + a) ** (1 / 12) - 1, annual_rate)


def clv(margin, retention, discount, *, convention: str = "start"):
    """Customer lifetime value under constant retention (vectorised).

    Parameters
    ----------
    margin : float, array or Series
        Margin per period (money, not revenue), ≥ 0.
    retention : float, array or Series
        Probability of staying from one period to the next, 0 ≤ r ≤ 1 and r < 1 + discount.
    discount : float, array or Series
        Discount rate per period (use :func:`monthly_rate` for monthly periods).
    convention : {"start", "end"}
        ``"start"``: margin at the start of each period, m(1+d)/(1+d−r).
        ``"end"`` (Gupta, Lehmann & Stuart 2004): m·r/(1+d−r).

    Returns
    -------
    float, ndarray or Series (matching the inputs)

    Raises
    ------
    CxError
        For r ≥ 1 + d (the sum diverges), negative margins or retention, d ≤ −1,
        missing values or an unknown convention.

    Examples
    --------
    The worked example of ``docs/methods.md`` ("Customer lifetime value"; m = 100, d = 10%):

    >>> [round(float(x), 1) for x in clv(100, [0.80, 0.85], 0.10)]
    [366.7, 440.0]
    >>> [round(float(x), 1) for x in clv(100, [0.80, 0.85], 0.10, convention="end")]
    [266.7, 340.0]
    """
    if convention not in CONVENTIONS:
        raise CxError(
            f"convention must be 'start' (margin at the start of each period) or 'end' "
            f"(Gupta, Lehmann & Stuart 2004); got {convention!r}."
        )
    m, r, d = (np.asarray(x, float) for x in (margin, retention, discount))
    problems = []
    for name, arr in (("margin", m), ("retention", r), ("discount", d)):
        if np.any(np.isnan(arr)):
            problems.append(f"{name} has {int(np.isnan(arr).sum())} missing value(s); fill or drop them first")
    if np.any(m < 0):
        problems.append(
            f"margin must be ≥ 0 (got {m[m < 0][:5].tolist()}); a customer who costs money "
            "every period has a negative value that this formula does not model"
        )
    if np.any(r < 0) or np.any(r > 1):
        problems.append(
            f"retention is a probability per period and must be in [0, 1] (got "
            f"{r[(r < 0) | (r > 1)][:5].tolist()}); a percentage such as 85 must be given as 0.85"
        )
    if np.any(d <= -1):
        problems.append("discount must be greater than -1 (−100%)")
    if not problems:
        rr, dd = np.broadcast_arrays(r, d)
        div = rr >= 1 + dd - 1e-12
        if np.any(div):
            problems.append(
                f"retention must be below 1 + discount, else the sum never converges (got r = "
                f"{rr[div][:5].tolist()} with d = {dd[div][:5].tolist()}); use a retention per "
                "period below 1, e.g. 0.85"
            )
    if problems:
        raise CxError("clv(): " + "; ".join(problems) + ".")
    num = m * (1 + d) if convention == "start" else m * r
    out = num / (1 + d - r)
    for x in (margin, retention, discount):
        if isinstance(x, pd.Series):
            return pd.Series(np.broadcast_to(out, (len(x),)), index=x.index, name="clv")
    return out if any(isinstance(x, (np.ndarray, list, tuple)) for x in (margin, retention, discount)) else float(out)


def cac(
    customers: pd.DataFrame,
    *,
    cost_column: str = "acquisition_cost",
    by: str | None = "acquisition_channel",
    date_column: str | None = "signup_date",
    start=None,
    end=None,
) -> pd.DataFrame:
    """Customer acquisition cost: acquisition spend / new customers, per group.

    Parameters
    ----------
    customers : DataFrame
        One row per customer, with the cost of winning each one (``cost_column``).
    cost_column : str, default "acquisition_cost"
        The column with what it cost to win each customer.
    by : str or None
        Group column (e.g. the acquisition channel); None for one overall row.
    date_column, start, end : optional
        Count only customers won in [start, end] (by ``date_column``).

    Returns
    -------
    DataFrame
        ``group, new_customers, spend, cac`` plus an ``all`` row. Missing costs are
        not dropped silently: rows with a missing cost raise an error.

    Examples
    --------
    >>> df = pd.DataFrame({"acquisition_channel": ["store", "store", "online"],
    ...                    "acquisition_cost": [100.0, 60.0, 20.0]})
    >>> cac(df, date_column=None)[["group", "new_customers", "cac"]]
         group  new_customers   cac
    0   online              1  20.0
    1    store              2  80.0
    2      all              3  60.0
    """
    cols = [cost_column] + ([by] if by else []) + ([date_column] if (start or end) else [])
    require_columns(customers, cols, "cac()")
    df = customers
    if start is not None or end is not None:
        dates = pd.to_datetime(df[date_column], errors="coerce")
        keep = pd.Series(True, index=df.index)
        if start is not None:
            keep &= dates >= pd.Timestamp(start)
        if end is not None:
            keep &= dates <= pd.Timestamp(end)
        df = df[keep]
    cost = pd.to_numeric(df[cost_column], errors="coerce")
    bad = cost.isna() | (cost < 0)
    if bad.any():
        rows = tuple(int(i) + 2 for i in np.flatnonzero(bad.to_numpy())[:5])
        raise ValidationError(
            [
                Problem(
                    "missing or negative acquisition cost",
                    column=cost_column,
                    rows=rows,
                    count=int(bad.sum()),
                    values=tuple(df.loc[bad, cost_column].head(5)),
                    fix="Every new customer needs a cost ≥ 0 (0 for free referrals).",
                )
            ],
            source="customers",
        )
    if len(df) == 0:
        raise CxError("cac(): no new customers in the chosen period, so CAC is undefined.")
    g = (
        pd.DataFrame({"group": df[by].astype(str) if by else "all", "cost": cost})
        .groupby("group")["cost"]
        .agg(new_customers="size", spend="sum")
        .reset_index()
    )
    if by:
        g = pd.concat(
            [g, pd.DataFrame({"group": ["all"], "new_customers": [len(df)], "spend": [float(cost.sum())]})],
            ignore_index=True,
        )
    g["cac"] = g["spend"] / g["new_customers"]
    return g


@renamed_arguments(churn_column="target_column")
def customer_economics(
    activity: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    margin_rate: float = 0.35,
    annual_discount: float = 0.10,
    by: str = "acquisition_channel",
    id_column: str = "customer_id",
    spend_column: str = "spend",
    target_column: str = "churned",
    cost_column: str = "acquisition_cost",
    convention: str = "start",
) -> pd.DataFrame:
    """CLV, CAC and CLV/CAC per group, from monthly activity and acquisition costs.

    Monthly retention per group is 1 − (cancellations / customer-months), with a
    Wilson 95% interval; margin is ``margin_rate`` × mean monthly spend; the monthly
    discount rate is the monthly equivalent of ``annual_discount``. The CLV interval
    propagates only the retention uncertainty (the dominant one).

    Parameters
    ----------
    activity : DataFrame
        One row per customer and month, with spend and the monthly churn flag.
    customers : DataFrame
        One row per customer, with the group column and the acquisition cost.
    margin_rate : float, default 0.35
        Share of spend kept as margin.
    annual_discount : float, default 0.10
        Yearly discount rate.
    by : str, default "acquisition_channel"
        The group column of ``customers``.
    id_column, spend_column, target_column, cost_column : str
        Column names (``target_column`` is the monthly churn flag).
    convention : {"start", "end"}
        The CLV convention (see the module docstring).

    Returns
    -------
    DataFrame
        One row per group and ``all``: ``new_customers``, ``retention`` (with its
        interval), ``margin``, ``clv`` (with its interval), ``cac`` and ``clv_cac``.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a"] * 10 + ["b"] * 10,
    ...                     "spend": 20.0, "churned": [0] * 19 + [1]})
    >>> cus = pd.DataFrame({"customer_id": ["a", "b"], "acquisition_channel": "store",
    ...                     "acquisition_cost": 50.0})
    >>> e = customer_economics(act, cus, margin_rate=0.5, annual_discount=0.0)
    >>> e.loc[e.group == "all", ["retention", "margin", "clv", "clv_cac"]].round(2).to_dict("records")
    [{'retention': 0.95, 'margin': 10.0, 'clv': 200.0, 'clv_cac': 4.0}]
    """
    churn_column = target_column
    require_columns(activity, [id_column, spend_column, churn_column], "customer_economics() activity", "activity")
    require_columns(customers, [id_column, by, cost_column], "customer_economics() customers", "customers")
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of spend kept as margin, in (0, 1]; got {margin_rate}.")
    grp = customers.set_index(id_column)[by].astype(str)
    act = activity[[id_column, spend_column, churn_column]].assign(group=activity[id_column].map(grp))
    n_unmatched = int(act["group"].isna().sum())
    if n_unmatched:
        raise CxError(
            f"customer_economics(): {n_unmatched} activity rows belong to customers missing from "
            "the customers table; check that both files cover the same customers."
        )
    parts = [act, act.assign(group="all")]
    g = (
        pd.concat(parts)
        .groupby("group")
        .agg(
            customer_months=(churn_column, "size"),
            cancellations=(churn_column, "sum"),
            mean_spend=(spend_column, "mean"),
        )
    )
    g["churn_rate"] = g["cancellations"] / g["customer_months"]
    lo, hi = wilson_interval(g["cancellations"], g["customer_months"])
    g["retention"] = 1 - g["churn_rate"]
    g["retention_low"], g["retention_high"] = 1 - hi, 1 - lo
    g["margin"] = margin_rate * g["mean_spend"]
    d = monthly_rate(annual_discount)
    g["lifetime_months"] = 1 / g["churn_rate"].where(g["churn_rate"] > 0)
    for suffix, col in (("", "retention"), ("_low", "retention_low"), ("_high", "retention_high")):
        g["clv" + suffix] = clv(
            g["margin"].to_numpy(), g[col].clip(upper=1 - 1e-9).to_numpy(), d, convention=convention
        )
    c = cac(customers, cost_column=cost_column, by=by, date_column=None).set_index("group")
    g = g.join(c[["new_customers", "cac"]])
    g["clv_cac"] = g["clv"] / g["cac"]
    order = [x for x in g.index if x != "all"] + ["all"]
    return g.loc[order].reset_index()


# ---- retention economics and the CX business case (from roi)


# =====================================================================================
# 4. retention economics
# =====================================================================================
def cost_per_customer(acquisition_cost, retention, *, service_cost=0.0):
    """Cost per customer per period: acquisition cost amortised over the expected lifetime + service cost.

    Expected lifetime is 1/(1−r) periods (:func:`cxlib.analytics.economics.expected_lifetime`), so
    the amortised acquisition cost is A(1−r); the total is A(1−r) + S.

    Parameters
    ----------
    acquisition_cost : float or array
        A, the cost of winning one customer.
    retention : float or array
        r, retention per period in [0, 1).
    service_cost : float or array, default 0
        S, the cost of serving a customer per period.

    Returns
    -------
    float or array

    Examples
    --------
    >>> round(cost_per_customer(100, 0.80, service_cost=5), 1), round(cost_per_customer(100, 0.85, service_cost=5), 1)
    (25.0, 20.0)
    """

    a = np.asarray(acquisition_cost, float)
    s = np.asarray(service_cost, float)
    if np.any(np.isnan(a)) or np.any(a < 0) or np.any(np.isnan(s)) or np.any(s < 0):
        raise CxError("acquisition_cost and service_cost must be numbers ≥ 0.")
    out = a / np.asarray(expected_lifetime(np.asarray(retention, float)), float) + s
    return float(out) if np.ndim(out) == 0 else out


def retention_economics(
    margin: float,
    retentions: Sequence[float],
    discount: float,
    *,
    delta: float = 0.05,
    acquisition_cost: float = 0.0,
    service_cost: float = 0.0,
    convention: str = "start",
) -> pd.DataFrame:
    """CLV and cost per customer before and after +``delta`` points of retention.

    For each retention r: CLV at r and at r + delta (:func:`cxlib.analytics.economics.clv`, the
    chosen convention), the CLV change in %, the expected lifetime, the cost per
    customer per period (:func:`cost_per_customer`) at both and its change in %.
    Reichheld & Sasser (1990) report **[claim]** that cutting defections by 5 points
    raised customer NPV by 25–85% in the services they studied; this table shows
    what the constant-margin formula gives.

    Parameters
    ----------
    margin : float
        Margin per period.
    retentions : sequence of float
        Retention rates per period to tabulate.
    discount : float
        Discount rate per period.
    delta : float, default 0.05
        The retention gain, in points.
    acquisition_cost, service_cost : float
        For the cost per customer per period.
    convention : {"start", "end"}
        The CLV convention.

    Returns
    -------
    DataFrame
        One row per retention: ``retention``, ``retention_after``, ``clv``, ``clv_after``,
        ``clv_change_pct``, ``lifetime``, ``cost``, ``cost_after``, ``cost_change_pct``.

    Examples
    --------
    The worked example of ``docs/methods.md`` ("Customer lifetime value"; m = 100, d = 10%, r = 0.80 → 0.85):

    >>> t = retention_economics(100, [0.80], 0.10, acquisition_cost=100)
    >>> t.iloc[0][["clv", "clv_after", "clv_change_pct", "cost", "cost_after", "cost_change_pct"]].round(1).tolist()
    [366.7, 440.0, 20.0, 20.0, 15.0, -25.0]
    """

    r = np.asarray(retentions, float).ravel()
    if r.size == 0:
        raise CxError("give at least one retention rate.")
    if not 0 < delta < 1:
        raise CxError(f"delta is the rise in retention in points as a share (0.05 = 5 points); got {delta}.")
    after = r + delta
    if np.any(after >= 1):
        raise CxError(f"retention + delta must stay below 1; {r[after >= 1].tolist()} + {delta} does not.")
    c0 = np.asarray(clv(margin, r, discount, convention=convention), float)
    c1 = np.asarray(clv(margin, after, discount, convention=convention), float)
    k0 = np.asarray(cost_per_customer(acquisition_cost, r, service_cost=service_cost), float)
    k1 = np.asarray(cost_per_customer(acquisition_cost, after, service_cost=service_cost), float)
    with np.errstate(invalid="ignore", divide="ignore"):
        cost_change = np.where(k0 > 0, 100 * (k1 / k0 - 1), np.nan)
    return pd.DataFrame(
        {
            "retention": r,
            "retention_after": after,
            "lifetime": np.asarray(expected_lifetime(r), float),
            "lifetime_after": np.asarray(expected_lifetime(after), float),
            "clv": c0,
            "clv_after": c1,
            "clv_change_pct": 100 * (c1 / c0 - 1),
            "cost": np.broadcast_to(k0, r.shape),
            "cost_after": np.broadcast_to(k1, r.shape),
            "cost_change_pct": np.broadcast_to(cost_change, r.shape),
        }
    )


def retention_for_cost_cut(
    cost_cut: float = 0.18,
    delta: float = 0.05,
    *,
    service_to_acquisition: Sequence[float] = (0.0, 0.05, 0.1, 0.2),
    relative: bool = False,
) -> pd.DataFrame:
    """Which starting retention makes +``delta`` retention cut cost per customer by ``cost_cut``.

    With cost per period A(1−r) + S, raising retention by Δ points cuts it by
    AΔ/(A(1−r) + S). Setting that to the cut c and writing k = S/A (service cost per
    period as a share of the acquisition cost) gives r = 1 − Δ/c + k. With
    ``relative=True`` "5% more retention" is read as r → 1.05·r, so Δ = 0.05·r and
    r = (1 + k)/(1 + δ/c) (δ = ``delta``).

    The seed's "5% more retention cut cost per policy by 18% in life insurance"
    (Reichheld 1996; page not located, **[unverified]**) fits a *yearly* retention
    near 0.72 when the acquisition cost (commission, underwriting) dominates.

    Parameters
    ----------
    cost_cut : float, default 0.18
        The cut in cost per customer (a share).
    delta : float, default 0.05
        The retention gain (points, or a relative gain with ``relative``).
    service_to_acquisition : sequence of float
        Service cost per period as a share of the acquisition cost.
    relative : bool, default False
        Read ``delta`` as a relative gain (r → (1 + delta)·r).

    Returns
    -------
    DataFrame: ``service_to_acquisition``, ``retention`` (NaN where no retention in
    [0, 1) works) and ``lifetime`` (periods).

    Examples
    --------
    >>> retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.0, 0.1]).round(3)
       service_to_acquisition  retention  lifetime
    0                     0.0      0.722       3.6
    1                     0.1      0.822       5.6
    """
    if not 0 < cost_cut < 1:
        raise CxError(f"cost_cut is a share (0.18 = 18%); got {cost_cut}.")
    if not 0 < delta < 1:
        raise CxError(f"delta is a share (0.05 = 5 points); got {delta}.")
    k = np.asarray(service_to_acquisition, float).ravel()
    if np.any(k < 0) or np.any(np.isnan(k)):
        raise CxError("service_to_acquisition must be ≥ 0 (service cost per period / acquisition cost).")
    r = (1 + k) / (1 + delta / cost_cut) if relative else 1 - delta / cost_cut + k
    after = r * (1 + delta) if relative else r + delta
    ok = (r >= 0) & (after < 1)
    r = np.where(ok, r, np.nan)
    return pd.DataFrame({"service_to_acquisition": k, "retention": r, "lifetime": 1 / (1 - r)})

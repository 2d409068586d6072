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
  table (any company's export).

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlib.analytics.churn.targeting import TargetingResult
from cxlib.analytics.stats import wilson_interval
from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["CONVENTIONS", "clv", "expected_lifetime", "monthly_rate", "cac", "customer_economics"]


#: The two CLV timing conventions (see the module docstring).
CONVENTIONS = ("start", "end")


def expected_lifetime(retention):
    """Expected number of periods a customer stays, Σ_{t≥0} r^t = 1/(1−r).

    Counts the current period, so r = 0 gives 1 period.

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
    The worked example of ``cx_science.md`` §6 (m = 100, d = 10%):

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


def customer_economics(
    activity: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    margin_rate: float = 0.35,
    annual_discount: float = 0.10,
    by: str = "acquisition_channel",
    id_column: str = "customer_id",
    spend_column: str = "spend",
    churn_column: str = "churned",
    cost_column: str = "acquisition_cost",
    convention: str = "start",
) -> pd.DataFrame:
    """CLV, CAC and CLV/CAC per group, from monthly activity and acquisition costs.

    Monthly retention per group is 1 − (cancellations / customer-months), with a
    Wilson 95% interval; margin is ``margin_rate`` × mean monthly spend; the monthly
    discount rate is the monthly equivalent of ``annual_discount``. The CLV interval
    propagates only the retention uncertainty (the dominant one).

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

    Examples
    --------
    The worked example of cx_science §6 (m = 100, d = 10%, r = 0.80 → 0.85):

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


# =====================================================================================
# 5. the CX business case
# =====================================================================================
@dataclass
class BusinessCase:
    """A retention campaign's ROI with its uncertainty (see :func:`business_case`)."""

    summary: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    targeting: TargetingResult = field(repr=False)
    contacted: np.ndarray = field(repr=False)
    assumptions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    p: np.ndarray | None = field(repr=False, default=None)
    value: np.ndarray | None = field(repr=False, default=None)

    def __getitem__(self, metric: str) -> float:
        return float(self.summary.loc[metric, "estimate"])

    def __repr__(self) -> str:
        s = self.summary
        lines = [
            f"BusinessCase ({self.assumptions.get('n_customers', '?')} customers scored; "
            f"95% interval from {len(self.draws)} seeded draws)"
        ]
        for m, r in s.iterrows():
            fmt = "{:.0%}" if m == "roi" else "{:,.0f}"
            lines.append(f"  {m:20s} {fmt.format(r.estimate):>10s}  [{fmt.format(r.low)}, {fmt.format(r.high)}]")
        return "\n".join(lines)


def _beta_ab(mean: float, strength: float) -> tuple[float, float]:
    return mean * strength, (1 - mean) * strength


def business_case(
    p,
    value,
    *,
    offer_cost: float,
    success_rate: float,
    success_strength: float = 20.0,
    incentive: float = 0.0,
    n_draws: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    y=None,
) -> BusinessCase:
    """One-page ROI of a retention campaign, with a seeded predictive interval.

    The plan uses :func:`cxlib.analytics.churn.targeting_profit`: contact every customer whose
    expected profit :math:`p_i s V_i - c - (1-p_i) g` is positive (the peak of the
    profit curve). The point estimates are expectations under the model's
    probabilities and the assumed success rate:

    * customers contacted, n; expected saves = s·Σp_i; value saved = s·Σp_iV_i;
    * cost = n·c + g·Σ(1−p_i); net = value saved − cost; ROI = net / cost.

    The interval repeats the planned campaign ``n_draws`` times on the same list: the
    success rate is drawn from Beta(s·k, (1−s)·k) with k = ``success_strength``, and
    who churns and who is saved are drawn (Bernoulli p_i, then Bernoulli s). The list,
    and so the contact cost n·c, is the plan: it is fixed, not resampled (only the
    incentive wasted on customers who would have stayed varies with who churns). It is
    a **predictive** interval for the campaign's result, assuming the probabilities are
    calibrated.

    Parameters
    ----------
    p : array of churn probabilities (0-1), one per customer
    value : float or array
        Value saved when a would-be churner is kept (e.g. CLV), USD.
    offer_cost, success_rate, incentive : as in :func:`cxlib.analytics.churn.targeting_profit`
    success_strength : float, default 20
        Prior strength (pseudo-count) of the Beta prior on the success rate.
    y : array of 0/1, optional
        Actual outcomes: adds ``realised`` rows (value saved on the actual churners, in
        expectation over the offer's success).

    Returns
    -------
    BusinessCase
        ``summary`` (metric × estimate, low, high), ``draws``, ``targeting`` (the
        :class:`~cxlib.analytics.churn.TargetingResult`), ``contacted`` (positions of the
        customers on the list), ``p`` and ``value`` (the inputs, to rerun with other
        assumptions), ``plot()``.

    Examples
    --------
    Two customers worth contacting (p = 0.5 and 0.2 at V = 200, c = 10, s = 0.3):

    >>> bc = business_case([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=200)
    >>> bc["customers_contacted"], round(bc["expected_saves"], 2), bc["value_saved"], bc["cost"], bc["net"]
    (2.0, 0.21, 42.0, 20.0, 22.0)
    >>> round(bc["roi"], 2)
    1.1
    """
    from cxlib.analytics.churn import targeting_profit

    if not 0 < success_rate < 1:
        raise CxError(
            f"success_rate is the share of would-be churners the offer keeps, strictly between 0 and 1; "
            f"got {success_rate}."
        )
    if success_strength <= 0:
        raise CxError(f"success_strength (the prior's pseudo-count) must be positive; got {success_strength}.")
    if n_draws < 100:
        raise CxError(f"n_draws must be at least 100 for a stable interval; got {n_draws}.")
    p = np.asarray(p, float)
    tr = targeting_profit(p, value, offer_cost=offer_cost, success_rate=success_rate, incentive=incentive, y=y)
    V = np.broadcast_to(np.asarray(value, float), p.shape).astype(float)
    if np.any(np.isnan(V)) or np.any(V < 0):
        raise CxError("value must be numbers ≥ 0 (the value saved when a would-be churner stays).")
    pi = p * success_rate * V - offer_cost - (1 - p) * incentive
    contacted = np.flatnonzero(pi > 0)
    pc, vc = p[contacted], V[contacted]
    n = len(contacted)
    cost = n * offer_cost + incentive * float(np.sum(1 - pc))
    saved = success_rate * float(np.sum(pc * vc))
    est = {
        "customers_contacted": float(n),
        "expected_saves": success_rate * float(pc.sum()),
        "value_saved": saved,
        "cost": cost,
        "net": saved - cost,
        "roi": (saved - cost) / cost if cost > 0 else np.nan,
    }
    # predictive draws on the planned list (its size and contact cost are fixed) ---------
    rng = np.random.default_rng(seed)
    a, b = _beta_ab(success_rate, success_strength)
    s_draw = rng.beta(a, b, size=n_draws)
    rows = np.empty((n_draws, 6))
    for i in range(n_draws):
        churn = rng.random(n) < pc
        saved_i = churn & (rng.random(n) < s_draw[i])
        c_i = n * offer_cost + incentive * float(np.sum(~churn))
        v_i = float(vc[saved_i].sum())
        rows[i] = (n, saved_i.sum(), v_i, c_i, v_i - c_i, (v_i - c_i) / c_i if c_i > 0 else np.nan)
    draws = pd.DataFrame(rows, columns=list(est))
    draws["success_rate"] = s_draw
    q = [(1 - level) / 2, 1 - (1 - level) / 2]
    summary = pd.DataFrame({"estimate": pd.Series(est)})
    summary["low"] = draws[list(est)].quantile(q[0]).to_numpy()
    summary["high"] = draws[list(est)].quantile(q[1]).to_numpy()
    notes = []
    if y is not None:
        yy = np.asarray(y, float)[contacted]
        real_saved = success_rate * float(np.sum(yy * vc))
        real_cost = n * offer_cost + incentive * float(np.sum(1 - yy))
        summary.loc["realised_churners", ["estimate", "low", "high"]] = [float(yy.sum()), np.nan, np.nan]
        summary.loc["realised_net", ["estimate", "low", "high"]] = [real_saved - real_cost, np.nan, np.nan]
        notes.append("realised rows use the actual outcomes of the contacted customers and the assumed success rate")
    summary.index.name = "metric"
    return BusinessCase(
        summary=summary,
        draws=draws,
        targeting=tr,
        contacted=contacted,
        assumptions={
            "offer_cost": offer_cost,
            "success_rate": success_rate,
            "success_strength": success_strength,
            "incentive": incentive,
            "n_customers": len(p),
            "seed": seed,
        },
        notes=notes,
        p=p,
        value=V,
    )


def business_case_from_table(
    df: pd.DataFrame,
    *,
    id_column: str = "customer_id",
    target_column: str = "churned",
    value_column: str = "spend_last",
    margin_rate: float = 0.35,
    offer_cost: float = 10.0,
    success_rate: float = 0.3,
    horizon_months: int = 3,
    annual_discount: float = 0.10,
    success_strength: float = 20.0,
    folds: int = 5,
    n_draws: int = 2000,
    seed: int = 0,
) -> BusinessCase:
    """The whole business case from a customer-level churn table (any company's export).

    1. :func:`cxlib.analytics.churn.clean_features` reads the target (0/1, yes/no, ...) and
       types the features; :class:`cxlib.analytics.churn.ChurnModel` gives **out-of-fold**
       churn probabilities (stratified ``folds``-fold, seeded), so no customer is
       scored by a model that saw their outcome.
    2. Monthly retention is read from the table: r = (1 − churn rate)^(1/horizon).
    3. The value saved per customer is their CLV: :func:`cxlib.analytics.economics.clv` with margin
       ``margin_rate`` × ``value_column`` (monthly revenue), r and the monthly
       equivalent of ``annual_discount`` (start-of-period convention).
    4. :func:`business_case` with the offer assumptions.

    Rows with a blank target are excluded; rows with a blank or non-numeric value
    get the median value. Both are counted in ``notes`` and ``assumptions``.

    Examples
    --------
    >>> from cxlib.data import datasets
    >>> bc = business_case_from_table(datasets.load_churn_snapshot(), n_draws=200)
    >>> bool(bc["net"] > 0), bool(bc.summary.loc["net", "low"] < bc["net"] < bc.summary.loc["net", "high"])
    (True, True)
    """
    from cxlib.analytics.churn import ChurnModel, clean_features, parse_target
    from cxlib.data.io import to_numbers

    require_columns(df, [id_column, target_column, value_column], "business_case_from_table()")
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of revenue kept as margin, in (0, 1]; got {margin_rate}.")
    if horizon_months < 1:
        raise CxError(
            f"horizon_months (the window in which the target counts churn) must be ≥ 1; got {horizon_months}."
        )
    table = clean_features(df, target_column, id_column=id_column)
    keep = parse_target(df[target_column], target_column)[0].notna().to_numpy()
    y = table.y.to_numpy()
    p = ChurnModel(random_state=seed).oof_predict(table.X, y, folds=folds, seed=seed)
    raw = df.loc[keep, value_column]
    spend = raw if pd.api.types.is_numeric_dtype(raw) else to_numbers(raw, errors="coerce", name=value_column)
    spend = spend.where(spend >= 0)
    n_value_missing = int(spend.isna().sum())
    if n_value_missing == len(spend):
        raise CxError(f"the value column {value_column!r} has no usable number (monthly revenue per customer).")
    spend = spend.fillna(spend.median()).to_numpy(float)
    churn_rate = float(y.mean())
    r = (1 - churn_rate) ** (1 / horizon_months)
    V = np.asarray(clv(margin_rate * spend, min(r, 1 - 1e-9), monthly_rate(annual_discount)), float)
    bc = business_case(
        p,
        V,
        offer_cost=offer_cost,
        success_rate=success_rate,
        success_strength=success_strength,
        n_draws=n_draws,
        seed=seed,
        y=y,
    )
    bc.notes = (
        table.notes()
        + (
            [f"{n_value_missing} customer(s) with a blank or negative {value_column!r} valued at the median"]
            if n_value_missing
            else []
        )
        + bc.notes
    )
    bc.assumptions.update(
        {
            "monthly_retention": r,
            "margin_rate": margin_rate,
            "annual_discount": annual_discount,
            "n_excluded_blank_target": table.n_missing_target,
            "n_value_imputed": n_value_missing,
            "mean_value": float(V.mean()),
            "ids": df.loc[keep, id_column].to_numpy(),
        }
    )
    return bc

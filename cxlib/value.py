"""Customer value: CLV, CAC, the health score, the value balance, devotees and drivers.

This module turns article 000's "customer obsession" into numbers a learner can
compute and question (lesson 01):

* **Loyalty economics** — :func:`clv`, :func:`expected_lifetime`, :func:`cac`,
  :func:`customer_economics` (CLV, CAC and CLV/CAC per acquisition channel).
* **Customer health score** — :func:`health_signals`, :func:`later_churn`,
  :class:`HealthScore` (documented weights or a logistic fitted on an earlier
  window, standardised to 0–100, validated against *later* churn).
* **Value balance and devotees** — :func:`customer_profile`,
  :func:`value_balance`, :func:`find_devotees`.
* **Value drivers** — :func:`outcome_after`, :class:`DriverAnalysis`
  (standardised coefficients with 95% intervals; associations, not causes).
* **Lagged relationships** — :func:`monthly_metrics`, :func:`lagged_correlation`
  (value-behaviour metrics leading value-outcome metrics).

CLV convention
--------------
With a constant retention rate ``r`` per period, margin ``m`` per period and
discount rate ``d`` per period (Reichheld & Sasser 1990; Gupta, Lehmann & Stuart
2004; ``cx_science.md`` §6):

* ``convention="start"`` (the default): the margin arrives at the *start* of each
  period, the first one today, so CLV = Σ_{t≥0} m·r^t/(1+d)^t = m(1+d)/(1+d−r).
* ``convention="end"`` (Gupta, Lehmann & Stuart 2004): the margin arrives at the
  *end* of each period and only if the customer is retained, so CLV = m·r/(1+d−r).

The two differ by exactly one period's margin discounted: start − end = m.
Use margin (not revenue) for ``m``.

Examples
--------
>>> round(float(clv(100, 0.80, 0.10)), 1), round(float(clv(100, 0.80, 0.10, convention="end")), 1)
(366.7, 266.7)
>>> float(expected_lifetime(0.8))
5.0
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.errors import CxError, Problem, ValidationError
from cxlib.stats import delong_auc_ci, wilson_interval

__all__ = [
    "CONVENTIONS", "clv", "expected_lifetime", "monthly_rate", "cac", "customer_economics",
    "health_signals", "later_churn", "HealthScore", "HealthValidation", "auc_delong",
    "DEFAULT_HEALTH_WEIGHTS", "customer_profile", "value_balance", "ValueBalance",
    "find_devotees", "outcome_after", "DriverAnalysis", "monthly_metrics",
    "lagged_correlation", "plot_lags", "plot_monthly", "wilson",
]

#: The two CLV timing conventions (see the module docstring).
CONVENTIONS = ("start", "end")

# ----------------------------------------------------------------------------------------
# small helpers
# ----------------------------------------------------------------------------------------


def _require(df: pd.DataFrame, columns: Iterable[str], what: str, source: str = "data") -> None:
    """Raise one ValidationError naming every required column that is missing."""
    if not isinstance(df, pd.DataFrame):
        raise CxError(f"{what} must be a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in dict.fromkeys(columns) if c is not None and c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns[:12]))
        raise ValidationError(
            [Problem("missing column", column=c,
                     fix=f"{what} needs a column '{c}'; pass the name your file uses "
                         f"(columns found: {have}).") for c in missing], source=source)


def _months(s: pd.Series) -> pd.Series:
    """Month starts (Timestamp) from dates or date-like text."""
    out = pd.to_datetime(s, errors="coerce")
    bad = out.isna() & s.notna()
    if bad.any():
        raise ValidationError([Problem("not a date", column=s.name, count=int(bad.sum()),
                                       values=tuple(s[bad].head(5)),
                                       fix="Use ISO dates such as 2024-01-01.")])
    return out.dt.to_period("M").dt.to_timestamp()


def wilson(k, n, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a proportion k/n at level ``1 - alpha`` (NaN where n = 0).

    :func:`cxlib.stats.wilson_interval` with the error rate as argument.

    >>> lo, hi = wilson(12, 100)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.07, 0.198)
    """
    return wilson_interval(k, n, 1 - alpha)


def _pct_rank(s: pd.Series) -> pd.Series:
    """Percentile rank 0–100 (ties share the average rank); NaN stays NaN."""
    return s.rank(pct=True, method="average") * 100


# ----------------------------------------------------------------------------------------
# loyalty economics
# ----------------------------------------------------------------------------------------


def expected_lifetime(retention):
    """Expected number of periods a customer stays, Σ_{t≥0} r^t = 1/(1−r).

    Counts the current period, so r = 0 gives 1 period.

    >>> [round(float(x), 2) for x in expected_lifetime([0.8, 0.85])]
    [5.0, 6.67]
    """
    r = np.asarray(retention, float)
    bad = ~((r >= 0) & (r < 1))
    if np.any(bad):
        raise CxError(f"retention must be in [0, 1) (a share per period, e.g. 0.85); got "
                      f"{r[bad][:5].tolist()}. A retention of 1 means nobody ever leaves: "
                      "the lifetime is infinite.")
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
        raise CxError(f"convention must be 'start' (margin at the start of each period) or 'end' "
                      f"(Gupta, Lehmann & Stuart 2004); got {convention!r}.")
    m, r, d = (np.asarray(x, float) for x in (margin, retention, discount))
    problems = []
    for name, arr in (("margin", m), ("retention", r), ("discount", d)):
        if np.any(np.isnan(arr)):
            problems.append(f"{name} has {int(np.isnan(arr).sum())} missing value(s); fill or drop them first")
    if np.any(m < 0):
        problems.append(f"margin must be ≥ 0 (got {m[m < 0][:5].tolist()}); a customer who costs money "
                        "every period has a negative value that this formula does not model")
    if np.any(r < 0) or np.any(r > 1):
        problems.append(f"retention is a probability per period and must be in [0, 1] (got "
                        f"{r[(r < 0) | (r > 1)][:5].tolist()}); a percentage such as 85 must be given as 0.85")
    if np.any(d <= -1):
        problems.append("discount must be greater than -1 (−100%)")
    if not problems:
        rr, dd = np.broadcast_arrays(r, d)
        div = rr >= 1 + dd - 1e-12
        if np.any(div):
            problems.append(f"retention must be below 1 + discount, else the sum never converges (got r = "
                            f"{rr[div][:5].tolist()} with d = {dd[div][:5].tolist()}); use a retention per "
                            "period below 1, e.g. 0.85")
    if problems:
        raise CxError("clv(): " + "; ".join(problems) + ".")
    num = m * (1 + d) if convention == "start" else m * r
    out = num / (1 + d - r)
    for x in (margin, retention, discount):
        if isinstance(x, pd.Series):
            return pd.Series(np.broadcast_to(out, (len(x),)), index=x.index, name="clv")
    return out if any(isinstance(x, (np.ndarray, list, tuple)) for x in (margin, retention, discount)) else float(out)


def cac(customers: pd.DataFrame, *, cost_column: str = "acquisition_cost",
        by: str | None = "acquisition_channel", date_column: str | None = "signup_date",
        start=None, end=None) -> pd.DataFrame:
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
    _require(customers, cols, "cac()")
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
        raise ValidationError([Problem("missing or negative acquisition cost", column=cost_column,
                                       rows=rows, count=int(bad.sum()),
                                       values=tuple(df.loc[bad, cost_column].head(5)),
                                       fix="Every new customer needs a cost ≥ 0 (0 for free referrals).")],
                              source="customers")
    if len(df) == 0:
        raise CxError("cac(): no new customers in the chosen period, so CAC is undefined.")
    g = (pd.DataFrame({"group": df[by].astype(str) if by else "all", "cost": cost})
         .groupby("group")["cost"].agg(new_customers="size", spend="sum").reset_index())
    if by:
        g = pd.concat([g, pd.DataFrame({"group": ["all"], "new_customers": [len(df)],
                                        "spend": [float(cost.sum())]})], ignore_index=True)
    g["cac"] = g["spend"] / g["new_customers"]
    return g


def customer_economics(activity: pd.DataFrame, customers: pd.DataFrame, *, margin_rate: float = 0.35,
                       annual_discount: float = 0.10, by: str = "acquisition_channel",
                       id_column: str = "customer_id", spend_column: str = "spend",
                       churn_column: str = "churned", cost_column: str = "acquisition_cost",
                       convention: str = "start") -> pd.DataFrame:
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
    _require(activity, [id_column, spend_column, churn_column], "customer_economics() activity", "activity")
    _require(customers, [id_column, by, cost_column], "customer_economics() customers", "customers")
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of spend kept as margin, in (0, 1]; got {margin_rate}.")
    grp = customers.set_index(id_column)[by].astype(str)
    act = activity[[id_column, spend_column, churn_column]].assign(group=activity[id_column].map(grp))
    n_unmatched = int(act["group"].isna().sum())
    if n_unmatched:
        raise CxError(f"customer_economics(): {n_unmatched} activity rows belong to customers missing from "
                      "the customers table; check that both files cover the same customers.")
    parts = [act, act.assign(group="all")]
    g = (pd.concat(parts).groupby("group")
         .agg(customer_months=(churn_column, "size"), cancellations=(churn_column, "sum"),
              mean_spend=(spend_column, "mean")))
    g["churn_rate"] = g["cancellations"] / g["customer_months"]
    lo, hi = wilson(g["cancellations"], g["customer_months"])
    g["retention"] = 1 - g["churn_rate"]
    g["retention_low"], g["retention_high"] = 1 - hi, 1 - lo
    g["margin"] = margin_rate * g["mean_spend"]
    d = monthly_rate(annual_discount)
    g["lifetime_months"] = 1 / g["churn_rate"].where(g["churn_rate"] > 0)
    for suffix, col in (("", "retention"), ("_low", "retention_low"), ("_high", "retention_high")):
        g["clv" + suffix] = clv(g["margin"].to_numpy(), g[col].clip(upper=1 - 1e-9).to_numpy(), d,
                                convention=convention)
    c = cac(customers, cost_column=cost_column, by=by, date_column=None).set_index("group")
    g = g.join(c[["new_customers", "cac"]])
    g["clv_cac"] = g["clv"] / g["cac"]
    order = [x for x in g.index if x != "all"] + ["all"]
    return g.loc[order].reset_index()


# ----------------------------------------------------------------------------------------
# health score
# ----------------------------------------------------------------------------------------

#: Documented default weights of the health score (on standardised signals).
#: Positive = healthier. They encode article 002's loyalty signals: defections
#: are preceded by complaints (worse when unresolved), payment problems and falling
#: usage; tenure, products held and positive feedback are signs of loyalty.
DEFAULT_HEALTH_WEIGHTS: dict[str, float] = {
    "tenure_months": 1.0,
    "products_held": 1.0,
    "positive_feedback": 0.5,
    "usage_change": 1.0,
    "care_contacts": -0.5,
    "complaints": -1.0,
    "unresolved_complaints": -2.0,
    "payment_issues": -1.5,
}

_SIGNAL_SOURCES = {
    "tenure_months": None,
    "products_held": "products_held",
    "positive_feedback": "positive_feedback",
    "usage_change": "usage_gb",
    "care_contacts": "care_contacts",
    "complaints": "complaints",
    "unresolved_complaints": ("complaints", "complaints_resolved"),
    "payment_issues": "payment_issue",
    "spend": "spend",
}


def _prep_activity(activity, id_column, month_column, churn_column):
    _require(activity, [id_column, month_column, churn_column], "the activity table", "activity")
    act = activity.copy()
    act[month_column] = _months(act[month_column])
    return act


def health_signals(activity: pd.DataFrame, cutoff, *, window: int = 3, signup: pd.Series | None = None,
                   id_column: str = "customer_id", month_column: str = "month",
                   churn_column: str = "churned") -> pd.DataFrame:
    """Point-in-time health signals per customer, from the months before ``cutoff``.

    Uses only activity rows in [cutoff − ``window`` months, cutoff), and only
    customers who were active in the month before the cutoff and had not cancelled
    (so they can still churn later). Signals (those whose source columns exist):

    ``tenure_months`` (months observed before the cutoff; a lower bound if the
    export starts later than the customer), ``products_held`` (last month),
    ``positive_feedback``, ``care_contacts``, ``complaints``,
    ``unresolved_complaints`` (complaints − complaints_resolved), ``payment_issues``
    (sums over the window), ``usage_change`` (log change of usage, last month vs the
    window's earlier months) and ``spend`` (mean).

    Pass ``signup`` (a Series of signup dates indexed by customer id, e.g. from the
    customers table) to measure ``tenure_months`` from the signup date instead:
    observed months grow with the export's length, which makes scores from
    different cutoffs drift.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1],
    ...     "complaints": [1, 0, 2, 1], "complaints_resolved": [1, 0, 0, 0]})
    >>> health_signals(act, "2024-03-01")
                 tenure_months  complaints  unresolved_complaints
    customer_id
    a                        2           1                      0
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    if window < 1:
        raise CxError("window must be at least 1 month.")
    start = cut - pd.DateOffset(months=window)
    last = cut - pd.DateOffset(months=1)
    hist = act[act[month_column] < cut]
    at_risk = hist.loc[(hist[month_column] == last) & (hist[churn_column] == 0), id_column].unique()
    if len(at_risk) == 0:
        raise CxError(f"health_signals(): no customer was active in {last:%Y-%m} (the month before the cutoff "
                      f"{cut:%Y-%m}); choose a cutoff inside the data's months "
                      f"({act[month_column].min():%Y-%m} to {act[month_column].max():%Y-%m}).")
    hist = hist[hist[id_column].isin(at_risk)]
    win = hist[hist[month_column] >= start]
    g = win.groupby(id_column)
    out = pd.DataFrame(index=pd.Index(sorted(at_risk), name=id_column))
    out["tenure_months"] = hist.groupby(id_column).size()
    if signup is not None:
        sd = pd.to_datetime(pd.Series(signup), errors="coerce").reindex(out.index)
        if sd.isna().any():
            raise CxError(f"health_signals(): {int(sd.isna().sum())} customers have no valid signup date; "
                          "pass a Series of dates indexed by customer id covering every customer.")
        out["tenure_months"] = ((cut.year - sd.dt.year) * 12 + (cut.month - sd.dt.month)).clip(lower=0)
    cols = set(act.columns)
    if "products_held" in cols:
        out["products_held"] = win.sort_values(month_column).groupby(id_column)["products_held"].last()
    for sig, src in (("positive_feedback", "positive_feedback"), ("care_contacts", "care_contacts"),
                     ("complaints", "complaints"), ("payment_issues", "payment_issue")):
        if src in cols:
            out[sig] = g[src].sum()
    if {"complaints", "complaints_resolved"} <= cols:
        out["unresolved_complaints"] = (win["complaints"] - win["complaints_resolved"]).clip(lower=0) \
            .groupby(win[id_column]).sum()
    if "usage_gb" in cols and window >= 2:
        lastu = win[win[month_column] == last].set_index(id_column)["usage_gb"]
        earlier = win[win[month_column] < last].groupby(id_column)["usage_gb"].mean()
        out["usage_change"] = (np.log1p(lastu) - np.log1p(earlier)).reindex(out.index).fillna(0.0)
    if "spend" in cols:
        out["spend"] = g["spend"].mean()
    return out


def later_churn(activity: pd.DataFrame, cutoff, *, horizon: int = 3, id_column: str = "customer_id",
                month_column: str = "month", churn_column: str = "churned") -> pd.Series:
    """1 if a customer active before ``cutoff`` cancels in [cutoff, cutoff + horizon months).

    Customers are those :func:`health_signals` keeps (active, not cancelled, in the
    month before the cutoff). Raises if the data end before the horizon does.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01"] * 2, "churned": [0, 0, 0, 1]})
    >>> later_churn(act, "2024-02-01", horizon=1).to_dict()
    {'a': 0, 'b': 1}
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    cut = pd.Timestamp(cutoff).to_period("M").to_timestamp()
    end = cut + pd.DateOffset(months=horizon)
    if act[month_column].max() < end - pd.DateOffset(months=1):
        raise CxError(f"later_churn(): the data end in {act[month_column].max():%Y-%m}, before the "
                      f"{horizon}-month horizon after {cut:%Y-%m} is over; pick an earlier cutoff or a "
                      "shorter horizon.")
    last = cut - pd.DateOffset(months=1)
    at_risk = act.loc[(act[month_column] == last) & (act[churn_column] == 0), id_column].unique()
    fut = act[(act[month_column] >= cut) & (act[month_column] < end) & act[id_column].isin(at_risk)]
    y = fut.groupby(id_column)[churn_column].max().reindex(sorted(at_risk)).fillna(0).astype(int)
    y.index.name, y.name = id_column, "churned_later"
    return y


def auc_delong(y_true, score) -> tuple[float, float]:
    """ROC AUC and its DeLong (1988) standard error (:func:`cxlib.stats.delong_auc_ci`).

    ``score`` is higher for the positive class (e.g. churn risk).

    >>> auc, se = auc_delong([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> round(auc, 2)
    0.75
    """
    auc, se, _, _ = delong_auc_ci(y_true, score)
    return auc, se


@dataclass
class HealthValidation:
    """How well a health score ranks *later* churners (see :meth:`HealthScore.validate`)."""

    auc: float
    auc_low: float
    auc_high: float
    n: int
    n_churned: int
    deciles: pd.DataFrame

    def __repr__(self) -> str:
        top = self.deciles.iloc[0]
        bot = self.deciles.iloc[-1]
        return (f"HealthValidation(n={self.n}, later churners={self.n_churned}, "
                f"AUC={self.auc:.3f} [{self.auc_low:.3f}, {self.auc_high:.3f}], churn in least healthy decile "
                f"{100 * top.churn_rate:.1f}% vs healthiest {100 * bot.churn_rate:.1f}%)")

    def plot(self, ax=None):
        """Later churn by health decile, with Wilson 95% intervals."""
        from cxlib import plots
        ax = plots.new_axes(ax)
        d = self.deciles
        x = np.arange(len(d))
        ax.bar(x, 100 * d["churn_rate"], color=plots.COLORS["main"], alpha=0.8)
        ax.errorbar(x, 100 * d["churn_rate"], yerr=[100 * (d["churn_rate"] - d["ci_low"]),
                    100 * (d["ci_high"] - d["churn_rate"])], fmt="none", ecolor="black", capsize=3)
        ax.axhline(100 * self.n_churned / self.n, color=plots.COLORS["neutral"], ls="--", lw=1,
                   label="all customers")
        ax.set_xticks(x, d["decile"].astype(str))
        ax.set_xlabel("health decile (1 = least healthy)")
        ax.set_ylabel("churned later (% of customers)")
        ax.set_title(f"Least healthy decile churns {d['churn_rate'].iloc[0] / max(d['churn_rate'].iloc[-1], 1e-9):.0f}× "
                     f"more than the healthiest (AUC {self.auc:.2f})", loc="left")
        ax.legend(fontsize=9)
        return ax


class HealthScore:
    """A customer health score on 0–100 (100 = healthiest), built from signals.

    Two ways to weight the signals, both on standardised (z-scored) signals:

    * ``weights=dict`` — documented, hand-set weights (positive = healthier), e.g.
      :data:`DEFAULT_HEALTH_WEIGHTS`. ``fit(X)`` only learns the means and spreads.
    * ``weights="fit"`` — a logistic regression of later churn on the signals,
      fitted on an *earlier* window (``fit(X, y)``); weights are minus its
      coefficients.

    The weighted sum is turned into 0–100 by its percentile in the fitting data, so
    a score of 50 is the median customer of the fitting window and 10 is the
    least-healthy tenth. Always :meth:`validate` on a *later* window.

    Examples
    --------
    >>> X = pd.DataFrame({"complaints": [0, 0, 1, 3], "tenure_months": [20, 5, 10, 2]})
    >>> hs = HealthScore(weights={"complaints": -1, "tenure_months": 1}).fit(X)
    >>> hs.score(X).round(1).tolist()
    [100.0, 75.0, 50.0, 25.0]
    """

    def __init__(self, weights: Mapping[str, float] | str | None = None, *, C: float = 1.0) -> None:
        self.weights = DEFAULT_HEALTH_WEIGHTS if weights is None else weights
        self.C = C

    def __repr__(self) -> str:
        mode = "fitted logistic" if isinstance(self.weights, str) else "documented weights"
        fitted = f", {len(self.weights_)} signals" if hasattr(self, "weights_") else ", not fitted"
        return f"HealthScore({mode}{fitted})"

    def _check_X(self, X: pd.DataFrame, signals: Sequence[str]) -> pd.DataFrame:
        _require(X, signals, "HealthScore", "signals")
        Z = X[list(signals)].apply(pd.to_numeric, errors="coerce")
        if Z.isna().any().any():
            bad = Z.isna().sum()
            bad = bad[bad > 0]
            raise ValidationError([Problem("missing or non-numeric values", column=c, count=int(k),
                                           fix="Fill the signal (e.g. 0 for 'no complaints') before scoring.")
                                   for c, k in bad.items()], source="signals")
        return Z

    def fit(self, X: pd.DataFrame, y=None) -> "HealthScore":
        """Learn standardisation (and, for ``weights="fit"``, the weights) on an earlier window."""
        if len(X) < 2:
            raise CxError("HealthScore.fit() needs at least 2 customers.")
        if isinstance(self.weights, str):
            if self.weights != "fit":
                raise CxError("weights must be a dict of signal weights, None (the defaults) or 'fit'.")
            if y is None:
                raise CxError("weights='fit' needs the later churn outcome: fit(X, y).")
            signals = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
        else:
            signals = [s for s in self.weights if s in X.columns]
            if not signals:
                raise CxError(f"none of the weighted signals {list(self.weights)} is a column of X "
                              f"(columns: {list(X.columns)}).")
        Z = self._check_X(X, signals)
        self.mean_ = Z.mean()
        self.scale_ = Z.std(ddof=0).replace(0, 1.0)
        Zs = (Z - self.mean_) / self.scale_
        if isinstance(self.weights, str):
            from sklearn.linear_model import LogisticRegression
            yy = np.asarray(y).astype(int)
            if len(np.unique(yy)) < 2:
                raise CxError("the churn outcome has only one class: nobody (or everybody) churned.")
            lr = LogisticRegression(C=self.C, max_iter=1000).fit(Zs.to_numpy(), yy)
            self.model_ = lr
            self.weights_ = pd.Series(-lr.coef_[0], index=signals, name="weight")
        else:
            self.weights_ = pd.Series({s: float(self.weights[s]) for s in signals}, name="weight")
        self.signals_ = signals
        self.missing_signals_ = [s for s in (self.weights if isinstance(self.weights, Mapping) else [])
                                 if s not in X.columns]
        self._ref = np.sort((Zs * self.weights_).sum(axis=1).to_numpy())
        return self

    def index(self, X: pd.DataFrame) -> pd.Series:
        """The raw weighted sum of standardised signals (higher = healthier)."""
        if not hasattr(self, "weights_"):
            raise CxError("call fit() before scoring.")
        Z = (self._check_X(X, self.signals_) - self.mean_) / self.scale_
        return (Z * self.weights_).sum(axis=1).rename("health_index")

    def score(self, X: pd.DataFrame) -> pd.Series:
        """Health 0–100: the percentile of the weighted sum in the fitting data."""
        idx = self.index(X).to_numpy()
        pct = np.searchsorted(self._ref, idx, side="right") / len(self._ref) * 100
        return pd.Series(pct, index=X.index, name="health")

    @property
    def summary(self) -> pd.DataFrame:
        """The weights per signal, with the direction they push health."""
        w = self.weights_
        return pd.DataFrame({"signal": w.index, "weight": w.to_numpy(),
                             "direction": np.where(w > 0, "healthier", "less healthy")})

    def validate(self, X: pd.DataFrame, later: pd.Series, *, n_bins: int = 10) -> HealthValidation:
        """AUC (DeLong 95% CI) and later churn by health decile (Wilson 95% CIs)."""
        h = self.score(X)
        y = pd.Series(later).reindex(h.index)
        if y.isna().any():
            raise CxError(f"validate(): {int(y.isna().sum())} customers have a score but no later outcome; "
                          "build both from the same cutoff.")
        auc, se = auc_delong(y.to_numpy(), -h.to_numpy())
        dec = pd.qcut(h.rank(method="first"), n_bins, labels=range(1, n_bins + 1))
        d = y.groupby(dec, observed=True).agg(n="size", churned="sum").reset_index(names="decile")
        d["churn_rate"] = d["churned"] / d["n"]
        d["ci_low"], d["ci_high"] = wilson(d["churned"], d["n"])
        d["mean_health"] = h.groupby(dec, observed=True).mean().to_numpy()
        return HealthValidation(auc, max(0.0, auc - 1.96 * se), min(1.0, auc + 1.96 * se),
                                int(len(y)), int(y.sum()), d)

    def plot(self, ax=None):
        """The weights as a bar chart (positive = healthier)."""
        from cxlib import plots
        ax = plots.new_axes(ax)
        w = self.weights_.sort_values()
        ax.barh(w.index, w.to_numpy(), color=[plots.COLORS["good"] if v > 0 else plots.COLORS["bad"] for v in w])
        ax.set_xlabel("weight per standard deviation of the signal")
        ax.set_title("What the health score rewards and penalises", loc="left")
        return ax


# ----------------------------------------------------------------------------------------
# customer profile, value balance, devotees
# ----------------------------------------------------------------------------------------


def customer_profile(activity: pd.DataFrame, *, interactions: pd.DataFrame | None = None,
                     surveys: pd.DataFrame | None = None, margin_rate: float = 0.35,
                     start=None, end=None, id_column: str = "customer_id", month_column: str = "month",
                     churn_column: str = "churned") -> pd.DataFrame:
    """One row per customer: the value each side gets, and loyalty behaviour.

    Value the company **gets** (``value_from_customer``): mean monthly margin =
    ``margin_rate`` × mean monthly spend (USD/month).

    Value the company **delivers** (``value_to_customer``), a transparent count of
    value-creating events per active month:

    * ``complaints_resolved`` (a problem fixed) − unresolved complaints (a problem left),
    * ``positive_feedback`` (a positive experience the customer took time to tell us),
    * from ``interactions`` when given: first-contact resolutions and proactive contacts.

    Loyalty behaviour: ``months_active`` (observed tenure), ``products_held`` (mean),
    ``positive_feedback_rate`` and ``churned``. From ``surveys`` when given (latest
    answer): ``ltr``, ``promoter`` (ltr 9–10) and ``value_for_money``.

    ``start``/``end`` restrict every table to months in [start, end) (e.g. the
    year before a cutoff, so the profile can be compared with *later* churn).

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b"], "month": ["2024-01-01", "2024-02-01", "2024-01-01"],
    ...     "spend": [10.0, 20.0, 40.0], "churned": [0, 0, 1], "complaints": [1, 0, 2],
    ...     "complaints_resolved": [1, 0, 0], "positive_feedback": [1, 0, 0], "products_held": [1, 2, 1]})
    >>> customer_profile(act, margin_rate=0.5)[["months_active", "value_from_customer", "value_to_customer"]]
                 months_active  value_from_customer  value_to_customer
    customer_id
    a                        2                  7.5                1.0
    b                        1                 20.0               -2.0
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    _require(act, ["spend"], "customer_profile()", "activity")

    def _window(dates: pd.Series) -> pd.Series:
        m = _months(dates)
        keep = pd.Series(True, index=dates.index)
        if start is not None:
            keep &= m >= pd.Timestamp(start)
        if end is not None:
            keep &= m < pd.Timestamp(end)
        return keep

    act = act[_window(act[month_column])]
    if len(act) == 0:
        raise CxError("customer_profile(): no activity rows in the chosen window.")
    if interactions is not None and "timestamp" in interactions.columns:
        interactions = interactions[_window(interactions["timestamp"])]
    if surveys is not None and "survey_date" in surveys.columns:
        surveys = surveys[_window(surveys["survey_date"])]
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of spend kept as margin, in (0, 1]; got {margin_rate}.")
    g = act.groupby(id_column)
    out = pd.DataFrame({"months_active": g.size(), "churned": g[churn_column].max().astype(int),
                        "mean_spend": g["spend"].mean()})
    out["value_from_customer"] = margin_rate * out["mean_spend"]
    cols = set(act.columns)
    events = pd.Series(0.0, index=act.index)
    components = []
    if {"complaints", "complaints_resolved"} <= cols:
        events += act["complaints_resolved"] - (act["complaints"] - act["complaints_resolved"]).clip(lower=0)
        components.append("complaints resolved − unresolved")
    if "positive_feedback" in cols:
        events += act["positive_feedback"]
        components.append("positive feedback")
        out["positive_feedback_rate"] = g["positive_feedback"].mean()
    if "products_held" in cols:
        out["products_held"] = g["products_held"].mean()
    delivered = events.groupby(act[id_column]).sum()
    if interactions is not None:
        _require(interactions, [id_column, "resolved_first_contact", "proactive"], "customer_profile() interactions",
                 "interactions")
        ig = interactions.groupby(id_column)
        extra = (ig["resolved_first_contact"].sum() + ig["proactive"].sum()).reindex(out.index).fillna(0)
        delivered = delivered + extra
        components += ["first-contact resolutions", "proactive contacts"]
    out["value_to_customer"] = delivered / out["months_active"]
    if surveys is not None:
        _require(surveys, [id_column, "ltr"], "customer_profile() surveys", "nps_surveys")
        s = surveys
        if "survey_date" in s.columns:
            s = s.sort_values("survey_date")
        last = s.groupby(id_column).last()
        out["ltr"] = last["ltr"].reindex(out.index)
        out["promoter"] = (out["ltr"] >= 9).astype(float).where(out["ltr"].notna())
        if "value_for_money" in last.columns:
            out["value_for_money"] = last["value_for_money"].reindex(out.index)
    out.attrs["value_to_customer"] = " + ".join(components) + " per active month"
    return out


@dataclass
class ValueBalance:
    """Value the company gets from each customer vs value it delivers (see :func:`value_balance`)."""

    table: pd.DataFrame
    quadrants: pd.DataFrame
    definition: str = ""

    def __repr__(self) -> str:
        q = self.quadrants.set_index("quadrant")["share"].round(3).to_dict()
        return f"ValueBalance(n={len(self.table)}, shares={q})"

    def plot(self, ax=None, *, sample: int = 3000, seed: int = 0):
        """Scatter of percentile 'value we get' vs 'value we deliver', with quadrant churn."""
        from cxlib import plots
        ax = plots.new_axes(ax, figsize=(7.0, 6.0))
        t = self.table
        if len(t) > sample:
            t = t.sample(sample, random_state=seed)
        rng = np.random.default_rng(seed)  # a little jitter: many customers share a percentile
        jx, jy = rng.uniform(-1, 1, len(t)), rng.uniform(-1, 1, len(t))
        stay = (t["churned"] != 1).to_numpy()
        ax.scatter(t["get_pct"][stay] + jx[stay], t["deliver_pct"][stay] + jy[stay], s=5,
                   c=plots.COLORS["main"], alpha=0.25, lw=0)
        ax.scatter(t["get_pct"][~stay] + jx[~stay], t["deliver_pct"][~stay] + jy[~stay], s=12,
                   c=plots.COLORS["bad"], alpha=0.8, lw=0)
        ax.axvline(50, color="grey", lw=1)
        ax.axhline(50, color="grey", lw=1)
        pos = {"we take more": (75, 25), "balanced, high value": (75, 75),
               "we give more": (25, 75), "low on both": (25, 25)}
        for _, r in self.quadrants.iterrows():
            x, y = pos[r["quadrant"]]
            ax.text(x, y, f"{r['quadrant']}\n{100 * r['share']:.0f}% of customers\nchurned {100 * r['churn_rate']:.1f}%",
                    ha="center", va="center", fontsize=9.5,
                    bbox=dict(boxstyle="round", fc="white", ec="grey", alpha=0.85))
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        ax.set_xlabel("value the company gets: margin, percentile of customers")
        ax.set_ylabel("value the company delivers: percentile of customers")
        worst = self.quadrants.sort_values("churn_rate").iloc[-1]
        ax.set_title(f"Customers in '{worst['quadrant']}' churn most ({100 * worst['churn_rate']:.1f}%)", loc="left")
        ax.scatter([], [], c=plots.COLORS["bad"], s=12, label="churned")
        ax.scatter([], [], c=plots.COLORS["main"], s=12, label="stayed")
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1), fontsize=9)
        return ax


def value_balance(profile: pd.DataFrame, *, get_column: str = "value_from_customer",
                  deliver_column: str = "value_to_customer", churn_column: str = "churned") -> ValueBalance:
    """Place each customer on 'value we get' vs 'value we deliver' (percentiles 0–100).

    Quadrants split at the median of each axis; for each quadrant the share of
    customers and their churn rate (Wilson 95% CI). Both axes are ranks within this
    customer base, so the picture compares customers with each other, not with an
    absolute standard.

    Examples
    --------
    >>> prof = pd.DataFrame({"value_from_customer": [1, 2, 3, 4], "value_to_customer": [4, 3, 2, 1],
    ...                      "churned": [0, 0, 1, 1]})
    >>> vb = value_balance(prof)
    >>> vb.quadrants[["quadrant", "n", "churn_rate"]]
                   quadrant  n  churn_rate
    0  balanced, high value  0         NaN
    1          we take more  2         1.0
    2          we give more  2         0.0
    3           low on both  0         NaN
    """
    _require(profile, [get_column, deliver_column, churn_column], "value_balance()", "profile")
    if len(profile) == 0:
        raise CxError("value_balance(): the profile has no customers.")
    t = profile[[get_column, deliver_column, churn_column]].copy()
    nmiss = int(t[[get_column, deliver_column]].isna().any(axis=1).sum())
    if nmiss:
        raise CxError(f"value_balance(): {nmiss} customers lack a value on '{get_column}' or '{deliver_column}'.")
    t["get_pct"] = _pct_rank(t[get_column])
    t["deliver_pct"] = _pct_rank(t[deliver_column])
    hi_get, hi_del = t["get_pct"] > 50, t["deliver_pct"] > 50
    t["quadrant"] = np.select([hi_get & hi_del, hi_get & ~hi_del, ~hi_get & hi_del],
                              ["balanced, high value", "we take more", "we give more"], "low on both")
    names = ["balanced, high value", "we take more", "we give more", "low on both"]
    q = t.groupby("quadrant")[churn_column].agg(n="size", churned="sum").reindex(names).fillna(0)
    q = q.astype(int).reset_index()
    q["share"] = q["n"] / len(t)
    q["churn_rate"] = q["churned"] / q["n"].where(q["n"] > 0)
    q["ci_low"], q["ci_high"] = wilson(q["churned"], q["n"])
    return ValueBalance(t, q, profile.attrs.get("value_to_customer", deliver_column))


def find_devotees(profile: pd.DataFrame, *, value_columns: Sequence[str] = ("value_to_customer",),
                  loyalty_columns: Sequence[str] = ("months_active", "products_held", "positive_feedback_rate"),
                  threshold: float = 75.0) -> pd.DataFrame:
    """Flag the devotees: customers high on *both* value received and loyalty.

    The rule, stated so anyone can check it: each column is turned into a
    percentile rank (0–100) among all customers; ``value_score`` is the mean rank
    of ``value_columns`` (what the customer gets from us, or says they value, e.g.
    ``value_to_customer``, ``value_for_money``, ``promoter``), ``loyalty_score`` the
    mean rank of ``loyalty_columns`` (how they reward us: tenure, products, positive
    feedback). A devotee has both scores ≥ ``threshold``. Missing values (e.g.
    customers never surveyed) are ignored in the mean; a customer with no value at
    all on one side cannot be a devotee.

    Returns a copy of ``profile`` with ``value_score``, ``loyalty_score`` and
    ``devotee`` (bool); the rule is in ``.attrs["rule"]``.

    Examples
    --------
    >>> prof = pd.DataFrame({"value_to_customer": [1, 2, 3, 4], "months_active": [1, 2, 4, 3]})
    >>> find_devotees(prof, loyalty_columns=["months_active"], threshold=70)["devotee"].tolist()
    [False, False, True, True]
    """
    cols = list(value_columns) + list(loyalty_columns)
    if not value_columns or not loyalty_columns:
        raise CxError("find_devotees() needs at least one value column and one loyalty column.")
    _require(profile, cols, "find_devotees()", "profile")
    if not 0 <= threshold <= 100:
        raise CxError(f"threshold is a percentile between 0 and 100; got {threshold}.")
    out = profile.copy()
    ranks = profile[cols].apply(lambda s: _pct_rank(pd.to_numeric(s, errors="coerce")))
    out["value_score"] = ranks[list(value_columns)].mean(axis=1)
    out["loyalty_score"] = ranks[list(loyalty_columns)].mean(axis=1)
    out["devotee"] = (out["value_score"] >= threshold) & (out["loyalty_score"] >= threshold)
    out.attrs["rule"] = (f"devotee = mean percentile of {list(value_columns)} ≥ {threshold:g} AND "
                         f"mean percentile of {list(loyalty_columns)} ≥ {threshold:g}")
    return out


def devotee_curve(profile: pd.DataFrame, check: pd.Series | None = None, *,
                  thresholds: Iterable[float] = range(50, 96, 5), **rule) -> pd.DataFrame:
    """How the devotee rule of :func:`find_devotees` behaves as its threshold moves.

    Parameters
    ----------
    profile : DataFrame
        One row per customer, as for :func:`find_devotees`.
    check : Series of 0/1, optional
        An outcome or trait the rule did not use (the simulator's ``connected``,
        later retention, referrals), aligned on ``profile``'s index. Its mean among
        the devotees is reported as ``check_rate``; customers without a value are
        counted in ``n_missing`` and left out of that mean.
    thresholds : iterable of float
        Percentile thresholds to try.
    **rule
        Passed to :func:`find_devotees` (``value_columns``, ``loyalty_columns``).

    Returns
    -------
    DataFrame with ``threshold``, ``n`` (devotees), ``share`` (of customers),
    ``check_rate`` and ``n_missing`` (only with ``check``).

    Examples
    --------
    >>> prof = pd.DataFrame({"value_to_customer": [1, 2, 3, 4], "months_active": [1, 2, 4, 3]})
    >>> devotee_curve(prof, pd.Series([0, 0, 1, 0]), thresholds=[50, 70, 90],
    ...               loyalty_columns=["months_active"]).round(3)
       threshold  n  share  check_rate  n_missing
    0         50  3   0.75       0.333          0
    1         70  2   0.50       0.500          0
    2         90  0   0.00         NaN          0
    """
    rows = []
    for t in thresholds:
        dev = find_devotees(profile, threshold=t, **rule)["devotee"]
        row = {"threshold": t, "n": int(dev.sum()), "share": float(dev.mean()) if len(dev) else np.nan}
        if check is not None:
            c = pd.to_numeric(check.reindex(dev.index), errors="coerce")[dev]
            row["check_rate"] = float(c.mean()) if c.notna().any() else np.nan
            row["n_missing"] = int(c.isna().sum())
        rows.append(row)
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------
# drivers
# ----------------------------------------------------------------------------------------


def outcome_after(events: pd.DataFrame, activity: pd.DataFrame, *, date_column: str = "survey_date",
                  horizon: int = 3, id_column: str = "customer_id", month_column: str = "month",
                  churn_column: str = "churned") -> pd.DataFrame:
    """Add ``retained_later``: 1 if the customer did not cancel in the ``horizon`` months after each event.

    The window is the months strictly after the event's month. Events whose window
    runs past the end of the data are *not* given an outcome: they are dropped and
    counted in ``.attrs["n_censored"]``.

    Examples
    --------
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...     "month": ["2024-01-01", "2024-02-01", "2024-03-01", "2024-01-01", "2024-02-01"],
    ...     "churned": [0, 0, 0, 0, 1]})
    >>> ev = pd.DataFrame({"customer_id": ["a", "b", "a"], "survey_date": ["2024-01-15", "2024-01-20", "2024-03-02"]})
    >>> out = outcome_after(ev, act, horizon=1)
    >>> out["retained_later"].tolist(), out.attrs["n_censored"]
    ([1, 0], 1)
    """
    act = _prep_activity(activity, id_column, month_column, churn_column)
    _require(events, [id_column, date_column], "outcome_after() events", "events")
    ev = events.copy()
    em = _months(ev[date_column])
    end = act[month_column].max()
    last_needed = em + pd.DateOffset(months=horizon)
    ok = last_needed <= end
    churn_month = act.loc[act[churn_column] == 1].groupby(id_column)[month_column].min()
    cm = ev[id_column].map(churn_month)
    churned = cm.notna() & (cm > em) & (cm <= last_needed)
    ev["retained_later"] = (~churned).astype(int)
    out = ev[ok.to_numpy()].copy()
    out.attrs["n_censored"] = int((~ok).sum())
    return out


class DriverAnalysis:
    """Which attributes go with a loyalty outcome: standardised coefficients with 95% CIs.

    ``kind="ols"`` (e.g. ``ltr``; heteroskedasticity-robust HC3 errors) or
    ``kind="logit"`` (a 0/1 outcome such as ``retained_later``; coefficients are
    log-odds per standard deviation, also shown as odds ratios). Drivers are
    z-scored so coefficients are comparable: "one SD more of X goes with ... more
    outcome, holding the other drivers fixed".

    **Drivers found this way are associations, not causes**: survey attributes
    share the answerer's mood (common-method bias), and unmeasured traits (tenure,
    usage, income) can drive both. Test a driver with an experiment before paying
    for it.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"])
    >>> df["y"] = 2 * df["a"] + rng.normal(size=200)
    >>> da = DriverAnalysis().fit(df, "y", ["a", "b"])
    >>> round(float(da.summary.set_index("driver").loc["a", "coef"]))
    2
    """

    note = ("Drivers are associations: same-survey ratings share the respondent's mood and "
            "unmeasured traits can drive both; only an experiment shows cause.")

    def __init__(self, kind: str = "ols") -> None:
        if kind not in ("ols", "logit"):
            raise CxError("kind must be 'ols' (numeric outcome) or 'logit' (0/1 outcome).")
        self.kind = kind

    def __repr__(self) -> str:
        if not hasattr(self, "summary_"):
            return f"DriverAnalysis(kind={self.kind!r}, not fitted)"
        top = self.summary_.iloc[0]
        return (f"DriverAnalysis({self.kind}, outcome={self.outcome_!r}, n={self.n_}, excluded={self.n_excluded_}; "
                f"strongest: {top.driver} {top.coef:+.3f} [{top.ci_low:+.3f}, {top.ci_high:+.3f}])")

    def fit(self, df: pd.DataFrame, outcome: str, drivers: Sequence[str]) -> "DriverAnalysis":
        """Fit on ``df``; rows with a missing outcome or driver are excluded and counted."""
        import statsmodels.api as sm
        drivers = list(drivers)
        if not drivers:
            raise CxError("DriverAnalysis.fit() needs at least one driver column.")
        _require(df, [outcome] + drivers, "DriverAnalysis.fit()")
        d = df[[outcome] + drivers].apply(pd.to_numeric, errors="coerce")
        keep = d.notna().all(axis=1)
        self.n_excluded_ = int((~keep).sum())
        d = d[keep]
        if len(d) <= len(drivers) + 2:
            raise CxError(f"DriverAnalysis: only {len(d)} complete rows for {len(drivers)} drivers; need more data.")
        y = d[outcome]
        if self.kind == "logit" and not set(np.unique(y)) <= {0, 1}:
            raise CxError(f"kind='logit' needs a 0/1 outcome; '{outcome}' has other values.")
        if y.nunique() < 2:
            raise CxError(f"the outcome '{outcome}' does not vary; nothing to explain.")
        sd = d[drivers].std(ddof=0)
        const = sd[sd == 0].index.tolist()
        if const:
            raise CxError(f"driver(s) {const} do not vary in the data; drop them.")
        X = sm.add_constant((d[drivers] - d[drivers].mean()) / sd)
        if self.kind == "ols":
            res = sm.OLS(y, X).fit(cov_type="HC3")
        else:
            res = sm.Logit(y, X).fit(disp=0)
        ci = res.conf_int()
        s = pd.DataFrame({"driver": drivers, "coef": res.params[drivers].to_numpy(),
                          "ci_low": ci.loc[drivers, 0].to_numpy(), "ci_high": ci.loc[drivers, 1].to_numpy(),
                          "p_value": res.pvalues[drivers].to_numpy()})
        if self.kind == "logit":
            for c, name in (("coef", "odds_ratio"), ("ci_low", "or_low"), ("ci_high", "or_high")):
                s[name] = np.exp(s[c])
        self.summary_ = s.reindex(s["coef"].abs().sort_values(ascending=False).index).reset_index(drop=True)
        self.result_, self.outcome_, self.n_ = res, outcome, int(len(d))
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """Drivers sorted by |coefficient| with 95% CIs and p-values."""
        if not hasattr(self, "summary_"):
            raise CxError("call fit() first.")
        return self.summary_

    def plot(self, ax=None, title: str | None = None):
        """Dot-and-whisker plot of the standardised coefficients."""
        from cxlib import plots
        s = self.summary
        unit = "change in " + self.outcome_ if self.kind == "ols" else "log-odds of " + self.outcome_
        ax = plots.interval_plot(s["driver"], s["coef"], s["ci_low"], s["ci_high"], ax=ax,
                                 xlabel=f"{unit} per SD of the driver (95% CI)")
        ax.axvline(0, color=plots.COLORS["neutral"], lw=1)
        ax.set_title(title or f"'{s['driver'].iloc[0]}' goes with {self.outcome_} most (association)", loc="left")
        return ax


# ----------------------------------------------------------------------------------------
# lagged relationships
# ----------------------------------------------------------------------------------------


def monthly_metrics(*, interactions: pd.DataFrame | None = None, activity: pd.DataFrame | None = None,
                    surveys: pd.DataFrame | None = None, id_column: str = "customer_id",
                    month_column: str = "month", timestamp_column: str = "timestamp",
                    churn_column: str = "churned") -> pd.DataFrame:
    """Value-behaviour and value-outcome metrics per month.

    Behaviour (from ``interactions``): ``fcr`` (first-contact resolution share),
    ``wait_minutes`` (mean), ``proactive_share``, ``contacts``. Behaviour from
    ``activity``: ``complaint_resolution`` (resolved / complaints). Outcomes (from
    ``activity``): ``customers``, ``churn_rate`` (cancellations / active customers),
    ``spend`` (mean); from ``surveys``: ``nps`` and ``responses``.

    Examples
    --------
    >>> inter = pd.DataFrame({"timestamp": ["2024-01-03", "2024-01-09", "2024-02-01"],
    ...     "resolved_first_contact": [1, 0, 1], "wait_minutes": [2.0, 4.0, 1.0], "proactive": [0, 1, 0]})
    >>> monthly_metrics(interactions=inter)[["fcr", "wait_minutes", "proactive_share"]]
                fcr  wait_minutes  proactive_share
    month
    2024-01-01  0.5           3.0              0.5
    2024-02-01  1.0           1.0              0.0
    """
    parts = []
    if interactions is not None:
        _require(interactions, [timestamp_column, "resolved_first_contact", "wait_minutes", "proactive"],
                 "monthly_metrics() interactions", "interactions")
        m = _months(interactions[timestamp_column]).rename(month_column)
        g = interactions.groupby(m)
        parts.append(pd.DataFrame({"fcr": g["resolved_first_contact"].mean(), "wait_minutes": g["wait_minutes"].mean(),
                                   "proactive_share": g["proactive"].mean(), "contacts": g.size()}))
    if activity is not None:
        act = _prep_activity(activity, id_column, month_column, churn_column)
        g = act.groupby(month_column)
        p = pd.DataFrame({"customers": g.size(), "churn_rate": g[churn_column].mean()})
        if {"complaints", "complaints_resolved"} <= set(act.columns):
            p["complaint_resolution"] = g["complaints_resolved"].sum() / g["complaints"].sum()
        if "spend" in act.columns:
            p["spend"] = g["spend"].mean()
        parts.append(p)
    if surveys is not None:
        _require(surveys, ["survey_date", "ltr"], "monthly_metrics() surveys", "nps_surveys")
        m = _months(surveys["survey_date"]).rename(month_column)
        ltr = pd.to_numeric(surveys["ltr"], errors="coerce")
        code = np.select([ltr >= 9, ltr <= 6], [1.0, -1.0], 0.0)
        code = pd.Series(np.where(ltr.isna(), np.nan, code), index=surveys.index)
        g = code.groupby(m)
        parts.append(pd.DataFrame({"nps": 100 * g.mean(), "responses": g.count()}))
    if not parts:
        raise CxError("monthly_metrics() needs at least one of interactions, activity, surveys.")
    out = pd.concat(parts, axis=1).sort_index()
    out.index.name = month_column
    return out


def lagged_correlation(x: pd.Series, y: pd.Series, *, max_lag: int = 6, difference: bool = False,
                       alpha: float = 0.05) -> pd.DataFrame:
    """Correlation of ``x`` now with ``y`` ``lag`` periods later, with Fisher-z intervals.

    ``lag = k`` pairs x_t with y_{t+k}; a peak at k > 0 means x *leads* y. With
    ``difference=True`` both series are first-differenced (month-on-month changes),
    which removes shared trends that make any two trending series correlate. The
    interval assumes independent months; autocorrelated series make it too narrow,
    so read it as optimistic.

    Examples
    --------
    >>> x = pd.Series([0., 1, 0, 2, 0, 3, 0, 1, 0, 2])
    >>> y = x.shift(2)  # y follows x two periods later
    >>> t = lagged_correlation(x, y, max_lag=3)
    >>> int(t.loc[t["r"].idxmax(), "lag"])
    2
    """
    if not isinstance(x, pd.Series) or not isinstance(y, pd.Series):
        raise CxError("lagged_correlation() takes two pandas Series on the same (time) index.")
    if max_lag < 0:
        raise CxError("max_lag must be ≥ 0.")
    x, y = x.astype(float), y.astype(float)
    if difference:
        x, y = x.diff(), y.diff()
    z = stats.norm.ppf(1 - alpha / 2)
    rows = []
    for k in range(-max_lag, max_lag + 1):
        pair = pd.concat([x, y.shift(-k)], axis=1).dropna()
        n = len(pair)
        r = pair.iloc[:, 0].corr(pair.iloc[:, 1]) if n >= 3 else np.nan
        if n > 3 and np.isfinite(r) and abs(r) < 1:
            zr, se = np.arctanh(r), 1 / np.sqrt(n - 3)
            lo, hi = np.tanh(zr - z * se), np.tanh(zr + z * se)
        else:
            lo = hi = np.nan
        rows.append((k, n, r, lo, hi))
    return pd.DataFrame(rows, columns=["lag", "n", "r", "ci_low", "ci_high"])


def plot_lags(table: pd.DataFrame, *, x_name: str = "x", y_name: str = "y", ax=None):
    """Plot a :func:`lagged_correlation` table: r by lag with 95% intervals."""
    from cxlib import plots
    ax = plots.new_axes(ax)
    ax.errorbar(table["lag"], table["r"], yerr=[table["r"] - table["ci_low"], table["ci_high"] - table["r"]],
                fmt="o", color=plots.COLORS["main"], capsize=3)
    ax.axhline(0, color=plots.COLORS["neutral"], lw=1)
    ax.axvline(0, color=plots.COLORS["neutral"], lw=1, ls=":")
    best = table.loc[table["r"].abs().idxmax()]
    ax.set_xlabel(f"lag in months ({x_name} leads {y_name} when > 0)")
    ax.set_ylabel("correlation r (95% CI)")
    ax.set_title(f"{x_name} vs {y_name}: strongest at lag {int(best['lag'])} (r = {best['r']:.2f})", loc="left")
    return ax


def plot_monthly(table: pd.DataFrame, columns: Sequence[str], *, labels: Mapping[str, str] | None = None,
                 event=None, event_label: str = "", title: str = ""):
    """Small multiples of monthly metrics (one panel each), with an optional event line.

    Returns the array of Axes.

    Examples
    --------
    >>> t = pd.DataFrame({"fcr": [0.8, 0.6]}, index=pd.to_datetime(["2024-01-01", "2024-02-01"]))
    >>> axes = plot_monthly(t, ["fcr"], event="2024-02-01")
    >>> len(axes)
    1
    """
    import matplotlib.pyplot as plt

    from cxlib import plots
    _require(table, columns, "plot_monthly()")
    plots.use_style()
    fig, axes = plt.subplots(len(columns), 1, figsize=(7.5, 1.9 * len(columns) + 0.6), sharex=True,
                             squeeze=False)
    axes = axes[:, 0]
    labels = dict(labels or {})
    for ax, col, colour in zip(axes, columns, plots.PALETTE):
        s = table[col].dropna()
        ax.plot(s.index, s.to_numpy(), marker="o", ms=3, color=colour)
        ax.set_ylabel(labels.get(col, col), fontsize=9.5)
        if event is not None:
            ax.axvline(pd.Timestamp(event), color="grey", lw=1, ls="--")
    if event is not None and event_label:
        axes[0].text(pd.Timestamp(event), axes[0].get_ylim()[1], " " + event_label, fontsize=9,
                     color="#555555", va="top")
    if title:
        axes[0].set_title(title, loc="left")
    axes[-1].set_xlabel("month")
    return axes

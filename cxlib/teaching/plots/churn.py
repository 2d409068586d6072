"""Charts of churn: signals before a cancellation, gains, calibration, targeting, survival."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.analytics.churn.evaluation import ChurnEvaluation
from cxlib.analytics.churn.targeting import TargetingResult

__all__ = ["signals_before_churn", "gains", "calibration", "targeting", "km_by_signal"]


def signals_before_churn(table: pd.DataFrame, axes=None, labels: dict | None = None):
    """Small multiples of :func:`~cxlib.analytics.churn.signals_before_churn`: each signal relative to its baseline.

    Parameters
    ----------
    table : DataFrame
        From :func:`cxlib.analytics.churn.signals_before_churn`.
    axes : array of matplotlib Axes, optional
        One per signal (default: a new row of panels).
    labels : dict, optional
        Signal -> panel title.

    Returns
    -------
    array of matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.churn import signals_before_churn as before
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...                     "month": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2),
    ...                     "complaints": [1, 3, 0, 1], "churned": [0, 1, 0, 0]})
    >>> len(signals_before_churn(before(act, ["complaints"], months_before=1)))
    1
    """
    import matplotlib.pyplot as plt

    from cxlib.teaching.plots import COLORS, readable, use_style

    use_style()
    cols = [c for c in table.columns if c != "customers"]
    if axes is None:
        _, axes = plt.subplots(
            1, len(cols), figsize=(3.3 * len(cols), 3.4), sharey=True, squeeze=False, layout="constrained"
        )
        axes = axes[0]
    base = table.loc["baseline", cols]
    t = table.drop(index="baseline")
    x = t.index.astype(int)
    for ax, c in zip(axes, cols):
        ratio = t[c] / base[c] if base[c] else t[c] * np.nan
        ax.plot(x, ratio, "o-", color=COLORS["bad"], lw=2, label="customers who left")
        ax.axhline(1, color=COLORS["neutral"], ls="--", lw=1, label="customers who stayed (average)")
        ax.set_title((labels or {}).get(c, readable(c)), loc="left", fontsize=11)
        ax.set_xlabel("months before leaving")
    axes[0].set_xlabel("months before leaving\n(0 = the month they left)")
    axes[0].set_ylabel("times the stayers' average")
    axes[0].legend(loc="upper left", fontsize=8)
    return axes


def gains(ev: ChurnEvaluation, ax=None, label: str | None = None):
    """Cumulative gains: share of churners found vs share of customers contacted.

    Parameters
    ----------
    ev : ChurnEvaluation
        From :func:`cxlib.analytics.churn.evaluate` (or a model's validation).
    ax : matplotlib Axes, optional
        Where to draw.
    label : str, optional
        The curve's legend label (default the evaluation's method).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.churn import evaluate
    >>> ax = gains(evaluate([1, 0, 1, 0, 0, 0], [0.9, 0.2, 0.6, 0.3, 0.1, 0.4]))
    >>> ax.get_ylabel()
    'churners reached (%)'
    """
    from cxlib.teaching.plots import COLORS, finding, new_axes

    ax = new_axes(ax)
    order = np.argsort(-ev.p, kind="stable")
    x = np.r_[0, np.arange(1, ev.n + 1) / ev.n]
    g = np.r_[0, np.cumsum(ev.y[order]) / ev.y.sum()]
    ax.plot(x * 100, g * 100, color=COLORS["main"], lw=2, label=label or ev.method or "model")
    ax.plot([0, 100], [0, 100], color=COLORS["neutral"], ls="--", lw=1, label="random list")
    ax.set_xlabel("customers contacted, highest risk first (%)")
    ax.set_ylabel("churners reached (%)")
    ax.legend(loc="lower right")
    finding(ax, *_gains_title(ev))
    return ax


def _gains_title(ev: ChurnEvaluation) -> tuple[str, str]:
    """What the AUC's interval supports: better than a random list, worse, or not told apart."""
    low, high = ev.auc_ci_low, ev.auc_ci_high
    sub = f"AUC {ev.auc:.2f} [{low:.2f}, {high:.2f}], {ev.level:.0%} interval; {ev.n:,} customers, {int(ev.y.sum()):,} churned"
    if low > 0.5:
        return "The risk ranking finds churners faster than chance", sub
    if high < 0.5:
        return "The risk ranking finds churners more slowly than chance", sub
    return "The ranking cannot be told apart from a random list", sub


def calibration(ev: ChurnEvaluation, ax=None, bins: int = 10, label: str | None = None):
    """Reliability curve: predicted vs observed churn rate (the diagonal is perfect).

    Parameters
    ----------
    ev : ChurnEvaluation
        From :func:`cxlib.analytics.churn.evaluate`.
    ax : matplotlib Axes, optional
        Where to draw.
    bins : int, default 10
        Quantile bins of the predicted probability.
    label : str, optional
        The curve's legend label.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.churn import evaluate
    >>> ax = calibration(evaluate([1, 0, 1, 0, 0, 0], [0.9, 0.2, 0.6, 0.3, 0.1, 0.4]), bins=3)
    >>> ax.get_xlabel()
    'predicted churn probability (%)'
    """
    from cxlib.teaching.plots import COLORS, finding, new_axes

    ax = new_axes(ax)
    t = _calibration_intervals(ev, bins)
    top = max(t["predicted"].max(), t["ci_high"].max()) * 1.05
    ax.plot([0, top * 100], [0, top * 100], color=COLORS["neutral"], ls="--", lw=1, label="perfect")
    ax.errorbar(
        t["predicted"] * 100,
        t["observed"] * 100,
        yerr=[(t["observed"] - t["ci_low"]) * 100, (t["ci_high"] - t["observed"]) * 100],
        fmt="o-",
        capsize=2,
        color=COLORS["main"],
        label=label or ev.method or "model",
    )
    ax.set_xlabel("predicted churn probability (%)")
    ax.set_ylabel("observed churn rate (%)")
    ax.legend(loc="upper left")
    inside = int(t["agrees"].sum())
    sub = f"{len(t)} bins of customers by predicted risk; observed rate with its {ev.level:.0%} Wilson interval"
    if inside == len(t):
        title = "Predictions agree with observed churn in every bin"
    else:
        title = f"Predictions miss observed churn in {len(t) - inside} of {len(t)} bins"
    finding(ax, title, sub)
    return ax


def _calibration_intervals(ev: ChurnEvaluation, bins: int) -> pd.DataFrame:
    """The calibration table with the Wilson interval of each bin's observed rate, and whether
    that interval holds the bin's mean predicted probability (``agrees``)."""
    from cxlib.analytics.stats import wilson_interval

    t = ev.calibration_table(bins)
    churned = np.rint(t["observed"] * t["customers"]).astype(int)
    low, high = wilson_interval(churned.to_numpy(), t["customers"].to_numpy(), level=ev.level)
    t["ci_low"], t["ci_high"] = np.asarray(low, float), np.asarray(high, float)
    t["agrees"] = (t["ci_low"] <= t["predicted"]) & (t["predicted"] <= t["ci_high"])
    return t


def targeting(result: TargetingResult, ax=None, realised: bool = True):
    """Profit against the share of customers contacted.

    Parameters
    ----------
    result : TargetingResult
        From :func:`cxlib.analytics.churn.targeting_profit`.
    ax : matplotlib Axes, optional
        Where to draw.
    realised : bool, default True
        Also draw the profit on the list's actual churners (only churn is observed: the
        offer's success rate is still the assumed one), when the outcomes are known.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.churn import targeting_profit
    >>> ax = targeting(targeting_profit([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3))
    >>> ax.get_ylabel()
    'campaign profit (USD)'
    """
    from cxlib.teaching.plots import COLORS, finding, new_axes

    ax = new_axes(ax)
    c = result.curve
    ax.plot(
        c["share_contacted"] * 100,
        c["expected_profit"],
        color=COLORS["main"],
        lw=2,
        label="expected profit (model probabilities)",
    )
    if realised and "realised_profit" in c:
        ax.plot(
            c["share_contacted"] * 100,
            c["realised_profit"],
            color=COLORS["contrast"],
            lw=1.5,
            label="actual churners, success rate assumed",
        )
    ax.axhline(0, color=COLORS["neutral"], lw=1)
    ax.axvline(result.best_share * 100, color=COLORS["good"], ls="--", lw=1, label=f"best: top {result.best_share:.0%}")
    ax.set_xlabel("customers contacted, highest expected profit first (%)")
    ax.set_ylabel("campaign profit (USD)")
    ax.legend(loc="best", fontsize=9)
    finding(ax, *_targeting_title(result, realised and "realised_profit" in c))
    return ax


def _targeting_title(result: TargetingResult, realised: bool) -> tuple[str, str]:
    """The best list and its expected profit (an expectation under the model's probabilities)."""
    if result.best_n == 0 or result.best_profit <= 0:
        title = "No contact list is expected to pay at this offer cost and success rate"
    else:
        title = f"Contacting the top {result.best_share:.0%} is expected to pay most: {result.best_profit:,.0f} USD"
    sub = f"expected from the model's probabilities; contacting everyone: {result.profit_all:,.0f} USD"
    if realised:
        curve = result.curve
        got = float(curve.loc[curve["n_contacted"] == result.best_n, "realised_profit"].iloc[0])
        sub += f"; on that list's actual churners (success rate assumed): {got:,.0f} USD"
    return title, sub


# =====================================================================================
# 6. survival view
# =====================================================================================
def km_by_signal(durations, events, groups, ax=None):
    """Kaplan-Meier retention curves by a signal's groups (lifelines), on one Axes.

    Parameters
    ----------
    durations : array of float
        Months observed.
    events : array of 0/1
        1 if churned (0 = still active, censored).
    groups : array
        The signal's group for each customer.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    (Axes, DataFrame)
        The chart, and per group its size, churners and share retained at the end.

    Examples
    --------
    >>> ax, t = km_by_signal([1, 2, 3, 4, 5, 6], [1, 0, 1, 0, 0, 0], ["a", "a", "a", "b", "b", "b"])
    >>> t["customers"].tolist()
    [3, 3]
    """
    from lifelines import KaplanMeierFitter

    from cxlib.teaching.plots import PALETTE, finding, new_axes

    ax = new_axes(ax)
    df = pd.DataFrame({"t": np.asarray(durations, float), "e": np.asarray(events, int), "g": np.asarray(groups)})
    rows = []
    for i, (g, d) in enumerate(df.groupby("g", sort=True)):
        kmf = KaplanMeierFitter(label=f"{g} (n={len(d)})").fit(d["t"], d["e"])
        kmf.plot_survival_function(ax=ax, color=PALETTE[i % len(PALETTE)], ci_show=True)
        rows.append((g, len(d), int(d["e"].sum()), float(kmf.survival_function_.iloc[-1, 0])))
    ax.set_xlabel("months observed")
    ax.set_ylabel("share still a customer")
    table = pd.DataFrame(rows, columns=["group", "customers", "churned", "retained_at_end"])
    finding(ax, *_km_title(df, table))
    return ax, table


def _km_title(df: pd.DataFrame, table: pd.DataFrame) -> tuple[str, str]:
    """What the log-rank test supports: the groups' retention differs, or cannot be told apart."""
    from lifelines.statistics import multivariate_logrank_test

    if len(table) < 2:
        return "Retention of one group (nothing to compare)", "Kaplan-Meier, 95% bands"
    p = float(multivariate_logrank_test(df["t"], df["g"], df["e"]).p_value)
    sub = f"Kaplan-Meier, 95% bands; log-rank test p = {p:.2g}"
    if p >= 0.05:
        return "The groups' retention cannot be told apart", sub
    if len(table) == 2:
        worse = table.loc[table["retained_at_end"].idxmin(), "group"]
        return f"The group \u201c{worse}\u201d leaves faster", sub
    return "Retention differs between the groups", sub

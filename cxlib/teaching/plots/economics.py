"""Charts for :mod:`cxlib.analytics.economics`."""

from __future__ import annotations

from cxlib.analytics.economics import BusinessCase
from cxlib.teaching.plots.churn import targeting

__all__ = ["business_case"]


def business_case(case: BusinessCase, axes=None):
    """The board's figure: net value and ROI with intervals, and the targeting curve.

    Parameters
    ----------
    case : BusinessCase
        From :func:`cxlib.analytics.economics.business_case`.
    axes : pair of matplotlib Axes, optional
        Where to draw (default: a new figure with two panels).

    Returns
    -------
    pair of matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.economics import business_case as bc
    >>> axes = business_case(bc([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=200))
    >>> len(axes)
    2
    """
    import matplotlib.pyplot as plt

    from cxlib.teaching.plots import COLORS

    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 1.4]})
    ax0, ax1 = axes
    s = case.summary
    names = ["value_saved", "cost", "net"]
    est = s.loc[names, "estimate"] / 1000
    ax0.bar(range(3), est, color=[COLORS["good"], COLORS["bad"], COLORS["main"]], alpha=0.85)
    ax0.errorbar(
        range(3),
        est,
        yerr=[est - s.loc[names, "low"] / 1000, s.loc[names, "high"] / 1000 - est],
        fmt="none",
        ecolor="black",
        capsize=4,
    )
    ax0.set_xticks(range(3), ["value\nsaved", "campaign\ncost", "net"])
    level = case.assumptions.get("level", 0.95)
    ax0.set_ylabel(f"thousand USD ({100 * level:g}% predictive interval)")
    ax0.axhline(0, color=COLORS["neutral"], lw=1)
    r = s.loc["roi"]
    ax0.set_title(f"ROI {r.estimate:.0%} [{r.low:.0%}, {r.high:.0%}]", loc="left")
    targeting(case.targeting, ax=ax1, realised="realised_profit" in case.targeting.curve)
    ax1.set_title(
        f"Contact {int(s.loc['customers_contacted', 'estimate'])} customers "
        f"({case.targeting.best_share:.0%}): the curve peaks there",
        loc="left",
    )
    return axes

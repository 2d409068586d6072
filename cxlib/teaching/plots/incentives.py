"""Charts for :mod:`cxlib.analytics.incentives`."""

from __future__ import annotations

from typing import Any

from cxlib.analytics.incentives import IncentiveResult

__all__ = ["incentive"]


def incentive(result: IncentiveResult, ax: Any = None) -> Any:
    """Reported NPS (with its 95% interval) vs the true NPS, and (in a new figure) monthly churn, over time.

    Parameters
    ----------
    result : IncentiveResult
        From :func:`~cxlib.analytics.incentives.simulate_incentive`.
    ax : matplotlib Axes, optional
        Where to draw the NPS panel (then the churn panel is left out).

    Returns
    -------
    matplotlib.axes.Axes
        The NPS panel.

    Examples
    --------
    >>> from cxlib.analytics.incentives import simulate_incentive
    >>> incentive(simulate_incentive(n_customers=500, months=4, incentive_month=3, seed=1)).get_ylabel()
    'NPS (points)'
    """
    import matplotlib.pyplot as plt

    from cxlib.teaching import plots

    if ax is None:
        plots.use_style()
        fig, (ax, ax2) = plt.subplots(2, 1, figsize=(7.5, 6), sharex=True, height_ratios=[2, 1])
    else:
        ax2 = None
    m = result.monthly
    plots.band_plot(
        m["month"],
        m["reported_nps"],
        m["nps_low"],
        m["nps_high"],
        ax=ax,
        label="reported NPS",
        color=plots.COLORS["contrast"],
    )
    ax.plot(m["month"], m["true_nps"], color=plots.COLORS["truth"], lw=2, ls="--", label="true NPS (every customer)")
    ax.axvline(result.incentive_month - 0.5, color="grey", lw=1)
    ax.text(result.incentive_month - 0.4, ax.get_ylim()[0] + 2, "team paid on NPS →", fontsize=9, color="#555555")
    ax.set_ylabel("NPS (points)")
    ax.legend(fontsize=9, loc="upper left")
    s = result.summary.set_index("period")
    ax.set_title(
        f"Paid on the score: reported NPS +"
        f"{s.loc['paid on NPS', 'reported_nps'] - s.loc['before', 'reported_nps']:.0f} points, "
        "customers are no happier",
        loc="left",
    )
    if ax2 is not None:
        ax2.plot(m["month"], 100 * m["churn_rate"], color=plots.COLORS["bad"], marker="o", ms=3)
        ax2.axvline(result.incentive_month - 0.5, color="grey", lw=1)
        ax2.set_ylabel("churn (% per month)")
        ax2.set_xlabel("month")
        ax2.set_ylim(0, max(5, 100 * m["churn_rate"].max() * 1.3))
        ax2.set_title("…and churn does not move", loc="left")
    return ax

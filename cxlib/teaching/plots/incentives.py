"""Charts for :mod:`cxlib.analytics.incentives`."""

from __future__ import annotations

from cxlib.analytics.incentives import IncentiveResult

__all__ = ["incentive"]


def incentive(result: IncentiveResult, ax=None):
    """Reported NPS (with 95% CI) vs the true NPS, and monthly churn, over time."""
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
        label="reported NPS (surveys the team runs)",
        color=plots.COLORS["contrast"],
    )
    ax.plot(m["month"], m["true_nps"], color=plots.COLORS["truth"], lw=2, ls="--", label="true NPS of every customer")
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

"""Charts for :mod:`cxlib.analytics.health`."""

from __future__ import annotations

import numpy as np

from cxlib.analytics.health import HealthScore, HealthValidation

__all__ = ["validation", "score_weights"]


def validation(check: HealthValidation, ax=None):
    """Later churn by health decile, with Wilson 95% intervals."""
    from cxlib.teaching import plots

    ax = plots.new_axes(ax)
    d = check.deciles
    x = np.arange(len(d))
    ax.bar(x, 100 * d["churn_rate"], color=plots.COLORS["main"], alpha=0.8)
    ax.errorbar(
        x,
        100 * d["churn_rate"],
        yerr=[100 * (d["churn_rate"] - d["ci_low"]), 100 * (d["ci_high"] - d["churn_rate"])],
        fmt="none",
        ecolor="black",
        capsize=3,
    )
    ax.axhline(100 * check.n_churned / check.n, color=plots.COLORS["neutral"], ls="--", lw=1, label="all customers")
    ax.set_xticks(x, d["decile"].astype(str))
    ax.set_xlabel("health decile (1 = least healthy)")
    ax.set_ylabel("churned later (% of customers)")
    ax.set_title(
        f"Least healthy decile churns {d['churn_rate'].iloc[0] / max(d['churn_rate'].iloc[-1], 1e-9):.0f}× "
        f"more than the healthiest (AUC {check.auc:.2f})",
        loc="left",
    )
    ax.legend(fontsize=9)
    return ax


def score_weights(score: HealthScore, ax=None):
    """The weights as a bar chart (positive = healthier)."""
    from cxlib.teaching import plots

    ax = plots.new_axes(ax)
    w = score.weights_.sort_values()
    ax.barh(w.index, w.to_numpy(), color=[plots.COLORS["good"] if v > 0 else plots.COLORS["bad"] for v in w])
    ax.set_xlabel("weight per standard deviation of the signal")
    ax.set_title("What the health score rewards and penalises", loc="left")
    return ax

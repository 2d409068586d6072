"""Charts for :mod:`cxlib.analytics.health`."""

from __future__ import annotations

import math

import numpy as np

from cxlib.analytics.health import HealthScore, HealthValidation

__all__ = ["validation", "score_weights"]


def validation(check: HealthValidation, ax=None):
    """Later churn by health decile, with Wilson 95% intervals.

    Parameters
    ----------
    check : HealthValidation
        From :meth:`cxlib.analytics.health.HealthScore.validate`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"complaints_3m": rng.poisson(1, 2000).astype(float)})
    >>> y = pd.Series((rng.random(2000) < 0.05 + 0.05 * X["complaints_3m"]).astype(int))
    >>> hs = HealthScore({"complaints_3m": -1}).fit(X)
    >>> validation(hs.validate(X, y)).get_xlabel()
    'health decile (1 = least healthy)'
    """
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
    plots.finding(ax, *_validation_title(check))
    ax.legend(fontsize=9)
    return ax


def _validation_title(check: HealthValidation) -> tuple[str, str]:
    """A title that claims only what the deciles' intervals support.

    The ratio of the least to the most healthy decile is stated as its lowest value the
    intervals allow (lower bound of the first over upper bound of the last), never as the
    ratio of two point estimates, which explodes when the healthiest decile has no churner;
    the subtitle says how "at least" is read, with the two bounds, since the bars themselves
    look much further apart.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> deciles = pd.DataFrame({"ci_low": [0.26, 0.01], "ci_high": [0.38, 0.033]})
    >>> title, sub = _validation_title(SimpleNamespace(deciles=deciles, auc=0.78, auc_low=0.75, auc_high=0.82))
    >>> title
    'The least healthy tenth churns at least 7× as often as the healthiest'
    >>> sub.split(";")[0]
    "'at least': the lowest ratio the 95% intervals allow (26% / 3.3%)"
    """
    d = check.deciles
    worst, best = d.iloc[0], d.iloc[-1]
    auc_value = f"AUC {check.auc:.2f} [{check.auc_low:.2f}, {check.auc_high:.2f}]"
    auc = f"ranking of later churners: {auc_value}; 95% intervals"
    if worst["ci_low"] > best["ci_high"] > 0:
        ratio = worst["ci_low"] / best["ci_high"]
        # rounded down: "at least" must hold for the number shown (7.95 is "at least 7", not 8)
        shown = f"{math.floor(ratio)}" if ratio >= 3 else f"{math.floor(ratio * 10) / 10:.1f}"
        why = (
            f"'at least': the lowest ratio the 95% intervals allow ({100 * worst['ci_low']:.0f}% / "
            f"{100 * best['ci_high']:.1f}%); ranking: {auc_value}"
        )
        return f"The least healthy tenth churns at least {shown}× as often as the healthiest", why
    if worst["ci_low"] > best["ci_high"]:
        return "The least healthy tenth churns more often than the healthiest", auc
    return "The least and most healthy tenths cannot be told apart on later churn", auc


def score_weights(score: HealthScore, ax=None):
    """The weights as a bar chart (positive = healthier).

    Parameters
    ----------
    score : HealthScore
        A fitted :class:`~cxlib.analytics.health.HealthScore`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"complaints_3m": [0.0, 2, 1, 0], "tenure_months": [30.0, 2, 10, 20]})
    >>> score_weights(HealthScore({"complaints_3m": -1, "tenure_months": 1}).fit(X)).get_xlabel()
    'weight per standard deviation of the signal'
    """
    from cxlib.teaching import plots

    ax = plots.new_axes(ax)
    w = score.weights_.sort_values()
    ax.barh(w.index, w.to_numpy(), color=[plots.COLORS["good"] if v > 0 else plots.COLORS["bad"] for v in w])
    ax.set_xlabel("weight per standard deviation of the signal")
    ax.set_title("What the health score rewards and penalises", loc="left")
    return ax

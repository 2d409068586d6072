"""Charts of expectations: disconfirmation by expectation level, a delighter decaying."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.analytics.expectations import Disconfirmation

__all__ = ["kano_decay", "disconfirmation"]


def kano_decay(decay: pd.DataFrame, ax=None, feature: str = "teddy bear in the child seat"):
    """Satisfaction with and without the feature over time (stylised; labelled as such).

    Parameters
    ----------
    decay : DataFrame
        From :func:`cxlib.analytics.expectations.kano_decay`.
    ax : matplotlib Axes, optional
        Where to draw.
    feature : str
        The feature's name, for the title.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.expectations import kano_decay as decay
    >>> ax = kano_decay(decay([0, 3, 6, 12]))
    >>> ax.get_ylabel() != ""
    True
    """
    from cxlib.teaching.plots import COLORS, new_axes

    ax = new_axes(ax)
    ax.plot(decay["year"], decay["if_present"], color=COLORS["good"], lw=2, label="feature present")
    ax.plot(decay["year"], decay["if_absent"], color=COLORS["bad"], lw=2, label="feature absent")
    ax.axhline(0, color=COLORS["neutral"], lw=1)
    trans = ax.get_xaxis_transform()
    for j, (cat, sub) in enumerate(decay.groupby("category", sort=False)):
        if j:
            ax.axvline(sub["year"].min(), color=COLORS["neutral"], ls=":", lw=1)
        name = _KANO_WORDS.get(str(cat), str(cat))
        ax.text(sub["year"].mean(), 0.03, name, ha="center", fontsize=10, color="#333333", transform=trans)
    ax.set_xlabel("years since introduced")
    ax.set_ylabel("satisfaction (stylised units)")
    ax.set_title(f"STYLISED: a delighter ({feature}) decays into a basic", loc="left")
    ax.legend(fontsize=9, loc="upper right")
    return ax


#: Kano's category names (as the analysis names them) in the words the lesson uses.
_KANO_WORDS = {"attractive": "delighter", "one-dimensional": "performance", "must-be": "basic"}


def disconfirmation(result: Disconfirmation, ax=None):
    """Mean outcome (with its interval) against performance, one line per expectation group.

    Parameters
    ----------
    result : Disconfirmation
        From :func:`cxlib.analytics.expectations.disconfirmation`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.expectations import disconfirmation as dis
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"perf": rng.integers(0, 3, 300), "expect": rng.normal(size=300)})
    >>> d["sat"] = 7 - 0.5 * d["perf"] - 0.8 * d["expect"] + rng.normal(0, 1, 300)
    >>> ax = disconfirmation(dis(d, "sat", "perf", "expect"))
    >>> len(ax.get_legend().get_texts())
    3
    """
    from cxlib.teaching.plots import COLORS, finding, new_axes

    ax = new_axes(ax)
    groups = list(dict.fromkeys(result.table["expectation_group"]))
    palette = [COLORS["good"], COLORS["neutral"], COLORS["bad"]] if len(groups) == 3 else None
    levels = list(dict.fromkeys(result.table["performance"]))
    x = np.arange(len(levels))
    for j, g in enumerate(groups):
        t = result.table[result.table["expectation_group"] == g].set_index("performance").reindex(levels)
        off = (j - (len(groups) - 1) / 2) * 0.08
        kw = {"color": palette[j]} if palette else {}
        ax.errorbar(
            x + off,
            t["mean"],
            yerr=[t["mean"] - t["ci_low"], t["ci_high"] - t["mean"]],
            marker="o",
            capsize=3,
            lw=1.8,
            label=f"{g} expectation",
            **kw,
        )
    ax.set_xticks(x, [str(v) for v in levels])
    ax.set_xlabel(result.performance.replace("_", " "))
    ax.set_ylabel(f"mean {result.outcome} (95% CI)")
    ax.legend(fontsize=9, loc="best")
    finding(ax, *_disconfirmation_title(result))
    return ax


def _disconfirmation_title(result: Disconfirmation) -> tuple[str, str]:
    """What the expectation term's interval supports, at the same performance."""
    term = result.coefficients.set_index("term").loc[result.expectation]
    perf, outcome = result.performance.replace("_", " "), result.outcome.replace("_", " ")
    sub = (
        f"{result.expectation.replace('_', ' ')} term {term['coef']:+.2f} [{term['ci_low']:+.2f}, "
        f"{term['ci_high']:+.2f}] (95% CI, OLS with HC3 errors); {result.n:,} answers"
    )
    if term["ci_low"] > 0:
        return f"At the same {perf}, higher expectations go with a higher {outcome}", sub
    if term["ci_high"] < 0:
        return f"At the same {perf}, higher expectations go with a lower {outcome}", sub
    return f"At the same {perf}, expectations make no clear difference to {outcome}", sub

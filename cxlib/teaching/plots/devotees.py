"""Charts for :mod:`cxlib.analytics.devotees`."""

from __future__ import annotations

import numpy as np

from cxlib.analytics.devotees import ValueBalance

__all__ = ["value_balance"]


def value_balance(balance: ValueBalance, ax=None, *, sample: int = 3000, seed: int = 0):
    """Scatter of percentile 'value we get' vs 'value we deliver', with quadrant churn.

    Parameters
    ----------
    balance : ValueBalance
        From :func:`cxlib.analytics.devotees.value_balance`.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure).
    sample : int, default 3000
        At most this many customers are drawn (a seeded sample).
    seed : int, default 0
        Seed of the sample and of the jitter.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from cxlib.analytics.devotees import value_balance as vb
    >>> prof = pd.DataFrame({"value_from_customer": [1, 2, 3, 4], "value_to_customer": [4, 3, 2, 1],
    ...                      "churned": [0, 0, 1, 1]})
    >>> value_balance(vb(prof)).get_xlabel()  # doctest: +ELLIPSIS
    '...'
    """
    from cxlib.teaching import plots

    ax = plots.new_axes(ax, figsize=(7.0, 6.0))
    t = balance.table
    if len(t) > sample:
        t = t.sample(sample, random_state=seed)
    rng = np.random.default_rng(seed)  # a little jitter: many customers share a percentile
    jx, jy = rng.uniform(-1, 1, len(t)), rng.uniform(-1, 1, len(t))
    stay = (t[balance.target_column] != 1).to_numpy()
    ax.scatter(
        t["get_pct"][stay] + jx[stay], t["deliver_pct"][stay] + jy[stay], s=5, c=plots.COLORS["main"], alpha=0.25, lw=0
    )
    ax.scatter(
        t["get_pct"][~stay] + jx[~stay],
        t["deliver_pct"][~stay] + jy[~stay],
        s=12,
        c=plots.COLORS["bad"],
        alpha=0.8,
        lw=0,
    )
    ax.axvline(50, color="grey", lw=1)
    ax.axhline(50, color="grey", lw=1)
    pos = {
        "we take more": (75, 25),
        "balanced, high value": (75, 75),
        "we give more": (25, 75),
        "low on both": (25, 25),
    }
    for _, r in balance.quadrants.iterrows():
        x, y = pos[r["quadrant"]]
        ax.text(
            x,
            y,
            f"{r['quadrant']}\n{100 * r['share']:.0f}% of customers\nchurned {100 * r['churn_rate']:.1f}%\n"
            f"[{100 * r['ci_low']:.1f}, {100 * r['ci_high']:.1f}]",
            ha="center",
            va="center",
            fontsize=9.5,
            bbox=dict(boxstyle="round", fc="white", ec="grey", alpha=0.85),
        )
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel("value the company gets: margin, percentile of customers")
    ax.set_ylabel("value the company delivers: percentile of customers")
    plots.finding(ax, _balance_title(balance.quadrants), "each quadrant's churn with its Wilson 95% interval")
    ax.scatter([], [], c=plots.COLORS["bad"], s=12, label="churned")
    ax.scatter([], [], c=plots.COLORS["main"], s=12, label="stayed")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1), fontsize=9)
    return ax


def _balance_title(quadrants) -> str:
    """'Churn most' only when that quadrant's interval clears every other's; otherwise say so."""
    q = quadrants.sort_values("churn_rate")
    worst, rest = q.iloc[-1], q.iloc[:-1]
    if (worst["ci_low"] > rest["ci_high"]).all():
        return f"Customers in '{worst['quadrant']}' churn most ({100 * worst['churn_rate']:.1f}%)"
    return (
        f"'{worst['quadrant']}' has the highest churn ({100 * worst['churn_rate']:.1f}%), "
        "but its interval overlaps another quadrant's"
    )

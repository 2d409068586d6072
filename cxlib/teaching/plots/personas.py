"""Charts for :mod:`cxlib.analytics.personas.segmentation`."""

from __future__ import annotations

import numpy as np

from cxlib.analytics.personas.segmentation import Segmenter

__all__ = ["silhouette", "profile"]


def silhouette(seg: Segmenter, ax=None):
    """Mean silhouette against k (when k was chosen from the data).

    Parameters
    ----------
    seg : Segmenter
        A fitted :class:`~cxlib.analytics.personas.Segmenter`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [10, 0], [0, 10]], random_state=0)
    >>> seg = Segmenter(k_range=range(2, 5)).fit(pd.DataFrame(X, columns=["x", "y"]))
    >>> silhouette(seg).get_xlabel() != ""
    True
    """
    from cxlib.teaching import plots

    seg._check_fitted()
    ax = plots.new_axes(ax)
    if seg.selection_ is None:
        ax.text(0.5, 0.5, f"k = {seg.k_} was fixed, not chosen", ha="center", transform=ax.transAxes)
        return ax
    t = seg.selection_
    ax.plot(t["k"], t["silhouette"], "o-", color=plots.COLORS["main"], label="mean silhouette")
    bad = t[~t["eligible"]]
    if len(bad):
        ax.plot(
            bad["k"],
            bad["silhouette"],
            "x",
            color=plots.COLORS["bad"],
            ms=10,
            label=f"a segment < {seg.min_size:.0%} of customers",
        )
    best = t[t["chosen"]].iloc[0]
    ax.plot(
        [best["k"]],
        [best["silhouette"]],
        "o",
        ms=14,
        mfc="none",
        color=plots.COLORS["contrast"],
        label=f"chosen k = {int(best['k'])}",
    )
    ax.set_xlabel("number of segments k")
    ax.set_ylabel("mean silhouette (−1 to 1)")
    ax.set_xticks(t["k"])
    ax.set_ylim(min(0.0, float(t["silhouette"].min()) - 0.05), max(0.5, float(t["silhouette"].max()) + 0.1))
    ax.set_title(f"Silhouette picks k = {int(best['k'])} (higher = better separated)", loc="left")
    ax.legend(fontsize=9)
    return ax


def profile(seg: Segmenter, ax=None):
    """Heat map of the centroid z-scores (segments × features).

    Parameters
    ----------
    seg : Segmenter
        A fitted :class:`~cxlib.analytics.personas.Segmenter`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=300, centers=[[0, 0], [10, 0], [0, 10]], random_state=0)
    >>> seg = Segmenter(k=3).fit(pd.DataFrame(X, columns=["x", "y"]))
    >>> [t.get_text() for t in profile(seg).get_xticklabels()]
    ['x', 'y']
    """
    import matplotlib.pyplot as plt

    from cxlib.teaching import plots

    seg._check_fitted()
    if ax is None:
        plots.use_style()
        _, ax = plt.subplots(figsize=(1.0 + 0.75 * len(seg.features_), 1.2 + 0.55 * seg.k_))
    z = seg.centers_z_
    lim = max(1.0, float(np.abs(z.to_numpy()).max()))
    im = ax.imshow(z.to_numpy(), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            v = z.iat[i, j]
            ax.text(
                j,
                i,
                f"{v:+.1f}",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if abs(v) > 0.6 * lim else "black",
            )
    sizes = seg.labels_.value_counts().reindex(range(seg.k_), fill_value=0)
    ax.set_yticks(range(seg.k_), [f"segment {s} (n={n})" for s, n in sizes.items()])
    ax.set_xticks(range(z.shape[1]), [plots.readable(c) for c in z.columns], rotation=35, ha="right")
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="centroid (SD from the mean)", shrink=0.8)
    ax.set_title("Segment profiles: how far each segment sits from the average customer", loc="left")
    return ax

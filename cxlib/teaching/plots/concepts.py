"""Pictures that introduce four ideas in plain language, before a lesson first uses them.

Each function draws from a small **seeded simulation** (or an exact calculation), so the
picture is the same every time, and its title states only what its own numbers show:

* :func:`interval_idea`: what a 95% confidence interval is: many surveys of the same
  customers, each with its own interval, and how many of them cover the truth;
* :func:`wilson_idea`: why the course uses the Wilson interval for a share: with few
  answers the textbook (Wald) interval collapses at 0 and 100% and covers the truth far
  less often than it promises;
* :func:`logistic_idea`: what logistic regression does: an S-curve that turns a signal
  into a probability between 0 and 1, through the churn rate at each level of the signal;
* :func:`auc_idea`: what ROC AUC measures: the chance that a random churner gets a higher
  score than a random stayer, and the ROC curve that shows it.

Each returns the Axes it drew on (an array of two Axes for the two-panel pictures).

A lesson only *shows* these pictures, always with the same defaults, so it shows them stored:
:func:`picture` returns the PNG that ``tools/precompute.py`` drew with the function's defaults
(``plots.concepts.picture("interval_idea")``: no drawing, about 2-3 s less for lesson 01).
The stored PNG is used only with the library versions that drew it; with any other version
:func:`picture` draws afresh. ``tests/test_precomputed.py`` draws each again and checks the
bytes are identical. To draw a picture yourself, or with other numbers, call its function.

Examples
--------
>>> from cxlib.teaching import plots
>>> ax = plots.concepts.interval_idea()
>>> ax.get_xlabel()
'share of customers who would recommend (%)'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

#: The pictures a lesson only shows, drawn with their defaults and stored (see :func:`picture`).
PICTURES = ("interval_idea", "wilson_idea", "logistic_idea", "auc_idea")
#: The libraries whose versions decide the stored pictures' pixels.
PICTURE_LIBRARIES = ("matplotlib", "numpy", "pillow", "scipy", "scikit-learn")
#: Where the stored pictures live: PNGs and ``pictures.json`` (versions and SHA-256 of each).
PICTURE_FOLDER = "pictures"

__all__ = [
    "picture",
    "PICTURES",
    "picture_png",
    "stored_picture",
    "interval_idea",
    "wilson_idea",
    "logistic_idea",
    "auc_idea",
    "IntervalSimulation",
    "simulate_intervals",
    "coverage",
    "LogisticSimulation",
    "simulate_logistic",
]


@dataclass
class IntervalSimulation:
    """``draws`` surveys of ``n`` customers each from a base whose true share is ``truth``.

    Attributes
    ----------
    truth : float
        The true share.
    n : int
        Answers per survey.
    shares : numpy.ndarray
        Each survey's observed share.
    low, high : numpy.ndarray
        The ends of each survey's 95% Wilson interval.
    """

    truth: float
    n: int
    shares: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def covers(self) -> np.ndarray:
        return (self.low <= self.truth) & (self.truth <= self.high)


def simulate_intervals(truth: float = 0.35, n: int = 100, draws: int = 40, seed: int = 0) -> IntervalSimulation:
    """Draw ``draws`` seeded surveys and the 95% Wilson interval of each one's share.

    Parameters
    ----------
    truth : float
        The true share, between 0 and 1.
    n : int
        Answers per survey.
    draws : int
        Number of surveys.
    seed : int
        Seed of the random draws.

    Returns
    -------
    IntervalSimulation
        The surveys' shares and intervals.

    Examples
    --------
    >>> sim = simulate_intervals(draws=200)
    >>> bool(0.90 < sim.covers.mean() < 0.99)
    True
    """
    from cxlib.analytics.stats import wilson_interval

    rng = np.random.default_rng(seed)
    k = rng.binomial(n, truth, size=draws)
    low, high = wilson_interval(k, np.full(draws, n))
    return IntervalSimulation(truth=truth, n=n, shares=k / n, low=np.asarray(low), high=np.asarray(high))


def interval_idea(truth: float = 0.35, n: int = 100, draws: int = 40, seed: int = 0, ax=None):
    """Forty surveys of the same customers: each gives its own share and its own 95% interval.

    The true share (known here, because we simulate the customers) is the dashed line;
    intervals that miss it are drawn in the alarm colour. The title counts how many cover it.

    Parameters
    ----------
    truth : float
        The share of all customers who would say yes (the number a survey tries to estimate).
    n : int
        Answers per survey.
    draws : int
        Number of surveys drawn.
    seed : int
        Seed of the simulation.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from cxlib.teaching.plots import COLORS, finding, new_axes

    sim = simulate_intervals(truth, n, draws, seed)
    ax = new_axes(ax, figsize=(7.5, 5.2))
    y = np.arange(draws)
    for hit, color, label in ((True, COLORS["main"], "covers the truth"), (False, COLORS["bad"], "misses it")):
        rows = y[sim.covers == hit]
        if len(rows) == 0:
            continue
        ax.hlines(rows, 100 * sim.low[rows], 100 * sim.high[rows], color=color, lw=2, label=f"interval {label}")
        ax.plot(100 * sim.shares[rows], rows, "o", color=color, ms=4)
    ax.axvline(100 * truth, color=COLORS["truth"], ls="--", lw=1.2, label=f"the truth ({100 * truth:.0f}%)")
    ax.set_yticks([])
    ax.set_ylabel(f"{draws} surveys of {n} customers each")
    ax.set_xlabel("share of customers who would recommend (%)")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=9)
    covered = int(sim.covers.sum())
    finding(
        ax,
        f"{covered} of {draws} survey intervals cover the true share",
        f"each dot: one survey's share; each line: its 95% interval (simulated customers, seed {seed})",
    )
    return ax


def _wald(k: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    p = k / n
    half = 1.96 * np.sqrt(p * (1 - p) / n)
    return p - half, p + half


def coverage(n: int, p_grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact coverage of the 95% Wald and Wilson intervals for a share, at each true ``p`` (binomial sums).

    Parameters
    ----------
    n : int
        Number of answers.
    p_grid : numpy.ndarray
        True shares, between 0 and 1.

    Returns
    -------
    tuple of (numpy.ndarray, numpy.ndarray)
        The coverage of the Wald and of the Wilson interval at each true share.

    Examples
    --------
    >>> wald, wilson = coverage(12, np.array([0.1, 0.5]))
    >>> [round(float(x), 3) for x in wald], [round(float(x), 3) for x in wilson]
    ([0.713, 0.854], [0.974, 0.961])
    """
    from scipy.stats import binom

    from cxlib.analytics.stats import wilson_interval

    k = np.arange(n + 1)
    wald_lo, wald_hi = _wald(k, n)
    wil_lo, wil_hi = wilson_interval(k, np.full(n + 1, n))
    pmf = binom.pmf(k[None, :], n, p_grid[:, None])
    inside_wald = (wald_lo[None, :] <= p_grid[:, None]) & (p_grid[:, None] <= wald_hi[None, :])
    inside_wilson = (np.asarray(wil_lo)[None, :] <= p_grid[:, None]) & (p_grid[:, None] <= np.asarray(wil_hi)[None, :])
    return (pmf * inside_wald).sum(axis=1), (pmf * inside_wilson).sum(axis=1)


def wilson_idea(n: int = 12, axes=None):
    """The Wald and Wilson intervals of a share with few answers, and how often each covers the truth.

    Left: the two intervals for every possible result with ``n`` answers (0 of n to n of n).
    The Wald interval (share ± 1.96 standard errors) shrinks to nothing at 0 and n and runs
    past 0% and 100%; the Wilson interval does neither. Right: the exact chance that each
    interval covers the true share, for every true share: the promise is 95%.

    Parameters
    ----------
    n : int
        Number of answers.
    axes : sequence of two matplotlib.axes.Axes, optional
        Where to draw (default: a new figure with two panels).

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    import matplotlib.pyplot as plt

    from cxlib.analytics.stats import wilson_interval
    from cxlib.teaching.plots import COLORS, use_style

    use_style()
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
    left, right = axes
    k = np.arange(n + 1)
    wald_lo, wald_hi = _wald(k, n)
    wil_lo, wil_hi = wilson_interval(k, np.full(n + 1, n))
    left.vlines(k - 0.15, 100 * wald_lo, 100 * wald_hi, color=COLORS["contrast"], lw=3, label="Wald: share ± 1.96 SE")
    left.vlines(
        k + 0.15, 100 * np.asarray(wil_lo), 100 * np.asarray(wil_hi), color=COLORS["main"], lw=3, label="Wilson"
    )
    left.plot(k, 100 * k / n, "k_", ms=12, label="the share answered")
    left.axhspan(-40, 0, color=COLORS["neutral"], alpha=0.15)
    left.axhspan(100, 140, color=COLORS["neutral"], alpha=0.15)
    left.set_ylim(-30, 130)
    left.set_xlabel(f"customers who said yes, out of {n}")
    left.set_ylabel("95% interval of the share (%)")
    left.text(n, -25, "impossible: below 0%", ha="right", fontsize=8.5, color="#555555")
    left.text(n / 2, 122, "impossible: above 100%", ha="center", fontsize=8.5, color="#555555")
    left.set_title(f"With {n} answers, Wald's interval collapses at 0 and {n}", loc="left", fontsize=11)
    left.legend(loc="upper left", bbox_to_anchor=(0, 0.9), fontsize=8.5)

    p_grid = np.linspace(0.01, 0.99, 197)
    wald_cov, wilson_cov = coverage(n, p_grid)
    right.plot(100 * p_grid, 100 * wald_cov, color=COLORS["contrast"], lw=1.5, label="Wald")
    right.plot(100 * p_grid, 100 * wilson_cov, color=COLORS["main"], lw=1.5, label="Wilson")
    right.axhline(95, color=COLORS["truth"], ls="--", lw=1, label="the promise: 95%")
    right.set_ylim(0, 102)
    right.set_xlabel("true share (%)")
    right.set_ylabel("chance the interval covers it (%)")
    right.set_title(
        f"Average coverage: Wald {100 * wald_cov.mean():.0f}%, Wilson {100 * wilson_cov.mean():.0f}%",
        loc="left",
        fontsize=11,
    )
    right.legend(loc="lower center", fontsize=8.5)
    return np.asarray(axes)


@dataclass
class LogisticSimulation:
    """Simulated customers: a signal (complaints in 90 days) and whether each churned.

    Attributes
    ----------
    signal : numpy.ndarray
        Complaints in 90 days, per customer.
    churned : numpy.ndarray
        1 if the customer churned, else 0.
    intercept, slope : float
        The true S-curve: logit P(churn) = intercept + slope * signal.
    """

    signal: np.ndarray
    churned: np.ndarray
    intercept: float
    slope: float


def simulate_logistic(n: int = 600, seed: int = 0) -> LogisticSimulation:
    """Customers whose churn probability rises with complaints along a true S-curve.

    Parameters
    ----------
    n : int
        Number of customers.
    seed : int
        Seed of the simulation.

    Returns
    -------
    LogisticSimulation
        The customers and the true curve.

    Examples
    --------
    >>> sim = simulate_logistic()
    >>> len(sim.signal), bool(sim.churned[sim.signal >= 4].mean() > sim.churned[sim.signal == 0].mean())
    (600, True)
    """
    rng = np.random.default_rng(seed)
    signal = rng.poisson(1.6, size=n).clip(0, 8)
    intercept, slope = -2.6, 0.75
    p = 1 / (1 + np.exp(-(intercept + slope * signal)))
    return LogisticSimulation(signal, rng.binomial(1, p), intercept, slope)


def logistic_idea(n: int = 600, seed: int = 0, ax=None):
    """Logistic regression draws an S-curve through the churn rate at each level of a signal.

    Each customer is a dot at 0 (stayed) or 100% (churned), jittered so they do not hide
    one another; the churn rate at each number of complaints has its Wilson interval; the
    fitted curve (scikit-learn's ``LogisticRegression``) turns any number of complaints
    into a probability between 0 and 1, and the simulation's true curve is dashed.

    Parameters
    ----------
    n : int
        Number of simulated customers.
    seed : int
        Seed of the simulation.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    matplotlib.axes.Axes
    """
    from sklearn.linear_model import LogisticRegression

    from cxlib.analytics.stats import wilson_interval
    from cxlib.teaching.plots import COLORS, finding, new_axes

    sim = simulate_logistic(n, seed)
    rng = np.random.default_rng(seed + 1)
    ax = new_axes(ax, figsize=(7.5, 4.6))
    jitter_x = sim.signal + rng.uniform(-0.25, 0.25, size=n)
    jitter_y = 100 * sim.churned + rng.uniform(-3, 3, size=n)
    ax.plot(jitter_x, jitter_y, ".", color=COLORS["neutral"], alpha=0.35, ms=4, label="a customer (0 = stayed)")
    levels = np.unique(sim.signal)
    k = np.array([sim.churned[sim.signal == v].sum() for v in levels])
    m = np.array([(sim.signal == v).sum() for v in levels])
    lo, hi = wilson_interval(k, m)
    rate = k / m
    ax.errorbar(
        levels,
        100 * rate,
        yerr=[100 * (rate - lo), 100 * (hi - rate)],
        fmt="o",
        color=COLORS["bad"],
        capsize=3,
        label="churn rate at that level, 95% interval",
    )
    model = LogisticRegression(C=1e6).fit(sim.signal.reshape(-1, 1), sim.churned)
    grid = np.linspace(-0.5, levels.max() + 0.5, 200)
    fitted = model.predict_proba(grid.reshape(-1, 1))[:, 1]
    true = 1 / (1 + np.exp(-(sim.intercept + sim.slope * grid)))
    ax.plot(grid, 100 * fitted, color=COLORS["main"], lw=2.5, label="logistic regression (fitted)")
    ax.plot(grid, 100 * true, color=COLORS["truth"], ls="--", lw=1, label="the simulation's true curve")
    ax.set_xlabel("complaints in the last 90 days")
    ax.set_ylabel("churn in the next 3 months (%)")
    ax.set_ylim(-8, 108)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8.5)
    odds = float(np.exp(model.coef_[0, 0]))
    finding(
        ax,
        "Logistic regression turns a signal into a churn probability between 0 and 1",
        f"simulated customers (seed {seed}): each extra complaint multiplies the fitted odds of churn by {odds:.1f}",
    )
    return ax


def auc_idea(n: int = 400, seed: int = 0, axes=None):
    """ROC AUC is the chance that a random churner scores higher than a random stayer.

    Left: the risk scores of simulated churners and stayers overlap. Right: the ROC curve
    (the share of churners found against the share of stayers wrongly flagged, as the
    threshold moves down the list) and its area with the DeLong 95% interval. The
    subtitle checks the pair reading on 10,000 random churner–stayer pairs.

    Parameters
    ----------
    n : int
        Number of simulated customers.
    seed : int
        Seed of the simulation.
    axes : sequence of two matplotlib.axes.Axes, optional
        Where to draw (default: a new figure with two panels).

    Returns
    -------
    ndarray of two matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    from cxlib.analytics.stats import delong_auc_ci
    from cxlib.teaching.plots import COLORS, use_style

    use_style()
    rng = np.random.default_rng(seed)
    y = rng.binomial(1, 0.2, size=n)
    score = 1 / (1 + np.exp(-(rng.normal(0, 1, size=n) + 1.3 * y - 1.2)))
    auc, _se, lo, hi = delong_auc_ci(y, score)
    pairs = 10_000
    churner = rng.choice(score[y == 1], size=pairs)
    stayer = rng.choice(score[y == 0], size=pairs)
    share_higher = float(np.mean(churner > stayer) + 0.5 * np.mean(churner == stayer))
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(11, 4.4), layout="constrained")
    left, right = axes
    bins = np.linspace(0, 1, 21)
    left.hist(
        100 * score[y == 0], bins=100 * bins, color=COLORS["good"], alpha=0.6, label=f"stayers ({(y == 0).sum()})"
    )
    left.hist(
        100 * score[y == 1], bins=100 * bins, color=COLORS["bad"], alpha=0.6, label=f"churners ({(y == 1).sum()})"
    )
    left.set_xlabel("risk score (%)")
    left.set_ylabel("customers")
    left.set_title("Churners score higher on average, but the two overlap", loc="left", fontsize=11)
    left.legend(fontsize=9)
    fpr, tpr, _ = roc_curve(y, score)
    right.plot(100 * fpr, 100 * tpr, color=COLORS["main"], lw=2, label="the model's ROC curve")
    right.fill_between(100 * fpr, 0, 100 * tpr, step="post", color=COLORS["main"], alpha=0.12)
    right.plot([0, 100], [0, 100], color=COLORS["neutral"], ls="--", lw=1, label="a coin (AUC 0.5)")
    right.set_xlabel("stayers wrongly flagged (%)")
    right.set_ylabel("churners found (%)")
    right.set_title(f"AUC {auc:.2f} [{lo:.2f}, {hi:.2f}]: the shaded area", loc="left", fontsize=11)
    right.text(
        98,
        4,
        f"in {pairs:,} random pairs the churner\nscored higher {100 * share_higher:.0f}% of the time",
        ha="right",
        fontsize=9,
    )
    right.legend(loc="center right", fontsize=9)
    return np.asarray(axes)


def picture_png(name: str) -> bytes:
    """Draw the picture ``name`` with its defaults and return its PNG, as a notebook shows a figure.

    Parameters
    ----------
    name : str
        One of :data:`PICTURES`.

    Returns
    -------
    bytes
        The PNG (IPython's inline rendering: the figure's dpi, a tight bounding box).

    Examples
    --------
    >>> picture_png("interval_idea")[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    fig = np.atleast_1d(globals()[_known(name)]())[0].figure
    try:
        return print_figure(fig, "png", bbox_inches="tight")
    finally:
        plt.close(fig)


def picture(name: str) -> Any:
    """The picture ``name`` as a lesson shows it: the stored PNG, or drawn afresh.

    The stored PNG (``tools/precompute.py`` drew it with the function's defaults) is used when
    the installed versions of :data:`PICTURE_LIBRARIES` are the ones that drew it; otherwise
    the picture is drawn now (a few tenths of a second to two seconds), the same picture.

    Parameters
    ----------
    name : str
        One of :data:`PICTURES`: ``"interval_idea"``, ``"wilson_idea"``, ``"logistic_idea"``
        or ``"auc_idea"``; the function of that name draws it.

    Returns
    -------
    IPython.display.Image
        Shown by a notebook when it is a cell's last value.

    Examples
    --------
    >>> picture("wilson_idea").data[:4]
    b'\\x89PNG'
    """
    from IPython.display import Image

    data = stored_picture(_known(name))
    return Image(data=data if data is not None else picture_png(name), format="png")


def stored_picture(name: str) -> bytes | None:
    """The stored PNG of a picture, or None when it is missing, altered, or drawn with other library versions.

    Parameters
    ----------
    name : str
        One of :data:`PICTURES`.

    Returns
    -------
    bytes or None
        The PNG that ``tools/precompute.py`` stored, when the installed versions of
        :data:`PICTURE_LIBRARIES` are those that drew it and its SHA-256 is the one recorded.
    """
    from cxlib.analytics._precomputed import versions

    folder = resources.files("cxlib.teaching.plots").joinpath(PICTURE_FOLDER)
    try:
        index = json.loads(folder.joinpath("pictures.json").read_text("utf-8"))
        data = folder.joinpath(f"{name}.png").read_bytes()
    except (FileNotFoundError, ValueError):
        return None
    if index.get("versions") != versions(PICTURE_LIBRARIES):
        return None
    if index.get("pictures", {}).get(name) != hashlib.sha256(data).hexdigest():
        return None
    return data


def _known(name: str) -> str:
    if name not in PICTURES:
        raise ValueError(f"no picture {name!r}; the pictures are: {', '.join(PICTURES)}")
    return name

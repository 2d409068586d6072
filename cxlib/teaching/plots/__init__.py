"""The course's plotting style and small plotting helpers.

One look for every lesson: the Okabe-Ito colour-blind-safe palette, readable
font sizes, light grid, no top/right spines. Helpers take data plus an optional
``ax`` and return the :class:`matplotlib.axes.Axes`, so a lesson can add to them.

Examples
--------
>>> import cxlib.teaching.plots as cxp
>>> cxp.use_style()
>>> ax = cxp.interval_plot(["A", "B"], [10, 20], [5, 12], [15, 28], xlabel="NPS (points)")
>>> ax.get_xlabel()
'NPS (points)'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
from cycler import cycler
from matplotlib.transforms import Bbox

from cxlib.teaching.plots import _rendered

__all__ = [
    "PALETTE",
    "COLORS",
    "use_style",
    "new_axes",
    "interval_plot",
    "band_plot",
    "finding",
    "label_points",
    "readable",
    "save",
    "churn",
    "concepts",
    "devotees",
    "drivers",
    "economics",
    "expectations",
    "feedback",
    "health",
    "incentives",
    "nps",
    "personas",
]


#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


#: Named colours with a fixed meaning across the course.
COLORS = {
    "main": "#0072B2",  # the estimate being taught
    "contrast": "#E69F00",  # the comparison / the naive method
    "good": "#009E73",  # promoters, retained, in control
    "bad": "#D55E00",  # detractors, churned, alarm
    "neutral": "#999999",  # passives, reference lines
    "truth": "#000000",  # the simulator's ground truth
}


_RC: dict[str, Any] = {
    "figure.figsize": (7.5, 4.2),
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "savefig.bbox": "tight",
    "font.sans-serif": ["DejaVu Sans"],  # matplotlib's own font: the same figure on every machine
    "font.size": 11,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=PALETTE),
}


def use_style() -> None:
    """Apply the course style to matplotlib (and to seaborn, if it has been imported).

    Call once at the top of a lesson. Idempotent. Seaborn is not imported here (it takes
    over a second): a lesson that uses it imports it first, then calls this. In a notebook, a
    figure the lessons have shown before is not rasterised again: its PNG is looked up by a
    fingerprint of the whole figure (see ``cxlib.teaching.plots._rendered``; set the
    environment variable ``CX_RENDERED=off`` to draw every figure).
    """
    import sys

    mpl.rcParams.update(_RC)  # type: ignore[arg-type]
    sns = sys.modules.get("seaborn")
    if sns is not None:  # seaborn picks up the palette for its own functions
        sns.set_palette(PALETTE)
    shell = _inline_shell()
    if shell is not None:
        _draw_inline_figures_once(shell)
        _rendered.install(shell)


def _inline_shell() -> Any:
    """The IPython shell when figures are shown by the inline backend (a notebook), else None."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or "inline" not in str(mpl.rcParams["backend"]):
        return None
    return shell


def _draw_inline_figures_once(shell: Any) -> None:
    """In a notebook with the inline backend, draw each figure once, not twice.

    After every cell, pyplot's IPython hook redraws each new figure on its canvas
    (``draw_idle``, a full Agg render), then the inline backend renders it again into the
    PNG the notebook shows, and closes it. The first render is never seen and costs about
    40% of a lesson's plotting time, so the hook is taken out. Elsewhere (a script, another
    backend, a terminal IPython with windows) nothing changes.
    """
    hook = getattr(plt, "_draw_all_if_interactive", None)
    if hook is None:
        return
    plt.install_repl_displayhook()  # registers the hook now, so a later backend switch does not again
    try:
        shell.events.unregister("post_execute", hook)
    except ValueError:  # already taken out
        pass


def new_axes(ax: plt.Axes | None = None, figsize: tuple | None = None) -> plt.Axes:
    """Return ``ax`` or a fresh Axes in the course style.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        An Axes to draw on; returned as it is.
    figsize : tuple of float, optional
        Size in inches of a new figure (default: the course style's).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, or the Axes of a new figure.
    """
    if ax is not None:
        return ax
    use_style()
    _, ax = plt.subplots(figsize=figsize)
    return ax


def finding(ax: plt.Axes, title: str, subtitle: str | None = None) -> plt.Axes:
    """Title an Axes with its finding (and an optional grey subtitle).

    Every chart of the course titles itself with what its data and intervals support; a
    lesson that knows more (the truth of a simulation, the question it asked) calls this
    again, which replaces the chart's title and subtitle.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes to title.
    title : str
        The finding, in words the interval supports.
    subtitle : str, optional
        A second line, e.g. the data and the interval used.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    for old in [t for t in ax.texts if t.get_gid() == _SUBTITLE]:  # a chart's own subtitle, replaced
        old.remove()
    ax.set_title(title, loc="left")
    if subtitle:
        ax.add_artist(  # above the axes: not clipped to them (add_artist would clip it away)
            _Subtitle(
                0,
                1.01,
                subtitle,
                transform=ax.transAxes,
                fontsize=9.5,
                color="#555555",
                va="bottom",
                gid=_SUBTITLE,
                clip_on=False,
            )
        )
        ax.set_title(title + "\n", loc="left")
    return ax


#: Plain words for the course's column names, where a chart shows them (see :func:`readable`).
LABELS = {
    "age": "age (years)",
    "usage_gb_mean": "data used (GB a month)",
    "spend_mean": "spend a month",
    "products_held_mean": "products held",
    "help_video_views_mean": "help videos watched a month",
    "help_article_views_mean": "help pages read a month",
    "help_views_mean": "help views a month",
    "video_share": "share of help views that are videos",
    "digital_contact_share": "share of contacts by chat or e-mail",
    "tenure_months": "tenure (months)",
    "value_for_money": "value for money",
    "network_quality": "network quality",
    "ease_of_support": "ease of support",
    "friendly_polite": "friendly and polite",
    "ltr": "likelihood to recommend (0-10)",
    "retained_later": "staying later",
    "added_product": "added a product",
    "promoter": "recommends (promoter)",
}


def readable(name: Any) -> str:
    """A column name as a chart should show it: the course's plain words, else with spaces for underscores.

    Parameters
    ----------
    name : str or object
        A column name (anything else is shown as ``str(name)``).

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> readable("help_video_views_mean"), readable("contacts_chat_mean"), readable(3)
    ('help videos watched a month', 'contacts chat (mean)', '3')
    """
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if text.endswith("_mean"):
        text = text[: -len("_mean")] + " (mean)"
    return text.replace("_", " ")


#: Where :func:`label_points` tries a label, in order: (dx, dy) in points, and its alignment.
_LABEL_PLACES = [
    (4, 2, "left", "bottom"),
    (4, -2, "left", "top"),
    (-4, 2, "right", "bottom"),
    (-4, -2, "right", "top"),
    (4, 9, "left", "bottom"),
    (4, -9, "left", "top"),
    (-4, 9, "right", "bottom"),
    (-4, -9, "right", "top"),
]


def label_points(ax: plt.Axes, x: Any, y: Any, labels: Any, fontsize: float = 8) -> list:
    """Name points beside them, each label where it overlaps no label placed before it.

    Each label tries eight places around its point (right and above first) and takes the
    first that overlaps none of the labels already placed and none of the labelled points;
    when none is free it takes the first. Set the figure's size before calling: the places are
    measured on the figure as it is.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where the points are.
    x, y : sequence of float
        The points, in data coordinates.
    labels : sequence
        One label per point.
    fontsize : float, default 8
        The labels' size.

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels, in the order given.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter([1, 1.01], [1, 1.0])
    >>> a, b = label_points(ax, [1, 1.01], [1, 1.0], ["first", "second"])
    >>> bool(a.get_window_extent().overlaps(b.get_window_extent()))
    False
    >>> plt.close(fig)
    """
    try:
        renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    except AttributeError:  # a canvas that cannot measure text: the first place for every label
        renderer = None
    placed: list = []
    if renderer is not None:  # the labelled points themselves: a label does not cover a marker
        r = 3.5 * ax.figure.dpi / 72
        centres = ax.transData.transform(np.column_stack([np.asarray(x, float), np.asarray(y, float)]))
        placed = [Bbox.from_extents(cx - r, cy - r, cx + r, cy + r) for cx, cy in centres]

    def put(label: Any, xy: tuple, place: tuple) -> Any:
        dx, dy, ha, va = place
        return ax.annotate(str(label), xy, xytext=(dx, dy), textcoords="offset points", fontsize=fontsize, ha=ha, va=va)

    out = []
    for xi, yi, label in zip(x, y, labels):
        for place in _LABEL_PLACES:
            text = put(label, (xi, yi), place)
            if renderer is None:
                break
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            text.remove()
        else:  # no free place: the first one
            text = put(label, (xi, yi), _LABEL_PLACES[0])
        out.append(text)
    return out


#: the gid of a subtitle drawn by :func:`finding` (so that a second call replaces it)
_SUBTITLE = "cx-subtitle"


class _Subtitle(mpl.text.Text):
    """A finding's grey second line, drawn only while the title keeps a line free for it.

    A chart titles itself with :func:`finding`; a lesson that then sets its own one-line
    title with ``ax.set_title`` hides the chart's subtitle instead of writing over it.
    """

    def _shown(self) -> bool:
        ax: Any = self.axes
        return ax is None or ax.get_title(loc="left").endswith("\n")

    def draw(self, renderer) -> None:
        if self._shown():
            super().draw(renderer)

    def get_in_layout(self) -> bool:
        """A hidden subtitle takes no room: tight bounding boxes and layouts leave it out."""
        return self._shown() and super().get_in_layout()


def interval_plot(
    labels: Sequence[str],
    estimates: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    truth: Sequence[float] | float | None = None,
    xlabel: str = "",
    title: str = "",
    ax: plt.Axes | None = None,
    color: str | None = None,
) -> plt.Axes:
    """Horizontal dot-and-whisker plot of estimates with their intervals.

    Parameters
    ----------
    labels, estimates, low, high : sequences of equal length
        One row per estimate; ``low``/``high`` are the interval ends.
    truth : float or sequence, optional
        The true value(s), drawn as black crosses (a single value as a line).
    xlabel : str
        Label of the x axis (with units).
    title : str
        The finding the plot shows.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    color : str, optional
        Colour of the dots and whiskers (default: the course's first colour).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Its legend stands right of the plot; a panel of a figure with
        several axes gets none (say "95% interval" in its ``xlabel``).
    """
    ax = new_axes(ax, figsize=(7.5, max(2.0, 0.4 * len(labels) + 1.2)))
    y = np.arange(len(labels))
    est = np.asarray(estimates, float)
    lo, hi = np.asarray(low, float), np.asarray(high, float)
    ax.errorbar(
        est,
        y,
        xerr=[est - lo, hi - est],
        fmt="o",
        color=color or COLORS["main"],
        ecolor=color or COLORS["main"],
        capsize=3,
        label="estimate, 95% interval",
    )
    if truth is not None:
        if np.ndim(truth) == 0:
            ax.axvline(float(np.asarray(truth)), color=COLORS["truth"], ls="--", lw=1, label="truth")
        else:
            ax.plot(np.asarray(truth, float), y, "x", color=COLORS["truth"], label="truth")
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title, loc="left")
    # beside the rows, not among them: a legend's sample dot in a row reads as one more estimate.
    # A panel of a larger figure has no room beside it (the next panel is there): its x label
    # says what the bars are
    if len(ax.figure.axes) == 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
    return ax


def band_plot(
    x: Sequence,
    estimate: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    *,
    label: str = "estimate",
    color: str | None = None,
    ax: plt.Axes | None = None,
    ylabel: str = "",
    title: str = "",
) -> plt.Axes:
    """A line with a shaded interval band (e.g. a metric over time).

    Parameters
    ----------
    x : sequence
        Positions along the x axis (e.g. months).
    estimate, low, high : sequence of float
        The line and the ends of its interval at each ``x``.
    label : str
        Legend label of the line.
    color : str, optional
        Colour of the line and band.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    ylabel : str
        Label of the y axis (with units).
    title : str
        The finding the plot shows.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on.
    """
    ax = new_axes(ax)
    color = color or COLORS["main"]
    ax.plot(x, estimate, color=color, lw=2, label=label)
    ax.fill_between(x, low, high, color=color, alpha=0.2, lw=0, label=f"{label}: 95% interval")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    return ax


def save(fig_or_ax, path) -> None:
    """Save a figure (or the figure of an Axes) to ``path`` in the course style.

    Parameters
    ----------
    fig_or_ax : matplotlib.figure.Figure or matplotlib.axes.Axes
        What to save.
    path : str or path
        The file; its suffix chooses the format (``.png``, ``.svg``, ``.pdf``).
    """
    fig = fig_or_ax.figure if hasattr(fig_or_ax, "figure") and not isinstance(fig_or_ax, plt.Figure) else fig_or_ax
    fig.savefig(path)


# The charts of each concept, imported when first used (``plots.nps.segments(...)``): a lesson that
# draws no churn chart does not pay for importing scikit-learn.
_CONCEPTS = (
    "churn",
    "concepts",
    "devotees",
    "drivers",
    "economics",
    "expectations",
    "feedback",
    "health",
    "incentives",
    "nps",
    "personas",
)


def __getattr__(name: str) -> Any:
    if name in _CONCEPTS:
        import importlib

        return importlib.import_module(f"cxlib.teaching.plots.{name}")
    raise AttributeError(f"module 'cxlib.teaching.plots' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_CONCEPTS))

"""Charts of value drivers and of lagged relationships between monthly metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from cxlib.analytics.drivers import DriverAnalysis
from cxlib.checks import require_columns

__all__ = ["lags", "monthly", "drivers"]


def lags(table: pd.DataFrame, *, x_name: str = "x", y_name: str = "y", ax=None):
    """Plot a :func:`~cxlib.analytics.drivers.lagged_correlation` table: r by lag with its intervals.

    Parameters
    ----------
    table : DataFrame
        ``lag``, ``r``, ``ci_low``, ``ci_high``.
    x_name, y_name : str
        What x and y are, for the labels.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> from cxlib.analytics.drivers import lagged_correlation
    >>> x = pd.Series([0.0, 1, 0, 2, 0, 3, 0, 1, 0, 2])
    >>> ax = lags(lagged_correlation(x, x.shift(2), max_lag=3), x_name="x", y_name="y")
    >>> ax.get_xlabel() != ""
    True
    """
    from cxlib.teaching import plots

    ax = plots.new_axes(ax)
    ax.errorbar(
        table["lag"],
        table["r"],
        yerr=[table["r"] - table["ci_low"], table["ci_high"] - table["r"]],
        fmt="o",
        color=plots.COLORS["main"],
        capsize=3,
    )
    ax.axhline(0, color=plots.COLORS["neutral"], lw=1)
    ax.axvline(0, color=plots.COLORS["neutral"], lw=1, ls=":")
    best = table.loc[table["r"].abs().idxmax()]
    ax.set_xlabel(f"lag in months ({x_name} leads {y_name} when > 0)")
    ax.set_ylabel("correlation r (95% CI)")
    plots.finding(ax, *_lags_title(table, best, x_name, y_name))
    return ax


def _lags_title(table: pd.DataFrame, best: pd.Series, x_name: str, y_name: str) -> tuple[str, str]:
    """Name a strongest lag only when its interval clears every other lag's; else say what the intervals allow."""
    others = table.drop(index=best.name)
    sign = 1 if best["r"] > 0 else -1
    low = min(sign * best["ci_low"], sign * best["ci_high"])
    clears = (low > (sign * others[["ci_low", "ci_high"]]).max(axis=1)).all()
    head = f"{x_name} vs {y_name}: largest r at lag {int(best['lag'])} ({best['r']:.2f})"
    if low <= 0:
        return head, "its 95% interval includes 0: no clear lead or lag"
    if clears:
        return f"{x_name} vs {y_name}: strongest at lag {int(best['lag'])} (r = {best['r']:.2f})", "95% intervals"
    return head, "its 95% interval overlaps those of other lags: no lag is clearly the strongest"


def monthly(
    table: pd.DataFrame,
    columns: Sequence[str],
    *,
    labels: Mapping[str, str] | None = None,
    event=None,
    event_label: str = "",
    title: str = "",
):
    """Small multiples of monthly metrics (one panel each), with an optional event line.

    Parameters
    ----------
    table : DataFrame
        Indexed by month (e.g. :func:`~cxlib.analytics.drivers.monthly_metrics`).
    columns : sequence of str
        The metrics to show, one panel each.
    labels : mapping, optional
        Column -> panel label.
    event : date-like, optional
        A month to mark with a vertical line.
    event_label : str
        The event's label.
    title : str
        The figure's title (its finding). Without one, the chart says what it shows and over
        which months: a picture of monthly values makes no claim a test has checked (see
        :func:`lags` for the lagged correlations and their intervals).

    Returns
    -------
    array of matplotlib Axes

    Examples
    --------
    >>> t = pd.DataFrame({"fcr": [0.8, 0.6]}, index=pd.to_datetime(["2024-01-01", "2024-02-01"]))
    >>> axes = monthly(t, ["fcr"], event="2024-02-01")
    >>> len(axes)
    1
    """
    import matplotlib.pyplot as plt

    from cxlib.teaching import plots

    require_columns(table, columns, "monthly()")
    plots.use_style()
    # up to three panels in a column; more in two rows, so the figure stays wide enough for a slide
    ncols = 1 if len(columns) <= 3 else min(3, -(-len(columns) // 2))
    nrows = -(-len(columns) // ncols)
    width = 7.5 if ncols == 1 else 4.2 * ncols + 0.8
    fig, grid = plt.subplots(
        nrows, ncols, figsize=(width, 1.9 * nrows + 0.6 + 0.4 * (ncols > 1)), sharex=True, squeeze=False
    )
    axes = grid.ravel()[: len(columns)]
    if ncols > 1:
        fig.subplots_adjust(wspace=0.35)  # room for each panel's y label
    for spare in grid.ravel()[len(columns) :]:  # an empty slot: hidden, and the panel above it shows the months
        spare.set_visible(False)
        grid[nrows - 2, ncols - 1].xaxis.set_tick_params(labelbottom=True)
        grid[nrows - 2, ncols - 1].set_xlabel("month")
    labels = dict(labels or {})
    for ax, col, colour in zip(axes, columns, plots.PALETTE):
        s = table[col].dropna()
        ax.plot(s.index, s.to_numpy(), marker="o", ms=3, color=colour)
        ax.set_ylabel(labels.get(col, col), fontsize=9.5)
        if event is not None:
            ax.axvline(pd.Timestamp(event), color="grey", lw=1, ls="--")
    if event is not None and event_label:
        axes[0].text(
            pd.Timestamp(event), axes[0].get_ylim()[1], " " + event_label, fontsize=9, color="#555555", va="top"
        )
    if not title:
        shown = table[list(columns)].dropna(how="all").index
        span = f"{pd.Timestamp(shown.min()):%b %Y} to {pd.Timestamp(shown.max()):%b %Y}" if len(shown) else "no data"
        title = f"{len(columns)} monthly metric{'s' if len(columns) != 1 else ''}, {span}"
    axes[0].set_title(title, loc="left")
    for ax in grid[-1, :]:
        ax.set_xlabel("month")
    if ncols > 1 and isinstance(table.index, pd.DatetimeIndex):  # short month labels: "2023, Apr, Jul, Oct, 2024"
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=8)
        axes[0].xaxis.set_major_locator(locator)
        axes[0].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    return axes


def drivers(analysis: DriverAnalysis, ax=None, title: str | None = None):
    """Dot-and-whisker plot of the standardised coefficients.

    Parameters
    ----------
    analysis : DriverAnalysis
        A fitted :class:`~cxlib.analytics.drivers.DriverAnalysis`.
    ax : matplotlib Axes, optional
        Where to draw.
    title : str, optional
        The chart's title (its finding).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"])
    >>> df["y"] = 2 * df["a"] + rng.normal(size=200)
    >>> ax = drivers(DriverAnalysis().fit(df, "y", ["a", "b"]), title="a drives y")
    >>> "per SD" in ax.get_xlabel()
    True
    """
    from cxlib.teaching import plots

    s = analysis.summary
    outcome = plots.readable(analysis.outcome_)
    unit = "change in " + outcome if analysis.kind == "ols" else "log-odds of " + outcome
    names = [plots.readable(d) for d in s["driver"]]
    ax = plots.interval_plot(
        names, s["coef"], s["ci_low"], s["ci_high"], ax=ax, xlabel=f"{unit} per SD of the driver (95% CI)"
    )
    ax.axvline(0, color=plots.COLORS["neutral"], lw=1)
    ax.set_title(title or f"'{names[0]}' goes with {outcome} most (association)", loc="left")
    return ax

"""Charts of NPS: segments with intervals, and NPS over time with its band."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxlib.analytics.nps import SegmentNPS

__all__ = ["over_time", "segments"]


def over_time(
    table: pd.DataFrame,
    *,
    ax: Any = None,
    truth: pd.Series | None = None,
    label: str = "survey NPS",
    color: str | None = None,
    title: str | None = None,
    truth_label: str = "true NPS",
) -> Any:
    """Plot a table from :func:`nps_over_time` as a line with its interval band.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`nps_over_time` (index = period start).
    ax : matplotlib Axes, optional
        Where to draw.
    truth : Series, optional
        A reference series (e.g. the simulator's true NPS by month), drawn as a black dashed line.
    label, color, title, truth_label : str, optional
        The survey line's label and colour, the title, the truth's label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from cxlib.analytics.nps import nps_over_time
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2024-01-05", "2024-02-20", "2024-03-03"]), "ltr": [10, 3, 9]})
    >>> ax = over_time(nps_over_time(df, "ltr", "d"))
    >>> ax.get_ylabel()
    'NPS (points)'
    """
    from cxlib.teaching import plots

    ax = plots.band_plot(
        table.index,
        table["nps"],
        table["ci_low"],
        table["ci_high"],
        label=label,
        color=color,
        ax=ax,
        ylabel="NPS (points)",
    )
    ax.plot(table.index, table["nps"], "o", color=color or plots.COLORS["main"], ms=4)
    if truth is not None:
        ax.plot(truth.index, truth.to_numpy(), color=plots.COLORS["truth"], ls="--", lw=1.5, label=truth_label)
    ax.axhline(0, color=plots.COLORS["neutral"], lw=0.8)
    level = table.attrs.get("level", 0.95)
    ax.set_title(title or f"{label} with {level:.0%} intervals", loc="left")
    ax.legend(loc="best", fontsize=9)
    return ax


def segments(result: SegmentNPS, ax: Any = None, truth: Any = None, title: str | None = None) -> Any:
    """Dot-and-whisker plot of each segment's NPS and interval, with the overall NPS dotted.

    Parameters
    ----------
    result : SegmentNPS
        From :func:`~cxlib.analytics.nps.nps_by` or :func:`~cxlib.analytics.nps.nps_by_from_counts`.
    ax : matplotlib Axes, optional
        Where to draw.
    truth : float or sequence, optional
        True NPS (one value, or one per segment) to mark.
    title : str, optional
        The title (default: "NPS by <segment> with 95% intervals").

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics.nps import nps_by
    >>> df = pd.DataFrame({"plan": ["A", "A", "B"], "ltr": [10, 3, 9]})
    >>> segments(nps_by(df, "ltr", "plan")).get_title(loc="left")
    'NPS by plan with 95% intervals'
    """
    from cxlib.teaching import plots

    t = result.summary
    labels = [str(i) for i in t.index]
    ax = plots.interval_plot(
        labels, t["nps"], t["ci_low"], t["ci_high"], truth=truth, xlabel="NPS (points, -100 to 100)", ax=ax
    )
    ax.axvline(result.overall.nps, color=plots.COLORS["neutral"], lw=1, ls=":", label="overall")
    ax.set_ylabel(", ".join(map(str, result.segment_columns)))
    ax.set_title(
        title or f"NPS by {', '.join(map(str, result.segment_columns))} with {result.level:.0%} intervals", loc="left"
    )
    return ax

"""Charts of agent feedback: rankings with intervals, funnel, control charts, case mix, team."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics.feedback.agents import AgentFeedback, funnel_limits
from cxlib.analytics.feedback.monitoring import FeedbackMonitor

__all__ = ["ranking", "funnel", "control_chart", "case_mix", "scorecard", "detection", "agent", "monitor", "agents"]


# --------------------------------------------------------------------------------------
# plots (each returns the Axes)
# --------------------------------------------------------------------------------------
def _ax(ax: Any, figsize: Any = None) -> Any:
    from cxlib.teaching.plots import new_axes

    return new_axes(ax, figsize=figsize)


def agent(summary: pd.DataFrame, chart: pd.DataFrame, agent_id: str, axes: Any = None) -> Any:
    """Two panels for one agent: estimate and intervals against the others; their EWMA chart.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`AgentFeedback.summary` of all agents.
    chart : pandas.DataFrame
        The agent's chart from :func:`~cxlib.analytics.feedback.agent_chart`.
    agent_id : str
        The agent.
    axes : pair of matplotlib Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    pair of matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics import feedback as F
    >>> df = pd.DataFrame({"agent_id": ["A", "B"] * 60, "csat": [5, 4, 2, 5] * 30,
    ...                    "date": pd.date_range("2023-01-01", periods=120, freq="7D")})
    >>> fb = F.AgentFeedback().fit(df)
    >>> ax0, ax1 = agent(fb.summary, F.agent_chart(df, "A", baseline_until="2023-12-31"), "A")
    >>> ax0.get_xlabel()
    'share satisfied (CSAT 4-5)'
    """
    import matplotlib.pyplot as plt

    from cxlib.teaching.plots import COLORS, use_style

    if axes is None:
        use_style()
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1, 1.6]})
    ax0, ax1 = axes
    r = summary.set_index("agent").loc[str(agent_id)]
    overall = float(summary["satisfied"].sum() / summary["n"].sum())
    ax0.errorbar(
        [r["raw_rate"]],
        [1],
        xerr=[[r["raw_rate"] - r["raw_low"]], [r["raw_high"] - r["raw_rate"]]],
        fmt="o",
        color=COLORS["contrast"],
        capsize=4,
        label="raw, 95% Wilson",
    )
    ax0.errorbar(
        [r["shrunk_rate"]],
        [0],
        xerr=[[r["shrunk_rate"] - r["low"]], [r["high"] - r["shrunk_rate"]]],
        fmt="o",
        color=COLORS["main"],
        capsize=4,
        label="shrunk, 95% credible",
    )
    ax0.axvline(overall, color=COLORS["neutral"], ls="--", lw=1, label="all agents")
    ax0.set_yticks([0, 1], ["shrunk", "raw"])
    ax0.set_ylim(-0.8, 1.8)
    ax0.set_xlim(0, 1)
    ax0.set_xlabel("share satisfied (CSAT 4-5)")
    ax0.set_title(
        f"{agent_id}: {r['shrunk_rate']:.0%} [{r['low']:.0%}, {r['high']:.0%}] on n={int(r['n'])}",
        loc="left",
        fontsize=10.5,
    )
    ax0.legend(fontsize=8, loc="lower left")
    control_chart(chart, ax=ax1)
    alarms = int((chart["signal"] == "above").sum())
    ax1.set_title(
        f"{agent_id}: {alarms} month(s) above the EWMA limit" if alarms else f"{agent_id}: no change beyond chance",
        loc="left",
        fontsize=10.5,
    )
    if isinstance(chart.index, pd.DatetimeIndex):
        import matplotlib.dates as mdates

        ax1.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax1.tick_params(axis="x", rotation=30, labelsize=9)
    return axes


def ranking(
    summary: pd.DataFrame,
    truth: pd.Series | Mapping[str, pd.Series] | None = None,
    top: int | None = None,
    ax: Any = None,
) -> Any:
    """Raw rate (Wilson) and shrunk rate (interval) per agent, sorted by the shrunk rate.

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`AgentFeedback.summary`, or a subset of its agents (e.g. the top and bottom few).
    truth : Series or dict of Series, optional
        True rates indexed by agent, or ``{label: Series}`` for several truths (e.g.
        quality on the agent's own contacts and on a standard mix): black crosses for
        the first, hollow diamonds for the second.
    top : int, optional
        Show only the best ``top`` agents.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics.feedback import AgentFeedback
    >>> s = AgentFeedback().fit_counts([40, 30, 9], [50, 50, 10], ["A", "B", "C"]).summary
    >>> ranking(s).get_xlabel()
    'share of satisfied answers (CSAT 4-5)'
    """
    from cxlib.teaching.plots import COLORS, finding

    s = summary.sort_values("shrunk_rate", ascending=False)
    if top:
        s = s.head(top)
    ax = _ax(ax, figsize=(7.5, max(2.5, 0.28 * len(s) + 1.2)))
    y = np.arange(len(s))
    ax.errorbar(
        s["raw_rate"],
        y - 0.15,
        xerr=[s["raw_rate"] - s["raw_low"], s["raw_high"] - s["raw_rate"]],
        fmt="o",
        ms=4,
        color=COLORS["contrast"],
        capsize=2,
        lw=1,
        label="raw rate, 95% Wilson",
    )
    ax.errorbar(
        s["shrunk_rate"],
        y + 0.15,
        xerr=[s["shrunk_rate"] - s["low"], s["high"] - s["shrunk_rate"]],
        fmt="o",
        ms=4,
        color=COLORS["main"],
        capsize=2,
        lw=1,
        label="shrunk, 95% credible",
    )
    truths = {"true quality": truth} if isinstance(truth, pd.Series) else dict(truth or {})
    styles = [
        dict(marker="x", color=COLORS["truth"], ls="none", ms=7),
        dict(marker="D", mfc="none", mec=COLORS["truth"], ls="none", ms=5),
    ]
    for (label, tr), style in zip(truths.items(), styles):
        ax.plot(s["agent"].map(tr), y, label=label, **style)
    ax.set_yticks(y, [f"{a} (n={n})" for a, n in zip(s["agent"], s["n"])], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("share of satisfied answers (CSAT 4-5)")
    ax.legend(loc="lower right", fontsize=8)
    finding(ax, *_ranking_title(summary, shown=len(s)))
    return ax


def _ranking_title(summary: pd.DataFrame, shown: int) -> tuple[str, str]:
    """How many agents' credible intervals lie wholly above or below the overall satisfied share."""
    overall = float(summary["satisfied"].sum() / summary["n"].sum())
    above, below = int((summary["low"] > overall).sum()), int((summary["high"] < overall).sum())
    sub = f"overall {overall:.0%} satisfied; shrunk rates with 95% credible intervals"
    if shown < len(summary):
        sub += f"; {shown} of {len(summary)} agents shown"
    if above == below == 0:
        return f"No agent's interval lies clear of the overall rate ({len(summary)} agents)", sub
    return f"Clear of the overall rate: {above} above it, {below} below (of {len(summary)} agents)", sub


def funnel(summary: pd.DataFrame, p0: float | None = None, ax: Any = None, label_outside: bool = True) -> Any:
    """Funnel plot: each agent's raw rate against n, with 95% and 99.8% limits (Spiegelhalter 2005).

    Parameters
    ----------
    summary : pandas.DataFrame
        :attr:`AgentFeedback.summary`.
    p0 : float, optional
        The centre (default: all agents' satisfied share).
    ax : matplotlib Axes, optional
        Where to draw.
    label_outside : bool
        Name the agents outside the 99.8% limits (set the figure's size first: the labels are
        placed so as not to overlap on the figure as it is).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics.feedback import AgentFeedback
    >>> s = AgentFeedback().fit_counts([40, 30, 9], [50, 50, 10], ["A", "B", "C"]).summary
    >>> funnel(s).get_xlabel()
    'answered surveys (n)'
    """
    from cxlib.teaching.plots import COLORS, finding, label_points

    ax = _ax(ax)
    p0 = float(summary["satisfied"].sum() / summary["n"].sum()) if p0 is None else p0
    # the exact limits at whole numbers of answers: every one where the funnel bends most, 200 beyond,
    # and each agent's own (so that a dot is beyond the drawn line exactly when it is flagged)
    lo, hi = max(1, int(summary["n"].min() * 0.8)), max(2, int(np.ceil(summary["n"].max() * 1.1)))
    grid = np.unique(np.r_[np.arange(lo, min(hi, 60) + 1), np.round(np.geomspace(lo, hi, 200)), summary["n"]])
    lim = funnel_limits(p0, grid)
    ax.plot(grid, lim["low_1.96"], color=COLORS["neutral"], ls="--", lw=1, label="95% limits")
    ax.plot(grid, lim["high_1.96"], color=COLORS["neutral"], ls="--", lw=1)
    ax.plot(grid, lim["low_3.09"], color=COLORS["bad"], ls="-", lw=1, label="99.8% limits")
    ax.plot(grid, lim["high_3.09"], color=COLORS["bad"], ls="-", lw=1)
    ax.axhline(p0, color=COLORS["neutral"], lw=1)
    out = summary["funnel"].str.contains("99.8") if "funnel" in summary else pd.Series(False, summary.index)
    ax.scatter(summary["n"], summary["raw_rate"], s=18, color=COLORS["main"], label="agent", zorder=3)
    if out.any():
        ax.scatter(
            summary.loc[out, "n"],
            summary.loc[out, "raw_rate"],
            s=40,
            facecolor="none",
            edgecolor=COLORS["bad"],
            lw=1.5,
            label="outside 99.8%",
            zorder=4,
        )
        if label_outside:
            named = summary[out]
            label_points(ax, named["n"], named["raw_rate"], named["agent"])
    ax.set_xlabel("answered surveys (n)")
    ax.set_ylabel("share satisfied (CSAT 4-5)")
    ax.legend(loc="lower right", fontsize=8)
    chance = 0.002 * len(summary)
    finding(
        ax,
        f"{int(out.sum())} of {len(summary)} agents sit outside the 99.8% limits",
        f"about {chance:.1f} would by chance alone; centre {p0:.0%} satisfied (Spiegelhalter 2005)",
    )
    return ax


@renamed_arguments(value="value_column")
def control_chart(
    chart: pd.DataFrame,
    value_column: str | None = None,
    ax: Any = None,
    title: str = "",
    ylabel: str = "share dissatisfied (CSAT 1-3)",
) -> Any:
    """Draw a control chart from :func:`p_chart` / :func:`ewma_chart` output (or a monitor's chart).

    Parameters
    ----------
    chart : pandas.DataFrame
        ``centre``, ``lcl``, ``ucl`` and the charted column, one row per period.
    value_column : str, optional
        The charted column (default ``ewma`` if present, else ``p``); points beyond
        the limits are marked.
    ax : matplotlib Axes, optional
        Where to draw.
    title, ylabel : str
        Title and y-axis label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics.feedback import ewma_chart
    >>> ax = control_chart(ewma_chart([5, 9, 20], [50] * 3, p0=0.1), title="EWMA")
    >>> ax.get_ylabel()
    'share dissatisfied (CSAT 1-3)'
    """
    from cxlib.teaching.plots import COLORS

    ax = _ax(ax)
    value = value_column or ("ewma" if "ewma" in chart else "p")
    x = chart.index
    if value == "ewma" and "p" in chart:
        ax.plot(x, chart["p"], ".", color=COLORS["neutral"], ms=4, label="period rate")
    shown = {"p": "period rate", "ewma": "smoothed rate (EWMA)"}.get(value, value)
    ax.plot(x, chart[value], "-o", ms=3, color=COLORS["main"], label=shown)
    ax.step(x, chart["ucl"], where="mid", color=COLORS["bad"], lw=1, label="control limits")
    ax.step(x, chart["lcl"], where="mid", color=COLORS["bad"], lw=1)
    ax.plot(x, chart["centre"], color=COLORS["neutral"], lw=1, ls="--", label="centre (baseline)")
    out = (chart[value] > chart["ucl"]) | (chart[value] < chart["lcl"])
    if out.any():
        ax.plot(
            x[out.to_numpy()],
            chart.loc[out, value],
            "o",
            ms=8,
            mfc="none",
            mec=COLORS["bad"],
            mew=2,
            label="alarm: investigate",
        )
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def case_mix(adjusted: pd.DataFrame, highlight: Sequence[str] = (), ax: Any = None) -> Any:
    """Raw vs case-mix-adjusted rate per agent (a slope chart).

    Parameters
    ----------
    adjusted : pandas.DataFrame
        The output of :func:`~cxlib.analytics.feedback.case_mix`.
    highlight : sequence of str
        Agents to colour.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame({"agent": ["A", "B"], "raw_rate": [0.5, 0.8], "adjusted_rate": [0.7, 0.75]})
    >>> case_mix(t, highlight=["A"]).get_ylabel()
    'share satisfied (CSAT 4-5)'
    """
    from cxlib.teaching.plots import COLORS, finding

    ax = _ax(ax)
    hl = set(map(str, highlight))
    for _, r in adjusted.iterrows():
        c = COLORS["bad"] if r["agent"] in hl else COLORS["neutral"]
        ax.plot(
            [0, 1],
            [r["raw_rate"], r["adjusted_rate"]],
            "-o",
            ms=3,
            color=c,
            lw=1.5 if c != COLORS["neutral"] else 0.6,
            alpha=1 if r["agent"] in hl else 0.5,
        )
    ax.set_xticks([0, 1], ["raw", "adjusted for case mix"])
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylabel("share satisfied (CSAT 4-5)")
    moved = (adjusted["adjusted_rate"] - adjusted["raw_rate"]).abs() * 100
    raw_rank = adjusted["raw_rate"].rank(ascending=False, method="min")
    new_rank = adjusted["adjusted_rate"].rank(ascending=False, method="min")
    finding(
        ax,
        f"Adjusting for case mix moves agents' rates by up to {moved.max():.1f} points",
        f"median {moved.median():.1f} points; {int((raw_rank != new_rank).sum())} of {len(adjusted)} agents change rank",
    )
    return ax


def scorecard(scorecard: pd.DataFrame, ax: Any = None, max_agents: int = 40) -> Any:
    """Heatmap of the quality scorecard (percentile within team, higher is better).

    Parameters
    ----------
    scorecard : pandas.DataFrame
        The output of :func:`~cxlib.analytics.feedback.quality_scorecard`.
    ax : matplotlib Axes, optional
        Where to draw.
    max_agents : int
        Agents shown at most.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> sc = pd.DataFrame({"agent": ["A", "B"], "team": "T", "quality": [60.0, 40.0],
    ...                    "score_resolution": [100.0, 50.0], "score_empathy": [20.0, 30.0]})
    >>> [t.get_text() for t in scorecard(sc).get_xticklabels()]
    ['resolution', 'empathy']
    """
    from cxlib.teaching.plots import finding

    ax = _ax(ax, figsize=(7.5, max(3, 0.22 * min(len(scorecard), max_agents) + 1)))
    cols = [c for c in scorecard.columns if c.startswith("score_")]
    s = scorecard.sort_values(["team", "quality"], ascending=[True, False]).head(max_agents)
    im = ax.imshow(s[cols].to_numpy(float), aspect="auto", cmap="cividis", vmin=0, vmax=100)
    ax.set_xticks(range(len(cols)), [c[len("score_") :] for c in cols])
    one_team = s["team"].nunique() == 1  # then the team is in the title, not on every row
    rows = list(s["agent"]) if one_team else [f"{a} · {t}" for a, t in zip(s["agent"], s["team"])]
    ax.set_yticks(range(len(s)), rows, fontsize=9 if one_team else 8)
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="percentile within team")
    teams = s["team"].nunique()
    shown = f"{len(s)} of {len(scorecard)} agents" if len(s) < len(scorecard) else f"{len(s)} agents"
    finding(
        ax,
        f"Quality scorecard: {shown} in {teams} team{'s' if teams != 1 else ''}",
        "each cell: the agent's percentile within the team (higher is better)",
    )
    return ax


def detection(sims: pd.DataFrame, ax: Any = None) -> Any:
    """Distribution of the time to detect a problem, by survey cadence (box plot, days).

    Parameters
    ----------
    sims : pandas.DataFrame
        The output of :func:`~cxlib.analytics.feedback.simulate_pulse_detection`.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics.feedback import simulate_pulse_detection
    >>> detection(simulate_pulse_detection(n_sims=50)).get_xlabel()
    'days from the problem starting to the first survey signal'
    """
    from cxlib.teaching.plots import COLORS, finding

    ax = _ax(ax)
    cats = list(sims["cadence"].cat.categories) if hasattr(sims["cadence"], "cat") else sorted(sims["cadence"].unique())
    data = [sims.loc[sims["cadence"] == c, "delay_days"].dropna().to_numpy() for c in cats]
    ax.boxplot(
        data,
        orientation="horizontal",
        tick_labels=cats,
        showfliers=False,
        medianprops={"color": COLORS["bad"], "lw": 2},
    )
    ax.set_xlabel("days from the problem starting to the first survey signal")
    ax.invert_yaxis()
    medians = {c: float(np.median(d)) for c, d in zip(cats, data) if len(d)}
    fastest = min(medians, key=medians.__getitem__)
    slowest = max(medians, key=medians.__getitem__)
    finding(
        ax,
        f"{str(fastest).capitalize()} surveys signal a problem first: median {medians[fastest]:.0f} days"
        f" ({slowest}: {medians[slowest]:.0f})",
        f"{sims['sim'].nunique():,} simulated problems per cadence; of those signalled: box = middle half, "
        "thick line = median"
        f" ({int(sims['delay_days'].isna().sum()):,} runs never signalled)",
    )
    return ax


def monitor(mon: FeedbackMonitor, unit: str = "all", chart: str = "ewma", ax: Any = None) -> Any:
    """Control chart of one unit of a :class:`FeedbackMonitor` (see :func:`control_chart`).

    Parameters
    ----------
    mon : FeedbackMonitor
        A monitor with at least one update.
    unit : str
        ``"all"``, a team or an agent.
    chart : {"ewma", "p"}
        Which chart.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from cxlib.analytics.feedback import FeedbackMonitor, simulate_stream
    >>> agents = pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["T1", "T2"], "true_csat": 0.8})
    >>> mon = FeedbackMonitor(simulate_stream(agents, days=20, seed=1))
    >>> _ = mon.update(simulate_stream(agents, days=1, start="2024-02-01", seed=2))
    >>> monitor(mon, "T1").get_title(loc="left")
    'EWMA-chart of dissatisfaction: T1'
    """
    h = mon.chart(unit)
    if chart == "ewma":
        df = h.rename(columns={"ewma_lcl": "lcl", "ewma_ucl": "ucl"})
    else:
        df = h.rename(columns={"p_lcl": "lcl", "p_ucl": "ucl"})
    return control_chart(
        df,
        value_column="ewma" if chart == "ewma" else "p",
        ax=ax,
        title=f"{'EWMA' if chart == 'ewma' else 'p'}-chart of dissatisfaction: {unit}",
    )


def agents(
    fb: AgentFeedback, ax: Any = None, truth: pd.Series | Mapping[str, pd.Series] | None = None, top: int | None = None
) -> Any:
    """Raw vs shrunk rates with intervals of a fitted :class:`AgentFeedback` (see :func:`ranking`).

    Parameters
    ----------
    fb : AgentFeedback
        Fitted.
    ax : matplotlib Axes, optional
        Where to draw.
    truth : Series or dict of Series, optional
        True rates (see :func:`ranking`).
    top : int, optional
        Show only the best ``top`` agents.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> fb = AgentFeedback().fit_counts([40, 30, 9], [50, 50, 10], ["A", "B", "C"])
    >>> len(agents(fb).get_yticks())
    3
    """
    return ranking(fb.summary, truth=truth, top=top, ax=ax)

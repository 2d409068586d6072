"""Developing the team: a quality scorecard, training needs, a plan, and pulse vs annual surveys.

:func:`quality_scorecard`, :func:`training_needs` and :func:`development_plan` turn
contacts and feedback into a coaching plan (a quality framework, article 001 point
5); :func:`simulate_pulse_detection` compares how fast annual and pulse employee
surveys notice a problem (point 6).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from cxlib._deprecation import renamed_arguments
from cxlib.analytics.feedback._frames import check_frame
from cxlib.errors import CxError

__all__ = [
    "EMPATHY_WORDS",
    "quality_scorecard",
    "training_needs",
    "development_plan",
    "simulate_pulse_detection",
    "detection_summary",
    "DEFAULT_CADENCES",
]


# --------------------------------------------------------------------------------------
# quality framework (article 001, point 5)
# --------------------------------------------------------------------------------------
#: Words and phrases that mark an empathetic reply (lower case, matched as substrings).
EMPATHY_WORDS = (
    "sorry",
    "apolog",
    "understand",
    "thank",
    "appreciate",
    "happy to help",
    "glad",
    "frustrat",
    "i know how",
    "i can see",
    "my pleasure",
)


#: Dimension -> (CX principle, raw column, higher is better?)
_DIMENSIONS = {
    "resolution": ("solve it the first time", "fcr_rate", True),
    "responsiveness": ("answer quickly", "wait_median", False),
    "efficiency": ("respect the customer's time", "handle_median", False),
    "empathy": ("it's how you say it", "empathy_share", True),
    "ease": ("make it effortless", "effort_mean", False),
}


_ACTIONS = {  # what to work on; how it is delivered (coaching, group training, ...) is the plan's format
    "resolution": ("product and troubleshooting modules (e-learning); owning the problem", "first-contact resolution"),
    "responsiveness": ("review schedule and queue with the team lead", "median wait (minutes)"),
    "efficiency": ("call and e-mail structure; knowledge-base shortcuts", "median handle time (minutes)"),
    "empathy": ("recorded calls and e-mails reviewed against the tone guide", "share of replies with empathy language"),
    "ease": ("owning the request: fewer transfers and repeat requests", "mean customer effort (1-5)"),
}


def _agent_measures(it: pd.DataFrame, cols: Mapping[str, str], empathy_words: Sequence[str]) -> pd.DataFrame:
    """Per agent: team, contacts and the raw measures of the scorecard."""
    pattern = "|".join(re.escape(w.lower()) for w in empathy_words)
    emp = it[cols["reply_column"]].fillna("").astype(str).str.lower().str.contains(pattern, regex=True)
    g = pd.DataFrame(
        {
            "agent": it[cols["agent_column"]].astype(str),
            "team": it[cols["team_column"]].astype(str),
            "fcr": pd.to_numeric(it[cols["fcr_column"]], errors="coerce"),
            "wait": pd.to_numeric(it[cols["wait_column"]], errors="coerce"),
            "handle": pd.to_numeric(it[cols["handle_column"]], errors="coerce"),
            "emp": emp.astype(float),
        }
    )
    return g.groupby("agent", sort=True).agg(
        team=("team", lambda s: s.mode().iat[0]),
        contacts=("fcr", "size"),
        fcr_rate=("fcr", "mean"),
        wait_median=("wait", "median"),
        handle_median=("handle", "median"),
        empathy_share=("emp", "mean"),
    )


@renamed_arguments(
    agent="agent_column",
    team="team_column",
    fcr="fcr_column",
    wait="wait_column",
    handle="handle_column",
    reply="reply_column",
    effort="effort_column",
)
def quality_scorecard(
    interactions: pd.DataFrame,
    feedback: pd.DataFrame | None = None,
    *,
    agent_column: str = "agent_id",
    team_column: str = "team",
    fcr_column: str = "resolved_first_contact",
    wait_column: str = "wait_minutes",
    handle_column: str = "handle_minutes",
    reply_column: str = "agent_reply",
    effort_column: str = "effort",
    empathy_words: Sequence[str] = EMPATHY_WORDS,
    min_contacts: int = 20,
) -> pd.DataFrame:
    """Score each agent's interactions against CX principles, relative to their team.

    Dimensions (principle → measure): resolution (first-contact resolution rate),
    responsiveness (median wait), efficiency (median handle time), empathy (share of
    replies using empathy language), and, if ``feedback`` is given, ease (mean
    customer effort, 1 = very low). Each ``score_<dimension>`` is the agent's
    percentile within their team (0-100, higher is better), so agents are compared
    with colleagues who face the same queue and channel. ``quality`` is the mean
    score. Agents with fewer than ``min_contacts`` contacts get ``few_contacts=True``:
    read their scores with care.

    Parameters
    ----------
    interactions : pandas.DataFrame
        One row per contact.
    feedback : pandas.DataFrame, optional
        Survey answers with a customer-effort column (adds the *ease* dimension).
    agent_column, team_column, fcr_column, wait_column, handle_column, reply_column, effort_column : str
        The columns: agent, team, first-contact resolution (0/1), wait and handle time
        (minutes), the agent's reply text, and (in ``feedback``) the effort score.
    empathy_words : sequence of str
        Words and phrases that mark an empathetic reply.
    min_contacts : int
        Fewer contacts than this: ``few_contacts=True``.

    Returns
    -------
    pandas.DataFrame
        One row per agent: team, contacts, the raw measures, ``score_<dimension>``,
        ``quality`` and ``few_contacts``; ``attrs["dimensions"]`` lists the dimensions.

    Raises
    ------
    ValidationError
        If a column is missing.

    Examples
    --------
    >>> it = pd.DataFrame({"agent_id": ["A", "A", "B", "B"], "team": "T",
    ...     "resolved_first_contact": [1, 1, 0, 1], "wait_minutes": [1.0, 2, 5, 6],
    ...     "handle_minutes": [5.0, 6, 9, 7], "agent_reply": ["Sorry for the wait", "Done", "Done", "Ok"]})
    >>> sc = quality_scorecard(it, min_contacts=1)
    >>> sc[["agent", "fcr_rate", "empathy_share", "score_resolution", "quality"]]
      agent  fcr_rate  empathy_share  score_resolution  quality
    0     A       1.0            0.5             100.0    100.0
    1     B       0.5            0.0              50.0     50.0
    """
    cols = {"agent_column": agent_column, "team_column": team_column, "fcr_column": fcr_column,
            "wait_column": wait_column, "handle_column": handle_column, "reply_column": reply_column}  # fmt: skip
    check_frame(interactions, cols, source="interactions")
    sc = _agent_measures(interactions, cols, empathy_words)
    dims = ["resolution", "responsiveness", "efficiency", "empathy"]
    if feedback is not None:
        check_frame(feedback, {"agent_column": agent_column, "effort_column": effort_column}, source="feedback")
        e = pd.to_numeric(feedback[effort_column], errors="coerce")
        eff = e.groupby(feedback[agent_column].astype(str)).agg(["mean", "count"])
        sc["effort_mean"], sc["effort_n"] = eff["mean"].reindex(sc.index), eff["count"].reindex(sc.index).fillna(0)
        dims.append("ease")
    for dim in dims:
        _, col, higher = _DIMENSIONS[dim]
        sc[f"score_{dim}"] = sc.groupby("team")[col].rank(pct=True, ascending=higher) * 100
    sc["quality"], sc["few_contacts"] = sc[[f"score_{d}" for d in dims]].mean(axis=1), sc["contacts"] < min_contacts
    out = sc.astype({"effort_n": int} if "effort_n" in sc else {}).reset_index().rename(columns={"index": "agent"})
    out.attrs["dimensions"] = dims
    return out


def training_needs(scorecard: pd.DataFrame, *, k: int = 2, threshold: float = 40.0) -> pd.DataFrame:
    """Each agent's training needs: their ``k`` lowest dimensions scoring below ``threshold``.

    Parameters
    ----------
    scorecard : pandas.DataFrame
        The output of :func:`quality_scorecard`.
    k : int
        Needs per agent at most.
    threshold : float
        A dimension is a need when its score (percentile within team) is below this.

    Returns
    -------
    pandas.DataFrame
        A long table: agent, team, dimension, principle, score, value (the agent's
        measure), team_median (the team's) and gap (value - team median).

    Examples
    --------
    >>> sc = pd.DataFrame({"agent": ["A", "B"], "team": "T", "fcr_rate": [0.9, 0.5],
    ...     "empathy_share": [0.2, 0.6], "score_resolution": [100.0, 50.0], "score_empathy": [50.0, 100.0]})
    >>> training_needs(sc, threshold=60)[["agent", "dimension", "score"]]
      agent   dimension  score
    0     A     empathy   50.0
    1     B  resolution   50.0
    """
    dims = [c[len("score_") :] for c in scorecard.columns if c.startswith("score_")]
    if not dims:
        raise CxError("the scorecard has no score_* columns: build it with quality_scorecard().")
    long = scorecard.melt(
        id_vars=["agent", "team"], value_vars=[f"score_{d}" for d in dims], var_name="dimension", value_name="score"
    )
    long["dimension"] = long["dimension"].str[len("score_") :]
    long = long[long["score"] < threshold].sort_values(["agent", "score"], kind="mergesort")
    long = long.groupby("agent", sort=True).head(k).reset_index(drop=True)
    value, med = [], []
    for dim, grp in long.groupby("dimension"):
        col = _DIMENSIONS[dim][1]
        v = scorecard.set_index("agent")[col]
        tm = scorecard.groupby("team")[col].median()
        value.append(pd.Series(v.reindex(grp["agent"]).to_numpy(), index=grp.index))
        med.append(pd.Series(tm.reindex(grp["team"]).to_numpy(), index=grp.index))
    long["principle"] = long["dimension"].map(lambda d: _DIMENSIONS[d][0])
    long["value"] = pd.concat(value) if value else pd.Series(dtype=float)
    long["team_median"] = pd.concat(med) if med else pd.Series(dtype=float)
    long["gap"] = long["value"] - long["team_median"]
    return long[["agent", "team", "dimension", "principle", "score", "value", "team_median", "gap"]]


def development_plan(
    needs: pd.DataFrame,
    scorecard: pd.DataFrame | None = None,
    *,
    start: str = "2024-07-01",
    review_weeks: int = 6,
    group_share: float = 1 / 3,
) -> pd.DataFrame:
    """A development plan: one row per need, with action, format, measure, target and review date.

    Format is ``group training`` when at least ``group_share`` of a team's agents
    (from ``scorecard``, if given) share the need, else ``1:1 coaching`` (or
    ``process review`` for waiting time, usually a staffing issue, not a skill).

    Parameters
    ----------
    needs : pandas.DataFrame
        The output of :func:`training_needs`.
    scorecard : pandas.DataFrame, optional
        The scorecard, for the team sizes (else the agents in ``needs``).
    start : str
        The plan's start date.
    review_weeks : int
        Weeks to the review.
    group_share : float
        Share of a team sharing a need above which it becomes group training.

    Returns
    -------
    pandas.DataFrame
        agent, team, need, action, format, measure, now, target, review.

    Examples
    --------
    >>> needs = pd.DataFrame({"agent": ["A"], "team": ["T"], "dimension": ["empathy"],
    ...     "principle": ["it's how you say it"], "score": [10.0], "value": [0.1],
    ...     "team_median": [0.4], "gap": [-0.3]})
    >>> team = pd.DataFrame({"agent": list("ABCD"), "team": "T"})
    >>> development_plan(needs, team)[["agent", "format", "target", "review"]]
      agent         format  target      review
    0     A  1:1 coaching     0.4  2024-08-12
    """
    if needs.empty:
        return pd.DataFrame(columns=["agent", "team", "need", "action", "format", "measure", "now", "target", "review"])
    team_size = (
        scorecard.groupby("team")["agent"].nunique()
        if scorecard is not None
        else needs.groupby("team")["agent"].nunique()
    )
    share = needs.groupby(["team", "dimension"])["agent"].transform("nunique") / needs["team"].map(team_size)
    fmt = np.where(share >= group_share, "group training", "1:1 coaching")
    fmt = np.where(needs["dimension"].eq("responsiveness"), "process review", fmt)
    review = (pd.Timestamp(start) + pd.Timedelta(weeks=review_weeks)).date().isoformat()
    return pd.DataFrame(
        {
            "agent": needs["agent"].to_numpy(),
            "team": needs["team"].to_numpy(),
            "need": needs["dimension"].to_numpy(),
            "action": needs["dimension"].map(lambda d: _ACTIONS[d][0]).to_numpy(),
            "format": fmt,
            "measure": needs["dimension"].map(lambda d: _ACTIONS[d][1]).to_numpy(),
            "now": needs["value"].round(2).to_numpy(),
            "target": needs["team_median"].round(2).to_numpy(),
            "review": review,
        }
    )


# --------------------------------------------------------------------------------------
# employee pulse surveys (article 001, point 6)
# --------------------------------------------------------------------------------------
#: cadence -> (days between surveys, respondents per survey)
DEFAULT_CADENCES = {"annual": (365, 300), "quarterly": (91, 150), "monthly": (30, 60), "weekly": (7, 30)}


def _one_cadence(
    rng: np.random.Generator,
    start: np.ndarray,
    interval: int,
    m: int,
    p_before: float,
    p_after: float,
    z: float,
    horizon_days: int,
) -> pd.DataFrame:
    """One cadence of :func:`simulate_pulse_detection`: delay and false alarms of every simulated year."""
    n_sims = len(start)
    phase = rng.uniform(0, interval, n_sims)
    k = int(math.ceil((horizon_days + 365) / interval)) + 1
    times = phase[:, None] + interval * np.arange(k)[None, :]
    after = times >= start[:, None]
    fav = rng.binomial(m, np.where(after, p_after, p_before)) / m
    sig = fav < p_before - z * math.sqrt(p_before * (1 - p_before) / m)
    hit = sig & after & (times <= start[:, None] + horizon_days)
    first = np.where(hit.any(axis=1), times[np.arange(n_sims), hit.argmax(axis=1)], np.nan)
    return pd.DataFrame(
        {
            "sim": np.arange(n_sims),
            "start_day": start,
            "delay_days": first - start,
            "false_alarms": (sig & ~after).sum(axis=1),
            "surveys_before": (~after & (times < 365 + interval)).sum(axis=1),
        }
    )


def simulate_pulse_detection(
    cadences: Mapping[str, tuple[int, int]] | None = None,
    *,
    n_sims: int = 2000,
    p_before: float = 0.75,
    p_after: float = 0.60,
    z: float = 3.09,
    horizon_days: int = 730,
    seed: int = 0,
) -> pd.DataFrame:
    """How soon do annual vs pulse employee surveys detect a problem? (simulation)

    In each simulated year a problem starts on a random day (uniform over the first
    365 days) and lowers the share of favourable answers from ``p_before`` to
    ``p_after``. A cadence surveys ``respondents`` employees every ``interval`` days,
    starting on a random day; a survey *signals* when its favourable share falls below
    p_before - z·sqrt(p_before(1-p_before)/respondents). Detection is the first signal
    on or after the start; signals before it are false alarms.

    Parameters
    ----------
    cadences : mapping, optional
        Cadence name -> (days between surveys, respondents per survey); default
        :data:`DEFAULT_CADENCES` (annual, quarterly, monthly, weekly).
    n_sims : int
        Simulated years.
    p_before, p_after : float
        Share of favourable answers before and after the problem starts.
    z : float
        Signal limit in standard errors below ``p_before``.
    horizon_days : int
        Longest delay counted as a detection.
    seed : int
        Seed of the simulation.

    Returns
    -------
    DataFrame, one row per simulation and cadence: sim, cadence, start_day,
    delay_days (NaN if not detected within ``horizon_days``), false_alarms (before
    the start), surveys_before (surveys run before the start).

    Examples
    --------
    >>> d = simulate_pulse_detection(n_sims=500, seed=1)
    >>> s = detection_summary(d)
    >>> bool(s.loc["weekly", "median_delay_days"] < s.loc["annual", "median_delay_days"])
    True
    """
    cadences = dict(DEFAULT_CADENCES if cadences is None else cadences)
    if not 0 < p_after < 1 or not 0 < p_before < 1:
        raise CxError("p_before and p_after must be rates strictly between 0 and 1.")
    rng = np.random.default_rng(seed)
    start = rng.uniform(0, 365, n_sims)
    frames = []
    for name, (interval, m) in cadences.items():
        if interval <= 0 or m <= 0:
            raise CxError(f"cadence {name!r}: days between surveys and respondents must be positive.")
        frames.append(_one_cadence(rng, start, interval, m, p_before, p_after, z, horizon_days).assign(cadence=name))
    out = pd.concat(frames, ignore_index=True)[["sim", "cadence", "start_day", "delay_days", "false_alarms",
                                                "surveys_before"]]  # fmt: skip
    out["cadence"] = pd.Categorical(out["cadence"], categories=list(cadences), ordered=True)
    return out


def detection_summary(sims: pd.DataFrame) -> pd.DataFrame:
    """Per cadence: median and 90th-percentile delay, share detected within 90 days, false alarms per survey.

    Parameters
    ----------
    sims : pandas.DataFrame
        The output of :func:`simulate_pulse_detection`.

    Returns
    -------
    pandas.DataFrame
        Indexed by cadence: median_delay_days, p90_delay_days, detected_90d, false_alarm_rate.

    Examples
    --------
    >>> d = simulate_pulse_detection({"annual": (365, 300)}, n_sims=200, seed=0)
    >>> list(detection_summary(d).columns)
    ['median_delay_days', 'p90_delay_days', 'detected_90d', 'false_alarm_rate']
    """
    g = sims.groupby("cadence", observed=True)
    out = pd.DataFrame(
        {
            "median_delay_days": g["delay_days"].median(),
            "p90_delay_days": g["delay_days"].quantile(0.9),
            "detected_90d": g["delay_days"].apply(lambda s: float((s <= 90).mean())),
            "false_alarm_rate": g["false_alarms"].sum() / g["surveys_before"].sum().clip(lower=1),
        }
    )
    out.index = out.index.astype(str)
    return out

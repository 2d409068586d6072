"""Feedback tied to each support agent: fair comparisons, real-time alarms, team development.

* :mod:`~cxlib.analytics.feedback.agents` — satisfied shares with intervals,
  empirical-Bayes shrinkage (with the prior's own uncertainty), funnel limits,
  case-mix adjustment, and the same from count tables.
* :mod:`~cxlib.analytics.feedback.charts` — p-chart and EWMA chart (limits that
  count an estimated centre's noise), run lengths and false-alarm rates.
* :mod:`~cxlib.analytics.feedback.monitoring` — the real-time :class:`FeedbackMonitor`,
  simulated streams and per-agent charts.
* :mod:`~cxlib.analytics.feedback.replay` — the monitor replayed on many simulated
  months at once (its false alarms, fast).
* :mod:`~cxlib.analytics.feedback.team` — quality scorecard, training needs and
  the pulse-survey simulation.

An alarm means *investigate the process*, not *blame the agent*; use agent scores
for coaching, not pay.
"""

from cxlib.analytics.feedback.agents import (
    CSAT_SCALE,
    FEW_AGENTS,
    FEW_ANSWERS,
    PRIORS,
    SATISFIED_MIN,
    AgentFeedback,
    BetaPrior,
    agent_counts,
    agents_from_counts,
    case_mix,
    case_mix_from_counts,
    fit_beta_prior,
    funnel_limits,
    rank_agents,
    top2box,
)
from cxlib.analytics.feedback.charts import (
    EWMA_L,
    EWMA_LAMBDA,
    ARLResult,
    ewma_chart,
    ewma_chart_from_counts,
    p_chart,
    p_chart_from_counts,
    simulate_arl,
    simulate_false_alarms,
)
from cxlib.analytics.feedback.monitoring import (
    SCOPES,
    FeedbackMonitor,
    agent_chart,
    agent_chart_from_counts,
    chart_counts,
    simulate_stream,
)
from cxlib.analytics.feedback.replay import replay_monitor
from cxlib.analytics.feedback.team import (
    DEFAULT_CADENCES,
    EMPATHY_WORDS,
    detection_summary,
    development_plan,
    quality_scorecard,
    simulate_pulse_detection,
    training_needs,
)

__all__ = [
    "SATISFIED_MIN",
    "CSAT_SCALE",
    "PRIORS",
    "FEW_AGENTS",
    "FEW_ANSWERS",
    "top2box",
    "BetaPrior",
    "fit_beta_prior",
    "agent_counts",
    "AgentFeedback",
    "agents_from_counts",
    "rank_agents",
    "funnel_limits",
    "case_mix",
    "case_mix_from_counts",
    "EWMA_LAMBDA",
    "EWMA_L",
    "p_chart",
    "ewma_chart",
    "p_chart_from_counts",
    "ewma_chart_from_counts",
    "ARLResult",
    "simulate_arl",
    "simulate_false_alarms",
    "SCOPES",
    "FeedbackMonitor",
    "simulate_stream",
    "replay_monitor",
    "chart_counts",
    "agent_chart",
    "agent_chart_from_counts",
    "EMPATHY_WORDS",
    "quality_scorecard",
    "training_needs",
    "development_plan",
    "simulate_pulse_detection",
    "detection_summary",
    "DEFAULT_CADENCES",
]

"""Feedback tied to each support agent: fair comparisons, real-time alarms, team development.

* :mod:`~cxlib.analytics.feedback.agents` — satisfied shares with intervals,
  empirical-Bayes shrinkage, funnel limits, case-mix adjustment.
* :mod:`~cxlib.analytics.feedback.monitoring` — p-chart, EWMA, run lengths and the
  real-time :class:`FeedbackMonitor`.
* :mod:`~cxlib.analytics.feedback.team` — quality scorecard, training needs and
  the pulse-survey simulation.

An alarm means *investigate the process*, not *blame the agent*; use agent scores
for coaching, not pay.
"""

from cxlib.analytics.feedback.agents import (
    CSAT_SCALE,
    SATISFIED_MIN,
    AgentFeedback,
    BetaPrior,
    case_mix,
    fit_beta_prior,
    funnel_limits,
    rank_agents,
    top2box,
)
from cxlib.analytics.feedback.monitoring import (
    EWMA_L,
    EWMA_LAMBDA,
    ARLResult,
    FeedbackMonitor,
    agent_chart,
    ewma_chart,
    p_chart,
    simulate_arl,
    simulate_stream,
)
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
    "top2box",
    "BetaPrior",
    "fit_beta_prior",
    "AgentFeedback",
    "rank_agents",
    "funnel_limits",
    "case_mix",
    "EWMA_LAMBDA",
    "EWMA_L",
    "p_chart",
    "ewma_chart",
    "ARLResult",
    "simulate_arl",
    "FeedbackMonitor",
    "simulate_stream",
    "agent_chart",
    "EMPATHY_WORDS",
    "quality_scorecard",
    "training_needs",
    "development_plan",
    "simulate_pulse_detection",
    "detection_summary",
    "DEFAULT_CADENCES",
]

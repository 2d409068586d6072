"""The simulator's ground truth, as the data layer hands it to lessons and tests.

:class:`Truth` holds what no real company knows: each customer's persona and latent
traits, each agent's true satisfaction rate, the true monthly churn probability and
the true NPS. :func:`cxlib.data.datasets.load_truth` loads the bundled one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Truth"]


@dataclass
class Truth:
    """The simulator's ground truth (what no real company knows).

    Attributes
    ----------
    customers : DataFrame
        ``customer_id``, ``persona``, ``emotional_connection``, ``connected``,
        ``price_sensitivity``, ``expectation``.
    agents : DataFrame
        ``agent_id``, ``true_csat`` (P(CSAT 4-5) on an average contact), ``empathy``.
    monthly : DataFrame
        ``customer_id``, ``month``, ``p_churn`` (true monthly churn probability),
        ``ltr_latent`` (the expected 0-10 score if asked).
    churn_probability : DataFrame
        ``customer_id``, ``p_churn``: the true probability of the snapshot label.
    summary : dict
        True NPS by month, churn coefficients, the emotional-connection effect, events.
    """

    customers: pd.DataFrame
    agents: pd.DataFrame
    monthly: pd.DataFrame
    churn_probability: pd.DataFrame
    summary: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"Truth({len(self.customers)} customers, {len(self.agents)} agents, "
            f"{len(self.monthly)} customer-months; keys of summary: {sorted(self.summary)})"
        )

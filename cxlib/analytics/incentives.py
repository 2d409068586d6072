"""Goodhart's law in a service team: paying for a survey score.

"When a measure becomes a target, it ceases to be a good measure" (Strathern 1997,
after Goodhart 1975). Article 000 cuts CX metrics from bonuses; article 002 rewards
behaviours that raise retention. :func:`simulate_incentive` lets a lesson show the
mechanism with a known truth: a support team is paid on the relationship survey's
NPS from ``incentive_month`` on, and can game it in two ways —

* **choosing whom to survey** (``skip_unhappy``): the team drops this share of
  customers it knows had a bad experience (latent score ≤ 6) from the survey list;
* **nudging scores** (``nudge``): "anything below 9 counts as a fail for me" — a
  nudged answer moves up by this many points (capped at 10).

Customers' true experience, and so their true churn risk, does not change at all:
the reported NPS rises while the true NPS of the whole base and retention stay
where they were. Everything is seeded.

Examples
--------
>>> r = simulate_incentive(seed=1)
>>> s = r.summary.set_index("period")
>>> bool(s.loc["paid on NPS", "reported_nps"] > s.loc["before", "reported_nps"] + 10)
True
>>> bool(abs(s.loc["paid on NPS", "retention"] - s.loc["before", "retention"]) < 0.01)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxlib.analytics.nps import nps_by_from_counts
from cxlib.errors import CxError

__all__ = ["simulate_incentive", "IncentiveResult"]


def _counts(scores: np.ndarray) -> dict[str, int]:
    """Promoters, passives and detractors among 0-10 scores."""
    return {
        "promoters": int(np.sum(scores >= 9)),
        "passives": int(np.sum((scores >= 7) & (scores <= 8))),
        "detractors": int(np.sum(scores <= 6)),
    }


@dataclass
class IncentiveResult:
    """Monthly reported vs true metrics from :func:`simulate_incentive`.

    Attributes
    ----------
    monthly : pandas.DataFrame
        One row per month: reported_nps with its 95% Wald interval (nps_low, nps_high),
        responses, true_nps (every customer, asked honestly) and churn_rate.
    incentive_month : int
        The first month paid on the score.
    params : dict
        The simulation's arguments.
    """

    monthly: pd.DataFrame
    incentive_month: int
    params: dict

    @property
    def summary(self) -> pd.DataFrame:
        """Mean of each metric before and while the team is paid on the score (one row per period).

        Examples
        --------
        >>> simulate_incentive(n_customers=1000, months=4, incentive_month=3, seed=1).summary["period"].tolist()
        ['before', 'paid on NPS']
        """
        m = self.monthly.assign(period=np.where(self.monthly["month"] >= self.incentive_month, "paid on NPS", "before"))
        g = m.groupby("period", sort=False)
        out = g[["reported_nps", "true_nps", "churn_rate"]].mean()
        out["retention"] = 1 - out["churn_rate"]
        out["responses"] = g["responses"].sum()
        return out.reset_index()

    def __repr__(self) -> str:
        s = self.summary.set_index("period")
        b, a = s.loc["before"], s.loc["paid on NPS"]
        return (
            f"IncentiveResult(reported NPS {b.reported_nps:.1f} -> {a.reported_nps:.1f}; "
            f"true NPS {b.true_nps:.1f} -> {a.true_nps:.1f}; monthly retention "
            f"{100 * b.retention:.1f}% -> {100 * a.retention:.1f}%)"
        )


def _month(
    rng: np.random.Generator, latent: np.ndarray, survey_rate: float, paid: dict | None
) -> tuple[dict, dict, float]:
    """One month: counts of the reported answers, counts of everyone's honest answer, churn rate."""
    n_customers = len(latent)
    honest = np.clip(np.round(latent + rng.normal(0, 0.8, n_customers)), 0, 10)
    # true churn depends only on the customer's real experience
    p_churn = 1 / (1 + np.exp(-(-4.0 - 0.45 * (latent - 7))))
    churn = rng.random(n_customers) < p_churn
    invited = rng.random(n_customers) < survey_rate
    answered = invited & (rng.random(n_customers) < 0.35 + 0.03 * latent)  # unhappy answer less
    reported = honest.copy()
    if paid is not None:
        unhappy = latent <= 6
        answered &= ~(unhappy & (rng.random(n_customers) < paid["skip_unhappy"]))
        nudged = rng.random(n_customers) < paid["nudge_share"]
        reported = np.where(nudged, np.clip(np.round(honest + paid["nudge"]), 0, 10), honest)
    return _counts(reported[answered]), _counts(honest), float(churn.mean())


def _monthly(runs: list[tuple[dict, dict, float]]) -> pd.DataFrame:
    """The monthly table: reported NPS with its Wald interval (from the counts), true NPS, churn."""
    reported = nps_by_from_counts(pd.DataFrame([{"month": i + 1, **r[0]} for i, r in enumerate(runs)]), "month",
                                  method="wald").summary  # fmt: skip
    true = nps_by_from_counts(pd.DataFrame([{"month": i + 1, **r[1]} for i, r in enumerate(runs)]), "month").summary
    return pd.DataFrame(
        {
            "month": reported.index.to_numpy(),
            "reported_nps": reported["nps"].to_numpy(),
            "nps_low": reported["ci_low"].to_numpy(),
            "nps_high": reported["ci_high"].to_numpy(),
            "responses": reported["n"].to_numpy(),
            "true_nps": true["nps"].to_numpy(),
            "churn_rate": [r[2] for r in runs],
        }
    )


def simulate_incentive(
    *,
    n_customers: int = 5000,
    months: int = 24,
    incentive_month: int = 13,
    survey_rate: float = 0.1,
    skip_unhappy: float = 0.6,
    nudge: float = 1.5,
    nudge_share: float = 0.7,
    seed: int = 0,
) -> IncentiveResult:
    """Simulate a team paid on the survey score from ``incentive_month`` on.

    Parameters
    ----------
    n_customers : int
        Size of the customer base (kept constant: each churner is replaced).
    months : int
        Months simulated (1 … months).
    incentive_month : int
        First month in which the team is paid on NPS (2 ≤ it ≤ months).
    survey_rate : float
        Share of customers invited each month.
    skip_unhappy : float in [0, 1]
        Once paid: share of unhappy customers (latent score ≤ 6) the team leaves off the list.
    nudge : float ≥ 0
        Once paid: points added to a nudged answer (capped at 10).
    nudge_share : float in [0, 1]
        Once paid: share of surveyed customers the team nudges.
    seed : int
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    IncentiveResult
        ``.monthly`` (month, reported_nps with its 95% Wald interval, responses, true_nps,
        churn_rate) and ``.summary``; :func:`cxlib.teaching.plots.incentives.incentive` draws it.

    Raises
    ------
    CxError
        If an argument is out of its range.

    Examples
    --------
    >>> r = simulate_incentive(n_customers=2000, months=6, incentive_month=4, seed=2)
    >>> r.monthly.columns.tolist()
    ['month', 'reported_nps', 'nps_low', 'nps_high', 'responses', 'true_nps', 'churn_rate']
    """
    if not 2 <= incentive_month <= months:
        raise CxError(f"incentive_month must be between 2 and months ({months}); got {incentive_month}.")
    for name, v in (("survey_rate", survey_rate), ("skip_unhappy", skip_unhappy), ("nudge_share", nudge_share)):
        if not 0 <= v <= 1:
            raise CxError(f"{name} is a share between 0 and 1; got {v}.")
    if nudge < 0 or n_customers < 10:
        raise CxError("nudge must be ≥ 0 and n_customers ≥ 10.")
    rng = np.random.default_rng(seed)
    # each customer's latent 0-10 score ("what they would answer if asked honestly");
    # a churner is replaced by a newcomer with the same experience, so the base is stationary
    latent = np.clip(rng.normal(7.4, 2.0, n_customers), 0, 10)
    paid = {"skip_unhappy": skip_unhappy, "nudge": nudge, "nudge_share": nudge_share}
    runs = [_month(rng, latent, survey_rate, paid if m >= incentive_month else None) for m in range(1, months + 1)]
    params = dict(n_customers=n_customers, months=months, incentive_month=incentive_month, survey_rate=survey_rate,
                  skip_unhappy=skip_unhappy, nudge=nudge, nudge_share=nudge_share, seed=seed)  # fmt: skip
    monthly = _monthly(runs)
    return IncentiveResult(monthly, incentive_month, params)

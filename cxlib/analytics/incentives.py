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

from cxlib.errors import CxError

__all__ = ["simulate_incentive", "IncentiveResult"]


def _nps(scores: np.ndarray) -> tuple[float, float, float, int]:
    n = len(scores)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    p, d = np.mean(scores >= 9), np.mean(scores <= 6)
    nps = 100 * (p - d)
    se = 100 * np.sqrt(max(p + d - (p - d) ** 2, 0) / n)
    return nps, nps - 1.96 * se, nps + 1.96 * se, n


@dataclass
class IncentiveResult:
    """Monthly reported vs true metrics from :func:`simulate_incentive`."""

    monthly: pd.DataFrame
    incentive_month: int
    params: dict

    @property
    def summary(self) -> pd.DataFrame:
        """Mean of each metric before and while the team is paid on the score."""
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
        ``.monthly`` (month, reported_nps with 95% CI, responses, true_nps, churn_rate),
        ``.summary``, ``.plot()``.
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
    rows = []
    for month in range(1, months + 1):
        honest = np.clip(np.round(latent + rng.normal(0, 0.8, n_customers)), 0, 10)
        # true churn depends only on the customer's real experience
        p_churn = 1 / (1 + np.exp(-(-4.0 - 0.45 * (latent - 7))))
        churn = rng.random(n_customers) < p_churn
        invited = rng.random(n_customers) < survey_rate
        answered = invited & (rng.random(n_customers) < 0.35 + 0.03 * latent)  # unhappy answer less
        reported = honest.copy()
        if month >= incentive_month:
            unhappy = latent <= 6
            answered &= ~(unhappy & (rng.random(n_customers) < skip_unhappy))
            nudged = rng.random(n_customers) < nudge_share
            reported = np.where(nudged, np.clip(np.round(honest + nudge), 0, 10), honest)
        nps, lo, hi, n = _nps(reported[answered])
        rows.append(
            {
                "month": month,
                "reported_nps": nps,
                "nps_low": lo,
                "nps_high": hi,
                "responses": n,
                "true_nps": _nps(honest)[0],
                "churn_rate": float(churn.mean()),
            }
        )
    params = dict(
        n_customers=n_customers,
        months=months,
        incentive_month=incentive_month,
        survey_rate=survey_rate,
        skip_unhappy=skip_unhappy,
        nudge=nudge,
        nudge_share=nudge_share,
        seed=seed,
    )
    return IncentiveResult(pd.DataFrame(rows), incentive_month, params)

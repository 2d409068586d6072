r"""Targeting that pays: who to contact with a retention offer, and what it is worth.

Expected profit of contacting customer *i*: :math:`p_i s V_i - c - (1 - p_i)\,g`,
with churn probability :math:`p_i`, the offer's success rate with would-be churners
:math:`s`, value saved :math:`V_i`, cost per contact :math:`c` and incentive wasted
on a customer who would have stayed anyway :math:`g`. Contact when it is positive.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxlib.errors import CxError

__all__ = ["targeting_profit", "TargetingResult"]


# =====================================================================================
# 5. targeting
# =====================================================================================
@dataclass
class TargetingResult:
    """Expected profit of a retention campaign by how many customers are contacted.

    Attributes
    ----------
    curve : DataFrame
        One row per number contacted (0 to all): ``n_contacted``, ``share_contacted``,
        ``expected_profit`` (cumulative), ``threshold`` (lowest churn probability contacted)
        and, with outcomes, ``realised_profit``.
    best_share : float
        Share of customers to contact for the highest expected profit.
    best_n : int
        Number of customers to contact for the highest expected profit.
    best_profit : float
        That highest expected profit.
    best_threshold : float
        Lowest churn probability among the customers contacted (NaN when nobody is).
    break_even_probability : float or None
        Churn probability above which a contact pays, ``(c + g) / (sV + g)``; ``None`` when
        the value differs between customers.
    profit_all : float
        Expected profit of contacting every customer.
    order : ndarray of int
        Positions of the customers (in the order of ``p``) in the order of contact: the
        first ``best_n`` are the customers to contact.
    """

    curve: pd.DataFrame = field(repr=False)
    best_share: float
    best_n: int
    best_profit: float
    best_threshold: float
    break_even_probability: float | None
    profit_all: float
    order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int), repr=False)

    def __repr__(self) -> str:
        be = (
            ""
            if self.break_even_probability is None
            else f"; break-even churn probability {self.break_even_probability:.3f}"
        )
        return (
            f"TargetingResult(best: contact the top {self.best_share:.1%} ({self.best_n} customers, "
            f"churn probability ≥ {self.best_threshold:.3f}) for an expected profit of {self.best_profit:,.0f}; "
            f"contacting everyone: {self.profit_all:,.0f}{be})"
        )


def targeting_profit(
    p, value, offer_cost: float, success_rate: float, *, incentive: float = 0.0, y=None, rank_by: str = "profit"
) -> TargetingResult:
    """Expected profit of contacting the top k% of customers, and the best k.

    The expected profit of contacting customer *i* is
    :math:`\\pi_i = p_i s V_i - c - (1 - p_i) g`: with probability :math:`p_i` the
    customer would leave, the offer keeps them with probability :math:`s` and saves
    :math:`V_i`; every contact costs :math:`c`; a customer who would have stayed
    anyway still takes the incentive :math:`g`. Contact when :math:`\\pi_i > 0`
    (with :math:`g = 0`: when :math:`p_i s V_i > c`, cx_science §7). The probabilities
    must be calibrated for the money to be right (check the reliability curve).

    Parameters
    ----------
    p : array of float
        Churn probabilities (0-1), one per customer.
    value : float or array
        Value saved when a would-be churner stays (e.g. remaining CLV, USD).
    offer_cost : float
        Cost per contacted customer (contact plus offer), USD.
    success_rate : float
        Share of would-be churners the offer keeps (0-1).
    incentive : float, default 0
        Incentive that customers who would have stayed anyway also take, USD.
    y : array of 0/1, optional
        Actual outcomes: adds ``realised_profit``, the profit on the list's actual churners
        (churn observed; the offer's ``success_rate`` still assumed).
    rank_by : {"profit", "probability"}
        Order of contact: highest expected profit (default) or highest probability.

    Returns
    -------
    TargetingResult
        ``curve`` (profit by number contacted), the best share, number, profit and
        probability threshold, the break-even probability, the profit of contacting all
        and ``order``, the customers in the order of contact.

    Examples
    --------
    Worked case: p = 0.5, 0.2, 0.05; V = 200; c = 10; s = 0.3. Expected profits are
    0.5·0.3·200 − 10 = 20, 2 and −7: contact the first two (profit 22). The
    break-even probability is c/(sV) = 10/60 ≈ 0.167.

    >>> r = targeting_profit([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3)
    >>> r.best_n, round(r.best_profit, 1), round(r.break_even_probability, 3)
    (2, 22.0, 0.167)
    >>> r.order[: r.best_n].tolist()  # whom to contact: positions in p
    [0, 1]
    """
    if rank_by not in ("profit", "probability"):
        raise CxError(f"rank_by must be 'profit' (highest expected profit first) or 'probability'; got {rank_by!r}.")
    p = np.asarray(p, dtype=float)
    n = len(p)
    if n == 0:
        raise CxError("no customers to target.")
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise CxError("churn probabilities must be numbers between 0 and 1.")
    if not 0 <= success_rate <= 1:
        raise CxError("success_rate must be between 0 and 1.")
    if offer_cost < 0 or incentive < 0:
        raise CxError("costs cannot be negative.")
    try:
        V = np.broadcast_to(np.asarray(value, dtype=float), p.shape)
    except ValueError:
        raise CxError(f"value must be one number or one per customer ({n}); got {np.shape(value)}.") from None
    if np.isnan(V).any() or (V < 0).any():
        raise CxError("value must be numbers ≥ 0 (the value saved when a would-be churner stays).")
    if y is not None and len(np.asarray(y)) != n:
        raise CxError(f"y must have one outcome per customer ({n}); got {len(np.asarray(y))}.")
    pi = p * success_rate * V - offer_cost - (1 - p) * incentive
    key = pi if rank_by == "profit" else p
    order = np.argsort(-key, kind="stable")
    cum = np.r_[0.0, np.cumsum(pi[order])]
    curve = pd.DataFrame(
        {
            "n_contacted": np.arange(n + 1),
            "share_contacted": np.arange(n + 1) / n,
            "expected_profit": cum,
            "threshold": np.r_[np.inf, np.minimum.accumulate(p[order])],
        }
    )
    if y is not None:
        yy = np.asarray(y, dtype=float)[order]
        real = yy * success_rate * V[order] - offer_cost - (1 - yy) * incentive
        curve["realised_profit"] = np.r_[0.0, np.cumsum(real)]
    k = int(np.argmax(cum))
    const_v = np.allclose(V, V.flat[0])
    be = None
    if const_v and success_rate * V.flat[0] + incentive > 0:
        be = float((offer_cost + incentive) / (success_rate * V.flat[0] + incentive))
    return TargetingResult(
        curve=curve,
        best_share=k / n,
        best_n=k,
        best_profit=float(cum[k]),
        best_threshold=float(curve["threshold"].iloc[k]) if k else float("nan"),
        break_even_probability=be,
        profit_all=float(cum[-1]),
        order=order,
    )

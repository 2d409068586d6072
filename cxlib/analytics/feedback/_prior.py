"""The Beta prior of agents' true rates: a fitted Beta(alpha, beta) and how it is fitted (private).

Public as :class:`cxlib.analytics.feedback.BetaPrior` and
:func:`cxlib.analytics.feedback.fit_beta_prior`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from cxlib.analytics.stats import check_counts, check_level
from cxlib.errors import CxError

__all__ = ["BetaPrior", "fit_beta_prior"]


@dataclass(frozen=True)
class BetaPrior:
    """A fitted Beta(alpha, beta) prior for agents' true rates.

    ``pooled`` is True when the agents are indistinguishable from chance (the
    between-agent variance is not positive, or the fitted prior would be stronger
    than all the data it came from): every agent then gets the pooled rate and its
    interval, ``Beta(K + 1/2, N - K + 1/2)`` (Jeffreys).

    Attributes
    ----------
    alpha, beta : float
        The prior's parameters (NaN when pooled).
    method : str
        How it was fitted (``"ml"``, ``"corrected"`` or ``"mom"``).
    pooled : bool
        Whether the agents were pooled.
    total_k, total_n : float
        Satisfied answers and answers of all agents.
    n_agents : int
        Agents it was fitted on.
    between_var : float
        The noise-corrected between-agent variance of the rates (may be negative).

    Examples
    --------
    >>> from cxlib.analytics.feedback import fit_beta_prior
    >>> fit_beta_prior([5, 9, 80, 170, 40, 2, 250, 58], [5, 10, 100, 200, 50, 3, 300, 80], method="mom")
    BetaPrior(alpha=10.69, beta=2.32, mean=0.822, strength=13.0 surveys, method='mom')
    """

    alpha: float
    beta: float
    method: str
    pooled: bool
    total_k: float
    total_n: float
    n_agents: int
    between_var: float

    @property
    def mean(self) -> float:
        """The prior mean (the rate everyone is pulled towards)."""
        if self.pooled:
            return self.total_k / self.total_n
        return self.alpha / (self.alpha + self.beta)

    @property
    def strength(self) -> float:
        """alpha + beta: how many surveys' worth of weight the prior carries (inf if pooled)."""
        return math.inf if self.pooled else self.alpha + self.beta

    def posterior(self, k: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posterior mean and equal-tailed credible interval for each (k, n), the prior taken as known.

        This is the *plug-in* interval: it ignores that the prior was estimated, so
        with few agents, or a pooled prior, it is too narrow (see
        :class:`~cxlib.analytics.feedback.AgentFeedback`, ``prior="hierarchical"``).

        Parameters
        ----------
        k, n : array-like
            Satisfied answers and answers of each agent.
        level : float
            Credible level, a share between 0 and 1.

        Returns
        -------
        (mean, low, high) : tuple of numpy.ndarray

        Examples
        --------
        >>> prior = BetaPrior(10.686, 2.316, "mom", False, 0, 0, 8, 0.01)
        >>> m, lo, hi = prior.posterior([5], [5])
        >>> round(float(m[0]), 3), round(float(lo[0]), 2), round(float(hi[0]), 2)
        (0.871, 0.69, 0.98)
        """
        level = check_level(level)
        k, n = check_counts(k, n, k_name="k", n_name="n", what="BetaPrior.posterior()")
        q = [(1 - level) / 2, (1 + level) / 2]
        if self.pooled:
            a = np.full_like(k, self.total_k + 0.5)
            b = np.full_like(k, self.total_n - self.total_k + 0.5)
        else:
            a, b = k + self.alpha, n - k + self.beta
        # scipy.stats.beta.ppf is special.betaincinv (the same numbers, without importing scipy.stats)
        return a / (a + b), special.betaincinv(a, b, q[0]), special.betaincinv(a, b, q[1])

    def __repr__(self) -> str:
        if self.pooled:
            return (
                f"BetaPrior(pooled: {self.n_agents} agents indistinguishable from chance, "
                f"rate {self.mean:.3f}, method={self.method!r})"
            )
        return (
            f"BetaPrior(alpha={self.alpha:.2f}, beta={self.beta:.2f}, mean={self.mean:.3f}, "
            f"strength={self.strength:.1f} surveys, method={self.method!r})"
        )


def _beta_nll(theta: np.ndarray, k: np.ndarray, n: np.ndarray) -> float:
    m = special.expit(theta[0])
    phi = math.exp(theta[1])
    a, b = m * phi, (1 - m) * phi
    return -float(np.sum(special.betaln(k + a, n - k + b)) - len(k) * special.betaln(a, b))


def fit_beta_prior(k: Any, n: Any, method: str = "ml") -> BetaPrior:
    """Fit the Beta prior of agents' true rates from successes ``k`` out of ``n``.

    Parameters
    ----------
    k, n : array-like
        One entry per agent: satisfied answers and answers (n >= 1).
    method : {"ml", "corrected", "mom"}
        ``"mom"``: method of moments on the raw rates, p_i = k_i/n_i with mean m and
        sample variance s2, alpha + beta = m(1-m)/s2 - 1 (cx_science §2). It
        *under-shrinks*, because s2 includes binomial noise.
        ``"corrected"``: the same with the noise removed, between-agent variance
        s2 - mean(m(1-m)/n_i); if that is not positive, pool completely.
        ``"ml"`` (default): maximise the beta-binomial likelihood.
        With every method, if alpha + beta exceeds the total number of answers (the
        prior would outweigh all the data), the agents are pooled.

    Returns
    -------
    BetaPrior

    Raises
    ------
    CxError
        If the method is unknown, or the counts are not one entry per agent with
        ``n >= 1`` and ``0 <= k <= n``.

    Examples
    --------
    The worked example of cx_science §2 (8 agents):

    >>> k = [5, 9, 80, 170, 40, 2, 250, 58]; n = [5, 10, 100, 200, 50, 3, 300, 80]
    >>> fit_beta_prior(k, n, method="mom")
    BetaPrior(alpha=10.69, beta=2.32, mean=0.822, strength=13.0 surveys, method='mom')
    >>> fit_beta_prior(k, n, method="corrected").pooled
    True
    """
    if method not in {"ml", "corrected", "mom"}:
        raise CxError(f"method must be 'ml', 'corrected' or 'mom', not {method!r}.")
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if k.shape != n.shape or k.ndim != 1:
        raise CxError("k and n must be one-dimensional and of the same length (one entry per agent).")
    if len(k) == 0:
        raise CxError("no agents to fit: the data have no answered surveys.")
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n) or np.any(np.isnan(k) | np.isnan(n)):
        raise CxError("each agent needs n >= 1 answers and 0 <= k <= n satisfied answers.")
    K, N = float(k.sum()), float(n.sum())
    p = k / n
    m = float(p.mean())
    s2 = float(p.var(ddof=1)) if len(p) > 1 else 0.0
    noise = float(np.mean(m * (1 - m) / n))
    between = s2 - noise

    def pooled(meth: str) -> BetaPrior:
        return BetaPrior(math.nan, math.nan, meth, True, K, N, len(k), between)

    if len(k) < 2 or s2 <= 0 or m in (0.0, 1.0):
        return pooled(method)
    if method == "mom":
        strength = m * (1 - m) / s2 - 1
    elif method == "corrected":
        if between <= 0:
            return pooled(method)
        strength = m * (1 - m) / between - 1
    else:
        start = m * (1 - m) / between - 1 if between > 0 else min(N, 1e3)
        from scipy import optimize

        x0 = np.array([special.logit(min(max(K / N, 1e-3), 1 - 1e-3)), math.log(min(max(start, 0.5), N))])
        res = optimize.minimize(
            _beta_nll, x0, args=(k, n), method="L-BFGS-B", bounds=[(-12, 12), (math.log(0.05), math.log(N) + 0.01)]
        )
        mm, strength = float(special.expit(res.x[0])), float(math.exp(res.x[1]))
        if strength >= N:
            return pooled(method)
        return BetaPrior(mm * strength, (1 - mm) * strength, method, False, K, N, len(k), between)
    if strength >= N:
        return pooled(method)
    strength = max(strength, 0.05)  # extreme over-dispersion: almost no shrinkage
    return BetaPrior(m * strength, (1 - m) * strength, method, False, K, N, len(k), between)

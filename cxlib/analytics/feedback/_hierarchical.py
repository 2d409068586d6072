"""Agent intervals that carry the prior's own uncertainty: a hierarchical beta-binomial fit (private).

A plug-in empirical-Bayes interval treats the fitted Beta(alpha, beta) prior as known.
When the prior rests on few agents, or the agents look indistinguishable so that the
fit is "pooled" (alpha + beta infinite), every agent then gets nearly the same narrow
interval around the company rate, which misses an agent who truly differs far more
often than 5% of the time. Here the prior's parameters get a prior of their own and
are integrated out (Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 5.3):

* mean ``m = alpha / (alpha + beta)`` uniform on (0, 1), strength ``phi = alpha + beta``
  with density proportional to ``phi ** -1.5`` (the same as Gelman's
  ``p(alpha, beta) ~ (alpha + beta) ** -2.5``: uniform on the mean and on
  ``1 / sqrt(phi)``), a proper posterior whenever an agent has an answer;
* the posterior of ``(m, log phi)`` is computed on a grid (an adaptive grid in ``m``
  for each ``phi``, refined where the mass is), from the beta-binomial likelihood of
  every agent's counts;
* each agent's posterior is then a mixture of Beta(k + m phi, n - k + (1 - m) phi)
  over the grid: its mean is the shrunk rate, and its equal-tailed quantiles (found
  by a safeguarded Halley search on the mixture's CDF) are the interval.

When the agents really differ, the grid concentrates where the plug-in fit is, and
the result is close to the plug-in one; when they look alike, it keeps some weight on
priors that shrink less, and the intervals stay honest. The coverage is checked by
simulation in ``tests/test_feedback_counts.py``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

#: Grid sizes: log-strength points (first pass, refined pass) and mean points per strength.
T_COARSE, T_FINE, M_POINTS = 30, 30, 19

#: Mixture components kept: the heaviest ones holding all but this share of the mass.
TAIL = 1e-5


def _unique(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (k, n) pairs, how often each occurs, and the position of every agent's pair."""
    pairs, inverse, mult = np.unique(np.column_stack([k, n]), axis=0, return_inverse=True, return_counts=True)
    return pairs[:, 0], pairs[:, 1], mult.astype(float), inverse.ravel()


def _mean_grid(t: np.ndarray, k: np.ndarray, n: np.ndarray, mult: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each log-strength, a grid of logit means around where the likelihood is, and its spacing."""
    m0 = (np.sum(mult * k) + 0.5) / (np.sum(mult * n) + 1.0)
    p = (k + 0.5) / (n + 1.0)
    phi = np.exp(t)[:, None]
    var = m0 * (1 - m0) / n * (1 + (n - 1) / (phi + 1))  # variance of k/n under the beta-binomial
    w = mult / var
    centre = np.clip(np.sum(w * p, axis=1) / np.sum(w, axis=1), 1e-9, 1 - 1e-9)
    sd_u = 1 / np.sqrt(np.sum(w, axis=1)) / (centre * (1 - centre))
    half = np.minimum(6 * sd_u, 25.0)
    steps = np.linspace(-1, 1, M_POINTS)
    u = np.clip(special.logit(centre)[:, None] + half[:, None] * steps[None, :], -30, 30)
    du = np.gradient(u, axis=1)
    return u, np.abs(du)


def _log_post(
    t: np.ndarray, k: np.ndarray, n: np.ndarray, mult: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log posterior weight of each grid point (t, u), with the grid's own spacing in u."""
    u, du = _mean_grid(t, k, n, mult)
    m = special.expit(u)
    phi = np.exp(t)[:, None]
    a, b = (m * phi)[..., None], ((1 - m) * phi)[..., None]
    ll = np.sum(mult * (special.betaln(k + a, n - k + b) - special.betaln(a, b)), axis=-1)
    # prior p(m, phi) ~ phi^-1.5 on (m, phi); in (u, t): times m(1-m) and phi
    logw = ll - 0.5 * t[:, None] + np.log(m * (1 - m)) + np.log(du)
    return u, m, logw


def hyper_posterior(k: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid posterior of the prior's parameters: component alphas, betas and weights (summing to 1)."""
    uk, un, mult, _ = _unique(np.asarray(k, float), np.asarray(n, float))
    total = float(np.sum(mult * un))
    t = np.linspace(math.log(0.05), math.log(max(1e3 * total, 1e4)), T_COARSE)
    _, _, logw = _log_post(t, uk, un, mult)
    mass = np.exp(logw - logw.max()).sum(axis=1)
    keep = np.flatnonzero(mass > 1e-12 * mass.max())
    step = t[1] - t[0]
    lo, hi = t[max(keep[0] - 1, 0)], t[min(keep[-1] + 1, len(t) - 1)]
    t = np.linspace(lo, hi, T_FINE) if hi > lo else np.array([lo])
    _, m, logw = _log_post(t, uk, un, mult)
    logw = logw + math.log((t[1] - t[0]) if len(t) > 1 else step)
    w = np.exp(logw - logw.max()).ravel()
    w /= w.sum()
    phi = np.broadcast_to(np.exp(t)[:, None], m.shape).ravel()
    order = np.argsort(w)[::-1]
    n_keep = int(np.searchsorted(np.cumsum(w[order]), 1 - TAIL) + 1)
    sel = order[:n_keep]
    w_sel = w[sel] / w[sel].sum()
    return m.ravel()[sel] * phi[sel], (1 - m.ravel()[sel]) * phi[sel], w_sel


def _mixture_quantile(
    A: np.ndarray, B: np.ndarray, w: np.ndarray, q: float | np.ndarray, start: np.ndarray, iterations: int = 50
) -> np.ndarray:
    """The q-quantile of each row's Beta mixture sum_g w_g Beta(A[i, g], B[i, g]) (safeguarded Halley).

    ``q`` is one level or one per row. Halley steps on the mixture's CDF (its first two
    derivatives cost little next to the CDF, so about three CDF evaluations per row instead
    of Newton's five or six), kept inside a bracket that shrinks at every step (Newton, then
    bisection, when a step would leave it); rows stop once their CDF is within 1e-8 of ``q``.
    All rows are solved at once.
    """
    lnB = special.betaln(A, B)
    x = np.clip(start, 1e-12, 1 - 1e-12)
    qs = np.broadcast_to(np.asarray(q, dtype=float), x.shape)
    lo, hi = np.zeros(len(A)), np.ones(len(A))
    todo = np.arange(len(A))
    for _ in range(iterations):
        a, b, xs = A[todo], B[todo], x[todo]
        xc = xs[:, None]
        f = special.betainc(a, b, xc) @ w - qs[todo]
        done = np.abs(f) < 1e-8
        below = f < 0
        lo[todo] = np.where(below, xs, lo[todo])
        hi[todo] = np.where(below, hi[todo], xs)
        lw, hg = lo[todo], hi[todo]
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            pdf = np.exp((a - 1) * np.log(xc) + (b - 1) * np.log1p(-xc) - lnB[todo])
            d1 = pdf @ w
            d2 = (pdf * ((a - 1) / xc - (b - 1) / (1 - xc))) @ w
            halley = xs - 2 * f * d1 / (2 * d1 * d1 - f * d2)
            newton = xs - f / d1
        h_ok = np.isfinite(halley) & (halley > lw) & (halley < hg)
        n_ok = np.isfinite(newton) & (newton > lw) & (newton < hg)
        step = np.where(h_ok, halley, np.where(n_ok, newton, (lw + hg) / 2))
        x[todo] = np.where(done, xs, step)
        todo = todo[~done & (hg - lw > 1e-12)]
        if not len(todo):
            break
    return x


def agent_posteriors(k: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Posterior mean and equal-tailed ``level`` interval of every agent's rate, the prior integrated out."""
    k, n = np.asarray(k, float), np.asarray(n, float)
    a, b, w = hyper_posterior(k, n)
    uk, un, _, where = _unique(k, n)
    A, B = uk[:, None] + a[None, :], (un - uk)[:, None] + b[None, :]
    mean = (A / (A + B)) @ w
    var = (A * B / ((A + B) ** 2 * (A + B + 1))) @ w + ((A / (A + B)) ** 2) @ w - mean**2
    s = np.maximum(mean * (1 - mean) / np.maximum(var, 1e-300) - 1, 1e-6)
    qs = np.array([(1 - level) / 2, (1 + level) / 2])
    # start from the Beta with the mixture's mean and variance (scipy.stats.beta.ppf, to the last bit);
    # both ends of every interval are solved together, as rows of one stacked mixture
    start = special.betaincinv((mean * s)[None, :], ((1 - mean) * s)[None, :], qs[:, None])
    start = np.where(np.isfinite(start), start, mean[None, :]).ravel()
    R = len(uk)
    x = _mixture_quantile(np.vstack([A, A]), np.vstack([B, B]), w, np.repeat(qs, R), start)
    return mean[where], x[:R][where], x[R:][where]

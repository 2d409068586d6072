"""Fair comparisons of support agents from post-interaction surveys.

* **Rates with honest uncertainty.** A post-interaction survey answer counts as
  *satisfied* when CSAT is 4 or 5 (top-2-box, :func:`top2box`). Raw rates get
  Wilson intervals (:func:`cxlib.analytics.stats.wilson_interval`).
* **Shrinkage.** Empirical-Bayes beta-binomial shrinkage (:func:`fit_beta_prior`,
  :class:`AgentFeedback`, :func:`rank_agents`) pulls each agent's rate towards the
  team-wide rate by an amount that depends on how many surveys the agent has.
* **Chance limits.** The funnel plot (Spiegelhalter 2005, :func:`funnel_limits`)
  flags only agents outside chance limits.
* **Case mix.** Indirect standardisation (:func:`case_mix`) removes the
  disadvantage of agents who take the hard contacts.

Use agent scores for coaching, not pay (article 000; Montgomery).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"agent_id": ["A"] * 4 + ["B"] * 2, "csat": [5, 4, 2, 5, 1, 5]})
>>> fb = AgentFeedback(method="mom").fit(df)
>>> fb.summary[["agent", "n", "satisfied", "raw_rate"]]
  agent  n  satisfied  raw_rate
0     A  4          3      0.75
1     B  2          1      0.50
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from cxlib.analytics.stats import wilson_interval
from cxlib.errors import CxError, Problem, ValidationError

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
]


#: Lowest CSAT answer that counts as satisfied (top-2-box on a 1-5 scale).
SATISFIED_MIN = 4


#: The CSAT answer scale.
CSAT_SCALE = (1, 5)


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def _rows(mask: np.ndarray) -> tuple:
    """Spreadsheet row numbers (header = row 1) of the True positions."""
    return tuple(int(i) + 2 for i in np.flatnonzero(mask)[:5])


def _check_frame(
    data, columns: Mapping[str, str], *, source: str | None = None, score: str | None = None, scale: tuple = CSAT_SCALE
) -> tuple[pd.DataFrame, int]:
    """Validate ``data``; return (rows with every needed value, number of rows dropped).

    ``columns`` maps a role ("agent", "score", ...) to the column name. Rows with an
    empty value are *counted* (returned), not silently lost; text or out-of-range
    scores raise a :class:`ValidationError` listing every problem.
    """
    if not isinstance(data, pd.DataFrame):
        raise CxError(
            f"expected a pandas DataFrame of survey responses, got {type(data).__name__}. "
            "Load your file with cxlib.data.io.read_table(path, 'agent_feedback')."
        )
    problems = []
    for role, col in columns.items():
        if col not in data.columns:
            problems.append(
                Problem(
                    "missing column",
                    column=col,
                    fix=f"The {role} column '{col}' is not in the data (columns: "
                    f"{', '.join(map(str, list(data.columns)[:12]))}). Pass the right "
                    f"name, e.g. {role}='...'.",
                )
            )
    if problems:
        raise ValidationError(problems, source=source)
    out = data[list(dict.fromkeys(columns.values()))]
    if score is not None:
        raw = data[score]
        num = pd.to_numeric(raw, errors="coerce")
        text = num.isna().to_numpy() & raw.notna().to_numpy()
        if raw.dtype == object:  # blank strings are empty, not text
            text &= ~raw.astype(str).str.strip().isin(["", "nan", "NaN", "NA"]).to_numpy()
        if text.any():
            problems.append(
                Problem(
                    "text in a number column",
                    column=score,
                    rows=_rows(text),
                    values=tuple(raw[text].head(5)),
                    count=int(text.sum()),
                    fix=f"CSAT must be a whole number from {scale[0]} to {scale[1]}.",
                )
            )
        v = num.to_numpy(dtype=float)
        bad = ~np.isnan(v) & ((v < scale[0]) | (v > scale[1]) | (v != np.round(v)))
        if bad.any():
            problems.append(
                Problem(
                    "out of range",
                    column=score,
                    rows=_rows(bad),
                    values=tuple(v[bad][:5]),
                    count=int(bad.sum()),
                    fix=f"CSAT must be a whole number from {scale[0]} to {scale[1]}; "
                    "check the scale (is it 0-10 or 1-7?) and the column.",
                )
            )
        if problems:
            raise ValidationError(problems, source=source)
        out = out.assign(**{score: num})
    keep = out.notna().all(axis=1).to_numpy()
    return out[keep], int((~keep).sum())


def top2box(scores, satisfied_min: int = SATISFIED_MIN) -> np.ndarray:
    """Whether each CSAT answer counts as satisfied (4 or 5 on 1-5: top-2-box).

    Examples
    --------
    >>> top2box([1, 3, 4, 5]).tolist()
    [False, False, True, True]
    """
    return np.asarray(scores, dtype=float) >= satisfied_min


# --------------------------------------------------------------------------------------
# empirical-Bayes beta-binomial
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BetaPrior:
    """A fitted Beta(alpha, beta) prior for agents' true rates.

    ``pooled`` is True when the agents are indistinguishable from chance (the
    between-agent variance is not positive, or the fitted prior would be stronger
    than all the data it came from): every agent then gets the pooled rate and its
    interval, ``Beta(K + 1/2, N - K + 1/2)`` (Jeffreys).
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

    def posterior(self, k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Posterior mean and equal-tailed credible interval for each (k, n).

        Examples
        --------
        >>> prior = BetaPrior(10.686, 2.316, "mom", False, 0, 0, 8, 0.01)
        >>> m, lo, hi = prior.posterior([5], [5])
        >>> round(float(m[0]), 3), round(float(lo[0]), 2), round(float(hi[0]), 2)
        (0.871, 0.69, 0.98)
        """
        k = np.asarray(k, dtype=float)
        n = np.asarray(n, dtype=float)
        q = [(1 - level) / 2, (1 + level) / 2]
        if self.pooled:
            a = np.full_like(k, self.total_k + 0.5)
            b = np.full_like(k, self.total_n - self.total_k + 0.5)
        else:
            a, b = k + self.alpha, n - k + self.beta
        return a / (a + b), stats.beta.ppf(q[0], a, b), stats.beta.ppf(q[1], a, b)

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


def fit_beta_prior(k, n, method: str = "ml") -> BetaPrior:
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


def funnel_limits(p0: float, n, z: Sequence[float] = (1.96, 3.09)) -> pd.DataFrame:
    """Funnel-plot control limits p0 ± z·sqrt(p0(1-p0)/n) (Spiegelhalter 2005).

    Parameters
    ----------
    p0 : float
        The target or overall rate.
    n : array-like
        Sample sizes at which to compute the limits.
    z : sequence of float
        Limit widths; 1.96 (95%) and 3.09 (99.8%) by default.

    Returns
    -------
    DataFrame with ``n`` and ``low_<z>`` / ``high_<z>`` columns, clipped to [0, 1].

    Examples
    --------
    >>> funnel_limits(0.8, [25, 400]).round(3)
         n  low_1.96  high_1.96  low_3.09  high_3.09
    0   25     0.643      0.957     0.553      1.000
    1  400     0.761      0.839     0.738      0.862
    """
    if not 0 <= p0 <= 1:
        raise CxError(f"p0 must be a rate between 0 and 1, got {p0}.")
    n = np.asarray(n, dtype=float)
    sd = np.sqrt(p0 * (1 - p0) / n)
    out = {"n": n.astype(int) if np.all(n == np.round(n)) else n}
    for zz in z:
        out[f"low_{zz:g}"] = np.clip(p0 - zz * sd, 0, 1)
        out[f"high_{zz:g}"] = np.clip(p0 + zz * sd, 0, 1)
    return pd.DataFrame(out)


def _funnel_flag(rate: np.ndarray, n: np.ndarray, p0: float) -> np.ndarray:
    sd = np.sqrt(p0 * (1 - p0) / n)
    z = (rate - p0) / np.where(sd > 0, sd, np.nan)
    flag = np.full(len(rate), "inside", dtype=object)
    flag[z > 1.96] = "above 95%"
    flag[z > 3.09] = "above 99.8%"
    flag[z < -1.96] = "below 95%"
    flag[z < -3.09] = "below 99.8%"
    return flag


class AgentFeedback:
    """Per-agent satisfaction with raw (Wilson) and shrunk (empirical-Bayes) intervals.

    Parameters
    ----------
    method : {"ml", "corrected", "mom"}
        How the Beta prior is fitted (see :func:`fit_beta_prior`).
    level : float
        Interval level (0.95).
    satisfied_min : int
        Lowest CSAT that counts as satisfied (4: top-2-box).

    Attributes
    ----------
    prior_ : BetaPrior
    alpha_, beta_ : float
        The fitted prior (NaN when pooled).
    pooled_ : bool
    overall_rate_ : float
        Satisfied answers / all answers.
    n_rows_, n_missing_ : int
        Rows read, and rows left out because the agent or the score was empty.

    Examples
    --------
    >>> counts = pd.DataFrame({"agent": list("ABCDEFGH"),
    ...     "n": [5, 10, 100, 200, 50, 3, 300, 80], "k": [5, 9, 80, 170, 40, 2, 250, 58]})
    >>> fb = AgentFeedback(method="mom").fit_counts(counts["k"], counts["n"], counts["agent"])
    >>> fb.summary.set_index("agent").loc[["A", "F", "H", "G"],
    ...     ["raw_rate", "shrunk_rate", "low", "high"]].round(3)
           raw_rate  shrunk_rate    low   high
    agent
    A         1.000        0.871  0.688  0.979
    F         0.667        0.793  0.571  0.946
    H         0.725        0.739  0.645  0.822
    G         0.833        0.833  0.790  0.872
    """

    def __init__(self, method: str = "ml", level: float = 0.95, satisfied_min: int = SATISFIED_MIN):
        self.method = method
        self.level = level
        self.satisfied_min = satisfied_min

    def fit(
        self, data: pd.DataFrame, agent: str = "agent_id", score: str = "csat", source: str | None = None
    ) -> AgentFeedback:
        """Fit from one row per survey answer (``agent`` and ``score`` columns)."""
        clean, missing = _check_frame(data, {"agent": agent, "score": score}, source=source, score=score)
        if clean.empty:
            raise CxError(f"no usable answers: all {len(data)} rows have an empty '{agent}' or '{score}'.")
        sat = clean[score].to_numpy() >= self.satisfied_min
        g = pd.DataFrame({"a": clean[agent].astype(str).to_numpy(), "s": sat}).groupby("a", sort=True)["s"]
        counts = g.agg(["size", "sum"])
        self.fit_counts(counts["sum"].to_numpy(), counts["size"].to_numpy(), counts.index.to_numpy())
        self.n_rows_, self.n_missing_ = len(data), missing
        self.agent_column_, self.score_column_ = agent, score
        return self

    def fit_counts(self, k, n, agents=None) -> AgentFeedback:
        """Fit from per-agent counts: ``k`` satisfied answers out of ``n``."""
        k = np.asarray(k, dtype=float)
        n = np.asarray(n, dtype=float)
        agents = np.arange(len(k)).astype(str) if agents is None else np.asarray(agents)
        self.prior_ = fit_beta_prior(k, n, method=self.method)
        self.alpha_, self.beta_, self.pooled_ = self.prior_.alpha, self.prior_.beta, self.prior_.pooled
        self.overall_rate_ = float(k.sum() / n.sum())
        raw = k / n
        rlo, rhi = wilson_interval(k, n, self.level)
        mean, lo, hi = self.prior_.posterior(k, n, self.level)
        s = pd.DataFrame(
            {
                "agent": agents,
                "n": n.astype(int),
                "satisfied": k.astype(int),
                "raw_rate": raw,
                "raw_low": rlo,
                "raw_high": rhi,
                "shrunk_rate": mean,
                "low": lo,
                "high": hi,
                "funnel": _funnel_flag(raw, n, self.overall_rate_),
            }
        )
        s["rank_raw"] = s["raw_rate"].rank(ascending=False, method="min").astype(int)
        s["rank_shrunk"] = s["shrunk_rate"].rank(ascending=False, method="min").astype(int)
        self._summary = s.sort_values(["shrunk_rate", "n"], ascending=[False, False], kind="mergesort").reset_index(
            drop=True
        )
        self.n_rows_, self.n_missing_ = int(n.sum()), 0
        return self

    @property
    def summary(self) -> pd.DataFrame:
        """One row per agent, best shrunk rate first."""
        if not hasattr(self, "_summary"):
            raise CxError("call fit() first.")
        return self._summary.copy()

    def coverage(self, truth: pd.Series, interval: str = "shrunk") -> float:
        """Share of agents whose interval contains ``truth`` (a Series indexed by agent).

        ``interval="shrunk"`` uses the credible interval, ``"raw"`` the Wilson interval.
        Agents missing from ``truth`` are left out.

        Examples
        --------
        >>> fb = AgentFeedback().fit_counts([40, 45], [50, 50], ["A", "B"])
        >>> fb.coverage(pd.Series({"A": 0.8, "B": 0.99}), interval="raw")
        0.5
        """
        if interval not in {"shrunk", "raw"}:
            raise CxError(f"interval must be 'shrunk' or 'raw', not {interval!r}.")
        s = self._summary
        lo, hi = ("low", "high") if interval == "shrunk" else ("raw_low", "raw_high")
        t = s["agent"].map(truth)
        ok = t.notna()
        return float(((s[lo] <= t) & (t <= s[hi]))[ok].mean())

    def __repr__(self) -> str:
        if not hasattr(self, "_summary"):
            return f"AgentFeedback(method={self.method!r}, unfitted)"
        s = self._summary
        return (
            f"AgentFeedback({len(s)} agents, {int(s['n'].sum())} answers, overall satisfied "
            f"{self.overall_rate_:.1%}; {self.prior_!r}; {self.n_missing_} rows with empty values left out)"
        )


def rank_agents(
    data: pd.DataFrame,
    agent: str = "agent_id",
    score: str = "csat",
    *,
    method: str = "ml",
    level: float = 0.95,
    source: str | None = None,
) -> pd.DataFrame:
    """Per-agent n, raw rate (Wilson interval) and shrunk rate (credible interval), best first.

    Examples
    --------
    >>> df = pd.DataFrame({"agent_id": ["A", "A", "B", "B", "B"], "csat": [5, 5, 1, 4, 5]})
    >>> rank_agents(df)[["agent", "n", "raw_rate", "shrunk_rate"]].round(3)
      agent  n  raw_rate  shrunk_rate
    0     B  3     0.667         0.75
    1     A  2     1.000         0.75

    Two agents with five answers between them cannot be told apart: both get the
    pooled rate (and A's perfect 2/2 does not make A the best).
    """
    return AgentFeedback(method=method, level=level).fit(data, agent=agent, score=score, source=source).summary


# --------------------------------------------------------------------------------------
# case mix
# --------------------------------------------------------------------------------------
def case_mix(
    data: pd.DataFrame,
    agent: str = "agent_id",
    score: str = "csat",
    by: Sequence[str] = ("issue_type",),
    *,
    level: float = 0.95,
    satisfied_min: int = SATISFIED_MIN,
) -> pd.DataFrame:
    """Indirectly standardised satisfaction per agent, adjusting for contact mix.

    Each answer's *expected* chance of being satisfied is the overall rate in its
    stratum (the combination of the ``by`` columns, e.g. issue type and channel).
    An agent's expected count is the sum over their answers; ``o_e`` = observed /
    expected, and ``adjusted_rate`` = overall rate × o_e, with the Wilson interval
    of the raw rate scaled the same way. An agent who takes many hard contacts
    (complaints) has a low expected count, so the adjustment lifts them.

    Returns
    -------
    DataFrame: agent, n, observed, expected, raw_rate, o_e, adjusted_rate,
    adj_low, adj_high; sorted by adjusted_rate, best first. ``attrs["n_missing"]``
    counts the rows left out for an empty value.

    Examples
    --------
    >>> df = pd.DataFrame({"agent_id": list("AAAABBBB"),
    ...     "issue_type": ["complaint"] * 3 + ["billing"] + ["billing"] * 3 + ["complaint"],
    ...     "csat": [4, 2, 2, 5, 5, 5, 4, 1]})
    >>> case_mix(df)[["agent", "raw_rate", "expected", "o_e", "adjusted_rate"]].round(3)
      agent  raw_rate  expected    o_e  adjusted_rate
    0     A      0.50      1.75  1.143          0.714
    1     B      0.75      3.25  0.923          0.577
    """
    by = [by] if isinstance(by, str) else list(by)
    cols = {"agent": agent, "score": score, **{f"case-mix column {i + 1}": b for i, b in enumerate(by)}}
    clean, missing = _check_frame(data, cols, score=score)
    if clean.empty:
        raise CxError("no usable answers for case-mix adjustment.")
    sat = (clean[score].to_numpy() >= satisfied_min).astype(float)
    frame = clean[by].astype(str).assign(_sat=sat, _agent=clean[agent].astype(str).to_numpy())
    expected_p = frame.groupby(by, sort=False)["_sat"].transform("mean").to_numpy()
    frame["_exp"] = expected_p
    g = frame.groupby("_agent", sort=True).agg(n=("_sat", "size"), observed=("_sat", "sum"), expected=("_exp", "sum"))
    overall = float(sat.mean())
    out = g.reset_index().rename(columns={"_agent": "agent"})
    out["raw_rate"] = out["observed"] / out["n"]
    out["o_e"] = out["observed"] / out["expected"]
    lo, hi = wilson_interval(out["observed"], out["n"], level)
    scale = overall / (out["expected"] / out["n"])
    out["adjusted_rate"] = overall * out["o_e"]
    out["adj_low"], out["adj_high"] = lo * scale, hi * scale
    out["observed"] = out["observed"].astype(int)
    out = out[["agent", "n", "observed", "expected", "raw_rate", "o_e", "adjusted_rate", "adj_low", "adj_high"]]
    out = out.sort_values("adjusted_rate", ascending=False, kind="mergesort").reset_index(drop=True)
    out.attrs["n_missing"] = missing
    out.attrs["overall_rate"] = overall
    return out

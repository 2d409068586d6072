"""Feedback tied to each support agent: fair rankings, control charts and coaching.

What this module is for (lesson 04, article 001 points 4-6):

* **Rates with honest uncertainty.** A post-interaction survey answer counts as
  *satisfied* when CSAT is 4 or 5 (top-2-box). Raw rates get Wilson intervals
  (:func:`wilson_interval`).
* **Fair agent comparisons.** Empirical-Bayes beta-binomial shrinkage
  (:func:`fit_beta_prior`, :class:`AgentFeedback`, :func:`rank_agents`) pulls each
  agent's rate towards the team-wide rate by an amount that depends on how many
  surveys the agent has; the funnel plot (Spiegelhalter 2005, :func:`funnel_limits`)
  flags only agents outside chance limits; indirect standardisation
  (:func:`case_mix`) removes the disadvantage of agents who take the hard contacts.
* **Real time.** :class:`FeedbackMonitor` takes new responses in batches
  (``update(batch)``), keeps per-agent and overall estimates current and raises
  alarms from a p-chart with varying n (Shewhart 1931; Montgomery) and an EWMA
  chart (Roberts 1959; Lucas & Saccucci 1990). :func:`p_chart`, :func:`ewma_chart`
  and :func:`simulate_arl` are the building blocks; :func:`simulate_stream` makes a
  month of daily batches, with or without a process change that harms one team.
* **Developing the team.** :func:`quality_scorecard`, :func:`training_needs` and
  :func:`development_plan` (a quality framework, article 001 point 5), and
  :func:`simulate_pulse_detection` (annual vs pulse employee surveys, point 6).

An alarm means *investigate the process*, not *blame the agent*; use agent scores
for coaching, not pay (article 000; Montgomery).

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
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, signal, special, stats

from cxlib.errors import CxError, Problem, ValidationError
from cxlib.stats import wilson_interval

__all__ = [
    "SATISFIED_MIN", "CSAT_SCALE", "EWMA_LAMBDA", "EWMA_L",
    "top2box", "wilson_interval", "BetaPrior", "fit_beta_prior", "AgentFeedback",
    "rank_agents", "funnel_limits", "case_mix", "p_chart", "ewma_chart", "ARLResult",
    "simulate_arl", "FeedbackMonitor", "simulate_stream", "EMPATHY_WORDS",
    "quality_scorecard", "training_needs", "development_plan",
    "simulate_pulse_detection", "detection_summary",
    "plot_ranking", "plot_funnel", "plot_control_chart", "plot_case_mix",
    "plot_scorecard", "plot_detection", "agent_chart", "plot_agent",
]

#: Lowest CSAT answer that counts as satisfied (top-2-box on a 1-5 scale).
SATISFIED_MIN = 4
#: The CSAT answer scale.
CSAT_SCALE = (1, 5)
#: Default EWMA smoothing and limit width (ARL0 about 500; Lucas & Saccucci 1990).
EWMA_LAMBDA, EWMA_L = 0.2, 2.962


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------
def _rows(mask: np.ndarray) -> tuple:
    """Spreadsheet row numbers (header = row 1) of the True positions."""
    return tuple(int(i) + 2 for i in np.flatnonzero(mask)[:5])


def _check_frame(data, columns: Mapping[str, str], *, source: str | None = None,
                 score: str | None = None, scale: tuple = CSAT_SCALE) -> tuple[pd.DataFrame, int]:
    """Validate ``data``; return (rows with every needed value, number of rows dropped).

    ``columns`` maps a role ("agent", "score", ...) to the column name. Rows with an
    empty value are *counted* (returned), not silently lost; text or out-of-range
    scores raise a :class:`ValidationError` listing every problem.
    """
    if not isinstance(data, pd.DataFrame):
        raise CxError(f"expected a pandas DataFrame of survey responses, got {type(data).__name__}. "
                      "Load your file with cxlib.io.read_table(path, 'agent_feedback').")
    problems = []
    for role, col in columns.items():
        if col not in data.columns:
            problems.append(Problem("missing column", column=col,
                                    fix=f"The {role} column '{col}' is not in the data (columns: "
                                        f"{', '.join(map(str, list(data.columns)[:12]))}). Pass the right "
                                        f"name, e.g. {role}='...'."))
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
            problems.append(Problem("text in a number column", column=score, rows=_rows(text),
                                    values=tuple(raw[text].head(5)), count=int(text.sum()),
                                    fix=f"CSAT must be a whole number from {scale[0]} to {scale[1]}."))
        v = num.to_numpy(dtype=float)
        bad = ~np.isnan(v) & ((v < scale[0]) | (v > scale[1]) | (v != np.round(v)))
        if bad.any():
            problems.append(Problem("out of range", column=score, rows=_rows(bad),
                                    values=tuple(v[bad][:5]), count=int(bad.sum()),
                                    fix=f"CSAT must be a whole number from {scale[0]} to {scale[1]}; "
                                        "check the scale (is it 0-10 or 1-7?) and the column."))
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
            return (f"BetaPrior(pooled: {self.n_agents} agents indistinguishable from chance, "
                    f"rate {self.mean:.3f}, method={self.method!r})")
        return (f"BetaPrior(alpha={self.alpha:.2f}, beta={self.beta:.2f}, mean={self.mean:.3f}, "
                f"strength={self.strength:.1f} surveys, method={self.method!r})")


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
        x0 = np.array([special.logit(min(max(K / N, 1e-3), 1 - 1e-3)),
                       math.log(min(max(start, 0.5), N))])
        res = optimize.minimize(_beta_nll, x0, args=(k, n), method="L-BFGS-B",
                                bounds=[(-12, 12), (math.log(0.05), math.log(N) + 0.01)])
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

    def fit(self, data: pd.DataFrame, agent: str = "agent_id", score: str = "csat",
            source: str | None = None) -> "AgentFeedback":
        """Fit from one row per survey answer (``agent`` and ``score`` columns)."""
        clean, missing = _check_frame(data, {"agent": agent, "score": score}, source=source, score=score)
        if clean.empty:
            raise CxError(f"no usable answers: all {len(data)} rows have an empty '{agent}' or '{score}'.")
        sat = (clean[score].to_numpy() >= self.satisfied_min)
        g = pd.DataFrame({"a": clean[agent].astype(str).to_numpy(), "s": sat}).groupby("a", sort=True)["s"]
        counts = g.agg(["size", "sum"])
        self.fit_counts(counts["sum"].to_numpy(), counts["size"].to_numpy(), counts.index.to_numpy())
        self.n_rows_, self.n_missing_ = len(data), missing
        self.agent_column_, self.score_column_ = agent, score
        return self

    def fit_counts(self, k, n, agents=None) -> "AgentFeedback":
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
        s = pd.DataFrame({"agent": agents, "n": n.astype(int), "satisfied": k.astype(int),
                          "raw_rate": raw, "raw_low": rlo, "raw_high": rhi,
                          "shrunk_rate": mean, "low": lo, "high": hi,
                          "funnel": _funnel_flag(raw, n, self.overall_rate_)})
        s["rank_raw"] = s["raw_rate"].rank(ascending=False, method="min").astype(int)
        s["rank_shrunk"] = s["shrunk_rate"].rank(ascending=False, method="min").astype(int)
        self._summary = s.sort_values(["shrunk_rate", "n"], ascending=[False, False],
                                      kind="mergesort").reset_index(drop=True)
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

    def plot(self, ax=None, truth: pd.Series | Mapping[str, pd.Series] | None = None,
             top: int | None = None):
        """Raw vs shrunk rates with intervals (see :func:`plot_ranking`)."""
        return plot_ranking(self.summary, truth=truth, top=top, ax=ax)

    def __repr__(self) -> str:
        if not hasattr(self, "_summary"):
            return f"AgentFeedback(method={self.method!r}, unfitted)"
        s = self._summary
        return (f"AgentFeedback({len(s)} agents, {int(s['n'].sum())} answers, overall satisfied "
                f"{self.overall_rate_:.1%}; {self.prior_!r}; {self.n_missing_} rows with empty values left out)")


def rank_agents(data: pd.DataFrame, agent: str = "agent_id", score: str = "csat", *,
                method: str = "ml", level: float = 0.95, source: str | None = None) -> pd.DataFrame:
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
def case_mix(data: pd.DataFrame, agent: str = "agent_id", score: str = "csat",
             by: Sequence[str] = ("issue_type",), *, level: float = 0.95,
             satisfied_min: int = SATISFIED_MIN) -> pd.DataFrame:
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
    g = frame.groupby("_agent", sort=True).agg(n=("_sat", "size"), observed=("_sat", "sum"),
                                               expected=("_exp", "sum"))
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


# --------------------------------------------------------------------------------------
# control charts
# --------------------------------------------------------------------------------------
def _baseline_p(defects: np.ndarray, n: np.ndarray, p0, baseline) -> float:
    if p0 is not None:
        if not 0 < p0 < 1:
            raise CxError(f"the centre line p0 must be strictly between 0 and 1, got {p0}.")
        return float(p0)
    if baseline is None:
        mask = np.ones(len(n), bool)
    elif isinstance(baseline, (int, np.integer)):
        mask = np.arange(len(n)) < int(baseline)
    else:
        mask = np.asarray(baseline, bool)
    tot = n[mask].sum()
    if tot <= 0:
        raise CxError("the Phase I baseline has no answers: give more baseline periods or p0.")
    p = float(defects[mask].sum() / tot)
    if p <= 0 or p >= 1:
        raise CxError(f"the baseline rate is {p:.0%}: a control chart needs a centre strictly between "
                      "0 and 1. Use a longer baseline or give p0.")
    return p


def _as_arrays(defects, n) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    index = defects.index if isinstance(defects, pd.Series) else pd.RangeIndex(len(np.atleast_1d(defects)))
    d = np.asarray(defects, dtype=float)
    m = np.asarray(n, dtype=float)
    if d.shape != m.shape or d.ndim != 1:
        raise CxError("defects and n must be one-dimensional and the same length (one entry per period).")
    if np.any(m < 0) or np.any(d < 0) or np.any(d > m) or np.isnan(d).any() or np.isnan(m).any():
        raise CxError("each period needs n >= 0 answers and 0 <= defects <= n.")
    return d, m, index


def p_chart(defects, n, *, p0: float | None = None, baseline=None, sigma: float = 3.0) -> pd.DataFrame:
    """Shewhart p-chart with a varying sample size (Montgomery, ch. 7).

    Centre p̄ = Σk/Σn over the Phase I ``baseline`` (all periods if None, the first
    ``baseline`` periods if an int, or a boolean mask), or ``p0`` if given. Limits
    are p̄ ± sigma·sqrt(p̄(1-p̄)/n_i), floored at 0 and capped at 1.

    Returns
    -------
    DataFrame (one row per period): n, defects, p, centre, lcl, ucl, signal
    ("above", "below" or ""). Periods with n = 0 have NaN p and no signal.

    Examples
    --------
    The worked example of cx_science §3:

    >>> p_chart([6, 48], [50, 400], p0=0.12)[["n", "lcl", "ucl"]].round(3)
         n    lcl    ucl
    0   50  0.000  0.258
    1  400  0.071  0.169
    """
    d, m, index = _as_arrays(defects, n)
    c = _baseline_p(d, m, p0, baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, d / m, np.nan)
        sd = np.sqrt(c * (1 - c) / m)
    lcl, ucl = np.clip(c - sigma * sd, 0, 1), np.clip(c + sigma * sd, 0, 1)
    sig = np.where(p > ucl, "above", np.where(p < lcl, "below", ""))
    return pd.DataFrame({"n": m.astype(int), "defects": d.astype(int), "p": p, "centre": c,
                         "lcl": lcl, "ucl": ucl, "signal": sig}, index=index)


def ewma_chart(defects, n, *, p0: float | None = None, baseline=None, lam: float = EWMA_LAMBDA,
               L: float = EWMA_L) -> pd.DataFrame:
    """EWMA chart of a proportion with varying n (Roberts 1959; Lucas & Saccucci 1990).

    z_t = λ·p_t + (1-λ)·z_{t-1}, z_0 = p0. Its variance follows
    V_t = (1-λ)²·V_{t-1} + λ²·p0(1-p0)/n_t, which for a constant n is the textbook
    σ²·λ/(2-λ)·[1-(1-λ)^{2t}]. Limits p0 ± L·sqrt(V_t). Periods with no answers leave
    z and V unchanged. λ = 0.2, L = 2.962 gives an in-control ARL of about 500.

    Returns
    -------
    DataFrame: n, defects, p, ewma, centre, lcl, ucl, signal.

    Examples
    --------
    >>> ch = ewma_chart([10, 10, 20, 22], [100] * 4, p0=0.1)
    >>> ch[["ewma", "ucl", "signal"]].round(4)
       ewma     ucl signal
    0  0.10  0.1178
    1  0.10  0.1228
    2  0.12  0.1254
    3  0.14  0.1270  above
    """
    d, m, index = _as_arrays(defects, n)
    c = _baseline_p(d, m, p0, baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, d / m, np.nan)
    T = len(m)
    zs, vs = np.empty(T), np.empty(T)
    z, v = c, 0.0
    for t in range(T):
        if m[t] > 0:
            z = lam * p[t] + (1 - lam) * z
            v = (1 - lam) ** 2 * v + lam ** 2 * c * (1 - c) / m[t]
        zs[t], vs[t] = z, v
    half = L * np.sqrt(vs)
    lcl, ucl = np.clip(c - half, 0, 1), np.clip(c + half, 0, 1)
    sig = np.where(vs > 0, np.where(zs > ucl, "above", np.where(zs < lcl, "below", "")), "")
    return pd.DataFrame({"n": m.astype(int), "defects": d.astype(int), "p": p, "ewma": zs,
                         "centre": c, "lcl": lcl, "ucl": ucl, "signal": sig}, index=index)


@dataclass(frozen=True)
class ARLResult:
    """Average run length from :func:`simulate_arl`."""

    arl: float
    se: float
    run_lengths: np.ndarray
    censored: int
    chart: str
    shift: float

    def __repr__(self) -> str:
        return (f"ARLResult({self.chart}, shift {self.shift:g}σ: ARL {self.arl:.1f} ± {self.se:.1f} "
                f"from {len(self.run_lengths)} runs, {self.censored} censored)")


def simulate_arl(chart: str = "ewma", *, lam: float = EWMA_LAMBDA, L: float = EWMA_L, shift: float = 0.0,
                 n_runs: int = 2000, max_len: int = 6000, seed: int = 0, two_sided: bool = True) -> ARLResult:
    """Average run length of a chart on standardised normal data, by simulation.

    ``chart="ewma"`` uses exact time-varying limits ±L·sqrt(λ/(2-λ)[1-(1-λ)^{2t}]);
    ``chart="shewhart"`` signals when |x_t| > L (use L=3 for the 3σ chart, ARL0 ≈ 370).
    ``shift`` is the mean shift in σ units from the first observation. Runs that do
    not signal within ``max_len`` are counted in ``censored`` and scored as max_len.

    Examples
    --------
    >>> r = simulate_arl("shewhart", L=3.0, n_runs=4000, seed=1)
    >>> 330 < r.arl < 410
    True
    """
    if chart not in {"ewma", "shewhart"}:
        raise CxError(f"chart must be 'ewma' or 'shewhart', not {chart!r}.")
    rng = np.random.default_rng(seed)
    t = np.arange(1, max_len + 1)
    if chart == "ewma":
        limit = L * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    else:
        limit = np.full(max_len, L)
    out = np.empty(n_runs)
    chunk = max(1, min(n_runs, 2_000_000 // max_len))
    for start in range(0, n_runs, chunk):
        size = min(chunk, n_runs - start)
        x = rng.standard_normal((size, max_len)) + shift
        stat = signal.lfilter([lam], [1, -(1 - lam)], x, axis=1) if chart == "ewma" else x
        hit = (stat > limit) | (two_sided & (stat < -limit))
        first = np.where(hit.any(axis=1), hit.argmax(axis=1) + 1, max_len)
        out[start:start + size] = first
    censored = int(np.sum(out >= max_len))
    return ARLResult(float(out.mean()), float(out.std(ddof=1) / math.sqrt(n_runs)), out, censored, chart, shift)


# --------------------------------------------------------------------------------------
# the streaming monitor
# --------------------------------------------------------------------------------------
_ALARM_COLUMNS = ["when", "chart", "level", "unit", "value", "centre", "limit", "n", "direction"]
_HIST_COLUMNS = ["when", "level", "unit", "n", "defects", "p", "centre", "p_lcl", "p_ucl",
                 "ewma", "ewma_lcl", "ewma_ucl"]


class FeedbackMonitor:
    """Watch post-interaction feedback as it arrives and raise control-chart alarms.

    Each :meth:`update` takes a batch of new responses (one period, e.g. a day),
    updates cumulative per-agent estimates and, for every charted unit (the whole
    company, each team, optionally each agent), the share of *dissatisfied* answers
    (CSAT below ``satisfied_min``) on a p-chart with varying n and an EWMA chart.
    Centre lines come from a Phase I ``baseline`` of stable responses: each team's
    own baseline rate; each agent's empirical-Bayes shrunk baseline rate; a unit new
    since the baseline uses the overall baseline rate.

    Parameters
    ----------
    baseline : DataFrame
        Phase I responses (same columns as the batches), from a period believed stable.
    agent, score, team, time : str
        Column names. ``time`` labels a batch (its latest value is the alarm's
        ``when``); if the column is absent the batch number is used.
    levels : tuple of {"overall", "team", "agent"}
        Which units get control charts. Agent-level charts on daily batches are
        noisy (few answers per agent per day): many false alarms.
    lam, L : float
        EWMA weight and limit width (0.2 and 2.962: ARL0 ≈ 500).
    p_sigma : float
        p-chart limit width (3).
    side : {"upper", "both"}
        Alarm only on more dissatisfaction (default), or on both directions.

    Attributes
    ----------
    alarms : DataFrame
        when, chart ("p" or "ewma"), level, unit, value, centre, limit, n, direction.
    history : DataFrame
        One row per update and charted unit: counts, p, EWMA and both charts' limits.
    estimates : DataFrame
        Current per-agent raw and shrunk satisfaction (an :class:`AgentFeedback` summary).
    overall : dict
        Cumulative n, satisfied rate and its Wilson interval.

    Examples
    --------
    >>> agents = pd.DataFrame({"agent_id": [f"A{i}" for i in range(20)],
    ...                        "team": ["T1"] * 10 + ["T2"] * 10, "true_csat": 0.85})
    >>> base = simulate_stream(agents, days=30, seed=1)
    >>> month = simulate_stream(agents, days=30, harm_team="T2", harm_from_day=10, effect=0.3, seed=3)
    >>> mon = FeedbackMonitor(base)
    >>> for _, batch in month.groupby("date"):
    ...     _ = mon.update(batch)
    >>> mon.alarms.groupby(["unit", "chart"])["when"].min().dt.strftime("%b %d")
    unit  chart
    T2    ewma     Jan 11
          p        Jan 10
    all   ewma     Jan 13
          p        Jan 10
    Name: when, dtype: object
    """

    def __init__(self, baseline: pd.DataFrame, *, agent: str = "agent_id", score: str = "csat",
                 team: str = "team", time: str = "date", levels: Iterable[str] = ("overall", "team"),
                 lam: float = EWMA_LAMBDA, L: float = EWMA_L, p_sigma: float = 3.0, side: str = "upper",
                 method: str = "ml", satisfied_min: int = SATISFIED_MIN):
        self.agent, self.score, self.team, self.time = agent, score, team, time
        self.levels = tuple(levels)
        bad = set(self.levels) - {"overall", "team", "agent"}
        if bad or not self.levels:
            raise CxError(f"levels must be chosen from 'overall', 'team', 'agent'; got {sorted(bad) or '()'}.")
        if side not in {"upper", "both"}:
            raise CxError(f"side must be 'upper' or 'both', not {side!r}.")
        if not 0 < lam <= 1:
            raise CxError(f"lam must be in (0, 1], got {lam}.")
        self.lam, self.L, self.p_sigma, self.side = lam, L, p_sigma, side
        self.method, self.satisfied_min = method, satisfied_min
        cols = self._roles()
        clean, missing = _check_frame(baseline, cols, source="baseline", score=score)
        if clean.empty:
            raise CxError("the baseline has no usable answers; a monitor needs a Phase I period.")
        dis = (clean[score].to_numpy() < satisfied_min)
        self.p0_ = float(dis.mean())
        if not 0 < self.p0_ < 1:
            raise CxError(f"the baseline dissatisfied rate is {self.p0_:.0%}: a control chart needs a "
                          "centre strictly between 0 and 1; use a longer baseline.")
        self.n_baseline_, self.n_missing_ = len(clean), missing
        self._centres: dict[str, pd.Series] = {"overall": pd.Series({"all": self.p0_})}
        if "team" in self.levels:
            self._centres["team"] = pd.Series(dis).groupby(clean[team].astype(str).to_numpy()).mean()
        if "agent" in self.levels:
            fb = AgentFeedback(method=method).fit(clean.assign(**{score: np.where(dis, 1, 5)}),
                                                  agent=agent, score=score)
            s = fb.summary
            self._centres["agent"] = pd.Series(1 - s["shrunk_rate"].to_numpy(), index=s["agent"].to_numpy())
        self._state = pd.DataFrame(columns=["centre", "z", "v"], dtype=float)
        self._cum = pd.DataFrame(columns=["n", "k"], dtype=float)
        self._alarms: list[pd.DataFrame] = []
        self._history: list[pd.DataFrame] = []
        self.n_updates_ = 0

    def _roles(self) -> dict:
        cols = {"agent": self.agent, "score": self.score}
        if "team" in self.levels:
            cols["team"] = self.team
        return cols

    def update(self, batch: pd.DataFrame, when=None) -> pd.DataFrame:
        """Add one batch of new responses; return the alarms it raised (maybe none)."""
        clean, missing = _check_frame(batch, self._roles(), source="batch", score=self.score)
        self.n_missing_ += missing
        self.n_updates_ += 1
        if when is None:
            when = batch[self.time].max() if self.time in batch.columns and len(batch) else self.n_updates_
        if clean.empty:
            return pd.DataFrame(columns=_ALARM_COLUMNS)
        dis = (clean[self.score].to_numpy() < self.satisfied_min)
        agents = clean[self.agent].astype(str).to_numpy()
        # cumulative per-agent counts (for estimates), always kept
        a = pd.DataFrame({"n": 1.0, "k": (~dis).astype(float)}).groupby(agents).sum()
        self._cum = a if self._cum.empty else self._cum.add(a, fill_value=0)
        # counts per charted unit
        parts = []
        if "overall" in self.levels:
            parts.append(pd.DataFrame({"n": [float(len(dis))], "d": [float(dis.sum())]},
                                      index=pd.MultiIndex.from_tuples([("overall", "all")])))
        for level, keys in (("team", "team"), ("agent", "agent")):
            if level in self.levels:
                lab = agents if level == "agent" else clean[self.team].astype(str).to_numpy()
                g = pd.DataFrame({"n": 1.0, "d": dis.astype(float)}).groupby(lab).sum()
                g.index = pd.MultiIndex.from_arrays([[level] * len(g), g.index])
                parts.append(g)
        cnt = pd.concat(parts)
        new = cnt.index.difference(self._state.index)
        if len(new):
            cen = [self._centres.get(lv, pd.Series(dtype=float)).get(u, self.p0_) for lv, u in new]
            cen = np.clip(np.asarray(cen, float), 1e-4, 1 - 1e-4)
            add = pd.DataFrame({"centre": cen, "z": cen, "v": 0.0}, index=new)
            self._state = add if self._state.empty else pd.concat([self._state, add])
        st = self._state.loc[cnt.index]
        c, n, d = st["centre"].to_numpy(), cnt["n"].to_numpy(), cnt["d"].to_numpy()
        p = d / n
        var1 = c * (1 - c) / n
        sd = np.sqrt(var1)
        p_ucl, p_lcl = np.minimum(c + self.p_sigma * sd, 1), np.maximum(c - self.p_sigma * sd, 0)
        z = self.lam * p + (1 - self.lam) * st["z"].to_numpy()
        v = (1 - self.lam) ** 2 * st["v"].to_numpy() + self.lam ** 2 * var1
        half = self.L * np.sqrt(v)
        e_ucl, e_lcl = np.minimum(c + half, 1), np.maximum(c - half, 0)
        self._state.loc[cnt.index, "z"] = z
        self._state.loc[cnt.index, "v"] = v
        lv = cnt.index.get_level_values(0).to_numpy()
        un = cnt.index.get_level_values(1).to_numpy()
        self._history.append(pd.DataFrame({"when": when, "level": lv, "unit": un, "n": n.astype(int),
                                           "defects": d.astype(int), "p": p, "centre": c, "p_lcl": p_lcl,
                                           "p_ucl": p_ucl, "ewma": z, "ewma_lcl": e_lcl, "ewma_ucl": e_ucl}))
        rows = []
        for chart, val, lo, hi in (("p", p, p_lcl, p_ucl), ("ewma", z, e_lcl, e_ucl)):
            up = val > hi
            down = (val < lo) if self.side == "both" else np.zeros(len(val), bool)
            for mask, lim, direction in ((up, hi, "up"), (down, lo, "down")):
                if mask.any():
                    rows.append(pd.DataFrame({"when": when, "chart": chart, "level": lv[mask],
                                              "unit": un[mask], "value": val[mask], "centre": c[mask],
                                              "limit": lim[mask], "n": n[mask].astype(int),
                                              "direction": direction}))
        out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=_ALARM_COLUMNS)
        if rows:
            self._alarms.append(out)
        return out

    @property
    def alarms(self) -> pd.DataFrame:
        """Every alarm so far, oldest first."""
        if not self._alarms:
            return pd.DataFrame(columns=_ALARM_COLUMNS)
        return pd.concat(self._alarms, ignore_index=True)

    @property
    def history(self) -> pd.DataFrame:
        """Per update and charted unit: n, dissatisfied, p, EWMA and limits."""
        if not self._history:
            return pd.DataFrame(columns=_HIST_COLUMNS)
        return pd.concat(self._history, ignore_index=True)

    @property
    def estimates(self) -> pd.DataFrame:
        """Current per-agent satisfaction, raw and shrunk, from all batches so far."""
        if self._cum.empty:
            raise CxError("no batches yet: call update(batch) first.")
        cum = self._cum.sort_index()
        return AgentFeedback(method=self.method).fit_counts(cum["k"], cum["n"], cum.index.to_numpy()).summary

    @property
    def overall(self) -> dict:
        """Cumulative satisfied rate across all batches, with its Wilson interval."""
        n, k = float(self._cum["n"].sum()), float(self._cum["k"].sum())
        lo, hi = wilson_interval([k], [n])
        return {"n": int(n), "satisfied_rate": k / n if n else math.nan, "low": float(lo[0]),
                "high": float(hi[0])}

    def chart(self, unit: str = "all", level: str | None = None) -> pd.DataFrame:
        """History of one charted unit (e.g. ``"all"``, a team name or an agent id)."""
        h = self.history
        h = h[h["unit"] == unit] if level is None else h[(h["unit"] == unit) & (h["level"] == level)]
        if h.empty:
            raise CxError(f"no chart for unit {unit!r}; charted units: {sorted(self.history['unit'].unique())[:10]}.")
        return h.set_index("when")

    def plot(self, unit: str = "all", chart: str = "ewma", ax=None):
        """Control chart of one unit (see :func:`plot_control_chart`)."""
        h = self.chart(unit)
        if chart == "ewma":
            df = h.rename(columns={"ewma_lcl": "lcl", "ewma_ucl": "ucl"})
        else:
            df = h.rename(columns={"p_lcl": "lcl", "p_ucl": "ucl"})
        return plot_control_chart(df, value="ewma" if chart == "ewma" else "p", ax=ax,
                                  title=f"{'EWMA' if chart == 'ewma' else 'p'}-chart of dissatisfaction: {unit}")

    def __repr__(self) -> str:
        return (f"FeedbackMonitor({self.n_updates_} updates, baseline dissatisfied {self.p0_:.1%} from "
                f"{self.n_baseline_} answers, charts on {', '.join(self.levels)}, {len(self.alarms)} alarms)")


def simulate_stream(agents_truth: pd.DataFrame, days: int = 30, *, responses_per_agent_day: float = 3.0,
                    harm_team: str | None = None, harm_from_day: int | None = None, effect: float = 0.15,
                    start: str = "2024-01-01", seed: int = 0, agent: str = "agent_id",
                    team: str = "team", true_csat: str = "true_csat") -> pd.DataFrame:
    """A month (or any number of days) of post-interaction answers, in daily batches.

    Each agent gets Poisson(``responses_per_agent_day``) answers a day; each is
    satisfied (CSAT 4-5) with the agent's true probability ``true_csat``. From day
    ``harm_from_day`` (1-based) a process change lowers that probability by
    ``effect`` (absolute, e.g. 0.15 = 15 points) for every agent of ``harm_team``.

    Parameters
    ----------
    agents_truth : DataFrame
        ``agent``, ``team`` and ``true_csat`` columns, e.g. the simulator's
        ``truth.agents`` merged with the agents table.

    Returns
    -------
    DataFrame: response_id, agent_id, team, date, day, csat, p_true.

    Examples
    --------
    >>> agents = pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["T1", "T2"], "true_csat": [0.9, 0.5]})
    >>> s = simulate_stream(agents, days=3, seed=0)
    >>> list(s.columns)
    ['response_id', 'agent_id', 'team', 'date', 'day', 'csat', 'p_true']
    >>> bool(s["day"].between(1, 3).all())
    True
    """
    cols = {"agent": agent, "team": team, "true csat": true_csat}
    clean, missing = _check_frame(agents_truth, cols, source="agents_truth")
    if missing:
        raise CxError(f"{missing} agents have an empty {agent}, {team} or {true_csat}; fill or drop them first.")
    p = clean[true_csat].to_numpy(dtype=float)
    if np.any((p < 0) | (p > 1)):
        raise CxError(f"'{true_csat}' must be a probability between 0 and 1.")
    if harm_team is not None and harm_team not in set(clean[team].astype(str)):
        raise CxError(f"harm_team {harm_team!r} is not a team in the data: {sorted(set(clean[team].astype(str)))}.")
    rng = np.random.default_rng(seed)
    n_ag = len(clean)
    counts = rng.poisson(responses_per_agent_day, size=(days, n_ag))
    day = np.repeat(np.repeat(np.arange(1, days + 1), n_ag), counts.ravel())
    idx = np.repeat(np.tile(np.arange(n_ag), days), counts.ravel())
    pt = p[idx]
    if harm_team is not None:
        hit = (clean[team].astype(str).to_numpy()[idx] == harm_team) & (day >= (harm_from_day or 1))
        pt = np.where(hit, np.clip(pt - effect, 0.001, 1), pt)
    sat = rng.random(len(idx)) < pt
    hi = np.where(rng.random(len(idx)) < 0.6, 5, 4)
    lo = rng.choice([1, 2, 3], size=len(idx), p=[0.25, 0.25, 0.5])
    csat = np.where(sat, hi, lo)
    dates = pd.Timestamp(start) + pd.to_timedelta(day - 1, unit="D")
    return pd.DataFrame({"response_id": [f"S{i:07d}" for i in range(1, len(idx) + 1)],
                         "agent_id": clean[agent].astype(str).to_numpy()[idx],
                         "team": clean[team].astype(str).to_numpy()[idx],
                         "date": dates, "day": day, "csat": csat, "p_true": pt})


# --------------------------------------------------------------------------------------
# quality framework (article 001, point 5)
# --------------------------------------------------------------------------------------
#: Words and phrases that mark an empathetic reply (lower case, matched as substrings).
EMPATHY_WORDS = ("sorry", "apolog", "understand", "thank", "appreciate", "happy to help",
                 "glad", "frustrat", "i know how", "i can see", "my pleasure")

#: Dimension -> (CX principle, raw column, higher is better?)
_DIMENSIONS = {
    "resolution": ("solve it the first time", "fcr_rate", True),
    "responsiveness": ("answer quickly", "wait_median", False),
    "efficiency": ("respect the customer's time", "handle_median", False),
    "empathy": ("it's how you say it", "empathy_share", True),
    "ease": ("make it effortless", "effort_mean", False),
}

_ACTIONS = {
    "resolution": ("e-learning: product and troubleshooting modules; coaching on ownership",
                   "first-contact resolution"),
    "responsiveness": ("review schedule and queue with the team lead (often a process cause, not the agent)",
                       "median wait (minutes)"),
    "efficiency": ("coaching: call and e-mail structure; knowledge-base shortcuts", "median handle time (minutes)"),
    "empathy": ("1:1 coaching with recorded call / e-mail review against the tone guide",
                "share of replies with empathy language"),
    "ease": ("coaching: take ownership, avoid transfers and repeat requests", "mean customer effort (1-5)"),
}


def quality_scorecard(interactions: pd.DataFrame, feedback: pd.DataFrame | None = None, *,
                      agent: str = "agent_id", team: str = "team", fcr: str = "resolved_first_contact",
                      wait: str = "wait_minutes", handle: str = "handle_minutes", reply: str = "agent_reply",
                      effort: str = "effort", empathy_words: Sequence[str] = EMPATHY_WORDS,
                      min_contacts: int = 20) -> pd.DataFrame:
    """Score each agent's interactions against CX principles, relative to their team.

    Dimensions (principle → measure): resolution (first-contact resolution rate),
    responsiveness (median wait), efficiency (median handle time), empathy (share of
    replies using empathy language), and, if ``feedback`` is given, ease (mean
    customer effort, 1 = very low). Each ``score_<dimension>`` is the agent's
    percentile within their team (0-100, higher is better), so agents are compared
    with colleagues who face the same queue and channel. ``quality`` is the mean
    score. Agents with fewer than ``min_contacts`` contacts get ``few_contacts=True``:
    read their scores with care.

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
    cols = {"agent": agent, "team": team, "first-contact resolution": fcr, "wait": wait,
            "handle time": handle, "reply": reply}
    _check_frame(interactions, cols, source="interactions")
    it = interactions
    pattern = "|".join(map(lambda w: __import__("re").escape(w.lower()), empathy_words))
    emp = it[reply].fillna("").astype(str).str.lower().str.contains(pattern, regex=True)
    g = pd.DataFrame({"agent": it[agent].astype(str), "team": it[team].astype(str),
                      "fcr": pd.to_numeric(it[fcr], errors="coerce"),
                      "wait": pd.to_numeric(it[wait], errors="coerce"),
                      "handle": pd.to_numeric(it[handle], errors="coerce"), "emp": emp.astype(float)})
    sc = g.groupby("agent", sort=True).agg(team=("team", lambda s: s.mode().iat[0]), contacts=("fcr", "size"),
                                           fcr_rate=("fcr", "mean"), wait_median=("wait", "median"),
                                           handle_median=("handle", "median"), empathy_share=("emp", "mean"))
    dims = ["resolution", "responsiveness", "efficiency", "empathy"]
    if feedback is not None:
        _check_frame(feedback, {"agent": agent, "effort": effort}, source="feedback")
        e = pd.to_numeric(feedback[effort], errors="coerce")
        eff = e.groupby(feedback[agent].astype(str)).agg(["mean", "count"])
        sc["effort_mean"] = eff["mean"].reindex(sc.index)
        sc["effort_n"] = eff["count"].reindex(sc.index).fillna(0).astype(int)
        dims.append("ease")
    for dim in dims:
        _, col, higher = _DIMENSIONS[dim]
        sc[f"score_{dim}"] = sc.groupby("team")[col].rank(pct=True, ascending=higher) * 100
    sc["quality"] = sc[[f"score_{d}" for d in dims]].mean(axis=1)
    sc["few_contacts"] = sc["contacts"] < min_contacts
    out = sc.reset_index().rename(columns={"index": "agent"})
    out.attrs["dimensions"] = dims
    return out


def training_needs(scorecard: pd.DataFrame, *, k: int = 2, threshold: float = 40.0) -> pd.DataFrame:
    """Each agent's training needs: their ``k`` lowest dimensions scoring below ``threshold``.

    Returns a long table: agent, team, dimension, principle, score, value (the
    agent's measure), team_median (the team's) and gap (value - team median).

    Examples
    --------
    >>> sc = pd.DataFrame({"agent": ["A", "B"], "team": "T", "fcr_rate": [0.9, 0.5],
    ...     "empathy_share": [0.2, 0.6], "score_resolution": [100.0, 50.0], "score_empathy": [50.0, 100.0]})
    >>> training_needs(sc, threshold=60)[["agent", "dimension", "score"]]
      agent   dimension  score
    0     A     empathy   50.0
    1     B  resolution   50.0
    """
    dims = [c[len("score_"):] for c in scorecard.columns if c.startswith("score_")]
    if not dims:
        raise CxError("the scorecard has no score_* columns: build it with quality_scorecard().")
    long = scorecard.melt(id_vars=["agent", "team"], value_vars=[f"score_{d}" for d in dims],
                          var_name="dimension", value_name="score")
    long["dimension"] = long["dimension"].str[len("score_"):]
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


def development_plan(needs: pd.DataFrame, scorecard: pd.DataFrame | None = None, *,
                     start: str = "2024-07-01", review_weeks: int = 6, group_share: float = 1 / 3) -> pd.DataFrame:
    """A development plan: one row per need, with action, format, measure, target and review date.

    Format is ``group training`` when at least ``group_share`` of a team's agents
    (from ``scorecard``, if given) share the need, else ``1:1 coaching`` (or
    ``process review`` for waiting time, usually a staffing issue, not a skill).

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
        return pd.DataFrame(columns=["agent", "team", "need", "action", "format", "measure", "now",
                                     "target", "review"])
    team_size = (scorecard.groupby("team")["agent"].nunique() if scorecard is not None
                 else needs.groupby("team")["agent"].nunique())
    share = needs.groupby(["team", "dimension"])["agent"].transform("nunique") / needs["team"].map(team_size)
    fmt = np.where(share >= group_share, "group training", "1:1 coaching")
    fmt = np.where(needs["dimension"].eq("responsiveness"), "process review", fmt)
    review = (pd.Timestamp(start) + pd.Timedelta(weeks=review_weeks)).date().isoformat()
    return pd.DataFrame({"agent": needs["agent"].to_numpy(), "team": needs["team"].to_numpy(),
                         "need": needs["dimension"].to_numpy(),
                         "action": needs["dimension"].map(lambda d: _ACTIONS[d][0]).to_numpy(),
                         "format": fmt, "measure": needs["dimension"].map(lambda d: _ACTIONS[d][1]).to_numpy(),
                         "now": needs["value"].round(2).to_numpy(), "target": needs["team_median"].round(2).to_numpy(),
                         "review": review})


# --------------------------------------------------------------------------------------
# employee pulse surveys (article 001, point 6)
# --------------------------------------------------------------------------------------
#: cadence -> (days between surveys, respondents per survey)
DEFAULT_CADENCES = {"annual": (365, 300), "quarterly": (91, 150), "monthly": (30, 60), "weekly": (7, 30)}


def simulate_pulse_detection(cadences: Mapping[str, tuple[int, int]] | None = None, *, n_sims: int = 2000,
                             p_before: float = 0.75, p_after: float = 0.60, z: float = 3.09,
                             horizon_days: int = 730, seed: int = 0) -> pd.DataFrame:
    """How soon do annual vs pulse employee surveys detect a problem? (simulation)

    In each simulated year a problem starts on a random day (uniform over the first
    365 days) and lowers the share of favourable answers from ``p_before`` to
    ``p_after``. A cadence surveys ``respondents`` employees every ``interval`` days,
    starting on a random day; a survey *signals* when its favourable share falls below
    p_before - z·sqrt(p_before(1-p_before)/respondents). Detection is the first signal
    on or after the start; signals before it are false alarms.

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
        phase = rng.uniform(0, interval, n_sims)
        k = int(math.ceil((horizon_days + 365) / interval)) + 1
        times = phase[:, None] + interval * np.arange(k)[None, :]
        after = times >= start[:, None]
        p = np.where(after, p_after, p_before)
        fav = rng.binomial(m, p) / m
        limit = p_before - z * math.sqrt(p_before * (1 - p_before) / m)
        sig = fav < limit
        hit = sig & after & (times <= start[:, None] + horizon_days)
        first = np.where(hit.any(axis=1), times[np.arange(n_sims), hit.argmax(axis=1)], np.nan)
        frames.append(pd.DataFrame({"sim": np.arange(n_sims), "cadence": name, "start_day": start,
                                    "delay_days": first - start,
                                    "false_alarms": (sig & ~after).sum(axis=1),
                                    "surveys_before": (~after & (times < 365 + interval)).sum(axis=1)}))
    out = pd.concat(frames, ignore_index=True)
    out["cadence"] = pd.Categorical(out["cadence"], categories=list(cadences), ordered=True)
    return out


def detection_summary(sims: pd.DataFrame) -> pd.DataFrame:
    """Per cadence: median and 90th-percentile delay, share detected within 90 days, false alarms per survey.

    Examples
    --------
    >>> d = simulate_pulse_detection({"annual": (365, 300)}, n_sims=200, seed=0)
    >>> list(detection_summary(d).columns)
    ['median_delay_days', 'p90_delay_days', 'detected_90d', 'false_alarm_rate']
    """
    g = sims.groupby("cadence", observed=True)
    out = pd.DataFrame({
        "median_delay_days": g["delay_days"].median(),
        "p90_delay_days": g["delay_days"].quantile(0.9),
        "detected_90d": g["delay_days"].apply(lambda s: float((s <= 90).mean())),
        "false_alarm_rate": g["false_alarms"].sum() / g["surveys_before"].sum().clip(lower=1),
    })
    out.index = out.index.astype(str)
    return out


# --------------------------------------------------------------------------------------
# plots (each returns the Axes)
# --------------------------------------------------------------------------------------
def _ax(ax, figsize=None):
    from cxlib.plots import new_axes

    return new_axes(ax, figsize=figsize)


def agent_chart(data: pd.DataFrame, agent_id: str, *, baseline_until, agent: str = "agent_id",
                score: str = "csat", time: str = "date", freq: str = "MS", lam: float = EWMA_LAMBDA,
                L: float = EWMA_L) -> pd.DataFrame:
    """One agent's dissatisfaction by period on an EWMA chart, centred on their own Phase I.

    The centre is the agent's shrunk dissatisfied rate over the Phase I periods (up to
    ``baseline_until``; for an agent hired later, the company's Phase I rate), so the chart asks "has this agent's experience *changed*?",
    not "is this agent worse than others?" (the funnel plot's question).

    Returns
    -------
    DataFrame indexed by period: n, defects, p, ewma, centre, lcl, ucl, signal.

    Examples
    --------
    >>> df = pd.DataFrame({"agent_id": ["A", "B"] * 60, "csat": [5, 4, 2, 5] * 30,
    ...                    "date": pd.date_range("2023-01-01", periods=120, freq="7D")})
    >>> ch = agent_chart(df, "A", baseline_until="2023-12-31")
    >>> list(ch.columns)
    ['n', 'defects', 'p', 'ewma', 'centre', 'lcl', 'ucl', 'signal']
    """
    clean, _ = _check_frame(data, {"agent": agent, "score": score, "time": time}, score=score)
    clean = clean.assign(**{time: pd.to_datetime(clean[time])})
    mine = clean[clean[agent].astype(str) == str(agent_id)]
    if mine.empty:
        raise CxError(f"agent {agent_id!r} has no answered surveys in the data.")
    base = clean[clean[time] <= pd.Timestamp(baseline_until)]
    if base.empty:
        raise CxError(f"no answers up to {baseline_until}: choose a later baseline_until.")
    s = AgentFeedback().fit(base, agent=agent, score=score).summary.set_index("agent")
    if str(agent_id) in s.index:
        p0 = float(1 - s.loc[str(agent_id), "shrunk_rate"])
    else:  # an agent hired after the baseline: the company's baseline rate
        p0 = float((base[score] < SATISFIED_MIN).mean())
    dis = (mine[score] < SATISFIED_MIN).astype(float)
    g = dis.groupby(mine[time].dt.to_period(freq[0] if freq != "MS" else "M").dt.to_timestamp()).agg(["sum", "size"])
    full = pd.date_range(g.index.min(), g.index.max(), freq=freq)
    g = g.reindex(full, fill_value=0)
    return ewma_chart(g["sum"], g["size"], p0=p0, lam=lam, L=L)


def plot_agent(summary: pd.DataFrame, chart: pd.DataFrame, agent_id: str, axes=None):
    """Two panels for one agent: estimate and intervals against the others; their EWMA chart.

    Returns the two Axes.
    """
    import matplotlib.pyplot as plt

    from cxlib.plots import COLORS, use_style

    if axes is None:
        use_style()
        _, axes = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1, 1.6]})
    ax0, ax1 = axes
    r = summary.set_index("agent").loc[str(agent_id)]
    overall = float(summary["satisfied"].sum() / summary["n"].sum())
    ax0.errorbar([r["raw_rate"]], [1], xerr=[[r["raw_rate"] - r["raw_low"]], [r["raw_high"] - r["raw_rate"]]],
                 fmt="o", color=COLORS["contrast"], capsize=4, label="raw, 95% Wilson")
    ax0.errorbar([r["shrunk_rate"]], [0], xerr=[[r["shrunk_rate"] - r["low"]], [r["high"] - r["shrunk_rate"]]],
                 fmt="o", color=COLORS["main"], capsize=4, label="shrunk, 95% credible")
    ax0.axvline(overall, color=COLORS["neutral"], ls="--", lw=1, label="all agents")
    ax0.set_yticks([0, 1], ["shrunk", "raw"])
    ax0.set_ylim(-0.8, 1.8)
    ax0.set_xlim(0, 1)
    ax0.set_xlabel("share satisfied (CSAT 4-5)")
    ax0.set_title(f"{agent_id}: {r['shrunk_rate']:.0%} [{r['low']:.0%}, {r['high']:.0%}] on n={int(r['n'])}",
                  loc="left", fontsize=10.5)
    ax0.legend(fontsize=8, loc="lower left")
    plot_control_chart(chart, ax=ax1)
    alarms = int((chart["signal"] == "above").sum())
    ax1.set_title(f"{agent_id}: {alarms} month(s) above the EWMA limit" if alarms else
                  f"{agent_id}: no change beyond chance", loc="left", fontsize=10.5)
    if isinstance(chart.index, pd.DatetimeIndex):
        import matplotlib.dates as mdates

        ax1.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        ax1.tick_params(axis="x", rotation=30, labelsize=9)
    return axes


def plot_ranking(summary: pd.DataFrame, truth: pd.Series | Mapping[str, pd.Series] | None = None,
                 top: int | None = None, ax=None):
    """Raw rate (Wilson) and shrunk rate (credible interval) per agent, sorted by the shrunk rate.

    ``truth`` (a Series of true rates indexed by agent, or a dict ``{label: Series}``
    for several truths, e.g. quality on the agent's own contacts and on a standard
    mix) adds markers: black crosses for the first, hollow diamonds for the second.
    ``summary`` may be a subset of agents (e.g. the top and bottom few).
    """
    from cxlib.plots import COLORS

    s = summary.sort_values("shrunk_rate", ascending=False)
    if top:
        s = s.head(top)
    ax = _ax(ax, figsize=(7.5, max(2.5, 0.28 * len(s) + 1.2)))
    y = np.arange(len(s))
    ax.errorbar(s["raw_rate"], y - 0.15, xerr=[s["raw_rate"] - s["raw_low"], s["raw_high"] - s["raw_rate"]],
                fmt="o", ms=4, color=COLORS["contrast"], capsize=2, lw=1, label="raw rate, 95% Wilson")
    ax.errorbar(s["shrunk_rate"], y + 0.15, xerr=[s["shrunk_rate"] - s["low"], s["high"] - s["shrunk_rate"]],
                fmt="o", ms=4, color=COLORS["main"], capsize=2, lw=1, label="shrunk, 95% credible")
    truths = {"true quality": truth} if isinstance(truth, pd.Series) else dict(truth or {})
    styles = [dict(marker="x", color=COLORS["truth"], ls="none", ms=7),
              dict(marker="D", mfc="none", mec=COLORS["truth"], ls="none", ms=5)]
    for (label, tr), style in zip(truths.items(), styles):
        ax.plot(s["agent"].map(tr), y, label=label, **style)
    ax.set_yticks(y, [f"{a} (n={n})" for a, n in zip(s["agent"], s["n"])], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("share of satisfied answers (CSAT 4-5)")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_funnel(summary: pd.DataFrame, p0: float | None = None, ax=None, label_outside: bool = True):
    """Funnel plot: each agent's raw rate against n, with 95% and 99.8% limits (Spiegelhalter 2005)."""
    from cxlib.plots import COLORS

    ax = _ax(ax)
    p0 = float(summary["satisfied"].sum() / summary["n"].sum()) if p0 is None else p0
    grid = np.linspace(max(1, summary["n"].min() * 0.8), summary["n"].max() * 1.1, 200)
    lim = funnel_limits(p0, grid)
    ax.plot(grid, lim["low_1.96"], color=COLORS["neutral"], ls="--", lw=1, label="95% limits")
    ax.plot(grid, lim["high_1.96"], color=COLORS["neutral"], ls="--", lw=1)
    ax.plot(grid, lim["low_3.09"], color=COLORS["bad"], ls="-", lw=1, label="99.8% limits")
    ax.plot(grid, lim["high_3.09"], color=COLORS["bad"], ls="-", lw=1)
    ax.axhline(p0, color=COLORS["neutral"], lw=1)
    out = summary["funnel"].str.contains("99.8") if "funnel" in summary else pd.Series(False, summary.index)
    ax.scatter(summary["n"], summary["raw_rate"], s=18, color=COLORS["main"], label="agent", zorder=3)
    if out.any():
        ax.scatter(summary.loc[out, "n"], summary.loc[out, "raw_rate"], s=40, facecolor="none",
                   edgecolor=COLORS["bad"], lw=1.5, label="outside 99.8%", zorder=4)
        if label_outside:
            for _, r in summary[out].iterrows():
                ax.annotate(str(r["agent"]), (r["n"], r["raw_rate"]), fontsize=8, xytext=(4, 2),
                            textcoords="offset points")
    ax.set_xlabel("answered surveys (n)")
    ax.set_ylabel("share satisfied (CSAT 4-5)")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_control_chart(chart: pd.DataFrame, value: str | None = None, ax=None, title: str = "",
                       ylabel: str = "share dissatisfied (CSAT 1-3)"):
    """Draw a control chart from :func:`p_chart` / :func:`ewma_chart` output (or a monitor's chart).

    ``chart`` needs ``centre``, ``lcl``, ``ucl`` and the ``value`` column (``ewma`` if
    present, else ``p``); points beyond the limits are marked.
    """
    from cxlib.plots import COLORS

    ax = _ax(ax)
    value = value or ("ewma" if "ewma" in chart else "p")
    x = chart.index
    if value == "ewma" and "p" in chart:
        ax.plot(x, chart["p"], ".", color=COLORS["neutral"], ms=4, label="period rate")
    ax.plot(x, chart[value], "-o", ms=3, color=COLORS["main"], label=value if value != "p" else "period rate")
    ax.step(x, chart["ucl"], where="mid", color=COLORS["bad"], lw=1, label="control limits")
    ax.step(x, chart["lcl"], where="mid", color=COLORS["bad"], lw=1)
    ax.plot(x, chart["centre"], color=COLORS["neutral"], lw=1, ls="--", label="centre (baseline)")
    out = (chart[value] > chart["ucl"]) | (chart[value] < chart["lcl"])
    if out.any():
        ax.plot(x[out.to_numpy()], chart.loc[out, value], "o", ms=8, mfc="none", mec=COLORS["bad"], mew=2,
                label="alarm: investigate")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    ax.legend(loc="upper left", fontsize=8)
    return ax


def plot_case_mix(adjusted: pd.DataFrame, highlight: Sequence[str] = (), ax=None):
    """Raw vs case-mix-adjusted rate per agent (a slope chart); ``highlight`` names agents to colour."""
    from cxlib.plots import COLORS

    ax = _ax(ax)
    hl = set(map(str, highlight))
    for _, r in adjusted.iterrows():
        c = COLORS["bad"] if r["agent"] in hl else COLORS["neutral"]
        ax.plot([0, 1], [r["raw_rate"], r["adjusted_rate"]], "-o", ms=3, color=c, lw=1.5 if c != COLORS["neutral"] else 0.6,
                alpha=1 if r["agent"] in hl else 0.5)
    ax.set_xticks([0, 1], ["raw", "adjusted for case mix"])
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylabel("share satisfied (CSAT 4-5)")
    return ax


def plot_scorecard(scorecard: pd.DataFrame, ax=None, max_agents: int = 40):
    """Heatmap of the quality scorecard (percentile within team, higher is better)."""
    ax = _ax(ax, figsize=(7.5, max(3, 0.22 * min(len(scorecard), max_agents) + 1)))
    cols = [c for c in scorecard.columns if c.startswith("score_")]
    s = scorecard.sort_values(["team", "quality"], ascending=[True, False]).head(max_agents)
    im = ax.imshow(s[cols].to_numpy(float), aspect="auto", cmap="cividis", vmin=0, vmax=100)
    ax.set_xticks(range(len(cols)), [c[len("score_"):] for c in cols])
    ax.set_yticks(range(len(s)), [f"{a} · {t}" for a, t in zip(s["agent"], s["team"])], fontsize=7)
    ax.grid(False)
    ax.figure.colorbar(im, ax=ax, label="percentile within team")
    return ax


def plot_detection(sims: pd.DataFrame, ax=None):
    """Distribution of the time to detect a problem, by survey cadence (box plot, days)."""
    from cxlib.plots import COLORS

    ax = _ax(ax)
    cats = list(sims["cadence"].cat.categories) if hasattr(sims["cadence"], "cat") else sorted(sims["cadence"].unique())
    data = [sims.loc[sims["cadence"] == c, "delay_days"].dropna().to_numpy() for c in cats]
    ax.boxplot(data, orientation="horizontal", tick_labels=cats, showfliers=False,
               medianprops={"color": COLORS["bad"], "lw": 2})
    ax.set_xlabel("days from the problem starting to the first survey signal")
    ax.invert_yaxis()
    return ax

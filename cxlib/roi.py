r"""Expectations and the return on customer experience (lesson 07).

Articles 002 and 004 say that an experience is judged *against expectations* and that
loyalty pays; article 001's seventh way is to *measure the ROI of CX*. This module
turns those claims into numbers that can be checked (``cx_science.md`` §6 and §8):

* **Expectation–disconfirmation** (Oliver 1980) — :func:`performance_before` builds
  per-survey service-performance proxies from what happened before each answer;
  :func:`disconfirmation` shows the outcome (likelihood to recommend) against
  experienced performance by expectation level, with intervals, and fits
  ``outcome ~ performance + expectation`` by OLS (statsmodels, HC3 intervals).
* **Kano** (Kano et al. 1984) — :func:`kano_classify` with the standard evaluation
  table, :func:`kano_summary` (category shares and Berger et al.'s satisfaction and
  dissatisfaction coefficients), and :func:`kano_decay`, a *stylised* model of a
  delighter decaying into a basic (Kano 2001; partial evidence).
* **Personalisation** — :func:`personalisation_scenario`: a baseline P&L moved by
  the claimed effects. The seed's 50/15/30 point values ("Harvard") are
  consultancy figures **[claim]**; the usual source (Gregg, Kalaoui, Maynes &
  Schuler 2016, McKinsey) gives *ranges* (:data:`PERSONALISATION_RANGES`).
* **Retention economics** — :func:`cost_per_customer`, :func:`retention_economics`
  (CLV and cost per customer per period before and after +Δ points of retention) and
  :func:`retention_for_cost_cut` (which assumptions would give the seed's
  **[unverified]** "5% more retention cut cost per policy by 18%"). CLV itself comes
  from :func:`cxlib.value.clv` (both conventions documented there).
* **The CX business case** — :func:`business_case` combines churn probabilities
  (:mod:`cxlib.churn`), the targeting rule of :func:`cxlib.churn.targeting_profit`
  and lifetime value into one ROI estimate with a seeded predictive interval;
  :func:`business_case_from_table` does the whole chain on a customer-level churn
  table (any company's export).

Conventions
-----------
* Retention ``r`` is per period; "+5 points" means r → r + 0.05 (absolute), the
  reading of Reichheld & Sasser's "cutting defections by 5 points".
* Cost per customer per period = acquisition cost amortised over the expected
  lifetime, ``A / (1/(1−r)) = A(1−r)``, plus the service cost per period ``S``.
* A Beta prior on the offer's success rate is set by its mean and a *strength*
  (pseudo-count a + b): strength 20 says "as sure as a pilot with 20 would-be
  churners contacted".

Examples
--------
>>> kano_classify("like", "dislike")
'one-dimensional'
>>> round(cost_per_customer(100, 0.80, service_cost=0), 1)
20.0
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "performance_before", "disconfirmation", "Disconfirmation",
    "KANO_ANSWERS", "KANO_TABLE", "KANO_CATEGORIES", "kano_classify", "kano_summary", "kano_decay",
    "plot_kano_decay",
    "PERSONALISATION_RANGES", "SEED_CLAIM", "personalisation_scenario",
    "cost_per_customer", "retention_economics", "retention_for_cost_cut",
    "business_case", "business_case_from_table", "BusinessCase",
]


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise CxError(f"{what} must be a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in dict.fromkeys(columns) if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns[:15]))
        raise ValidationError([Problem("missing column", column=c,
                                       fix=f"{what} needs a column {c!r}; pass the name your file uses "
                                           f"(columns found: {have}).") for c in missing])


# =====================================================================================
# 1. expectation-disconfirmation
# =====================================================================================
def performance_before(surveys: pd.DataFrame, activity: pd.DataFrame, interactions: pd.DataFrame | None = None,
                       *, window: int = 3, id_column: str = "customer_id",
                       date_column: str = "survey_date") -> pd.DataFrame:
    """Service performance each respondent experienced in the months before answering.

    For each survey answer, sums the ``window`` calendar months up to and including
    the survey month (the survey month counts: it is the experience the answer
    reflects):

    * ``complaints`` and ``unresolved_complaints`` (complaints − complaints_resolved)
      from the monthly ``activity`` table;
    * from ``interactions`` (optional): ``contacts``, ``not_resolved_first``
      (contacts not resolved at first contact), ``fcr_share`` (NaN when there was no
      contact) and ``mean_wait`` (minutes);
    * ``service_failures`` = unresolved complaints + contacts not resolved at first
      contact: a simple, stated performance proxy (0 = nothing went wrong).

    Parameters
    ----------
    surveys : DataFrame with ``id_column`` and ``date_column``
    activity : DataFrame with ``customer_id``, ``month``, ``complaints``, ``complaints_resolved``
    interactions : DataFrame with ``customer_id``, ``timestamp``, ``resolved_first_contact``,
        ``wait_minutes`` (optional)

    Returns
    -------
    DataFrame aligned with ``surveys`` (same index), one column per proxy.

    Examples
    --------
    >>> sv = pd.DataFrame({"customer_id": ["a", "b"], "survey_date": pd.to_datetime(["2024-03-10", "2024-03-02"])})
    >>> act = pd.DataFrame({"customer_id": ["a", "a", "b"], "month": pd.to_datetime(["2024-01-01", "2024-03-01", "2023-11-01"]),
    ...                     "complaints": [1, 2, 1], "complaints_resolved": [1, 1, 0]})
    >>> performance_before(sv, act)[["complaints", "unresolved_complaints", "service_failures"]]
       complaints  unresolved_complaints  service_failures
    0           3                      1                 1
    1           0                      0                 0
    """
    if window < 1:
        raise CxError(f"window is a number of months ≥ 1; got {window}.")
    _require(surveys, [id_column, date_column], "performance_before() surveys")
    _require(activity, [id_column, "month", "complaints", "complaints_resolved"], "performance_before() activity")
    sd = pd.to_datetime(surveys[date_column], errors="coerce")
    if sd.isna().any():
        raise ValidationError([Problem("not a date", column=date_column, count=int(sd.isna().sum()),
                                       fix="every survey answer needs a date (ISO, e.g. 2024-03-10).")])
    key = pd.DataFrame({id_column: surveys[id_column].to_numpy(), "_m": sd.dt.to_period("M").to_numpy()},
                       index=surveys.index)

    def windowed(frame: pd.DataFrame, month: pd.Series, cols: Mapping[str, pd.Series]) -> pd.DataFrame:
        base = pd.DataFrame({id_column: frame[id_column].to_numpy(), "_m": month.to_numpy(),
                             **{k: np.asarray(v, float) for k, v in cols.items()}})
        base = base.groupby([id_column, "_m"], sort=False).sum().reset_index()
        shifted = pd.concat([base.assign(_m=base["_m"] + lag) for lag in range(window)])
        agg = shifted.groupby([id_column, "_m"], sort=False)[list(cols)].sum()
        return key.join(agg, on=[id_column, "_m"])[list(cols)].fillna(0.0)

    am = pd.to_datetime(activity["month"]).dt.to_period("M")
    unres = activity["complaints"].astype(float) - activity["complaints_resolved"].astype(float)
    out = windowed(activity, am, {"complaints": activity["complaints"], "unresolved_complaints": unres})
    out = out.astype(int)
    failures = out["unresolved_complaints"].astype(float)
    if interactions is not None:
        _require(interactions, [id_column, "timestamp", "resolved_first_contact", "wait_minutes"],
                 "performance_before() interactions")
        im = pd.to_datetime(interactions["timestamp"]).dt.to_period("M")
        fcr = interactions["resolved_first_contact"].astype(float)
        w = windowed(interactions, im, {"contacts": np.ones(len(interactions)), "not_resolved_first": 1 - fcr,
                                        "_wait": interactions["wait_minutes"].astype(float)})
        out["contacts"] = w["contacts"].astype(int)
        out["not_resolved_first"] = w["not_resolved_first"].astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["fcr_share"] = (1 - w["not_resolved_first"] / w["contacts"]).where(w["contacts"] > 0)
            out["mean_wait"] = (w["_wait"] / w["contacts"]).where(w["contacts"] > 0)
        failures = failures + out["not_resolved_first"]
    out["service_failures"] = failures.astype(int)
    return out


@dataclass
class Disconfirmation:
    """Outcome against performance by expectation level (see :func:`disconfirmation`)."""

    table: pd.DataFrame
    coefficients: pd.DataFrame
    outcome: str
    performance: str
    expectation: str
    n: int
    n_missing: int
    model: object = field(repr=False, default=None)

    @property
    def summary(self) -> pd.DataFrame:
        """The regression coefficients with 95% intervals."""
        return self.coefficients

    def gap(self, level=None) -> pd.Series:
        """Lowest minus highest expectation group's mean outcome at each performance level."""
        t = self.table.pivot(index="performance", columns="expectation_group", values="mean")
        t = t.reindex(index=list(dict.fromkeys(self.table["performance"])),
                      columns=list(dict.fromkeys(self.table["expectation_group"])))
        out = t.iloc[:, 0] - t.iloc[:, -1]
        return out if level is None else out.loc[level]

    def __repr__(self) -> str:
        c = self.coefficients.set_index("term")
        parts = [f"{t} {c.loc[t, 'coef']:+.2f} [{c.loc[t, 'ci_low']:+.2f}, {c.loc[t, 'ci_high']:+.2f}]"
                 for t in c.index if t != "Intercept"]
        return (f"Disconfirmation({self.outcome} ~ {self.performance} + {self.expectation}; n = {self.n}, "
                f"{self.n_missing} excluded for missing values): " + "; ".join(parts))

    def plot(self, ax=None):
        """Mean outcome (95% CI) against performance, one line per expectation group."""
        from cxlib.plots import COLORS, new_axes

        ax = new_axes(ax)
        groups = list(dict.fromkeys(self.table["expectation_group"]))
        palette = [COLORS["good"], COLORS["neutral"], COLORS["bad"]] if len(groups) == 3 else None
        levels = list(dict.fromkeys(self.table["performance"]))
        x = np.arange(len(levels))
        for j, g in enumerate(groups):
            t = self.table[self.table["expectation_group"] == g].set_index("performance").reindex(levels)
            off = (j - (len(groups) - 1) / 2) * 0.08
            kw = {"color": palette[j]} if palette else {}
            ax.errorbar(x + off, t["mean"], yerr=[t["mean"] - t["ci_low"], t["ci_high"] - t["mean"]],
                        marker="o", capsize=3, lw=1.8, label=f"{g} expectation", **kw)
        ax.set_xticks(x, [str(v) for v in levels])
        ax.set_xlabel(self.performance.replace("_", " "))
        ax.set_ylabel(f"mean {self.outcome} (95% CI)")
        ax.legend(fontsize=9, loc="best")
        return ax


def disconfirmation(df: pd.DataFrame, outcome: str, performance: str, expectation: str, *,
                    groups: int = 3, performance_levels: int | None = None,
                    labels: Sequence[str] | None = None) -> Disconfirmation:
    """Expectation–disconfirmation on data: outcome against performance by expectation level.

    Oliver (1980): satisfaction depends on performance *relative to* the prior
    expectation. If so, at the same performance customers with higher expectations
    are less satisfied (a negative expectation coefficient), and better performance
    raises satisfaction at every expectation level.

    Parameters
    ----------
    df : DataFrame
    outcome : str
        Satisfaction or likelihood to recommend (numeric).
    performance : str
        Experienced performance (numeric; e.g. ``service_failures`` from
        :func:`performance_before`). When it has at most 6 distinct values they are
        the levels; otherwise it is cut into ``performance_levels`` quantile groups
        (default 4). Values are capped at the top level shown (e.g. "2+").
    expectation : str
        The expectation level (numeric), cut into ``groups`` quantile groups.
    groups : int, default 3
    labels : sequence of str, optional
        Names of the expectation groups (default low/mid/high for 3).

    Returns
    -------
    Disconfirmation
        ``table`` (performance × expectation group: ``n``, ``mean``, t-based 95%
        ``ci_low``/``ci_high``), ``coefficients`` (OLS ``outcome ~ performance +
        expectation`` on the numeric values, HC3 standard errors, 95% CI). Rows with
        a missing value are excluded and counted in ``n_missing``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame({"perf": rng.integers(0, 3, 600), "expect": rng.normal(size=600)})
    >>> d["sat"] = 7 - 0.5 * d["perf"] - 0.8 * d["expect"] + rng.normal(0, 1, 600)
    >>> r = disconfirmation(d, "sat", "perf", "expect")
    >>> round(float(r.coefficients.set_index("term").loc["expect", "coef"]), 1)
    -0.8
    >>> list(r.table["expectation_group"].unique())
    ['low', 'mid', 'high']
    """
    import statsmodels.api as sm

    _require(df, [outcome, performance, expectation], "disconfirmation()")
    if groups < 2:
        raise CxError(f"groups must be at least 2 (to compare expectation levels); got {groups}.")
    data = df[[outcome, performance, expectation]].apply(pd.to_numeric, errors="coerce")
    bad_text = (data.isna() & df[[outcome, performance, expectation]].notna()).sum()
    if bad_text.any():
        raise ValidationError([Problem("not a number", column=c, count=int(k),
                                       fix="the outcome, performance and expectation must be numbers.")
                               for c, k in bad_text.items() if k])
    n_missing = int(data.isna().any(axis=1).sum())
    data = data.dropna()
    if len(data) < 3 * groups:
        raise CxError(f"disconfirmation() needs at least {3 * groups} complete rows; got {len(data)} "
                      f"({n_missing} had a missing value).")
    if data[expectation].nunique() < groups:
        raise CxError(f"the expectation column {expectation!r} has fewer than {groups} distinct values; "
                      "lower `groups`.")
    labels = list(labels) if labels is not None else (["low", "mid", "high"] if groups == 3 else
                                                      [f"Q{k + 1}" for k in range(groups)])
    if len(labels) != groups:
        raise CxError(f"labels must have {groups} names; got {len(labels)}.")
    xg = pd.qcut(data[expectation].rank(method="first"), groups, labels=labels)
    perf = data[performance]
    uniq = np.sort(perf.unique())
    if len(uniq) <= 6 and performance_levels is None:
        lev = perf.astype(float)
        top = uniq[-1]
        # pool a sparse top level into "k+" so each cell has data
        counts = perf.value_counts()
        while len(uniq) > 2 and counts.get(top, 0) < 30:
            uniq = uniq[:-1]
            top = uniq[-1]
        lev_lab = perf.clip(upper=top).map(lambda v: f"{v:g}+" if v == top and perf.max() > top else f"{v:g}")
        order = [f"{v:g}" for v in uniq[:-1]] + [f"{top:g}+" if perf.max() > top else f"{top:g}"]
    else:
        k = performance_levels or 4
        lev_lab = pd.qcut(perf.rank(method="first"), k, labels=[f"P{j + 1}" for j in range(k)]).astype(str)
        order = [f"P{j + 1}" for j in range(k)]
    g = (pd.DataFrame({"performance": lev_lab, "expectation_group": xg, "y": data[outcome]})
         .groupby(["performance", "expectation_group"], observed=True)["y"]
         .agg(n="size", mean="mean", sd="std").reset_index())
    se = g["sd"] / np.sqrt(g["n"])
    tq = stats.t.ppf(0.975, np.maximum(g["n"] - 1, 1))
    g["ci_low"] = np.where(g["n"] > 1, g["mean"] - tq * se, np.nan)
    g["ci_high"] = np.where(g["n"] > 1, g["mean"] + tq * se, np.nan)
    g["performance"] = pd.Categorical(g["performance"], categories=order, ordered=True)
    g = g.sort_values(["performance", "expectation_group"]).reset_index(drop=True)
    g["performance"] = g["performance"].astype(str)
    g["expectation_group"] = g["expectation_group"].astype(str)
    X = sm.add_constant(data[[performance, expectation]])
    fit = sm.OLS(data[outcome], X).fit(cov_type="HC3")
    ci = fit.conf_int()
    coefs = pd.DataFrame({"term": list(fit.params.index), "coef": fit.params.to_numpy(),
                          "se": fit.bse.to_numpy(), "ci_low": ci[0].to_numpy(), "ci_high": ci[1].to_numpy(),
                          "p_value": fit.pvalues.to_numpy()})
    coefs["term"] = coefs["term"].replace({"const": "Intercept"})
    return Disconfirmation(table=g.drop(columns="sd"), coefficients=coefs, outcome=outcome,
                           performance=performance, expectation=expectation, n=len(data),
                           n_missing=n_missing, model=fit)


# =====================================================================================
# 2. Kano
# =====================================================================================
#: The five answers to a Kano question, in the order of the evaluation table.
KANO_ANSWERS = ("like", "must-be", "neutral", "live-with", "dislike")
_KANO_ALIASES = {
    "like": "like", "i like it": "like", "1": "like",
    "must-be": "must-be", "must be": "must-be", "expect": "must-be", "i expect it": "must-be",
    "it must be that way": "must-be", "2": "must-be",
    "neutral": "neutral", "i am neutral": "neutral", "indifferent": "neutral", "3": "neutral",
    "live-with": "live-with", "live with": "live-with", "i can live with it": "live-with",
    "tolerate": "live-with", "4": "live-with",
    "dislike": "dislike", "i dislike it": "dislike", "5": "dislike",
}
#: Category codes of the standard Kano evaluation table (Kano et al. 1984; Berger et al. 1993).
KANO_CATEGORIES = {"A": "attractive", "O": "one-dimensional", "M": "must-be", "I": "indifferent",
                   "R": "reverse", "Q": "questionable"}
#: Rows: answer to the functional question ("if the product has it"); columns: the
#: dysfunctional question ("if it does not have it").
KANO_TABLE = pd.DataFrame(
    [["Q", "A", "A", "A", "O"],
     ["R", "I", "I", "I", "M"],
     ["R", "I", "I", "I", "M"],
     ["R", "I", "I", "I", "M"],
     ["R", "R", "R", "R", "Q"]],
    index=pd.Index(KANO_ANSWERS, name="functional"), columns=pd.Index(KANO_ANSWERS, name="dysfunctional"))


def _kano_answer(values, name: str, problems: list) -> np.ndarray:
    s = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    key = s.map(lambda v: str(int(v)) if isinstance(v, (int, np.integer, float, np.floating)) and not pd.isna(v)
                and float(v).is_integer() else (str(v).strip().lower() if not pd.isna(v) else ""))
    mapped = key.map(_KANO_ALIASES)
    bad = mapped.isna()
    if bad.any():
        problems.append(Problem("Kano answer not understood", column=name, count=int(bad.sum()),
                                rows=tuple(int(i) for i in np.flatnonzero(bad)[:5]),
                                values=tuple(s[bad].head(5)),
                                fix="use like, must-be (expect), neutral, live-with or dislike, "
                                    "or the codes 1-5 in that order; blanks are not allowed."))
    return mapped.to_numpy()


def kano_classify(functional, dysfunctional):
    """Kano category of each pair of answers (standard evaluation table).

    Each feature is asked twice: *functional* ("How do you feel if the product has
    X?") and *dysfunctional* ("...if it does not have X?"), each answered like,
    must-be (I expect it), neutral, live-with or dislike (or 1-5 in that order).
    The pair is looked up in :data:`KANO_TABLE`:

    ================  ======  =======  =======  =========  =======
    functional \\ dys  like    must-be  neutral  live-with  dislike
    ================  ======  =======  =======  =========  =======
    like              Q       A        A        A          O
    must-be           R       I        I        I          M
    neutral           R       I        I        I          M
    live-with         R       I        I        I          M
    dislike           R       R        R        R          Q
    ================  ======  =======  =======  =========  =======

    A = attractive (a delighter), O = one-dimensional (more is better), M = must-be
    (a basic), I = indifferent, R = reverse, Q = questionable (contradictory answers).

    Returns
    -------
    str for scalar inputs, else an ndarray of category names.

    Raises
    ------
    ValidationError
        Unknown or blank answers (all listed), or inputs of different lengths.

    Examples
    --------
    >>> kano_classify("like", "dislike"), kano_classify("neutral", "dislike")
    ('one-dimensional', 'must-be')
    >>> kano_classify(["like", "like", 3, 5], ["neutral", "like", 3, 1]).tolist()
    ['attractive', 'questionable', 'indifferent', 'reverse']
    """
    scalar = np.ndim(functional) == 0 and np.ndim(dysfunctional) == 0
    problems: list = []
    f = _kano_answer(functional, "functional", problems)
    d = _kano_answer(dysfunctional, "dysfunctional", problems)
    if problems:
        raise ValidationError(problems)
    if len(f) != len(d):
        raise CxError(f"functional and dysfunctional answers must pair up; got {len(f)} and {len(d)}.")
    fi = pd.Index(KANO_ANSWERS).get_indexer(f)
    di = pd.Index(KANO_ANSWERS).get_indexer(d)
    codes = KANO_TABLE.to_numpy()[fi, di]
    out = np.array([KANO_CATEGORIES[c] for c in codes], dtype=object)
    return str(out[0]) if scalar else out


def kano_summary(df: pd.DataFrame, functional: str, dysfunctional: str, feature: str | None = None) -> pd.DataFrame:
    """Category shares per feature, the modal category and Berger et al.'s coefficients.

    Satisfaction coefficient CS+ = (A + O)/(A + O + M + I); dissatisfaction
    coefficient CS− = −(O + M)/(A + O + M + I) (Berger et al. 1993). Reverse and
    questionable answers are counted but left out of both coefficients.

    Examples
    --------
    >>> d = pd.DataFrame({"f": ["like", "like", "neutral", "like"], "d": ["dislike", "neutral", "dislike", "neutral"]})
    >>> kano_summary(d, "f", "d")[["n", "category", "cs_plus", "cs_minus"]]
         n    category  cs_plus  cs_minus
    all  4  attractive     0.75     -0.5
    """
    _require(df, [functional, dysfunctional] + ([feature] if feature else []), "kano_summary()")
    cat = pd.Series(kano_classify(df[functional].to_numpy(), df[dysfunctional].to_numpy()), index=df.index)
    key = df[feature].astype(str) if feature else pd.Series("all", index=df.index)
    counts = pd.crosstab(key, cat).reindex(columns=list(KANO_CATEGORIES.values()), fill_value=0)
    counts.index.name = None
    counts.columns.name = None
    n = counts.sum(axis=1)
    core = counts[["attractive", "one-dimensional", "must-be", "indifferent"]].sum(axis=1).replace(0, np.nan)
    out = counts.div(n, axis=0)
    out.insert(0, "n", n)
    out["category"] = counts.idxmax(axis=1)
    out["cs_plus"] = (counts["attractive"] + counts["one-dimensional"]) / core
    out["cs_minus"] = -(counts["one-dimensional"] + counts["must-be"]) / core
    return out


def kano_decay(years: Sequence[float] | None = None, *, half_life: float = 3.0, delight: float = 1.0,
               penalty: float = 1.0) -> pd.DataFrame:
    """A **stylised** model of a delighter decaying into a basic (illustration, not an estimate).

    Kano (2001) describes a life cycle of quality attributes: what delights today is
    expected tomorrow (the evidence is partial). Here the share of customers who
    *expect* the feature, ``a(t) = 1 − 2^(−t/half_life)``, grows as competitors copy
    it. Satisfaction when the feature is present is ``delight·(1 − a)`` (only those
    not yet expecting it are delighted); when absent it is ``−penalty·a`` (those who
    expect it are let down). The category reads attractive while a < 1/3,
    one-dimensional while a < 2/3, then must-be. Article 003's teddy bear in the
    child seat follows this path once every dealer copies it.

    Examples
    --------
    >>> d = kano_decay([0, 3, 12])
    >>> d[["year", "expect_share", "if_present", "if_absent", "category"]].round(2)
       year  expect_share  if_present  if_absent    category
    0   0.0          0.00        1.00      -0.00  attractive
    1   3.0          0.50        0.50      -0.50  one-dimensional
    2  12.0          0.94        0.06      -0.94     must-be
    """
    t = np.asarray(np.arange(0, 11) if years is None else years, dtype=float)
    if half_life <= 0:
        raise CxError(f"half_life must be positive (years until half the customers expect the feature); got {half_life}.")
    if np.any(t < 0) or np.any(np.isnan(t)):
        raise CxError("years must be ≥ 0 (time since the feature was introduced).")
    a = 1 - 2.0 ** (-t / half_life)
    cat = np.where(a < 1 / 3, "attractive", np.where(a < 2 / 3, "one-dimensional", "must-be"))
    return pd.DataFrame({"year": t, "expect_share": a, "if_present": delight * (1 - a),
                         "if_absent": -penalty * a, "category": cat})


def plot_kano_decay(decay: pd.DataFrame, ax=None, feature: str = "teddy bear in the child seat"):
    """Satisfaction with and without the feature over time (stylised; labelled as such)."""
    from cxlib.plots import COLORS, new_axes

    ax = new_axes(ax)
    ax.plot(decay["year"], decay["if_present"], color=COLORS["good"], lw=2, label="feature present")
    ax.plot(decay["year"], decay["if_absent"], color=COLORS["bad"], lw=2, label="feature absent")
    ax.axhline(0, color=COLORS["neutral"], lw=1)
    trans = ax.get_xaxis_transform()
    for j, (cat, sub) in enumerate(decay.groupby("category", sort=False)):
        if j:
            ax.axvline(sub["year"].min(), color=COLORS["neutral"], ls=":", lw=1)
        ax.text(sub["year"].mean(), 0.03, cat, ha="center", fontsize=9, color=COLORS["neutral"], transform=trans)
    ax.set_xlabel("years since introduced")
    ax.set_ylabel("satisfaction (stylised units)")
    ax.set_title(f"STYLISED: a delighter ({feature}) decays into a basic", loc="left")
    ax.legend(fontsize=9, loc="upper right")
    return ax


# =====================================================================================
# 3. personalisation scenario
# =====================================================================================
#: Ranges of the usual source, Gregg, Kalaoui, Maynes & Schuler (2016), McKinsey [claim]:
#: (low, mid, high). "Up to 50% lower acquisition cost" has no stated lower end; we use 0.
PERSONALISATION_RANGES = {
    "acquisition_cost_cut": (0.0, 0.25, 0.50),
    "revenue_uplift": (0.05, 0.10, 0.15),
    "marketing_efficiency": (0.10, 0.20, 0.30),
}
#: The seed's point values (article 004, attributed there to "Harvard"): consultancy figures [claim].
SEED_CLAIM = {"acquisition_cost_cut": 0.50, "revenue_uplift": 0.15, "marketing_efficiency": 0.30}


def personalisation_scenario(revenue: float, marketing_spend: float, acquisition_cost: float, *,
                             margin_rate: float = 0.35, programme_cost: float = 0.0,
                             acquisition_cost_cut: float | None = None, revenue_uplift: float | None = None,
                             marketing_efficiency: float | None = None) -> pd.DataFrame:
    """What personalisation would do to a P&L under the claimed effects **[claim]**.

    Baseline per period: ``revenue``, ``marketing_spend`` (excluding acquisition) and
    ``acquisition_cost`` (total spent winning customers). A scenario applies:

    * revenue × (1 + revenue_uplift);
    * acquisition cost × (1 − acquisition_cost_cut);
    * marketing spend ÷ (1 + marketing_efficiency) — the same results for less
      spend ("+30% efficiency" = 1.3× the result per dollar);
    * minus ``programme_cost`` (what personalisation itself costs).

    Profit = margin_rate × revenue − marketing − acquisition − programme cost.

    Returns
    -------
    DataFrame with rows ``baseline``, ``low``, ``mid``, ``high`` (the ranges of
    :data:`PERSONALISATION_RANGES`), ``seed claim`` (50/15/30) and, when any
    effect is given, ``yours``; columns: the three effects, revenue,
    marketing_spend, acquisition_cost, gross_margin, profit, profit_change and
    ``source``.

    Examples
    --------
    >>> t = personalisation_scenario(1000, 100, 50, margin_rate=0.4)
    >>> t.loc[["baseline", "seed claim"], ["revenue", "marketing_spend", "acquisition_cost", "profit"]].round(1)
                revenue  marketing_spend  acquisition_cost  profit
    baseline     1000.0            100.0              50.0   250.0
    seed claim   1150.0             76.9              25.0   358.1
    """
    vals = {"revenue": revenue, "marketing_spend": marketing_spend, "acquisition_cost": acquisition_cost,
            "programme_cost": programme_cost}
    problems = [f"{k} must be a number ≥ 0 (got {v!r})" for k, v in vals.items()
                if not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v) or v < 0]
    if not 0 < margin_rate <= 1:
        problems.append(f"margin_rate is the share of revenue kept as margin, in (0, 1] (got {margin_rate})")
    yours = {"acquisition_cost_cut": acquisition_cost_cut, "revenue_uplift": revenue_uplift,
             "marketing_efficiency": marketing_efficiency}
    for k, v in yours.items():
        if v is not None and not (-1 < v <= (1 if k == "acquisition_cost_cut" else 10)):
            problems.append(f"{k} is a share (0.15 = 15%); got {v}")
    if problems:
        raise CxError("personalisation_scenario(): " + "; ".join(problems) + ".")
    rows = {"baseline": (0.0, 0.0, 0.0, "no personalisation")}
    for j, name in enumerate(("low", "mid", "high")):
        rows[name] = tuple(PERSONALISATION_RANGES[k][j] for k in PERSONALISATION_RANGES) + \
            ("Gregg et al. 2016 range [claim]",)
    rows["seed claim"] = tuple(SEED_CLAIM[k] for k in PERSONALISATION_RANGES) + \
        ("article 004 ('Harvard'), consultancy figures [claim]",)
    if any(v is not None for v in yours.values()):
        mid = {k: PERSONALISATION_RANGES[k][1] for k in PERSONALISATION_RANGES}
        rows["yours"] = tuple(mid[k] if yours[k] is None else float(yours[k]) for k in PERSONALISATION_RANGES) + \
            ("your assumptions",)
    t = pd.DataFrame.from_dict(rows, orient="index",
                               columns=["acquisition_cost_cut", "revenue_uplift", "marketing_efficiency", "source"])
    t["revenue"] = revenue * (1 + t["revenue_uplift"])
    t["marketing_spend"] = marketing_spend / (1 + t["marketing_efficiency"])
    t["acquisition_cost"] = acquisition_cost * (1 - t["acquisition_cost_cut"])
    t["programme_cost"] = np.where(t.index == "baseline", 0.0, programme_cost)
    t["gross_margin"] = margin_rate * t["revenue"]
    t["profit"] = t["gross_margin"] - t["marketing_spend"] - t["acquisition_cost"] - t["programme_cost"]
    t["profit_change"] = t["profit"] - t.loc["baseline", "profit"]
    return t[["acquisition_cost_cut", "revenue_uplift", "marketing_efficiency", "revenue", "marketing_spend",
              "acquisition_cost", "programme_cost", "gross_margin", "profit", "profit_change", "source"]]


# =====================================================================================
# 4. retention economics
# =====================================================================================
def cost_per_customer(acquisition_cost, retention, *, service_cost=0.0):
    """Cost per customer per period: acquisition cost amortised over the expected lifetime + service cost.

    Expected lifetime is 1/(1−r) periods (:func:`cxlib.value.expected_lifetime`), so
    the amortised acquisition cost is A(1−r); the total is A(1−r) + S.

    Examples
    --------
    >>> round(cost_per_customer(100, 0.80, service_cost=5), 1), round(cost_per_customer(100, 0.85, service_cost=5), 1)
    (25.0, 20.0)
    """
    from cxlib.value import expected_lifetime

    a = np.asarray(acquisition_cost, float)
    s = np.asarray(service_cost, float)
    if np.any(np.isnan(a)) or np.any(a < 0) or np.any(np.isnan(s)) or np.any(s < 0):
        raise CxError("acquisition_cost and service_cost must be numbers ≥ 0.")
    out = a / np.asarray(expected_lifetime(np.asarray(retention, float)), float) + s
    return float(out) if np.ndim(out) == 0 else out


def retention_economics(margin: float, retentions: Sequence[float], discount: float, *, delta: float = 0.05,
                        acquisition_cost: float = 0.0, service_cost: float = 0.0,
                        convention: str = "start") -> pd.DataFrame:
    """CLV and cost per customer before and after +``delta`` points of retention.

    For each retention r: CLV at r and at r + delta (:func:`cxlib.value.clv`, the
    chosen convention), the CLV change in %, the expected lifetime, the cost per
    customer per period (:func:`cost_per_customer`) at both and its change in %.
    Reichheld & Sasser (1990) report **[claim]** that cutting defections by 5 points
    raised customer NPV by 25–85% in the services they studied; this table shows
    what the constant-margin formula gives.

    Examples
    --------
    The worked example of cx_science §6 (m = 100, d = 10%, r = 0.80 → 0.85):

    >>> t = retention_economics(100, [0.80], 0.10, acquisition_cost=100)
    >>> t.iloc[0][["clv", "clv_after", "clv_change_pct", "cost", "cost_after", "cost_change_pct"]].round(1).tolist()
    [366.7, 440.0, 20.0, 20.0, 15.0, -25.0]
    """
    from cxlib.value import clv, expected_lifetime

    r = np.asarray(retentions, float).ravel()
    if r.size == 0:
        raise CxError("give at least one retention rate.")
    if not 0 < delta < 1:
        raise CxError(f"delta is the rise in retention in points as a share (0.05 = 5 points); got {delta}.")
    after = r + delta
    if np.any(after >= 1):
        raise CxError(f"retention + delta must stay below 1; {r[after >= 1].tolist()} + {delta} does not.")
    c0 = np.asarray(clv(margin, r, discount, convention=convention), float)
    c1 = np.asarray(clv(margin, after, discount, convention=convention), float)
    k0 = np.asarray(cost_per_customer(acquisition_cost, r, service_cost=service_cost), float)
    k1 = np.asarray(cost_per_customer(acquisition_cost, after, service_cost=service_cost), float)
    with np.errstate(invalid="ignore", divide="ignore"):
        cost_change = np.where(k0 > 0, 100 * (k1 / k0 - 1), np.nan)
    return pd.DataFrame({"retention": r, "retention_after": after,
                         "lifetime": np.asarray(expected_lifetime(r), float),
                         "lifetime_after": np.asarray(expected_lifetime(after), float),
                         "clv": c0, "clv_after": c1, "clv_change_pct": 100 * (c1 / c0 - 1),
                         "cost": np.broadcast_to(k0, r.shape), "cost_after": np.broadcast_to(k1, r.shape),
                         "cost_change_pct": np.broadcast_to(cost_change, r.shape)})


def retention_for_cost_cut(cost_cut: float = 0.18, delta: float = 0.05, *,
                           service_to_acquisition: Sequence[float] = (0.0, 0.05, 0.1, 0.2),
                           relative: bool = False) -> pd.DataFrame:
    """Which starting retention makes +``delta`` retention cut cost per customer by ``cost_cut``.

    With cost per period A(1−r) + S, raising retention by Δ points cuts it by
    AΔ/(A(1−r) + S). Setting that to the cut c and writing k = S/A (service cost per
    period as a share of the acquisition cost) gives r = 1 − Δ/c + k. With
    ``relative=True`` "5% more retention" is read as r → 1.05·r, so Δ = 0.05·r and
    r = (1 + k)/(1 + δ/c) (δ = ``delta``).

    The seed's "5% more retention cut cost per policy by 18% in life insurance"
    (Reichheld 1996; page not located, **[unverified]**) fits a *yearly* retention
    near 0.72 when the acquisition cost (commission, underwriting) dominates.

    Returns
    -------
    DataFrame: ``service_to_acquisition``, ``retention`` (NaN where no retention in
    [0, 1) works) and ``lifetime`` (periods).

    Examples
    --------
    >>> retention_for_cost_cut(0.18, 0.05, service_to_acquisition=[0.0, 0.1]).round(3)
       service_to_acquisition  retention  lifetime
    0                     0.0      0.722       3.6
    1                     0.1      0.822       5.6
    """
    if not 0 < cost_cut < 1:
        raise CxError(f"cost_cut is a share (0.18 = 18%); got {cost_cut}.")
    if not 0 < delta < 1:
        raise CxError(f"delta is a share (0.05 = 5 points); got {delta}.")
    k = np.asarray(service_to_acquisition, float).ravel()
    if np.any(k < 0) or np.any(np.isnan(k)):
        raise CxError("service_to_acquisition must be ≥ 0 (service cost per period / acquisition cost).")
    r = (1 + k) / (1 + delta / cost_cut) if relative else 1 - delta / cost_cut + k
    after = r * (1 + delta) if relative else r + delta
    ok = (r >= 0) & (after < 1)
    r = np.where(ok, r, np.nan)
    return pd.DataFrame({"service_to_acquisition": k, "retention": r, "lifetime": 1 / (1 - r)})


# =====================================================================================
# 5. the CX business case
# =====================================================================================
@dataclass
class BusinessCase:
    """A retention campaign's ROI with its uncertainty (see :func:`business_case`)."""

    summary: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    targeting: object = field(repr=False)
    contacted: np.ndarray = field(repr=False)
    assumptions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    p: np.ndarray = field(repr=False, default=None)
    value: np.ndarray = field(repr=False, default=None)

    def __getitem__(self, metric: str) -> float:
        return float(self.summary.loc[metric, "estimate"])

    def __repr__(self) -> str:
        s = self.summary
        lines = [f"BusinessCase ({self.assumptions.get('n_customers', '?')} customers scored; "
                 f"95% interval from {len(self.draws)} seeded draws)"]
        for m, r in s.iterrows():
            fmt = "{:.0%}" if m == "roi" else "{:,.0f}"
            lines.append(f"  {m:20s} {fmt.format(r.estimate):>10s}  [{fmt.format(r.low)}, {fmt.format(r.high)}]")
        return "\n".join(lines)

    def plot(self, axes=None):
        """The board's figure: net value and ROI with intervals, and the targeting curve."""
        import matplotlib.pyplot as plt

        from cxlib.plots import COLORS

        if axes is None:
            _, axes = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [1, 1.4]})
        ax0, ax1 = axes
        s = self.summary
        names = ["value_saved", "cost", "net"]
        est = s.loc[names, "estimate"] / 1000
        ax0.bar(range(3), est, color=[COLORS["good"], COLORS["bad"], COLORS["main"]], alpha=0.85)
        ax0.errorbar(range(3), est, yerr=[est - s.loc[names, "low"] / 1000, s.loc[names, "high"] / 1000 - est],
                     fmt="none", ecolor="black", capsize=4)
        ax0.set_xticks(range(3), ["value\nsaved", "campaign\ncost", "net"])
        ax0.set_ylabel("thousand USD (95% interval)")
        ax0.axhline(0, color=COLORS["neutral"], lw=1)
        r = s.loc["roi"]
        ax0.set_title(f"ROI {r.estimate:.0%} [{r.low:.0%}, {r.high:.0%}]", loc="left")
        self.targeting.plot(ax=ax1, realised="realised_profit" in self.targeting.curve)
        ax1.set_title(f"Contact {int(s.loc['customers_contacted', 'estimate'])} customers "
                      f"({self.targeting.best_share:.0%}): the curve peaks there", loc="left")
        return axes


def _beta_ab(mean: float, strength: float) -> tuple[float, float]:
    return mean * strength, (1 - mean) * strength


def business_case(p, value, *, offer_cost: float, success_rate: float, success_strength: float = 20.0,
                  incentive: float = 0.0, n_draws: int = 2000, seed: int = 0, level: float = 0.95,
                  y=None) -> BusinessCase:
    """One-page ROI of a retention campaign, with a seeded predictive interval.

    The plan uses :func:`cxlib.churn.targeting_profit`: contact every customer whose
    expected profit :math:`p_i s V_i - c - (1-p_i) g` is positive (the peak of the
    profit curve). The point estimates are expectations under the model's
    probabilities and the assumed success rate:

    * customers contacted, n; expected saves = s·Σp_i; value saved = s·Σp_iV_i;
    * cost = n·c + g·Σ(1−p_i); net = value saved − cost; ROI = net / cost.

    The interval repeats the campaign ``n_draws`` times: customers are resampled
    with replacement (bootstrap: the scored base is one sample of the base the plan
    will meet), the success rate is drawn from Beta(s·k, (1−s)·k) with k =
    ``success_strength``, and who churns and who is saved are drawn (Bernoulli p_i,
    then Bernoulli s). It is a **predictive** interval for the campaign's result,
    assuming the probabilities are calibrated.

    Parameters
    ----------
    p : array of churn probabilities (0-1), one per customer
    value : float or array
        Value saved when a would-be churner is kept (e.g. CLV), USD.
    offer_cost, success_rate, incentive : as in :func:`cxlib.churn.targeting_profit`
    success_strength : float, default 20
        Prior strength (pseudo-count) of the Beta prior on the success rate.
    y : array of 0/1, optional
        Actual outcomes: adds ``realised`` rows (value saved on the actual churners, in
        expectation over the offer's success).

    Returns
    -------
    BusinessCase
        ``summary`` (metric × estimate, low, high), ``draws``, ``targeting`` (the
        :class:`~cxlib.churn.TargetingResult`), ``contacted`` (positions of the
        customers on the list), ``p`` and ``value`` (the inputs, to rerun with other
        assumptions), ``plot()``.

    Examples
    --------
    Two customers worth contacting (p = 0.5 and 0.2 at V = 200, c = 10, s = 0.3):

    >>> bc = business_case([0.5, 0.2, 0.05], 200, offer_cost=10, success_rate=0.3, n_draws=200)
    >>> bc["customers_contacted"], round(bc["expected_saves"], 2), bc["value_saved"], bc["cost"], bc["net"]
    (2.0, 0.21, 42.0, 20.0, 22.0)
    >>> round(bc["roi"], 2)
    1.1
    """
    from cxlib.churn import targeting_profit

    if not 0 < success_rate < 1:
        raise CxError(f"success_rate is the share of would-be churners the offer keeps, strictly between 0 and 1; "
                      f"got {success_rate}.")
    if success_strength <= 0:
        raise CxError(f"success_strength (the prior's pseudo-count) must be positive; got {success_strength}.")
    if n_draws < 100:
        raise CxError(f"n_draws must be at least 100 for a stable interval; got {n_draws}.")
    p = np.asarray(p, float)
    tr = targeting_profit(p, value, offer_cost=offer_cost, success_rate=success_rate, incentive=incentive, y=y)
    V = np.broadcast_to(np.asarray(value, float), p.shape).astype(float)
    if np.any(np.isnan(V)) or np.any(V < 0):
        raise CxError("value must be numbers ≥ 0 (the value saved when a would-be churner stays).")
    pi = p * success_rate * V - offer_cost - (1 - p) * incentive
    contacted = np.flatnonzero(pi > 0)
    pc, vc = p[contacted], V[contacted]
    n = len(contacted)
    cost = n * offer_cost + incentive * float(np.sum(1 - pc))
    saved = success_rate * float(np.sum(pc * vc))
    est = {"customers_contacted": float(n), "expected_saves": success_rate * float(pc.sum()),
           "value_saved": saved, "cost": cost, "net": saved - cost,
           "roi": (saved - cost) / cost if cost > 0 else np.nan}
    # predictive draws ------------------------------------------------------------------
    rng = np.random.default_rng(seed)
    a, b = _beta_ab(success_rate, success_strength)
    s_draw = rng.beta(a, b, size=n_draws)
    N = len(p)
    rows = np.empty((n_draws, 6))
    for i in range(n_draws):
        boot = rng.integers(0, N, size=N)
        sel = boot[pi[boot] > 0]
        churn = rng.random(len(sel)) < p[sel]
        saved_i = churn & (rng.random(len(sel)) < s_draw[i])
        c_i = len(sel) * offer_cost + incentive * float(np.sum(~churn))
        v_i = float(V[sel][saved_i].sum())
        rows[i] = (len(sel), saved_i.sum(), v_i, c_i, v_i - c_i, (v_i - c_i) / c_i if c_i > 0 else np.nan)
    draws = pd.DataFrame(rows, columns=list(est))
    draws["success_rate"] = s_draw
    q = [(1 - level) / 2, 1 - (1 - level) / 2]
    summary = pd.DataFrame({"estimate": pd.Series(est)})
    summary["low"] = draws[list(est)].quantile(q[0]).to_numpy()
    summary["high"] = draws[list(est)].quantile(q[1]).to_numpy()
    notes = []
    if y is not None:
        yy = np.asarray(y, float)[contacted]
        real_saved = success_rate * float(np.sum(yy * vc))
        real_cost = n * offer_cost + incentive * float(np.sum(1 - yy))
        summary.loc["realised_churners", ["estimate", "low", "high"]] = [float(yy.sum()), np.nan, np.nan]
        summary.loc["realised_net", ["estimate", "low", "high"]] = [real_saved - real_cost, np.nan, np.nan]
        notes.append("realised rows use the actual outcomes of the contacted customers and the assumed success rate")
    summary.index.name = "metric"
    return BusinessCase(summary=summary, draws=draws, targeting=tr, contacted=contacted,
                        assumptions={"offer_cost": offer_cost, "success_rate": success_rate,
                                     "success_strength": success_strength, "incentive": incentive,
                                     "n_customers": N, "seed": seed}, notes=notes, p=p, value=V)


def business_case_from_table(df: pd.DataFrame, *, id_column: str = "customer_id", target_column: str = "churned",
                             value_column: str = "spend_last", margin_rate: float = 0.35,
                             offer_cost: float = 10.0, success_rate: float = 0.3, horizon_months: int = 3,
                             annual_discount: float = 0.10, success_strength: float = 20.0, folds: int = 5,
                             n_draws: int = 2000, seed: int = 0) -> BusinessCase:
    """The whole business case from a customer-level churn table (any company's export).

    1. :func:`cxlib.churn.clean_features` reads the target (0/1, yes/no, ...) and
       types the features; :class:`cxlib.churn.ChurnModel` gives **out-of-fold**
       churn probabilities (stratified ``folds``-fold, seeded), so no customer is
       scored by a model that saw their outcome.
    2. Monthly retention is read from the table: r = (1 − churn rate)^(1/horizon).
    3. The value saved per customer is their CLV: :func:`cxlib.value.clv` with margin
       ``margin_rate`` × ``value_column`` (monthly revenue), r and the monthly
       equivalent of ``annual_discount`` (start-of-period convention).
    4. :func:`business_case` with the offer assumptions.

    Rows with a blank target are excluded; rows with a blank or non-numeric value
    get the median value. Both are counted in ``notes`` and ``assumptions``.

    Examples
    --------
    >>> from cxlib import datasets
    >>> bc = business_case_from_table(datasets.load_churn_snapshot(), n_draws=200)
    >>> bool(bc["net"] > 0), bool(bc.summary.loc["net", "low"] < bc["net"] < bc.summary.loc["net", "high"])
    (True, True)
    """
    from cxlib.churn import ChurnModel, clean_features, parse_target
    from cxlib.io import to_numbers
    from cxlib.value import clv, monthly_rate

    _require(df, [id_column, target_column, value_column], "business_case_from_table()")
    if not 0 < margin_rate <= 1:
        raise CxError(f"margin_rate is the share of revenue kept as margin, in (0, 1]; got {margin_rate}.")
    if horizon_months < 1:
        raise CxError(f"horizon_months (the window in which the target counts churn) must be ≥ 1; got {horizon_months}.")
    table = clean_features(df, target_column, id_column=id_column)
    keep = parse_target(df[target_column], target_column)[0].notna().to_numpy()
    y = table.y.to_numpy()
    p = ChurnModel(random_state=seed).oof_predict(table.X, y, folds=folds, seed=seed)
    raw = df.loc[keep, value_column]
    spend = raw if pd.api.types.is_numeric_dtype(raw) else to_numbers(raw, errors="coerce", name=value_column)
    spend = spend.where(spend >= 0)
    n_value_missing = int(spend.isna().sum())
    if n_value_missing == len(spend):
        raise CxError(f"the value column {value_column!r} has no usable number (monthly revenue per customer).")
    spend = spend.fillna(spend.median()).to_numpy(float)
    churn_rate = float(y.mean())
    r = (1 - churn_rate) ** (1 / horizon_months)
    V = np.asarray(clv(margin_rate * spend, min(r, 1 - 1e-9), monthly_rate(annual_discount)), float)
    bc = business_case(p, V, offer_cost=offer_cost, success_rate=success_rate, success_strength=success_strength,
                       n_draws=n_draws, seed=seed, y=y)
    bc.notes = table.notes() + ([f"{n_value_missing} customer(s) with a blank or negative {value_column!r} "
                                 "valued at the median"] if n_value_missing else []) + bc.notes
    bc.assumptions.update({"monthly_retention": r, "margin_rate": margin_rate, "annual_discount": annual_discount,
                           "n_excluded_blank_target": table.n_missing_target, "n_value_imputed": n_value_missing,
                           "mean_value": float(V.mean()), "ids": df.loc[keep, id_column].to_numpy()})
    return bc

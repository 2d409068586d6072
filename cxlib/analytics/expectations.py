"""Expectations: expectation-disconfirmation, Kano categories, and personalisation claims.

Articles 002 and 004 say that an experience is judged *against expectations*. This
module turns that claim into numbers that can be checked:

* **Expectation–disconfirmation** (Oliver 1980) — :func:`performance_before` builds
  per-survey service-performance proxies from what happened before each answer;
  :func:`disconfirmation` shows the outcome (likelihood to recommend) against
  experienced performance by expectation level, with intervals, and fits
  ``outcome ~ performance + expectation`` by OLS (HC3 intervals, as statsmodels gives them).
* **Kano** (Kano et al. 1984) — :func:`kano_classify` with the standard evaluation
  table, :func:`kano_summary` (category shares and Berger et al.'s satisfaction and
  dissatisfaction coefficients), and :func:`kano_decay`, a *stylised* model of a
  delighter decaying into a basic (Kano 2001; partial evidence).
* **Personalisation** — :func:`personalisation_scenario`: a baseline P&L moved by
  the claimed effects. Article 001's 50/15/30 point values ("Harvard") are
  consultancy figures **[claim]**; the usual source (Gregg, Kalaoui, Maynes &
  Schuler 2016, McKinsey) gives *ranges* (:data:`PERSONALISATION_RANGES`).

Examples
--------
>>> kano_classify("like", "dislike")
'one-dimensional'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._level import check_level
from cxlib.analytics._ols import ols_hc3
from cxlib.checks import require_columns
from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "performance_before",
    "disconfirmation",
    "Disconfirmation",
    "KANO_ANSWERS",
    "KANO_TABLE",
    "KANO_CATEGORIES",
    "kano_classify",
    "kano_summary",
    "kano_decay",
    "PERSONALISATION_RANGES",
    "ARTICLE_CLAIM",
    "SEED_CLAIM",
    "personalisation_scenario",
]


# =====================================================================================
# 1. expectation-disconfirmation
# =====================================================================================
def performance_before(
    surveys: pd.DataFrame,
    activity: pd.DataFrame,
    interactions: pd.DataFrame | None = None,
    *,
    window: int = 3,
    id_column: str = "customer_id",
    date_column: str = "survey_date",
) -> pd.DataFrame:
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
    surveys : DataFrame
        One row per survey answer, with ``id_column`` and ``date_column``.
    activity : DataFrame
        Monthly activity: ``id_column``, ``month``, ``complaints``, ``complaints_resolved``.
    interactions : DataFrame, optional
        Service contacts: ``id_column``, ``timestamp``, ``resolved_first_contact`` (0/1) and
        ``wait_minutes``; without it only the complaint columns are computed.
    window : int, default 3
        Calendar months summed, the survey month included (at least 1).
    id_column : str, default "customer_id"
        The customer id, in all three tables.
    date_column : str, default "survey_date"
        The date of each survey answer (every answer needs one).

    Returns
    -------
    DataFrame
        Aligned with ``surveys`` (same index), one column per proxy.

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
    require_columns(surveys, [id_column, date_column], "performance_before() surveys")
    require_columns(
        activity, [id_column, "month", "complaints", "complaints_resolved"], "performance_before() activity"
    )
    sd = pd.to_datetime(surveys[date_column], errors="coerce")
    if sd.isna().any():
        raise ValidationError(
            [
                Problem(
                    "not a date",
                    column=date_column,
                    count=int(sd.isna().sum()),
                    fix="every survey answer needs a date (ISO, e.g. 2024-03-10).",
                )
            ]
        )
    key = pd.DataFrame({id_column: surveys[id_column].to_numpy(), "_m": _month_number(sd)}, index=surveys.index)

    def windowed(frame: pd.DataFrame, month: np.ndarray, cols: Mapping[str, pd.Series]) -> pd.DataFrame:
        base = pd.DataFrame(
            {
                id_column: frame[id_column].to_numpy(),
                "_m": month,
                **{k: np.asarray(v, float) for k, v in cols.items()},
            }
        )
        base = base.groupby([id_column, "_m"], sort=False).sum().reset_index()
        shifted = pd.concat([base.assign(_m=base["_m"] + lag) for lag in range(window)])
        agg = shifted.groupby([id_column, "_m"], sort=False)[list(cols)].sum()
        return key.join(agg, on=[id_column, "_m"])[list(cols)].fillna(0.0)

    am = _month_number(pd.to_datetime(activity["month"]))
    unres = activity["complaints"].astype(float) - activity["complaints_resolved"].astype(float)
    out = windowed(activity, am, {"complaints": activity["complaints"], "unresolved_complaints": unres})
    out = out.astype(int)
    failures = out["unresolved_complaints"].astype(float)
    if interactions is not None:
        require_columns(
            interactions,
            [id_column, "timestamp", "resolved_first_contact", "wait_minutes"],
            "performance_before() interactions",
        )
        im = _month_number(pd.to_datetime(interactions["timestamp"]))
        fcr = interactions["resolved_first_contact"].astype(float)
        w = windowed(
            interactions,
            im,
            {
                "contacts": np.ones(len(interactions)),
                "not_resolved_first": 1 - fcr,
                "_wait": interactions["wait_minutes"].astype(float),
            },
        )
        out["contacts"] = w["contacts"].astype(int)
        out["not_resolved_first"] = w["not_resolved_first"].astype(int)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["fcr_share"] = (1 - w["not_resolved_first"] / w["contacts"]).where(w["contacts"] > 0)
            out["mean_wait"] = (w["_wait"] / w["contacts"]).where(w["contacts"] > 0)
        failures = failures + out["not_resolved_first"]
    out["service_failures"] = failures.astype(int)
    return out


def _month_number(dates: pd.Series) -> np.ndarray:
    """Calendar months as numbers (year × 12 + month; NaN for a blank), so that "+ lag" is a later month.

    Numbers, not ``Period`` objects: grouping and joining on them is vectorised (issue 17, speed).
    """
    return np.asarray(dates.dt.year * 12 + dates.dt.month, dtype=float)


@dataclass
class Disconfirmation:
    """Outcome against performance by expectation level (see :func:`disconfirmation`).

    Attributes
    ----------
    table : DataFrame
        One row per performance level and expectation group: ``n``, ``mean`` outcome and its
        t-based ``ci_low``, ``ci_high``.
    coefficients : DataFrame
        The OLS terms of ``outcome ~ performance + expectation`` (HC3 standard errors):
        ``term``, ``coef``, ``se``, ``ci_low``, ``ci_high``, ``p_value``.
    outcome, performance, expectation : str
        The column names analysed.
    n : int
        Rows used.
    n_missing : int
        Rows left out because one of the three values was missing.
    data : DataFrame
        The complete rows analysed (the outcome, performance and expectation columns).
    model : statsmodels results
        The same regression fitted by statsmodels, for further checks (fitted on first use).
    """

    table: pd.DataFrame
    coefficients: pd.DataFrame
    outcome: str
    performance: str
    expectation: str
    n: int
    n_missing: int
    data: pd.DataFrame | None = field(repr=False, default=None)

    @cached_property
    def model(self) -> Any:
        """The regression of ``coefficients`` fitted by statsmodels (OLS, HC3), for further checks."""
        import statsmodels.api as sm

        if self.data is None:
            raise CxError("this Disconfirmation keeps no data to refit; call disconfirmation() on the table.")
        X = sm.add_constant(self.data[[self.performance, self.expectation]])
        return sm.OLS(self.data[self.outcome], X).fit(cov_type="HC3")

    @property
    def summary(self) -> pd.DataFrame:
        """The regression coefficients with their intervals."""
        return self.coefficients

    @renamed_arguments(level="performance")
    def gap(self, performance=None) -> pd.Series | float:
        """Lowest minus highest expectation group's mean outcome at each performance level.

        Parameters
        ----------
        performance : str, optional
            One performance level (e.g. ``"0"``); default all of them.

        Returns
        -------
        Series (one value per performance level) or float (one level).
        """
        t = self.table.pivot(index="performance", columns="expectation_group", values="mean")
        t = t.reindex(
            index=list(dict.fromkeys(self.table["performance"])),
            columns=list(dict.fromkeys(self.table["expectation_group"])),
        )
        out = t.iloc[:, 0] - t.iloc[:, -1]
        return out if performance is None else out.loc[performance]

    def __repr__(self) -> str:
        c = self.coefficients.set_index("term")
        parts = [
            f"{t} {c.loc[t, 'coef']:+.2f} [{c.loc[t, 'ci_low']:+.2f}, {c.loc[t, 'ci_high']:+.2f}]"
            for t in c.index
            if t != "Intercept"
        ]
        return (
            f"Disconfirmation({self.outcome} ~ {self.performance} + {self.expectation}; n = {self.n}, "
            f"{self.n_missing} excluded for missing values): " + "; ".join(parts)
        )


def _numeric_rows(df: pd.DataFrame, cols: list[str], groups: int) -> tuple[pd.DataFrame, int]:
    """The complete numeric rows of ``cols``; text that is not a number is an error."""
    data = df[cols].apply(pd.to_numeric, errors="coerce")
    bad_text = (data.isna() & df[cols].notna()).sum()
    if bad_text.any():
        raise ValidationError(
            [
                Problem(
                    "not a number",
                    column=c,
                    count=int(k),
                    fix="the outcome, performance and expectation must be numbers.",
                )
                for c, k in bad_text.items()
                if k
            ]
        )
    n_missing = int(data.isna().any(axis=1).sum())
    data = data.dropna()
    if len(data) < 3 * groups:
        raise CxError(
            f"disconfirmation() needs at least {3 * groups} complete rows; got {len(data)} "
            f"({n_missing} had a missing value)."
        )
    return data, n_missing


def _performance_levels(perf: pd.Series, performance_levels: int | None) -> tuple[pd.Series, list[str]]:
    """Level labels of the performance (its values, a sparse top pooled into "k+", or quantile groups)."""
    uniq = np.sort(perf.unique())
    if len(uniq) <= 6 and performance_levels is None:
        top = uniq[-1]
        counts = perf.value_counts()
        while len(uniq) > 2 and counts.get(top, 0) < 30:  # pool a sparse top level so each cell has data
            uniq = uniq[:-1]
            top = uniq[-1]
        lev_lab = perf.clip(upper=top).map(lambda v: f"{v:g}+" if v == top and perf.max() > top else f"{v:g}")
        return lev_lab, [f"{v:g}" for v in uniq[:-1]] + [f"{top:g}+" if perf.max() > top else f"{top:g}"]
    k = performance_levels or 4
    lev_lab = pd.qcut(perf.rank(method="first"), k, labels=[f"P{j + 1}" for j in range(k)]).astype(str)
    return lev_lab, [f"P{j + 1}" for j in range(k)]


def _cells(lev_lab, order, xg, y, level: float) -> pd.DataFrame:
    """Mean outcome per performance level and expectation group, with t intervals."""
    g = (
        pd.DataFrame({"performance": lev_lab, "expectation_group": xg, "y": y})
        .groupby(["performance", "expectation_group"], observed=True)["y"]
        .agg(n="size", mean="mean", sd="std")
        .reset_index()
    )
    se = g["sd"] / np.sqrt(g["n"])
    tq = stats.t.ppf(0.5 + level / 2, np.maximum(g["n"] - 1, 1))
    g["ci_low"] = np.where(g["n"] > 1, g["mean"] - tq * se, np.nan)
    g["ci_high"] = np.where(g["n"] > 1, g["mean"] + tq * se, np.nan)
    g["performance"] = pd.Categorical(g["performance"], categories=order, ordered=True)
    g = g.sort_values(["performance", "expectation_group"]).reset_index(drop=True)
    g["performance"] = g["performance"].astype(str)
    g["expectation_group"] = g["expectation_group"].astype(str)
    return g.drop(columns="sd")


@renamed_arguments(outcome="outcome_column", performance="performance_column", expectation="expectation_column")
def disconfirmation(
    df: pd.DataFrame,
    outcome_column: str,
    performance_column: str,
    expectation_column: str,
    *,
    groups: int = 3,
    performance_levels: int | None = None,
    labels: Sequence[str] | None = None,
    level: float = 0.95,
) -> Disconfirmation:
    """Expectation–disconfirmation on data: outcome against performance by expectation level.

    Oliver (1980): satisfaction depends on performance *relative to* the prior
    expectation. If so, at the same performance customers with higher expectations
    are less satisfied (a negative expectation coefficient), and better performance
    raises satisfaction at every expectation level.

    Parameters
    ----------
    df : DataFrame
        One row per answer.
    outcome_column : str
        Satisfaction or likelihood to recommend (numeric).
    performance_column : str
        Experienced performance (numeric; e.g. ``service_failures`` from
        :func:`performance_before`). When it has at most 6 distinct values they are
        the levels; otherwise it is cut into ``performance_levels`` quantile groups
        (default 4). Values are capped at the top level shown (e.g. "2+").
    expectation_column : str
        The expectation level (numeric), cut into ``groups`` quantile groups.
    groups : int, default 3
        Number of expectation groups.
    performance_levels : int, optional
        Quantile groups of a performance with more than 6 values.
    labels : sequence of str, optional
        Names of the expectation groups (default low/mid/high for 3).
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    Disconfirmation
        ``table`` (performance × expectation group: ``n``, ``mean``, t-based
        ``ci_low``/``ci_high``), ``coefficients`` (OLS ``outcome ~ performance +
        expectation`` on the numeric values, HC3 standard errors). Rows with a missing
        value are excluded and counted in ``n_missing``.

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
    outcome, performance, expectation = outcome_column, performance_column, expectation_column
    require_columns(df, [outcome, performance, expectation], "disconfirmation()")
    check_level(level)
    if groups < 2:
        raise CxError(f"groups must be at least 2 (to compare expectation levels); got {groups}.")
    data, n_missing = _numeric_rows(df, [outcome, performance, expectation], groups)
    if data[expectation].nunique() < groups:
        raise CxError(
            f"the expectation column {expectation!r} has fewer than {groups} distinct values; lower `groups`."
        )
    default = ["low", "mid", "high"] if groups == 3 else [f"Q{k + 1}" for k in range(groups)]
    labels = list(labels) if labels is not None else default
    if len(labels) != groups:
        raise CxError(f"labels must have {groups} names; got {len(labels)}.")
    xg = pd.qcut(data[expectation].rank(method="first"), groups, labels=labels)
    lev_lab, order = _performance_levels(data[performance], performance_levels)
    coefs = ols_hc3(data, outcome, [performance, expectation], level=level)
    return Disconfirmation(
        table=_cells(lev_lab, order, xg, data[outcome], level),
        coefficients=coefs,
        outcome=outcome,
        performance=performance,
        expectation=expectation,
        n=len(data),
        n_missing=n_missing,
        data=data,
    )


# =====================================================================================
# 2. Kano
# =====================================================================================
#: The five answers to a Kano question, in the order of the evaluation table.
KANO_ANSWERS = ("like", "must-be", "neutral", "live-with", "dislike")


_KANO_ALIASES = {
    "like": "like",
    "i like it": "like",
    "1": "like",
    "must-be": "must-be",
    "must be": "must-be",
    "expect": "must-be",
    "i expect it": "must-be",
    "it must be that way": "must-be",
    "2": "must-be",
    "neutral": "neutral",
    "i am neutral": "neutral",
    "indifferent": "neutral",
    "3": "neutral",
    "live-with": "live-with",
    "live with": "live-with",
    "i can live with it": "live-with",
    "tolerate": "live-with",
    "4": "live-with",
    "dislike": "dislike",
    "i dislike it": "dislike",
    "5": "dislike",
}


#: Category codes of the standard Kano evaluation table (Kano et al. 1984; Berger et al. 1993).
KANO_CATEGORIES = {
    "A": "attractive",
    "O": "one-dimensional",
    "M": "must-be",
    "I": "indifferent",
    "R": "reverse",
    "Q": "questionable",
}


#: Rows: answer to the functional question ("if the product has it"); columns: the
#: dysfunctional question ("if it does not have it").
KANO_TABLE = pd.DataFrame(
    [
        ["Q", "A", "A", "A", "O"],
        ["R", "I", "I", "I", "M"],
        ["R", "I", "I", "I", "M"],
        ["R", "I", "I", "I", "M"],
        ["R", "R", "R", "R", "Q"],
    ],
    index=pd.Index(KANO_ANSWERS, name="functional"),
    columns=pd.Index(KANO_ANSWERS, name="dysfunctional"),
)


def _kano_answer(values, name: str, problems: list) -> np.ndarray:
    s = pd.Series(np.atleast_1d(np.asarray(values, dtype=object)))
    key = s.map(
        lambda v: (
            str(int(v))
            if isinstance(v, (int, np.integer, float, np.floating)) and not pd.isna(v) and float(v).is_integer()
            else (str(v).strip().lower() if not pd.isna(v) else "")
        )
    )
    mapped = key.map(_KANO_ALIASES)
    bad = mapped.isna()
    if bad.any():
        problems.append(
            Problem(
                "Kano answer not understood",
                column=name,
                count=int(bad.sum()),
                rows=tuple(int(i) for i in np.flatnonzero(bad)[:5]),
                values=tuple(s[bad].head(5)),
                fix="use like, must-be (expect), neutral, live-with or dislike, "
                "or the codes 1-5 in that order; blanks are not allowed.",
            )
        )
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

    Parameters
    ----------
    functional, dysfunctional : str or array-like
        The answers themselves (words or 1-5), one pair per respondent.

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


@renamed_arguments(functional="functional_column", dysfunctional="dysfunctional_column", feature="feature_column")
def kano_summary(
    df: pd.DataFrame, functional_column: str, dysfunctional_column: str, feature_column: str | None = None
) -> pd.DataFrame:
    """Category shares per feature, the modal category and Berger et al.'s coefficients.

    Satisfaction coefficient CS+ = (A + O)/(A + O + M + I); dissatisfaction
    coefficient CS− = −(O + M)/(A + O + M + I) (Berger et al. 1993). Reverse and
    questionable answers are counted but left out of both coefficients.

    Parameters
    ----------
    df : DataFrame
        One row per respondent and feature.
    functional_column, dysfunctional_column : str
        The answers to the functional ("if it has it") and dysfunctional ("if it does
        not") questions (see :data:`KANO_ANSWERS`).
    feature_column : str, optional
        The feature each row is about (default: one feature, ``"all"``).

    Returns
    -------
    DataFrame
        One row per feature: ``n``, the share of each category, ``category`` (the
        modal one), ``cs_plus`` and ``cs_minus``.

    Examples
    --------
    >>> d = pd.DataFrame({"f": ["like", "like", "neutral", "like"], "d": ["dislike", "neutral", "dislike", "neutral"]})
    >>> kano_summary(d, "f", "d")[["n", "category", "cs_plus", "cs_minus"]]
         n    category  cs_plus  cs_minus
    all  4  attractive     0.75     -0.5
    """
    functional, dysfunctional, feature = functional_column, dysfunctional_column, feature_column
    require_columns(df, [functional, dysfunctional] + ([feature] if feature else []), "kano_summary()")
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


def kano_decay(
    years: Sequence[float] | None = None, *, half_life: float = 3.0, delight: float = 1.0, penalty: float = 1.0
) -> pd.DataFrame:
    """A **stylised** model of a delighter decaying into a basic (illustration, not an estimate).

    Kano (2001) describes a life cycle of quality attributes: what delights today is
    expected tomorrow (the evidence is partial). Here the share of customers who
    *expect* the feature, ``a(t) = 1 − 2^(−t/half_life)``, grows as competitors copy
    it. Satisfaction when the feature is present is ``delight·(1 − a)`` (only those
    not yet expecting it are delighted); when absent it is ``−penalty·a`` (those who
    expect it are let down). The category reads attractive while a < 1/3,
    one-dimensional while a < 2/3, then must-be. Article 003's teddy bear in the
    child seat follows this path once every dealer copies it.

    Parameters
    ----------
    years : sequence of float, optional
        Times since launch, in years (default 0 to 12 in steps of 0.25).
    half_life : float, default 3
        Years until half of the customers expect the feature.
    delight, penalty : float, default 1
        Satisfaction from the feature when unexpected, and dissatisfaction from its
        absence when expected.

    Returns
    -------
    DataFrame
        ``year``, ``expect_share``, ``if_present``, ``if_absent`` and ``category``.

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
        raise CxError(
            f"half_life must be positive (years until half the customers expect the feature); got {half_life}."
        )
    if np.any(t < 0) or np.any(np.isnan(t)):
        raise CxError("years must be ≥ 0 (time since the feature was introduced).")
    a = 1 - 2.0 ** (-t / half_life)
    cat = np.where(a < 1 / 3, "attractive", np.where(a < 2 / 3, "one-dimensional", "must-be"))
    return pd.DataFrame(
        {"year": t, "expect_share": a, "if_present": delight * (1 - a), "if_absent": -penalty * a, "category": cat}
    )


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
#: Article 004's claimed personalisation effects (labelled [claim]: no original source found).
ARTICLE_CLAIM = {"acquisition_cost_cut": 0.50, "revenue_uplift": 0.15, "marketing_efficiency": 0.30}
#: The 0.1 name of :data:`ARTICLE_CLAIM` (kept for one release).
SEED_CLAIM = ARTICLE_CLAIM


def personalisation_scenario(
    revenue: float,
    marketing_spend: float,
    acquisition_cost: float,
    *,
    margin_rate: float = 0.35,
    programme_cost: float = 0.0,
    acquisition_cost_cut: float | None = None,
    revenue_uplift: float | None = None,
    marketing_efficiency: float | None = None,
) -> pd.DataFrame:
    """What personalisation would do to a P&L under the claimed effects **[claim]**.

    Baseline per period: ``revenue``, ``marketing_spend`` (excluding acquisition) and
    ``acquisition_cost`` (total spent winning customers). A scenario applies:

    * revenue × (1 + revenue_uplift);
    * acquisition cost × (1 − acquisition_cost_cut);
    * marketing spend ÷ (1 + marketing_efficiency) — the same results for less
      spend ("+30% efficiency" = 1.3× the result per dollar);
    * minus ``programme_cost`` (what personalisation itself costs).

    Profit = margin_rate × revenue − marketing − acquisition − programme cost.

    Parameters
    ----------
    revenue, marketing_spend, acquisition_cost : float
        The baseline per period (same currency).
    margin_rate : float, default 0.35
        Share of revenue kept as gross margin.
    programme_cost : float, default 0
        What personalisation itself costs per period.
    acquisition_cost_cut, revenue_uplift, marketing_efficiency : float, optional
        Your own effects (shares, e.g. 0.1); add a ``yours`` row.

    Returns
    -------
    DataFrame with rows ``baseline``, ``low``, ``mid``, ``high`` (the ranges of
    :data:`PERSONALISATION_RANGES`), ``article 004`` (its claim: 50/15/30) and, when any
    effect is given, ``yours``; columns: the three effects, revenue,
    marketing_spend, acquisition_cost, gross_margin, profit, profit_change and
    ``source``.

    Examples
    --------
    >>> t = personalisation_scenario(1000, 100, 50, margin_rate=0.4)
    >>> t.loc[["baseline", "article 004"], ["revenue", "marketing_spend", "acquisition_cost", "profit"]].round(1)
                revenue  marketing_spend  acquisition_cost  profit
    baseline     1000.0            100.0              50.0   250.0
    article 004  1150.0             76.9              25.0   358.1
    """
    vals = {
        "revenue": revenue,
        "marketing_spend": marketing_spend,
        "acquisition_cost": acquisition_cost,
        "programme_cost": programme_cost,
    }
    problems = [
        f"{k} must be a number ≥ 0 (got {v!r})"
        for k, v in vals.items()
        if not isinstance(v, (int, float, np.integer, np.floating)) or not np.isfinite(v) or v < 0
    ]
    if not 0 < margin_rate <= 1:
        problems.append(f"margin_rate is the share of revenue kept as margin, in (0, 1] (got {margin_rate})")
    yours = {
        "acquisition_cost_cut": acquisition_cost_cut,
        "revenue_uplift": revenue_uplift,
        "marketing_efficiency": marketing_efficiency,
    }
    for k, v in yours.items():
        if v is not None and not (-1 < v <= (1 if k == "acquisition_cost_cut" else 10)):
            problems.append(f"{k} is a share (0.15 = 15%); got {v}")
    if problems:
        raise CxError("personalisation_scenario(): " + "; ".join(problems) + ".")
    rows: dict[str, tuple] = {"baseline": (0.0, 0.0, 0.0, "no personalisation")}
    for j, name in enumerate(("low", "mid", "high")):
        rows[name] = tuple(PERSONALISATION_RANGES[k][j] for k in PERSONALISATION_RANGES) + (
            "Gregg et al. 2016 range [claim]",
        )
    rows["article 004"] = tuple(ARTICLE_CLAIM[k] for k in PERSONALISATION_RANGES) + (
        "article 004 ('Harvard'), consultancy figures [claim]",
    )
    if any(v is not None for v in yours.values()):
        mid = {k: PERSONALISATION_RANGES[k][1] for k in PERSONALISATION_RANGES}
        rows["yours"] = tuple(mid[k] if (y := yours[k]) is None else float(y) for k in PERSONALISATION_RANGES) + (
            "your assumptions",
        )
    t = pd.DataFrame.from_dict(
        rows, orient="index", columns=["acquisition_cost_cut", "revenue_uplift", "marketing_efficiency", "source"]
    )
    t["revenue"] = revenue * (1 + t["revenue_uplift"])
    t["marketing_spend"] = marketing_spend / (1 + t["marketing_efficiency"])
    t["acquisition_cost"] = acquisition_cost * (1 - t["acquisition_cost_cut"])
    t["programme_cost"] = np.where(t.index == "baseline", 0.0, programme_cost)
    t["gross_margin"] = margin_rate * t["revenue"]
    t["profit"] = t["gross_margin"] - t["marketing_spend"] - t["acquisition_cost"] - t["programme_cost"]
    t["profit_change"] = t["profit"] - t.loc["baseline", "profit"]
    return t[
        [
            "acquisition_cost_cut",
            "revenue_uplift",
            "marketing_efficiency",
            "revenue",
            "marketing_spend",
            "acquisition_cost",
            "programme_cost",
            "gross_margin",
            "profit",
            "profit_change",
            "source",
        ]
    ]

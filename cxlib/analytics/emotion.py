"""Emotional connection and loyalty: risk ratios, shares and adjusted estimates.

Article 001 repeats a vendor claim that emotionally connected customers are
"at least 3x more likely to recommend and to repurchase" (**[unverified]**; the
underlying source is Magids, Zorfas & Leemon 2015, *HBR*, **[claim]**). This
module gives the tools to test such a claim on data:

* :func:`risk_ratio` — the risk ratio (relative risk) of a 2x2 table with its
  Katz log interval: RR = [a/(a+b)] / [c/(c+d)],
  SE(ln RR) = sqrt(1/a - 1/(a+b) + 1/c - 1/(c+d)), CI = exp(ln RR +- z*SE).
* :func:`risk_ratio_table` — the same from a DataFrame with a 0/1 exposure
  ("connected") and a 0/1 outcome ("recommends"); missing rows are counted.
* :func:`risk_ratio_summary` — one row per outcome, with a verdict on a claimed ratio.
* :func:`adjusted_risk_ratio` — the risk ratio adjusted for confounders (e.g.
  tenure) by Poisson regression with a log link and robust (sandwich, HC0)
  standard errors ("modified Poisson", Zou 2004), or by logistic regression
  with marginal standardisation (g-computation; delta-method interval).
* :func:`share` — a proportion with its Wilson interval ("44% rarely shop around").
* :func:`repurchase_outcome` — a *later, behavioural* outcome per survey answer
  (stayed / added a product in the following months), less prone to
  common-method bias than a same-survey answer.
* :func:`connection_from_text` — a per-customer connection measure: the share
  of a customer's comments that use emotion (attachment) words.
* :func:`measure_validity` — how well a measure ranks the true status: ROC AUC
  with a DeLong interval.

The table layout used throughout::

                    outcome = 1   outcome = 0
    exposed   (1)        a             b
    unexposed (0)        c             d

Zero cells: if ``a`` or ``c`` is 0 the ratio is 0 or infinite and the Katz
interval is undefined, so :func:`risk_ratio` raises a :class:`~cxlib.errors.CxError`
unless you ask for ``correction="haldane"`` (add 0.5 to every cell, only when
such a zero occurs; the result records ``correction=0.5``). An empty row
(``a + b == 0`` or ``c + d == 0``) is always an error: there is nobody to compare.

Examples
--------
>>> from cxlib.analytics.emotion import risk_ratio
>>> risk_ratio(120, 80, 150, 450)
RiskRatio(rr=2.40 [2.01, 2.87] at 95%; risk 0.600 (120/200) vs 0.250 (150/600))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from cxlib._deprecation import renamed_arguments
from cxlib.analytics._emotion_base import _binary, _Interval
from cxlib.analytics._emotion_measures import MeasureValidity, connection_from_text, measure_validity
from cxlib.analytics._emotion_share import Share, share
from cxlib.analytics.stats import z_value
from cxlib.checks import require_columns
from cxlib.errors import CxError, ValidationError
from cxlib.features import outcome_after_event

__all__ = [
    "RiskRatio",
    "risk_ratio",
    "risk_ratio_table",
    "risk_ratio_summary",
    "AdjustedRiskRatio",
    "adjusted_risk_ratio",
    "Share",
    "share",
    "repurchase_outcome",
    "connection_from_text",
    "MeasureValidity",
    "measure_validity",
    "misclassified_risk_ratio",
]


@dataclass(frozen=True)
class RiskRatio(_Interval):
    """A risk ratio with its confidence interval (see :func:`risk_ratio`).

    Attributes
    ----------
    rr, ci_low, ci_high : float
        The ratio and its interval.
    a, b, c, d : float
        The cells used (after any continuity correction).
    risk_exposed, risk_unexposed : float
        a/(a+b) and c/(c+d).
    se_log : float
        Standard error of ln(RR).
    level : float
        Confidence level of the interval, e.g. 0.95.
    correction : float
        What was added to each cell (0 = none; 0.5 = Haldane).
    n_excluded : int
        Rows left out because the exposure or the outcome was missing
        (only from :func:`risk_ratio_table`).
    exposure, outcome : str or None
        The exposure and outcome column names (only from :func:`risk_ratio_table`).
    """

    rr: float
    ci_low: float
    ci_high: float
    a: float
    b: float
    c: float
    d: float
    risk_exposed: float
    risk_unexposed: float
    se_log: float
    level: float = 0.95
    correction: float = 0.0
    n_excluded: int = 0
    exposure: str | None = None
    outcome: str | None = None

    @property
    def n(self) -> int:
        """Rows in the table (without the correction)."""
        return int(round(self.a + self.b + self.c + self.d - 4 * self.correction))

    @property
    def table(self) -> pd.DataFrame:
        """The 2x2 table (rows exposed/unexposed, columns outcome yes/no)."""
        return pd.DataFrame(
            {"outcome=1": [self.a, self.c], "outcome=0": [self.b, self.d]},
            index=pd.Index(["exposed", "unexposed"], name=self.exposure or "exposure"),
        )

    def to_dict(self) -> dict:
        """A JSON-friendly dict.

        Returns
        -------
        dict
        """
        return {k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in self.__dict__.items()}

    def __repr__(self) -> str:
        def cnt(x: float) -> str:
            return f"{x:g}"

        return (
            f"RiskRatio(rr={self.rr:.2f} [{self.ci_low:.2f}, {self.ci_high:.2f}] at "
            f"{self.level:.0%}; risk {self.risk_exposed:.3f} ({cnt(self.a)}/{cnt(self.a + self.b)}) "
            f"vs {self.risk_unexposed:.3f} ({cnt(self.c)}/{cnt(self.c + self.d)})"
            + (f"; +{self.correction:g} per cell" if self.correction else "")
            + (f"; {self.n_excluded} rows excluded" if self.n_excluded else "")
            + ")"
        )


@renamed_arguments(confidence="level")
def risk_ratio(
    a: float, b: float, c: float, d: float, *, level: float = 0.95, correction: str | None = None
) -> RiskRatio:
    """Risk ratio of a 2x2 table with the Katz log interval.

    Parameters
    ----------
    a, b : int
        Exposed group (e.g. connected customers): with / without the outcome.
    c, d : int
        Unexposed group: with / without the outcome.
    level : float
        Confidence level of the interval (default 0.95).
    correction : {None, "haldane"}
        What to do when ``a`` or ``c`` is zero. None (default) raises a
        CxError; ``"haldane"`` adds 0.5 to every cell (only when such a zero
        occurs) so a finite, conservative estimate can be reported.

    Returns
    -------
    RiskRatio

    Raises
    ------
    CxError
        Negative or non-whole counts, an empty group, or a zero cell without a
        correction.

    Examples
    --------
    The worked example of cx_science §5: strong association, but "3x" is excluded.

    >>> r = risk_ratio(120, 80, 150, 450)
    >>> round(r.rr, 2), round(r.ci_low, 2), round(r.ci_high, 2), r.excludes(3)
    (2.4, 2.01, 2.87, True)
    >>> risk_ratio(0, 10, 5, 5, correction="haldane").rr  # doctest: +ELLIPSIS
    0.0909...
    """
    z = z_value(level)
    cells = {"a": a, "b": b, "c": c, "d": d}
    bad = [
        f"{k}={v!r}"
        for k, v in cells.items()
        if not isinstance(v, (int, float, np.integer, np.floating))
        or isinstance(v, bool)
        or not np.isfinite(v)
        or v < 0
        or float(v) != round(float(v))
    ]
    if bad:
        raise CxError(f"the cells of a 2x2 table must be counts (whole numbers >= 0); got {', '.join(bad)}.")
    a, b, c, d = (float(x) for x in (a, b, c, d))
    if a + b == 0 or c + d == 0:
        which = "exposed (a + b)" if a + b == 0 else "unexposed (c + d)"
        raise CxError(
            f"the {which} group is empty, so there is nothing to compare. Check the exposure "
            f"column: does it contain both groups?"
        )
    if correction not in (None, "haldane"):
        raise CxError(f"correction must be None or 'haldane'; got {correction!r}.")
    added = 0.0
    if a == 0 or c == 0:
        if correction is None:
            raise CxError(
                f"a zero cell (a={a:g}, c={c:g}) makes the risk ratio 0 or infinite and its interval "
                f"undefined. Report the counts as they are, or pass correction='haldane' to add 0.5 "
                f"to every cell."
            )
        added = 0.5
        a, b, c, d = a + added, b + added, c + added, d + added
    r1, r0 = a / (a + b), c / (c + d)
    rr = r1 / r0
    se = float(np.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)))
    lo, hi = np.exp(np.log(rr) + np.array([-z, z]) * se)
    return RiskRatio(
        rr=float(rr),
        ci_low=float(lo),
        ci_high=float(hi),
        a=a,
        b=b,
        c=c,
        d=d,
        risk_exposed=float(r1),
        risk_unexposed=float(r0),
        se_log=se,
        level=level,
        correction=added,
    )


# ----------------------------------------------------------------------------------------------
# From a DataFrame
# ----------------------------------------------------------------------------------------------
@renamed_arguments(exposure="exposure_column", outcome="outcome_column", confidence="level")
def risk_ratio_table(
    df: pd.DataFrame,
    exposure_column: str,
    outcome_column: str,
    *,
    level: float = 0.95,
    correction: str | None = None,
) -> RiskRatio:
    """Risk ratio of ``outcome_column`` for ``exposure_column`` = 1 vs 0, from a DataFrame.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per person.
    exposure_column, outcome_column : str
        Columns coded 0/1 (or True/False, "yes"/"no"). Rows where either is
        missing are excluded and counted in ``n_excluded``; any other value is
        an error.
    level : float, default 0.95
        Confidence level of the interval.
    correction : {None, "haldane"}
        As in :func:`risk_ratio`.

    Returns
    -------
    RiskRatio

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"connected": [1] * 200 + [0] * 600 + [None],
    ...                    "promoter": [1] * 120 + [0] * 80 + [1] * 150 + [0] * 450 + [1]})
    >>> risk_ratio_table(df, "connected", "promoter")
    RiskRatio(rr=2.40 [2.01, 2.87] at 95%; risk 0.600 (120/200) vs 0.250 (150/600); 1 rows excluded)
    """
    require_columns(df, [exposure_column, outcome_column])
    problems: list = []
    x = _binary(df, exposure_column, problems)
    y = _binary(df, outcome_column, problems)
    if problems:
        raise ValidationError(problems, source="risk_ratio_table")
    keep = x.notna() & y.notna()
    x, y = x[keep], y[keep]
    a = int(((x == 1) & (y == 1)).sum())
    b = int(((x == 1) & (y == 0)).sum())
    c = int(((x == 0) & (y == 1)).sum())
    d = int(((x == 0) & (y == 0)).sum())
    r = risk_ratio(a, b, c, d, level=level, correction=correction)
    extra = {"n_excluded": int((~keep).sum()), "exposure": exposure_column, "outcome": outcome_column}
    return RiskRatio(**{**r.__dict__, **extra})


def _verdict(lo: float, hi: float, claimed: float) -> str:
    if hi < claimed:
        return f"below the claimed {claimed:g}x"
    if lo > claimed:
        return f"above the claimed {claimed:g}x"
    return f"consistent with {claimed:g}x"


@renamed_arguments(exposure="exposure_column", outcomes="outcome_columns", confidence="level")
def risk_ratio_summary(
    df: pd.DataFrame,
    exposure_column: str,
    outcome_columns: Sequence[str],
    *,
    claimed: float | None = None,
    level: float = 0.95,
    correction: str | None = None,
) -> pd.DataFrame:
    """One row per outcome: risks, risk ratio, interval and (optionally) a verdict on a claim.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per person.
    exposure_column : str
        The 0/1 exposure (e.g. ``connected``).
    outcome_columns : sequence of str
        The 0/1 outcomes, one row each.
    claimed : float, optional
        A claimed ratio (e.g. 3.0). The ``verdict`` column says whether the
        interval excludes it and on which side.
    level : float, default 0.95
        Confidence level of the intervals.
    correction : {None, "haldane"}
        As in :func:`risk_ratio`.

    Returns
    -------
    DataFrame
        Indexed by outcome: ``n``, ``n_excluded``, ``risk_exposed``, ``risk_unexposed``,
        ``rr``, ``ci_low``, ``ci_high`` (and ``verdict``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"connected": [1] * 200 + [0] * 600,
    ...                    "promoter": [1] * 120 + [0] * 80 + [1] * 150 + [0] * 450,
    ...                    "stayed": [1] * 190 + [0] * 10 + [1] * 540 + [0] * 60})
    >>> t = risk_ratio_summary(df, "connected", ["promoter", "stayed"], claimed=3)
    >>> t[["rr", "ci_low", "ci_high", "verdict"]].round(2)
                rr  ci_low  ci_high               verdict
    outcome
    promoter  2.40    2.01     2.87  below the claimed 3x
    stayed    1.06    1.01     1.10  below the claimed 3x
    """
    rows = []
    for out in outcome_columns:
        r = risk_ratio_table(df, exposure_column, out, level=level, correction=correction)
        row = {
            "outcome": out,
            "n": r.n,
            "n_excluded": r.n_excluded,
            "risk_exposed": r.risk_exposed,
            "risk_unexposed": r.risk_unexposed,
            "rr": r.rr,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
        }
        if claimed is not None:
            row["verdict"] = _verdict(r.ci_low, r.ci_high, claimed)
        rows.append(row)
    return pd.DataFrame(rows).set_index("outcome")


# ----------------------------------------------------------------------------------------------
# Adjusted risk ratio
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AdjustedRiskRatio(_Interval):
    """A confounder-adjusted risk ratio (see :func:`adjusted_risk_ratio`).

    Attributes
    ----------
    rr, ci_low, ci_high : float
        Adjusted ratio and interval.
    p_value : float
        Two-sided test of RR = 1.
    crude : RiskRatio
        The unadjusted ratio on the same rows, for comparison.
    method : str
        ``"poisson"`` or ``"logistic"``.
    confounders : tuple of str
    n, n_excluded : int
        Rows used, and rows left out because a used column was missing.
    level : float
        Confidence level of the intervals, e.g. 0.95.
    summary : pandas.DataFrame
        Every model term on the ratio scale (exp of the coefficient) with its
        interval; for ``"logistic"`` these are odds ratios.
    """

    rr: float
    ci_low: float
    ci_high: float
    p_value: float
    crude: RiskRatio
    method: str
    confounders: tuple
    n: int
    n_excluded: int
    level: float = 0.95
    summary: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)

    def __repr__(self) -> str:
        return (
            f"AdjustedRiskRatio(rr={self.rr:.2f} [{self.ci_low:.2f}, {self.ci_high:.2f}] at "
            f"{self.level:.0%}, crude {self.crude.rr:.2f}; method={self.method!r}, "
            f"adjusted for {', '.join(self.confounders) or 'nothing'}; n={self.n}"
            + (f", {self.n_excluded} rows excluded" if self.n_excluded else "")
            + ")"
        )


def _design(df: pd.DataFrame, exposure: str, confounders: Sequence[str]) -> pd.DataFrame:
    """Intercept, exposure, numeric confounders as they are, categorical ones as dummies."""
    parts = [pd.Series(1.0, index=df.index, name="const"), df[exposure].rename(exposure)]
    for col in confounders:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            parts.append(s.astype(float).rename(col))
        elif pd.api.types.is_numeric_dtype(s):
            parts.append(s.astype(float).rename(col))
        else:
            dummies = pd.get_dummies(s.astype("category"), prefix=col, prefix_sep="=", drop_first=True, dtype=float)
            parts.append(dummies)
    X = pd.concat(parts, axis=1)
    return X.loc[:, X.std(ddof=0).gt(0) | (X.columns == "const")]


def _log_rr(fit, X: pd.DataFrame, exposure: str, method: str) -> tuple[float, float]:
    """ln RR and its standard error: the Poisson coefficient, or marginal standardisation (delta method)."""
    cov = fit.cov_params()
    if method == "poisson":
        return float(fit.params[exposure]), float(np.sqrt(cov.loc[exposure, exposure]))
    X1, X0 = X.copy(), X.copy()
    X1[exposure], X0[exposure] = 1.0, 0.0
    p1, p0 = fit.predict(X1), fit.predict(X0)
    m1, m0 = float(p1.mean()), float(p0.mean())
    g1 = (X1.mul(p1 * (1 - p1), axis=0)).mean().to_numpy()
    g0 = (X0.mul(p0 * (1 - p0), axis=0)).mean().to_numpy()
    grad = g1 / m1 - g0 / m0
    return float(np.log(m1 / m0)), float(np.sqrt(grad @ cov.to_numpy() @ grad))


@renamed_arguments(
    exposure="exposure_column", outcome="outcome_column", confounders="confounder_columns", confidence="level"
)
def adjusted_risk_ratio(
    df: pd.DataFrame,
    exposure_column: str,
    outcome_column: str,
    confounder_columns: Sequence[str] = (),
    *,
    method: str = "poisson",
    level: float = 0.95,
    cov_type: str = "HC0",
) -> AdjustedRiskRatio:
    """Risk ratio of ``outcome_column`` for ``exposure_column``, adjusted for ``confounder_columns``.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per person.
    exposure_column, outcome_column : str
        0/1 columns (as in :func:`risk_ratio_table`).
    confounder_columns : sequence of str
        Columns to adjust for. Numeric columns enter linearly (add a squared
        or binned version yourself if the relation is curved); text or
        categorical columns enter as dummies (first level dropped).
    method : {"poisson", "logistic"}
        ``"poisson"``: a Poisson GLM with log link for the 0/1 outcome, whose
        exposure coefficient is the log risk ratio; the robust (sandwich)
        standard errors fix the wrong Poisson variance ("modified Poisson",
        Zou 2004). ``"logistic"``: a logistic GLM, then the risk ratio by
        marginal standardisation (predicted risk if everybody were exposed /
        if nobody were), with a delta-method interval from the robust covariance.
    level : float
        Confidence level of the interval.
    cov_type : str
        statsmodels robust covariance type (default ``"HC0"``, the sandwich of Zou 2004;
        statsmodels' GLM applies no small-sample factor, so ``"HC1"`` gives the same).

    Returns
    -------
    AdjustedRiskRatio
        With ``crude`` (the unadjusted ratio on the same rows) for comparison.

    Notes
    -----
    Adjustment removes only the confounding by the columns you name, measured
    as they are measured. It cannot fix reverse causation or common-method
    bias (exposure and outcome from the same survey); only a randomised
    intervention shows what *changing* connection would do.

    Examples
    --------
    Tenure raises both connection and recommending; the crude ratio is
    inflated, the adjusted one recovers the true 1.5.

    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> tenure = rng.uniform(0, 60, 20_000)
    >>> connected = (rng.random(20_000) < 0.1 + tenure / 100).astype(int)
    >>> p = 0.1 * np.exp(tenure / 40) * np.where(connected == 1, 1.5, 1.0)
    >>> df = pd.DataFrame({"connected": connected, "tenure": tenure,
    ...                    "promoter": (rng.random(20_000) < p).astype(int)})
    >>> crude = risk_ratio_table(df, "connected", "promoter")
    >>> adj = adjusted_risk_ratio(df, "connected", "promoter", ["tenure"])
    >>> round(crude.rr, 2), round(adj.rr, 2), adj.excludes(1.5)
    (2.05, 1.51, False)
    """
    # the GLM alone: statsmodels.api imports every model (time series, formulas) and takes a second longer
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    exposure, outcome, confounders = exposure_column, outcome_column, list(confounder_columns)
    if method not in ("poisson", "logistic"):
        raise CxError(f"method must be 'poisson' or 'logistic'; got {method!r}.")
    z = z_value(level)
    if exposure in confounders or outcome in confounders:
        raise CxError("the exposure and the outcome cannot also be confounders; remove them from `confounder_columns`.")
    require_columns(df, [exposure, outcome, *confounders])
    problems: list = []
    x = _binary(df, exposure, problems)
    y = _binary(df, outcome, problems)
    if problems:
        raise ValidationError(problems, source="adjusted_risk_ratio")
    data = pd.concat([x.rename(exposure), y.rename(outcome), df[confounders]], axis=1)
    keep = data.notna().all(axis=1)
    n_excluded = int((~keep).sum())
    data = data[keep]
    crude = risk_ratio_table(data, exposure, outcome, level=level)
    crude = RiskRatio(**{**crude.__dict__, "n_excluded": n_excluded})
    if data[outcome].nunique() < 2:
        raise CxError(f"'{outcome}' takes one value only on the rows used; a model needs both 0 and 1.")
    X = _design(data, exposure, confounders)
    yv = data[outcome].astype(float)
    family = families.Poisson() if method == "poisson" else families.Binomial()
    try:
        fit = GLM(yv, X, family=family).fit(cov_type=cov_type)
    except Exception as exc:  # statsmodels raises several types (singular matrix, separation)
        raise CxError(
            f"the {method} model could not be fitted ({type(exc).__name__}: {exc}). Check the "
            f"confounders for columns that duplicate each other or predict the outcome "
            f"perfectly."
        ) from exc
    params = fit.params
    ci = fit.conf_int(alpha=1 - level)
    summary = pd.DataFrame(
        {"ratio": np.exp(params), "ci_low": np.exp(ci[0]), "ci_high": np.exp(ci[1]), "p_value": fit.pvalues}
    )
    summary.index.name = "term"
    summary.attrs["scale"] = "risk ratio" if method == "poisson" else "odds ratio"
    log_rr, se = _log_rr(fit, X, exposure, method)
    lo, hi = np.exp(log_rr + np.array([-z, z]) * se)
    p_value = float(2 * stats.norm.sf(abs(log_rr) / se)) if se > 0 else float("nan")
    return AdjustedRiskRatio(
        rr=float(np.exp(log_rr)),
        ci_low=float(lo),
        ci_high=float(hi),
        p_value=p_value,
        crude=crude,
        method=method,
        confounders=tuple(confounders),
        n=int(len(data)),
        n_excluded=n_excluded,
        level=level,
        summary=summary,
    )


# ----------------------------------------------------------------------------------------------
# A later, behavioural outcome
# ----------------------------------------------------------------------------------------------
_DEFINITIONS = ("stayed", "added_product", "either")


@renamed_arguments(date="date_column", customer="id_column", horizon_months="horizon")
def repurchase_outcome(
    responses: pd.DataFrame,
    activity: pd.DataFrame,
    *,
    date_column: str = "survey_date",
    horizon: int = 6,
    definition: str = "stayed",
    id_column: str = "customer_id",
) -> pd.Series:
    """A behavioural "repurchase" outcome in the months after each survey answer.

    A view of :func:`cxlib.features.outcome_after_event` (the one definition of an
    outcome after an event):

    * ``"stayed"``: 1 if the customer did not cancel in the month of the answer or the
      ``horizon`` months after it (for a monthly plan, staying is buying again every
      month), 0 if they did: a cancellation in the answer's month comes after the answer;
    * ``"added_product"``: 1 if ``products_held`` rose above its level in the answer's
      month in the ``horizon`` months after it, else 0;
    * ``"either"``: 1 if either of the above.

    Answers whose follow-up window runs past the last month in ``activity`` are NaN
    (censored: we cannot know yet, even when a cancellation is already visible; keeping
    those would inflate the churn of recent answers), and so are answers of customers
    with no activity in the answer's month. Count the NaNs; do not treat them as 0.

    Parameters
    ----------
    responses : DataFrame
        One row per answer, with ``id_column`` and ``date_column``.
    activity : DataFrame
        ``id_column``, ``month`` (first of month), ``churned`` (0/1) and, for
        ``added_product``, ``products_held``.
    date_column : str, default "survey_date"
        The date of each answer.
    horizon : int, default 6
        Months after the answer's month.
    definition : {"stayed", "added_product", "either"}
        Which outcome.
    id_column : str, default "customer_id"
        The customer id column of both tables.

    Returns
    -------
    pandas.Series of float (1/0/NaN), aligned with ``responses``, named ``<definition>_<horizon>m``.

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.date_range("2024-01-01", periods=6, freq="MS")
    >>> act = pd.DataFrame({"customer_id": ["A"] * 6 + ["B"] * 3,
    ...     "month": list(months) + list(months[:3]),
    ...     "churned": [0] * 6 + [0, 0, 1], "products_held": [1, 1, 2, 2, 2, 2, 1, 1, 1]})
    >>> resp = pd.DataFrame({"customer_id": ["A", "B", "A", "B"],
    ...     "survey_date": pd.to_datetime(["2024-01-15", "2024-01-10", "2024-04-02", "2024-03-05"])})
    >>> repurchase_outcome(resp, act, horizon=3).tolist()
    [1.0, 0.0, nan, 0.0]
    >>> repurchase_outcome(resp, act, horizon=3, definition="added_product").tolist()
    [1.0, 0.0, nan, 0.0]
    """
    if definition not in _DEFINITIONS:
        raise CxError(f"definition must be 'stayed', 'added_product' or 'either'; got {definition!r}.")
    if definition != "stayed":
        require_columns(activity, ["products_held"], "activity")
    o = outcome_after_event(responses, activity, date_column=date_column, horizon=horizon, id_column=id_column)
    stayed = 1 - o["churned"]
    if definition == "stayed":
        out = stayed
    elif definition == "added_product":
        out = o["added_product"]
    else:
        out = ((stayed == 1) | (o["added_product"] == 1)).astype(float).where(o["churned"].notna())
    return pd.Series(out.to_numpy(), index=responses.index, name=f"{definition}_{int(horizon)}m")


# ----------------------------------------------------------------------------------------------
# A ratio measured with a noisy classifier
# ----------------------------------------------------------------------------------------------
def misclassified_risk_ratio(
    true_rr: float, baseline_risk: float, prevalence: float, sensitivity: float, specificity: float
) -> float:
    """The risk ratio you would observe when the exposure is measured by an imperfect classifier.

    If "connected" is read from text by a tool that catches a share ``sensitivity`` of the
    truly connected and correctly clears a share ``specificity`` of the others, the two
    groups compared are mixtures, and the observed ratio moves towards 1 (Rothman,
    Greenland & Lash, *Modern Epidemiology*, 3rd ed., ch. 9: non-differential exposure
    misclassification). With true risks ``r1 = true_rr * baseline_risk`` (exposed) and
    ``r0 = baseline_risk`` and true exposure share ``prevalence`` = π::

        risk among those called exposed   = [π·Se·r1 + (1-π)(1-Sp)·r0] / [π·Se + (1-π)(1-Sp)]
        risk among those called unexposed = [π(1-Se)·r1 + (1-π)Sp·r0] / [π(1-Se) + (1-π)Sp]

    and the observed ratio is the first over the second. The formula holds only when the
    classifier's errors do not depend on the outcome; if they do (for example, promoters
    write longer, easier comments), the observed ratio can move *away* from 1 instead.

    Parameters
    ----------
    true_rr : float
        The true risk ratio (> 0), e.g. 3 for "3x more likely".
    baseline_risk : float
        The outcome's risk among the truly unexposed, between 0 and 1; ``true_rr *
        baseline_risk`` must not exceed 1.
    prevalence : float
        The true share exposed, strictly between 0 and 1.
    sensitivity, specificity : float
        Of the classifier, between 0 and 1, with ``sensitivity + specificity > 1`` (better than chance).

    Returns
    -------
    float
        The expected observed risk ratio.

    Raises
    ------
    CxError
        If a share is outside its range or the classifier is no better than chance.

    Examples
    --------
    A true 3x (20% vs 60%) with 30% truly connected, read by a tool with 80% sensitivity
    and 90% specificity, is seen as about 2.2x; a perfect tool sees the 3x:

    >>> round(misclassified_risk_ratio(3, 0.2, 0.3, 0.8, 0.9), 2)
    2.17
    >>> round(misclassified_risk_ratio(3, 0.2, 0.3, 1.0, 1.0), 2)
    3.0
    """
    problems = []
    if not true_rr > 0:
        problems.append(f"true_rr must be positive (got {true_rr!r})")
    if not 0 < baseline_risk < 1 or not true_rr * baseline_risk <= 1:
        problems.append(f"baseline_risk must be in (0, 1) with true_rr * baseline_risk <= 1 (got {baseline_risk!r})")
    if not 0 < prevalence < 1:
        problems.append(f"prevalence must be strictly between 0 and 1 (got {prevalence!r})")
    if not (0 <= sensitivity <= 1 and 0 <= specificity <= 1) or not sensitivity + specificity > 1:
        problems.append(
            f"sensitivity and specificity must be in [0, 1] and add up to more than 1 "
            f"(got {sensitivity!r} and {specificity!r})"
        )
    if problems:
        raise CxError("misclassified_risk_ratio(): " + "; ".join(problems) + ".")
    r1, r0, pi = true_rr * baseline_risk, baseline_risk, prevalence
    called_exposed = pi * sensitivity + (1 - pi) * (1 - specificity)
    called_unexposed = pi * (1 - sensitivity) + (1 - pi) * specificity
    risk_called_exposed = (pi * sensitivity * r1 + (1 - pi) * (1 - specificity) * r0) / called_exposed
    risk_called_unexposed = (pi * (1 - sensitivity) * r1 + (1 - pi) * specificity * r0) / called_unexposed
    return float(risk_called_exposed / risk_called_unexposed)

"""Net Promoter Score (NPS) with honest uncertainty.

NPS (Reichheld 2003) is computed from answers to "How likely are you to recommend
...?" on a 0-10 scale: **promoters** answer 9-10, **passives** 7-8 and
**detractors** 0-6, and NPS = 100 * (share of promoters - share of detractors),
in points from -100 to +100, over the *valid* answers.

What this module adds to that one line of arithmetic:

* **Validation.** Missing answers are excluded from ``n`` and counted in
  ``n_missing`` (never scored as 0, which would make a fake detractor). Values
  that are not whole numbers from 0 to 10, or text, raise
  :class:`cxlib.errors.ValidationError` listing every bad row and value;
  nothing is silently bucketed.
* **Standard error.** Code each answer +1 / 0 / -1; NPS/100 is the mean of these
  multinomial codes, so ``Var = [pP + pD - (pP - pD)^2] / n`` and
  ``SE = 100 * sqrt(Var)`` points. ``NPSResult.se`` is always this (plain) SE.
* **Intervals** (``method``):

  ``"adjusted-wald"`` (default)
      Add 3/4 of a promoter, 3/4 of a detractor (and so 3/2 of a passive) to
      the counts, i.e. 3 pseudo-answers, then apply the Wald formula to the
      adjusted shares. This is the adjusted-Wald form described by Lewis &
      Sauro (MeasuringU, 2021); Rocks (2016) found adjusted-Wald variants (and
      an iterative score interval) to have the best coverage for NPS. We chose
      it because, unlike the plain Wald interval, it does not collapse to a
      zero-width interval when every answer is a promoter (or a detractor),
      and its coverage stays near 95% at small n; for large n it agrees with
      Wald. The exact pseudo-counts Rocks recommends were not checked against
      the paper. The interval is centred on the *adjusted* estimate; with a
      single answer (n = 1) that interval would exclude the raw NPS of +-100,
      so it is widened to include it (from n = 2 on it always contains it).
  ``"wald"``
      NPS +- z * SE: the textbook interval; poor when n is small or the shares
      are near 0 or 1.
  ``"bootstrap"``
      Seeded percentile bootstrap of the +1/0/-1 codes (done exactly and fast
      by resampling the three counts from a multinomial); unweighted data only.

* **Segments** (:func:`nps_by`): one vectorised group-by for all segments, with
  optional survey weights. The overall NPS pools the raw answers (equal to the
  n-weighted mean of the segment NPS), never the plain mean of segment scores;
  with ``population=`` it is post-stratified to the customer base instead.
* **Comparisons** (:func:`compare`, :func:`sample_size`,
  :func:`sample_size_for_margin`) and **trends** (:func:`nps_over_time`,
  :func:`plot_nps_over_time`).

Weights (``weight=``, e.g. inverse response propensities for survey
non-response): shares are weighted, the variance of the weighted mean of the
codes uses the linearisation (sandwich) formula
``sum(w^2 (x - m)^2) / (sum w)^2``, and the adjusted-Wald interval uses Kish's
effective sample size ``(sum w)^2 / sum(w^2)``. Counts stay unweighted.

References
----------
Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*, 81(12), 46-54.
Rocks, B. (2016). Interval estimation for the "Net Promoter Score". *The American Statistician*, 70(4), 365-372.
Lewis, J. R., & Sauro, J. (2021). Confidence intervals for Net Promoter Scores. MeasuringU.

Examples
--------
>>> from cxlib.analytics import nps
>>> r = nps.from_counts(promoters=180, passives=160, detractors=60, method="wald")
>>> print(f"NPS {r.nps:.1f}, SE {r.se:.2f}, 95% CI [{r.ci_low:.1f}, {r.ci_high:.1f}]")
NPS 30.0, SE 3.57, 95% CI [23.0, 37.0]
>>> nps.bucket([6, 7, 8, 9, None]).tolist()
['detractor', 'passive', 'passive', 'promoter', nan]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from cxlib.errors import CxError, Problem, ValidationError

__all__ = [
    "METHODS",
    "NPSResult",
    "SegmentNPS",
    "Comparison",
    "bucket",
    "validate_scores",
    "nps",
    "from_counts",
    "nps_by",
    "compare",
    "sample_size",
    "sample_size_for_margin",
    "nps_over_time",
    "ADJUST",
]


#: Interval methods understood by the functions of this module.
METHODS = ("adjusted-wald", "wald", "bootstrap")


#: Pseudo-counts of the adjusted-Wald interval: promoters, passives, detractors (3 answers in all).
ADJUST = (0.75, 1.5, 0.75)


_SCORE_FIX = (
    "Likelihood-to-recommend answers must be whole numbers from 0 to 10; leave a "
    "skipped answer blank (it is excluded and counted), do not type a code for it."
)


_COLUMNS = [
    "n",
    "n_missing",
    "promoters",
    "passives",
    "detractors",
    "share_promoters",
    "share_passives",
    "share_detractors",
    "nps",
    "se",
    "ci_low",
    "ci_high",
]


# ---------------------------------------------------------------------------------------------
# validation and buckets
# ---------------------------------------------------------------------------------------------
def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise CxError("pass one column of scores (a Series), or a DataFrame with score='column name'.")
    return pd.Series(list(values) if not isinstance(values, np.ndarray) else values)


def _column(data: pd.DataFrame, name: str, role: str) -> pd.Series:
    if not isinstance(data, pd.DataFrame):
        raise CxError(f"expected a DataFrame with a {role} column {name!r}, got {type(data).__name__}.")
    if name not in data.columns:
        cols = ", ".join(map(repr, list(data.columns)[:20]))
        raise CxError(
            f"the {role} column {name!r} is not in the data; its columns are: {cols}. Pass the right column name."
        )
    return data[name]


def validate_scores(scores: Any, column: str | None = "score", source: str | None = None) -> np.ndarray:
    """Check 0-10 answers and return them as floats, with NaN for missing answers.

    Missing values (NaN, None, ``pd.NA``, empty or blank text) are allowed: they
    are skipped questions. Everything else must be a whole number from 0 to 10.
    Every problem is listed (rows use the spreadsheet convention: first data
    row = row 2).

    Parameters
    ----------
    scores : array-like or Series
        The answers.
    column : str, optional
        Column name used in the error message.
    source : str, optional
        File or table name used in the error message.

    Returns
    -------
    numpy.ndarray of float64

    Raises
    ------
    ValidationError
        If any value is text, not a whole number, or outside 0-10.

    Examples
    --------
    >>> validate_scores([10, 7, None]).tolist()
    [10.0, 7.0, nan]
    >>> validate_scores([10, 11, 7.5, "x"])  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    cxlib.errors.ValidationError: data: 3 problems found
      1. column 'score': text instead of a number in 1 row (row 5); values: 'x'.
         How to fix: ...
      2. column 'score': not a whole number in 1 row (row 4); values: 7.5.
         How to fix: ...
      3. column 'score': outside 0-10 in 1 row (row 3); values: 11.
         How to fix: ...
    """
    return _check_scores(_as_series(scores), column, source).astype("float64")


def _check_scores(s: pd.Series, column: str | None, source: str | None = None) -> np.ndarray:
    """Validated scores: an integer array (fast path, no missing) or floats with NaN."""
    if s.dtype == bool:
        raise CxError(f"column {column!r} holds True/False values, not 0-10 scores.")
    if pd.api.types.is_integer_dtype(s.dtype) and not s.hasnans:
        arr = s.to_numpy(dtype=np.int64) if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.to_numpy()
        if len(arr) == 0 or (arr.min() >= 0 and arr.max() <= 10):
            return arr
        x = arr.astype("float64")
        text_bad = np.zeros(len(x), bool)
    elif pd.api.types.is_numeric_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
        text_bad = np.zeros(len(x), bool)
    else:
        obj = s.astype(object)
        blank = obj.map(lambda v: isinstance(v, str) and not v.strip())
        obj = obj.where(~blank.astype(bool), np.nan)
        num = pd.to_numeric(obj, errors="coerce")
        x = num.to_numpy(dtype="float64", na_value=np.nan)
        text_bad = np.isnan(x) & obj.notna().to_numpy()
    problems = []
    finite = np.isfinite(x)
    inf_bad = ~finite & ~np.isnan(x)
    frac_bad = finite & (x != np.floor(np.where(finite, x, 0)))
    range_bad = (finite & ~frac_bad & ((x < 0) | (x > 10))) | inf_bad
    for mask, kind in (
        (text_bad, "text instead of a number"),
        (frac_bad, "not a whole number"),
        (range_bad, "outside 0-10"),
    ):
        if mask.any():
            pos = np.flatnonzero(mask)
            vals = tuple(_py(v) for v in s.iloc[pos[:5]].to_numpy(dtype=object))
            problems.append(
                Problem(
                    kind,
                    column=column,
                    rows=tuple(int(p) + 2 for p in pos[:5]),
                    values=vals,
                    count=int(mask.sum()),
                    fix=_SCORE_FIX,
                )
            )
    if problems:
        raise ValidationError(problems, source=source)
    return x


#: score 0..10 -> bucket code: 0 detractor, 1 passive, 2 promoter (3 = missing)
_LUT = np.array([0] * 7 + [1, 1, 2, 2], dtype=np.int8)


def _bucket_codes(s: pd.Series, column: str | None) -> np.ndarray:
    x = _check_scores(s, column)
    if x.dtype.kind in "iu":
        return _LUT[x]
    out = np.full(len(x), 3, dtype=np.int8)
    ok = ~np.isnan(x)
    out[ok] = _LUT[x[ok].astype(np.int64)]
    return out


def _py(v: Any) -> Any:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def bucket(scores: Any) -> pd.Series:
    """Label each answer ``promoter`` (9-10), ``passive`` (7-8) or ``detractor`` (0-6).

    Missing answers stay missing (NaN); invalid values raise ``ValidationError``.

    Examples
    --------
    >>> bucket([0, 6, 7, 8, 9, 10]).tolist()
    ['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']
    """
    s = _as_series(scores)
    labels = np.array(["detractor", "passive", "promoter", np.nan], dtype=object)
    return pd.Series(labels[_bucket_codes(s, "score")], index=s.index, name="bucket")


# ---------------------------------------------------------------------------------------------
# the interval arithmetic (vectorised over segments)
# ---------------------------------------------------------------------------------------------
def _z(conf: float) -> float:
    if not 0 < conf < 1:
        raise CxError(f"conf must be between 0 and 1 (e.g. 0.95), got {conf!r}.")
    return float(stats.norm.ppf(0.5 + conf / 2))


def _check_method(method: str) -> str:
    m = str(method).lower().replace("_", "-").replace(" ", "-")
    if m not in METHODS:
        raise CxError(f"unknown interval method {method!r}; choose one of {', '.join(METHODS)}.")
    return m


def _stats(
    pP: np.ndarray,
    pD: np.ndarray,
    var: np.ndarray,
    n_eff: np.ndarray,
    counts: np.ndarray | None,
    method: str,
    conf: float,
    seed: int,
    n_boot: int,
):
    """NPS, SE and interval (all on the -1..1 scale) for arrays of segments."""
    with np.errstate(invalid="ignore", divide="ignore"):
        est = pP - pD
        se = np.sqrt(var)
        z = _z(conf)
        if method == "wald":
            lo, hi = est - z * se, est + z * se
        elif method == "adjusted-wald":
            aP, _, aD = ADJUST
            nn = n_eff + sum(ADJUST)
            tP, tD = (pP * n_eff + aP) / nn, (pD * n_eff + aD) / nn
            t = tP - tD
            s = np.sqrt((tP + tD - t**2) / nn)
            # centred on the adjusted estimate; widened to include the raw estimate when it falls
            # outside (only possible with n = 1)
            lo, hi = np.minimum(t - z * s, est), np.maximum(t + z * s, est)
        else:  # bootstrap: resample the three counts of each segment from its multinomial
            if counts is None:
                raise CxError(
                    "the bootstrap interval needs unweighted answers; use method='adjusted-wald' with weights."
                )
            n = counts.sum(axis=1)
            lo, hi = np.full(len(n), np.nan), np.full(len(n), np.nan)
            ok = n > 0
            if ok.any():
                rng = np.random.default_rng(seed)
                p = counts[ok] / n[ok, None]
                draws = rng.multinomial(n[ok], p, size=(n_boot, int(ok.sum())))
                boot = (draws[..., 0] - draws[..., 2]) / n[ok]
                q = np.quantile(boot, [(1 - conf) / 2, (1 + conf) / 2], axis=0)
                lo[ok], hi[ok] = q[0], q[1]
        empty = ~(n_eff > 0)
        lo, hi = np.clip(lo, -1, 1), np.clip(hi, -1, 1)
        lo[empty], hi[empty] = np.nan, np.nan
    return est, se, lo, hi


# ---------------------------------------------------------------------------------------------
# result objects
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NPSResult:
    """NPS of one group of answers, with its uncertainty.

    Attributes
    ----------
    n : int
        Valid answers (0-10) used.
    n_missing : int
        Missing answers, excluded from ``n`` (never scored as 0).
    promoters, passives, detractors : int
        Counts of answers 9-10, 7-8 and 0-6.
    share_promoters, share_passives, share_detractors : float
        Shares (weighted when weights were given), 0-1.
    nps : float
        NPS in points, -100 to 100 (NaN when ``n == 0``).
    se : float
        Standard error of the NPS in points (multinomial formula; NaN when n == 0).
    ci_low, ci_high : float
        Interval in points, by ``method``, clipped to [-100, 100].
    method : str
        Interval method (see :data:`METHODS`).
    conf : float
        Confidence level of the interval.
    n_eff : float
        Effective sample size (equal to ``n`` without weights).
    """

    n: int
    n_missing: int
    promoters: int
    passives: int
    detractors: int
    share_promoters: float
    share_passives: float
    share_detractors: float
    nps: float
    se: float
    ci_low: float
    ci_high: float
    method: str = "adjusted-wald"
    conf: float = 0.95
    n_eff: float = field(default=float("nan"))

    @property
    def width(self) -> float:
        """Width of the interval in points."""
        return self.ci_high - self.ci_low

    def to_dict(self) -> dict:
        """All fields as a plain dict (JSON-friendly numbers)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        if self.n == 0:
            return f"NPSResult(no valid answers; {self.n_missing} missing)"
        return (
            f"NPSResult(NPS {self.nps:+.1f} points, {self.conf:.0%} CI [{self.ci_low:+.1f}, "
            f"{self.ci_high:+.1f}] ({self.method}), SE {self.se:.1f}; n={self.n}: "
            f"{self.promoters} promoters, {self.passives} passives, {self.detractors} detractors; "
            f"{self.n_missing} missing)"
        )

    def _repr_html_(self) -> str:
        return f"<code>{self.__repr__()}</code>"


def _rows_to_results(table: pd.DataFrame, method: str, conf: float) -> list[NPSResult]:
    out = []
    for row in table.itertuples(index=False):
        out.append(_result_from_row(row._asdict(), method, conf))
    return out


def _result_from_row(row: Mapping, method: str, conf: float) -> NPSResult:
    return NPSResult(
        n=int(row["n"]),
        n_missing=int(row["n_missing"]),
        promoters=int(row["promoters"]),
        passives=int(row["passives"]),
        detractors=int(row["detractors"]),
        share_promoters=float(row["share_promoters"]),
        share_passives=float(row["share_passives"]),
        share_detractors=float(row["share_detractors"]),
        nps=float(row["nps"]),
        se=float(row["se"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        method=method,
        conf=conf,
        n_eff=float(row["n_eff"]),
    )


@dataclass
class SegmentNPS:
    """NPS by segment (from :func:`nps_by`).

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per segment: counts, shares, ``nps``, ``se``, ``ci_low``, ``ci_high`` (points)
        and ``n_eff`` (effective sample size; equal to ``n`` without weights).
    overall : NPSResult
        The overall NPS: pooled answers (the n-weighted mean of segment NPS), or
        post-stratified when ``population`` was given.
    by : list of str
        The segment columns.
    method : str
        Interval method.
    """

    summary: pd.DataFrame
    overall: NPSResult
    by: list
    method: str
    conf: float = 0.95
    post_stratified: bool = False

    def __getitem__(self, segment: Any) -> NPSResult:
        """The :class:`NPSResult` of one segment: ``res["Basic"]``."""
        row = self.summary.loc[segment]
        return _result_from_row(row, self.method, self.conf)

    @property
    def unweighted_mean(self) -> float:
        """The plain mean of segment NPS: the WRONG overall NPS (shown for teaching)."""
        return float(self.summary["nps"].mean())

    def __repr__(self) -> str:
        cols = ["n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high"]
        with pd.option_context("display.width", 120, "display.max_rows", 40):
            body = self.summary[cols].round(1).to_string()
        return f"NPS by {', '.join(self.by)} ({self.method}, {self.conf:.0%}):\n{body}\noverall: {self.overall!r}"

    def _repr_html_(self) -> str:
        cols = ["n", "n_missing", "promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high"]
        return (
            self.summary[cols].round(1).to_html()
            + f"<p><b>Overall</b>{' (post-stratified)' if self.post_stratified else ''}: "
            f"<code>{self.overall!r}</code></p>"
        )


@dataclass(frozen=True)
class Comparison:
    """Difference of two NPS values, ``a - b``, in points (from :func:`compare`)."""

    diff: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    method: str = "adjusted-wald"
    conf: float = 0.95

    @property
    def significant(self) -> bool:
        """True when the interval of the difference excludes 0."""
        return bool(self.ci_low > 0 or self.ci_high < 0)

    def __repr__(self) -> str:
        return (
            f"Comparison(difference {self.diff:+.1f} points, {self.conf:.0%} CI [{self.ci_low:+.1f}, "
            f"{self.ci_high:+.1f}] ({self.method}), SE {self.se:.1f}, z = {self.z:.2f}, p = {self.p_value:.3f})"
        )


# ---------------------------------------------------------------------------------------------
# public functions
# ---------------------------------------------------------------------------------------------
def from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    n_missing: int = 0,
    method: str = "adjusted-wald",
    conf: float = 0.95,
    seed: int = 0,
    n_boot: int = 2000,
) -> NPSResult:
    """NPS and interval from the three counts.

    Examples
    --------
    >>> r = from_counts(12, 10, 8)            # n = 30, adjusted-Wald (default)
    >>> print(f"{r.nps:.1f} [{r.ci_low:.1f}, {r.ci_high:.1f}]")
    13.3 [-15.1, 39.3]
    >>> r = from_counts(12, 10, 8, method="wald")
    >>> print(f"SE {r.se:.1f}, [{r.ci_low:.1f}, {r.ci_high:.1f}]")
    SE 14.7, [-15.5, 42.2]
    """
    counts = np.array([[promoters, passives, detractors]], dtype=float)
    if (counts < 0).any() or (counts != np.floor(counts)).any():
        raise CxError("counts must be whole numbers of answers, 0 or more.")
    return _from_count_matrix(counts, np.array([n_missing]), _check_method(method), conf, seed, n_boot)[0]


def _from_count_matrix(
    counts: np.ndarray, missing: np.ndarray, method: str, conf: float, seed: int, n_boot: int
) -> list[NPSResult]:
    t = _table_from_sums(
        pd.DataFrame({"P": counts[:, 0], "Pa": counts[:, 1], "D": counts[:, 2], "M": missing}),
        False,
        method,
        conf,
        seed,
        n_boot,
    )
    return _rows_to_results(t, method, conf)


def _table_from_sums(g: pd.DataFrame, weighted: bool, method: str, conf: float, seed: int, n_boot: int) -> pd.DataFrame:
    """Segment table from per-segment sums (the output of the single group-by)."""
    P, Pa, D, M = (g[c].to_numpy(float) for c in ("P", "Pa", "D", "M"))
    n = P + Pa + D
    with np.errstate(invalid="ignore", divide="ignore"):
        if weighted:
            W = g["W"].to_numpy(float)
            pP, pPa, pD = g["WP"].to_numpy(float) / W, g["WPa"].to_numpy(float) / W, g["WD"].to_numpy(float) / W
            m = pP - pD
            W2, W2x, W2a = (g[c].to_numpy(float) for c in ("W2", "W2x", "W2a"))
            var = (W2a - 2 * m * W2x + m**2 * W2) / W**2
            n_eff = W**2 / W2
            n_eff = np.where(n > 0, n_eff, 0.0)
        else:
            pP, pPa, pD = P / n, Pa / n, D / n
            var = (pP + pD - (pP - pD) ** 2) / n
            n_eff = n
    counts = None if weighted else np.column_stack([P, Pa, D]).astype(np.int64)
    est, se, lo, hi = _stats(pP, pD, var, n_eff, counts, method, conf, seed, n_boot)
    out = pd.DataFrame(
        {
            "n": n.astype(np.int64),
            "n_missing": M.astype(np.int64),
            "promoters": P.astype(np.int64),
            "passives": Pa.astype(np.int64),
            "detractors": D.astype(np.int64),
            "share_promoters": pP,
            "share_passives": pPa,
            "share_detractors": pD,
            "nps": 100 * est,
            "se": 100 * se,
            "ci_low": 100 * lo,
            "ci_high": 100 * hi,
            "n_eff": n_eff,
        },
        index=g.index,
    )
    return out


def _group_ids(keys: list[pd.Series]) -> tuple[np.ndarray, pd.Index]:
    """Integer segment id of every row and the segment labels (one factorisation).

    Missing segment values form their own segment (never dropped). Categorical
    and dense-integer keys use their codes directly (no hashing); anything else
    is factorised once with :func:`pandas.factorize`.
    """
    if len(keys) == 1:
        k = keys[0]
        name = k.name
        if isinstance(k.dtype, pd.CategoricalDtype):
            codes = k.cat.codes.to_numpy().astype(np.int64)
            labels = list(k.cat.categories)
            if (codes < 0).any():
                codes = np.where(codes < 0, len(labels), codes)
                labels = labels + [np.nan]
            return codes, pd.Index(labels, name=name)
        if pd.api.types.is_integer_dtype(k.dtype) and not k.hasnans and len(k):
            arr = k.to_numpy(dtype=np.int64)
            lo, hi = int(arr.min()), int(arr.max())
            if hi - lo <= max(4 * len(arr), 1_000_000):
                return arr - lo, pd.Index(np.arange(lo, hi + 1), name=name)
        codes, uniques = pd.factorize(k, sort=True, use_na_sentinel=False)
        return codes.astype(np.int64), pd.Index(uniques, name=name)
    frame = pd.concat([k.reset_index(drop=True) for k in keys], axis=1)
    frame.columns = [k.name for k in keys]
    gb = frame.groupby(list(frame.columns), sort=True, dropna=False, observed=True)
    return gb.ngroup().to_numpy(np.int64), gb.size().index


def _group_sums(b: np.ndarray, w: np.ndarray | None, gid: np.ndarray, labels: pd.Index) -> pd.DataFrame:
    """Per-segment counts (and weighted sums) with :func:`numpy.bincount`; unobserved segments dropped."""
    G = len(labels)
    key = gid * 4  # new array; then in place, to keep memory traffic low on big data
    key += b
    counts = np.bincount(key, minlength=4 * G).reshape(G, 4)
    cols = {"P": counts[:, 2], "Pa": counts[:, 1], "D": counts[:, 0], "M": counts[:, 3]}
    if w is not None:
        valid = b < 3
        wv = np.where(valid, w, 0.0)
        xv = np.where(valid, b.astype(np.float64) - 1.0, 0.0)  # -1 / 0 / +1
        w2 = wv * wv
        cols.update(
            {
                "W": np.bincount(gid, wv, G),
                "WP": np.bincount(gid, wv * (b == 2), G),
                "WPa": np.bincount(gid, wv * (b == 1), G),
                "WD": np.bincount(gid, wv * (b == 0), G),
                "W2": np.bincount(gid, w2, G),
                "W2x": np.bincount(gid, w2 * xv, G),
                "W2a": np.bincount(gid, w2 * np.abs(xv), G),
            }
        )
    out = pd.DataFrame(cols, index=labels)
    return out[counts.sum(axis=1) > 0]


def _weights(data: pd.DataFrame, weight: str | None) -> np.ndarray | None:
    if weight is None:
        return None
    s = _column(data, weight, "weight")
    w = pd.to_numeric(s, errors="coerce").to_numpy(float)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        pos = np.flatnonzero(bad)
        raise ValidationError(
            [
                Problem(
                    "missing, negative or non-numeric weight",
                    column=weight,
                    rows=tuple(int(p) + 2 for p in pos[:5]),
                    values=tuple(_py(v) for v in s.to_numpy(object)[pos[:5]]),
                    count=int(bad.sum()),
                    fix="Weights must be numbers of 0 or more on every row.",
                )
            ]
        )
    return w


def nps(
    data: Any,
    score: str | None = None,
    *,
    weight: str | None = None,
    method: str = "adjusted-wald",
    conf: float = 0.95,
    seed: int = 0,
    n_boot: int = 2000,
) -> NPSResult:
    """NPS of a set of 0-10 answers, with standard error and interval.

    Parameters
    ----------
    data : DataFrame, Series or array-like
        The answers: a DataFrame with ``score`` naming the column, or the scores themselves.
    score : str, optional
        Score column (required when ``data`` is a DataFrame).
    weight : str, optional
        Column of survey weights (DataFrame input only).
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method (see the module docstring for why adjusted-Wald is the default).
    conf : float
        Confidence level.
    seed, n_boot : int
        Seed and resamples of the bootstrap.

    Returns
    -------
    NPSResult

    Raises
    ------
    ValidationError
        If a score is text, not whole, or outside 0-10 (every bad row listed).

    Examples
    --------
    >>> r = nps([10, 9, 8, 7, 3, None])
    >>> r.n, r.n_missing, r.promoters, r.detractors, round(r.nps, 1)
    (5, 1, 2, 1, 20.0)
    >>> import pandas as pd
    >>> nps(pd.DataFrame({"ltr": [9, 10, 6]}), "ltr", method="wald").nps
    33.33333333333333
    """
    method = _check_method(method)
    if isinstance(data, pd.DataFrame):
        if score is None:
            raise CxError("name the score column: nps(df, 'ltr').")
        b = _bucket_codes(_column(data, score, "score"), score)
        w = _weights(data, weight)
    else:
        if weight is not None:
            raise CxError("weights need a DataFrame: nps(df, 'ltr', weight='w').")
        b = _bucket_codes(_as_series(data), score or "score")
        w = None
    sums = _group_sums(b, w, np.zeros(len(b), np.int64), pd.RangeIndex(1)).reindex(pd.RangeIndex(1), fill_value=0)
    t = _table_from_sums(sums, w is not None, method, conf, seed, n_boot)
    return _rows_to_results(t, method, conf)[0]


def nps_by(
    data: pd.DataFrame,
    score: str,
    by: str | Sequence[str],
    weight: str | None = None,
    *,
    method: str = "adjusted-wald",
    conf: float = 0.95,
    population: Mapping | pd.Series | None = None,
    seed: int = 0,
    n_boot: int = 2000,
) -> SegmentNPS:
    """NPS with intervals for every segment at once (one vectorised group-by).

    Parameters
    ----------
    data : DataFrame
        One row per answer.
    score : str
        Score column (0-10; blanks are missing answers).
    by : str or list of str
        Segment column(s). Rows with a missing segment form their own segment (NaN), never dropped.
    weight : str, optional
        Survey-weight column (e.g. inverse response propensity).
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method.
    conf : float
        Confidence level.
    population : mapping or Series, optional
        Size (or share) of each segment in the customer base. When given, the
        overall NPS is post-stratified: ``sum(share_s * NPS_s)`` with
        ``SE = sqrt(sum(share_s^2 * SE_s^2))`` and a Wald interval. Needs one ``by`` column.
    seed, n_boot : int
        For the bootstrap.

    Returns
    -------
    SegmentNPS
        ``.summary`` (one row per segment) and ``.overall``.

    Examples
    --------
    The overall NPS pools the answers: +40 on 1,000 answers and -40 on 100 give
    +32.7, not the unweighted mean 0.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"seg": ["A"] * 1000 + ["B"] * 100,
    ...                    "ltr": [10] * 500 + [8] * 400 + [3] * 100 + [9] * 10 + [7] * 40 + [0] * 50})
    >>> res = nps_by(df, "ltr", "seg")
    >>> res.summary["nps"].round(1).tolist(), round(res.overall.nps, 1), res.unweighted_mean
    ([40.0, -40.0], 32.7, 0.0)
    """
    method = _check_method(method)
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise CxError("name at least one segment column in by=.")
    keys = [_column(data, b, "segment") for b in by]
    b = _bucket_codes(_column(data, score, "score"), score)
    w = _weights(data, weight)
    gid, labels = _group_ids(keys)
    grouped = _group_sums(b, w, gid, labels)
    table = _table_from_sums(grouped, w is not None, method, conf, seed, n_boot)
    total = _table_from_sums(grouped.sum().to_frame().T, w is not None, method, conf, seed, n_boot)
    overall = _rows_to_results(total, method, conf)[0]
    post = False
    if population is not None:
        overall = _post_stratify(table, overall, population, by, conf)
        post = True
    return SegmentNPS(summary=table, overall=overall, by=by, method=method, conf=conf, post_stratified=post)


def _post_stratify(table: pd.DataFrame, pooled: NPSResult, population: Any, by: list, conf: float) -> NPSResult:
    if len(by) != 1:
        raise CxError("post-stratification (population=) needs a single segment column.")
    pop = pd.Series(population, dtype=float)
    missing_pop = [s for s in table.index if s not in pop.index]
    missing_sample = [s for s in pop.index if s not in table.index or table.loc[s, "n"] == 0]
    if missing_pop or missing_sample or (pop < 0).any():
        msg = []
        if missing_pop:
            msg.append(f"segments with answers but no population size: {missing_pop}")
        if missing_sample:
            msg.append(f"population segments with no answers: {missing_sample}")
        if (pop < 0).any():
            msg.append("negative population sizes")
        raise CxError(
            "; ".join(msg) + ". Give a size for every segment that has answers, and merge "
            "segments without answers into a neighbour."
        )
    share = (pop / pop.sum()).reindex(table.index)
    est = float((share * table["nps"]).sum())
    se = float(np.sqrt((share**2 * table["se"] ** 2).sum()))
    z = _z(conf)
    shares = {k: float((share * table[f"share_{k}"]).sum()) for k in ("promoters", "passives", "detractors")}
    return NPSResult(
        n=pooled.n,
        n_missing=pooled.n_missing,
        promoters=pooled.promoters,
        passives=pooled.passives,
        detractors=pooled.detractors,
        share_promoters=shares["promoters"],
        share_passives=shares["passives"],
        share_detractors=shares["detractors"],
        nps=est,
        se=se,
        ci_low=max(-100.0, est - z * se),
        ci_high=min(100.0, est + z * se),
        method="post-stratified wald",
        conf=conf,
        n_eff=float(1 / (share**2 / table["n_eff"]).sum()),
    )


def compare(a: NPSResult, b: NPSResult, *, method: str = "adjusted-wald", conf: float = 0.95) -> Comparison:
    """Difference ``a - b`` of two independent NPS values, with interval and z test.

    ``SE_diff = sqrt(SE_a^2 + SE_b^2)``. The z statistic and two-sided p-value
    use the plain SEs. The interval is Wald (``method="wald"``) or adjusted-Wald:
    both NPS re-estimated with 3 pseudo-answers each (as in :func:`from_counts`).

    Examples
    --------
    >>> a = from_counts(180, 160, 60)      # NPS 30, n = 400
    >>> b = from_counts(165, 165, 70)      # NPS 23.75, n = 400
    >>> c = compare(a, b, method="wald")
    >>> print(f"{c.diff:.2f} SE {c.se:.2f} z {c.z:.2f} [{c.ci_low:.1f}, {c.ci_high:.1f}]", c.significant)
    6.25 SE 5.10 z 1.23 [-3.7, 16.2] False
    """
    method = _check_method(method)
    if method == "bootstrap":
        raise CxError("compare() supports method='wald' or 'adjusted-wald'.")
    if a.n == 0 or b.n == 0:
        raise CxError("both groups need at least one valid answer to compare their NPS.")
    diff = a.nps - b.nps
    se = math.hypot(a.se, b.se)
    z = _z(conf)
    with np.errstate(invalid="ignore", divide="ignore"):
        zstat = diff / se if se > 0 else (0.0 if diff == 0 else math.copysign(math.inf, diff))
    p = float(2 * stats.norm.sf(abs(zstat)))
    if method == "wald":
        centre, s = diff, se
    else:
        parts = []
        for r in (a, b):
            n = r.n_eff if r.n_eff == r.n_eff else r.n
            nn = n + sum(ADJUST)
            tP = (r.share_promoters * n + ADJUST[0]) / nn
            tD = (r.share_detractors * n + ADJUST[2]) / nn
            parts.append((tP - tD, (tP + tD - (tP - tD) ** 2) / nn))
        centre = 100 * (parts[0][0] - parts[1][0])
        s = 100 * math.sqrt(parts[0][1] + parts[1][1])
    lo, hi = max(-200.0, centre - z * s), min(200.0, centre + z * s)
    return Comparison(diff=diff, se=se, ci_low=lo, ci_high=hi, z=float(zstat), p_value=p, method=method, conf=conf)


def _variance(promoters: float, detractors: float) -> float:
    for v in (promoters, detractors):
        if not 0 <= v <= 1:
            raise CxError(f"shares must be between 0 and 1 (e.g. 0.40 for 40% promoters), got {v!r}.")
    if promoters + detractors > 1:
        raise CxError("the promoter and detractor shares add up to more than 1.")
    return promoters + detractors - (promoters - detractors) ** 2


def sample_size(a: tuple[float, float], b: tuple[float, float], *, alpha: float = 0.05, power: float = 0.8) -> int:
    """Answers needed *per group* to detect the change from NPS ``a`` to NPS ``b``.

    ``n = (z_{1-alpha/2} + z_{power})^2 (V_a + V_b) / delta^2`` with
    ``V = pP + pD - (pP - pD)^2`` and ``delta`` on the 0-1 scale (two-sided test).

    Parameters
    ----------
    a, b : (promoter share, detractor share)
        The expected shares in the two groups, e.g. ``(0.40, 0.20)`` for NPS 20.

    Examples
    --------
    >>> sample_size((0.40, 0.20), (0.45, 0.15))     # NPS 20 -> 30
    840
    """
    va, vb = _variance(*a), _variance(*b)
    delta = (a[0] - a[1]) - (b[0] - b[1])
    if delta == 0:
        raise CxError("the two NPS values are equal: no sample size can detect a zero change.")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise CxError("alpha and power must be between 0 and 1.")
    zsum = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return int(math.ceil(zsum**2 * (va + vb) / delta**2))


def sample_size_for_margin(
    margin: float, promoters: float = 0.5, detractors: float = 0.5, *, conf: float = 0.95
) -> int:
    """Answers needed for a Wald interval of +-``margin`` points.

    The default shares (half promoters, half detractors) are the worst case,
    ``V = 1``, so the margin is ``196 / sqrt(n)`` points at 95%.

    Examples
    --------
    >>> sample_size_for_margin(5, 0.45, 0.15)
    784
    >>> sample_size_for_margin(36)       # the worst case at n = 30
    30
    """
    if not margin > 0:
        raise CxError("margin must be a positive number of NPS points, e.g. 5.")
    v = _variance(promoters, detractors)
    return int(math.ceil(_z(conf) ** 2 * v / (margin / 100) ** 2))


def nps_over_time(
    data: pd.DataFrame,
    score: str,
    date: str,
    freq: str = "M",
    weight: str | None = None,
    *,
    method: str = "adjusted-wald",
    conf: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """NPS with intervals per period (month ``"M"``, quarter ``"Q"``, week ``"W"``, year ``"Y"``).

    Returns a DataFrame indexed by the period's first day (``period``), with the
    columns of :attr:`SegmentNPS.summary`. Missing or unreadable dates raise
    ``ValidationError``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2024-01-05", "2024-01-20", "2024-02-03"]),
    ...                    "ltr": [10, 3, 9]})
    >>> nps_over_time(df, "ltr", "d")[["n", "nps"]]
                n    nps
    period
    2024-01-01  2    0.0
    2024-02-01  1  100.0
    """
    raw = _column(data, date, "date")
    d = pd.to_datetime(raw, errors="coerce") if not pd.api.types.is_datetime64_any_dtype(raw) else raw
    bad = d.isna().to_numpy()
    if bad.any():
        pos = np.flatnonzero(bad)
        raise ValidationError(
            [
                Problem(
                    "missing or unreadable date",
                    column=date,
                    rows=tuple(int(p) + 2 for p in pos[:5]),
                    values=tuple(_py(v) for v in raw.to_numpy(object)[pos[:5]]),
                    count=int(bad.sum()),
                    fix="Give every answer a date such as 2024-03-31.",
                )
            ]
        )
    f = {
        "M": "M",
        "ME": "M",
        "MS": "M",
        "Q": "Q",
        "QE": "Q",
        "QS": "Q",
        "W": "W",
        "Y": "Y",
        "A": "Y",
        "YE": "Y",
        "D": "D",
    }.get(str(freq).upper())
    if f is None:
        raise CxError(f"unknown freq {freq!r}; use 'D', 'W', 'M', 'Q' or 'Y'.")
    period = pd.Series(d.dt.to_period(f).dt.start_time.to_numpy(), index=data.index, name="period")
    tmp = pd.DataFrame({score: data[score], "period": period})
    if weight is not None:
        tmp[weight] = data[weight]
    res = nps_by(tmp, score, "period", weight, method=method, conf=conf, seed=seed)
    out = res.summary
    out.attrs["conf"] = conf
    return out

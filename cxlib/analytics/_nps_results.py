"""The result objects of :mod:`cxlib.analytics.nps` (private; import them from ``cxlib.analytics.nps``)."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from cxlib.analytics._nps_stats import z_value
from cxlib.errors import CxError


def _conf_warning(cls: str) -> None:
    warnings.warn(f"{cls}.conf is deprecated since cxlib 0.2; use {cls}.level.", DeprecationWarning, stacklevel=3)


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
        Interval method (see :data:`cxlib.analytics.nps.METHODS`).
    level : float
        Confidence level of the interval (0-1).
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
    level: float = 0.95
    n_eff: float = field(default=float("nan"))

    @property
    def width(self) -> float:
        """Width of the interval in points."""
        return self.ci_high - self.ci_low

    @property
    def conf(self) -> float:
        """Deprecated name of :attr:`level`."""
        _conf_warning("NPSResult")
        return self.level

    def to_dict(self) -> dict:
        """All fields as a plain dict (JSON-friendly numbers).

        Returns
        -------
        dict
            Field name -> value.
        """
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __repr__(self) -> str:
        if self.n == 0:
            return f"NPSResult(no valid answers; {self.n_missing} missing)"
        return (
            f"NPSResult(NPS {self.nps:+.1f} points, {self.level:.0%} CI [{self.ci_low:+.1f}, "
            f"{self.ci_high:+.1f}] ({self.method}), SE {self.se:.1f}; n={self.n}: "
            f"{self.promoters} promoters, {self.passives} passives, {self.detractors} detractors; "
            f"{self.n_missing} missing)"
        )

    def _repr_html_(self) -> str:
        return f"<code>{self.__repr__()}</code>"


def result_from_row(row: Mapping, method: str, level: float) -> NPSResult:
    """An :class:`NPSResult` from one row of a segment summary."""
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
        level=level,
        n_eff=float(row["n_eff"]),
    )


@dataclass
class SegmentNPS:
    """NPS by segment (from :func:`cxlib.analytics.nps.nps_by` or :func:`~cxlib.analytics.nps.nps_by_from_counts`).

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per segment: counts, shares, ``nps``, ``se``, ``ci_low``, ``ci_high`` (points)
        and ``n_eff`` (effective sample size; equal to ``n`` without weights).
    overall : NPSResult
        The overall NPS: pooled answers (the n-weighted mean of segment NPS), or
        post-stratified when ``population`` was given.
    segment_columns : list of str
        The segment columns.
    method : str
        Interval method.
    level : float
        Confidence level (0-1).
    post_stratified : bool
        Whether ``overall`` is post-stratified to a population.
    """

    summary: pd.DataFrame
    overall: NPSResult
    segment_columns: list
    method: str
    level: float = 0.95
    post_stratified: bool = False

    def __getitem__(self, segment: Any) -> NPSResult:
        """The :class:`NPSResult` of one segment: ``res["Basic"]``."""
        row = self.summary.loc[segment]
        return result_from_row(row, self.method, self.level)

    @property
    def by(self) -> list:
        """Deprecated name of :attr:`segment_columns`."""
        warnings.warn(
            "SegmentNPS.by is deprecated since cxlib 0.2; use SegmentNPS.segment_columns.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.segment_columns

    @property
    def conf(self) -> float:
        """Deprecated name of :attr:`level`."""
        _conf_warning("SegmentNPS")
        return self.level

    @property
    def unweighted_mean(self) -> float:
        """The plain mean of segment NPS: the WRONG overall NPS (shown for teaching)."""
        return float(self.summary["nps"].mean())

    def __repr__(self) -> str:
        cols = ["n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high"]
        with pd.option_context("display.width", 120, "display.max_rows", 40):
            body = self.summary[cols].round(1).to_string()
        names = ", ".join(map(str, self.segment_columns))
        return f"NPS by {names} ({self.method}, {self.level:.0%}):\n{body}\noverall: {self.overall!r}"

    def _repr_html_(self) -> str:
        cols = ["n", "n_missing", "promoters", "passives", "detractors", "nps", "se", "ci_low", "ci_high"]
        return (
            self.summary[cols].round(1).to_html()
            + f"<p><b>Overall</b>{' (post-stratified)' if self.post_stratified else ''}: "
            f"<code>{self.overall!r}</code></p>"
        )


@dataclass(frozen=True)
class Comparison:
    """Difference of two NPS values, ``a - b``, in points (from :func:`cxlib.analytics.nps.compare`).

    Attributes
    ----------
    diff : float
        ``a.nps - b.nps``.
    se : float
        Plain standard error of the difference, ``sqrt(SE_a^2 + SE_b^2)``.
    ci_low, ci_high : float
        Interval of the difference, by ``method``.
    z : float
        The test statistic of ``method``: the interval's centre over its standard error.
    p_value : float
        Two-sided p-value of ``z``; below ``1 - level`` exactly when the interval excludes 0.
    significant : bool
        The interval excludes 0 (equivalently, ``|z|`` beyond the critical value).
    method : str
        ``"wald"`` or ``"adjusted-wald"``.
    level : float
        Confidence level (0-1).
    """

    diff: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    significant: bool
    method: str = "adjusted-wald"
    level: float = 0.95

    @property
    def conf(self) -> float:
        """Deprecated name of :attr:`level`."""
        _conf_warning("Comparison")
        return self.level

    def __repr__(self) -> str:
        return (
            f"Comparison(difference {self.diff:+.1f} points, {self.level:.0%} CI [{self.ci_low:+.1f}, "
            f"{self.ci_high:+.1f}] ({self.method}), SE {self.se:.1f}, z = {self.z:.2f}, p = {self.p_value:.3f})"
        )


def post_stratify(table: pd.DataFrame, pooled: NPSResult, population: Any, keys: list, level: float) -> NPSResult:
    """The overall NPS re-weighted to each segment's share of the population (a Wald interval)."""
    if len(keys) != 1:
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
    z = z_value(level)
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
        level=level,
        n_eff=float(1 / (share**2 / table["n_eff"]).sum()),
    )

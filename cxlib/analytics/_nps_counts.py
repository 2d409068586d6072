"""NPS from a count table, and the count table of a set of answers (private).

The public names are re-exported by :mod:`cxlib.analytics.nps`, where they are
documented; see its docstring for the count table's columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxlib.analytics import _nps_scores as _scores
from cxlib.analytics import _nps_stats as _st
from cxlib.analytics._nps_results import NPSResult, SegmentNPS, post_stratify, result_from_row
from cxlib.errors import CxError

__all__ = [
    "nps_counts",
    "nps_from_counts",
    "nps_by_from_counts",
    "weighted_nps_from_counts",
    "weighted_nps_by_from_counts",
]


def _keys(segment_column: str | Sequence[str] | None) -> list[str]:
    if segment_column is None:
        return []
    keys = [segment_column] if isinstance(segment_column, str) else list(segment_column)
    if not keys:
        raise CxError("name at least one segment column (segment_column=).")
    return keys


def _segments(
    sums: _st.Sums,
    keys: list[str],
    weighted: bool,
    method: str,
    level: float,
    population: Any,
    seed: int,
    n_boot: int,
) -> SegmentNPS:
    """The per-segment and overall NPS of a count table with one row per segment."""
    table = _st.segment_table(sums, weighted, method, level, seed, n_boot)
    totals = _st.segment_table(_st.total(sums), weighted, method, level, seed, n_boot)
    overall = result_from_row(totals.iloc[0], method, level)
    if population is not None:
        overall = post_stratify(table, overall, population, keys, level)
    return SegmentNPS(
        summary=table, overall=overall, segment_columns=keys, method=method, level=level,
        post_stratified=population is not None,
    )  # fmt: skip


def _count(data: Any, score_column: str | None, keys: list[str], weight_column: str | None) -> _st.Sums:
    """The count table of the answers (see :func:`nps_counts`), in columns."""
    if isinstance(data, pd.DataFrame):
        if score_column is None:
            raise CxError("name the score column: nps(df, 'ltr').")
        b = _scores.bucket_codes(_scores.column(data, score_column, "score"), score_column)
        w = _scores.weights(data, weight_column)
        segs = [_scores.column(data, k, "segment") for k in keys]
    else:
        if keys or weight_column is not None:
            raise CxError("segments and weights need a DataFrame: nps_by(df, 'ltr', 'plan', weight_column='w').")
        b, w, segs = _scores.bucket_codes(_scores.as_series(data), score_column or "score"), None, []
    if not segs:
        sums = _st.group_sums(b, w, np.zeros(len(b), np.int64), pd.RangeIndex(1))
        return sums if len(sums[0]) else _st.total((pd.RangeIndex(0), sums[1]))
    gid, labels = _st.group_ids(segs)
    return _st.group_sums(b, w, gid, labels)


# ---------------------------------------------------------------------------------------------
# counts in: the statistics of a count table
# ---------------------------------------------------------------------------------------------
def nps_counts(
    data: Any,
    score_column: str | None = None,
    segment_column: str | Sequence[str] | None = None,
    weight_column: str | None = None,
) -> pd.DataFrame:
    """Count the answers: the count table that every NPS statistic is computed from.

    This is the one aggregation of the row-level functions, and the reference that
    any other engine (DuckDB, Spark, SQL) must reproduce: bucket each 0-10 answer
    and count per segment.

    Parameters
    ----------
    data : DataFrame, Series or array-like
        One row per answer (or the scores themselves, without segments or weights).
    score_column : str, optional
        The 0-10 column (required for a DataFrame). Blanks are counted in ``missing``.
    segment_column : str or list of str, optional
        Segment columns; a blank segment is its own segment. None for one row.
    weight_column : str, optional
        Survey weights: adds the weighted sums of :data:`WEIGHTED_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        One row per observed segment (sorted): the segment columns, ``promoters``,
        ``passives``, ``detractors``, ``missing`` and, with weights, ``w_promoters``,
        ``w_passives``, ``w_detractors``, ``w2_promoters``, ``w2_passives``, ``w2_detractors``.

    Raises
    ------
    ValidationError
        If a score or weight is invalid (every bad row listed).

    Examples
    --------
    >>> df = pd.DataFrame({"plan": ["A", "A", "B", "B"], "ltr": [10, 3, 8, None]})
    >>> nps_counts(df, "ltr", "plan")
      plan  promoters  passives  detractors  missing
    0    A          1         0           1        0
    1    B          0         1           0        1
    """
    keys = _keys(segment_column)
    index, values = _count(data, score_column, keys, weight_column)
    out = pd.DataFrame(values, index=index)
    if not keys:
        return out.reset_index(drop=True)
    return out.reset_index(names=keys) if len(keys) > 1 else out.rename_axis(keys[0]).reset_index()


def nps_from_counts(
    counts: pd.DataFrame | Mapping[str, float],
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    seed: int = 0,
    n_boot: int = 2000,
) -> NPSResult:
    """NPS with its interval from a count table (all its rows added up).

    The count table
        ``promoters``, ``passives``, ``detractors`` (whole numbers of 0 or more) and
        optionally ``missing`` (blank answers; 0 if absent). Any other columns (e.g.
        segments) are ignored: every row is added, so a table by segment gives the
        overall NPS. A dict with the same keys is one row.

    Parameters
    ----------
    counts : DataFrame or mapping
        The count table.
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method (see the module docstring).
    level : float
        Confidence level, a share between 0 and 1.
    seed, n_boot : int
        Seed and resamples of the bootstrap.

    Returns
    -------
    NPSResult
        Equal to :func:`nps` on the answers that were counted.

    Raises
    ------
    CxError
        If a count column is missing or a count is negative or fractional.

    Examples
    --------
    >>> r = nps_from_counts({"promoters": 12, "passives": 10, "detractors": 8, "missing": 3})
    >>> print(f"{r.nps:.1f} [{r.ci_low:.1f}, {r.ci_high:.1f}], n = {r.n}, {r.n_missing} blank")
    13.3 [-15.1, 39.3], n = 30, 3 blank
    """
    method = _st.check_method(method)
    keyframe, values = _st.check_count_table(counts, [], False, "nps_from_counts()")
    return _segments(_st.sum_by(keyframe, values, []), [], False, method, level, None, seed, n_boot).overall


def nps_by_from_counts(
    counts: pd.DataFrame,
    segment_column: str | Sequence[str],
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    population: Mapping | pd.Series | None = None,
    seed: int = 0,
    n_boot: int = 2000,
) -> SegmentNPS:
    """NPS with intervals for every segment of a count table, and overall.

    The count table
        The segment column(s), then ``promoters``, ``passives``, ``detractors`` and
        optionally ``missing`` per row. Rows with the same segment are added (so
        partial counts, e.g. per file or per Spark partition, can be stacked). A
        blank segment is a segment of its own. For a trend, use a period column as
        the segment (what :func:`nps_over_time` does).

    Parameters
    ----------
    counts : pandas.DataFrame
        The count table.
    segment_column : str or list of str
        The segment columns of ``counts``.
    method : {"adjusted-wald", "wald", "bootstrap"}
        Interval method.
    level : float
        Confidence level, a share between 0 and 1.
    population : mapping or Series, optional
        Size (or share) of each segment in the customer base: post-stratifies the
        overall NPS (see :func:`nps_by`). One segment column only.
    seed, n_boot : int
        For the bootstrap.

    Returns
    -------
    SegmentNPS
        ``.summary`` (one row per segment, sorted) and ``.overall``; equal to
        :func:`nps_by` on the answers that were counted.

    Raises
    ------
    CxError
        If a column is missing or a count is invalid.

    Examples
    --------
    >>> t = pd.DataFrame({"seg": ["A", "B"], "promoters": [500, 10], "passives": [400, 40],
    ...                   "detractors": [100, 50]})
    >>> res = nps_by_from_counts(t, "seg")
    >>> res.summary["nps"].tolist(), round(res.overall.nps, 1)
    ([40.0, -40.0], 32.7)
    """
    method, keys = _st.check_method(method), _keys(segment_column)
    keyframe, values = _st.check_count_table(counts, keys, False, "nps_by_from_counts()")
    return _segments(_st.sum_by(keyframe, values, keys), keys, False, method, level, population, seed, n_boot)


def weighted_nps_from_counts(
    counts: pd.DataFrame | Mapping[str, float], *, method: str = "adjusted-wald", level: float = 0.95
) -> NPSResult:
    """Weighted NPS with its interval from a table of counts and weighted sums (all rows added up).

    The count table
        ``promoters``, ``passives``, ``detractors`` (and optionally ``missing``):
        unweighted counts; ``w_promoters``, ``w_passives``, ``w_detractors``: the sums
        of the weights of the answers in each bucket; ``w2_promoters``,
        ``w2_passives``, ``w2_detractors``: the sums of their squared weights. In SQL,
        ``SUM(CASE WHEN ltr >= 9 THEN w END) AS w_promoters``, and so on.

    Parameters
    ----------
    counts : DataFrame or mapping
        The count table.
    method : {"adjusted-wald", "wald"}
        Interval method (no bootstrap with weights).
    level : float
        Confidence level, a share between 0 and 1.

    Returns
    -------
    NPSResult
        Equal to ``nps(data, score_column, weight_column=...)`` on the counted answers.

    Raises
    ------
    CxError
        If a column is missing, a value is invalid, or ``method="bootstrap"``.

    Examples
    --------
    Two promoters weighing 3 and one detractor weighing 1: NPS = 100 (6 - 1) / 7.

    >>> t = {"promoters": 2, "passives": 0, "detractors": 1, "w_promoters": 6.0, "w_passives": 0.0,
    ...      "w_detractors": 1.0, "w2_promoters": 18.0, "w2_passives": 0.0, "w2_detractors": 1.0}
    >>> round(weighted_nps_from_counts(t).nps, 1)
    71.4
    """
    method = _st.check_method(method)
    keyframe, values = _st.check_count_table(counts, [], True, "weighted_nps_from_counts()")
    return _segments(_st.sum_by(keyframe, values, []), [], True, method, level, None, 0, 0).overall


def weighted_nps_by_from_counts(
    counts: pd.DataFrame,
    segment_column: str | Sequence[str],
    *,
    method: str = "adjusted-wald",
    level: float = 0.95,
    population: Mapping | pd.Series | None = None,
) -> SegmentNPS:
    """Weighted NPS for every segment of a table of counts and weighted sums, and overall.

    The count table
        The segment column(s) and the columns of :func:`weighted_nps_from_counts`.
        Rows with the same segment are added.

    Parameters
    ----------
    counts : pandas.DataFrame
        The count table.
    segment_column : str or list of str
        The segment columns of ``counts``.
    method : {"adjusted-wald", "wald"}
        Interval method.
    level : float
        Confidence level, a share between 0 and 1.
    population : mapping or Series, optional
        Post-stratifies the overall NPS (see :func:`nps_by`).

    Returns
    -------
    SegmentNPS
        Equal to ``nps_by(data, score_column, segment_column, weight_column)``.

    Raises
    ------
    CxError
        If a column is missing, a value is invalid, or ``method="bootstrap"``.

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a", "a", "b"], "ltr": [10, 2, 9], "w": [1.0, 3.0, 2.0]})
    >>> res = weighted_nps_by_from_counts(nps_counts(df, "ltr", "seg", "w"), "seg")
    >>> res.summary["nps"].tolist()
    [-50.0, 100.0]
    """
    method, keys = _st.check_method(method), _keys(segment_column)
    keyframe, values = _st.check_count_table(counts, keys, True, "weighted_nps_by_from_counts()")
    return _segments(_st.sum_by(keyframe, values, keys), keys, True, method, level, population, 0, 0)

"""The arithmetic of :mod:`cxlib.analytics.nps` on count tables (private).

Everything here works on a *count table*: one row per segment with the columns of
:data:`COUNTS` (and, for weighted answers, :data:`WEIGHTED`). The row-level
functions build that table with one vectorised pass (:func:`group_sums`); the
count-level functions receive it from the caller (e.g. a DuckDB or Spark query).
Both then call :func:`segment_table`, so the two paths give the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cxlib.analytics.stats import z_value
from cxlib.checks import require_columns
from cxlib.errors import CxError

#: Interval methods understood by the functions of :mod:`cxlib.analytics.nps`.
METHODS = ("adjusted-wald", "wald", "bootstrap")

#: Pseudo-counts of the adjusted-Wald interval: promoters, passives, detractors (3 answers in all).
ADJUST = (0.75, 1.5, 0.75)

#: The count columns of an NPS count table (``missing`` is optional: 0 if absent).
COUNTS = ("promoters", "passives", "detractors", "missing")

#: The weighted sums of a weighted NPS count table: sums of the weight (``w_``) and of the
#: squared weight (``w2_``) over the answers of each bucket.
WEIGHTED = ("w_promoters", "w_passives", "w_detractors", "w2_promoters", "w2_passives", "w2_detractors")

#: The columns of a segment summary, in order.
SUMMARY = [
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
    "n_eff",
]


def check_method(method: str) -> str:
    """The interval method, normalised (``"adjusted_wald"`` -> ``"adjusted-wald"``)."""
    m = str(method).lower().replace("_", "-").replace(" ", "-")
    if m not in METHODS:
        raise CxError(f"unknown interval method {method!r}; choose one of {', '.join(METHODS)}.")
    return m


def _bootstrap(counts: np.ndarray, level: float, seed: int, n_boot: int) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap of each segment: its three counts resampled from their multinomial."""
    n = counts.sum(axis=1)
    lo, hi = np.full(len(n), np.nan), np.full(len(n), np.nan)
    ok = n > 0
    if ok.any():
        rng = np.random.default_rng(seed)
        p = counts[ok] / n[ok, None]
        draws = rng.multinomial(n[ok], p, size=(n_boot, int(ok.sum())))
        boot = (draws[..., 0] - draws[..., 2]) / n[ok]
        q = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2], axis=0)
        lo[ok], hi[ok] = q[0], q[1]
    return lo, hi


def interval(
    pP: np.ndarray,
    pD: np.ndarray,
    var: np.ndarray,
    n_eff: np.ndarray,
    counts: np.ndarray | None,
    method: str,
    level: float,
    seed: int,
    n_boot: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """NPS, SE and interval (all on the -1..1 scale) for arrays of segments."""
    z = z_value(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = pP - pD
        se = np.sqrt(var)
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
        else:
            if counts is None:
                raise CxError(
                    "the bootstrap interval needs unweighted answers; use method='adjusted-wald' with weights."
                )
            lo, hi = _bootstrap(counts, level, seed, n_boot)
        empty = ~(n_eff > 0)
        lo, hi = np.clip(lo, -1, 1), np.clip(hi, -1, 1)
        lo[empty], hi[empty] = np.nan, np.nan
    return est, se, lo, hi


#: A count table in columns: the segment labels (one per row) and each count column as an array.
Sums = tuple[pd.Index, dict[str, np.ndarray]]


def segment_table(sums: Sums, weighted: bool, method: str, level: float, seed: int, n_boot: int) -> pd.DataFrame:
    """The summary of each segment, from its counts and, if weighted, its weighted sums."""
    index, v = sums
    P, Pa, D, M = (np.asarray(v[c], dtype=float) for c in COUNTS)
    n = P + Pa + D
    with np.errstate(invalid="ignore", divide="ignore"):
        if weighted:
            wP, wPa, wD, w2P, w2Pa, w2D = (np.asarray(v[c], dtype=float) for c in WEIGHTED)
            W = wP + wPa + wD
            pP, pPa, pD = wP / W, wPa / W, wD / W
            m = pP - pD
            # the variance of the weighted mean of the +1/0/-1 codes: sum(w^2 (x - m)^2) / W^2
            var = ((w2P + w2D) - 2 * m * (w2P - w2D) + m**2 * (w2P + w2Pa + w2D)) / W**2
            n_eff = np.where(n > 0, W**2 / (w2P + w2Pa + w2D), 0.0)
        else:
            pP, pPa, pD = P / n, Pa / n, D / n
            var = (pP + pD - (pP - pD) ** 2) / n
            n_eff = n
    counts = None if weighted else np.column_stack([P, Pa, D]).astype(np.int64)
    est, se, lo, hi = interval(pP, pD, var, n_eff, counts, method, level, seed, n_boot)
    ints = [x.astype(np.int64) for x in (n, M, P, Pa, D)]
    values = [*ints, pP, pPa, pD, 100 * est, 100 * se, 100 * lo, 100 * hi, n_eff]
    return pd.DataFrame(dict(zip(SUMMARY, values)), index=index)


def total(sums: Sums) -> Sums:
    """One segment holding every row of ``sums`` (the overall counts)."""
    return pd.RangeIndex(1), {c: np.asarray([np.sum(x)]) for c, x in sums[1].items()}


def check_count_table(counts: Any, keys: Sequence[str], weighted: bool, what: str) -> tuple[pd.DataFrame, dict]:
    """The segment columns and the checked count columns of a count table (``missing`` is 0 if absent)."""
    if isinstance(counts, Mapping) and not isinstance(counts, pd.DataFrame):
        counts = pd.DataFrame({k: [v] for k, v in counts.items()})
    if not isinstance(counts, pd.DataFrame):
        raise CxError(
            f"{what} needs a table of counts (a DataFrame with columns promoters, passives, detractors), "
            f"got {type(counts).__name__}."
        )
    need = [*keys, *COUNTS[:3], *(WEIGHTED if weighted else ())]
    require_columns(counts, need, what, source="counts")
    cols = [*COUNTS, *(WEIGHTED if weighted else ())]
    values = {
        c: pd.to_numeric(counts[c], errors="coerce").to_numpy(dtype=float)
        if c in counts.columns
        else np.zeros(len(counts))
        for c in cols
    }
    problems = []
    for c, x in values.items():
        bad = ~np.isfinite(x) | (x < 0)
        if c in COUNTS:
            bad |= np.isfinite(x) & (x != np.round(x))
        problems += [f"{c} (row {i + 2})" for i in np.flatnonzero(bad)[:5]]
    if problems:
        raise CxError(
            f"{what}: counts must be whole numbers of 0 or more and weighted sums finite numbers of 0 or more; "
            f"check {', '.join(problems[:5])}{' ...' if len(problems) > 5 else ''}."
        )
    return counts[list(keys)], values


def sum_by(keyframe: pd.DataFrame, values: dict, keys: Sequence[str]) -> Sums:
    """Add up the rows of a count table that share a segment (partial counts from several files or workers)."""
    if not keys:
        return total((pd.RangeIndex(len(keyframe)), values))
    g = keyframe.reset_index(drop=True).assign(**values)
    g = g.groupby(list(keys), sort=True, dropna=False, observed=True)[list(values)].sum()
    return g.index, {c: g[c].to_numpy() for c in values}


def group_ids(keys: list[pd.Series]) -> tuple[np.ndarray, pd.Index]:
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
                labels = [*labels, np.nan]
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


def group_sums(b: np.ndarray, w: np.ndarray | None, gid: np.ndarray, labels: pd.Index) -> Sums:
    """The count table of every observed segment, with :func:`numpy.bincount` (one pass over the rows)."""
    G = len(labels)
    key = gid * 4  # new array; then in place, to keep memory traffic low on big data
    key += b
    counts = np.bincount(key, minlength=4 * G).reshape(G, 4)
    cols: dict[str, np.ndarray] = {
        "promoters": counts[:, 2],
        "passives": counts[:, 1],
        "detractors": counts[:, 0],
        "missing": counts[:, 3],
    }
    if w is not None:
        w2 = w * w
        codes = {"promoters": 2, "passives": 1, "detractors": 0}
        for name in WEIGHTED:
            power, bucket = name.split("_")
            cols[name] = np.bincount(gid, np.where(b == codes[bucket], w if power == "w" else w2, 0.0), G)
    seen = counts.sum(axis=1) > 0
    return labels[seen], {c: x[seen] for c, x in cols.items()}

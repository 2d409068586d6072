"""Checking 0-10 answers and survey weights, and coding answers as buckets (private to :mod:`cxlib.analytics.nps`).

Every answer becomes a bucket code: 0 detractor (0-6), 1 passive (7-8), 2 promoter
(9-10), 3 missing. Anything that is not a whole number from 0 to 10 or blank is an
error listing every bad row and value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cxlib.errors import CxError, Problem, ValidationError

SCORE_FIX = (
    "Likelihood-to-recommend answers must be whole numbers from 0 to 10; leave a "
    "skipped answer blank (it is excluded and counted), do not type a code for it."
)

#: score 0..10 -> bucket code: 0 detractor, 1 passive, 2 promoter (3 = missing)
LUT = np.array([0] * 7 + [1, 1, 2, 2], dtype=np.int8)


def as_series(values: Any) -> pd.Series:
    """Scores given as a Series, an array or a list, as a Series."""
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.DataFrame):
        raise CxError("pass one column of scores (a Series), or a DataFrame with score_column='column name'.")
    return pd.Series(list(values) if not isinstance(values, np.ndarray) else values)


def column(data: pd.DataFrame, name: str, role: str) -> pd.Series:
    """One column of ``data``, or an error naming the columns there are."""
    if not isinstance(data, pd.DataFrame):
        raise CxError(f"expected a DataFrame with a {role} column {name!r}, got {type(data).__name__}.")
    if name not in data.columns:
        cols = ", ".join(map(repr, list(data.columns)[:20]))
        raise CxError(
            f"the {role} column {name!r} is not in the data; its columns are: {cols}. Pass the right column name."
        )
    return data[name]


def py(v: Any) -> Any:
    """A numpy scalar as a plain Python value (whole floats as int), for messages."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _numbers(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Scores as floats (NaN for blanks) and a mask of text that is not a number."""
    if pd.api.types.is_numeric_dtype(s.dtype):
        x = s.to_numpy(dtype="float64", na_value=np.nan)
        return x, np.zeros(len(x), bool)
    obj = s.astype(object)
    blank = obj.map(lambda v: isinstance(v, str) and not v.strip())
    obj = obj.where(~blank.astype(bool), np.nan)
    x = pd.to_numeric(obj, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return x, np.isnan(x) & obj.notna().to_numpy()


def check_scores(s: pd.Series, column: str | None, source: str | None = None) -> np.ndarray:
    """Validated scores: an integer array (fast path, no missing) or floats with NaN."""
    if s.dtype == bool:
        raise CxError(f"column {column!r} holds True/False values, not 0-10 scores.")
    if pd.api.types.is_integer_dtype(s.dtype) and not s.hasnans:
        arr = s.to_numpy(dtype=np.int64) if isinstance(s.dtype, pd.api.extensions.ExtensionDtype) else s.to_numpy()
        if len(arr) == 0 or (arr.min() >= 0 and arr.max() <= 10):
            return arr
    x, text_bad = _numbers(s)
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
            vals = tuple(py(v) for v in s.iloc[pos[:5]].to_numpy(dtype=object))
            problems.append(
                Problem(
                    kind,
                    column=column,
                    rows=tuple(int(p) + 2 for p in pos[:5]),
                    values=vals,
                    count=int(mask.sum()),
                    fix=SCORE_FIX,
                )
            )
    if problems:
        raise ValidationError(problems, source=source)
    return x


def bucket_codes(s: pd.Series, column: str | None) -> np.ndarray:
    """Bucket code of every answer: 0 detractor, 1 passive, 2 promoter, 3 missing."""
    x = check_scores(s, column)
    if x.dtype.kind in "iu":
        return LUT[x]
    out = np.full(len(x), 3, dtype=np.int8)
    ok = ~np.isnan(x)
    out[ok] = LUT[x[ok].astype(np.int64)]
    return out


def weights(data: pd.DataFrame, weight_column: str | None) -> np.ndarray | None:
    """The survey weights as floats; missing, negative or text weights are an error."""
    if weight_column is None:
        return None
    s = column(data, weight_column, "weight")
    w = pd.to_numeric(s, errors="coerce").to_numpy(float)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        pos = np.flatnonzero(bad)
        raise ValidationError(
            [
                Problem(
                    "missing, negative or non-numeric weight",
                    column=weight_column,
                    rows=tuple(int(p) + 2 for p in pos[:5]),
                    values=tuple(py(v) for v in s.to_numpy(object)[pos[:5]]),
                    count=int(bad.sum()),
                    fix="Weights must be numbers of 0 or more on every row.",
                )
            ]
        )
    return w

"""Shared pieces of the emotion analyses: 0/1 columns, the 0.1 ``confidence`` alias, the interval results."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from cxlib.errors import Problem

__all__ = ["_binary", "_LevelAlias", "_Interval"]


class _LevelAlias:
    """The 0.1 attribute name ``confidence`` of a result's ``level``, kept for one release."""

    @property
    def confidence(self) -> float:
        """Deprecated: the interval's ``level``."""
        warnings.warn("`.confidence` is deprecated since cxlib 0.2; use `.level`.", DeprecationWarning, stacklevel=2)
        return self.level  # type: ignore[attr-defined]


class _Interval(_LevelAlias):
    """A result with an interval ``ci_low``-``ci_high`` at ``level``: can a claimed value stand?"""

    ci_low: float
    ci_high: float

    def excludes(self, value: float) -> bool:
        """True if ``value`` (a claimed share or ratio, e.g. 3.0) lies outside the interval.

        Parameters
        ----------
        value : float
            A claimed value, on the scale of the result (a proportion 0-1 for a share).

        Returns
        -------
        bool
        """
        return bool(value < self.ci_low or value > self.ci_high)


_TRUE = {1, "1", "yes", "true", "y"}


_FALSE = {0, "0", "no", "false", "n"}


def _binary(df: pd.DataFrame, column: str, problems: list) -> pd.Series:
    """A 0/1 float column (NaN for missing); problems appended for other values."""
    s = df[column]
    if pd.api.types.is_bool_dtype(s):
        return s.astype(float)
    if pd.api.types.is_numeric_dtype(s):  # 0/1 numbers: compared at once (NaN is neither)
        ones, zeros = s.eq(1), s.eq(0)
    else:  # text such as "yes" / "no", or mixed values: read one by one
        norm = s.map(lambda v: v.strip().lower() if isinstance(v, str) else v)
        ones = norm.map(lambda v: v in _TRUE if not (isinstance(v, float) and np.isnan(v)) else False)
        zeros = norm.map(lambda v: v in _FALSE if not (isinstance(v, float) and np.isnan(v)) else False)
    missing = s.isna()
    other = ~(ones | zeros | missing)
    if other.any():
        pos = np.flatnonzero(other.to_numpy())
        problems.append(
            Problem(
                "not a yes/no (0/1) value",
                column=column,
                rows=tuple(int(p) + 2 for p in pos[:5]),
                values=tuple(s.iloc[pos[:5]].tolist()),
                count=int(other.sum()),
                fix=f"Code '{column}' as 1 (yes) / 0 (no), e.g. df['{column}'] = (df['x'] >= 9).astype(int).",
            )
        )
    out = pd.Series(np.where(ones, 1.0, np.where(zeros, 0.0, np.nan)), index=s.index)
    return out

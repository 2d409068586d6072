"""Checks of a caller's DataFrame shared by every layer: required columns, numeric columns.

Every analysis that takes a DataFrame and column names checks them the same way, so
a learner or an analyst gets the same message wherever a column is missing: which
columns, which are there, and how to name yours.

Examples
--------
>>> import pandas as pd
>>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "rfm()")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
cxlib.errors.ValidationError: data: 1 problem found
  1. column 'b': missing column.
     How to fix: rfm() needs a column 'b'; pass the name your data uses (columns found: a).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from cxlib.errors import CxError, Problem, ValidationError

__all__ = ["require_columns", "numeric_problems", "spreadsheet_rows"]


def spreadsheet_rows(mask: np.ndarray | pd.Series, limit: int = 5) -> tuple[int, ...]:
    """Spreadsheet row numbers (header = row 1) of the first ``limit`` True positions.

    Parameters
    ----------
    mask : array-like of bool
        True at the rows to report (positions, not index labels).
    limit : int
        How many row numbers to give at most.

    Returns
    -------
    tuple of int
        The spreadsheet row numbers (first data row = 2).

    Examples
    --------
    >>> spreadsheet_rows(np.array([False, True, True]))
    (3, 4)
    """
    return tuple(int(i) + 2 for i in np.flatnonzero(np.asarray(mask))[:limit])


def require_columns(
    df: pd.DataFrame, columns: Iterable[str | None], what: str = "the data", source: str | None = None
) -> None:
    """Raise one :class:`~cxlib.errors.ValidationError` naming every required column that is missing.

    Parameters
    ----------
    df : pandas.DataFrame
        The caller's table.
    columns : iterable of str
        The columns the analysis needs (``None`` entries are ignored).
    what : str
        Who needs them, for the message (``"rfm()"``, ``"the activity table"``).
    source : str, optional
        The table's name in the error's heading (default ``"data"``).

    Raises
    ------
    CxError
        If ``df`` is not a DataFrame.
    ValidationError
        Listing each missing column, the columns found and how to name yours.
    """
    if not isinstance(df, pd.DataFrame):
        raise CxError(
            f"{what} needs a pandas DataFrame, got {type(df).__name__}. Load your file with "
            "cxlib.data.io.read_table (or pandas.read_csv) first."
        )
    missing = [c for c in dict.fromkeys(columns) if c is not None and c not in df.columns]
    if missing:
        have = ", ".join(map(str, list(df.columns)[:15])) + (", ..." if df.shape[1] > 15 else "")
        raise ValidationError(
            [
                Problem(
                    "missing column",
                    column=str(c),
                    fix=f"{what} needs a column {c!r}; pass the name your data uses (columns found: {have}).",
                )
                for c in missing
            ],
            source=source or "data",
        )


def numeric_problems(df: pd.DataFrame, columns: Sequence[str]) -> list[Problem]:
    """Problems (as :class:`~cxlib.errors.Problem`) of columns that should be finite numbers.

    Text in a number column, missing values and infinite values are each one problem
    with their spreadsheet rows and values.

    Parameters
    ----------
    df : pandas.DataFrame
        The table to check.
    columns : sequence of str
        The columns that should hold finite numbers.

    Returns
    -------
    list of Problem
        One problem per column and kind (text, missing, infinite); empty when all are numbers.
    """
    problems = []
    for c in columns:
        s = df[c]
        if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            rows = spreadsheet_rows(bad)
            problems.append(
                Problem(
                    "not a number column",
                    column=c,
                    rows=rows,
                    values=tuple(s[bad].head(5).tolist()),
                    count=int(bad.sum()),
                    fix="Segment on numeric features only; encode categories "
                    "as shares or 0/1 columns first, or drop this feature.",
                )
            )
            continue
        na = s.isna().to_numpy()
        if na.any():
            rows = spreadsheet_rows(na)
            problems.append(
                Problem(
                    "missing values",
                    column=c,
                    rows=rows,
                    values=(None,) * len(rows),
                    count=int(na.sum()),
                    fix="Fill them deliberately (e.g. 0 views) or drop those "
                    "customers before segmenting, and report how many.",
                )
            )
        elif not np.isfinite(s.to_numpy(dtype=float)).all():
            inf = ~np.isfinite(s.to_numpy(dtype=float))
            problems.append(
                Problem(
                    "infinite values",
                    column=c,
                    count=int(inf.sum()),
                    rows=spreadsheet_rows(inf),
                    fix="Check the division that produced them.",
                )
            )
    return problems

"""Errors raised by cxlib.

Every error a user can cause is a :class:`CxError` (a subclass of ``ValueError``).
Validation of a data file raises :class:`ValidationError`, which lists *every*
problem found (not just the first), each with the file, column, row numbers,
offending values and how to fix it.

Row numbers follow the spreadsheet convention: the header is row 1, so the first
data row is row 2. That is the number an analyst sees when opening the file in
Excel.

Examples
--------
>>> p = Problem("out of range", column="score", rows=(2, 5), values=(11, -1),
...             count=2, fix="Scores must be whole numbers from 0 to 10.")
>>> err = ValidationError([p], source="survey.csv")
>>> print(err)  # doctest: +NORMALIZE_WHITESPACE
survey.csv: 1 problem found
  1. column 'score': out of range in 2 rows (rows 2, 5); values: 11, -1.
     How to fix: Scores must be whole numbers from 0 to 10.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CxError", "ValidationError", "Problem", "format_values", "format_rows"]

#: How many row numbers and values a message shows before "(+N more)".
SHOW = 5


class CxError(ValueError):
    """Base class of every error that cxlib raises because of its input."""


def format_rows(rows: Sequence[int], count: int | None = None) -> str:
    """Format row numbers as ``rows 2, 5, 9 (+12 more)``.

    Parameters
    ----------
    rows : sequence of int
        Spreadsheet row numbers.
    count : int, optional
        The total number of rows when ``rows`` is only the first few.

    Returns
    -------
    str
        ``"row 7"`` or ``"rows 2, 5, 9 (+12 more)"``.

    Examples
    --------
    >>> format_rows([2, 3, 4, 5, 6, 7, 8])
    'rows 2, 3, 4, 5, 6 (+2 more)'
    >>> format_rows([7])
    'row 7'
    >>> format_rows([2, 3, 4, 5, 6], count=4_000_000)
    'rows 2, 3, 4, 5, 6 (+3,999,995 more)'
    """
    rows = list(rows)
    count = len(rows) if count is None else count
    if not rows:
        return ""
    shown = ", ".join(str(int(r)) for r in rows[:SHOW])
    more = count - min(len(rows), SHOW)
    word = "row" if count == 1 else "rows"
    return f"{word} {shown}" + (f" (+{more:,} more)" if more > 0 else "")


def format_values(values: Sequence[Any]) -> str:
    """Format offending values compactly, quoting text.

    Parameters
    ----------
    values : sequence
        The offending values.

    Returns
    -------
    str
        At most five values, text quoted, blanks as ``<empty>``, and how many more there are.

    Examples
    --------
    >>> format_values(["abc", 3, None, "x", "y", "z", "w"])
    "'abc', 3, <empty>, 'x', 'y' (+2 more)"
    """
    values = list(values)
    out = []
    for v in values[:SHOW]:
        if v is None or (isinstance(v, float) and v != v):
            out.append("<empty>")
        elif isinstance(v, str):
            out.append(repr(v))
        else:
            out.append(str(v))
    more = len(values) - SHOW
    return ", ".join(out) + (f" (+{more} more)" if more > 0 else "")


@dataclass(frozen=True)
class Problem:
    """One problem found in a data set.

    Parameters
    ----------
    kind : str
        Short description, e.g. ``"missing column"`` or ``"text in a number column"``.
    column : str, optional
        The column concerned (None for file-level problems such as an empty file).
    rows : tuple of int
        Row numbers (header = row 1); at most the first few are kept.
    values : tuple
        The offending values in those rows.
    count : int
        How many rows have this problem in total (may exceed ``len(rows)``).
    fix : str
        One sentence telling the user how to fix it.
    """

    kind: str
    column: str | None = None
    rows: tuple = ()
    values: tuple = ()
    count: int = 0
    fix: str = ""

    def describe(self) -> str:
        """One readable line (plus a fix line) for this problem."""
        where = f"column '{self.column}': " if self.column is not None else ""
        text = f"{where}{self.kind}"
        if self.count:
            text += f" in {self.count:,} row{'s' if self.count != 1 else ''}"
        if self.rows:
            text += f" ({format_rows(self.rows, self.count)})"
        if self.values:
            text += f"; values: {format_values(self.values)}"
        text += "."
        if self.fix:
            text += f"\n     How to fix: {self.fix}"
        return text

    def to_dict(self) -> dict:
        """A JSON-friendly dict of this problem."""
        return {
            "kind": self.kind,
            "column": self.column,
            "rows": [int(r) for r in self.rows],
            "values": [None if v is None else (v if isinstance(v, (int, float, str)) else str(v)) for v in self.values],
            "count": int(self.count),
            "fix": self.fix,
        }


@dataclass
class ValidationError(CxError):
    """A data set failed validation; ``problems`` lists everything found.

    Parameters
    ----------
    problems : list of Problem
        Every problem found, each with its column, rows, values and fix.
    source : str, optional
        The file (or table) validated.
    note : str, optional
        A line printed after the problems (how a Parquet file's rows are numbered, say).
    """

    problems: list = field(default_factory=list)
    source: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        name = self.source or "data"
        n = len(self.problems)
        lines = [f"{name}: {n} problem{'s' if n != 1 else ''} found"]
        for i, p in enumerate(self.problems, 1):
            lines.append(f"  {i}. {p.describe()}")
        if self.note:
            lines.append(f"  {self.note}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """A JSON-friendly dict: the source and every problem."""
        out = {"source": self.source, "problems": [p.to_dict() for p in self.problems]}
        return {**out, "note": self.note} if self.note else out

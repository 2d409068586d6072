"""The read report: what :func:`cxlib.data.io.read_table` did to a file, and how problems are built."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cxlib.errors import SHOW, Problem, ValidationError, format_rows

ENCODING_NAMES = {
    "cp1256": "cp1256 (Windows Persian/Arabic; not UTF-8)",
    "cp1252": "cp1252 (Windows Western European; not UTF-8)",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian, no BOM)",
    "utf-16-be": "UTF-16 (big-endian, no BOM)",
}


#: How a report numbers the rows of a file without spreadsheet rows (Parquet, a table, a DataFrame).
ROW_NUMBERS = (
    "rows are numbered as in a spreadsheet with the column names in row 1: row 2 is the first record, "
    "row N the (N - 1)th."
)


_PLURAL = re.compile(r"(\w)s( (?:with|read|removed|converted|lower-cased|dropped)\b)")


def counted(count: int, what: str) -> str:
    """``count`` and the plural phrase of a conversion, in the singular for one value.

    Parameters
    ----------
    count : int
        How many values.
    what : str
        The conversion in the plural, as stored in ``ReadReport.conversions``.

    Returns
    -------
    str
        The count and the phrase.

    Examples
    --------
    >>> counted(1, "score labels read by their leading number")
    '1 score label read by its leading number'
    >>> counted(1_200, "values with spaces trimmed")
    '1,200 values with spaces trimmed'
    """
    phrase = _PLURAL.sub(r"\1\2", what, count=1).replace(" their ", " its ") if count == 1 else what
    return f"{count:,} {phrase}"


@dataclass
class ReadReport:
    """What :func:`read_table` did to a file: every row and value it changed or dropped.

    Attributes
    ----------
    source : str
        The file name (or ``"data"`` for an in-memory DataFrame).
    kind : str
        The schema kind validated against.
    format : str
        ``"csv"``, ``"xlsx"``, ``"parquet"``, ``"table"`` (a database table) or ``"DataFrame"``.
    encoding : str or None
        The encoding used to decode a CSV, decided once for the whole file:
        ``"utf-8"``, ``"utf-8-sig"`` (UTF-8 with BOM), ``"utf-16"`` (with BOM),
        ``"utf-16-le"``/``"utf-16-be"`` (without BOM), ``"cp1256"`` (Windows
        Persian/Arabic), ``"cp1252"`` (Windows Western European) or the one given.
    delimiter, sheet : str or None
        The CSV delimiter used, or the Excel sheet read.
    rows_skipped : int
        Lines or rows above the header skipped on request (``skip_rows``: a title block).
    header_rows_below : list of int
        Rows below the header that are not data: a Qualtrics export's question wording and
        import ids (dropped, and said here).
    unused_options : list of str
        Reading options given that changed nothing (``--dayfirst`` on a file without a date
        to decide, ``--decimal`` without a number to decide); ``notes`` says why.
    rows_read : int
        Data rows below the header, empty ones included.
    empty_rows_dropped : int
        Rows with every cell blank (dropped); ``empty_rows`` holds their row numbers.
    rows : int
        Rows in the returned table.
    renamed : dict
        File column -> schema column, for every column not already named as the schema.
    missing_optional : list
        Optional schema columns absent from the file.
    extra_columns : list
        File columns the schema does not know: kept, not validated.
    conversions : list of dict
        ``{"column", "what", "count"}``: values changed while cleaning (Persian digits,
        thousands separators, spaces trimmed, Excel serial dates, Jalali dates, yes/no
        flags, score labels, ...).
    labels : dict
        Flag column -> how each text label of the file was read, e.g.
        ``{"churned": {"No": 0, "Yes": 1}}``.
    blanks : dict
        Column -> number of blank cells (blank answers are allowed where the schema says).
    blank_kinds : dict
        Column -> how many blank cells were written as each blank marker, e.g.
        ``{"ltr": {"N/A": 3, "Don't know": 1}}`` (empty cells are not listed).
    decimal_marks : dict
        Number column read from text -> its decimal mark and how it was decided, e.g.
        ``{"spend": "',' (from its values)"}``.
    date_orders : dict
        Date column with day and month numbers -> the order used and why, e.g.
        ``{"survey_date": "day/month/year (from its values: '19/03/2024' in row 5)"}``.
    notes : list of str
        Hints (e.g. an extra column that looks like a misspelt optional column).
    in_memory_because : str or None
        Why a file meant for the database engine (a big CSV, a Parquet file) was read into memory
        instead (values only the in-memory reader decides, such as day/month dates); None otherwise.
    problems : list of Problem
        Everything that makes the file invalid (empty when ``ok``).
    empty_rows : tuple of int
        Spreadsheet row numbers of the empty rows dropped.
    """

    source: str
    kind: str
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    rows_read: int = 0
    empty_rows_dropped: int = 0
    rows_skipped: int = 0
    unused_options: list = field(default_factory=list)
    header_rows_below: list = field(default_factory=list)
    empty_rows: tuple = ()
    rows: int = 0
    renamed: dict = field(default_factory=dict)
    missing_optional: list = field(default_factory=list)
    extra_columns: list = field(default_factory=list)
    conversions: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)
    blanks: dict = field(default_factory=dict)
    blank_kinds: dict = field(default_factory=dict)
    decimal_marks: dict = field(default_factory=dict)
    date_orders: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    in_memory_because: str | None = None

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def _convert(self, column: str, what: str, count: int) -> None:
        if count:
            self.conversions.append({"column": column, "what": what, "count": int(count)})

    def conversions_table(self) -> pd.DataFrame:
        """The conversions as a DataFrame (columns ``column``, ``what``, ``count``)."""
        return pd.DataFrame(self.conversions, columns=["column", "what", "count"])

    def file_line(self) -> str:
        """How the file was read: format, encoding, delimiter or sheet (one line)."""
        if self.format == "csv":
            enc = ENCODING_NAMES.get(self.encoding or "", self.encoding)
            if self.delimiter is None:
                return f"CSV, {'encoding ' + enc if enc else 'not text'}, not read further (see the problems)"
            return f"CSV, encoding {enc}, delimiter {self.delimiter!r}"
        if self.format == "xlsx":
            return f"Excel workbook, sheet {self.sheet!r}"
        if self.format == "parquet":
            return "Parquet file"
        if self.format == "table":
            return "database table"
        return "in-memory table"

    def brief(self) -> str:
        """One line for commands that print results rather than the report.

        >>> ReadReport(source="s.csv", kind="nps_surveys", encoding="cp1256", delimiter=";",
        ...            rows_read=3, rows=3).brief()
        "read s.csv: CSV, encoding cp1256 (Windows Persian/Arabic; not UTF-8), delimiter ';'; 3 rows"
        """
        text = f"read {self.source}: {self.file_line()}; {self.rows:,} rows"
        if self.rows_skipped:
            text += f" ({self._skipped_text()})"
        if self.empty_rows_dropped:
            text += f" ({self.empty_rows_dropped:,} empty dropped)"
        marks = sorted(set(m.split(" ", 1)[0] for m in self.decimal_marks.values()))
        if marks:
            text += f"; decimal mark {' and '.join(marks)}"
        orders = sorted(set(o.split(" ", 1)[0] for o in self.date_orders.values()))
        if orders:
            text += f"; dates {' and '.join(orders)}"
        if self.header_rows_below:
            text += (
                f"; rows {' and '.join(map(str, self.header_rows_below))} skipped (Qualtrics question wording and ids)"
            )
        if self.unused_options:
            text += f"; {' and '.join(self.unused_options)} changed nothing"
        if self.in_memory_because:
            text += f"\n{self.memory_note()}"
        return text

    def note_unused(self, decimal: str | None, dayfirst: bool | None) -> None:
        """Say which of the reading options given changed nothing (none decided a column).

        Parameters
        ----------
        decimal : str or None
            The ``decimal`` option given.
        dayfirst : bool or None
            The ``dayfirst`` option given.
        """
        name = "--dayfirst" if dayfirst else "--no-dayfirst"
        if dayfirst is not None and not self.date_orders:
            self.unused_options.append(name)
            self.notes.append(
                f"{name} (dayfirst= in Python) changed nothing: no date here is written with numbers in an order "
                "to decide (such as 03/04/2024); leave it out."
            )
        if decimal is not None and not self.decimal_marks:
            self.unused_options.append(f"--decimal {decimal}")
            self.notes.append(
                f"--decimal {decimal} (decimal= in Python) changed nothing: no number here is written as text "
                "with a mark to decide (such as 29,85 or 1.234); leave it out."
            )

    def _skipped_text(self) -> str:
        n = self.rows_skipped
        unit = "row" if self.format == "xlsx" else "line"
        return f"{n:,} {unit}{'s' if n != 1 else ''} above the header skipped"

    def memory_note(self) -> str:
        """What an analyst should know when a big file was read into memory, not by the database."""
        reason = self.in_memory_because or ""
        text = f"note: read into memory, not by the database, because of {reason}; memory grows with the rows."
        if any(w in reason for w in ("values", "numbers", "decimal", "date")):  # the export can fix it
            text += " Dates written YYYY-MM-DD and numbers with a '.' keep a big file in the database."
        elif "differ only in case" in reason:
            text += " Renaming one of them in the export keeps a big file in the database."
        return text

    def _read_fields(self) -> dict:
        """How the file was read: the fields :meth:`brief_dict` and :meth:`to_dict` share."""
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
            "rows": self.rows,
            "rows_skipped": self.rows_skipped,
            "empty_rows_dropped": self.empty_rows_dropped,
            "unused_options": list(self.unused_options),
            "header_rows_below": list(self.header_rows_below),
            "decimal_marks": dict(self.decimal_marks),
            "date_orders": dict(self.date_orders),
        }

    def brief_dict(self) -> dict:
        """How the file was read, as a dict (the ``read`` entry of ``cx ... --json``)."""
        return {**self._read_fields(), "in_memory_because": self.in_memory_because}

    def summary(self) -> str:
        """A readable multi-line summary (what ``cx validate`` prints)."""
        lines = [f"{self.source} read as '{self.kind}'"]
        if self.format != "DataFrame":
            lines.append(f"  file: {self.file_line()}")
        rows = f"  rows: {self._skipped_text() + ', ' if self.rows_skipped else ''}{self.rows_read:,} read"
        if self.empty_rows_dropped:
            rows += (
                f", {self.empty_rows_dropped:,} empty dropped ({format_rows(self.empty_rows, self.empty_rows_dropped)})"
            )
        lines.append(rows + f", {self.rows:,} kept")
        if self.renamed:
            lines.append("  columns renamed: " + ", ".join(f"{k!r} -> {v}" for k, v in self.renamed.items()))
        if self.missing_optional:
            lines.append("  optional columns absent: " + ", ".join(self.missing_optional))
        if self.extra_columns:
            label = "feature columns (kept)" if self.kind == "churn_table" else "kept, not validated"
            lines.append(f"  {label}: " + ", ".join(map(repr, self.extra_columns)))
        if self.decimal_marks:
            lines.append("  decimal mark: " + ", ".join(f"{k} {v}" for k, v in self.decimal_marks.items()))
        if self.date_orders:
            lines.append("  date order: " + ", ".join(f"{k} {v}" for k, v in self.date_orders.items()))
        if self.conversions:
            lines.append("  converted:")
            lines += [f"    {c['column']}: {counted(c['count'], c['what'])}" for c in self.conversions]
        if self.blanks:
            lines.append("  blank cells: " + ", ".join(self._blank_text(k, v) for k, v in self.blanks.items()))
        lines += [f"  note: {n}" for n in self.notes]
        if self.in_memory_because:
            lines.append("  " + self.memory_note())
        if self.ok:
            lines.append("  result: valid")
        else:
            n = len(self.problems)
            lines.append(f"  result: NOT valid, {n} problem{'s' if n != 1 else ''}:")
            lines += [f"  {i}. {p.describe()}" for i, p in enumerate(self.problems, 1)]
            if self.row_note():
                lines.append(f"  {self.row_note()}")
        return "\n".join(lines)

    def row_note(self) -> str | None:
        """How the problems' rows are numbered, when the source has no spreadsheet rows (None otherwise)."""
        if self.format in ("csv", "xlsx") or not any(p.rows for p in self.problems):
            return None
        return ROW_NUMBERS

    def error(self) -> ValidationError:
        """The report's problems as an error that keeps the report (``error.report``)."""
        err = ValidationError(list(self.problems), source=self.source, note=self.row_note())
        err.report = self  # type: ignore[attr-defined]
        return err

    def _blank_text(self, column: str, n: int) -> str:
        kinds = self.blank_kinds.get(column)
        if not kinds:
            return f"{column} {n:,}"
        return f"{column} {n:,} (" + ", ".join(f"{k!r} {c:,}" for k, c in kinds.items()) + ")"

    def __repr__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict:
        """A JSON-friendly dict of the whole report (``cx validate --json``): how the file was read, and the checks."""
        read = self._read_fields()
        return {
            "source": read.pop("source"),  # first, then what the report is of and its verdict
            "kind": self.kind,
            "valid": self.ok,
            **read,
            "rows_read": self.rows_read,
            "empty_rows": [int(r) for r in self.empty_rows],
            "renamed": dict(self.renamed),
            "missing_optional": list(self.missing_optional),
            "extra_columns": list(self.extra_columns),
            "conversions": list(self.conversions),
            "blanks": {k: int(v) for k, v in self.blanks.items()},
            "blank_kinds": {k: dict(v) for k, v in self.blank_kinds.items()},
            "notes": list(self.notes),
            "problems": [p.to_dict() for p in self.problems],
        }


def py_value(v: Any) -> Any:
    """A cell as a plain Python value for a message (dates as ISO text, 12.0 as 12)."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        v = pd.Timestamp(v)
        return str(v.date()) if v == v.normalize() else str(v)
    if isinstance(v, _dt.date):
        return str(v)
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def problem_at(
    kind: str, column: str | None, mask: pd.Series, values: pd.Series | None = None, fix: str = ""
) -> Problem:
    """A Problem for the rows selected by ``mask`` (index = row numbers), showing ``values``."""
    hit = mask[mask.to_numpy(dtype=bool)].index
    vals = tuple(py_value(v) for v in values.loc[hit[:SHOW]]) if values is not None else ()
    return Problem(kind, column=column, rows=tuple(int(r) for r in hit[:SHOW]), values=vals, count=len(hit), fix=fix)

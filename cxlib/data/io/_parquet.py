"""Read a Parquet file into a raw frame whose index holds row numbers (first row = row 2).

Parquet columns are typed (numbers, text, dates, booleans), so nothing is decoded or
sniffed; the cleaning and validation that follow are the same as for a CSV. The file
is read with DuckDB (no pyarrow needed). A Parquet file has no header row: row numbers
count as if it were opened in a spreadsheet with its column names in row 1, so the
first record is row 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxlib.data.io._columns import blank_cell, duplicate_headers, resolve
from cxlib.data.io._csv import ReadOptions, summary_problem, trailing_summaries
from cxlib.data.io._files import LIMITS, Limits, too_big
from cxlib.data.io._text import clean_header
from cxlib.errors import CxError

#: The last rows of a Parquet file searched first for summary rows (totals, averages) below the data;
#: when they are all blank, windows five times larger are read, up to :data:`TAIL_LIMIT` rows.
TAIL_ROWS = 200
TAIL_LIMIT = 1_000_000


def parquet_names(con: Any, path: Path) -> list[str]:
    """The names of a Parquet file's columns as the file writes them.

    DuckDB's own names can differ: its identifiers ignore case, so of two columns named
    ``LTR`` and ``ltr`` it calls the second ``ltr_1``. The file's schema keeps them as written
    (the columns of nested ones are skipped).
    """
    rows = con.execute("SELECT name, num_children FROM parquet_schema(?)", [str(path)]).fetchall()
    names, i, top = [], 1, int(rows[0][1] or 0) if rows else 0

    def skip(j: int) -> int:  # the row after field j and all its descendants
        k = j + 1
        for _ in range(int(rows[j][1] or 0)):
            k = skip(k)
        return k

    for _ in range(top):
        names.append(str(rows[i][0]))
        i = skip(i)
    return names


def parquet_summaries(con: Any, path: Path, rows: int) -> list[tuple[int, str]]:
    """The summary rows (``Total``, ``Average``, ``جمع کل``...) at the end of a Parquet file of ``rows``
    rows, as :func:`~cxlib.data.io._csv.trailing_summaries` gives them (rows from the end, label).

    Only the file's last rows are read, in its order (DuckDB skips the row groups before them):
    :data:`TAIL_ROWS` of them, and more only while every row read is blank (a total above
    hundreds of blank rows), so a file of ten million rows costs about 15 milliseconds.
    """
    window = TAIL_ROWS
    while rows > 0:
        take = min(window, rows)
        got = con.execute(f"SELECT * FROM read_parquet(?) LIMIT {take} OFFSET {rows - take}", [str(path)]).fetchall()
        if take == rows or window >= TAIL_LIMIT or any(not all(map(blank_cell, r)) for r in got):
            return trailing_summaries(reversed(got))
        window *= 5
    return []


def _plain(s: pd.Series) -> pd.Series:
    """NumPy dtypes for pandas' nullable ones (Int32 with <NA> -> float64 with NaN, ...)."""
    dt = s.dtype
    if isinstance(dt, pd.api.extensions.ExtensionDtype) and not isinstance(dt, pd.CategoricalDtype):
        if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_integer_dtype(dt) or pd.api.types.is_float_dtype(dt):
            if s.isna().any():
                return s.astype("float64")
            return s.astype("int64" if not pd.api.types.is_float_dtype(dt) else "float64")
        return s.astype(object).where(s.notna(), np.nan)
    if pd.api.types.is_datetime64_any_dtype(dt):
        return s.astype("datetime64[ns]") if getattr(s.dt, "tz", None) is None else s
    if pd.api.types.is_object_dtype(dt):
        return s.where(s.notna(), np.nan)
    return s


def read_parquet(
    p: Path,
    kind: str,
    columns: Mapping | None,
    require: Sequence | None,
    opts: ReadOptions,
    rep: Any,
    only: Sequence | None = None,
    limits: Limits = LIMITS,
) -> tuple[pd.DataFrame | None, dict, list]:
    """The raw frame, the column mapping and the problems found while reading."""
    import duckdb

    con = duckdb.connect()
    try:
        described = [str(r[0]) for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(p)]).fetchall()]
        header = parquet_names(con, p)  # as written: DuckDB renames the second of 'LTR' and 'ltr'
        if len(header) != len(described):
            header = described
        got = con.execute("SELECT COUNT(*) FROM read_parquet(?)", [str(p)]).fetchone()
        n = int(got[0]) if got else 0
    except duckdb.Error as exc:
        raise CxError(
            f"{p.name}: not a readable Parquet file ({str(exc).splitlines()[0][:120]}). "
            + ("It looks like text (a CSV?): give it the extension .csv. " if _looks_like_text(p) else "")
            + "Export it again, or as CSV."
        ) from None
    if len(header) > limits.max_columns:
        raise too_big(p.name, f"the file has {len(header):,} columns", f"{limits.max_columns:,} columns")
    if n * len(header) > limits.max_cells:
        raise too_big(p.name, f"{n:,} rows x {len(header):,} columns", f"{limits.max_cells:,} cells")
    file_cols = [clean_header(h) or f"Unnamed: {i}" for i, h in enumerate(header)]
    mapping, problems = resolve(file_cols, kind, columns, require, rep, only)
    dups = duplicate_headers(header, file_cols)
    if dups:
        return None, mapping, dups + problems
    problems = summary_problem(parquet_summaries(con, p, n), n + 1) + problems  # the last row is row n + 1
    df = con.execute("SELECT * FROM read_parquet(?)", [str(p)]).df()
    con.close()
    df.columns = file_cols
    df = pd.DataFrame({c: _plain(df[c]) for c in file_cols})
    df.index = pd.RangeIndex(2, 2 + len(df))
    return df, mapping, problems


def _looks_like_text(p: Path) -> bool:
    """Whether the file starts like text (a CSV saved under a .parquet name), not like Parquet ("PAR1")."""
    with open(p, "rb") as f:
        head = f.read(4096)
    if not head or head.startswith(b"PAR1"):
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text and ("\n" in text or "," in text or ";" in text)

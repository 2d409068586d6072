"""Where the rows are: a CSV or Parquet file, a table in a DuckDB database or in Spark, a DataFrame.

A :class:`Source` names the rows without reading them. For a CSV it reads only the
first lines (the header, the delimiter, blank lines above the header) with the same
rules as :func:`cxlib.data.io.read_table`, so both readers see the same columns.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from cxlib.data.io._columns import case_twins, column_letter, duplicate_headers
from cxlib.data.io._csv import (
    HEAD_SEPS,
    SEP_NAMES,
    TAIL_CHARS,
    _header,
    _leading_blank_lines,
    head_rows,
    import_id_row,
    skip_lines,
    sniff_sep,
    summary_lines,
)
from cxlib.data.io._files import CSV_SUFFIXES, EXCEL_SUFFIXES, check_data_file
from cxlib.data.io._parquet import parquet_names
from cxlib.data.io._text import clean_header
from cxlib.errors import CxError, Problem

PARQUET_SUFFIXES = (".parquet", ".pq")
#: How much of a CSV is read to find its header, delimiter and encoding.
PROBE_BYTES = 1 << 20


@dataclass
class Source:
    """A table to aggregate, named but not read.

    Attributes
    ----------
    kind : {"csv", "parquet", "duckdb", "spark", "frame"}
        What holds the rows.
    name : str
        How reports name it (the file name, or ``database:table``).
    path : pathlib.Path, optional
        The file (CSV, Parquet, or the DuckDB database file).
    table : str, optional
        The table name (DuckDB database or Spark catalog).
    columns : list of str
        The column names as an analyst sees them (headers trimmed).
    sep, encoding : str, optional
        The CSV's delimiter and encoding.
    lead : int
        Lines above a CSV's header: blank ones, and a title block skipped with ``skip_rows``
        (they count in spreadsheet row numbers).
    skipped : int
        Lines above a CSV's header when a title block was skipped on request (``skip_rows``;
        blank lines below the title included), else 0.
    head : list of lists of lists of str
        A CSV's first lines from its header on, split with each usual delimiter (for the
        header-row hint).
    problems : list of Problem
        What makes the header unusable (duplicate column names).
    summary : list of (int, str)
        The summary rows below the data (Total, Average): each one's distance from the last
        row and its label; a CSV's are found in the file's last bytes when it is opened
        (:func:`cxlib.data.io._csv.summary_lines`), a Parquet file's in its last rows once the
        scan has counted them (:func:`cxlib.data.io._parquet.parquet_summaries`).
    frame : pandas.DataFrame, optional
        The rows, for ``kind="frame"``.
    spark : object, optional
        The Spark session that holds a Spark table.
    raw_header : list of str
        A CSV's header cells as written, before trimming (for the duplicate-name check).
    unsupported : str, optional
        Why the in-memory reader must read this CSV instead (an empty file, an encoding
        DuckDB does not read, ...); ``None`` when the engine can read it.
    """

    kind: str
    name: str
    path: Path | None = None
    table: str | None = None
    columns: list = field(default_factory=list)
    raw_header: list = field(default_factory=list)
    sep: str | None = None
    encoding: str | None = None
    lead: int = 0
    skipped: int = 0
    head: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    summary: list = field(default_factory=list)
    frame: Any = None
    spark: Any = None
    #: why the in-memory reader must read this CSV instead (an encoding DuckDB does not read, ...)
    unsupported: str | None = None

    @property
    def size(self) -> int:
        """Bytes of the file (0 for tables and frames)."""
        return self.path.stat().st_size if self.path is not None and self.kind in ("csv", "parquet") else 0

    def first_row(self) -> int:
        """The spreadsheet row number of the first data row (header = row 1, after any blank lines)."""
        return 2 + self.lead


def _probe_csv(p: Path, sep: str | None, encoding: str | None, skip_rows: int = 0) -> Source:
    """Header, delimiter and encoding of a CSV from its first bytes."""
    with open(p, "rb") as f:
        head = f.read(PROBE_BYTES)
    src = Source("csv", p.name, path=p)
    if encoding and codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig", "ascii"):
        src.unsupported = f"the encoding {encoding} (DuckDB reads UTF-8)"
        return src
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or head[:4] == b"PK\x03\x04" or b"\x00" in head:
        src.unsupported = "a file that is not UTF-8 text"
        return src
    bom = head.startswith(codecs.BOM_UTF8)
    try:  # the probe may end inside a character: drop up to 3 trailing bytes
        text = head.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:
            src.unsupported = "a file that is not UTF-8 (its encoding is decided by the full reader)"
            return src
        text = head[: exc.start].decode("utf-8-sig" if bom else "utf-8")
    src.encoding = "utf-8-sig" if bom else "utf-8"
    if "\r" in text and "\n" not in text:
        src.unsupported = "old Mac line endings (a line break written as CR alone)"
        return src
    if not text.strip():
        src.unsupported = "an empty file"
        return src
    cut = skip_lines(text, skip_rows) if skip_rows else 0
    if '"' in text[:cut]:  # DuckDB would read the title's quotes as CSV quoting (and count its lines so)
        src.unsupported = "quotes in the title block above the header (--skip-rows)"
        return src
    if not text[cut:].strip():
        src.unsupported = "a title block (--skip-rows) longer than the file's first 1 MB"
        return src
    lead, begin = _leading_blank_lines(text[cut:])
    lead, begin = lead + text[:cut].count("\n"), begin + cut
    end = text.find("\n", begin)
    if end < 0 and len(head) == PROBE_BYTES:
        src.unsupported = "a header longer than 1 MB"
        return src
    first = text[begin : end if end >= 0 else len(text)]
    src.sep = SEP_NAMES.get(sep, sep) if sep else sniff_sep(first[:65536])
    header = _header(text, begin, src.sep)
    if "\n" in "".join(header):
        src.unsupported = "a header with a line break inside a quoted name"
        return src
    src.lead, src.skipped = lead, lead if skip_rows else 0
    src.head = head_rows(text, begin)
    third = src.head[HEAD_SEPS.index(src.sep)][2:3] if src.sep in HEAD_SEPS else []
    if third and import_id_row(third[0]):
        src.unsupported = "a Qualtrics export's question wording and import ids below the header"
        return src
    src.raw_header = header
    src.columns = [clean_header(h) or f"Unnamed: {column_letter(i)}" for i, h in enumerate(header)]
    src.unsupported = _case_twins_reason(src.columns)
    if src.unsupported:
        return src
    src.problems = duplicate_headers(header, src.columns)
    src.summary = _summary(p, src.sep, head if len(head) < PROBE_BYTES else None)
    return src


def _parquet_source(p: Path) -> Source:
    """A Parquet file; left to the in-memory reader when two column names differ only in case
    (DuckDB's identifiers ignore case, so it would read one of them under another name)."""
    import duckdb

    src = Source("parquet", p.name, path=p)
    try:
        with duckdb.connect() as con:
            src.unsupported = _case_twins_reason(parquet_names(con, p))
    except duckdb.Error:  # not a Parquet file: said when the database reads it
        pass
    return src


def _case_twins_reason(names: list[str]) -> str | None:
    """Why the in-memory reader must read a file whose column names differ only in case (None: they do not).

    DuckDB's identifiers ignore case; the in-memory reader tells 'Plan' from 'plan'.
    """
    twins = case_twins(names)
    return f"columns whose names differ only in case ({', '.join(map(repr, twins[:4]))})" if twins else None


def _summary(p: Path, sep: str, whole: bytes | None = None) -> list:
    """A CSV's summary lines below its data (:func:`~cxlib.data.io._csv.summary_lines`), from its last
    bytes (``whole``: the file's bytes, when the probe read them all)."""
    if whole is None:
        with open(p, "rb") as f:
            f.seek(max(0, p.stat().st_size - 4 * TAIL_CHARS))
            whole = f.read()
    return summary_lines(whole[-4 * TAIL_CHARS :].decode("utf-8", errors="ignore")[-TAIL_CHARS:], sep)


def open_source(
    path: str | PathLike | None = None,
    *,
    table: str | None = None,
    database: str | PathLike | None = None,
    spark: Any = None,
    sep: str | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
) -> Source:
    """Name the rows to aggregate: a file, a DuckDB table or a Spark table.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV (``.csv``, ``.txt``, ``.tsv``) or Parquet (``.parquet``) file.
    table : str, optional
        A table name: in the DuckDB database ``database``, or in the Spark catalog of
        ``spark`` (``db.table`` works for both).
    database : str or path-like, optional
        A DuckDB database file (opened read-only) holding ``table``.
    spark : pyspark.sql.SparkSession, optional
        The Spark session whose catalog holds ``table``.
    sep, encoding : str, optional
        A CSV's delimiter and encoding (detected when omitted).
    skip_rows : int, default 0
        Lines above a CSV's header to skip (a title block).

    Returns
    -------
    Source

    Raises
    ------
    CxError
        For a missing file or an unsupported file type, or when neither or both of a
        file and a table are given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = f.write_text("response_id;Q1 Likelihood\\nR1;9\\n")
    >>> src = open_source(f)
    >>> src.kind, src.sep, src.columns
    ('csv', ';', ['response_id', 'Q1 Likelihood'])
    """
    if (path is None) == (table is None):
        raise CxError("give either a file or a table (--table NAME, with --database FILE for a DuckDB database).")
    if table is not None:
        if not str(table).strip():
            raise CxError("the table name is empty; give --table NAME.")
        if spark is not None:
            if not spark.catalog.tableExists(str(table)):
                tables = [t.name for t in spark.catalog.listTables()][:20]
                raise CxError(
                    f"Spark's catalog has no table {table!r}; its tables: {', '.join(tables) or 'none'}. "
                    "Give one of them with --table."
                )
            return Source("spark", str(table), table=str(table), spark=spark)
        if database is None:
            raise CxError(
                f"the table {table!r} needs a database: --database FILE.duckdb (a DuckDB database file), "
                "or --engine spark for a table in Spark's catalog."
            )
        db = check_data_file(database, (".duckdb", ".db", ".ddb"))
        _check_duckdb_table(db, str(table))
        return Source("duckdb", f"{db.name}:{table}", path=db, table=str(table))
    p = check_data_file(path, CSV_SUFFIXES + EXCEL_SUFFIXES + PARQUET_SUFFIXES)  # type: ignore[arg-type]
    suffix = p.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return _parquet_source(p)
    if suffix in EXCEL_SUFFIXES:
        raise CxError(
            f"{p.name}: the engine reads CSV and Parquet files; an Excel workbook is read in memory "
            "(cxlib.data.io.read_table), or save it as CSV."
        )
    src = _probe_csv(p, sep, encoding, skip_rows)
    if skip_rows and spark is not None and src.unsupported is None:
        src.unsupported = "a title block above the header (--skip-rows), which Spark's CSV reader cannot skip"
    return src


def _check_duckdb_table(db: Path, table: str) -> None:
    """Refuse a database DuckDB cannot open, or a table it does not hold (naming the tables it does)."""
    import duckdb

    from cxlib.data.engine._sql import DUCKDB

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise CxError(
            f"{db.name}: DuckDB cannot open it as a database ({str(exc).splitlines()[0][:160]}). "
            "Give a DuckDB database file with --database."
        ) from None
    try:
        name = ".".join(DUCKDB.ident(part) for part in table.split(".") if part)
        try:
            con.execute(f"SELECT * FROM {name} LIMIT 0")
        except duckdb.CatalogException:
            rows = con.execute(
                "SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2"
            ).fetchall()
            names = [t if schema == "main" else f"{schema}.{t}" for schema, t in rows]
            listed = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "") if names else "none"
            raise CxError(
                f"{db.name} has no table {table!r}; its tables: {listed}. Give one of them with --table."
            ) from None
    finally:
        con.close()


def frame_source(df: Any, name: str = "data") -> Source:
    """A pandas DataFrame as a source (row numbers count from 2, as in a spreadsheet).

    Parameters
    ----------
    df : pandas.DataFrame
        The rows; its column names are used as text.
    name : str, default "data"
        How reports name it.

    Returns
    -------
    Source
        A source of kind ``"frame"`` holding ``df``.

    Raises
    ------
    CxError
        Two columns have the same name.

    Examples
    --------
    >>> import pandas as pd
    >>> frame_source(pd.DataFrame({"ltr": [9, 3]})).columns
    ['ltr']
    """
    cols = [str(c) for c in df.columns]
    if len(set(cols)) != len(cols):
        raise CxError(f"{name}: duplicate column names; a table needs one column per name.")
    return Source("frame", name, columns=cols, frame=df)


def header_problems(src: Source) -> list[Problem]:
    """Problems of the header itself (duplicate names)."""
    return list(src.problems)

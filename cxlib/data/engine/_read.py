"""Which reader reads a source: the in-memory one (small files, Excel) or the engine (big files, Parquet, tables).

:func:`choose_engine` decides; :func:`validate_source` validates a source with the
reader chosen and returns the same :class:`~cxlib.data.io.ReadReport` either way.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from cxlib.data.engine._scan import Scan, scan
from cxlib.data.engine._source import PARQUET_SUFFIXES, Source, open_source
from cxlib.data.io import ReadReport, check_read_options, read_options, validate_file
from cxlib.errors import CxError

#: CSV files from this size on are read by the engine (DuckDB) unless told otherwise.
#: The in-memory reader holds about 500 bytes per cell; DuckDB streams the file.
LARGE_FILE_BYTES = 64 * 1024**2
ENGINES = ("auto", "memory", "duckdb", "spark")


def large_file_bytes() -> int:
    """The size from which a CSV goes to the engine (``CX_ENGINE_MIN_MB`` overrides it).

    Returns
    -------
    int
        A number of bytes: ``CX_ENGINE_MIN_MB`` megabytes when that variable is set, else
        :data:`LARGE_FILE_BYTES` (64 MB).

    Raises
    ------
    CxError
        ``CX_ENGINE_MIN_MB`` is not a number.
    """
    value = os.environ.get("CX_ENGINE_MIN_MB")
    if value:
        try:
            return int(float(value) * 1024**2)
        except ValueError:
            raise CxError(f"CX_ENGINE_MIN_MB must be a number of megabytes; got {value!r}.") from None
    return LARGE_FILE_BYTES


def choose_engine(path: str | PathLike | None = None, *, table: str | None = None, engine: str = "auto") -> str:
    """``"memory"``, ``"duckdb"`` or ``"spark"``: which reader reads this source.

    ``"auto"`` reads a table, a Parquet file or a CSV of :func:`large_file_bytes` or more
    with DuckDB, and anything else (a smaller CSV, an Excel workbook) in memory.

    Parameters
    ----------
    path : str or path-like, optional
        The file to read; give it or ``table``, not both.
    table : str, optional
        A table name (in a DuckDB database or the Spark catalog).
    engine : {"auto", "memory", "duckdb", "spark"}, default "auto"
        The reader asked for; anything but ``"auto"`` is returned as it is (a table cannot
        be read ``"memory"``).

    Returns
    -------
    str
        ``"memory"``, ``"duckdb"`` or ``"spark"``.

    Raises
    ------
    CxError
        An unknown engine, both or neither of a file and a table, or a table read in memory.

    Examples
    --------
    >>> choose_engine("survey.xlsx"), choose_engine("survey.parquet"), choose_engine(table="t")
    ('memory', 'duckdb', 'duckdb')
    """
    if engine not in ENGINES:
        raise CxError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}.")
    if table is not None and path is not None:
        raise CxError("give either a file or --table, not both.")
    if table is None and path is None:
        raise CxError("give a file, or a table with --table NAME (and --database FILE for a DuckDB database).")
    if engine == "memory" and table is not None:
        raise CxError("a table is read by DuckDB or Spark, not in memory: use --engine duckdb or --engine spark.")
    if engine != "auto":
        return engine
    if table is not None:
        return "duckdb"
    p = Path(path)  # type: ignore[arg-type]
    suffix = p.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return "duckdb"
    if suffix in (".csv", ".txt", ".tsv") and p.is_file() and p.stat().st_size >= large_file_bytes():
        return "duckdb"
    return "memory"


def spark_session() -> Any:
    """The running Spark session, or a new local one (``CX_SPARK_MASTER``, default ``local[*]``).

    Returns
    -------
    pyspark.sql.SparkSession
        The active session, else a new one without the web UI or progress bars, logging
        errors only.

    Raises
    ------
    CxError
        pyspark is not installed (the message says how to install it).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise CxError(
            "Spark is not installed: install the optional extra with `pip install -e .[spark]` (or `make extras`) "
            "and a Java 17+ runtime."
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = (
        SparkSession.builder.master(os.environ.get("CX_SPARK_MASTER", "local[*]"))
        .appName("cx")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .config("spark.log.level", "ERROR")  # from the start: no warnings on the analyst's terminal
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def source_for(
    path: str | PathLike | None = None,
    *,
    table: str | None = None,
    database: str | PathLike | None = None,
    engine: str = "duckdb",
    sep: str | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
) -> Source:
    """The :class:`Source` of a file or table for the engine chosen.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV or Parquet file; give it or ``table``.
    table : str, optional
        A table: in the DuckDB ``database``, or in the Spark catalog with ``engine="spark"``.
    database : str or path-like, optional
        The DuckDB database file holding ``table`` (not for Spark).
    engine : {"duckdb", "spark"}, default "duckdb"
        The engine that will read it; ``"spark"`` opens :func:`spark_session`, which reads the
        file (CSV or Parquet) or the table of its catalog.
    sep, encoding : str, optional
        The CSV's delimiter and encoding (default: decided from the file).
    skip_rows : int, default 0
        Lines above a CSV's header to skip (a title block).

    Returns
    -------
    Source
        The named, not yet read, table.

    Raises
    ------
    CxError
        A Spark table given with a DuckDB ``database``, or a source that cannot be opened.
    """
    if engine == "spark" and table is not None and database is not None:
        raise CxError("--database names a DuckDB database; a Spark table is named with --table alone.")
    spark = spark_session() if engine == "spark" else None
    src = open_source(
        path, table=table, database=database, spark=spark, sep=sep, encoding=encoding, skip_rows=skip_rows
    )
    if spark is not None and src.spark is None:  # a file that Spark reads (CSV or Parquet)
        src = dataclasses.replace(src, spark=spark)
    return src


def validate_source(
    path: str | PathLike | None,
    kind: str,
    columns: Mapping[str, str] | None = None,
    *,
    require: Sequence[str] | None = None,
    only: Sequence[str] | None = None,
    table: str | None = None,
    database: str | PathLike | None = None,
    engine: str = "auto",
    sheet: str | int | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    skip_rows: int = 0,
    keep: Sequence[Sequence[str]] | None = None,
    read_fallback: bool = True,
) -> tuple[ReadReport, Scan | None]:
    """Validate a file or a table with the reader :func:`choose_engine` picks.

    Returns the read report and, when the engine read the source, its :class:`Scan`
    (for the count queries); ``None`` when the in-memory reader read it. A file whose
    values the engine leaves to the in-memory reader (a decimal comma, day/month dates,
    ...) is read in memory; a table with such values is an error saying which.

    Parameters
    ----------
    path : str or path-like or None
        The CSV, Excel or Parquet file; ``None`` with ``table``.
    kind : str
        The schema kind to validate against (:mod:`cxlib.data.schemas`).
    columns : mapping, optional
        Schema column -> the source's column, for columns named differently.
    require : sequence of str, optional
        Optional schema columns that this analysis needs.
    only : sequence of str, optional
        Validate only these schema columns (and require them).
    table : str, optional
        A table instead of a file (in ``database``, or the Spark catalog).
    database : str or path-like, optional
        The DuckDB database file holding ``table``.
    engine : {"auto", "memory", "duckdb", "spark"}, default "auto"
        The reader (see :func:`choose_engine`).
    sheet : str or int, optional
        The Excel sheet to read (in-memory reader only).
    sep, decimal : str, optional
        CSV delimiter and decimal mark (default: decided from the file).
    dayfirst : bool, optional
        Day before month in ambiguous dates (default: decided per column).
    encoding : str, optional
        Text encoding (default: detected).
    skip_rows : int, default 0
        Lines (CSV) or rows (Excel) above the header row to skip (a title block).
    keep : sequence of sequences of str, optional
        Combinations of columns (e.g. ``[("plan", "ltr")]``) whose count tables will be asked
        of the scan: the engine counts them in the same pass over the data (see
        :func:`~cxlib.data.engine.scan`).
    read_fallback : bool, default True
        When the engine leaves a file to the in-memory reader, validate it so (the full
        report). False returns at once a report that only says why (``in_memory_because``),
        for a caller that reads the file in memory next anyway (once, not twice).

    Returns
    -------
    report : ReadReport
        What reading did; ``report.ok`` and ``report.problems`` say whether the source is valid.
    scan : Scan or None
        The engine's scan, for the count queries; ``None`` when the in-memory reader read it.

    Raises
    ------
    CxError
        The source cannot be read at all, or a table holds values only the in-memory
        reader understands.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = f.write_text("response_id,survey_date,ltr\\nR1,2024-01-05,9\\n")
    >>> rep, s = validate_source(f, "nps_surveys", engine="duckdb")
    >>> rep.ok, rep.rows, s is not None
    (True, 1, True)
    """
    read_options(skip_rows=skip_rows)  # a whole number in range, or a clear error
    check_read_options(path, sheet=sheet, sep=sep, encoding=encoding, skip_rows=skip_rows)
    which = choose_engine(path, table=table, engine=engine)
    read = dict(sheet=sheet, sep=sep, decimal=decimal, dayfirst=dayfirst, encoding=encoding, skip_rows=skip_rows)
    if which == "memory":
        return validate_file(path, kind, columns, require=require, only=only, **read), None  # type: ignore[arg-type]
    if path is not None and Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return validate_file(path, kind, columns, require=require, only=only, **read), None  # type: ignore[arg-type]
    src = source_for(
        path, table=table, database=database, engine=which, sep=sep, encoding=encoding, skip_rows=skip_rows
    )
    s = scan(
        src,
        kind,
        dict(columns or {}),
        require=list(require or []) or None,
        only=list(only) if only is not None else None,
        decimal=decimal,
        dayfirst=dayfirst,
        engine=which,
        keep=[tuple(k) for k in keep or []] or None,
    )
    if s.fallback is None:
        return s.report, s
    if src.kind in ("csv", "parquet"):
        if read_fallback:
            report = validate_file(path, kind, columns, require=require, only=only, **read)  # type: ignore[arg-type]
        else:
            report = ReadReport(source=src.name, kind=kind)
        report.in_memory_because = s.fallback  # said, not silent: memory grows with the rows
        return report, None
    raise CxError(
        f"{src.name}: the table holds {s.fallback}. Clean those values in the database (numbers with a '.' "
        "decimal point, dates as YYYY-MM-DD), or export the table to a file and read that."
    )

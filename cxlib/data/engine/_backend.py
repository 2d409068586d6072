"""The two backends: DuckDB (embedded, the default) and Apache Spark (PySpark, optional).

Each one turns a :class:`~cxlib.data.engine._source.Source` into a view whose
columns carry the analyst's names, runs SQL on it and returns a small pandas
DataFrame (a count table, or a handful of example rows). Nothing else differs.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from cxlib.data.engine._source import Source
from cxlib.data.engine._sql import DUCKDB, SPARK, Dialect
from cxlib.errors import CxError

_names = itertools.count()

#: What the backends' column types mean to the engine.
_TYPES = {
    "VARCHAR": "text",
    "STRING": "text",
    "BOOLEAN": "bool",
    "DATE": "date",
}


def simple_type(name: str) -> str:
    """'text', 'int', 'float', 'bool', 'date', 'timestamp' or 'other' for a backend's type name."""
    t = str(name).upper()
    if t in _TYPES:
        return _TYPES[t]
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    if t.startswith("DECIMAL") or t in ("DOUBLE", "FLOAT", "REAL"):
        return "float"
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"):
        return "int"
    if t in ("INT", "LONG", "SHORT", "BYTE"):
        return "int"
    return "other"


#: How much memory an engine's DuckDB holds before it spills to disk (``CX_ENGINE_MEMORY`` overrides it).
#: A query that cannot work within it (an operator that cannot spill) runs again without the limit.
ENGINE_MEMORY = "128MB"


def engine_memory_limit() -> str:
    """DuckDB's memory limit for the engine: ``CX_ENGINE_MEMORY`` (e.g. ``"2GB"``) or :data:`ENGINE_MEMORY`.

    Returns
    -------
    str
        A DuckDB memory size such as ``"128MB"``.

    Raises
    ------
    CxError
        ``CX_ENGINE_MEMORY`` is not a size such as 512MB or 2GB.

    Examples
    --------
    >>> engine_memory_limit()
    '128MB'
    """
    import os
    import re

    value = os.environ.get("CX_ENGINE_MEMORY", "").strip() or ENGINE_MEMORY
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, flags=re.IGNORECASE):
        raise CxError(f"CX_ENGINE_MEMORY must be a size such as 512MB or 2GB; got {value!r}.")
    return value


class Backend:
    """What both backends provide."""

    name = "backend"
    dialect: Dialect

    def view(self, src: Source) -> str:
        """The name of a view over ``src`` whose columns are ``src.columns``."""
        raise NotImplementedError

    def ordered_view(self, src: Source) -> str:
        """A view over ``src`` with ``__ord``: each row's position in the source (0 = first)."""
        raise NotImplementedError

    def types(self, src: Source) -> dict[str, str]:
        """Column -> simple type (see :func:`simple_type`)."""
        raise NotImplementedError

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql``; the result as a pandas DataFrame."""
        raise NotImplementedError

    def materialize(self, name: str, sql: str) -> None:
        """Keep the result of ``sql`` as the table ``name`` (for the queries that follow)."""
        raise NotImplementedError


class DuckDBBackend(Backend):
    """DuckDB in this process: files are read where they are, nothing is loaded first.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection, optional
        An open connection (default: a new in-memory database).
    threads : int, optional
        DuckDB's setting of that name (default: DuckDB's own, one per core).
    memory_limit : str, optional
        How much memory DuckDB may hold before it writes to disk (e.g. ``"1GB"``); default
        :func:`engine_memory_limit` for a new database. Grouping ten million ids holds about
        600 MB; with a limit DuckDB spills what does not fit to a temporary folder (removed
        when the connection closes), so memory stays flat as the rows grow. A query that
        cannot work within the limit runs again without it.
    """

    name = "duckdb"
    dialect = DUCKDB

    def __init__(self, connection: Any = None, *, threads: int | None = None, memory_limit: str | None = None):
        import duckdb

        self.con = connection if connection is not None else duckdb.connect()
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if connection is None and memory_limit is None:
            memory_limit = engine_memory_limit()
        self._limited = bool(memory_limit)
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
            if connection is None:  # spill to a folder of our own, not to '.tmp' in the analyst's folder
                import shutil
                import tempfile
                import weakref

                spill = tempfile.mkdtemp(prefix="cx-duckdb-")
                self.con.execute(f"SET temp_directory = {self.dialect.string(spill)}")
                weakref.finalize(self, shutil.rmtree, spill, True)
        self.con.execute("SET enable_progress_bar = false")
        self._views: dict[int, tuple[str, str]] = {}

    def _from(self, src: Source) -> str:
        d = self.dialect
        if src.kind == "csv":
            cols = ", ".join(f"{d.string(f'c{i}')}: 'VARCHAR'" for i in range(len(src.columns)))
            opts = (
                f"header = false, auto_detect = false, columns = {{{cols}}}, delim = {d.string(src.sep or ',')}, "
                f"quote = '\"', escape = '\"', skip = {src.lead + 1}, strict_mode = true"
            )
            names = ", ".join(f"c{i} AS {d.ident(c)}" for i, c in enumerate(src.columns))
            return f"(SELECT {names} FROM read_csv({d.string(str(src.path))}, {opts}))"
        if src.kind == "parquet":
            return f"read_parquet({d.string(str(src.path))})"
        if src.kind == "duckdb":
            alias = f"cxdb{next(_names)}"
            self.con.execute(f"ATTACH {d.string(str(src.path))} AS {alias} (READ_ONLY)")
            parts = [p for p in str(src.table).split(".") if p]
            return ".".join([alias] + [d.ident(p) for p in parts])
        if src.kind == "frame":
            alias = f"cxframe{next(_names)}"
            self.con.register(alias, src.frame)
            return alias
        raise CxError(f"DuckDB cannot read a source of kind {src.kind!r}.")

    def _ensure(self, src: Source) -> tuple[str, str]:
        key = id(src)
        if key not in self._views:
            name = f"cxsrc{next(_names)}"
            base = self._from(src)
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {base}")
            if src.kind in ("duckdb", "frame", "parquet") and not src.columns:
                src.columns = [r[0] for r in self.con.execute(f"DESCRIBE {name}").fetchall()]
            # a Parquet file's own row numbers, unless a column of the file has their name
            if src.kind == "parquet" and "file_row_number" not in {str(c).lower() for c in src.columns}:
                ordered = (
                    f"SELECT * EXCLUDE (file_row_number), file_row_number AS __ord FROM "
                    f"read_parquet({self.dialect.string(str(src.path))}, file_row_number = true)"
                )
            else:
                ordered = f"SELECT *, row_number() OVER () - 1 AS __ord FROM {name}"
            self._views[key] = (name, ordered)
        return self._views[key]

    def view(self, src: Source) -> str:
        return self._ensure(src)[0]

    def ordered_view(self, src: Source) -> str:
        return f"({self._ensure(src)[1]})"

    def types(self, src: Source) -> dict[str, str]:
        name = self.view(src)
        return {r[0]: simple_type(r[1]) for r in self.con.execute(f"DESCRIBE {name}").fetchall()}

    def _execute(self, sql: str) -> Any:
        """Run ``sql``; a query that cannot stay within the memory limit runs again without it."""
        import duckdb

        try:
            return self.con.execute(sql)
        except duckdb.OutOfMemoryException:
            if not self._limited:
                raise
            self._limited = False
            self.con.execute("RESET memory_limit")  # DuckDB's own default: most of the machine's memory
            return self.con.execute(sql)

    def query(self, sql: str) -> pd.DataFrame:
        return self._execute(sql).df()

    def materialize(self, name: str, sql: str) -> None:
        self._execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


class SparkBackend(Backend):
    """Apache Spark through PySpark: a cluster, or local mode on one machine.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        The session to run on (``SparkSession.builder.master("local[2]").getOrCreate()``
        on a laptop).
    """

    name = "spark"
    dialect = SPARK

    def __init__(self, spark: Any):
        self.spark = spark
        self._views: dict[int, str] = {}

    def _frame(self, src: Source) -> Any:
        reader = self.spark.read
        if src.kind == "csv":
            df = (
                reader.option("header", True)
                .option("sep", src.sep or ",")
                .option("quote", '"')
                .option("escape", '"')
                .option("multiLine", True)
                .option("inferSchema", False)
                .option("mode", "FAILFAST")
                .option("ignoreLeadingWhiteSpace", False)
                .option("ignoreTrailingWhiteSpace", False)
                .option("encoding", "UTF-8")
                .csv(str(src.path))
            )
            return df.toDF(*src.columns)
        if src.kind == "parquet":
            df = reader.parquet(str(src.path))
        elif src.kind == "spark":
            df = self.spark.table(str(src.table))
        elif src.kind == "frame":
            df = self.spark.createDataFrame(src.frame)
        else:
            raise CxError(f"Spark cannot read a source of kind {src.kind!r}.")
        if not src.columns:
            src.columns = list(df.columns)
        return df

    def view(self, src: Source) -> str:
        key = id(src)
        if key not in self._views:
            name = f"cxsrc{next(_names)}"
            self._frame(src).createOrReplaceTempView(name)
            self._views[key] = name
        return self._views[key]

    def ordered_view(self, src: Source) -> str:
        name = self.view(src)
        return f"(SELECT *, row_number() OVER (ORDER BY monotonically_increasing_id()) - 1 AS __ord FROM {name})"

    def types(self, src: Source) -> dict[str, str]:
        df = self.spark.table(self.view(src))
        return {f.name: simple_type(_spark_type(f.dataType)) for f in df.schema.fields}

    def materialize(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)
        self.spark.catalog.cacheTable(name)

    def query(self, sql: str) -> pd.DataFrame:
        rows = self.spark.sql(sql).collect()
        cols = list(self.spark.sql(sql).columns) if not rows else list(rows[0].__fields__)
        out = pd.DataFrame([tuple(r) for r in rows], columns=cols)
        for c in out.columns:  # Spark returns Decimal for SUM over DECIMAL and None for NULL
            if out[c].dtype == object and len(out) and all(isinstance(v, (int, float, np.integer)) for v in out[c]):
                out[c] = pd.to_numeric(out[c])
        return out


def _spark_type(t: Any) -> str:
    name = type(t).__name__.replace("Type", "").upper()
    return {"LONG": "BIGINT", "INTEGER": "INTEGER", "SHORT": "SMALLINT", "BYTE": "TINYINT"}.get(name, name)


def backend_for(src: Source, engine: Backend | str | None = None) -> Backend:
    """The backend that runs on ``src``: Spark for a Spark table, DuckDB otherwise (or as given)."""
    if isinstance(engine, Backend):
        return engine
    if src.kind == "spark" or engine == "spark":
        if src.spark is None:
            raise CxError("a Spark source needs its Spark session (open_source(..., spark=session)).")
        return SparkBackend(src.spark)
    if engine not in (None, "duckdb"):
        raise CxError(f"unknown engine {engine!r}; choose 'duckdb' or 'spark'.")
    return DuckDBBackend()

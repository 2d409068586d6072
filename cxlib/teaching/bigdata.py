"""A big survey file for lesson 08 ("When the data is big"), written quickly by DuckDB.

The file holds ``rows`` answers drawn (with replacement) from the bundled Simorgh Mobile
survey: row ``i`` copies the answer ``hash(i, seed) mod n`` of the bundled file and gets a
fresh response id (the whole number ``i + 1``, as many survey platforms number their
responses). The columns are ``response_id``, ``survey_date``, ``ltr`` and ``plan``. So its
NPS by plan is the bundled survey's, up to resampling noise, and the same ``rows`` and
``seed`` give the same file, whatever the number of threads.

The answers are picked by position from lists of the bundled columns (no join, no sort), so
ten million rows take about 2 s to write.

:func:`big_surveys_file` keeps the lesson's file in a cache folder (one file per size and seed,
replaced when the bundled survey or this code changes), so running the lesson again neither
writes it again nor leaves another copy behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from os import PathLike
from pathlib import Path

from cxlib.data.cache import cache_dir

__all__ = ["write_big_surveys", "big_surveys_file", "cache_dir", "file_sizes"]


def big_surveys_file(rows: int = 5_000_000, seed: int = 8, folder: str | PathLike[str] | None = None) -> Path:
    """The lesson's big Parquet file of ``rows`` answers: written once into ``folder``, then reused.

    The file lies in a folder named by a digest of the bundled survey and of this module's code,
    so a changed survey or generator writes a new file (and removes the old folder).
    It is written under a temporary name and renamed, so two runs at once never read half a file.

    Parameters
    ----------
    rows : int, default 5,000,000
        Number of answers.
    seed : int, default 8
        Which resample of the bundled answers.
    folder : str or path, optional
        Where to keep it; :func:`cache_dir` when omitted.

    Returns
    -------
    pathlib.Path
        The file (what :func:`write_big_surveys` writes for ``rows`` and ``seed``).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> f = big_surveys_file(rows=1000, folder=folder)
    >>> f.name, big_surveys_file(rows=1000, folder=folder) == f
    ('surveys_big_1000_seed8.parquet', True)
    """
    from cxlib.data import datasets

    rows = int(rows)
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}.")
    where = Path(folder) if folder is not None else cache_dir()
    digest = hashlib.sha256(datasets.data_path("nps_surveys.csv").read_bytes())
    digest.update(Path(__file__).read_bytes())
    home = where / f"big-surveys-{digest.hexdigest()[:12]}"
    path = home / f"surveys_big_{rows}_seed{int(seed)}.parquet"
    if not path.is_file():
        home.mkdir(parents=True, exist_ok=True)
        partial = home / f".{path.name}.{os.getpid()}.partial"
        try:
            write_big_surveys(partial, rows, seed)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        for old in where.glob("big-surveys-*"):
            if old != home and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
    return path


def file_sizes(path: str | PathLike[str], sample: int = 20_000) -> dict[str, float]:
    """What a Parquet survey file takes: on disk, as CSV, and in memory as a pandas table.

    The Parquet size is the file's; the CSV size and the memory are measured on its first
    ``sample`` rows (written as CSV; read into pandas, strings and all) and scaled to every row.

    Parameters
    ----------
    path : str or path
        A Parquet file.
    sample : int, default 20,000
        Rows to measure the CSV and the memory on.

    Returns
    -------
    dict
        ``rows``; ``parquet_bytes``; ``csv_bytes`` and ``pandas_bytes`` (estimates for every row),
        with ``csv_bytes_per_row`` and ``pandas_bytes_per_row``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = write_big_surveys(pathlib.Path(tempfile.mkdtemp()) / "big.parquet", rows=5000)
    >>> sizes = file_sizes(f)
    >>> sizes["rows"], sizes["parquet_bytes"] < sizes["csv_bytes"] < sizes["pandas_bytes"]
    (5000, True)
    """
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute("SELECT COUNT(*) FROM read_parquet(?)", [str(path)]).fetchall()[0][0]
        first = con.execute("SELECT * FROM read_parquet(?) LIMIT ?", [str(path), int(sample)]).df()
    finally:
        con.close()
    n = max(len(first), 1)
    csv_per_row = len(first.to_csv(index=False).encode()) / n
    pandas_per_row = float(first.memory_usage(deep=True, index=False).sum()) / n
    return {
        "rows": int(rows),
        "parquet_bytes": float(Path(path).stat().st_size),
        "csv_bytes": csv_per_row * rows,
        "pandas_bytes": pandas_per_row * rows,
        "csv_bytes_per_row": csv_per_row,
        "pandas_bytes_per_row": pandas_per_row,
    }


def write_big_surveys(path: str | PathLike[str], rows: int = 10_000_000, seed: int = 8) -> Path:
    """Write a ``rows``-row survey file (Parquet, or CSV when ``path`` ends in .csv); return its path.

    Parameters
    ----------
    path : str or path
        Where to write: ``.parquet`` (columnar, compressed, typed) or ``.csv``.
    rows : int, default 10,000,000
        Number of answers.
    seed : int, default 8
        Which resample of the bundled answers.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib, duckdb
    >>> f = write_big_surveys(pathlib.Path(tempfile.mkdtemp()) / "big.parquet", rows=1000)
    >>> duckdb.connect().execute(f"SELECT COUNT(*) FROM read_parquet('{f}')").fetchall()[0][0]
    1000
    """
    import duckdb

    from cxlib.data import datasets
    from cxlib.data.engine._sql import DUCKDB

    rows = int(rows)
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}.")
    out = Path(path)
    fmt = "(HEADER)" if out.suffix.lower() == ".csv" else "(FORMAT PARQUET)"
    base = datasets.load_nps_surveys()[["survey_date", "ltr", "plan"]].reset_index(drop=True)
    base = base.assign(k=range(len(base)), survey_date=base["survey_date"].dt.strftime("%Y-%m-%d"))
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("base", base)
        con.execute(
            f"""COPY (
                WITH answers AS (
                    SELECT list(CAST(survey_date AS DATE) ORDER BY k) AS survey_date,
                           list(CAST(ltr AS INTEGER) ORDER BY k) AS ltr,
                           list(plan ORDER BY k) AS plan
                    FROM base
                )
                SELECT i + 1 AS response_id, a.survey_date[j] AS survey_date, a.ltr[j] AS ltr,
                       a.plan[j] AS plan
                FROM (SELECT i, CAST(hash(i, {int(seed)}) % {len(base)} AS BIGINT) + 1 AS j
                      FROM range({rows}) AS t(i)) AS r, answers AS a
            ) TO {DUCKDB.string(str(out))} {fmt}"""
        )
    finally:
        con.close()
    return out

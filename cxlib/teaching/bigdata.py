"""A big survey file for lesson 08 ("When the data is big"), written quickly by DuckDB.

The file holds ``rows`` answers drawn (with replacement) from the bundled Simorgh Mobile
survey: row ``i`` copies the answer ``hash(i, seed) mod n`` of the bundled file and gets a
fresh response id (the whole number ``i + 1``, as many survey platforms number their
responses). The columns are ``response_id``, ``survey_date``, ``ltr`` and ``plan``. So its
NPS by plan is the bundled survey's, up to resampling noise, and the same ``rows`` and
``seed`` give the same file, whatever the number of threads.

The answers are picked by position from lists of the bundled columns (no join, no sort), so
ten million rows take about 2 s to write.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

__all__ = ["write_big_surveys"]


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
            ) TO '{out}' {fmt}"""
        )
    finally:
        con.close()
    return out

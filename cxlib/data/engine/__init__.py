"""Count tables from big data: the aggregations run where the data are (DuckDB, or Spark).

An NPS, a CSAT share, a churn rate or a control chart needs only *counts* per group
(promoters, passives and detractors; satisfied and answered; defects and n). This
package computes those count tables with SQL, on an embedded DuckDB for files (CSV
and Parquet, read where they are, nothing loaded into pandas first: a 10-million-row
file takes about as much memory as a 10-thousand-row one) or on Apache Spark for data
that live in a cluster. The estimators of :mod:`cxlib.analytics` take the counts.

=============================  ==========================================================
:func:`nps_counts`             ``promoters``, ``passives``, ``detractors``, ``missing``
                               per segment (and the weighted sums ``w_promoters`` ...
                               ``w2_detractors`` of nps.weighted_nps_by_from_counts)
:func:`agent_counts`           ``agent`` [``period``], ``satisfied``, ``answered``, ``missing``
:func:`proportion_counts`      ``successes``, ``n``, ``missing`` per group
:func:`control_chart_counts`   ``period``, ``defects``, ``n``, ``missing``
:func:`churn_counts`           ``churned``, ``customers``, ``unknown`` per group
:func:`scan`                   the read report of :func:`cxlib.data.io.read_table`
                               (every problem, its spreadsheet rows and values),
                               computed in SQL
=============================  ==========================================================

Where the rows are (:func:`open_source`): a CSV or Parquet file, a table in a DuckDB
database file, a table in Spark's catalog, or a DataFrame.

Why plain SQL and not Ibis
--------------------------
Ibis (one dataframe expression compiled for DuckDB, Spark, Postgres, BigQuery,
Snowflake, ...) was tried first. It brings about 220 MB of packages (pyarrow alone is
170 MB), its import takes 2-3 s on a laptop core (longer than the DuckDB query of a
2-million-row file it would run, on every ``cx`` call), and its current release
supports PySpark only below 4.1 while the course pins PySpark 4. The aggregations
themselves are a dozen lines of standard SQL (``SUM(CASE WHEN ...)`` and ``GROUP BY``).
So each is written once, with :mod:`cxlib.data.engine._sql` spelling the few things
DuckDB and Spark SQL write differently (identifier quotes, string escapes, regular
expressions, safe casts); DuckDB is already a dependency and PySpark stays an optional
extra. The count queries use only standard SQL, so a warehouse runs them as they are.

Examples
--------
>>> import pandas as pd
>>> from cxlib.data import engine
>>> df = pd.DataFrame({"plan": ["Basic", "Basic", "Plus"], "ltr": [10, 3, 8]})
>>> engine.nps_counts(df, "ltr", by="plan")
    plan  promoters  passives  detractors  missing
0  Basic          1         0           1        0
1   Plus          0         1           0        0
"""

from cxlib.data.engine._backend import Backend, DuckDBBackend, SparkBackend
from cxlib.data.engine._counts import (
    AGENT_COLUMNS,
    CHURN_COLUMNS,
    CONTROL_COLUMNS,
    NPS_COLUMNS,
    NPS_WEIGHT_COLUMNS,
    PROPORTION_COLUMNS,
    agent_counts,
    churn_counts,
    control_chart_counts,
    nps_counts,
    proportion_counts,
)
from cxlib.data.engine._read import (
    ENGINES,
    LARGE_FILE_BYTES,
    choose_engine,
    large_file_bytes,
    source_for,
    spark_session,
    validate_source,
)
from cxlib.data.engine._scan import Scan, scan
from cxlib.data.engine._source import PARQUET_SUFFIXES, Source, frame_source, open_source

__all__ = [
    "Source",
    "open_source",
    "frame_source",
    "PARQUET_SUFFIXES",
    "Backend",
    "DuckDBBackend",
    "SparkBackend",
    "nps_counts",
    "agent_counts",
    "proportion_counts",
    "control_chart_counts",
    "churn_counts",
    "NPS_COLUMNS",
    "NPS_WEIGHT_COLUMNS",
    "AGENT_COLUMNS",
    "PROPORTION_COLUMNS",
    "CONTROL_COLUMNS",
    "CHURN_COLUMNS",
    "Scan",
    "scan",
    "ENGINES",
    "LARGE_FILE_BYTES",
    "large_file_bytes",
    "choose_engine",
    "source_for",
    "spark_session",
    "validate_source",
]

"""The same count tables on Apache Spark (PySpark, local mode) as on DuckDB, from the same files.

Needs PySpark (``make extras``) and a Java 17+ runtime. Without them the tests are skipped
with a message saying so; under CI (``CI`` set) they fail instead, so CI always runs them.
One Spark session serves the whole module (starting Spark takes most of the time).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from cxlib.data import engine

HOW = (
    "run `make extras` (installs PySpark from requirements/lock-all.txt) and install a Java 17+ runtime "
    "(Debian/Ubuntu: apt-get install default-jre-headless)"
)


def _missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed"
    home = os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java")
    java = home if os.environ.get("JAVA_HOME") and os.access(home, os.X_OK) else shutil.which("java")
    if not java:
        return "no Java runtime (java) was found"
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    major = int(m.group(1)) if m else 0
    major = int(m.group(2)) if m and major == 1 and m.group(2) else major
    if major < 17:
        return f"Java {major or '(unknown version)'} was found; Spark 4 needs Java 17 or newer"
    return None


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Spark tests, but {why}: {HOW}.")
        pytest.skip(f"Spark tests skipped: {why}. To run them, {HOW}.")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("cxlib-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "false")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.warehouse.dir", str(tmp_path_factory.mktemp("spark-warehouse")))  # not the clone
        # start-up over peak speed: no whole-stage code generation, the JVM's quick compiler only
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("spark")
    rng = np.random.default_rng(5)
    n = 4000
    ltr = rng.integers(0, 11, n).astype(object)
    ltr[rng.random(n) < 0.05] = ""
    ltr[rng.random(n) < 0.01] = "N/A"
    df = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n)],
            "survey_date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "ltr": ltr,
            "plan": rng.choice(["Basic", "Plus", "Premium", ""], n),
            "w": rng.uniform(0.5, 2, n).round(2),
            "agent_id": rng.choice([f"A{i:02d}" for i in range(9)], n),
            "csat": rng.integers(1, 6, n),
            "churned": rng.choice(["yes", "no", "churned", "active", ""], n),
        }
    )
    df.to_csv(d / "s.csv", index=False)
    import duckdb

    duckdb.register("df_", df.assign(ltr=pd.to_numeric(df["ltr"], errors="coerce")))
    duckdb.execute(f"COPY df_ TO '{d / 's.parquet'}' (FORMAT parquet)")
    return d


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal tables, whatever integer or float width each backend returns."""
    assert list(a.columns) == list(b.columns)
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    for c in a.columns:
        if pd.api.types.is_numeric_dtype(a[c]) and pd.api.types.is_numeric_dtype(b[c]):
            assert a[c].to_numpy(float) == pytest.approx(b[c].to_numpy(float)), c
        elif pd.api.types.is_datetime64_any_dtype(a[c]):
            assert (pd.to_datetime(a[c]) == pd.to_datetime(b[c])).all(), c
        else:
            assert [None if pd.isna(x) else x for x in a[c]] == [None if pd.isna(x) else x for x in b[c]], c


def test_duckdb_and_spark_count_the_same_csv(spark, files):
    backends = {"duckdb": engine.DuckDBBackend(), "spark": engine.SparkBackend(spark)}
    src = engine.open_source(files / "s.csv")  # one source: Spark reads the file's header once
    runs = [
        lambda e: engine.nps_counts(src, "ltr", by="plan", weight="w", engine=e),
        lambda e: engine.agent_counts(src, period="survey_date", freq="month", engine=e),
        lambda e: engine.churn_counts(src, by="plan", engine=e),
        lambda e: engine.control_chart_counts(src, "csat", "survey_date", defect_max=3, engine=e),
    ]
    for count in runs:
        d, s = count(backends["duckdb"]), count(backends["spark"])
        assert len(d) > 1
        same(d, s)


def test_duckdb_and_spark_count_the_same_parquet_and_table(spark, files):
    f = files / "s.parquet"
    d = engine.nps_counts(f, "ltr", by="plan")
    spark.read.parquet(str(f)).createOrReplaceTempView("cx_surveys")  # Spark reads the Parquet file
    t = engine.nps_counts(engine.open_source(table="cx_surveys", spark=spark), "ltr", by="plan")
    same(d, t)
    assert int(d["promoters"].sum()) == int(
        (pd.read_csv(files / "s.csv")["ltr"].pipe(pd.to_numeric, errors="coerce") >= 9).sum()
    )


def test_nps_summary_of_a_spark_table_equals_the_file(spark, files):
    from cxlib.analytics.summaries import nps_summary

    spark.read.parquet(str(files / "s.parquet")).createOrReplaceTempView("cx_surveys")  # its own table
    by_file = nps_summary(files / "s.parquet", "ltr", by="plan", engine="duckdb")
    by_spark = nps_summary(None, "ltr", by="plan", table="cx_surveys", engine="spark")
    assert by_spark.engine == "spark" and by_spark.read.format == "table"
    assert by_spark.to_dict()["by"] == by_file.to_dict()["by"]


def test_lesson_08_spark_cell_gives_duckdbs_counts(spark, tmp_path, capsys):
    """The Spark cell of lesson 08, as the notebook has it, on a small file of the lesson's kind."""
    from pathlib import Path

    import nbformat

    from cxlib.teaching.bigdata import write_big_surveys

    nb = nbformat.read(Path(__file__).resolve().parents[1] / "notebooks" / "08_when_the_data_is_big.ipynb", 4)
    cell = next(c for c in nb.cells if "spark-example" in c.metadata.get("tags", []))
    big = write_big_surveys(tmp_path / "surveys_big.parquet", rows=5000, seed=8)
    counts = engine.nps_counts(big, "ltr", by="plan")
    ns = {"SPARK": True, "big": big, "engine": engine, "counts": counts}
    exec(compile(cell.source, "lesson 08, Spark cell", "exec"), ns)
    out = capsys.readouterr().out
    assert "Spark's counts equal DuckDB's: True" in out
    same(counts, ns["spark_counts"])
    assert int(ns["spark_counts"][["promoters", "passives", "detractors"]].to_numpy().sum()) == 5000


def test_cx_engine_spark_counts_a_parquet_export_with_spark(spark, tmp_path, capsys, monkeypatch):
    """The README's `cx nps FILE --engine spark`: Spark itself reads the file (no silent fallback)."""
    import json

    from cxlib.cli import main
    from cxlib.simulation import simulate

    simulate(n_customers=300, months=6, seed=2, truth_replicates=5).write(tmp_path, file_format="parquet")
    f = tmp_path / "nps_surveys.parquet"
    spark_queries = []
    query = engine.SparkBackend.query
    monkeypatch.setattr(engine.SparkBackend, "query", lambda self, sql: spark_queries.append(sql) or query(self, sql))
    outs = {}
    for name in ("duckdb", "spark"):
        assert main(["nps", str(f), "--score", "ltr", "--by", "plan", "--json", "--engine", name]) == 0
        outs[name] = json.loads(capsys.readouterr().out)
    assert spark_queries, "--engine spark did not query Spark"
    assert outs["spark"]["by"] == outs["duckdb"]["by"] and outs["spark"]["overall"] == outs["duckdb"]["overall"]


def test_a_table_missing_from_spark_s_catalog_is_named(spark):
    from cxlib.errors import CxError

    with pytest.raises(CxError, match="Spark's catalog has no table 'cx_nosuch_table'; its tables: .*Give one of them"):
        engine.open_source(table="cx_nosuch_table", spark=spark)


def test_spark_counts_repeated_ids_and_their_copies_as_the_other_readers(spark, tmp_path):
    """The copies of an earlier row are counted on the cleaned values (9 and 9.0, NA and blank alike)."""
    from cxlib.data.engine import validate_source

    f = tmp_path / "d.csv"
    f.write_text(
        "response_id,survey_date,ltr,city,note\nR1,2024-01-02,9,NA,007\nR1,2024-01-02,9.0,,7\n"
        "R2,2024-01-03,8,Tehran,\nR2,2024-01-03,5,Tehran,\n"
    )
    by_spark = validate_source(f, "nps_surveys", engine="spark")[0]
    assert by_spark.to_dict() == validate_source(f, "nps_surveys", engine="memory")[0].to_dict()
    assert "1 repeats an earlier row in every checked column" in by_spark.problems[0].fix


def test_spark_cleans_persian_ids_and_spaced_markers_in_parquet_as_the_other_readers(spark, tmp_path):
    """A Parquet file's ids in Persian digits (cleaned once per cell, through Dialect.let) and a blank
    marker with outer spaces: the same report from Spark, DuckDB and the in-memory reader."""
    import duckdb

    from cxlib.data.engine import validate_source

    f = tmp_path / "fa.parquet"
    ids = ["R\u06f1", "R\u06f2", " N/A ", "R2", "R\u06f3 ", "R\u06f4"]
    frame = pd.DataFrame(
        {"response_id": ids, "survey_date": ["2024-01-0" + str(i + 1) for i in range(6)], "ltr": [9, 7, 3, 10, 0, 8]}
    )
    duckdb.register("fa_", frame)
    duckdb.execute(f"COPY fa_ TO '{f}' (FORMAT parquet)")
    reports = {e: validate_source(f, "nps_surveys", engine=e)[0].to_dict() for e in ("memory", "duckdb", "spark")}
    assert reports["spark"] == reports["memory"] == reports["duckdb"]
    assert not reports["spark"]["valid"]  # R۲ is R2 once cleaned, and ' N/A ' is a blank id

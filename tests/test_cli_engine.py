"""cx nps, cx agents and cx validate print the same thing whether the file is read in memory or by DuckDB."""

from __future__ import annotations

import json
import re
import shlex

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from cxlib.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("engine")
    rng = np.random.default_rng(11)
    n = 3000
    ltr = rng.integers(0, 11, n).astype(object)
    ltr[rng.random(n) < 0.04] = ""
    ltr[rng.random(n) < 0.01] = "N/A"
    surveys = pd.DataFrame(
        {
            "ID": [f"R{i}" for i in range(n)],
            "Response date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D"),
            "Q1 Likelihood": ltr,
            "Region": rng.choice(["North", "South", "East", " West "], n),
            "tenure": rng.integers(1, 30, n),
        }
    )
    surveys.loc[7, "Region"] = None
    surveys.to_csv(d / "s.csv", index=False)
    pq = surveys.assign(**{"Q1 Likelihood": pd.to_numeric(surveys["Q1 Likelihood"], errors="coerce")})
    duckdb.register("pq", pq)
    duckdb.execute(f"COPY pq TO '{d / 's.parquet'}' (FORMAT parquet)")
    con = duckdb.connect(str(d / "company.duckdb"))
    con.register("pq", pq)
    con.execute("CREATE TABLE surveys AS SELECT * FROM pq")
    con.close()
    fb = pd.DataFrame(
        {
            "response_id": [f"F{i}" for i in range(n)],
            "Agent Name": rng.choice([f"agent {i}" for i in range(15)], n),
            "CSAT": rng.integers(1, 6, n).astype(float),
        }
    )
    fb.loc[rng.random(n) < 0.02, "CSAT"] = np.nan
    fb.to_csv(d / "fb.csv", index=False)
    (d / "bad.csv").write_text(
        "response_id,survey_date,Q1\nR1,2024-01-01,11\nR2,2024-01-02,abc\n\nR3,2024-01-02,5\nR3,2030-01-01,7\n"
    )
    return d


SURVEY = ["--score", "Q1 Likelihood", "--column", "response_id=ID", "--column", "survey_date=Response date"]
COMMANDS = {
    "nps": ["nps", "{d}/s.csv", *SURVEY, "--by", "region"],
    "nps numeric segments": ["nps", "{d}/s.csv", *SURVEY, "--by", "tenure", "--method", "bootstrap"],
    "nps overall": ["nps", "{d}/s.csv", *SURVEY],
    "nps parquet": ["nps", "{d}/s.parquet", *SURVEY, "--by", "Region"],
    "agents": ["agents", "{d}/fb.csv", "--agent", "Agent Name", "--score", "CSAT"],
    "validate": [
        "validate",
        "nps_surveys",
        "{d}/s.csv",
        "-c",
        "response_id=ID",
        "-c",
        "survey_date=Response date",
        "-c",
        "ltr=Q1 Likelihood",
    ],
    "validate bad": ["validate", "nps_surveys", "{d}/bad.csv", "--column", "ltr=Q1"],
    "nps bad": ["nps", "{d}/bad.csv", "--score", "Q1"],
    "agents bad": ["agents", "{d}/bad.csv", "--agent", "response_id", "--score", "Q1"],
}


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_memory_and_duckdb_print_the_same(capsys, files, name, as_json):
    argv = [a.format(d=files) for a in COMMANDS[name]] + (["--json"] if as_json else [])
    mem = run(capsys, *argv, "--engine", "memory")
    sql = run(capsys, *argv, "--engine", "duckdb")
    assert mem == sql
    assert mem[0] == (2 if "bad" in name else 0)
    if "bad" in name:
        assert re.search(r"rows? 2\b|\"rows\": \[\s*2\b", mem[1] + mem[2]) and "Traceback" not in mem[2]


def test_parquet_and_duckdb_table_without_writing_python(capsys, files):
    """The README's worked example: from a Parquet file (or a DuckDB table) to NPS by segment."""
    code, out, _ = run(capsys, "nps", files / "s.parquet", "--score", "Q1 Likelihood", "--by", "Region", "--json")
    assert code == 0
    by_file = json.loads(out)
    code, out, _ = run(
        capsys,
        "nps",
        "--table",
        "surveys",
        "--database",
        files / "company.duckdb",
        "--score",
        "Q1 Likelihood",
        "--by",
        "Region",
        "--json",
    )
    assert code == 0
    by_table = json.loads(out)
    assert by_table["by"] == by_file["by"] and by_table["overall"] == by_file["overall"]
    assert by_file["read"]["format"] == "parquet" and by_table["read"]["format"] == "table"
    assert {s["segment"] for s in by_file["by"]} == {
        "North",
        "South",
        "East",
        " West ",
        None,
    }  # not a schema column: kept as written
    code, out, _ = run(
        capsys,
        "validate",
        "nps_surveys",
        "--table",
        "surveys",
        "--database",
        files / "company.duckdb",
        "--column",
        "response_id=ID",
        "--column",
        "survey_date=Response date",
        "--column",
        "ltr=Q1 Likelihood",
    )
    assert code == 0 and "database table" in out and "result: valid" in out


def test_table_options_are_checked(capsys, files):
    code, _, err = run(capsys, "nps", "--table", "surveys", "--score", "ltr")
    assert code == 2 and "--database" in err
    code, _, err = run(capsys, "nps", files / "s.csv", "--table", "surveys", "--score", "ltr")
    assert code == 2 and "either a file or --table" in err
    code, _, err = run(capsys, "nps", "--score", "ltr")
    assert code == 2 and "give a file" in err
    code, _, err = run(
        capsys,
        "nps",
        "--table",
        "surveys",
        "--database",
        files / "company.duckdb",
        "--engine",
        "memory",
        "--score",
        "x",
    )
    assert code == 2 and "not in memory" in err
    code, _, err = run(capsys, "nps", "--table", "nope", "--database", files / "company.duckdb", "--score", "ltr")
    assert code == 2 and "nope" in err


def test_big_csv_goes_to_duckdb_by_itself(capsys, files, monkeypatch):
    argv = [a.format(d=files) for a in COMMANDS["nps"]] + ["--json"]
    before = run(capsys, *argv)
    monkeypatch.setenv("CX_ENGINE_MIN_MB", "0.01")
    from cxlib.data import engine

    assert engine.choose_engine(files / "s.csv") == "duckdb"
    assert run(capsys, *argv) == before


def test_the_readme_big_files_example_runs_as_written(tmp_path, monkeypatch, capsys):
    """Issue 16: an analyst follows the README from a Parquet file to NPS by segment without Python."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Big files")[1].split("```bash")[1].split("```")[0]
    lines = [line.split("  #")[0].strip() for line in block.strip().splitlines()]
    assert len(lines) >= 4 and all(line.startswith("cx ") for line in lines), lines
    monkeypatch.chdir(tmp_path)
    for line in lines:
        assert main(shlex.split(line)[1:]) == 0, (line, capsys.readouterr())
    out = capsys.readouterr().out
    assert "NPS of nps_surveys.parquet" in out and "Premium" in out and "result: valid" in out
    table = pd.read_csv(tmp_path / "nps_by_plan.csv")
    assert list(table["segment"]) == ["Basic", "Plus", "Premium", "overall"]
    assert (table["ci_low"] < table["nps"]).all() and (table["nps"] < table["ci_high"]).all()


def test_a_big_file_read_in_memory_says_so(tmp_path, capsys):
    """Day/month dates are decided by the in-memory reader: the file leaves the database path, and the
    analyst is told (memory then grows with the rows), on the command line and in --json."""
    f = tmp_path / "dmy.parquet"
    duckdb.sql(
        "COPY (SELECT 'R' || i AS response_id, strftime(DATE '2024-01-01' + (i % 300)::INT, '%d/%m/%Y') AS survey_date,"
        f" i % 11 AS ltr FROM range(400) t(i)) TO '{f}' (FORMAT PARQUET)"
    )
    code, out, _ = run(capsys, "nps", f, "--score", "ltr")
    assert code == 0 and "note: read into memory, not by the database" in out and "survey_date" in out
    code, out, _ = run(capsys, "nps", f, "--score", "ltr", "--json")
    because = json.loads(out)["read"]["in_memory_because"]
    assert "survey_date" in because and "such as '01/01/2024'" in because  # one value shows what is meant
    iso = tmp_path / "iso.parquet"
    duckdb.sql(
        f"COPY (SELECT i AS response_id, DATE '2024-01-01' + (i % 300)::INT AS survey_date, i % 11 AS ltr FROM range(400) t(i)) TO '{iso}' (FORMAT PARQUET)"
    )
    code, out, _ = run(capsys, "nps", iso, "--score", "ltr", "--json")
    assert code == 0 and json.loads(out)["read"]["in_memory_because"] is None


def test_a_missing_table_or_a_broken_database_is_named_with_what_there_is(tmp_path, capsys):
    db = tmp_path / "co.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE surveys AS SELECT 'R' || i AS response_id, i % 11 AS ltr FROM range(20) t(i)")
        con.execute("CREATE TABLE agents AS SELECT 1 AS a")
    code, _, err = run(capsys, "nps", "--table", "nosuch", "--database", db, "--score", "ltr")
    assert code == 2 and "co.duckdb has no table 'nosuch'; its tables: agents, surveys" in err
    assert "Clean those values" not in err
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    code, _, err = run(capsys, "nps", "--table", "surveys", "--database", bad, "--score", "ltr")
    assert code == 2 and "bad.duckdb: DuckDB cannot open it as a database" in err


def test_nan_in_a_float_score_is_a_blank_answer_on_every_engine(tmp_path, capsys):
    """The in-memory reader counts NaN as blank; the database path did 'out of range' (issue found by an analyst)."""
    f = tmp_path / "nan.parquet"
    duckdb.sql(
        "COPY (SELECT 'R' || i AS response_id, CASE WHEN i % 7 = 0 THEN 'NaN'::DOUBLE ELSE (i % 11)::DOUBLE END "
        f"AS ltr FROM range(300) t(i)) TO '{f}' (FORMAT PARQUET)"
    )
    outs = []
    for engine_name in ("duckdb", "memory"):
        code, out, _ = run(capsys, "nps", f, "--score", "ltr", "--json", "--engine", engine_name)
        assert code == 0
        outs.append(json.loads(out)["overall"])
    assert outs[0] == outs[1] and outs[0]["n"] == 300 - 43


def test_look_alike_labels_a_wrong_scale_and_blank_segments_are_pointed_out(tmp_path, capsys):
    """An analyst's export: 'North'/'NORTH', a 1-5 column given as the NPS score, blank regions."""
    f = tmp_path / "case.parquet"
    duckdb.sql(
        "COPY (SELECT 'R' || i AS response_id, 1 + i % 5 AS ltr, ['North', 'NORTH', NULL][1 + i % 3] AS Region, "
        "['Ali', 'ali', 'Sara'][1 + i % 3] AS agent_id, 1 + i % 5 AS csat "
        f"FROM range(120) t(i)) TO '{f}' (FORMAT PARQUET)"
    )
    code, out, _ = run(capsys, "nps", f, "--score", "ltr", "--by", "Region")
    assert code == 0
    assert "no answer is 7 or more: check that 'ltr' is the 0-10" in out
    assert "segments 'NORTH' and 'North' differ only in case or spaces" in out
    assert "(blank)" in out and " nan " not in out
    code, out, _ = run(capsys, "agents", f)
    assert code == 0 and "agents 'Ali' and 'ali' differ only in case or spaces" in out
    for command in (["agents", f], ["nps", f, "--score", "ltr", "--by", "Region"]):  # --json says it too
        code, out, _ = run(capsys, *command, "--json")
        assert code == 0 and any("differ only in case" in note for note in json.loads(out)["notes"])
    csv = tmp_path / "nps.csv"
    run(capsys, "nps", f, "--score", "ltr", "--by", "Region", "--csv", csv)
    assert "(blank)" in pd.read_csv(csv)["segment"].tolist()


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_empty_rows_are_dropped_once_on_every_engine(tmp_path, capsys, suffix):
    """Rows whose every cell is blank are 'empty dropped' in the read line, not also blank answers of a blank segment."""
    f = tmp_path / f"emp{suffix}"
    fmt = "(FORMAT PARQUET)" if suffix == ".parquet" else "(HEADER)"
    duckdb.sql(
        "COPY (SELECT CASE WHEN i < 2 THEN NULL ELSE 'R' || i END AS response_id, "
        "CASE WHEN i < 2 THEN NULL ELSE i % 11 END AS ltr, CASE WHEN i < 2 THEN NULL ELSE ['A', 'B'][1 + i % 2] END "
        "AS plan, CASE WHEN i < 2 THEN NULL ELSE 'G' || (i % 3) END AS agent_id, "
        f"CASE WHEN i < 2 THEN NULL ELSE 1 + i % 5 END AS csat FROM range(50) t(i)) TO '{f}' {fmt}"
    )
    outs = {}
    for engine_name in ("duckdb", "memory"):
        code, out, _ = run(capsys, "nps", f, "--score", "ltr", "--by", "plan", "--json", "--engine", engine_name)
        assert code == 0
        outs[engine_name] = json.loads(out)
    assert outs["duckdb"]["by"] == outs["memory"]["by"] and len(outs["duckdb"]["by"]) == 2
    assert outs["duckdb"]["overall"] == outs["memory"]["overall"]
    assert outs["duckdb"]["read"]["empty_rows_dropped"] == 2
    code, out, _ = run(capsys, "nps", f, "--score", "ltr", "--by", "plan", "--engine", "duckdb")
    assert "blank answer" not in out and "(blank)" not in out
    agents = {}
    for engine_name in ("duckdb", "memory"):
        code, out, _ = run(capsys, "agents", f, "--json", "--engine", engine_name)
        assert code == 0
        agents[engine_name] = json.loads(out)
    assert agents["duckdb"]["agents"] == agents["memory"]["agents"] and len(agents["duckdb"]["agents"]) == 3
    assert agents["duckdb"]["n_missing"] == agents["memory"]["n_missing"] == 0


def test_count_tables_of_a_scan_leave_its_empty_records_out(tmp_path):
    """The engine's count tables themselves (not only the commands) leave out the rows the report dropped."""
    from cxlib.data import engine

    f = tmp_path / "emp.csv"
    f.write_text("response_id,survey_date,ltr,plan\n,,,\nR1,2024-01-02,9,A\n,,,\nR2,2024-01-03,,\n", encoding="utf-8")
    s = engine.scan(f, "nps_surveys", keep=[("plan", "ltr")])
    assert s.empty_records == 2 and s.report.rows == 2
    counts = engine.nps_counts(s, "ltr", by="plan")
    assert counts["missing"].sum() == 1 and counts["promoters"].sum() == 1  # R2's blank answer, not the empty rows
    assert engine.nps_counts(s, "ltr")["missing"].tolist() == [1]


def test_a_csv_renamed_parquet_is_recognised_as_text(tmp_path, capsys):
    f = tmp_path / "export.parquet"
    f.write_text("response_id,ltr\nR1,9\nR2,3\n", encoding="utf-8")
    code, _, err = run(capsys, "nps", f, "--score", "ltr")
    assert code == 2 and "not a readable Parquet file" in err and "give it the extension .csv" in err


@pytest.mark.parametrize(
    ("command", "option", "engine_name"),
    [
        ("nps", "--score", "duckdb"),
        ("nps", "--score", "memory"),
        ("agents", "--agent", "duckdb"),
        ("agents", "--agent", "memory"),
    ],
)
def test_a_wrong_column_name_is_fixed_with_the_command_s_own_option(tmp_path, capsys, command, option, engine_name):
    """cx nps refuses --column ltr=...; its advice must not suggest it."""
    f = tmp_path / "s.parquet"
    duckdb.sql(
        f"COPY (SELECT 'A' || (i % 3) AS agent_id, 1 + i % 5 AS csat, i % 11 AS ltr FROM range(30) t(i)) TO '{f}' (FORMAT PARQUET)"
    )
    code, _, err = run(capsys, command, f, option, "nosuch", "--engine", engine_name)
    assert code == 2 and f"Give the right name with {option}." in err and "--column" not in err


def test_weighted_counts_of_a_scan_read_the_weights(tmp_path):
    """A kept (segment, score) table has no weight column: weighted counts are taken on the rows (they were all
    'missing' weights)."""
    from cxlib.data import engine

    f = tmp_path / "w.csv"
    frame = pd.DataFrame(
        {"response_id": ["R1", "R2", "R3"], "survey_date": ["2024-01-01"] * 3, "ltr": [9, 3, 7], "plan": list("AAB")}
    )
    frame.assign(w=[1.5, 2.0, 1.0]).to_csv(f, index=False)
    s = engine.scan(f, "nps_surveys", keep=[("plan", "ltr")])
    pd.testing.assert_frame_equal(
        engine.nps_counts(s, "ltr", by="plan", weight="w"), engine.nps_counts(f, "ltr", by="plan", weight="w")
    )


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
@pytest.mark.parametrize("column, by", [("Plan", "Plan"), ("Plan", "plan"), ("PLAN ", "plan")])
def test_a_segment_named_like_a_schema_column_counts_on_every_engine(tmp_path, capsys, suffix, column, by):
    """'Plan' is the schema's 'plan' (the reader renames it): the database path looked for the file's name
    in its count table and stopped with an internal error (found by a student trying lesson 08)."""
    f = tmp_path / f"plans{suffix}"
    fmt = "(FORMAT PARQUET)" if suffix == ".parquet" else "(HEADER)"
    duckdb.sql(
        f"""COPY (SELECT 'R' || i AS "Response ID", i % 11 AS "Q1 Recommend", ['Basic', 'Plus'][1 + i % 2] AS "{column}" """
        f"FROM range(200) t(i)) TO '{f}' {fmt}"
    )
    outs = {}
    for engine_name in ("duckdb", "memory"):
        code, out, err = run(capsys, "nps", f, "--score", "Q1 Recommend", "--by", by, "--json", "--engine", engine_name)
        assert code == 0, err
        outs[engine_name] = json.loads(out)
    assert outs["duckdb"]["by"] == outs["memory"]["by"]
    assert [r["segment"] for r in outs["duckdb"]["by"]] == ["Basic", "Plus"]


@pytest.mark.parametrize("by", ["plan", "plan (file)"])
def test_a_file_column_named_like_a_mapped_schema_column_is_kept_as_file_on_every_engine(tmp_path, capsys, by):
    """--column plan=plan_type: the file's own 'plan' is 'plan (file)' for both readers (the engine listed 'plan'
    twice and could not count by 'plan (file)'; found by a code review)."""
    f = tmp_path / "coll.csv"
    f.write_text("response_id,ltr,plan_type,plan\nR1,9,Basic,old\nR2,3,Plus,new\nR3,10,Basic,new\n")
    outs = {}
    for engine_name in ("duckdb", "memory"):
        code, out, err = run(
            capsys,
            "nps",
            f,
            "--score",
            "ltr",
            "--column",
            "plan=plan_type",
            "--by",
            by,
            "--json",
            "--engine",
            engine_name,
        )
        assert code == 0, err
        outs[engine_name] = json.loads(out)
    assert outs["duckdb"]["by"] == outs["memory"]["by"]
    assert [r["segment"] for r in outs["duckdb"]["by"]] == (["Basic", "Plus"] if by == "plan" else ["new", "old"])


def _case_twins_parquet(path):
    """A Parquet file with columns 'LTR' (all 0) and 'ltr' (all 10): DuckDB will not write two names that differ only
    in case, so the second is written as 'lqr' and renamed in the file's bytes (the same length)."""
    duckdb.sql(
        f"COPY (SELECT 'R' || i AS response_id, 0 AS LTR, 10 AS lqr FROM range(50) t(i)) TO '{path}' (FORMAT PARQUET)"
    )
    data = path.read_bytes()
    assert data.count(b"lqr") >= 1
    path.write_bytes(data.replace(b"lqr", b"ltr"))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_columns_whose_names_differ_only_in_case_are_told_apart_on_every_engine(tmp_path, capsys, suffix):
    """'LTR' and 'ltr' in one file: DuckDB ignores case in names, so it read 'LTR' for --score ltr (a Parquet file,
    silently NPS -100 for +100) or stopped with an internal error (a CSV). Found by an analyst."""
    f = tmp_path / f"twins{suffix}"
    if suffix == ".parquet":
        _case_twins_parquet(f)
    else:
        f.write_text("response_id,LTR,ltr\n" + "".join(f"R{i},0,10\n" for i in range(50)))
    for engine_name in ("duckdb", "memory"):
        code, out, err = run(capsys, "nps", f, "--score", "ltr", "--json", "--engine", engine_name)
        assert code == 0, err
        got = json.loads(out)
        assert got["overall"]["nps"] == 100.0 and got["overall"]["n"] == 50, engine_name
        if engine_name == "duckdb":
            assert "differ only in case ('LTR', 'ltr')" in got["read"]["in_memory_because"]


def test_a_total_above_hundreds_of_blank_rows_of_a_parquet_file_is_named(tmp_path, capsys):
    """An 'Average' row above 200 blank rows was counted as a segment of one answer (an analyst's review)."""
    f = tmp_path / "avg.parquet"
    duckdb.sql(
        "COPY (SELECT ['A', 'B'][1 + i % 2] AS plan, 'R' || i AS response_id, (i % 11)::DOUBLE AS ltr FROM range(300) t(i) "
        "UNION ALL SELECT 'Average', NULL, 7 UNION ALL SELECT NULL, NULL, NULL FROM range(1200)) "
        f"TO '{f}' (FORMAT PARQUET)"
    )
    for engine_name in ("duckdb", "memory"):
        code, _, err = run(capsys, "nps", f, "--score", "ltr", "--by", "plan", "--engine", engine_name)
        assert code == 2 and "summary line below the data in 1 row (row 302)" in err, engine_name


def test_whole_number_segments_and_a_mapped_columns_own_name_read_alike_on_every_engine(tmp_path, capsys):
    """Region codes with a blank printed 1.0 in memory and 1 in the database; --by Tariff with --column
    plan=Tariff said Tariff was not in the file."""
    f = tmp_path / "reg.parquet"
    duckdb.sql(
        "COPY (SELECT 'R' || i AS response_id, i % 11 AS ltr, CASE WHEN i % 7 = 0 THEN NULL ELSE 1 + i % 3 END AS Region, "
        f"['A', 'B'][1 + i % 2] AS Tariff FROM range(70) t(i)) TO '{f}' (FORMAT PARQUET)"
    )
    for args in (["--by", "Region"], ["--column", "plan=Tariff", "--by", "Tariff"]):
        outs = {}
        for engine_name in ("duckdb", "memory"):
            code, out, err = run(capsys, "nps", f, "--score", "ltr", *args, "--json", "--engine", engine_name)
            assert code == 0, err
            outs[engine_name] = [r["segment"] for r in json.loads(out)["by"]]
        assert outs["duckdb"] == outs["memory"] and outs["memory"] in ([1, 2, 3, None], ["A", "B"]), outs


def test_a_file_the_engine_leaves_to_the_in_memory_reader_is_read_once(tmp_path, capsys, monkeypatch):
    """Day/month dates: the engine's pass says 'in memory', then the command reads the file in memory. It was read
    in memory twice (a validation, then the count), and the example value was found by sorting the whole file:
    34 s against 10 s in memory for two million rows (an analyst's review)."""
    import cxlib.data.io as io_module

    f = tmp_path / "dmy.csv"
    f.write_text(
        "response_id,survey_date,ltr\n" + "".join(f"R{i},{1 + i % 28:02d}/03/2024,{i % 11}\n" for i in range(300))
    )
    calls = []
    real = io_module._run
    monkeypatch.setattr(io_module, "_run", lambda *a, **k: calls.append(1) or real(*a, **k))
    fb = tmp_path / "fb.csv"
    fb.write_text(
        "response_id,date,agent_id,csat\n"
        + "".join(f"R{i},{1 + i % 28:02d}/03/2024,A{i % 4},{1 + i % 5}\n" for i in range(300))
    )
    for command in (["nps", f, "--score", "ltr"], ["agents", fb]):
        calls.clear()
        code, out, err = run(capsys, *command, "--engine", "duckdb")
        assert "read into memory" in out + err and "such as '01/03/2024'" in out + err, (out, err)
        assert len(calls) == 1, command

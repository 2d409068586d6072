"""Tests of ``cx nps``: table and JSON output, exact JSON shape, bad files exit 2."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from cxlib.analytics import nps as N
from cxlib.cli import main

CSV = """response_id,survey_date,Q1 Likelihood,Region
R1,2024-01-05,10,North
R2,2024-01-06,9,North
R3,2024-01-06,7,North
R4,2024-01-07,3,South
R5,2024-01-08,,South
R6,2024-01-08,6,South
R7,2024-01-09,9,East
"""


@pytest.fixture()
def survey(tmp_path):
    f = tmp_path / "survey.csv"
    f.write_text(CSV, encoding="utf-8")
    return f


def run(capsys, *argv):
    code = main(["nps", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_overall_exact_shape(capsys, survey):
    code, out, _ = run(capsys, survey, "--score", "Q1 Likelihood", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"read", "overall", "notes"}  # no "by" without --by
    assert data["notes"][0] == "1 blank answer(s) skipped (not counted as detractors)."  # as the table says
    assert data["read"]["encoding"] == "utf-8" and data["read"]["format"] == "csv"  # how the file was read
    o = data["overall"]
    assert set(o) == {"n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high"}
    assert (o["n"], o["promoters"], o["passives"], o["detractors"]) == (6, 3, 1, 2)
    assert all(isinstance(o[k], int) for k in ("n", "promoters", "passives", "detractors"))
    assert o["nps"] == pytest.approx(100 * (3 - 2) / 6)
    ref = N.from_counts(3, 1, 2)
    assert (o["ci_low"], o["ci_high"]) == (pytest.approx(ref.ci_low), pytest.approx(ref.ci_high))


def test_json_by_segment(capsys, survey):
    code, out, _ = run(capsys, survey, "--score", "Q1 Likelihood", "--by", "Region", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"read", "overall", "by", "notes"}
    segs = {s["segment"]: s for s in data["by"]}
    assert set(segs) == {"East", "North", "South"}
    assert set(segs["North"]) == {"segment", "n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high"}
    assert segs["East"]["n"] == 1 and segs["East"]["nps"] == 100.0  # one-response segment
    assert segs["South"]["n"] == 2 and segs["South"]["nps"] == -100.0  # blank skipped, not a 0
    assert segs["North"]["nps"] == pytest.approx(100 * 2 / 3)
    assert sum(s["n"] for s in data["by"]) == data["overall"]["n"] == 6
    for s in data["by"]:
        assert -100 <= s["ci_low"] <= s["nps"] <= s["ci_high"] <= 100


def test_table_output(capsys, survey):
    code, out, _ = run(capsys, survey, "--score", "Q1 Likelihood", "--by", "region")  # case-insensitive
    assert code == 0
    assert "segment" in out and "North" in out and "overall" in out
    assert "1 blank answer(s) skipped" in out and "n < 100" in out


def test_wald_method_option(capsys, survey):
    code, out, _ = run(capsys, survey, "--score", "Q1 Likelihood", "--json", "--method", "wald")
    o = json.loads(out)["overall"]
    ref = N.from_counts(3, 1, 2, method="wald")
    assert code == 0 and o["ci_low"] == pytest.approx(ref.ci_low)


def test_bad_values_exit_2_with_clear_error(capsys, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("response_id,survey_date,Q1\nR1,2024-01-01,11\nR2,2024-01-02,abc\nR3,2024-01-02,5\n")
    code, out, err = run(capsys, f, "--score", "Q1")
    assert code == 2 and out == ""
    assert "2 problems found" in err and "row 2" in err and "row 3" in err and "Traceback" not in err


def test_missing_file_and_column_exit_2(capsys, survey, tmp_path):
    code, _, err = run(capsys, tmp_path / "nope.csv", "--score", "ltr")
    assert code == 2 and "not found" in err
    code, _, err = run(capsys, survey, "--score", "Likelihood")
    assert code == 2 and "Likelihood" in err
    code, _, err = run(capsys, survey, "--score", "Q1 Likelihood", "--by", "Plan")
    assert code == 2 and "'Plan' is not in the file" in err


def test_score_option_is_required(capsys, survey):
    with pytest.raises(SystemExit) as info:
        main(["nps", str(survey)])
    assert info.value.code == 2


def test_column_option_maps_other_schema_columns(capsys, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("response_id,Response date,Q1\nR1,2024-01-01,9\nR2,2024-01-02,3\n")
    code, out, _ = run(capsys, f, "--score", "Q1", "--json")  # only the score is needed
    assert code == 0 and json.loads(out)["overall"]["n"] == 2
    code, _, err = run(capsys, f, "--score", "Q1", "--column", "survey_date=Answered on")
    assert code == 2 and "Answered on" in err  # a mapped column must exist
    bad = tmp_path / "bad_date.csv"
    bad.write_text("Response date,Q1\n2024-01-01,9\nnot a date,3\n")
    code, _, err = run(capsys, bad, "--score", "Q1", "--column", "survey_date=Response date")
    assert code == 2 and "Response date (as survey_date)" in err and "row 3" in err
    code, out, _ = run(capsys, f, "--score", "Q1", "--column", "survey_date=Response date", "--json")
    assert code == 0 and json.loads(out)["overall"]["nps"] == 0.0
    code, _, err = run(capsys, f, "--score", "Q1", "--column", "ltr=Q1")
    assert code == 2 and "--score" in err


def test_a_file_with_only_scores_works(capsys, tmp_path):
    f = tmp_path / "scores.csv"
    f.write_text("How likely?\n10\n9\n3\n\n")
    code, out, _ = run(capsys, f, "--score", "How likely?", "--json")
    overall = json.loads(out)["overall"]
    assert code == 0 and (overall["n"], overall["promoters"], overall["detractors"]) == (3, 2, 1)


def test_the_text_names_the_file_not_the_machine_path(tmp_path, capsys):
    f = tmp_path / "deep" / "surveys.csv"
    f.parent.mkdir()
    f.write_text("ltr\n10\n9\n3\n8\n", encoding="utf-8")
    assert main(["nps", str(f), "--score", "ltr"]) == 0
    out = capsys.readouterr().out
    assert "NPS of surveys.csv" in out and str(tmp_path) not in out


def test_csv_table_is_the_printed_table(tmp_path, capsys):
    f = tmp_path / "surveys.csv"
    f.write_text("ltr,plan\n10,A\n9,A\n3,B\n8,B\n10,B\n", encoding="utf-8")
    out = tmp_path / "nps.csv"
    assert main(["nps", str(f), "--score", "ltr", "--by", "plan", "--csv", str(out)]) == 0
    table = pd.read_csv(out)
    assert table["segment"].tolist() == ["A", "B", "overall"]
    assert table.loc[2, "nps"] == pytest.approx(N.nps(pd.read_csv(f), "ltr").nps)


@pytest.mark.parametrize("command", ["nps", "agents"])
def test_a_table_is_never_written_over_the_file_it_is_computed_from(tmp_path, capsys, command):
    """--csv naming the input (a typo away) would replace the analyst's export with a few rows."""
    import duckdb

    f = tmp_path / "export.parquet"
    duckdb.sql(
        f"COPY (SELECT 'A' || (i % 3) AS agent_id, 1 + i % 5 AS csat, i % 11 AS ltr FROM range(50) t(i)) "
        f"TO '{f}' (FORMAT PARQUET)"
    )
    before = f.read_bytes()
    args = ["--score", "ltr"] if command == "nps" else []
    assert main([command, str(f), *args, "--csv", str(f)]) == 2
    err = capsys.readouterr().err
    assert "is the file this command reads" in err and "Give another name" in err
    assert f.read_bytes() == before
    db = tmp_path / "company.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE surveys AS SELECT * FROM read_parquet('{f}')")
    table = ["--table", "surveys", "--database", str(db)]
    assert main([command, *table, *args, "--csv", str(db)]) == 2
    assert "is the file this command reads" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["auto", "memory", "duckdb"])
@pytest.mark.parametrize(
    "suffix, options, named",
    [
        (".parquet", ["--sep", ";"], "--sep applies to CSV files only"),
        (".parquet", ["--sheet", "Data", "--encoding", "cp1256"], "--sheet and --encoding apply"),
        (".xlsx", ["--encoding", "cp1256"], "is an Excel workbook"),
        (".csv", ["--sheet", "Data"], "--sheet applies to Excel workbooks only"),
    ],
)
def test_a_reading_option_the_file_does_not_take_is_refused_not_ignored(
    capsys, tmp_path, suffix, options, named, engine
):
    f = tmp_path / f"survey{suffix}"
    frame = pd.read_csv(io.StringIO(CSV))
    if suffix == ".csv":
        frame.to_csv(f, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(f, index=False)
    else:
        import duckdb

        con = duckdb.connect()
        con.register("t", frame)
        con.execute(f"COPY (SELECT * FROM t) TO '{f}' (FORMAT PARQUET)")
    if engine == "duckdb" and suffix == ".xlsx":
        engine = "auto"  # DuckDB does not read workbooks
    code, out, err = run(capsys, f, "--score", "Q1 Likelihood", "--engine", engine, *options)
    assert code == 2 and named in err and "Traceback" not in err and not out
    assert run(capsys, f, "--score", "Q1 Likelihood", "--engine", engine)[0] == 0  # without them: read


def test_a_reading_option_that_does_not_fit_the_file_is_named_with_the_problems(capsys, tmp_path):
    """The problems a wrong --sep or --no-dayfirst makes are followed by what the analyst said; not otherwise."""
    f = tmp_path / "eu.csv"
    f.write_text("response_id;survey_date;ltr\nR1;14/06/2024;9\nR2;15/06/2024;7\n", encoding="utf-8")
    for options, said in ((["--sep", ","], "(--sep ',')"), (["--no-dayfirst"], "(--no-dayfirst)")):
        code, _, err = run(capsys, f, "--score", "ltr", *options)
        assert code == 2 and f"note: the file was read as you said {said}; if that is not how" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("response_id,survey_date,ltr\nR1,2024-01-02,11\n", encoding="utf-8")
    code, _, err = run(capsys, bad, "--score", "ltr")
    assert code == 2 and "read as you said" not in err


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_an_id_column_written_run_together_is_checked_and_a_doubled_export_stops(tmp_path, capsys, engine):
    """`ResponseId` is `response_id`: an export appended twice is not counted twice."""
    f = tmp_path / "q.csv"
    rows = "".join(f"R{i},2024-01-0{1 + i % 9},{i % 11}\n" for i in range(30))
    f.write_text("ResponseId,SurveyDate,ltr\n" + rows + rows)
    assert main(["nps", str(f), "--score", "ltr", "--engine", engine]) == 2
    err = capsys.readouterr().err
    assert "duplicate id in 60 rows" in err and "30 repeat an earlier row in every checked column" in err


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_no_answer_at_all_is_an_error_not_an_nps_of_nothing(tmp_path, capsys, engine):
    f = tmp_path / "b.csv"
    f.write_text("response_id,ltr\nR1,\nR2,N/A\nR3,Don't know\n")
    assert main(["nps", str(f), "--score", "ltr", "--engine", engine]) == 2
    assert "no answer to count in 'ltr': its 3 cells are all blank" in capsys.readouterr().err


def test_a_seven_point_scale_is_noted(tmp_path, capsys):
    f = tmp_path / "s7.csv"
    f.write_text("response_id,ltr\n" + "".join(f"R{i},{1 + i % 7}\n" for i in range(40)))
    assert main(["nps", str(f), "--score", "ltr"]) == 0
    assert "no answer is 9 or 10" in capsys.readouterr().out


def test_an_error_with_json_is_json_on_stdout_too(tmp_path, capsys):
    """A script that reads `cx nps --json` gets the problems as JSON, not an empty stdout."""
    f = tmp_path / "d.csv"
    f.write_text("response_id,ltr\nR1,9\nR1,9\n")
    assert main(["nps", str(f), "--score", "ltr", "--json"]) == 2
    out = capsys.readouterr()
    got = json.loads(out.out)
    assert got["error"] == "d.csv: 1 problem found" and got["problems"][0]["kind"] == "duplicate id"
    assert "duplicate id" in out.err


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_the_skipped_answers_say_how_they_were_written(tmp_path, capsys, engine):
    f = tmp_path / "k.csv"
    f.write_text("response_id,Q1\nR1,9\nR2,N/A\nR3,Don't know\nR4,\n")
    assert main(["nps", str(f), "--score", "Q1", "--engine", engine]) == 0
    out = capsys.readouterr().out
    assert (
        "3 blank answer(s) skipped (not counted as detractors), 2 of them written as "
        "\"Don't know\" (1 time), 'N/A' (1 time)." in out
    )
    f.write_text("response_id,Q1\nR1,9\nR2,N/A\nR3,\n")  # one way of writing it: no count after it
    assert main(["nps", str(f), "--score", "Q1", "--engine", engine]) == 0
    assert (
        "2 blank answer(s) skipped (not counted as detractors), 1 of them written as 'N/A'." in capsys.readouterr().out
    )


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_an_id_column_the_schema_does_not_know_is_pointed_out_so_a_doubled_export_can_be_caught(
    tmp_path, capsys, engine
):
    """Without response_id a doubled export counts twice; a column named like an id is named, with the mapping."""
    f = tmp_path / "s.csv"
    rows = "".join(f"S{i},{i % 11},{'ab'[i % 2]}\n" for i in range(30))
    f.write_text("Survey ID,ltr,plan\n" + rows + rows)
    assert main(["nps", str(f), "--score", "ltr", "--by", "plan", "--engine", engine]) == 0
    out = capsys.readouterr().out
    assert "an answer exported twice would be counted twice. 'Survey ID' looks like an id" in out
    assert '--column response_id="Survey ID"' in out
    # mapped as it says: the doubled export stops the count
    assert main(["nps", str(f), "--score", "ltr", "--column", "response_id=Survey ID", "--engine", engine]) == 2
    assert "30 repeat an earlier row in every checked column" in capsys.readouterr().err
    # no id-like column, or the response id read: nothing to point out
    plain = tmp_path / "p.csv"
    plain.write_text("ltr,plan\n" + "".join(f"{i % 11},a\n" for i in range(30)))
    assert main(["nps", str(plain), "--score", "ltr", "--engine", engine]) == 0
    assert "exported twice" not in capsys.readouterr().out

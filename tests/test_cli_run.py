"""`cx run` and `cx lessons`: every lesson runs on a second company's data with its own column names.

The second data set is generated with another seed and its columns are renamed, then mapped
back through the lessons' parameters, which proves nothing is hard-wired to the bundled data.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from cxlib.cli import main
from cxlib.simulation import simulate
from cxlib.teaching.lessons import find_lesson, list_lessons, run_lesson


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """Another company: seed 7, 600 customers; its tables as CSV files with renamed columns."""
    out = tmp_path_factory.mktemp("other")
    company = simulate(n_customers=600, months=24, seed=7, truth_replicates=20)
    t = company.tables
    files = {}

    def write(name, df):
        files[name] = out / f"{name}.csv"
        df.to_csv(files[name], index=False)

    write("activity", t["activity"].rename(columns={"customer_id": "Customer", "month": "Period"}))
    from cxlib.features import customer_features

    feats = customer_features(t["customers"], t["activity"], interactions=t["interactions"]).reset_index()
    write("features", feats.rename(columns={"customer_id": "client_no"}))
    write(
        "surveys",
        t["nps_surveys"].rename(
            columns={"ltr": "Q1 Recommend", "comment": "Why", "plan": "Segment", "survey_date": "Answered"}
        ),
    )
    write("feedback", t["agent_feedback"].rename(columns={"agent_id": "Agent Name", "csat": "CSAT"}))
    snap = t["churn_snapshot"].rename(columns={"customer_id": "cust", "churned": "Left", "spend_last": "Bill"})
    snap["Left"] = snap["Left"].map({1: "Yes", 0: "No"})
    write("snapshot", snap)
    return files


CASES = {
    "01": ("activity", {"ID_COLUMN": "Customer", "MONTH_COLUMN": "Period"}),
    "02": ("features", {"ID_COLUMN": "client_no"}),
    "03": ("surveys", {"TEXT_COLUMN": "Why", "SCORE_COLUMN": "Q1 Recommend"}),
    "04": ("feedback", {"AGENT_COLUMN": "Agent Name", "SCORE_COLUMN": "CSAT"}),
    "05": ("surveys", {"SCORE_COLUMN": "Q1 Recommend", "SEGMENT_COLUMN": "Segment", "DATE_COLUMN": "Answered"}),
    "06": ("snapshot", {"ID_COLUMN": "cust", "TARGET_COLUMN": "Left"}),
    "07": ("snapshot", {"ID_COLUMN": "cust", "TARGET_COLUMN": "Left", "VALUE_COLUMN": "Bill"}),
    "08": ("surveys", {"SCORE_COLUMN": "Q1 Recommend", "SEGMENT_COLUMN": "Segment", "ROWS": 20_000}),
}


def test_every_lesson_from_01_has_a_case_here():
    assert sorted(CASES) == [x.number for x in list_lessons() if x.number != "00"]


@pytest.mark.parametrize("number", sorted(CASES))
def test_in_practice_runs_on_another_companys_data(number, other, tmp_path):
    """The part of each lesson that reads DATA runs on another company's renamed columns (a quick run:
    set-up and In practice only; the whole lessons run once, under nbval, on the bundled data)."""
    table, params = CASES[number]
    out = run_lesson(number, data=other[table], parameters=params, out=tmp_path, timeout=180, quick=True)
    nb = nbformat.read(out["notebook"], as_version=4)
    assert any(
        "DATA" in c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    )
    assert sum(bool(c.get("outputs")) for c in nb.cells if c.cell_type == "code") >= 3
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []
    assert out["html"].stat().st_size > 10_000
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert str(other[table]) in injected.source


def test_a_whole_lesson_runs_on_another_companys_data(other, tmp_path, capfd, monkeypatch):
    """One full run through cx run (every cell, the HTML report), on lesson 05: its kernel talks over local
    sockets (no TCP warning on the analyst's terminal) and leaves none behind."""
    table, params = CASES["05"]
    runtime = Path(tempfile.mkdtemp(prefix="cxrt-")) / "rt"  # short: a socket's path is at most 103 characters
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.chdir(tmp_path)
    out = run_lesson("05", data=other[table], parameters=params, out=tmp_path / "out", timeout=180)
    err = capfd.readouterr().err
    assert "over TCP" not in err and "Parent appears to have exited" not in err, err[-500:]
    assert runtime.is_dir() and not list(runtime.iterdir()), "connection file or sockets left behind"
    shutil.rmtree(runtime.parent)
    assert not list(tmp_path.glob("kernel-*")), "sockets left in the working folder"
    nb = nbformat.read(out["notebook"], as_version=4)
    assert not [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert len(nb.cells) == len(nbformat.read(find_lesson("05").path, as_version=4).cells) + 1  # + injected


def test_bad_file_fails_cleanly_before_running(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Q1,Segment,Answered\n9,A,2024-01-01\nten,B,2024-01-02\n11,B,2024-01-03\n")
    code = main(
        [
            "run",
            "05",
            "--data",
            str(bad),
            "-p",
            "SCORE_COLUMN=Q1",
            "-p",
            "SEGMENT_COLUMN=Segment",
            "-p",
            "DATE_COLUMN=Answered",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "Q1 (as ltr)" in err and "'ten'" in err and "row 3" in err and "'11'" in err
    assert not (tmp_path / "out" / "05_nps_pitfalls.ipynb").exists()


def test_missing_free_column_is_caught_before_running(other, tmp_path, capsys):
    code = main(
        [
            "run",
            "07",
            "--data",
            str(other["snapshot"]),
            "-p",
            "ID_COLUMN=cust",
            "-p",
            "TARGET_COLUMN=Left",
            "-p",
            "VALUE_COLUMN=Revenue",
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "'Revenue'" in err and "VALUE_COLUMN" in err
    assert "'cust'" in err and "'Bill'" in err  # the file's columns, as the analyst named them
    assert not (tmp_path / "07_expectations_and_cx_roi.ipynb").exists()  # stopped before running


def test_unknown_parameter_lists_the_valid_ones(capsys):
    code = main(["run", "05", "-p", "SCORE_COLUMNN=x"])
    err = capsys.readouterr().err
    assert code == 2 and "SCORE_COLUMNN" in err and "SCORE_COLUMN" in err.split("Valid parameters:")[1]


def test_missing_data_file_and_unknown_lesson(capsys, tmp_path):
    assert main(["run", "05", "--data", str(tmp_path / "nope.csv")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["run", "42"]) == 2
    assert "no lesson '42'" in capsys.readouterr().err


def test_cx_lessons_lists_every_lesson_with_parameters(capsys):
    assert main(["lessons"]) == 0
    out = capsys.readouterr().out
    for lesson in list_lessons():
        assert lesson.name in out
    assert "SCORE_COLUMN: str" in out and "DATA: str | None = None" in out


def test_find_lesson_accepts_numbers_and_names():
    assert find_lesson("5").name == find_lesson("05_nps_pitfalls").name == find_lesson("nps_pitfalls").name


def test_list_parameters_naming_columns_are_checked_too(other, tmp_path, capsys):
    code = main(
        [
            "run",
            "02",
            "--data",
            str(other["features"]),
            "-p",
            "ID_COLUMN=client_no",
            "-p",
            "FEATURES=['usage_gb', 'no_such_column']",
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "'no_such_column'" in err and "FEATURES" in err


def test_every_column_parameter_is_checked_before_running(other, tmp_path, capsys):
    """An optional column parameter (lesson 06's DATE_COLUMN) is checked as early as the required ones."""
    t0 = time.perf_counter()
    code = main(
        [
            "run",
            "06",
            "--data",
            str(other["snapshot"]),
            "-p",
            "ID_COLUMN=cust",
            "-p",
            "TARGET_COLUMN=Left",
            "-p",
            "DATE_COLUMN=nope",
            "--out",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "'nope'" in err and "DATE_COLUMN" in err
    assert time.perf_counter() - t0 < 20  # refused before any cell runs
    assert not (tmp_path / "06_churn_from_loyalty_signals.ipynb").exists()


def test_read_lesson_data_reads_exactly_what_the_lesson_declares(other):
    from cxlib.teaching.lessons import read_lesson_data

    df = read_lesson_data("04", other["feedback"], AGENT_COLUMN="Agent Name", SCORE_COLUMN="CSAT")
    assert {"agent_id", "csat"} <= set(df.columns)
    only = other["feedback"].with_name("two_columns.csv")
    pd.read_csv(other["feedback"])[["Agent Name", "CSAT"]].to_csv(only, index=False)  # no response_id, no date
    assert len(read_lesson_data("04", only, AGENT_COLUMN="Agent Name", SCORE_COLUMN="CSAT")) == len(df)

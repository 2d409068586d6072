"""Tests of `cx validate` and `cx schemas` on messy files created here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxlib.cli import main

CX = Path(sys.executable).with_name("cx")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_valid_file_exit_0_and_report(tmp_path, capsys):
    p = write(tmp_path, "ok.csv", "ID,survey_date,Q1 Likelihood,comment\nR1,2024-01-05,۹,خوب\nR2,2024-01-06,7,\n,,,\n")
    code, out, err = run(capsys, "validate", "nps_surveys", p, "--column", "response_id=ID", "-c", "ltr=Q1 Likelihood")
    assert code == 0, err
    assert "ok.csv read as 'nps_surveys'" in out
    assert "encoding UTF-8" in out
    assert "rows: 3 read, 1 empty dropped (row 4), 2 kept" in out
    assert "ltr: 1 value with Persian/Arabic digits converted" in out
    assert "'ID' -> response_id" in out
    assert "result: valid" in out


def test_invalid_file_exit_2_lists_every_problem(tmp_path, capsys):
    p = write(tmp_path, "bad.csv", "response_id,survey_date,ltr\nR1,2024-01-05,11\nR1,2999-01-01,x\n")
    code, out, err = run(capsys, "validate", "nps_surveys", p)
    assert code == 2
    assert "Traceback" not in out + err
    assert "NOT valid, 4 problems" in out
    assert "column 'ltr': out of range in 1 row (row 2); values: '11'." in out
    assert "column 'ltr': text in a number column in 1 row (row 3); values: 'x'." in out
    assert "column 'response_id': duplicate id in 2 rows (rows 2, 3)" in out
    assert "column 'survey_date': date in the future in 1 row (row 3); values: '2999-01-01'." in out
    assert out.count("How to fix") == 4


def test_json_output(tmp_path, capsys):
    p = write(tmp_path, "bad.csv", "customer_id,churned\nC1,yes\nC1,2\n")
    code, out, _ = run(capsys, "validate", "churn_table", p, "--json")
    assert code == 2
    d = json.loads(out)
    assert d["valid"] is False and d["source"] == "bad.csv" and d["rows_read"] == 2
    kinds = {p["kind"]: p for p in d["problems"]}
    assert kinds["duplicate id"]["rows"] == [2, 3]
    assert kinds["not a 0/1 flag"]["values"] == ["2"]


def test_missing_column_message(tmp_path, capsys):
    p = write(tmp_path, "m.csv", "response_id,survey_date,LTR score\nR1,2024-01-05,5\n")
    code, out, _ = run(capsys, "validate", "nps_surveys", p)
    assert code == 2
    assert "column 'ltr': missing column" in out
    assert "'response_id', 'survey_date', 'LTR score'" in out
    code, out, _ = run(capsys, "validate", "nps_surveys", p, "--column", "ltr=LTR score")
    assert code == 0


@pytest.mark.parametrize(
    "setup,message",
    [
        (lambda d: d / "nope.csv", "file not found"),
        (lambda d: d, "is a directory"),
        (lambda d: (d / "g.csv").write_bytes(bytes(range(256)) * 4) and d / "g.csv", "binary data"),
        (lambda d: (d / "g.xlsx").write_bytes(b"\x00\x01garbage") and d / "g.xlsx", "Excel workbook"),
        (lambda d: (d / "t.json").write_text("{}") and d / "t.json", "unsupported file type"),
        (lambda d: (d / "e.csv").write_text("") or d / "e.csv", "empty file"),
    ],
)
def test_unreadable_input_exit_2_without_traceback(tmp_path, capsys, setup, message):
    path = setup(tmp_path)
    code, out, err = run(capsys, "validate", "nps_surveys", path)
    assert code == 2
    assert message in out + err
    assert "Traceback" not in out + err


def test_bad_column_option_and_bad_kind(tmp_path, capsys):
    p = write(tmp_path, "ok.csv", "customer_id,churned\nC1,1\n")
    code, _, err = run(capsys, "validate", "churn_table", p, "--column", "customer_id")
    assert code == 2 and "SCHEMA=FILECOLUMN" in err
    with pytest.raises(SystemExit) as exc:
        main(["validate", "surveys", str(p)])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_schemas_command(capsys):
    code, out, _ = run(capsys, "schemas", "nps_surveys")
    assert code == 0
    assert "nps_surveys: one row per answered relationship (NPS) survey" in out
    line = next(x for x in out.splitlines() if x.strip().startswith("ltr "))
    assert "0-10" in line and "required" in line and "0 to 10" in line
    code, out, _ = run(capsys, "schemas")
    for kind in ("customers", "activity", "interactions", "agent_feedback", "churn_table"):
        assert f"{kind}: one row per" in out
    code, out, _ = run(capsys, "schemas", "churn_table", "--json")
    assert [c["column"] for c in json.loads(out)["churn_table"]] == ["customer_id", "churned"]


@pytest.mark.skipif(not CX.exists(), reason="cx console script not installed in this environment")
def test_subprocess_cp1256_and_bom_files(tmp_path):
    cp = write(
        tmp_path,
        "cp.csv",
        'customer_id,signup_date,city,monthly_fee\nC1,2024-01-05,شيراز,"1,200.5"\nC2,2024-02-01,كرج,30\n,,,\n',
        "cp1256",
    )
    res = subprocess.run([str(CX), "validate", "customers", str(cp)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "cp1256 (Windows Persian/Arabic; not UTF-8)" in res.stdout
    assert "monthly_fee: 1 thousands separator removed" in res.stdout
    assert "city: 2 values with Arabic ي/ك unified to Persian ی/ک" in res.stdout
    bom = write(tmp_path, "bom.csv", "customer_id,signup_date\nC1,2024-01-05\nC1,۲۰۲۴-۰۱-۰۶\n", "utf-8-sig")
    res = subprocess.run([str(CX), "validate", "customers", str(bom)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert "UTF-8 with BOM" in res.stdout
    assert "column 'customer_id': duplicate id in 2 rows (rows 2, 3); values: 'C1', 'C1'." in res.stdout
    assert "Traceback" not in res.stdout + res.stderr

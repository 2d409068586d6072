"""A title block above the header row (a report name, an export date, a blank line), as many exports
write it: the reader says on which row the header seems to be, and ``skip_rows`` (``cx --skip-rows``)
reads the table below it, with the file's own row numbers, in memory and in the database engine."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl
import pytest
from test_io_matrix import cx  # exit 0 or 2, never an internal error

from cxlib.cli import main
from cxlib.data.engine import validate_source
from cxlib.data.io import read_table, validate_file
from cxlib.errors import CxError

TITLE = "Customer survey export\nGenerated 2024-03-01\n\n"
BODY = "response_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02,55\nR3,2024-01-03,3\n"


def titled_csv(tmp_path: Path, title: str = TITLE, body: str = BODY) -> Path:
    p = tmp_path / "export.csv"
    p.write_text(title + body, encoding="utf-8")
    return p


def titled_xlsx(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [["Customer survey export"], ["Generated 2024-03-01"], []] + [
        line.split(",") for line in BODY.strip().splitlines()
    ]:
        ws.append([int(v) if v.isdigit() else v for v in row])
    p = tmp_path / "export.xlsx"
    wb.save(p)
    return p


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_the_header_row_is_named_when_a_title_block_sits_above_it(tmp_path, engine):
    p = titled_csv(tmp_path)
    rep, _ = validate_source(p, "nps_surveys", engine=engine)
    assert not rep.ok
    hint = [q.fix for q in rep.problems if "--skip-rows" in q.fix]
    assert len(hint) == 1 and "The header seems to be on row 4" in hint[0] and "--skip-rows 3" in hint[0], hint


def test_the_engine_names_the_header_row_when_the_title_has_as_many_cells_as_the_table(tmp_path):
    """A title written with the table's delimiters is read by the database as a (wrong) header."""
    p = titled_csv(tmp_path, title="Customer survey export,,\nGenerated 2024-03-01,,\n")
    rep, s = validate_source(p, "nps_surveys", engine="duckdb")
    assert s is not None and not rep.ok
    assert any("header seems to be on row 3" in q.fix and "--skip-rows 2" in q.fix for q in rep.problems)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_skip_rows_reads_the_table_and_keeps_the_files_row_numbers(tmp_path, engine):
    p = titled_csv(tmp_path)
    rep, _ = validate_source(p, "nps_surveys", engine=engine, skip_rows=3)
    assert [q.kind for q in rep.problems] == ["out of range"] and rep.problems[0].rows == (6,)
    assert rep.rows_read == 3 and rep.rows_skipped == 3 and "3 lines above the header skipped" in rep.summary()
    good = titled_csv(tmp_path, body=BODY.replace(",55", ",10"))
    rep, _ = validate_source(good, "nps_surveys", engine=engine, skip_rows=2)  # the blank line is skipped anyway
    assert rep.ok and rep.rows == 3 and rep.to_dict()["rows_skipped"] == 3  # the blank line below the title too


def test_skip_rows_in_a_workbook(tmp_path):
    p = titled_xlsx(tmp_path)
    rep = validate_file(p, "nps_surveys")
    assert any("header seems to be on row 4" in q.fix for q in rep.problems)
    rep = validate_file(p, "nps_surveys", skip_rows=3)
    assert [q.rows for q in rep.problems] == [(6,)] and "3 rows above the header skipped" in rep.summary()


def test_cx_nps_with_skip_rows_on_both_readers(tmp_path, capsys):
    p = titled_csv(tmp_path, body=BODY.replace(",55", ",10"))
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 2 and "--skip-rows 3" in out and "more cells than the header" not in out
    for engine in ("memory", "duckdb"):
        code, out = cx(capsys, "nps", p, "--score", "ltr", "--skip-rows", "3", "--json", "--engine", engine)
        got = json.loads(out)
        assert code == 0 and got["read"]["rows_skipped"] == 3
        assert (got["overall"]["promoters"], got["overall"]["detractors"], got["overall"]["n"]) == (2, 1, 3)


def test_skip_rows_that_does_not_apply_or_is_absurd_is_refused(tmp_path, capsys):
    p = titled_csv(tmp_path)
    with pytest.raises(SystemExit) as exit_:  # argparse refuses it before anything is read
        main(["nps", str(p), "--score", "ltr", "--skip-rows", "-1"])
    assert exit_.value.code == 2 and "whole number" in capsys.readouterr().err
    code, out = cx(capsys, "nps", p, "--score", "ltr", "--skip-rows", "99999")
    assert code == 2 and "from 0 to 10,000" in out
    code, out = cx(capsys, "nps", p, "--score", "ltr", "--skip-rows", "40")
    assert code == 2 and "skips every line" in out
    pq = tmp_path / "s.parquet"
    src = titled_csv(tmp_path, title="", body=BODY.replace(",55", ",10"))
    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{src}')) TO '{pq}' (FORMAT PARQUET)")
    code, out = cx(capsys, "nps", pq, "--score", "ltr", "--skip-rows", "1")
    assert code == 2 and "--skip-rows" in out and "Parquet" in out
    with pytest.raises(CxError, match="whole number"):
        read_table(p, "nps_surveys", skip_rows=1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "title,skip",
    [
        ('"Survey export\nQ1 2024",,\n', 2),  # a quoted title cell over two lines: lines, as an editor shows them
        ('Report for 5" screens\n', 1),  # a stray quote: not CSV quoting
        ("Survey export;2024\n\n", 2),
    ],
)
def test_a_title_is_cut_off_before_anything_parses_it(tmp_path, title, skip):
    p = titled_csv(tmp_path, title=title, body=BODY.replace(",55", ",10"))
    hint = [q.fix for q in validate_file(p, "nps_surveys").problems if "--skip-rows" in q.fix]
    assert hint and f"--skip-rows {skip}" in hint[0], hint
    reports = [validate_source(p, "nps_surveys", engine=e, skip_rows=skip)[0] for e in ("memory", "duckdb")]
    assert reports[0].to_dict() == reports[1].to_dict()
    assert reports[0].ok and reports[0].rows == 3, reports[0].summary()


def test_the_hint_finds_a_semicolon_header_below_a_title_without_delimiters(tmp_path):
    p = titled_csv(tmp_path, title="Survey export\n", body=BODY.replace(",", ";"))
    for engine in ("memory", "duckdb"):
        rep, _ = validate_source(p, "nps_surveys", engine=engine)
        assert any("--skip-rows 1" in q.fix for q in rep.problems), engine
    rep, _ = validate_source(p, "nps_surveys", engine="duckdb", skip_rows=1)
    assert rep.delimiter == ";" and [q.rows for q in rep.problems] == [(4,)]


def test_skip_rows_past_the_data_of_a_sheet_is_a_clear_error(tmp_path):
    with pytest.raises(CxError, match="skips every row of sheet"):
        validate_file(titled_xlsx(tmp_path), "nps_surveys", skip_rows=30)


def test_a_stray_quote_in_a_data_row_gives_a_problem_not_a_crash(tmp_path, capsys):
    p = tmp_path / "q.csv"
    p.write_text('response_id,survey_date,ltr,comment\nR0,2024-01-02,9,5" screen\nR3,2024-01-03,7,extra,x\n')
    for engine in ("memory", "duckdb"):
        code, out = cx(capsys, "validate", "nps_surveys", p, "--engine", engine)
        assert code == 2 and "could not be read as a table" in out and "quotes are balanced" in out


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_header_of_the_files_own_names_below_a_title_is_found_by_its_shape(tmp_path, capsys, engine):
    """The usual export: a title, then a header whose names are not the schema's; the rows below have its width."""
    body = "Respone ID;Survey Date;Likelihood (0-10);Plan Name\nR1;2024-01-02;9;Basic\nR2;2024-01-03;6;Plus\n"
    p = titled_csv(tmp_path, title="NPS export\nInterval: 01.03.2024-30.07.2024\n\n", body=body)
    code, out = cx(capsys, "nps", p, "--score", "ltr", "--engine", engine)  # no row names 'ltr': found by shape
    assert code == 2 and "header seems to be on row 4 ('Respone ID', 'Survey Date'," in out and "--skip-rows 3" in out
    assert "more cells than the header" not in out
    code, out = cx(capsys, "nps", p, "--score", "Likelihood (0-10)", "--engine", engine)  # found by its name
    assert code == 2 and "header seems to be on row 4 (the 3 rows" in out
    code, out = cx(capsys, "nps", p, "--score", "Likelihood (0-10)", "--skip-rows", "3", "--engine", engine)
    assert (
        code == 0
        and json.loads(cx(capsys, "nps", p, "--score", "Likelihood (0-10)", "--skip-rows", "3", "--json")[1])[
            "overall"
        ]["n"]
        == 2
    )


def test_a_normal_file_with_a_wrong_column_name_gets_no_title_hint(tmp_path, capsys):
    p = titled_csv(tmp_path, title="", body=BODY.replace(",55", ",10"))
    code, out = cx(capsys, "nps", p, "--score", "Q1")
    assert code == 2 and "not found in the file" in out and "--skip-rows" not in out


def _qualtrics_rows() -> list[list]:
    head = ["StartDate", "ResponseId", "Q1", "Q2"]
    wording = ["Start Date", "Response ID", "How likely are you to recommend us? (0-10)", "Which plan are you on?"]
    ids = ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2"}']
    answers = [
        [f"2024-01-0{1 + i % 9} 10:00:00", f"R{i}", str(i % 11), "Basic" if i % 2 else "Plus"] for i in range(22)
    ]
    return [head, wording, ids, *answers]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_qualtrics_exports_wording_and_import_id_rows_are_skipped_and_said(tmp_path, capsys, engine):
    import csv

    p = tmp_path / "qualtrics.csv"
    with open(p, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(_qualtrics_rows())
    code, out = cx(capsys, "nps", p, "--score", "Q1", "--by", "Q2", "--json", "--engine", engine)
    got = json.loads(out)
    assert code == 0 and got["read"]["header_rows_below"] == [2, 3] and got["overall"]["n"] == 22
    answers = [i % 11 for i in range(22)]
    assert got["overall"]["promoters"] == sum(a >= 9 for a in answers)
    code, out = cx(capsys, "nps", p, "--score", "Q1", "--engine", engine)
    assert "rows 2 and 3 skipped (Qualtrics question wording and ids)" in out.splitlines()[0]


def test_a_qualtrics_workbook_too(tmp_path, capsys):
    wb = openpyxl.Workbook()
    for row in _qualtrics_rows():
        wb.active.append(row)
    p = tmp_path / "qualtrics.xlsx"
    wb.save(p)
    rep = validate_file(p, "nps_surveys", {"ltr": "Q1", "survey_date": "StartDate", "response_id": "ResponseId"})
    assert rep.ok and rep.header_rows_below == [2, 3] and rep.rows == 22, rep.summary()


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_title_in_a_file_with_a_byte_order_mark_is_skipped_too(tmp_path, engine):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + (TITLE + BODY.replace(",55", ",10")).encode("utf-8"))
    rep, _ = validate_source(p, "nps_surveys", engine=engine, skip_rows=3)
    assert rep.ok and rep.rows == 3 and rep.encoding == "utf-8-sig", rep.summary()


# --- summary lines below the data ----------------------------------------------------------


@pytest.mark.parametrize(
    "footer, rows, labels",
    [
        ("\nTotal responses: 3\n", (6,), ["Total responses: 3"]),  # a blank line, then one cell
        ("Average,,5.67\n", (5,), ["Average"]),
        ("Total,,17\nAverage,,5.67", (5, 6), ["Total", "Average"]),  # no final line break
        ("Total,,17\r\nAverage,,5.67\r\n", (5, 6), ["Total", "Average"]),
        ("جمع کل,,17\n", (5,), ["جمع کل"]),
        ("Total,,17\n\n\n", (5,), ["Total"]),  # blank lines after it
        ("", (), []),
        ("Totally new plan,2024-01-04,8\n", (), []),  # a word that only starts like one: data
    ],
)
@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_summary_lines_below_the_data_are_named_by_both_readers(tmp_path, footer, rows, labels, engine):
    """A total or an average an export adds below the answers is a problem of its own, on the file's own rows,
    named before the problems its cells cause; the same from the in-memory reader and the engine."""
    p = tmp_path / "s.csv"
    p.write_text(
        "response_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02,5\nR3,2024-01-03,3\n" + footer, encoding="utf-8"
    )
    report = validate_source(p, "nps_surveys", engine=engine)[0]
    assert report.to_dict() == validate_file(p, "nps_surveys").to_dict()
    found = [x for x in report.problems if x.kind == "summary line below the data"]
    assert [(x.rows, list(x.values)) for x in found] == ([(rows, labels)] if rows else [])
    if rows:
        assert report.problems[0].kind == "summary line below the data" and "Delete them from the file" in found[0].fix


def test_summary_lines_keep_the_files_row_numbers_below_a_title(tmp_path):
    p = titled_csv(tmp_path, body="response_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02,5\nTotal,,14\n")
    for engine in ("memory", "duckdb"):
        report = validate_source(p, "nps_surveys", engine=engine, skip_rows=3)[0]
        assert report.problems[0].rows == (7,), engine  # three title lines, the header, two answers, then Total


def test_a_grand_total_row_below_a_sheets_data_is_named(tmp_path):
    p = tmp_path / "s.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["response_id", "survey_date", "ltr"])
    for i in range(3):
        ws.append([f"R{i}", f"2024-01-0{i + 1}", i + 7])
    ws.append([])
    ws.append(["Grand Total", None, 24])
    wb.save(p)
    report = validate_file(p, "nps_surveys")
    assert (report.problems[0].kind, report.problems[0].rows, report.problems[0].values) == (
        "summary line below the data",
        (6,),  # the header, three answers, a blank row, then the total
        ("Grand Total",),
    )


def test_old_mac_line_endings_are_read_as_line_breaks_by_both_readers(tmp_path, capsys):
    """Excel's "CSV (Macintosh)" ends lines with CR alone: read, with the file's row numbers (the engine
    leaves it to the in-memory reader and says why), never an internal error."""
    p = tmp_path / "mac.csv"
    p.write_bytes(b"response_id,survey_date,ltr\rR1,2024-01-01,9\rR2,2024-01-02,17\r\rTotal,,26\r")
    memory = validate_file(p, "nps_surveys")
    engine, _ = validate_source(p, "nps_surveys", engine="duckdb")
    assert engine.to_dict() == memory.to_dict() and memory.rows_read == 4
    assert [(x.kind, x.rows) for x in memory.problems][:1] == [("summary line below the data", (5,))]
    assert "old Mac line endings" in (engine.in_memory_because or "")
    code, text = cx(capsys, "nps", p, "--score", "ltr", "--engine", "duckdb")
    assert code == 2 and "summary line below the data" in text


def test_a_summary_line_is_numbered_as_the_rows_are_after_a_cell_written_over_two_lines(tmp_path):
    """A quoted cell over two lines is one row: the total's number is the row number its cells' problems carry."""
    p = tmp_path / "ml.csv"
    p.write_text('response_id,survey_date,ltr,comment\nR1,2024-01-01,9,"one\ntwo"\nR2,2024-01-02,5,ok\nTotal,,14,\n')
    for engine in ("memory", "duckdb"):
        report = validate_source(p, "nps_surveys", engine=engine)[0]
        rows = {x.kind: x.rows for x in report.problems}
        assert rows["summary line below the data"] == rows["blank in a required column"] == (4,), engine


def test_a_stray_carriage_return_in_the_last_line_is_no_internal_error(tmp_path, capsys):
    """The search for summary lines splits the file's last lines as the header hint does: a line the CSV module
    cannot split (a lone CR inside it) is one cell, not a crash, on both readers."""
    p = tmp_path / "cr.csv"
    p.write_bytes(b"response_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02,7\rx\n")
    for engine in ("memory", "duckdb"):
        code, text = cx(capsys, "validate", "nps_surveys", p, "--engine", engine)
        assert code == 2 and "blank in a required column" in text


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_total_row_at_the_end_of_a_parquet_file_is_named_by_both_readers(tmp_path, engine):
    """A Parquet file written from a spreadsheet keeps its totals row: it was only 'out of range' (an analyst's
    review). Both readers look at the file's last rows (by their row numbers) as they do a CSV's."""

    p = tmp_path / "s.parquet"
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES ('R1', '2024-01-01', 9), ('R2', '2024-01-02', 5), ('R3', '2024-01-03', 3), "
        "(NULL, NULL, NULL), ('Total', NULL, 17), ('Average', NULL, 6)) t(response_id, survey_date, ltr)) "
        f"TO '{p}' (FORMAT PARQUET)"
    )
    report = validate_source(p, "nps_surveys", engine=engine)[0]
    assert report.to_dict() == validate_file(p, "nps_surveys").to_dict()
    first = report.problems[0]
    assert (first.kind, first.rows, first.values) == ("summary line below the data", (6, 7), ("Total", "Average"))
    clean = tmp_path / "clean.parquet"
    duckdb.sql(
        f"COPY (SELECT 'R' || i AS response_id, i % 11 AS ltr FROM range(50) t(i)) TO '{clean}' (FORMAT PARQUET)"
    )
    assert not validate_source(clean, "nps_surveys", engine=engine, only=["ltr"])[0].problems


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_parquet_summary_rows_edge_cases_agree_on_both_readers(tmp_path, engine):
    """From a code review: a column named file_row_number (an internal error), a plan called 'Total Care' in the last
    row (refused as a total), a total above 25 rows of NULL and NaN (missed, and counted apart by the two readers)."""
    own = tmp_path / "frn.parquet"
    duckdb.sql(
        f"COPY (SELECT 'R' || i AS response_id, i % 12 AS ltr, i AS file_row_number FROM range(30) t(i)) TO '{own}' (FORMAT PARQUET)"
    )
    report = validate_source(own, "nps_surveys", engine=engine, only=["ltr"])[0]
    assert report.to_dict() == validate_file(own, "nps_surveys", only=["ltr"]).to_dict()
    assert [(p.kind, p.rows[:2]) for p in report.problems] == [("out of range", (13, 25))]
    plan = tmp_path / "tc.parquet"
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES ('Basic', 'R1', 9), ('Total Care', 'R2', 7)) t(Plan, response_id, ltr)) "
        f"TO '{plan}' (FORMAT PARQUET)"
    )
    assert validate_source(plan, "nps_surveys", engine=engine, only=["ltr"])[0].ok
    tail = tmp_path / "tail.parquet"
    duckdb.sql(
        "COPY (SELECT 'R' || i AS response_id, (i % 11)::DOUBLE AS ltr FROM range(30) t(i) UNION ALL "
        "SELECT 'Total', 150 UNION ALL SELECT NULL, 'NaN'::DOUBLE FROM range(25)) "
        f"TO '{tail}' (FORMAT PARQUET)"
    )
    report = validate_source(tail, "nps_surveys", engine=engine, only=["ltr"])[0]
    assert report.to_dict() == validate_file(tail, "nps_surveys", only=["ltr"]).to_dict()
    assert report.empty_rows_dropped == 25 and report.problems[0].rows == (32,)

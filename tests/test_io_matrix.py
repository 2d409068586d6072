"""The reading matrix of issue 15 (items 5-10 and 19): every case through cxlib.data.io and the `cx`
command that reads it. Each case ends with the right numbers and exit 0, or with exit 2 and the
listed problem naming the option to use; never exit 1 ("internal error")."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cxlib.cli import build_parser, main
from cxlib.data.io import read_table, to_dates, to_numbers, validate_file
from cxlib.errors import CxError, ValidationError

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def cx(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code in (0, 2) and "internal error" not in text, text
    return code, text


def survey(
    tmp_path: Path, dates: list, ltr: list | None = None, sep: str = ",", name: str = "s.csv", encoding: str = "utf-8"
) -> Path:
    ltr = ltr or [str(i % 11) for i in range(len(dates))]
    rows = [sep.join([f"R{i}", d, s]) for i, (d, s) in enumerate(zip(dates, ltr))]
    return write(
        tmp_path, name, sep.join(["response_id", "survey_date", "ltr"]) + "\n" + "\n".join(rows) + "\n", encoding
    )


def churn_rows(n: int = 40, feature=lambda i: f"{i % 7},5") -> list[tuple]:
    return [(f"C{i}", "1" if i % 3 == 0 else "0", feature(i), str(i % 3 == 0 and 5 or i % 4)) for i in range(n)]


def churn_file(tmp_path: Path, rows: list[tuple], sep: str = ";", name: str = "c.csv", quote: bool = False) -> Path:
    q = (lambda v: f'"{v}"') if quote else (lambda v: v)
    text = sep.join(["customer_id", "churned", "bill", "complaints"]) + "\n"
    text += "\n".join(sep.join([a, b, q(c), d]) for a, b, c, d in rows) + "\n"
    return write(tmp_path, name, text)


# ============================================================ 5. decimal marks, one set of options
def test_european_export_decimal_commas(tmp_path, capsys):
    p = churn_file(tmp_path, churn_rows(feature=lambda i: ["29,85", "1.234,50", "3", "0,5"][i % 4]))
    df, rep = read_table(p, "churn_table", report=True)
    assert df["bill"].tolist()[:4] == [29.85, 1234.5, 3.0, 0.5]
    assert rep.decimal_marks == {"bill": "',' (from its values)"} and rep.delimiter == ";"
    code, out = cx(capsys, "validate", "churn_table", p)
    assert code == 0 and "decimal mark: bill ',' (from its values)" in out
    code, out = cx(capsys, "churn", p, "--target", "churned", "--id", "customer_id", "--folds", "3")
    assert code == 0 and "decimal mark ','" in out and "ROC AUC" in out


def test_undecidable_decimal_mark_is_refused_naming_column_and_option(tmp_path, capsys):
    p = churn_file(tmp_path, churn_rows(feature=lambda i: f"{1 + i % 9},{(i * 37) % 1000:03d}"), sep=",", quote=True)
    with pytest.raises(ValidationError) as err:
        read_table(p, "churn_table")
    prob = err.value.problems[0]
    assert (prob.kind, prob.column) == ("decimal mark cannot be decided", "bill")
    assert "--decimal ," in prob.fix and "--decimal ." in prob.fix and "decimal=','" in prob.fix
    for argv in (["validate", "churn_table", p], ["churn", p, "--target", "churned"]):
        code, out = cx(capsys, *argv)
        assert code == 2 and "'bill'" in out and "--decimal ," in out
        assert "decimal=" not in out and "in Python" not in out  # the option, not the argument
    assert read_table(p, "churn_table", decimal=".")["bill"].iloc[1] == 2037
    assert read_table(p, "churn_table", decimal=",")["bill"].iloc[1] == pytest.approx(2.037)
    code, out = cx(capsys, "validate", "churn_table", p, "--decimal", ",")
    assert code == 0 and "bill ',' (as --decimal)" in out


def test_both_decimal_marks_in_one_column_is_an_error_naming_rows(tmp_path, capsys):
    p = churn_file(tmp_path, churn_rows(8, feature=lambda i: "1.5" if i == 2 else "2,5" if i == 5 else "3"))
    code, out = cx(capsys, "validate", "churn_table", p)
    assert code == 2 and "both '.' and ',' used as the decimal mark" in out and "rows 4, 7" in out


def test_decimal_decided_per_column_with_thousands_and_persian_separators():
    assert to_numbers(["1,234", "12.5"]).tolist() == [1234.0, 12.5]  # the dot decides
    assert to_numbers(["1.234", "0,5"]).tolist() == [1234.0, 0.5]  # the comma decides
    assert to_numbers(["۱٬۲۰۰", "3,400"]).tolist() == [1200.0, 3400.0]  # Persian grouping
    assert to_numbers(["1 234,5", "$12", "15%"]).tolist() == [1234.5, 12.0, 15.0]
    with pytest.raises(ValidationError, match="decimal mark cannot be decided"):
        to_numbers(["1,234"])


@pytest.mark.parametrize("command", ["validate", "nps", "agents", "churn", "run"])
def test_every_reading_command_takes_the_same_five_options(command):
    sub = next(a for a in build_parser()._actions if a.dest == "command").choices[command]
    flags = {f for a in sub._actions for f in a.option_strings}
    assert {"--sheet", "--sep", "--decimal", "--dayfirst", "--encoding"} <= flags


def test_run_validates_with_the_reading_options_before_running(tmp_path, capsys):
    p = survey(tmp_path, ["19/03/2024", "03/19/2024"], sep=";")
    code, out = cx(capsys, "run", "05", "--data", p, "--out", tmp_path / "out")
    assert code == 2 and "both day/month and month/day order" in out and "rows 2, 3" in out
    code, out = cx(capsys, "run", "05", "--data", p, "--out", tmp_path / "out", "--encoding", "nope")
    assert code == 2 and "unknown encoding 'nope'" in out


# ============================================================ 6. dates decided per column
def test_one_day_above_12_makes_the_whole_column_day_first(tmp_path, capsys):
    p = survey(tmp_path, ["03/04/2024", "19/03/2024", "05/06/2024"])
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["survey_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-04-03", "2024-03-19", "2024-06-05"]
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 0 and "survey_date day/month/year (from its values: '19/03/2024' in row 3)" in out
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 0 and "dates day/month/year" in out


def test_both_date_orders_in_a_column_is_an_error_naming_rows(tmp_path, capsys):
    p = survey(tmp_path, ["03/04/2024", "19/03/2024", "03/19/2024"])
    for argv in (["validate", "nps_surveys", p], ["nps", p, "--score", "ltr"]):
        code, out = cx(capsys, *argv)
        assert code == 2 and "dates in both day/month and month/day order" in out and "rows 3, 4" in out


def test_undecidable_dates_follow_the_option_and_the_report_says_so(tmp_path, capsys):
    p = survey(tmp_path, ["03/04/2024", "05/06/2024"])
    assert read_table(p, "nps_surveys")["survey_date"].dt.month.tolist() == [3, 5]
    assert read_table(p, "nps_surveys", dayfirst=True)["survey_date"].dt.month.tolist() == [4, 6]
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 0 and "month/day/year (not decidable from its values" in out and "--dayfirst" in out
    code, out = cx(capsys, "validate", "nps_surveys", p, "--dayfirst")
    assert code == 0 and "day/month/year (as --dayfirst)" in out


def test_offsets_mixed_with_plain_dates_keep_the_local_time(tmp_path, capsys):
    p = survey(tmp_path, ["2024-03-19T10:00:00+03:30", "2024-03-20", "2024-03-21T08:00:00Z"])
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["survey_date"].astype(str).tolist() == [
        "2024-03-19 10:00:00",
        "2024-03-20 00:00:00",
        "2024-03-21 08:00:00",
    ]
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 0 and "2 time-zone offsets dropped (the local time is kept)" in out


def test_small_integers_in_a_date_column_are_not_excel_serials(tmp_path, capsys):
    p = survey(tmp_path, ["2024-01-05", "5", "12"])
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 2 and "date not understood in 2 rows (rows 3, 4); values: '5', '12'" in out
    p = survey(tmp_path, ["45292", "45293"], name="serials.csv")
    assert to_dates(["45292", "45293"]).dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-02"]
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 0 and "2 Excel serial numbers converted to dates" in out


# ============================================================ 7. Persian (Jalali) dates
def test_jalali_dates_with_persian_digits_and_month_names_become_gregorian(tmp_path, capsys):
    p = survey(tmp_path, ["1403/01/15", "۱۴۰۳/۰۱/۱۶", "۱۷ فروردین ۱۴۰۳", "چهارشنبه ۲۹ اسفند ۱۴۰۲"])
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["survey_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-04-03",
        "2024-04-04",
        "2024-04-05",
        "2024-03-19",
    ]
    assert {
        "column": "survey_date",
        "what": "Persian (Jalali) dates converted to Gregorian",
        "count": 4,
    } in rep.conversions
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 0 and "4 Persian (Jalali) dates converted to Gregorian" in out
    p = survey(tmp_path, ["1403/13/01"], name="bad.csv")
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 2 and "date not understood" in out and "1403/13/01" in out


# ============================================================ 8. score labels and blank markers
def test_score_labels_are_read_by_their_leading_number_and_blanks_counted_by_kind(tmp_path, capsys):
    ltr = ["10 - Extremely likely", "0 = Not at all likely", "9", "N/A", "n/a", "-", "Don't know", "7"]
    p = survey(tmp_path, [f"2024-01-0{i + 1}" for i in range(8)], ltr)
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["ltr"].tolist()[:3] == [10, 0, 9] and df["ltr"].isna().sum() == 4
    assert rep.blank_kinds["ltr"] == {"-": 1, "Don't know": 1, "N/A": 1, "n/a": 1}
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 0 and "ltr 4 ('-' 1, \"Don't know\" 1, 'N/A' 1, 'n/a' 1)" in out
    assert "2 score labels read by their leading number" in out
    one = survey(tmp_path, ["2024-01-01", "2024-01-02"], ["10 - Extremely likely", "8"], name="one.csv")
    code, out = cx(capsys, "validate", "nps_surveys", one)
    assert code == 0 and "1 score label read by its leading number" in out, out
    code, out = cx(capsys, "nps", p, "--score", "ltr", "--json")
    import json

    o = json.loads(out)["overall"]
    assert (o["n"], o["promoters"], o["detractors"], o["nps"]) == (4, 2, 1, 25.0)


def test_a_score_written_1_space_0_is_an_error_not_10(tmp_path, capsys):
    p = survey(tmp_path, ["2024-01-01", "2024-01-02"], ["1 0", "8"])
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 2 and "text in a number column in 1 row (row 2); values: '1 0'" in out


# ============================================================ 9. encodings and structure
def test_the_encoding_is_decided_for_the_file_and_reported_by_every_command(tmp_path, capsys):
    rows = [f"R{i},{'علي' if i % 2 else 'رضا'},{1 + i % 5},{1 if i % 3 else 0},{i % 11}" for i in range(30)]
    p = write(tmp_path, "fa.csv", "response_id,agent_id,csat,churned,ltr\n" + "\n".join(rows) + "\n", "cp1256")
    for argv in (
        ["validate", "agent_feedback", p],
        ["agents", p],
        ["nps", p, "--score", "ltr"],
        ["churn", p, "--target", "churned", "--id", "response_id", "--folds", "2"],
    ):
        code, out = cx(capsys, *argv)
        assert code == 0 and "cp1256 (Windows Persian/Arabic; not UTF-8)" in out, argv
    assert "علی" in read_table(p, "agent_feedback")["agent_id"].tolist()  # Arabic yeh unified


def test_a_stray_byte_in_a_utf8_file_is_reported_with_its_position(tmp_path, capsys):
    raw = "response_id,survey_date,ltr,city\nR1,2024-01-01,9,شیراز\n".encode() + b"R2,2024-01-02,7,Caf\xe9\n"
    p = tmp_path / "stray.csv"
    p.write_bytes(raw)
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 2 and "stray bytes in a UTF-8 file" in out and "byte 0xE9 at line 3, column 20" in out
    assert "--encoding cp1256" in out
    code, out = cx(capsys, "validate", "nps_surveys", p, "--encoding", "cp1252")
    assert code == 0 and "cp1252" in out


@pytest.mark.parametrize(
    "encoding,reported",
    [
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-16", "utf-16"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1252", "cp1252"),
    ],
)
def test_utf16_without_bom_and_western_windows_files_are_detected(tmp_path, encoding, reported):
    p = write(tmp_path, "u.txt", "response_id\tsurvey_date\tltr\tcity\nR1\t2024-01-01\t9\tZürich\n", encoding)
    df, rep = read_table(p, "nps_surveys", report=True)
    assert rep.encoding == reported and df["city"].tolist() == ["Zürich"] and df["ltr"].tolist() == [9]


def test_nul_bytes_are_an_error_never_a_truncation(tmp_path, capsys):
    p = write(
        tmp_path, "nul.csv", "response_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02,7\x00\nR3,2024-01-03,5\n"
    )
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 2 and "NUL characters in the file" in out and "line 3, column 16" in out


def test_short_rows_are_an_error_like_long_rows(tmp_path, capsys):
    p = write(
        tmp_path,
        "rows.csv",
        "response_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02\nR3,2024-01-03,5,x\nR4,2024-01-04\n",
    )
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 2 and "row has more cells than the header in 1 row (row 4)" in out
    assert "row has fewer cells than the header in 2 rows (rows 3, 5)" in out
    p = write(tmp_path, "short.csv", "response_id,survey_date,ltr,comment\nR1,2024-01-01,9,\nR2,2024-01-02,7\n")
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 2 and "fewer cells than the header in 1 row (row 3)" in out  # row 2's blank comment is fine


def test_duplicate_headers_after_trimming_are_an_error_naming_both(tmp_path, capsys):
    p = write(tmp_path, "dup.csv", "response_id,ltr,survey_date,ltr \nR1,9,2024-01-01,8\n")
    code, out = cx(capsys, "nps", p, "--score", "ltr")
    assert code == 2 and "duplicate column name" in out and "column B 'ltr' and column D 'ltr '" in out
    wb = openpyxl.Workbook()
    wb.active.append(["response_id", "Score", "Score"])
    wb.active.append(["R1", 9, 8])
    wb.save(tmp_path / "dup.xlsx")
    code, out = cx(capsys, "validate", "nps_surveys", tmp_path / "dup.xlsx")
    assert code == 2 and "column B 'Score' and column C 'Score'" in out


def test_formulas_without_saved_results_say_to_save_in_excel(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["response_id", "survey_date", "ltr"], ["R1", "2024-01-01", "=4+5"], ["R2", "2024-01-02", 7]):
        ws.append(row)
    wb.save(tmp_path / "f.xlsx")
    code, out = cx(capsys, "nps", tmp_path / "f.xlsx", "--score", "ltr")
    assert code == 2 and "formulas without saved results in 1 row (row 2); values: 'C2: =4+5'" in out
    assert "save it" in out


def test_a_first_sheet_that_is_not_the_table_lists_the_sheets(tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    wb.active.append(["Agent survey, exported 2024-05-01"])
    data = wb.create_sheet("Answers")
    for row in (["response_id", "agent_id", "csat"], ["R1", "A1", 5], ["R2", "A2", 3]):
        data.append(row)
    wb.save(tmp_path / "book.xlsx")
    code, out = cx(capsys, "agents", tmp_path / "book.xlsx")
    assert code == 2 and "the first sheet ('Cover') does not hold the 'agent_feedback' table" in out
    assert "sheets 'Cover', 'Answers'" in out and "--sheet 'Answers'" in out
    for sheet in ("Answers", "2"):
        code, out = cx(capsys, "agents", tmp_path / "book.xlsx", "--sheet", sheet)
        assert code == 0 and "sheet 'Answers'" in out
    wb.move_sheet("Answers", offset=-1)  # the table first, missing a column: no sheet hint
    wb["Answers"].delete_cols(3)
    wb.save(tmp_path / "book2.xlsx")
    code, out = cx(capsys, "agents", tmp_path / "book2.xlsx")
    assert code == 2 and "column 'csat' not found" in out and "first sheet" not in out


# ============================================================ 10. never an internal error
def test_blank_lines_before_the_header_csv_and_xlsx(tmp_path, capsys):
    p = write(tmp_path, "lead.csv", "\n,,\n\nresponse_id,survey_date,ltr\nR1,2024-01-01,9\nR2,2024-01-02,12\n")
    code, out = cx(capsys, "validate", "nps_surveys", p)
    assert code == 2 and "out of range in 1 row (row 6)" in out  # Excel's row number
    wb = openpyxl.Workbook()
    for row in ([], [None, None], ["response_id", "survey_date", "ltr"], ["R1", "2024-01-01", 9]):
        wb.active.append(row)
    wb.save(tmp_path / "lead.xlsx")
    code, out = cx(capsys, "nps", tmp_path / "lead.xlsx", "--score", "ltr")
    assert code == 0 and "n" in out


def test_corrupt_workbooks_are_refused_clearly(tmp_path, capsys):
    wb = openpyxl.Workbook()
    wb.active.append(["response_id", "agent_id", "csat"])
    wb.save(tmp_path / "ok.xlsx")
    good = (tmp_path / "ok.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as zin, zipfile.ZipFile(tmp_path / "xml.xlsx", "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, data[: len(data) // 2] if info.filename.startswith("xl/worksheets/") else data)
    for name in ("cut.xlsx", "xml.xlsx"):
        code, out = cx(capsys, "agents", tmp_path / name)
        assert code == 2 and "could not be read as an Excel workbook" in out, name


def test_inf_and_nan_text_in_a_feature(tmp_path, capsys):
    rows = churn_rows(feature=lambda i: "inf" if i == 4 else "NaN" if i == 6 else str(i % 5))
    p = churn_file(tmp_path, rows, sep=",")
    code, out = cx(capsys, "churn", p, "--target", "churned", "--id", "customer_id")
    assert code == 2 and "column 'bill': infinite value in 1 row (row 6); values: 'inf'" in out
    df, rep = read_table(
        churn_file(tmp_path, [r for r in rows if r[2] != "inf"], sep=",", name="nan.csv"), "churn_table", report=True
    )
    assert df["bill"].isna().sum() == 1 and rep.blank_kinds["bill"] == {"NaN": 1}
    with pytest.raises(CxError, match="infinite"):
        from cxlib.analytics.churn import clean_features

        clean_features(pd.DataFrame({"x": [1.0, np.inf, 2, 3], "y": [0, 1, 0, 1]}), "y")


# ============================================================ 19. cx validate activity without customer_id
def test_validate_activity_without_customer_id_is_a_clean_missing_column_error(tmp_path, capsys):
    rows = [f"2024-0{m}-01,5.5,{m},{m % 2},{m},1" for m in range(1, 7)] * 2  # repeated months: no KeyError
    p = write(
        tmp_path,
        "act.csv",
        "month,spend,complaints,complaints_resolved,care_contacts,churned\n" + "\n".join(rows) + "\n",
    )
    code, out = cx(capsys, "validate", "activity", p)
    assert code == 2 and "column 'customer_id': missing column" in out
    assert "--column customer_id=" in out and "KeyError" not in out
    rep = validate_file(p, "activity")
    assert [x.kind for x in rep.problems] == ["missing column"]


def test_cx_run_hands_the_lesson_a_plain_copy_read_with_the_options(tmp_path):
    """What `cx run --sep ; --decimal , --dayfirst` gives the lesson: the table as read, as a plain CSV."""
    from cxlib.data.io import to_clean_csv

    p = write(tmp_path, "eu.csv", "ID;Datum;Empfehlung;Betrag\nA1;03.04.2024;9;1,5\nA2;05.06.2024;6;2\n", "cp1252")
    opts = {"sep": ";", "decimal": ",", "dayfirst": True}
    df, rep = read_table(
        p, "nps_surveys", {"response_id": "ID", "survey_date": "Datum", "ltr": "Empfehlung"}, report=True, **opts
    )
    copy = to_clean_csv(df, rep, tmp_path / "copy.csv")
    assert copy.read_text(encoding="utf-8").splitlines()[0] == "ID,Datum,Empfehlung,Betrag"
    again = read_table(copy, "nps_surveys", {"response_id": "ID", "survey_date": "Datum", "ltr": "Empfehlung"})
    pd.testing.assert_frame_equal(again, df)
    assert again["survey_date"].dt.month.tolist() == [4, 6] and again["Betrag"].tolist() == [1.5, 2.0]


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_a_reading_option_that_changed_nothing_is_said(tmp_path, capsys, engine):
    """--dayfirst on ISO dates (or a Parquet file's typed dates) and --decimal without a number to decide."""
    from cxlib.data.engine import validate_source

    p = survey(tmp_path, ["2024-01-02", "2024-01-03"])
    rep, _ = validate_source(p, "nps_surveys", engine=engine, dayfirst=True)
    assert rep.ok and rep.unused_options == ["--dayfirst"] and "changed nothing" in rep.notes[0]
    code, out = cx(capsys, "nps", p, "--score", "ltr", "--no-dayfirst", "--engine", engine)
    assert code == 0 and "; --no-dayfirst changed nothing" in out.splitlines()[0]
    rep, _ = validate_source(survey(tmp_path, ["03/04/2024", "19/03/2024"], name="d.csv"), "nps_surveys", dayfirst=True)
    assert rep.unused_options == [] and rep.date_orders
    rep, _ = validate_source(p, "nps_surveys", engine=engine, decimal=",")
    assert rep.unused_options == ["--decimal ,"]


def test_excel_short_dates_with_a_two_digit_year_are_read_and_said(tmp_path, capsys):
    """Excel's d-mmm-yy format saved as CSV (5-Jan-24): read, and the report says how the year was read."""
    p = survey(tmp_path, ["5-Jan-24", "12-Feb-24", "30-Dec-99"])
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["survey_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-05", "2024-02-12", "1999-12-30"]
    assert {
        "column": "survey_date",
        "what": "dates with a two-digit year (5-Jan-24) read as 2000-2068 or 1969-1999",
        "count": 3,
    } in rep.conversions
    code, out = cx(capsys, "validate", "nps_surveys", survey(tmp_path, ["31-Feb-24"], name="bad.csv"))
    assert code == 2 and "date not understood" in out

"""Tests of cxlib.data.io.read_table on messy files created here, and on every bad-input case."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.data.io import ReadReport, read_table, to_ascii_digits, validate_file, validate_frame
from cxlib.errors import CxError, ValidationError

DATA = Path(__file__).resolve().parents[1] / "data"
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def problems_of(path, kind, **kw) -> tuple[str, list]:
    with pytest.raises(ValidationError) as exc:
        read_table(path, kind, **kw)
    return str(exc.value), exc.value.problems


def by_kind(problems, kind):
    hits = [p for p in problems if p.kind.startswith(kind)]
    assert hits, f"no problem {kind!r} in {[p.kind for p in problems]}"
    return hits[0]


# ----------------------------------------------------------------- messy but valid files
def test_cp1256_file_with_persian_text(tmp_path):
    # Windows-1256 has no code points for Persian digits (۰-۹) or Persian yeh (ی): Persian
    # Windows stores digits as ASCII and yeh as Arabic yeh (ي), which read_table unifies.
    with pytest.raises(UnicodeEncodeError):
        "۱".encode("cp1256")
    text = (
        "response_id,survey_date,ltr,city,comment\nR1,2024-01-05,9,شيراز,خيلي خوب بود\nR2,2024-02-10,3,تهران,گران است\n"
    )
    p = write(tmp_path, "nps_cp1256.csv", text, "cp1256")
    df, rep = read_table(p, "nps_surveys", report=True)
    assert rep.encoding == "cp1256"
    assert "cp1256" in rep.summary()
    assert df["city"].tolist() == ["شیراز", "تهران"]  # Arabic yeh -> Persian yeh in categories
    assert df["comment"].tolist() == ["خيلي خوب بود", "گران است"]  # free text kept as written
    assert df["ltr"].tolist() == [9, 3]
    assert {"column": "city", "what": "values with Arabic ي/ك unified to Persian ی/ک", "count": 1} in rep.conversions


def test_persian_and_arabic_digits_and_separators(tmp_path):
    text = (
        "response_id,survey_date,ltr,switch_discount_pct,tenure_months\n"
        "R1,۲۰۲۴-۰۱-۰۵,۹,۱۵,۱۲\n"
        "R2,٢٠٢٤-٠٢-١٠,٣,٢٠,٣\n"
        'R3,2024-03-01,10,5,"۱٬۲۰۰"\n'
    )
    p = write(tmp_path, "digits.csv", text)
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["ltr"].tolist() == [9, 3, 10]
    assert df["ltr"].dtype == "int64"
    assert df["survey_date"].tolist() == list(pd.to_datetime(["2024-01-05", "2024-02-10", "2024-03-01"]))
    assert df["tenure_months"].tolist() == [12, 3, 1200]
    conv = rep.conversions_table().set_index(["column", "what"])["count"]
    assert conv[("ltr", "values with Persian/Arabic digits converted")] == 2
    assert conv[("survey_date", "values with Persian/Arabic digits converted")] == 2
    assert conv[("tenure_months", "thousands separators removed")] == 1


def test_persian_decimal_separator_and_comma_thousands(tmp_path):
    text = (
        "customer_id,month,spend,usage_gb\n"
        'C1,2024-01-01,"1,234.5",۱۲٫۵\n'
        'C2,2024-01-01,"12,000",3\n'
        "C3,2024-01-01,7.25,0\n"
    )
    p = write(tmp_path, "act.csv", text)
    df, rep = read_table(p, "activity", report=True)
    assert df["spend"].tolist() == [1234.5, 12000.0, 7.25]
    assert df["usage_gb"].tolist() == [12.5, 3.0, 0.0]
    assert df["spend"].dtype == "float64"
    assert {"column": "spend", "what": "thousands separators removed", "count": 2} in rep.conversions


def test_utf8_bom_file(tmp_path):
    p = write(tmp_path, "bom.csv", "customer_id,churned\nC1,1\nC2,0\n", "utf-8-sig")
    df, rep = read_table(p, "churn_table", report=True)
    assert rep.encoding == "utf-8-sig"
    assert list(df.columns) == ["customer_id", "churned"]  # no '\ufeffcustomer_id'
    assert df["churned"].tolist() == [1, 0]


def test_utf16_and_semicolon_delimiter(tmp_path):
    p = write(tmp_path, "u16.txt", "customer_id;churned\nC1;yes\nC2;no\n", "utf-16")
    df, rep = read_table(p, "churn_table", report=True)
    assert (rep.encoding, rep.delimiter) == ("utf-16", ";")
    assert df["churned"].tolist() == [1, 0]


def test_trailing_spaces_in_headers_and_values_and_header_matching(tmp_path):
    text = (
        " Response ID ,Survey Date , LTR ,Shop Around,plan\n"
        " R1 , 2024-01-05 , 9 , Often ,Basic  \n"
        "R2,2024-01-06,10,never,\u200fPlus\n"
    )
    p = write(tmp_path, "spaces.csv", text)
    df, rep = read_table(p, "nps_surveys", report=True)
    assert list(df.columns) == ["response_id", "survey_date", "ltr", "shop_around", "plan"]
    assert df["response_id"].tolist() == ["R1", "R2"]
    assert df["plan"].tolist() == ["Basic", "Plus"]
    assert df["shop_around"].tolist() == ["often", "never"]
    assert df["ltr"].tolist() == [9, 10]
    assert rep.renamed["Response ID"] == "response_id"
    conv = rep.conversions_table().set_index(["column", "what"])["count"]
    assert conv[("plan", "values with spaces trimmed")] == 1
    assert conv[("shop_around", "values lower-cased to match the allowed values")] == 1


def test_empty_rows_are_dropped_and_counted(tmp_path):
    text = "customer_id,churned\nC1,1\n,\nC2,0\n\n,\n  ,  \n"
    p = write(tmp_path, "trail.csv", text)
    df, rep = read_table(p, "churn_table", report=True)
    assert df["customer_id"].tolist() == ["C1", "C2"]
    assert rep.rows_read == 6 and rep.empty_rows_dropped == 4 and rep.rows == 2
    assert rep.empty_rows == (3, 5, 6, 7)
    assert "4 empty dropped (rows 3, 5, 6, 7)" in rep.summary()


def test_row_numbers_survive_dropped_rows(tmp_path):
    p = write(tmp_path, "gap.csv", "customer_id,churned\nC1,1\n,\n\nC2,7\n")
    _, problems = problems_of(p, "churn_table")
    assert by_kind(problems, "not a 0/1 flag").rows == (5,)


def make_xlsx(path: Path, rows: list, sheet: str = "Export") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_excel_with_real_and_serial_dates_and_trailing_rows(tmp_path):
    p = make_xlsx(
        tmp_path / "fb.xlsx",
        [
            ["ID ", "Agent", "Answered", "CSAT", "Effort", "comment"],
            [101, "A01", dt.datetime(2024, 1, 5, 10, 30), 5, 1, "great"],
            [102, "A02", 45299, 4.0, None, None],  # Excel serial number: 2024-01-08
            [103, "A02", "2024-01-09", "۳", 2, "  "],
            [None, None, None, None, None, None],  # trailing empty rows
            [None, None, None, None, None, None],
        ],
    )
    df, rep = read_table(
        p, "agent_feedback", report=True, columns={"response_id": "ID", "agent_id": "Agent", "date": "Answered"}
    )
    assert rep.format == "xlsx" and rep.sheet == "Export"
    assert df["response_id"].tolist() == ["101", "102", "103"]  # ids are text, not 101.0
    assert df["date"].tolist() == [
        pd.Timestamp("2024-01-05 10:30"),
        pd.Timestamp("2024-01-08"),
        pd.Timestamp("2024-01-09"),
    ]
    assert df["csat"].tolist() == [5, 4, 3] and df["csat"].dtype == "int64"
    assert df["effort"].isna().sum() == 1 and rep.blanks["effort"] == 1
    assert rep.empty_rows_dropped == 2 and rep.empty_rows == (5, 6)
    conv = rep.conversions_table().set_index(["column", "what"])["count"]
    assert conv[("date", "Excel serial numbers converted to dates")] == 1


def test_excel_sheet_choice_and_serial_dates_in_csv(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["notes"])
    ws = wb.create_sheet("data")
    ws.append(["customer_id", "churned"])
    ws.append(["C1", True])
    wb.save(tmp_path / "two.xlsx")
    df = read_table(tmp_path / "two.xlsx", "churn_table", sheet="data")
    assert df["churned"].tolist() == [1]
    with pytest.raises(CxError, match="no sheet 'nope'.*'data'"):
        read_table(tmp_path / "two.xlsx", "churn_table", sheet="nope")
    assert read_table(tmp_path / "two.xlsx", "churn_table", sheet="DATA")["churned"].tolist() == [1]  # any case
    assert read_table(tmp_path / "two.xlsx", "churn_table", sheet="2")["churned"].tolist() == [1]  # 1 = first
    with pytest.raises(CxError, match="no sheet '3'; the workbook has 2 sheet"):  # the number asked for
        read_table(tmp_path / "two.xlsx", "churn_table", sheet="3")
    p = write(tmp_path, "serial.csv", "customer_id,signup_date\nC1,45292\nC2,20240105\n")
    df = read_table(p, "customers")
    assert df["signup_date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-05")]


def test_flags_yes_no_and_persian(tmp_path):
    p = write(tmp_path, "flags.csv", "customer_id,churned\nC1,Yes\nC2,no\nC3,TRUE\nC4,بله\nC5,خیر\n")
    df, rep = read_table(p, "churn_table", report=True)
    assert df["churned"].tolist() == [1, 0, 1, 1, 0]
    assert rep.conversions[0]["count"] == 5


def test_churn_table_features_cleaned_and_kept(tmp_path):
    p = write(tmp_path, "ct.csv", 'cust,left,spend,plan\nC1,1,"۱٬۲۰۰",Basic\nC2,0,"3,400",Plus\n')
    df, rep = read_table(p, "churn_table", {"customer_id": "cust", "churned": "left"}, report=True)
    assert list(df.columns) == ["customer_id", "churned", "spend", "plan"]
    assert df["spend"].tolist() == [1200.0, 3400.0]
    assert rep.extra_columns == ["spend", "plan"]
    assert any("'plan'" in n for n in rep.notes)


def test_extra_columns_kept_not_validated(tmp_path):
    p = write(tmp_path, "x.csv", "response_id,survey_date,ltr,region,valu_for_money\nR1,2024-01-01,5,N,x\n")
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["region"].tolist() == ["N"]
    assert rep.extra_columns == ["region", "valu_for_money"]
    assert "kept, not validated: 'region', 'valu_for_money'" in rep.summary()
    assert any("value_for_money" in n for n in rep.notes)  # likely typo of an optional column


def test_require_makes_optional_column_required(tmp_path):
    p = write(tmp_path, "r.csv", "response_id,survey_date,ltr\nR1,2024-01-01,5\n")
    msg, problems = problems_of(p, "nps_surveys", require=["plan"])
    assert by_kind(problems, "missing column").column == "plan"


def test_blank_answers_allowed_and_counted(tmp_path):
    p = write(tmp_path, "b.csv", "response_id,survey_date,ltr\nR1,2024-01-01,5\nR2,2024-01-02,\nR3,2024-01-03,N/A\n")
    df, rep = read_table(p, "nps_surveys", report=True)
    assert df["ltr"].isna().sum() == 2 and df["ltr"].dtype == "float64"
    assert rep.blanks == {"ltr": 2}


def test_report_repr_and_json(tmp_path):
    p = write(tmp_path, "ok.csv", "customer_id,churned\nC1,1\n")
    _, rep = read_table(p, "churn_table", report=True)
    assert isinstance(rep, ReadReport) and rep.ok
    assert repr(rep) == rep.summary()
    assert "result: valid" in repr(rep)
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["valid"] is True and d["rows"] == 1 and d["encoding"] == "utf-8"


# ----------------------------------------------------------------- bad input
def test_missing_column_lists_file_columns_and_close_match(tmp_path):
    p = write(tmp_path, "m.csv", "response_id,survey_date,Likelihood\nR1,2024-01-01,5\n")
    msg, problems = problems_of(p, "nps_surveys")
    assert msg.startswith("m.csv: 1 problem found")
    prob = by_kind(problems, "missing column")
    assert prob.column == "ltr"
    assert "'response_id', 'survey_date', 'Likelihood'" in prob.fix
    assert "columns={'ltr':" in prob.fix and "--column ltr=" in prob.fix


def test_unknown_column_that_looks_like_a_typo_of_a_required_one(tmp_path):
    p = write(tmp_path, "t.csv", "respons_id,survey_date,ltr\nR1,2024-01-01,5\n")
    msg, problems = problems_of(p, "nps_surveys")
    prob = by_kind(problems, "missing column")
    assert prob.column == "response_id"
    assert "'respons_id' looks like a misspelling" in prob.kind
    assert "Did you mean 'respons_id'?" in prob.fix


def test_a_column_that_differs_by_a_word_is_not_called_a_misspelling(tmp_path):
    """'Response date' is not 'response_id' misspelt (it shares a word, not a typo)."""
    p = write(tmp_path, "t.csv", "Response date,survey_date,ltr\n2024-01-01,2024-01-01,5\n")
    msg, problems = problems_of(p, "nps_surveys")
    prob = by_kind(problems, "missing column")
    assert prob.column == "response_id" and "misspelling" not in prob.kind and "Did you mean" not in prob.fix
    p = write(tmp_path, "u.csv", "Responce ID,survey_dat,ltr\nR1,2024-01-01,5\n")
    msg, problems = problems_of(p, "nps_surveys")
    kinds = {q.column: q.kind for q in problems}
    assert "'Responce ID' looks like a misspelling" in kinds["response_id"]
    assert "'survey_dat' looks like a misspelling" in kinds["survey_date"]


@pytest.mark.parametrize(
    "header,schema_column",
    [
        ("Response (ID)", "response_id"),
        ("Response ID#", "response_id"),
        ("Response_Id (text)", "response_id"),
        ("Switch discount %", "switch_discount_pct"),
    ],
)
def test_symbols_and_trailing_words_do_not_hide_a_misspelling(header, schema_column):
    from cxlib.data.io._columns import misspellings

    assert misspellings(schema_column, [header, "ltr"]) == [header]


def test_a_mapped_name_outside_the_schema_is_one_problem(tmp_path, capsys):
    from cxlib.cli import main

    p = write(tmp_path, "r.csv", "response_id,survey_date,ltr,Region\nR1,2024-01-01,9,N\n")
    assert main(["nps", str(p), "--score", "ltr", "-c", "region=Region"]) == 2
    err = capsys.readouterr().err
    assert "1 problem found" in err and err.count("is not a column of the 'nps_surveys' schema") == 1, err


def test_mapping_errors(tmp_path):
    p = write(tmp_path, "map.csv", "ID,date,Q1 Likelihood\nR1,2024-01-01,5\n")
    msg, problems = problems_of(
        p, "nps_surveys", columns={"response_id": "ID", "survey_date": "date", "ltr": "Q1 Likelihod", "score": "x"}
    )
    assert "column 'Q1 Likelihod' not found" in msg
    assert "Close matches: 'Q1 Likelihood'" in msg
    assert "'score' is not a column of the 'nps_surveys' schema" in msg
    # a Persian question mark in the file header matches '?' in the mapping
    p = write(tmp_path, "q.csv", "response_id,survey_date,توصیه می‌کنید؟\nR1,2024-01-01,5\n")
    df = read_table(p, "nps_surveys", columns={"ltr": "توصيه می‌کنید?"})
    assert df["ltr"].tolist() == [5]


def test_score_out_of_range_non_integer_and_text(tmp_path):
    rows = ["R1,2024-01-01,11", "R2,2024-01-02,7.5", "R3,2024-01-03,ten", "R4,2024-01-04,-1", "R5,2024-01-05,8"]
    p = write(tmp_path, "scores.csv", "response_id,survey_date,ltr\n" + "\n".join(rows) + "\n")
    msg, problems = problems_of(p, "nps_surveys")
    assert msg.startswith("scores.csv: 3 problems found")
    rng = by_kind(problems, "out of range")
    assert (rng.column, rng.rows, rng.values, rng.count) == ("ltr", (2, 5), ("11", "-1"), 2)
    assert "0 to 10" in rng.fix
    whole = by_kind(problems, "not a whole number")
    assert (whole.rows, whole.values) == ((3,), ("7.5",))
    text = by_kind(problems, "text in a number column")
    assert (text.column, text.rows, text.values) == ("ltr", (4,), ("ten",))
    assert "column 'ltr': text in a number column in 1 row (row 4); values: 'ten'." in msg


def test_duplicate_ids(tmp_path):
    p = write(tmp_path, "dup.csv", "customer_id,churned\nC1,1\nC2,0\nC1,0\nC3,1\nC2,1\n")
    msg, problems = problems_of(p, "churn_table")
    prob = by_kind(problems, "duplicate id")
    assert (prob.column, prob.rows, prob.count) == ("customer_id", (2, 3, 4, 6), 4)
    assert prob.values == ("C1", "C2", "C1", "C2")


def test_activity_duplicate_customer_month_and_resolved_more_than_complaints(tmp_path):
    p = write(
        tmp_path,
        "act.csv",
        "customer_id,month,complaints,complaints_resolved,spend\n"
        "C1,2024-01-01,1,2,5\nC1,2024-01-01,0,0,-3\nC2,2024-01-01,2,1,4\n",
    )
    msg, problems = problems_of(p, "activity")
    dup = by_kind(problems, "duplicate rows for the same customer_id and month")
    assert dup.rows == (2, 3)
    res = by_kind(problems, "complaints_resolved greater than complaints")
    assert (res.rows, res.values) == ((2,), ("2 resolved of 1",))
    neg = by_kind(problems, "negative value")
    assert (neg.column, neg.rows, neg.values) == ("spend", (3,), (-3,))


def test_dates_future_unparseable_and_persian_calendar(tmp_path):
    future = (pd.Timestamp.now() + pd.Timedelta(days=30)).strftime("%Y-%m-%d")
    rows = [f"R1,{future},5", "R2,not a date,5", "R3,1403/01/15,5", "R4,2024-01-01,5", "R5,,5"]
    p = write(tmp_path, "dates.csv", "response_id,survey_date,ltr\n" + "\n".join(rows) + "\n")
    msg, problems = problems_of(p, "nps_surveys")
    fut = by_kind(problems, "date in the future")
    assert (fut.column, fut.rows, fut.values) == ("survey_date", (2,), (future,))
    bad = by_kind(problems, "date not understood")
    assert (bad.rows, bad.values) == ((3,), ("not a date",))
    # 1403/01/15 is a Persian (Jalali) date: converted to 2024-04-03, not a problem (issue 15)
    assert not [x for x in problems if 4 in x.rows]
    blank = by_kind(problems, "blank in a required column")
    assert (blank.column, blank.rows) == ("survey_date", (6,))


def test_flag_not_0_1_and_category_not_allowed(tmp_path):
    p = write(tmp_path, "f.csv", "customer_id,signup_date,status\nC1,2024-01-01,gone\nC2,2024-01-01,active\n")
    _, problems = problems_of(p, "customers")
    prob = by_kind(problems, "value not allowed")
    assert (prob.column, prob.rows, prob.values) == ("status", (2,), ("gone",))
    assert "active, churned" in prob.fix
    p = write(tmp_path, "g.csv", "customer_id,churned\nC1,maybe\nC2,2\n")
    _, problems = problems_of(p, "churn_table")
    assert [(p.kind, p.rows) for p in problems] == [("not a 0/1 flag", (2,)), ("not a 0/1 flag", (3,))]


def test_empty_file_and_header_only(tmp_path):
    p = write(tmp_path, "empty.csv", "")
    msg, problems = problems_of(p, "nps_surveys")
    assert msg.startswith("empty.csv: 1 problem found") and problems[0].kind == "empty file"
    p = write(tmp_path, "header.csv", "response_id,survey_date,ltr\n")
    msg, problems = problems_of(p, "nps_surveys")
    assert [x.kind for x in problems] == ["no data rows (header only)"]
    p = write(tmp_path, "blankrows.csv", "response_id,survey_date,ltr\n,,\n,,\n")
    _, problems = problems_of(p, "nps_surveys")
    assert problems[0].kind == "no data rows (every row is empty)"
    p = make_xlsx(tmp_path / "empty.xlsx", [])
    _, problems = problems_of(p, "nps_surveys")
    assert problems[0].kind == "empty file"


def test_every_problem_listed_at_once_with_counts(tmp_path):
    rows = [f"R{i},2024-01-01,{11 + i}" for i in range(8)] + ["R0,2024-01-01,5"]
    p = write(tmp_path, "many.csv", "response_id,survey_date,ltr,Plan\n" + "\n".join(f"{r},Basic" for r in rows) + "\n")
    msg, problems = problems_of(p, "nps_surveys")
    rng = by_kind(problems, "out of range")
    assert rng.count == 8 and rng.rows == (2, 3, 4, 5, 6)
    assert "(+3 more)" in msg
    assert by_kind(problems, "duplicate id").rows == (2, 10)


def test_error_carries_report(tmp_path):
    p = write(tmp_path, "e.csv", "customer_id,churned\nC1,5\n")
    with pytest.raises(ValidationError) as exc:
        read_table(p, "churn_table")
    rep = exc.value.report
    assert not rep.ok and rep.rows_read == 1 and "NOT valid, 1 problem" in rep.summary()
    assert validate_file(p, "churn_table").problems == exc.value.problems


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("missing.csv", None, "file not found"),
        ("old.xls", b"abc", "old Excel format"),
        ("data.parquet", b"abc", "not a readable Parquet file"),
        ("data.json", b"{}", "unsupported file type '.json'"),
        ("garbage.csv", bytes(range(256)) * 10, "does not look like a text"),
        ("garbage.xlsx", b"not a zip at all", "could not be read as an Excel workbook"),
        ("zip.csv", b"PK\x03\x04rest", "rename it to .xlsx"),
    ],
)
def test_unreadable_files_raise_cx_error(tmp_path, name, content, message):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(CxError, match=message):
        read_table(p, "nps_surveys")


def test_directory_and_unknown_kind(tmp_path):
    with pytest.raises(CxError, match="is a directory"):
        read_table(tmp_path, "nps_surveys")
    with pytest.raises(CxError, match="Unknown table kind"):
        read_table(tmp_path / "x.csv", "surveys")


def test_malformed_row(tmp_path):
    p = write(tmp_path, "mal.csv", "customer_id,churned\nC1,1\nC2,0,extra,cells\n")
    _, problems = problems_of(p, "churn_table")
    prob = by_kind(problems, "row has more cells than the header")
    assert prob.rows == (3,)


# ----------------------------------------------------------------- frames, data, properties
def test_validate_frame_rows_and_bundled_loader_shape():
    df = pd.DataFrame({"customer_id": ["C1", "C2"], "churned": [0, 3]})
    with pytest.raises(ValidationError, match=r"data: 1 problem found[\s\S]*row 3"):
        validate_frame(df, "churn_table")
    out, rep = validate_frame(df.assign(churned=[0, 1]), "churn_table", report=True)
    assert rep.format == "DataFrame" and out["churned"].tolist() == [0, 1]


@pytest.mark.parametrize(
    "kind,file",
    [
        ("customers", "customers.csv"),
        ("activity", "activity.csv"),
        ("interactions", "interactions.csv"),
        ("agent_feedback", "agent_feedback.csv"),
        ("nps_surveys", "nps_surveys.csv"),
        ("churn_table", "churn_snapshot.csv"),
    ],
)
def test_bundled_data_meets_its_schema(kind, file):
    path = DATA / file
    if not path.exists():
        pytest.skip("bundled data not generated yet")
    df, rep = read_table(path, kind, report=True)
    assert rep.ok and rep.rows == rep.rows_read == len(pd.read_csv(path))
    assert rep.encoding == "utf-8"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=-(10**15), max_value=10**15), arabic=st.booleans(), grouped=st.booleans())
def test_digits_round_trip(n, arabic, grouped):
    text = f"{n:,}" if grouped else str(n)
    text = text.translate(AR if arabic else FA)
    if grouped:
        text = text.replace(",", "٬")
    assert to_ascii_digits(text).replace(",", "") == str(n)
    df = pd.DataFrame({"customer_id": ["C1"], "churned": [0], "x": [text]})
    out = validate_frame(df, "churn_table")
    assert out["x"].iloc[0] == n


def test_large_file_vectorised_path(tmp_path):
    n = 20_000
    rng = np.random.default_rng(1)
    ltr = rng.integers(0, 11, n).astype(str).astype(object)
    ltr[::100] = [v.translate(FA) for v in ltr[::100]]
    df = pd.DataFrame({"response_id": [f"R{i}" for i in range(n)], "survey_date": "2024-05-01", "ltr": ltr})
    p = tmp_path / "big.csv"
    df.to_csv(p, index=False)
    out, rep = read_table(p, "nps_surveys", report=True)
    assert out["ltr"].tolist() == [int(to_ascii_digits(v)) for v in ltr]
    assert rep.conversions[0]["count"] == n // 100


def test_bundled_loaders_meet_their_schemas():
    datasets = pytest.importorskip("cxlib.data.datasets")
    loaders = {
        "customers": "load_customers",
        "activity": "load_activity",
        "interactions": "load_interactions",
        "agent_feedback": "load_agent_feedback",
        "nps_surveys": "load_nps_surveys",
        "churn_table": "load_churn_snapshot",
    }
    for kind, name in loaders.items():
        df = getattr(datasets, name)()
        out, rep = validate_frame(df, kind, report=True)
        assert rep.ok and len(out) == len(df), kind
        assert rep.empty_rows_dropped == 0 and not rep.missing_optional, kind


def test_only_requires_just_the_columns_an_analysis_uses(tmp_path):
    f = tmp_path / "scores.csv"
    f.write_text("Q1,Region\n9,North\n6,South\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="response_id"):
        read_table(f, "nps_surveys", columns={"ltr": "Q1"})
    df = read_table(f, "nps_surveys", columns={"ltr": "Q1"}, only=["ltr"])
    assert df["ltr"].tolist() == [9, 6] and "Region" in df.columns
    with pytest.raises(ValidationError, match="survey_date"):  # `only` columns are required
        read_table(f, "nps_surveys", columns={"ltr": "Q1"}, only=["ltr", "survey_date"])


def test_problems_name_the_files_own_column(tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("Q1 Likelihood\n9\n12\nten\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_table(f, "nps_surveys", columns={"ltr": "Q1 Likelihood"}, only=["ltr"])
    text = str(err.value)
    assert "column 'Q1 Likelihood (as ltr)': out of range" in text and "row 3" in text
    assert "column 'Q1 Likelihood (as ltr)': text in a number column" in text and "'ten'" in text


def test_unparseable_value_in_a_one_column_file_is_reported_not_dropped(tmp_path):
    """A cell that fails to parse must not make its row look empty (silent loss)."""
    f = tmp_path / "one.csv"
    f.write_text("ltr\n9\nten\n\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_table(f, "nps_surveys", only=["ltr"])
    assert "text in a number column in 1 row (row 3); values: 'ten'" in str(err.value)
    assert err.value.report.empty_rows_dropped == 1  # the truly empty last row


def test_churn_target_blank_is_counted_and_churn_words_are_read(tmp_path):
    f = tmp_path / "churn.csv"
    f.write_text("id,Left,x\n1,Yes,3\n2,No,4\n3,,5\n4,churned,1\n5,Active,2\n", encoding="utf-8")
    df, rep = read_table(f, "churn_table", columns={"customer_id": "id", "churned": "Left"}, report=True)
    assert df["churned"].tolist()[:2] == [1.0, 0.0] and np.isnan(df["churned"][2])
    assert df["churned"].tolist()[3:] == [1.0, 0.0]
    assert rep.blanks == {"churned": 1}


def test_churn_words_are_not_flags_elsewhere(tmp_path):
    """'active' must never silently become 0 in a flag that is not a churn flag."""
    f = tmp_path / "act.csv"
    f.write_text("customer_id,month,payment_issue\nC1,2024-01-01,active\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"'payment_issue': not a 0/1 flag in 1 row \(row 2\); values: 'active'"):
        read_table(f, "activity")

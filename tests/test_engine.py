"""Tests of cxlib.data.engine on DuckDB: count tables equal the row-level results, the SQL read report
equals the in-memory reader's, row numbers survive blank lines and quoted line breaks."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.analytics import nps as N
from cxlib.analytics.feedback import AgentFeedback, p_chart
from cxlib.analytics.stats import wilson_interval
from cxlib.data import engine
from cxlib.data.engine import _rows
from cxlib.data.io import validate_file
from cxlib.errors import CxError, ValidationError


def surveys(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ltr = rng.integers(0, 11, n).astype(float)
    ltr[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n)],
            "survey_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
            "ltr": ltr,
            "plan": rng.choice(["Basic", "Plus", "Premium"], n),
            "w": rng.uniform(0.2, 3.0, n).round(3),
        }
    )


# --- count tables against the row-level estimators --------------------------------------------------


@settings(derandomize=True, max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["A", "B", "C", None]), st.one_of(st.none(), st.integers(0, 10))),
        min_size=1,
        max_size=60,
    )
)
def test_nps_counts_equal_row_level(rows):
    df = pd.DataFrame(rows, columns=["seg", "ltr"]).astype({"ltr": float})
    counts = engine.nps_counts(df, "ltr", by="seg")
    assert list(counts.columns) == ["seg", "promoters", "passives", "detractors", "missing"]
    ref = N.nps_by(df, "ltr", "seg").summary
    assert (
        counts[["promoters", "passives", "detractors"]].to_numpy().tolist()
        == ref[["promoters", "passives", "detractors"]].to_numpy().tolist()
    )
    assert counts["missing"].tolist() == ref["n_missing"].tolist()
    # the estimate from the counts is the row-level estimate
    tot = counts[["promoters", "passives", "detractors", "missing"]].sum()
    r = N.from_counts(int(tot.promoters), int(tot.passives), int(tot.detractors), n_missing=int(tot.missing))
    row = N.nps(df, "ltr")
    if row.n:
        assert (r.nps, r.ci_low, r.ci_high, r.n_missing) == pytest.approx(
            (row.nps, row.ci_low, row.ci_high, row.n_missing)
        )


def test_weighted_sums_reproduce_weighted_nps():
    df = surveys(3000, seed=1)
    counts = engine.nps_counts(df, "ltr", by="plan", weight="w")
    assert list(counts.columns)[1:] == [*engine.NPS_COLUMNS, *engine.NPS_WEIGHT_COLUMNS]
    got = N.weighted_nps_by_from_counts(counts, "plan").summary
    ref = N.nps_by(df, "ltr", "plan", weight="w").summary
    for c in ("nps", "se", "ci_low", "ci_high", "n_eff"):
        assert got[c].to_numpy() == pytest.approx(ref[c].to_numpy())


def test_agent_counts_equal_agent_feedback(tmp_path):
    rng = np.random.default_rng(3)
    n = 2000
    df = pd.DataFrame({"agent_id": rng.choice([f"A{i:02d}" for i in range(12)], n), "csat": rng.integers(1, 6, n)})
    df.loc[rng.random(n) < 0.03, "csat"] = np.nan
    df.loc[rng.random(n) < 0.02, "agent_id"] = None
    counts = engine.agent_counts(df)
    assert list(counts.columns) == ["agent", "satisfied", "answered", "missing"]
    known = counts[counts["agent"].notna()]
    fb = AgentFeedback().fit_counts(known["satisfied"], known["answered"], known["agent"])
    ref = AgentFeedback().fit(df)
    pd.testing.assert_frame_equal(fb.summary, ref.summary)
    assert int(counts["missing"].sum()) == ref.n_missing_
    # per period, for the charts: the periods add up to the agent's totals
    df["date"] = (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")).strftime("%Y-%m-%d")
    per = engine.agent_counts(df, period="date", freq="month")
    assert list(per.columns) == ["agent", "period", "satisfied", "answered", "missing"]
    assert per.groupby("agent", dropna=False)["answered"].sum().tolist() == counts["answered"].tolist()
    assert set(per["period"].dt.day) == {1}


def test_proportion_control_and_churn_counts():
    df = pd.DataFrame(
        {
            "fcr": ["yes", "no", "1", "0", None, "true", "No"],
            "team": ["a", "a", "b", "b", "b", "a", None],
            "date": ["2024-01-01", "2024-01-02", "2024-01-08", "2024-01-09", "2024-01-10", "2024-01-15", "2024-01-16"],
            "csat": [1, 5, 3, 4, None, 2, 5],
            "churned": ["churned", "active", "1", "0", None, "left", "stayed"],
        }
    )
    p = engine.proportion_counts(df, "fcr", by="team")
    assert p.to_dict("list") == {"team": ["a", "b", None], "successes": [2, 1, 0], "n": [3, 2, 1], "missing": [0, 1, 0]}
    lo, hi = wilson_interval(p["successes"].sum(), p["n"].sum())
    assert lo < p["successes"].sum() / p["n"].sum() < hi
    c = engine.control_chart_counts(df, "csat", "date", freq="week", defect_max=3)
    assert c["period"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert c[["defects", "n", "missing"]].to_numpy().tolist() == [[1, 2, 0], [1, 2, 1], [1, 2, 0]]
    chart = p_chart(c["defects"], c["n"])
    assert chart["n"].tolist() == [2, 2, 2]
    flag = engine.control_chart_counts(df, "fcr", "date", freq="month")
    assert flag[["defects", "n", "missing"]].to_numpy().tolist() == [[3, 6, 1]]
    ch = engine.churn_counts(df, by="team")
    assert ch.to_dict("list") == {
        "team": ["a", "b", None],
        "churned": [2, 1, 0],
        "customers": [3, 2, 1],
        "unknown": [0, 1, 0],
    }


def test_bad_values_are_reported_with_rows_and_never_dropped(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("ltr,plan\n9,A\nabc,A\n11,B\n\n7.5,B\n3,B\n")
    with pytest.raises(ValidationError) as err:
        engine.nps_counts(f, "ltr", by="plan")
    probs = {p.kind: p for p in err.value.problems}
    assert probs["text in a number column"].rows == (3,) and probs["text in a number column"].values == ("abc",)
    # row 5 is blank, so 7.5 is on row 6 (as a spreadsheet shows it)
    assert probs["out of range"].rows == (4, 6) and probs["out of range"].count == 2
    with pytest.raises(ValidationError, match="missing column"):
        engine.nps_counts(f, "Likelihood")
    with pytest.raises(ValidationError, match="missing, negative or non-numeric weight"):
        engine.nps_counts(pd.DataFrame({"ltr": [9, 3], "w": [1.0, -2.0]}), "ltr", weight="w")


def test_csv_parquet_and_duckdb_table_give_the_same_counts(tmp_path):
    df = surveys(5000, seed=2)
    csv, pq, db = tmp_path / "s.csv", tmp_path / "s.parquet", tmp_path / "company.duckdb"
    df.to_csv(csv, index=False)
    con = duckdb.connect(str(db))
    con.register("frame", df)
    con.execute(f"COPY frame TO '{pq}' (FORMAT parquet)")
    con.execute("CREATE TABLE surveys AS SELECT * FROM frame")
    con.close()
    a = engine.nps_counts(csv, "ltr", by="plan")
    b = engine.nps_counts(pq, "ltr", by="plan")
    c = engine.nps_counts(engine.open_source(table="surveys", database=db), "ltr", by="plan")
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    assert a["promoters"].sum() == int((df["ltr"] >= 9).sum())


# --- the read report in SQL equals the in-memory reader's --------------------------------------------

CASES = {
    "clean": ("nps_surveys", "response_id,survey_date,ltr,plan\nR1,2024-01-05,9,Basic\nR2,2024-01-06,10,Plus\n"),
    "blanks": (
        "nps_surveys",
        "response_id,survey_date,ltr,plan\nR1,2024-01-05,9,Basic\nR2,2024-01-06,,Plus\nR3,2024-01-07,N/A, \n,,,\n"
        "R5,2024-01-08,7,Basic\n\n",
    ),
    "problems": (
        "nps_surveys",
        "response_id,survey_date,ltr,plan,shop_around\nR1,2024-01-05,11,Basic,never\nR2,2030-01-06,abc,Plus,Often\n"
        "R2,2024-13-07,3.5,Basic,x\n,1850-01-01,-1,,\nR6,2024-01-08,inf,Basic,rarely\n",
    ),
    "semicolon": (
        "nps_surveys",
        "response_id;survey_date;ltr;tenure_months;extra\nR1;2024-01-05;9;12;1.5\nR3;2024-01-07;3;-1;x\n",
    ),
    "persian": ("nps_surveys", "response_id,survey_date,ltr,city\nR۱,۲۰۲۴-۰۱-۰۵,۹,شيراز\nR2,2024-01-06,10, Tehran \n"),
    "agents": ("agent_feedback", "response_id,agent_id,csat,effort\nF1,A1,5,1\nF2,A1,N/A,2\nF3,,4,6\nF4,A2,0,\n"),
    "churn": (
        "churn_table",
        "customer_id,churned,spend,plan\nC1,yes,10.5,Basic\nC2,No,3,Plus\nC3,2,N/A,Basic\nC4,maybe,4,\nC4,,inf,\n",
    ),
    "activity": (
        "activity",
        "customer_id,month,complaints,complaints_resolved,payment_issue\nC1,2024-01-01,2,3,0\nC1,2024-01-01,1,1,1\n"
        "C2,2024-02-01,1.5,0,true\n",
    ),
    "quoted_line_break": (
        "nps_surveys",
        'response_id,survey_date,ltr,comment\nR1,2024-01-05,10,"good\nservice"\nR2,2024-01-06,12,ok\n\nR3,2024-01-06,x,ok\n',
    ),
    "missing_column": ("nps_surveys", "id,date,score\nR1,2024-01-05,9\n"),
    "duplicate_header": ("nps_surveys", "response_id,ltr,ltr\nR1,9,9\n"),
    "header_only": ("nps_surveys", "response_id,survey_date,ltr\n"),
    "copies_as_cleaned": (  # 9 and 9.0, NA and blank: the same cleaned values, on both readers
        "nps_surveys",
        "response_id,survey_date,ltr,city,note\nR1,2024-01-02,9,NA,007\nR1,2024-01-02,9.0,,7\n"
        "R2,2024-01-03,8,Tehran,\nR2,2024-01-03, 8,Tehran,\n",
    ),
    "copies_and_conflicts": (
        "nps_surveys",
        "response_id,survey_date,ltr,plan\nR1,2024-01-01,9,\nR2,2024-01-02,5,Basic\nR1,2024-01-01,9,\n"
        "R3,2024-01-03,7,Plus\nR3,2024-01-04,2,Plus\nR1,2024-01-01,8,\n",
    ),
    "customers": (
        "customers",
        "customer_id,signup_date,age,status,monthly_fee\nC1,2024-01-01,30,active,10.5\nC2,2024-01-01T10:00:00,130,Active,-1\nC3,,20,gone,5\n",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_scan_report_equals_in_memory_report(tmp_path, name):
    kind, text = CASES[name]
    f = tmp_path / f"{name}.csv"
    f.write_text(text, encoding="utf-8")
    s = engine.scan(f, kind)
    assert s.fallback is None
    assert s.report.to_dict() == validate_file(f, kind).to_dict()


@pytest.mark.parametrize("engine_name", ["memory", "duckdb"])
def test_repeated_ids_tell_exact_copies_from_conflicting_answers(tmp_path, engine_name):
    """An export appended twice repeats rows cell for cell (blanks included): safe to remove; an id
    given other answers is not."""
    f = tmp_path / "d.csv"
    f.write_text(CASES["copies_and_conflicts"][1], encoding="utf-8")
    rep, _ = engine.validate_source(f, "nps_surveys", engine=engine_name)
    (p,) = rep.problems
    assert p.kind == "duplicate id" and p.count == 5 and p.rows == (2, 4, 5, 6, 7)
    assert "Of the 3 repeats (rows after the first with their id), 1 repeats an earlier row in every checked" in p.fix
    assert "2 give the same id other values (check them in the source system)" in p.fix
    twice = tmp_path / "twice.csv"
    body = "R1,2024-01-01,9\nR2,2024-01-02,\n"
    twice.write_text("response_id,survey_date,ltr\n" + body + body, encoding="utf-8")
    rep, _ = engine.validate_source(twice, "nps_surveys", engine=engine_name)
    assert "Of the 2 repeats (rows after the first with their id), 2 repeat an earlier row" in rep.problems[0].fix
    assert "other values" not in rep.problems[0].fix


def test_scan_of_parquet_equals_in_memory_report(tmp_path):
    f = tmp_path / "typed.parquet"
    duckdb.sql(
        "COPY (SELECT * FROM (VALUES ('R1', DATE '2024-01-05', 9, 'Basic'), ('R2', DATE '2024-01-06', NULL, 'Plus'), "
        "('R2', DATE '2030-01-01', 11, NULL), (NULL, NULL, NULL, NULL)) t(response_id, survey_date, ltr, plan)) "
        f"TO '{f}' (FORMAT parquet)"
    )
    rep = validate_file(f, "nps_surveys")
    assert rep.format == "parquet" and {p.kind for p in rep.problems} == {
        "duplicate id",
        "out of range",
        "date in the future",
    }
    assert engine.scan(f, "nps_surveys").report.to_dict() == rep.to_dict()


@pytest.mark.parametrize(
    "text,why",
    [
        ("response_id,survey_date,ltr\nR1,2024-01-05,10 - Extremely likely\n", "ltr"),
        ("response_id,survey_date,ltr\nR1,19/03/2024,10\n", "survey_date"),
        ("response_id,survey_date,ltr\nR1,2024-01-05\nR2,2024-01-06,9\n", "could not read"),
    ],
)
def test_values_the_engine_does_not_decide_go_to_the_in_memory_reader(tmp_path, text, why):
    f = tmp_path / "s.csv"
    f.write_text(text)
    s = engine.scan(f, "nps_surveys")
    assert s.fallback and why in s.fallback
    rep, sc = engine.validate_source(f, "nps_surveys", engine="duckdb")
    assert sc is None and rep.to_dict() == validate_file(f, "nps_surveys").to_dict()


def test_row_numbers_count_blank_records_and_quoted_line_breaks(tmp_path):
    f = tmp_path / "r.csv"
    f.write_bytes(b'\nid,txt\n\nA,"x\ny"\r\n\r\nB,z\n\nC,w')
    src = engine.open_source(f)
    lay = _rows.csv_layout(src)
    assert src.lead == 1 and lay.records == 6 and lay.blank.tolist() == [0, 2, 4]
    src._layout = lay
    # DuckDB returns A, B, C: spreadsheet rows 4, 6, 8 (header on row 2)
    assert _rows.row_numbers(src, np.array([0, 1, 2])).tolist() == [4, 6, 8]
    assert _rows.count_lines(f) == (8, False)


def test_open_source_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(CxError, match="either a file or a table"):
        engine.open_source()
    with pytest.raises(CxError, match="needs a database"):
        engine.open_source(table="t")
    x = tmp_path / "a.xlsx"
    x.write_bytes(b"PK")
    with pytest.raises(CxError, match="read in memory"):
        engine.open_source(x)
    u16 = tmp_path / "u.csv"
    u16.write_bytes("ltr\n9\n".encode("utf-16"))
    assert "not UTF-8" in engine.open_source(u16).unsupported
    assert engine.choose_engine(u16) == "memory"
    with pytest.raises(CxError, match="unknown engine"):
        engine.choose_engine(u16, engine="polars")


def test_large_files_go_to_duckdb(tmp_path, monkeypatch):
    f = tmp_path / "s.csv"
    surveys(200).to_csv(f, index=False)
    assert engine.choose_engine(f) == "memory"
    monkeypatch.setenv("CX_ENGINE_MIN_MB", "0.001")
    assert engine.choose_engine(f) == "duckdb"
    monkeypatch.setenv("CX_ENGINE_MIN_MB", "lots")
    with pytest.raises(CxError, match="CX_ENGINE_MIN_MB"):
        engine.choose_engine(f)
    assert engine.LARGE_FILE_BYTES == 64 * 1024**2


@pytest.mark.parametrize(
    "ids",
    [
        ["R1", "R2", "R3"],  # every id once, plain ASCII: the quick exit
        ["R1", " R1", "R3"],  # equal once the spaces are trimmed
        ["R1", "R\u200b1", "R3"],  # an invisible mark inside: not ASCII, so the full check
        ["R\u06f1", "R1", "R3"],  # a Persian digit: the same id after cleaning
        ["R1", "R1", "R3"],  # written twice
        ["N/A", "N/A", "R3"],  # blank markers twice are not duplicates
    ],
)
def test_duplicate_ids_found_as_the_in_memory_reader_finds_them(tmp_path, ids):
    f = tmp_path / "s.csv"
    rows = "".join(f'"{i}",2024-01-0{k + 1},{k + 7}\n' for k, i in enumerate(ids))
    f.write_text("response_id,survey_date,ltr\n" + rows, encoding="utf-8")
    s = engine.scan(f, "nps_surveys")
    if s.fallback is None:
        assert s.report.to_dict() == validate_file(f, "nps_surveys").to_dict()


@pytest.mark.parametrize("repeated", [[], ["R7"], ["R7", "R7", "R12"], [" R3"], ["N/A", "N/A"]])
def test_duplicate_ids_exact_when_different_ids_share_a_hash(tmp_path, monkeypatch, repeated):
    """The pass groups ids on a hash and groups again, exactly, the ids whose hash repeats.

    With a deliberately weak hash (three values) nearly every id shares its hash with
    others, so everything rests on the exact second grouping: the report (rows, values,
    counts) is still the in-memory reader's, and no id is reported that is written once.
    """
    from cxlib.data.engine import _sql
    from cxlib.data.io._checks import KIND

    monkeypatch.setattr(_sql.Dialect, "hash", lambda self, expr: f"(hash({expr}) % 3)")
    ids = [f"R{i}" for i in range(1, 41)] + repeated
    f = tmp_path / "s.csv"
    rows = "".join(f'"{i}",2024-01-{k % 28 + 1:02d},{k % 11}\n' for k, i in enumerate(ids))
    f.write_text("response_id,survey_date,ltr\n" + rows, encoding="utf-8")
    s = engine.scan(f, "nps_surveys", engine="duckdb")
    assert s.fallback is None
    assert s.report.to_dict() == validate_file(f, "nps_surveys").to_dict()
    dup = [p for p in s.report.problems if p.column == "response_id" and p.kind == KIND["field_uniqueness"]]
    assert bool(dup) == (repeated in (["R7"], ["R7", "R7", "R12"], [" R3"]))


@pytest.mark.parametrize(
    "extra, repeated",
    [
        ([], False),  # R00001 ... R00199, each once: every block holds as many bits as rows
        (["R00007"], True),  # written twice: its block has a row more than bits
        (["R00007", "R00007", "R00130"], True),  # repeats in two blocks
        (["R7", "R0007"], False),  # read as the number 7 too, but other ids: checked again, not repeats
        (["R+0007", "R 0007"], False),  # the same, through what the number reading forgives
        (["X12", "X12"], True),  # another prefix: hashed, and a repeat there
        (["R-00001", "R99999999999999999999"], False),  # below zero, too long for a number: hashed
        ([" R00003"], True),  # the same id once the spaces are trimmed (the full check)
        (["R0019\u06f3"], True),  # a Persian digit: the reader's cleaning makes it R00193
        (["N/A", "N/A"], False),  # blank markers are not ids
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_ids_grouped_by_blocks_of_their_numbers_find_the_repeats_of_the_in_memory_reader(
    tmp_path, extra, repeated, suffix
):
    """Ids that are numbers behind a prefix are grouped by blocks of 64 numbers with a bit per id; a block
    with fewer bits than rows is checked again on the ids themselves. The report is the in-memory reader's."""
    from cxlib.data.engine._counts import Query
    from cxlib.data.engine._pass import id_key
    from cxlib.data.io._checks import KIND

    ids = [f"R{i:05d}" for i in range(1, 200)] + extra
    f = tmp_path / f"s{suffix}"
    if suffix == ".csv":
        rows = "".join(f'"{i}",2024-01-{k % 28 + 1:02d},{k % 11}\n' for k, i in enumerate(ids))
        f.write_text("response_id,survey_date,ltr\n" + rows, encoding="utf-8")
    else:
        dates = [f"2024-01-{k % 28 + 1:02d}" for k in range(len(ids))]
        _parquet(pd.DataFrame({"response_id": ids, "survey_date": dates, "ltr": [k % 11 for k in range(len(ids))]}), f)
    assert id_key(Query(f, engine="duckdb"), "response_id").bit is not None  # grouped by blocks
    s = engine.scan(f, "nps_surveys", engine="duckdb")
    assert s.fallback is None
    assert s.report.to_dict() == validate_file(f, "nps_surveys").to_dict()
    dup = [p for p in s.report.problems if p.column == "response_id" and p.kind == KIND["field_uniqueness"]]
    assert bool(dup) == repeated


@settings(derandomize=True, max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(0, 300).map(lambda i: f"R{i:04d}"),  # the commonest shape: blocks
            st.integers(0, 300).map(lambda i: f"R{i}"),  # the same numbers written shorter
            st.integers(0, 300).map(lambda i: f"Q{i:04d}"),  # another prefix: hashed
            st.sampled_from(["R-0001", "R0001 ", "N/A", "R\u06f1\u06f2", "uuid-7f"]),
        ),
        min_size=2,
        max_size=80,
    )
)
def test_repeated_ids_by_blocks_are_the_in_memory_readers_on_any_mix_of_ids(tmp_path_factory, ids):
    """Whatever mix of shapes and repeats, the engine names the repeated ids the in-memory reader names."""
    f = tmp_path_factory.mktemp("ids") / "s.csv"
    rows = "".join(f'"{i}",2024-01-{k % 28 + 1:02d},{k % 11}\n' for k, i in enumerate(ids))
    f.write_text("response_id,survey_date,ltr\n" + rows, encoding="utf-8")
    s = engine.scan(f, "nps_surveys", engine="duckdb")
    if s.fallback is None:
        assert s.report.to_dict() == validate_file(f, "nps_surveys").to_dict()


def test_ids_without_a_number_are_hashed():
    """Ids whose first one is not a number behind a prefix (random text, a uuid) are grouped on a hash."""
    from cxlib.data.engine._counts import Query
    from cxlib.data.engine._pass import id_key

    for first in ["R_1abcDEF", "3f2a-11", "R", "1" * 19]:
        q = Query(pd.DataFrame({"response_id": [first, first + "x"]}), engine="duckdb")
        assert id_key(q, "response_id").bit is None, first


@pytest.mark.parametrize(
    "ids",
    [
        [1, 2, 3, 4, 5, 6],  # 1, 2, 3, ...: one bit each, all different
        [-5, 9, 0, 3, 2, 7],  # in any order; below zero, hashed
        [1, 2, 3, 3, 5, 6],  # a repeat: fewer bits than rows in its block, so checked again and named
        [1, 2, 3, 4, None, None],  # blanks are not ids
        [1, 10**12, 5, 6, 7, 8],  # far apart: blocks of their own
        [10**12, 10**12, 5, 6, 7, 8],
        [-5, -5, 0, 1, 2, 3],  # a repeat among the hashed ids
    ],
)
def test_whole_number_ids_grouped_by_blocks_find_the_repeats_of_the_in_memory_reader(tmp_path, ids):
    """Whole-number ids (a typed Parquet column) are grouped by blocks of 64 numbers with a bit per id;
    the report is the in-memory reader's."""
    from cxlib.data.engine._counts import Query
    from cxlib.data.engine._pass import id_key

    f = tmp_path / "s.parquet"
    _parquet(pd.DataFrame({"response_id": pd.array(ids, dtype="Int64"), "ltr": [9, 7, 3, 10, 0, 8]}), f)
    assert id_key(Query(f, engine="duckdb"), "response_id").bit is not None
    s = engine.scan(f, "nps_surveys", require=["response_id", "ltr"], engine="duckdb")
    assert s.fallback is None
    assert s.report.to_dict() == validate_file(f, "nps_surveys", require=["response_id", "ltr"]).to_dict()
    named = [i for i in ids if i is not None]
    assert ("duplicate id" in s.report.summary()) == (len(set(named)) < len(named))


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_a_report_says_how_rows_are_numbered_when_the_file_has_no_spreadsheet_rows(tmp_path, suffix):
    """'row 6' of a Parquet file is its fifth record: the report and the error say so; a CSV's rows
    are the spreadsheet's own, so nothing is added there."""
    from cxlib.analytics.summaries import nps_summary
    from cxlib.errors import ValidationError

    f = tmp_path / f"s{suffix}"
    frame = pd.DataFrame({"response_id": [1, 2, 3, 4, 5], "ltr": [9, 7, 3, 10, 12], "plan": list("abcab")})
    if suffix == ".csv":
        frame.to_csv(f, index=False)
    else:
        _parquet(frame, f)
    rep = validate_file(f, "nps_surveys", require=["response_id", "ltr"])
    assert "(row 6)" in rep.summary()
    with pytest.raises(ValidationError) as caught:
        nps_summary(f, "ltr", by="plan")
    noted = suffix == ".parquet"
    said = "row 2 is the first record"
    assert (said in rep.summary()) == noted and (said in str(caught.value)) == noted
    assert ("note" in caught.value.to_dict()) == noted


def _parquet(frame, path):
    import duckdb

    con = duckdb.connect()
    con.register("t", frame)
    con.execute(f"COPY (SELECT * FROM t) TO '{path}' (FORMAT PARQUET)")


_TRICKY_CELLS = [
    "\u202f",
    "R\u202f",
    "\u3000x\u3000",
    "x\x1c",
    "\x85",
    "\u205f",
    "\u2003N/A",  # white space of other scripts
    "\u200f",
    "\u00a0",
    " ",
    "\t",
    " N/A ",
    "\u200fN/A",
    "R\u00a01",
    "Don't know",  # invisible marks, markers
]


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("column", ["response_id", "plan", "ltr"])
def test_white_space_of_every_script_and_invisible_cells_are_read_as_the_in_memory_reader_reads_them(
    tmp_path, kind, column
):
    """Python's str.strip() (the in-memory reader) trims the narrow no-break space, the ideographic space and
    the other separators: the engine trims the same, counts the same blanks and markers, and shows a blank
    cell of spaces as written."""
    for i, cell in enumerate(_TRICKY_CELLS):
        frame = pd.DataFrame(
            {"response_id": ["R1", "R2"], "survey_date": ["2024-01-02"] * 2, "ltr": ["3", "4"], "plan": ["a", "b"]}
        )
        frame.loc[1, column] = cell
        f = tmp_path / f"c{i}.{kind}"
        if kind == "csv":
            frame.to_csv(f, index=False)
        else:
            _parquet(frame, f)
        s = engine.scan(f, "nps_surveys", engine="duckdb")
        if s.fallback is None:
            assert s.report.to_dict() == validate_file(f, "nps_surveys").to_dict(), repr(cell)

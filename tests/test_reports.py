"""`cx report`: every report runs on a second company's renamed file and on the real set that fits it.

Each report runs once per data set (module-scoped fixtures); the tests then read its
executed notebook (no error output, no deprecated name) and compare the CSV tables it wrote
with the library's results computed here, directly, on the same file.
"""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest

from cxlib.analytics import nps as N
from cxlib.data.io import read_table
from cxlib.simulation import simulate
from cxlib.teaching.lessons import list_lessons, list_reports, run_report


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """Another company (seed 7, 600 customers), its tables as CSV files with renamed columns."""
    out = tmp_path_factory.mktemp("other")
    t = simulate(n_customers=600, months=24, seed=7, truth_replicates=20).tables
    files = {}

    def write(name, df):
        files[name] = out / f"{name}.csv"
        df.to_csv(files[name], index=False)

    surveys = t["nps_surveys"].rename(
        columns={"ltr": "Q1 Recommend", "comment": "Why", "plan": "Segment", "survey_date": "Answered"}
    )
    surveys.loc[surveys.index[::37], "Q1 Recommend"] = np.nan  # skipped questions: counted, not scored
    write("surveys", surveys)
    write("feedback", t["agent_feedback"].rename(columns={"agent_id": "Agent Name", "csat": "CSAT"}))
    snap = t["churn_snapshot"].rename(columns={"customer_id": "cust", "churned": "Left", "spend_last": "Bill"})
    snap["Left"] = snap["Left"].map({1: "Yes", 0: "No"})
    write("snapshot", snap)
    write("activity", t["activity"].rename(columns={"customer_id": "Customer", "month": "Period"}))
    return files


def _run(number, data, params, out):
    result = run_report(number, data=data, parameters=params, out=out, timeout=300)
    nb = nbformat.read(result["notebook"], as_version=4)
    result["errors"] = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error" or (o.get("output_type") == "stream" and o.get("name") == "stderr")
    ]
    result["text"] = "\n".join(
        str(o.get("data", {}).get("text/markdown", "")) + str(o.get("text", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    result["csv"] = {p.stem: p for p in result["tables"]}
    return result


def _clean(result):
    assert result["errors"] == []
    assert result["html"].stat().st_size > 10_000
    html = result["html"].read_text(encoding="utf-8")
    assert "Simorgh" not in html and "<pre>import" not in html  # nothing from the simulated company, no code


def test_every_report_is_a_lesson_number_and_declares_what_its_lesson_reads():
    lessons = {x.number: x for x in list_lessons()}
    for report in list_reports():
        lesson = lessons[report.number]
        assert "OUT" in report.parameters and "DATA" in report.parameters
        for key in ("data_kind", "columns", "require", "free_columns", "date_columns"):
            assert report.meta.get(key) == lesson.meta.get(key), (report.name, key)


# --------------------------------------------------------------------------------------------- 05 NPS
NPS_PARAMS = {"SCORE_COLUMN": "Q1 Recommend", "SEGMENT_COLUMN": "Segment", "DATE_COLUMN": "Answered"}


@pytest.fixture(scope="module")
def nps_run(other, tmp_path_factory):
    return _run("05", other["surveys"], NPS_PARAMS, tmp_path_factory.mktemp("r05"))


def test_nps_report_runs_cleanly_on_another_companys_file(nps_run):
    _clean(nps_run)
    assert "surveys.csv" in nps_run["text"] and "blank score" in nps_run["text"]
    assert set(nps_run["csv"]) == {"nps_overall", "nps_by_segment", "nps_over_time", "nps_changes"}


def test_nps_report_tables_equal_the_library(nps_run, other):
    own = read_table(
        other["surveys"],
        "nps_surveys",
        columns={"ltr": "Q1 Recommend", "plan": "Segment", "survey_date": "Answered"},
        only=["ltr", "plan", "survey_date"],
    )
    seg = N.nps_by(own, "ltr", "plan").summary
    got = pd.read_csv(nps_run["csv"]["nps_by_segment"], index_col=0)
    pd.testing.assert_frame_equal(got, seg.rename_axis("Segment"), check_dtype=False, check_index_type=False)
    overall = N.nps(own, "ltr")
    row = pd.read_csv(nps_run["csv"]["nps_overall"]).iloc[0]
    assert row["n"] == overall.n and row["n_missing"] == overall.n_missing > 0
    assert (row["nps"], row["ci_low"], row["ci_high"]) == pytest.approx((overall.nps, overall.ci_low, overall.ci_high))
    trend = N.nps_over_time(own, "ltr", "survey_date", freq="M")
    changes = N.period_changes(trend)
    got = pd.read_csv(nps_run["csv"]["nps_changes"], index_col=0)
    np.testing.assert_allclose(got[["change", "ci_low", "ci_high"]], changes[["change", "ci_low", "ci_high"]])
    assert got["significant"].tolist() == changes["significant"].tolist()


def test_period_changes_are_compare_of_consecutive_periods_with_answers():
    df = pd.DataFrame(
        {
            "d": pd.to_datetime(["2024-01-10"] * 40 + ["2024-03-02"] * 60 + ["2024-04-09"] * 30),
            "ltr": [10] * 20 + [8] * 10 + [2] * 10 + [9] * 20 + [7] * 20 + [0] * 20 + [10] * 25 + [5] * 5,
        }
    )
    trend = N.nps_over_time(df, "ltr", "d")
    ch = N.period_changes(trend, level=0.9)
    assert ch.index.tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-04-01")]  # February has no answers
    jan, mar, apr = N.nps(df["ltr"][:40]), N.nps(df["ltr"][40:100]), N.nps(df["ltr"][100:])
    for (a, b), (_, row) in zip([(mar, jan), (apr, mar)], ch.iterrows()):
        c = N.compare(a, b, level=0.9)
        assert (row["change"], row["ci_low"], row["ci_high"]) == pytest.approx((c.diff, c.ci_low, c.ci_high))
        assert row["significant"] == c.significant
    assert N.period_changes(trend.iloc[:1]).empty


def test_report_header_counts_rows_read_dropped_and_analysed(other):
    from cxlib.teaching.reports import read_report_data, report_header

    table, rep = read_report_data("05", other["surveys"], **NPS_PARAMS)
    text = report_header(other["surveys"], rep, {"DATA": "x", **NPS_PARAMS}, dropped={"blank score": 3, "none": 0})
    assert f"{rep.rows_read:,} rows read" in text and f"3 rows dropped: blank score; {rep.rows - 3:,} analysed" in text
    assert "none" not in text and "DATA" not in text and "`Answered` as `survey_date`" in text


# --------------------------------------------------------------------------------------------- 04 agents
AGENT_PARAMS = {"AGENT_COLUMN": "Agent Name", "SCORE_COLUMN": "CSAT"}


@pytest.fixture(scope="module")
def agents_run(other, tmp_path_factory):
    return _run("04", other["feedback"], AGENT_PARAMS, tmp_path_factory.mktemp("r04"))


def test_agents_report_runs_cleanly_and_its_tables_equal_the_library(agents_run, other):
    from cxlib.analytics import feedback as F

    _clean(agents_run)
    assert set(agents_run["csv"]) == {"agents", "monthly_dissatisfaction"}
    own = read_table(other["feedback"], "agent_feedback", columns={"agent_id": "Agent Name", "csat": "CSAT"})
    summary = F.AgentFeedback().fit(own, agent_column="agent_id", score_column="csat").summary
    got = pd.read_csv(agents_run["csv"]["agents"], dtype={"Agent Name": str})
    pd.testing.assert_frame_equal(got, summary.rename(columns={"agent": "Agent Name"}), check_dtype=False)
    month = own["date"].dt.to_period("M").dt.to_timestamp()
    dis = (own["csat"] <= 3).groupby(month).agg(["sum", "size"])
    chart = F.ewma_chart(dis["sum"], dis["size"], baseline=max(3, len(dis) // 2))
    got = pd.read_csv(
        agents_run["csv"]["monthly_dissatisfaction"], index_col=0, parse_dates=True, keep_default_na=False
    )
    np.testing.assert_allclose(got[["p", "ewma", "lcl", "ucl"]], chart[["p", "ewma", "lcl", "ucl"]])
    assert got["signal"].tolist() == chart["signal"].tolist()

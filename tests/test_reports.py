"""`cx report`: every report runs on a second company's renamed file and on the real set that fits it.

Each report runs once per data set (module-scoped fixtures); the tests then read its
executed notebook (no error output, no deprecated name) and compare the CSV tables it wrote
with the library's results computed here, directly, on the same file.
"""

from __future__ import annotations

import multiprocessing
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict

import nbformat
import numpy as np
import pandas as pd
import pytest

from cxlib.analytics import nps as N
from cxlib.data.io import read_table
from cxlib.features import build_features, customer_features
from cxlib.simulation import simulate
from cxlib.teaching.lessons import find_lesson, list_lessons, list_reports, reports_dir, run_report


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
    # customer features to 2024-07-01 and what each customer spent in the last quarter (not segmented on)
    act = t["activity"]
    feats = customer_features(t["customers"], act, interactions=t["interactions"], cutoff="2024-07-01").reset_index()
    later = act[act["month"] >= "2024-10-01"].groupby("customer_id")["spend"].sum()
    feats["Spend Oct-Dec 2024"] = feats["customer_id"].map(later).fillna(0.0)
    write("features", feats.rename(columns={"customer_id": "client_no"}))
    # files too short or too thin for a part of a report: one month of activity; stacked churn snapshots of 250
    # customers at four cutoffs, with no value per customer
    write(
        "activity_one_month",
        act[act["month"] == act["month"].min()].rename(columns={"customer_id": "Customer", "month": "Period"}),
    )
    cutoffs = ["2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"]
    stacked = pd.concat([build_features(act, c, horizon=3).assign(cutoff=c) for c in cutoffs])
    stacked = stacked[stacked["customer_id"].isin(sorted(set(stacked["customer_id"]))[:250])]
    write("snapshots_small", stacked.rename(columns={"customer_id": "cust", "churned": "Left", "cutoff": "Snapshot"}))
    return files


def _result(future):
    """The paths a report run wrote (from the pool below), with its executed notebook's errors and text."""
    result = future.result()
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


@pytest.fixture(scope="module")
def inputs(other, real, tmp_path_factory):
    """Every file a report runs on: the other company's tables and the real sets as an analyst exports them."""
    folder = tmp_path_factory.mktemp("inputs")
    return {
        **other,
        **real,
        "cdnow_monthly": _cdnow_monthly(real["cdnow"], folder / "cdnow_monthly.csv"),
        "cdnow_rfm": _cdnow_rfm(real["cdnow"], folder / "cdnow_rfm.csv"),
        "cdnow_rfm_one_day": _cdnow_rfm(
            real["cdnow"], folder / "cdnow_rfm_one_day.csv", holdout_end="1997-10-01", n=300
        ),
        "mlc_billed": _mlc_billed(real["mlc"], folder / "mlc_billed.csv"),
        "rated_texts": _rated_texts(folder / "rated_texts.csv"),
    }


@pytest.fixture(scope="module")
def runs(inputs, tmp_path_factory):
    """Every report run once per data set, three at a time in fresh processes (each runs its own kernel)."""
    root = tmp_path_factory.mktemp("reports")
    with ProcessPoolExecutor(max_workers=3, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield {
            key: pool.submit(run_report, number, data=inputs[table], parameters=params, out=root / key, timeout=300)
            for key, (number, table, params) in RUNS.items()
        }


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
        if report.name == "07_clv":  # lesson 07's CLV on an order export (cx report clv): the orders schema
            assert report.data_kind == "orders" and set(report.column_parameters.values()) == {
                "customer_id",
                "order_date",
                "order_value",
            }
            continue
        for key in ("data_kind", "data_kind_when", "columns", "require", "date_columns"):
            assert report.meta.get(key) == lesson.meta.get(key), (report.name, key)
        # a report may read more than its lesson: optional columns of its own (a parameter that defaults to None)
        own, taught = report.meta.get("free_columns", []), lesson.meta.get("free_columns", [])
        assert set(taught) <= set(own), report.name
        assert all(report.parameters[p].default is None for p in set(own) - set(taught)), report.name
        assert set(report.meta.get("amount_columns", [])) <= set(own), report.name


def test_a_reports_value_column_is_validated_as_amounts_and_optional(other, tmp_path):
    from cxlib.errors import ValidationError
    from cxlib.teaching.reports import read_report_data

    params = {"ID_COLUMN": "cust", "TARGET_COLUMN": "Left"}
    table, _ = read_report_data("06", other["snapshot"], **params)  # no VALUE_COLUMN: not needed, not read
    bad = pd.read_csv(other["snapshot"]).head(30)
    bad["Bill"] = bad["Bill"].astype(object)
    bad.loc[[3, 8], "Bill"] = [-5.0, "ask finance"]
    bad.loc[4, "Bill"] = "$1,234.50"
    bad.loc[5, "Bill"] = None
    bad.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ValidationError) as err:
        read_report_data("06", tmp_path / "bad.csv", VALUE_COLUMN="Bill", **params)
    text = str(err.value)
    assert "column 'Bill': not a number in 1 row (row 10); values: 'ask finance'" in text and "VALUE_COLUMN" in text
    bad.loc[8, "Bill"] = 7
    bad.to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(ValidationError, match=r"column 'Bill': negative value in 1 row \(row 5\); values: -5.0"):
        read_report_data("06", tmp_path / "bad.csv", VALUE_COLUMN="Bill", **params)
    bad.loc[3, "Bill"] = 0
    bad.to_csv(tmp_path / "bad.csv", index=False)
    good, _ = read_report_data("06", tmp_path / "bad.csv", VALUE_COLUMN="Bill", **params)
    assert good["Bill"].iloc[3] == 0 and good["Bill"].iloc[4] == 1234.5 and np.isnan(good["Bill"].iloc[5])
    with pytest.raises(ValidationError, match="VALUE_COLUMN names the column 'Fee'"):
        read_report_data("06", other["snapshot"], VALUE_COLUMN="Fee", **params)


# --------------------------------------------------------------------------------------------- 05 NPS
NPS_PARAMS = {"SCORE_COLUMN": "Q1 Recommend", "SEGMENT_COLUMN": "Segment", "DATE_COLUMN": "Answered"}


@pytest.fixture(scope="module")
def nps_run(runs):
    return _result(runs["05"])


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
def agents_run(runs):
    return _result(runs["04"])


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


# --------------------------------------------------------------------------------------------- 06 churn
CHURN_CASES = {
    "other": ("snapshot", {"ID_COLUMN": "cust", "TARGET_COLUMN": "Left", "VALUE_COLUMN": "Bill"}),
    "mlc": ("mlc_billed", {"ID_COLUMN": "customer_id", "TARGET_COLUMN": "churn", "VALUE_COLUMN": "monthly_charge"}),
}


def _mlc_billed(path, out):
    """MLC with a monthly charge per customer, as an analyst would add it: the sum of its four charge columns."""
    mlc = pd.read_csv(path)
    mlc["monthly_charge"] = mlc[[c for c in mlc.columns if c.endswith("_charge")]].sum(axis=1).round(2)
    mlc.to_csv(out, index=False)
    return out


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The real sets, as an analyst would export them: CSV files."""
    from cxlib.data import datasets

    out = tmp_path_factory.mktemp("real")
    files = {"mlc": out / "mlc_churn.csv", "cdnow": out / "cdnow_sample.csv"}
    datasets.load_mlc_churn().to_csv(files["mlc"], index=False)
    datasets.load_cdnow(sample=True).to_csv(files["cdnow"], index=False)
    return files


@pytest.fixture(scope="module", params=sorted(CHURN_CASES))
def churn_run(request, inputs, runs):
    table, params = CHURN_CASES[request.param]
    return inputs[table], params, _result(runs[f"06-{request.param}"])


def test_churn_report_runs_cleanly_and_its_tables_equal_the_library(churn_run):
    from cxlib.analytics import churn as C
    from cxlib.analytics import economics

    path, params, run = churn_run
    _clean(run)
    assert set(run["csv"]) == {
        "model_performance",
        "drivers",
        "risk_deciles",
        "churn_scores",
        "targeting_curve",
        "contact_list",
    }
    own = read_table(
        path,
        "churn_table",
        columns={"customer_id": params["ID_COLUMN"], "churned": params["TARGET_COLUMN"]},
        only=["customer_id", "churned"],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", C.LeakageWarning)
        r = C.churn_report(own, "churned", "customer_id")
    drivers = pd.read_csv(run["csv"]["drivers"])
    np.testing.assert_allclose(drivers[["effect", "ci_low", "ci_high"]], r.drivers[["effect", "ci_low", "ci_high"]])
    assert drivers["feature"].tolist() == r.drivers["feature"].tolist()
    deciles = pd.read_csv(run["csv"]["risk_deciles"])
    np.testing.assert_allclose(
        deciles[["churners", "lift", "gain"]], r.evaluation.lift_table()[["churners", "lift", "gain"]]
    )
    scores = pd.read_csv(run["csv"]["churn_scores"], dtype={params["ID_COLUMN"]: str})
    want = C.risk_scores(
        r.evaluation.p, own.loc[r.table.index, "customer_id"].astype(str).to_numpy(), id_name=params["ID_COLUMN"]
    )
    pd.testing.assert_frame_equal(scores, want, check_dtype=False)
    perf = pd.read_csv(run["csv"]["model_performance"]).set_index("metric")["value"]
    assert perf["auc"] == pytest.approx(r.evaluation.auc) and perf["auc_ci_low"] == pytest.approx(
        r.evaluation.auc_ci_low
    )
    assert f"{r.evaluation.auc:.3f}" in run["text"]
    # whom to contact: the lessons' valuation (customer_values) and targeting_profit, with the report's defaults
    ev, scored = r.evaluation, own.loc[r.table.index]
    value, _ = economics.customer_values(scored[params["VALUE_COLUMN"]], ev.y, margin_rate=0.35, horizon=3)
    plan = C.targeting_profit(ev.p, value, offer_cost=10.0, success_rate=0.3, y=ev.y)
    curve = pd.read_csv(run["csv"]["targeting_curve"])
    pd.testing.assert_frame_equal(curve, plan.curve, check_dtype=False)
    contacts = pd.read_csv(run["csv"]["contact_list"], dtype={params["ID_COLUMN"]: str})
    ids = scored["customer_id"].astype(str).to_numpy()[plan.order]
    assert contacts[params["ID_COLUMN"]].tolist() == ids.tolist()
    np.testing.assert_allclose(contacts[["churn_probability", "value"]], np.c_[ev.p[plan.order], value[plan.order]])
    np.testing.assert_allclose(contacts["expected_profit"].cumsum(), plan.curve["expected_profit"].iloc[1:])
    assert contacts["contact"].tolist() == [True] * plan.best_n + [False] * (len(contacts) - plan.best_n)
    assert 0 < plan.best_n < len(contacts) and f"{plan.best_profit:,.0f} (95% predictive interval" in run["text"]


def test_risk_scores_rank_and_cut_into_equal_groups():
    from cxlib.analytics.churn import risk_scores
    from cxlib.errors import CxError

    p = np.random.default_rng(3).random(1000)
    s = risk_scores(p, np.arange(1000) + 10)
    assert s["decile"].value_counts().sort_index().tolist() == [100] * 10
    assert s["probability"].is_monotonic_decreasing and s.groupby("decile")["probability"].min().is_monotonic_decreasing
    assert s.loc[0, "customer_id"] == int(np.argmax(p)) + 10
    tied = risk_scores([0.5] * 7 + [0.1] * 3)
    assert tied["decile"].tolist() == [1] * 7 + [8] * 3  # ties share a group
    with pytest.raises(CxError, match="ids"):
        risk_scores([0.1, 0.2], ["a"])
    with pytest.raises(CxError, match="0 to 1"):
        risk_scores([0.1, np.nan])


# --------------------------------------------------------------------------------------------- 01 value
def _cdnow_monthly(path, out):
    """CDNOW's transactions as a monthly activity export (spend per customer and month; no cancellations)."""
    c = pd.read_csv(path, parse_dates=["date"])
    m = (
        c.assign(month=c["date"].dt.to_period("M").dt.to_timestamp())
        .groupby(["customer_id", "month"], as_index=False)["dollar_value"]
        .sum()
        .rename(columns={"customer_id": "Client", "month": "Month", "dollar_value": "spend"})
    )
    m["churned"] = 0
    m.to_csv(out, index=False)
    return out


TOPS = (0.05, 0.10, 0.20)  # the top shares whose stability the value report shows
VALUE_CASES = {
    "other": ("activity", {"ID_COLUMN": "Customer", "MONTH_COLUMN": "Period"}),
    "cdnow": ("cdnow_monthly", {"ID_COLUMN": "Client", "MONTH_COLUMN": "Month"}),
}


@pytest.fixture(scope="module", params=sorted(VALUE_CASES))
def value_run(request, inputs, runs):
    table, params = VALUE_CASES[request.param]
    return request.param, inputs[table], params, _result(runs[f"01-{request.param}"])


def test_value_report_runs_cleanly_and_its_tables_equal_the_library(value_run):
    from cxlib import features
    from cxlib.analytics import devotees

    case, path, params, run = value_run
    _clean(run)
    own = read_table(
        path,
        "activity",
        columns={"customer_id": params["ID_COLUMN"], "month": params["MONTH_COLUMN"]},
        only=["customer_id", "month", "spend", "churned"],
    )
    margin = (own.groupby("customer_id")["spend"].sum() * 0.35).rename("margin").reset_index()
    conc = devotees.value_concentration(margin, "customer_id", "margin", top=(0.01, 0.05, 0.10, 0.20, 0.50)).table
    conc = conc[["top", "customers", "value_share", "ci_low", "ci_high"]]
    got = pd.read_csv(run["csv"]["value_concentration"])
    pd.testing.assert_frame_equal(got, conc, check_dtype=False)
    months = np.sort(own["month"].dt.to_period("M").dt.to_timestamp().unique())
    split = months[len(months) // 2]
    stays = [devotees.top_customer_stability(own, "customer_id", "month", "spend", split=split, top=t) for t in TOPS]
    want = pd.DataFrame([{"top": t, **asdict(s)} for t, s in zip(TOPS, stays)])
    pd.testing.assert_frame_equal(pd.read_csv(run["csv"]["top_customer_stability"]), want, check_dtype=False)
    assert f"{stays[1].stayed:,} were top 10% again" in run["text"]
    profile = features.customer_profile(own, margin_rate=0.35)
    customers = pd.read_csv(run["csv"]["customers"], index_col=0)
    assert len(customers) == len(profile) and customers["devotee"].dtype == bool
    if case == "other":
        assert {"value_balance", "health_deciles"} <= set(run["csv"])
        dev = devotees.find_devotees(profile, threshold=75)
        assert customers["devotee"].sum() == dev["devotee"].sum()
    else:  # a purchase file: no cancellations, no feedback; said so, not faked
        assert "value_balance" not in run["csv"] and "health_deciles" not in run["csv"]
        assert "no measure of the value customers get" in run["text"] and "No health score" in run["text"]
        assert customers["devotee"].sum() > 0


# --------------------------------------------------------------------------------------------- 07 business case
BUSINESS_PARAMS = {"ID_COLUMN": "cust", "TARGET_COLUMN": "Left", "VALUE_COLUMN": "Bill", "OFFER_COST": "15"}


@pytest.fixture(scope="module")
def business_run(runs):
    return _result(runs["07"])


def test_business_case_report_runs_cleanly_and_its_tables_equal_the_library(business_run, other):
    from cxlib.analytics import economics

    _clean(business_run)
    assert set(business_run["csv"]) == {"business_case", "clv_per_customer"}
    own = read_table(
        other["snapshot"],
        "churn_table",
        columns={"customer_id": "cust", "churned": "Left"},
        only=["customer_id", "churned"],
    )
    case = economics.business_case_from_table(own, value_column="Bill", offer_cost=15.0, seed=0)
    got = pd.read_csv(business_run["csv"]["business_case"], index_col=0)
    pd.testing.assert_frame_equal(got, case.summary, check_dtype=False)
    per = pd.read_csv(business_run["csv"]["clv_per_customer"], dtype={"cust": str})
    assert per["cust"].tolist() == [str(x) for x in case.assumptions["ids"]]
    np.testing.assert_allclose(per[["churn_probability", "clv"]], np.c_[case.p, case.value])
    assert per["contacted"].sum() == len(case.contacted) == int(case.summary.loc["customers_contacted", "estimate"])
    assert "`OFFER_COST` = `15.0`" in business_run["text"]
    assert "the churn rate over the label's 3 months (HORIZON)" in business_run["text"]  # the assumption is stated


# --------------------------------------------------------------------------------------------- 02 segments
def _cdnow_rfm(path, out, holdout_end="1998-06-30", n=None):
    """CDNOW's customers as a customer table: repeat purchases, recency and age in weeks to 1997-09-30
    (calibration), and what they bought afterwards, to ``holdout_end`` (holdout, not segmented on)."""
    from cxlib.analytics import clv

    orders = pd.read_csv(path, parse_dates=["date"])
    rfm = clv.summarize_orders(
        orders, "customer_id", "date", "dollar_value", calibration_end="1997-09-30", holdout_end=holdout_end
    )
    rfm.rename_axis("CustomerNo").reset_index().head(n).to_csv(out, index=False)
    return out


SEGMENT_CASES = {
    "other": ("features", {"ID_COLUMN": "client_no", "HOLDOUT_COLUMN": "Spend Oct-Dec 2024"}),
    "cdnow": (
        "cdnow_rfm",
        {"ID_COLUMN": "CustomerNo", "FEATURES": ["frequency", "recency", "T"], "HOLDOUT_COLUMN": "frequency_holdout"},
    ),
}


@pytest.fixture(scope="module", params=sorted(SEGMENT_CASES))
def segments_run(request, inputs, runs):
    table, params = SEGMENT_CASES[request.param]
    return inputs[table], params, _result(runs[f"02-{request.param}"])


def test_segments_report_runs_cleanly_and_its_tables_equal_the_library(segments_run):
    from cxlib import features
    from cxlib.analytics import personas as P

    path, params, run = segments_run
    _clean(run)
    assert set(run["csv"]) == {"segments", "segment_profile", "customer_segments", "personas", "holdout_buying"}
    table = read_table(path, "customers", columns={"customer_id": params["ID_COLUMN"]}, only=["customer_id"])
    table = table.set_index("customer_id")
    cols = params.get("FEATURES") or features.default_features(table)
    seg = P.Segmenter(feature_columns=cols, random_state=0).fit(table)
    got = pd.read_csv(run["csv"]["customer_segments"], dtype={params["ID_COLUMN"]: str}).set_index(params["ID_COLUMN"])
    assert got["segment"].tolist() == seg.labels_.tolist()
    assert got.index.tolist() == [str(i) for i in seg.labels_.index]
    summary = pd.read_csv(run["csv"]["segments"], index_col=0)
    np.testing.assert_allclose(summary[seg.summary.columns], seg.summary)
    assert summary["verdict"].isin(["stable", "doubtful", "dissolved"]).all()
    later = table[params["HOLDOUT_COLUMN"]]
    rates = P.rate_by_segment(seg.labels_, (later > 0).astype(float)).sort_values("rate")
    got = pd.read_csv(run["csv"]["holdout_buying"], index_col=0)
    pd.testing.assert_frame_equal(got, rates, check_dtype=False, check_index_type=False)
    low, high = rates.iloc[0], rates.iloc[-1]
    assert ("do not overlap" in run["text"]) == bool(high["ci_low"] > low["ci_high"])


# --------------------------------------------------------------------------------------------- 03 comments
def _rated_texts(out):
    """The human-rated texts as a survey export: the mean rating (-4 to 4) mapped onto 0-10 as the score."""
    from cxlib.data import datasets

    texts = datasets.load_rated_texts()
    score = ((texts["mean_rating"] + 4) * 10 / 8).round().astype(int)
    pd.DataFrame({"Kind": texts["kind"], "Rating (0-10)": score, "Text": texts["text"]}).to_csv(out, index=False)
    return out


COMMENT_CASES = {
    "other": ("surveys", {"TEXT_COLUMN": "Why", "SCORE_COLUMN": "Q1 Recommend"}),
    "rated_texts": ("rated_texts", {"TEXT_COLUMN": "Text", "SCORE_COLUMN": "Rating (0-10)"}),
}


@pytest.fixture(scope="module", params=sorted(COMMENT_CASES))
def comments_run(request, inputs, runs):
    table, params = COMMENT_CASES[request.param]
    return inputs[table], params, _result(runs[f"03-{request.param}"])


def test_comments_report_runs_cleanly_and_its_tables_equal_the_library(comments_run):
    from cxlib.analytics import emotion
    from cxlib.analytics.stats import delong_auc_ci
    from cxlib.analytics.text import score_texts

    path, params, run = comments_run
    _clean(run)
    assert set(run["csv"]) == {"comment_scores", "tone_by_group", "tone_agreement"}
    own = read_table(
        path,
        "nps_surveys",
        columns={"ltr": params["SCORE_COLUMN"], "comment": params["TEXT_COLUMN"]},
        only=["ltr", "comment"],
    )
    tone = score_texts(own["comment"], progress=False)
    got = pd.read_csv(run["csv"]["comment_scores"])
    np.testing.assert_allclose(got["compound"], tone["compound"])
    ok = tone["status"] == "ok"
    det = ok & (own["ltr"] <= 6)
    s = emotion.share((tone["label"] == "negative")[det].astype(float))
    row = pd.read_csv(run["csv"]["tone_by_group"]).iloc[0]
    assert (row["group"], row["measure"]) == ("detractor (0-6)", "negative")
    assert (row["share"], row["ci_low"], row["ci_high"], row["n"]) == pytest.approx((s.p, s.ci_low, s.ci_high, s.n))
    both = ok & ((own["ltr"] <= 6) | (own["ltr"] >= 9))
    auc = delong_auc_ci((own["ltr"][both] >= 9).astype(int).to_numpy(), tone["compound"][both].to_numpy())
    agreement = pd.read_csv(run["csv"]["tone_agreement"]).iloc[0]
    assert (agreement["auc"], agreement["ci_low"], agreement["ci_high"]) == pytest.approx((auc[0], auc[2], auc[3]))


# --------------------------------------------------------------------------------------------- 07 CLV from orders
CLV_PARAMS = {
    "ID_COLUMN": "customer_id",
    "DATE_COLUMN": "date",
    "VALUE_COLUMN": "dollar_value",
    "CALIBRATION_END": "1997-09-30",
    "HOLDOUT_END": "1998-06-30",
}


@pytest.fixture(scope="module")
def clv_run(runs):
    return _result(runs["clv-cdnow"])


def test_clv_report_on_cdnow_reproduces_the_published_fit_and_equals_the_library(clv_run, real):
    from cxlib.analytics import clv

    _clean(clv_run)
    assert set(clv_run["csv"]) == {"bgnbd_params", "gamma_gamma_params", "holdout_by_frequency", "clv_per_customer"}
    orders = pd.read_csv(real["cdnow"], parse_dates=["date"])
    res = clv.fit_clv(
        orders, "customer_id", "date", "dollar_value", calibration_end="1997-09-30", holdout_end="1998-06-30"
    )
    params = pd.read_csv(clv_run["csv"]["bgnbd_params"], index_col=0)
    pd.testing.assert_frame_equal(params, res.model.summary.rename_axis("parameter"), check_dtype=False)
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee (2005)
    assert params["estimate"].to_dict() == pytest.approx(published, rel=0.01)
    per = pd.read_csv(clv_run["csv"]["clv_per_customer"], index_col=0)
    per = per.reindex(res.customers.index)  # the report reads ids as text (sorted as text)
    assert per.index.is_unique and len(per) == len(res.customers)
    np.testing.assert_allclose(
        per[["expected_purchases", "probability_alive"]], res.customers[["expected_purchases", "probability_alive"]]
    )
    assert f"{res.holdout['actual']:,}" in clv_run["text"]


# every run, slowest first (the pool starts them in this order)
RUNS = {
    **{f"02-{k}": ("02", t, p) for k, (t, p) in SEGMENT_CASES.items()},
    **{f"06-{k}": ("06", t, p) for k, (t, p) in CHURN_CASES.items()},
    **{f"01-{k}": ("01", t, p) for k, (t, p) in VALUE_CASES.items()},
    **{f"03-{k}": ("03", t, p) for k, (t, p) in COMMENT_CASES.items()},
    "05": ("05", "surveys", NPS_PARAMS),
    "04": ("04", "feedback", AGENT_PARAMS),
    "07": ("07", "snapshot", BUSINESS_PARAMS),
    "clv-cdnow": ("clv", "cdnow", CLV_PARAMS),
}
# files that cannot support a part of their report (small: each run is short)
LIMIT_RUNS = {
    "01-one-month": ("01", "activity_one_month", {"ID_COLUMN": "Customer", "MONTH_COLUMN": "Period"}),
    "02-one-day": ("02", "cdnow_rfm_one_day", SEGMENT_CASES["cdnow"][1]),
    "06-no-value": ("06", "snapshots_small", {"ID_COLUMN": "cust", "TARGET_COLUMN": "Left", "DATE_COLUMN": "Snapshot"}),
}
RUNS.update(LIMIT_RUNS)


@pytest.mark.parametrize(
    "key, says, absent",
    [
        ("01-one-month", "No stability check: the file covers 1 month", "top_customer_stability"),
        ("02-one-day", "no customer bought anything: the holdout period may be too short", "holdout_buying"),
        ("06-no-value", "Not computed: whom to contact and what it is worth", "contact_list"),
    ],
)
def test_a_part_the_file_cannot_support_says_so_and_the_rest_runs(runs, inputs, key, says, absent):
    run = _result(runs[key])
    _clean(run)
    assert says in run["text"] and absent not in run["csv"]
    assert len(run["csv"]) >= 2  # the report's other tables are written
    if key == "06-no-value":  # stacked snapshots: validated on time, the latest cutoff's customers scored
        assert "tested on 2024-10-01; horizon 3 month(s), given (time-based)" in run["text"]
        snapshots = pd.read_csv(inputs["snapshots_small"])
        latest = (snapshots["Snapshot"] == snapshots["Snapshot"].max()).sum()
        assert len(pd.read_csv(run["csv"]["churn_scores"])) == latest


def test_every_report_runs_here_on_another_company_and_on_its_real_set():
    names = {r.name for r in list_reports()}
    assert {find_lesson(number, reports_dir()).name for number, _, _ in RUNS.values()} == names
    real_sets = {key.split("-")[1] for key in RUNS if "-" in key and key not in LIMIT_RUNS} - {"other"}
    assert real_sets == {"mlc", "cdnow", "rated_texts"}


def test_report_pages_show_no_code_and_no_prompts():
    """The HTML of a report (exclude_input) shows results only: no code, no In/Out prompts."""
    import nbformat

    from cxlib.teaching.offline import lesson_html

    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nb = nbformat.v4.new_notebook(cells=[cell])
    page = lesson_html(nb, exclude_input=True)
    assert "Out[" not in page and "1 + 1" not in page and ">2<" in page

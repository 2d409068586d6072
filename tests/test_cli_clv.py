"""Tests of ``cx clv``: the published CDNOW estimates from the command line, the JSON and CSV
outputs against the library, messy exports and bad input (exit 2, clear messages)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cxlib.analytics import clv
from cxlib.cli import main
from cxlib.data.datasets import load_cdnow

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def cdnow_csv(tmp_path_factory):
    """The bundled CDNOW 1/10 sample, exported as an analyst's CSV would be."""
    path = tmp_path_factory.mktemp("clv") / "cdnow_sample.csv"
    load_cdnow(sample=True).to_csv(path, index=False)
    return path


ARGS = ["--customer", "customer_id", "--date", "date", "--calibration-end", "1997-09-30"]


def test_cdnow_sample_reproduces_the_published_estimates(capsys, cdnow_csv):
    code, out, err = _run(
        capsys,
        "clv",
        cdnow_csv,
        *ARGS,
        "--value",
        "dollar_value",
        "--holdout-end",
        "1998-06-30",
        "--unit",
        "week",
        "--json",
    )
    assert code == 0, err
    r = json.loads(out)
    assert set(r["params"]) == {"r", "alpha", "a", "b"}
    for name, value in PUBLISHED.items():
        assert r["params"][name] == pytest.approx(value, rel=0.01), name
        lo, hi = r["params_ci95"][name]
        assert lo < r["params"][name] < hi
    assert r["log_likelihood"] == pytest.approx(-9582.4, rel=0.01)
    assert r["customers"] == 2357 and r["repeat_customers"] == 946 and r["rows_read"] == 6919
    assert r["holdout"]["actual"] == 1882 and r["holdout"]["predicted"] == pytest.approx(1653.4, abs=0.1)
    assert r["spend_params"]["p"] == pytest.approx(6.25, rel=0.01)
    assert len(r["per_customer"]) == 2357
    first = r["per_customer"][0]
    assert {
        "customer_id",
        "first_purchase",
        "frequency",
        "recency",
        "T",
        "expected_purchases",
        "probability_alive",
        "expected_spend",
        "expected_value",
        "frequency_holdout",
    } <= set(first)


def test_outputs_match_the_library(capsys, cdnow_csv, tmp_path):
    out_csv = tmp_path / "per_customer.csv"
    code, out, err = _run(capsys, "clv", cdnow_csv, *ARGS, "--csv", out_csv, "--json")
    assert code == 0, err
    r = json.loads(out)
    lib = clv.fit_clv(load_cdnow(sample=True), "customer_id", "date", calibration_end="1997-09-30")
    table = pd.read_csv(out_csv)
    assert len(table) == 2357 and r["horizon"] == 52.0 and r["holdout"] is None
    merged = table.set_index("customer_id").join(lib.customers, rsuffix="_lib")
    assert merged["expected_purchases"].to_numpy() == pytest.approx(merged["expected_purchases_lib"].to_numpy())
    assert merged["probability_alive"].to_numpy() == pytest.approx(merged["probability_alive_lib"].to_numpy())
    assert r["params"] == pytest.approx(lib.model.params_.to_dict())
    assert "expected_value" not in table  # no --value, no spend model


def test_text_report(capsys, cdnow_csv):
    code, out, err = _run(
        capsys, "clv", cdnow_csv, *ARGS, "--value", "dollar_value", "--holdout-end", "1998-06-30", "--top", "5"
    )
    assert code == 0, err
    for part in (
        "params (95% intervals)",
        "log-likelihood     -9582.4",
        "alpha     4.414  [3.731, 5.221]",
        "holdout            1997-10-01 to 1998-06-30 (39 weeks): predicted 1,653.4 repeat purchases, actual 1,882",
        "Top 5 of 2,357 customers by expected value in the next 39 weeks",
        "probability_alive",
        "mean spend per purchase 35.17",
    ):
        assert part in out, part
    table = out.split("in the next 39 weeks")[1].strip().splitlines()
    assert len(table) == 1 + 1 + 5  # the rest of the title line, the header, five customers


def test_days_instead_of_weeks(capsys, cdnow_csv):
    code, out, _ = _run(capsys, "clv", cdnow_csv, *ARGS, "--unit", "day", "--horizon", "30", "--json")
    r = json.loads(out)
    assert code == 0 and r["unit"] == "day" and r["horizon"] == 30
    assert r["params"]["alpha"] == pytest.approx(7 * PUBLISHED["alpha"], rel=0.01)  # a rate per day, not per week


def test_messy_export(capsys, tmp_path):
    """Renamed columns, a BOM, Persian digits, times of day, thousands separators, an empty row."""
    orders = load_cdnow(sample=True)
    orders = orders[orders["customer_id"] <= 600]
    df = pd.DataFrame(
        {
            "Client": orders["customer_id"].map(lambda i: f"C{i:04d}"),
            "Order Date": orders["date"].dt.strftime("%Y-%m-%d 10:15"),
            "Amount (USD)": orders["dollar_value"].map(lambda v: f"{v:,.2f}"),
        }
    )
    df.iloc[0, 1] = "۱۹۹۷-۰۱-۰۱"
    path = tmp_path / "export.csv"
    text = df.to_csv(index=False)
    path.write_text(text + ",,\n", encoding="utf-8-sig")
    code, out, err = _run(
        capsys,
        "clv",
        path,
        "--customer",
        "Client",
        "--date",
        "Order Date",
        "--value",
        "Amount (USD)",
        "--calibration-end",
        "1997-09-30",
        "--json",
    )
    assert code == 0, err
    r = json.loads(out)
    assert r["customers"] == 600 and r["empty_rows_dropped"] == 1
    assert r["per_customer"][0]["Client"] == "C0001"


@pytest.mark.parametrize(
    "csv_text, extra, message",
    [
        ("cust,day\nA,2024-01-01\n", ["--customer", "customer"], "column 'customer' not found"),
        ("cust,day\nA,2024-01-01\nB,soon\n", [], "column 'day (as order_date)': date not understood in 1 row (row 3)"),
        ("cust,day,v\nA,2024-01-01,5\nB,2024-01-02,-1\n", ["--value", "v"], "negative value in 1 row (row 3)"),
        ("cust,day\n,2024-01-01\n", [], "blank in a required column in 1 row (row 2)"),
    ],
)
def test_bad_file_exit_2(capsys, tmp_path, csv_text, extra, message):
    path = tmp_path / "orders.csv"
    path.write_text(csv_text)
    argv = ["clv", path, "--customer", "cust", "--date", "day", "--calibration-end", "2024-06-30", *extra]
    if extra[:1] == ["--customer"]:
        argv = ["clv", path, *extra, "--date", "day", "--calibration-end", "2024-06-30"]
    code, out, err = _run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err and out == ""
    if extra[:1] == ["--customer"]:
        assert "Give the right name with --customer" in err and "Close matches: 'cust'" in err
        assert "--column" not in err  # cx clv names its columns with its own options


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            ["--calibration-end", "1996-12-31"],
            "no customer made a first purchase on or before the calibration end "
            "(1996-12-31): the orders run from 1997-01-01 to 1998-06-30",
        ),
        (["--calibration-end", "1997-01-01"], "none of the 18 customers made a repeat purchase"),
        (
            ["--calibration-end", "1997-09-30", "--holdout-end", "1997-09-01"],
            "--holdout-end 1997-09-01 must be after --calibration-end 1997-09-30",
        ),
        (["--calibration-end", "30.09.97x"], "--calibration-end '30.09.97x' is not a date"),
        (["--calibration-end", "1997-09-30", "--horizon", "0"], "--horizon must be a number > 0"),
    ],
)
def test_bad_settings_exit_2(capsys, cdnow_csv, extra, message):
    code, _, err = _run(capsys, "clv", cdnow_csv, "--customer", "customer_id", "--date", "date", *extra)
    assert code == 2 and message in err, err
    if "1997-01-01" in extra:
        assert "--calibration-end" in err


def test_csv_never_overwrites_the_input(capsys, cdnow_csv):
    before = cdnow_csv.read_bytes()
    code, _, err = _run(capsys, "clv", cdnow_csv, *ARGS, "--csv", cdnow_csv)
    assert code == 2 and "is the input file" in err and cdnow_csv.read_bytes() == before


def test_calibration_after_the_last_order_is_noted(capsys, cdnow_csv):
    code, out, _ = _run(
        capsys,
        "clv",
        cdnow_csv,
        "--customer",
        "customer_id",
        "--date",
        "date",
        "--calibration-end",
        "1999-12-31",
        "--json",
    )
    assert code == 0
    assert any("before the calibration end 1999-12-31" in n for n in json.loads(out)["notes"])

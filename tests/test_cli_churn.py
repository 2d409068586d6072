"""Tests of ``cx churn``: JSON contract, messy exports, exit codes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cxlib.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def messy(tmp_path):
    """A telco-like export: numbers as text with blanks, a many-level text column, a constant
    column, Yes/No labels with blanks."""
    rng = np.random.default_rng(7)
    n = 400
    tenure = rng.integers(1, 72, n)
    complaints = rng.poisson(0.6, n)
    p = 1 / (1 + np.exp(-(-1.0 - 0.04 * tenure + 0.8 * complaints)))
    churn = np.where(rng.random(n) < p, "Yes", "No").astype(object)
    churn[[5, 17, 33]] = ""
    charges = np.array([f"{x:,.2f}" for x in tenure * rng.uniform(20, 100, n)], dtype=object)
    charges[::25] = " "
    df = pd.DataFrame(
        {
            "customerID": [f"{i:04d}-ABCD" for i in range(n)],
            "tenure": tenure,
            "Complaints": complaints,
            "TotalCharges": charges,
            "Zip": [f"Z{i}" for i in rng.integers(0, 60, n)],
            "Country": "Iran",
            "Churn": churn,
        }
    )
    path = tmp_path / "telco.csv"
    df.to_csv(path, index=False)
    return path


def test_json_contract_on_messy_export(capsys, messy):
    code, out, err = _run(capsys, "churn", str(messy), "--target", "Churn", "--id", "customerID", "--json")
    assert code == 0, err
    r = json.loads(out)
    for key in ("n", "churn_rate", "auc", "auc_ci_low", "auc_ci_high", "pr_auc", "top_decile_lift", "model", "drivers"):
        assert key in r
    assert r["n"] == 397 and r["n_missing_target"] == 3
    assert r["target_mapping"] == {"No": 0, "Yes": 1}
    assert "TotalCharges" in r["numeric_features"] and "Zip" in r["text_features"]
    assert "Country" in r["dropped_columns"] and "customerID" in r["dropped_columns"]
    assert r["auc_ci_low"] < r["auc"] < r["auc_ci_high"] and r["auc"] > 0.7
    top = {d["feature"]: d["direction"] for d in r["drivers"]}
    assert top["Complaints"] == "higher" and top["tenure"] == "lower"


def test_readable_report(capsys, messy):
    code, out, _ = _run(capsys, "churn", str(messy), "--target", "Churn", "--id", "customerID")
    assert code == 0
    assert "ROC AUC" in out and "top-decile lift" in out and "nobody churns" in out
    assert "blank target excluded" in out and "more Complaints → higher churn risk" in out


def test_bundled_snapshot_is_deterministic(capsys):
    from cxlib.data.datasets import data_path

    path = str(data_path("churn_snapshot.csv"))
    runs = [
        json.loads(_run(capsys, "churn", path, "--target", "churned", "--id", "customer_id", "--json")[1])
        for _ in range(2)
    ]
    assert runs[0]["auc"] == runs[1]["auc"] and runs[0]["n"] == len(pd.read_csv(path))
    assert 0.75 < runs[0]["auc"] < 0.9


@pytest.mark.parametrize(
    "target, message", [(["Yes"] * 6 + [""] * 2, "only the value 1"), (["maybe"] * 8, "not understood")]
)
def test_bad_target_exit_2(capsys, tmp_path, target, message):
    path = tmp_path / "t.csv"
    pd.DataFrame({"id": list("abcdefgh"), "x": range(8), "left": target}).to_csv(path, index=False)
    code, _, err = _run(capsys, "churn", str(path), "--target", "left", "--id", "id")
    assert code == 2 and message in err


def test_no_usable_feature_exit_2(capsys, tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"id": list("abcdefgh"), "same": 1, "left": [0, 1] * 4}).to_csv(path, index=False)
    code, _, err = _run(capsys, "churn", str(path), "--target", "left", "--id", "id")
    assert code == 2 and "no usable feature" in err


def test_missing_column_and_file_exit_2(capsys, messy, tmp_path):
    code, _, err = _run(capsys, "churn", str(messy), "--target", "Exited", "--id", "customerID")
    assert code == 2 and "Exited" in err
    code, _, err = _run(capsys, "churn", str(tmp_path / "nope.csv"), "--target", "Churn")
    assert code == 2


def test_hgb_model_option(capsys, messy):
    code, out, err = _run(
        capsys, "churn", str(messy), "--target", "Churn", "--id", "customerID", "--model", "hgb", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["model"] == "histogram gradient boosting"


def test_time_based_validation_with_date(capsys, tmp_path):
    from cxlib.data import datasets
    from cxlib.features import build_features

    act = datasets.load_activity()
    t = pd.concat([build_features(act, c).assign(cutoff=c) for c in ["2024-01-01", "2024-04-01", "2024-07-01"]])
    t["customer_id"] = t["customer_id"] + "_" + t["cutoff"]
    path = tmp_path / "stacked.csv"
    t[["customer_id", "cutoff", "complaints_3m", "payment_issues_6m", "positive_feedback_6m", "churned"]].to_csv(
        path, index=False
    )
    args = ("churn", str(path), "--target", "churned", "--id", "customer_id", "--date", "cutoff")
    # ids made unique per cutoff: the horizon cannot be read from the data, so it must be given
    code, _, err = _run(capsys, *args)
    assert code == 2 and "--horizon" in err
    code, out, err = _run(capsys, *args, "--horizon", "3", "--json")
    assert code == 0, err
    r = json.loads(out)
    assert "tested on 2024-07-01" in r["validation"] and r["n"] == (t["cutoff"] == "2024-07-01").sum()
    assert "cutoff" not in r["numeric_features"] + r["text_features"]
    code, _, err = _run(capsys, "churn", str(path), "--target", "churned", "--date", "when")
    assert code == 2 and "when" in err


def test_read_notes_name_the_files_own_columns(tmp_path):
    """Conversions the data layer made (Yes/No -> 1/0) are reported under the file's column name."""
    from cxlib.data.io import read_churn_table

    df = pd.DataFrame(
        {
            "cust": [f"C{i}" for i in range(6)],
            "Left": ["Yes", "No", "No", "Yes", "No", "No"],
            "complaints": [2, 0, 0, 1, 0, 0],
        }
    )
    path = tmp_path / "yesno.csv"
    df.to_csv(path, index=False)
    table, notes = read_churn_table(path, "Left", "cust")
    assert table["Left"].tolist() == [1, 0, 0, 1, 0, 0]
    assert any("'Left': 6 yes/no or true/false values converted to 1/0" in n for n in notes), notes


def test_stacked_snapshots_with_a_customer_id_column_are_read_by_customer_and_date(tmp_path, capsys):
    """A customer appears once per snapshot date: a duplicate (customer, date) pair is the error, not the id."""
    import numpy as np

    rng = np.random.default_rng(0)
    rows = ["customer_id,cutoff,complaints,fee,churned"]
    for cutoff in ("2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"):
        for i in range(150):
            complaints = int(rng.poisson(1.0))
            churned = int(rng.random() < 0.1 + 0.1 * complaints)
            rows.append(f"C{i},{cutoff},{complaints},{int(rng.integers(10, 40))},{churned}")
    stacked = tmp_path / "stacked.csv"
    stacked.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["churn", str(stacked), "--target", "churned", "--date", "cutoff", "--horizon", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["validation"].startswith("time") or "cutoff" in json.dumps(out)
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\n".join(rows + [rows[1]]) + "\n", encoding="utf-8")
    assert main(["churn", str(doubled), "--target", "churned", "--date", "cutoff"]) == 2
    err = capsys.readouterr().err
    assert "customer_id" in err and "cutoff" in err


def test_scores_csv_has_every_scored_customer_with_probability_and_decile(tmp_path, capsys):
    rng = np.random.default_rng(1)
    n = 400
    calls = rng.poisson(1.5, n)
    df = pd.DataFrame(
        {
            "cust": [f"=C{i}" if i == 0 else f"C{i}" for i in range(n)],  # a formula-looking id stays text
            "calls": calls,
            "fee": rng.integers(10, 50, n),
            "Left": (rng.random(n) < 0.1 + 0.1 * calls).astype(int),
        }
    )
    f = tmp_path / "customers.csv"
    df.to_csv(f, index=False)
    out = tmp_path / "scores.csv"
    assert main(["churn", str(f), "--target", "Left", "--id", "cust", "--scores", str(out)]) == 0
    assert "wrote 400 rows to scores.csv" in capsys.readouterr().err
    scores = pd.read_csv(out)
    assert list(scores.columns) == ["cust", "probability", "decile"]
    assert sorted(scores["cust"]) == sorted(["'=C0", *[f"C{i}" for i in range(1, n)]])
    assert scores["probability"].is_monotonic_decreasing and set(scores["decile"]) == set(range(1, 11))
    assert main(["churn", str(f), "--target", "Left", "--scores", str(tmp_path / "nope" / "s.csv")]) == 2

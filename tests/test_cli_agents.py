"""Tests of ``cx agents``: output, JSON, own column names and clear errors for bad files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cxlib.cli import main


@pytest.fixture
def feedback_csv(tmp_path):
    rng = np.random.default_rng(0)
    agents = np.repeat([f"A{i}" for i in range(8)], [5, 10, 100, 200, 50, 3, 300, 80])
    csat = np.where(rng.random(len(agents)) < 0.8, 5, 2)
    df = pd.DataFrame({"response_id": [f"R{i}" for i in range(len(agents))], "Agent Name": agents, "CSAT (1-5)": csat})
    path = tmp_path / "export.csv"
    df.to_csv(path, index=False)
    return path, df


def test_table_output_sorted_by_shrunk_rate(feedback_csv, capsys):
    path, df = feedback_csv
    code = main(["agents", str(path), "--agent", "Agent Name", "--score", "CSAT (1-5)"])
    out = capsys.readouterr().out
    assert code == 0
    assert "8 agents, 748 answers" in out
    for col in ("agent", "n", "raw %", "raw 95% CI", "shrunk %", "shrunk 95% CI"):
        assert col in out
    assert "coaching, not pay" in out


def test_json_output(feedback_csv, capsys):
    path, df = feedback_csv
    code = main(["agents", str(path), "--agent", "Agent Name", "--score", "CSAT (1-5)", "--json", "--method", "mom"])
    assert code == 0
    res = json.loads(capsys.readouterr().out)
    assert res["n_agents"] == 8 and res["n_answers"] == len(df)
    rates = [a["shrunk_rate"] for a in res["agents"]]
    assert rates == sorted(rates, reverse=True)
    a0 = next(a for a in res["agents"] if a["agent"] == "A0")
    sat = int((df.loc[df["Agent Name"] == "A0", "CSAT (1-5)"] >= 4).sum())
    assert a0["n"] == 5 and a0["satisfied"] == sat
    assert a0["low"] <= a0["shrunk_rate"] <= a0["high"]
    assert res["prior"]["method"] == "mom"


def test_bundled_file_runs(capsys):
    datasets = pytest.importorskip("cxlib.data.datasets")
    path = datasets.data_path("agent_feedback.csv")
    if not path.exists():
        pytest.skip("bundled data not built yet")
    assert main(["agents", str(path), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["n_agents"] >= 20
    assert main(["agents", str(path)]) == 0
    out = capsys.readouterr().out
    team = f"{100 * res['overall_rate']:.1f}%"
    assert f"funnel: the raw rate against the limits around the team's {team}" in out, out[-600:]
    assert out.rstrip().endswith("use this for coaching, not pay.")


def test_bad_values_are_all_reported(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("response_id,agent_id,csat\nR1,A,5\nR2,B,great\nR3,A,9\nR4,B,4\n")
    assert main(["agents", str(path)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "'great'" in err
    assert "row 4" in err and "9" in err
    assert "Traceback" not in err


def test_missing_column_suggests_the_option(tmp_path, capsys):
    path = tmp_path / "fb.csv"
    path.write_text("response_id,Agent,Score\nR1,A,5\n")
    assert main(["agents", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--agent" in err and "'Agent'" in err


def test_missing_file(tmp_path, capsys):
    assert main(["agents", str(tmp_path / "nope.csv")]) == 2
    assert "not found" in capsys.readouterr().err


def test_small_file_says_how_the_intervals_were_made(tmp_path, capsys):
    """Five agents, ten answers: the hierarchical intervals contain the raw Wilson ones, and the text says so."""
    path = tmp_path / "small.csv"
    pd.DataFrame({"agent_id": list("AAABBCCCDE"), "csat": [5, 4, 5, 2, 5, 1, 5, 4, 5, 3]}).to_csv(path, index=False)
    assert main(["agents", str(path)]) == 0
    out = capsys.readouterr().out
    assert "everyone gets the pooled rate" not in out  # true only of plug-in intervals
    assert "the intervals include the uncertainty of that pull" in out and "contain the raw ones" in out
    assert main(["agents", str(path), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["prior"]["model"] == "hierarchical" and res["prior"]["widened_to_raw"] is True
    for a in res["agents"]:
        assert a["low"] <= a["raw_low"] + 1e-12 and a["high"] >= a["raw_high"] - 1e-12, a


def test_csv_agent_table_has_rates_and_intervals(tmp_path, capsys):
    f = tmp_path / "fb.csv"
    rows = ["agent_id,csat"] + [f"A{i % 5},{1 + (i * 7) % 5}" for i in range(200)]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "agents.csv"
    assert main(["agents", str(f), "--csv", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)  # stdout stays pure JSON; the note goes to stderr
    table = pd.read_csv(out)
    assert len(table) == payload["n_agents"] == 5
    assert {"raw_rate", "raw_low", "raw_high", "shrunk_rate", "low", "high"} <= set(table.columns)


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_satisfaction_written_as_words_gets_advice_to_recode_not_to_delete(tmp_path, capsys, engine):
    f = tmp_path / "labels.csv"
    words = ["Very satisfied", "Satisfied", "Neutral", "Dissatisfied"]
    f.write_text("agent_id,csat\n" + "".join(f"A{i % 3},{words[i % 4]}\n" for i in range(12)))
    assert main(["agents", str(f), "--engine", engine]) == 2
    err = capsys.readouterr().err
    assert "If these are answer labels such as 'Very satisfied', recode them to the scale's numbers first" in err


def test_the_reminder_to_name_columns_comes_only_when_a_column_is_missing(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("agent_id,csat\nA1,9\n")
    assert main(["agents", str(bad)]) == 2
    assert "--agent COLUMN" not in capsys.readouterr().err
    other = tmp_path / "other.csv"
    other.write_text("agent,score\nA1,4\n")
    assert main(["agents", str(other)]) == 2
    assert "name your columns with --agent COLUMN and --score COLUMN" in capsys.readouterr().err


def test_an_id_column_the_schema_does_not_know_is_pointed_out(tmp_path, capsys):
    f = tmp_path / "fb.csv"
    f.write_text("Record ID,agent_id,csat\n" + "".join(f"X{i},A{i % 3},{1 + i % 5}\n" for i in range(30)))
    assert main(["agents", str(f)]) == 0
    out = capsys.readouterr().out
    assert (
        "'Record ID' looks like an id: if it holds one id per answer, map it with --column response_id=\"Record ID\""
        in out
    )
    # and mapped so, a doubled export stops the count (cx agents had no --column: an analyst's review)
    f.write_text("Record ID,agent_id,csat\n" + "".join(f"X{i % 20},A{i % 3},{1 + i % 5}\n" for i in range(30)))
    assert main(["agents", str(f), "--column", "response_id=Record ID"]) == 2
    assert "duplicate id in 20 rows" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["memory", "duckdb"])
def test_skipped_scores_say_how_they_were_written(tmp_path, capsys, engine):
    """'rows with an empty agent or score were left out' (a blank agent is an error, not left out; an analyst's
    review): the note says what cx nps says, with the blank markers."""
    f = tmp_path / "fb.csv"
    f.write_text("response_id,agent_id,csat\nR1,A,5\nR2,A,N/A\nR3,B,\nR4,B,4\n")
    assert main(["agents", str(f), "--engine", engine]) == 0
    out = capsys.readouterr().out
    assert "2 blank answer(s) skipped (not counted as dissatisfied), 1 of them written as 'N/A'." in out

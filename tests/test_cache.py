"""The bundled tables kept ready to load (cxlib.data.cache, issue 17 item 5): the frame loaded is the frame parsed."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cxlib.data import cache, datasets

LOADERS = {
    "customers": datasets.load_customers,
    "activity": datasets.load_activity,
    "agents": datasets.load_agents,
    "interactions": datasets.load_interactions,
    "agent_feedback": datasets.load_agent_feedback,
    "nps_surveys": datasets.load_nps_surveys,
    "churn_snapshot": datasets.load_churn_snapshot,
    "cdnow": datasets.load_cdnow,
    "cdnow sample": lambda: datasets.load_cdnow(sample=True),
    "rated_texts": datasets.load_rated_texts,
    "mlc_churn": datasets.load_mlc_churn,
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_CACHE", str(tmp_path))
    return tmp_path / "tables"


def _parsed(load, monkeypatch):
    """What ``load`` gives without the cache."""
    with monkeypatch.context() as m:
        m.setattr(cache, "cached_table", lambda source, how, read: read())
        m.setattr(datasets, "cached_table", lambda source, how, read: read())
        return load()


@pytest.mark.parametrize("name", list(LOADERS))
def test_every_bundled_table_loads_from_the_cache_as_it_was_parsed(name, folder, monkeypatch):
    load = LOADERS[name]
    parsed = _parsed(load, monkeypatch)
    first = load()  # parsed, then kept
    kept = sorted(folder.glob("*.npz"))
    assert kept, "nothing was kept"
    loaded = load()  # from the cache
    for got in (first, loaded):
        pd.testing.assert_frame_equal(got, parsed, check_exact=True)
        assert [type(v) for v in got.select_dtypes("object").iloc[0]] == [
            type(v) for v in parsed.select_dtypes("object").iloc[0]
        ]
    assert sorted(folder.glob("*.npz")) == kept and not list(folder.glob("*.part"))


def test_truth_loads_from_the_cache_as_it_was_parsed(folder, monkeypatch):
    parsed = _parsed(datasets.load_truth, monkeypatch)
    datasets.load_truth()
    loaded = datasets.load_truth()
    for part in ("customers", "agents", "monthly", "churn_probability"):
        pd.testing.assert_frame_equal(getattr(loaded, part), getattr(parsed, part), check_exact=True)


TEXT = b"id,day,score,note\nC1,2024-01-02,9,ok\nC2,,,\nC1,2024-02-03,7.5,\xd8\xae\xd9\x88\xd8\xa8\n"


def _read():
    return pd.read_csv(io.BytesIO(TEXT), parse_dates=["day"])


def test_a_damaged_or_planted_file_is_parsed_again_and_replaced(folder):
    how = {"name": "t.csv"}
    want = cache.cached_table(TEXT, how, _read)
    (path,) = folder.glob("*.npz")
    path.write_bytes(b"not an npz file")
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, how, _read), want)
    np.savez(path, meta=np.array([{"code": "would run if unpickled"}], dtype=object))  # needs pickle: refused
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, how, _read), want)
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, how, lambda: pytest.fail("parsed again")), want)


def test_the_name_changes_with_the_bytes_the_reading_and_the_versions(folder, monkeypatch):
    cache.cached_table(TEXT, {"name": "t.csv"}, _read)
    cache.cached_table(TEXT + b"C3,2024-03-01,1,\n", {"name": "t.csv"}, _read)
    cache.cached_table(TEXT, {"name": "t.csv", "sep": ";"}, _read)
    monkeypatch.setattr(pd, "__version__", "0.0")
    cache.cached_table(TEXT, {"name": "t.csv"}, _read)
    assert len(list(folder.glob("*.npz"))) == 4


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"a": ["x", 1]}),  # text and a number in one column
        pd.DataFrame({"a": ["x", None]}),  # a blank that is not NaN
        pd.DataFrame({"a": [1, 2]}, index=[5, 6]),  # an index of its own
        pd.DataFrame({"a": pd.array([1, None], dtype="Int64")}),  # an extension type
        pd.DataFrame([[1, 2]], columns=["a", "a"]),  # two columns of one name
        pd.DataFrame({"a": ["\ud800"]}),  # not encodable text
    ],
    ids=["mixed", "None", "index", "Int64", "same names", "surrogate"],
)
def test_a_table_the_arrays_cannot_hold_exactly_is_not_kept(frame, folder):
    got = cache.cached_table(b"anything", {"name": "x"}, lambda: frame.copy())
    pd.testing.assert_frame_equal(got, frame)
    assert not list(folder.glob("*.npz"))


def test_a_cache_folder_that_cannot_be_written_only_costs_the_parsing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CX_CACHE", str(blocker))  # cannot be a folder
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, {"name": "t"}, _read), _read())
    monkeypatch.setenv("CX_CACHE", str(tmp_path / "ro"))
    (tmp_path / "ro" / "tables").mkdir(parents=True)
    (tmp_path / "ro" / "tables").chmod(0o500)
    try:
        pd.testing.assert_frame_equal(cache.cached_table(TEXT, {"name": "t"}, _read), _read())
    finally:
        (tmp_path / "ro" / "tables").chmod(0o700)

"""The bundled tables kept ready to load (cxlib.data.cache, issue 17 item 5): the frame loaded is the frame parsed."""

from __future__ import annotations

import functools
import io
import json

import numpy as np
import pandas as pd
import pytest

from cxlib.data import cache, datasets

LOADERS = {name: functools.partial(datasets.load, name) for name in datasets.TABLES} | {
    "cdnow": datasets.load_cdnow,
    "cdnow sample": functools.partial(datasets.load_cdnow, sample=True),
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


PARSED = []


def _read():
    PARSED.append(1)
    return pd.read_csv(io.BytesIO(TEXT), parse_dates=["day"])


def test_a_damaged_or_planted_file_is_parsed_again_and_replaced(folder):
    how = {"name": "t.csv"}
    want = cache.cached_table(TEXT, how, _read)
    (path,) = folder.glob("*.npz")
    path.write_bytes(b"not an npz file")
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, how, _read), want)
    np.savez(path, meta=np.array([{"code": "would run if unpickled"}], dtype=object))  # needs pickle: refused
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, how, _read), want)
    PARSED.clear()
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, how, _read), want)
    assert not PARSED, "replaced, then parsed again"


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
        pd.DataFrame({"a": [1, 2]}).rename_axis("row"),  # a named index
        pd.DataFrame({"a": [1, 2]}).rename_axis(columns="field"),  # named columns
    ],
    ids=["mixed", "None", "index", "Int64", "same names", "surrogate", "index name", "columns name"],
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
    monkeypatch.setenv("CX_CACHE", str(tmp_path / "full"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.tempfile, "mkstemp", full)
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, {"name": "t"}, _read), _read())
    assert not list((tmp_path / "full").rglob("*.npz"))


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX owners and modes")
def test_a_folder_others_can_write_to_is_neither_read_nor_written(folder):
    want = cache.cached_table(TEXT, {"name": "t.csv"}, _read)
    (path,) = folder.glob("*.npz")
    folder.chmod(0o777)  # CX_CACHE in a shared folder: another user could have put a table there
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, {"name": "t.csv"}, _read), want)
    PARSED.clear()
    cache.cached_table(TEXT, {"name": "t.csv"}, _read)
    assert PARSED == [1], "read from a folder others can write to"
    path.unlink()
    cache.cached_table(TEXT, {"name": "t.csv"}, _read)
    assert not path.exists(), "written into a folder others can write to"
    folder.chmod(0o700)


def test_another_reading_code_is_another_table(folder):
    cache.cached_table(TEXT, {"name": "t.csv"}, lambda: pd.read_csv(io.BytesIO(TEXT)))
    cache.cached_table(TEXT, {"name": "t.csv"}, lambda: pd.read_csv(io.BytesIO(TEXT), parse_dates=["day"]))
    assert len(list(folder.glob("*.npz"))) == 2


@pytest.mark.parametrize("planted", ["codes", "dtype", "kind"])
def test_a_file_that_does_not_hold_what_it_says_is_parsed_again(folder, planted):
    want = cache.cached_table(TEXT, {"name": "t.csv"}, _read)
    (path,) = folder.glob("*.npz")
    with np.load(path) as z:
        arrays = dict(z)
    meta = json.loads(arrays["meta"].tobytes())
    if planted == "codes":  # a text column's codes beyond its values
        arrays["c0"] = arrays["c0"] + 100
    elif planted == "dtype":  # a number column holding bytes
        arrays["c2"] = np.zeros(3, dtype="V8")
    else:
        meta["columns"][0][1] = "|O"
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    pd.testing.assert_frame_equal(cache.cached_table(TEXT, {"name": "t.csv"}, _read), want)

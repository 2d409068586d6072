"""Lesson 08's big file: written once into the cache, reused, replaced when its sources change; its sizes."""

from __future__ import annotations

import duckdb
import pytest

from cxlib.teaching import bigdata


def test_the_cache_folder_follows_cx_cache_then_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_CACHE", str(tmp_path / "cx"))
    assert bigdata.cache_dir() == tmp_path / "cx" and (tmp_path / "cx").is_dir()
    monkeypatch.delenv("CX_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert bigdata.cache_dir() == tmp_path / "xdg" / "cxlib"


def test_the_big_file_is_written_once_then_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_CACHE", str(tmp_path))
    first = bigdata.big_surveys_file(rows=2000, seed=8)
    assert first.parent.parent == tmp_path and first.name == "surveys_big_2000_seed8.parquet"
    stamp = first.stat().st_mtime_ns
    calls = []
    monkeypatch.setattr(bigdata, "write_big_surveys", lambda *a: calls.append(a))
    assert bigdata.big_surveys_file(rows=2000, seed=8) == first and first.stat().st_mtime_ns == stamp
    assert calls == []  # reused, not written again
    assert not list(tmp_path.rglob("*.partial"))


def test_the_big_file_is_the_resample_write_big_surveys_makes(tmp_path):
    cached = bigdata.big_surveys_file(rows=3000, seed=5, folder=tmp_path / "cache")
    direct = bigdata.write_big_surveys(tmp_path / "direct.parquet", rows=3000, seed=5)
    query = "SELECT * FROM read_parquet('{}') ORDER BY response_id"
    assert duckdb.sql(query.format(cached)).df().equals(duckdb.sql(query.format(direct)).df())


def test_a_changed_generator_replaces_the_old_folder(tmp_path, monkeypatch):
    """The folder is named by a digest of the bundled survey and the generator's code: an old one is removed."""
    old = tmp_path / "big-surveys-000000000000"
    old.mkdir()
    (old / "surveys_big_2000_seed8.parquet").write_bytes(b"stale")
    new = bigdata.big_surveys_file(rows=2000, seed=8, folder=tmp_path)
    assert not old.exists() and new.is_file() and new.read_bytes()[:4] == b"PAR1"


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def fail(path, rows, seed):
        path.write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(bigdata, "write_big_surveys", fail)
    with pytest.raises(OSError, match="disk full"):
        bigdata.big_surveys_file(rows=2000, seed=8, folder=tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_sizes_are_measured_not_typed(tmp_path):
    path = bigdata.write_big_surveys(tmp_path / "big.parquet", rows=4000, seed=8)
    sizes = bigdata.file_sizes(path, sample=1000)
    first = duckdb.sql(f"SELECT * FROM read_parquet('{path}') LIMIT 1000").df()
    assert sizes["rows"] == 4000 and sizes["parquet_bytes"] == path.stat().st_size
    assert sizes["csv_bytes_per_row"] == pytest.approx(len(first.to_csv(index=False).encode()) / 1000)
    assert sizes["csv_bytes"] == pytest.approx(4 * len(first.to_csv(index=False).encode()))
    assert 60 < sizes["pandas_bytes_per_row"] < 200  # three 8-byte columns and a short Python string


def test_a_quote_in_the_path_is_not_sql(tmp_path):
    folder = tmp_path / "it's here"
    folder.mkdir()
    path = bigdata.write_big_surveys(folder / "big.parquet", rows=100)
    assert bigdata.file_sizes(path)["rows"] == 100


def test_an_unusable_cache_folder_is_a_clear_error(tmp_path, monkeypatch):
    from cxlib.errors import CxError

    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("CX_CACHE", str(tmp_path / "a-file"))
    with pytest.raises(CxError, match="cache folder .*a-file cannot be made .*set CX_CACHE"):
        bigdata.cache_dir()

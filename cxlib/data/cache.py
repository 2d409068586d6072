"""The course's cache folder, and the bundled tables kept there ready to load.

Reading a bundled CSV costs 5-60 ms (parsing, dates, an xz archive); a lesson reads four to
eight of them, so about a second goes to parsing over the nine lessons (issue 17 item 5).
:func:`cached_table` keeps each table as it was parsed, as plain arrays in a NumPy ``.npz``
file (read with ``allow_pickle=False``: loading it runs no code, unlike a pickle), named by a
SHA-256 of the bundled file's bytes, how it was read (the options and the reading code's source)
and the versions of pandas and NumPy. Another file, another reading, another version: another
name, so an edit cannot leave a stale table behind. A table that the arrays cannot hold exactly
(a column of mixed types, a special index) is not kept; a cache folder that cannot be written
to, a damaged file, or a folder or file another user could have written, is passed over. The
frame loaded is the frame parsed, value for value (``tests/test_cache.py`` checks every bundled
table).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["cache_dir", "cached_table"]

#: The layout of the cached files; a change of layout changes every name.
FORMAT = "cx-table-1"


def cache_dir() -> Path:
    """The folder where the course keeps files it can make again (created when missing).

    ``CX_CACHE`` names it; otherwise ``$XDG_CACHE_HOME/cxlib`` (``~/.cache/cxlib``). Deleting it
    is always safe.

    Returns
    -------
    pathlib.Path
        The folder.

    Raises
    ------
    CxError
        When the folder cannot be made.

    Examples
    --------
    >>> cache_dir().is_dir()
    True
    """
    base = os.environ.get("CX_CACHE")
    if base:
        folder = Path(base)
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cxlib"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        from cxlib.errors import CxError

        raise CxError(
            f"the course's cache folder {folder} cannot be made ({e.strerror}); "
            "set CX_CACHE to a folder you can write to."
        ) from None
    return folder


def cached_table(source: bytes, how: Mapping[str, Any], read: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The table ``read()`` parses from the file whose bytes are ``source``, from the cache when it holds it.

    Parameters
    ----------
    source : bytes
        The bundled file's content (its SHA-256 names the cached table).
    how : mapping
        How ``read`` reads it (the file's name, the parsing options), as JSON-able values.
    read : callable
        Parses the file; called when the cache does not hold the table (its result is then kept).

    Returns
    -------
    pandas.DataFrame
        The table, equal to ``read()`` value for value and type for type.

    Examples
    --------
    >>> import io
    >>> from cxlib.data import datasets
    >>> source = datasets.data_path("agents.csv").read_bytes()
    >>> read = lambda: pd.read_csv(io.BytesIO(source), parse_dates=["hire_date"])
    >>> a = cached_table(source, {"name": "agents.csv"}, read)  # parsed (and kept, where read's code is in a file)
    >>> b = cached_table(source, {"name": "agents.csv"}, read)
    >>> a.equals(b), b["hire_date"].dtype.kind
    (True, 'M')
    """
    try:
        code = inspect.getsource(read)  # an edit to the parsing is another table
        path = cache_dir() / "tables"
    except Exception:  # no source to key on, or no cache folder: parse as before
        return read()
    h = hashlib.sha256(FORMAT.encode())
    h.update(json.dumps(dict(how), sort_keys=True, default=str).encode())
    h.update(code.encode())
    h.update(f"|pandas {pd.__version__}|numpy {np.__version__}|".encode())
    h.update(hashlib.sha256(source).digest())
    path = path / f"{h.hexdigest()}.npz"
    if path.is_file() and _private(path.parent) and _private(path):
        try:
            return _decode(path)
        except Exception:  # damaged or written by something else: parse again, and replace it
            pass
    df = read()
    arrays = _encode(df)
    if arrays is not None and (not path.parent.exists() or _private(path.parent)):
        _write(path, arrays)
    return df


def _private(path: Path) -> bool:
    """Whether only this user can have written ``path`` (owned by them, not writable by others).

    A cache folder another user can write to (``CX_CACHE`` in a shared folder, say) could hold
    a table made up by them: it is then neither read nor written.
    """
    if os.name != "posix":
        return True
    st = path.stat()
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def _write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` to ``path`` whole or not at all (another process may be reading it)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:  # a full disk or a read-only folder: the table is simply not kept
        pass


def _encode(df: pd.DataFrame) -> dict[str, np.ndarray] | None:
    """The table as plain arrays (text as UTF-8 bytes of its distinct values and codes); None if they cannot hold it exactly."""
    index = df.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1) or index.name is not None:
        return None
    if df.columns.name is not None:
        return None
    names = [str(c) for c in df.columns]
    if len(set(names)) != len(names) or list(df.columns) != names:
        return None
    arrays: dict[str, np.ndarray] = {}
    columns = []
    for i, (name, s) in enumerate(df.items()):
        dtype = s.dtype
        if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
            arrays[f"c{i}"], kind = s.to_numpy(), "plain"
        elif isinstance(dtype, np.dtype) and dtype.kind == "M":
            arrays[f"c{i}"], kind = s.to_numpy().view("i8"), dtype.str
        elif isinstance(dtype, np.dtype) and dtype.kind == "O":
            codes, uniques = pd.factorize(s.to_numpy(), use_na_sentinel=True)
            values = list(uniques)
            missing = s[codes < 0].to_numpy()
            if any(type(v) is not str for v in values) or any(not (type(v) is float and v != v) for v in missing):
                return None  # other objects than text, or a blank that is not NaN
            try:
                data = [v.encode("utf-8") for v in values]
            except UnicodeEncodeError:
                return None
            arrays[f"c{i}"] = codes.astype(np.int64)
            arrays[f"c{i}b"] = np.frombuffer(b"".join(data), dtype=np.uint8)
            arrays[f"c{i}n"] = np.fromiter(map(len, data), dtype=np.int64, count=len(data))
            kind = "text"
        else:
            return None
        columns.append([name, kind])
    meta = {"rows": len(df), "columns": columns}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    return arrays


def _decode(path: Path) -> pd.DataFrame:
    """The table :func:`_encode` wrote to ``path``."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(z["meta"].tobytes().decode())
        data: dict[str, Any] = {}
        for i, (name, kind) in enumerate(meta["columns"]):
            if kind == "plain":
                data[name] = z[f"c{i}"]
                if data[name].dtype.kind not in "biuf":
                    raise ValueError(f"column {name!r}: not numbers")
            elif kind == "text":
                raw, lengths, codes = z[f"c{i}b"].tobytes(), z[f"c{i}n"], z[f"c{i}"]
                ends = np.cumsum(lengths).tolist()
                starts = [0, *ends[:-1]]
                if codes.dtype.kind != "i" or (len(codes) and (codes.min() < -1 or codes.max() >= len(ends))):
                    raise ValueError(f"column {name!r}: codes out of range")
                values = np.empty(len(ends) + 1, dtype=object)
                values[:-1] = [raw[a:b].decode("utf-8") for a, b in zip(starts, ends)]
                values[-1] = np.nan  # code -1: a blank cell
                data[name] = values[codes]
            elif np.dtype(kind).kind == "M" and z[f"c{i}"].dtype == np.int64:
                data[name] = z[f"c{i}"].view(kind)
            else:
                raise ValueError(f"column {name!r}: unknown kind {kind!r}")
    df = pd.DataFrame(data)
    if len(df) != meta["rows"]:
        raise ValueError("a column of another length")
    return df

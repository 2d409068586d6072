"""Seeded bootstraps and simulations on the bundled data, computed once and shipped with the package (private).

A lesson's bootstrap on the bundled data gives the same numbers on every run: the same data,
the same seed, the same library versions. A function whose bootstrap takes seconds looks its
result up here first, by a fingerprint of everything that determines it: the input arrays
(their bytes), the parameters, and the versions of the libraries that compute it (numpy, and
scipy or scikit-learn where they take part). Any other input, any
other parameter, another version: the function computes as it always did (issue 17 item 5:
lessons within 10 s).

The results live in ``precomputed.json`` next to this module. ``python tools/precompute.py``
rewrites it by running the lessons' calls with :data:`RECORDING` on; ``tests/test_precomputed.py``
recomputes every entry without the store and checks that the numbers are identical, and that the
lessons' calls find their entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["fingerprint", "seeded_key", "lookup", "record", "versions"]

_FILE = "precomputed.json"
_store: dict[str, Any] | None = None

#: Off (None) in normal use. tools/precompute.py sets it to a dict: every :func:`record` call
#: then adds its entry there, and :func:`lookup` finds nothing (each result is computed afresh).
RECORDING: dict[str, Any] | None = None

#: Set to False to compute everything, as without the store (the tests do, to compare).
ENABLED = True


def versions(libraries: Sequence[str] = ("numpy",)) -> dict[str, str]:
    """The installed versions of ``libraries`` (distribution names; read, not imported)."""
    return {lib: _version(lib) for lib in libraries}


@functools.cache
def _version(library: str) -> str:
    from importlib.metadata import version

    return version(library)


def fingerprint(
    name: str, arrays: Sequence[np.ndarray], params: Mapping[str, Any], libraries: Sequence[str] = ("numpy",)
) -> str:
    """A SHA-256 of ``name``, each array's dtype, shape and bytes, the parameters and the
    :func:`versions` of ``libraries`` (those whose code computes the result)."""
    h = hashlib.sha256(name.encode())
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"|{a.dtype.str}{a.shape}|".encode())
        h.update(repr(a.tolist()).encode() if a.dtype == object else a.tobytes())
    h.update(json.dumps(dict(params), sort_keys=True, default=repr).encode())  # any parameter type
    h.update(json.dumps(versions(libraries), sort_keys=True).encode())
    return h.hexdigest()


def seeded_key(
    name: str,
    arrays: Sequence[np.ndarray],
    params: Mapping[str, Any],
    *,
    seed_param: str = "seed",
    libraries: Sequence[str] = ("numpy",),
) -> str | None:
    """The :func:`fingerprint` of a seeded computation, or None when ``params[seed_param]`` is not a
    whole number: an unseeded bootstrap gives other numbers at each run and is never stored."""
    seed = params[seed_param]
    if not isinstance(seed, (int, np.integer)):
        return None
    return fingerprint(name, arrays, {**params, seed_param: int(seed)}, libraries)


def _load() -> dict[str, Any]:
    global _store
    if _store is None:
        try:
            text = resources.files("cxlib.analytics").joinpath(_FILE).read_text("utf-8")
            _store = json.loads(text)["results"]
        except (FileNotFoundError, KeyError, ValueError):  # no store: everything is computed
            _store = {}
    return _store


def lookup(key: str | None) -> Any | None:
    """The stored result of ``key``, or None (then compute it, and :func:`record` it); None for no key."""
    if key is None or not ENABLED or RECORDING is not None:
        return None
    entry = _load().get(key)
    return None if entry is None else entry["value"]


def record(key: str | None, name: str, value: Any) -> None:
    """Keep a freshly computed result when tools/precompute.py is recording (otherwise, or with no key, nothing)."""
    if key is not None and RECORDING is not None:
        RECORDING[key] = {"name": name, "value": value}

"""Seeded bootstraps, simulations and other slow results on the bundled data, computed once and shipped (private).

A lesson's bootstrap on the bundled data gives the same numbers on every run: the same data,
the same seed, the same library versions (so do its cross-validations and VADER's scores of its
texts). A function whose bootstrap takes seconds looks its
result up here first, by a fingerprint of everything that determines it: the input arrays
(their values; floating-point ones to about seven significant digits, see :func:`fingerprint`),
the parameters, and the versions of the libraries that compute it (numpy, and scipy or
scikit-learn where they take part). Any other input, any other parameter, another version: the
function computes as it always did (issue 17 item 5: lessons within 10 s).

The results live in ``precomputed.json`` next to this module. ``python tools/precompute.py``
rewrites it by running the lessons' calls with :data:`RECORDING` on; ``tests/test_precomputed.py``
recomputes every entry without the store and checks that the numbers are the same (to twelve
significant digits: another processor may differ in the last bits; bit for bit where the file
was written), and that the lessons' calls find their entry.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["fingerprint", "seeded_key", "lookup", "record", "versions", "numerics"]

_FILE = "precomputed.json"
_store: dict[str, Any] | None = None

#: Off (None) in normal use. tools/precompute.py sets it to a dict: every :func:`record` call
#: then adds its entry there, and :func:`lookup` finds nothing (each result is computed afresh).
RECORDING: dict[str, Any] | None = None

#: Set to False to compute everything, as without the store (the tests do, to compare).
ENABLED = True

#: Significant bits of a floating-point input in a :func:`fingerprint`.
SIGNIFICANT_BITS = 24


def versions(libraries: Sequence[str] = ("numpy",)) -> dict[str, str]:
    """The installed versions of ``libraries`` (distribution names; read, not imported)."""
    return {lib: _version(lib) for lib in libraries}


@functools.cache
def numerics() -> str:
    """A fingerprint of this processor's floating-point results (numpy's vectorised functions, a BLAS product).

    Two machines with the same value compute the stored results bit for bit alike; on others they
    may differ in the last bits (``tests/test_precomputed.py`` then compares to twelve digits).
    """
    x = np.linspace(-20.0, 20.0, 4099)
    parts = [np.exp(x), np.log(np.abs(x) + 1e-3), np.log1p(np.abs(x)), np.sin(x), np.tanh(x), np.power(np.abs(x), 1.7)]
    h = hashlib.sha256()
    for part in [*parts, np.outer(x[:64], x[:64]) @ x[:64]]:
        h.update(np.ascontiguousarray(part).tobytes())
    return h.hexdigest()[:16]


@functools.cache
def _version(library: str) -> str:
    from importlib.metadata import version

    return version(library)


def fingerprint(
    name: str, arrays: Sequence[np.ndarray], params: Mapping[str, Any], libraries: Sequence[str] = ("numpy",)
) -> str:
    """A SHA-256 of ``name``, each array's dtype, shape and values, the parameters and the
    :func:`versions` of ``libraries`` (those whose code computes the result).

    Floating-point values count to :data:`SIGNIFICANT_BITS` significant bits (about seven
    digits): numpy's vectorised ``log`` and ``exp`` can differ in the last bit from one
    processor to another, and the bundled data's features, computed with them, must find
    their entry on every machine. Other values count exactly.
    """
    h = hashlib.sha256(name.encode())
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"|{a.dtype.str}{a.shape}|".encode())
        if a.dtype == object:
            h.update(repr(a.tolist()).encode())
        elif np.issubdtype(a.dtype, np.floating):
            mantissa, exponent = np.frexp(a.astype(np.float64))
            h.update(np.round(np.ldexp(mantissa, SIGNIFICANT_BITS)).tobytes())  # NaN and ±inf stay as they are
            h.update(exponent.astype(np.int32).tobytes())
        else:
            h.update(a.tobytes())
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

"""Simorgh Mobile, the simulated company whose truth is known.

:func:`simulate` generates every table of a fictional mobile operator, month by
month, together with the ground truth (:class:`~cxlib.data.truth.Truth`). The
bundled data in ``data/`` is its output with the default settings
(:func:`regenerate`, ``make data``). The generating model is described in
:mod:`cxlib.simulation._model`.

The simulator builds on the data and features layers and never imports an
estimator: a method is checked *against* it, never used *inside* it. Its settings
(:data:`DEFAULTS`, :data:`LIMITS`) import nothing heavy, so the command line can
show them without loading the simulator.
"""

from __future__ import annotations

import importlib
from typing import Any

from cxlib.simulation._settings import DEFAULTS, LIMITS

__all__ = [
    "simulate",
    "Company",
    "regenerate",
    "DEFAULTS",
    "LIMITS",
    "PERSONAS",
    "CHURN_COEFS",
    "SNAPSHOT_FEATURES",
    "SNAPSHOT_SOURCES",
    "snapshot_features",
]

_LAZY = {
    "simulate": "_company",
    "Company": "_company",
    "regenerate": "_company",
    "PERSONAS": "_model",
    "CHURN_COEFS": "_model",
    "SNAPSHOT_FEATURES": "_truth",
    "SNAPSHOT_SOURCES": "_truth",
    "snapshot_features": "_truth",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"cxlib.simulation.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'cxlib.simulation' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

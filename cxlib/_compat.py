"""The module names of cxlib 0.1 (``cxlib.nps``, ``cxlib.value``, ...), kept for one release.

cxlib 0.2 moved every module into a layer (see :mod:`cxlib`). Code written for 0.1
still runs: importing an old name gives the new module (or, for a module that was
split, an object that finds each name in its new home) and a DeprecationWarning
naming the new import. Renamed functions and arguments are listed in
``CONTRIBUTING.md`` ("Deprecations").

Examples
--------
>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     import cxlib.nps as old
>>> old.NPSResult.__module__, "cxlib.analytics.nps" in str(caught[0].message)
('cxlib.analytics.nps', True)
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from typing import Any

__all__ = ["MOVED", "SPLIT", "RENAMED", "install"]

#: Old module -> new module (same names inside).
MOVED = {
    "cxlib.io": "cxlib.data.io",
    "cxlib.schemas": "cxlib.data.schemas",
    "cxlib.datasets": "cxlib.data.datasets",
    "cxlib.stats": "cxlib.analytics.stats",
    "cxlib.nps": "cxlib.analytics.nps",
    "cxlib.text": "cxlib.analytics.text",
    "cxlib.emotion": "cxlib.analytics.emotion",
    "cxlib.incentives": "cxlib.analytics.incentives",
    "cxlib.feedback": "cxlib.analytics.feedback",
    "cxlib.personas": "cxlib.analytics.personas",
    "cxlib.churn": "cxlib.analytics.churn",
    "cxlib.simulate": "cxlib.simulation",
    "cxlib.plots": "cxlib.teaching.plots",
    "cxlib.widgets": "cxlib.teaching.widgets",
    "cxlib.teaching.lessons": "cxlib.teaching.lessons",
    "cxlib.parameters": "cxlib.teaching.parameters",
    "cxlib.teaching.exercises": "cxlib.teaching.exercises",
}
#: Old module split over several new ones: names are looked up in this order.
SPLIT = {
    "cxlib.value": (
        "cxlib.analytics.economics",
        "cxlib.analytics.health",
        "cxlib.analytics.devotees",
        "cxlib.analytics.drivers",
        "cxlib.features",
        "cxlib.teaching.plots.drivers",
    ),
    "cxlib.roi": ("cxlib.analytics.expectations", "cxlib.analytics.economics", "cxlib.teaching.plots.expectations"),
}
#: Old name in an old module -> (new module, new name).
RENAMED = {
    ("cxlib.value", "wilson"): ("cxlib.analytics.stats", "wilson_interval"),
    ("cxlib.value", "plot_lags"): ("cxlib.teaching.plots.drivers", "lags"),
    ("cxlib.value", "plot_monthly"): ("cxlib.teaching.plots.drivers", "monthly"),
    ("cxlib.roi", "plot_kano_decay"): ("cxlib.teaching.plots.expectations", "kano_decay"),
    ("cxlib.nps", "plot_nps_over_time"): ("cxlib.teaching.plots.nps", "over_time"),
    ("cxlib.churn", "build_features"): ("cxlib.features", "build_features"),
    ("cxlib.churn", "describe_features"): ("cxlib.features", "describe_features"),
    ("cxlib.churn", "plot_signals_before_churn"): ("cxlib.teaching.plots.churn", "signals_before_churn"),
    ("cxlib.churn", "km_by_signal"): ("cxlib.teaching.plots.churn", "km_by_signal"),
    ("cxlib.personas", "customer_features"): ("cxlib.features", "customer_features"),
    ("cxlib.personas", "DEFAULT_FEATURES"): ("cxlib.features", "DEFAULT_FEATURES"),
    ("cxlib.personas", "explore"): ("cxlib.teaching.widgets", "explore"),
    ("cxlib.datasets", "regenerate"): ("cxlib.simulation", "regenerate"),
    ("cxlib.simulate", "Truth"): ("cxlib.data.truth", "Truth"),
    **{
        ("cxlib.feedback", f"plot_{n}"): ("cxlib.teaching.plots.feedback", n)
        for n in ("agent", "ranking", "funnel", "control_chart", "case_mix", "scorecard", "detection")
    },
}


def _warn(old: str, new: str) -> None:
    warnings.warn(
        f"{old} is deprecated since cxlib 0.2 and will be removed in the next release; use {new} instead.",
        DeprecationWarning,
        stacklevel=4,
    )


class _SplitModule(types.ModuleType):
    """Stands for an old module whose names now live in several modules."""

    def __init__(self, name: str, homes: tuple[str, ...]):
        super().__init__(name, f"Deprecated: the names of {name} now live in {', '.join(homes)}.")
        self._homes = homes

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        if (self.__name__, attr) in RENAMED:
            mod, new = RENAMED[(self.__name__, attr)]
            _warn(f"{self.__name__}.{attr}", f"{mod}.{new}")
            return getattr(importlib.import_module(mod), new)
        for home in self._homes:
            module = importlib.import_module(home)
            if hasattr(module, attr):
                _warn(f"{self.__name__}.{attr}", f"{home}.{attr}")
                return getattr(module, attr)
        raise AttributeError(
            f"module {self.__name__!r} has no attribute {attr!r} (it moved in cxlib 0.2; see {', '.join(self._homes)})"
        )


class _MovedModule(types.ModuleType):
    """Stands for an old module that moved, adding the names that left it."""

    def __init__(self, name: str, target: types.ModuleType):
        super().__init__(name, target.__doc__)
        self._target = target

    def __getattr__(self, attr: str) -> Any:
        if (self.__name__, attr) in RENAMED:
            mod, new = RENAMED[(self.__name__, attr)]
            _warn(f"{self.__name__}.{attr}", f"{mod}.{new}")
            return getattr(importlib.import_module(mod), new)
        return getattr(self._target, attr)


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname in MOVED or fullname in SPLIT:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        name = spec.name
        if name in SPLIT:
            _warn(name, " / ".join(SPLIT[name]))
            return _SplitModule(name, SPLIT[name])
        _warn(name, MOVED[name])
        return _MovedModule(name, importlib.import_module(MOVED[name]))

    def exec_module(self, module: types.ModuleType) -> None:
        pass


def install() -> None:
    """Register the finder of the 0.1 module names (done once by ``import cxlib``)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())

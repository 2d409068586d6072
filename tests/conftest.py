"""Shared test helpers."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests are deterministic everywhere, like every other seeded computation in the course:
# the same run gives the same examples, so a pre-workshop `make test` cannot fail by chance.
# (A test's own @settings(...) keeps this unless it overrides derandomize.)
settings.register_profile("cx", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("cx")


def load_tool(name: str):
    """Import ``tools/<name>.py`` (the repository's build scripts) as a module."""
    path = ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"cx_tool_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up while it is executing
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT

"""Shared test helpers."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
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


def run_python(code: str, cwd: str | Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh Python process (what a first import sees: nothing loaded yet); its output.

    ``env`` adds to (or overrides) this process's environment. The test fails with the end of
    the process's error output when it does not exit with 0.
    """
    environ = {**os.environ, **env} if env else None
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# --- the fast loop: `make check` runs `pytest -m "not slow"` --------------------------------
#: Test modules that run notebooks, `cx run`/`cx report`, a browser, the room server or the
#: build tools: everything but the library. Marked slow as a whole.
SLOW_MODULES = {
    "test_cli_run.py",
    "test_notebook_rerun.py",
    "test_reports.py",
    "test_navigation.py",
    "test_notebooks_hygiene.py",
    "test_lesson_design.py",
    "test_packaging.py",
    "test_reset.py",
    "test_room.py",
    "test_security.py",
    "test_simulate.py",
    "test_site.py",
    "test_student_text.py",
    "test_trainer_browser.py",
    "test_trainer_kit.py",
    "test_docstrings.py",
}
#: Single library tests of half a second or more (statistical coverage by simulation, property tests
#: with many examples, end-to-end runs), one ``tests/test_x.py::test_name`` a line.
SLOW_TESTS = {
    line.strip()
    for line in (ROOT / "tests" / "slow_tests.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def pytest_collection_modifyitems(config, items):
    slow = pytest.mark.slow
    for item in items:
        path = Path(str(item.fspath))
        base = item.nodeid.split("[")[0]
        if (
            path.suffix == ".ipynb"
            or path.parent.name == "notebooks"
            or (path.parent.name == "tests" and path.name in SLOW_MODULES)
            or base in SLOW_TESTS
        ):
            item.add_marker(slow)


def pytest_ignore_collect(collection_path, config):
    """With ``-m "not slow"`` (``make check``), do not even import the slow modules and notebooks."""
    if "not slow" in (config.getoption("markexpr") or ""):
        if collection_path.suffix == ".ipynb" or collection_path.name in SLOW_MODULES:
            return True
    return None


# --- figures: every notebook the tests run draws each figure and compares it with its stored PNG ----
#: The kernels (nbval's, `cx run`'s) append one verdict a figure here (cxlib.teaching.plots._rendered).
_RENDERED_REPORT: Path | None = None
_RENDERED_SUMMARY: list[str] = []


def pytest_configure(config):
    """Run every notebook kernel with ``CX_RENDERED=check`` (unless the caller chose a mode)."""
    global _RENDERED_REPORT
    if hasattr(config, "workerinput") or "CX_RENDERED" in os.environ:
        return  # a worker inherits the controller's environment
    fd, path = tempfile.mkstemp(prefix="cx-rendered-", suffix=".jsonl")
    os.close(fd)
    os.environ.update({"CX_RENDERED": "check", "CX_RENDERED_REPORT": path})
    _RENDERED_REPORT = Path(path)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a stored figure is not what the figure draws now (a key that misses something)."""
    if _RENDERED_REPORT is None or not _RENDERED_REPORT.exists():
        return
    verdicts = [json.loads(line) for line in _RENDERED_REPORT.read_text(encoding="utf-8").splitlines() if line]
    _RENDERED_REPORT.unlink()
    if not verdicts:
        return
    counts = {v: sum(x["verdict"] == v for x in verdicts) for v in ("same", "different", "missing")}
    lessons = ROOT / "notebooks"
    unstored = sum(x["verdict"] == "missing" and Path(x["cwd"]) == lessons for x in verdicts)
    _RENDERED_SUMMARY.append(
        f"figures drawn by the notebooks: {len(verdicts)}; stored and the same: {counts['same']}; "
        f"stored but different: {counts['different']}; not stored: {counts['missing']} "
        f"({unstored} by the lessons as they are: run python tools/precompute.py to store them)"
    )
    if counts["different"]:
        keys = sorted({x["key"] for x in verdicts if x["verdict"] == "different"})
        _RENDERED_SUMMARY.append("FAILED: a stored figure differs from what its figure draws now: " + ", ".join(keys))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    for line in _RENDERED_SUMMARY:
        terminalreporter.write_line(line)

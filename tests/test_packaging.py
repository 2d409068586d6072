"""Packaging: one environment everywhere, two README commands, CI runs the same one."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest depends on tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README_COMMANDS = ["make lab", "make test"]


def norm(name: str) -> str:
    """PEP 503 normalised name: lowercase, runs of '-', '_', '.' become '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_requirements() -> dict[str, Requirement]:
    reqs = list(PYPROJECT["project"]["dependencies"])
    reqs += PYPROJECT["project"]["optional-dependencies"]["test"]
    parsed = [Requirement(r) for r in reqs]
    return {norm(r.name): r for r in parsed}


def conda_requirements() -> dict[str, str]:
    """name -> version specifier from environment.yml (conda and pip sections), without python/pip/cxlib."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"], "use conda-forge only, so the environment is reproducible"
    specs: dict[str, str] = {}
    for item in env["dependencies"]:
        entries = item["pip"] if isinstance(item, dict) else [item]
        for entry in entries:
            if entry.startswith("-"):  # "-e ." installs the course itself
                continue
            m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", entry)
            specs[norm(m.group(1))] = m.group(2).replace(" ", "")
    return specs


def lock_pins() -> dict[str, list[tuple[str, str]]]:
    """name -> [(version, marker)] from requirements/lock.txt."""
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;]+)\s*(?:;\s*(.*))?$", line)
        assert m, f"requirements/lock.txt: not an exact pin: {line!r}"
        pins.setdefault(norm(m.group(1)), []).append((m.group(3), m.group(4) or ""))
    return pins


def first_code_block(markdown: str) -> list[str]:
    """Command lines of the first fenced code block (comments and blank lines removed)."""
    m = re.search(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.S | re.M)
    assert m, "README.md has no code block"
    lines = [ln.split("#", 1)[0].strip() for ln in m.group(1).splitlines()]
    return [ln for ln in lines if ln]


def first_section(markdown: str) -> str:
    """From the top of the README to its second heading."""
    headings = [m.start() for m in re.finditer(r"^#{1,6} ", markdown, flags=re.M)]
    return markdown[: headings[1]] if len(headings) > 1 else markdown


# --- environment.yml and pyproject agree ------------------------------------------------
def test_environment_yml_lists_the_same_packages_as_pyproject():
    conda, direct = conda_requirements(), direct_requirements()
    conda.pop("python"), conda.pop("pip")
    assert sorted(conda) == sorted(direct), (
        f"only in environment.yml: {sorted(set(conda) - set(direct))}; "
        f"only in pyproject.toml: {sorted(set(direct) - set(conda))}"
    )


def test_environment_yml_keeps_the_same_minimum_versions():
    conda, direct = conda_requirements(), direct_requirements()
    differ = {
        n: (conda[n], str(r.specifier))
        for n, r in direct.items()
        if n in conda and SpecifierSet(conda[n]) != r.specifier
    }
    assert not differ, f"version ranges differ (environment.yml, pyproject.toml): {differ}"


def test_environment_yml_python_matches_requires_python():
    assert conda_requirements()["python"] == PYPROJECT["project"]["requires-python"]


def test_norm_unifies_spellings():
    assert norm("vaderSentiment") == norm("vadersentiment") == "vadersentiment"
    assert norm("scikit_learn") == norm("Scikit-Learn") == "scikit-learn"


# --- the lock file ----------------------------------------------------------------------
def test_lock_pins_every_direct_dependency_within_its_range():
    pins = lock_pins()
    missing = sorted(set(direct_requirements()) - set(pins))
    assert not missing, f"requirements/lock.txt does not pin: {missing}; run 'make lock'"
    outside = {
        name: [v for v, _ in pins[name] if Version(v) not in req.specifier]
        for name, req in direct_requirements().items()
    }
    outside = {k: v for k, v in outside.items() if v}
    assert not outside, f"pins outside pyproject's ranges: {outside}; run 'make lock'"


def test_lock_covers_the_oldest_supported_python():
    """The lock was compiled for every Python from 3.10 (uv --universal --python-version 3.10)."""
    header = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")[:400]
    assert "--universal" in header and "--python-version 3.10" in header
    assert PYPROJECT["project"]["requires-python"] == ">=3.10"


# --- the two commands, and CI -----------------------------------------------------------
def test_readme_first_section_shows_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = first_section(readme)
    assert first_code_block(readme) == README_COMMANDS
    assert first_code_block(section) == README_COMMANDS, "the two commands must be in the first section"
    assert section.count("```") == 2, "the first section has exactly one code block"
    assert "Python 3.10+ and make" in section


def test_readme_commands_have_a_comment_each():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```[^\n]*\n(.*?)^```", readme, flags=re.S | re.M).group(1)
    commented = [ln for ln in block.splitlines() if ln.strip() and "#" in ln and ln.split("#")[1].strip()]
    assert len(commented) == 2


def test_ci_runs_the_readme_test_command_after_system_packages_only():
    """.ci/run may install system packages (apt) and set CI=true; its only project command is the README's."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in script.splitlines()]
    assert lines[0] in {"#!/usr/bin/env bash", "#!/bin/bash"}
    assert "set -euo pipefail" in lines
    allowed = ("#", "cd ", "export CI=", "if ", "fi", "echo ", "apt-get ", "DEBIAN_FRONTEND=noninteractive apt-get ")
    commands = [ln for ln in lines if ln and ln != "set -euo pipefail" and not ln.startswith(allowed)]
    assert commands == [README_COMMANDS[1]]
    assert lines[-1] == README_COMMANDS[1]


def test_makefile_has_the_readme_targets_and_help_is_the_default():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\.DEFAULT_GOAL := help$", makefile, flags=re.M)
    for target in (
        "help",
        "setup",
        "lab",
        "test",
        "notebooks",
        "nav",
        "data",
        "bench",
        "lock",
        "html",
        "student",
        "slides",
        "clean",
    ):
        assert re.search(rf"^{target}:.*## ", makefile, flags=re.M), f"make {target} missing or without help text"
    test_recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, flags=re.M).group(1)
    assert "-m pytest -n 2 --dist loadscope" in test_recipe


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_the_targets():
    out = subprocess.run(["make", "-s", "-C", str(ROOT)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for target in ("lab", "test", "notebooks", "bench", "html", "student"):
        assert f"make {target} " in out.stdout


# --- the installed command line ---------------------------------------------------------
def _cx() -> str:
    local = Path(sys.executable).with_name("cx")
    found = str(local) if local.exists() else shutil.which("cx")
    assert found, "the cx command is not installed: run 'make setup'"
    return found


def test_cx_version():
    out = subprocess.run([_cx(), "--version"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    from cxlib import __version__

    assert out.stdout.strip() == f"cx (cxlib) {__version__}"
    assert __version__ == PYPROJECT["project"]["version"]


def test_python_m_cxlib_help():
    out = subprocess.run([sys.executable, "-m", "cxlib", "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("usage: cx")


def test_cx_unknown_command_is_a_clear_error():
    out = subprocess.run(
        [sys.executable, "-m", "cxlib", "no-such-command"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "cx --help" in out.stderr


@pytest.mark.skipif(
    shutil.which("make") is None or not (ROOT / ".venv" / ".cx-installed").exists(),
    reason="needs make and an environment built by 'make setup'",
)
def test_make_setup_is_idempotent():
    """Once set up, `make setup` (and so `make lab` / `make test`) installs nothing again."""
    stamp = subprocess.run(["make", "-q", "-C", str(ROOT), ".venv/.cx-installed"], capture_output=True, timeout=60)
    assert stamp.returncode == 0, "the environment stamp is older than requirements/lock.txt or pyproject.toml"
    dry = subprocess.run(["make", "-n", "-C", str(ROOT), "setup"], capture_output=True, text=True, timeout=60)
    assert "pip install" not in dry.stdout and "venv" not in dry.stdout.replace(".venv", "")


def test_property_tests_are_derandomized():
    from hypothesis import settings

    assert settings.default.derandomize, "tests/conftest.py loads a derandomized hypothesis profile"

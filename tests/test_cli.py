"""The `cx` command line as a whole: help for every command, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import run_python

from cxlib.cli import _commands, main


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for mod in _commands():
        assert mod.NAME in out


@pytest.mark.parametrize("name", [m.NAME for m in _commands()])
def test_every_command_has_working_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    assert f"cx {name}" in capsys.readouterr().out


def test_no_command_prints_usage_and_exits_2(capsys):
    assert main([]) == 2


def test_unknown_command_is_a_clean_error():
    run = subprocess.run([sys.executable, "-m", "cxlib", "frobnicate"], capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "invalid choice" in run.stderr


def test_internal_errors_show_no_traceback(monkeypatch, capsys):
    import cxlib.cli.lessons as lessons_cmd

    def boom(args):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(lessons_cmd, "run", boom)
    assert main(["lessons"]) == 1
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated bug" in err and "Traceback" not in err


def test_help_imports_nothing_heavy():
    """`cx --help` (and argument errors) must start at once: no pandas, pandera, nbformat or scipy."""
    code = (
        "import sys\nfrom cxlib.cli import build_parser\nbuild_parser()\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'pandera', 'nbformat', 'scipy', 'sklearn') if m in sys.modules))"
    )
    assert run_python(code).strip() == "[]"

"""Every cell of every lesson can be run again (issue 17, item 6).

Learners re-run cells all the time: after a typo, after changing a slider's default, or to see a
figure again. A cell that merges into a frame it already changed, scales a loaded column in place
or draws from a random generator created in an earlier cell then prints something else the second
time, or fails. Here each lesson runs top to bottom in one kernel with every code cell executed
twice in a row: the second run must not raise and must print the same text (standard output and
the plain-text result; figures, HTML and widget views are not compared, warnings may be shown once).

Each lesson is its own test class, so ``pytest -n 2 --dist loadscope`` spreads them over workers.
They are marked ``rerun`` and run by ``make rerun`` (and before a release), not by ``make test``:
issue 17 asks ``make test`` to run each notebook once (nbval) and CI to stay under 15 minutes.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT
from nbclient.exceptions import CellExecutionError

from cxlib.teaching.kernels import notebook_client

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    """nbval's own: what differs between runs without meaning anything (addresses, timings, now)."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


_SANITIZERS = _sanitizers()


def printed_text(outputs: list) -> str:
    """What a learner reads from a cell's outputs: standard output and plain-text results."""
    parts = []
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in {"execute_result", "display_data"}:
            data = out.get("data", {})
            if "application/vnd.jupyter.widget-view+json" not in data:
                parts.append(str(data.get("text/plain", "")))
    text = "".join(parts)
    for pattern, replacement in _SANITIZERS:
        text = pattern.sub(replacement, text)
    return text


def rerun_problems(path: Path) -> list[str]:
    """Run the notebook with every code cell executed twice; describe each cell that changes or fails."""
    nb = nbformat.read(path, as_version=4)
    client = notebook_client(nb, path.parent, timeout=300)
    problems = []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            first = printed_text(cell.outputs)
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as err:
                problems.append(f"cell {index} fails when run again: {str(err).strip().splitlines()[-1]}")
                continue
            second = printed_text(cell.outputs)
            if first != second:
                problems.append(
                    f"cell {index} prints something else when run again:\n{first[:300]}\n---\n{second[:300]}"
                )
    return problems


def _lesson_class(path: Path) -> type:
    @pytest.mark.slow
    @pytest.mark.rerun
    class TestRerun:
        def test_every_cell_can_be_run_again(self) -> None:
            assert rerun_problems(path) == []

    TestRerun.__name__ = TestRerun.__qualname__ = f"TestRerun{path.name[:2]}"
    return TestRerun


for _path in LESSONS:
    globals()[f"TestRerun{_path.name[:2]}"] = _lesson_class(_path)


def test_printed_text_ignores_figures_widgets_addresses_and_timings() -> None:
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "NPS 12\n"},
        {"output_type": "stream", "name": "stdout", "text": "counted in 0.07 s\n"},
        {"output_type": "stream", "name": "stderr", "text": "a warning\n"},
        {"output_type": "display_data", "data": {"image/png": "…", "text/plain": "<Figure size 640x480>"}},
        {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {}, "text/plain": "VBox"}},
        {"output_type": "execute_result", "data": {"text/plain": "<Model at 0x7f3a2b1c9d00>"}},
    ]
    assert printed_text(outputs) == "NPS 12\ncounted in TIME\n<Figure size 640x480><Model at 0xADDRESS>"

"""tools/navigation.py: the generated navigation, README table and contents are current."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "navigation.py"


def _load_tool():
    spec = importlib.util.spec_from_file_location("cx_navigation", TOOL)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up while it is executing
    spec.loader.exec_module(mod)
    return mod


nav = _load_tool()


def test_committed_navigation_is_current():
    """The committed notebooks and README match what `make nav` would write."""
    result = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- unit tests on a throwaway course of two tiny lessons -------------------------------
def _notebook(title: str, minutes: int, sources: list[str], executed: bool = True):
    nb = nbformat.v4.new_notebook()
    nb.metadata["cx"] = {"minutes": minutes, "sources": sources}
    code = nbformat.v4.new_code_cell("print(6 * 7)")
    if executed:
        code.execution_count = 1
        code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\nSome words."), code]
    return nb


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "notebooks").mkdir()
    nbformat.write(_notebook("00 · Welcome", 20, ["000", "001"]), tmp_path / "notebooks" / "00_welcome.ipynb")
    nbformat.write(_notebook("01 · Customer obsession", 45, ["000"]), tmp_path / "notebooks" / "01_obsession.ipynb")
    (tmp_path / "notebooks" / "scratch.ipynb").write_text(
        nbformat.writes(_notebook("not a lesson", 1, [])), encoding="utf-8"
    )
    (tmp_path / "README.md").write_text(
        "# Course\n\n<!-- lessons:start -->\nold table\n<!-- lessons:end -->\n\nAfter.\n", encoding="utf-8"
    )
    return tmp_path


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def test_update_writes_navigation_toc_and_readme(course: Path):
    stale = nav.update(course)
    names = sorted(p.name for p in stale)
    assert names == ["00_welcome.ipynb", "01_obsession.ipynb", "README.md"]

    first, second = _read(course / "notebooks" / "00_welcome.ipynb"), _read(course / "notebooks" / "01_obsession.ipynb")
    for nb in (first, second):
        assert "cx-nav" in nb.cells[0].metadata["tags"] and "cx-nav" in nb.cells[-1].metadata["tags"]
        assert nb.cells[0].source == nb.cells[-1].source
    # neighbours and contents are linked; the first lesson has no "previous"
    assert "[01 · Customer obsession >](01_obsession.ipynb)" in first.cells[0].source
    assert "[< 00 · Welcome](00_welcome.ipynb)" in second.cells[0].source
    assert "[Contents](00_welcome.ipynb)" in second.cells[0].source
    assert "[<" not in first.cells[0].source and ">]" not in second.cells[0].source
    # the table of contents sits right after the title cell of lesson 00 only
    assert "cx-toc" in first.cells[2].metadata["tags"]
    assert "| 01 | [Customer obsession](01_obsession.ipynb) | 45 | – | 000 |" in first.cells[2].source
    assert not any("cx-toc" in c.metadata.get("tags", []) for c in second.cells)
    # the scratch notebook is not a lesson: untouched and not listed
    assert "scratch" not in first.cells[2].source
    assert not any("cx-nav" in c.metadata.get("tags", []) for c in _read(course / "notebooks" / "scratch.ipynb").cells)

    readme = (course / "README.md").read_text(encoding="utf-8")
    assert "old table" not in readme and readme.startswith("# Course") and readme.endswith("After.\n")
    assert "| 00 | [Welcome](notebooks/00_welcome.ipynb) | 20 | – | 000, 001 |" in readme
    assert "2 lessons, about 1.1 hours" in readme


def test_outputs_and_execution_counts_are_preserved(course: Path):
    nav.update(course)
    nb = _read(course / "notebooks" / "01_obsession.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1 and code[0].execution_count == 1
    assert code[0].outputs[0]["text"] == "42\n"
    assert nb.metadata["cx"] == {"minutes": 45, "sources": ["000"]}


def test_update_is_idempotent_and_check_mode_detects_staleness(course: Path):
    assert nav.main(["--check", "--root", str(course)]) == 1  # never generated yet
    nav.update(course)
    before = {p: p.read_bytes() for p in course.rglob("*") if p.is_file()}
    assert nav.update(course) == []  # second run changes nothing
    assert {p: p.read_bytes() for p in course.rglob("*") if p.is_file()} == before
    assert nav.main(["--check", "--root", str(course)]) == 0

    # renaming a lesson makes its neighbour's navigation, the contents and the README stale
    path = course / "notebooks" / "01_obsession.ipynb"
    nb = _read(path)
    body = next(c for c in nb.cells if c.cell_type == "markdown" and "cx-nav" not in c.metadata.get("tags", []))
    body.source = body.source.replace("Customer obsession", "Customer obsession, defined")
    nbformat.write(nb, path)
    stale = nav.update(course, check=True)
    assert {p.name for p in stale} == {"00_welcome.ipynb", "README.md"}
    assert nav.main(["--check", "--root", str(course)]) == 1


def test_nav_cells_are_moved_back_to_the_edges(course: Path):
    """Cells appended after the bottom navigation do not leave it stranded in the middle."""
    nav.update(course)
    path = course / "notebooks" / "01_obsession.ipynb"
    nb = _read(path)
    nb.cells.append(nbformat.v4.new_markdown_cell("## A new section"))
    nbformat.write(nb, path)
    nav.update(course)
    cells = _read(path).cells
    tagged = [i for i, c in enumerate(cells) if "cx-nav" in c.metadata.get("tags", [])]
    assert tagged == [0, len(cells) - 1]
    assert cells[-2].source == "## A new section"


def test_title_ignores_generated_cells_and_falls_back_to_the_file_name(tmp_path: Path):
    nb = _notebook("03 · Emotional connection", 50, ["001"])
    nb = nav.with_navigation(nb, None, None)
    assert nav.title_of(nb, "fallback") == "03 · Emotional connection"
    assert nav.read_lesson(Path("03_emotion.ipynb"), nb).short_title == "Emotional connection"
    untitled = nbformat.v4.new_notebook()
    untitled.cells = [nbformat.v4.new_markdown_cell("no heading here")]
    assert nav.title_of(untitled, "fallback") == "fallback"


def test_readme_without_markers_is_an_error(course: Path):
    (course / "README.md").write_text("# Course\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="lessons:start"):
        nav.update(course)


def test_generated_cells_are_valid_nbformat(course: Path):
    nav.update(course)
    for path in (course / "notebooks").glob("0*.ipynb"):
        nbformat.validate(_read(path))
        assert json.loads(path.read_text(encoding="utf-8"))["cells"][0]["id"] == "cx-nav-top"

"""The trainer kit: student edition, offline slides and the offline website."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, load_tool

from cxlib.teaching.exercises import solutions_enabled

student = load_tool("build_student")
slides = load_tool("build_slides")
site = load_tool("build_html")

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REMOTE = re.compile(r"""<(script|img|iframe|source|video|audio)[^>]+src=["']?(https?:)?//|<link[^>]+href=["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import""", re.I)


def _toy_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Toy\n\n## Part one"),
        nbformat.v4.new_code_cell("x = 1\nx", execution_count=1,
                                  outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1)]),
        nbformat.v4.new_code_cell("answer = ____\nex.q1.check(answer)", execution_count=2,
                                  outputs=[nbformat.v4.new_output("execute_result", {"text/plain": "Correct"}, execution_count=2)]),
        nbformat.v4.new_code_cell("answer = 42  # the worked solution", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("## Part two\nMore text."),
    ]
    return nb


def test_studentise_removes_solutions_and_clears_answers():
    nb, counts = student.studentise(_toy_notebook())
    assert counts == {"removed": 1, "cleared": 1}
    sources = [c.source for c in nb.cells]
    assert not any("worked solution" in s for s in sources)
    answer = next(c for c in nb.cells if ".check(" in c.source)
    assert answer.outputs == [] and answer.execution_count is None
    kept = next(c for c in nb.cells if c.source.startswith("x = 1"))
    assert kept.outputs  # ordinary outputs stay, so the lesson still reads well


def test_student_build_of_the_course(tmp_path):
    out = tmp_path / "student"
    report = student.build(out)
    assert set(report) == {p.name for p in LESSONS}
    assert (out / ".cx-student").exists() and not solutions_enabled(start=out / "notebooks")
    for path in (out / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            assert "solution" not in cell.metadata.get("tags", []), path.name
            if cell.cell_type == "code" and re.search(r"\.(check|solution)\(", cell.source):
                assert cell.outputs == [], f"{path.name}: answer cell still shows its output"


def test_student_build_with_solutions_has_no_marker(tmp_path):
    student.build(tmp_path / "s", with_solutions=True)
    assert not (tmp_path / "s" / ".cx-student").exists()


def test_long_sections_continue_on_a_new_slide():
    nb = _toy_notebook()
    nb.cells.insert(2, nbformat.v4.new_markdown_cell("word " * 800))
    parts = slides.slides_of(nb)
    assert any("Part one (continued)" in p for p in parts)


def test_slides_are_offline_and_split_at_headings(tmp_path):
    deck = slides.deck(_toy_notebook(), "toy")
    assert deck.count('class="slide"') == 3  # "# 99 · Toy", "## Part one", "## Part two"
    assert not REMOTE.search(deck)
    written = slides.build(tmp_path)
    assert [p.stem for p in written] == [p.stem for p in LESSONS]
    for page in written:
        text = page.read_text(encoding="utf-8")
        assert not REMOTE.search(text), f"{page.name} loads something from the network"
        assert text.count('class="slide"') >= 3


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.refs.append(value)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    site.build(out)
    return out


def test_site_has_every_lesson_and_a_home_page(built_site):
    names = {p.name for p in built_site.glob("*.html")}
    assert "index.html" in names and "data.html" in names
    assert {f"{p.stem}.html" for p in LESSONS} <= names


def test_site_internal_links_and_assets_resolve(built_site):
    broken = []
    for page in built_site.glob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            if re.match(r"^(https?:|mailto:|#|data:|javascript:)", ref):
                continue
            target = ref.split("#")[0].split("?")[0]
            if target and not (built_site / target).exists():
                broken.append(f"{page.name} -> {ref}")
    assert broken == []


def test_site_loads_nothing_from_the_network(built_site):
    offenders = [p.name for p in built_site.glob("*.html") if REMOTE.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_site_pages_have_the_sidebar(built_site):
    for page in built_site.glob("*.html"):
        assert 'class="cx-sidebar"' in page.read_text(encoding="utf-8"), page.name

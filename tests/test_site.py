"""The learners' website and a `cx run` report: for learners, offline, maths drawn, no answers.

Converting a lesson to HTML takes several seconds on a small machine, so the site is
built with two lesson pages (00: exercises and the edition banner; 05: maths and a
widget) and one report (lesson 06, as ``cx run`` writes it with ``to_html``). What
the site would publish of *every* lesson is checked on the notebooks it is built from.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import MATH_JS, chromium_or_skip
from conftest import ROOT, load_tool

from cxlib.teaching.exercises import exercises_of
from cxlib.teaching.offline import remote_references, to_html

site = load_tool("build_html")
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BUILT = ("00", "05")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    site.build(out, only=list(BUILT))
    (out / "report-06.html").write_text(
        to_html(ROOT / "notebooks" / "06_churn_from_loyalty_signals.ipynb"), encoding="utf-8"
    )
    return out


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _module(number: str):
    import importlib

    return importlib.import_module(f"cxlib.teaching.exercises.lesson{number}")


# --- the pages ------------------------------------------------------------------------
def test_site_has_the_lessons_asked_for_and_a_home_page(built_site):
    names = set(_pages(built_site))
    assert {"index.html", "data.html"} <= names
    assert "trainer-guide.html" not in names  # for trainers: it quotes answers and the room server's weak points
    assert {f"{p.stem}.html" for p in LESSONS if p.name[:2] in BUILT} <= names


def test_home_page_is_written_for_learners(built_site):
    home = _pages(built_site)["index.html"]
    text = _text(home.split('<article class="cx-doc">', 1)[1])  # the page itself, not the sidebar
    assert "How to start" in text and "make lab-student" in text
    for path in LESSONS:  # every lesson, linked, with its minutes
        import nbformat

        minutes = nbformat.read(path, as_version=4).metadata["cx"]["minutes"]
        assert re.search(
            rf'<td>{path.name[:2]}</td>\s*<td><a href="{path.stem}.html">[^<]+</a></td>\s*<td>{minutes}</td>', home
        )
    for developer in ("pyproject", "lock.txt", "make lock", "nbval", "pytest", "Contributing", ".ci/run"):
        assert developer not in text, f"developer material on the home page: {developer}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.refs.append(value)


def test_site_internal_links_resolve(built_site):
    broken = []
    for name, page in _pages(built_site).items():
        if name.startswith("report"):
            continue  # a cx run report is a single page; its lesson's navigation links point at notebooks
        parser = _Links()
        parser.feed(page)
        for ref in parser.refs:
            if re.match(r"^(https?:|mailto:|#|data:|javascript:)", ref):
                continue
            target = ref.split("#")[0].split("?")[0]
            if target and not (built_site / target).exists():
                lesson = re.match(r"(\d\d)_", target)
                if lesson and lesson.group(1) not in BUILT and (ROOT / "notebooks" / f"{target[:-5]}.ipynb").exists():
                    continue  # a lesson page this quick build skipped
                broken.append(f"{name} -> {ref}")
    assert broken == []


def test_pages_have_the_sidebar(built_site):
    for name, page in _pages(built_site).items():
        if name.startswith("report"):
            continue
        assert 'class="cx-sidebar"' in page, name


def test_lesson_pages_are_titled_and_carry_no_dead_scripts_or_test_markers(built_site):
    """A tab shows the lesson's title (not "Notebook"); no empty <script src=""> (a browser would fetch
    the page itself as a script) and no MathJax set-up (maths is MathML); nbval's markers are not shown."""
    for name, page in _pages(built_site).items():
        if not name[:2].isdigit():
            continue
        title = re.search(r"<title>([^<]*)</title>", page).group(1)
        assert title.startswith(name[:2] + " · "), (name, title)
        assert '<script src="">' not in page and "mathjax" not in page.lower(), name
        assert "NBVAL_" not in page, name
    assert re.search(r"<title>06 · [^<]+</title>", _pages(built_site)["report-06.html"])


def test_no_page_references_anything_remote(built_site):
    """Attributes, and the text of scripts and styles too (a URL in a JavaScript string counts)."""
    found = {name: remote_references(page) for name, page in _pages(built_site).items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_scanner_finds_urls_inside_scripts_and_styles():
    assert remote_references(
        '<script>var s = "https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js";</script>'
    )
    assert remote_references("<style>@import url(https://fonts.example.com/a.css);</style>")
    assert remote_references('<img src="//cdn.example.com/x.png">')
    assert remote_references('<a href="https://doi.org/10.1/x">a citation</a>') == []


def test_widgets_show_the_static_note(built_site):
    page = _pages(built_site)["05_nps_pitfalls.html"]
    assert "cx-widget-note" in page and "widget-state+json" not in page and "widget-view+json" not in page


# --- no answers on the site -----------------------------------------------------------------
def test_site_publishes_no_answers(built_site):
    pages = _pages(built_site)
    text = " ".join(_text(p) for p in pages.values())
    # what the site would show of every lesson: the notebooks it is built from
    import nbformat

    lesson_text = "\n".join(
        c.source
        for path in LESSONS
        for c in nbformat.read(path, as_version=4).cells
        if "solution" not in c.metadata.get("tags", [])
    )
    for path in LESSONS:
        nb = site.learner_notebook(path)
        body = "\n".join(c.source for c in nb.cells)
        assert not re.search(r"ex\.q\d+\.solution\(", "\n".join(c.source for c in nb.cells if c.cell_type == "code")), (
            path.name
        )
        assert "Trainer's edition" not in body
        for name, ex in exercises_of(_module(path.name[:2])).items():
            for line in ex.solution_code.strip().splitlines():
                if len(line) > 30 and line not in lesson_text:  # a line the lesson itself shows is no spoiler
                    assert line not in body, f"{path.name} {name}: worked solution published"
                    assert line not in text, f"{name}: worked solution on the site"
    # the answer key's model answers and good answers never reach the site (trainer guide included)
    for md in sorted((ROOT / "trainer" / "answers").glob("*.md")):
        for sentence in re.split(r"(?<=[.!?])\s+", _text(md.read_text(encoding="utf-8"))):
            words = re.sub(r"[*_`]", "", sentence).split()
            if len(words) >= 10:
                assert " ".join(words[:10]) not in text, f"{md.name}: '{' '.join(words[:10])}' is on the site"
    assert not any("answer-key" in name for name in pages)


# --- in a browser -------------------------------------------------------------------------
def test_pages_in_a_browser_have_maths_drawn_and_fetch_nothing(built_site):
    results = {}
    with chromium_or_skip() as browser:
        for name in _pages(built_site):
            browser.goto((built_site / name).resolve().as_uri())
            results[name] = browser.evaluate(MATH_JS)
        remote = browser.remote_requests()
    assert remote == []
    assert {k: v["raw"] for k, v in results.items() if v["raw"]} == {}
    assert {k: v["notDrawn"] for k, v in results.items() if v["notDrawn"]} == {}
    assert results["05_nps_pitfalls.html"]["count"] >= 5 and results["report-06.html"]["count"] >= 10


_RTL_JS = """
(() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const i = n.data.indexOf("«۷ راه");
    if (i >= 0) {
      const x = (k) => { const r = document.createRange(); r.setStart(n, i + k); r.setEnd(n, i + k + 1);
                         return r.getBoundingClientRect().x; };
      return {guillemet: x(0), digit: x(1), letter: x(3)};
    }
  }
  return null;
})()
"""


def test_persian_titles_read_right_to_left_inside_english_lines(built_site):
    """A Persian title in an English reference starts at its right end: guillemet, then the digit, then the words."""
    page = _pages(built_site)["00_welcome.html"]
    assert "<bdi>«۷ راه" in page and "td,th{unicode-bidi:plaintext" in page
    with chromium_or_skip() as browser:
        browser.goto((built_site / "00_welcome.html").resolve().as_uri())
        got = browser.evaluate(_RTL_JS)
    assert got and got["guillemet"] > got["digit"] > got["letter"], got


def test_isolating_persian_runs_is_linear_and_leaves_tags_code_and_drawings_alone():
    from cxlib.teaching.offline import isolate_rtl

    assert isolate_rtl('<img alt="a > b فا"><!-- فا > --><svg><text>فا</text></svg>') == (
        '<img alt="a > b فا"><!-- فا > --><svg><text>فا</text></svg>'
    )
    assert isolate_rtl("<p>فصل (۲) of it</p>") == "<p><bdi>فصل (۲)</bdi> of it</p>"
    unclosed = "<code>x " * 20000  # never closed: one pass, not a search to the end at every tag
    assert isolate_rtl(unclosed) == unclosed

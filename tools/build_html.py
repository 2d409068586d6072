"""Build the whole course as a static, offline website for learners (``make html``).

* The **home page** is written for learners (``docs/site-home.md``): what the course
  is, how to start, and the lessons with their minutes (generated from the notebooks).
* Every lesson becomes a page with its executed outputs, built from the **student
  edition** of the notebook (``tools/build_student.py``): worked solutions are not
  published and answer cells show the ``____`` placeholder. Pages come from
  ``cxlib.teaching.offline.to_html``: maths as MathML, widgets as a static note, nothing remote.
* The data cards, the course notes (the source articles, the statistics notes, the
  concepts), the contributing guide and the licence become pages too. The trainer guide
  is not published: it quotes some answers and says how the room server can be misused
  (the answers themselves are in the trainer's answer key, ``make answer-key``, never
  published either). Links between notebooks (``NN_x.ipynb``) and to those
  documents are rewritten to the site's pages. Nothing on any page is loaded from the
  network.

Usage: ``python tools/build_html.py [--out site]``
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import mistune

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbformat  # noqa: E402
from build_student import studentise  # noqa: E402

from cxlib.teaching.lessons import list_lessons  # noqa: E402
from cxlib.teaching.maths import protect_math  # noqa: E402
from cxlib.teaching.offline import RTL_CSS, isolate_rtl, to_html  # noqa: E402

_mistune = mistune.create_markdown(plugins=["table", "strikethrough"], escape=False)


def _md(text: str) -> str:
    protected, restore = protect_math(text)
    return restore(_mistune(protected))


#: The learners' home page (its ``<!-- lessons -->`` line becomes the lessons table).
HOME = "docs/site-home.md"
#: Markdown documents published as pages: source -> page name. README.md is not
#: published (it is written for the code host); links to it go to the home page.
DOCS = {
    HOME: "index.html",
    "data/README.md": "data.html",
    "docs/sources.md": "sources.html",
    "docs/methods.md": "methods.html",
    "docs/concepts.md": "concepts.html",
    "CONTRIBUTING.md": "contributing.html",
    "LICENSE": "license.html",
}
#: Links that name a document by another path: README.md, and the course notes linking one
#: another from inside docs/ ("methods.md#wilson-interval").
LINK_ALIASES = {
    "README.md": "index.html",
    "sources.md": "sources.html",
    "methods.md": "methods.html",
    "concepts.md": "concepts.html",
}
DOC_TITLES = {
    "index.html": "Home",
    "data.html": "Data cards",
    "sources.html": "The source articles",
    "methods.html": "Statistics notes",
    "concepts.html": "Concepts",
    "contributing.html": "Contributing",
    "license.html": "Licence",
}

SIDEBAR_CSS = (
    """
<style>
body{margin:0}
.cx-sidebar{position:fixed;top:0;left:0;bottom:0;width:250px;overflow-y:auto;background:#f4f6f8;
 border-right:1px solid #dde;padding:14px 12px;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-sizing:border-box}
.cx-sidebar h2{font-size:15px;margin:4px 0 10px;color:#0072B2}
.cx-sidebar a{display:block;padding:4px 6px;border-radius:4px;color:#223;text-decoration:none}
.cx-sidebar a:hover{background:#e3e8ee}.cx-sidebar a.current{background:#0072B2;color:#fff}
.cx-sidebar .sep{margin:10px 0 4px;color:#778;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.cx-main{margin-left:250px;padding:0 1.5em}
.cx-doc{max-width:900px;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:1em 0 3em}
.cx-doc table{border-collapse:collapse}.cx-doc td,.cx-doc th{border:1px solid #ccd;padding:3px 8px}
.cx-doc pre{background:#f4f4f4;padding:.7em;overflow:auto}
math{font-size:1.15em}
"""
    + RTL_CSS
    + """
@media (max-width:800px){.cx-sidebar{position:static;width:auto;border:0}.cx-main{margin-left:0}}
</style>
"""
)


def _sidebar(pages: list[tuple[str, str]], current: str) -> str:
    items = ['<nav class="cx-sidebar" aria-label="Course"><h2>CX analytics course</h2>']
    for href, title in pages:
        if href == "sep:lessons":
            items.append('<div class="sep">Lessons</div>')
            continue
        if href == "sep:more":
            items.append('<div class="sep">More</div>')
            continue
        cls = ' class="current"' if href == current else ""
        items.append(f'<a href="{href}"{cls}>{html.escape(title)}</a>')
    items.append("</nav>")
    return "\n".join(items)


def rewrite_links(text: str) -> str:
    """Point links at notebooks and documents to the site's pages.

    >>> rewrite_links('<a href="05_nps_pitfalls.ipynb#x">')
    '<a href="05_nps_pitfalls.html#x">'
    >>> rewrite_links('<a href="notebooks/00_welcome.ipynb">')
    '<a href="00_welcome.html">'
    >>> rewrite_links('<a href="methods.md#nps">methods.md</a>')
    '<a href="methods.html#nps">Statistics notes</a>'
    """

    def repl(m: re.Match) -> str:
        url = m.group(2)
        path, _, frag = url.partition("#")
        frag = f"#{frag}" if frag else ""
        name = path.split("/")[-1]
        if re.fullmatch(r"\d\d_[\w-]+\.ipynb", name) and not path.startswith(("http:", "https:")):
            return f'{m.group(1)}="{name[:-6]}.html{frag}"'
        for src, page in list(DOCS.items()) + list(LINK_ALIASES.items()):
            if path in (src, "../" + src, "./" + src):
                return f'{m.group(1)}="{page}{frag}"'
        return m.group(0)

    text = re.sub(r'(href)="([^"]+)"', repl, text)
    # a link written as its file name ("methods.md") reads as the page's title on the site
    names = {**{src.split("/")[-1]: page for src, page in DOCS.items()}, **LINK_ALIASES, **DOCS}
    return re.sub(
        r'(<a href="([\w.-]+\.html)(?:#[^"]*)?"[^>]*>)([\w./-]+\.md)(</a>)',
        lambda m: (
            m.group(1) + DOC_TITLES.get(m.group(2), m.group(3)) + m.group(4)
            if names.get(m.group(3)) == m.group(2)
            else m.group(0)
        ),
        text,
    )


def _wrap(body_html: str, title: str, sidebar: str, head_extra: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{head_extra}{SIDEBAR_CSS}</head>'
        f'<body>{sidebar}<main class="cx-main">{body_html}</main></body></html>\n'
    )


def learner_notebook(nb_path: Path) -> nbformat.NotebookNode:
    """The notebook as learners see it on the site: the student edition, without the edition banner or test markers."""
    nb, _ = studentise(nbformat.read(nb_path, as_version=4), nb_path.name)
    nb.cells = [c for c in nb.cells if "cx-edition" not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:  # the test suite's markers mean nothing to a reader
        if cell.cell_type == "code":
            cell.source = _TEST_MARKER.sub("", cell.source)
    return nb


#: A line such as ``# NBVAL_CHECK_OUTPUT``: how nbval is told to compare a cell's output.
_TEST_MARKER = re.compile(r"^# NBVAL_[A-Z_]+[ \t]*\n?", re.M)


def lessons_table(lessons) -> str:
    """The home page's lessons table: number, title (linked), minutes."""
    rows = ["| lesson | title | minutes |", "|---|---|---|"]
    for lesson in lessons:
        title = (lesson.title.split("·", 1)[-1].strip() if "·" in lesson.title else lesson.title) or lesson.name
        rows.append(f"| {lesson.number} | [{title}]({lesson.name}.html) | {lesson.meta.get('minutes', '')} |")
    total = sum(int(x.meta.get("minutes", 0)) for x in lessons)
    return "\n".join(rows) + f"\n\n{len(lessons)} lessons, about {total / 60:.1f} hours in all."


def _lesson_page(nb_path: Path, sidebar: str) -> str:
    page = rewrite_links(to_html(learner_notebook(nb_path)))
    page = page.replace("</head>", SIDEBAR_CSS + "</head>", 1)
    page = re.sub(r"<body([^>]*)>", lambda m: f'<body{m.group(1)}>{sidebar}<main class="cx-main">', page, count=1)
    return page.replace("</body>", "</main></body>", 1)


def build(out: Path, only: list[str] | None = None) -> list[Path]:
    """Write the site into ``out``; returns the pages written.

    ``only`` (lesson numbers) writes just those lesson pages, for quick checks; the
    sidebar and the home page still list every lesson.
    """
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lessons = list_lessons(ROOT / "notebooks")
    docs = {src: page for src, page in DOCS.items() if (ROOT / src).exists()}
    pages = [("index.html", "Home"), ("sep:lessons", "")]
    pages += [(f"{x.name}.html", x.title or x.name) for x in lessons]
    pages += [("sep:more", "")] + [(p, DOC_TITLES[p]) for p in docs.values() if p != "index.html"]
    written = []
    for lesson in lessons:
        if only and lesson.number not in only:
            continue
        target = out / f"{lesson.name}.html"
        target.write_text(_lesson_page(lesson.path, _sidebar(pages, target.name)), encoding="utf-8")
        written.append(target)
    for src, page in docs.items():
        text = (ROOT / src).read_text(encoding="utf-8")
        if src == HOME:
            text = text.replace("<!-- lessons -->", lessons_table(lessons))
        body = f"<pre>{html.escape(text)}</pre>" if src == "LICENSE" else rewrite_links(isolate_rtl(_md(text)))
        target = out / page
        target.write_text(
            _wrap(f'<article class="cx-doc">{body}</article>', DOC_TITLES[page], _sidebar(pages, page)),
            encoding="utf-8",
        )
        written.append(target)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "site")
    args = ap.parse_args()
    pages = build(args.out)
    print(f"==> {len(pages)} pages written to {args.out}/ (open {args.out}/index.html; works offline)")


if __name__ == "__main__":
    main()

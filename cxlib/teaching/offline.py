"""Offline HTML from executed lessons: maths as MathML, widgets as static notes, no remote URL.

A page built from a lesson (``cx run``'s report, the course website) must open on a
laptop with no network and show everything a reader needs:

* **maths** is converted to MathML when the page is built (:mod:`cxlib.teaching.maths`); no
  MathJax is loaded;
* **widgets** (sliders, menus) need a running kernel. nbconvert would add a script that
  fetches an unpinned widget renderer from a public CDN; instead the widget's saved
  state is dropped and each widget output becomes a short note. Every lesson draws a
  static figure next to its widget, so the page still makes its point;
* **nothing remote**: :func:`strip_remote` removes any script or stylesheet that names
  a remote address (in an attribute *or* in its text) and the comments of inline CSS
  (nbconvert's theme CSS cites web pages in comments), and :func:`remote_references`
  lists whatever is left, for tests. Hyperlinks (``<a href>``) are references a reader
  may follow, not loads, and are kept; so are XML namespace names (``xmlns``), which
  are never fetched.

Examples
--------
>>> remote_references('<script>var s = "https://cdn.example/x.js";</script><a href="https://doi.org/1">ref</a>')
['script text: https://cdn.example/x.js']
>>> remote_references(strip_remote('<script>var s = "https://cdn.example/x.js";</script><p>kept</p>'))
[]
"""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat

from cxlib.teaching.maths import protect_math

__all__ = [
    "WIDGET_MIME",
    "WIDGET_NOTE",
    "static_widgets",
    "strip_remote",
    "remote_references",
    "lesson_html",
    "notebook_title",
    "to_html",
]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: What a page shows where the notebook has a live widget.
WIDGET_NOTE = (
    '<div class="cx-widget-note" style="border-left:4px solid #0072B2;background:#f0f6fb;'
    'padding:.5em .8em;margin:.4em 0;font-size:.95em">Interactive control (a slider or a menu): '
    "it works when you run this lesson in JupyterLab. The static figure next to it makes the same "
    "point.</div>"
)

#: MathML drawn a little larger than the text around it, as MathJax does.
MATH_CSS = "math{font-size:1.15em}math[display=block]{margin:.6em 0}"
#: A wide output (a table of many columns) scrolls sideways inside the page instead of being cut off.
WIDE_CSS = ".jp-OutputArea-output{overflow-x:auto}"

_REMOTE = re.compile(r"""(?:https?:)?//[A-Za-z0-9][\w.-]*\.[A-Za-z]{2,}[^\s"'<>)]*|\bhttps?://[^\s"'<>)]+""", re.I)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.S | re.I)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def static_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without widget state, each widget output replaced by :data:`WIDGET_NOTE`.

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook (not modified).

    Returns
    -------
    NotebookNode
        The copy.
    """
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for i, out in enumerate(cell.get("outputs", [])):
            if WIDGET_MIME in out.get("data", {}):
                cell.outputs[i] = nbformat.v4.new_output(
                    "display_data",
                    {"text/html": WIDGET_NOTE, "text/plain": "[interactive control: run the lesson in JupyterLab]"},
                )
    return nb


def strip_remote(html: str) -> str:
    """Remove scripts, stylesheets and CSS comments that name a remote address.

    Parameters
    ----------
    html : str
        An HTML page.

    Returns
    -------
    str
        The page without them.
    """

    def script(m: re.Match) -> str:
        return "" if _REMOTE.search(m.group(1)) or _REMOTE.search(m.group(2)) else m.group(0)

    def style(m: re.Match) -> str:
        body = _CSS_COMMENT.sub("", m.group(2))
        body = re.sub(r"@import\s+url\([^)]*\)\s*;?|@import\s+[\"'][^\"']*[\"']\s*;?", "", body)
        return m.group(1) + body + m.group(3)

    html = _SCRIPT.sub(script, html)
    html = _STYLE.sub(style, html)
    return _LINK.sub(lambda m: "" if _REMOTE.search(m.group(0)) else m.group(0), html)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Any]]) -> None:
        for key, value in attrs:
            if not value or key == "xmlns" or key.startswith("xmlns:"):
                continue
            if tag == "a" and key == "href":
                continue  # a hyperlink the reader may follow; never loaded by the page
            if _REMOTE.search(value) and (
                key in {"src", "href", "srcset", "poster", "data", "action", "formaction", "background", "style"}
                or key.endswith("href")
            ):
                hit = _REMOTE.search(value)
                self.found.append(f"<{tag} {key}>: {hit.group(0) if hit else value}")
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            for m in _REMOTE.finditer(data):
                self.found.append(f"{self._in} text: {m.group(0)}")


def remote_references(html: str) -> list[str]:
    """Every remote address a page could load: in attributes, in scripts' and in styles' text.

    Parameters
    ----------
    html : str
        An HTML page.

    Returns
    -------
    list of str
        The remote addresses found; empty for a page that works offline.
    """
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


@functools.lru_cache(maxsize=2)
def _exporter(exclude_input: bool = False) -> Any:
    from jinja2 import pass_context
    from nbconvert import HTMLExporter

    class OfflineHTMLExporter(HTMLExporter):
        """nbconvert's HTML exporter with maths turned into MathML before Markdown sees it."""

        @pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            protected, restore = protect_math(source)
            return restore(HTMLExporter.markdown2html(self, context, protected))

    exporter = OfflineHTMLExporter(
        embed_images=True,
        exclude_input=exclude_input,
        exclude_input_prompt=exclude_input,
        exclude_output_prompt=exclude_input,
    )
    exporter.mathjax_url = ""
    exporter.require_js_url = ""
    return exporter


def lesson_html(nb: nbformat.NotebookNode, *, exclude_input: bool = False) -> str:
    """An executed notebook as one self-contained, offline HTML page (see the module docstring).

    Parameters
    ----------
    nb : NotebookNode
        An executed notebook.
    exclude_input : bool
        Leave the code out.

    Returns
    -------
    str
        The HTML page.
    """
    nb = static_widgets(nb)
    nb.metadata["title"] = nb.metadata.get("title") or notebook_title(nb)
    body, _ = _exporter(exclude_input).from_notebook_node(nb)
    body = _UNUSED_SCRIPTS.sub("", body)  # MathJax and require.js are not loaded: maths is MathML
    body = body.replace("</head>", f"<style>{MATH_CSS}{RTL_CSS}{WIDE_CSS}</style></head>", 1)
    return strip_remote(isolate_rtl(body))


#: Letters and digits of the Arabic script (Persian included) and their presentation forms.
_RTL = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
#: A run of Persian text: from a guillemet or an Arabic-script character to the last one,
#: across spaces, the zero-width non-joiner, digits and punctuation between them.
_RTL_RUN = re.compile(rf"«?[{_RTL}](?:[{_RTL}\u200c\u200f\s0-9«»٪%،؛؟:;,.()\-–]*[{_RTL}»])?»?")
#: A tag (quoted attribute values may hold '>') or a comment.
_TAG = re.compile(r"""<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
#: Elements whose text is left alone: code, maths, scripts, drawings, the page title.
_RAW_ELEMENTS = frozenset({"script", "style", "math", "pre", "code", "textarea", "title", "svg"})
_TAG_NAME = re.compile(r"<(/?)\s*([A-Za-z][\w-]*)")
#: Table cells take their direction from their first letter (a Persian cell reads right to left).
RTL_CSS = "td,th{unicode-bidi:plaintext;text-align:start}"


def _isolated(text: str) -> str:
    """``text`` (no tags) with each Persian run in ``<bdi>``; a run keeps the ')' that closes its '('."""
    out, pos = [], 0
    for m in _RTL_RUN.finditer(text):
        end = m.end()
        run = text[m.start() : end]
        if run.count("(") > run.count(")") and text.startswith(")", end):
            end += 1  # "(۲)": the bracket that closes the run's own
        out += [text[pos : m.start()], "<bdi>", text[m.start() : end], "</bdi>"]
        pos = end
    return "".join(out) + text[pos:]


def isolate_rtl(html: str) -> str:
    """Wrap each run of Persian text in ``<bdi>``, so that it reads right to left inside an English line.

    Without it a browser lays out a Persian title inside an English sentence as if its
    neutral characters (guillemets, digits, brackets) belonged to the English: ``«۷ راه»``
    shows its digit and guillemets at the wrong ends. Tags, comments and the text of code,
    maths, scripts and drawings are left alone; one pass over the page (linear in its size).

    Parameters
    ----------
    html : str
        An HTML page or fragment.

    Returns
    -------
    str
        The same, with Persian runs isolated.

    Examples
    --------
    >>> isolate_rtl("<p>Hosseini, «۷ راه برای» (Seven ways).</p><code>«کد»</code>")
    '<p>Hosseini, <bdi>«۷ راه برای»</bdi> (Seven ways).</p><code>«کد»</code>'
    >>> isolate_rtl('<p>فصل (۲) of <img alt="a > b فا"></p>')
    '<p><bdi>فصل (۲)</bdi> of <img alt="a > b فا"></p>'
    """
    out: list[str] = []
    pos = 0
    while (m := _TAG.search(html, pos)) is not None:
        out += [_isolated(html[pos : m.start()]), m.group(0)]
        pos = m.end()
        name = _TAG_NAME.match(m.group(0))
        if name and not name.group(1) and name.group(2).lower() in _RAW_ELEMENTS and not m.group(0).endswith("/>"):
            # the element's text as it is, up to its closing tag (a script's "a < b" is no tag)
            close = re.compile(rf"</\s*{name.group(2)}\s*>", re.I).search(html, pos)
            end = close.end() if close else len(html)
            out.append(html[pos:end])
            pos = end
    return "".join(out) + _isolated(html[pos:])


#: What nbconvert's template writes to load MathJax and require.js, left empty here.
_UNUSED_SCRIPTS = re.compile(
    r'<script src="">\s*</script>\s*|<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->\s*', re.S
)


def notebook_title(nb: nbformat.NotebookNode) -> str:
    """The notebook's title: its first Markdown heading, without the Markdown ("Notebook" if none).

    Parameters
    ----------
    nb : NotebookNode
        A notebook.

    Returns
    -------
    str
        The title, for a page's ``<title>``.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("intro"),
    ...                                      nbformat.v4.new_markdown_cell("# 08 · When the *data* is big")])
    >>> notebook_title(nb)
    '08 · When the data is big'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#{1,2}\s+(.+)$", cell.source, re.M)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return "Notebook"


def to_html(notebook: str | Path | Any, *, exclude_input: bool = False) -> str:
    """An executed notebook as one self-contained page that loads nothing from the network.

    Maths is rendered as MathML and widgets become static notes (:mod:`cxlib.teaching.offline`).

    Parameters
    ----------
    notebook : str, path or NotebookNode
        An executed notebook, or its path.
    exclude_input : bool
        Leave the code out (a report for readers who do not read code).

    Returns
    -------
    str
        The HTML page.
    """
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(str(notebook), as_version=4)
    return lesson_html(nb, exclude_input=exclude_input)

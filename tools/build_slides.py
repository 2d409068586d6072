"""Write one offline slide deck (a single HTML file) per lesson (``make slides``).

Each markdown heading (``#``, ``##``, ...) starts a slide; code,
outputs (figures embedded as images) and text follow. The deck is one HTML file
with its own CSS and JavaScript: it opens with no network. Keys: right/left arrows,
space, Page Up/Down, Home/End; the slide number is kept in the address (#12).

Usage: ``python tools/build_slides.py [--out slides]``
"""
from __future__ import annotations

import argparse
import html
from pathlib import Path

import mistune
import nbformat
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

ROOT = Path(__file__).resolve().parents[1]
_md = mistune.create_markdown(plugins=["table", "strikethrough"], escape=False)

CSS = """
html,body{margin:0;height:100%;background:#fafafa;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222}
.slide{display:none;box-sizing:border-box;height:100vh;padding:3vh 6vw 7vh;overflow:auto;font-size:clamp(15px,1.6vw,22px);line-height:1.45}
.slide.active{display:block}
.slide h1{font-size:2.1em;color:#0072B2}.slide h2{font-size:1.6em;color:#0072B2}.slide h3{font-size:1.25em}
.slide img{max-width:100%;max-height:62vh;display:block;margin:.5em auto}
.slide pre{background:#f0f0f0;padding:.6em .8em;border-radius:6px;overflow:auto;font-size:.8em}
.slide table{border-collapse:collapse;font-size:.75em;margin:.5em 0}.slide td,.slide th{border:1px solid #ccc;padding:2px 6px}
.counter{position:fixed;right:1.5vw;bottom:1.5vh;color:#777;font-size:14px}
.hint{position:fixed;left:1.5vw;bottom:1.5vh;color:#999;font-size:12px}
@media print{.slide{display:block;height:auto;page-break-after:always}.counter,.hint{display:none}}
"""
JS = """
(function(){
 var s=document.querySelectorAll('.slide'),i=0,c=document.getElementById('counter');
 function show(n){i=Math.max(0,Math.min(s.length-1,n));s.forEach(function(e,k){e.classList.toggle('active',k===i)});
  c.textContent=(i+1)+' / '+s.length;history.replaceState(null,'','#'+(i+1));s[i].scrollTop=0;}
 document.addEventListener('keydown',function(e){
  if(['ArrowRight','PageDown',' '].indexOf(e.key)>=0){show(i+1);e.preventDefault();}
  else if(['ArrowLeft','PageUp'].indexOf(e.key)>=0){show(i-1);e.preventDefault();}
  else if(e.key==='Home'){show(0);}else if(e.key==='End'){show(s.length-1);}});
 document.addEventListener('click',function(e){if(e.target.tagName!=='A'&&e.clientX>window.innerWidth*0.8)show(i+1);});
 show((parseInt(location.hash.slice(1))||1)-1);
})();
"""


def _output_html(out) -> str:
    kind = out.get("output_type")
    if kind == "stream":
        return f"<pre>{html.escape(out.get('text', ''))}</pre>"
    if kind in ("execute_result", "display_data"):
        data = out.get("data", {})
        if "image/png" in data:
            return f'<img alt="figure" src="data:image/png;base64,{data["image/png"].strip()}">'
        if "image/svg+xml" in data:
            return data["image/svg+xml"]
        if "text/html" in data:
            return data["text/html"]
        if "text/markdown" in data:
            return _md(data["text/markdown"])
        if "text/plain" in data and "application/vnd.jupyter.widget-view+json" not in data:
            return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def _split_at_headings(text: str) -> list[str]:
    r"""Split markdown so that every heading line (outside code fences) starts a part.

    >>> _split_at_headings("intro\n## A\ntext\n```\n# not a heading\n```\n### B")
    ['intro', '## A\ntext\n```\n# not a heading\n```', '### B']
    """
    parts, current, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("#") and current:
            parts.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        parts.append("\n".join(current))
    return [p for p in parts if p.strip()]


#: How much one slide holds before it continues on the next (text characters; a code
#: cell counts 500, a figure 1,800), so that no slide needs scrolling in a room.
SLIDE_BUDGET = 2600


def _weight(fragment: str) -> int:
    if "<img" in fragment or "<svg" in fragment:
        return 1800
    if 'class="highlight"' in fragment:
        return 500 + len(fragment) // 20
    return len(fragment)


def slides_of(nb) -> list[str]:
    """The slides of a notebook, each as an HTML fragment.

    Every markdown heading starts a slide; a slide that grows past
    :data:`SLIDE_BUDGET` continues on the next one under the same heading.
    """
    slides: list[list[str]] = []
    weights: list[int] = []
    title = ""
    formatter = HtmlFormatter(nowrap=False)

    def add(fragment: str, new: bool = False) -> None:
        if not fragment:
            return
        w = _weight(fragment)
        if new or not slides or (weights[-1] + w > SLIDE_BUDGET and weights[-1] > 0):
            head = "" if new or not title else f"<h3>{html.escape(title)} (continued)</h3>"
            slides.append([head] if head else [])
            weights.append(0)
        slides[-1].append(fragment)
        weights[-1] += w

    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if "cx-nav" in tags or "cx-toc" in tags:
            continue
        if cell.cell_type == "markdown":
            for part in _split_at_headings(cell.source):
                heading = part.lstrip().startswith("#")
                if heading:
                    title = part.lstrip().splitlines()[0].lstrip("#").strip()
                add(_md(part), new=heading)
        elif cell.cell_type == "code":
            code = "\n".join(l for l in cell.source.splitlines() if not l.strip().startswith("# NBVAL_"))
            if code.strip():
                add(highlight(code, PythonLexer(), formatter))
            for o in cell.get("outputs", []):
                add(_output_html(o))
    return ["\n".join(parts) for parts in slides]


def deck(nb, title: str) -> str:
    """A complete, offline HTML slide deck."""
    body = "\n".join(f'<section class="slide">{s}</section>' for s in slides_of(nb))
    style = CSS + HtmlFormatter().get_style_defs(".highlight")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{style}</style></head>"
            f"<body>{body}<div class=\"counter\" id=\"counter\"></div>"
            f"<div class=\"hint\">← → to move · print for handouts</div><script>{JS}</script></body></html>\n")


def build(out: Path, src: Path = ROOT / "notebooks") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(src.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        target = out / f"{path.stem}.html"
        target.write_text(deck(nb, path.stem.replace("_", " ")), encoding="utf-8")
        written.append(target)
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "slides")
    args = ap.parse_args()
    for p in build(args.out):
        print(f"  {p}")
    print(f"==> slide decks written to {args.out}/ (open one in a browser; works offline)")


if __name__ == "__main__":
    main()
